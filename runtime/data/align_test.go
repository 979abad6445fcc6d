package data

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
)

var qnan = math.NaN()

// columnDiff describes how got differs from want ("" when equal): dtype and zone, then
// every element; NaN equals NaN and floats may differ by tol relative.
func columnDiff(got, want Column, tol float64) string {
	if got.DType != want.DType || got.Zone != want.Zone {
		return fmt.Sprintf("dtype %v %+v, want %v %+v", got.DType, got.Zone, want.DType, want.Zone)
	}
	if got.Len() != want.Len() {
		return fmt.Sprintf("length %d, want %d (%v vs %v)", got.Len(), want.Len(), boxAll(got), boxAll(want))
	}
	for i := 0; i < got.Len(); i++ {
		g, w := got.At(i), want.At(i)
		if gf, ok := g.(float64); ok {
			wf := w.(float64)
			if gf != gf && wf != wf {
				continue
			}
			if gf == wf || math.Abs(gf-wf) <= tol*math.Abs(wf) {
				if gf == 0 && math.Signbit(gf) != math.Signbit(wf) {
					return fmt.Sprintf("[%d] = %v, want %v (sign of zero)", i, gf, wf)
				}
				continue
			}
			return fmt.Sprintf("[%d] = %v, want %v (all: %v)", i, gf, wf, boxAll(got))
		}
		if !reflect.DeepEqual(g, w) {
			return fmt.Sprintf("[%d] = %#v, want %#v (all: %v)", i, g, w, boxAll(got))
		}
	}
	return ""
}

func boxAll(c Column) []any {
	out := make([]any, c.Len())
	for i := range out {
		out[i] = c.At(i)
	}
	return out
}

// wantErr checks that err is a *Error of the given Python type and message.
func wantErr(t *testing.T, err error, typ, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want %s: %s", err, typ, msg)
	}
	if e.Type != typ || e.Message != msg {
		t.Fatalf("error %s: %q, want %s: %q", e.Type, e.Message, typ, msg)
	}
}

func colI(v ...int64) Column   { return Ints(v) }
func colF(v ...float64) Column { return Floats(v) }
func colO(v ...any) Column     { return Objects(v) }

const dayNS = 24 * 3600 * int64(1e9)

