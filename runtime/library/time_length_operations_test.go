package library

import (
	"math"
	"reflect"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
)

// Add Timedelta to Index works on the decoded JSON object of a workflow input: flat
// values become a Series named 0, nested objects a frame (one column squeezed to a
// Series named after it); pandas objects from upstream fail as hetida's from_dict does.
func TestAddTimedeltaToIndex(t *testing.T) {
	out := mustCall(t, &metaAddTimedeltaToIndex, map[string]any{"df_or_series": dictOf("2019-08-01T15:20:10", 10.0, "2019-08-01T15:20:11", 22.0, "2019-08-01T15:20:14", nil), "timedelta": "-4s"})
	s := out["df_or_series"].(*data.Series)
	if got := isoOf(s.Index); !reflect.DeepEqual(got, []string{"2019-08-01T15:20:06", "2019-08-01T15:20:07", "2019-08-01T15:20:10"}) {
		t.Errorf("index %v", got)
	}
	if s.Name != int64(0) || !sameFloats(floatsOf(t, s.Values), []float64{10, 22, math.NaN()}, 0) {
		t.Errorf("series %v %v", s.Name, s.Values)
	}
	out = mustCall(t, &metaAddTimedeltaToIndex, map[string]any{"df_or_series": dictOf(
		"2023-03-01T00:00:00Z", dictOf("a", int64(1), "b", int64(2)), "2023-03-01T00:10:00Z", dictOf("b", int64(3), "c", "x")), "timedelta": "1 days 2h"})
	f := out["df_or_series"].(*data.DataFrame)
	if !reflect.DeepEqual(f.Names, []any{"a", "b", "c"}) || !reflect.DeepEqual(isoOf(f.Index), []string{"2023-03-02T02:00:00+00:00", "2023-03-02T02:10:00+00:00"}) {
		t.Errorf("nested: %v %v", f.Names, isoOf(f.Index))
	}
	if !sameFloats(floatsOf(t, f.Columns[0]), []float64{1, math.NaN()}, 0) || !reflect.DeepEqual(f.Columns[1].I, []int64{2, 3}) {
		t.Errorf("nested columns: %+v", f.Columns)
	}
	out = mustCall(t, &metaAddTimedeltaToIndex, map[string]any{"df_or_series": dictOf("2023-03-01T00:00:00Z", dictOf("a", 1.5)), "timedelta": "1h"})
	if s := out["df_or_series"].(*data.Series); s.Name != "a" {
		t.Errorf("one nested column: name %v", s.Name)
	}
	for _, c := range []struct {
		in       any
		td       string
		typ, msg string
	}{
		{hourly(data.Floats([]float64{1})), "1h", "TypeError", "'numpy.ndarray' object is not callable"},
		{[]any{1.0}, "1h", "AttributeError", "'list' object has no attribute 'values'"},
		{2.5, "1h", "TypeError", "object of type 'float' has no len()"},
		{dictOf("x", 1.0), "1h", "ParserError", "Unknown string format: x present at position 0"},
		// pandas 1.5.3's to_datetime: a string not likely a datetime is a plain ValueError
		{dictOf("a", 1.0), "1h", "ValueError", "Given date string a not likely a datetime present at position 0"},
		{dictOf("2023-03-01T00:00:00Z", 1.0), "abc", "ValueError", ""},
	} {
		_, err := call(t, &metaAddTimedeltaToIndex, map[string]any{"df_or_series": c.in, "timedelta": c.td})
		wantError(t, err, c.typ, c.msg)
	}
	// an empty object gives an empty frame
	out = mustCall(t, &metaAddTimedeltaToIndex, map[string]any{"df_or_series": dictOf(), "timedelta": "1h"})
	if f := out["df_or_series"].(*data.DataFrame); f.Len() != 0 {
		t.Errorf("empty: %d rows", f.Len())
	}
}

