package data

import "math"

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

// selectKth reorders a (no NaN) so that a[k] is the value a sorted copy would hold there,
// the values before it no larger and those after it no smaller (quickselect with a
// median-of-three pivot, insertion sort for short ranges), and returns a[k].
func selectKth(a []float64, k int) float64 {
	lo, hi := 0, len(a)-1
	for hi-lo > 16 {
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[mid] {
			a[hi], a[mid] = a[mid], a[hi]
		}
		pivot := a[mid]
		i, j := lo, hi
		for i <= j {
			for a[i] < pivot {
				i++
			}
			for a[j] > pivot {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return a[k]
		}
	}
	for i := lo + 1; i <= hi; i++ {
		for j := i; j > lo && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
	return a[k]
}
