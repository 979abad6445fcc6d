package data

import (
	"context"
	"testing"
)

// Resampling across the spring daylight-saving change in Europe/Berlin with closed,
// label, origin and offset combined: 16 points every 90 minutes from 2021-03-27
// 22:00+01:00 (values 0…15; the 28th skips 02:00–03:00). Expectations are pandas'
// s.resample(rule, closed=, label=, origin=, offset=).mean(), quoted. Tick rules count
// absolute time from the origin (so bins fall on other wall-clock hours after the change);
// Day rules run on the wall clock, and a bin edge inside the skipped hour moves forward.
func TestResampleBerlinOptions(t *testing.T) {
	ctx := context.Background()
	b := berlin(t)
	start := ts(t, "2021-03-27T22:00+01:00")
	idx := make([]int64, 16)
	vals := make([]float64, 16)
	for i := range idx {
		idx[i] = start + int64(i)*90*60e9
		vals[i] = float64(i)
	}
	s := NewSeries(nil, Datetimes(idx, b), Floats(vals))
	for _, c := range []struct {
		rule, closed, label, origin, offset string
		want                                string
	}{
		// epoch grid shifted by 1h: edges at 01:00+01:00, then 6h later 08:00+02:00, …
		{"6H", "right", "right", "epoch", "1h", "2021-03-28T01:00:00+01:00=1 2021-03-28T08:00:00+02:00=4.5 2021-03-28T14:00:00+02:00=8.5 2021-03-28T20:00:00+02:00=12.5 2021-03-29T02:00:00+02:00=15"},
		// local midnight + 30 min, left-closed bins labelled right
		{"6H", "left", "right", "start_day", "30min", "2021-03-28T00:30:00+01:00=0.5 2021-03-28T07:30:00+02:00=3.5 2021-03-28T13:30:00+02:00=7.5 2021-03-28T19:30:00+02:00=11.5 2021-03-29T01:30:00+02:00=14.5"},
		// origin at the first point, right-closed: the first point gets a bin of its own
		{"4H", "right", "left", "start", "", "2021-03-27T18:00:00+01:00=0 2021-03-27T22:00:00+01:00=1.5 2021-03-28T03:00:00+02:00=4 2021-03-28T07:00:00+02:00=7 2021-03-28T11:00:00+02:00=9.5 2021-03-28T15:00:00+02:00=12 2021-03-28T19:00:00+02:00=14.5"},
		// wall-clock days from 02:00: the 28th's 02:00 does not exist, its edge is 03:00+02:00
		{"D", "left", "left", "start_day", "2h", "2021-03-27T02:00:00+01:00=1 2021-03-28T03:00:00+02:00=9"},
		{"D", "right", "right", "start_day", "", "2021-03-28T00:00:00+01:00=0.5 2021-03-29T00:00:00+02:00=8.5"},
		// counted back from the last point
		{"3H", "left", "left", "end", "", "2021-03-27T20:30:00+01:00=0 2021-03-27T23:30:00+01:00=1.5 2021-03-28T03:30:00+02:00=3.5 2021-03-28T06:30:00+02:00=5.5 2021-03-28T09:30:00+02:00=7.5 2021-03-28T12:30:00+02:00=9.5 2021-03-28T15:30:00+02:00=11.5 2021-03-28T18:30:00+02:00=13.5 2021-03-28T21:30:00+02:00=15"},
		// counted back from the midnight after the last point, shifted by 10 min
		{"5H", "right", "right", "end_day", "10min", "2021-03-27T22:10:00+01:00=0 2021-03-28T04:10:00+02:00=2 2021-03-28T09:10:00+02:00=5 2021-03-28T14:10:00+02:00=8.5 2021-03-28T19:10:00+02:00=12 2021-03-29T00:10:00+02:00=14.5"},
	} {
		got, err := Resample(ctx, s, opts(t, c.rule, c.closed, c.label, c.origin, c.offset), AggMean, 0)
		if err != nil {
			t.Errorf("%s %s/%s %s %s: %v", c.rule, c.closed, c.label, c.origin, c.offset, err)
			continue
		}
		if r := rendered(got); r != c.want {
			t.Errorf("%s %s/%s %s %s:\n got %s\nwant %s", c.rule, c.closed, c.label, c.origin, c.offset, r, c.want)
		}
	}
}
