package data

import (
	"context"
	"math"
	"runtime"
	"strings"
	"sync"
)

// linearRuns is Interpolate's numpy path ("linear", "index", "values", and "time" once
// mapped to "values") in one pass, for the common case of no limit and no limit_area
// and x strictly increasing: each run of missing values between the valid points a and
// b gets numpy's interp value slope·(x − x_a) + y_a with slope = (y_b − y_a)/(x_b − x_a)
// (and interp's NaN fallbacks), leading missing values the first valid value unless the
// direction is "forward", trailing ones the last unless it is "backward" — what the
// general path (np.interp over all queries, then preserve_nans) computes, value for
// value. Values at positions where mask is true (mask may be nil) count as missing. ok
// is false when the case does not apply (another method, x not strictly increasing or
// not numeric), and the caller takes the general path.
//
// The result is y, filled in place, when inPlace is set (x is then checked before the
// first write, so that y is intact for the general path when ok is false); otherwise it
// is a copy of y (made without zeroing first).
func linearRuns(ctx context.Context, index Column, y []float64, mask []bool, inPlace bool, method, dir string) ([]float64, bool, error) {
	out, _, ok, err := linearRunsPick(ctx, index, y, mask, inPlace, method, dir, false)
	return out, ok, err
}

// runPicks are the values (and x) at the masked positions, in row order.
type runPicks struct {
	vals []float64
	xi   []int64   // x of an int64 or datetime index
	xf   []float64 // x of a float64 index
}

// linearRunsPick is linearRuns that also returns, with pick, the final values at the
// masked positions.
func linearRunsPick(ctx context.Context, index Column, y []float64, mask []bool, inPlace bool, method, dir string, pick bool) ([]float64, runPicks, bool, error) {
	switch method {
	case "linear":
		return runs[int64](ctx, nil, true, y, mask, inPlace, dir, pick)
	case "index", "values":
		switch index.DType {
		case Int64, Datetime, Timedeltas:
			return runs(ctx, index.I, false, y, mask, inPlace, dir, pick)
		case Float64:
			return runs(ctx, index.F, false, y, mask, inPlace, dir, pick)
		}
	}
	return nil, runPicks{}, false, nil
}

// runs fills the missing values of y, in place or in a copy (see linearRuns); in place,
// x is checked completely before the first write. Long series run in pieces on several
// cores (see runParts); the picks are written by each piece into its own stretch of the
// result arrays.
func runs[T int64 | float64](ctx context.Context, x []T, positional bool, y []float64, mask []bool, inPlace bool, dir string, pick bool) ([]float64, runPicks, bool, error) {
	n := len(y)
	inline := !positional
	out := y
	if inPlace {
		if !positional {
			for i := 1; i < n; i++ {
				if !(x[i-1] < x[i]) {
					return nil, runPicks{}, false, nil
				}
			}
		}
		inline = false
	} else {
		out = append([]float64(nil), y...) // a copy without zeroing first
	}
	r := &runner[T]{x: x, positional: positional, out: out, mask: mask, inline: inline, dir: dir, pick: pick && mask != nil}
	if r.pick {
		marks := 0
		for _, m := range mask {
			if m {
				marks++
			}
		}
		r.vals = make([]float64, marks)
		if !positional {
			r.xs = make([]T, marks)
		}
	}
	ok, err := runParts(ctx, n, r.valid, r.part)
	if err != nil || !ok {
		return nil, runPicks{}, false, err
	}
	var picks runPicks
	if r.pick {
		picks.vals = r.vals
		switch v := any(r.xs).(type) {
		case []int64:
			picks.xi = v
		case []float64:
			picks.xf = v
		}
	}
	return out, picks, true, nil
}

// maxPieces is the most pieces runParts cuts its work into.
const maxPieces = 4

// parallelRunsMin is the length from which linearRuns and the resample means split their
// work over the available cores.
var parallelRunsMin = 32 << 10

