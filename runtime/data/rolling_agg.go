package data

import (
	"context"
	"fmt"
	"math"
)

// Aggregations over RollingWindows: pandas' Rolling.sum/mean/var/std/min/max/count/
// median/quantile/apply, ported from pandas' window aggregations (aggregations.pyx, the
// same in pandas 1.5 and 2.1) where the numbers depend on the online algorithm.
//
// Common rules, as in pandas:
//   - values has one element per row of the windows; it is not modified.
//   - ±Inf are treated as NaN by every aggregation but Count (pandas' _prep_values
//     replaces them before calling its window functions; count looks at notna instead).
//   - NaN are skipped; nobs is the number of non-NaN values in a window, and a window with
//     nobs < MinPeriods gives NaN.
//   - Windows whose bounds never decrease (Windows.Monotonic; all bounds pandas' indexers
//     and this package build) are updated incrementally: values leaving the window are
//     removed, entering ones added; a window that starts at or after the previous one's
//     end is rebuilt from scratch. Other windows are computed from scratch each.
//   - ctx is checked after about CheckEvery values added, removed or visited.

// pacer checks a context after about CheckEvery units of work.
type pacer struct {
	ctx  context.Context
	work int
}

func (p *pacer) step(units int) error {
	p.work += units
	if p.work < CheckEvery {
		return nil
	}
	p.work = 0
	return p.ctx.Err()
}

// prepare checks that the windows fit values and returns the values with ±Inf replaced by
// NaN unless keepInf (a copy only when there are any) and the windows with reversed
// bounds (End < Start, which pandas' indexers produce for zero-length windows in corner
// cases and pandas treats as empty) turned into empty ones (a copy only when there are
// any), their Monotonic flag checked (all but the ±Inf are Over's own when it made them).
func (w *RollingWindows) prepare(values []float64, keepInf bool) ([]float64, Windows, error) {
	win := w.Windows
	n := len(win.Start)
	if len(win.End) != n || len(values) != n {
		return nil, win, fmt.Errorf("data: rolling windows for %d rows (%d ends) over %d values", n, len(win.End), len(values))
	}
	if !w.valid { // Over's windows fit by construction
		// one pass: in range, reversed, monotonic (on the ends as they will be)
		reversed, monotonic := false, true
		prevS, prevE := 0, 0
		for i, s := range win.Start {
			e := win.End[i]
			if uint(s) > uint(n) || uint(e) > uint(n) {
				return nil, win, fmt.Errorf("data: rolling window %d is [%d, %d), outside the %d rows", i, s, e, n)
			}
			if e < s {
				reversed, e = true, s
			}
			if s < prevS || e < prevE {
				monotonic = false
			}
			prevS, prevE = s, e
		}
		if reversed {
			end := make([]int, n)
			for i, s := range win.Start {
				end[i] = max(win.End[i], s)
			}
			win = Windows{Start: win.Start, End: end, Monotonic: win.Monotonic}
		}
		// the incremental updates rely on it: a wrong claim must not corrupt them
		win.Monotonic = win.Monotonic && monotonic
	}
	if keepInf {
		return values, win, nil
	}
	for i, v := range values {
		if math.IsInf(v, 0) {
			c := make([]float64, n)
			copy(c, values[:i])
			for j := i; j < n; j++ {
				if c[j] = values[j]; math.IsInf(c[j], 0) {
					c[j] = math.NaN()
				}
			}
			return c, win, nil
		}
	}
	return values, win, nil
}

// rebuild reports whether window i is computed from scratch rather than updated from
// window i−1 (pandas' condition in roll_sum, roll_mean, roll_var, roll_median_c and
// roll_quantile).
func rebuild(w Windows, i int) bool {
	return i == 0 || !w.Monotonic || w.Start[i] >= w.End[i-1]
}

// valueAt is values[j], or NaN past the end (where pandas reads its "previous value" for
// an empty window that starts at the last row).
func valueAt(values []float64, j int) float64 {
	if j < len(values) {
		return values[j]
	}
	return math.NaN()
}

