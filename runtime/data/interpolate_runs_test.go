package data

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// linearRuns must give, bit for bit, what the general path gives: np.interp over all
// missing positions, then preserve_nans by direction. Random series (runs of NaN at the
// start, inside and at the end, irregular x, integer and float x) for every direction.
func TestLinearRunsMatchesGeneralPath(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 400 {
		n := 1 + rng.IntN(40)
		y := make([]float64, n)
		xi := make([]int64, n)
		xf := make([]float64, n)
		var at int64
		for i := range y {
			at += 1 + rng.Int64N(1e12)
			xi[i] = at
			xf[i] = float64(at)/1e9 + rng.Float64()
			if i > 0 && xf[i] <= xf[i-1] {
				xf[i] = xf[i-1] + 1
			}
			y[i] = rng.NormFloat64() * 100
			if rng.IntN(3) == 0 {
				y[i] = math.NaN()
			}
		}
		for _, c := range []struct {
			method string
			index  Column
			x      func(i int) float64
		}{
			{"linear", Ints(xi), func(i int) float64 { return float64(i) }},
			{"index", Datetimes(xi, UTC), func(i int) float64 { return float64(xi[i]) }},
			{"values", Floats(xf), func(i int) float64 { return xf[i] }},
		} {
			for _, dir := range []string{"forward", "backward", "both"} {
				got, ok, err := linearRuns(ctx, c.index, y, nil, false, c.method, dir)
				inPlace := append([]float64(nil), y...)
				if again, _, _ := linearRuns(ctx, c.index, inPlace, nil, true, c.method, dir); !sameBits(again, got) {
					t.Fatalf("trial %d %s %s: in place %v, copy %v", trial, c.method, dir, again, got)
				}
				if err != nil || !ok {
					t.Fatalf("trial %d %s: ok %v, %v", trial, c.method, ok, err)
				}
				var xv, yv, xq []float64
				for i, v := range y {
					if v == v {
						xv, yv = append(xv, c.x(i)), append(yv, v)
					} else {
						xq = append(xq, c.x(i))
					}
				}
				want := append([]float64(nil), y...)
				if len(xv) > 0 {
					vals, _ := npInterp(ctx, xv, yv, xq)
					k := 0
					for i, v := range y {
						if v != v {
							want[i] = vals[k]
							k++
						}
					}
					keepMissing(want, y, dir, 0, "")
				}
				for i := range want {
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
						t.Fatalf("trial %d %s %s row %d: %v, want %v (y %v)", trial, c.method, dir, i, got[i], want[i], y)
					}
				}
			}
		}
	}
	// not strictly increasing x: the general path decides
	if _, ok, _ := linearRuns(ctx, Ints([]int64{2, 1}), []float64{1, math.NaN()}, nil, false, "index", "forward"); ok {
		t.Error("unsorted index taken by the fast path")
	}
}

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) && !(a[i] != a[i] && b[i] != b[i]) {
			return false
		}
	}
	return true
}

