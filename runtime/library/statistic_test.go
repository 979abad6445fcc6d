package library

import (
	"math"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// atMinutes builds a UTC series with the given minutes after base as index.
func atMinutes(minutes []int64, vals []float64) *data.Series {
	ns := make([]int64, len(minutes))
	for i, m := range minutes {
		ns[i] = base + m*minute
	}
	return data.FloatSeries(nil, data.Datetimes(ns, data.UTC), vals)
}

// closeFloats compares float slices: NaN equals NaN, others within a relative 1e-12.
func closeFloats(got, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if g != g || w != w {
			if !(g != g && w != w) {
				return false
			}
			continue
		}
		if math.Abs(g-w) > 1e-12*math.Max(1, math.Abs(w)) {
			return false
		}
	}
	return true
}

// errIs reports whether err is a Python-typed error of type typ with message msg ("" for
// any message).
func errIs(err error, typ, msg string) bool {
	e, ok := err.(*data.Error)
	return ok && e.Type == typ && (msg == "" || e.Message == msg)
}

// The series of the moving-statistics tests: minutes 25, 0, 40, 10, 20 (unsorted) with
// values 5, 1, 7, NaN, 3. Sorted and NaN dropped it is 1, 3, 5, 7 at minutes 0, 20, 25, 40.
func movingInput() *data.Series {
	return atMinutes([]int64{25, 0, 40, 10, 20}, []float64{5, 1, 7, nan, 3})
}

// By time: each timestamp u aggregates (u − t, u] of the sorted, NaN-free points.
// With t = 15min: minute 0 → {1}; 20 → (5, 20] = {3}; 25 → (10, 25] = {3, 5};
// 40 → (25, 40] = {7}: the point at 25 sits on the open left edge and is left out.
// With t = 1d the window is larger than the series: every window reaches back to the
// first point, giving cumulative statistics.
func TestMovingStatisticsByTime(t *testing.T) {
	r2 := math.Sqrt2 // sample std of 3 and 5: √(((3−4)² + (5−4)²)/1)
	tests := []struct {
		meta *component.Meta
		out  string
		t    string
		want []float64
	}{
		{&metaMovingAverageTime, "mavg", "15min", []float64{1, 3, 4, 7}},
		{&metaMovingMaximumTime, "movmax", "15min", []float64{1, 3, 5, 7}},
		{&metaMovingMinimumTime, "movmin", "15min", []float64{1, 3, 3, 7}},
		{&metaMovingMedianTime, "movmedian", "15min", []float64{1, 3, 4, 7}},
		// ddof 1: a window with one value has no sample standard deviation
		{&metaMovingStandardDeviationTime, "movstd", "15min", []float64{nan, nan, r2, nan}},
		// 1, 1 3, 1 3 5, 1 3 5 7
		{&metaMovingAverageTime, "mavg", "1d", []float64{1, 2, 3, 4}},
		{&metaMovingMedianTime, "movmedian", "1d", []float64{1, 2, 3, 4}},
		{&metaMovingMinimumTime, "movmin", "1d", []float64{1, 1, 1, 1}},
		// std of 1 3: √2; of 1 3 5: 2; of 1 3 5 7: √(20/3)
		{&metaMovingStandardDeviationTime, "movstd", "1d", []float64{nan, r2, 2, math.Sqrt(20.0 / 3)}},
		// "20T" is pandas' other spelling of 20 minutes: 0 → {1}; 20 → (0, 20] = {3};
		// 25 → (5, 25] = {3, 5}; 40 → (20, 40] = {5, 7}
		{&metaMovingMaximumTime, "movmax", "20T", []float64{1, 3, 5, 7}},
		{&metaMovingAverageTime, "mavg", "20T", []float64{1, 3, 4, 6}},
	}
	for _, tc := range tests {
		in := movingInput()
		out := mustCall(t, tc.meta, map[string]any{"data": in, "t": tc.t})
		s := out[tc.out].(*data.Series)
		if !closeFloats(s.Values.F, tc.want) {
			t.Errorf("%s t=%s: %v, want %v", tc.meta.Name, tc.t, s.Values.F, tc.want)
		}
		wantIdx := []int64{base, base + 20*minute, base + 25*minute, base + 40*minute}
		for i, ns := range wantIdx {
			if s.Index.I[i] != ns {
				t.Errorf("%s: index %d = %d, want %d (sorted, NaN row dropped)", tc.meta.Name, i, s.Index.I[i], ns)
			}
		}
	}
}

