package data

import (
	"math"
	"slices"
	"testing"
)

func TestColumnTakeUpcastsForMissing(t *testing.T) {
	c := Ints([]int64{10, 20, 30}).Take([]int{2, -1, 0})
	if c.DType != Float64 || c.F[0] != 30 || !math.IsNaN(c.F[1]) || c.F[2] != 10 {
		t.Errorf("Int64 with a missing position: %+v; want float64 [30 NaN 10]", c)
	}
	if c := Ints([]int64{10, 20}).Take([]int{1, 0}); c.DType != Int64 || !slices.Equal(c.I, []int64{20, 10}) {
		t.Errorf("Int64 without missing positions: %+v", c)
	}
	b := Bools([]bool{true, false}).Take([]int{-1, 1})
	if b.DType != Object || b.O[0] != nil || b.O[1] != false {
		t.Errorf("Bool with a missing position: %+v; want object [None False]", b)
	}
	d := Datetimes([]int64{5, 6}, UTC).Take([]int{1, -1})
	if d.DType != Datetime || d.Zone != UTC || d.I[0] != 6 || d.I[1] != NaT {
		t.Errorf("Datetime with a missing position: %+v", d)
	}
	o := Objects([]any{"a", "b"}).Take([]int{-1, 0})
	if o.O[0] != nil || o.O[1] != "a" {
		t.Errorf("Object with a missing position: %+v", o)
	}
}

func TestColumnOrder(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name     string
		c        Column
		order    []int
		monotone bool
	}{
		{"floats: NaN last, stable ties", Floats([]float64{2, nan, 1, 2, nan, 0}), []int{5, 2, 0, 3, 1, 4}, false},
		{"sorted floats", Floats([]float64{1, 1, 2}), []int{0, 1, 2}, true},
		{"leading NaN breaks monotonicity", Floats([]float64{nan}), []int{0}, false},
		{"ints", Ints([]int64{3, -1, 3, 0}), []int{1, 3, 0, 2}, false},
		{"datetimes: NaT last", Datetimes([]int64{7, NaT, 5}, UTC), []int{2, 0, 1}, false},
		{"bools", Bools([]bool{true, false, true}), []int{1, 0, 2}, false},
		{"strings, None last", Objects([]any{"b", nil, "a"}), []int{2, 0, 1}, false},
		{"sorted strings", Objects([]any{"a", "a", "b"}), []int{0, 1, 2}, true},
		{"empty", Floats(nil), []int{}, true},
	}
	for _, c := range cases {
		if got := c.c.ArgSort(); !slices.Equal(got, c.order) {
			t.Errorf("%s: ArgSort = %v; want %v", c.name, got, c.order)
		}
		if got := c.c.IsMonotonicIncreasing(); got != c.monotone {
			t.Errorf("%s: IsMonotonicIncreasing = %t; want %t", c.name, got, c.monotone)
		}
	}
}

func TestColumnIsUnique(t *testing.T) {
	cases := []struct {
		c    Column
		want bool
	}{
		{Ints([]int64{1, 2, 3}), true},
		{Ints([]int64{1, 2, 1}), false},
		{Floats([]float64{1, math.NaN(), 2}), true},
		{Floats([]float64{math.NaN(), math.NaN()}), false},
		{Datetimes([]int64{1, 1}, UTC), false},
		{Objects([]any{"a", "b"}), true},
		{Objects([]any{int64(1), 1.0}), false}, // pandas: 1 and 1.0 are the same label
		{Objects([]any{"1", int64(1)}), true},
		{Objects([]any{nil, nil}), false},
	}
	for _, c := range cases {
		if got := c.c.IsUnique(); got != c.want {
			t.Errorf("IsUnique(%+v) = %t; want %t", c.c, got, c.want)
		}
	}
}

func TestSeriesOperations(t *testing.T) {
	idx := Datetimes([]int64{30, 10, 20}, UTC)
	s := NewSeries("v", idx, Ints([]int64{3, 1, 2}))
	sorted := s.SortIndex()
	if !slices.Equal(sorted.Index.I, []int64{10, 20, 30}) || !slices.Equal(sorted.Values.I, []int64{1, 2, 3}) || sorted.Name != "v" {
		t.Fatalf("SortIndex: %+v", sorted)
	}
	if sorted.SortIndex() != sorted {
		t.Error("SortIndex of a sorted series must return it as is")
	}
	d, err := sorted.Diff(1)
	if err != nil || d.Values.DType != Float64 || !math.IsNaN(d.Values.F[0]) || d.Values.F[1] != 1 || d.Values.F[2] != 1 {
		t.Fatalf("Diff(1) = %+v, %v; want float64 [NaN 1 1]", d, err)
	}
	if d, _ := sorted.Diff(-1); !math.IsNaN(d.Values.F[2]) || d.Values.F[0] != -1 {
		t.Errorf("Diff(-1) = %v", d.Values.F)
	}
	if _, err := NewSeries(nil, Range(2), Objects([]any{"a", "b"})).Diff(1); err == nil {
		t.Error("Diff of strings must fail")
	}
	shifted, err := NewSeries(nil, Datetimes([]int64{100, NaT}, UTC), Floats([]float64{1, 2})).ShiftIndex(-40)
	if err != nil || shifted.Index.I[0] != 60 || shifted.Index.I[1] != NaT || shifted.Index.Zone != UTC {
		t.Fatalf("ShiftIndex: %+v, %v", shifted, err)
	}
	_, err = NewSeries(nil, Range(1), Floats([]float64{1})).ShiftIndex(1)
	if err == nil || err.Error() != "This method is only implemented for DatetimeIndex, PeriodIndex and TimedeltaIndex; Got type Index" {
		t.Errorf("ShiftIndex on an int index: %v", err)
	}
	m, err := s.MapFloat(func(x float64) float64 { return x / 2 })
	if err != nil || m.Values.F[0] != 1.5 || m.Index.I[0] != 30 {
		t.Errorf("MapFloat: %+v, %v", m, err)
	}
}

func TestFrameColumnLookup(t *testing.T) {
	f := NewDataFrame(Range(1), []any{"a", int64(0), "0"}, []Column{Ints([]int64{1}), Ints([]int64{2}), Ints([]int64{3})})
	for _, c := range []struct {
		name any
		want int64
	}{{"a", 1}, {int64(0), 2}, {"0", 3}, {0.0, 2}} {
		col, ok := f.Col(c.name)
		if !ok || col.I[0] != c.want {
			t.Errorf("Col(%#v) = %+v, %t; want the column holding %d", c.name, col, ok, c.want)
		}
	}
	if _, ok := f.Col("b"); ok {
		t.Error("Col found a missing label")
	}
	s, err := f.Series("a")
	if err != nil || s.Name != "a" || s.Values.I[0] != 1 {
		t.Errorf("Series(a) = %+v, %v", s, err)
	}
	if _, err := f.Series("zz"); err == nil || err.Error() != "'zz'" {
		t.Errorf("Series of a missing column: %v (pandas raises KeyError('zz'))", err)
	}
}
