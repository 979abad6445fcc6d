package data

import (
	"context"
	"math"
	"sort"
)

// Time windows at chosen instants rather than at every row: what pandas computes when a
// series is reindexed onto the union of its index and a grid of window edges, rolled
// with a time window and reindexed back onto the edges (hetida's Moving Time Window
// components). Only the edges' windows are built and aggregated, over the original rows.

// TimeWindowsAt returns, for every instant e of at (ascending), the rows [Start, End) of
// the ascending, NaT-free index that pandas' rolling(window, closed=closed) would
// aggregate for a row labelled e of the union of index and at:
//
//	right (e−w, e]   left [e−w, e)   both [e−w, e]   neither (e−w, e)
//
// A row labelled e itself is in its own window whenever the right end is closed, also
// for a window of zero or negative length (pandas' bounds never start after the row);
// with an open right end such a window is empty. ctx is checked every CheckEvery edges.
func TimeWindowsAt(ctx context.Context, index, at []int64, window int64, closed Closed) (Windows, error) {
	rightClosed := closed == ClosedRight || closed == ClosedBoth
	leftClosed := closed == ClosedLeft || closed == ClosedBoth
	n := len(index)
	start := make([]int, len(at))
	end := make([]int, len(at))
	lo, atE, hi := 0, 0, 0 // first row > startBound; first row ≥ e; first row > e
	for k, e := range at {
		if err := checkCtx(ctx, k); err != nil {
			return Windows{}, err
		}
		startBound := satSub(e, window)
		if leftClosed {
			startBound = satSub(startBound, 1)
		}
		// the bounds only grow with e (at ascending); lo may need to move back when the
		// window is negative, so it is searched afresh then
		if window < 0 {
			lo = sort.Search(n, func(j int) bool { return index[j] > startBound })
		} else {
			for lo < n && index[lo] <= startBound {
				lo++
			}
		}
		for atE < n && index[atE] < e {
			atE++
		}
		for hi < n && index[hi] <= e {
			hi++
		}
		s := min(lo, atE)
		en := atE
		if rightClosed {
			en = hi
		}
		start[k], end[k] = s, max(en, s)
	}
	return Windows{Start: start, End: end, Monotonic: monotonicBounds(start, end)}, nil
}

// satSub is a − b clamped to the int64 range.
func satSub(a, b int64) int64 {
	d := a - b
	if (b > 0 && d > a) || (b < 0 && d < a) {
		if b > 0 {
			return math.MinInt64
		}
		return math.MaxInt64
	}
	return d
}

// WindowMeans is the mean of each window's finite values as hetida's numba kernel
// computes it (np.mean of the values without NaN; rolling has already turned ±Inf into
// NaN): a left-to-right sum divided by the count — numba's np.mean sums sequentially,
// not pairwise like numpy's. NaN for a window without finite values (rolling's
// min_periods of 1 keeps the kernel from being called).
func WindowMeans(ctx context.Context, values []float64, w Windows) ([]float64, error) {
	out := make([]float64, len(w.Start))
	work := 0
	for i, s := range w.Start {
		e := w.End[i]
		work += 1 + e - s
		if work >= CheckEvery {
			work = 0
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		sum, count := 0.0, 0
		for _, v := range values[s:e] {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				sum += v
				count++
			}
		}
		if count == 0 {
			out[i] = math.NaN()
		} else {
			out[i] = sum / float64(count)
		}
	}
	return out, nil
}

// WindowMedians is the median of each window's finite values (the mean (a+b)/2 of the
// middle two for an even count, as numpy's and numba's median); NaN for a window without
// finite values. Monotonic windows go through the rolling median's sorted blocks; others
// are rebuilt each with its order statistic.
func WindowMedians(ctx context.Context, values []float64, w Windows) ([]float64, error) {
	if w.Monotonic { // the sorted blocks skip ±Inf themselves
		return parallelBlockMedian(ctx, values, w.Start, w.End, 1)
	}
	v := values
	for i, x := range values {
		if math.IsInf(x, 0) {
			v = make([]float64, len(values))
			copy(v, values)
			for j := i; j < len(v); j++ {
				if math.IsInf(v[j], 0) {
					v[j] = math.NaN()
				}
			}
			break
		}
	}
	out := make([]float64, len(w.Start))
	widest := 0
	for i, s := range w.Start {
		widest = max(widest, w.End[i]-s)
	}
	st := newOrderStat(v, widest)
	p := pacer{ctx: ctx}
	nobs := 0
	for i, s := range w.Start {
		e := w.End[i]
		work := 1
		if i == 0 || !w.Monotonic || s >= w.End[i-1] {
			if i > 0 {
				st.clear(w.Start[i-1], w.End[i-1])
				work += w.End[i-1] - w.Start[i-1]
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
			for j := w.End[i-1]; j < e; j++ {
				if v[j] == v[j] {
					st.add(j)
					nobs++
				}
			}
			for j := w.Start[i-1]; j < s; j++ {
				if v[j] == v[j] {
					st.remove(j)
					nobs--
				}
			}
			work += s - w.Start[i-1] + e - w.End[i-1]
		}
		switch {
		case nobs == 0:
			out[i] = math.NaN()
		case nobs%2 == 1:
			out[i] = st.kth(nobs / 2)
		default:
			out[i] = (st.kth(nobs/2-1) + st.kth(nobs/2)) / 2
		}
		if err := p.step(work); err != nil {
			return nil, err
		}
	}
	return out, nil
}
