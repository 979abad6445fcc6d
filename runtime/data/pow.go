package data

import "math"

// Pow is x ** y as C's pow computes it for CPython and numpy (glibc's pow is correctly
// rounded): the float64 nearest to the exact power. Go's math.Pow is not — it is off by
// an ulp often enough that e ** 2.5 gives 12.182493960703473 where Python prints
// 12.182493960703471, and 8 ** (1/3) gives 1.9999999999999998 instead of 2.0. Special
// values (zeros, infinities, NaN, negative bases, overflow, subnormal results) are
// math.Pow's, which follows C99 for them.
//
// The power is exp(y · log x) evaluated in double-double arithmetic (about 100 bits):
// log x is math.Log(x) corrected by one Newton step through a double-double exp, then
// the product with y and its exp, rounded once to float64. Exponents numpy and CPython
// treat exactly (0, ±1, 0.5, 2) take the direct route.
func Pow(x, y float64) float64 {
	switch y {
	case 0:
		return 1
	case 1:
		return x
	case 2:
		return x * x
	case -1:
		return 1 / x
	case 0.5:
		if x > 0 && !math.IsInf(x, 1) {
			return math.Sqrt(x)
		}
	}
	r := math.Pow(x, y)
	if !(x >= 0x1p-1022) || math.IsInf(x, 0) || math.IsInf(y, 0) || y != y || r == 0 || math.IsInf(r, 0) || r != r || math.Abs(r) < 0x1p-1022 {
		return r
	}
	t := ddMulF(ddLog(x), y)
	if math.Abs(t.hi) > 709 {
		return r // beyond the double-double exp's scaling; math.Pow's value stands
	}
	e := ddExp(t)
	v := e.hi + e.lo
	if v == 0 || math.IsInf(v, 0) || math.Abs(v) < 0x1p-1022 {
		return r
	}
	return v
}

// dd is an unevaluated sum hi + lo with |lo| ≤ ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func quickTwoSum(a, b float64) dd {
	s := a + b
	return dd{s, b - (s - a)}
}

func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func ddAdd(a, b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = quickTwoSum(s.hi, s.lo)
	s.lo += t.lo
	return quickTwoSum(s.hi, s.lo)
}

func ddMul(a, b dd) dd {
	p := twoProd(a.hi, b.hi)
	p.lo += a.hi*b.lo + a.lo*b.hi
	return quickTwoSum(p.hi, p.lo)
}

func ddMulF(a dd, b float64) dd {
	p := twoProd(a.hi, b)
	p.lo += a.lo * b
	return quickTwoSum(p.hi, p.lo)
}

func ddDivF(a dd, b float64) dd {
	q1 := a.hi / b
	p := twoProd(q1, b)
	s := twoSum(a.hi, -p.hi)
	s.lo -= p.lo
	s.lo += a.lo
	q2 := (s.hi + s.lo) / b
	return quickTwoSum(q1, q2)
}

// ln2DD is log(2) to double-double precision.
var ln2DD = dd{0.6931471805599453, 2.3190468138462996e-17}

// ddExp is exp(a) for |a.hi| ≤ 709: a = k·log 2 + r, exp(r/2⁹) by its Taylor series
// (|r/2⁹| < 7·10⁻⁴, so nine terms reach 10⁻³³), squared nine times, scaled by 2^k.
func ddExp(a dd) dd {
	k := math.Round(a.hi / ln2DD.hi)
	r := ddAdd(a, ddMulF(ln2DD, -k))
	s := dd{math.Ldexp(r.hi, -9), math.Ldexp(r.lo, -9)}
	// em1 = exp(s) − 1 = s + s²/2! + … (kept as the difference from 1 for precision)
	em1, term := s, s
	for n := 2.0; n <= 10; n++ {
		term = ddDivF(ddMul(term, s), n)
		em1 = ddAdd(em1, term)
	}
	for range 9 {
		em1 = ddMul(em1, ddAdd(em1, dd{2, 0})) // (1 + e)² − 1 = e·(e + 2)
	}
	e := ddAdd(dd{1, 0}, em1)
	return dd{math.Ldexp(e.hi, int(k)), math.Ldexp(e.lo, int(k))}
}

// ddLog is log(x) for a positive normal x = m·2^e (m in [0.5, 1)): e·log 2 + log m, with
// l = math.Log(m) corrected by one Newton step, l + (m·exp(−l) − 1) (the −u²/2 of
// log(1+u) is below 10⁻³²).
func ddLog(x float64) dd {
	m, e := math.Frexp(x)
	l := math.Log(m)
	u := ddAdd(ddMulF(ddExp(dd{-l, 0}), m), dd{-1, 0})
	return ddAdd(ddAdd(dd{l, 0}, u), ddMulF(ln2DD, float64(e)))
}
