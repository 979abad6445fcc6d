package data

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Rows at 0, 10, 20, 30 (units of nanoseconds here); windows of length 10 at edges 10, 20,
// 25 and 40, worked out by hand for each closed side:
//
//	right (e−10, e]: 10 → {10}, 20 → {20}, 25 → {20}, 40 → {}  (30 is on the open left end)
//	left  [e−10, e): 10 → {0}, 20 → {10}, 25 → {20}, 40 → {30}
//	both  [e−10, e]: 10 → {0, 10}, 20 → {10, 20}, 25 → {20}, 40 → {30}
//	neither (e−10, e): 10 → {}, 20 → {}, 25 → {20}, 40 → {}
func TestTimeWindowsAt(t *testing.T) {
	index := []int64{0, 10, 20, 30}
	at := []int64{10, 20, 25, 40}
	tests := []struct {
		closed     Closed
		window     int64
		start, end []int
	}{
		{ClosedRight, 10, []int{1, 2, 2, 4}, []int{2, 3, 3, 4}},
		{ClosedLeft, 10, []int{0, 1, 2, 3}, []int{1, 2, 3, 4}},
		{ClosedBoth, 10, []int{0, 1, 2, 3}, []int{2, 3, 3, 4}},
		{ClosedNeither, 10, []int{1, 2, 2, 4}, []int{1, 2, 3, 4}},
		// a window larger than the series reaches back to the first row
		{ClosedRight, 100, []int{0, 0, 0, 0}, []int{2, 3, 3, 4}},
		// zero length: pandas keeps the row at e itself when the right end is closed
		{ClosedRight, 0, []int{1, 2, 3, 4}, []int{2, 3, 3, 4}},
		{ClosedLeft, 0, []int{1, 2, 3, 4}, []int{1, 2, 3, 4}},
	}
	for _, tc := range tests {
		w, err := TimeWindowsAt(context.Background(), index, at, tc.window, tc.closed)
		if err != nil || !slices.Equal(w.Start, tc.start) || !slices.Equal(w.End, tc.end) || !w.Monotonic {
			t.Errorf("%v w=%d: [%v, %v) %v, want [%v, %v)", tc.closed, tc.window, w.Start, w.End, err, tc.start, tc.end)
		}
	}
	// edges before and after the data
	w, _ := TimeWindowsAt(context.Background(), index, []int64{-50, 100}, 10, ClosedBoth)
	if !slices.Equal(w.Start, []int{0, 4}) || !slices.Equal(w.End, []int{0, 4}) {
		t.Errorf("outside: [%v, %v)", w.Start, w.End)
	}
}

func TestWindowMeansAndMedians(t *testing.T) {
	ctx := context.Background()
	values := []float64{1, math.NaN(), 4, 10, math.Inf(1), 2}
	w := Windows{Start: []int{0, 0, 1, 4, 5, 6}, End: []int{1, 3, 4, 5, 6, 6}, Monotonic: true}
	// [1] → 1; [1 NaN 4] → 2.5 both; [NaN 4 10] → mean 7, median 7; [+Inf] is NaN for
	// rolling → no value; [2] → 2; empty → NaN
	wantMean := []float64{1, 2.5, 7, math.NaN(), 2, math.NaN()}
	wantMedian := []float64{1, 2.5, 7, math.NaN(), 2, math.NaN()}
	m, err := WindowMeans(ctx, values, w)
	if err != nil || !sameFloats(m, wantMean, 0) {
		t.Errorf("means %v, want %v", m, wantMean)
	}
	md, err := WindowMedians(ctx, values, w)
	if err != nil || !sameFloats(md, wantMedian, 0) {
		t.Errorf("medians %v, want %v", md, wantMedian)
	}
	// odd count picks the middle: [4 10 2 ...]; 3 values 1, 4, 10 → median 4, mean 5
	w = Windows{Start: []int{0}, End: []int{4}, Monotonic: true}
	if md, _ = WindowMedians(ctx, values, w); md[0] != 4 {
		t.Errorf("median of 1 4 10 = %v", md[0])
	}
	if m, _ = WindowMeans(ctx, values, w); m[0] != 5 {
		t.Errorf("mean of 1 4 10 = %v", m[0])
	}
	// incremental medians agree with NanMedian of every window, also for wide windows
	// (the rank tree) and with repeated values
	rng := rand.New(rand.NewPCG(3, 4))
	n := 5000
	v := make([]float64, n)
	idx := make([]int64, n)
	for i := range v {
		idx[i] = int64(i) * 7
		v[i] = float64(rng.IntN(50))
		if rng.IntN(10) == 0 {
			v[i] = math.NaN()
		}
	}
	var at []int64
	for e := int64(-100); e < int64(n)*7+100; e += 13 {
		at = append(at, e)
	}
	for _, width := range []int64{5, 70, 20000} {
		w, _ := TimeWindowsAt(ctx, idx, at, width, ClosedLeft)
		got, err := WindowMedians(ctx, v, w)
		if err != nil {
			t.Fatal(err)
		}
		for k := range at {
			if want := NanMedian(v[w.Start[k]:w.End[k]]); !sameFloats([]float64{got[k]}, []float64{want}, 0) {
				t.Fatalf("width %d window %d: %v, want %v", width, k, got[k], want)
			}
		}
	}
}
