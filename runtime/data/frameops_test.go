package data

import (
	"math"
	"slices"
	"testing"
)

func abFrame() *DataFrame {
	return NewDataFrame(Range(3), []any{"a", "b"}, []Column{
		Ints([]int64{1, 2, 3}), Floats([]float64{0.5, math.NaN(), 2})})
}

// Error texts are str(KeyError) as pandas 2.1 raises them.
func TestSelectDrop(t *testing.T) {
	f := abFrame()
	got, err := f.Select("b", "a")
	if err != nil || !slices.Equal(got.Names, []any{"b", "a"}) || got.Columns[1].DType != Int64 {
		t.Errorf("Select(b, a) = %+v, %v", got, err)
	}
	if _, err := f.Select("x", "a"); err == nil || err.Error() != `KeyError: "['x'] not in index"` {
		t.Errorf("Select(x, a): %v", err)
	}
	if _, err := f.Select("x", "y"); err == nil || err.Error() != `KeyError: "None of [Index(['x', 'y'], dtype='object')] are in the [columns]"` {
		t.Errorf("Select(x, y): %v", err)
	}
	if _, err := f.Select(int64(2)); err == nil || err.Error() != `KeyError: "None of [Index([2], dtype='int64')] are in the [columns]"` {
		t.Errorf("Select(2): %v", err)
	}
	got, err = f.Drop("a")
	if err != nil || !slices.Equal(got.Names, []any{"b"}) {
		t.Errorf("Drop(a) = %+v, %v", got, err)
	}
	if _, err := f.Drop("x", "a"); err == nil || err.Error() != `KeyError: "['x'] not found in axis"` {
		t.Errorf("Drop(x, a): %v", err)
	}
	r := f.Rename(map[any]any{"a": "A", "zz": "Z"})
	if !slices.Equal(r.Names, []any{"A", "b"}) || !slices.Equal(f.Names, []any{"a", "b"}) {
		t.Errorf("Rename = %v (input now %v)", r.Names, f.Names)
	}
}

func TestSqueeze(t *testing.T) {
	// one row of int and float: a float64 Series over the column labels, named after the row
	one := NewDataFrame(Objects([]any{"r"}), []any{"a", "b"}, []Column{Ints([]int64{1}), Floats([]float64{2.5})})
	v, err := one.Squeeze("")
	s, ok := v.(*Series)
	if err != nil || !ok || s.Name != "r" || s.Values.DType != Float64 || !floatsNear(s.Values.F, []float64{1, 2.5}, 0) ||
		s.Index.DType != Object || s.Index.O[0] != "a" {
		t.Fatalf("squeeze one row = %#v, %v", v, err)
	}
	// int with bool has no common numeric type: object
	mixed := NewDataFrame(Range(1), []any{"a", "b"}, []Column{Ints([]int64{1}), Bools([]bool{true})})
	if v, _ := mixed.Squeeze(""); v.(*Series).Values.DType != Object {
		t.Errorf("int+bool row dtype = %v", v.(*Series).Values.DType)
	}
	single := NewDataFrame(Range(1), []any{"a"}, []Column{Ints([]int64{7})})
	if v, _ := single.Squeeze(""); v != int64(7) {
		t.Errorf("1x1 squeeze = %#v; want the scalar 7", v)
	}
	if v, _ := single.Squeeze("columns"); v.(*Series).Name != "a" {
		t.Errorf("1x1 squeeze(columns) = %#v; want the Series a", v)
	}
	f := abFrame()
	if v, _ := f.Squeeze(""); v != f {
		t.Errorf("3x2 squeeze = %#v; want the frame", v)
	}
	if _, err := f.Squeeze("foo"); err == nil || err.Error() != "ValueError: No axis named foo for object type DataFrame" {
		t.Errorf("squeeze(foo): %v", err)
	}
}

// pandas 2.1 DataFrame.sum(axis=1): NaN skipped, an all-NaN row 0, int columns int sums.
func TestSumColumns(t *testing.T) {
	nan := math.NaN()
	f := NewDataFrame(Range(3), []any{"a", "b", "c"}, []Column{
		Ints([]int64{1, 2, 3}), Floats([]float64{0.5, nan, nan}), Floats([]float64{nan, 1, nan})})
	s, err := f.SumColumns(false)
	// rows: 1+0.5, 2+1, 3 (the NaNs count as 0)
	if err != nil || s.Values.DType != Float64 || !floatsNear(s.Values.F, []float64{1.5, 3, 3}, 0) {
		t.Errorf("sum = %+v, %v", s, err)
	}
	allNaN := NewDataFrame(Range(1), []any{"a", "b"}, []Column{Floats([]float64{nan}), Floats([]float64{nan})})
	if s, _ := allNaN.SumColumns(false); s.Values.F[0] != 0 {
		t.Errorf("all-NaN row = %v; want 0", s.Values.F[0])
	}
	ints := NewDataFrame(Range(2), []any{"a", "b"}, []Column{Ints([]int64{1, 2}), Bools([]bool{true, false})})
	if s, _ := ints.SumColumns(false); s.Values.DType != Int64 || !slices.Equal(s.Values.I, []int64{2, 2}) {
		t.Errorf("int+bool sums = %+v", s.Values)
	}
	if s, _ := NewDataFrame(Range(2), nil, nil).SumColumns(false); !floatsNear(s.Values.F, []float64{0, 0}, 0) {
		t.Errorf("no columns = %+v; want float zeros", s.Values)
	}
	strs := NewDataFrame(Range(2), []any{"a", "b"}, []Column{Ints([]int64{1, 2}), Objects([]any{"x", "y"})})
	if _, err := strs.SumColumns(false); err == nil || err.Error() != "TypeError: unsupported operand type(s) for +: 'int' and 'str'" {
		t.Errorf("int+str: %v", err)
	}
	if s, err := strs.SumColumns(true); err != nil || !slices.Equal(s.Values.I, []int64{1, 2}) {
		t.Errorf("numeric_only = %+v, %v", s, err)
	}
	// strings only: Python's + concatenates
	two := NewDataFrame(Range(2), []any{"a", "b"}, []Column{Objects([]any{"u", "v"}), Objects([]any{"x", "y"})})
	if s, _ := two.SumColumns(false); s.Values.O[0] != "ux" || s.Values.O[1] != "vy" {
		t.Errorf("str sums = %+v", s.Values)
	}
}