// By number: the row and the n−1 rows before it of 1, 3, 5, 7; NaN until n rows exist.
func TestMovingStatisticsByNumber(t *testing.T) {
	r2 := math.Sqrt2
	tests := []struct {
		meta *component.Meta
		out  string
		n    int64
		want []float64
	}{
		{&metaMovingAverageNumber, "mavg", 2, []float64{nan, 2, 4, 6}},
		{&metaMovingMaximumNumber, "movmax", 2, []float64{nan, 3, 5, 7}},
		{&metaMovingMinimumNumber, "movmin", 2, []float64{nan, 1, 3, 5}},
		{&metaMovingMedianNumber, "movmedian", 3, []float64{nan, nan, 3, 5}},
		{&metaMovingStandardDeviationNumber, "movstd", 2, []float64{nan, r2, r2, r2}},
		// n = 1: every value alone; its sample std does not exist
		{&metaMovingAverageNumber, "mavg", 1, []float64{1, 3, 5, 7}},
		{&metaMovingStandardDeviationNumber, "movstd", 1, []float64{nan, nan, nan, nan}},
		// a window longer than the series, and n = 0 (min_periods 0 over empty windows)
		{&metaMovingMaximumNumber, "movmax", 5, []float64{nan, nan, nan, nan}},
		{&metaMovingAverageNumber, "mavg", 0, []float64{nan, nan, nan, nan}},
	}
	for _, tc := range tests {
		out := mustCall(t, tc.meta, map[string]any{"data": movingInput(), "n": tc.n})
		s := out[tc.out].(*data.Series)
		if !closeFloats(s.Values.F, tc.want) {
			t.Errorf("%s n=%d: %v, want %v", tc.meta.Name, tc.n, s.Values.F, tc.want)
		}
	}
	// a numeric index is sorted as it is: labels 3, 1, 2 → 1, 2, 3
	s := data.FloatSeries("x", data.Ints([]int64{3, 1, 2}), []float64{30, 10, 20})
	out := mustCall(t, &metaMovingAverageNumber, map[string]any{"data": s, "n": int64(2)})
	got := out["mavg"].(*data.Series)
	if got.Index.DType != data.Int64 || got.Index.I[0] != 1 || !closeFloats(got.Values.F, []float64{nan, 15, 25}) || got.Name != "x" {
		t.Errorf("numeric index: %+v", got)
	}
}

// A DataFrame loses its rows with any NaN and its columns that are not numeric (pandas
// 1.5); the numeric ones are aggregated each.
func TestMovingStatisticsOfFrames(t *testing.T) {
	idx := data.Datetimes([]int64{base, base + minute, base + 2*minute, base + 3*minute}, data.UTC)
	f := data.NewDataFrame(idx, []any{"a", "b", "s"}, []data.Column{
		data.Floats([]float64{1, 2, nan, 4}),
		data.Ints([]int64{10, 20, 30, 40}),
		data.Objects([]any{"x", "y", "z", "w"}),
	})
	// rows 0, 1, 3 remain; window of 2 rows: a = NaN, 1.5, 3; b = NaN, 15, 30
	out := mustCall(t, &metaMovingAverageNumber, map[string]any{"data": f, "n": int64(2)})
	g := out["mavg"].(*data.DataFrame)
	if len(g.Columns) != 2 || g.Names[1] != "b" || !closeFloats(g.Columns[0].F, []float64{nan, 1.5, 3}) ||
		!closeFloats(g.Columns[1].F, []float64{nan, 15, 30}) {
		t.Errorf("frame by number: %+v", g)
	}
	// by time 90s: minute 0 → {0}; 1 → (−0.5, 1] = rows 0, 1; 3 → (1.5, 3] = row 3
	out = mustCall(t, &metaMovingMaximumTime, map[string]any{"data": f, "t": "90s"})
	g = out["movmax"].(*data.DataFrame)
	if !closeFloats(g.Columns[0].F, []float64{1, 2, 4}) || !closeFloats(g.Columns[1].F, []float64{10, 20, 40}) {
		t.Errorf("frame by time: %+v", g)
	}
}

