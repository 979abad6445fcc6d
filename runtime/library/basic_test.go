package library

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// Test helpers of the Basic, Connectors and Index Operations tests (prefix cn).

var cnNaN = math.NaN()

// cnErr returns the Python type and message of a *data.Error ("" when err is another).
func cnErr(err error) (string, string) {
	var de *data.Error
	if errors.As(err, &de) {
		return de.Type, de.Message
	}
	return "", ""
}

// cnWantErr fails unless err is the Python error typ: msg.
func cnWantErr(t *testing.T, err error, typ, msg string) {
	t.Helper()
	if gt, gm := cnErr(err); gt != typ || gm != msg {
		t.Fatalf("got %v, want %s: %s", err, typ, msg)
	}
}

// cnMinutes is a UTC datetime index at the given minutes after base.
func cnMinutes(zone data.Zone, mins ...int64) data.Column {
	ns := make([]int64, len(mins))
	for i, m := range mins {
		ns[i] = base + m*60e9
	}
	return data.Datetimes(ns, zone)
}

func cnSeries(idx data.Column, vals data.Column) *data.Series { return data.NewSeries(nil, idx, vals) }

// cnValues boxes a column's values for comparison (NaN as nil).
func cnValues(c data.Column) []any {
	out := make([]any, c.Len())
	for i := range out {
		if !c.IsNA(i) {
			out[i] = c.At(i)
		}
	}
	return out
}

func cnSameValues(t *testing.T, what string, got data.Column, want ...any) {
	t.Helper()
	for i, w := range want {
		if f, ok := w.(float64); ok && math.IsNaN(f) {
			want[i] = nil
		}
	}
	if g := cnValues(got); !reflect.DeepEqual(g, want) {
		t.Errorf("%s: %v, want %v", what, g, want)
	}
}

