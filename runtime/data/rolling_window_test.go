package data

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// The expected bounds follow pandas' FixedWindowIndexer by hand (end = i+1+offset,
// start = end−w, closed adjustments, clip to [0, n]); the rows each window covers are
// given in the comments. All but the window-0 rows were also checked against pandas 1.5.
func TestFixedWindowBounds(t *testing.T) {
	cases := []struct {
		name       string
		window     int
		center     bool
		closed     Closed
		start, end []int
	}{
		// trailing rows [i−2, i]: {0} {0,1} {0,1,2} {1,2,3} {2,3,4}
		{"right", 3, false, ClosedRight, []int{0, 0, 0, 1, 2}, []int{1, 2, 3, 4, 5}},
		// [i−3, i−1]: {} {0} {0,1} {0,1,2} {1,2,3} — the first window is empty
		{"left", 3, false, ClosedLeft, []int{0, 0, 0, 0, 1}, []int{0, 1, 2, 3, 4}},
		// [i−3, i]: one row more than right
		{"both", 3, false, ClosedBoth, []int{0, 0, 0, 0, 1}, []int{1, 2, 3, 4, 5}},
		// [i−2, i−1]
		{"neither", 3, false, ClosedNeither, []int{0, 0, 0, 1, 2}, []int{0, 1, 2, 3, 4}},
		// odd centred width 3, offset 1: [i−1, i+1]
		{"centred odd", 3, true, ClosedRight, []int{0, 0, 1, 2, 3}, []int{2, 3, 4, 5, 5}},
		// even centred width 4, offset (4−1)//2 = 1: [i−2, i+1], two rows before, one after
		{"centred even", 4, true, ClosedRight, []int{0, 0, 0, 1, 2}, []int{2, 3, 4, 5, 5}},
		// centred and left-closed: [i−3, i] shifted by the offset 1 then end−1: [i−2, i]
		{"centred left", 3, true, ClosedLeft, []int{0, 0, 0, 1, 2}, []int{1, 2, 3, 4, 5}},
		// longer than the series: everything up to the row
		{"longer than series", 7, false, ClosedRight, []int{0, 0, 0, 0, 0}, []int{1, 2, 3, 4, 5}},
		// centred and longer: [i−3, i+3] clipped, so the last row loses row 0
		{"centred longer", 7, true, ClosedRight, []int{0, 0, 0, 0, 1}, []int{4, 5, 5, 5, 5}},
		// window 0 (pandas 2.1 applies the offset −1 here too): empty windows [i, i)
		{"zero", 0, false, ClosedRight, []int{0, 1, 2, 3, 4}, []int{0, 1, 2, 3, 4}},
		// window 0, both: [i−1, i) — pandas 2.1 aggregates the previous row (1.5: row i)
		{"zero both", 0, false, ClosedBoth, []int{0, 0, 1, 2, 3}, []int{0, 1, 2, 3, 4}},
		// window 0, neither: pandas' end i−1 lies before start i; returned as empty [i, i)
		{"zero neither", 0, false, ClosedNeither, []int{0, 1, 2, 3, 4}, []int{0, 1, 2, 3, 4}},
	}
	for _, c := range cases {
		w := FixedWindowBounds(5, c.window, c.center, c.closed)
		if !slices.Equal(w.Start, c.start) || !slices.Equal(w.End, c.end) || !w.Monotonic {
			t.Errorf("%s: start %v end %v monotonic %t; want start %v end %v", c.name, w.Start, w.End, w.Monotonic, c.start, c.end)
		}
	}
	if w := FixedWindowBounds(0, 3, true, ClosedRight); len(w.Start) != 0 || len(w.End) != 0 {
		t.Errorf("no rows: %+v", w)
	}
}

func rollMinutes(m ...int64) Column {
	ns := make([]int64, len(m))
	for i, v := range m {
		ns[i] = v * nsPerMinute
	}
	return Datetimes(ns, Zone{})
}

