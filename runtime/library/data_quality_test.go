package library

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
)

// utc parses ISO timestamps into a UTC datetime column.
func utc(t *testing.T, stamps ...string) data.Column {
	t.Helper()
	ns := make([]int64, len(stamps))
	for i, s := range stamps {
		v, _, err := data.ParseISO(s)
		if err != nil {
			t.Fatalf("ParseISO(%q): %v", s, err)
		}
		ns[i] = v
	}
	return data.Datetimes(ns, data.UTC)
}

// isoOf renders a datetime column as ISO strings (NaT as "NaT").
func isoOf(c data.Column) []string {
	out := make([]string, c.Len())
	for i := range out {
		if c.I[i] == data.NaT {
			out[i] = "NaT"
			continue
		}
		out[i] = data.ISOFormat(c.I[i], c.Zone)
	}
	return out
}

// floatsOf returns a numeric column as floats.
func floatsOf(t *testing.T, c data.Column) []float64 {
	t.Helper()
	f, ok := c.FloatValues()
	if !ok {
		t.Fatalf("not numeric: %+v", c)
	}
	return f
}

// sameFloats compares with a relative tolerance; NaN equals NaN.
func sameFloats(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			if math.IsNaN(a[i]) != math.IsNaN(b[i]) {
				return false
			}
			continue
		}
		if math.Abs(a[i]-b[i]) > tol*math.Max(1, math.Abs(b[i])) {
			return false
		}
	}
	return true
}

// wantError checks a Python-typed error's type and (when given) message prefix.
func wantError(t *testing.T, err error, typ, msg string) {
	t.Helper()
	var de *data.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v, want %s", err, typ)
	}
	if de.Type != typ || !strings.HasPrefix(de.Message, msg) {
		t.Errorf("error %s: %q, want %s: %q", de.Type, de.Message, typ, msg)
	}
}

func dictOf(kv ...any) *data.Dict { return dict(kv...) }

// hetida's documented example of Apply Substitution Timeseries: 2020-07-02/03 are
// replaced, the three points on the 4th after midnight are deleted (null in the
// substitution), 5th, 6th, 9th and 10th are added.
func TestApplySubstitutionTimeseries(t *testing.T) {
	raw := data.NewSeries("raw", utc(t, "2020-07-01T00:00Z", "2020-07-02T00:00Z", "2020-07-03T00:00Z", "2020-07-04T00:00Z", "2020-07-04T08:00Z", "2020-07-04T14:00Z", "2020-07-04T18:00Z", "2020-07-07T00:00Z", "2020-07-08T00:00Z"),
		data.Ints([]int64{0, 17, 18, 3, 15, 16, 19, 6, 7}))
	nan := math.NaN()
	sub := data.NewSeries(nil, utc(t, "2020-07-02T00:00Z", "2020-07-03T00:00Z", "2020-07-04T08:00Z", "2020-07-04T14:00Z", "2020-07-04T18:00Z", "2020-07-05T00:00Z", "2020-07-06T00:00Z", "2020-07-09T00:00Z", "2020-07-10T00:00Z"),
		data.Floats([]float64{1, 2, nan, nan, nan, 4, 5, 18, 19}))
	out := mustCall(t, &metaApplySubstitutionTimeseries, map[string]any{"raw_values": raw, "substitution_series": sub})
	s := out["substituted_ts"].(*data.Series)
	wantIdx := []string{"2020-07-01T00:00:00+00:00", "2020-07-02T00:00:00+00:00", "2020-07-03T00:00:00+00:00", "2020-07-04T00:00:00+00:00",
		"2020-07-05T00:00:00+00:00", "2020-07-06T00:00:00+00:00", "2020-07-07T00:00:00+00:00", "2020-07-08T00:00:00+00:00", "2020-07-09T00:00:00+00:00", "2020-07-10T00:00:00+00:00"}
	if got := isoOf(s.Index); !reflect.DeepEqual(got, wantIdx) {
		t.Errorf("index %v, want %v", got, wantIdx)
	}
	if got := floatsOf(t, s.Values); !sameFloats(got, []float64{0, 1, 2, 3, 4, 5, 6, 7, 18, 19}, 0) {
		t.Errorf("values %v", got)
	}
	if s.Name != nil {
		t.Errorf("name %v, want None (the substitution series is unnamed)", s.Name)
	}
	// duplicates keep the first after sorting; a null substitution for a new timestamp is
	// added as null; empty inputs give empty output
	raw = data.NewSeries(nil, utc(t, "2020-01-02T00:00Z", "2020-01-01T00:00Z", "2020-01-02T00:00Z"), data.Floats([]float64{1, 2, 3}))
	sub = data.NewSeries(nil, utc(t, "2020-01-03T00:00Z"), data.Floats([]float64{nan}))
	s = mustCall(t, &metaApplySubstitutionTimeseries, map[string]any{"raw_values": raw, "substitution_series": sub})["substituted_ts"].(*data.Series)
	if got := floatsOf(t, s.Values); !sameFloats(got, []float64{2, 1, nan}, 0) {
		t.Errorf("duplicates: %v", got)
	}
	empty := data.NewSeries(nil, data.Datetimes([]int64{}, data.UTC), data.Floats([]float64{}))
	s = mustCall(t, &metaApplySubstitutionTimeseries, map[string]any{"raw_values": empty, "substitution_series": empty})["substituted_ts"].(*data.Series)
	if s.Len() != 0 {
		t.Errorf("empty: %d rows", s.Len())
	}
}

