package data

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// The expected bounds below were worked out by hand from pandas'
// calculate_variable_window_bounds (pandas/_libs/window/indexers.pyx) on a small integer
// index; the comments give the window each row aggregates.
func TestVariableWindowBounds(t *testing.T) {
	idx := []int64{0, 1, 2, 3, 5}
	dup := []int64{0, 0, 1, 3, 3}
	cases := []struct {
		name       string
		index      []int64
		window     int64
		closed     Closed
		center     bool
		start, end []int
	}{
		// (t−2, t]: {0} {0,1} {1,2} {2,3} {5}
		{"right", idx, 2, ClosedRight, false, []int{0, 0, 1, 2, 4}, []int{1, 2, 3, 4, 5}},
		// [t−2, t): {} {0} {0,1} {1,2} {3}
		{"left", idx, 2, ClosedLeft, false, []int{0, 0, 0, 1, 3}, []int{0, 1, 2, 3, 4}},
		// [t−2, t]: {0} {0,1} {0,1,2} {1,2,3} {3,5}
		{"both", idx, 2, ClosedBoth, false, []int{0, 0, 0, 1, 3}, []int{1, 2, 3, 4, 5}},
		// (t−2, t): {} {0} {1} {2} {}
		{"neither", idx, 2, ClosedNeither, false, []int{0, 0, 1, 2, 4}, []int{0, 1, 2, 3, 4}},
		// Duplicates: a row only sees the rows up to itself, never a later row with the
		// same timestamp (row 3 at t=3 does not include row 4, also at t=3).
		{"right duplicates", dup, 2, ClosedRight, false, []int{0, 0, 0, 3, 3}, []int{1, 2, 3, 4, 5}},
		// centred, even window: (t−1, t+1]: {0,1} {1,2} {2,3} {3} {5}
		{"centred even", idx, 2, ClosedRight, true, []int{0, 1, 2, 3, 4}, []int{2, 3, 4, 4, 5}},
		// centred, odd window: half window 3/2 = 1 in integer arithmetic, both ends
		// closed: [t−1, t+1]: {0,1} {0,1,2} {1,2,3} {2,3} {5} (pandas 1.5 gives these)
		{"centred odd", idx, 3, ClosedRight, true, []int{0, 0, 1, 2, 4}, []int{2, 3, 4, 4, 5}},
	}
	for _, c := range cases {
		w, err := VariableWindowBounds(context.Background(), c.index, c.window, c.closed, c.center)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !slices.Equal(w.Start, c.start) || !slices.Equal(w.End, c.end) {
			t.Errorf("%s: start %v end %v; want start %v end %v", c.name, w.Start, w.End, c.start, c.end)
		}
		if !w.Monotonic {
			t.Errorf("%s: bounds not reported monotonic", c.name)
		}
	}
}

// A centred 10-minute window over 5-minute data stamped to the millisecond
// (2022-01-01T00:20:48.123Z, …) lost or gained the neighbours exactly 5 minutes away: the
// bounds were computed as float64(t) ± 5min, and float64 holds these nanosecond
// timestamps only to 256 ns, so every bound came out 64 ns late — the earlier neighbour
// fell out of left-closed windows, the later one came into right-open ones. pandas
// computes t ± 5min exactly; its bounds (pandas 1.5) are below.
func TestVariableWindowBoundsCentredMilliseconds(t *testing.T) {
	idx := []int64{1640996448123000000, 1640996748123000000, 1640997048123000000,
		1640997348123000000, 1640997648123000000, 1640997948123000000}
	for _, c := range []struct {
		closed     Closed
		start, end []int
	}{
		// [t−5min, t+5min]: both neighbours
		{ClosedBoth, []int{0, 0, 1, 2, 3, 4}, []int{2, 3, 4, 5, 6, 6}},
		// (t−5min, t+5min]: the later neighbour
		{ClosedRight, []int{0, 1, 2, 3, 4, 5}, []int{2, 3, 4, 5, 6, 6}},
		// [t−5min, t+5min): the earlier neighbour
		{ClosedLeft, []int{0, 0, 1, 2, 3, 4}, []int{1, 2, 3, 4, 5, 6}},
		// (t−5min, t+5min): the row alone
		{ClosedNeither, []int{0, 1, 2, 3, 4, 5}, []int{1, 2, 3, 4, 5, 6}},
	} {
		w, err := VariableWindowBounds(context.Background(), idx, 600e9, c.closed, true)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(w.Start, c.start) || !slices.Equal(w.End, c.end) {
			t.Errorf("%v: start %v end %v; want start %v end %v", c.closed, w.Start, w.End, c.start, c.end)
		}
	}
}

