package expr

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind classifies a token.
type tokKind uint8

const (
	tEOF      tokKind = iota
	tNum              // integer or float literal
	tStr              // string literal
	tName             // identifier (keywords included; see keyword)
	tBacktick         // `quoted name`
	tOp               // operator or punctuation
)

// token is one lexeme with its byte offset in the source.
type token struct {
	kind  tokKind
	pos   int
	text  string // the source text (operators, names), the value of strings and backticks
	num   float64
	inum  int64
	isInt bool
}

// keywords are Python's reserved words: and/or/not/in/True/False belong to the language,
// the others are rejected with a clear message instead of being read as names.
var keywords = map[string]bool{
	"and": true, "or": true, "not": true, "in": true, "is": true, "True": true, "False": true,
	"None": true, "lambda": true, "if": true, "else": true, "for": true, "while": true,
	"def": true, "class": true, "import": true, "from": true, "as": true, "return": true,
	"yield": true, "await": true, "async": true, "del": true, "global": true, "nonlocal": true,
	"pass": true, "break": true, "continue": true, "raise": true, "try": true, "except": true,
	"finally": true, "with": true, "assert": true, "elif": true,
}

// operators, longest first so that "**" wins over "*".
var operators = []string{
	"**=", "//=", ">>=", "<<=",
	"**", "//", "==", "!=", "<=", ">=", "<<", ">>", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", ":=", "->",
	"+", "-", "*", "/", "%", "~", "&", "|", "^", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "@", "!",
}

// lex splits src into tokens, following Python's tokenizer where the language overlaps:
// a newline outside brackets ends the expression (pandas reads each line as its own
// statement, which only assignments may use), a backslash before a newline continues it.
func lex(src string) ([]token, error) {
	var toks []token
	depth := 0
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\f':
			i++
			continue
		case c == '\\' && i+1 < len(src) && src[i+1] == '\n':
			i += 2
			continue
		case c == '\n':
			if depth > 0 {
				i++
				continue
			}
			if strings.TrimSpace(src[i:]) == "" {
				i = len(src)
				continue
			}
			return nil, errAt(src, i, "SyntaxError", "an expression must be one line: several statements (pandas' multi-line assignments) are not supported")
		case c == '#':
			return nil, errAt(src, i, "SyntaxError", "comments are not supported")
		case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
			t, n, err := lexNumber(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i += n
			continue
		case c == '\'' || c == '"':
			t, n, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i += n
			continue
		case c == '`':
			end := strings.IndexByte(src[i+1:], '`')
			if end < 0 {
				return nil, errAt(src, i, "SyntaxError", "unterminated backtick-quoted name")
			}
			name := src[i+1 : i+1+end]
			if name == "" {
				return nil, errAt(src, i, "SyntaxError", "empty backtick-quoted name")
			}
			toks = append(toks, token{kind: tBacktick, pos: i, text: name})
			i += end + 2
			continue
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		if r == '_' || unicode.IsLetter(r) {
			j := i + size
			for j < len(src) {
				r, size := utf8.DecodeRuneInString(src[j:])
				if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					break
				}
				j += size
			}
			// string prefixes (b'', f'', r'' …) are not supported
			if j < len(src) && (src[j] == '\'' || src[j] == '"') && len(src[i:j]) <= 2 {
				return nil, errAt(src, i, "SyntaxError", "string prefixes such as %s'…' are not supported", src[i:j])
			}
			toks = append(toks, token{kind: tName, pos: i, text: src[i:j]})
			i = j
			continue
		}
		op := ""
		for _, o := range operators {
			if strings.HasPrefix(src[i:], o) {
				op = o
				break
			}
		}
		if op == "" {
			return nil, errAt(src, i, "SyntaxError", "invalid character %q", r)
		}
		switch op {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		}
		toks = append(toks, token{kind: tOp, pos: i, text: op})
		i += len(op)
	}
	return append(toks, token{kind: tEOF, pos: len(src)}), nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// lexNumber reads a Python number literal at src[i:]: decimal integers (no leading
