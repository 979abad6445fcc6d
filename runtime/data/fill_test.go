package data

import (
	"context"
	"math"
	"slices"
	"testing"
)

func TestFfillBfillLimits(t *testing.T) {
	nan := math.NaN()
	in := Floats([]float64{nan, 1, nan, nan, nan, 2, nan})
	cases := []struct {
		name string
		got  Column
		want []float64
	}{
		// the leading NaN has no value before it
		{"ffill", in.Ffill(0), []float64{nan, 1, 1, 1, 1, 2, 2}},
		// at most two NaNs after each valid value: the third of the run stays
		{"ffill limit 2", in.Ffill(2), []float64{nan, 1, 1, 1, nan, 2, 2}},
		// the trailing NaN has no value after it
		{"bfill", in.Bfill(0), []float64{1, 1, 2, 2, 2, 2, nan}},
		// one NaN before each valid value
		{"bfill limit 1", in.Bfill(1), []float64{1, 1, nan, nan, 2, 2, nan}},
	}
	for _, c := range cases {
		if c.got.DType != Float64 || !floatsNear(c.got.F, c.want, 0) {
			t.Errorf("%s = %v; want %v", c.name, c.got.F, c.want)
		}
	}
	if in.F[2] == in.F[2] {
		t.Fatal("the input column was modified")
	}
	// datetimes fill NaT, objects are converted afterwards (pandas' downcasting)
	dt := Datetimes([]int64{5, NaT}, UTC).Ffill(0)
	if !slices.Equal(dt.I, []int64{5, 5}) || dt.Zone != UTC {
		t.Errorf("datetime ffill = %+v", dt)
	}
	if o := Objects([]any{nil, int64(1), nil}).Ffill(0); o.DType != Float64 || !floatsNear(o.F, []float64{nan, 1, 1}, 0) {
		t.Errorf("object ffill = %+v; want float64 [nan 1 1]", o)
	}
	if o := Objects([]any{int64(1), nil}).Ffill(0); o.DType != Int64 {
		t.Errorf("object ffill = %+v; want int64", o)
	}
}

func TestValidateLimit(t *testing.T) {
	for _, c := range []struct {
		in   any
		want int
		err  string
	}{
		{nil, 0, ""},
		{int64(3), 3, ""},
		{int64(0), 0, "ValueError: Limit must be greater than 0"},
		{1.5, 0, "ValueError: Limit must be an integer"},
		{true, 0, "ValueError: Limit must be an integer"},
	} {
		got, err := ValidateLimit(c.in)
		if got != c.want || (err == nil) != (c.err == "") || err != nil && err.Error() != c.err {
			t.Errorf("ValidateLimit(%v) = %v, %v; want %v, %q", c.in, got, err, c.want, c.err)
		}
	}
}

func TestFillna(t *testing.T) {
	nan := math.NaN()
	f := Floats([]float64{1, nan})
	if got, _ := f.Fillna(int64(0)); got.DType != Float64 || !floatsNear(got.F, []float64{1, 0}, 0) {
		t.Errorf("fillna(0) = %+v", got)
	}
	// pandas: a float column filled with a string or a bool becomes object
	if got, _ := f.Fillna("x"); got.DType != Object || got.O[0] != 1.0 || got.O[1] != "x" {
		t.Errorf("fillna('x') = %+v", got)
	}
	if got, _ := f.Fillna(true); got.DType != Object {
		t.Errorf("fillna(True) = %+v; want object", got)
	}
	if got, _ := f.Fillna(nan); !floatsNear(got.F, f.F, 0) {
		t.Errorf("fillna(nan) = %+v", got)
	}
	if _, err := f.Fillna(nil); err == nil || err.Error() != "ValueError: Must specify a fill 'value' or 'method'." {
		t.Errorf("fillna(None): %v", err)
	}
	if _, err := f.Fillna([]any{1.0}); err == nil || err.Error() != "TypeError: \"value\" parameter must be a scalar or dict, but you passed a \"list\"" {
		t.Errorf("fillna([1]): %v", err)
	}
	// object [1, None].fillna(0) is int64 in pandas (downcast after the fill)
	if got, _ := Objects([]any{int64(1), nil}).Fillna(int64(0)); got.DType != Int64 || !slices.Equal(got.I, []int64{1, 0}) {
		t.Errorf("object fillna = %+v", got)
	}
	// an aware column takes an aware timestamp as its instant; a naive one makes object
	dt := Datetimes([]int64{1, NaT}, UTC)
	if got, _ := dt.Fillna(Timestamp{NS: 7, Zone: Zone{Aware: true, Offset: 3600}}); got.DType != Datetime || got.I[1] != 7 || got.Zone != UTC {
		t.Errorf("aware fillna = %+v", got)
	}
	if got, _ := dt.Fillna(Timestamp{NS: 7}); got.DType != Object {
		t.Errorf("naive into aware fillna = %+v; want object", got)
	}
	if got, _ := Ints([]int64{1}).Fillna(2.5); got.DType != Int64 {
		t.Errorf("int fillna changed the dtype: %+v", got)
	}
	// frames fill every column
	fr := NewDataFrame(Range(2), []any{"a", "b"}, []Column{f, Ints([]int64{1, 2})})
	got, err := fr.Fillna(9.0)
	if err != nil || !floatsNear(got.Columns[0].F, []float64{1, 9}, 0) || got.Columns[1].DType != Int64 {
		t.Errorf("frame fillna = %+v, %v", got, err)
	}
}

