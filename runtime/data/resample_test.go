package data

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

// series builds a float series on naive (or zoned, when the strings carry an offset)
// ISO timestamps; NaN values are written as math.NaN().
func series(t *testing.T, zone Zone, stamps []string, values []float64) *Series {
	t.Helper()
	idx := make([]int64, len(stamps))
	for i, s := range stamps {
		idx[i] = ts(t, s)
	}
	return NewSeries("x", Datetimes(idx, zone), Floats(values))
}

// rendered renders a result as "label=value" pairs (NaN as "NaN").
func rendered(s *Series) string {
	parts := make([]string, s.Len())
	for i := range parts {
		v := s.Values.At(i)
		if f, ok := v.(float64); ok && math.IsNaN(f) {
			v = "NaN"
		}
		parts[i] = fmt.Sprintf("%s=%v", ISOFormat(s.Index.I[i], s.Index.Zone), v)
	}
	return strings.Join(parts, " ")
}

func opts(t *testing.T, rule, closed, label, origin, offset string) ResampleOptions {
	t.Helper()
	o, err := NewResampleOptions(rule, closed, label, origin, offset)
	if err != nil {
		t.Fatalf("NewResampleOptions(%q, %q, %q, %q, %q): %v", rule, closed, label, origin, offset, err)
	}
	return o
}

// TestResampleTick: five points (00:01=1, 00:04=2, 00:05=3, 00:09=NaN, 00:12=5) in
// 5-minute bins; every expectation was checked with pandas.
func TestResampleTick(t *testing.T) {
	ctx := context.Background()
	s := series(t, Naive, []string{"2020-01-01T00:01", "2020-01-01T00:04", "2020-01-01T00:05", "2020-01-01T00:09", "2020-01-01T00:12"},
		[]float64{1, 2, 3, math.NaN(), 5})
	cases := []struct {
		name, closed, label string
		agg                 Agg
		minCount            int
		want                string
	}{
		// closed left (default): [00:00, 00:05) holds 1 and 2, [00:05, 00:10) 3 and NaN
		{"mean", "", "", AggMean, 0, "2020-01-01T00:00:00=1.5 2020-01-01T00:05:00=3 2020-01-01T00:10:00=5"},
		{"mean label right", "", "right", AggMean, 0, "2020-01-01T00:05:00=1.5 2020-01-01T00:10:00=3 2020-01-01T00:15:00=5"},
		// closed right: (00:00, 00:05] holds 1, 2, 3; (00:05, 00:10] only the NaN
		{"mean closed right", "right", "right", AggMean, 0, "2020-01-01T00:05:00=2 2020-01-01T00:10:00=NaN 2020-01-01T00:15:00=5"},
		{"mean closed right label left", "right", "", AggMean, 0, "2020-01-01T00:00:00=2 2020-01-01T00:05:00=NaN 2020-01-01T00:10:00=5"},
		{"sum: no values is 0", "right", "", AggSum, 0, "2020-01-01T00:00:00=6 2020-01-01T00:05:00=0 2020-01-01T00:10:00=5"},
		{"sum min_count 1", "right", "", AggSum, 1, "2020-01-01T00:00:00=6 2020-01-01T00:05:00=NaN 2020-01-01T00:10:00=5"},
		{"count skips NaN", "right", "", AggCount, 0, "2020-01-01T00:00:00=3 2020-01-01T00:05:00=0 2020-01-01T00:10:00=1"},
		{"first", "", "", AggFirst, 0, "2020-01-01T00:00:00=1 2020-01-01T00:05:00=3 2020-01-01T00:10:00=5"},
		{"last skips NaN", "", "", AggLast, 0, "2020-01-01T00:00:00=2 2020-01-01T00:05:00=3 2020-01-01T00:10:00=5"},
		{"median", "right", "", AggMedian, 0, "2020-01-01T00:00:00=2 2020-01-01T00:05:00=NaN 2020-01-01T00:10:00=5"},
		{"min", "right", "", AggMin, 0, "2020-01-01T00:00:00=1 2020-01-01T00:05:00=NaN 2020-01-01T00:10:00=5"},
		{"max", "right", "", AggMax, 0, "2020-01-01T00:00:00=3 2020-01-01T00:05:00=NaN 2020-01-01T00:10:00=5"},
	}
	for _, c := range cases {
		got, err := Resample(ctx, s, opts(t, "5min", c.closed, c.label, "", ""), c.agg, c.minCount)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if r := rendered(got); r != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, r, c.want)
		}
		if got.Name != "x" {
			t.Errorf("%s: name %v not kept", c.name, got.Name)
		}
	}
}

