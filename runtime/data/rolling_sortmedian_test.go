package data

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// The sorted-block median gives the order statistic's medians for every kind of
// monotonic windows: count windows of several widths, time windows over irregular
// timestamps (varying widths, empty windows, windows that leave their predecessor
// behind), with NaN and many ties.
func TestSortedBlockMedianAgreesWithOrderStatistic(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 300 {
		n := rng.IntN(300)
		v := make([]float64, n)
		ts := make([]int64, n)
		var tcur int64
		for i := range v {
			tcur += int64(rng.IntN(20)) // repeated timestamps included
			if rng.IntN(30) == 0 {
				tcur += 500 // gaps longer than the window
			}
			ts[i] = tcur
			switch rng.IntN(6) {
			case 0:
				v[i] = math.NaN()
			case 1, 2:
				v[i] = float64(rng.IntN(4)) // ties
			default:
				v[i] = rng.NormFloat64()
			}
		}
		var w Windows
		if trial%2 == 0 {
			w = FixedWindowBounds(n, rng.IntN(12), trial%4 == 0, Closed(rng.IntN(4)))
		} else {
			var err error
			w, err = VariableWindowBounds(ctx, ts, int64(1+rng.IntN(120)), Closed(rng.IntN(4)), trial%3 == 0)
			if err != nil {
				t.Fatal(err)
			}
		}
		if !w.Monotonic {
			continue
		}
		minp := rng.IntN(3)
		rw := &RollingWindows{Windows: w, MinPeriods: minp}
		got, err := rw.Median(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		want, err := rw.orderStatistic(ctx, v, func(st orderStat, nobs int) float64 {
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
		for i := range got {
			if !(got[i] == want[i] || got[i] != got[i] && want[i] != want[i]) {
				t.Fatalf("trial %d, window %d [%d, %d): %v, want %v", trial, i, w.Start[i], w.End[i], got[i], want[i])
			}
		}
	}
}

// Split into parts on several goroutines, the medians are those of one pass.
func TestParallelBlockMedian(t *testing.T) {
	defer func(old int) { parallelRollingMin = old }(parallelRollingMin)
	parallelRollingMin = 100
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(9, 10))
	n := 1000
	v := make([]float64, n)
	ts := make([]int64, n)
	for i := range v {
		ts[i] = int64(i*10 + rng.IntN(10))
		v[i] = float64(rng.IntN(100))
	}
	w, _ := VariableWindowBounds(ctx, ts, 250, ClosedBoth, false)
	one, _ := sortedBlockMedian(ctx, v, w.Start, w.End, 1)
	parts, err := parallelBlockMedian(ctx, v, w.Start, w.End, 1)
	if err != nil || !sameFloats(one, parts, 0) {
		t.Fatalf("parallel medians differ: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := parallelBlockMedian(cctx, v, w.Start, w.End, 1); err == nil {
		t.Errorf("cancelled: no error")
	}
}
