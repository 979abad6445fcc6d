package wire

import "math"

// pow10tab holds the powers of ten that float64 represents exactly.
var pow10tab = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastFloat parses a JSON number literal with Clinger's fast path: when the decimal
// mantissa fits in 53 bits and the power of ten is exact, one float operation gives the
// correctly rounded result (the same bits as strconv.ParseFloat). ok is false for other
// literals, which the caller hands to strconv.
func fastFloat(s string) (float64, bool) {
	i := 0
	neg := false
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	var mant uint64
	digits := 0
	exp10 := 0
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		mant = mant*10 + uint64(s[i]-'0')
		digits++
		i++
	}
	if i == start || (s[start] == '0' && i-start > 1) {
		return 0, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		fs := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			mant = mant*10 + uint64(s[i]-'0')
			digits++
			exp10--
			i++
		}
		if i == fs {
			return 0, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		esign := 1
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			if s[i] == '-' {
				esign = -1
			}
			i++
		}
		es := i
		e := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if e < 10000 {
				e = e*10 + int(s[i]-'0')
			}
			i++
		}
		if i == es {
			return 0, false
		}
		exp10 += esign * e
	}
	if i != len(s) || digits > 19 || mant > 1<<53 {
		return 0, false
	}
	f := float64(mant)
	switch {
	case exp10 == 0:
	case exp10 > 0 && exp10 <= 22:
		f *= pow10tab[exp10]
	case exp10 < 0 && exp10 >= -22:
		f /= pow10tab[-exp10]
	default:
		return 0, false
	}
	if neg {
		f = -f
	}
	return f, !math.IsInf(f, 0)
}