func TestMovingStatisticsEdges(t *testing.T) {
	// empty and all-NaN series give empty results
	for _, s := range []*data.Series{
		data.FloatSeries(nil, data.Datetimes(nil, data.UTC), nil),
		atMinutes([]int64{0, 1}, []float64{nan, nan}),
	} {
		out := mustCall(t, &metaMovingMedianTime, map[string]any{"data": s, "t": "1h"})
		if got := out["movmedian"].(*data.Series); got.Len() != 0 {
			t.Errorf("empty/all-NaN by time: %d rows", got.Len())
		}
		out = mustCall(t, &metaMovingMedianNumber, map[string]any{"data": s, "n": int64(2)})
		if got := out["movmedian"].(*data.Series); got.Len() != 0 {
			t.Errorf("empty/all-NaN by number: %d rows", got.Len())
		}
	}
	// an integer index reads as nanoseconds since the epoch in the time components
	s := data.FloatSeries(nil, data.Ints([]int64{0, 1, 2}), []float64{1, 2, 3})
	out := mustCall(t, &metaMovingAverageTime, map[string]any{"data": s, "t": "2ns"})
	got := out["mavg"].(*data.Series)
	if got.Index.DType != data.Datetime || got.Index.Zone.Aware || !closeFloats(got.Values.F, []float64{1, 1.5, 2.5}) {
		t.Errorf("integer index by time: %+v", got)
	}
	errs := []struct {
		name string
		meta *component.Meta
		in   map[string]any
		typ  string
		msg  string
	}{
		{"bad t", &metaMovingAverageTime, map[string]any{"data": movingInput(), "t": "zwei Stunden"},
			"ValueError", "t could not be parsed as frequency: zwei Stunden"},
		{"calendar t", &metaMovingStandardDeviationTime, map[string]any{"data": movingInput(), "t": "1M"},
			"ValueError", "t could not be parsed as frequency: 1M"},
		{"dict by time", &metaMovingMedianTime, map[string]any{"data": dict("a", 1.0), "t": "1h"},
			"AttributeError", "'dict' object has no attribute 'index'"},
		{"list by time", &metaMovingMedianTime, map[string]any{"data": []any{1.0}, "t": "1h"},
			"TypeError", "indices of data must be datetime"},
		{"float, average copies first", &metaMovingAverageTime, map[string]any{"data": 2.5, "t": "1h"},
			"AttributeError", "'float' object has no attribute 'copy'"},
		{"float", &metaMovingMaximumTime, map[string]any{"data": 2.5, "t": "1h"},
			"AttributeError", "'float' object has no attribute 'index'"},
		{"string index by time", &metaMovingMinimumTime,
			map[string]any{"data": data.FloatSeries(nil, data.Objects([]any{"a", "b"}), []float64{1, 2}), "t": "1h"},
			"TypeError", "indices of data must be datetime"},
		{"boolean index by time", &metaMovingMinimumTime,
			map[string]any{"data": data.FloatSeries(nil, data.Bools([]bool{true, false}), []float64{1, 2}), "t": "1h"},
			"TypeError", "indices of data must be datetime"},
		{"string index by number", &metaMovingMinimumNumber,
			map[string]any{"data": data.FloatSeries(nil, data.Objects([]any{"a", "b"}), []float64{1, 2}), "n": int64(1)},
			"TypeError", "indices of data must be numeric or datetime"},
		{"list by number", &metaMovingAverageNumber, map[string]any{"data": []any{1.0}, "n": int64(2)},
			"AttributeError", "'list' object has no attribute 'dropna'"},
		{"negative n", &metaMovingAverageNumber, map[string]any{"data": movingInput(), "n": int64(-1)},
			"ValueError", "window must be an integer 0 or greater"},
		{"strings", &metaMovingAverageNumber,
			map[string]any{"data": data.NewSeries(nil, data.Ints([]int64{0, 1}), data.Objects([]any{"x", "y"})), "n": int64(1)},
			"DataError", "No numeric types to aggregate"},
	}
	for _, tc := range errs {
		if _, err := call(t, tc.meta, tc.in); !errIs(err, tc.typ, tc.msg) {
			t.Errorf("%s: %v, want %s: %s", tc.name, err, tc.typ, tc.msg)
		}
	}
}