// Apply Substitution Timeseries named its result after raw_values and kept its attrs, but
// the result is pd.concat's: pandas names it only when both series share the name
// (pd.concat([Series(name='raw'), Series(name=None)]).name is None), and keeps attrs only
// when both series have equal attrs. Found by tools/difffuzz.py.
func TestApplySubstitutionTimeseriesNameRegression(t *testing.T) {
	cases := []struct {
		rawName, subName, want any
	}{{"raw", nil, nil}, {"raw", "raw", "raw"}, {nil, "sub", nil}, {"a", "b", nil}}
	for _, c := range cases {
		raw := data.NewSeries(c.rawName, utc(t, "2020-01-01T00:00Z", "2020-01-02T00:00Z"), data.Floats([]float64{1, 2}))
		raw.Attrs = dictOf("unit", "m")
		sub := data.NewSeries(c.subName, utc(t, "2020-01-02T00:00Z"), data.Floats([]float64{5}))
		s := mustCall(t, &metaApplySubstitutionTimeseries, map[string]any{"raw_values": raw, "substitution_series": sub})["substituted_ts"].(*data.Series)
		if s.Name != c.want {
			t.Errorf("names %v, %v: result name %v, want %v", c.rawName, c.subName, s.Name, c.want)
		}
		if s.Attrs != nil && s.Attrs.Len() != 0 {
			t.Errorf("attrs %v kept", s.Attrs)
		}
		sub.Attrs = dictOf("unit", "m")
		s2 := mustCall(t, &metaApplySubstitutionTimeseries, map[string]any{"raw_values": raw, "substitution_series": sub})["substituted_ts"].(*data.Series)
		if s2.Attrs == nil || s2.Attrs.Len() != 1 {
			t.Errorf("equal attrs: got %v, want {unit: m}", s2.Attrs)
		}
		if got := floatsOf(t, s.Values); !sameFloats(got, []float64{1, 5}, 0) {
			t.Errorf("values %v", got)
		}
	}
}

// Apply Substitution Timeseries sorted the concatenated labels even where Python cannot
// order them: raw values on a DatetimeIndex with a substitution on an int index give an
// object index of Timestamps and ints, whose sort_index raises TypeError ('<' not
// supported between instances of 'int' and 'Timestamp') in hetida. Found by
// tools/difffuzz.py.
func TestApplySubstitutionTimeseriesUnorderableLabelsRegression(t *testing.T) {
	raw := data.NewSeries(nil, utc(t, "2020-01-01T00:00Z"), data.Floats([]float64{1}))
	sub := data.NewSeries(nil, data.Ints([]int64{0, 1}), data.Floats([]float64{5, 6}))
	_, err := call(t, &metaApplySubstitutionTimeseries, map[string]any{"raw_values": raw, "substitution_series": sub})
	wantError(t, err, "TypeError", "'<' not supported between instances of")
}