// TestResampleOrigin: 00:03=1, 00:06=2, 00:13=3 summed in 7-minute bins, anchored
// differently (pandas' results quoted).
func TestResampleOrigin(t *testing.T) {
	ctx := context.Background()
	s := series(t, Naive, []string{"2020-01-01T00:03", "2020-01-01T00:06", "2020-01-01T00:13"}, []float64{1, 2, 3})
	cases := []struct{ origin, offset, want string }{
		// start_day: midnight, 00:07, 00:14
		{"start_day", "", "2020-01-01T00:00:00=3 2020-01-01T00:07:00=3"},
		// epoch: 2020-01-01 is 26297280 minutes after the epoch, 2 more than a multiple of 7,
		// so the grid is 23:58, 00:05, 00:12
		{"epoch", "", "2019-12-31T23:58:00=1 2020-01-01T00:05:00=2 2020-01-01T00:12:00=3"},
		{"start", "", "2020-01-01T00:03:00=3 2020-01-01T00:10:00=3"},
		// end: counts back from the last value, closed and labelled right: (23:59, 00:06], (00:06, 00:13]
		{"end", "", "2020-01-01T00:06:00=3 2020-01-01T00:13:00=3"},
		// end_day: counts back from the next midnight: …, 23:58, 00:05, 00:12, 00:19
		{"end_day", "", "2020-01-01T00:05:00=1 2020-01-01T00:12:00=2 2020-01-01T00:19:00=3"},
		{"2020-01-01T00:01", "", "2020-01-01T00:01:00=3 2020-01-01T00:08:00=3"},
		// offset shifts the origin: midnight − 2 min is the epoch grid here, + 2 min gives
		// 00:02, 00:09, 00:16
		{"start_day", "-2min", "2019-12-31T23:58:00=1 2020-01-01T00:05:00=2 2020-01-01T00:12:00=3"},
		{"start_day", "2min", "2020-01-01T00:02:00=3 2020-01-01T00:09:00=3"},
	}
	for _, c := range cases {
		got, err := Resample(ctx, s, opts(t, "7min", "", "", c.origin, c.offset), AggSum, 0)
		if err != nil {
			t.Errorf("origin %s offset %s: %v", c.origin, c.offset, err)
			continue
		}
		if r := rendered(got); r != c.want {
			t.Errorf("origin %s offset %s:\n got %s\nwant %s", c.origin, c.offset, r, c.want)
		}
	}
	// Moving Time Window's fast path: resample(3h, origin epoch, offset 2h): bins start at
	// 02:00, 05:00, 08:00 (3 h divides a day, so midnight and the epoch agree)
	s = series(t, Naive, []string{"2020-01-01T03:30", "2020-01-01T04:59", "2020-01-01T05:00", "2020-01-01T10:00"}, []float64{1, 2, 3, 4})
	got, err := Resample(ctx, s, opts(t, "3H", "", "", "epoch", "2h"), AggMean, 0)
	if want := "2020-01-01T02:00:00=1.5 2020-01-01T05:00:00=3 2020-01-01T08:00:00=4"; err != nil || rendered(got) != want {
		t.Errorf("3H epoch+2h = %s, %v; want %s", rendered(got), err, want)
	}
	got, _ = Resample(ctx, s, opts(t, "3H", "", "", "", ""), AggMean, 0)
	if want := "2020-01-01T03:00:00=2 2020-01-01T06:00:00=NaN 2020-01-01T09:00:00=4"; rendered(got) != want {
		t.Errorf("3H = %s; want %s", rendered(got), want)
	}
}