// Maximum, Minimum, Median, Standard deviation of a series with NaN at the start, in the
// middle and at the end: 3, 1, 4, 1.5 remain.
func TestReductions(t *testing.T) {
	s := atMinutes([]int64{0, 1, 2, 3, 4, 5, 6}, []float64{nan, 3, 1, nan, 4, 1.5, nan})
	tests := []struct {
		meta *component.Meta
		out  string
		want float64
	}{
		{&metaMaximum, "max", 4},
		{&metaMinimum, "min", 1},
		{&metaMedian, "median", 2.25}, // sorted 1 1.5 3 4: (1.5+3)/2
		// mean 2.375; squares 0.390625+1.890625+2.640625+0.765625 = 5.6875; /3; √
		{&metaStandardDeviation, "std", math.Sqrt(5.6875 / 3)},
	}
	for _, tc := range tests {
		out := mustCall(t, tc.meta, map[string]any{"data": s})
		if got := out[tc.out].(float64); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", tc.meta.Name, got, tc.want)
		}
		// not a pandas object: no such method
		if _, err := call(t, tc.meta, map[string]any{"data": []any{1.0}}); !errIs(err, "AttributeError", "'list' object has no attribute '"+tc.out+"'") {
			t.Errorf("%s of a list: %v", tc.meta.Name, err)
		}
	}
	// empty and all-NaN: NaN for every reduction
	for _, e := range []*data.Series{atMinutes(nil, nil), atMinutes([]int64{0}, []float64{nan})} {
		for _, tc := range tests {
			out := mustCall(t, tc.meta, map[string]any{"data": e})
			if got := out[tc.out].(float64); got == got {
				t.Errorf("%s of %d NaN = %v, want NaN", tc.meta.Name, e.Len(), got)
			}
		}
	}
}

func TestStandardScaleComponent(t *testing.T) {
	// an unnamed series becomes column 0 and comes back as a series named 0:
	// 1, 2, 4 → (x − 7/3)/√(42/27)
	out := mustCall(t, &metaStandardScale, map[string]any{"data": atMinutes([]int64{0, 1, 2}, []float64{1, 2, 4})})
	s := out["scaled"].(*data.Series)
	if s.Name != int64(0) || !closeFloats(s.Values.F, []float64{-1.0690449676496976, -0.2672612419124244, 1.3363062095621219}) {
		t.Errorf("series: name %v, %v", s.Name, s.Values.F)
	}
	// one value squeezes to a scalar: 0
	out = mustCall(t, &metaStandardScale, map[string]any{"data": atMinutes([]int64{0}, []float64{7})})
	if out["scaled"] != 0.0 {
		t.Errorf("one value: %#v", out["scaled"])
	}
	if _, err := call(t, &metaStandardScale, map[string]any{"data": dict()}); !errIs(err, "AttributeError", "'dict' object has no attribute 'to_frame'") {
		t.Errorf("dict: %v", err)
	}
	if _, err := call(t, &metaStandardScale, map[string]any{"data": atMinutes(nil, nil)}); !errIs(err, "ValueError", "") {
		t.Errorf("empty: %v", err)
	}
}