// Fixed Replacement Value takes the timestamps from the index, else from datetime values;
// both datetimes but different (an all-null JSON series reads as NaT datetimes) and
// neither are hetida's validation errors.
func TestFixedReplacementValue(t *testing.T) {
	idx := utc(t, "2020-01-01T01:15:27Z", "2020-01-02T16:20:00Z")
	out := mustCall(t, &metaFixedReplacementValue, map[string]any{"gap_timestamps": data.NewSeries(nil, idx, data.Floats([]float64{10, 20})), "replacement_value": 37.0})
	s := out["replacement_value_series"].(*data.Series)
	if !reflect.DeepEqual(isoOf(s.Index), isoOf(idx)) || !sameFloats(floatsOf(t, s.Values), []float64{37, 37}, 0) {
		t.Errorf("from index: %v %v", isoOf(s.Index), s.Values.F)
	}
	out = mustCall(t, &metaFixedReplacementValue, map[string]any{"gap_timestamps": data.NewSeries(nil, data.Range(2), idx), "replacement_value": 1.5})
	if s := out["replacement_value_series"].(*data.Series); !reflect.DeepEqual(isoOf(s.Index), isoOf(idx)) {
		t.Errorf("from values: %v", isoOf(s.Index))
	}
	nat := data.Datetimes([]int64{data.NaT, data.NaT}, data.Naive)
	_, err := call(t, &metaFixedReplacementValue, map[string]any{"gap_timestamps": data.NewSeries(nil, idx, nat), "replacement_value": 1.0})
	wantError(t, err, "ComponentInputValidationException", "Found conflicting timestamp data for replacement values.")
	_, err = call(t, &metaFixedReplacementValue, map[string]any{"gap_timestamps": data.NewSeries(nil, data.Range(2), data.Floats([]float64{1, 2})), "replacement_value": 1.0})
	wantError(t, err, "ComponentInputValidationException", "No index or data of dtype datetime64 was found.")
}

// minutes builds a UTC index at the given minutes after 2020-01-01T00:00Z.
func dqMinutes(ms ...int64) data.Column {
	ns := make([]int64, len(ms))
	for i, m := range ms {
		ns[i] = base + m*60e9
	}
	return data.Datetimes(ns, data.UTC)
}