// runParts runs part over [0, n) in one piece, or — for long inputs and more than one
// core — in pieces cut at positions where valid(i) holds, each piece [lo, hi] sharing
// its end points with its neighbours (part must only read them), on goroutines of their
// own. ok is false when any piece says so.
func runParts(ctx context.Context, n int, valid func(int) bool, part func(ctx context.Context, lo, hi int, first, last bool) (bool, error)) (bool, error) {
	p := min(runtime.GOMAXPROCS(0), maxPieces)
	if n < parallelRunsMin || p < 2 {
		return part(ctx, 0, n-1, true, true)
	}
	cuts := []int{0}
	for k := 1; k < p; k++ {
		c := max(k*n/p, cuts[len(cuts)-1]+1)
		for c < n-1 && !valid(c) {
			c++
		}
		if c >= n-1 {
			break // no valid point up to the end: the last piece takes the rest
		}
		cuts = append(cuts, c)
	}
	cuts = append(cuts, n-1)
	pieces := len(cuts) - 1
	oks := make([]bool, pieces)
	errs := make([]error, pieces)
	var wg sync.WaitGroup
	for k := 1; k < pieces; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			oks[k], errs[k] = part(ctx, cuts[k], cuts[k+1], false, k == pieces-1)
		}()
	}
	oks[0], errs[0] = part(ctx, cuts[0], cuts[1], true, pieces == 1)
	wg.Wait()
	for k := range pieces {
		if errs[k] != nil {
			return false, errs[k]
		}
		if !oks[k] {
			return false, nil
		}
	}
	return true, nil
}

// runner holds one linearRuns computation; its pieces are independent.
type runner[T int64 | float64] struct {
	x          []T
	positional bool
	out        []float64 // the values, filled in place
	mask       []bool
	inline     bool // check x while going
	dir        string
	// pick collects the final values (and x) at the masked positions as they are
	// written — InterpolateMaskedSorted's second result without a second pass; the m-th
	// masked position goes to vals[m], xs[m]
	pick bool
	vals []float64
	xs   []T
}

func (r *runner[T]) xAt(i int) float64 {
	if r.positional {
		return float64(i)
	}
	return float64(r.x[i])
}

// valid reports whether position i holds a valid (unmasked, non-NaN) value: a place to
// cut the work, since a piece starting there needs nothing before it.
func (r *runner[T]) valid(i int) bool {
	return !(r.mask != nil && r.mask[i]) && r.out[i] == r.out[i]
}

// part fills the missing values of out[lo..hi]. A piece that is not the first starts at
// a valid point (lo) and fills no leading values; only the last fills trailing ones.
// Pieces write only inside their range, never its end points (valid values). With pick,
// every masked position's final value is recorded when it is written (or found to stay
// NaN): in the leading stretch, in a run, or in the trailing stretch.
func (r *runner[T]) part(ctx context.Context, lo, hi int, first, last bool) (bool, error) {
	out, mask, x := r.out, r.mask, r.x
	nan := math.NaN()
	prev := -1
	start := lo
	if !first {
		prev, start = lo, lo+1
	}
	m := 0 // the ordinal of the next masked position
	if r.pick {
		for _, b := range mask[:lo] {
			if b {
				m++
			}
		}
	}
	emit := func(j int, v float64) {
		r.vals[m] = v
		if !r.positional {
			r.xs[m] = x[j]
		}
		m++
	}
	hasMask := mask != nil
	masked := func(i int) bool { return hasMask && mask[i] }
	inline, pick := r.inline, r.pick // locals: the loop need not reload them
	for i := start; i <= hi; i++ {
		if (i-lo)%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return false, err
			}
		}
		if inline && i > 0 && !(x[i-1] < x[i]) {
			return false, nil
		}
		if masked(i) {
			out[i] = nan
			continue
		}
		v := out[i]
		if v != v {
			continue
		}
		switch {
		case prev < 0:
			fill := r.dir != "forward"
			for j := lo; j < i; j++ {
				if fill {
					out[j] = v
				}
				if pick && masked(j) {
					emit(j, out[j])
				}
			}
		case i > prev+1:
			xa, xb, ya := r.xAt(prev), r.xAt(i), out[prev]
			slope := (v - ya) / (xb - xa)
			for j := prev + 1; j < i; j++ {
				xj := r.xAt(j)
				y := slope*(xj-xa) + ya
				if y != y {
					y = slope*(xj-xb) + v
					if y != y && ya == v {
						y = ya
					}
				}
				out[j] = y
				if pick && masked(j) {
					emit(j, y)
				}
			}
		}
		prev = i
	}
	if last {
		// the trailing stretch: after the last valid value (all of the piece if none)
		from := prev + 1
		if prev < 0 {
			from = lo
		}
		fill := prev >= 0 && r.dir != "backward"
		for j := from; j <= hi; j++ {
			if fill {
				out[j] = out[prev]
			}
			if r.pick && masked(j) {
				emit(j, out[j])
			}
		}
	}
	return true, nil
}