// The messages and their order are pandas' (BaseWindow._validate, Rolling._validate,
// to_offset, Tick.nanos), checked against pandas 1.5.
func TestRollingValidation(t *testing.T) {
	sorted := rollMinutes(0, 1, 2, 3)
	unsorted := rollMinutes(1, 0, 2, 3)
	withNaT := Datetimes([]int64{0, NaT, 2}, Zone{})
	ints := Range(3)
	count := func(n int64) Rolling { return Rolling{Window: n, Count: true} }
	cases := []struct {
		name   string
		r      Rolling
		index  Column
		offset string // "" for Over on r as it is
		msg    string
	}{
		{"negative count window", count(-1), ints, "", "window must be an integer 0 or greater"},
		// min_periods is checked before the window
		{"min_periods above window", count(-1).WithMinPeriods(0), ints, "", "min_periods 0 must be <= window -1"},
		{"min_periods above count window", count(2).WithMinPeriods(3), ints, "", "min_periods 3 must be <= window 2"},
		{"negative min_periods", count(2).WithMinPeriods(-1), ints, "", "min_periods must be >= 0"},
		{"bad closed", Rolling{Window: 2, Count: true, Closed: 9}, ints, "", "closed must be 'right', 'left', 'both' or 'neither'"},
		{"time window on an integer index", Rolling{Window: 60e9}, ints, "", "window must be an integer 0 or greater"},
		{"offset on an integer index", Rolling{}, ints, "2min", "window must be an integer 0 or greater"},
		// ... unless the series is empty: then the string itself is checked
		{"bad offset on an empty index", Rolling{}, Range(0), "xyz", "passed window xyz is not compatible with a datetimelike index"},
		{"bad offset", Rolling{}, sorted, "xyz", "passed window xyz is not compatible with a datetimelike index"},
		{"NaT", Rolling{}, withNaT, "2min", "index values must not have NaT"},
		// NaT sorts first, so only the ends could hold it in a monotonic index; anywhere
		// it is reported before the order
		{"NaT first", Rolling{}, Datetimes([]int64{NaT, 1, 2}, Zone{}), "2min", "index values must not have NaT"},
		{"NaT last, decreasing", Rolling{}, Datetimes([]int64{2, 1, NaT}, Zone{}), "2min", "index values must not have NaT"},
		{"NaT inside, unsorted", Rolling{Window: 60e9}, Datetimes([]int64{5, 1, NaT, 2, 3}, Zone{}), "", "index values must not have NaT"},
		{"unsorted, ends in order", Rolling{Window: 60e9}, Datetimes([]int64{1, 3, 2, 4}, Zone{}), "", "index values must be monotonic"},
		{"unsorted, ends reversed", Rolling{Window: 60e9}, Datetimes([]int64{4, 2, 3, 1}, Zone{}), "", "index values must be monotonic"},
		// the index is checked before the string
		{"unsorted", Rolling{}, unsorted, "xyz", "index values must be monotonic"},
		{"unsorted Over", Rolling{Window: 60e9}, unsorted, "", "index values must be monotonic"},
		// min_periods before the index
		{"negative min_periods, offset", Rolling{}.WithMinPeriods(-1), unsorted, "2min", "min_periods must be >= 0"},
		{"month", Rolling{}, sorted, "1M", "<MonthEnd> is a non-fixed frequency"},
		{"two months", Rolling{}, sorted, "2M", "<2 * MonthEnds> is a non-fixed frequency"},
		{"week", Rolling{}, sorted, "W", "<Week: weekday=6> is a non-fixed frequency"},
	}
	for _, c := range cases {
		var err error
		if c.offset != "" {
			_, err = c.r.WithOffset(c.index, c.offset)
		} else {
			_, err = c.r.Over(context.Background(), c.index)
		}
		var pe *Error
		if !errors.As(err, &pe) || pe.Type != "ValueError" || pe.Message != c.msg {
			t.Errorf("%s: err = %v; want ValueError %q", c.name, err, c.msg)
		}
		if c.offset != "" {
			if _, err := c.r.OverOffset(context.Background(), c.index, c.offset); !errors.As(err, &pe) || pe.Message != c.msg {
				t.Errorf("%s, OverOffset: err = %v; want ValueError %q", c.name, err, c.msg)
			}
		}
	}

	// Accepted: a decreasing index, an empty series, zero and negative offsets.
	for _, c := range []struct {
		index  Column
		offset string
		nanos  int64
	}{
		{rollMinutes(3, 2, 0), "2min", 2 * nsPerMinute},
		{Range(0), "2min", 2 * nsPerMinute},
		{sorted, "0min", 0},
		{sorted, "-2min", -2 * nsPerMinute},
		{sorted, "1h30min", 90 * nsPerMinute},
	} {
		r, err := Rolling{Center: true}.WithOffset(c.index, c.offset)
		if err != nil || r.Window != c.nanos || r.Count || !r.Center {
			t.Errorf("%q: %+v, %v; want a centred time window of %d ns", c.offset, r, err, c.nanos)
			continue
		}
		if _, err := r.Over(context.Background(), c.index); err != nil {
			t.Errorf("%q: Over: %v", c.offset, err)
		}
	}
}