// Interpolate Timeseries: hetida's test wiring (recorded under pandas 1.5.3, where the
// component fails; this is pandas 2.1's result), then the methods on one small series
// with values worked out by hand.
func TestInterpolateTimeseries(t *testing.T) {
	nan := math.NaN()
	run := func(ts, filter *data.Series, params *data.Dict) (*data.Series, *data.Series, error) {
		out, err := call(t, &metaInterpolateTimeseries, map[string]any{"timeseries": ts, "filter_series": filter, "interpolation_params": params})
		if err != nil {
			return nil, nil, err
		}
		return out["interpolated_timeseries"].(*data.Series), out["new_values"].(*data.Series), nil
	}
	// test wiring: 22:20…23:05 every 5 min, values 4 5 6 0 0 0 0 4 3 2; filter true at
	// 22:15 (new) and 22:35…22:50; "time" with limit_direction both: 22:15 takes the first
	// value 4, 22:35…22:50 lie on the line from 6 (22:30) to 4 (22:55): 5.6 5.2 4.8 4.4
	ts := data.NewSeries(nil, dqMinutes(20, 25, 30, 35, 40, 45, 50, 55, 60, 65), data.Floats([]float64{4, 5, 6, 0, 0, 0, 0, 4, 3, 2}))
	filter := data.NewSeries(nil, dqMinutes(15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65), data.Bools([]bool{true, false, false, false, true, true, true, true, false, false, false}))
	whole, news, err := run(ts, filter, dictOf("method", "time", "limit_direction", "both"))
	if err != nil {
		t.Fatal(err)
	}
	if got := floatsOf(t, whole.Values); !sameFloats(got, []float64{4, 4, 5, 6, 5.6, 5.2, 4.8, 4.4, 4, 3, 2}, 1e-12) {
		t.Errorf("test wiring: %v", got)
	}
	if got := floatsOf(t, news.Values); !sameFloats(got, []float64{4, 5.6, 5.2, 4.8, 4.4}, 1e-12) || news.Len() != 5 {
		t.Errorf("test wiring new values: %v", got)
	}

	// valid points at minutes 0, 1, 3, 6 with y = m³ − 2m: 0, −1, 21, 204. Filter marks the
	// new minutes 2, 4, 5 and 7.
	ts = data.NewSeries(nil, dqMinutes(0, 1, 3, 6), data.Floats([]float64{0, -1, 21, 204}))
	filter = data.NewSeries(nil, dqMinutes(2, 4, 5, 7), data.Bools([]bool{true, true, true, true}))
	for _, c := range []struct {
		params *data.Dict
		want   []float64 // at minutes 2, 4, 5, 7
	}{
		// not-a-knot through four points is the cubic itself: 4, 56, 115; minute 7 is
		// outside the points, where scipy's interp1d gives NaN
		{dictOf("method", "cubic"), []float64{4, 56, 115, nan}},
		// "time" and "index"/"values" on the seconds: (−1+21)/2 = 10; 21 + (204−21)/3 = 82,
		// 21 + 2·61 = 143; trailing NaN takes the last value
		{dictOf("method", "time"), []float64{10, 82, 143, 204}},
		{dictOf("method", "index"), []float64{10, 82, 143, 204}},
		{dictOf("method", "values"), []float64{10, 82, 143, 204}},
		// "linear" ignores the distances: rows 0 1 [2] 3 [4] [5] 6 [7] → 10, then 21→204 in
		// thirds: 82, 143, then 204
		{dictOf("method", "linear"), []float64{10, 82, 143, 204}},
		// nearest by seconds: minute 2 is as near to 1 as to 3 (scipy takes the lower), 4→3, 5→6
		{dictOf("method", "nearest"), []float64{-1, 21, 204, nan}},
		{dictOf("method", "pad"), []float64{-1, 21, 21, 204}},
	} {
		_, news, err := run(ts, filter, c.params)
		if err != nil {
			t.Errorf("%v: %v", c.params.Keys(), err)
			continue
		}
		m, _ := c.params.Get("method")
		if got := floatsOf(t, news.Values); !sameFloats(got, c.want, 1e-9) {
			t.Errorf("%v: %v, want %v", m, got, c.want)
		}
	}
	// linear and time differ when the spacing is uneven: minutes 0, 1 and 5 with 0, ?, 10
	ts = data.NewSeries(nil, dqMinutes(0, 5), data.Floats([]float64{0, 10}))
	filter = data.NewSeries(nil, dqMinutes(1), data.Bools([]bool{true}))
	for m, want := range map[string]float64{"linear": 5, "time": 2, "index": 2} {
		_, news, err := run(ts, filter, dictOf("method", m))
		if err != nil || !sameFloats(floatsOf(t, news.Values), []float64{want}, 1e-12) {
			t.Errorf("%s on uneven spacing: %v %v, want %v", m, news, err, want)
		}
	}
	// an unsorted index (the filter on the same labels): the union is sorted first —
	// minutes 0, 5, 10 with 0, (marked), 20 → 10 at minute 5
	unsorted := dqMinutes(5, 0, 10)
	ts = data.NewSeries(nil, unsorted, data.Floats([]float64{99, 0, 20}))
	filter = data.NewSeries(nil, unsorted, data.Bools([]bool{true, false, false}))
	whole, news, err = run(ts, filter, dictOf("method", "time"))
	if err != nil || !sameFloats(floatsOf(t, whole.Values), []float64{0, 10, 20}, 1e-12) || !sameFloats(floatsOf(t, news.Values), []float64{10}, 1e-12) ||
		!reflect.DeepEqual(isoOf(whole.Index), isoOf(dqMinutes(0, 5, 10))) {
		t.Errorf("unsorted: %v %v %v", whole, news, err)
	}
	// errors: an unknown method, a scipy method trafofn lacks, an unknown keyword, a
	// filter with NaN, params that are no dict
	_, _, err = run(ts, filter, dictOf("method", "bogus"))
	wantError(t, err, "ValueError", "method must be one of")
	_, _, err = run(ts, filter, dictOf("method", "spline", "order", int64(2)))
	wantError(t, err, "NotImplementedError", "")
	_, _, err = run(ts, filter, dictOf("method", "time", "fill_value", "extrapolate"))
	wantError(t, err, "TypeError", "interpolate() got an unexpected keyword argument 'fill_value'")
	_, _, err = run(ts, data.NewSeries(nil, dqMinutes(1), data.Floats([]float64{nan})), dictOf())
	wantError(t, err, "ValueError", "Cannot mask with non-boolean array containing NA / NaN values")
	_, err = call(t, &metaInterpolateTimeseries, map[string]any{"timeseries": ts, "filter_series": filter, "interpolation_params": []any{}})
	wantError(t, err, "AttributeError", "'list' object has no attribute 'get'")

	// all-NaN values stay NaN; empty inputs give empty outputs
	allNaN := data.NewSeries(nil, dqMinutes(0, 5), data.Floats([]float64{nan, nan}))
	whole, _, err = run(allNaN, filter, dictOf("method", "time"))
	if err != nil || !sameFloats(floatsOf(t, whole.Values), []float64{nan, nan, nan}, 0) {
		t.Errorf("all NaN: %v %v", whole, err)
	}
	empty := data.NewSeries(nil, data.Datetimes([]int64{}, data.UTC), data.Floats([]float64{}))
	emptyFilter := data.NewSeries(nil, data.Datetimes([]int64{}, data.UTC), data.Bools([]bool{}))
	whole, news, err = run(empty, emptyFilter, dictOf("method", "time"))
	if err != nil || whole.Len() != 0 || news.Len() != 0 {
		t.Errorf("empty: %v %v %v", whole, news, err)
	}
}

