package data

import (
	"context"
	"fmt"
	"strings"
)

// String is the name pandas uses for the closedness ("right", "left", "both", "neither").
func (c Closed) String() string {
	switch c {
	case ClosedRight:
		return "right"
	case ClosedLeft:
		return "left"
	case ClosedBoth:
		return "both"
	case ClosedNeither:
		return "neither"
	}
	return fmt.Sprintf("Closed(%d)", uint8(c))
}

// errClosed is pandas' error for a closed= that is none of the four names.
func errClosed() error {
	return ValueError("closed must be 'right', 'left', 'both' or 'neither'")
}

// ParseClosed reads pandas' closed= names. pandas' closed=None is ClosedRight; the caller
// decides what stands for None, so "" is an error here like any other unknown name.
func ParseClosed(s string) (Closed, error) {
	switch s {
	case "right":
		return ClosedRight, nil
	case "left":
		return ClosedLeft, nil
	case "both":
		return ClosedBoth, nil
	case "neither":
		return ClosedNeither, nil
	}
	return 0, errClosed()
}

// FixedWindowBounds is pandas' FixedWindowIndexer (the bounds of s.rolling(window) with an
// integer window) for n rows. Row i aggregates rows [Start[i], End[i]):
//
//	end   = i + 1 + offset,  offset = (window−1)//2 (floor) if center or window == 0, else 0
//	start = end − window
//	closed left/both: start −= 1;  closed left/neither: end −= 1
//
// and both are clipped to [0, n]. So the default window is the trailing rows [i−w+1, i],
// centred windows of odd width w are [i−(w−1)/2, i+(w−1)/2] and of even width have one row
// more before the row than after it (w = 4: i−2 … i+1). "left" drops the row itself and
// takes one more before it: [i−w, i−1], so the first window is empty.
//
// pandas 2.1 applies the centre offset also to window == 0 (1.5 did not); it only moves
// empty windows, except with closed both/left, where pandas 2.1 then aggregates row i−1.
// A window that would end before it starts (window 0, closed neither) is returned as the
// empty window [start, start), which every aggregation treats as pandas treats its
// reversed bounds: no observations.
func FixedWindowBounds(n, window int, center bool, closed Closed) Windows {
	return fixedWindowBounds(window, center, closed, make([]int, n), make([]int, n))
}

// fixedWindowBounds is FixedWindowBounds into start and end (one per row, any content).
func fixedWindowBounds(window int, center bool, closed Closed, start, end []int) Windows {
	n := len(start)
	offset := 0
	if center || window == 0 {
		offset = int(floorDiv(int64(window)-1, 2))
	}
	leftOpen := closed == ClosedLeft || closed == ClosedBoth // start moves left
	rightOpen := closed == ClosedLeft || closed == ClosedNeither
	for i := range n {
		e := i + 1 + offset
		s := e - window
		if leftOpen {
			s--
		}
		if rightOpen {
			e--
		}
		s = min(max(s, 0), n)
		e = min(max(e, 0), n)
		start[i] = s
		end[i] = max(e, s)
	}
	return Windows{Start: start, End: end, Monotonic: true}
}

// Rolling is the specification of pandas' s.rolling(window, min_periods, center, closed):
// a count window of Window rows (Count) or a time window of Window nanoseconds over a
// datetime index. Bounds for a particular index come from Over; an offset string is
// turned into a time window by WithOffset.
//
// min_periods: a window whose number of non-NaN values is below it gives NaN. pandas'
// default (min_periods=None, MinPeriodsSet false) is 1 for time windows and Window for
// count windows; MinPeriods is only read when MinPeriodsSet, so that a user's min_periods
// of 0 or below is told apart from the default (and a negative one fails as in pandas).
type Rolling struct {
	Window        int64 // rows (Count) or nanoseconds
	Count         bool
	Closed        Closed // pandas' default closed=None is ClosedRight for both kinds
	Center        bool
	MinPeriods    int
	MinPeriodsSet bool
}

// WithMinPeriods returns r with min_periods set to k.
func (r Rolling) WithMinPeriods(k int) Rolling {
	r.MinPeriods, r.MinPeriodsSet = k, true
	return r
}

// validate runs the checks of pandas' BaseWindow._validate in its order: min_periods
// (non-negative; at most the window for integer windows), then closed.
func (r Rolling) validate() error {
	if r.MinPeriodsSet {
		if r.MinPeriods < 0 {
			return ValueError("min_periods must be >= 0")
		}
		if r.Count && int64(r.MinPeriods) > r.Window {
			return ValueError("min_periods %d must be <= window %d", r.MinPeriods, r.Window)
		}
	}
	if r.Closed > ClosedNeither {
		return errClosed()
	}
	return nil
}