// The comparison components: the plain operator where it works, the aligning method
// where pandas' operator raises ValueError (expectations from pandas 1.5.3).
func TestComparisons(t *testing.T) {
	// s1 labels 2, 0, 1 hold 1, 2, 3; s2 labels 1, 2 hold 1, 5. The union 0, 1, 2 (sorted)
	// compares 2 with NaN, 3 with 1, 1 with 5.
	s1 := data.NewSeries(nil, data.Ints([]int64{2, 0, 1}), data.Floats([]float64{1, 2, 3}))
	s2 := data.NewSeries(nil, data.Ints([]int64{1, 2}), data.Ints([]int64{1, 5}))
	for _, tc := range []struct {
		meta *component.Meta
		want []any
	}{
		{&metaEquality, []any{false, false, false}},
		{&metaInequality, []any{true, true, true}}, // a missing side is unequal
		{&metaGreater, []any{false, true, false}},
		{&metaGreaterOrEqual, []any{false, true, false}},
		{&metaSmaller, []any{false, false, true}},
		{&metaSmallerOrEqual, []any{false, false, true}},
	} {
		out := mustCall(t, tc.meta, map[string]any{"left": s1, "right": s2})
		res := out["result"].(*data.Series)
		cnSameValues(t, tc.meta.Name+" index", res.Index, int64(0), int64(1), int64(2))
		cnSameValues(t, tc.meta.Name, res.Values, tc.want...)
	}

	// identically labelled: position by position, the shared name kept
	a := data.NewSeries("x", data.Range(2), data.Ints([]int64{1, 2}))
	b := data.NewSeries("x", data.Range(2), data.Ints([]int64{0, 3}))
	res := mustCall(t, &metaSmaller, map[string]any{"left": a, "right": b})["result"].(*data.Series)
	if res.Name != "x" {
		t.Errorf("name %v, want x", res.Name)
	}
	cnSameValues(t, "a < b", res.Values, false, true)

	// NaN against a scalar: False, except != (True)
	n := cnSeries(data.Range(3), data.Floats([]float64{1, cnNaN, 3}))
	cnSameValues(t, "> 2", mustCall(t, &metaGreater, map[string]any{"left": n, "right": int64(2)})["result"].(*data.Series).Values, false, false, true)
	cnSameValues(t, "!= 2", mustCall(t, &metaInequality, map[string]any{"left": n, "right": int64(2)})["result"].(*data.Series).Values, true, true, true)

	// DataFrames with other labels align rows and columns: d1 {a: [1, 2]} on 0, 1 and
	// d2 {a: [2], b: [0]} on 1 give a >= [False, True] (2 >= 2), b all False (missing)
	d1 := data.NewDataFrame(data.Range(2), []any{"a"}, []data.Column{data.Ints([]int64{1, 2})})
	d2 := data.NewDataFrame(data.Ints([]int64{1}), []any{"a", "b"}, []data.Column{data.Ints([]int64{2}), data.Ints([]int64{0})})
	df := mustCall(t, &metaGreaterOrEqual, map[string]any{"left": d1, "right": d2})["result"].(*data.DataFrame)
	cnSameValues(t, "ge a", df.Columns[0], false, true)
	cnSameValues(t, "ge b", df.Columns[1], false, false)

	// scalars and JSON values as Python compares them
	for _, tc := range []struct {
		meta        *component.Meta
		left, right any
		want        bool
	}{
		{&metaGreater, int64(3), 2.5, true},
		{&metaInequality, int64(1), 1.0, false},
		{&metaGreaterOrEqual, []any{int64(1), int64(2), int64(3)}, []any{int64(1), int64(2)}, true},
		{&metaEquality, "abc", "abc", true},
		{&metaSmallerOrEqual, 0.5, 0.5, true},
	} {
		out := mustCall(t, tc.meta, map[string]any{"left": tc.left, "right": tc.right})
		if out["result"] != tc.want {
			t.Errorf("%v vs %v: %v, want %v", tc.left, tc.right, out["result"], tc.want)
		}
	}
	d := data.NewDict(1)
	d.Set("k", 1.0)
	_, err := call(t, &metaGreaterOrEqual, map[string]any{"left": d, "right": d})
	cnWantErr(t, err, "TypeError", "'>=' not supported between instances of 'dict' and 'dict'")
	_, err = call(t, &metaSmallerOrEqual, map[string]any{"left": []any{int64(1)}, "right": int64(2)})
	cnWantErr(t, err, "TypeError", "'<=' not supported between instances of 'list' and 'int'")
	// a length mismatch is ValueError; the fallback's list has no .lt
	_, err = call(t, &metaSmaller, map[string]any{"left": []any{int64(1)}, "right": a})
	if typ, _ := cnErr(err); typ != "ValueError" && typ != "AttributeError" {
		t.Errorf("list < series of another length: %v", err)
	}
}