// Value Range Check: hetida's test wiring, the column layout, and every validation
// message collected into one exception.
func TestValueRangeCheck(t *testing.T) {
	nan := math.NaN()
	s := data.NewSeries(nil, dqMinutes(0, 1, 2, 3), data.Floats([]float64{10, 20, 30, nan}))
	ranges := dictOf(
		"[10,20]", dictOf("min_value", 10.0, "max_value", 20.0, "min_value_inclusive", true, "max_value_inclusive", true),
		"(20,30)", dictOf("min_value", 20.0, "max_value", 30.0, "min_value_inclusive", false, "max_value_inclusive", false))
	f := mustCall(t, &metaValueRangeCheck, map[string]any{"timeseries_data": s, "value_range_dict": ranges})["is_included_frame"].(*data.DataFrame)
	wantNames := []any{"[10,20]", "(20,30)", "_violates_all", "_violates_any", "[10,20]_IS_BELOW", "[10,20]_IS_ABOVE", "(20,30)_IS_BELOW", "(20,30)_IS_ABOVE", "_timestamp"}
	if !reflect.DeepEqual(f.Names, wantNames) {
		t.Fatalf("columns %v", f.Names)
	}
	// NaN dropped: three rows; 10 and 20 in [10,20], none in (20,30) (20 and 30 are
	// excluded bounds)
	want := [][]bool{{true, true, false}, {false, false, false}, {false, false, true}, {true, true, true},
		{false, false, false}, {false, false, true}, {true, true, false}, {false, false, true}}
	for i, w := range want {
		if !reflect.DeepEqual(f.Columns[i].B, w) {
			t.Errorf("%v: %v, want %v", f.Names[i], f.Columns[i].B, w)
		}
	}
	if f.Len() != 3 || !reflect.DeepEqual(f.Columns[8].I, f.Index.I) {
		t.Errorf("index/_timestamp: %v", isoOf(f.Index))
	}
	// no ranges: every value violates all and none
	f = mustCall(t, &metaValueRangeCheck, map[string]any{"timeseries_data": s, "value_range_dict": dictOf()})["is_included_frame"].(*data.DataFrame)
	if !reflect.DeepEqual(f.Names, []any{"_violates_all", "_violates_any", "_timestamp"}) || !reflect.DeepEqual(f.Columns[0].B, []bool{true, true, true}) {
		t.Errorf("no ranges: %v %v", f.Names, f.Columns[0].B)
	}
	_, err := call(t, &metaValueRangeCheck, map[string]any{"timeseries_data": s, "value_range_dict": dictOf(
		"a_IS_BELOW", dictOf("min_value", 1.0, "max_value", 0.0),
		"_timestamp", dictOf("min_value", 1.0),
		"c", dictOf("min_value", "x", "max_value", 2.0, "min_value_inclusive", "maybe"),
		"d", dictOf("min_value", 1.0, "max_value", 1.0, "max_value_inclusive", false))})
	wantError(t, err, "ComponentInputValidationException", "There were input validation errors for the value_range_dict:\n"+
		"a_IS_BELOW: 1 validation error for ValueRange\n__root__\n  To be valid, a value range must be non-empty, i.e. min_value may not be bigger than max_value. (type=value_error)\n"+
		"_timestamp: 1 validation error for ValueRange\nmax_value\n  field required (type=value_error.missing)\n"+
		"c: 2 validation errors for ValueRange\nmin_value\n  value is not a valid float (type=type_error.float)\nmin_value_inclusive\n  value could not be parsed to a boolean (type=type_error.bool)\n"+
		"d: 1 validation error for ValueRange\n__root__\n  To be valid, a value range must be non-empty, i.e min_value must be smaller than max_value. (type=value_error)")
	_, err = call(t, &metaValueRangeCheck, map[string]any{"timeseries_data": data.NewSeries(nil, dqMinutes(0), data.Objects([]any{"a"})), "value_range_dict": dictOf()})
	wantError(t, err, "ComponentInputValidationException", "To determine whether time series entries are in a value range, their dtype must be float or int, while it is object")
	// empty and all-NaN series: an empty frame with the columns
	for _, in := range []*data.Series{data.NewSeries(nil, dqMinutes(), data.Floats([]float64{})), data.NewSeries(nil, dqMinutes(0, 1), data.Floats([]float64{nan, nan}))} {
		f = mustCall(t, &metaValueRangeCheck, map[string]any{"timeseries_data": in, "value_range_dict": ranges})["is_included_frame"].(*data.DataFrame)
		if f.Len() != 0 || len(f.Names) != 9 {
			t.Errorf("empty/all-NaN: %d rows, %v", f.Len(), f.Names)
		}
	}
}