// InterpolateMasked is s.mask(mask).interpolate(**opt): Interpolate with the values at
// the positions where mask is true taken as missing (mask has one entry per row). The
// usual case — float64 values, a numpy method, no limit or limit_area, an index that is
// strictly increasing — runs in one pass (linearRuns); every other case masks a copy and
// takes Interpolate, with its errors.
func InterpolateMasked(ctx context.Context, s *Series, mask []bool, opt InterpolateOptions) (*Series, error) {
	r, _, _, err := interpolateMasked(ctx, s, mask, opt, false)
	return r, err
}

// InterpolateMaskedSorted is InterpolateMasked for a caller that needs the index to be
// strictly increasing (sorted, unique, no NaT/NaN) and would otherwise do something else:
// sorted is false, and nothing is computed, when it is not. The check rides along with
// the one-pass interpolation, so the caller need not read the index once more; picked is
// the result at the masked positions (out[mask]), collected in the same pass.
func InterpolateMaskedSorted(ctx context.Context, s *Series, mask []bool, opt InterpolateOptions) (out, picked *Series, sorted bool, err error) {
	return interpolateMasked(ctx, s, mask, opt, true)
}

// strictlyIncreasingIndex reports whether a numeric or datetime index increases strictly
// (NaT, the smallest int64, could only come first; NaN fails every comparison).
func strictlyIncreasingIndex(c Column) bool {
	switch c.DType {
	case Int64, Datetime, Timedeltas:
		if len(c.I) > 0 && c.I[0] == NaT && c.DType != Int64 {
			return false
		}
		return strictlyIncreasing(c.I)
	case Float64:
		for i := 1; i < len(c.F); i++ {
			if !(c.F[i-1] < c.F[i]) {
				return false
			}
		}
		return len(c.F) != 1 || c.F[0] == c.F[0]
	}
	return false
}

func interpolateMasked(ctx context.Context, s *Series, mask []bool, opt InterpolateOptions, requireSorted bool) (out, picked *Series, sorted bool, err error) {
	if len(mask) != s.Len() {
		return nil, nil, false, ValueError("Array conditional must be same shape as self")
	}
	method := opt.Method
	if method == "" {
		method = "linear"
	}
	dir := strings.ToLower(opt.LimitDirection)
	if dir == "" {
		dir = "forward"
	}
	fast := s.Values.DType == Float64 && opt.Limit == 0 && opt.LimitArea == "" && (dir == "forward" || dir == "backward" || dir == "both")
	switch method {
	case "time":
		fast = fast && s.Index.DType == Datetime
		method = "values"
	case "index", "values":
		fast = fast && s.Index.DType != Object && s.Index.DType != Bool
	case "linear":
	default:
		fast = false
	}
	idx := s.Index
	natFirst := idx.DType != Float64 && idx.DType != Int64 && idx.I != nil && len(idx.I) > 0 && idx.I[0] == NaT
	if natFirst {
		if requireSorted {
			return nil, nil, false, nil
		}
		if method != "linear" {
			fast = false // a NaT index is Interpolate's NotImplementedError
		}
	}
	if requireSorted && (!fast || method == "linear") && !strictlyIncreasingIndex(idx) {
		return nil, nil, false, nil
	}
	if fast {
		vals, picks, ok, err := linearRunsPick(ctx, idx, s.Values.F, mask, false, method, dir, requireSorted)
		if err != nil {
			return nil, nil, false, err
		}
		if ok {
			out := s.With(Floats(vals))
			if !requireSorted {
				return out, nil, true, nil
			}
			var labels Column
			switch {
			case picks.xi != nil:
				labels = Column{DType: idx.DType, Zone: idx.Zone, I: picks.xi}
			case picks.xf != nil:
				labels = Floats(picks.xf)
			default: // "linear": the positions' labels
				var at []int
				for i, m := range mask {
					if m {
						at = append(at, i)
					}
				}
				labels = idx.Take(append([]int{}, at...))
			}
			return out, &Series{Name: s.Name, Index: labels, Values: Floats(picks.vals), Attrs: s.Attrs}, true, nil
		}
		// the one thing that makes linearRuns refuse here: x not strictly increasing
		if requireSorted {
			return nil, nil, false, nil
		}
	}
	pos := make([]int, len(mask))
	var at []int
	for i, m := range mask {
		pos[i] = i
		if m {
			pos[i] = -1
			at = append(at, i)
		}
	}
	masked := s.Values.Take(pos)
	o := opt
	o.InPlace = masked.DType == Float64
	r, err := Interpolate(ctx, s.With(masked), o)
	if err != nil || !requireSorted {
		return r, nil, true, err
	}
	if at == nil {
		at = []int{}
	}
	return r, r.Take(at), true, nil
}