func TestInferWindowSize(t *testing.T) {
	day := 24 * 60 * minute
	tests := []struct {
		name string
		ns   []int64
		n    int64
		buf  float64
		want string
	}{
		// gaps 10, 20, 10 minutes (unsorted input): median 10 min = 600 s; 600·(5·0.5)
		{"median gap", []int64{0, 30 * minute, 10 * minute, 40 * minute}, 5, 0.5, "1500.0S"},
		// one gap of 1 day 30 s: Timedelta.seconds drops the day → 30 s; 30·(10·1.0)
		{"days dropped", []int64{0, day + 30e9}, 10, 1, "300.0S"},
		// a single timestamp has no gap: NaT.seconds is NaN
		{"one point", []int64{0}, 10, 1.4, "nanS"},
		// gaps 1.7 s and 0.3 s: median 1 s exactly; fractions of a second would be cut
		{"fractions", []int64{0, 1.7e9, 2e9}, 3, 1, "3.0S"},
	}
	for _, tc := range tests {
		s := data.FloatSeries(nil, data.Datetimes(tc.ns, data.UTC), make([]float64, len(tc.ns)))
		out := mustCall(t, &metaInferWindowSize, map[string]any{"series": s, "min_num_desired_datapoints_in_window": tc.n, "buffer_factor": tc.buf})
		if out["frequency_string"] != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, out["frequency_string"], tc.want)
		}
	}
	s := data.FloatSeries(nil, data.Ints([]int64{0, 1}), []float64{1, 2})
	if _, err := call(t, &metaInferWindowSize, map[string]any{"series": s, "min_num_desired_datapoints_in_window": int64(1), "buffer_factor": 1.0}); !errIs(err, "TypeError", "This component is exclusively for series with Datetime index!") {
		t.Errorf("integer index: %v", err)
	}
}

// Moving Time Window Mean/Median over the moving-statistics series (1, 3, 5, 7 at minutes
// 0, 20, 25, 40; the NaN at 10 is skipped), window 15min, frequency 5min, offset 0. The
// right edges run from ceil(0 − 15) + 15 = 0 to floor(40) + 15 = 55. Worked out per edge
// e, e.g. for left_closed [e−15, e): 0 → {} NaN, 5, 10, 15 → {1}, 20 → [5, 20) {} NaN,
// 25 → {3}, 30 and 35 → {3, 5} = 4, 40 → [25, 40) {5}, 45…55 → {7}; closed both ends
// adds 25 at e = 40 ({5, 7} = 6) and the point at e itself. (hetida's code on pandas gives
// the same.)
func TestMovingTimeWindowClosedSides(t *testing.T) {
	tests := []struct {
		interval string
		want     []float64
	}{
		{"left_closed", []float64{nan, 1, 1, 1, nan, 3, 4, 4, 5, 7, 7, 7}},
		{"right_open", []float64{nan, 1, 1, 1, nan, 3, 4, 4, 5, 7, 7, 7}},
		{"right_closed", []float64{1, 1, 1, nan, 3, 4, 4, 5, 7, 7, 7, nan}},
		{"left_open", []float64{1, 1, 1, nan, 3, 4, 4, 5, 7, 7, 7, nan}},
		{"closed", []float64{1, 1, 1, 1, 3, 4, 4, 4, 6, 7, 7, 7}},
		{"open", []float64{nan, 1, 1, nan, nan, 3, 4, 5, nan, 7, 7, nan}},
	}
	for _, meta := range []*component.Meta{&metaMovingTimeWindowMean, &metaMovingTimeWindowMedian} {
		for _, tc := range tests {
			for _, label := range []string{"right", "left", "center"} {
				out := mustCall(t, meta, map[string]any{"timeseries": movingInput(), "window_size": "15min",
					"window_frequency": "5min", "frequency_offset": "0", "interval_type": tc.interval, "label_position": label})
				var s *data.Series
				for _, v := range out {
					s = v.(*data.Series)
				}
				if !closeFloats(s.Values.F, tc.want) {
					t.Errorf("%s %s: %v, want %v", meta.Name, tc.interval, s.Values.F, tc.want)
				}
				// labels: the right edges 0, 5, …, 55, moved back by 15 min (left) or 7.5 (center)
				back := map[string]int64{"right": 0, "left": 15 * minute, "center": 15 * minute / 2}[label]
				for i, ns := range s.Index.I {
					if want := base + int64(i)*5*minute - back; ns != want {
						t.Errorf("%s %s %s: label %d = %d, want %d", meta.Name, tc.interval, label, i, ns, want)
						break
					}
				}
			}
		}
	}
}