// TestResampleCalendar: 01-15=1, 01-31=2, 02-10=3, 04-01=4 (pandas' results quoted).
func TestResampleCalendar(t *testing.T) {
	ctx := context.Background()
	s := series(t, Naive, []string{"2020-01-15", "2020-01-31", "2020-02-10", "2020-04-01"}, []float64{1, 2, 3, 4})
	cases := []struct {
		rule, closed string
		agg          Agg
		want         string
	}{
		// M closes and labels right; edges are moved to the end of their day, so Jan 31
		// belongs to January: (Dec 31, Jan 31], (Jan 31, Feb 29], …
		{"M", "", AggMean, "2020-01-31T00:00:00=1.5 2020-02-29T00:00:00=3 2020-03-31T00:00:00=NaN 2020-04-30T00:00:00=4"},
		// closed left: [Dec 31, Jan 31), [Jan 31, Feb 29), … still labelled right
		{"M", "left", AggMean, "2020-01-31T00:00:00=1 2020-02-29T00:00:00=2.5 2020-03-31T00:00:00=NaN 2020-04-30T00:00:00=4"},
		// MS closes and labels left
		{"MS", "", AggMean, "2020-01-01T00:00:00=1.5 2020-02-01T00:00:00=3 2020-03-01T00:00:00=NaN 2020-04-01T00:00:00=4"},
		{"Q", "", AggSum, "2020-03-31T00:00:00=6 2020-06-30T00:00:00=4"},
		{"A", "", AggSum, "2020-12-31T00:00:00=10"},
		// weeks end on Sunday: Jan 15 (Wed) is in the week ending Jan 19
		{"W", "", AggCount, "2020-01-19T00:00:00=1 2020-01-26T00:00:00=0 2020-02-02T00:00:00=1 2020-02-09T00:00:00=0 2020-02-16T00:00:00=1 2020-02-23T00:00:00=0 2020-03-01T00:00:00=0 2020-03-08T00:00:00=0 2020-03-15T00:00:00=0 2020-03-22T00:00:00=0 2020-03-29T00:00:00=0 2020-04-05T00:00:00=1"},
	}
	for _, c := range cases {
		got, err := Resample(ctx, s, opts(t, c.rule, c.closed, "", "", ""), c.agg, 0)
		if err != nil {
			t.Errorf("%s: %v", c.rule, err)
			continue
		}
		if r := rendered(got); r != c.want {
			t.Errorf("%s closed %q:\n got %s\nwant %s", c.rule, c.closed, r, c.want)
		}
	}
	// pandas 2.1 also moves right-closed "2D" edges to the end of their day (_adjust_bin_edges
	// tests is_superperiod, true for Day(2)); 12-hourly values 0…11 from 2020-01-01:
	// pd.Series(range(12), date_range("2020-01-01", periods=12, freq="12H")).resample("2D", closed="right").sum()
	idx := make([]string, 12)
	vals := make([]float64, 12)
	for i := range idx {
		idx[i] = ISOFormat(ts(t, "2020-01-01")+int64(i)*12*3600e9, Naive)
		vals[i] = float64(i)
	}
	got, err := Resample(ctx, series(t, Naive, idx, vals), opts(t, "2D", "right", "", "", ""), AggSum, 0)
	if want := "2019-12-30T00:00:00=1 2020-01-01T00:00:00=14 2020-01-03T00:00:00=30 2020-01-05T00:00:00=21"; err != nil || rendered(got) != want {
		t.Errorf("2D closed right = %s, %v; want %s", rendered(got), err, want)
	}
}

