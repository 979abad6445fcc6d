package library

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

const filtMinute = int64(60e9)

// filtMinutes is a UTC series one minute apart from base.
func filtMinutes(vals data.Column) *data.Series {
	ns := make([]int64, vals.Len())
	for i := range ns {
		ns[i] = base + int64(i)*filtMinute
	}
	return data.NewSeries(nil, data.Datetimes(ns, data.UTC), vals)
}

// filtSame compares float64 values, NaN equal to NaN, within tol.
func filtSame(got, want []float64, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if math.IsNaN(got[i]) != math.IsNaN(want[i]) || (!math.IsNaN(want[i]) && math.Abs(got[i]-want[i]) > tol) {
			return false
		}
	}
	return true
}

// checkedCall runs a component and also checks its outputs against the Spec (declared
// names and types, Loose aside).
func checkedCall(t *testing.T, meta *component.Meta, vals map[string]any) component.Outputs {
	t.Helper()
	out := mustCall(t, meta, vals)
	spec, _ := Registry().Get(meta.ID)
	if err := spec.CheckOutputs(out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCutValuesSeriesFiltersFrameMasks(t *testing.T) {
	// x[x <= 2]: a Series loses the rows above the limit and the NaN (labels kept); a
	// DataFrame keeps its shape — the int column with a cell above the limit becomes
	// float64 with NaN there, the bool column (True/False ≤ 2 everywhere) keeps its dtype.
	nan := math.NaN()
	s := filtMinutes(data.Floats([]float64{1, 3, nan, 2}))
	out := checkedCall(t, &metaCutValuesAboveLimit, map[string]any{"limit": 2.0, "ts_or_frame": s})
	got := out["ts_or_frame"].(*data.Series)
	if !slices.Equal(got.Index.I, []int64{base, base + 3*filtMinute}) || !filtSame(got.Values.F, []float64{1, 2}, 0) {
		t.Errorf("series: %v %v", got.Index.I, got.Values.F)
	}
	f := data.NewDataFrame(data.Range(3), []any{"i", "b", "f"}, []data.Column{
		data.Ints([]int64{1, 5, 2}), data.Bools([]bool{true, false, true}), data.Floats([]float64{2.5, nan, 0})})
	out = checkedCall(t, &metaCutValuesAboveLimit, map[string]any{"limit": 2.0, "ts_or_frame": f})
	m := out["ts_or_frame"].(*data.DataFrame)
	if m.Len() != 3 || m.Columns[0].DType != data.Float64 || !filtSame(m.Columns[0].F, []float64{1, nan, 2}, 0) {
		t.Errorf("int column: %+v", m.Columns[0])
	}
	if m.Columns[1].DType != data.Bool || !slices.Equal(m.Columns[1].B, []bool{true, false, true}) {
		t.Errorf("bool column: %+v", m.Columns[1])
	}
	if !filtSame(m.Columns[2].F, []float64{nan, nan, 0}, 0) {
		t.Errorf("float column: %v", m.Columns[2].F)
	}
	// x[x >= 2] on ints keeps the int dtype
	out = checkedCall(t, &metaCutValuesBelowLimit, map[string]any{"limit": 2.0, "ts_or_frame": filtMinutes(data.Ints([]int64{1, 2, 3}))})
	if got := out["ts_or_frame"].(*data.Series); got.Values.DType != data.Int64 || !slices.Equal(got.Values.I, []int64{2, 3}) {
		t.Errorf("ints: %+v", got.Values)
	}
	// Python's failures for values that are no pandas objects, and pandas' for strings
	for _, c := range []struct {
		v    any
		want string
	}{
		{data.NewDict(0), "TypeError: '<=' not supported between instances of 'dict' and 'float'"},
		{[]any{1.0}, "TypeError: '<=' not supported between instances of 'list' and 'float'"},
		{nil, "TypeError: '<=' not supported between instances of 'NoneType' and 'float'"},
		{int64(1), "TypeError: 'int' object is not subscriptable"},
		{filtMinutes(data.Objects([]any{"a"})), "TypeError: '<=' not supported between instances of 'str' and 'float'"},
		{filtMinutes(data.Datetimes([]int64{0}, data.UTC)), "TypeError: Invalid comparison between dtype=datetime64[ns, UTC] and float"},
	} {
		if _, err := call(t, &metaCutValuesAboveLimit, map[string]any{"limit": 2.0, "ts_or_frame": c.v}); err == nil || err.Error() != c.want {
			t.Errorf("%T: %v, want %s", c.v, err, c.want)
		}
	}
}

func TestDropNaNAndDuplicatesOnFrames(t *testing.T) {
	// rows (1, x), (NaN, y), (1, x), (2, nil): dropna drops rows 1 and 3 (any missing
	// cell), drop_duplicates drops row 2 (equal to row 0; the index is not compared)
	nan := math.NaN()
	f := data.NewDataFrame(data.Ints([]int64{10, 11, 12, 13}), []any{"v", "s"}, []data.Column{
		data.Floats([]float64{1, nan, 1, 2}), data.Objects([]any{"x", "y", "x", nil})})
	out := checkedCall(t, &metaDropNaNValues, map[string]any{"data": f})
	if got := out["data"].(*data.DataFrame); !slices.Equal(got.Index.I, []int64{10, 12}) {
		t.Errorf("dropna: %v", got.Index.I)
	}
	out = checkedCall(t, &metaDropDuplicates, map[string]any{"data": f})
	if got := out["data"].(*data.DataFrame); !slices.Equal(got.Index.I, []int64{10, 11, 13}) {
		t.Errorf("drop_duplicates: %v", got.Index.I)
	}
	// an all-NaN series drops to an empty one
	out = checkedCall(t, &metaDropNaNValues, map[string]any{"data": filtMinutes(data.Floats([]float64{nan, nan}))})
	if got := out["data"].(*data.Series); got.Len() != 0 {
		t.Errorf("all NaN: %d rows", got.Len())
	}
	if _, err := call(t, &metaDropDuplicates, map[string]any{"data": "text"}); err == nil || err.Error() != "AttributeError: 'str' object has no attribute 'drop_duplicates'" {
		t.Errorf("string: %v", err)
	}
}

func TestReduceDataSetRoundsHalfToEven(t *testing.T) {
	// k = round((len-1)/(n-1)) with Python's round: 6 rows to 3 → round(2.5) = 2 → rows
	// 0 2 4; 8 rows to 3 → round(3.5) = 4 → rows 0 4 (pandas: iloc[::2], iloc[::4])
	for _, c := range []struct {
		rows   int
		points int64
		want   []int64
	}{
		{6, 3, []int64{0, 2, 4}},
		{8, 3, []int64{0, 4}},
		{4, 4, []int64{0, 1, 2, 3}},
		{3, 4, []int64{0, 1, 2}}, // fewer rows than points: all
		{5, 1, []int64{0, 1, 2, 3, 4}},
		{0, 2, []int64{}},
	} {
		s := data.NewSeries(nil, data.Range(c.rows), data.Floats(make([]float64, c.rows)))
		out := checkedCall(t, &metaReduceDataSetByLeavingOutValues, map[string]any{"data": s, "number_of_points": c.points})
		if got := out["data"].(*data.Series).Index.I; !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("%d rows to %d: %v, want %v", c.rows, c.points, got, c.want)
		}
	}
	for _, c := range []struct {
		v    any
		want string
	}{
		{"abc", "AttributeError: 'str' object has no attribute 'iloc'"},
		{int64(3), "TypeError: object of type 'int' has no len()"},
		{nil, "TypeError: object of type 'NoneType' has no len()"},
	} {
		if _, err := call(t, &metaReduceDataSetByLeavingOutValues, map[string]any{"data": c.v, "number_of_points": int64(2)}); err == nil || err.Error() != c.want {
			t.Errorf("%v: %v, want %s", c.v, err, c.want)
		}
	}
}

func TestButterworthRateAndFailures(t *testing.T) {
	// Four points a minute apart: nyq = 0.5·4/180 s; frequency 0.001 Hz gives
	// Wn = 0.001/(1/90) = 0.09; the low-pass of a constant 2 starts at b0·2 (zero initial
	// state) and climbs towards 2 — y0 = 2·K/(1+K) with K = tan(0.045π).
	s := filtMinutes(data.Ints([]int64{2, 2, 2, 2}))
	out := checkedCall(t, &metaLowpassFilter, map[string]any{"data": s, "frequency": 0.001})
	y := out["filtered"].(*data.Series)
	k := math.Tan(0.045 * math.Pi)
	if y.Name != nil || y.Values.DType != data.Float64 || math.Abs(y.Values.F[0]-2*k/(1+k)) > 1e-15 ||
		!(y.Values.F[1] > y.Values.F[0] && y.Values.F[3] < 2) {
		t.Errorf("lowpass: %+v", y)
	}
	// the high-pass of a constant decays from 2·1/(1+K) towards 0
	out = checkedCall(t, &metaHighpassFilter, map[string]any{"data": s, "frequency": 0.001})
	if h := out["filtered"].(*data.Series).Values.F; math.Abs(h[0]-2/(1+k)) > 1e-15 || !(h[3] < h[0]) {
		t.Errorf("highpass: %v", h)
	}
	for _, c := range []struct {
		s    *data.Series
		freq float64
		want string
	}{
		{filtMinutes(data.Floats(nil)), 0.001, "IndexError: index -1 is out of bounds for axis 0 with size 0"},
		{filtMinutes(data.Floats([]float64{1})), 0.001, "ZeroDivisionError: float division by zero"},
		{data.NewSeries(nil, data.Range(2), data.Floats([]float64{1, 2})), 0.001, "AttributeError: 'int' object has no attribute 'total_seconds'"},
		{data.NewSeries(nil, data.Ints([]int64{3, 7}), data.Floats([]float64{1, 2})), 0.001, "AttributeError: 'numpy.int64' object has no attribute 'total_seconds'"},
		{s, 1, "ValueError: Digital filter critical frequencies must be 0 < Wn < 1"},
		{s, 0, "ValueError: filter critical frequencies must be greater than 0"},
		// a reversed index makes the duration and with it Wn negative
		{data.NewSeries(nil, data.Datetimes([]int64{base + filtMinute, base}, data.UTC), data.Floats([]float64{1, 2})), 0.001,
			"ValueError: filter critical frequencies must be greater than 0"},
	} {
		if _, err := call(t, &metaHighpassFilter, map[string]any{"data": c.s, "frequency": c.freq}); err == nil || err.Error() != c.want {
			t.Errorf("%v: %v, want %s", c.s.Index, err, c.want)
		}
	}
	// pandas' Timedelta.total_seconds: days·86400 + seconds + µs/10⁶, nanoseconds dropped;
	// -2 days 00:00:01.5 normalises to days −3, seconds 86398, µs 500000
	if got := totalSeconds(-(2*86400e9 + 1.5e9)); got != -172801.5 {
		t.Errorf("totalSeconds negative: %v", got)
	}
	if got := totalSeconds(1_123_456_789); got != 1.123456 {
		t.Errorf("totalSeconds ns dropped: %v", got)
	}
}

func TestMAVGOutlierFilter(t *testing.T) {
	// Values 1 2 3 10 2.5 a minute apart, window 2min ((t−2min, t]: the row and the one
	// before), factor 1. pandas: means 1 1.5 2.5 6.5 6.25, stds NaN .7071 .7071 4.9497
	// 5.3033: row 0 (std NaN) is dropped, the others lie strictly inside (10 < 11.45,
	// 2.5 > 0.947).
	ts := filtMinutes(data.Floats([]float64{1, 2, 3, 10, 2.5}))
	out := checkedCall(t, &metaMAVGOutlierFilter, map[string]any{"allowed_deviation_factor": 1.0, "window_size": "2min", "ts": ts})
	got := out["ts"].(*data.Series)
	if !filtSame(got.Values.F, []float64{2, 3, 10, 2.5}, 0) || got.Index.I[0] != base+filtMinute {
		t.Errorf("series: %v at %v", got.Values.F, got.Index.I)
	}
	// factor 0.5: 2 is not < 1.5 + 0.354, and so on — pandas keeps nothing
	out = checkedCall(t, &metaMAVGOutlierFilter, map[string]any{"allowed_deviation_factor": 0.5, "window_size": "2min", "ts": ts})
	if got := out["ts"].(*data.Series); got.Len() != 0 {
		t.Errorf("factor 0.5: %v", got.Values.F)
	}
	// a frame is masked: column a as above; the constant column b has std 0, and 1 < 1
	// is False, so every cell goes (and the ints become float64 NaN)
	nan := math.NaN()
	f := data.NewDataFrame(ts.Index, []any{"a", "b"}, []data.Column{ts.Values, data.Ints([]int64{1, 1, 1, 1, 1})})
	out = checkedCall(t, &metaMAVGOutlierFilter, map[string]any{"allowed_deviation_factor": 1.0, "window_size": "2min", "ts": f})
	m := out["ts"].(*data.DataFrame)
	if !filtSame(m.Columns[0].F, []float64{nan, 2, 3, 10, 2.5}, 0) || !filtSame(m.Columns[1].F, []float64{nan, nan, nan, nan, nan}, 0) {
		t.Errorf("frame: %v %v", m.Columns[0].F, m.Columns[1].F)
	}
	for _, c := range []struct {
		ts     any
		window string
		want   string
	}{
		{data.NewSeries(nil, data.Datetimes([]int64{base + filtMinute, base, base + 2*filtMinute}, data.UTC), data.Floats([]float64{1, 2, 3})), "2min",
			"ValueError: index values must be monotonic"},
		{data.NewSeries(nil, data.Range(3), data.Floats([]float64{1, 2, 3})), "2min", "ValueError: window must be an integer 0 or greater"},
		{ts, "3", "ValueError: passed window 3 is not compatible with a datetimelike index"},
		{filtMinutes(data.Objects([]any{"a", "b"})), "2min", "DataError: No numeric types to aggregate"},
		{data.NewDataFrame(ts.Index, []any{"s"}, []data.Column{data.Objects([]any{"a", "b", "c", "d", "e"})}), "2min", "DataError: Cannot aggregate non-numeric type: object"},
		{[]any{1.0}, "2min", "AttributeError: 'list' object has no attribute 'rolling'"},
	} {
		if _, err := call(t, &metaMAVGOutlierFilter, map[string]any{"allowed_deviation_factor": 1.0, "window_size": c.window, "ts": c.ts}); err == nil || err.Error() != c.want {
			t.Errorf("%s: %v, want %s", c.want, err, c.want)
		}
	}
}

func TestMAVGSmoothingFrame(t *testing.T) {
	// per column trailing 2min means; an int column comes out float64, a window holding
	// only NaN gives NaN
	nan := math.NaN()
	idx := filtMinutes(data.Floats(make([]float64, 4))).Index
	f := data.NewDataFrame(idx, []any{"i", "f"}, []data.Column{data.Ints([]int64{1, 3, 5, 7}), data.Floats([]float64{nan, nan, 4, nan})})
	out := checkedCall(t, &metaMAVGSmoothing, map[string]any{"data": f, "window_size": "2min"})
	m := out["data"].(*data.DataFrame)
	if !filtSame(m.Columns[0].F, []float64{1, 2, 4, 6}, 1e-15) || !filtSame(m.Columns[1].F, []float64{nan, nan, 4, 4}, 1e-15) {
		t.Errorf("smoothing: %v %v", m.Columns[0].F, m.Columns[1].F)
	}
}

func TestMADBandFilter(t *testing.T) {
	nan := math.NaN()
	run := func(vals []float64, minPoints int64) (*data.DataFrame, *data.Series) {
		t.Helper()
		out := checkedCall(t, &metaMovingWindowMADBandFilter, map[string]any{
			"series": filtMinutes(data.Floats(vals)), "window_size": "4min",
			"min_num_datapoints_in_window": minPoints, "mad_scaling_factor": 1.4826, "min_band_width_factor": 0.5})
		return out["band_filter_dataframe"].(*data.DataFrame), out["filter_mask"].(*data.Series)
	}
	// constant input: every median is 5, every MAD 0, so min_width = 0·0.5 = 0 and
	// |x − 5| ≤ 0 holds everywhere — no point is an outlier
	f, mask := run([]float64{5, 5, 5, 5, 5}, 2)
	if !filtSame(f.Columns[1].F, []float64{5, 5, 5, 5, 5}, 0) || !filtSame(f.Columns[2].F, []float64{0, 0, 0, 0, 0}, 0) ||
		!slices.Equal(mask.Values.B, []bool{true, true, true, true, true}) || mask.Name != "filter_mask" {
		t.Errorf("constant: %v %v %v", f.Columns[1].F, f.Columns[2].F, mask.Values.B)
	}
	if !slices.Equal(f.Names, []any{"values", "band_center", "rolling_deviation", "filter_mask"}) {
		t.Errorf("columns %v", f.Names)
	}
	// a spike: the centred 4min window of row i is (t−2min, t+2min], rows i−1 … i+2 where
	// they exist (t−2min is open, t+2min closed). Row 2
	// (the 50): rows 1–4 = 2 50 1 2 → median 2, |x − 2| = 0 48 1 0 → MAD 0.5, deviation
	// 0.7413. Row 4: rows 3–5 = 1 2 1 → median 1, MAD 0; the deviations' median is 0.7413,
	// so the minimum width 0.5·0.7413 = 0.37065 applies and |2 − 1| > 0.37065 flags it.
	// pandas (same inputs): centre [2, 1.5, 2, 1.5, 1, 1.5], deviation [1.4826, 0.7413,
	// 0.7413, 0.7413, 0.37065, 0.7413], mask [T, T, F, T, F, T].
	f, mask = run([]float64{1, 2, 50, 1, 2, 1}, 2)
	if !slices.Equal(mask.Values.B, []bool{true, true, false, true, false, true}) ||
		!filtSame(f.Columns[1].F, []float64{2, 1.5, 2, 1.5, 1, 1.5}, 0) ||
		!filtSame(f.Columns[2].F, []float64{1.4826, 0.7413, 0.7413, 0.7413, 0.37065, 0.7413}, 1e-15) {
		t.Errorf("spike: mask %v centre %v deviation %v", mask.Values.B, f.Columns[1].F, f.Columns[2].F)
	}
	// a NaN inside a window: the median skips it, the raw MAD does not (NaN deviation), so
	// rows 1 and 2 (whose windows hold the NaN) are flagged; rows 0 and 5 have fewer than
	// min_periods 3 values, a NaN centre, and are kept. pandas: centre [NaN, 1, 1, 1, 1,
	// NaN], deviation [NaN, NaN, NaN, 0, 0, NaN], mask [T, F, F, T, T, T].
	f, mask = run([]float64{1, nan, 1, 1, 1, 1}, 3)
	if !slices.Equal(mask.Values.B, []bool{true, false, false, true, true, true}) ||
		!filtSame(f.Columns[1].F, []float64{nan, 1, 1, 1, 1, nan}, 0) || !filtSame(f.Columns[2].F, []float64{nan, nan, nan, 0, 0, nan}, 0) {
		t.Errorf("NaN window: mask %v centre %v deviation %v", mask.Values.B, f.Columns[1].F, f.Columns[2].F)
	}
	// all NaN: no centre anywhere, every point kept; no deviation at all, min_width NaN
	f, mask = run([]float64{nan, nan, nan}, 1)
	if !slices.Equal(mask.Values.B, []bool{true, true, true}) || !filtSame(f.Columns[2].F, []float64{nan, nan, nan}, 0) {
		t.Errorf("all NaN: %v %v", mask.Values.B, f.Columns[2].F)
	}
	// empty: the four columns without rows
	f, mask = run(nil, 1)
	if f.Len() != 0 || len(f.Columns) != 4 || mask.Len() != 0 {
		t.Errorf("empty: %d rows %d columns", f.Len(), len(f.Columns))
	}
	if _, err := call(t, &metaMovingWindowMADBandFilter, map[string]any{
		"series": data.NewSeries(nil, data.Range(2), data.Floats([]float64{1, 2})), "window_size": "4min",
		"min_num_datapoints_in_window": int64(1), "mad_scaling_factor": 1.0, "min_band_width_factor": 1.0}); err == nil ||
		err.Error() != "TypeError: This component is exclusively for series with Datetime index!" {
		t.Errorf("range index: %v", err)
	}
	if _, err := call(t, &metaMovingWindowMADBandFilter, map[string]any{
		"series": filtMinutes(data.Floats([]float64{1, 2})), "window_size": "4min",
		"min_num_datapoints_in_window": int64(-1), "mad_scaling_factor": 1.0, "min_band_width_factor": 1.0}); err == nil ||
		err.Error() != "ValueError: min_periods must be >= 0" {
		t.Errorf("negative min_periods: %v", err)
	}
}

func TestCorrectTimeIntervals(t *testing.T) {
	iv := func(kv ...any) *data.Dict { return dict(kv...) }
	at := func(m int64) string { return data.ISOFormat(base+m*filtMinute, data.UTC) }
	ints := filtMinutes(data.Ints([]int64{1, 2, 3, 4}))
	// a whole correction keeps the int dtype; later intervals overwrite earlier ones;
	// start_inclusive false leaves the start point alone
	out := checkedCall(t, &metaCorrectTimeIntervalsWithFixedValues, map[string]any{"series": ints, "list_of_time_intervals": []any{
		iv("start", at(0), "end", at(2), "correction_value", int64(9)),
		iv("start", at(1), "end", at(3), "correction_value", 7.0, "start_inclusive", false),
	}})
	if got := out["corrected"].(*data.Series).Values; got.DType != data.Int64 || !slices.Equal(got.I, []int64{9, 9, 7, 7}) {
		t.Errorf("whole: %+v", got)
	}
	// a fractional correction upcasts to float64 — but only when a point is hit
	out = checkedCall(t, &metaCorrectTimeIntervalsWithFixedValues, map[string]any{"series": ints, "list_of_time_intervals": []any{
		iv("start", at(3), "end", at(3), "correction_value", "0.5")}})
	if got := out["corrected"].(*data.Series).Values; got.DType != data.Float64 || !filtSame(got.F, []float64{1, 2, 3, 0.5}, 0) {
		t.Errorf("fraction: %+v", got)
	}
	out = checkedCall(t, &metaCorrectTimeIntervalsWithFixedValues, map[string]any{"series": ints, "list_of_time_intervals": []any{
		iv("start", at(10), "end", at(11), "correction_value", 0.5)}})
	if got := out["corrected"].(*data.Series).Values; got.DType != data.Int64 {
		t.Errorf("no hit changed the dtype: %+v", got)
	}
	// validation: pydantic's messages, collected per interval
	_, err := call(t, &metaCorrectTimeIntervalsWithFixedValues, map[string]any{"series": ints, "list_of_time_intervals": []any{
		iv("start", at(0), "end", at(1)),
		iv("start", at(0), "end", at(1), "correction_value", "abc"),
		iv("start", at(1), "end", at(1), "correction_value", 1.0, "end_inclusive", false),
	}})
	want := "There were input validation errors for the list_of_time_intervals:\n" +
		"TimeInterval 0: 1 validation error for TimeInterval\ncorrection_value\n  field required (type=value_error.missing)\n" +
		"TimeInterval 1: 1 validation error for TimeInterval\ncorrection_value\n  value is not a valid float (type=type_error.float)\n" +
		"TimeInterval 2: 1 validation error for TimeInterval\n__root__\n  To be valid, a time interval must be non-empty, i.e the start timestamp must be not equal to the end timestamp, when at least one boundary is not inclusive. (type=value_error)"
	var de *data.Error
	if !errors.As(err, &de) || de.Type != "ComponentInputValidationException" || de.Message != want {
		t.Errorf("validation:\n%v\nwant\n%s", err, want)
	}
	_, err = call(t, &metaCorrectTimeIntervalsWithFixedValues, map[string]any{
		"series": data.NewSeries(nil, data.Range(1), data.Floats([]float64{1})), "list_of_time_intervals": []any{}})
	if !errors.As(err, &de) || de.Code != "not a time-series like object" || !strings.Contains(de.Message, "datatype DatetimeIndex") {
		t.Errorf("range index: %v", err)
	}
}

func TestEvalExpressionComponents(t *testing.T) {
	// The test wiring's frame: A 1 2, B 1.3 2.8 → A > 1.8 and B > 2.5 is False, True,
	// an unnamed bool Series on the frame's index.
	idx := data.Datetimes([]int64{base, base + filtMinute}, data.UTC)
	f := data.NewDataFrame(idx, []any{"A", "B", "c c"}, []data.Column{
		data.Ints([]int64{1, 2}), data.Floats([]float64{1.3, 2.8}), data.Floats([]float64{10, 20})})
	f.Attrs = dict("unit", "K")
	cases := []struct {
		expr string
		want any
	}{
		{"A > 1.8 and B > 2.5", []bool{false, true}},
		{"A > 1.8 & B > 2.5", []bool{false, true}}, // & binds looser than >, as in pandas
		{"`c c` / A", []float64{10, 10}},
		{"index >= '" + data.ISOFormat(base+filtMinute, data.UTC) + "'", []bool{false, true}},
		{"A", []int64{1, 2}},
		{"2 * 3", int64(6)}, // no column: the scalar itself
	}
	for _, c := range cases {
		out := checkedCall(t, &metaEvalExpressionOnDataFrame, map[string]any{"dataframe": f, "expression": c.expr})
		r := out["result_series"]
		switch w := c.want.(type) {
		case int64:
			if r != w {
				t.Errorf("%s: %v, want %v", c.expr, r, w)
			}
			continue
		case []bool:
			s := r.(*data.Series)
			if !slices.Equal(s.Values.B, w) {
				t.Errorf("%s: %v", c.expr, s.Values.B)
			}
		case []float64:
			if s := r.(*data.Series); !filtSame(s.Values.F, w, 1e-15) {
				t.Errorf("%s: %v", c.expr, s.Values.F)
			}
		case []int64:
			if s := r.(*data.Series); !slices.Equal(s.Values.I, w) {
				t.Errorf("%s: %v", c.expr, s.Values.I)
			}
		}
		s := r.(*data.Series)
		if s.Name != nil || s.Attrs != nil || !slices.Equal(s.Index.I, idx.I) {
			t.Errorf("%s: name %v attrs %v index %v; want unnamed, no attrs, the frame's index", c.expr, s.Name, s.Attrs, s.Index.I)
		}
	}
	s := data.NewSeries("v", idx, data.Floats([]float64{42.2, 18.7}))
	out := checkedCall(t, &metaEvalExpressionOnSeries, map[string]any{"series": s, "expression": "x > 42"})
	if r := out["result_series"].(*data.Series); !slices.Equal(r.Values.B, []bool{true, false}) || r.Name != nil {
		t.Errorf("x > 42: %+v", r)
	}
	out = checkedCall(t, &metaEvalExpressionOnSeries, map[string]any{"series": s, "expression": "series * 2 + 1"})
	if r := out["result_series"].(*data.Series); !filtSame(r.Values.F, []float64{85.4, 38.4}, 1e-12) {
		t.Errorf("series * 2 + 1: %v", r.Values.F)
	}
	for _, c := range []struct {
		meta *component.Meta
		in   map[string]any
		want string
	}{
		{&metaEvalExpressionOnDataFrame, map[string]any{"dataframe": f, "expression": "C = A + B"},
			"NotImplementedError: assignments are not supported (at position 2 of expression 'C = A + B')"},
		{&metaEvalExpressionOnDataFrame, map[string]any{"dataframe": f, "expression": "A.max()"},
			"NotImplementedError: attribute access is not supported (at position 1 of expression 'A.max()')"},
		{&metaEvalExpressionOnDataFrame, map[string]any{"dataframe": f, "expression": "x > 1"},
			"UndefinedVariableError: name 'x' is not defined (at position 0 of expression 'x > 1')"},
		{&metaEvalExpressionOnSeries, map[string]any{"series": s, "expression": "A > 1"},
			"UndefinedVariableError: name 'A' is not defined (at position 0 of expression 'A > 1')"},
		{&metaEvalExpressionOnSeries, map[string]any{"series": s, "expression": "pd.eval('x')"},
			"NotImplementedError: attribute access is not supported (at position 2 of expression \"pd.eval('x')\")"},
	} {
		if _, err := call(t, c.meta, c.in); err == nil || err.Error() != c.want {
			t.Errorf("%v:\n%v\nwant %s", c.in["expression"], err, c.want)
		}
	}
}

// BenchmarkMAVGOutlierFilter runs the component over 10⁵ points a minute apart with a
// 30-minute window (mean and std of about 30 points per row).
func BenchmarkMAVGOutlierFilter(b *testing.B) {
	n := 100_000
	vals := make([]float64, n)
	for i := range vals {
		vals[i] = 100 + 10*math.Sin(float64(i)/50) + float64(i%7)
	}
	spec, _ := Registry().Get(metaMAVGOutlierFilter.ID)
	in := component.NewInputs(spec, map[string]any{"allowed_deviation_factor": 2.0, "window_size": "30min", "ts": filtMinutes(data.Floats(vals))})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := spec.Run(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvalExpression runs Eval Expression On DataFrame with the test wiring's
// expression over a two-column frame of 10⁵ rows (parse included, as per execution).
func BenchmarkEvalExpression(b *testing.B) {
	n := 100_000
	a := make([]int64, n)
	bb := make([]float64, n)
	for i := range a {
		a[i] = int64(i % 4)
		bb[i] = float64(i%10) / 3
	}
	idx := filtMinutes(data.Floats(bb)).Index
	f := data.NewDataFrame(idx, []any{"A", "B"}, []data.Column{data.Ints(a), data.Floats(bb)})
	spec, _ := Registry().Get(metaEvalExpressionOnDataFrame.ID)
	in := component.NewInputs(spec, map[string]any{"dataframe": f, "expression": "A > 1.8 and B > 2.5"})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := spec.Run(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}
