package data

import (
	"context"
	"math"
	"reflect"
	"testing"
)

func TestDuplicated(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name string
		col  Column
		keep Keep
		want []bool
	}{
		// pandas: Index([1, 2, 1, 3, 2]).duplicated() → F F T F T
		{"ints first", Ints([]int64{1, 2, 1, 3, 2}), KeepFirst, []bool{false, false, true, false, true}},
		{"ints last", Ints([]int64{1, 2, 1, 3, 2}), KeepLast, []bool{true, true, false, false, false}},
		{"ints none", Ints([]int64{1, 2, 1, 3, 2}), KeepNone, []bool{true, true, true, false, true}},
		// NaN repeats like any label; sorted distinct labels take the fast path
		{"floats", Floats([]float64{nan, 1, nan}), KeepFirst, []bool{false, false, true}},
		{"sorted datetimes", Datetimes([]int64{1, 2, 3}, UTC), KeepFirst, []bool{false, false, false}},
		{"objects 1 and 1.0", Objects([]any{int64(1), 1.0, "1"}), KeepFirst, []bool{false, true, false}},
	} {
		if got := c.col.Duplicated(c.keep); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestIsIn(t *testing.T) {
	for _, c := range []struct {
		name  string
		c, in Column
		want  []bool
	}{
		{"sorted merge pass", Ints([]int64{1, 3, 5, 7}), Ints([]int64{0, 3, 4, 7, 9}), []bool{false, true, false, true}},
		{"unsorted hash", Ints([]int64{5, 1, 3}), Ints([]int64{3, 5, 5}), []bool{true, false, true}},
		{"naive never matches aware", Datetimes([]int64{1, 2}, Naive), Datetimes([]int64{1, 2}, UTC), []bool{false, false}},
		{"int and float labels", Floats([]float64{1, 1.5}), Ints([]int64{1}), []bool{true, false}},
		{"NaN matches NaN", Floats([]float64{math.NaN()}), Objects([]any{nil}), []bool{true}},
	} {
		if got := IsIn(c.c, c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestConcatSeries(t *testing.T) {
	// pd.concat([int64 series, float64 series]) is float64; names differ → unnamed
	a := NewSeries("a", Ints([]int64{1}), Ints([]int64{10}))
	b := NewSeries("b", Ints([]int64{2}), Floats([]float64{2.5}))
	got := ConcatSeries(a, b)
	if got.Values.DType != Float64 || !reflect.DeepEqual(got.Values.F, []float64{10, 2.5}) || got.Name != nil {
		t.Errorf("int+float: %+v", got)
	}
	// a naive and an aware index make an object index of both timestamps
	c := NewSeries("a", Datetimes([]int64{5}, Naive), Floats([]float64{1}))
	d := NewSeries("a", Datetimes([]int64{6}, UTC), Floats([]float64{2}))
	got = ConcatSeries(c, d)
	if got.Index.DType != Object || got.Name != "a" || got.Index.At(1) != (Timestamp{NS: 6, Zone: UTC}) {
		t.Errorf("naive+aware: %+v", got.Index)
	}
	// bools with ints are objects, as in pandas
	got = ConcatSeries(NewSeries(nil, Range(1), Bools([]bool{true})), NewSeries(nil, Range(1), Ints([]int64{2})))
	if got.Values.DType != Object || got.Values.At(0) != true || got.Values.At(1) != int64(2) {
		t.Errorf("bool+int: %+v", got.Values)
	}
}

func TestFactorize(t *testing.T) {
	// unique() order: b, a, NaN; 1.0 and 1 are one value, every missing value one code
	codes, firsts := Objects([]any{"b", "a", nil, "b", math.NaN()}).Factorize()
	if !reflect.DeepEqual(codes, []int{0, 1, 2, 0, 2}) || !reflect.DeepEqual(firsts, []int{0, 1, 2}) {
		t.Errorf("objects: %v %v", codes, firsts)
	}
	codes, firsts = Bools([]bool{true, false, true}).Factorize()
	if !reflect.DeepEqual(codes, []int{0, 1, 0}) || !reflect.DeepEqual(firsts, []int{0, 1}) {
		t.Errorf("bools in order of appearance: %v %v", codes, firsts)
	}
}

func TestExtreme(t *testing.T) {
	nan := math.NaN()
	isNaN := func(v any) bool { f, ok := v.(float64); return ok && f != f }
	for _, c := range []struct {
		name     string
		col      Column
		min, max any // nil: NaN expected
	}{
		{"floats skip NaN", Floats([]float64{nan, 2, -1}), -1.0, 2.0},
		{"all NaN", Floats([]float64{nan}), nil, nil},
		{"ints stay ints", Ints([]int64{3, -2}), int64(-2), int64(3)},
		{"empty ints are NaN", Ints(nil), nil, nil},
		{"bools", Bools([]bool{true, false}), false, true},
		{"datetimes skip NaT", Datetimes([]int64{NaT, 5, 3}, UTC), Timestamp{NS: 3, Zone: UTC}, Timestamp{NS: 5, Zone: UTC}},
		{"all NaT", Datetimes([]int64{NaT}, Naive), Timestamp{NS: NaT}, Timestamp{NS: NaT}},
		{"strings", Objects([]any{"b", "a", "c"}), "a", "c"},
		{"numbers with None (filled with ±inf)", Objects([]any{int64(2), nil, 1.5}), 1.5, int64(2)},
	} {
		lo, err := Extreme(context.Background(), c.col, false)
		hi, err2 := Extreme(context.Background(), c.col, true)
		if err != nil || err2 != nil {
			t.Errorf("%s: %v %v", c.name, err, err2)
			continue
		}
		if (c.min == nil && !isNaN(lo)) || (c.min != nil && lo != c.min) {
			t.Errorf("%s: min %v, want %v", c.name, lo, c.min)
		}
		if (c.max == nil && !isNaN(hi)) || (c.max != nil && hi != c.max) {
			t.Errorf("%s: max %v, want %v", c.name, hi, c.max)
		}
	}
	// pandas fills the missing value with +inf for min: 'b' <= inf raises
	_, err := Extreme(context.Background(), Objects([]any{"b", nil}), false)
	if e, ok := err.(*Error); !ok || e.Type != "TypeError" || e.Message != "'<=' not supported between instances of 'str' and 'float'" {
		t.Errorf("strings with None: %v", err)
	}
}