// TestResampleBerlin: data across the 2021 daylight-saving changes in Europe/Berlin
// (pd.date_range(…, tz="Europe/Berlin") with values 0, 1, 2, …; pandas' results quoted).
func TestResampleBerlin(t *testing.T) {
	ctx := context.Background()
	b := berlin(t)
	// every 3 hours from 2021-03-27 00:00+01:00 to 2021-03-29 10:00+02:00 (20 points); the
	// 28th has 23 hours, so after 00:00+01:00 the next points are 04:00+02:00, 07:00, …
	start := ts(t, "2021-03-27T00:00+01:00")
	idx := make([]int64, 20)
	vals := make([]float64, 20)
	for i := range idx {
		idx[i] = start + int64(i)*3*3600e9
		vals[i] = float64(i)
	}
	s := NewSeries(nil, Datetimes(idx, b), Floats(vals))
	cases := []struct {
		rule, closed, label string
		agg                 Agg
		want                string
	}{
		// daily bins follow local midnight: 8, 8 and 4 points
		{"D", "", "", AggMean, "2021-03-27T00:00:00+01:00=3.5 2021-03-28T00:00:00+01:00=11.5 2021-03-29T00:00:00+02:00=17.5"},
		{"D", "", "", AggCount, "2021-03-27T00:00:00+01:00=8 2021-03-28T00:00:00+01:00=8 2021-03-29T00:00:00+02:00=4"},
		{"D", "right", "right", AggCount, "2021-03-27T00:00:00+01:00=1 2021-03-28T00:00:00+01:00=8 2021-03-29T00:00:00+02:00=7 2021-03-30T00:00:00+02:00=4"},
		// 12-hour bins count absolute time from local midnight of the first day, so after
		// the change they fall on 01:00 and 13:00 local time
		{"12H", "", "", AggCount, "2021-03-27T00:00:00+01:00=4 2021-03-27T12:00:00+01:00=4 2021-03-28T00:00:00+01:00=4 2021-03-28T13:00:00+02:00=4 2021-03-29T01:00:00+02:00=4"},
		{"2D", "", "", AggCount, "2021-03-27T00:00:00+01:00=16 2021-03-29T00:00:00+02:00=4"},
	}
	for _, c := range cases {
		got, err := Resample(ctx, s, opts(t, c.rule, c.closed, c.label, "", ""), c.agg, 0)
		if err != nil {
			t.Errorf("%s: %v", c.rule, err)
			continue
		}
		if r := rendered(got); r != c.want {
			t.Errorf("%s %s/%s:\n got %s\nwant %s", c.rule, c.closed, c.label, r, c.want)
		}
	}
	// every 2 hours from 2021-10-30 12:00+02:00 across the 25-hour 31st (0…17)
	start = ts(t, "2021-10-30T12:00+02:00")
	idx, vals = idx[:0], vals[:0]
	for i := 0; start+int64(i)*2*3600e9 < ts(t, "2021-11-01T00:00+01:00"); i++ {
		idx = append(idx, start+int64(i)*2*3600e9)
		vals = append(vals, float64(i))
	}
	s = NewSeries(nil, Datetimes(idx, b), Floats(vals))
	for _, c := range []struct {
		rule string
		agg  Agg
		want string
	}{
		{"D", AggCount, "2021-10-30T00:00:00+02:00=6 2021-10-31T00:00:00+02:00=13"},
		{"D", AggSum, "2021-10-30T00:00:00+02:00=15 2021-10-31T00:00:00+02:00=156"},
		{"M", AggSum, "2021-10-31T00:00:00+02:00=171"},
		{"W", AggSum, "2021-10-31T00:00:00+02:00=171"},
	} {
		got, err := Resample(ctx, s, opts(t, c.rule, "", "", "", ""), c.agg, 0)
		if err != nil || rendered(got) != c.want {
			t.Errorf("autumn %s = %s, %v; want %s", c.rule, rendered(got), err, c.want)
		}
	}
}

