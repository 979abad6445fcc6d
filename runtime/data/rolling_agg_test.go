package data

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// aggregate runs the aggregation called name over w; names are those of the tables below.
func rollAggregate(ctx context.Context, w *RollingWindows, name string, v []float64) ([]float64, error) {
	switch name {
	case "sum":
		return w.Sum(ctx, v)
	case "mean":
		return w.Mean(ctx, v)
	case "var":
		return w.Var(ctx, v, 1)
	case "var0":
		return w.Var(ctx, v, 0)
	case "std":
		return w.Std(ctx, v, 1)
	case "min":
		return w.Min(ctx, v)
	case "max":
		return w.Max(ctx, v)
	case "count":
		return w.Count(ctx, v)
	case "median":
		return w.Median(ctx, v)
	case "q25":
		return w.Quantile(ctx, v, 0.25, QuantileLinear)
	case "last":
		return w.Apply(ctx, v, func(x []float64) float64 {
			if len(x) == 0 {
				return -1
			}
			return x[len(x)-1]
		})
	}
	panic(name)
}

// sameBits compares exactly, any NaN equal to any NaN.
func rollSameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool {
		return math.Float64bits(x) == math.Float64bits(y) || x != x && y != y
	})
}

// One series through every closedness, centring and min_periods, by hand: index minutes
// 0 1 2 3 5 10, values 1 NaN 3 4 6 2, window 3min. The NaN is skipped, the gap between
// minutes 5 and 10 is longer than the window, and left/neither windows of the first row
// are empty. Every row was checked against pandas 1.5; where pandas' online variance
// differs from the exact value the comment says so.
func TestRollingTimeWindowByHand(t *testing.T) {
	nan := math.NaN()
	ctx := context.Background()
	idx := rollMinutes(0, 1, 2, 3, 5, 10)
	vals := []float64{1, nan, 3, 4, 6, 2}
	s2 := math.Sqrt2
	cases := []struct {
		name   string
		r      Rolling
		agg    string
		want   []float64
		relTol float64
	}{
		// right (t−3, t]: {1} {1,NaN} {1,NaN,3} {NaN,3,4} {4,6} {2}
		{"right", Rolling{}, "sum", []float64{1, 1, 4, 7, 10, 2}, 0},
		{"right", Rolling{}, "mean", []float64{1, 1, 2, 3.5, 5, 2}, 0},
		{"right", Rolling{}, "min", []float64{1, 1, 1, 3, 4, 2}, 0},
		{"right", Rolling{}, "max", []float64{1, 1, 3, 4, 6, 2}, 0},
		{"right", Rolling{}, "count", []float64{1, 1, 2, 2, 2, 1}, 0},
		{"right", Rolling{}, "median", []float64{1, 1, 2, 3.5, 5, 2}, 0},
		// sample variance: one value → NaN; {1,3}: 2; {3,4}: 0.5; {4,6}: 2
		{"right", Rolling{}, "var", []float64{nan, nan, 2, 0.5, 2, nan}, 0},
		// population variance: one value → 0
		{"right", Rolling{}, "var0", []float64{0, 0, 1, 0.25, 1, 0}, 0},
		{"right", Rolling{}, "std", []float64{nan, nan, s2, math.Sqrt(0.5), s2, nan}, 1e-15},
		// 25 % of {1,3}: 1 + 2·0.25; of {3,4}: 3.25; of {4,6}: 4.5
		{"right", Rolling{}, "q25", []float64{1, 1, 1.5, 3.25, 4.5, 2}, 0},
		// apply sees the raw window, NaN included: row 1 ends with the NaN
		{"right", Rolling{}, "last", []float64{1, nan, 3, 4, 6, 2}, 0},
		// left [t−3, t): {} {1} {1,NaN} {1,NaN,3} {3,4} {} — empty windows are NaN
		{"left", Rolling{Closed: ClosedLeft}, "sum", []float64{nan, 1, 1, 4, 7, nan}, 0},
		{"left", Rolling{Closed: ClosedLeft}, "median", []float64{nan, 1, 1, 2, 3.5, nan}, 0},
		{"left", Rolling{Closed: ClosedLeft}, "count", []float64{nan, 1, 1, 2, 2, nan}, 0},
		// both [t−3, t]: {1} {1,NaN} {1,NaN,3} {1,NaN,3,4} {3,4,6} {2}
		{"both", Rolling{Closed: ClosedBoth}, "sum", []float64{1, 1, 4, 8, 13, 2}, 0},
		{"both", Rolling{Closed: ClosedBoth}, "median", []float64{1, 1, 2, 3, 4, 2}, 0},
		// var of {3,4,6} is 7/3 = 2.3333333333333335; pandas' online update, having
		// added 1 and removed it again, gives 2.3333333333333344 — reproduced exactly
		{"both", Rolling{Closed: ClosedBoth}, "var", []float64{nan, nan, 2, 2.3333333333333335, 2.3333333333333344, nan}, 0},
		// neither (t−3, t): {} {1} {1,NaN} {NaN,3} {4} {}
		{"neither", Rolling{Closed: ClosedNeither}, "sum", []float64{nan, 1, 1, 3, 4, nan}, 0},
		{"neither", Rolling{Closed: ClosedNeither}, "max", []float64{nan, 1, 1, 3, 4, nan}, 0},
		// centred (t−1.5min, t+1.5min]: {1,NaN} {1,NaN,3} {NaN,3,4} {3,4} {6} {2}
		{"center", Rolling{Center: true}, "sum", []float64{1, 4, 7, 7, 6, 2}, 0},
		{"center", Rolling{Center: true}, "median", []float64{1, 2, 3.5, 3.5, 6, 2}, 0},
		// min_periods 2 counts non-NaN values: rows 0, 1 and 5 have one
		{"min_periods 2", Rolling{}.WithMinPeriods(2), "sum", []float64{nan, nan, 4, 7, 10, nan}, 0},
		{"min_periods 2", Rolling{}.WithMinPeriods(2), "median", []float64{nan, nan, 2, 3.5, 5, nan}, 0},
		// min_periods 0: an empty window sums to 0 and counts 0; mean, median, max stay NaN
		{"min_periods 0", Rolling{Closed: ClosedLeft}.WithMinPeriods(0), "sum", []float64{0, 1, 1, 4, 7, 0}, 0},
		{"min_periods 0", Rolling{Closed: ClosedLeft}.WithMinPeriods(0), "count", []float64{0, 1, 1, 2, 2, 0}, 0},
		{"min_periods 0", Rolling{Closed: ClosedLeft}.WithMinPeriods(0), "mean", []float64{nan, 1, 1, 2, 3.5, nan}, 0},
		{"min_periods 0", Rolling{Closed: ClosedLeft}.WithMinPeriods(0), "median", []float64{nan, 1, 1, 2, 3.5, nan}, 0},
		{"min_periods 0", Rolling{Closed: ClosedLeft}.WithMinPeriods(0), "max", []float64{nan, 1, 1, 3, 4, nan}, 0},
		// ... and apply is called on the empty windows
		{"min_periods 0", Rolling{Closed: ClosedLeft}.WithMinPeriods(0), "last", []float64{-1, 1, nan, 3, 4, -1}, 0},
	}
	for _, c := range cases {
		r, err := c.r.WithOffset(idx, "3min")
		if err != nil {
			t.Fatal(err)
		}
		w, err := r.Over(ctx, idx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := rollAggregate(ctx, w, c.agg, vals)
		if err != nil {
			t.Fatalf("%s %s: %v", c.name, c.agg, err)
		}
		if !sameFloats(got, c.want, c.relTol) {
			t.Errorf("%s %s: got %v; want %v", c.name, c.agg, got, c.want)
		}
	}
}

// Count windows by hand over 1 NaN 3 4 6 2 (pandas' rolling(n)), checked against
// pandas 1.5.
func TestRollingCountWindowByHand(t *testing.T) {
	nan := math.NaN()
	ctx := context.Background()
	vals := []float64{1, nan, 3, 4, 6, 2}
	cases := []struct {
		name string
		r    Rolling
		agg  string
		want []float64
	}{
		// rolling(3): min_periods defaults to 3 non-NaN values, which the windows
		// holding the NaN (rows 1–3) do not have
		{"trailing 3", Rolling{Window: 3, Count: true}, "sum", []float64{nan, nan, nan, nan, 13, 12}},
		{"trailing 3", Rolling{Window: 3, Count: true}, "mean", []float64{nan, nan, nan, nan, 13.0 / 3, 4}},
		// centred odd width 3: rows [i−1, i+1]
		{"centred 3", Rolling{Window: 3, Count: true, Center: true}.WithMinPeriods(1), "mean", []float64{1, 2, 3.5, 13.0 / 3, 4, 4}},
		// centred even width 4 (Resample Numeric Index's rolling(d, min_periods=1,
		// center=True)): rows [i−2, i+1]: {1,NaN} {1,NaN,3} {1,NaN,3,4} {NaN,3,4,6}
		// {3,4,6,2} {4,6,2}
		{"centred 4", Rolling{Window: 4, Count: true, Center: true}.WithMinPeriods(1), "mean", []float64{1, 2, 8.0 / 3, 13.0 / 3, 3.75, 4}},
		// longer than the series: an expanding sum
		{"longer", Rolling{Window: 10, Count: true}.WithMinPeriods(1), "sum", []float64{1, 1, 4, 8, 14, 16}},
		// count's min_periods compares with the rows in the window (3 from row 2 on),
		// not with the count
		{"count", Rolling{Window: 3, Count: true}, "count", []float64{nan, nan, 2, 2, 3, 3}},
		// closed left drops the row itself: [i−3, i−1]; the first window is empty
		{"left", Rolling{Window: 3, Count: true, Closed: ClosedLeft}.WithMinPeriods(1), "max", []float64{nan, 1, 1, 3, 4, 6}},
	}
	for _, c := range cases {
		w, err := c.r.Over(ctx, Range(len(vals)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := rollAggregate(ctx, w, c.agg, vals)
		if err != nil {
			t.Fatal(err)
		}
		if !sameFloats(got, c.want, 1e-15) {
			t.Errorf("%s %s: got %v; want %v", c.name, c.agg, got, c.want)
		}
	}
}

// Variance with ddof: 2 4 4 4 5 5 7 9 has mean 5 and squared deviations summing to 32,
// so the population variance is 32/8 = 4, the sample variance 32/7, ddof 2 gives 32/6;
// ddof ≥ nobs gives NaN. pandas' online result equals the correctly rounded 32/7 here.
func TestRollingVarDdof(t *testing.T) {
	nan := math.NaN()
	ctx := context.Background()
	vals := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	w, err := Rolling{Window: 8, Count: true}.Over(ctx, Range(8))
	if err != nil {
		t.Fatal(err)
	}
	for ddof, want := range map[int]float64{0: 4, 1: 32.0 / 7, 2: 32.0 / 6, 8: nan, 9: nan} {
		got, err := w.Var(ctx, vals, ddof)
		if err != nil {
			t.Fatal(err)
		}
		if last := got[7]; !rollSameBits([]float64{last}, []float64{want}) {
			t.Errorf("ddof %d: %v; want %v", ddof, last, want)
		}
		if slices.ContainsFunc(got[:7], func(v float64) bool { return v == v }) {
			t.Errorf("ddof %d: windows with fewer than 8 rows should be NaN: %v", ddof, got)
		}
	}
}

// Runs of one repeated value: pandas reports variance 0, mean the value and sum value ×
// count exactly (GH#42064), although its running sums still hold the residue of the
// 100.3 that left the window. Values from pandas 1.5.
func TestRollingRepeatedValues(t *testing.T) {
	nan := math.NaN()
	ctx := context.Background()
	vals := []float64{100.3, 0.1, 0.1, 0.1}
	w, err := Rolling{Window: 2, Count: true}.Over(ctx, Range(4))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		agg  string
		want []float64
	}{
		{"var", []float64{nan, 5020.0199999999995, 0, 0}},
		{"std", []float64{nan, 70.85209947489206, 0, 0}},
		{"mean", []float64{nan, 50.199999999999996, 0.1, 0.1}},
		{"sum", []float64{nan, 100.39999999999999, 0.2, 0.2}},
	} {
		got, err := rollAggregate(ctx, w, c.agg, vals)
		if err != nil {
			t.Fatal(err)
		}
		if !rollSameBits(got, c.want) {
			t.Errorf("%s: %v; want %v", c.agg, got, c.want)
		}
	}
}

// Sequences on which pandas' online algorithms give other numbers than a naive
// recomputation of each window; the expected values are pandas 1.5's, bit for bit.
func TestRollingPandasExactOnline(t *testing.T) {
	nan := math.NaN()
	ctx := context.Background()
	offset := []float64{1000000000.1, 1000000000.2, 1000000000.3, 1000000000.4, 1000000000.5, 1000000000.6, 1000000000.7}
	cases := []struct {
		name string
		vals []float64
		r    Rolling
		agg  string
		want []float64
	}{
		// Large offset, small variance: the exact sample variance of each window is 0.01;
		// a two-pass numpy var gives 0.009999992847482986 for the first window, pandas'
		// Welford update 0.009999983906752163.
		{"offset var", offset, Rolling{Window: 3, Count: true}, "var",
			[]float64{nan, nan, 0.009999983906752163, 0.009999983906752163, 0.01000000476837215, 0.009999998807906252, 0.01000000476837215}},
		{"offset std", offset, Rolling{Window: 3, Count: true}, "std",
			[]float64{nan, nan, 0.09999991953372844, 0.09999991953372844, 0.10000002384185791, 0.09999999403953108, 0.10000002384185791}},
		// the Kahan mean of the first window is 1000000000.1999999; numpy's mean gives
		// 1000000000.2000002
		{"offset mean", offset, Rolling{Window: 3, Count: true}, "mean",
			[]float64{nan, nan, 1000000000.1999999, 1000000000.3000001, 1000000000.4, 1000000000.5, 1000000000.6}},
		// After huge values leave the window, the running sum of two small positive
		// values is a rounding residue; pandas clamps the mean of all-positive values at
		// 0 where the true means are 0.000587… and 0.000415…
		{"sign clamp", []float64{6062003198.467962, 761169655816932.5, 6993850283796077.0, 0.0006857605893399397, 0.0004894674747650701, 0.00034093708155401395},
			Rolling{Window: 2, Count: true}, "mean", []float64{nan, 380587858910065.5, 3877509969806505.0, 3496925141898038.5, 0, 0}},
	}
	for _, c := range cases {
		w, err := c.r.Over(ctx, Range(len(c.vals)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := rollAggregate(ctx, w, c.agg, c.vals)
		if err != nil {
			t.Fatal(err)
		}
		if !rollSameBits(got, c.want) {
			t.Errorf("%s: %v; want %v", c.name, got, c.want)
		}
	}
}

// The online variance can end below zero: over these 15 values (around 1e6, six
// decimals), pandas 1.5's rolling(2).var() of the last window is −1.439437626168591e-13
// (the two values differ by 1e-6, so the true variance is 5e-13). pandas returns the
// negative variance as it is and std clamps it to 0.
func TestRollingNegativeVariance(t *testing.T) {
	ctx := context.Background()
	var vals []float64
	for _, s := range []string{"999999.999283", "999999.999996", "1000000.000381", "999999.998945", "999999.99809",
		"1000000.00096", "999999.999556", "1000000.000571", "999999.999721", "999999.99899", "1000000.000387",
		"999999.999339", "999999.999544", "999999.998007", "999999.998008"} {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		vals = append(vals, v)
	}
	w, err := Rolling{Window: 2, Count: true}.Over(ctx, Range(len(vals)))
	if err != nil {
		t.Fatal(err)
	}
	v, err := w.Var(ctx, vals, 1)
	if err != nil {
		t.Fatal(err)
	}
	sd, err := w.Std(ctx, vals, 1)
	if err != nil {
		t.Fatal(err)
	}
	if last := v[len(v)-1]; last != -1.439437626168591e-13 {
		t.Errorf("var %v; want -1.439437626168591e-13", last)
	}
	if last := sd[len(sd)-1]; last != 0 || math.Signbit(last) {
		t.Errorf("std %v; want 0", last)
	}
}

// Quantile rules on 1 2 4 8 (the last row of an expanding window; earlier rows hold
// 1, then 1 2, then 1 2 4). q = 0.5 on four values sits at rank 1.5 between 2 and 4;
// q = 0.25 at rank 0.75 between 1 and 2; on 1 2 4, q = 0.25 sits at rank 0.5, where
// nearest rounds half to the even rank 0. Checked against pandas 1.5 and numpy.
func TestRollingQuantileRules(t *testing.T) {
	ctx := context.Background()
	vals := []float64{1, 2, 4, 8}
	w, err := Rolling{Window: 4, Count: true}.WithMinPeriods(1).Over(ctx, Range(4))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		q      float64
		interp QuantileInterpolation
		want   []float64
	}{
		{0.5, QuantileLinear, []float64{1, 1.5, 2, 3}},
		{0.5, QuantileLower, []float64{1, 1, 2, 2}},
		{0.5, QuantileHigher, []float64{1, 2, 2, 4}},
		{0.5, QuantileNearest, []float64{1, 1, 2, 4}}, // rank 1.5 → 2 (even): 4
		{0.5, QuantileMidpoint, []float64{1, 1.5, 2, 3}},
		{0.25, QuantileLinear, []float64{1, 1.25, 1.5, 1.75}},
		{0.25, QuantileLower, []float64{1, 1, 1, 1}},
		{0.25, QuantileHigher, []float64{1, 2, 2, 2}},
		{0.25, QuantileNearest, []float64{1, 1, 1, 2}}, // rank 0.5 → 0 on 1 2 4
		{0.25, QuantileMidpoint, []float64{1, 1.5, 1.5, 1.5}},
		{0, QuantileMidpoint, []float64{1, 1, 1, 1}}, // q 0 and 1 are min and max
		{1, QuantileLower, []float64{1, 2, 4, 8}},
	}
	for _, c := range cases {
		got, err := w.Quantile(ctx, vals, c.q, c.interp)
		if err != nil {
			t.Fatal(err)
		}
		if !rollSameBits(got, c.want) {
			t.Errorf("q %v %v: %v; want %v", c.q, c.interp, got, c.want)
		}
	}
	for _, q := range []float64{1.5, -0.5} {
		_, err := w.Quantile(ctx, vals, q, QuantileLinear)
		if want := "ValueError: quantile value " + PyFloat(q) + " not in [0, 1]"; err == nil || err.Error() != want {
			t.Errorf("q %v: %v; want %s", q, err, want)
		}
	}
	if _, err := ParseQuantileInterpolation("foo"); err == nil || err.Error() != "ValueError: Interpolation 'foo' is not supported" {
		t.Errorf("bad interpolation: %v", err)
	}
	for i := QuantileLinear; i <= QuantileMidpoint; i++ {
		if got, err := ParseQuantileInterpolation(i.String()); got != i || err != nil {
			t.Errorf("%v: %v, %v", i, got, err)
		}
	}
}

// pandas treats ±Inf as NaN in its window functions (_prep_values), except in count,
// which counts them as present; apply sees NaN in their place. From pandas 1.5:
// pd.Series([1, inf, 2, -inf]).rolling(2, min_periods=1).
func TestRollingInfinity(t *testing.T) {
	nan := math.NaN()
	ctx := context.Background()
	vals := []float64{1, math.Inf(1), 2, math.Inf(-1)}
	orig := slices.Clone(vals)
	w, err := Rolling{Window: 2, Count: true}.WithMinPeriods(1).Over(ctx, Range(4))
	if err != nil {
		t.Fatal(err)
	}
	for agg, want := range map[string][]float64{
		"sum":    {1, 1, 2, 2},
		"max":    {1, 1, 2, 2},
		"median": {1, 1, 2, 2},
		"count":  {1, 2, 2, 2},
		"last":   {1, nan, 2, nan},
	} {
		got, err := rollAggregate(ctx, w, agg, vals)
		if err != nil {
			t.Fatal(err)
		}
		if !rollSameBits(got, want) {
			t.Errorf("%s: %v; want %v", agg, got, want)
		}
	}
	if !rollSameBits(vals, orig) {
		t.Errorf("the input was modified: %v", vals)
	}
}

// rollNaive recomputes window [s, e) of v directly: the definitions, not pandas'
// algorithms.
func rollNaive(agg string, v []float64, s, e, minp int) float64 {
	nan := math.NaN()
	e = max(e, s) // reversed bounds: an empty window
	var xs []float64
	for _, x := range v[s:e] {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			xs = append(xs, x)
		}
	}
	n := len(xs)
	switch agg {
	case "count":
		if e-s < minp {
			return nan
		}
		c := 0
		for _, x := range v[s:e] {
			if x == x {
				c++
			}
		}
		return float64(c)
	case "last":
		if n < minp {
			return nan
		}
		if e == s {
			return -1
		}
		if math.IsInf(v[e-1], 0) {
			return nan
		}
		return v[e-1]
	}
	if n < minp {
		return nan
	}
	if agg == "sum" {
		sum := 0.0
		for _, x := range xs {
			sum += x
		}
		return sum
	}
	if n == 0 {
		return nan
	}
	slices.Sort(xs)
	mean := 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= float64(n)
	ssq := 0.0
	for _, x := range xs {
		ssq += (x - mean) * (x - mean)
	}
	switch agg {
	case "mean":
		return mean
	case "var":
		if n < 2 {
			return nan
		}
		return ssq / float64(n-1)
	case "var0":
		return ssq / float64(n)
	case "std":
		if n < 2 {
			return nan
		}
		return math.Sqrt(ssq / float64(n-1))
	case "min":
		return xs[0]
	case "max":
		return xs[n-1]
	case "median":
		if n%2 == 1 {
			return xs[n/2]
		}
		return (xs[n/2-1] + xs[n/2]) / 2
	case "q25":
		pos := 0.25 * float64(n-1)
		i := int(pos)
		if i+1 >= n {
			return xs[i]
		}
		return xs[i] + (xs[i+1]-xs[i])*(pos-float64(i))
	}
	panic(agg)
}

// rollMismatch is the first row where got and want differ by more than 1e-12 relative
// (absolute below 1), or -1. Variances are compared relative to the square of the
// window's largest value, which bounds the rounding of the online update (a variance
// much smaller than the values' squares is the difference of large numbers), and
// standard deviations through their squares likewise.
func rollMismatch(agg string, v []float64, w *RollingWindows, got, want []float64) int {
	for i := range got {
		g, x := got[i], want[i]
		if g != g || x != x {
			if (g != g) != (x != x) {
				return i
			}
			continue
		}
		switch agg {
		case "var", "var0", "std":
			scale := 1.0
			for _, y := range v[w.Start[i]:max(w.Start[i], w.End[i])] {
				if !math.IsInf(y, 0) && y == y {
					scale = max(scale, y*y)
				}
			}
			if agg == "std" {
				g, x = g*g, x*x
			}
			if math.Abs(g-x) > 1e-12*scale {
				return i
			}
		default:
			if math.Abs(g-x) > 1e-12*max(1, math.Abs(x)) {
				return i
			}
		}
	}
	return -1
}

// On random data (NaN and Inf sprinkled in, gaps, duplicate timestamps) every
// aggregation over windows of every kind equals a naive recomputation within 1e-12
// (see rollMismatch), with both order-statistic structures.
func TestRollingMatchesNaive(t *testing.T) {
	nan := math.NaN()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 5))
	aggs := []string{"sum", "mean", "var", "var0", "std", "min", "max", "count", "median", "q25", "last"}
	defer func(m int) { sortedWindowMax = m }(sortedWindowMax)
	for trial := range 300 {
		n := 1 + rng.IntN(120)
		vals := make([]float64, n)
		ts := make([]int64, n)
		var now int64
		for i := range vals {
			vals[i] = rng.NormFloat64() * 10
			switch rng.IntN(12) {
			case 0:
				vals[i] = nan
			case 1:
				vals[i] = math.Inf(1 - 2*rng.IntN(2))
			case 2:
				vals[i] = math.Round(vals[i]) // ties for min, max and median
			}
			now += int64(rng.IntN(4)) * nsPerMinute
			if rng.IntN(30) == 0 {
				now += 60 * nsPerMinute
			}
			ts[i] = now
		}
		r := Rolling{Closed: Closed(rng.IntN(4)), Center: rng.IntN(3) == 0}
		index := Datetimes(ts, Zone{})
		if rng.IntN(2) == 0 {
			r.Count, r.Window, index = true, int64(rng.IntN(12)), Range(n)
		} else {
			r.Window = int64(rng.IntN(20)) * nsPerMinute / 2
		}
		if rng.IntN(2) == 0 {
			r = r.WithMinPeriods(rng.IntN(int(min(r.Window, 3)) + 1))
			if !r.Count {
				r.MinPeriods = rng.IntN(4)
			}
		}
		w, err := r.Over(ctx, index)
		if err != nil {
			t.Fatalf("%+v: %v", r, err)
		}
		sortedWindowMax = []int{0, 2048}[trial%2]
		for _, agg := range aggs {
			got, err := rollAggregate(ctx, w, agg, vals)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]float64, n)
			for i := range want {
				want[i] = rollNaive(agg, vals, w.Start[i], w.End[i], w.MinPeriods)
			}
			if bad := rollMismatch(agg, vals, w, got, want); bad >= 0 {
				t.Logf("row %d: got %v want %v", bad, got[bad], want[bad])
				t.Fatalf("trial %d %+v %s (tree %t):\nvalues %v\nstart %v\nend %v\ngot  %v\nwant %v", trial, r, agg, sortedWindowMax == 0, vals, w.Start, w.End, got, want)
			}
		}
	}
}