// validateTimeIndex is the part of pandas' Rolling._validate that concerns the index of a
// time window: datetimelike (or empty), without NaT, monotonic in either direction.
// NaT is the smallest int64, so a monotonic index could only hold it at an end: with
// both ends valid one pass in the direction of the ends decides, and only an index that
// fails is searched for NaT (pandas reports NaT before order).
func validateTimeIndex(index Column) error {
	n := index.Len()
	if n == 0 {
		return nil
	}
	if index.DType != Datetime && index.DType != Timedeltas {
		return ValueError("window must be an integer 0 or greater")
	}
	t := index.I
	if t[0] != NaT && t[n-1] != NaT && (t[0] <= t[n-1] && nonDecreasing(t) || t[0] > t[n-1] && nonIncreasing(t)) {
		return nil
	}
	for _, x := range t {
		if x == NaT {
			return ValueError("index values must not have NaT")
		}
	}
	if !nonDecreasing(t) && !nonIncreasing(t) {
		return ValueError("index values must be monotonic")
	}
	return nil
}

func nonDecreasing(t []int64) bool {
	for i := 1; i < len(t); i++ {
		if t[i] < t[i-1] {
			return false
		}
	}
	return true
}

func nonIncreasing(t []int64) bool {
	for i := 1; i < len(t); i++ {
		if t[i] > t[i-1] {
			return false
		}
	}
	return true
}

// WithOffset is r as a time window given by a pandas offset string ("180min"), validated
// against the series' index with pandas' checks and messages in pandas' order: min_periods
// and closed; then the index — it must be datetimelike unless empty ("window must be an
// integer 0 or greater"), without NaT ("index values must not have NaT") and monotonic,
// increasing or decreasing ("index values must be monotonic"); then the string ("passed
// window X is not compatible with a datetimelike index"); then the offset must be fixed
// ("<MonthEnd> is a non-fixed frequency"). A zero or negative offset is accepted as pandas
// does: every row's window then holds just the rows at its own timestamp up to itself.
func (r Rolling) WithOffset(index Column, window string) (Rolling, error) {
	r.Count = false
	if err := r.validate(); err != nil {
		return r, err
	}
	if err := validateTimeIndex(index); err != nil {
		return r, err
	}
	off, err := ParseOffset(window)
	if err != nil {
		return r, ValueError("passed window %s is not compatible with a datetimelike index", window)
	}
	if !off.Fixed() {
		return r, ValueError("%s is a non-fixed frequency", offsetRepr(off))
	}
	r.Window, err = off.Nanos()
	if err != nil {
		return r, ValueError("%v", err)
	}
	return r, nil
}

// RollingWindows are the validated bounds of one Rolling over one index, with its
// min_periods resolved: the aggregations (Sum, Mean, Var, …) share them, so several
// aggregations of the same window compute the bounds once. Built by Rolling.Over, or
// directly from precomputed Windows (which must satisfy 0 ≤ Start[i] ≤ End[i] ≤ rows).
// The aggregations check windows they are given for range, reversed bounds and the
// Monotonic claim, except those Over made where that holds by construction; modify
// those only in a new RollingWindows.
type RollingWindows struct {
	Windows
	MinPeriods int
	pooled     bool // Start and End came from boundsPool
	valid      bool // Over's bounds: in range, none reversed, Monotonic exact
}

// boundsPool holds the bounds of released RollingWindows for later Over calls. A long
// series' bounds are megabytes (16 bytes a row), allocated anew for every request they
// are memory the runtime keeps handing back to the system and faulting in again (at 100k
// points, about 400 page faults per call of Moving median time).
var boundsPool slicePool[int]

// takeBounds is a slice of n bounds, reused when one is pooled (any content).
func takeBounds(n int) []int { return boundsPool.take(n) }

// Release hands w's bounds back for reuse by later calls of Over; w and its Windows must
// not be used afterwards. Calling it is optional (unreleased bounds are garbage
// collected as usual) and a no-op for RollingWindows not built by Over, and for a second
// call.
func (w *RollingWindows) Release() {
	if !w.pooled {
		return
	}
	boundsPool.put(w.Start)
	boundsPool.put(w.End)
	w.Windows, w.pooled, w.valid = Windows{}, false, false
}

