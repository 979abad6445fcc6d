package runtime

import "unicode"

func isUnicodeLetterOrDigit(r rune, first bool) bool {
	if unicode.IsLetter(r) {
		return true
	}
	return !first && (unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) || unicode.Is(unicode.Pc, r))
}
