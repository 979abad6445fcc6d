package data

import (
	"math"
	"math/rand/v2"
	"strings"
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

// near reports whether got is want within a relative tolerance tol (NaN equals NaN).
func near(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	if math.IsInf(want, 0) {
		return got == want
	}
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func TestNanMedian(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name string
		in   []float64
		want float64
	}{
		{"odd: middle value", []float64{3, 1, 2}, 2},
		{"even: mean of the two middle values", []float64{4, 1, 3, 2}, 2.5},
		{"NaN skipped: median of 1, 3", []float64{nan, 3, 1, nan}, 2},
		// numpy computes (a+b)/2, so opposite infinities in the middle give NaN
		{"infinities", []float64{math.Inf(-1), math.Inf(1)}, nan},
		{"one value", []float64{7}, 7},
		{"all NaN", []float64{nan, nan}, nan},
		{"empty", nil, nan},
	}
	for _, c := range cases {
		if got := NanMedian(c.in); !near(got, c.want, 0) {
			t.Errorf("%s: NanMedian = %v; want %v", c.name, got, c.want)
		}
	}
}

// Expectations are pandas' Series.quantile(q, interpolation=m) (checked with pandas),
// worked out with numpy's rule: h = (n−1)·q on the sorted values.
func TestNanQuantile(t *testing.T) {
	four := []float64{4, 2, 3, 1} // sorted 1 2 3 4, n−1 = 3
	five := []float64{5, 1, 4, 2, 3}
	qs := []float64{0, 0.1, 0.25, 0.5, 0.75, 0.9, 1}
	cases := []struct {
		in     []float64
		method string
		want   []float64
	}{
		// h = 0, .3, .75, 1.5, 2.25, 2.7, 3 → 1, 1.3, 1.75, 2.5, 3.25, 3.7, 4
		{four, "linear", []float64{1, 1.3, 1.75, 2.5, 3.25, 3.7, 4}},
		{four, "lower", []float64{1, 1, 1, 2, 3, 3, 4}},
		{four, "higher", []float64{1, 2, 2, 3, 4, 4, 4}},
		// round(.3)=0, round(.75)=1, round(1.5)=2 (half to even), round(2.25)=2, round(2.7)=3
		{four, "nearest", []float64{1, 1, 2, 3, 3, 4, 4}},
		// (v[⌊h⌋]+v[⌈h⌉])/2; h integral → that value
		{four, "midpoint", []float64{1, 1.5, 1.5, 2.5, 3.5, 3.5, 4}},
		// n−1 = 4: h = 0, .4, 1, 2, 3, 3.6, 4
		{five, "linear", []float64{1, 1.4, 2, 3, 4, 4.6, 5}},
		{five, "lower", []float64{1, 1, 2, 3, 4, 4, 5}},
		{five, "higher", []float64{1, 2, 2, 3, 4, 5, 5}},
		{five, "nearest", []float64{1, 1, 2, 3, 4, 5, 5}},
		{five, "midpoint", []float64{1, 1.5, 2, 3, 4, 4.5, 5}},
		// NaN skipped: the values 1 2 3
		{[]float64{3, 1, math.NaN(), 2}, "linear", []float64{1, 1.2, 1.5, 2, 2.5, 2.8, 3}},
	}
	for _, c := range cases {
		for k, q := range qs {
			got, err := NanQuantile(c.in, q, c.method)
			if err != nil || !near(got, c.want[k], 1e-15) {
				t.Errorf("NanQuantile(%v, %v, %s) = %v, %v; want %v", c.in, q, c.method, got, err, c.want[k])
			}
		}
	}
	// nearest: h = 0.5, 1.5, 2.5, 3.5 on five values round half to even to 0, 2, 2, 4
	tens := []float64{10, 20, 30, 40, 50}
	for q, want := range map[float64]float64{0.125: 10, 0.375: 30, 0.625: 30, 0.875: 50} {
		if got, _ := NanQuantile(tens, q, "nearest"); got != want {
			t.Errorf("nearest q=%v: %v; want %v", q, got, want)
		}
	}
	// numpy's lerp at the upper end: past the last index both neighbours are the last
	// value, and inf − inf makes it NaN (np.percentile([1, inf], 100) is nan).
	if got, _ := NanQuantile([]float64{1, math.Inf(1)}, 1, "linear"); !math.IsNaN(got) {
		t.Errorf("q=1 of [1, inf] = %v; want NaN as numpy", got)
	}
}

func TestNanQuantileEdges(t *testing.T) {
	for _, in := range [][]float64{nil, {math.NaN(), math.NaN()}} {
		got, err := NanQuantile(in, 0.5, "linear")
		if err != nil || !math.IsNaN(got) {
			t.Errorf("NanQuantile(%v) = %v, %v; want NaN", in, got, err)
		}
		// pandas does not reach numpy for no values, so even a bad method gives NaN
		if got, err := NanQuantile(in, 0.5, "foo"); err != nil || !math.IsNaN(got) {
			t.Errorf("NanQuantile(%v, foo) = %v, %v; want NaN", in, got, err)
		}
	}
	_, err := NanQuantile([]float64{1}, 1.5, "linear")
	if err == nil || err.Error() != "ValueError: percentiles should all be in the interval [0, 1]. Try 0.015 instead." {
		t.Errorf("q=1.5: %v", err)
	}
	_, err = NanQuantile([]float64{1}, 0.5, "foo")
	if err == nil || !strings.HasPrefix(err.Error(), "ValueError: 'foo' is not a valid method. Use one of: dict_keys(['inverted_cdf'") {
		t.Errorf("method foo: %v", err)
	}
	if _, err = NanQuantile([]float64{1}, 0.5, "hazen"); err == nil {
		t.Error("hazen: want NotImplementedError")
	}
}

// Expectations: pandas' var/std (ddof=1 default) and numpy's ddof=0, worked out by hand.
func TestNanVarStd(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name       string
		in         []float64
		var1, var0 float64
	}{
		// mean 2.5, squared deviations 2.25+0.25+0.25+2.25 = 5 → 5/3, 5/4
		{"1..4", []float64{1, 2, 3, 4}, 5.0 / 3, 1.25},
		// NaN skipped: 1 and 4, mean 2.5, deviations 2.25·2 = 4.5 → 4.5/1, 4.5/2
		{"with NaN", []float64{1, nan, 4}, 4.5, 2.25},
		// one value: count ≤ ddof=1 → NaN; population variance 0
		{"one value", []float64{2.5}, nan, 0},
		{"empty", nil, nan, nan},
		{"all NaN", []float64{nan, nan}, nan, nan},
	}
	for _, c := range cases {
		if got := NanVar(c.in, 1); !near(got, c.var1, 1e-15) {
			t.Errorf("%s: NanVar(ddof=1) = %v; want %v", c.name, got, c.var1)
		}
		if got := NanVar(c.in, 0); !near(got, c.var0, 1e-15) {
			t.Errorf("%s: NanVar(ddof=0) = %v; want %v", c.name, got, c.var0)
		}
		if got := NanStd(c.in, 1); !near(got, math.Sqrt(c.var1), 1e-15) {
			t.Errorf("%s: NanStd(ddof=1) = %v; want %v", c.name, got, math.Sqrt(c.var1))
		}
		if got := NanStd(c.in, 0); !near(got, math.Sqrt(c.var0), 1e-15) {
			t.Errorf("%s: NanStd(ddof=0) = %v; want %v", c.name, got, math.Sqrt(c.var0))
		}
	}
	// Bit-exact against pandas' nanops: Series([0.1, 0.2, …, 1.1]).var() is
	// 0.11000000000000001 with compute.use_bottleneck off (pandas without bottleneck, as
	// hetida's pinned requirements have it). With bottleneck installed pandas delegates to
	// bottleneck's sequential sums and prints 0.11000000000000003.
	tenths := []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1}
	if got := NanVar(tenths, 1); got != 0.11000000000000001 {
		t.Errorf("var of tenths = %v; pandas' nanvar gives 0.11000000000000001", got)
	}
}

