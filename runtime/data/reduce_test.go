package data

import (
	"math"
	"math/rand/v2"
	"testing"
)

// naivePairwise restates numpy's pairwise_sum (numpy/core/src/umath/loops_utils.h.src)
// as directly as possible, to check PairwiseSum's blocking on inputs of every small size.
func naivePairwise(a []float64) float64 {
	n := len(a)
	if n < 8 {
		res := 0.0
		for _, v := range a {
			res += v
		}
		return res
	}
	if n <= 128 {
		var r [8]float64
		for k := 0; k < 8; k++ {
			r[k] = a[k]
		}
		i := 8
		for ; i < n-n%8; i += 8 {
			for k := 0; k < 8; k++ {
				r[k] += a[i+k]
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += a[i]
		}
		return res
	}
	n2 := n / 2
	n2 -= n2 % 8
	return naivePairwise(a[:n2]) + naivePairwise(a[n2:])
}

func TestPairwiseSum(t *testing.T) {
	cases := []struct {
		name string
		in   []float64
		want float64
	}{
		{"empty", nil, 0},
		{"one", []float64{2.5}, 2.5},
		{"seven", []float64{1, 2, 3, 4, 5, 6, 7}, 28},
		{"eight", []float64{1, 2, 3, 4, 5, 6, 7, 8}, 36},
		// 1e16 + 1 rounds back to 1e16 (spacing 2), so a left-to-right sum of
		// [1e16, 1×8] stays 1e16. Pairwise: ((1e16+1)+(1+1)) + ((1+1)+(1+1)) = 1e16+6,
		// then +1 = 1e16+7, a tie rounded to even: 1e16+8, the exact sum.
		{"pairwise beats sequential", []float64{1e16, 1, 1, 1, 1, 1, 1, 1, 1}, 1e16 + 8},
		{"NaN propagates", []float64{1, math.NaN(), 3}, math.NaN()},
	}
	for _, c := range cases {
		got := PairwiseSum(c.in)
		if got != c.want && !(math.IsNaN(got) && math.IsNaN(c.want)) {
			t.Errorf("%s: PairwiseSum = %v; want %v", c.name, got, c.want)
		}
	}
	seq := 0.0
	for _, v := range []float64{1e16, 1, 1, 1, 1, 1, 1, 1, 1} {
		seq += v
	}
	if seq != 1e16 {
		t.Fatalf("premise: sequential sum = %v, want 1e16", seq)
	}
}

// On small inputs PairwiseSum is bit-identical to numpy's algorithm restated naively, and
// within a relative 1e-13 of a plain left-to-right sum.
func TestPairwiseSumMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for n := 0; n <= 300; n++ {
		a := make([]float64, n)
		plain := 0.0
		for i := range a {
			a[i] = r.NormFloat64() * 100
			plain += a[i]
		}
		got := PairwiseSum(a)
		if want := naivePairwise(a); got != want {
			t.Fatalf("n=%d: PairwiseSum = %v; numpy's algorithm gives %v", n, got, want)
		}
		scale := 0.0
		for _, v := range a {
			scale += math.Abs(v)
		}
		if math.Abs(got-plain) > 1e-13*math.Max(1, scale) {
			t.Fatalf("n=%d: PairwiseSum = %v; sequential sum %v", n, got, plain)
		}
	}
}

func TestNanReductions(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name                string
		in                  []float64
		sum, mean, min, max float64
		count               int
	}{
		{"plain", []float64{1, 2, 3, 4}, 10, 2.5, 1, 4, 4},
		{"with NaN", []float64{nan, 2, nan, 4}, 6, 3, 2, 4, 2},
		{"all NaN", []float64{nan, nan}, 0, nan, nan, nan, 0},
		{"empty", nil, 0, nan, nan, nan, 0},
	}
	same := func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
	for _, c := range cases {
		if got := NanSum(c.in); !same(got, c.sum) {
			t.Errorf("%s: NanSum = %v; want %v", c.name, got, c.sum)
		}
		if got := NanMean(c.in); !same(got, c.mean) {
			t.Errorf("%s: NanMean = %v; want %v", c.name, got, c.mean)
		}
		if got := NanMin(c.in); !same(got, c.min) {
			t.Errorf("%s: NanMin = %v; want %v", c.name, got, c.min)
		}
		if got := NanMax(c.in); !same(got, c.max) {
			t.Errorf("%s: NanMax = %v; want %v", c.name, got, c.max)
		}
		if got := NanCount(c.in); got != c.count {
			t.Errorf("%s: NanCount = %d; want %d", c.name, got, c.count)
		}
	}
}
