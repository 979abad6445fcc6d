package data

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
)

// mgFrame builds a frame on a RangeIndex from alternating labels and columns.
func mgFrame(kv ...any) *DataFrame {
	var names []any
	var cols []Column
	for i := 0; i+1 < len(kv); i += 2 {
		names = append(names, kv[i])
		cols = append(cols, kv[i+1].(Column))
	}
	n := 0
	if len(cols) > 0 {
		n = cols[0].Len()
	}
	return NewDataFrame(Range(n), names, cols)
}

func mgI(v ...int64) Column   { return Ints(v) }
func mgF(v ...float64) Column { return Floats(v) }
func mgO(v ...any) Column     { return Objects(v) }
func mgB(v ...bool) Column    { return Bools(v) }

var mgNaN = math.NaN()

// mgSame compares two columns element by element (NaN equals NaN, dtypes must match).
func mgSame(a, b Column) bool {
	if a.DType != b.DType || a.Zone != b.Zone || a.Len() != b.Len() {
		return false
	}
	for i := 0; i < a.Len(); i++ {
		x, y := a.At(i), b.At(i)
		if IsNA(x) && IsNA(y) {
			continue
		}
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

func mgCheck(t *testing.T, got, want *DataFrame) {
	t.Helper()
	if !reflect.DeepEqual(got.Names, want.Names) {
		t.Fatalf("columns %v, want %v", got.Names, want.Names)
	}
	if !mgSame(got.Index, Range(want.Len())) {
		t.Errorf("index %v, want a fresh RangeIndex of %d", got.Index, want.Len())
	}
	for k := range want.Columns {
		if !mgSame(got.Columns[k], want.Columns[k]) {
			t.Errorf("column %v: %v %v, want %v %v", want.Names[k], got.Columns[k].DType, columnLabels(got.Columns[k]), want.Columns[k].DType, columnLabels(want.Columns[k]))
		}
	}
}

// The expectations are pandas 1.5.3's results (DataFrame.merge with left_on=right_on="id",
// as hetida's component calls it), printed with to_dict("list") and dtypes.
func TestMerge(t *testing.T) {
	// key 2 twice on both sides (many-to-many), 1 on both, 3 only left, 4 only right;
	// "c" is on both sides and gets the suffixes
	left := mgFrame("id", mgI(2, 1, 2, 3), "a", mgF(1.5, 2.5, 3.5, 4.5), "c", mgO("p", "q", "r", "s"))
	right := mgFrame("id", mgI(1, 2, 2, 4), "b", mgO("x", "y", "z", "w"), "c", mgI(1, 2, 3, 4))
	cols := []any{"id", "a", "c_x", "b", "c_y"}
	for _, tc := range []struct {
		how  MergeHow
		want *DataFrame
	}{
		// keys in order of first appearance in left (2, then 1); per key the left rows,
		// each with every right row
		{MergeInner, NewDataFrame(Range(5), cols, []Column{mgI(2, 2, 2, 2, 1), mgF(1.5, 1.5, 3.5, 3.5, 2.5),
			mgO("p", "p", "r", "r", "q"), mgO("y", "z", "y", "z", "x"), mgI(2, 3, 2, 3, 1)})},
		// left rows in their order; the unmatched 3 gets NaN (c_y upcast to float64)
		{MergeLeft, NewDataFrame(Range(6), cols, []Column{mgI(2, 2, 1, 2, 2, 3), mgF(1.5, 1.5, 2.5, 3.5, 3.5, 4.5),
			mgO("p", "p", "q", "r", "r", "s"), mgO("y", "z", "x", "y", "z", nil), mgF(2, 3, 1, 2, 3, mgNaN)})},
		// right rows in their order, each with its left rows; the key of 4 comes from right
		{MergeRight, NewDataFrame(Range(6), cols, []Column{mgI(1, 2, 2, 2, 2, 4), mgF(2.5, 1.5, 3.5, 1.5, 3.5, mgNaN),
			mgO("q", "p", "r", "p", "r", nil), mgO("x", "y", "y", "z", "z", "w"), mgI(1, 2, 2, 3, 3, 4)})},
		// keys in order of appearance (left's 2, 1, 3, then right's 4), not sorted
		{MergeOuter, NewDataFrame(Range(7), cols, []Column{mgI(2, 2, 2, 2, 1, 3, 4), mgF(1.5, 1.5, 3.5, 3.5, 2.5, 4.5, mgNaN),
			mgO("p", "p", "r", "r", "q", "s", nil), mgO("y", "z", "y", "z", "x", nil, "w"), mgF(2, 3, 2, 3, 1, mgNaN, 4)})},
	} {
		t.Run(string(tc.how), func(t *testing.T) {
			got, err := Merge(context.Background(), left, right, []any{"id"}, tc.how)
			if err != nil {
				t.Fatal(err)
			}
			mgCheck(t, got, tc.want)
		})
	}
}

// Missing keys are one key: NaN matches NaN, numbered where it first appears (pandas 1.5
// factorises it like any other value).
func TestMergeMissingKeys(t *testing.T) {
	l := mgFrame("id", mgF(1, mgNaN, 2), "a", mgI(0, 1, 2))
	r := mgFrame("id", mgF(mgNaN, 2, 1), "b", mgI(10, 11, 12))
	got, err := Merge(context.Background(), l, r, []any{"id"}, MergeInner)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("id", mgF(1, mgNaN, 2), "a", mgI(0, 1, 2), "b", mgI(12, 10, 11)))
	got, err = Merge(context.Background(), l, r, []any{"id"}, MergeRight)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("id", mgF(mgNaN, 2, 1), "a", mgI(1, 2, 0), "b", mgI(10, 11, 12)))
	// [1, NaN] outer [3, NaN]: 1 (left only), NaN (both), 3 (right only)
	l = mgFrame("id", mgF(1, mgNaN), "a", mgI(0, 1))
	r = mgFrame("id", mgF(3, mgNaN), "b", mgI(10, 11))
	got, err = Merge(context.Background(), l, r, []any{"id"}, MergeOuter)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("id", mgF(1, mgNaN, 3), "a", mgF(0, 1, mgNaN), "b", mgF(mgNaN, 11, 10)))
	// None in object keys likewise
	l = mgFrame("id", mgO("a", nil, "b"), "a", mgI(0, 1, 2))
	r = mgFrame("id", mgO(nil, "b", "a"), "b", mgI(10, 11, 12))
	got, err = Merge(context.Background(), l, r, []any{"id"}, MergeLeft)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("id", mgO("a", nil, "b"), "a", mgI(0, 1, 2), "b", mgI(12, 10, 11)))
}

