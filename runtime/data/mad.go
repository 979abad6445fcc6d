package data

import (
	"context"
	"math"
)

// MedianAbsDeviation is numpy's np.median(np.abs(x - np.median(x))) — the median absolute
// deviation without scaling, as hetida's MAD band filter applies it to each raw window:
// NaN when x is empty or holds a NaN (numpy's median propagates NaN), otherwise the
// median of the distances from the median, each median the middle value or, for an even
// count, the mean (a+b)/2 of the two middle ones, as numpy computes them.
//
// scratch is reused for the working copy (x is not modified) and returned, possibly
// grown, so that a caller over many windows allocates once.
func MedianAbsDeviation(x, scratch []float64) (float64, []float64) {
	n := len(x)
	if n == 0 {
		return math.NaN(), scratch
	}
	scratch = append(scratch[:0], x...)
	for _, v := range scratch {
		if v != v {
			return math.NaN(), scratch
		}
	}
	m := madMedianInPlace(scratch)
	for i, v := range x {
		scratch[i] = math.Abs(v - m)
	}
	return madMedianInPlace(scratch), scratch
}

// madMedianInPlace is the median of a (no NaN, n > 0), reordering a.
func madMedianInPlace(a []float64) float64 {
	n := len(a)
	k := n / 2
	hi := selectKth(a, k)
	if n%2 == 1 {
		return hi
	}
	lo := a[0] // after selectKth, a[:k] holds the k smallest values: the largest of them
	for _, v := range a[1:k] {
		lo = max(lo, v)
	}
	return (lo + hi) / 2
}

// selectKth reorders a (no NaN) so that a[k] is the value a sorted copy would hold there
// (selectKthCtx without a context to ask) and returns a[k].
func selectKth(a []float64, k int) float64 {
	_ = selectKthCtx(context.Background(), a, k) // fails only when its context ends
	return a[k]
}