func TestJoinIndexes(t *testing.T) {
	utc := Datetimes([]int64{0, dayNS}, UTC)
	plus1 := Datetimes([]int64{dayNS, 2 * dayNS}, Zone{Aware: true, Offset: 3600})
	cases := []struct {
		name       string
		a, b       Column
		how        Join
		joined     Column
		lidx, ridx []int
	}{
		// pd.Index([5, 6]).join(pd.Index([1, 2]), how="outer"): sorted union, no overlap
		{"disjoint", colI(5, 6), colI(1, 2), JoinOuter, colI(1, 2, 5, 6), []int{-1, -1, 0, 1}, []int{0, 1, -1, -1}},
		// unsorted unique labels: the union is sorted (pandas' union via get_indexer)
		{"overlap unsorted", colI(3, 1, 2), colI(2, 3, 4), JoinOuter, colI(1, 2, 3, 4), []int{1, 2, 0, -1}, []int{-1, 0, 1, 2}},
		// equal indexes are kept as they are, in their (unsorted) order
		{"identical unsorted", colI(3, 1, 2), colI(3, 1, 2), JoinOuter, colI(3, 1, 2), nil, nil},
		// 1 equals 1.0: equal indexes of different dtypes take the fast path too
		{"int equals float", colI(1, 2), colF(1, 2), JoinOuter, colI(1, 2), nil, nil},
		// [1,1,2] + [1,1,3]: label 1 pairs every left with every right occurrence, left
		// major (pandas gives 11, 21, 12, 22 for values [1,2,3] + [10,20,30])
		{"duplicates both", colI(1, 1, 2), colI(1, 1, 3), JoinOuter, colI(1, 1, 1, 1, 2, 3), []int{0, 0, 1, 1, 2, -1}, []int{0, 1, 0, 1, -1, 2}},
		// unsorted duplicates are sorted by label: [2,1,1] + [3,1,1]
		{"duplicates unsorted", colI(2, 1, 1), colI(3, 1, 1), JoinOuter, colI(1, 1, 1, 1, 2, 3), []int{1, 1, 2, 2, 0, -1}, []int{1, 2, 1, 2, -1, 0}},
		// one side unique: [1,1,2] + [1,3] → 1, 1, 2, 3
		{"duplicates left only", colI(1, 1, 2), colI(1, 3), JoinOuter, colI(1, 1, 2, 3), []int{0, 1, 2, -1}, []int{0, 0, -1, 1}},
		// int and float labels: cast to float64, 1 and 1.0 are one label
		{"1 vs 1.0", colI(1, 2), colF(1, 2.5), JoinOuter, colF(1, 2, 2.5), []int{0, 1, -1}, []int{0, -1, 1}},
		// ints and strings: object index, numbers sorted before strings (safe_sort)
		{"int and str", colI(2, 1), colO("c", "b"), JoinOuter, colO(int64(1), int64(2), "b", "c"), []int{1, 0, -1, -1}, []int{-1, -1, 1, 0}},
		// strings and timestamps cannot be ordered: left order, then the new right labels
		{"unsortable", colO("b", "a"), colO(Timestamp{NS: 0, Zone: UTC}, "b"), JoinOuter, colO("b", "a", Timestamp{NS: 0, Zone: UTC}), []int{0, 1, -1}, []int{1, -1, 0}},
		// each side sorted but strings against numbers: pandas' merge cannot compare
		// them and falls back to the left labels, then the new right ones (unsorted)
		{"sorted sides of different kinds", colO("a", "b"), colF(2), JoinOuter, colO("a", "b", 2.0), []int{0, 1, -1}, []int{-1, -1, 0}},
		// NaN labels match each other and sort last
		{"nan labels", colF(1, qnan), colF(qnan, 1), JoinOuter, colF(1, qnan), []int{0, 1}, []int{1, 0}},
		// different UTC offsets are joined in UTC (pandas 2)
		{"utc and +01:00", utc, plus1, JoinOuter, Datetimes([]int64{0, dayNS, 2 * dayNS}, UTC), []int{0, 1, -1}, []int{-1, 0, 1}},
		// an empty side: the other side unchanged, even unsorted
		{"empty left", Floats(nil), colI(3, 1, 2), JoinOuter, colI(3, 1, 2), []int{-1, -1, -1}, nil},
		{"empty right", colI(3, 1, 2), Floats(nil), JoinOuter, colI(3, 1, 2), nil, []int{-1, -1, -1}},
		{"empty right inner", colI(3, 1, 2), Floats(nil), JoinInner, Floats(nil), []int{}, nil},
		// unique labels: inner keeps the left order (intersection with sort=False)
		{"inner unsorted", colI(3, 1, 2), colI(2, 3, 4), JoinInner, colI(3, 2), []int{0, 2}, []int{1, 0}},
		// regression: an inner join without common labels returned nil indexers, which
		// mean "unchanged", so Align kept both operands at full length
		{"inner disjoint", colO("b", "d", "a"), colF(3.5, qnan), JoinInner, Objects([]any{}), []int{}, []int{}},
		{"left", colI(3, 1, 2), colI(2, 3, 4), JoinLeft, colI(3, 1, 2), nil, []int{1, -1, 0}},
		{"right", colI(3, 1, 2), colI(2, 3, 4), JoinRight, colI(2, 3, 4), []int{2, 0, -1}, nil},
		// sorted unique datetimes: merge join without hashing
		{"sorted outer", Datetimes([]int64{1, 2, 4}, UTC), Datetimes([]int64{2, 3}, UTC), JoinOuter, Datetimes([]int64{1, 2, 3, 4}, UTC), []int{0, 1, -1, 2}, []int{-1, 0, 1, -1}},
		{"sorted inner", Datetimes([]int64{1, 2, 4}, UTC), Datetimes([]int64{2, 3, 4}, UTC), JoinInner, Datetimes([]int64{2, 4}, UTC), []int{1, 2}, []int{0, 2}},
		{"sorted left", colI(1, 2, 4), colI(2, 3), JoinLeft, colI(1, 2, 4), nil, []int{-1, 0, -1}},
		{"sorted right", colI(1, 2, 4), colI(2, 3), JoinRight, colI(2, 3), []int{1, -1}, nil},
		// duplicates with a right join: right occurrences major
		{"duplicates right", colI(1, 1), colI(1, 1, 2), JoinRight, colI(1, 1, 1, 1, 2), []int{0, 1, 0, 1, -1}, []int{0, 0, 1, 1, 2}},
		{"duplicates inner", colI(1, 1, 2), colI(2, 1), JoinInner, colI(1, 1, 2), []int{0, 1, 2}, []int{1, 1, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			j, l, r, err := JoinIndexes(context.Background(), c.a, c.b, c.how)
			if err != nil {
				t.Fatal(err)
			}
			if d := columnDiff(j, c.joined, 0); d != "" {
				t.Errorf("joined: %s", d)
			}
			if !reflect.DeepEqual(l, c.lidx) || !reflect.DeepEqual(r, c.ridx) {
				t.Errorf("indexers %v %v, want %v %v", l, r, c.lidx, c.ridx)
			}
		})
	}
}