// pandas: DataFrame({"a": [1, nan, nan], "b": [1, 2, nan]}).dropna() keeps row 0,
// how="all" rows 0 and 1, subset=["b"] rows 0 and 1.
func TestDropna(t *testing.T) {
	nan := math.NaN()
	fr := NewDataFrame(Ints([]int64{10, 11, 12}), []any{"a", "b"},
		[]Column{Floats([]float64{1, nan, nan}), Floats([]float64{1, 2, nan})})
	index := func(f *DataFrame) []int64 { return f.Index.I }
	cases := []struct {
		name   string
		how    string
		subset []any
		want   []int64
	}{
		{"any", "", nil, []int64{10}},
		{"all", "all", nil, []int64{10, 11}},
		{"subset b", "any", []any{"b"}, []int64{10, 11}},
		// no column considered: every row has "all" of nothing missing → dropped
		{"empty subset all", "all", []any{}, nil},
		{"empty subset any", "any", []any{}, []int64{10, 11, 12}},
	}
	for _, c := range cases {
		got, err := fr.Dropna(context.Background(), c.how, c.subset)
		if err != nil || !slices.Equal(index(got), c.want) {
			t.Errorf("%s: rows %v, %v; want %v", c.name, index(got), err, c.want)
		}
	}
	if _, err := fr.Dropna(context.Background(), "any", []any{"b", "x", "y"}); err == nil || err.Error() != "KeyError: ['x', 'y']" {
		t.Errorf("missing subset: %v", err)
	}
	if _, err := fr.Dropna(context.Background(), "some", nil); err == nil || err.Error() != "ValueError: invalid how option: some" {
		t.Errorf("bad how: %v", err)
	}
	s, _ := NewSeries("v", Ints([]int64{5, 6, 7}), Floats([]float64{nan, 1, nan})).Dropna(context.Background())
	if !slices.Equal(s.Index.I, []int64{6}) {
		t.Errorf("series dropna index = %v", s.Index.I)
	}
}