// Filter: truthiness, label matching (missing = False, duplicates fail), DataFrames.
func TestFilter(t *testing.T) {
	data10 := data.NewSeries("v", data.Ints([]int64{10, 20, 30, 40}), data.Floats([]float64{1, 2, 3, 4}))
	// filter labels 40 and 10 (unordered), 99 (not in data); 20 and 30 missing → False;
	// NaN → True
	fs := cnSeries(data.Ints([]int64{40, 10, 99}), data.Floats([]float64{cnNaN, 2, 1}))
	got := mustCall(t, &metaFilter, map[string]any{"data": data10, "filter_series": fs})["filtered"].(*data.Series)
	cnSameValues(t, "labels", got.Index, int64(10), int64(40))
	cnSameValues(t, "values", got.Values, 1.0, 4.0)
	if got.Name != "v" {
		t.Errorf("name %v", got.Name)
	}
	// object filters by Python truthiness: "" and None are False
	strs := cnSeries(data.Ints([]int64{10, 20, 30, 40}), data.Objects([]any{"x", "", nil, int64(0)}))
	got = mustCall(t, &metaFilter, map[string]any{"data": data10, "filter_series": strs})["filtered"].(*data.Series)
	cnSameValues(t, "truthiness", got.Values, 1.0)
	// a DataFrame loses rows, not cells
	df := data.NewDataFrame(data.Ints([]int64{10, 20}), []any{"a", "b"}, []data.Column{data.Ints([]int64{1, 2}), data.Objects([]any{"p", "q"})})
	f := mustCall(t, &metaFilter, map[string]any{"data": df, "filter_series": cnSeries(data.Ints([]int64{20}), data.Bools([]bool{true}))})["filtered"].(*data.DataFrame)
	cnSameValues(t, "frame rows", f.Index, int64(20))
	cnSameValues(t, "frame b", f.Columns[1], "q")
	// nothing selected: an empty series
	got = mustCall(t, &metaFilter, map[string]any{"data": data10, "filter_series": cnSeries(data.Range(0), data.Bools(nil))})["filtered"].(*data.Series)
	if got.Len() != 0 {
		t.Errorf("empty filter kept %d rows", got.Len())
	}
	// naive filter labels never match an aware index
	aware := cnSeries(cnMinutes(data.UTC, 0), data.Floats([]float64{1}))
	got = mustCall(t, &metaFilter, map[string]any{"data": aware, "filter_series": cnSeries(cnMinutes(data.Naive, 0), data.Bools([]bool{true}))})["filtered"].(*data.Series)
	if got.Len() != 0 {
		t.Errorf("naive filter selected %d rows of an aware series", got.Len())
	}
	_, err := call(t, &metaFilter, map[string]any{"data": data10, "filter_series": cnSeries(data.Ints([]int64{10, 10}), data.Bools([]bool{true, false}))})
	cnWantErr(t, err, "ValueError", "cannot reindex on an axis with duplicate labels")
	_, err = call(t, &metaFilter, map[string]any{"data": []any{1.0}, "filter_series": fs})
	cnWantErr(t, err, "TypeError", "'builtin_function_or_method' object is not iterable")
	_, err = call(t, &metaFilter, map[string]any{"data": int64(5), "filter_series": fs})
	cnWantErr(t, err, "AttributeError", "'int' object has no attribute 'index'")
}

func TestDatetimeIndexEnds(t *testing.T) {
	plus2 := data.Zone{Aware: true, Offset: 7200}
	// 2019-12-31T21:00Z, 2019-12-31T23:00:00.000123456Z and NaT in +02:00: isoformat of
	// the local wall time, microseconds kept, nanoseconds dropped, NaT skipped
	idx := data.Datetimes([]int64{1577826000e9, 1577833200e9 + 123456, data.NaT}, plus2)
	s := cnSeries(idx, data.Floats([]float64{1, 2, 3}))
	if got := mustCall(t, &metaFirstDatetimeIndex, map[string]any{"timeseries_data": s})["first_index"]; got != "2019-12-31T23:00:00+02:00" {
		t.Errorf("first %v", got)
	}
	if got := mustCall(t, &metaLastDatetimeIndex, map[string]any{"timeseries_data": s})["last_index"]; got != "2020-01-01T01:00:00.000123+02:00" {
		t.Errorf("last %v", got)
	}
	naive := cnSeries(cnMinutes(data.Naive, 30, 0), data.Floats([]float64{1, 2}))
	if got := mustCall(t, &metaLastDatetimeIndex, map[string]any{"timeseries_data": naive.ToFrame()})["last_index"]; got != "2020-03-29T00:30:00" {
		t.Errorf("naive frame last %v", got)
	}
	allNaT := cnSeries(data.Datetimes([]int64{data.NaT}, data.UTC), data.Floats([]float64{1}))
	if got := mustCall(t, &metaFirstDatetimeIndex, map[string]any{"timeseries_data": allNaT})["first_index"]; got != "NaT" {
		t.Errorf("all NaT %v", got)
	}
	for _, empty := range []any{cnSeries(data.Range(0), data.Floats(nil)), data.NewDict(0), []any{}, ""} {
		if got := mustCall(t, &metaFirstDatetimeIndex, map[string]any{"timeseries_data": empty})["first_index"]; got != nil {
			t.Errorf("empty %T: %v", empty, got)
		}
	}
	_, err := call(t, &metaFirstDatetimeIndex, map[string]any{"timeseries_data": cnSeries(data.Ints([]int64{5, 3}), data.Floats([]float64{1, 2}))})
	cnWantErr(t, err, "AttributeError", "'int' object has no attribute 'to_pydatetime'")
	_, err = call(t, &metaLastDatetimeIndex, map[string]any{"timeseries_data": []any{int64(1)}})
	cnWantErr(t, err, "AttributeError", "'builtin_function_or_method' object has no attribute 'max'")
	_, err = call(t, &metaLastDatetimeIndex, map[string]any{"timeseries_data": 2.5})
	cnWantErr(t, err, "TypeError", "object of type 'float' has no len()")
}

