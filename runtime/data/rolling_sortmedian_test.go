package data

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// medianByOrderStatistic is the reference: every window's median by the order statistic.
func medianByOrderStatistic(t *testing.T, rw *RollingWindows, v []float64) []float64 {
	t.Helper()
	want, err := rw.orderStatistic(context.Background(), v, func(st orderStat, nobs int) float64 {
		if nobs == 0 {
			return math.NaN()
		}
		if nobs%2 == 1 {
			return st.kth(nobs / 2)
		}
		return (st.kth(nobs/2) + st.kth(nobs/2-1)) / 2
	})
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// medianValue draws values that test the sorts and the cut: ties, ±0, NaN and ±Inf (both
// skipped), outliers far from the rest and spans too small or too large to scale into
// buckets.
func medianValue(rng *rand.Rand, kind int) float64 {
	switch kind {
	case 0:
		return rng.NormFloat64()
	case 1:
		return float64(rng.IntN(4)) // ties
	case 2:
		return []float64{math.Copysign(0, -1), 0}[rng.IntN(2)]
	case 3:
		return math.NaN()
	case 4:
		return math.Inf(1 - 2*rng.IntN(2))
	case 5:
		return []float64{1e300, -1e300, math.MaxFloat64, -math.MaxFloat64}[rng.IntN(4)]
	case 6:
		return float64(rng.IntN(5)) * 5e-324 // subnormals: a span too small to scale
	}
	return 100 + 10*rng.Float64() // spread over a range, as most data
}

// The sorted-block medians — linked lists and bit masks — give the order statistic's
// medians, to the bit the same, for every kind of monotonic windows: count windows of
// several widths, time windows over irregular timestamps (varying widths, empty windows,
// windows that leave their predecessor behind), with NaN, ±Inf, many ties and values
// that defeat the bucket sort.
func TestSortedBlockMedianAgreesWithOrderStatistic(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 8))
	bitTrials := 0
	for trial := range 600 {
		n := rng.IntN(300)
		if trial%5 == 0 {
			n = rng.IntN(1500)
		}
		// most trials mix ordinary values with one or two kinds of special ones
		kinds := []int{7, 7, 0, rng.IntN(8), rng.IntN(8)}
		v := make([]float64, n)
		ts := make([]int64, n)
		var tcur int64
		for i := range v {
			tcur += int64(rng.IntN(20)) // repeated timestamps included
			if rng.IntN(30) == 0 {
				tcur += 500 // gaps longer than the window
			}
			ts[i] = tcur
			v[i] = medianValue(rng, kinds[rng.IntN(len(kinds))])
		}
		var w Windows
		if trial%2 == 0 {
			width := rng.IntN(12)
			if trial%3 == 0 {
				width = rng.IntN(80) // around the masks' 63 rows
			}
			w = FixedWindowBounds(n, width, trial%4 == 0, Closed(rng.IntN(4)))
		} else {
			var err error
			w, err = VariableWindowBounds(ctx, ts, int64(1+rng.IntN(700)), Closed(rng.IntN(4)), trial%3 == 0)
			if err != nil {
				t.Fatal(err)
			}
		}
		if !w.Monotonic {
			continue
		}
		minp := rng.IntN(3)
		if trial%7 == 0 {
			minp = rng.IntN(40) // many windows skipped, the cut left where it is
		}
		rw := &RollingWindows{Windows: w, MinPeriods: minp}
		want := medianByOrderStatistic(t, rw, v)
		got, err := rw.Median(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		lists := make([]float64, n)
		if err := sortedBlockMedian(ctx, v, w.Start, w.End, minp, lists, nil); err != nil {
			t.Fatal(err)
		}
		results := map[string][]float64{"Median": got, "lists": lists}
		widest := 0
		for i, s := range w.Start {
			widest = max(widest, w.End[i]-s)
		}
		if widest <= bitBlockRows {
			masks := make([]float64, n)
			if err := bitBlockMedian(ctx, v, w.Start, w.End, minp, masks, nil); err != nil {
				t.Fatal(err)
			}
			results["masks"] = masks
			bitTrials++
		}
		for name, res := range results {
			for i := range res {
				if !(res[i] == want[i] || res[i] != res[i] && want[i] != want[i]) {
					t.Fatalf("trial %d, %s, window %d [%d, %d): %v, want %v", trial, name, i, w.Start[i], w.End[i], res[i], want[i])
				}
				if math.Float64bits(res[i]) != math.Float64bits(lists[i]) {
					t.Fatalf("trial %d, %s, window %d [%d, %d): %v, the lists give %v", trial, name, i, w.Start[i], w.End[i], res[i], lists[i])
				}
			}
		}
	}
	if bitTrials < 100 {
		t.Errorf("only %d trials with windows of up to 63 rows", bitTrials)
	}
}

