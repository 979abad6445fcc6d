package data

import (
	"context"
	"math"
	"sync"
)

// Closed says which ends of a rolling window belong to it (pandas' closed=).
type Closed uint8

// Window closedness; pandas' default for offset windows is ClosedRight: (t−w, t].
const (
	ClosedRight Closed = iota
	ClosedLeft
	ClosedBoth
	ClosedNeither
)

// CheckEvery is how many loop iterations long-running code may do between checks of its
// context: the runtime's promise to honour cancellation within ~10k iterations.
const CheckEvery = 8192

// Windows are the row ranges of rolling windows: row i aggregates rows
// [Start[i], End[i]).
type Windows struct {
	Start, End []int
	// Monotonic: both bounds never decrease, so aggregates can be updated incrementally.
	Monotonic bool
}

// VariableWindowBounds computes, for every row i of a monotonic datetime index, the
// half-open row range [start[i], end[i]) of its time window of length window nanoseconds:
// pandas' calculate_variable_window_bounds, ported line by line (including both ends
// closed for odd centred windows), so that window membership — and therefore every
// rolling result — matches pandas. Centred bounds are t ± sign·window/2 in integer
// arithmetic, the half window truncated toward zero: the Cython source reads like a true
// division, but pandas' build compiles it to a C integer division (pandas 1.5's compiled
// indexers hold no floating-point instruction, and its results agree), which is what the
// rule for odd windows makes up for. Float arithmetic would differ for odd windows and,
// as float64 holds today's nanosecond timestamps only in steps of 256 ns, move the bounds
// of millisecond timestamps by up to 128 ns.
func VariableWindowBounds(ctx context.Context, index []int64, window int64, closed Closed, center bool) (Windows, error) {
	n := len(index)
	return variableWindowBounds(ctx, index, window, closed, center, false, make([]int, n), make([]int, n))
}

// variableWindowBounds is VariableWindowBounds into start and end (len(index) long, any
// content); sorted says that the index is known to be monotonic (Over validated it),
// which lets trailing windows take a tighter loop.
func variableWindowBounds(ctx context.Context, index []int64, window int64, closed Closed, center, sorted bool, start, end []int) (Windows, error) {
	n := len(index)
	if n == 0 {
		return Windows{Monotonic: true}, nil
	}
	rightClosed := closed == ClosedRight || closed == ClosedBoth
	leftClosed := closed == ClosedLeft || closed == ClosedBoth
	if center && window%2 == 1 {
		rightClosed, leftClosed = true, true
	}
	sign := int64(1)
	if index[n-1] < index[0] {
		sign = -1
	}
	start[0], end[0] = 0, 0
	if rightClosed {
		end[0] = 1
	}
	half := sign * window / 2
	monotonic := true
	if center {
		endBound := index[0] + half
		for j := 0; j < n; j++ {
			d := (index[j] - endBound) * sign
			if d < 0 {
				end[0] = j + 1
			} else if d == 0 && rightClosed {
				end[0] = j + 1
			} else {
				end[0] = j
				break
			}
		}
	}
	if !center {
		t := trailing{index: index, window: window, sign: sign, leftClosed: leftClosed, start: start, end: end}
		if !rightClosed {
			t.open = 1
		}
		monotonic, err := t.bounds(ctx, sorted)
		if err != nil {
			return Windows{}, err
		}
		return Windows{Start: start, End: end, Monotonic: monotonic}, nil
	}
	for i := 1; i < n; i++ {
		if i%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return Windows{}, err
			}
		}
		var startBound, endBound int64
		if center {
			endBound = index[i] + half
			startBound = index[i] - half
		} else {
			endBound = index[i]
			startBound = index[i] - sign*window
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
		// start never decreases: the search begins at start[i−1] ≤ i−1
		if end[i] < end[i-1] {
			monotonic = false
		}
	}
	return Windows{Start: start, End: end, Monotonic: monotonic}, nil
}

