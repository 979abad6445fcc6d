package library

import (
	"context"
	"reflect"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

func TestRestrictToCommonIndex(t *testing.T) {
	// pandas 1.5: a = [1, 2, 3, 4] at 3, 1, 2, 2 and b = [5, 6, 7] at 2, 3, 9 have the
	// common labels [3, 2] (a's order); a.loc gives 3 → 1, 2 → 3, 4 (both rows), b.loc
	// 3 → 6, 2 → 5
	a := cnSeries(data.Ints([]int64{3, 1, 2, 2}), data.Ints([]int64{1, 2, 3, 4}))
	b := cnSeries(data.Ints([]int64{2, 3, 9}), data.Ints([]int64{5, 6, 7}))
	out := mustCall(t, &metaRestrictToCommonIndex, map[string]any{"data_1": a, "data_2": b})
	r1, r2 := out["data_1_restricted"].(*data.Series), out["data_2_restricted"].(*data.Series)
	cnSameValues(t, "a labels", r1.Index, int64(3), int64(2), int64(2))
	cnSameValues(t, "a values", r1.Values, int64(1), int64(3), int64(4))
	cnSameValues(t, "b values", r2.Values, int64(6), int64(5))
	// aware indexes of different zones share instants; each keeps its own labels
	plus2 := data.Zone{Aware: true, Offset: 7200}
	x := cnSeries(cnMinutes(plus2, 0, 60), data.Floats([]float64{1, 2}))
	y := cnSeries(cnMinutes(data.UTC, 60, 120), data.Floats([]float64{3, 4}))
	out = mustCall(t, &metaRestrictToCommonIndex, map[string]any{"data_1": x, "data_2": y.ToFrame()})
	r1 = out["data_1_restricted"].(*data.Series)
	if r1.Index.Zone != plus2 {
		t.Errorf("zone %v", r1.Index.Zone)
	}
	cnSameValues(t, "zones", r1.Values, 2.0)
	cnSameValues(t, "frame", out["data_2_restricted"].(*data.DataFrame).Columns[0], 3.0)
	// naive against aware: nothing in common
	out = mustCall(t, &metaRestrictToCommonIndex, map[string]any{"data_1": x, "data_2": cnSeries(cnMinutes(data.Naive, 0), data.Floats([]float64{1}))})
	if n := out["data_1_restricted"].(*data.Series).Len(); n != 0 {
		t.Errorf("naive/aware kept %d rows", n)
	}
	_, err := call(t, &metaRestrictToCommonIndex, map[string]any{"data_1": []any{1.0}, "data_2": b})
	cnWantErr(t, err, "AttributeError", "'builtin_function_or_method' object has no attribute 'intersection'")
	_, err = call(t, &metaRestrictToCommonIndex, map[string]any{"data_1": b, "data_2": []any{1.0}})
	cnWantErr(t, err, "TypeError", "Input must be Index or array-like")
	_, err = call(t, &metaRestrictToCommonIndex, map[string]any{"data_1": b, "data_2": cnDict()})
	cnWantErr(t, err, "AttributeError", "'dict' object has no attribute 'index'")
}

func TestSortByIndex(t *testing.T) {
	// NaN labels last, equal labels in input order (stable)
	s := cnSeries(data.Floats([]float64{2, cnNaN, 1, 2}), data.Ints([]int64{1, 2, 3, 4}))
	got := mustCall(t, &metaSortByIndex, map[string]any{"data": s})["data"].(*data.Series)
	cnSameValues(t, "values", got.Values, int64(3), int64(1), int64(4), int64(2))
	f := data.NewDataFrame(data.Objects([]any{"b", "a"}), []any{"x"}, []data.Column{data.Ints([]int64{1, 2})})
	gf := mustCall(t, &metaSortByIndex, map[string]any{"data": f})["data"].(*data.DataFrame)
	cnSameValues(t, "frame", gf.Columns[0], int64(2), int64(1))
	_, err := call(t, &metaSortByIndex, map[string]any{"data": cnSeries(data.Objects([]any{"a", int64(1)}), data.Ints([]int64{1, 2}))})
	cnWantErr(t, err, "TypeError", "'<' not supported between instances of 'int' and 'str'")
	_, err = call(t, &metaSortByIndex, map[string]any{"data": []any{int64(3)}})
	cnWantErr(t, err, "AttributeError", "'list' object has no attribute 'sort_index'")
}

func TestTimeshiftedValueTable(t *testing.T) {
	// c-idx-timeshifted-value-table-nan-irregular: 1, NaN, 3 at minutes 0, 10, 25 with
	// 5min × 3. Column 1 defines the rows 5, 15, 30; column 2 (labels 10, 20, 35) has
	// none of them; column 3 (labels 15, 25, 40) has 15, holding the first value 1.
	s := cnSeries(cnMinutes(data.UTC, 0, 10, 25), data.Floats([]float64{1, cnNaN, 3}))
	run := func(s *data.Series, freq string, periods int64) (*data.DataFrame, error) {
		out, err := call(t, &metaTimeshiftedValueTable, map[string]any{"timeseries": s, "freq": freq, "periods": periods})
		if err != nil {
			return nil, err
		}
		return out["timeshifted_values"].(*data.DataFrame), nil
	}
	df, err := run(s, "5min", 3)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(df.Names, []any{"shifted_1_times_5min", "shifted_2_times_5min", "shifted_3_times_5min"}) {
		t.Fatalf("columns %v", df.Names)
	}
	cnSameValues(t, "index", df.Index, data.Timestamp{NS: base + 5*60e9, Zone: data.UTC}, data.Timestamp{NS: base + 15*60e9, Zone: data.UTC}, data.Timestamp{NS: base + 30*60e9, Zone: data.UTC})
	cnSameValues(t, "1", df.Columns[0], 1.0, cnNaN, 3.0)
	cnSameValues(t, "2", df.Columns[1], cnNaN, cnNaN, cnNaN)
	cnSameValues(t, "3", df.Columns[2], cnNaN, 1.0, cnNaN)
	// negative periods shift back: labels −10min; the second column (−20min) has the
	// second value at −10min
	df, err = run(cnSeries(cnMinutes(data.UTC, 0, 10), data.Ints([]int64{1, 2})), "10min", -2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(df.Names, []any{"shifted_-1_times_10min", "shifted_-2_times_10min"}) {
		t.Fatalf("columns %v", df.Names)
	}
	cnSameValues(t, "-1", df.Columns[0], int64(1), int64(2))
	cnSameValues(t, "-2", df.Columns[1], 2.0, cnNaN)
	// a calendar offset: month ends on the wall clock (Jan 31 → Feb 29 → Mar 31)
	jan31 := int64(1580428800e9) // 2020-01-31T00:00Z
	df, err = run(cnSeries(data.Datetimes([]int64{jan31}, data.Naive), data.Floats([]float64{1})), "M", 1)
	if err != nil {
		t.Fatal(err)
	}
	cnSameValues(t, "month end", df.Index, data.Timestamp{NS: jan31 + 29*24*3600e9, Zone: data.Naive})
	// periods 0: an empty frame, freq not even parsed
	if df, err = run(s, "nonsense", 0); err != nil || len(df.Names) != 0 || df.Len() != 0 {
		t.Errorf("periods 0: %v %v", df, err)
	}
	_, err = run(s, "xyz", 1)
	cnWantErr(t, err, "ValueError", "Invalid frequency: xyz")
	_, err = run(cnSeries(data.Range(2), data.Floats([]float64{1, 2})), "10min", 1)
	cnWantErr(t, err, "NotImplementedError", "This method is only implemented for DatetimeIndex, PeriodIndex and TimedeltaIndex; Got type Index")
	dup := cnSeries(cnMinutes(data.UTC, 0, 10, 10), data.Floats([]float64{1, 2, 3}))
	_, err = run(dup, "10min", 2)
	cnWantErr(t, err, "ValueError", "cannot reindex on an axis with duplicate labels")
	if typ, _ := cnErr(func() error { _, err := run(s, "1min", 1<<40); return err }()); typ != "MemoryError" {
		t.Errorf("huge periods: %s", typ)
	}
	// a timedelta index shifts by fixed offsets
	td := cnSeries(data.TimedeltaCol([]int64{1e9, 2e9}), data.Ints([]int64{1, 2}))
	if df, err = run(td, "1s", 2); err != nil {
		t.Fatal(err)
	}
	cnSameValues(t, "timedelta", df.Columns[1], cnNaN, 1.0)
}

func BenchmarkTimeshiftedValueTable(b *testing.B) {
	// 100k points, 1 minute apart, 3 shifted columns
	const n = 100_000
	ns := make([]int64, n)
	for i := range ns {
		ns[i] = base + int64(i)*60e9
	}
	s := cnSeries(data.Datetimes(ns, data.UTC), data.Floats(cnFloats(n)))
	spec, _ := Registry().Get(metaTimeshiftedValueTable.ID)
	in := component.NewInputs(spec, map[string]any{"timeseries": s, "freq": "1min", "periods": int64(3)})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := spec.Run(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}