// Bounds that move backwards are computed window by window, and reversed bounds are
// empty windows (pandas' zero-width centred windows over duplicate timestamps give them).
func TestRollingIrregularBounds(t *testing.T) {
	nan := math.NaN()
	ctx := context.Background()
	vals := []float64{5, 1, nan, 3}
	w := &RollingWindows{Windows: Windows{Start: []int{2, 0, 1, 3}, End: []int{4, 2, 4, 2}, Monotonic: true}, MinPeriods: 1}
	// windows {NaN,3} {5,1} {1,NaN,3} {} — the Monotonic claim is wrong and ignored
	for agg, want := range map[string][]float64{
		"sum":    {3, 6, 4, nan},
		"mean":   {3, 3, 2, nan},
		"max":    {3, 5, 3, nan},
		"min":    {3, 1, 1, nan},
		"median": {3, 3, 2, nan},
		"var0":   {0, 4, 1, nan},
		"count":  {1, 2, 2, nan}, // an empty window has fewer rows than min_periods
	} {
		got, err := rollAggregate(ctx, w, agg, vals)
		if err != nil {
			t.Fatal(err)
		}
		if !rollSameBits(got, want) {
			t.Errorf("%s: %v; want %v", agg, got, want)
		}
	}
	bad := &RollingWindows{Windows: Windows{Start: []int{0, 0}, End: []int{1, 3}}}
	if _, err := bad.Mean(ctx, []float64{1, 2}); err == nil {
		t.Error("a window past the end: no error")
	}
	if _, err := bad.Mean(ctx, []float64{1}); err == nil {
		t.Error("fewer values than windows: no error")
	}
}