// Linear Interpolation Datetime Index is resample(t).interpolate(): only points on the
// grid keep their values. w-* reference cases cover the plain cases; here the grid drops
// off-grid points, ints become floats, and the errors.
func TestLinearInterpolationDatetimeIndex(t *testing.T) {
	nan := math.NaN()
	// 07:00=1, 07:10=3, 07:25=9 (off the 10-min grid, dropped), 07:40=4 → 07:00 1, 07:10 3,
	// 07:20 and 07:30 on the line 3→4 by position: 3⅓, 3⅔, 07:40 4
	s := data.NewSeries("x", minutes(0, 10, 25, 40), data.Ints([]int64{1, 3, 9, 4}))
	out := mustCall(t, &metaLinearInterpolationDatetimeIndex, map[string]any{"data": s, "t": "10min"})["interpolation"].(*data.Series)
	if !sameFloats(floatsOf(t, out.Values), []float64{1, 3, 10.0 / 3, 11.0 / 3, 4}, 1e-12) || out.Len() != 5 || out.Name != "x" {
		t.Errorf("off-grid point: %v", out.Values)
	}
	// all NaN stays NaN; no point on the grid gives all NaN (the trailing values stay
	// NaN too, since nothing is valid)
	s = data.NewSeries(nil, minutes(1, 12), data.Floats([]float64{1, 2}))
	out = mustCall(t, &metaLinearInterpolationDatetimeIndex, map[string]any{"data": s, "t": "10min"})["interpolation"].(*data.Series)
	if !sameFloats(floatsOf(t, out.Values), []float64{nan, nan}, 0) {
		t.Errorf("nothing on the grid: %v", out.Values)
	}
	empty := data.NewSeries(nil, data.Range(0), data.Floats([]float64{}))
	if out := mustCall(t, &metaLinearInterpolationDatetimeIndex, map[string]any{"data": empty, "t": "10min"})["interpolation"].(*data.Series); out.Len() != 0 {
		t.Errorf("empty: %d rows", out.Len())
	}
	for _, c := range []struct {
		data     any
		t        string
		typ, msg string
	}{
		{dictOf("a", 1.0), "1h", "AttributeError", "'dict' object has no attribute 'index'"},
		{[]any{1.0}, "1h", "TypeError", "indices of data must be datetime"},
		{data.NewSeries(nil, data.Objects([]any{"x"}), data.Floats([]float64{1})), "1h", "TypeError", "indices of data must be datetime"},
		{hourly(data.Floats([]float64{1, 2})), "alle 5 Minuten", "ValueError", "t could not be parsed as frequency: alle 5 Minuten"},
		{data.NewSeries(nil, minutes(0, 0, 5), data.Floats([]float64{1, 2, 3})), "1min", "ValueError", "t could not be parsed as frequency: 1min"},
		{"text", "1h", "AttributeError", "'str' object has no attribute 'copy'"},
	} {
		_, err := call(t, &metaLinearInterpolationDatetimeIndex, map[string]any{"data": c.data, "t": c.t})
		wantError(t, err, c.typ, c.msg)
	}
}

// Linear Interpolation numeric index: the grid from the first label in steps of d up to
// the last label; interpolation by index value on the union with the data's labels.
func TestLinearInterpolationNumericIndex(t *testing.T) {
	nan := math.NaN()
	// labels 0, 7, 10, 12 with d=3 → grid 0, 3, 6, 9, 12: 3 and 6 on 0→7 (1.79→2.133):
	// 1.79 + 0.343·3/7 = 1.937, 2.084; 9 on 7→10 (2.133→1.704): 2.133 − 0.429·2/3 = 1.847
	s := data.NewSeries(nil, data.Ints([]int64{0, 7, 10, 12}), data.Floats([]float64{1.79, 2.133, 1.704, 0.744}))
	out := mustCall(t, &metaLinearInterpolationNumericIndex, map[string]any{"data": s, "d": int64(3)})["interpolation"].(*data.Series)
	if !reflect.DeepEqual(out.Index.I, []int64{0, 3, 6, 9, 12}) || !sameFloats(floatsOf(t, out.Values), []float64{1.79, 1.937, 2.084, 1.847, 0.744}, 1e-12) {
		t.Errorf("d=3: %v %v", out.Index.I, out.Values)
	}
	// first/last are the first and last labels, unsorted as they are: 7 … 12 by 4 → 7, 11
	s = data.NewSeries(nil, data.Ints([]int64{7, 0, 12}), data.Floats([]float64{2, 1, 5}))
	out = mustCall(t, &metaLinearInterpolationNumericIndex, map[string]any{"data": s, "d": int64(4)})["interpolation"].(*data.Series)
	if !reflect.DeepEqual(out.Index.I, []int64{7, 11}) || !sameFloats(floatsOf(t, out.Values), []float64{2, 4.4}, 1e-12) {
		t.Errorf("unsorted: %v %v", out.Index.I, out.Values)
	}
	// all NaN stays NaN
	s = data.NewSeries(nil, data.Ints([]int64{0, 4}), data.Floats([]float64{nan, nan}))
	out = mustCall(t, &metaLinearInterpolationNumericIndex, map[string]any{"data": s, "d": int64(2)})["interpolation"].(*data.Series)
	if !sameFloats(floatsOf(t, out.Values), []float64{nan, nan, nan}, 0) {
		t.Errorf("all NaN: %v", out.Values)
	}
	for _, c := range []struct {
		data     any
		d        int64
		typ, msg string
	}{
		{data.NewSeries(nil, data.Ints([]int64{0, 4}), data.Floats([]float64{1, 2})), 0, "ValueError", "Step must not be zero"},
		{hourly(data.Floats([]float64{1, 2})), 1, "TypeError", "Wrong type <class 'pandas._libs.tslibs.timestamps.Timestamp'> for value 2020-03-29 00:00:00+00:00"},
		{data.NewSeries(nil, data.Floats([]float64{0.5, 2}), data.Floats([]float64{1, 2})), 1, "TypeError", "Wrong type <class 'numpy.float64'> for value 0.5"},
		{dictOf("0", 1.0), 2, "AttributeError", "'dict' object has no attribute 'empty'"},
		{[]any{1.0}, 2, "AttributeError", "'list' object has no attribute 'empty'"},
	} {
		_, err := call(t, &metaLinearInterpolationNumericIndex, map[string]any{"data": c.data, "d": c.d})
		wantError(t, err, c.typ, c.msg)
	}
}

