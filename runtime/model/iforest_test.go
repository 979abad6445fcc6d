package model

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
)

func frame(names []any, cols ...[]float64) *data.DataFrame {
	c := make([]data.Column, len(cols))
	for i, v := range cols {
		c[i] = data.Floats(v)
	}
	return data.NewDataFrame(data.Range(len(cols[0])), names, c)
}

func xy(x, y []float64) *data.DataFrame { return frame([]any{"x", "y"}, x, y) }

func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }

func TestAveragePathLength(t *testing.T) {
	// c(n) = 2(ln(n-1) + γ) - 2(n-1)/n, γ = 0.5772156649015329:
	// c(3) = 2(0.6931471806 + 0.5772156649) - 4/3 = 1.2073923576
	// c(4) = 2(1.0986122887 + 0.5772156649) - 6/4 = 1.8516559071
	// c(6) = 2(1.6094379124 + 0.5772156649) - 10/6 = 2.7066404880
	// c(256) = 2(5.5412635452 + 0.5772156649) - 510/256 = 10.2447709201
	cases := []struct {
		n    int
		want float64
	}{{0, 0}, {1, 0}, {2, 1}, {3, 1.2073923576}, {4, 1.8516559071}, {6, 2.7066404880}, {256, 10.2447709201}}
	for _, c := range cases {
		if got := AveragePathLength(c.n); math.Abs(got-c.want) > 1e-10 {
			t.Errorf("c(%d) = %.12g, want %.10f", c.n, got, c.want)
		}
	}
}

// Results that do not depend on the random draws: the reference cases recorded from
// sklearn give them to 10 digits.
func TestIsolationForestDrawIndependent(t *testing.T) {
	ctx := context.Background()
	// Six identical training rows: every tree is a single leaf of 6 rows, so
	// E[h] = c(6) = c(MaxSamples) and the decision function is 0.5 - 2^-1 = 0 for any row
	// (sklearn: 5.55e-17 after rounding).
	same := xy([]float64{1.123, 1.123, 1.123, 1.123, 1.123, 1.123}, []float64{5.786, 5.786, 5.786, 5.786, 5.786, 5.786})
	f, err := FitIsolationForest(ctx, same, 25, seeded(1))
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.DecisionFunction(ctx, xy([]float64{9.142, 1.213}, []float64{3.645, -2.511}))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range d {
		if math.Abs(v) > 1e-12 {
			t.Errorf("constant training: decision %g, want 0", v)
		}
	}
	// Four copies of A = (0.537, 0.713) and two of B = (4.765, 6.176): the root's split
	// always separates A from B (any threshold in [A, B) of either feature), and both
	// sides are leaves of identical rows. Rows on A's side in both features have
	// h = 1 + c(4), on B's side h = 1 + c(2) = 2, so the decision function is
	// 0.5 - 2^-((1 + c(4))/c(6)) = 0.0182280324 and 0.5 - 2^-(2/c(6)) = -0.0991863224.
	clusters := xy([]float64{0.537, 0.537, 0.537, 0.537, 4.765, 4.765}, []float64{0.713, 0.713, 0.713, 0.713, 6.176, 6.176})
	for seed := range uint64(5) {
		f, err := FitIsolationForest(ctx, clusters, 40, seeded(seed))
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.DecisionFunction(ctx, xy([]float64{0.537, -0.463, 4.765, 6.765, 0.537}, []float64{0.713, 0.213, 6.176, 6.176, -2.287}))
		if err != nil {
			t.Fatal(err)
		}
		want := []float64{0.0182280324, 0.0182280324, -0.0991863224, -0.0991863224, 0.0182280324}
		for i := range want {
			if math.Abs(d[i]-want[i]) > 1e-10 {
				t.Errorf("seed %d: clusters row %d: %.12g, want %.10f", seed, i, d[i], want[i])
			}
		}
	}
	// One training row: c(1) = 0, sklearn sets the exponent to -1: score -0.5, decision 0.
	f, err = FitIsolationForest(ctx, xy([]float64{1}, []float64{2}), 3, seeded(1))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := f.DecisionFunction(ctx, xy([]float64{1, 50}, []float64{2, 50})); d[0] != 0 || d[1] != 0 {
		t.Errorf("one training row: %v, want [0 0]", d)
	}
}