// DropnaLend gives Dropna's series, also from a buffer used before (lent, handed back,
// lent again); a series without NaN is returned as it is, other dtypes go through
// Dropna.
func TestDropnaLend(t *testing.T) {
	ctx := context.Background()
	nan := math.NaN()
	for round, vals := range [][]float64{
		{nan, 1, 2, nan, 3},
		{4, nan, nan, 5, 6, nan, 7, 8}, // longer: a new buffer
		{9, nan, 10},                   // shorter: the longer one reused
		{11, 12},
	} {
		idx := make([]int64, len(vals))
		for i := range idx {
			idx[i] = int64(100*round + i)
		}
		s := NewSeries("v", Datetimes(idx, Zone{}), Floats(vals))
		want, _ := s.Dropna(ctx)
		got, done, err := s.DropnaLend(ctx)
		if err != nil || !slices.Equal(got.Index.I, want.Index.I) || !slices.Equal(got.Values.F, want.Values.F) || got.Name != "v" {
			t.Fatalf("round %d: %v %v, %v; want %v %v", round, got.Index.I, got.Values.F, err, want.Index.I, want.Values.F)
		}
		if round == 3 && got != s {
			t.Errorf("without NaN: a new series")
		}
		done()
	}
	ints := NewSeries(nil, Range(2), Ints([]int64{1, 2}))
	if got, done, err := ints.DropnaLend(ctx); err != nil || got != ints {
		t.Errorf("integers: %v, %v", got, err)
	} else {
		done()
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := NewSeries(nil, Range(3), Floats([]float64{nan, 1, 2})).DropnaLend(cctx); err == nil {
		t.Error("cancelled: no error")
	}
}

// pandas: Series([1, 2, 1, nan, nan, 2], index=[5, 4, 3, 2, 1, 0]).drop_duplicates(keep=…)
// keeps labels [5, 4, 2] (first), [3, 1, 0] (last), [] (False): NaN equals NaN, the
// index is never compared.
func TestDropDuplicates(t *testing.T) {
	ctx := context.Background()
	nan := math.NaN()
	s := NewSeries(nil, Ints([]int64{5, 4, 3, 2, 1, 0}), Floats([]float64{1, 2, 1, nan, nan, 2}))
	for keep, want := range map[Keep][]int64{KeepFirst: {5, 4, 2}, KeepLast: {3, 1, 0}, KeepNone: {}} {
		if got, err := s.DropDuplicates(ctx, keep); err != nil || !slices.Equal(got.Index.I, want) {
			t.Errorf("keep=%v: labels %v; want %v", keep, got.Index.I, want)
		}
	}
	// rows (1,'a') twice and (1,'b') once: the first and last keep one (1,'a')
	fr := NewDataFrame(Range(3), []any{"x", "y"}, []Column{
		Floats([]float64{1, 1, 1}), Objects([]any{"a", "b", "a"})})
	got, err := fr.DropDuplicates(ctx, nil, KeepFirst)
	if err != nil || !slices.Equal(got.Index.I, []int64{0, 1}) {
		t.Errorf("frame keep first: %v, %v", got.Index.I, err)
	}
	got, _ = fr.DropDuplicates(ctx, []any{"x"}, KeepLast)
	if !slices.Equal(got.Index.I, []int64{2}) {
		t.Errorf("subset x keep last: %v", got.Index.I)
	}
	if _, err := fr.DropDuplicates(ctx, []any{"z"}, KeepFirst); err == nil || err.Error() != "KeyError: Index(['z'], dtype='object')" {
		t.Errorf("missing subset: %v", err)
	}
	if _, err := ParseKeep("middle"); err == nil || err.Error() != `ValueError: keep must be either "first", "last" or False` {
		t.Errorf("ParseKeep: %v", err)
	}
	if k, err := ParseKeep(false); err != nil || k != KeepNone {
		t.Errorf("ParseKeep(false) = %v, %v", k, err)
	}
}

// pandas: Series([1, 2, 3]).shift(1) is [nan, 1.0, 2.0] (float64); a bool series becomes
// object [nan, True]; shift(0) keeps int64.
func TestShift(t *testing.T) {
	s := NewSeries("v", Range(3), Ints([]int64{1, 2, 3}))
	if got := s.Shift(1).Values; got.DType != Float64 || !floatsNear(got.F, []float64{math.NaN(), 1, 2}, 0) {
		t.Errorf("shift(1) = %+v", got)
	}
	if got := s.Shift(-2).Values; !floatsNear(got.F, []float64{3, math.NaN(), math.NaN()}, 0) {
		t.Errorf("shift(-2) = %+v", got)
	}
	if got := s.Shift(5).Values; !floatsNear(got.F, []float64{math.NaN(), math.NaN(), math.NaN()}, 0) {
		t.Errorf("shift(5) = %+v", got)
	}
	if got := s.Shift(0).Values; got.DType != Int64 {
		t.Errorf("shift(0) = %+v", got)
	}
	if got := Bools([]bool{true, false}).Shift(1); got.DType != Object || got.O[0] != nil || got.O[1] != true {
		t.Errorf("bool shift = %+v", got)
	}
	if got := Datetimes([]int64{1, 2}, UTC).Shift(1); !slices.Equal(got.I, []int64{NaT, 1}) {
		t.Errorf("datetime shift = %+v", got)
	}
}