// Merge timeseries deduplicating timestamps spreads each run of k equal timestamps over
// j/k of the distance to the next timestamp (at most max_distribution_delta).
func TestMergeTimeseriesDeduplicatingTimestamps(t *testing.T) {
	// 00:00 three times, next 00:00.3 → steps of 0.3 s / 3 = 100 ms; 00:10 twice at the
	// end → max delta 1 s / 2 = 500 ms
	ts := utc(t, "2023-03-01T00:10:00Z", "2023-03-01T00:00:00Z", "2023-03-01T00:00:00Z", "2023-03-01T00:00:00.300Z", "2023-03-01T00:00:00Z", "2023-03-01T00:10:00Z")
	f := data.NewDataFrame(data.Range(6), []any{"timestamp", "value"}, []data.Column{ts, data.Floats([]float64{5, 1, 2, 4, 3, 6})})
	s := mustCall(t, &metaMergeTimeseriesDeduplicatingTimestamps, map[string]any{"timeseries_df": f, "max_distribution_delta": "1s", "new_name": "merged"})["timeseries"].(*data.Series)
	want := []string{"2023-03-01T00:00:00+00:00", "2023-03-01T00:00:00.100000+00:00", "2023-03-01T00:00:00.200000+00:00", "2023-03-01T00:00:00.300000+00:00", "2023-03-01T00:10:00+00:00", "2023-03-01T00:10:00.500000+00:00"}
	if got := isoOf(s.Index); !reflect.DeepEqual(got, want) {
		t.Errorf("timestamps %v", got)
	}
	if !sameFloats(floatsOf(t, s.Values), []float64{1, 2, 3, 4, 5, 6}, 0) || s.Name != "merged" {
		t.Errorf("values %v, name %v", s.Values.F, s.Name)
	}
	_, err := call(t, &metaMergeTimeseriesDeduplicatingTimestamps, map[string]any{"timeseries_df": data.NewDataFrame(data.Range(0), nil, nil), "max_distribution_delta": "1s", "new_name": "m"})
	wantError(t, err, "KeyError", "'timestamp'")
	empty := data.NewDataFrame(data.Range(0), []any{"timestamp", "value"}, []data.Column{data.Datetimes([]int64{}, data.UTC), data.Floats([]float64{})})
	if s := mustCall(t, &metaMergeTimeseriesDeduplicatingTimestamps, map[string]any{"timeseries_df": empty, "max_distribution_delta": "1s", "new_name": "m"})["timeseries"].(*data.Series); s.Len() != 0 {
		t.Errorf("empty: %d rows", s.Len())
	}
}