func TestMovingTimeWindowPaths(t *testing.T) {
	call := func(meta *component.Meta, s *data.Series, size, freq, offset, interval, label string) *data.Series {
		t.Helper()
		out := mustCall(t, meta, map[string]any{"timeseries": s, "window_size": size, "window_frequency": freq,
			"frequency_offset": offset, "interval_type": interval, "label_position": label})
		for _, v := range out {
			return v.(*data.Series)
		}
		return nil
	}
	// the resample fast path (size = frequency, one closed end): bins (e−15, e] labelled
	// e: 0 → (−15, 0] {1}; (0, 15] empty → NaN; (15, 30] {3, 5} → 4; (30, 45] {7}
	s := call(&metaMovingTimeWindowMean, movingInput(), "15min", "15T", "0", "right_closed", "right")
	if !closeFloats(s.Values.F, []float64{1, nan, 4, 7}) || s.Index.I[0] != base {
		t.Errorf("fast path right: %v", s.Values.F)
	}
	// bins [e−15, e): 0 → [0, 15) {1} labelled 15, … ; centred: 7.5, 22.5, 37.5 min
	s = call(&metaMovingTimeWindowMedian, movingInput(), "15min", "15min", "0", "left_closed", "center")
	if !closeFloats(s.Values.F, []float64{1, 4, 7}) || s.Index.I[0] != base+15*minute/2 {
		t.Errorf("fast path left/center: %v %v", s.Values.F, s.Index.I)
	}
	// median and mean differ on 1, 2, 10 at minutes 0, 1, 2 with both ends closed (the
	// rolling path): edges 0 and 5; [−5, 0] {1}; [0, 5] {1, 2, 10}: mean 13/3, median 2
	three := atMinutes([]int64{0, 1, 2}, []float64{1, 2, 10})
	if s = call(&metaMovingTimeWindowMean, three, "5min", "5min", "0", "closed", "right"); !closeFloats(s.Values.F, []float64{1, 13.0 / 3}) {
		t.Errorf("mean of 1 2 10: %v", s.Values.F)
	}
	if s = call(&metaMovingTimeWindowMedian, three, "5min", "5min", "0", "closed", "right"); !closeFloats(s.Values.F, []float64{1, 2}) {
		t.Errorf("median of 1 2 10: %v", s.Values.F)
	}
	// the rhythm runs on the zone's wall clock: in +05:30 the points are 05:30, 05:50,
	// 05:55 and 06:10, hourly bins [05:00, 06:00) and [06:00, 07:00) give 3 and 7 (in UTC
	// all four would share one bin)
	ist := movingInput()
	ist.Index.Zone = data.Zone{Aware: true, Offset: 5*3600 + 1800}
	if s = call(&metaMovingTimeWindowMean, ist, "1h", "1h", "0", "left_closed", "right"); !closeFloats(s.Values.F, []float64{3, 7}) {
		t.Errorf("+05:30 fast path: %v", s.Values.F)
	}
	// a negative offset is taken modulo the frequency: −1min → 4min, edges at :04, :09, …
	s = call(&metaMovingTimeWindowMean, movingInput(), "15min", "5min", "-1min", "closed", "right")
	if s.Index.I[0] != base+4*minute || !closeFloats(s.Values.F[:5], []float64{1, 1, 1, nan, 3}) {
		t.Errorf("negative offset: %v %v", s.Index.I[:2], s.Values.F)
	}
	// the rolling path needs a first timestamp; the fast path gives an empty result
	empty := atMinutes(nil, nil)
	if _, err := callComponent(t, &metaMovingTimeWindowMean, empty, "15min", "5min"); !errIs(err, "IndexError", "") {
		t.Errorf("empty, rolling path: %v", err)
	}
	if s = call(&metaMovingTimeWindowMean, empty, "15min", "15min", "0", "left_closed", "right"); s.Len() != 0 {
		t.Errorf("empty, fast path: %d rows", s.Len())
	}
	errs := []struct {
		name                   string
		s                      *data.Series
		size, freq, off, itype string
		typ, msg               string
	}{
		{"interval type", movingInput(), "15min", "5min", "0", "middle", "ValueError",
			"'middle' is not allowed as input for interval_type!\nPlease use one of the following options instead:\nclosed\nopen\nleft_closed\nright_open\nright_closed\nleft_open\n"},
		{"bad size", movingInput(), "zz", "5min", "0", "closed", "ValueError", "Invalid frequency: zz"},
		{"bad offset", movingInput(), "15min", "5min", "abc", "closed", "ValueError", "Invalid frequency: abc"},
		{"zero frequency", movingInput(), "15min", "0min", "0", "closed", "ZeroDivisionError", "integer division or modulo by zero"},
		{"calendar frequency", movingInput(), "15min", "1M", "0", "closed", "TypeError", ""},
		{"calendar size", movingInput(), "1M", "5min", "0", "closed", "ValueError", "<MonthEnd> is a non-fixed frequency"},
		{"duplicates", atMinutes([]int64{0, 0}, []float64{1, 2}), "15min", "5min", "0", "closed", "ValueError", "cannot reindex on an axis with duplicate labels"},
		{"integer index", data.FloatSeries(nil, data.Ints([]int64{0, 1}), []float64{1, 2}), "15min", "5min", "0", "closed",
			"TypeError", "This component is exclusively for Pandas Series with a Pandas DatetimeIndex!"},
	}
	for _, tc := range errs {
		_, err := call2(t, &metaMovingTimeWindowMean, tc.s, tc.size, tc.freq, tc.off, tc.itype)
		if !errIs(err, tc.typ, tc.msg) {
			t.Errorf("%s: %v, want %s: %q", tc.name, err, tc.typ, tc.msg)
		}
	}
}

