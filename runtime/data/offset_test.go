package data

import (
	"context"
	"testing"
)

// ts parses an ISO timestamp for tests (naive unless it has a zone designator).
func ts(t *testing.T, s string) int64 {
	t.Helper()
	ns, _, err := ParseISO(s)
	if err != nil {
		t.Fatalf("ParseISO(%q): %v", s, err)
	}
	return ns
}

// TestOffsetAdd: ts + k*offset, expectations quoted from pandas (the same as
// pd.Timestamp(ts) + k * to_offset(freq)); the comment says why.
func TestOffsetAdd(t *testing.T) {
	cases := []struct {
		ts, freq string
		k        int64
		want     string
	}{
		{"2020-01-15T10:30", "M", 1, "2020-01-31T10:30"}, // not on the offset: rolls to this month's end, time kept
		{"2020-01-31", "M", 1, "2020-02-29"},             // on it: next month's end (leap year)
		{"2020-01-15", "M", -1, "2019-12-31"},
		{"2020-01-31", "M", -1, "2019-12-31"},
		{"2020-01-31", "2M", 1, "2020-03-31"},
		{"2020-01-15", "MS", 1, "2020-02-01"},
		{"2020-01-15", "MS", -1, "2020-01-01"}, // back to this month's start
		{"2020-02-10", "Q", 1, "2020-03-31"},   // Q-DEC quarters end in Mar, Jun, Sep, Dec
		{"2020-03-31", "Q", 1, "2020-06-30"},
		{"2020-02-10", "Q-JAN", 1, "2020-04-30"}, // Q-JAN quarters end in Jan, Apr, Jul, Oct
		{"2020-02-10", "QS", -1, "2020-01-01"},
		{"2020-11-15", "A", 1, "2020-12-31"},
		{"2020-11-15", "AS", 1, "2021-01-01"},
		{"2020-11-15", "A-JUN", -1, "2020-06-30"},
		{"2020-01-15", "W-MON", 1, "2020-01-20"}, // a Wednesday: next Monday
		{"2020-01-15", "W-MON", -1, "2020-01-13"},
		{"2020-01-20", "W-MON", 1, "2020-01-27"},
		{"2020-01-17T09:00", "B", 1, "2020-01-20T09:00"}, // Friday → Monday
		{"2020-01-18", "B", 1, "2020-01-20"},             // Saturday → Monday
		{"2020-01-18", "B", -1, "2020-01-17"},            // Saturday → Friday
		{"2020-01-18", "B", 0, "2020-01-20"},             // 0 business days rolls a weekend forward
		{"2020-01-15", "B", 5, "2020-01-22"},
		{"2020-02-10", "BM", 1, "2020-02-28"}, // Feb 29 2020 is a Saturday
		{"2020-02-01", "BMS", 1, "2020-02-03"},
		{"2020-01-15T10:30", "90min", 2, "2020-01-15T13:30"},
	}
	for _, c := range cases {
		o, err := ParseOffset(c.freq)
		if err != nil {
			t.Fatal(err)
		}
		got, err := o.Add(ts(t, c.ts), Naive, c.k)
		if want := ts(t, c.want); err != nil || got != want {
			t.Errorf("%s + %d*%s = %s, %v; want %s", c.ts, c.k, c.freq, ISOFormat(got, Naive), err, c.want)
		}
	}
}

func TestOffsetRoll(t *testing.T) {
	m, _ := ParseOffset("3M")
	jan15, jan31 := ts(t, "2020-01-15T08:00"), ts(t, "2020-01-31T08:00")
	if m.IsOnOffset(jan15, Naive) || !m.IsOnOffset(jan31, Naive) {
		t.Error("IsOnOffset(M): Jan 15 is not a month end, Jan 31 at 08:00 is (time ignored)")
	}
	// rollforward/rollback move one step of the offset whatever its multiple
	if got, _ := m.Rollforward(jan15, Naive); got != jan31 {
		t.Errorf("Rollforward = %s", ISOFormat(got, Naive))
	}
	if got, _ := m.Rollback(jan15, Naive); got != ts(t, "2019-12-31T08:00") {
		t.Errorf("Rollback = %s", ISOFormat(got, Naive))
	}
	if got, _ := m.Rollback(jan31, Naive); got != jan31 {
		t.Errorf("Rollback on the offset = %s; want it unchanged", ISOFormat(got, Naive))
	}
	h, _ := ParseOffset("H")
	if !h.IsOnOffset(jan15, Naive) {
		t.Error("ticks are always on their offset")
	}
}