// Resample Datetime Index using Mean: bin means (NaN skipped, empty bins NaN); hetida's
// is_monotonic check as intended; the frequency errors reworded.
func TestResampleDatetimeIndexUsingMean(t *testing.T) {
	nan := math.NaN()
	// 15-min bins from the first minute: {0, 7, 14} → mean of 1 and 3 (NaN skipped) = 2;
	// {20} → 5; the bin of minutes 30–44 is empty → NaN; {50} → 7
	s := data.NewSeries(nil, minutes(0, 7, 14, 20, 50), data.Floats([]float64{1, 3, nan, 5, 7}))
	out := mustCall(t, &metaResampleDatetimeIndexUsingMean, map[string]any{"data": s, "t": "15min"})["resampled"].(*data.Series)
	if !sameFloats(floatsOf(t, out.Values), []float64{2, 5, nan, 7}, 1e-12) {
		t.Errorf("15min: %v", out.Values)
	}
	f := data.NewDataFrame(minutes(0, 7, 20), []any{"a", "b"}, []data.Column{data.Floats([]float64{1, 3, 5}), data.Ints([]int64{2, 4, 6})})
	fo := mustCall(t, &metaResampleDatetimeIndexUsingMean, map[string]any{"data": f, "t": "15min"})["resampled"].(*data.DataFrame)
	if !sameFloats(floatsOf(t, fo.Columns[1]), []float64{3, 6}, 1e-12) {
		t.Errorf("frame: %v", fo.Columns)
	}
	allNaN := data.NewSeries(nil, minutes(0, 20), data.Floats([]float64{nan, nan}))
	out = mustCall(t, &metaResampleDatetimeIndexUsingMean, map[string]any{"data": allNaN, "t": "15min"})["resampled"].(*data.Series)
	if !sameFloats(floatsOf(t, out.Values), []float64{nan, nan}, 0) {
		t.Errorf("all NaN: %v", out.Values)
	}
	for _, c := range []struct {
		data     any
		t        string
		typ, msg string
	}{
		{data.NewSeries(nil, minutes(20, 0), data.Floats([]float64{1, 2})), "1h", "ValueError", "data must be sorted by its index"},
		{hourly(data.Floats([]float64{1})), "xyz", "ValueError", "t could not be parsed as frequency: xyz"},
		{hourly(data.Objects([]any{"a"})), "1h", "TypeError", "agg function failed [how->mean,dtype->object]"},
		{dictOf("a", 1.0), "1h", "AttributeError", "'dict' object has no attribute 'index'"},
		{[]any{1.0}, "1h", "TypeError", "indices of data must be datetime"},
	} {
		_, err := call(t, &metaResampleDatetimeIndexUsingMean, map[string]any{"data": c.data, "t": c.t})
		wantError(t, err, c.typ, c.msg)
	}
}

// Resample Numeric Index using Mean: a centred count window of d rows over the grid
// joined with the data's labels.
func TestResampleNumericIndexUsingMean(t *testing.T) {
	nan := math.NaN()
	// labels 0 1 2 5 6 9 13 (values 1 2 4 8 16 32 1), d=4 → grid 0 4 8 12 joined: rows
	// 0 1 2 4 5 6 8 9 12 13 with NaN at 4, 8, 12; window rows i−2…i+1:
	// label 0: {1,2} → 1.5; label 4 (row 3): {2,4,NaN,8} → 14/3; label 8 (row 6):
	// {8,16,NaN,32} → 56/3; label 12 (row 8): {NaN,32,NaN,1} → 16.5
	s := data.NewSeries(nil, data.Ints([]int64{0, 1, 2, 5, 6, 9, 13}), data.Floats([]float64{1, 2, 4, 8, 16, 32, 1}))
	out := mustCall(t, &metaResampleNumericIndexUsingMean, map[string]any{"data": s, "d": int64(4)})["resampled"].(*data.Series)
	if !reflect.DeepEqual(out.Index.I, []int64{0, 4, 8, 12}) || !sameFloats(floatsOf(t, out.Values), []float64{1.5, 14.0 / 3, 56.0 / 3, 16.5}, 1e-12) {
		t.Errorf("d=4: %v %v", out.Index.I, out.Values)
	}
	// a window of NaN only is NaN (min_periods 1 counts valid values)
	s = data.NewSeries(nil, data.Ints([]int64{0, 4}), data.Floats([]float64{nan, nan}))
	out = mustCall(t, &metaResampleNumericIndexUsingMean, map[string]any{"data": s, "d": int64(2)})["resampled"].(*data.Series)
	if !sameFloats(floatsOf(t, out.Values), []float64{nan, nan, nan}, 0) {
		t.Errorf("all NaN: %v", out.Values)
	}
	empty := &data.Series{Index: data.Range(0), Values: data.Floats([]float64{}), Attrs: dictOf("unit", "bar")}
	if out := mustCall(t, &metaResampleNumericIndexUsingMean, map[string]any{"data": empty, "d": int64(2)})["resampled"].(*data.Series); out != empty {
		t.Errorf("empty: not returned as it is")
	}
	for _, c := range []struct {
		data     any
		d        int64
		typ, msg string
	}{
		{data.NewSeries(nil, data.Ints([]int64{4, 0}), data.Floats([]float64{1, 2})), 2, "ValueError", "data must be sorted by its index"},
		{data.NewSeries(nil, data.Ints([]int64{0, 1}), data.Floats([]float64{1, 2})), -1, "ValueError", "min_periods 1 must be <= window -1"},
		{data.NewSeries(nil, data.Ints([]int64{0, 1}), data.Objects([]any{"a", "b"})), 1, "DataError", "No numeric types to aggregate"},
		{[]any{1.0}, 2, "AttributeError", "'list' object has no attribute 'empty'"},
	} {
		_, err := call(t, &metaResampleNumericIndexUsingMean, map[string]any{"data": c.data, "d": c.d})
		wantError(t, err, c.typ, c.msg)
	}
}