// Sum is pandas' rolling sum (roll_sum, see RollingSum): the Kahan-compensated sum of the
// non-NaN values; NaN when nobs < MinPeriods; 0 for a window without values when
// MinPeriods is 0; value × nobs exactly when the window's values are one repeated value.
func (w *RollingWindows) Sum(ctx context.Context, values []float64) ([]float64, error) {
	v, win, err := w.prepare(values, false)
	if err != nil {
		return nil, err
	}
	return RollingSum(ctx, v, win, w.MinPeriods)
}

// meanAcc is pandas' running mean state: the compensated sum of roll_sum plus the number
// of negative values (by sign bit), with which pandas forces the mean of all-positive
// values to be ≥ 0 and of all-negative ones ≤ 0.
type meanAcc struct {
	kahan
	negative int
}

func (m *meanAcc) add(v float64) {
	m.kahan.add(v)
	if v == v && math.Signbit(v) {
		m.negative++
	}
}

func (m *meanAcc) remove(v float64) {
	m.kahan.remove(v)
	if v == v && math.Signbit(v) {
		m.negative--
	}
}

// result is pandas' calc_mean.
func (m *meanAcc) result(minPeriods int) float64 {
	if m.nobs < minPeriods || m.nobs == 0 {
		return math.NaN()
	}
	r := m.sum / float64(m.nobs)
	switch {
	case m.consecutiveSame >= m.nobs:
		r = m.prev
	case m.negative == 0 && r < 0, m.negative == m.nobs && r > 0:
		r = 0
	}
	return r
}