func TestOffsetZones(t *testing.T) {
	b := berlin(t)
	w, _ := ParseOffset("W")
	// calendar offsets move on the wall clock: a week after Sunday 2021-03-21 12:00 CET is
	// Sunday 2021-03-28 12:00 CEST, 167 hours later
	got, err := w.Add(ts(t, "2021-03-21T12:00+01:00"), b, 1)
	if want := ts(t, "2021-03-28T12:00+02:00"); err != nil || got != want {
		t.Errorf("W in Berlin = %s, %v; want %s", ISOFormat(got, b), err, ISOFormat(want, b))
	}
	// … and land on 02:30 of the autumn change, which exists twice: pandas raises
	_, err = w.Add(ts(t, "2021-10-24T02:30+02:00"), b, 1)
	if err == nil || err.Error() != "AmbiguousTimeError: Cannot infer dst time from 2021-10-31 02:30:00, try using the 'ambiguous' argument" {
		t.Errorf("W into the repeated hour: %v", err)
	}
	// ticks move in absolute time: a day after 2021-03-27 12:00 CET is 2021-03-28 13:00 CEST
	d, _ := ParseOffset("D")
	got, _ = d.Add(ts(t, "2021-03-27T12:00+01:00"), b, 1)
	if want := ts(t, "2021-03-28T13:00+02:00"); got != want {
		t.Errorf("D in Berlin = %s; want %s", ISOFormat(got, b), ISOFormat(want, b))
	}
	// a fixed offset zone: month end on the local calendar (Jan 31 23:30 UTC is Feb 1 in +01:00)
	plus1 := Zone{Aware: true, Offset: 3600}
	m, _ := ParseOffset("M")
	got, _ = m.Add(ts(t, "2020-01-31T23:30Z"), plus1, 1)
	if want := ts(t, "2020-02-28T23:30Z"); got != want { // Feb 29 00:30 local
		t.Errorf("M in +01:00 = %s; want %s", ISOFormat(got, plus1), ISOFormat(want, plus1))
	}
}

func TestShiftDatetimes(t *testing.T) {
	ctx := context.Background()
	m, _ := ParseOffset("M")
	// DatetimeIndex(["2020-01-31", "2020-02-15"]).shift(2, "M"): both land on Mar 31
	c := Datetimes([]int64{ts(t, "2020-01-31"), ts(t, "2020-02-15"), NaT}, Naive)
	got, err := ShiftDatetimes(ctx, c, m, 2)
	if err != nil || got.I[0] != ts(t, "2020-03-31") || got.I[1] != ts(t, "2020-03-31") || got.I[2] != NaT {
		t.Errorf("shift(2, M) = %v, %v", got.I, err)
	}
	d, _ := ParseOffset("d")
	got, err = ShiftDatetimes(ctx, c, d, -1)
	if err != nil || got.I[0] != ts(t, "2020-01-30") {
		t.Errorf("shift(-1, d) = %v, %v", got.I, err)
	}
	if _, err := ShiftDatetimes(ctx, Datetimes([]int64{9e18}, Naive), d, 10000); err == nil || err.Error() != "OverflowError: Overflow in int64 addition" {
		t.Errorf("overflow: %v", err)
	}
	if _, err := ShiftDatetimes(ctx, Range(2), d, 1); err == nil {
		t.Error("shifting an integer index must fail")
	}
	sm, _ := ParseOffset("SM")
	if _, err := ShiftDatetimes(ctx, c, sm, 1); err == nil {
		t.Error("SM arithmetic is not implemented and must say so")
	}
}