// Shift Datetime Index: ticks add, calendar offsets roll onto their anchors; values stay.
func TestShiftDatetimeIndex(t *testing.T) {
	idx := utc(t, "2026-01-15T10:00:00Z", "2026-01-31T00:00:00Z", "2026-02-07T12:00:00Z")
	s := data.NewSeries(nil, idx, data.Floats([]float64{1, 2, 3}))
	for _, c := range []struct {
		freq    string
		periods int64
		want    []string
	}{
		// month ends: Jan 15 → Jan 31 (one step rolls onto the end), Jan 31 → Feb 28
		{"M", 1, []string{"2026-01-31T10:00:00+00:00", "2026-02-28T00:00:00+00:00", "2026-02-28T12:00:00+00:00"}},
		// periods 0 still rolls dates that are not on a month end forward
		{"M", 0, []string{"2026-01-31T10:00:00+00:00", "2026-01-31T00:00:00+00:00", "2026-02-28T12:00:00+00:00"}},
		// business days: Thu Jan 15 + 2 → Mon 19; Sat Jan 31 → Tue Feb 3; Sat Feb 7 → Tue 10
		{"B", 2, []string{"2026-01-19T10:00:00+00:00", "2026-02-03T00:00:00+00:00", "2026-02-10T12:00:00+00:00"}},
		{"2h", -1, []string{"2026-01-15T08:00:00+00:00", "2026-01-30T22:00:00+00:00", "2026-02-07T10:00:00+00:00"}},
	} {
		out := mustCall(t, &metaShiftDatetimeIndex, map[string]any{"data": s, "frequency": c.freq, "periods": c.periods})["shifted"].(*data.Series)
		if got := isoOf(out.Index); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s × %d: %v, want %v", c.freq, c.periods, got, c.want)
		}
		if !reflect.DeepEqual(out.Values.F, s.Values.F) {
			t.Errorf("%s: values changed", c.freq)
		}
	}
	for _, c := range []struct {
		data     any
		freq     string
		typ, msg string
	}{
		{data.NewSeries(nil, data.Range(2), data.Floats([]float64{1, 2})), "1h", "NotImplementedError", "This method is only implemented for DatetimeIndex, PeriodIndex and TimedeltaIndex; Got type RangeIndex"},
		{s, "bogus", "ValueError", "Invalid frequency: bogus"},
		{dictOf("a", 1.0), "1h", "AttributeError", "'dict' object has no attribute 'index'"},
		{[]any{1.0}, "1h", "AttributeError", "'builtin_function_or_method' object has no attribute 'shift'"},
	} {
		_, err := call(t, &metaShiftDatetimeIndex, map[string]any{"data": c.data, "frequency": c.freq, "periods": int64(1)})
		wantError(t, err, c.typ, c.msg)
	}
}

