package data

import (
	"math"
	"strconv"
)

// AppendPyFloat appends f as Python's repr(float) renders it: the shortest digits that
// round-trip, fixed notation for decimal exponents in (-4, 16], otherwise scientific with a
// sign and at least two exponent digits; integral values keep ".0" (1.0, 1e+16, 4.4e-05).
// NaN and infinities render as nan, inf and -inf.
func AppendPyFloat(b []byte, f float64) []byte {
	switch {
	case f != f:
		return append(b, "nan"...)
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	case f == 0:
		if math.Signbit(f) {
			return append(b, "-0.0"...)
		}
		return append(b, "0.0"...)
	}
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', -1, 64)
	neg := e[0] == '-'
	if neg {
		e = e[1:]
		b = append(b, '-')
	}
	// e is d[.ddd]e±XX
	var digs [24]byte
	nd := 0
	i := 0
	for ; i < len(e) && e[i] != 'e'; i++ {
		if e[i] != '.' {
			digs[nd] = e[i]
			nd++
		}
	}
	exp, _ := strconv.Atoi(string(e[i+1:]))
	return appendPyDigits(b, digs[:nd], exp+1)
}

// AppendPyMicros appends us/1e6 as AppendPyFloat does (durations in whole microseconds,
// as hetida reports them) without the shortest-digits search: for 0 < us < 10¹⁵ the
// decimal digits of us are the shortest that round-trip, since decimals of at most 15
// significant digits never share a float64.
func AppendPyMicros(b []byte, us int64) []byte {
	if us <= 0 || us >= 1e15 {
		return AppendPyFloat(b, float64(us)/1e6)
	}
	var digs [16]byte
	nd := 0
	for x := us; x > 0; x /= 10 {
		digs[len(digs)-1-nd] = byte('0' + x%10)
		nd++
	}
	d := digs[len(digs)-nd:]
	decpt := nd - 6
	for len(d) > 1 && d[len(d)-1] == '0' {
		d = d[:len(d)-1]
	}
	return appendPyDigits(b, d, decpt)
}

// appendPyDigits renders the digits d (no leading or trailing zeros) with the decimal
// point decpt places after the first as repr(float) does.
func appendPyDigits(b, d []byte, decpt int) []byte {
	nd := len(d)
	if decpt > -4 && decpt <= 16 {
		switch {
		case decpt <= 0:
			b = append(b, '0', '.')
			for k := 0; k < -decpt; k++ {
				b = append(b, '0')
			}
			b = append(b, d...)
		case decpt >= nd:
			b = append(b, d...)
			for k := 0; k < decpt-nd; k++ {
				b = append(b, '0')
			}
			b = append(b, '.', '0')
		default:
			b = append(b, d[:decpt]...)
			b = append(b, '.')
			b = append(b, d[decpt:]...)
		}
		return b
	}
	b = append(b, d[0])
	if nd > 1 {
		b = append(b, '.')
		b = append(b, d[1:]...)
	}
	b = append(b, 'e')
	x := decpt - 1
	if x < 0 {
		b = append(b, '-')
		x = -x
	} else {
		b = append(b, '+')
	}
	if x < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(x), 10)
}

// PyFloat is AppendPyFloat as a string.
func PyFloat(f float64) string { return string(AppendPyFloat(nil, f)) }