func TestResampleDtypes(t *testing.T) {
	ctx := context.Background()
	idx := Datetimes([]int64{ts(t, "2020-01-01T00:00"), ts(t, "2020-01-01T00:01"), ts(t, "2020-01-01T00:07")}, Naive)
	// bins [00:00, 00:02) holds two rows, [00:02, 00:04) and [00:04, 00:06) none, [00:06, 00:08) one
	ints := NewSeries(nil, idx, Ints([]int64{1, 2, 3}))
	o := opts(t, "2min", "", "", "", "")
	check := func(name string, s *Series, agg Agg, dtype DType, want string) {
		t.Helper()
		got, err := Resample(ctx, s, o, agg, 0)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		vals := make([]string, got.Len())
		for i := range vals {
			vals[i] = PyStr(got.Values.At(i))
			if got.Values.IsNA(i) {
				vals[i] = "NA"
			}
		}
		if got.Values.DType != dtype || strings.Join(vals, ",") != want {
			t.Errorf("%s: %s %v; want %s %s", name, got.Values.DType, vals, dtype, want)
		}
	}
	// pandas: int sums stay int64 with 0 for empty bins; min/max/first/last become float64
	// with NaN when a bin is empty; count is int64
	check("int sum", ints, AggSum, Int64, "3,0,0,3")
	check("int max", ints, AggMax, Float64, "2.0,NA,NA,3.0")
	check("int mean", ints, AggMean, Float64, "1.5,NA,NA,3.0")
	check("int count", ints, AggCount, Int64, "2,0,0,1")
	bools := NewSeries(nil, idx, Bools([]bool{true, false, true}))
	check("bool sum", bools, AggSum, Int64, "1,0,0,1")
	check("bool last", bools, AggLast, Float64, "0.0,NA,NA,1.0")
	// without empty bins int64 and bool keep their dtype
	dense := Datetimes([]int64{ts(t, "2020-01-01T00:00"), ts(t, "2020-01-01T00:01"), ts(t, "2020-01-01T00:03")}, Naive)
	check("int min dense", NewSeries(nil, dense, Ints([]int64{1, 2, 3})), AggMin, Int64, "1,3")
	check("bool min dense", NewSeries(nil, dense, Bools([]bool{true, false, true})), AggMin, Bool, "False,True")
	tds := NewSeries(nil, idx, TimedeltaCol([]int64{5e9, NaT, 7e9}))
	check("timedelta first", tds, AggFirst, Timedeltas, "0 days 00:00:05,NA,NA,0 days 00:00:07")
	check("timedelta count", tds, AggCount, Int64, "1,0,0,1")
	// the mean of datetimes failed with pandas 2's TypeError; pandas 1.5.3 (hetida's
	// reference) averages their nanoseconds: an all-null series (NaT datetimes, as pandas
	// reads it) resamples to NaT instead of failing. Found by tools/difffuzz.py (Resample
	// Datetime Index using Mean wrapper).
	dts := NewSeries(nil, idx, Datetimes([]int64{ts(t, "2020-01-02T00:00"), ts(t, "2020-01-04T00:00"), NaT}, Naive))
	check("datetime mean", dts, AggMean, Datetime, "2020-01-03 00:00:00,NA,NA,NA")
	check("all-NaT datetime mean", NewSeries(nil, idx, Datetimes([]int64{NaT, NaT, NaT}, Naive)), AggMean, Datetime, "NA,NA,NA,NA")
	objs := NewSeries(nil, idx, Objects([]any{"a", "b", nil}))
	check("object last", objs, AggLast, Object, "b,NA,NA,NA")
	if _, err := Resample(ctx, objs, o, AggMean, 0); err == nil || err.Error() != "TypeError: agg function failed [how->mean,dtype->object]" {
		t.Errorf("object mean: %v", err)
	}
	// unsorted input is sorted stably first; a NaT label belongs to no bin
	unsorted := NewSeries(nil, Datetimes([]int64{ts(t, "2020-01-01T00:03"), NaT, ts(t, "2020-01-01T00:01"), ts(t, "2020-01-01T00:07")}, Naive), Floats([]float64{1, 2, 3, 4}))
	got, err := Resample(ctx, unsorted, o, AggMean, 0)
	if want := "2020-01-01T00:00:00=3 2020-01-01T00:02:00=1 2020-01-01T00:04:00=NaN 2020-01-01T00:06:00=4"; err != nil || rendered(got) != want {
		t.Errorf("unsorted with NaT = %s, %v; want %s", rendered(got), err, want)
	}
	// ±Inf: pandas resets the Kahan compensation (GH#50367), so the mean is Inf, not NaN
	inf := NewSeries(nil, dense, Floats([]float64{math.Inf(1), 1, 2}))
	if got, _ := Resample(ctx, inf, o, AggMean, 0); !math.IsInf(got.Values.F[0], 1) {
		t.Errorf("mean with +Inf = %v; want +Inf", got.Values.F[0])
	}
	empty := NewSeries("e", Datetimes(nil, UTC), Ints(nil))
	if got, err := Resample(ctx, empty, o, AggMean, 0); err != nil || got != empty {
		t.Errorf("an empty series is returned as it is: %v, %v", got, err)
	}
}

func TestResampleFrame(t *testing.T) {
	ctx := context.Background()
	idx := Datetimes([]int64{ts(t, "2020-01-01T00:00"), ts(t, "2020-01-01T00:01"), ts(t, "2020-01-01T00:03")}, Naive)
	f := NewDataFrame(idx, []any{"a", "b"}, []Column{Floats([]float64{1, 2, 3}), Ints([]int64{4, 5, 6})})
	got, err := ResampleFrame(ctx, f, opts(t, "2min", "", "", "", ""), AggMean, 0)
	if err != nil || got.Len() != 2 || got.Columns[0].F[0] != 1.5 || got.Columns[1].F[1] != 6 {
		t.Errorf("frame mean = %+v, %v", got, err)
	}
	got, err = AsfreqFrame(ctx, f, opts(t, "1min", "", "", "", ""))
	// grid 00:00 … 00:03; 00:02 has no row: NaN, and the int column becomes float64
	if err != nil || got.Len() != 4 || got.Columns[1].DType != Float64 || !math.IsNaN(got.Columns[1].F[2]) || got.Columns[1].F[3] != 6 {
		t.Errorf("frame asfreq = %+v, %v", got, err)
	}
}