// pandas' defaults: min_periods 1 for time windows, the window for count windows; an
// explicit one, 0 included, is kept.
func TestRollingMinPeriodsDefaults(t *testing.T) {
	ctx := context.Background()
	idx := rollMinutes(0, 1, 2)
	for _, c := range []struct {
		r    Rolling
		want int
	}{
		{Rolling{Window: 60e9}, 1},
		{Rolling{Window: 4, Count: true}, 4},
		{Rolling{Window: 4, Count: true}.WithMinPeriods(0), 0},
		{Rolling{Window: 60e9}.WithMinPeriods(3), 3},
	} {
		w, err := c.r.Over(ctx, idx)
		if err != nil || w.MinPeriods != c.want || len(w.Start) != 3 {
			t.Errorf("%+v: %+v, %v; want min_periods %d", c.r, w, err, c.want)
		}
	}
}

func TestParseClosed(t *testing.T) {
	for _, c := range []Closed{ClosedRight, ClosedLeft, ClosedBoth, ClosedNeither} {
		got, err := ParseClosed(c.String())
		if err != nil || got != c {
			t.Errorf("%v: %v, %v", c, got, err)
		}
	}
	for _, s := range []string{"", "Right", "open"} {
		if _, err := ParseClosed(s); err == nil || err.Error() != "ValueError: closed must be 'right', 'left', 'both' or 'neither'" {
			t.Errorf("%q: %v", s, err)
		}
	}
}

// The expected texts are what pandas 1.5 prints for to_offset(s).nanos.
func TestOffsetRepr(t *testing.T) {
	for s, want := range map[string]string{
		"M": "<MonthEnd>", "-1M": "<-1 * MonthEnd>", "MS": "<MonthBegin>",
		"SM": "<SemiMonthEnd: day_of_month=15>", "BM": "<BusinessMonthEnd>",
		"3B": "<3 * BusinessDays>", "BH": "<BusinessHour: BH=09:00-17:00>",
		"Q": "<QuarterEnd: startingMonth=12>", "Q-JAN": "<QuarterEnd: startingMonth=1>",
		"2QS-MAR": "<2 * QuarterBegins: startingMonth=3>", "BQS": "<BusinessQuarterBegin: startingMonth=1>",
		"A": "<YearEnd: month=12>", "A-JUN": "<YearEnd: month=6>", "YS": "<YearBegin: month=1>",
		"BA": "<BYearEnd: month=12>", "W-MON": "<Week: weekday=0>", "2W-TUE": "<2 * Weeks: weekday=1>",
	} {
		off, err := ParseOffset(s)
		if err != nil || off.Fixed() {
			t.Errorf("%q: %+v, %v", s, off, err)
			continue
		}
		if got := offsetRepr(off); got != want {
			t.Errorf("%q: %s; want %s", s, got, want)
		}
	}
}