// Shift Values moves values by rows; Time Gaps measures the steps in seconds.
func TestShiftValuesAndTimeGaps(t *testing.T) {
	nan := math.NaN()
	s := hourly(data.Ints([]int64{1, 2, 3}))
	out := mustCall(t, &metaShiftValues, map[string]any{"data": s, "periods": int64(-1)})["shifted"].(*data.Series)
	if !sameFloats(floatsOf(t, out.Values), []float64{2, 3, nan}, 0) || out.Values.DType != data.Float64 {
		t.Errorf("shift -1: %+v", out.Values)
	}
	if out := mustCall(t, &metaShiftValues, map[string]any{"data": s, "periods": int64(1 << 40)})["shifted"].(*data.Series); !sameFloats(floatsOf(t, out.Values), []float64{nan, nan, nan}, 0) {
		t.Errorf("huge shift: %v", out.Values)
	}
	_, err := call(t, &metaShiftValues, map[string]any{"data": dictOf(), "periods": int64(1)})
	wantError(t, err, "AttributeError", "'dict' object has no attribute 'shift'")

	// unsorted +02:00 timestamps: 10:00, 09:00, 09:30:00.5 → −3600 s, 1800.5 s, labelled by
	// the later timestamps as naive UTC times
	plus2 := data.Zone{Aware: true, Offset: 7200}
	idx := utc(t, "2026-01-15T08:00:00Z", "2026-01-15T07:00:00Z", "2026-01-15T07:30:00.5Z")
	idx.Zone = plus2
	g := mustCall(t, &metaTimeGaps, map[string]any{"data": data.NewSeries(nil, idx, data.Floats([]float64{1, 2, 3}))})["gap_sizes"].(*data.Series)
	if !sameFloats(g.Values.F, []float64{-3600, 1800.5}, 0) || !reflect.DeepEqual(isoOf(g.Index), []string{"2026-01-15T07:00:00", "2026-01-15T07:30:00.500000"}) {
		t.Errorf("time gaps: %v %v", g.Values.F, isoOf(g.Index))
	}
	_, err = call(t, &metaTimeGaps, map[string]any{"data": hourly(data.Floats([]float64{1}))})
	wantError(t, err, "ValueError", "length of data must be greater than 1, it is 1")
	_, err = call(t, &metaTimeGaps, map[string]any{"data": data.NewSeries(nil, data.Range(2), data.Floats([]float64{1, 2}))})
	wantError(t, err, "UFuncTypeError", "ufunc 'divide' cannot use operands with types dtype('int64') and dtype('<m8[s]')")
}

// Resample Numeric Index using Mean kept the input's attrs, but pandas 1.5.3's
// rolling(...).mean() does not carry them, so hetida's result has none. Found by
// tools/difffuzz.py (wrapper workflow, a series with __metadata__ {"unit": "C"}).
func TestResampleNumericIndexDropsAttrsRegression(t *testing.T) {
	s := data.NewSeries("x", data.Ints([]int64{0, 6}), data.Floats([]float64{2.5, 2.5}))
	s.Attrs = dict("unit", "C")
	out := mustCall(t, &metaResampleNumericIndexUsingMean, map[string]any{"data": s, "d": int64(2)})["resampled"].(*data.Series)
	if out.Attrs != nil && out.Attrs.Len() != 0 {
		t.Errorf("attrs %v kept", out.Attrs)
	}
	if s.Attrs.Len() != 1 {
		t.Error("the input's attrs were changed")
	}
	f := data.NewDataFrame(data.Ints([]int64{0, 6}), []any{"a"}, []data.Column{data.Floats([]float64{1, 2})})
	f.Attrs = dict("unit", "C")
	fo := mustCall(t, &metaResampleNumericIndexUsingMean, map[string]any{"data": f, "d": int64(2)})["resampled"].(*data.DataFrame)
	if (fo.Attrs != nil && fo.Attrs.Len() != 0) || f.Attrs.Len() != 1 {
		t.Errorf("frame attrs %v (input %v)", fo.Attrs, f.Attrs)
	}
}

// Linear Interpolation Datetime Index interpolated datetime values (an all-null JSON
// series is read as NaT datetimes); pandas 1.5.3's interpolate() refuses datetimes and
// timedeltas with a ValueError, which hetida's code reports as "t could not be parsed as
// frequency: <t>". Found by tools/difffuzz.py (wrapper workflow).
func TestLinearInterpolationDatetimeValuesRegression(t *testing.T) {
	idx := data.Datetimes([]int64{0, 300e9}, data.UTC)
	s := data.NewSeries(nil, idx, data.Datetimes([]int64{data.NaT, data.NaT}, data.Naive))
	_, err := call(t, &metaLinearInterpolationDatetimeIndex, map[string]any{"data": s, "t": "1h"})
	wantError(t, err, "ValueError", "t could not be parsed as frequency: 1h")
	f := data.NewDataFrame(idx, []any{"a", "b"}, []data.Column{data.Floats([]float64{1, 2}), data.TimedeltaCol([]int64{1, 2})})
	_, err = call(t, &metaLinearInterpolationDatetimeIndex, map[string]any{"data": f, "t": "1min"})
	wantError(t, err, "ValueError", "t could not be parsed as frequency: 1min")
}