func TestVariableWindowBoundsEmptyAndCancelled(t *testing.T) {
	w, err := VariableWindowBounds(context.Background(), nil, 10, ClosedRight, false)
	if err != nil || len(w.Start) != 0 || len(w.End) != 0 || !w.Monotonic {
		t.Fatalf("empty index: %+v, %v", w, err)
	}
	idx := make([]int64, 3*CheckEvery)
	for i := range idx {
		idx[i] = int64(i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := VariableWindowBounds(ctx, idx, 5, ClosedRight, false); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: err = %v; want context.Canceled", err)
	}
	if _, err := RollingSum(ctx, make([]float64, len(idx)), Windows{Start: make([]int, len(idx)), End: make([]int, len(idx)), Monotonic: true}, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("RollingSum with a cancelled context: err = %v; want context.Canceled", err)
	}
}

func sameFloats(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			if math.IsNaN(a[i]) != math.IsNaN(b[i]) {
				return false
			}
			continue
		}
		if math.Abs(a[i]-b[i]) > tol*math.Max(1, math.Abs(b[i])) {
			return false
		}
	}
	return true
}

func TestRollingSum(t *testing.T) {
	nan := math.NaN()
	// right-closed windows of TestVariableWindowBounds: {0} {0,1} {1,2} {2,3} {4}
	right := Windows{Start: []int{0, 0, 1, 2, 4}, End: []int{1, 2, 3, 4, 5}, Monotonic: true}
	vals := []float64{1, nan, 3, 4, nan}
	cases := []struct {
		name string
		w    Windows
		vals []float64
		minP int
		want []float64
	}{
		// NaNs are skipped; a window whose only value is NaN has no observations
		{"min periods 1", right, vals, 1, []float64{1, 1, 3, 7, nan}},
		{"min periods 2", right, vals, 2, []float64{nan, nan, nan, 7, nan}},
		{"min periods 0", right, vals, 0, []float64{1, 1, 3, 7, 0}},
		// left-closed windows start empty: {} {0} {0,1} {1,2} {3}
		{"empty first window", Windows{Start: []int{0, 0, 0, 1, 3}, End: []int{0, 1, 2, 3, 4}, Monotonic: true}, vals, 1, []float64{nan, 1, 1, 3, 4}},
		// Not monotonic: every window is summed from scratch.
		{"non-monotonic", Windows{Start: []int{2, 0, 1}, End: []int{4, 1, 4}}, []float64{1, 2, 3, 4}, 1, []float64{7, 1, 9}},
		// GH#42064: once the big value has left the window, a run of equal values is
		// reported as value × count (exactly 0.2), not the Kahan sum that still carries
		// the rounding residue of 100.3 + 0.1 − 100.3.
		{"equal run after removal", Windows{Start: []int{0, 0, 1, 2}, End: []int{1, 2, 3, 4}, Monotonic: true}, []float64{100.3, 0.1, 0.1, 0.1}, 1, []float64{100.3, 100.39999999999999, 0.2, 0.2}},
	}
	for _, c := range cases {
		got, err := RollingSum(context.Background(), c.vals, c.w, c.minP)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !sameFloats(got, c.want, 0) {
			t.Errorf("%s: got %v; want %v", c.name, got, c.want)
		}
	}
}