// trailing is variableWindowBounds for windows that are not centred.
type trailing struct {
	index        []int64
	window, sign int64
	leftClosed   bool
	open         int // closed "left" or "neither": the row itself is not in its window
	start, end   []int
}

// bounds computes all rows, and reports whether the bounds are monotonic; a sorted index
// whose arithmetic cannot wrap (see splittable) takes the tighter sortedRows. (Pieces on
// two cores measured no faster at 100k points: the loop takes about 1 ns a row, and a
// second goroutine's wake-up costs what half of it saves.)
func (t *trailing) bounds(ctx context.Context, sorted bool) (bool, error) {
	if !sorted || !t.splittable() {
		return t.rows(ctx, 1, len(t.index), t.start[0], t.end[0])
	}
	return true, t.sortedRows(ctx, 1, len(t.index), t.start[0])
}

// splittable reports that no difference the loop computes can wrap around: the ends of
// the index and the window are within ±2⁶¹ (±73 years of nanoseconds around 1970). Then,
// on a monotonic index, every row's end test succeeds (so its end is i+1, less the row
// itself when open) and the start's test compares the row with the bound directly.
func (t *trailing) splittable() bool {
	const lim = 1 << 61
	in := func(x int64) bool { return -lim < x && x < lim }
	return in(t.index[0]) && in(t.index[len(t.index)-1]) && in(t.window)
}

// sortedRows is rows for a sorted, splittable index: every end is i+1 (less the row
// itself when open), the bounds are monotonic, and the start's test needs no
// multiplication by the direction.
func (t *trailing) sortedRows(ctx context.Context, from, to, s int) error {
	index, start, end := t.index, t.start[:to], t.end[:to]
	back := t.sign * t.window // startBound = index[i] − back
	if t.leftClosed {
		back += t.sign
	}
	open, desc := t.open, t.sign < 0
	for lo := from; lo < to; lo = (lo/CheckEvery + 1) * CheckEvery {
		if lo%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		hi := min((lo/CheckEvery+1)*CheckEvery, to)
		if desc {
			for i := lo; i < hi; i++ {
				startBound := index[i] - back
				for s < i && index[s] >= startBound {
					s++
				}
				start[i], end[i] = s, i+1-open
			}
			continue
		}
		for i := lo; i < hi; i++ {
			startBound := index[i] - back
			for s < i && index[s] <= startBound {
				s++
			}
			start[i], end[i] = s, i+1-open
		}
	}
	return nil
}

// rows is the loop of pandas' calculate_variable_window_bounds for rows [from, to) given
// the bounds of row from−1, those kept in registers instead of read back from the slices
// (and the context asked between runs of rows, so that no call breaks the loop).
func (t *trailing) rows(ctx context.Context, from, to, prevS, prevE int) (bool, error) {
	index, start, end := t.index, t.start[:to], t.end[:to]
	sign, open := t.sign, t.open
	back := sign * t.window // startBound = index[i] − back
	if t.leftClosed {
		back += sign
	}
	monotonic := true
	for lo := from; lo < to; lo = (lo/CheckEvery + 1) * CheckEvery {
		if lo%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return false, err
			}
		}
		for i := lo; i < min((lo/CheckEvery+1)*CheckEvery, to); i++ {
			endBound := index[i]
			startBound := endBound - back
			s := i
			for j := prevS; j < i; j++ {
				if (index[j]-startBound)*sign > 0 {
					s = j
					break
				}
			}
			e := prevE
			if (index[prevE]-endBound)*sign <= 0 {
				e = i + 1
			}
			e -= open
			if e < prevE {
				monotonic = false
			}
			start[i], end[i] = s, e
			prevS, prevE = s, e
		}
	}
	return monotonic, nil
}

// kahan is pandas' compensated running sum with separate compensations for additions and
// removals, plus the bookkeeping pandas uses to return exact results for runs of equal
// values (GH#42064).
type kahan struct {
	nobs            int
	sum, compAdd    float64
	compRemove      float64
	consecutiveSame int
	prev            float64
}