// Over validates r against the index like pandas' Rolling._validate and computes its
// bounds: FixedWindowBounds for count windows (only the index's length matters; a
// negative window fails with "window must be an integer 0 or greater"), and
// VariableWindowBounds for time windows (the index checks of WithOffset apply). The
// bounds' memory may come from RollingWindows released before.
func (r Rolling) Over(ctx context.Context, index Column) (*RollingWindows, error) {
	if err := r.validate(); err != nil {
		return nil, err
	}
	n := index.Len()
	if r.Count {
		if r.Window < 0 {
			return nil, ValueError("window must be an integer 0 or greater")
		}
		minp := int(r.Window)
		if r.MinPeriodsSet {
			minp = r.MinPeriods
		}
		w := fixedWindowBounds(int(r.Window), r.Center, r.Closed, takeBounds(n), takeBounds(n))
		return &RollingWindows{Windows: w, MinPeriods: minp, pooled: true, valid: true}, nil
	}
	if err := validateTimeIndex(index); err != nil {
		return nil, err
	}
	return r.overTime(ctx, index)
}

// OverOffset is WithOffset(index, window) and then Over(ctx, index), with the index
// validated once.
func (r Rolling) OverOffset(ctx context.Context, index Column, window string) (*RollingWindows, error) {
	spec, err := r.WithOffset(index, window)
	if err != nil {
		return nil, err
	}
	return spec.overTime(ctx, index)
}

// overTime is Over of a time window on an index that passed validateTimeIndex.
func (r Rolling) overTime(ctx context.Context, index Column) (*RollingWindows, error) {
	n := index.Len()
	minp := 1
	if r.MinPeriodsSet {
		minp = r.MinPeriods
	}
	start, end := takeBounds(n), takeBounds(n)
	w, err := variableWindowBounds(ctx, index.I, r.Window, r.Closed, r.Center, true, start, end)
	if err != nil {
		(&RollingWindows{Windows: Windows{Start: start, End: end}, pooled: true}).Release()
		return nil, err
	}
	// trailing windows end at their row and start at or before it; centred ones may be
	// reversed
	return &RollingWindows{Windows: w, MinPeriods: minp, pooled: true, valid: !r.Center}, nil
}

// offsetRepr is the repr pandas gives a calendar offset in its "is a non-fixed frequency"
// error: "<MonthEnd>", "<2 * MonthEnds>", "<Week: weekday=6>",
// "<2 * QuarterBegins: startingMonth=3>".
func offsetRepr(o Offset) string {
	prefix, suffix, _ := strings.Cut(o.Name, "-")
	months := map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
		"JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
	month := func(def int) string {
		if m, ok := months[suffix]; ok {
			return fmt.Sprint(m)
		}
		return fmt.Sprint(def)
	}
	var name, attrs string
	switch prefix {
	case "M":
		name = "MonthEnd"
	case "MS":
		name = "MonthBegin"
	case "SM", "SMS":
		name = "SemiMonthEnd"
		if prefix == "SMS" {
			name = "SemiMonthBegin"
		}
		day := suffix
		if day == "" {
			day = "15"
		}
		attrs = "day_of_month=" + day
	case "BM":
		name = "BusinessMonthEnd"
	case "BMS":
		name = "BusinessMonthBegin"
	case "CBM":
		name = "CustomBusinessMonthEnd"
	case "CBMS":
		name = "CustomBusinessMonthBegin"
	case "B":
		name = "BusinessDay"
	case "C":
		name = "CustomBusinessDay"
	case "BH":
		name, attrs = "BusinessHour", "BH=09:00-17:00"
	case "CBH":
		name, attrs = "CustomBusinessHour", "CBH=09:00-17:00"
	case "Q":
		name, attrs = "QuarterEnd", "startingMonth="+month(12)
	case "QS":
		name, attrs = "QuarterBegin", "startingMonth="+month(1)
	case "BQ":
		name, attrs = "BusinessQuarterEnd", "startingMonth="+month(12)
	case "BQS":
		name, attrs = "BusinessQuarterBegin", "startingMonth="+month(1)
	case "A", "Y":
		name, attrs = "YearEnd", "month="+month(12)
	case "AS", "YS":
		name, attrs = "YearBegin", "month="+month(1)
	case "BA", "BY":
		name, attrs = "BYearEnd", "month="+month(12)
	case "BAS", "BYS":
		name, attrs = "BYearBegin", "month="+month(1)
	case "W":
		days := map[string]int{"MON": 0, "TUE": 1, "WED": 2, "THU": 3, "FRI": 4, "SAT": 5, "SUN": 6}
		d, ok := days[suffix]
		if !ok {
			d = 6
		}
		name, attrs = "Week", fmt.Sprintf("weekday=%d", d)
	default:
		return "<" + o.Name + ">"
	}
	var b strings.Builder
	b.WriteByte('<')
	if o.N != 1 {
		fmt.Fprintf(&b, "%d * ", o.N)
	}
	b.WriteString(name)
	if o.N != 1 && o.N != -1 {
		b.WriteByte('s')
	}
	if attrs != "" {
		b.WriteString(": ")
		b.WriteString(attrs)
	}
	b.WriteByte('>')
	return b.String()
}
