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
	k.nobs, k.consecutiveSame, k.sum, k.compAdd, k.prev = kahanAdd(v, k.nobs, k.consecutiveSame, k.sum, k.compAdd, k.prev)
}

func (k *kahan) remove(v float64) {
	k.nobs, k.sum, k.compRemove = kahanRemove(v, k.nobs, k.sum, k.compRemove)
}

// kahanStep adds v to sum with the compensation comp (Kahan), returning both updated.
func kahanStep(sum, comp, v float64) (float64, float64) {
	y := v - comp
	t := sum + y
	return t, t - sum - y
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
	if len(cols) > 2 && len(w.Start) >= parallelRollingMin {
		return rollingSumsInParallel(ctx, w, minPeriods, cols)
	}
	return rollingSums(ctx, w, minPeriods, cols)
}

// parallelRollingMin is the length from which long loops run on goroutines of their own
// (the pairs of columns of RollingSums, the medians' pieces): a second core halves them
// (milliseconds at 100k points). Two columns stay on one goroutine: as a pair they take
// hardly longer than one (rollingSumPair).
var parallelRollingMin = 32 << 10

func rollingSumsInParallel(ctx context.Context, w Windows, minPeriods int, cols [][]float64) ([][]float64, error) {
	out := make([][]float64, len(cols))
	errs := make([]error, len(cols))
	var wg sync.WaitGroup
	for c := 0; c < len(cols); c += 2 {
		wg.Go(func() {
			pair := cols[c:min(c+2, len(cols))]
			r, err := rollingSums(ctx, w, minPeriods, pair)
			if err == nil {
				copy(out[c:], r)
			}
			errs[c] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			for _, o := range out {
				if o != nil {
					ReleaseFloats(o)
				}
			}
			return nil, err
		}
	}
	return out, nil
}

func rollingSums(ctx context.Context, w Windows, minPeriods int, cols [][]float64) ([][]float64, error) {
	out := make([][]float64, len(cols))
	for c := range out {
		out[c] = TakeFloats(len(w.Start)) // every element written by rollingSumPair
	}
	for c := 0; c < len(cols); c += 2 {
		// an odd column out runs as its own twin: the pair's second chain costs next to
		// nothing, and both write the same sums
		d := min(c+1, len(cols)-1)
		if err := rollingSumPair(ctx, w, minPeriods, cols[c], cols[d], out[c], out[d]); err != nil {
			ReleaseFloats(out...)
			return nil, err
		}
	}
	return out, nil
}

// rollingSumPair is rollingSums of two columns in one loop, kahan's state in local
// variables. A compensated sum is one long chain of dependent additions, so a row costs
// the chain's latency: two independent chains interleaved take hardly longer than one,
// and in registers each link is shorter than in a kahan struct, which stays in memory
// (BenchmarkRollingSums, runs interleaved: 120–231 µs against 210–383 µs for kahan
// structs at 10k points; at 100k 1.2–2.5 ms on one core against 1.9–2.7 ms on two). The
// arithmetic is kahan's, step for step: the same sums to the bit.
func rollingSumPair(ctx context.Context, w Windows, minPeriods int, a, b, outA, outB []float64) error {
	start, end := w.Start, w.End
	var nA, sameA, nB, sameB int
	var sumA, addA, remA, prevA, sumB, addB, remB, prevB float64
	for i := range start {
		if i%CheckEvery == 0 && i > 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		s, e := start[i], end[i]
		var from int // where the additions start
		if rebuild(w, i) {
			nA, sameA, sumA, addA, remA = 0, 0, 0, 0, 0
			nB, sameB, sumB, addB, remB = 0, 0, 0, 0, 0
			prevA, prevB = valueAt(a, s), valueAt(b, s)
			from = s
		} else {
			for j := start[i-1]; j < s; j++ {
				nA, sumA, remA = kahanRemove(a[j], nA, sumA, remA)
				nB, sumB, remB = kahanRemove(b[j], nB, sumB, remB)
			}
			from = end[i-1]
		}
		for j := from; j < e; j++ {
			nA, sameA, sumA, addA, prevA = kahanAdd(a[j], nA, sameA, sumA, addA, prevA)
			nB, sameB, sumB, addB, prevB = kahanAdd(b[j], nB, sameB, sumB, addB, prevB)
		}
		outA[i] = kahanResult(nA, sameA, minPeriods, sumA, prevA)
		outB[i] = kahanResult(nB, sameB, minPeriods, sumB, prevB)
	}
	return nil
}

// kahanAdd is kahan.add on values (nobs, consecutive same, sum, compensation, previous).
func kahanAdd(v float64, nobs, same int, sum, comp, prev float64) (int, int, float64, float64, float64) {
	if v != v {
		return nobs, same, sum, comp, prev
	}
	sum, comp = kahanStep(sum, comp, v)
	if v == prev {
		same++
	} else {
		same = 1
	}
	return nobs + 1, same, sum, comp, v
}

// kahanRemove is kahan.remove on values (nobs, sum, compensation).
func kahanRemove(v float64, nobs int, sum, comp float64) (int, float64, float64) {
	if v != v {
		return nobs, sum, comp
	}
	sum, comp = kahanStep(sum, comp, -v)
	return nobs - 1, sum, comp
}

// kahanResult is a window's sum as pandas returns it: NaN under minPeriods observations,
// and a run of one repeated value exactly (GH#42064).
func kahanResult(nobs, same, minPeriods int, sum, prev float64) float64 {
	switch {
	case nobs == 0 && minPeriods == 0:
		return 0
	case nobs >= minPeriods:
		if same >= nobs {
			return prev * float64(nobs)
		}
		return sum
	default:
		return math.NaN()
	}
}