func TestJoinIndexesNaiveAware(t *testing.T) {
	// pd.Series(…, index=naive) + pd.Series(…, index=aware) raises in Index.join
	_, _, _, err := JoinIndexes(context.Background(), Datetimes([]int64{0}, Naive), Datetimes([]int64{0}, UTC), JoinOuter)
	wantErr(t, err, "TypeError", "Cannot join tz-naive with tz-aware DatetimeIndex")
	_, err = Union(Datetimes([]int64{0}, UTC), Datetimes([]int64{0}, Naive))
	wantErr(t, err, "TypeError", "Cannot join tz-naive with tz-aware DatetimeIndex")
}

func TestJoinIndexesIncomparable(t *testing.T) {
	// both sides monotonic, one with duplicates, strings against numbers: pandas
	// 1.5's monotonic merge raises the comparison's TypeError, naming the right side
	// first for a right join (pd.Series(…, index=[2, 3]) + pd.Series(…, index=['b', 'b']))
	ctx := context.Background()
	_, _, _, err := JoinIndexes(ctx, colI(2, 3), colO("b", "b"), JoinOuter)
	wantErr(t, err, "TypeError", "'<' not supported between instances of 'int' and 'str'")
	_, _, _, err = JoinIndexes(ctx, colF(0.5), colO("a", "d", "d"), JoinRight)
	wantErr(t, err, "TypeError", "'<' not supported between instances of 'str' and 'float'")
	// not monotonic (or both duplicated): sorted, numbers first
	j, _, _, err := JoinIndexes(ctx, colI(3, 2), colO("b", "b"), JoinOuter)
	if err != nil || columnDiff(j, colO(int64(2), int64(3), "b", "b"), 0) != "" {
		t.Errorf("unsorted mixed join = %v, %v", boxAll(j), err)
	}
	u, _ := Union(colO("a", "b"), colF(2))
	if d := columnDiff(u, colO("a", "b", 2.0), 0); d != "" {
		t.Errorf("union of sorted sides of different kinds: %s", d)
	}
}

func TestJoinIndexesCancelled(t *testing.T) {
	// 20000 × 20000 occurrences of one label would be 4e8 pairs: a cancelled context
	// stops the cartesian product early
	a := Ints(make([]int64, 20000))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, _, err := JoinIndexes(ctx, a, colI(0, 0), JoinOuter); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// 20000 × 20000 pairs exceed what an execution may allocate: pandas' MemoryError
	_, _, _, err := JoinIndexes(context.Background(), a, Ints(make([]int64, 20000)).Slice(0, 19999), JoinOuter)
	var e *Error
	if !errors.As(err, &e) || e.Type != "MemoryError" {
		t.Fatalf("err = %v, want MemoryError", err)
	}
}