// Windows from VariableWindowBounds and RollingSum together give the sums a naive
// per-window recomputation gives, within a relative 1e-12.
func TestRollingSumMatchesNaive(t *testing.T) {
	index := []int64{0, 1, 2, 4, 4, 7, 8, 12, 13, 14, 20, 21, 21, 22, 30}
	vals := []float64{0.5, -1.25, math.NaN(), 3.75, 1e3, -2.5, 0.1, 0.2, math.NaN(), 7, -7, 1.5, 2.25, 0.3, 9}
	for _, closed := range []Closed{ClosedRight, ClosedLeft, ClosedBoth, ClosedNeither} {
		for _, window := range []int64{1, 3, 5, 8} {
			for _, center := range []bool{false, true} {
				w, err := VariableWindowBounds(context.Background(), index, window, closed, center)
				if err != nil {
					t.Fatal(err)
				}
				got, err := RollingSum(context.Background(), vals, w, 1)
				if err != nil {
					t.Fatal(err)
				}
				want := make([]float64, len(vals))
				for i := range vals {
					sum, n := 0.0, 0
					for j := w.Start[i]; j < w.End[i]; j++ {
						if !math.IsNaN(vals[j]) {
							sum += vals[j]
							n++
						}
					}
					if n == 0 {
						sum = math.NaN()
					}
					want[i] = sum
				}
				if !sameFloats(got, want, 1e-12) {
					t.Errorf("closed %d window %d center %t: got %v; want %v", closed, window, center, got, want)
				}
			}
		}
	}
}

// rollingSums keeps kahan's state in locals, two columns per loop: its sums are bit for
// bit those of pandas' loop, for one, two and three columns, monotonic windows (moving
// on, emptying, jumping ahead) and windows summed anew, NaNs, runs of one repeated value
// and every min_periods.
func TestRollingSumsMatchKahanLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	// pandas' roll_sum with add_sum/remove_sum as it reads, written out here so that the
	// reference shares no code with what it checks
	reference := func(w Windows, minPeriods int, values []float64) []float64 {
		out := make([]float64, len(w.Start))
		var nobs, same int
		var sum, compAdd, compRemove, prev float64
		add := func(v float64) {
			if v != v {
				return
			}
			nobs++
			y := v - compAdd
			t := sum + y
			compAdd = t - sum - y
			sum = t
			if v == prev {
				same++
			} else {
				same = 1
			}
			prev = v
		}
		remove := func(v float64) {
			if v != v {
				return
			}
			nobs--
			y := -v - compRemove
			t := sum + y
			compRemove = t - sum - y
			sum = t
		}
		for i := range w.Start {
			s, e := w.Start[i], w.End[i]
			if i == 0 || !w.Monotonic || s >= w.End[i-1] {
				nobs, same, sum, compAdd, compRemove, prev = 0, 0, 0, 0, 0, math.NaN()
				if s < len(values) {
					prev = values[s]
				}
				for j := s; j < e; j++ {
					add(values[j])
				}
			} else {
				for j := w.Start[i-1]; j < s; j++ {
					remove(values[j])
				}
				for j := w.End[i-1]; j < e; j++ {
					add(values[j])
				}
			}
			switch {
			case nobs == 0 && minPeriods == 0:
				out[i] = 0
			case nobs < minPeriods:
				out[i] = math.NaN()
			case same >= nobs:
				out[i] = prev * float64(nobs)
			default:
				out[i] = sum
			}
		}
		return out
	}
	for trial := range 300 {
		n := 1 + r.IntN(400)
		idx := make([]int64, n)
		var ts int64
		for i := range idx {
			ts += int64(r.IntN(4)) // repeats, gaps
			idx[i] = ts
		}
		var w Windows
		if trial%5 == 4 { // arbitrary windows, summed anew
			w = Windows{Start: make([]int, n), End: make([]int, n)}
			for i := range n {
				w.Start[i] = r.IntN(n)
				w.End[i] = w.Start[i] + r.IntN(n-w.Start[i]+1)
			}
		} else {
			var err error
			w, err = VariableWindowBounds(context.Background(), idx, int64(1+r.IntN(12)), Closed(r.IntN(4)), r.IntN(2) == 0)
			if err != nil {
				t.Fatal(err)
			}
		}
		cols := make([][]float64, 1+trial%3)
		for c := range cols {
			cols[c] = make([]float64, n)
			for i := range cols[c] {
				switch x := r.IntN(10); {
				case x == 0:
					cols[c][i] = math.NaN()
				case x < 4 && i > 0: // runs of one value (GH#42064)
					cols[c][i] = cols[c][i-1]
				default:
					cols[c][i] = r.NormFloat64() * math.Pow(10, float64(r.IntN(12)-4))
				}
			}
		}
		minPeriods := r.IntN(4)
		got, err := RollingSums(context.Background(), w, minPeriods, cols...)
		if err != nil {
			t.Fatal(err)
		}
		for c, values := range cols {
			want := reference(w, minPeriods, values)
			for i := range want {
				if math.Float64bits(got[c][i]) != math.Float64bits(want[i]) {
					t.Fatalf("trial %d, column %d of %d, row %d: %v; pandas' loop gives %v", trial, c, len(cols), i, got[c][i], want[i])
				}
			}
		}
	}
}