func TestAsfreq(t *testing.T) {
	ctx := context.Background()
	o := opts(t, "5min", "", "", "", "")
	// values only where a grid point coincides with a timestamp: 00:12 is off the grid
	// and dropped (Linear Interpolation Datetime Index relies on this)
	s := series(t, Naive, []string{"2020-01-01T00:00", "2020-01-01T00:05", "2020-01-01T00:12"}, []float64{1, 2, 3})
	got, err := Asfreq(ctx, s, o)
	if want := "2020-01-01T00:00:00=1 2020-01-01T00:05:00=2 2020-01-01T00:10:00=NaN"; err != nil || rendered(got) != want {
		t.Errorf("asfreq = %s, %v; want %s", rendered(got), err, want)
	}
	// pandas' shortcut: an index already regular at the rule (inferred_freq "5T") and as
	// long as the grid is relabelled one for one, even though 00:01 is not on the grid
	s = NewSeries(nil, Datetimes([]int64{ts(t, "2020-01-01T00:01"), ts(t, "2020-01-01T00:06"), ts(t, "2020-01-01T00:11")}, Naive), Ints([]int64{1, 2, 3}))
	got, err = Asfreq(ctx, s, o)
	if want := "2020-01-01T00:00:00=1 2020-01-01T00:05:00=2 2020-01-01T00:10:00=3"; err != nil || rendered(got) != want || got.Values.DType != Int64 {
		t.Errorf("asfreq of a regular index = %s (%s), %v; want %s", rendered(got), got.Values.DType, err, want)
	}
	// a NaT label: pandas puts NaT before the edges and then drops the last edge (closed
	// left, NaT stays and takes the NaT row's value) or the first element (closed right,
	// the NaT goes again)
	nat := NewSeries(nil, Datetimes([]int64{ts(t, "2020-01-01T00:03"), NaT, ts(t, "2020-01-01T00:05")}, Naive), Floats([]float64{1, 2, 3}))
	got, err = Asfreq(ctx, nat, o)
	if err != nil || got.Len() != 3 || got.Index.I[0] != NaT || got.Values.F[0] != 2 || !math.IsNaN(got.Values.F[1]) || got.Values.F[2] != 3 {
		t.Errorf("asfreq with NaT = %v %v, %v", got.Index.I, got.Values.F, err)
	}
	got, err = Asfreq(ctx, nat, opts(t, "5min", "right", "", "", ""))
	if want := "2020-01-01T00:00:00=NaN 2020-01-01T00:05:00=3"; err != nil || rendered(got) != want {
		t.Errorf("asfreq closed right with NaT = %s, %v; want %s", rendered(got), err, want)
	}
	dup := series(t, Naive, []string{"2020-01-01T00:00", "2020-01-01T00:00", "2020-01-01T00:12"}, []float64{1, 2, 3})
	if _, err := Asfreq(ctx, dup, o); err == nil || err.Error() != "ValueError: cannot reindex on an axis with duplicate labels" {
		t.Errorf("duplicates: %v", err)
	}
}