// plantedOutliers is n points on a unit disc around (5, 5) plus 5 far away points.
func plantedOutliers(n int) (*data.DataFrame, []int) {
	rng := seeded(42)
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		r, a := math.Sqrt(rng.Float64()), 2*math.Pi*rng.Float64()
		x[i], y[i] = 5+r*math.Cos(a), 5+r*math.Sin(a)
	}
	far := [][2]float64{{20, 20}, {-10, 5}, {5, -12}, {15, -3}, {-6, -6}}
	var at []int
	for i, p := range far {
		j := (i*n)/len(far) + 7
		x[j], y[j] = p[0], p[1]
		at = append(at, j)
	}
	return xy(x, y), at
}

func TestIsolationForestProperties(t *testing.T) {
	ctx := context.Background()
	train, outliers := plantedOutliers(1000)
	f, err := FitIsolationForest(ctx, train, 100, seeded(7))
	if err != nil {
		t.Fatal(err)
	}
	if f.MaxSamples != 256 {
		t.Errorf("MaxSamples = %d, want min(256, 1000)", f.MaxSamples)
	}
	s, err := f.ScoreSamples(ctx, train)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := f.DecisionFunction(ctx, train)
	for i := range s {
		// 2^-x for x > 0 lies in (0, 1): score_samples in [-1, 0), decision in [-0.5, 0.5)
		if !(s[i] >= -1 && s[i] < 0) || math.Abs(d[i]-(s[i]+0.5)) > 1e-15 {
			t.Fatalf("row %d: score %g, decision %g out of range", i, s[i], d[i])
		}
	}
	// the planted outliers are the five lowest decision values, all negative
	order := make([]int, len(d))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(d[a], d[b]) })
	lowest := slices.Clone(order[:5])
	slices.Sort(lowest)
	if !slices.Equal(lowest, outliers) {
		t.Errorf("lowest five rows %v, want the planted outliers %v", lowest, outliers)
	}
	for _, i := range outliers {
		if d[i] >= 0 {
			t.Errorf("outlier row %d has decision %g, want < 0", i, d[i])
		}
	}
	p, err := f.Predict(ctx, train)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range p[0].I {
		if want := map[bool]int64{true: -1, false: 1}[d[i] < 0]; v != want {
			t.Fatalf("predict row %d = %d with decision %g", i, v, d[i])
		}
	}
	// same seed, same forest; another seed, other trees
	g, _ := FitIsolationForest(ctx, train, 100, seeded(7))
	d2, _ := g.DecisionFunction(ctx, train)
	if !slices.Equal(d, d2) {
		t.Error("same seed gave different decision values")
	}
	h, _ := FitIsolationForest(ctx, train, 100, seeded(8))
	if d3, _ := h.DecisionFunction(ctx, train); slices.Equal(d, d3) {
		t.Error("another seed gave identical decision values")
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestIsolationForestErrors(t *testing.T) {
	ctx := context.Background()
	train := xy([]float64{1, 2, 3}, []float64{3, 1, 2})
	fitted, err := FitIsolationForest(ctx, train, 5, seeded(1))
	if err != nil {
		t.Fatal(err)
	}
	// messages as sklearn 1.2 words them (checked with Debian's python3-sklearn)
	cases := []struct {
		name  string
		fit   bool
		n     int64
		x     any
		typ   string
		start string
	}{
		{"no trees", true, 0, train, "InvalidParameterError", "The 'n_estimators' parameter of IsolationForest must be an int in the range [1, inf). Got 0 instead."},
		{"too many trees", true, MaxEstimators + 1, train, "MemoryError", "n_estimators=10001"},
		{"empty", true, 5, xy(nil, nil), "ValueError", "Found array with 0 sample(s) (shape=(0, 2)) while a minimum of 1 is required by IsolationForest."},
		{"NaN", true, 5, xy([]float64{1, math.NaN()}, []float64{1, 2}), "ValueError", "Input X contains NaN.\nIsolationForest does not accept missing values"},
		{"beyond float32", true, 5, xy([]float64{1, 1e39}, []float64{1, 2}), "ValueError", "Input X contains infinity or a value too large for dtype('float32')."},
		{"strings", true, 5, data.NewDataFrame(data.Range(2), []any{"x"}, []data.Column{data.Objects([]any{"1.5", "a"})}), "ValueError", "could not convert string to float: 'a'"},
		{"mixed names", true, 5, frame([]any{"x", int64(0)}, []float64{1}, []float64{2}), "TypeError", "Feature names are only supported if all input features have string names, but your input has ['int', 'str'] as feature name"},
		{"series", true, 5, data.FloatSeries(nil, data.Range(3), []float64{1, 2, 3}), "ValueError", "Expected 2D array, got 1D array instead:\narray=[1. 2. 3.].\n"},
		{"dict", true, 5, data.NewDict(0), "ValueError", "Expected 2D array, got scalar array instead:\narray={}.\n"},
		{"other names", false, 0, frame([]any{"x", "z"}, []float64{1}, []float64{2}), "ValueError", "The feature names should match those that were passed during fit.\nFeature names unseen at fit time:\n- z\nFeature names seen at fit time, yet now missing:\n- y\n"},
		{"reordered", false, 0, frame([]any{"y", "x"}, []float64{1}, []float64{2}), "ValueError", "The feature names should match those that were passed during fit.\nFeature names must be in the same order as they were in fit.\n"},
		{"list of one feature", false, 0, []any{[]any{1.0}, []any{2.0}}, "ValueError", "X has 1 features, but IsolationForest is expecting 2 features as input."},
		{"ragged list", false, 0, []any{[]any{1.0}, []any{2.0, 3.0}}, "ValueError", "setting an array element with a sequence."},
		{"empty test", false, 0, xy(nil, nil), "ValueError", "Found array with 0 sample(s) (shape=(0, 2)) while a minimum of 1 is required by IsolationForest."},
		{"infinite test", false, 0, xy([]float64{math.Inf(1)}, []float64{1}), "ValueError", "Input X contains infinity or a value too large for dtype('float64')."},
	}
	for _, c := range cases {
		if c.fit {
			_, err = FitIsolationForest(ctx, c.x, c.n, seeded(1))
		} else {
			_, err = fitted.DecisionFunction(ctx, c.x)
		}
		var de *data.Error
		if !errors.As(err, &de) || de.Type != c.typ || !strings.HasPrefix(de.Message, c.start) {
			t.Errorf("%s: %v, want %s: %q…", c.name, err, c.typ, c.start)
		}
	}
	// integer column names are no feature names: any frame of two columns fits
	if _, err := fitted.DecisionFunction(ctx, frame([]any{int64(0), int64(1)}, []float64{1}, []float64{2})); err != nil {
		t.Errorf("unnamed columns: %v", err)
	}
	// the fitted forest cannot be written as JSON, as in hetida
	if _, err := fitted.AppendJSON(nil); err == nil || !strings.Contains(err.Error(), "vars() argument must have __dict__ attribute") {
		t.Errorf("AppendJSON: %v", err)
	}
}

func TestIsolationForestCancelled(t *testing.T) {
	train, _ := plantedOutliers(20_000)
	f, err := FitIsolationForest(context.Background(), train, 10, seeded(1))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.DecisionFunction(ctx, train); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled scoring: %v", err)
	}
	if _, err := FitIsolationForest(ctx, train, 10, seeded(1)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled fit: %v", err)
	}
}

// BenchmarkIsolationForest fits 100 trees on 10k rows × 2 columns and scores the rows.
func BenchmarkIsolationForest(b *testing.B) {
	train, _ := plantedOutliers(10_000)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		f, err := FitIsolationForest(ctx, train, 100, seeded(1))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.DecisionFunction(ctx, train); err != nil {
			b.Fatal(err)
		}
	}
}