// InterpolateMasked is Interpolate of the masked values, for the fast path and for every
// other method, direction and index; errors are Interpolate's.
func TestInterpolateMasked(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	nan := math.NaN()
	for trial := range 200 {
		n := 2 + rng.IntN(30)
		ns := make([]int64, n)
		y := make([]float64, n)
		mask := make([]bool, n)
		at := int64(1e18)
		for i := range ns {
			at += 1 + rng.Int64N(1e11)
			ns[i] = at
			y[i] = rng.NormFloat64()
			if rng.IntN(4) == 0 {
				y[i] = nan
			}
			mask[i] = rng.IntN(3) == 0
		}
		if trial%5 == 0 && n > 3 {
			// unsorted: the general path. The first in-place version of linearRuns wrote
			// the leading fill before it reached the unsorted pair, and the general path
			// it fell back to then read those values as data.
			ns[1], ns[2] = ns[2], ns[1]
		}
		s := NewSeries("v", Datetimes(ns, UTC), Floats(y))
		pos := make([]int, n)
		for i := range pos {
			pos[i] = i
			if mask[i] {
				pos[i] = -1
			}
		}
		ref := s.With(s.Values.Take(pos))
		for _, opt := range []InterpolateOptions{{Method: "time"}, {Method: "linear", LimitDirection: "both"}, {Method: "index", LimitDirection: "Backward"},
			{Method: "values"}, {Method: "cubic"}, {Method: "time", Limit: 1}, {Method: "linear", LimitArea: "inside"}, {Method: "nearest"}} {
			want, werr := Interpolate(ctx, ref, opt)
			got, gerr := InterpolateMasked(ctx, s, mask, opt)
			if (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
				t.Fatalf("trial %d %+v: error %v, want %v", trial, opt, gerr, werr)
			}
			if werr == nil && !sameBits(got.Values.F, want.Values.F) {
				t.Fatalf("trial %d %+v: %v, want %v", trial, opt, got.Values.F, want.Values.F)
			}
			// the sorted variant: nothing for the unsorted index, else the same values and
			// the values at the masked positions
			out, picked, sorted, err := InterpolateMaskedSorted(ctx, s, mask, opt)
			if trial%5 == 0 && n > 3 {
				if sorted || out != nil {
					t.Fatalf("trial %d %+v: unsorted index reported sorted", trial, opt)
				}
				continue
			}
			if (err == nil) != (werr == nil) || !sorted {
				t.Fatalf("trial %d %+v: sorted %v, %v", trial, opt, sorted, err)
			}
			if err != nil {
				continue
			}
			var at []int
			for i, m := range mask {
				if m {
					at = append(at, i)
				}
			}
			wantPicked := want.Take(at)
			if !sameBits(out.Values.F, want.Values.F) || !sameBits(picked.Values.F, wantPicked.Values.F) ||
				!reflect.DeepEqual(picked.Index.I, wantPicked.Index.I) || picked.Index.Zone != UTC {
				t.Fatalf("trial %d %+v: picked %v at %v, want %v at %v", trial, opt, picked.Values.F, picked.Index.I, wantPicked.Values.F, wantPicked.Index.I)
			}
		}
		if !sameBits(s.Values.F, y) {
			t.Fatalf("trial %d: input modified", trial)
		}
	}
	// errors of the general path: "time" needs a DatetimeIndex
	_, err := InterpolateMasked(ctx, FloatSeries(nil, Range(2), []float64{1, nan}), []bool{false, false}, InterpolateOptions{Method: "time"})
	if err == nil {
		t.Error("time on a RangeIndex: no error")
	}
}

// In pieces on several cores (the threshold lowered so that short random series are
// cut, at valid points, into up to four pieces) linearRuns gives the same values as in
// one piece — including runs of missing values that cross a would-be cut, masks, and
// every direction — and still refuses an index that is not strictly increasing.
func TestLinearRunsInParts(t *testing.T) {
	defer func(v int) { parallelRunsMin = v }(parallelRunsMin)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 300 {
		n := 2 + rng.IntN(60)
		x := make([]int64, n)
		y := make([]float64, n)
		mask := make([]bool, n)
		for i := range x {
			x[i] = int64(i)*1000 + rng.Int64N(900)
			y[i] = rng.NormFloat64()
			if rng.IntN(3) == 0 {
				y[i] = math.NaN()
			}
			mask[i] = rng.IntN(4) == 0
		}
		for _, dir := range []string{"forward", "backward", "both"} {
			parallelRunsMin = 1 << 30
			whole, wp, ok1, _ := linearRunsPick(ctx, Datetimes(x, UTC), y, mask, false, "values", dir, true)
			parallelRunsMin = 1
			parts, pp, ok2, _ := linearRunsPick(ctx, Datetimes(x, UTC), y, mask, false, "values", dir, true)
			if !ok1 || !ok2 || !sameBits(whole, parts) {
				t.Fatalf("trial %d %s: in parts %v (%v), whole %v (%v)", trial, dir, parts, ok2, whole, ok1)
			}
			if !reflect.DeepEqual(wp.xi, pp.xi) || !sameBits(wp.vals, pp.vals) {
				t.Fatalf("trial %d %s: picks in parts %+v, whole %+v", trial, dir, pp, wp)
			}
			var wantX []int64
			var wantV []float64
			for i, m := range mask {
				if m {
					wantX, wantV = append(wantX, x[i]), append(wantV, whole[i])
				}
			}
			if !sameBits(wantV, wp.vals) || len(wantX) != len(wp.xi) || (len(wantX) > 0 && !reflect.DeepEqual(wantX, wp.xi)) {
				t.Fatalf("trial %d %s: picked %v at %v, want %v at %v", trial, dir, wp.vals, wp.xi, wantV, wantX)
			}
		}
	}
	parallelRunsMin = 1
	x := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 14}
	y := make([]float64, len(x))
	if _, ok, _ := linearRuns(ctx, Datetimes(x, UTC), y, nil, false, "values", "forward"); ok {
		t.Error("unsorted tail accepted in parts")
	}
}