func TestApplyColumns(t *testing.T) {
	f := abFrame()
	g, err := f.ApplyColumns(func(name any, c Column) (Column, error) { return c.AsFloat64(), nil })
	if err != nil || g.Columns[0].DType != Float64 || f.Columns[0].DType != Int64 {
		t.Errorf("ApplyColumns = %+v, %v", g, err)
	}
	if _, err := f.ApplyColumns(func(name any, c Column) (Column, error) { return c.Slice(0, 1), nil }); err == nil {
		t.Error("a shorter column: want ValueError")
	}
}

// Sorting is stable, NaN last in both directions.
func TestSortValues(t *testing.T) {
	nan := math.NaN()
	f := NewDataFrame(Ints([]int64{0, 1, 2, 3, 4}), []any{"k", "v"}, []Column{
		Floats([]float64{2, nan, 1, 2, 1}), Ints([]int64{1, 2, 3, 4, 5})})
	cases := []struct {
		by   []any
		asc  []bool
		want []int64
	}{
		// ties (rows 2,4 and 0,3) keep their input order
		{[]any{"k"}, []bool{true}, []int64{2, 4, 0, 3, 1}},
		{[]any{"k"}, []bool{false}, []int64{0, 3, 2, 4, 1}},
		// second key decides the ties: v descending
		{[]any{"k", "v"}, []bool{true, false}, []int64{4, 2, 3, 0, 1}},
	}
	for _, c := range cases {
		got, err := f.SortValues(c.by, c.asc)
		if err != nil || !slices.Equal(got.Index.I, c.want) {
			t.Errorf("SortValues(%v, %v) = %v, %v; want %v", c.by, c.asc, got.Index.I, err, c.want)
		}
	}
	if _, err := f.SortValues([]any{"x"}, nil); err == nil || err.Error() != "KeyError: 'x'" {
		t.Errorf("missing key: %v", err)
	}
	if _, err := f.SortValues([]any{"k", "v"}, []bool{true, true, false}); err == nil {
		t.Error("ascending length mismatch: want ValueError")
	}
	s := NewSeries(nil, Ints([]int64{0, 1, 2}), Floats([]float64{nan, 3, 1})).SortValues(true)
	if !slices.Equal(s.Index.I, []int64{2, 1, 0}) {
		t.Errorf("series sort = %v", s.Index.I)
	}
	unsorted := NewDataFrame(Ints([]int64{3, 1, 2}), []any{"v"}, []Column{Ints([]int64{30, 10, 20})})
	if g := unsorted.SortIndex(); !slices.Equal(g.Columns[0].I, []int64{10, 20, 30}) {
		t.Errorf("SortIndex = %v", g.Columns[0].I)
	}
}

// Booleans next to integers interleave as an object array in pandas 1.5.3: Python's
// exact sums, cast to float64. Found by tools/difffuzz.py (Sum Columns); pandas 1.5.3:
// pd.DataFrame({'t': [True, True, False], 'a': [2**63 - 1, 2**53 + 1, 5]}).sum(axis=1)
// → float64 [9.223372036854776e+18, 9007199254740994.0, 5.0]; bool + bool stays int64,
// int64 + int64 wraps as numpy.
func TestSumColumnsBoolIntIsFloatRegression(t *testing.T) {
	f := NewDataFrame(Range(3), []any{"t", "a"}, []Column{Bools([]bool{true, true, false}), Ints([]int64{math.MaxInt64, 1<<53 + 1, 5})})
	s, err := f.SumColumnsNumericFallback()
	if err != nil || s.Values.DType != Float64 || s.Values.F[0] != 9.223372036854776e+18 || s.Values.F[1] != 9007199254740994 || s.Values.F[2] != 5 {
		t.Errorf("bool + int64: %v %v", s, err)
	}
	b := NewDataFrame(Range(2), []any{"t", "u"}, []Column{Bools([]bool{true, true}), Bools([]bool{false, true})})
	if s, err := b.SumColumnsNumericFallback(); err != nil || s.Values.DType != Int64 || s.Values.I[1] != 2 {
		t.Errorf("bool + bool: %v %v", s, err)
	}
	i := NewDataFrame(Range(1), []any{"a", "b"}, []Column{Ints([]int64{math.MaxInt64}), Ints([]int64{1})})
	if s, err := i.SumColumnsNumericFallback(); err != nil || s.Values.DType != Int64 || s.Values.I[0] != math.MinInt64 {
		t.Errorf("int64 + int64: %v %v", s, err)
	}
}