func TestRestrictToTimeInterval(t *testing.T) {
	plus2 := data.Zone{Aware: true, Offset: 7200}
	// minutes 30, 0, 15, 45 after 2020-03-29T00:00Z in a +02:00 zone
	s := cnSeries(cnMinutes(plus2, 30, 0, 15, 45), data.Floats([]float64{3, 1, 2, 4}))
	run := func(start, stop any) (*data.Series, error) {
		out, err := call(t, &metaRestrictToTimeInterval, map[string]any{"data": s, "start": start, "stop": stop})
		if err != nil {
			return nil, err
		}
		return out["interval"].(*data.Series), nil
	}
	// sorted first; both bounds inclusive; an offset bound converted to UTC
	got, err := run("2020-03-29T02:15:00+02:00", "2020-03-29T00:30:00Z")
	if err != nil {
		t.Fatal(err)
	}
	cnSameValues(t, "inclusive", got.Values, 2.0, 3.0)
	// a naive bound against an aware index is UTC wall time (dateparser's TIMEZONE=UTC),
	// not the index's zone: 00:40 UTC lies between 00:30 and 00:45
	got, err = run("2020-03-29 00:40", nil)
	if err != nil {
		t.Fatal(err)
	}
	cnSameValues(t, "naive bound", got.Values, 4.0)
	// open start; stop between rows
	got, err = run(nil, "2020-03-29T00:20:00Z")
	if err != nil {
		t.Fatal(err)
	}
	cnSameValues(t, "open start", got.Values, 1.0, 2.0)
	// an integer index becomes nanoseconds since the epoch (pd.to_datetime)
	ints := cnSeries(data.Ints([]int64{2, 1}), data.Floats([]float64{20, 10}))
	out, err := call(t, &metaRestrictToTimeInterval, map[string]any{"data": ints, "start": "1970-01-01T00:00:00.000000002", "stop": nil})
	if err != nil {
		t.Fatal(err)
	}
	cnSameValues(t, "epoch index", out["interval"].(*data.Series).Values, 20.0)
	// a NaT label sorts last and makes the index non-monotonic: bounds must then be
	// labels (pandas' KeyError otherwise)
	withNaT := cnSeries(data.Datetimes([]int64{base, data.NaT}, data.UTC), data.Floats([]float64{1, 2}))
	_, err = call(t, &metaRestrictToTimeInterval, map[string]any{"data": withNaT, "start": "2020-03-29T00:00:00Z", "stop": "2020-03-29T01:00:00Z"})
	cnWantErr(t, err, "KeyError", data.PyRepr(data.Timestamp{NS: base + hour, Zone: data.UTC}))
	// empty data is returned as it is, even with bad bounds
	empty := cnSeries(data.Range(0), data.Floats(nil))
	out, err = call(t, &metaRestrictToTimeInterval, map[string]any{"data": empty, "start": "x", "stop": "y"})
	if err != nil || out["interval"] != empty {
		t.Errorf("empty: %v %v", out, err)
	}
	_, err = run("yesterday", nil)
	cnWantErr(t, err, "ValueError", "start timestamp could not be parsed: yesterday")
	_, err = run("2020-03-29T00:00:00Z", "2020-13-01")
	cnWantErr(t, err, "ValueError", "stop timestamp could not be parsed: 2020-13-01")
	_, err = run("2020-03-29T01:00:00Z", "2020-03-29T00:00:00Z")
	cnWantErr(t, err, "ValueError", "start timestamp cannot be after stop timestamp")
	_, err = call(t, &metaRestrictToTimeInterval, map[string]any{"data": cnSeries(data.Objects([]any{"a"}), data.Floats([]float64{1})), "start": nil, "stop": nil})
	cnWantErr(t, err, "ValueError", "Given date string a not likely a datetime present at position 0")
	_, err = call(t, &metaRestrictToTimeInterval, map[string]any{"data": []any{1.0}, "start": nil, "stop": nil})
	cnWantErr(t, err, "AttributeError", "'list' object has no attribute 'empty'")
}