// Mean is pandas' rolling mean (roll_mean): sum / nobs of the non-NaN values with the
// Kahan-compensated running sum of Sum. NaN when nobs < MinPeriods or nobs = 0 (so also
// for MinPeriods 0). Fixups as pandas: a window of one repeated value gives that value
// exactly; the mean of values that are all ≥ 0 (by sign bit) is clamped to ≥ 0, of values
// all < 0 to ≤ 0 (rounding residues of removed values can flip a small mean's sign).
func (w *RollingWindows) Mean(ctx context.Context, values []float64) ([]float64, error) {
	v, win, err := w.prepare(values, false)
	if err != nil {
		return nil, err
	}
	start, end := win.Start, win.End
	out := make([]float64, len(start))
	p := pacer{ctx: ctx}
	var m meanAcc
	for i := range start {
		s, e := start[i], end[i]
		work := 1
		if rebuild(win, i) {
			m = meanAcc{kahan: kahan{prev: valueAt(v, s)}}
			for j := s; j < e; j++ {
				m.add(v[j])
			}
			work += e - s
		} else {
			for j := start[i-1]; j < s; j++ {
				m.remove(v[j])
			}
			for j := end[i-1]; j < e; j++ {
				m.add(v[j])
			}
			work += s - start[i-1] + e - end[i-1]
		}
		out[i] = m.result(w.MinPeriods)
		if err := p.step(work); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// varAcc is pandas' running variance state (add_var/remove_var): Welford's update of the
// mean and of the sum of squared deviations ssqdm, with Kahan compensation of the mean
// (separately for additions and removals), and the run length of equal values.
type varAcc struct {
	nobs, mean, ssqdm   float64
	compAdd, compRemove float64
	consecutiveSame     int
	prev                float64
}

func (a *varAcc) add(v float64) {
	if v != v {
		return
	}
	a.nobs++
	if v == a.prev {
		a.consecutiveSame++
	} else {
		a.consecutiveSame = 1
	}
	a.prev = v
	prevMean := a.mean - a.compAdd
	y := v - a.compAdd
	t := y - a.mean
	a.compAdd = t + a.mean - y
	if a.nobs != 0 {
		a.mean += t / a.nobs
	} else {
		a.mean = 0
	}
	// the conversion keeps the compiler from fusing into an FMA, which pandas' C does not
	a.ssqdm += float64((v - prevMean) * (v - a.mean))
}

func (a *varAcc) remove(v float64) {
	if v != v {
		return
	}
	a.nobs--
	if a.nobs == 0 {
		a.mean, a.ssqdm = 0, 0
		return
	}
	prevMean := a.mean - a.compRemove
	y := v - a.compRemove
	t := y - a.mean
	a.compRemove = t + a.mean - y
	a.mean -= t / a.nobs
	a.ssqdm -= float64((v - prevMean) * (v - a.mean))
}

// result is pandas' calc_var; minPeriods is at least 1 (roll_var's max(minp, 1)).
func (a *varAcc) result(minPeriods, ddof int) float64 {
	if a.nobs < float64(minPeriods) || a.nobs <= float64(ddof) {
		return math.NaN()
	}
	if a.nobs == 1 || float64(a.consecutiveSame) >= a.nobs {
		return 0
	}
	return a.ssqdm / (a.nobs - float64(ddof))
}

// Var is pandas' rolling variance with delta degrees of freedom ddof (pandas' default is
// 1, the sample variance): ssqdm / (nobs − ddof), ssqdm the sum of squared deviations from
// the mean kept by pandas' online Welford update (roll_var), so the last bits follow
// pandas rather than a two-pass formula. NaN when nobs < max(MinPeriods, 1) or
// nobs ≤ ddof; exactly 0 for a single value and for a window of one repeated value. The
// online update can leave a tiny negative ssqdm when values leave the window; pandas
// returns such a variance as it is (Std clamps it to 0).
func (w *RollingWindows) Var(ctx context.Context, values []float64, ddof int) ([]float64, error) {
	v, win, err := w.prepare(values, false)
	if err != nil {
		return nil, err
	}
	minp := max(w.MinPeriods, 1)
	start, end := win.Start, win.End
	out := make([]float64, len(start))
	p := pacer{ctx: ctx}
	var a varAcc
	for i := range start {
		s, e := start[i], end[i]
		work := 1
		if rebuild(win, i) {
			a = varAcc{prev: valueAt(v, s)}
			for j := s; j < e; j++ {
				a.add(v[j])
			}
			work += e - s
		} else {
			for j := start[i-1]; j < s; j++ {
				a.remove(v[j])
			}
			for j := end[i-1]; j < e; j++ {
				a.add(v[j])
			}
			work += s - start[i-1] + e - end[i-1]
		}
		out[i] = a.result(minp, ddof)
		if err := p.step(work); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Std is pandas' rolling standard deviation: the square root of Var(ddof), with a
// negative variance (a rounding residue of the online update) giving 0, as pandas' zsqrt
// does; NaN where Var is NaN.
func (w *RollingWindows) Std(ctx context.Context, values []float64, ddof int) ([]float64, error) {
	out, err := w.Var(ctx, values, ddof)
	if err != nil {
		return nil, err
	}
	for i, v := range out {
		if v < 0 {
			out[i] = 0
		} else {
			out[i] = math.Sqrt(v)
		}
	}
	return out, nil
}

// Max is pandas' rolling maximum (roll_max): the largest non-NaN value of each window;
// NaN for an empty window, a window without non-NaN values, or nobs < MinPeriods. Among
// equal values the latest row's is returned (it matters only for the sign of zero).
func (w *RollingWindows) Max(ctx context.Context, values []float64) ([]float64, error) {
	return w.minMax(ctx, values, true)
}

// Min is pandas' rolling minimum (roll_min); see Max.
func (w *RollingWindows) Min(ctx context.Context, values []float64) ([]float64, error) {
	return w.minMax(ctx, values, false)
}

// minMax is pandas' _roll_min_max: a monotonic deque of row numbers whose values decrease
// (max) or increase (min) from the front, so the front is the window's extreme. A NaN
// enters as −Inf (max) or +Inf (min), evicting only NaN entries before it, and is evicted
// by the next number; it reaches the front only when the window holds no number.
func (w *RollingWindows) minMax(ctx context.Context, values []float64, isMax bool) ([]float64, error) {
	v, win, err := w.prepare(values, false)
	if err != nil {
		return nil, err
	}
	if !win.Monotonic {
		return w.minMaxEach(ctx, v, win, isMax)
	}
	start, end := win.Start, win.End
	out := make([]float64, len(start))
	p := pacer{ctx: ctx}
	widest := 0
	for i, s := range start {
		widest = max(widest, end[i]-s)
	}
	// the deque holds at most a window and the rows entering next: room for two
	// windows makes its compactions rare
	q := indexDeque{buf: make([]int, 0, min(2*widest+2, len(start)+1))}
	nobs := 0
	counted := 0 // rows [counted, end[i]) are the ones nobs has counted
	if len(start) > 0 {
		counted = start[0]
	}
	missing := math.Inf(1)
	if isMax {
		missing = math.Inf(-1)
	}
	for i := range start {
		s, e := start[i], end[i]
		k := s
		if i > 0 {
			k = end[i-1]
		}
		work := 1 + e - k
		for ; k < e; k++ {
			ai := v[k]
			if ai == ai {
				nobs++
			} else {
				ai = missing
			}
			for q.len() > 0 {
				b := v[q.back()]
				if b == b && (isMax && ai < b || !isMax && ai > b) {
					break
				}
				q.popBack()
			}
			q.pushBack(k)
		}
		for q.len() > 0 && q.front() < s {
			q.popFront()
		}
		for ; counted < s; counted++ {
			if v[counted] == v[counted] {
				nobs--
			}
		}
		if q.len() > 0 && e > s && nobs >= w.MinPeriods {
			out[i] = v[q.front()]
		} else {
			out[i] = math.NaN()
		}
		if err := p.step(work); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// minMaxEach computes every window from scratch, for bounds that may move backwards
// (pandas' deque assumes they do not); ties resolve to the latest row as in the deque.
func (w *RollingWindows) minMaxEach(ctx context.Context, v []float64, win Windows, isMax bool) ([]float64, error) {
	out := make([]float64, len(win.Start))
	p := pacer{ctx: ctx}
	for i, s := range win.Start {
		e := win.End[i]
		best, nobs := math.NaN(), 0
		for _, x := range v[s:e] {
			if x != x {
				continue
			}
			nobs++
			if best != best || isMax && x >= best || !isMax && x <= best {
				best = x
			}
		}
		if nobs < w.MinPeriods {
			best = math.NaN()
		}
		out[i] = best
		if err := p.step(1 + e - s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// indexDeque is a double-ended queue of row numbers: a slice with a moving head,
// compacted when it would grow while its front part is unused.
type indexDeque struct {
	buf  []int
	head int
}

func (d *indexDeque) len() int   { return len(d.buf) - d.head }
func (d *indexDeque) front() int { return d.buf[d.head] }
func (d *indexDeque) back() int  { return d.buf[len(d.buf)-1] }
func (d *indexDeque) popFront()  { d.head++ }
func (d *indexDeque) popBack()   { d.buf = d.buf[:len(d.buf)-1] }

func (d *indexDeque) pushBack(k int) {
	if len(d.buf) == cap(d.buf) && d.head > 0 {
		d.buf = d.buf[:copy(d.buf, d.buf[d.head:])]
		d.head = 0
	}
	d.buf = append(d.buf, k)
}

// Count is pandas' rolling count: the number of values that are not NaN (±Inf count,
// as notna does). Since pandas sums a 0/1 indicator with roll_sum, min_periods compares
// with the number of rows in the window, not with the count: NaN when the window has
// fewer than MinPeriods rows, and an empty window counts 0 when MinPeriods is 0. pandas
// 2.1's default min_periods for a count window is the window (as for the other
// aggregations, which Rolling.Over resolves); pandas 1.5 used 0 with a FutureWarning.
func (w *RollingWindows) Count(ctx context.Context, values []float64) ([]float64, error) {
	v, win, err := w.prepare(values, true)
	if err != nil {
		return nil, err
	}
	start, end := win.Start, win.End
	out := make([]float64, len(start))
	p := pacer{ctx: ctx}
	count := 0
	for i := range start {
		s, e := start[i], end[i]
		work := 1
		if rebuild(win, i) {
			count = 0
			for j := s; j < e; j++ {
				if v[j] == v[j] {
					count++
				}
			}
			work += e - s
		} else {
			for j := start[i-1]; j < s; j++ {
				if v[j] == v[j] {
					count--
				}
			}
			for j := end[i-1]; j < e; j++ {
				if v[j] == v[j] {
					count++
				}
			}
			work += s - start[i-1] + e - end[i-1]
		}
		if e-s >= w.MinPeriods {
			out[i] = float64(count)
		} else {
			out[i] = math.NaN()
		}
		if err := p.step(work); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Apply is pandas' rolling apply with raw=True (the Cython and the numba engine agree):
// f receives each window's values as they are, NaN included (±Inf already replaced by
// NaN), and its result is the window's; windows with fewer than MinPeriods non-NaN values
// give NaN without calling f. With MinPeriods 0, f is called for empty windows too, with
// an empty slice. The slice aliases values (or pandas' NaN-for-Inf copy): f must neither
// modify nor keep it.
func (w *RollingWindows) Apply(ctx context.Context, values []float64, f func(window []float64) float64) ([]float64, error) {
	v, win, err := w.prepare(values, false)
	if err != nil {
		return nil, err
	}
	start, end := win.Start, win.End
	out := make([]float64, len(start))
	p := pacer{ctx: ctx}
	count := 0
	for i := range start {
		s, e := start[i], end[i]
		if rebuild(win, i) {
			count = 0
			for j := s; j < e; j++ {
				if v[j] == v[j] {
					count++
				}
			}
		} else {
			for j := start[i-1]; j < s; j++ {
				if v[j] == v[j] {
					count--
				}
			}
			for j := end[i-1]; j < e; j++ {
				if v[j] == v[j] {
					count++
				}
			}
		}
		if count >= w.MinPeriods {
			out[i] = f(v[s:e:e])
		} else {
			out[i] = math.NaN()
		}
		if err := p.step(1 + e - s); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Median is pandas' rolling median (roll_median_c): the middle value of the window's
// sorted non-NaN values, or the mean (a+b)/2 of the two middle ones for an even count —
// the exact median, as pandas' skiplist gives it. NaN when nobs < MinPeriods and for a
// window without values (also with MinPeriods 0).
//
// Monotonic windows (all of pandas' indexers) are computed by sorted blocks
// (sortedBlockMedian, as bit masks for windows of up to 63 rows: O(1) per row after
// sorting; long series in pieces on several cores), others with the order statistic.
func (w *RollingWindows) Median(ctx context.Context, values []float64) ([]float64, error) {
	v, win, err := w.prepare(values, true) // the sorted blocks skip ±Inf themselves
	if err != nil {
		return nil, err
	}
	if win.Monotonic {
		return parallelBlockMedian(ctx, v, win.Start, win.End, w.MinPeriods)
	}
	return w.orderStatistic(ctx, values, func(st orderStat, nobs int) float64 {
		if nobs == 0 {
			return math.NaN()
		}
		mid := nobs / 2
		if nobs%2 == 1 {
			return st.kth(mid)
		}
		return (st.kth(mid) + st.kth(mid-1)) / 2
	})
}

// QuantileInterpolation is pandas' and numpy's interpolation= of a quantile that falls
// between two sorted values x[i] < x[i+1] at fractional rank i + f.
type QuantileInterpolation uint8

// The interpolations: linear x[i] + (x[i+1] − x[i])·f (the default), lower x[i],
// higher x[i+1], nearest (f = 0.5 rounds i to even, as numpy and Python's round),
// midpoint (x[i] + x[i+1]) / 2.
const (
	QuantileLinear QuantileInterpolation = iota
	QuantileLower
	QuantileHigher
	QuantileNearest
	QuantileMidpoint
)

func (q QuantileInterpolation) String() string {
	switch q {
	case QuantileLinear:
		return "linear"
	case QuantileLower:
		return "lower"
	case QuantileHigher:
		return "higher"
	case QuantileNearest:
		return "nearest"
	case QuantileMidpoint:
		return "midpoint"
	}
	return fmt.Sprintf("QuantileInterpolation(%d)", uint8(q))
}

// ParseQuantileInterpolation reads pandas' interpolation names; others fail with pandas'
// message "Interpolation 'x' is not supported". (pandas checks the name only when it
// computes a quantile strictly between 0 and 1 of a non-empty series; callers reproducing
// that parse it there.)
func ParseQuantileInterpolation(s string) (QuantileInterpolation, error) {
	for q := QuantileLinear; q <= QuantileMidpoint; q++ {
		if q.String() == s {
			return q, nil
		}
	}
	return 0, ValueError("Interpolation '%s' is not supported", s)
}

// Quantile is pandas' rolling quantile(q, interpolation) (roll_quantile): with the
// window's nobs non-NaN values sorted, the value at fractional rank q·(nobs − 1) — the
// definition numpy's quantile uses — with the interpolation between its neighbours; the
// linear rule is computed as pandas does, x[i] + (x[i+1] − x[i])·f. A single value is its
// own quantile. NaN when nobs < MinPeriods and for a window without values. q = 0 and
// q = 1 are Min and Max (pandas switches to them, ignoring interpolation); any other q
// outside (0, 1) fails with pandas' "quantile value 1.5 not in [0, 1]", except for an
// empty series, for which pandas computes nothing.
func (w *RollingWindows) Quantile(ctx context.Context, values []float64, q float64, interpolation QuantileInterpolation) ([]float64, error) {
	switch {
	case len(values) == 0 && len(w.Start) == 0:
		return []float64{}, nil
	case q == 1:
		return w.Max(ctx, values)
	case q == 0:
		return w.Min(ctx, values)
	case q < 0 || q > 1:
		return nil, ValueError("quantile value %s not in [0, 1]", PyFloat(q))
	case interpolation > QuantileMidpoint:
		return nil, ValueError("Interpolation '%v' is not supported", interpolation)
	}
	return w.orderStatistic(ctx, values, func(st orderStat, nobs int) float64 {
		if nobs == 1 {
			return st.kth(0)
		}
		if nobs == 0 || q != q {
			return math.NaN() // pandas' skiplist lookup fails for these
		}
		pos := q * float64(nobs-1)
		i := int(pos)
		f := pos - float64(i)
		if f == 0 {
			return st.kth(i)
		}
		switch interpolation {
		case QuantileLower:
			return st.kth(i)
		case QuantileHigher:
			return st.kth(i + 1)
		case QuantileNearest:
			if f == 0.5 && i%2 == 0 || f < 0.5 {
				return st.kth(i)
			}
			return st.kth(i + 1)
		case QuantileMidpoint:
			return (st.kth(i) + st.kth(i+1)) / 2
		}
		lo, hi := st.kth(i), st.kth(i+1)
		return lo + float64((hi-lo)*f)
	})
}

// orderStatistic runs pick over each window's sorted non-NaN values, kept up to date by
// an order-statistic structure as pandas keeps its skiplist; pick gets the structure and
// nobs, and is only called when nobs ≥ MinPeriods (NaN otherwise). All windows empty:
// all NaN.
func (w *RollingWindows) orderStatistic(ctx context.Context, values []float64, pick func(st orderStat, nobs int) float64) ([]float64, error) {
	v, win, err := w.prepare(values, false)
	if err != nil {
		return nil, err
	}
	start, end := win.Start, win.End
	out := make([]float64, len(start))
	widest := 0
	for i, s := range start {
		widest = max(widest, end[i]-s)
	}
	if widest == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return out, nil
	}
	st := newOrderStat(v, widest)
	p := pacer{ctx: ctx}
	nobs := 0
	for i := range start {
		s, e := start[i], end[i]
		work := 1
		if rebuild(win, i) {
			if i > 0 {
				st.clear(start[i-1], end[i-1])
				work += end[i-1] - start[i-1]
			}
			nobs = 0
			for j := s; j < e; j++ {
				if v[j] == v[j] {
					st.add(j)
					nobs++
				}
			}
			work += e - s
		} else {
			for j := end[i-1]; j < e; j++ {
				if v[j] == v[j] {
					st.add(j)
					nobs++
				}
			}
			for j := start[i-1]; j < s; j++ {
				if v[j] == v[j] {
					st.remove(j)
					nobs--
				}
			}
			work += s - start[i-1] + e - end[i-1]
		}
		if nobs >= w.MinPeriods {
			out[i] = pick(st, nobs)
		} else {
			out[i] = math.NaN()
		}
		if err := p.step(work); err != nil {
			return nil, err
		}
	}
	return out, nil
}
