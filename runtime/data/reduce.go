package data

import "math"

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