func TestMergeVariants(t *testing.T) {
	ctx := context.Background()
	// string keys outer: b, a, d from left, then c, e from right (no sorting)
	got, err := Merge(ctx, mgFrame("id", mgO("b", "a", "d"), "a", mgI(1, 2, 3)), mgFrame("id", mgO("c", "a", "e"), "b", mgI(4, 5, 6)), []any{"id"}, MergeOuter)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("id", mgO("b", "a", "d", "c", "e"), "a", mgF(1, 2, 3, mgNaN, mgNaN), "b", mgF(mgNaN, 5, mgNaN, 4, 6)))

	// int keys against float keys: 2 matches 2.0; the key column of an outer join takes
	// both sides' values, so it is float64
	got, err = Merge(ctx, mgFrame("id", mgI(1, 2), "a", mgI(1, 2)), mgFrame("id", mgF(2, 3.5), "b", mgI(1, 2)), []any{"id"}, MergeOuter)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("id", mgF(1, 2, 3.5), "a", mgF(1, 2, mgNaN), "b", mgF(mgNaN, 1, 2)))

	// int64 outer int64 keeps int64 keys; a bool column of the missing side becomes object
	got, err = Merge(ctx, mgFrame("id", mgI(1, 2), "a", mgI(1, 2)), mgFrame("id", mgI(2, 3), "b", mgB(true, false)), []any{"id"}, MergeOuter)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("id", mgI(1, 2, 3), "a", mgF(1, 2, mgNaN), "b", mgO(nil, true, false)))

	// bool keys against int keys are merged as objects: True matches 1 (pandas then holds
	// the key column as object; here it stays int64, the same values)
	got, err = Merge(ctx, mgFrame("id", mgI(1, 2), "a", mgI(1, 2)), mgFrame("id", mgB(true, false), "z", mgI(1, 2)), []any{"id"}, MergeInner)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("id", mgI(1), "a", mgI(1), "z", mgI(1)))

	// an empty left frame: the key comes from right, at its place there
	empty := mgFrame("id", mgI(), "a", mgF())
	got, err = Merge(ctx, empty, mgFrame("id", mgI(2, 3), "b", mgB(true, false)), []any{"id"}, MergeOuter)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("a", mgF(mgNaN, mgNaN), "id", mgI(2, 3), "b", mgB(true, false)))

	// an empty right frame
	got, err = Merge(ctx, mgFrame("id", mgI(1, 2), "a", mgI(1, 2)), mgFrame("id", mgF(), "b", mgF()), []any{"id"}, MergeInner)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("id", mgI(), "a", mgI(), "b", mgF()))

	// integer labels get suffixes as strings
	got, err = Merge(ctx, mgFrame(int64(0), mgI(1, 2), "id", mgI(1, 2)), mgFrame("id", mgI(1, 2), int64(0), mgI(3, 4)), []any{"id"}, MergeInner)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("0_x", mgI(1, 2), "id", mgI(1, 2), "0_y", mgI(3, 4)))

	// cross: every left row with every right row
	got, err = Merge(ctx, mgFrame("k", mgI(1, 2), "v", mgO("a", "b")), mgFrame("v", mgO("x", "y"), "w", mgB(true, false)), nil, MergeCross)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("k", mgI(1, 1, 2, 2), "v_x", mgO("a", "a", "b", "b"), "v_y", mgO("x", "y", "x", "y"), "w", mgB(true, false, true, false)))

	// two keys; on nil uses the common columns (k1, k2 here)
	l := mgFrame("k1", mgI(1, 1, 2), "k2", mgO("a", "b", "a"), "v", mgI(1, 2, 3))
	r := mgFrame("k2", mgO("a", "a", "b"), "k1", mgI(2, 1, 1), "w", mgI(4, 5, 6))
	for _, on := range [][]any{{"k1", "k2"}, nil} {
		got, err = Merge(ctx, l, r, on, MergeOuter)
		if err != nil {
			t.Fatal(err)
		}
		mgCheck(t, got, mgFrame("k1", mgI(1, 1, 2), "k2", mgO("a", "b", "a"), "v", mgI(1, 2, 3), "w", mgI(5, 6, 4)))
	}
	// one key of two: the other common column gets suffixes
	got, err = Merge(ctx, l, r, []any{"k1"}, MergeInner)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("k1", mgI(1, 1, 1, 1, 2), "k2_x", mgO("a", "a", "b", "b", "a"), "v", mgI(1, 1, 2, 2, 3), "k2_y", mgO("a", "b", "a", "b", "a"), "w", mgI(5, 6, 5, 6, 4)))

	// aware datetimes of different zones match by instant
	utc := Datetimes([]int64{0, 3600e9}, UTC)
	plus1 := Datetimes([]int64{0, 7200e9}, Zone{Aware: true, Offset: 3600})
	got, err = Merge(ctx, mgFrame("id", utc, "a", mgI(1, 2)), mgFrame("id", plus1, "b", mgI(3, 4)), []any{"id"}, MergeInner)
	if err != nil {
		t.Fatal(err)
	}
	mgCheck(t, got, mgFrame("id", Datetimes([]int64{0}, UTC), "a", mgI(1), "b", mgI(3)))
}

