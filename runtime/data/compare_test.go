package data

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func colB(v ...bool) Column { return Bools(v) }

func TestCompareOpSeries(t *testing.T) {
	idx := Range(3)
	a := NewSeries("x", colI(3, 1, 2), colF(1, qnan, 3))
	cases := []struct {
		name string
		op   CmpOp
		l, r any
		want Column
		err  string
	}{
		// element-wise against a scalar: NaN compares False, except != (True)
		{"eq scalar", CmpEq, a, 1.0, colB(true, false, false), ""},
		{"ne scalar", CmpNe, a, 1.0, colB(false, true, true), ""},
		{"lt scalar", CmpLt, a, int64(3), colB(true, false, false), ""},
		{"ge scalar", CmpGe, a, int64(3), colB(false, false, true), ""},
		// the scalar on the left: 2 < s is s > 2
		{"reflected", CmpLt, int64(2), a, colB(false, false, true), ""},
		{"eq nan", CmpEq, a, qnan, colB(false, false, false), ""},
		{"ne nan", CmpNe, a, qnan, colB(true, true, true), ""},
		// a missing scalar never compares, even with <
		{"lt None", CmpLt, a, nil, colB(false, false, false), ""},
		// numbers against a string: never equal, not ordered
		{"eq str", CmpEq, a, "x", colB(false, false, false), ""},
		{"ne str", CmpNe, a, "x", colB(true, true, true), ""},
		{"lt str", CmpLt, a, "x", Column{}, "TypeError: Invalid comparison between dtype=float64 and str"},
		// strings compare like Python; a missing element is False without error
		{"str lt", CmpLt, NewSeries(nil, idx, colO("a", "y", nil)), "x", colB(true, false, false), ""},
		{"str lt int", CmpLt, NewSeries(nil, idx, colO("a", "y", nil)), int64(1), Column{}, "TypeError: '<' not supported between instances of 'str' and 'int'"},
		// numbers against an object column: numpy compares every pair, None included
		// (differential run against pandas); an object left side masks it
		{"float ge objects", CmpGe, NewSeries(nil, idx, colF(2, -1.5, 2)), NewSeries(nil, idx, colO(nil, "a", "a")), Column{}, "TypeError: '>=' not supported between instances of 'float' and 'NoneType'"},
		{"objects le float", CmpLe, NewSeries(nil, idx, colO(nil, int64(1), 2.5)), NewSeries(nil, idx, colF(2, 1, 2)), colB(false, true, false), ""},
		{"bool lt int", CmpLt, NewSeries(nil, idx, colB(true, false, true)), int64(1), colB(false, true, false), ""},
		// identically labelled Series (1 equals 1.0 as a label) compare position-wise
		{"series", CmpEq, NewSeries("x", colI(1, 2), colI(1, 2)), NewSeries("x", colF(1, 2), colI(1, 3)), colB(true, false), ""},
		{"different labels", CmpEq, a, NewSeries(nil, colI(1, 2, 3), colF(1, 2, 3)), Column{}, "ValueError: Can only compare identically-labeled Series objects"},
		{"different length", CmpEq, NewSeries(nil, Range(2), colI(1, 2)), NewSeries(nil, Range(1), colI(1)), Column{}, "ValueError: Can only compare identically-labeled Series objects"},
		{"naive vs aware labels", CmpEq, NewSeries(nil, Datetimes([]int64{0}, Naive), colI(1)), NewSeries(nil, Datetimes([]int64{0}, UTC), colI(1)), Column{}, "ValueError: Can only compare identically-labeled Series objects"},
		// datetimes against timestamps and ISO strings
		{"dt lt ts", CmpLt, NewSeries(nil, Range(2), Datetimes([]int64{0, 2 * dayNS}, UTC)), Timestamp{NS: dayNS, Zone: UTC}, colB(true, false), ""},
		{"dt lt str", CmpLt, NewSeries(nil, Range(2), Datetimes([]int64{0, 2 * dayNS}, UTC)), "1970-01-02T00:00:00Z", colB(true, false), ""},
		{"dt eq bad str", CmpEq, NewSeries(nil, Range(1), Datetimes([]int64{0}, UTC)), "xyz", colB(false), ""},
		{"dt lt bad str", CmpLt, NewSeries(nil, Range(1), Datetimes([]int64{0}, UTC)), "xyz", Column{}, "TypeError: Invalid comparison between dtype=datetime64[ns, UTC] and str"},
		{"dt lt int", CmpLt, NewSeries(nil, Range(1), Datetimes([]int64{0}, UTC)), int64(1), Column{}, "TypeError: Invalid comparison between dtype=datetime64[ns, UTC] and int"},
		{"dt naive eq aware ts", CmpEq, NewSeries(nil, Range(1), Datetimes([]int64{0}, Naive)), Timestamp{NS: 0, Zone: UTC}, colB(false), ""},
		{"dt naive lt aware ts", CmpLt, NewSeries(nil, Range(1), Datetimes([]int64{0}, Naive)), Timestamp{NS: 0, Zone: UTC}, Column{}, "TypeError: Invalid comparison between dtype=datetime64[ns] and Timestamp"},
		{"dt NaT", CmpNe, NewSeries(nil, Range(1), Datetimes([]int64{NaT}, UTC)), Timestamp{NS: 0, Zone: UTC}, colB(true), ""},
		{"list", CmpEq, NewSeries(nil, Range(2), colI(1, 2)), []any{int64(1), int64(3)}, colB(true, false), ""},
		{"list length", CmpEq, NewSeries(nil, Range(2), colI(1, 2)), []any{int64(1)}, Column{}, "ValueError: ('Lengths must match to compare', (2,), (1,))"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := CompareOp(context.Background(), c.op, c.l, c.r)
			if c.err != "" {
				var e *Error
				if !errors.As(err, &e) || e.Type+": "+e.Message != c.err {
					t.Fatalf("error %v, want %s", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := columnDiff(r.(*Series).Values, c.want, 0); d != "" {
				t.Error(d)
			}
		})
	}
	// names: kept against a scalar, kept when equal, dropped when different
	r, _ := CompareOp(context.Background(), CmpEq, a, 1.0)
	if r.(*Series).Name != "x" {
		t.Error("scalar comparison lost the name")
	}
	r, _ = CompareOp(context.Background(), CmpEq, NewSeries("x", Range(1), colI(1)), NewSeries("y", Range(1), colI(1)))
	if r.(*Series).Name != nil {
		t.Error("different names kept")
	}
}

func TestCompareAligned(t *testing.T) {
	ctx := context.Background()
	// hetida's Equality example: left at t1, t2, t3, t4 = [1.2, NaN, 0.3, 0.5],
	// right at t1, t2, t3, t5, t6 = [1.0, 27, 0.3, 17, NaN]: the union t1..t6, only
	// t3 is equal; labels on one side only compare False (True for ne)
	left := NewSeries(nil, colI(1, 2, 3, 4), colF(1.2, qnan, 0.3, 0.5))
	right := NewSeries(nil, colI(1, 2, 3, 5, 6), colF(1.0, 27, 0.3, 17, qnan))
	cases := []struct {
		op   CmpOp
		want Column
	}{
		{CmpEq, colB(false, false, true, false, false, false)},
		{CmpNe, colB(true, true, false, true, true, true)},
		{CmpLt, colB(false, false, false, false, false, false)},
		{CmpGe, colB(true, false, true, false, false, false)},
		{CmpGt, colB(true, false, false, false, false, false)},
		{CmpLe, colB(false, false, true, false, false, false)},
	}
	for _, c := range cases {
		r, err := CompareAligned(ctx, c.op, left, right)
		if err != nil {
			t.Fatal(err)
		}
		s := r.(*Series)
		if d := columnDiff(s.Values, c.want, 0) + columnDiff(s.Index, colI(1, 2, 3, 4, 5, 6), 0); d != "" {
			t.Errorf("%s: %s", c.op, d)
		}
	}
	// bools that need alignment compare as objects; the missing label is False
	r, err := CompareAligned(ctx, CmpEq, NewSeries(nil, colI(0, 1), colB(true, false)), NewSeries(nil, colI(1, 2), colB(false, false)))
	if err != nil {
		t.Fatal(err)
	}
	if d := columnDiff(r.(*Series).Values, colB(false, true, false), 0); d != "" {
		t.Error(d)
	}
	_, err = CompareAligned(ctx, CmpEq, NewSeries(nil, Datetimes([]int64{0}, Naive), colI(1)), NewSeries(nil, Datetimes([]int64{0}, UTC), colI(1)))
	wantErr(t, err, "TypeError", "Cannot join tz-naive with tz-aware DatetimeIndex")
	// scalars have no .eq
	_, err = CompareAligned(ctx, CmpEq, int64(1), int64(1))
	wantErr(t, err, "AttributeError", "'int' object has no attribute 'eq'")
	_, err = CompareAligned(ctx, CmpLt, []any{}, int64(1))
	wantErr(t, err, "AttributeError", "'list' object has no attribute 'lt'")
}

func TestCompareFrames(t *testing.T) {
	ctx := context.Background()
	df1 := NewDataFrame(colI(2, 0, 1), []any{"b", "a"}, []Column{colI(1, 2, 3), colF(1.5, 2.5, 3.5)})
	df2 := NewDataFrame(colI(0, 5), []any{"a", "c"}, []Column{colI(10, 20), colI(1, 1)})
	_, err := CompareOp(ctx, CmpEq, df1, df2)
	wantErr(t, err, "ValueError", "Can only compare identically-labeled (both index and columns) DataFrame objects")
	r, err := CompareOp(ctx, CmpEq, df1, int64(1))
	if err != nil {
		t.Fatal(err)
	}
	f := r.(*DataFrame)
	if d := columnDiff(f.Columns[0], colB(true, false, false), 0) + columnDiff(f.Columns[1], colB(false, false, false), 0); d != "" {
		t.Error(d)
	}
	r, _ = CompareOp(ctx, CmpEq, df1, df1)
	if d := columnDiff(r.(*DataFrame).Columns[1], colB(true, true, true), 0); d != "" {
		t.Error(d)
	}
	// df1.ne(df2): rows [0,1,2,5] × columns [a,b,c]; the only shared cell (0, a) is
	// 2.5 vs 10, so everything is unequal
	r, err = CompareAligned(ctx, CmpNe, df1, df2)
	if err != nil {
		t.Fatal(err)
	}
	f = r.(*DataFrame)
	if !reflect.DeepEqual(f.Names, []any{"a", "b", "c"}) {
		t.Fatalf("names %v", f.Names)
	}
	for _, c := range f.Columns {
		if d := columnDiff(c, colB(true, true, true, true), 0); d != "" {
			t.Error(d)
		}
	}
	// against a Series: the plain operator wants the series' index to be the columns
	s := NewSeries(nil, colO("a", "z"), colI(100, 200))
	_, err = CompareOp(ctx, CmpEq, df1, s)
	wantErr(t, err, "ValueError", "Operands are not aligned. Do `left, right = left.align(right, axis=1, copy=False)` before operating.")
	_, err = CompareAligned(ctx, CmpEq, s, df1) // Series.eq(DataFrame) is the plain operator
	wantErr(t, err, "ValueError", "Operands are not aligned. Do `left, right = left.align(right, axis=1, copy=False)` before operating.")
	r, err = CompareAligned(ctx, CmpEq, df1, s)
	if err != nil {
		t.Fatal(err)
	}
	if f := r.(*DataFrame); !reflect.DeepEqual(f.Names, []any{"a", "b", "z"}) || columnDiff(f.Columns[0], colB(false, false, false), 0) != "" {
		t.Errorf("df.eq(s): %v", f.Names)
	}
	// columns equal to the series' index: row-wise; b == 1, a == 2.5
	r, err = CompareOp(ctx, CmpEq, df1, NewSeries(nil, colO("b", "a"), colF(1, 2.5)))
	if err != nil {
		t.Fatal(err)
	}
	f = r.(*DataFrame)
	if d := columnDiff(f.Columns[0], colB(true, false, false), 0) + columnDiff(f.Columns[1], colB(false, true, false), 0); d != "" {
		t.Error(d)
	}
	// the series on the left is the reflected comparison: s > df is df < s
	r, err = CompareOp(ctx, CmpGt, NewSeries(nil, colO("b", "a"), colF(2, 2)), df1)
	if err != nil {
		t.Fatal(err)
	}
	if d := columnDiff(r.(*DataFrame).Columns[0], colB(true, false, false), 0); d != "" {
		t.Error(d)
	}
}

func TestPyCompare(t *testing.T) {
	d1, d2 := NewDict(1), NewDict(1)
	d1.Set("a", int64(1))
	d2.Set("a", 1.0)
	cases := []struct {
		op   CmpOp
		a, b any
		want bool
		err  string
	}{
		{CmpEq, int64(1), 1.0, true, ""},
		{CmpEq, true, int64(1), true, ""},
		{CmpEq, qnan, qnan, false, ""},
		{CmpNe, qnan, qnan, true, ""},
		{CmpLt, "a", "b", true, ""},
		{CmpEq, "a", int64(1), false, ""},
		{CmpNe, "a", int64(1), true, ""},
		{CmpLt, "a", int64(1), false, "TypeError: '<' not supported between instances of 'str' and 'int'"},
		// lists: lexicographic ([1, 2, 3] >= [1, 2] is True, recorded from hetida)
		{CmpGe, []any{int64(1), int64(2), int64(3)}, []any{int64(1), int64(2)}, true, ""},
		{CmpLt, []any{int64(1), int64(2)}, []any{int64(1), int64(3)}, true, ""},
		{CmpEq, []any{int64(1)}, []any{1.0}, true, ""},
		{CmpLe, []any{int64(1), int64(2)}, int64(2), false, "TypeError: '<=' not supported between instances of 'list' and 'int'"},
		// dicts compare by content, never by order
		{CmpEq, d1, d2, true, ""},
		{CmpNe, d1, d2, false, ""},
		{CmpLt, d1, d2, false, "TypeError: '<' not supported between instances of 'dict' and 'dict'"},
		{CmpEq, nil, nil, true, ""},
		{CmpLt, nil, int64(1), false, "TypeError: '<' not supported between instances of 'NoneType' and 'int'"},
		{CmpEq, Timestamp{NS: 0, Zone: UTC}, Timestamp{NS: 0}, false, ""},
		{CmpLt, Timestamp{NS: 0, Zone: UTC}, Timestamp{NS: 0}, false, "TypeError: Cannot compare tz-naive and tz-aware timestamps"},
		{CmpEq, Timestamp{NS: 0, Zone: UTC}, Timestamp{NS: 0, Zone: Zone{Aware: true, Offset: 3600}}, true, ""},
	}
	for _, c := range cases {
		got, err := CompareOp(context.Background(), c.op, c.a, c.b)
		if c.err != "" {
			var e *Error
			if !errors.As(err, &e) || e.Type+": "+e.Message != c.err {
				t.Errorf("%v %s %v: error %v, want %s", c.a, c.op, c.b, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%v %s %v = %v, %v; want %v", c.a, c.op, c.b, got, err, c.want)
		}
	}
}
