package data

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func isoList(c Column) []string {
	out := make([]string, c.Len())
	for i, v := range c.I {
		out[i] = ISOFormat(v, c.Zone)
	}
	return out
}

// TestDateRange: expectations are pd.date_range(start, end, freq=freq, inclusive=…)
// (checked with pandas), explained per case.
func TestDateRange(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, start, end, freq string
		inc                    Inclusive
		want                   []string
	}{
		// ticks start exactly at start, not on a multiple of the frequency
		{"tick both", "2020-01-01T00:07", "2020-01-01T00:27", "5min", InclusiveBoth,
			[]string{"2020-01-01T00:07:00", "2020-01-01T00:12:00", "2020-01-01T00:17:00", "2020-01-01T00:22:00", "2020-01-01T00:27:00"}},
		{"tick left", "2020-01-01T00:07", "2020-01-01T00:27", "5min", InclusiveLeft,
			[]string{"2020-01-01T00:07:00", "2020-01-01T00:12:00", "2020-01-01T00:17:00", "2020-01-01T00:22:00"}},
		{"tick right", "2020-01-01T00:07", "2020-01-01T00:27", "5min", InclusiveRight,
			[]string{"2020-01-01T00:12:00", "2020-01-01T00:17:00", "2020-01-01T00:22:00", "2020-01-01T00:27:00"}},
		{"tick neither", "2020-01-01T00:07", "2020-01-01T00:27", "5min", InclusiveNeither,
			[]string{"2020-01-01T00:12:00", "2020-01-01T00:17:00", "2020-01-01T00:22:00"}},
		// an end off the grid is never hit, so "right" and "neither" keep the last point
		{"end off grid", "2020-01-01T00:07", "2020-01-01T00:25", "5min", InclusiveRight,
			[]string{"2020-01-01T00:12:00", "2020-01-01T00:17:00", "2020-01-01T00:22:00"}},
		{"single point", "2020-01-01", "2020-01-01", "H", InclusiveLeft, []string{"2020-01-01T00:00:00"}},
		{"single point neither", "2020-01-01", "2020-01-01", "H", InclusiveNeither, []string{}},
		{"end before start", "2020-01-02", "2020-01-01", "H", InclusiveBoth, []string{}},
		// a negative frequency runs backwards from start
		{"negative tick", "2020-01-02", "2020-01-01", "-6H", InclusiveRight,
			[]string{"2020-01-01T18:00:00", "2020-01-01T12:00:00", "2020-01-01T06:00:00", "2020-01-01T00:00:00"}},
		// calendar offsets roll start forward onto the offset and keep its time of day
		{"month ends", "2020-01-01T10:00", "2020-05-01", "M", InclusiveBoth,
			[]string{"2020-01-31T10:00:00", "2020-02-29T10:00:00", "2020-03-31T10:00:00", "2020-04-30T10:00:00"}},
		// with start on the offset pandas rolls the end back instead (to Dec 31), so a
		// backwards range goes one month further than end
		{"backwards months", "2020-03-31", "2020-01-01", "-1M", InclusiveBoth,
			[]string{"2020-03-31T00:00:00", "2020-02-29T00:00:00", "2020-01-31T00:00:00", "2019-12-31T00:00:00"}},
		{"backwards months right", "2020-03-31", "2020-01-01", "-1M", InclusiveRight,
			[]string{"2020-02-29T00:00:00", "2020-01-31T00:00:00", "2019-12-31T00:00:00"}},
		// "0M": start rolls to Jan 31, past end; pandas then sets end = start + (0−1)·0M
		// = start and yields that one point
		{"zero months", "2020-01-01", "2020-01-02", "0M", InclusiveNeither, []string{"2020-01-31T00:00:00"}},
		{"weeks", "2020-01-01", "2020-01-31", "W-MON", InclusiveBoth,
			[]string{"2020-01-06T00:00:00", "2020-01-13T00:00:00", "2020-01-20T00:00:00", "2020-01-27T00:00:00"}},
		{"business days", "2020-01-16", "2020-01-21", "B", InclusiveBoth,
			[]string{"2020-01-16T00:00:00", "2020-01-17T00:00:00", "2020-01-20T00:00:00", "2020-01-21T00:00:00"}},
		// end is hit exactly, so "left" drops it
		{"quarter starts", "2020-02-01", "2021-01-01", "QS", InclusiveLeft,
			[]string{"2020-04-01T00:00:00", "2020-07-01T00:00:00", "2020-10-01T00:00:00"}},
	}
	for _, c := range cases {
		freq, err := ParseOffset(c.freq)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DateRange(ctx, Timestamp{NS: ts(t, c.start)}, Timestamp{NS: ts(t, c.end)}, freq, c.inc, 0)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if g := isoList(got); strings.Join(g, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: got %v; want %v", c.name, g, c.want)
		}
	}
}

