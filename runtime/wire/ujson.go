package wire

import (
	"math"
	"strconv"
)

// pandas' read_json decodes numbers with its vendored ujson and, by default
// (precise_float=False), not with a correctly rounded strtod but with ujson's own
// arithmetic: the integer part exactly as an integer, the first 15 fraction digits as an
// integer F, and
//
//	value = (int + F · 10^−k) · sign  [· pow(10, exponent)]
//
// with 10^−k a double constant (0.1, 0.01, …). That is up to an ulp away from the
// nearest double: "-2.788" becomes −2.7880000000000003, so a limit given as a FLOAT
// input ("-2.788", parsed exactly by pydantic) is not ≥ the same number read from a
// series. hetida's results follow these values, so the pandas parsers here do too.

// ujsonFracPow10 is ujson's g_pow10 table: 10^−k as the double literals C reads.
var ujsonFracPow10 = [16]float64{1.0, 0.1, 0.01, 0.001, 0.0001, 0.00001, 0.000001, 0.0000001,
	0.00000001, 0.000000001, 0.0000000001, 0.00000000001, 0.000000000001, 0.0000000000001,
	0.00000000000001, 0.000000000000001}

// ujsonMaxDecimals is JSON_DOUBLE_MAX_DECIMALS: fraction digits after it are skipped.
const ujsonMaxDecimals = 15

// pow10Exact holds C's pow(10, e) for e in [−350, 350] as glibc computes it: the
// correctly rounded 10^e except for the two exponents whose exact value lies halfway
// between two doubles, 23 and 210, where glibc rounds up instead of to even (checked for
// every e against Python's math.pow). math.Pow10 multiplies two table entries and can be
// an ulp off elsewhere.
var pow10Exact = func() (t [701]float64) {
	for e := -350; e <= 350; e++ {
		t[e+350], _ = strconv.ParseFloat("1e"+strconv.Itoa(e), 64)
	}
	t[23+350] = math.Nextafter(t[23+350], math.Inf(1))   // 1.0000000000000001e+23
	t[210+350] = math.Nextafter(t[210+350], math.Inf(1)) // 1.0000000000000001e+210
	return t
}()

// ujsonFloat is the value pandas' ujson gives the JSON number literal lit that has a
// fraction or an exponent (integer literals are exact integers there and are not
// handled here). ok is false for an integer part beyond 64 bits, where ujson fails; the
// callers fall back to exact parsing.
func ujsonFloat(lit []byte) (float64, bool) {
	i := 0
	sign := 1.0
	if i < len(lit) && lit[i] == '-' {
		sign = -1
		i++
	}
	var intValue uint64
	for i < len(lit) && lit[i]-'0' < 10 {
		d := uint64(lit[i] - '0')
		if intValue > (math.MaxUint64-d)/10 {
			return 0, false
		}
		intValue = intValue*10 + d
		i++
	}
	// ujson accumulates the fraction digits in a double; with at most 15 of them it stays
	// an integer below 2^53, so an integer accumulator and one conversion give the same
	var frc uint64
	decimals := 0
	if i < len(lit) && lit[i] == '.' {
		i++
		for i < len(lit) && lit[i]-'0' < 10 {
			if decimals < ujsonMaxDecimals {
				frc = frc*10 + uint64(lit[i]-'0')
				decimals++
			}
			i++
		}
	}
	v := (float64(intValue) + float64(float64(frc)*ujsonFracPow10[decimals])) * sign
	if i < len(lit) && (lit[i] == 'e' || lit[i] == 'E') {
		i++
		expSign := 1.0
		if i < len(lit) && (lit[i] == '+' || lit[i] == '-') {
			if lit[i] == '-' {
				expSign = -1
			}
			i++
		}
		exp := 0.0
		for i < len(lit) && lit[i]-'0' < 10 {
			exp = exp*10 + float64(lit[i]-'0')
			i++
		}
		v *= ujsonPow10(exp * expSign)
	}
	return v, true
}

// ujsonPow10 is C's pow(10, e) for an integral e.
func ujsonPow10(e float64) float64 {
	switch {
	case e > 350:
		return math.Inf(1)
	case e < -350:
		return 0
	}
	return pow10Exact[int(e)+350]
}