func TestUnion(t *testing.T) {
	cases := []struct {
		name    string
		a, b    Column
		want    Column
		wantErr string
	}{
		// pd.Index([3,1,2]).union([2,2,5]) → [1, 2, 2, 3, 5]: a label occurs as often as
		// on the side where it occurs most
		{"duplicates other", colI(3, 1, 2), colI(2, 2, 5), colI(1, 2, 2, 3, 5), ""},
		{"duplicates self", colI(3, 1, 1), colI(2, 5), colI(1, 1, 2, 3, 5), ""},
		{"duplicates both", colI(1, 1, 3), colI(1, 1, 1, 2), colI(1, 1, 1, 2, 3), ""},
		// equal indexes are returned unsorted
		{"equal", colI(3, 1, 2), colI(3, 1, 2), colI(3, 1, 2), ""},
		{"int float", colI(1, 2), colF(1, 2.5), colF(1, 2, 2.5), ""},
		// mixed numbers and strings: numbers first ([1.0, 2.5, 'a', 'b'])
		{"float str", colF(2.5, 1), colO("b", "a"), colO(1.0, 2.5, "a", "b"), ""},
		// None sorts last (['a', 'b', None])
		{"none last", colO("b", nil), colO("a"), colO("a", "b", nil), ""},
		{"nan last", colF(2, qnan), colF(qnan, 1), colF(1, 2, qnan), ""},
		{"empty a", Ints(nil), colI(3, 1), colI(3, 1), ""},
		{"empty b", colI(3, 1), Ints(nil), colI(3, 1), ""},
		{"sorted datetimes", Datetimes([]int64{1, 3}, UTC), Datetimes([]int64{2, 3}, UTC), Datetimes([]int64{1, 2, 3}, UTC), ""},
		// aware zones differ: UTC (pandas 2; pandas 1.5 made it object)
		{"zones", Datetimes([]int64{1}, UTC), Datetimes([]int64{2}, Zone{Aware: true, Offset: -18000}), Datetimes([]int64{1, 2}, UTC), ""},
		// unsortable with unique b: a as it is, then b's new labels
		{"unsortable", colO("x", Timestamp{NS: 5}), colO("a", "x"), colO("x", Timestamp{NS: 5}, "a"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Union(c.a, c.b)
			if err != nil {
				t.Fatal(err)
			}
			if d := columnDiff(got, c.want, 0); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestIntersection(t *testing.T) {
	cases := []struct {
		name string
		a, b Column
		want Column
	}{
		// pd.Index([3,1,2]).intersection([2,3,4]) → [3, 2]: the order of a
		{"unsorted", colI(3, 1, 2), colI(2, 3, 4), colI(3, 2)},
		{"sorted", colI(1, 2, 3), colI(3, 2, 4), colI(2, 3)},
		// duplicates appear once: [3,1,1,2] ∩ [2,1,2] → [1, 2]
		{"duplicates", colI(3, 1, 1, 2), colI(2, 1, 2), colI(1, 2)},
		{"equal with duplicates", colI(1, 1, 2), colI(1, 1, 2), colI(1, 2)},
		{"int float", colI(1, 2), colF(1, 2.5), colF(1)},
		// "1" is not 1: [1, 2] ∩ ['1', 2] → [2] (object)
		{"int str", colI(1, 2), colO("1", int64(2)), colO(int64(2))},
		// naive and aware timestamps never match: empty object index
		{"naive aware", Datetimes([]int64{0}, Naive), Datetimes([]int64{0}, UTC), Objects([]any{})},
		{"disjoint", colI(1), colI(2), Ints([]int64{})},
		{"empty", Ints(nil), colI(2), Ints(nil)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Intersection(c.a, c.b)
			if err != nil {
				t.Fatal(err)
			}
			if d := columnDiff(got, c.want, 0); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestIndexer(t *testing.T) {
	got, err := Indexer(colF(3, 1.5, 1), colI(1, 2, 3))
	if err != nil || !reflect.DeepEqual(got, []int{2, -1, 0}) {
		t.Errorf("Indexer = %v, %v; want [2 -1 0]", got, err)
	}
	// the sorted fast path
	got, _ = Indexer(Datetimes([]int64{1, 5, 9}, UTC), Datetimes([]int64{0, 1, 9}, UTC))
	if !reflect.DeepEqual(got, []int{1, -1, 2}) {
		t.Errorf("sorted Indexer = %v", got)
	}
	// a naive label never matches an aware one
	got, _ = Indexer(Datetimes([]int64{0}, Naive), Datetimes([]int64{0}, UTC))
	if !reflect.DeepEqual(got, []int{-1}) {
		t.Errorf("naive vs aware = %v", got)
	}
	_, err = Indexer(colI(1, 2), colI(1, 1, 2))
	wantErr(t, err, "ValueError", "cannot reindex on an axis with duplicate labels")
	// equal indexes need no lookup, duplicates or not (pandas' reindex fast path)
	got, err = Indexer(colI(1, 1, 2), colI(1, 1, 2))
	if err != nil || !reflect.DeepEqual(got, []int{0, 1, 2}) {
		t.Errorf("equal duplicates = %v, %v", got, err)
	}
}

func TestReindex(t *testing.T) {
	idx := colI(1, 2, 3)
	cases := []struct {
		name   string
		values Column
		target Column
		fill   any
		want   Column
	}{
		// pd.Series([1,2,3], index=[1,2,3]).reindex([3, 4]) → [3.0, NaN]
		{"int upcast", colI(1, 2, 3), colI(3, 4), nil, colF(3, qnan)},
		{"int fill int", colI(1, 2, 3), colI(3, 4), int64(0), colI(3, 0)},
		{"int fill float", colI(1, 2, 3), colI(3, 4), 0.5, colF(3, 0.5)},
		{"no missing keeps int", colI(1, 2, 3), colI(3, 1), nil, colI(3, 1)},
		{"float target 1.0", colI(1, 2, 3), colF(3, 1.5), nil, colF(3, qnan)},
		// bools with a missing label become object with NaN (None here)
		{"bool upcast", Bools([]bool{true, false, true}), colI(2, 4), nil, colO(false, nil)},
		{"bool fill", Bools([]bool{true, false, true}), colI(2, 4), false, Bools([]bool{false, false})},
		{"bool fill int", Bools([]bool{true, false, true}), colI(2, 4), int64(0), colO(false, int64(0))},
		{"str", colO("a", "b", "c"), colI(2, 4), nil, colO("b", nil)},
		{"datetime NaT", Datetimes([]int64{10, 20, 30}, UTC), colI(2, 4), nil, Datetimes([]int64{20, NaT}, UTC)},
		{"float fill bool is object", colF(1, 2, 3), colI(1, 4), true, colO(1.0, true)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := NewSeries("x", idx, c.values)
			got, err := s.Reindex(c.target, c.fill)
			if err != nil {
				t.Fatal(err)
			}
			if d := columnDiff(got.Values, c.want, 0); d != "" {
				t.Error(d)
			}
			if got.Name != "x" || got.Index.Len() != c.target.Len() {
				t.Errorf("name %v index %v", got.Name, boxAll(got.Index))
			}
		})
	}
	f := NewDataFrame(idx, []any{"a", "b"}, []Column{colI(1, 2, 3), colO("x", "y", "z")})
	got, err := f.Reindex(colI(3, 0), nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := columnDiff(got.Columns[0], colF(3, qnan), 0) + columnDiff(got.Columns[1], colO("z", nil), 0); d != "" {
		t.Error(d)
	}
	_, err = NewSeries(nil, colI(1, 1), colI(1, 2)).Reindex(colI(1), nil)
	wantErr(t, err, "ValueError", "cannot reindex on an axis with duplicate labels")
}

func TestAlignFrames(t *testing.T) {
	// df1 (index [2,0,1], columns b, a) aligned with df2 (index [0,5], columns a, c):
	// rows [0,1,2,5], columns [a, b, c] (both sorted unions)
	df1 := NewDataFrame(colI(2, 0, 1), []any{"b", "a"}, []Column{colI(1, 2, 3), colF(1.5, 2.5, 3.5)})
	df2 := NewDataFrame(colI(0, 5), []any{"a", "c"}, []Column{colI(10, 20), colI(1, 1)})
	x, y, err := Align(context.Background(), df1, df2, JoinOuter)
	if err != nil {
		t.Fatal(err)
	}
	a, b := x.(*DataFrame), y.(*DataFrame)
	if !reflect.DeepEqual(a.Names, []any{"a", "b", "c"}) || !reflect.DeepEqual(b.Names, a.Names) {
		t.Fatalf("names %v %v", a.Names, b.Names)
	}
	for _, d := range []string{
		columnDiff(a.Index, colI(0, 1, 2, 5), 0),
		columnDiff(a.Columns[0], colF(2.5, 3.5, 1.5, qnan), 0),
		columnDiff(a.Columns[1], colF(2, 3, 1, qnan), 0),
		columnDiff(a.Columns[2], colF(qnan, qnan, qnan, qnan), 0),
		columnDiff(b.Columns[0], colF(10, qnan, qnan, 20), 0),
		columnDiff(b.Columns[1], colF(qnan, qnan, qnan, qnan), 0),
		columnDiff(b.Columns[2], colF(1, qnan, qnan, 1), 0),
	} {
		if d != "" {
			t.Error(d)
		}
	}
	s1, s2, err := Align(context.Background(), NewSeries("a", colI(1, 2), colI(1, 2)), NewSeries("b", colI(2, 3), colI(5, 6)), JoinInner)
	if err != nil {
		t.Fatal(err)
	}
	if d := columnDiff(s1.(*Series).Values, colI(2), 0) + columnDiff(s2.(*Series).Values, colI(5), 0); d != "" {
		t.Error(d)
	}
	if _, _, err := Align(context.Background(), df1, 1, JoinOuter); err == nil {
		t.Error("aligning a frame with a number did not fail")
	}
}

func TestWithColumn(t *testing.T) {
	f := NewDataFrame(colI(0, 1, 2), []any{"v"}, []Column{colF(1, 2, 3)})
	cases := []struct {
		name  string
		frame *DataFrame
		col   any
		s     *Series
		names []any
		want  Column // the assigned column
		index Column
	}{
		// df["w"] = s with s labelled [2, 1, 5]: label 5 dropped, label 0 missing → NaN
		{"aligned", f, "w", NewSeries(nil, colI(2, 1, 5), colI(10, 20, 30)), []any{"v", "w"}, colF(qnan, 20, 10), colI(0, 1, 2)},
		// every label present: the values are reordered and stay int64
		{"reordered", f, "w", NewSeries(nil, colI(2, 1, 0), colI(10, 20, 30)), []any{"v", "w"}, colI(30, 20, 10), colI(0, 1, 2)},
		// an existing column is replaced where it stands
		{"overwrite", NewDataFrame(colI(0, 1), []any{"a", "b"}, []Column{colI(1, 2), colI(3, 4)}), "a", NewSeries(nil, colI(0, 1), colI(9, 9)), []any{"a", "b"}, colI(9, 9), colI(0, 1)},
		// a frame without rows takes the series' index
		{"empty frame", &DataFrame{Index: Range(0)}, "w", NewSeries(nil, colI(5, 6), colI(10, 20)), []any{"w"}, colI(10, 20), colI(5, 6)},
		// duplicate labels are fine when the indexes are equal
		{"equal duplicates", NewDataFrame(colI(1, 1), []any{"v"}, []Column{colI(1, 2)}), "w", NewSeries(nil, colI(1, 1), colI(10, 20)), []any{"v", "w"}, colI(10, 20), colI(1, 1)},
		// naive labels never match an aware index: all NaN
		{"naive into aware", NewDataFrame(Datetimes([]int64{0}, UTC), []any{"v"}, []Column{colF(1)}), "w", NewSeries(nil, Datetimes([]int64{0}, Naive), colI(1)), []any{"v", "w"}, colF(qnan), Datetimes([]int64{0}, UTC)},
		{"int label", f, int64(0), NewSeries(nil, colI(0, 1, 2), colF(1, 2, 3)), []any{"v", int64(0)}, colF(1, 2, 3), colI(0, 1, 2)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.frame.WithColumn(c.col, c.s)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Names, c.names) {
				t.Fatalf("names %v, want %v", got.Names, c.names)
			}
			if d := columnDiff(got.Columns[got.ColIndex(c.col)], c.want, 0) + columnDiff(got.Index, c.index, 0); d != "" {
				t.Error(d)
			}
		})
	}
	if len(f.Names) != 1 {
		t.Error("WithColumn modified its frame")
	}
	// the empty frame's existing (empty) columns become missing values
	g, _ := NewDataFrame(Range(0), []any{"a"}, []Column{Floats(nil)}).WithColumn("w", NewSeries(nil, colI(5, 6), colI(10, 20)))
	if d := columnDiff(g.Columns[0], colF(qnan, qnan), 0); d != "" {
		t.Error(d)
	}
	_, err := f.WithColumn("w", NewSeries(nil, colI(1, 1, 0), colI(10, 20, 30)))
	wantErr(t, err, "ValueError", "cannot reindex on an axis with duplicate labels")
}

func TestToFrame(t *testing.T) {
	f := NewSeries(nil, colI(0, 1), colI(1, 2)).ToFrame()
	if !reflect.DeepEqual(f.Names, []any{int64(0)}) || f.Len() != 2 {
		t.Errorf("unnamed to_frame: %v", f.Names)
	}
	if f := NewSeries("x", colI(0), colI(1)).ToFrame(); f.Names[0] != "x" {
		t.Errorf("named to_frame: %v", f.Names)
	}
}

// df[name] = s with duplicate labels in s succeeded when no label of the frame could match
// s's (a naive frame index, an aware series index: every row NaN), but pandas refuses the
// reindex first: ValueError "cannot reindex on an axis with duplicate labels". Found by
// tools/difffuzz.py (Combine into DataFrame wrapper).
func TestWithColumnDuplicateLabelsRegression(t *testing.T) {
	f := NewDataFrame(Datetimes([]int64{0, 60e9}, Naive), []any{"x"}, []Column{Floats([]float64{1, 2})})
	s := NewSeries("a", Datetimes([]int64{0, 0}, UTC), Floats([]float64{5, 6}))
	_, err := f.WithColumn("a", s)
	wantErr(t, err, "ValueError", "cannot reindex on an axis with duplicate labels")
}

// Series.reindex with duplicate labels succeeded when the target was naive and the
// series aware (no label can match there), but pandas refuses duplicate labels before it
// looks anything up. Found by tools/difffuzz.py (Filter with a duplicated filter_series
// on a naive index).
func TestIndexerDuplicatesNaiveAwareRegression(t *testing.T) {
	_, err := Indexer(Datetimes([]int64{0, 60e9}, Naive), Datetimes([]int64{0, 0}, UTC))
	wantErr(t, err, "ValueError", "cannot reindex on an axis with duplicate labels")
	if pos, err := Indexer(Datetimes([]int64{0}, Naive), Datetimes([]int64{0, 1}, UTC)); err != nil || len(pos) != 1 || pos[0] != -1 {
		t.Errorf("unique aware source: %v, %v", pos, err)
	}
}

// A datetime index joins from its own side (pandas' _join_precedence), so its labels
// lead an unsortable outer union whichever side it is on. Found by tools/difffuzz.py
// (Linear Regression two Series, diffs = preds - y). pandas 1.5.3:
// pd.Index([2, 0, 1]).join(pd.to_datetime(['2026-01-05T00:05Z', '2026-01-05T00:00Z']),
// how='outer', return_indexers=True) → [00:05, 00:00, 2, 0, 1], [-1 -1 0 1 2], [0 1 -1 -1 -1].
func TestJoinIndexesDatetimePrecedenceRegression(t *testing.T) {
	ctx := context.Background()
	ts := Datetimes([]int64{300e9, 0}, UTC)
	j, l, r, err := JoinIndexes(ctx, colI(2, 0, 1), ts, JoinOuter)
	if err != nil {
		t.Fatal(err)
	}
	want := colO(Timestamp{NS: 300e9, Zone: UTC}, Timestamp{NS: 0, Zone: UTC}, int64(2), int64(0), int64(1))
	if d := columnDiff(j, want, 0); d != "" || !reflect.DeepEqual(l, []int{-1, -1, 0, 1, 2}) || !reflect.DeepEqual(r, []int{0, 1, -1, -1, -1}) {
		t.Errorf("outer: %v %v %v %s", boxAll(j), l, r, d)
	}
	// left keeps the int side, right the datetimes, inner is empty
	if j, _, _, _ := JoinIndexes(ctx, colI(2, 0, 1), ts, JoinLeft); j.Len() != 3 || j.At(0) != any(int64(2)) {
		t.Errorf("left: %v", boxAll(j))
	}
	if j, _, _, _ := JoinIndexes(ctx, colI(2, 0, 1), ts, JoinRight); j.DType != Object || j.Len() != 2 { // object, as pandas
		t.Errorf("right: %v", boxAll(j))
	}
	if j, _, _, _ := JoinIndexes(ctx, colI(2, 0, 1), ts, JoinInner); j.Len() != 0 {
		t.Errorf("inner: %v", boxAll(j))
	}
}

// pandas 1.5.3 refuses duplicate source labels only when the indexer is non-empty:
// pd.Series([1., 2., 3.], index=[0, 5, 5]).reindex([]) is an empty series.
func TestIndexerEmptyTargetDuplicatesRegression(t *testing.T) {
	if pos, err := Indexer(colI(), colI(0, 5, 5)); err != nil || len(pos) != 0 {
		t.Errorf("empty target: %v, %v", pos, err)
	}
}
