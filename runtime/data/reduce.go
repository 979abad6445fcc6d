package data

import (
	"math"
	"slices"
)

// pairwiseBlock is numpy's PW_BLOCKSIZE.
const pairwiseBlock = 128

// PairwiseSum is numpy's pairwise summation of float64 values (the algorithm behind
// ndarray.sum and therefore pandas' sum and mean): blocks of up to 128 elements are summed
// with eight interleaved accumulators, larger ranges are split in halves. NaN propagates;
// callers that skip NaN pass the values with NaN replaced by 0 (pandas' nansum does so).
func PairwiseSum(a []float64) float64 {
	n := len(a)
	switch {
	case n < 8:
		var res float64
		for _, v := range a {
			res += v
		}
		return res
	case n <= pairwiseBlock:
		var r [8]float64
		copy(r[:], a[:8])
		i := 8
		for ; i < n-(n%8); i += 8 {
			r[0] += a[i]
			r[1] += a[i+1]
			r[2] += a[i+2]
			r[3] += a[i+3]
			r[4] += a[i+4]
			r[5] += a[i+5]
			r[6] += a[i+6]
			r[7] += a[i+7]
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	}
	n2 := n / 2
	n2 -= n2 % 8
	return PairwiseSum(a[:n2]) + PairwiseSum(a[n2:])
}

// NanSum is pandas' Series.sum() for float64 (skipna, min_count=0): the pairwise sum of
// the values with NaN counted as 0; 0 for an empty or all-NaN input.
func NanSum(a []float64) float64 {
	clean := make([]float64, len(a))
	for i, v := range a {
		if v == v {
			clean[i] = v
		}
	}
	return PairwiseSum(clean)
}

// NanCount is the number of non-NaN values.
func NanCount(a []float64) int {
	n := 0
	for _, v := range a {
		if v == v {
			n++
		}
	}
	return n
}

// NanMean is pandas' Series.mean() (skipna): NanSum / count of non-NaN values; NaN when
// there are none.
func NanMean(a []float64) float64 {
	n := NanCount(a)
	if n == 0 {
		return math.NaN()
	}
	return NanSum(a) / float64(n)
}

// NanMin is pandas' min() (skipna): NaN when every value is NaN.
func NanMin(a []float64) float64 {
	m := math.NaN()
	for _, v := range a {
		if v == v && (m != m || v < m) {
			m = v
		}
	}
	return m
}

// NanMax is pandas' max() (skipna): NaN when every value is NaN.
func NanMax(a []float64) float64 {
	m := math.NaN()
	for _, v := range a {
		if v == v && (m != m || v > m) {
			m = v
		}
	}
	return m
}

// nanClean returns the non-NaN values of a in a new slice.
func nanClean(a []float64) []float64 {
	clean := make([]float64, 0, len(a))
	for _, v := range a {
		if v == v {
			clean = append(clean, v)
		}
	}
	return clean
}

// NanMedian is pandas' Series.median() (skipna): the middle of the sorted non-NaN values,
// or for an even count the mean of the two middle ones computed as numpy does, (a+b)/2
// (so −inf and +inf in the middle give NaN). NaN for an empty or all-NaN input.
func NanMedian(a []float64) float64 {
	clean := nanClean(a)
	n := len(clean)
	if n == 0 {
		return math.NaN()
	}
	slices.Sort(clean)
	if n%2 == 1 {
		return clean[n/2]
	}
	return (clean[n/2-1] + clean[n/2]) / 2
}

// numpyOtherMethods are numpy's quantile methods that pandas passes through but this port
// does not implement.
var numpyOtherMethods = []string{"inverted_cdf", "averaged_inverted_cdf", "closest_observation",
	"interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased", "normal_unbiased"}

// NanQuantile is pandas' Series.quantile(q, interpolation=method) (skipna), which is
// numpy's percentile of the non-NaN values, not gonum's stat.Quantile. With the sorted
// values v[0..n-1] and the virtual index h = (n−1)·q:
//
//	linear:   v[⌊h⌋] + (h−⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋]) (numpy's lerp: from the upper value when the fraction is ≥ 0.5)
//	lower:    v[⌊h⌋]          higher:   v[⌈h⌉]
//	nearest:  v[round(h)], a fraction of exactly .5 rounded half to even (h=0.5 → v[0], h=1.5 → v[2])
//	midpoint: (v[⌊h⌋] + v[⌈h⌉]) / 2, as lerp at 0.5
//
// q passes through pandas' q·100 and numpy's /100 as the reference does. NaN for an empty
// or all-NaN input (whatever the method, as pandas does not reach numpy then); q outside
// [0, 1] (or NaN) is pandas' ValueError; an unknown method is numpy's ValueError.
func NanQuantile(a []float64, q float64, method string) (float64, error) {
	if !(0 <= q && q <= 1) {
		return math.NaN(), ValueError("percentiles should all be in the interval [0, 1]. Try %s instead.", PyFloat(q/100))
	}
	clean := nanClean(a)
	n := len(clean)
	if n == 0 {
		return math.NaN(), nil
	}
	m, perr := ParseQuantileInterpolation(method)
	if perr != nil {
		if slices.Contains(numpyOtherMethods, method) {
			return math.NaN(), NotImplementedError("quantile interpolation %q is not supported", method)
		}
		return math.NaN(), ValueError("%s is not a valid method. Use one of: dict_keys(['inverted_cdf', 'averaged_inverted_cdf', 'closest_observation', 'interpolated_inverted_cdf', 'hazen', 'weibull', 'linear', 'median_unbiased', 'normal_unbiased', 'lower', 'higher', 'midpoint', 'nearest'])", PyRepr(method))
	}
	slices.Sort(clean)
	q = q * 100 / 100
	h := float64(n-1) * q
	switch m {
	case QuantileLower:
		return clean[int(math.Floor(h))], nil
	case QuantileHigher:
		return clean[int(math.Ceil(h))], nil
	case QuantileNearest:
		return clean[int(math.RoundToEven(h))], nil
	}
	gammaFix := func(g float64) float64 { return g }
	if m == QuantileMidpoint {
		h = 0.5 * (math.Floor(h) + math.Ceil(h))
		gammaFix = func(float64) float64 {
			if math.Mod(h, 1) == 0 {
				return 0
			}
			return 0.5
		}
	}
	// numpy's _get_indexes: past the last index both neighbours are the last value, and
	// the "previous index" becomes −1, which enters gamma as such.
	prev, next := math.Floor(h), math.Floor(h)+1
	if h >= float64(n-1) {
		prev, next = -1, -1
	}
	gamma := gammaFix(h - prev)
	at := func(i float64) float64 {
		if i < 0 {
			return clean[n-1]
		}
		return clean[int(i)]
	}
	return lerp(at(prev), at(next), gamma), nil
}

// lerp is numpy's _lerp: a + (b−a)·t, computed from b for t ≥ 0.5 for monotonicity.
func lerp(a, b, t float64) float64 {
	d := b - a
	if t >= 0.5 {
		return b - d*(1-t)
	}
	return a + d*t
}

// NanVar is pandas' Series.var(ddof=ddof) (skipna), pandas' two-pass nanvar (pandas
// without bottleneck, which would sum sequentially):
// Σ(mean − x)² / (count − ddof) over the non-NaN values, both sums pairwise as numpy's.
// ddof=1 is pandas' default (sample variance), ddof=0 numpy's and scikit-learn's
// (population variance). NaN when count ≤ ddof — so one value with ddof=1, and an empty
// or all-NaN input.
func NanVar(a []float64, ddof int) float64 {
	count := NanCount(a)
	if count <= ddof {
		return math.NaN()
	}
	avg := NanSum(a) / float64(count)
	sqr := make([]float64, len(a))
	for i, v := range a {
		if v == v {
			d := avg - v
			sqr[i] = d * d
		}
	}
	return PairwiseSum(sqr) / float64(count-ddof)
}

// NanStd is pandas' Series.std(ddof=ddof): √NanVar(a, ddof), with its NaN rules.
func NanStd(a []float64, ddof int) float64 { return math.Sqrt(NanVar(a, ddof)) }

// NanProd is pandas' Series.prod() (skipna, min_count=0): the left-to-right product of
// the non-NaN values (numpy's multiply.reduce is not pairwise); 1 for an empty or all-NaN
// input.
func NanProd(a []float64) float64 {
	p := 1.0
	for _, v := range a {
		if v == v {
			p *= v
		}
	}
	return p
}

// NanArgMin is pandas' Series.argmin() (skipna): the position of the first smallest
// value, NaN counted as +inf. −1 when every value is NaN (pandas 2.1 returns −1 with a
// FutureWarning; idxmin then yields the index's NA value); an empty input is numpy's
// ValueError.
func NanArgMin(a []float64) (int, error) { return nanArg(a, "argmin", math.Inf(1), -1) }

// NanArgMax is pandas' Series.argmax() (skipna): the position of the first largest value,
// NaN counted as −inf; −1 when every value is NaN; an empty input is numpy's ValueError.
func NanArgMax(a []float64) (int, error) { return nanArg(a, "argmax", math.Inf(-1), 1) }

func nanArg(a []float64, name string, fill float64, sign float64) (int, error) {
	if len(a) == 0 {
		return 0, ValueError("attempt to get %s of an empty sequence", name)
	}
	if NanCount(a) == 0 {
		return -1, nil
	}
	best, bestV := 0, fill
	for i, v := range a {
		if v != v {
			v = fill
		}
		if i == 0 || sign*v > sign*bestV {
			best, bestV = i, v
		}
	}
	return best, nil
}
