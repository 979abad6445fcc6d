package data

import (
	"context"
	"reflect"
	"testing"
)

func longFrame(ts []int64, metric []any, value Column) *DataFrame {
	return NewDataFrame(Range(len(ts)), []any{"timestamp", "metric", "value"},
		[]Column{Datetimes(ts, UTC), Objects(metric), value})
}

func TestPivot(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		long  *DataFrame
		names []any
		index Column
		cols  []Column
		err   string
	}{
		// metrics b, a (first appearance) over the union of their days 0, 1, 2:
		// b has days 0 and 2, a days 0 and 1; int values with a missing day → float
		{"two metrics", longFrame([]int64{0, 0, dayNS, 2 * dayNS}, []any{"b", "a", "a", "b"}, colI(1, 2, 3, 4)),
			[]any{"b", "a"}, Datetimes([]int64{0, dayNS, 2 * dayNS}, UTC),
			[]Column{colF(1, qnan, 4), colF(2, 3, qnan)}, ""},
		// a metric without gaps keeps its int dtype
		{"no gaps", longFrame([]int64{0, 0, dayNS, dayNS}, []any{"a", "b", "a", "b"}, colI(1, 2, 3, 4)),
			[]any{"a", "b"}, Datetimes([]int64{0, dayNS}, UTC), []Column{colI(1, 3), colI(2, 4)}, ""},
		// a has day 0 twice, b day 1: the union keeps day 0 twice, a must be reindexed
		// onto it and cannot (pandas' ValueError)
		{"duplicates", longFrame([]int64{0, 0, dayNS}, []any{"a", "a", "b"}, colI(1, 2, 3)),
			nil, Column{}, nil, "ValueError: cannot reindex on an axis with duplicate labels"},
		// … unless its timestamps are the union: b (day 0 once) is reindexed onto a's
		// [day 0, day 0] and repeats its value
		{"duplicates are the union", longFrame([]int64{0, 0, 0}, []any{"a", "a", "b"}, colI(1, 2, 3)),
			[]any{"a", "b"}, Datetimes([]int64{0, 0}, UTC), []Column{colI(1, 2), colI(3, 3)}, ""},
		// values typed per metric like a Python list: numbers and strings
		{"mixed", longFrame([]int64{0, dayNS}, []any{"a", "b"}, colO(int64(1), "x")),
			[]any{"a", "b"}, Datetimes([]int64{0, dayNS}, UTC), []Column{colF(1, qnan), colO(nil, "x")}, ""},
		// bools with a gap become objects
		{"bools", longFrame([]int64{0, dayNS}, []any{"a", "b"}, colB(true, false)),
			[]any{"a", "b"}, Datetimes([]int64{0, dayNS}, UTC), []Column{colO(true, nil), colO(nil, false)}, ""},
		{"empty", longFrame(nil, nil, Floats(nil)), []any{}, Range(0), []Column{}, ""},
		{"no value", NewDataFrame(Range(0), []any{"timestamp", "metric"}, []Column{Datetimes(nil, UTC), Objects(nil)}),
			nil, Column{}, nil, "KeyError: 'value'"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Pivot(ctx, c.long)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("error %v, want %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Names, c.names) {
				t.Fatalf("names %v, want %v", got.Names, c.names)
			}
			if d := columnDiff(got.Index, c.index, 0); d != "" {
				t.Error(d)
			}
			for k := range c.cols {
				if d := columnDiff(got.Columns[k], c.cols[k], 0); d != "" {
					t.Errorf("column %v: %s", c.names[k], d)
				}
			}
		})
	}
}

func TestUnpivot(t *testing.T) {
	// hetida's test wiring: rows at 15:42:36 and 15:48:36 with a = 5.7, 3.1,
	// b = 0.5, NaN, c = NaN, 1.2 → six rows in row-major order, NaN kept
	t1, t2 := int64(1564674156e9), int64(1564674516e9)
	wide := NewDataFrame(Range(2), []any{"timestamp", "a", "b", "c"}, []Column{
		Datetimes([]int64{t1, t2}, UTC), colF(5.7, 3.1), colF(0.5, qnan), colF(qnan, 1.2),
	})
	long, err := Unpivot(context.Background(), wide)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(long.Names, []any{"timestamp", "metric", "value"}) {
		t.Fatalf("names %v", long.Names)
	}
	for _, d := range []string{
		columnDiff(long.Index, Range(6), 0),
		columnDiff(long.Columns[0], Datetimes([]int64{t1, t1, t1, t2, t2, t2}, UTC), 0),
		columnDiff(long.Columns[1], colO("a", "b", "c", "a", "b", "c"), 0),
		columnDiff(long.Columns[2], colF(5.7, 0.5, qnan, 3.1, qnan, 1.2), 0),
	} {
		if d != "" {
			t.Error(d)
		}
	}
	// back to wide: the same columns over the same timestamps
	back, err := Pivot(context.Background(), long)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Names, []any{"a", "b", "c"}) {
		t.Fatalf("round trip names %v", back.Names)
	}
	for k := range back.Columns {
		if d := columnDiff(back.Columns[k], wide.Columns[k+1], 0); d != "" {
			t.Errorf("round trip %v: %s", back.Names[k], d)
		}
	}
	if d := columnDiff(back.Index, wide.Columns[0], 0); d != "" {
		t.Error(d)
	}
	// without a timestamp column the index is used; int and float columns make one
	// float value column
	long, _ = Unpivot(context.Background(), NewDataFrame(Datetimes([]int64{0}, UTC), []any{"x", "y"}, []Column{colI(1), colF(2.5)}))
	if d := columnDiff(long.Columns[0], Datetimes([]int64{0, 0}, UTC), 0) + columnDiff(long.Columns[2], colF(1, 2.5), 0); d != "" {
		t.Error(d)
	}
}

func TestInferColumn(t *testing.T) {
	cases := []struct {
		in   []any
		want Column
	}{
		{[]any{int64(1), int64(2)}, colI(1, 2)},
		{[]any{int64(1), nil}, colF(1, qnan)},
		{[]any{int64(1), 2.5}, colF(1, 2.5)},
		{[]any{true, false}, colB(true, false)},
		{[]any{true, nil}, colO(true, nil)},
		{[]any{true, int64(1)}, colO(true, int64(1))},
		{[]any{"a", nil}, colO("a", nil)},
		{[]any{Timestamp{NS: 1, Zone: UTC}, nil}, Datetimes([]int64{1, NaT}, UTC)},
		{[]any{Timedelta{NS: 1}}, TimedeltaCol([]int64{1})},
		{[]any{}, Objects([]any{})},
	}
	for _, c := range cases {
		if d := columnDiff(InferColumn(c.in), c.want, 0); d != "" {
			t.Errorf("%v: %s", c.in, d)
		}
	}
}
