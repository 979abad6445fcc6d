package data

import (
	"math"
	"slices"
	"testing"
)

// floatsNear compares element-wise within a relative tolerance, NaN equal to NaN.
func floatsNear(got, want []float64, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if !near(got[i], want[i], tol) {
			return false
		}
	}
	return true
}

// pandas: Series([1, nan, 2, -1, nan, 4]).cumsum() etc. The NaN stays at its position
// and the running value continues past it.
func TestCumulativeFloat(t *testing.T) {
	nan := math.NaN()
	in := Floats([]float64{1, nan, 2, -1, nan, 4})
	cases := []struct {
		name string
		fn   func(Column) (Column, error)
		want []float64
	}{
		{"cumsum", CumSum, []float64{1, nan, 3, 2, nan, 6}},
		{"cumprod", CumProd, []float64{1, nan, 2, -2, nan, -8}},
		{"cummax", CumMax, []float64{1, nan, 2, 2, nan, 4}},
		{"cummin", CumMin, []float64{1, nan, 1, -1, nan, -1}},
	}
	for _, c := range cases {
		got, err := c.fn(in)
		if err != nil || got.DType != Float64 || !floatsNear(got.F, c.want, 0) {
			t.Errorf("%s = %v, %v; want %v", c.name, got.F, err, c.want)
		}
	}
	// a leading NaN: the running value starts at the first valid one
	got, _ := CumSum(Floats([]float64{nan, 2, 3}))
	if !floatsNear(got.F, []float64{nan, 2, 5}, 0) {
		t.Errorf("cumsum with leading NaN = %v", got.F)
	}
}

// dtypes as pandas: int stays int; bool sums and products become int64, max/min stay bool.
func TestCumulativeDtypes(t *testing.T) {
	ints := Ints([]int64{3, 1, 2})
	if got, _ := CumSum(ints); got.DType != Int64 || !slices.Equal(got.I, []int64{3, 4, 6}) {
		t.Errorf("int cumsum = %+v", got)
	}
	if got, _ := CumMin(ints); got.DType != Int64 || !slices.Equal(got.I, []int64{3, 1, 1}) {
		t.Errorf("int cummin = %+v", got)
	}
	bools := Bools([]bool{true, false, true})
	if got, _ := CumSum(bools); got.DType != Int64 || !slices.Equal(got.I, []int64{1, 1, 2}) {
		t.Errorf("bool cumsum = %+v", got)
	}
	if got, _ := CumProd(bools); got.DType != Int64 || !slices.Equal(got.I, []int64{1, 0, 0}) {
		t.Errorf("bool cumprod = %+v", got)
	}
	if got, _ := CumMax(bools); got.DType != Bool || !slices.Equal(got.B, []bool{true, true, true}) {
		t.Errorf("bool cummax = %+v", got)
	}
	if got, _ := CumMin(bools); got.DType != Bool || !slices.Equal(got.B, []bool{true, false, false}) {
		t.Errorf("bool cummin = %+v", got)
	}
	// datetimes: max/min skip NaT
	dt := Datetimes([]int64{20, NaT, 10}, UTC)
	if got, _ := CumMax(dt); got.DType != Datetime || !slices.Equal(got.I, []int64{20, NaT, 20}) || got.Zone != UTC {
		t.Errorf("datetime cummax = %+v", got)
	}
	// Cumulative sum of an all-null series (NaT datetimes, as pandas reads it) failed with
	// pandas 2's TypeError; pandas 1.5.3 (hetida's reference) sums and multiplies the
	// nanoseconds: Series(to_datetime(['2020-01-01', '2020-01-02', None])).cumsum() is
	// [2020-01-01, 2070-01-01, NaT], and all NaT stays all NaT. Found by
	// tools/difffuzz.py (Cumulative sum wrapper).
	if got, err := CumSum(dt); err != nil || got.DType != Datetime || !slices.Equal(got.I, []int64{20, NaT, 30}) || got.Zone != UTC {
		t.Errorf("datetime cumsum = %+v, %v", got, err)
	}
	if got, err := CumProd(dt); err != nil || !slices.Equal(got.I, []int64{20, NaT, 200}) {
		t.Errorf("datetime cumprod = %+v, %v", got, err)
	}
	if got, err := CumSum(Datetimes([]int64{NaT, NaT}, Naive)); err != nil || !slices.Equal(got.I, []int64{NaT, NaT}) {
		t.Errorf("all-NaT cumsum = %+v, %v", got, err)
	}
	td := TimedeltaCol([]int64{1e9, NaT, 2e9})
	if got, _ := CumSum(td); !slices.Equal(got.I, []int64{1e9, NaT, 3e9}) {
		t.Errorf("timedelta cumsum = %+v", got)
	}
	if _, err := CumProd(td); err == nil {
		t.Error("timedelta cumprod: want TypeError")
	}
	// strings concatenate (pandas 1.5 and 2.1 run numpy's object cumsum: 'a', 'ab',
	// 'abc'); a missing value is replaced by 0.0 first, so 'a' + 0.0 fails as in Python
	if got, err := CumSum(Objects([]any{"a", "b", "c"})); err != nil || !slices.Equal(got.O, []any{"a", "ab", "abc"}) {
		t.Errorf("string cumsum = %+v, %v", got, err)
	}
	_, err := CumSum(Objects([]any{"a", nil, "c"}))
	wantErr(t, err, "TypeError", `can only concatenate str (not "float") to str`)
	if got, _ := CumSum(Objects([]any{int64(1), nil, 2.5})); !floatsNear(got.F, []float64{1, math.NaN(), 3.5}, 0) {
		t.Errorf("numeric object cumsum = %+v", got)
	}
	for _, fn := range []func(Column) (Column, error){CumSum, CumProd, CumMax, CumMin} {
		if got, err := fn(Floats(nil)); err != nil || got.Len() != 0 {
			t.Errorf("empty: %+v, %v", got, err)
		}
	}
}