// zeros), 0x/0o/0b integers, floats with a fraction and/or an exponent, single
// underscores between digits. Imaginary literals are rejected.
func lexNumber(src string, i int) (token, int, error) {
	j := i
	digits := func(ok func(byte) bool) {
		for j < len(src) && (ok(src[j]) || (src[j] == '_' && j+1 < len(src) && ok(src[j+1]) && j > i && ok(src[j-1]))) {
			j++
		}
	}
	isHex := func(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
	if src[i] == '0' && i+1 < len(src) && strings.ContainsRune("xXoObB", rune(src[i+1])) {
		base := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'O': 8, 'b': 2, 'B': 2}[src[i+1]]
		j = i + 2
		start := j
		for j < len(src) && (isHex(src[j]) || src[j] == '_') {
			j++
		}
		text := strings.ReplaceAll(src[start:j], "_", "")
		v, err := strconv.ParseInt(text, base, 64)
		if err != nil || text == "" {
			return token{}, 0, errAt(src, i, "SyntaxError", "invalid number literal %q", src[i:j])
		}
		return token{kind: tNum, pos: i, text: src[i:j], inum: v, num: float64(v), isInt: true}, j - i, nil
	}
	digits(isDigit)
	isFloat := false
	if j < len(src) && src[j] == '.' {
		isFloat = true
		j++
		if j < len(src) && isDigit(src[j]) {
			start := j
			digits(isDigit)
			_ = start
		}
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && isDigit(src[k]) {
			isFloat = true
			j = k
			digits(isDigit)
		}
	}
	if j < len(src) && (src[j] == 'j' || src[j] == 'J') {
		return token{}, 0, errAt(src, i, "NotImplementedError", "complex numbers are not supported")
	}
	if j < len(src) {
		if r, _ := utf8.DecodeRuneInString(src[j:]); r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return token{}, 0, errAt(src, i, "SyntaxError", "invalid number literal %q", src[i:j+1])
		}
	}
	text := src[i:j]
	clean := strings.ReplaceAll(text, "_", "")
	if !isFloat {
		if len(clean) > 1 && clean[0] == '0' && strings.Trim(clean, "0") != "" {
			return token{}, 0, errAt(src, i, "SyntaxError", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers")
		}
		v, err := strconv.ParseInt(clean, 10, 64)
		if err != nil {
			// beyond int64: numpy cannot hold it as an integer either; read it as a float
			f, _ := strconv.ParseFloat(clean, 64)
			return token{kind: tNum, pos: i, text: text, num: f}, j - i, nil
		}
		return token{kind: tNum, pos: i, text: text, inum: v, num: float64(v), isInt: true}, j - i, nil
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return token{}, 0, errAt(src, i, "SyntaxError", "invalid number literal %q", text)
		}
	}
	return token{kind: tNum, pos: i, text: text, num: f}, j - i, nil
}

// lexString reads a single- or double-quoted Python string literal with the common
// backslash escapes (\\ \' \" \n \t \r \0 \xhh \uhhhh). Triple-quoted strings are not
// supported.
func lexString(src string, i int) (token, int, error) {
	q := src[i]
	if strings.HasPrefix(src[i:], strings.Repeat(string(q), 3)) {
		return token{}, 0, errAt(src, i, "SyntaxError", "triple-quoted strings are not supported")
	}
	var b strings.Builder
	j := i + 1
	for j < len(src) {
		c := src[j]
		switch {
		case c == q:
			return token{kind: tStr, pos: i, text: b.String()}, j + 1 - i, nil
		case c == '\n':
			j = len(src)
		case c == '\\' && j+1 < len(src):
			e := src[j+1]
			j += 2
			switch e {
			case '\\', '\'', '"':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '0':
				b.WriteByte(0)
			case 'x', 'u':
				n := 2
				if e == 'u' {
					n = 4
				}
				if j+n > len(src) {
					return token{}, 0, errAt(src, j-2, "SyntaxError", "truncated \\%c escape", e)
				}
				v, err := strconv.ParseUint(src[j:j+n], 16, 32)
				if err != nil {
					return token{}, 0, errAt(src, j-2, "SyntaxError", "truncated \\%c escape", e)
				}
				b.WriteRune(rune(v))
				j += n
			case '\n':
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
			j++
		}
	}
	return token{}, 0, errAt(src, i, "SyntaxError", "unterminated string literal")
}