func TestMergeErrors(t *testing.T) {
	ctx := context.Background()
	ints := mgFrame("id", mgI(1, 2), "a", mgI(1, 2))
	for _, tc := range []struct {
		name         string
		left, right  *DataFrame
		on           []any
		how          MergeHow
		typ, message string
	}{
		{"cross with a key", ints, ints, []any{"id"}, MergeCross, "MergeError", "Can not pass on, right_on, left_on or set right_index=True or left_index=True"},
		{"unknown how", ints, ints, []any{"id"}, "bogus", "KeyError", "'bogus'"},
		{"missing key", ints, mgFrame("x", mgI(1)), []any{"id"}, MergeInner, "KeyError", "'id'"},
		{"no common columns", ints, mgFrame("x", mgI(1)), nil, MergeInner, "MergeError", "No common columns to perform merge on. Merge options: left_on=None, right_on=None, left_index=False, right_index=False"},
		{"int with strings", ints, mgFrame("id", mgO("b", "a"), "b", mgI(1, 2)), []any{"id"}, MergeInner, "ValueError", "You are trying to merge on int64 and object columns. If you wish to proceed you should use pd.concat"},
		{"naive with aware", mgFrame("id", Datetimes([]int64{0}, UTC)), mgFrame("id", Datetimes([]int64{0}, Naive)), []any{"id"}, MergeOuter, "ValueError", "You are trying to merge on datetime64[ns, UTC] and datetime64[ns] columns. If you wish to proceed you should use pd.concat"},
		{"datetime with int", mgFrame("id", Datetimes([]int64{0}, UTC)), ints, []any{"id"}, MergeOuter, "ValueError", "You are trying to merge on datetime64[ns, UTC] and int64 columns. If you wish to proceed you should use pd.concat"},
		{"duplicate label", NewDataFrame(Range(1), []any{"id", "id"}, []Column{mgI(1), mgI(2)}), ints, []any{"id"}, MergeInner, "ValueError", "The column label 'id' is not unique."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Merge(ctx, tc.left, tc.right, tc.on, tc.how)
			var de *Error
			if !errors.As(err, &de) || de.Type != tc.typ || de.Message != tc.message {
				t.Fatalf("got %v, want %s: %s", err, tc.typ, tc.message)
			}
		})
	}
	// 4000 rows with one key on each side would make 16 million rows
	n := 4000
	same := make([]int64, n)
	big := mgFrame("id", Ints(same))
	_, err := Merge(ctx, big, big, []any{"id"}, MergeInner)
	var de *Error
	if !errors.As(err, &de) || de.Type != "MemoryError" {
		t.Fatalf("got %v, want a MemoryError", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	long := mgFrame("id", Range(50_000))
	if _, err := Merge(cctx, long, long, []any{"id"}, MergeInner); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}

func BenchmarkMerge(b *testing.B) {
	// 100k rows each side, unique int keys half overlapping, one value column each
	const n = 100_000
	lk, rk := make([]int64, n), make([]int64, n)
	lv, rv := make([]float64, n), make([]float64, n)
	for i := range n {
		lk[i], rk[i] = int64(i), int64(i+n/2)
		lv[i], rv[i] = float64(i), float64(-i)
	}
	l := mgFrame("id", Ints(lk), "a", Floats(lv))
	r := mgFrame("id", Ints(rk), "b", Floats(rv))
	for _, how := range []MergeHow{MergeInner, MergeLeft, MergeOuter} {
		b.Run(string(how), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Merge(context.Background(), l, r, []any{"id"}, how); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// Merging string keys with an empty side failed ("You are trying to merge on object and
// float64 columns"): an empty JSON column reads as float64, and pandas skips the key
// dtype check when exactly one side has no rows. Found by tools/difffuzz.py (Merge
// DataFrames on Single Column, pandas 1.5.3: left {"key": ["c"], "v": [14.29]}, right
// {"key": [], "v": []}, outer → one row c, v_x 14.29, v_y NaN).
func TestMergeEmptySideSkipsDtypeCheckRegression(t *testing.T) {
	ctx := context.Background()
	left := mgFrame("key", mgO("c"), "v", mgF(14.29))
	right := mgFrame("key", mgF(), "v", mgF())
	for _, how := range []MergeHow{MergeInner, MergeLeft, MergeRight, MergeOuter} {
		out, err := Merge(ctx, left, right, []any{"key"}, how)
		if err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		want := 0
		if how == MergeLeft || how == MergeOuter {
			want = 1
		}
		if out.Len() != want {
			t.Errorf("%s: %d rows, want %d", how, out.Len(), want)
		}
	}
	// both sides with rows still check
	if _, err := Merge(ctx, left, mgFrame("key", mgF(1), "v", mgF(2)), []any{"key"}, MergeInner); err == nil {
		t.Error("object with float64 keys: want the ValueError")
	}
}

// An outer merge with one empty side keeps the other side's row order (pandas 1.5.3's
// fast path for an empty side). Found by tools/difffuzz.py: left {"key": ["a", "b", 2,
// "b"], "v": [1, 2, 3, 4]}, right {"key": [], "x": []}, outer → keys a, b, 2, b and v
// 1, 2, 3, 4 (not a, b, b, 2); the same with the sides swapped.
func TestMergeOuterEmptySideKeepsRowOrderRegression(t *testing.T) {
	ctx := context.Background()
	full := mgFrame("key", mgO("a", "b", int64(2), "b"), "v", mgF(1, 2, 3, 4))
	empty := mgFrame("key", mgF(), "x", mgF())
	for _, swap := range []bool{false, true} {
		l, r := full, empty
		if swap {
			l, r = empty, full
		}
		out, err := Merge(ctx, l, r, []any{"key"}, MergeOuter)
		if err != nil {
			t.Fatal(err)
		}
		k := out.Columns[out.ColIndex("key")]
		v := out.Columns[out.ColIndex("v")]
		got := fmt.Sprintln(k.At(0), k.At(1), k.At(2), k.At(3), v.At(0), v.At(1), v.At(2), v.At(3))
		if got != "a b 2 b 1 2 3 4\n" {
			t.Errorf("swap %v: %s", swap, got)
		}
	}
}