// Long series sum their columns on separate goroutines: bit for bit what one pass gives,
// and still cancellable.
func TestRollingSumsInParallelMatchOnePass(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	n := parallelRollingMin + 1000
	idx := make([]int64, n)
	a, b := make([]float64, n), make([]float64, n)
	var ts int64
	for i := range idx {
		ts += int64(1+r.IntN(600)) * 1e9
		idx[i] = ts
		a[i], b[i] = r.NormFloat64()*1e3, r.Float64()
		if r.IntN(50) == 0 {
			a[i] = math.NaN()
		}
	}
	w, err := VariableWindowBounds(context.Background(), idx, 3*3600e9, ClosedRight, false)
	if err != nil {
		t.Fatal(err)
	}
	par, err := RollingSums(context.Background(), w, 1, a, b, a)
	if err != nil {
		t.Fatal(err)
	}
	seq, err := rollingSums(context.Background(), w, 1, [][]float64{a, b, a})
	if err != nil {
		t.Fatal(err)
	}
	for c := range seq {
		for i := range seq[c] {
			if math.Float64bits(par[c][i]) != math.Float64bits(seq[c][i]) {
				t.Fatalf("column %d, row %d: parallel %v, one pass %v", c, i, par[c][i], seq[c][i])
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RollingSums(ctx, w, 1, a, b); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

// The bounds are those of pandas' loop as it reads, and the Monotonic flag, worked out
// while they are computed, is what checking the finished bounds says, for every
// closedness, centred or not, over increasing and decreasing indexes with repeats; and
// bounds computed into used buffers are those computed into fresh ones.
func TestVariableWindowBoundsMonotonicFlag(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 400 {
		n := 1 + rng.IntN(60)
		idx := make([]int64, n)
		var x int64
		for i := range idx {
			x += int64(rng.IntN(4))
			idx[i] = x
		}
		if trial%2 == 1 {
			slices.Reverse(idx)
		}
		window, closed, center := int64(rng.IntN(9)), Closed(rng.IntN(4)), trial%3 == 0
		w, err := VariableWindowBounds(ctx, idx, window, closed, center)
		if err != nil {
			t.Fatal(err)
		}
		if w.Monotonic != monotonicBounds(w.Start, w.End) {
			t.Fatalf("trial %d: Monotonic %v for start %v end %v", trial, w.Monotonic, w.Start, w.End)
		}
		if ws, we := pandasVariableBounds(idx, window, closed, center); !slices.Equal(ws, w.Start) || !slices.Equal(we, w.End) {
			t.Fatalf("trial %d (window %d, %v, centred %v) over %v: start %v end %v, pandas' loop gives %v %v", trial, window, closed, center, idx, w.Start, w.End, ws, we)
		}
		used := make([]int, n)
		for i := range used {
			used[i] = -7
		}
		again, err := variableWindowBounds(ctx, idx, window, closed, center, false, used, slices.Clone(used))
		if err != nil || !slices.Equal(again.Start, w.Start) || !slices.Equal(again.End, w.End) || again.Monotonic != w.Monotonic {
			t.Fatalf("trial %d: into used buffers %+v, fresh %+v", trial, again, w)
		}
	}
}

// pandasVariableBounds is calculate_variable_window_bounds line by line, as
// VariableWindowBounds had it before its trailing windows got a loop of their own.
func pandasVariableBounds(index []int64, window int64, closed Closed, center bool) (start, end []int) {
	n := len(index)
	start, end = make([]int, n), make([]int, n)
	rightClosed := closed == ClosedRight || closed == ClosedBoth
	leftClosed := closed == ClosedLeft || closed == ClosedBoth
	if center && window%2 == 1 {
		rightClosed, leftClosed = true, true
	}
	sign := int64(1)
	if index[n-1] < index[0] {
		sign = -1
	}
	if rightClosed {
		end[0] = 1
	}
	half := sign * window / 2
	if center {
		endBound := index[0] + half
		for j := 0; j < n; j++ {
			d := (index[j] - endBound) * sign
			if d < 0 || d == 0 && rightClosed {
				end[0] = j + 1
			} else {
				end[0] = j
				break
			}
		}
	}
	for i := 1; i < n; i++ {
		var startBound, endBound int64
		if center {
			endBound, startBound = index[i]+half, index[i]-half
		} else {
			endBound, startBound = index[i], index[i]-sign*window
		}
		if leftClosed {
			startBound -= sign
		}
		start[i] = i
		for j := start[i-1]; j < i; j++ {
			if (index[j]-startBound)*sign > 0 {
				start[i] = j
				break
			}
		}
		switch {
		case center:
			for j := end[i-1]; j <= n; j++ {
				if j == n {
					end[i] = j
				} else if (index[j]-endBound)*sign == 0 && rightClosed {
					end[i] = j + 1
				} else if (index[j]-endBound)*sign >= 0 {
					end[i] = j
					break
				}
			}
		case (index[end[i-1]]-endBound)*sign <= 0:
			end[i] = i + 1
		default:
			end[i] = end[i-1]
		}
		if !rightClosed && !center {
			end[i]--
		}
	}
	return start, end
}

// Trailing windows of a sorted index by the tighter loop are those of pandas' loop, also
// inside runs of repeated timestamps and gaps wider than the window, for every
// closedness, increasing or decreasing, window zero or negative; indexes near the ends
// of int64 keep to pandas' loop.
func TestTrailingBoundsSorted(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 300 {
		n := 16 + rng.IntN(200)
		idx := make([]int64, n)
		x := int64(rng.IntN(1000)) - 500
		if trial%7 == 0 {
			x = math.MaxInt64 - 10_000 // not splittable
		}
		for i := range idx {
			switch rng.IntN(8) {
			case 0: // repeated
			case 1:
				x += 40 // a gap
			default:
				x += int64(1 + rng.IntN(3))
			}
			idx[i] = x
		}
		if trial%2 == 1 {
			slices.Reverse(idx)
		}
		window, closed := int64(rng.IntN(12)-2), Closed(rng.IntN(4))
		one, err := variableWindowBounds(ctx, idx, window, closed, false, false, make([]int, n), make([]int, n))
		if err != nil {
			t.Fatal(err)
		}
		tight, err := variableWindowBounds(ctx, idx, window, closed, false, true, make([]int, n), make([]int, n))
		if err != nil || !slices.Equal(one.Start, tight.Start) || !slices.Equal(one.End, tight.End) || one.Monotonic != tight.Monotonic {
			t.Fatalf("trial %d (window %d, %v) over %v:\npandas' loop %+v\ntight loop   %+v, %v", trial, window, closed, idx, one, tight, err)
		}
	}
	idx := make([]int64, 4*CheckEvery)
	for i := range idx {
		idx[i] = int64(i)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := variableWindowBounds(cctx, idx, 5, ClosedRight, false, true, make([]int, len(idx)), make([]int, len(idx))); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled, sorted: %v", err)
	}
}