func TestRollingEmptyAndCancelled(t *testing.T) {
	ctx := context.Background()
	w, err := Rolling{Window: 3, Count: true}.Over(ctx, Range(0))
	if err != nil {
		t.Fatal(err)
	}
	for _, agg := range []string{"sum", "mean", "var", "std", "min", "max", "count", "median", "q25", "last"} {
		if got, err := rollAggregate(ctx, w, agg, nil); err != nil || len(got) != 0 {
			t.Errorf("%s of nothing: %v, %v", agg, got, err)
		}
	}
	// pandas computes nothing for an empty series, so an invalid q is no error there
	if _, err := w.Quantile(ctx, nil, 2, QuantileLinear); err != nil {
		t.Errorf("quantile 2 of nothing: %v", err)
	}

	n := 3 * CheckEvery
	vals := make([]float64, n)
	long, err := Rolling{Window: 5, Count: true}.Over(ctx, Range(n))
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, agg := range []string{"sum", "mean", "var", "std", "min", "max", "count", "median", "q25", "last"} {
		if _, err := rollAggregate(cancelled, long, agg, vals); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v", agg, err)
		}
	}
	each := &RollingWindows{Windows: Windows{Start: make([]int, n), End: make([]int, n)}}
	if _, err := each.Max(cancelled, vals); !errors.Is(err, context.Canceled) {
		t.Errorf("window-by-window max with a cancelled context: %v", err)
	}
	if _, err := (Rolling{Window: 60e9}).Over(cancelled, Datetimes(make([]int64, n), Zone{})); !errors.Is(err, context.Canceled) {
		t.Errorf("time bounds with a cancelled context: %v", err)
	}
}

// The incremental aggregations allocate their output and nothing else.
func TestRollingAllocations(t *testing.T) {
	ctx := context.Background()
	vals := make([]float64, 1000)
	for i := range vals {
		vals[i] = float64(i % 17)
	}
	w, err := Rolling{Window: 36, Count: true}.Over(ctx, Range(len(vals)))
	if err != nil {
		t.Fatal(err)
	}
	for _, agg := range []string{"mean", "var", "std", "count"} {
		if a := testing.AllocsPerRun(10, func() { rollAggregate(ctx, w, agg, vals) }); a != 1 {
			t.Errorf("%s: %v allocations; want 1", agg, a)
		}
	}
}