func TestInferFreq(t *testing.T) {
	// pandas' inferred_freq for a few indexes (checked with pandas)
	cases := []struct {
		stamps []string
		want   string // FreqStr, "" for none
	}{
		{[]string{"2020-01-01T00:00", "2020-01-01T00:05", "2020-01-01T00:10"}, "5T"},
		{[]string{"2020-01-01", "2020-01-02", "2020-01-03"}, "D"},
		{[]string{"2020-01-01", "2020-01-08", "2020-01-15"}, "W-WED"},
		{[]string{"2020-01-31", "2020-02-29", "2020-03-31"}, "M"},
		{[]string{"2020-01-31T10:00", "2020-02-29T10:00", "2020-03-31T10:00"}, "M"},
		{[]string{"2020-03-31", "2020-06-30", "2020-09-30"}, "Q-DEC"},
		{[]string{"2020-01-01", "2020-04-01", "2020-07-01"}, "QS-OCT"},
		{[]string{"2019-12-31", "2020-12-31", "2021-12-31"}, "A-DEC"},
		{[]string{"2020-01-16", "2020-01-17", "2020-01-20"}, "B"},
		{[]string{"2020-01-01", "2020-01-02", "2020-01-04"}, ""},
		{[]string{"2020-01-01", "2020-01-02"}, ""}, // fewer than three
	}
	for _, c := range cases {
		v := make([]int64, len(c.stamps))
		for i, s := range c.stamps {
			v[i] = ts(t, s)
		}
		got, ok := inferFreq(v, Naive)
		if g := map[bool]string{true: got.FreqStr(), false: ""}[ok]; g != c.want {
			t.Errorf("inferFreq(%v) = %q; want %q", c.stamps, g, c.want)
		}
	}
}

func TestResampleErrors(t *testing.T) {
	ctx := context.Background()
	ints := NewSeries(nil, Range(3), Floats([]float64{1, 2, 3}))
	if _, err := Resample(ctx, ints, opts(t, "5min", "", "", "", ""), AggMean, 0); err == nil || err.Error() != "TypeError: Only valid with DatetimeIndex, TimedeltaIndex or PeriodIndex, but got an instance of 'Index'" {
		t.Errorf("integer index: %v", err)
	}
	aware := series(t, UTC, []string{"2020-01-01T00:00Z"}, []float64{1})
	if _, err := Resample(ctx, aware, opts(t, "5min", "", "", "2020-01-01T00:01", ""), AggMean, 0); err == nil || err.Error() != "ValueError: The origin must have the same timezone as the index." {
		t.Errorf("naive origin for an aware index: %v", err)
	}
	long := series(t, Naive, []string{"2020-01-01", "2020-01-02"}, []float64{1, 2})
	o := opts(t, "1s", "", "", "", "")
	o.Limit = 1000
	// one day at 1 s: edges from 00:00 to the day after plus one second (closed left)
	if _, err := Resample(ctx, long, o, AggMean, 0); err == nil || err.Error() != "MemoryError: date_range would create 86402 timestamps, more than the limit of 1000" {
		t.Errorf("limit: %v", err)
	}
	for _, c := range []struct{ rule, closed, label, origin, offset, want string }{
		{"5min", "", "up", "", "", "ValueError: Unsupported value up for `label`"},
		{"5min", "both", "", "", "", "ValueError: Unsupported value both for `closed`"},
		{"5 xyz", "", "", "", "", "ValueError: Invalid frequency: 5 xyz"},
		{"5min", "", "", "noon", "", "ValueError: 'origin' should be equal to 'epoch', 'start', 'start_day', 'end', 'end_day' or should be a Timestamp convertible type. Got 'noon' instead."},
		{"5min", "", "", "", "2 parsecs", "ValueError: 'offset' should be a Timedelta convertible type. Got '2 parsecs' instead."},
	} {
		_, err := NewResampleOptions(c.rule, c.closed, c.label, c.origin, c.offset)
		var e *Error
		if !errors.As(err, &e) || err.Error() != c.want {
			t.Errorf("NewResampleOptions(%q, %q, %q, %q, %q) = %v; want %s", c.rule, c.closed, c.label, c.origin, c.offset, err, c.want)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	big := make([]float64, 3*CheckEvery)
	idx := make([]int64, len(big))
	for i := range idx {
		idx[i] = int64(i) * 60e9
	}
	if _, err := Resample(cancelled, NewSeries(nil, Datetimes(idx, Naive), Floats(big)), opts(t, "1min", "", "", "", ""), AggMean, 0); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// BenchmarkResampleMean: 100k points every 5 minutes (347 days) into 30-minute means.
func BenchmarkResampleMean(b *testing.B) {
	const n = 100_000
	idx := make([]int64, n)
	vals := make([]float64, n)
	for i := range idx {
		idx[i] = jan2020 + int64(i)*5*60e9
		vals[i] = math.Sin(float64(i) / 100)
	}
	s := NewSeries("x", Datetimes(idx, UTC), Floats(vals))
	o, err := NewResampleOptions("30min", "", "", "", "")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := Resample(ctx, s, o, AggMean, 0); err != nil {
			b.Fatal(err)
		}
	}
}
