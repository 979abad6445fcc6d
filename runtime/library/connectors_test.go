package library

import (
	"context"
	"reflect"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

func cnDict(kv ...any) *data.Dict {
	d := data.NewDict(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		d.Set(kv[i].(string), kv[i+1])
	}
	return d
}

func TestAddUpdateAttributes(t *testing.T) {
	s := cnSeries(data.Range(1), data.Floats([]float64{1}))
	s.Attrs = cnDict("a", int64(1), "b", "x")
	for _, tc := range []struct {
		name  string
		attrs any
		want  []string // keys after the update
		value any      // value under "a"
	}{
		{"dict overwrites and appends", cnDict("a", int64(2), "c", true), []string{"a", "b", "c"}, int64(2)},
		{"list of pairs", []any{[]any{"a", 3.5}, "cd"}, []string{"a", "b", "c"}, 3.5},
		{"series labels", data.NewSeries(nil, data.Ints([]int64{7}), data.Floats([]float64{1.5})), []string{"a", "b", "7"}, int64(1)},
		{"empty string", "", []string{"a", "b"}, int64(1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := mustCall(t, &metaAddUpdateAttributesSeries, map[string]any{"series": s, "attributes": tc.attrs})["series"].(*data.Series)
			if !reflect.DeepEqual(out.Attrs.Keys(), tc.want) {
				t.Errorf("keys %v, want %v", out.Attrs.Keys(), tc.want)
			}
			if v, _ := out.Attrs.Get("a"); v != tc.value {
				t.Errorf("a = %v, want %v", v, tc.value)
			}
			if !reflect.DeepEqual(s.Attrs.Keys(), []string{"a", "b"}) {
				t.Errorf("input attrs modified: %v", s.Attrs.Keys())
			}
		})
	}
	for _, tc := range []struct {
		attrs    any
		typ, msg string
	}{
		{"ab", "ValueError", "dictionary update sequence element #0 has length 1; 2 is required"},
		{[]any{[]any{"a", int64(1), int64(2)}}, "ValueError", "dictionary update sequence element #0 has length 3; 2 is required"},
		{[]any{int64(5)}, "TypeError", "cannot convert dictionary update sequence element #0 to a sequence"},
		{[]any{[]any{[]any{"l"}, int64(1)}}, "TypeError", "unhashable type: 'list'"},
		{nil, "TypeError", "'NoneType' object is not iterable"},
		{int64(5), "TypeError", "'int' object is not iterable"},
	} {
		_, err := call(t, &metaAddUpdateAttributesDataFrame, map[string]any{"dataframe": s.ToFrame(), "attributes": tc.attrs})
		cnWantErr(t, err, tc.typ, tc.msg)
	}
	// the MultiTSFrame variant keeps the frame as it is (rows, labels)
	m := data.NewDataFrame(data.Ints([]int64{2, 0}), []any{"timestamp", "metric", "value"},
		[]data.Column{cnMinutes(data.UTC, 0, 1), data.Objects([]any{"c", "a"}), data.Floats([]float64{0.5, 1})})
	out := mustCall(t, &metaAddUpdateAttributesMultiTSFrame, map[string]any{"multitsframe": m, "attributes": cnDict("k", int64(1))})["multitsframe"].(*data.DataFrame)
	if out.Attrs.Len() != 1 || !reflect.DeepEqual(out.Index, m.Index) || m.Attrs != nil {
		t.Errorf("attrs %v index %v, input attrs %v", out.Attrs.Keys(), out.Index, m.Attrs)
	}
}

func TestExtractAttributes(t *testing.T) {
	f := data.NewDataFrame(data.Range(0), []any{}, []data.Column{})
	got := mustCall(t, &metaExtractAttributesDataFrame, map[string]any{"dataframe": f})["attributes"].(*data.Dict)
	if got == nil || got.Len() != 0 {
		t.Errorf("no attrs: %v, want {}", got)
	}
	s := cnSeries(data.Range(0), data.Floats(nil))
	s.Attrs = cnDict("test", int64(42))
	got = mustCall(t, &metaExtractAttributesSeries, map[string]any{"series": s})["attributes"].(*data.Dict)
	if v, _ := got.Get("test"); v != int64(42) || got == s.Attrs {
		t.Errorf("attrs %v (a copy of its own wanted)", got.Keys())
	}
}

func TestAddUpdateValueInDictionary(t *testing.T) {
	d := cnDict("a", true, "b", 31.56)
	out := mustCall(t, &metaAddUpdateValueInDictionary, map[string]any{"dictionary": d, "key": "a", "value": int64(1)})["dictionary"].(*data.Dict)
	if v, _ := out.Get("a"); v != int64(1) || !reflect.DeepEqual(out.Keys(), []string{"a", "b"}) {
		t.Errorf("updated %v", out.Keys())
	}
	if v, _ := d.Get("a"); v != true {
		t.Errorf("input modified")
	}
	_, err := call(t, &metaAddUpdateValueInDictionary, map[string]any{"dictionary": []any{}, "key": "a", "value": nil})
	cnWantErr(t, err, "TypeError", "unsupported operand type(s) for |=: 'list' and 'dict'")
	_, err = call(t, &metaAddUpdateValueInDictionary, map[string]any{"dictionary": cnSeries(data.Range(1), data.Floats([]float64{1})), "key": "a", "value": nil})
	cnWantErr(t, err, "TypeError", "unsupported operand type(s) for |: 'float' and 'dict'")
}

func TestCombineIntoDataFrame(t *testing.T) {
	frame := func(names ...any) *data.DataFrame {
		cols := make([]data.Column, len(names))
		for i := range cols {
			cols[i] = data.Ints([]int64{1, 2})
		}
		return data.NewDataFrame(data.Ints([]int64{10, 20}), names, cols)
	}
	s := data.NewSeries(nil, data.Ints([]int64{20, 30}), data.Floats([]float64{5, 6}))
	named := func(n any) *data.Series { c := s.Copy(); c.Name = n; return c }
	for _, tc := range []struct {
		name   string
		series *data.Series
		frame  any
		want   []any
	}{
		// "0" is taken as a string, 1 as a number: the first free is "2"
		{"unnamed", s, frame("0", int64(1)), []any{"0", int64(1), "2"}},
		{"name taken", named("x"), frame("x", "x_1"), []any{"x", "x_1", "x_2"}},
		{"new name", named("y"), frame("x"), []any{"x", "y"}},
		// a Series is first its own frame (column 0 for an unnamed one)
		{"series as frame", s, s, []any{int64(0), "1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := mustCall(t, &metaCombineIntoDataFrame, map[string]any{"series": tc.series, "series_or_dataframe": tc.frame})["dataframe"].(*data.DataFrame)
			if !reflect.DeepEqual(out.Names, tc.want) {
				t.Fatalf("columns %v, want %v", out.Names, tc.want)
			}
		})
	}
	// matched by label: 10 is missing (NaN), 30 is dropped
	out := mustCall(t, &metaCombineIntoDataFrame, map[string]any{"series": named("y"), "series_or_dataframe": frame("x")})["dataframe"].(*data.DataFrame)
	cnSameValues(t, "aligned", out.Columns[1], cnNaN, 5.0)
	_, err := call(t, &metaCombineIntoDataFrame, map[string]any{"series": named(int64(7)), "series_or_dataframe": frame(int64(7))})
	cnWantErr(t, err, "TypeError", "unsupported operand type(s) for +: 'int' and 'str'")
	_, err = call(t, &metaCombineIntoDataFrame, map[string]any{"series": s, "series_or_dataframe": cnDict("a", 1.0)})
	cnWantErr(t, err, "TypeError", "series_or_dataframe must be a pandas Series or pandas DataFrame.")

	// Combine as named column: replaced in place; an empty frame adopts the series' index
	out = mustCall(t, &metaCombineAsNamedColumnIntoDataFrame, map[string]any{"series": s, "series_or_dataframe": frame("a", "b"), "column_name": "a"})["dataframe"].(*data.DataFrame)
	if !reflect.DeepEqual(out.Names, []any{"a", "b"}) {
		t.Errorf("columns %v", out.Names)
	}
	cnSameValues(t, "replaced", out.Columns[0], cnNaN, 5.0)
	empty := data.NewDataFrame(data.Range(0), []any{}, []data.Column{})
	out = mustCall(t, &metaCombineAsNamedColumnIntoDataFrame, map[string]any{"series": s, "series_or_dataframe": empty, "column_name": "v"})["dataframe"].(*data.DataFrame)
	cnSameValues(t, "adopted index", out.Index, int64(20), int64(30))
	dup := data.NewSeries(nil, data.Ints([]int64{10, 10}), data.Floats([]float64{1, 2}))
	_, err = call(t, &metaCombineAsNamedColumnIntoDataFrame, map[string]any{"series": dup, "series_or_dataframe": frame("a"), "column_name": "v"})
	cnWantErr(t, err, "ValueError", "cannot reindex on an axis with duplicate labels")
}

func TestSeriesFrameConversions(t *testing.T) {
	s := data.NewSeries("v", data.Range(2), data.Floats([]float64{1, 2}))
	f := mustCall(t, &metaConvertSeriesToDataFrame, map[string]any{"input": s})["output"].(*data.DataFrame)
	if !reflect.DeepEqual(f.Names, []any{"v"}) {
		t.Errorf("columns %v", f.Names)
	}
	back := mustCall(t, &metaDataFrameToSeries, map[string]any{"dataframe": f})["series"].(*data.Series)
	if back.Name != "v" || back.Len() != 2 {
		t.Errorf("squeezed %v", back)
	}
	// 1×1 gives the value, 2×2 the frame itself (hence Loose)
	one := data.NewDataFrame(data.Range(1), []any{"a"}, []data.Column{data.Floats([]float64{4})})
	if got := mustCall(t, &metaDataFrameToSeries, map[string]any{"dataframe": one})["series"]; got != 4.0 {
		t.Errorf("1×1: %v", got)
	}
	two := data.NewDataFrame(data.Range(2), []any{"a", "b"}, []data.Column{data.Floats([]float64{1, 2}), data.Floats([]float64{3, 4})})
	if got := mustCall(t, &metaDataFrameToSeries, map[string]any{"dataframe": two})["series"]; got != two {
		t.Errorf("2×2: %v", got)
	}
}

// Wide → long → wide gives the frame back (as float64 values over the sorted union of
// timestamps); long rows come in row-major order, NaN values kept.
func TestMultiTSFrameRoundTrip(t *testing.T) {
	ts := cnMinutes(data.UTC, 10, 0)
	wide := data.NewDataFrame(data.Range(2), []any{"timestamp", "a", int64(5)},
		[]data.Column{ts, data.Floats([]float64{5.7, 3.1}), data.Floats([]float64{cnNaN, 1.2})})
	long := mustCall(t, &metaConvertDataFrameToMultiTSFrame, map[string]any{"dataframe": wide})["multitsframe"].(*data.DataFrame)
	if !reflect.DeepEqual(long.Names, []any{"timestamp", "metric", "value"}) {
		t.Fatalf("columns %v", long.Names)
	}
	// rows 0, 1 at minute 10; 2, 3 at minute 0: sorted by timestamp, labels kept;
	// the integer column label becomes the metric "5"
	cnSameValues(t, "labels", long.Index, int64(2), int64(3), int64(0), int64(1))
	cnSameValues(t, "metric", long.Columns[1], "a", "5", "a", "5")
	cnSameValues(t, "value", long.Columns[2], 3.1, 1.2, 5.7, cnNaN)
	back := mustCall(t, &metaConvertMultiTSFrameToDataFrame, map[string]any{"multitsframe": long})["dataframe"].(*data.DataFrame)
	if !reflect.DeepEqual(back.Names, []any{"a", "5"}) {
		t.Fatalf("columns %v", back.Names)
	}
	cnSameValues(t, "index", back.Index, data.Timestamp{NS: base, Zone: data.UTC}, data.Timestamp{NS: base + 600e9, Zone: data.UTC})
	cnSameValues(t, "a", back.Columns[0], 3.1, 5.7)
	cnSameValues(t, "5", back.Columns[1], 1.2, cnNaN)

	// naive timestamps cannot make a MultiTSFrame
	naive := data.NewDataFrame(cnMinutes(data.Naive, 0), []any{"a"}, []data.Column{data.Floats([]float64{1})})
	_, err := call(t, &metaConvertDataFrameToMultiTSFrame, map[string]any{"dataframe": naive})
	cnWantErr(t, err, "ValueError", "Column 'timestamp' of MultiTSFrame does not have DatetimeTZDtype dtype. Got datetime64[ns] index dtype instead.")
	// no rows: the three standard columns
	empty := mustCall(t, &metaConvertDataFrameToMultiTSFrame, map[string]any{"dataframe": data.NewDataFrame(data.Range(0), []any{}, []data.Column{})})["multitsframe"].(*data.DataFrame)
	if empty.Len() != 0 || len(empty.Names) != 3 {
		t.Errorf("empty: %v", empty.Names)
	}
	// duplicate timestamps of a metric cannot be spread over the union with another one
	other := data.NewDataFrame(data.Range(3), []any{"timestamp", "metric", "value"},
		[]data.Column{cnMinutes(data.UTC, 0, 0, 5), data.Objects([]any{"a", "a", "b"}), data.Floats([]float64{1, 2, 3})})
	if _, err := call(t, &metaConvertMultiTSFrameToDataFrame, map[string]any{"multitsframe": other}); err == nil {
		t.Errorf("duplicate timestamps of a metric: no error")
	}
}

func TestAddTimeseriesToMultiTSFrame(t *testing.T) {
	m := data.NewDataFrame(data.Range(2), []any{"value", "metric", "timestamp"},
		[]data.Column{data.Ints([]int64{1, 2}), data.Objects([]any{"a", "b"}), cnMinutes(data.UTC, 5, 10)})
	// the series lies before the frame: the result is sorted by timestamp, labels kept
	s := cnSeries(cnMinutes(data.UTC, 0, 7), data.Floats([]float64{42.2, 18.7}))
	out := mustCall(t, &metaAddTimeseriesToMultiTSFrame, map[string]any{"multitsframe": m, "timeseries_to_add": s, "metric_of_timeseries": "d"})["multitsframe"].(*data.DataFrame)
	if !reflect.DeepEqual(out.Names, []any{"value", "metric", "timestamp"}) {
		t.Fatalf("columns %v", out.Names)
	}
	cnSameValues(t, "labels", out.Index, int64(2), int64(0), int64(3), int64(1))
	cnSameValues(t, "metric", out.Columns[1], "d", "a", "d", "b")
	cnSameValues(t, "value", out.Columns[0], 42.2, 1.0, 18.7, 2.0) // int with float: float64
	// a +02:00 series is converted to UTC (pandas 2); a naive one fails the check
	plus2 := cnSeries(cnMinutes(data.Zone{Aware: true, Offset: 7200}, 0), data.Floats([]float64{1}))
	out = mustCall(t, &metaAddTimeseriesToMultiTSFrame, map[string]any{"multitsframe": m, "timeseries_to_add": plus2, "metric_of_timeseries": "d"})["multitsframe"].(*data.DataFrame)
	if z := out.Columns[2].Zone; !z.IsUTC() {
		t.Errorf("zone %v", z)
	}
	_, err := call(t, &metaAddTimeseriesToMultiTSFrame, map[string]any{"multitsframe": m, "timeseries_to_add": cnSeries(cnMinutes(data.Naive, 0), data.Floats([]float64{1})), "metric_of_timeseries": "d"})
	cnWantErr(t, err, "ValueError", "Column 'timestamp' of MultiTSFrame does not have DatetimeTZDtype dtype. Got object index dtype instead.")
}

func TestTimeseriesDataframe(t *testing.T) {
	a := cnSeries(cnMinutes(data.UTC, 0, 5), data.Floats([]float64{1, 2}))
	b := cnSeries(cnMinutes(data.UTC, 0), data.Floats([]float64{3}))
	// two unnamed series: hetida's KeyError fixed — metric_0 for the first, metric_1 next
	out := mustCall(t, &metaTimeseriesDataframe, map[string]any{"df_or_series": a, "series_to_add": b})["timeseries_df"].(*data.DataFrame)
	if !reflect.DeepEqual(out.Names, []any{"timestamp", "value", "metric"}) {
		t.Fatalf("columns %v", out.Names)
	}
	cnSameValues(t, "metric", out.Columns[2], "metric_0", "metric_0", "metric_1")
	cnSameValues(t, "index", out.Index, int64(0), int64(1), int64(2))
	// a named first series keeps its name, so metric_0 is free
	na := a.Copy()
	na.Name = "temp"
	out = mustCall(t, &metaTimeseriesDataframe, map[string]any{"df_or_series": na, "series_to_add": b})["timeseries_df"].(*data.DataFrame)
	cnSameValues(t, "named first", out.Columns[2], "temp", "temp", "metric_0")
	// a dict with a "metric" key: its list has no .unique()
	_, err := call(t, &metaTimeseriesDataframe, map[string]any{"df_or_series": cnDict("metric", []any{"a"}), "series_to_add": b})
	cnWantErr(t, err, "AttributeError", "'list' object has no attribute 'unique'")
	nb := b.Copy()
	nb.Name = "x"
	_, err = call(t, &metaTimeseriesDataframe, map[string]any{"df_or_series": []any{1.0}, "series_to_add": nb})
	cnWantErr(t, err, "AttributeError", "'list' object has no attribute 'values'")
	_, err = call(t, &metaTimeseriesDataframe, map[string]any{"df_or_series": "s", "series_to_add": b})
	cnWantErr(t, err, "TypeError", "string indices must be integers, not 'str'")
	// a frame without a metric column and an unnamed series: KeyError 'metric'
	_, err = call(t, &metaTimeseriesDataframe, map[string]any{"df_or_series": a.ToFrame(), "series_to_add": b})
	cnWantErr(t, err, "KeyError", "'metric'")
}

func TestMergeDataFramesOnSingleColumn(t *testing.T) {
	// c-conn-merge-dataframes with how=right: right's rows in order, left's values
	left := data.NewDataFrame(data.Range(3), []any{"id", "a"}, []data.Column{data.Ints([]int64{1, 2, 3}), data.Floats([]float64{1.5, 2.5, cnNaN})})
	right := data.NewDataFrame(data.Range(2), []any{"id", "b"}, []data.Column{data.Ints([]int64{3, 1}), data.Objects([]any{"z", "x"})})
	out := mustCall(t, &metaMergeDataFramesOnSingleColumn, map[string]any{"dataframe_left": left, "dataframe_right": right, "column_name": "id", "how": "right"})["merged_dataframe"].(*data.DataFrame)
	cnSameValues(t, "id", out.Columns[0], int64(3), int64(1))
	cnSameValues(t, "a", out.Columns[1], cnNaN, 1.5)
	cnSameValues(t, "b", out.Columns[2], "z", "x")
	_, err := call(t, &metaMergeDataFramesOnSingleColumn, map[string]any{"dataframe_left": left, "dataframe_right": right, "column_name": "id", "how": "cross"})
	cnWantErr(t, err, "MergeError", "Can not pass on, right_on, left_on or set right_index=True or left_index=True")
}

func cnFloats(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(i%97) / 7
	}
	return v
}

// 100k rows on each side, unique sorted int keys half overlapping (the common id join).
func BenchmarkMergeDataFramesOnSingleColumn(b *testing.B) {
	const n = 100_000
	lk, rk := make([]int64, n), make([]int64, n)
	for i := range n {
		lk[i], rk[i] = int64(i), int64(i+n/2)
	}
	left := data.NewDataFrame(data.Range(n), []any{"id", "a"}, []data.Column{data.Ints(lk), data.Floats(cnFloats(n))})
	right := data.NewDataFrame(data.Range(n), []any{"id", "b"}, []data.Column{data.Ints(rk), data.Floats(cnFloats(n))})
	spec, _ := Registry().Get(metaMergeDataFramesOnSingleColumn.ID)
	for _, how := range []string{"inner", "left", "outer"} {
		b.Run(how, func(b *testing.B) {
			in := component.NewInputs(spec, map[string]any{"dataframe_left": left, "dataframe_right": right, "column_name": "id", "how": how})
			b.ReportAllocs()
			for b.Loop() {
				if _, err := spec.Run(context.Background(), in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