func (k *kahan) add(v float64) {
	if v != v {
		return
	}
	k.nobs++
	y := v - k.compAdd
	t := k.sum + y
	k.compAdd = t - k.sum - y
	k.sum = t
	if v == k.prev {
		k.consecutiveSame++
	} else {
		k.consecutiveSame = 1
	}
	k.prev = v
}

func (k *kahan) remove(v float64) {
	if v != v {
		return
	}
	k.nobs--
	y := -v - k.compRemove
	t := k.sum + y
	k.compRemove = t - k.sum - y
	k.sum = t
}

func monotonicBounds(start, end []int) bool {
	for i := 1; i < len(start); i++ {
		if start[i] < start[i-1] || end[i] < end[i-1] {
			return false
		}
	}
	return true
}

// RollingSum is pandas' rolling(...).sum() over precomputed window bounds (roll_sum):
// the Kahan-compensated sum of the non-NaN values in each window; NaN when fewer than
// minPeriods values are present, 0 for an empty window when minPeriods is 0.
func RollingSum(ctx context.Context, values []float64, w Windows, minPeriods int) ([]float64, error) {
	out, err := RollingSums(ctx, w, minPeriods, values)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// RollingSums is RollingSum of several columns over the same windows in one pass (their
// running sums are independent, so the processor overlaps them). The results' memory may
// come from ReleaseFloats; an intermediate result may be released in turn.
func RollingSums(ctx context.Context, w Windows, minPeriods int, cols ...[]float64) ([][]float64, error) {
	if len(cols) > 1 && len(w.Start) >= parallelRollingMin {
		return rollingSumsInParallel(ctx, w, minPeriods, cols)
	}
	return rollingSums(ctx, w, minPeriods, cols)
}

// parallelRollingMin is the length from which the columns of RollingSums run on
// goroutines of their own: the loop is bound by instructions, not by the sums' latency, so
// a second core halves it for long series (milliseconds at 100k points).
var parallelRollingMin = 32 << 10

func rollingSumsInParallel(ctx context.Context, w Windows, minPeriods int, cols [][]float64) ([][]float64, error) {
	out := make([][]float64, len(cols))
	errs := make([]error, len(cols))
	var wg sync.WaitGroup
	for c := 1; c < len(cols); c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := rollingSums(ctx, w, minPeriods, cols[c:c+1])
			if err == nil {
				out[c] = r[0]
			}
			errs[c] = err
		}()
	}
	r, err := rollingSums(ctx, w, minPeriods, cols[:1])
	if err == nil {
		out[0] = r[0]
	}
	errs[0] = err
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func rollingSums(ctx context.Context, w Windows, minPeriods int, cols [][]float64) ([][]float64, error) {
	start, end := w.Start, w.End
	n := len(start)
	out := make([][]float64, len(cols))
	for c := range out {
		out[c] = TakeFloats(n) // every element written below
	}
	ks := make([]kahan, len(cols))
	for i := 0; i < n; i++ {
		if i%CheckEvery == 0 && i > 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		s, e := start[i], end[i]
		reset := i == 0 || !w.Monotonic || s >= end[i-1]
		for c, values := range cols {
			k := &ks[c]
			if reset {
				*k = kahan{prev: math.NaN()}
				if s < len(values) {
					k.prev = values[s]
				}
				for j := s; j < e; j++ {
					k.add(values[j])
				}
			} else {
				for j := start[i-1]; j < s; j++ {
					k.remove(values[j])
				}
				for j := end[i-1]; j < e; j++ {
					k.add(values[j])
				}
			}
			switch {
			case k.nobs == 0 && minPeriods == 0:
				out[c][i] = 0
			case k.nobs >= minPeriods:
				if k.consecutiveSame >= k.nobs {
					out[c][i] = k.prev * float64(k.nobs)
				} else {
					out[c][i] = k.sum
				}
			default:
				out[c][i] = math.NaN()
			}
			if !w.Monotonic {
				*k = kahan{}
			}
		}
	}
	return out, nil
}
