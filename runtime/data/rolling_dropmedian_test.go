package data

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// dropnaThenMedian is the reference: Dropna, then the time window's bounds over the
// dropped index and their median.
func dropnaThenMedian(t *testing.T, s *Series, window int64, minPeriods int) *Series {
	t.Helper()
	ctx := context.Background()
	d, err := s.Dropna(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Rolling{Window: window}.WithMinPeriods(minPeriods).Over(ctx, d.Index)
	if err != nil {
		t.Fatal(err)
	}
	med, err := w.Median(ctx, d.Values.F)
	if err != nil {
		t.Fatal(err)
	}
	return NewSeries(d.Name, d.Index, Floats(med))
}

// The fused pass gives Dropna and the rolling median's labels and medians to the bit (the
// sign of a zero aside):
// short and long series (one piece and pieces on the cores), regular and irregular
// timestamps with ties, runs of NaN, ±Inf, narrow and wide windows (bit masks and
// linked lists), a zero window, min_periods above 1.
func TestDropnaTrailingMedianAgreesWithDropnaMedian(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 40 {
		n := []int{1, 7, 500, 5000, 70_000, 140_000}[round%6]
		ts := make([]int64, n)
		v := make([]float64, n)
		at := int64(1_600_000_000e9)
		nanRate := []int{0, 2, 30, 97}[rng.IntN(4)]
		kinds := rng.IntN(8)
		for i := range n {
			switch rng.IntN(4) {
			case 0:
				at += int64(rng.IntN(3)) * 60e9 // ties
			default:
				at += 60e9
			}
			ts[i] = at
			v[i] = medianValue(rng, rng.IntN(kinds+1)+1) // kind 0 … kinds
			if nanRate > 0 && rng.IntN(nanRate) == 0 {
				v[i] = math.NaN()
			}
		}
		if round%5 == 0 {
			for i := n / 3; i < min(n/3+200, n); i++ {
				v[i] = math.NaN() // a run of NaN
			}
		}
		s := NewSeries("x", Datetimes(ts, UTC), Floats(v))
		window := []int64{0, 60e9, 3600e9, 5 * 3600e9}[rng.IntN(4)]
		minp := []int{1, 1, 3}[rng.IntN(3)]
		got, ok, err := DropnaTrailingMedian(ctx, s, window, minp)
		if err != nil || !ok {
			t.Fatalf("round %d: ok %v, %v", round, ok, err)
		}
		want := dropnaThenMedian(t, s, window, minp)
		if got.Len() != want.Len() || got.Index.Zone != want.Index.Zone || got.Name != want.Name {
			t.Fatalf("round %d: %d rows (zone %v), want %d (%v)", round, got.Len(), got.Index.Zone, want.Len(), want.Index.Zone)
		}
		for i := range want.Len() {
			g, w := got.Values.F[i], want.Values.F[i]
			// −0 and +0 tie: which of them is a window's middle depends on where its
			// blocks start, as between parallelBlockMedian's pieces
			if got.Index.I[i] != want.Index.I[i] || math.Float64bits(g) != math.Float64bits(w) && !(g != g && w != w) && !(g == 0 && w == 0) {
				t.Fatalf("round %d (n %d, window %d): row %d is %d %v, want %d %v", round, n, window, i, got.Index.I[i], g, want.Index.I[i], w)
			}
		}
	}
}

// Inputs the fused pass does not take are left to the general path.
func TestDropnaTrailingMedianDeclines(t *testing.T) {
	ctx := context.Background()
	for name, s := range map[string]*Series{
		"unsorted":                         NewSeries(nil, Datetimes([]int64{2, 1}, UTC), Floats([]float64{1, 2})),
		"NaT":                              NewSeries(nil, Datetimes([]int64{NaT, 1}, UTC), Floats([]float64{1, 2})),
		"far apart":                        NewSeries(nil, Datetimes([]int64{0, math.MaxInt64 - 1, -10, 100}, UTC), Floats([]float64{1, 2, 3, 4})),
		"ints":                             NewSeries(nil, Datetimes([]int64{1, 2}, UTC), Ints([]int64{1, 2})),
		"empty":                            NewSeries(nil, Datetimes(nil, UTC), Floats(nil)),
		"long, swapped at a piece's start": swappedAt(100_000, 4096),
		"long, swapped in a piece":         swappedAt(100_000, 50_001),
	} {
		if _, ok, err := DropnaTrailingMedian(ctx, s, 10, 1); ok || err != nil {
			t.Errorf("%s: ok %v, %v", name, ok, err)
		}
	}
}

// swappedAt is n rows one nanosecond apart with rows i−1 and i swapped.
func swappedAt(n, i int) *Series {
	ts := make([]int64, n)
	for r := range ts {
		ts[r] = int64(r)
	}
	ts[i-1], ts[i] = ts[i], ts[i-1]
	return NewSeries(nil, Datetimes(ts, UTC), Floats(make([]float64, n)))
}