// Released bounds are reused by the next Over, which computes them afresh over the
// old contents; Release is a no-op on windows not from Over and on a second call.
func TestRollingWindowsRelease(t *testing.T) {
	ctx := context.Background()
	idx := rollMinutes(0, 1, 2, 4, 7, 11)
	want, err := Rolling{Window: 3 * nsPerMinute}.Over(ctx, idx)
	if err != nil {
		t.Fatal(err)
	}
	wantStart, wantEnd := slices.Clone(want.Start), slices.Clone(want.End)
	for range 3 {
		for _, r := range []Rolling{{Window: 5 * nsPerMinute, Closed: ClosedBoth}, {Window: 2, Count: true, Center: true}} {
			w, err := r.Over(ctx, idx)
			if err != nil {
				t.Fatal(err)
			}
			w.Release()
			w.Release()
			if w.Start != nil || w.End != nil {
				t.Fatalf("released windows keep their bounds: %+v", w.Windows)
			}
		}
		got, err := Rolling{Window: 3 * nsPerMinute}.Over(ctx, idx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Start, wantStart) || !slices.Equal(got.End, wantEnd) || got.Monotonic != want.Monotonic {
			t.Fatalf("over reused bounds: %+v, want start %v end %v", got.Windows, wantStart, wantEnd)
		}
		got.Release()
	}
	if both, err := (Rolling{}).OverOffset(ctx, idx, "3min"); err != nil || !slices.Equal(both.Start, wantStart) || !slices.Equal(both.End, wantEnd) {
		t.Errorf("OverOffset: %+v, %v; want start %v end %v", both, err, wantStart, wantEnd)
	}
	own := &RollingWindows{Windows: FixedWindowBounds(3, 2, false, ClosedRight)}
	own.Release()
	if own.Start == nil {
		t.Error("Release cleared windows it does not own")
	}
}

// The windows Over marks as fitting by construction — count windows and time windows
// that are not centred — do fit: in range, none reversed, the Monotonic flag exact; so
// the aggregations may skip checking them.
func TestOverValidWindowsFit(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(13, 14))
	for trial := range 500 {
		n := rng.IntN(80)
		ts := make([]int64, n)
		var x int64
		for i := range ts {
			x += int64(rng.IntN(3)) * nsPerMinute
			ts[i] = x
		}
		if trial%2 == 1 {
			slices.Reverse(ts)
		}
		r := Rolling{Window: int64(rng.IntN(9) - 1), Count: true, Center: rng.IntN(2) == 0, Closed: Closed(rng.IntN(4))}
		if trial%3 != 0 {
			r = Rolling{Window: int64(rng.IntN(6)-1) * nsPerMinute, Closed: Closed(rng.IntN(4)), Center: rng.IntN(4) == 0}
		}
		w, err := r.Over(ctx, Datetimes(ts, Zone{}))
		if err != nil {
			continue // a negative count window
		}
		if w.valid != !(r.Center && !r.Count) {
			t.Fatalf("trial %d %+v: valid %v", trial, r, w.valid)
		}
		if !w.valid {
			continue
		}
		for i, s := range w.Start {
			if s < 0 || s > w.End[i] || w.End[i] > n {
				t.Fatalf("trial %d %+v: window %d is [%d, %d) of %d rows", trial, r, i, s, w.End[i], n)
			}
		}
		if w.Monotonic != monotonicBounds(w.Start, w.End) {
			t.Fatalf("trial %d %+v: Monotonic %v for %v %v", trial, r, w.Monotonic, w.Start, w.End)
		}
	}
}