func callComponent(t *testing.T, meta *component.Meta, s *data.Series, size, freq string) (component.Outputs, error) {
	return call2(t, meta, s, size, freq, "0", "closed")
}

func call2(t *testing.T, meta *component.Meta, s *data.Series, size, freq, offset, interval string) (component.Outputs, error) {
	t.Helper()
	return call(t, meta, map[string]any{"timeseries": s, "window_size": size, "window_frequency": freq,
		"frequency_offset": offset, "interval_type": interval, "label_position": "right"})
}

// Maximum and Minimum of a boolean Series returned a Go bool, written as true/false; pandas
// 1.5.3's Series.max() of bools is numpy's bool_, which hetida's encoder refuses (an
// int64 Series gives a Python int). Found by tools/difffuzz.py on the wrapper workflows.
func TestExtremeOfBoolSeriesIsNumpyBoolRegression(t *testing.T) {
	s := data.NewSeries(nil, data.Range(3), data.Bools([]bool{false, true, false}))
	for _, c := range []struct {
		meta *component.Meta
		out  string
		want bool
	}{{&metaMaximum, "max", true}, {&metaMinimum, "min", false}} {
		got := mustCall(t, c.meta, map[string]any{"data": s})[c.out]
		if got != (data.NumpyScalar{Type: "bool_", V: c.want}) {
			t.Errorf("%s = %#v; want numpy bool_ %v", c.out, got, c.want)
		}
	}
	ints := data.NewSeries(nil, data.Range(2), data.Ints([]int64{3, 5}))
	if got := mustCall(t, &metaMaximum, map[string]any{"data": ints})["max"]; got != int64(5) {
		t.Errorf("max of ints = %#v; want the Python int 5", got)
	}
}