func TestDateRangeBerlin(t *testing.T) {
	ctx := context.Background()
	b := berlin(t)
	start := Timestamp{NS: ts(t, "2021-03-27T00:00+01:00"), Zone: b}
	// Day counts wall-clock days: midnight to midnight across the 23-hour 2021-03-28
	d, _ := ParseOffset("D")
	got, err := DateRange(ctx, start, Timestamp{NS: ts(t, "2021-03-30T00:00+02:00"), Zone: b}, d, InclusiveBoth, 0)
	want := "2021-03-27T00:00:00+01:00,2021-03-28T00:00:00+01:00,2021-03-29T00:00:00+02:00,2021-03-30T00:00:00+02:00"
	if err != nil || strings.Join(isoList(got), ",") != want {
		t.Errorf("D in Berlin = %v, %v; want %s", isoList(got), err, want)
	}
	// other ticks count absolute time: 12 hours after 00:00 CET on the 28th is 13:00 CEST
	h, _ := ParseOffset("12H")
	got, err = DateRange(ctx, start, Timestamp{NS: ts(t, "2021-03-29T12:00+02:00"), Zone: b}, h, InclusiveBoth, 0)
	want = "2021-03-27T00:00:00+01:00,2021-03-27T12:00:00+01:00,2021-03-28T00:00:00+01:00,2021-03-28T13:00:00+02:00,2021-03-29T01:00:00+02:00"
	if err != nil || strings.Join(isoList(got), ",") != want {
		t.Errorf("12H in Berlin = %v, %v; want %s", isoList(got), err, want)
	}
}

func TestDateRangeErrors(t *testing.T) {
	ctx := context.Background()
	h, _ := ParseOffset("H")
	ns, _ := ParseOffset("ns")
	m, _ := ParseOffset("M")
	zero, _ := ParseOffset("0s")
	a, b := Timestamp{NS: ts(t, "2020-01-01")}, Timestamp{NS: ts(t, "2020-01-02")}
	cases := []struct {
		name       string
		start, end Timestamp
		freq       Offset
		limit      int
		want       string
	}{
		{"NaT", Timestamp{NS: NaT}, b, h, 0, "ValueError: Neither `start` nor `end` can be NaT"},
		{"zones differ", Timestamp{NS: a.NS, Zone: UTC}, b, h, 0, "TypeError: Start and end cannot both be tz-aware with different timezones"},
		{"zero freq", a, b, zero, 0, "ZeroDivisionError: integer division or modulo by zero"},
		// a day at 1 ns is 86400e9 + 1 timestamps (0.7 PB): refused before allocating
		{"tick limit", a, b, ns, 1000, "MemoryError: date_range would create 86400000000001 timestamps, more than the limit of 1000"},
		{"default limit", a, Timestamp{NS: ts(t, "2262-01-01")}, ns, 0, "MemoryError: date_range would create"},
		{"calendar limit", a, Timestamp{NS: ts(t, "2100-01-01")}, m, 12, "MemoryError: date_range would create more than 12 timestamps (the limit)"},
	}
	for _, c := range cases {
		_, err := DateRange(ctx, c.start, c.end, c.freq, InclusiveBoth, c.limit)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: error %v; want %s", c.name, err, c.want)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	bday, _ := ParseOffset("B")
	if _, err := DateRange(cancelled, a, Timestamp{NS: ts(t, "2262-01-01")}, bday, InclusiveBoth, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	for s, want := range map[string]Inclusive{"both": InclusiveBoth, "left": InclusiveLeft, "right": InclusiveRight, "neither": InclusiveNeither} {
		if got, err := ParseInclusive(s); err != nil || got != want {
			t.Errorf("ParseInclusive(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseInclusive("foo"); err == nil || err.Error() != "ValueError: Inclusive has to be either 'both', 'neither', 'left' or 'right'" {
		t.Errorf("ParseInclusive(foo): %v", err)
	}
}