func TestSelectColumn(t *testing.T) {
	attrs := data.NewDict(1)
	attrs.Set("unit", "K")
	f := data.NewDataFrame(data.Range(2), []any{"a", int64(0)}, []data.Column{data.Floats([]float64{1, 2}), data.Ints([]int64{3, 4})})
	f.Attrs = attrs
	s := mustCall(t, &metaSelectColumnFromDataFrame, map[string]any{"dataframe": f, "column": "a"})["column_series"].(*data.Series)
	if s.Name != "a" || s.Attrs != attrs {
		t.Errorf("name %v attrs %v", s.Name, s.Attrs)
	}
	cnSameValues(t, "a", s.Values, 1.0, 2.0)
	// "0" is not the integer label 0
	_, err := call(t, &metaSelectColumnFromDataFrame, map[string]any{"dataframe": f, "column": "0"})
	cnWantErr(t, err, "KeyError", "'0'")
}

func TestSeriesDifferenceQuotients(t *testing.T) {
	// values 1, 3, 4, 4 at labels 0, 0.5, 0.5, 2 (h = NaN, 0.5, 0, 1.5): quotients NaN,
	// 2/0.5 = 4, 1/0 = +inf, 0/1.5 = 0; dropna drops only the NaN
	s := cnSeries(data.Floats([]float64{0, 0.5, 0.5, 2}), data.Ints([]int64{1, 3, 4, 4}))
	got := mustCall(t, &metaSeriesDifferenceQuotients, map[string]any{"series": s, "dropna": true})["difference_quotients"].(*data.Series)
	cnSameValues(t, "index", got.Index, 0.5, 0.5, 2.0)
	cnSameValues(t, "values", got.Values, 4.0, math.Inf(1), 0.0)
	// datetime index in seconds, without dropna; booleans differ by exclusive or
	b := data.NewSeries("flag", cnMinutes(data.UTC, 0, 10, 20, 30), data.Bools([]bool{true, false, false, true}))
	got = mustCall(t, &metaSeriesDifferenceQuotients, map[string]any{"series": b, "dropna": false})["difference_quotients"].(*data.Series)
	cnSameValues(t, "bool", got.Values, cnNaN, 1.0/600, 0.0, 1.0/600)
	if got.Name != nil {
		t.Errorf("name %v, want unnamed", got.Name)
	}
	_, err := call(t, &metaSeriesDifferenceQuotients, map[string]any{"series": cnSeries(data.Range(2), data.Objects([]any{"a", "b"})), "dropna": true})
	cnWantErr(t, err, "TypeError", "unsupported operand type(s) for -: 'str' and 'str'")
	_, err = call(t, &metaSeriesDifferenceQuotients, map[string]any{"series": cnSeries(data.Objects([]any{"a", "b"}), data.Floats([]float64{1, 2})), "dropna": true})
	cnWantErr(t, err, "TypeError", "unsupported operand type(s) for -: 'str' and 'str'")
}