// The bucket sort of a bit block orders keys as orderedKey does (−0 below +0) and keeps
// each row with its key, also where it falls back to the quicksort.
func TestBitBlockSortSmall(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	b := newBitBlock()
	for trial := range 2000 {
		m := rng.IntN(bitBlockRows + 1)
		v := make([]float64, m)
		kinds := []int{7, 0, rng.IntN(8)}
		for i := range v {
			for {
				v[i] = medianValue(rng, kinds[rng.IntN(len(kinds))])
				if !math.IsNaN(v[i]) && !math.IsInf(v[i], 0) {
					break
				}
			}
		}
		b.build(v, 0, m)
		seen := make([]bool, m)
		for r, q := range b.pos[:m] {
			p := int(q) - 1
			if p < 0 || p >= m || seen[p] || math.Float64bits(b.val[q]) != math.Float64bits(v[r]) {
				t.Fatalf("trial %d: row %d (%v) at position %d", trial, r, v[r], p)
			}
			seen[p] = true
		}
		sorted := slices.Clone(v)
		slices.SortFunc(sorted, func(x, y float64) int { return cmp.Compare(orderedKey(x), orderedKey(y)) })
		for p := range m {
			if math.Float64bits(sorted[p]) != math.Float64bits(b.val[p+1]) || b.key[p+1] != orderedKey(sorted[p]+0) {
				t.Fatalf("trial %d: position %d holds %v (key %x), want %v", trial, p, b.val[p+1], b.key[p+1], sorted[p])
			}
		}
	}
}

// Cut into pieces taken by several goroutines, which keep their blocks from piece to
// piece, the medians are those of one pass, with lists and with masks, and with NaN.
func TestParallelBlockMedian(t *testing.T) {
	defer func(old, piece int) { parallelRollingMin, blockMedianPiece = old, piece }(parallelRollingMin, blockMedianPiece)
	parallelRollingMin, blockMedianPiece = 100, 37
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(9, 10))
	n := 6000
	v := make([]float64, n)
	ts := make([]int64, n)
	for i := range v {
		ts[i] = int64(i*10 + rng.IntN(10))
		v[i] = float64(rng.IntN(100))
		if rng.IntN(20) == 0 {
			v[i] = math.NaN()
		}
	}
	// blocks of up to 26, 71 and 251 rows: bit masks, lists; about 29, 11 and 3 pieces
	// of eight times the widest window
	for _, window := range []int64{250, 700, 2500} {
		w, _ := VariableWindowBounds(ctx, ts, window, ClosedBoth, false)
		one := make([]float64, n)
		if err := sortedBlockMedian(ctx, v, w.Start, w.End, 1, one, nil); err != nil {
			t.Fatal(err)
		}
		parts, err := parallelBlockMedian(ctx, v, w.Start, w.End, 1)
		if err != nil || !sameFloats(one, parts, 0) {
			t.Fatalf("window %d: parallel medians differ: %v", window, err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := parallelBlockMedian(cctx, v, w.Start, w.End, 1); err == nil {
			t.Errorf("window %d, cancelled: no error", window)
		}
	}
}

// errAfter is a context whose Err is nil for the first n calls and Canceled after.
type errAfter struct {
	context.Context
	n int
}

func (c *errAfter) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}

// Both kernels look at the context while they go, not only when they start: cancelled
// after the first check, a long series stops with the context's error.
func TestBlockMedianCancelledMidway(t *testing.T) {
	n := 50_000
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(i % 17)
	}
	for _, width := range []int{10, 100} { // masks and lists
		w := FixedWindowBounds(n, width, false, ClosedRight)
		out := make([]float64, n)
		if err := blockMedian(&errAfter{Context: context.Background(), n: 1}, v, w.Start, w.End, 1, out, nil); err != context.Canceled {
			t.Errorf("width %d: %v, want context.Canceled", width, err)
		}
	}
}