func TestNanProdAndArg(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name           string
		in             []float64
		prod           float64
		argmin, argmax int
	}{
		// pandas: Series([3, 1, nan, 1, 5, 5]).argmin() 1, argmax() 4 (first occurrences)
		{"ties: first position", []float64{3, 1, nan, 1, 5, 5}, 75, 1, 4},
		// NaN counts as +inf for argmin and −inf for argmax, so with −inf the NaN at 0 wins
		// argmax (pandas gives 0 too)
		{"NaN and -inf", []float64{nan, math.Inf(-1)}, math.Inf(-1), 1, 0},
		{"all NaN", []float64{nan, nan}, 1, -1, -1},
	}
	for _, c := range cases {
		if got := NanProd(c.in); !near(got, c.prod, 0) {
			t.Errorf("%s: NanProd = %v; want %v", c.name, got, c.prod)
		}
		if got, err := NanArgMin(c.in); err != nil || got != c.argmin {
			t.Errorf("%s: NanArgMin = %v, %v; want %v", c.name, got, err, c.argmin)
		}
		if got, err := NanArgMax(c.in); err != nil || got != c.argmax {
			t.Errorf("%s: NanArgMax = %v, %v; want %v", c.name, got, err, c.argmax)
		}
	}
	if got := NanProd(nil); got != 1 {
		t.Errorf("NanProd(empty) = %v; want 1", got)
	}
	if _, err := NanArgMax(nil); err == nil || err.Error() != "ValueError: attempt to get argmax of an empty sequence" {
		t.Errorf("NanArgMax(empty): %v", err)
	}
}