// Moving Time Window Mean/Median dropped the series' attrs on every path, but hetida's
// fast path is resample(…).mean(), which keeps attrs in pandas 1.5.3 (its rolling path
// does not). Found by tools/difffuzz.py (window_size = window_frequency = "3H",
// interval_type "left_open", a series with __metadata__ {"unit": "C"}).
func TestMovingTimeWindowAttrsRegression(t *testing.T) {
	s := atMinutes([]int64{0, 5, 10, 15}, []float64{1, 2, 3, 4})
	s.Attrs = dict("unit", "C")
	for _, meta := range []*component.Meta{&metaMovingTimeWindowMean, &metaMovingTimeWindowMedian} {
		fast, err := call2(t, meta, s, "10min", "10min", "0", "right_closed")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range fast {
			if a := v.(*data.Series).Attrs; a == nil || a.Len() != 1 {
				t.Errorf("%s fast path: attrs %v, want {unit: C}", meta.Name, a)
			}
		}
		slow, err := call2(t, meta, s, "10min", "5min", "0", "right_closed")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range slow {
			if a := v.(*data.Series).Attrs; a != nil && a.Len() != 0 {
				t.Errorf("%s rolling path: attrs %v, want none", meta.Name, a)
			}
		}
	}
}

// A negative window size can leave no window edges; with duplicate timestamps pandas
// 1.5.3 then reindexes onto the index itself and onto an empty target, neither of which
// refuses the duplicates. Found by tools/difffuzz.py; pandas 1.5.3: series 00:00, 00:05,
// 00:05, window_size -10min, window_frequency 5min → an empty series. With a non-empty
// set of edges the duplicates still fail.
func TestMovingTimeWindowNegativeSizeDuplicatesRegression(t *testing.T) {
	s := atMinutes([]int64{0, 5, 5}, []float64{1, 2, 3})
	for _, meta := range []*component.Meta{&metaMovingTimeWindowMean, &metaMovingTimeWindowMedian} {
		out, err := call2(t, meta, s, "-10min", "5min", "0min", "closed")
		if err != nil {
			t.Fatalf("%s: %v", meta.Name, err)
		}
		for _, v := range out {
			if n := v.(*data.Series).Len(); n != 0 {
				t.Errorf("%s: %d rows, want none", meta.Name, n)
			}
		}
		_, err = call2(t, meta, s, "10min", "5min", "0min", "closed")
		wantError(t, err, "ValueError", "cannot reindex on an axis with duplicate labels")
	}
}

// A frame of datetime64 columns only is one datetime64 array, which StandardScaler's
// check_array casts through the int64 view; mixed with numbers it is a TypeError. Found
// by tools/difffuzz.py; pandas 1.5.3 / sklearn 1.2: StandardScaler().fit_transform of
// {"timestamp_x": [null, null]} (read as NaT) is [[0.], [0.]], of [2020-01-01, NaT]
// [[1.], [-1.]].
func TestStandardScaleDatetimeFrameRegression(t *testing.T) {
	idx := data.Range(2)
	for _, c := range []struct {
		ns   []int64
		want []float64
	}{
		{[]int64{data.NaT, data.NaT}, []float64{0, 0}},
		{[]int64{1577836800e9, data.NaT}, []float64{1, -1}},
	} {
		f := data.NewDataFrame(idx, []any{"timestamp_x"}, []data.Column{data.Datetimes(c.ns, data.Naive)})
		out, err := call(t, &metaStandardScale, map[string]any{"data": f})
		if err != nil {
			t.Fatal(err)
		}
		if got := out["scaled"].(*data.DataFrame).Columns[0].F; !closeFloats(got, c.want) {
			t.Errorf("%v: %v, want %v", c.ns, got, c.want)
		}
	}
	mixed := data.NewDataFrame(idx, []any{"a", "t"}, []data.Column{data.Floats([]float64{1, 2}), data.Datetimes([]int64{0, 1}, data.Naive)})
	if _, err := call(t, &metaStandardScale, map[string]any{"data": mixed}); pyErrType(err) != "TypeError" {
		t.Errorf("mixed: %v", err)
	}
}