// Series Difference Quotients failed with a TypeError for datetime values — which is what
// an all-null JSON series is (pandas reads all-null values as NaT datetimes) — where
// hetida's pandas 1.5.3 divides their timedelta differences by h: an all-null series
// gives NaT everywhere (dropped with dropna, so an empty series). Found by
// tools/difffuzz.py. Quoted from pandas 1.5.3: datetimes 2020-01-01, -02, -04 on labels
// 0, 1, 3 give [NaT, 1 day, 1 day]; numpy truncates 10 ns / 3 to 3 ns and -7 ns / 2 to
// -3 ns.
func TestSeriesDifferenceQuotientsDatetimeValuesRegression(t *testing.T) {
	day := int64(86400e9)
	nat := data.NaT
	cases := []struct {
		name   string
		s      *data.Series
		dropna bool
		want   []int64
	}{
		{"all NaT, no dropna", cnSeries(data.Ints([]int64{0, 1, 3}), data.Datetimes([]int64{nat, nat, nat}, data.Naive)), false, []int64{nat, nat, nat}},
		{"all NaT, dropna", cnSeries(data.Ints([]int64{0, 1, 3}), data.Datetimes([]int64{nat, nat, nat}, data.Naive)), true, []int64{}},
		{"days over an int index", cnSeries(data.Ints([]int64{0, 1, 3}), data.Datetimes([]int64{0, day, 3 * day}, data.Naive)), false, []int64{nat, day, day}},
		{"truncated toward zero", cnSeries(data.Ints([]int64{0, 3, 5}), data.TimedeltaCol([]int64{0, 10, 3})), true, []int64{3, -3}},
		{"division by a zero h is NaT", cnSeries(data.Ints([]int64{0, 0}), data.TimedeltaCol([]int64{0, 10})), false, []int64{nat, nat}},
	}
	// a single string is never subtracted: pandas' diff of one element is NaN, no TypeError
	one := cnSeries(data.Objects([]any{"x"}), data.Objects([]any{"b"}))
	if got := mustCall(t, &metaSeriesDifferenceQuotients, map[string]any{"series": one, "dropna": true})["difference_quotients"].(*data.Series); got.Len() != 0 {
		t.Errorf("one string: %d rows, want 0", got.Len())
	}
	for _, c := range cases {
		got := mustCall(t, &metaSeriesDifferenceQuotients, map[string]any{"series": c.s, "dropna": c.dropna})["difference_quotients"].(*data.Series)
		if got.Values.DType != data.Timedeltas || !slices.Equal(got.Values.I, c.want) {
			t.Errorf("%s: %v %v, want timedeltas %v", c.name, got.Values.DType, got.Values.I, c.want)
		}
	}
}

// Found by tools/difffuzz.py (Series Difference Quotients), pandas 1.5.3:
//   - int64 values subtract in int64, wrapping: [2**63 - 1, -2**62, 0].diff() is
//     [nan, 4.611686018427388e+18, 4.611686018427388e+18];
//   - a bool diff is an object array of Python bools, so a repeated timestamp (h = 0)
//     is Python's ZeroDivisionError "float division by zero".
func TestSeriesDifferenceQuotientsIntWrapAndBoolRegression(t *testing.T) {
	idx := data.Datetimes([]int64{0, 300e9, 600e9}, data.UTC)
	out, err := call(t, &metaSeriesDifferenceQuotients, map[string]any{
		"series": data.NewSeries(nil, idx, data.Ints([]int64{math.MaxInt64, -1 << 62, 0})), "dropna": false})
	if err != nil {
		t.Fatal(err)
	}
	if q := out["difference_quotients"].(*data.Series).Values.F; q[1] != 4.611686018427388e+18/300 || q[2] != 4.611686018427388e+18/300 {
		t.Errorf("int wrap: %v", q)
	}
	dup := data.Datetimes([]int64{0, 300e9, 300e9}, data.UTC)
	_, err = call(t, &metaSeriesDifferenceQuotients, map[string]any{
		"series": data.NewSeries(nil, dup, data.Bools([]bool{false, true, true})), "dropna": false})
	wantError(t, err, "ZeroDivisionError", "float division by zero")
}
