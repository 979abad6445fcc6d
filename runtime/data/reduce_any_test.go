package data

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// sameScalar compares reduction results: NaN equals NaN, floats within tol (relative),
// everything else exactly (type included).
func sameScalar(got, want any, tol float64) bool {
	gf, gok := got.(float64)
	wf, wok := want.(float64)
	if gok && wok {
		if gf != gf || wf != wf {
			return gf != gf && wf != wf
		}
		return math.Abs(gf-wf) <= tol*math.Max(1, math.Abs(wf))
	}
	return got == want
}

var nan = math.NaN()

func TestColumnReductions(t *testing.T) {
	ctx := context.Background()
	utc2020 := int64(1577836800e9) // 2020-01-01T00:00:00Z
	day := int64(86400e9)
	tests := []struct {
		name                   string
		col                    Column
		max, min, median, std1 any
		std0                   any // ddof 0
	}{
		// max 1.7, min 0.3; sorted [0.3 1.0 1.7] → median 1.0; mean 1.0, squares
		// 0.49+0+0.49 = 0.98: ddof 1 √0.49 = 0.7 (hetida's documented example), ddof 0 √(0.98/3)
		{"float with NaN", Floats([]float64{1.7, nan, 0.3, 1.0}), 1.7, 0.3, 1.0, 0.7, math.Sqrt(0.98 / 3)},
		// pandas: empty → NaN for every reduction
		{"empty float", Floats(nil), nan, nan, nan, nan, nan},
		{"all NaN", Floats([]float64{nan, nan}), nan, nan, nan, nan, nan},
		// one value: std ddof 1 is NaN (n − ddof = 0), ddof 0 is 0
		{"one value", Floats([]float64{2.938}), 2.938, 2.938, 2.938, nan, 0.0},
		// ints keep their dtype for max/min; median of 1 2 4 is 2.0; std: mean 7/3,
		// squares (16+1+25)/9 = 42/9, /2 → 7/3, √(7/3) = 1.5275252316519465
		{"ints", Ints([]int64{1, 2, 4}), int64(4), int64(1), 2.0, math.Sqrt(7.0 / 3), math.Sqrt(14.0 / 9)},
		{"empty ints", Ints(nil), nan, nan, nan, nan, nan},
		// bools: max is any, min is all; as 0/1: median of 0 1 → 0.5, std √0.5
		{"bools", Bools([]bool{true, false}), true, false, 0.5, math.Sqrt(0.5), 0.5},
		{"empty bools", Bools(nil), nan, nan, nan, nan, nan},
		// the even-count median averages the middle pair: (2+3)/2
		{"even count", Floats([]float64{4, 1, 3, 2}), 4.0, 1.0, 2.5, math.Sqrt(5.0 / 3), math.Sqrt(1.25)},
		// constant: std exactly 0
		{"constant", Floats([]float64{5, 5, 5}), 5.0, 5.0, 5.0, 0.0, 0.0},
		// Object numbers (None skipped): 1, 2.5 → median 1.75, std √((0.75²·2)/1) = 1.0606…
		{"object numbers", Objects([]any{int64(1), 2.5, nil}), 2.5, int64(1), 1.75, 0.75 * math.Sqrt2, 0.75},
		// Object strings without missing values: lexical extremes
		{"object strings", Objects([]any{"b", "c", "a"}), "c", "a", nil, nil, nil},
		{"object all None", Objects([]any{nil, nil}), nan, nan, nan, nan, nan},
		{"empty object", Objects(nil), nan, nan, nan, nan, nan},
		// datetimes: extremes keep the zone, median is the middle instant; std of 0 and 2
		// days: √2 days
		{"datetimes", Datetimes([]int64{utc2020 + 2*day, NaT, utc2020}, UTC),
			Timestamp{NS: utc2020 + 2*day, Zone: UTC}, Timestamp{NS: utc2020, Zone: UTC},
			Timestamp{NS: utc2020 + day, Zone: UTC}, Timedelta{NS: int64(math.Sqrt(2 * float64(day) * float64(day)))}, Timedelta{NS: day}},
		{"all NaT", Datetimes([]int64{NaT}, UTC), Timestamp{NS: NaT, Zone: UTC}, Timestamp{NS: NaT, Zone: UTC},
			Timestamp{NS: NaT, Zone: UTC}, Timedelta{NS: NaT}, Timedelta{NS: NaT}},
		{"timedeltas", TimedeltaCol([]int64{3600e9, 3 * 3600e9, NaT}), Timedelta{NS: 3 * 3600e9}, Timedelta{NS: 3600e9},
			Timedelta{NS: 2 * 3600e9}, Timedelta{NS: int64(math.Sqrt(2 * 3600e9 * 3600e9))}, Timedelta{NS: 3600e9}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			check := func(what string, got any, err error, want any) {
				t.Helper()
				if want == nil {
					if err == nil {
						t.Errorf("%s = %v, want an error", what, got)
					}
					return
				}
				if err != nil {
					t.Errorf("%s: %v", what, err)
					return
				}
				if !sameScalar(got, want, 1e-12) {
					t.Errorf("%s = %#v, want %#v", what, got, want)
				}
			}
			got, err := ColumnMax(ctx, tc.col)
			check("max", got, err, tc.max)
			got, err = ColumnMin(ctx, tc.col)
			check("min", got, err, tc.min)
			got, err = ColumnMedian(ctx, tc.col)
			check("median", got, err, tc.median)
			got, err = ColumnStd(ctx, tc.col, 1)
			check("std ddof=1", got, err, tc.std1)
			got, err = ColumnStd(ctx, tc.col, 0)
			check("std ddof=0", got, err, tc.std0)
		})
	}
}

// Object columns fail as numpy's object reductions do (messages of pandas 1.5.3).
func TestColumnReductionErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		f    func() (any, error)
		typ  string
		msg  string
	}{
		// a missing value is filled with -inf before numpy compares: 'b' >= -inf fails
		{"max strings with None", func() (any, error) { return ColumnMax(ctx, Objects([]any{"a", "b", nil})) },
			"TypeError", "'>=' not supported between instances of 'str' and 'float'"},
		{"min int and str", func() (any, error) { return ColumnMin(ctx, Objects([]any{int64(1), "b"})) },
			"TypeError", "'<=' not supported between instances of 'int' and 'str'"},
		{"max int and dict", func() (any, error) { return ColumnMax(ctx, Objects([]any{int64(1), NewDict(0)})) },
			"TypeError", "'>=' not supported between instances of 'int' and 'dict'"},
		{"median strings", func() (any, error) { return ColumnMedian(ctx, Objects([]any{"a", "b"})) },
			"TypeError", "could not convert string to float: 'a'"},
		{"std dict", func() (any, error) { return ColumnStd(ctx, Objects([]any{int64(1), NewDict(0)}), 1) },
			"TypeError", "float() argument must be a string or a real number, not 'dict'"},
	}
	for _, tc := range tests {
		_, err := tc.f()
		var e *Error
		if !errors.As(err, &e) || e.Type != tc.typ || e.Message != tc.msg {
			t.Errorf("%s: %v, want %s: %s", tc.name, err, tc.typ, tc.msg)
		}
	}
	// numeric strings convert as numpy's astype(float) does (pandas 1.5): 1.5, 2 → 1.75
	if got, err := ColumnMedian(ctx, Objects([]any{"1.5", " 2 "})); err != nil || got != 1.75 {
		t.Errorf("median of numeric strings = %v, %v; want 1.75", got, err)
	}
}

// DataFrame reductions drop the columns that raise TypeError and give the result the
// common dtype of what is left (pandas 1.5's numeric_only=None).
func TestDataFrameReduce(t *testing.T) {
	ctx := context.Background()
	// hetida's documented example: a = 9, -4, None, 1; b = -1, "test", 0, 4 → max {"a": 9}
	f := NewDataFrame(Range(4), []any{"a", "b"}, []Column{
		Floats([]float64{9, -4, nan, 1}),
		Objects([]any{int64(-1), "test", int64(0), int64(4)}),
	})
	s, err := f.Reduce(ctx, false, ColumnMax)
	if err != nil || s.Len() != 1 || s.Index.O[0] != "a" || s.Values.DType != Float64 || s.Values.F[0] != 9 {
		t.Fatalf("max = %+v, %v; want a: 9.0", s, err)
	}
	// std ddof 1 of a = 9, -4, 2 (hetida's second example): mean 7/3, squares
	// (400+361+1)/9 = 762/9, /2 → 42.33…, √ = 6.5064… — pandas gives 6.506407098647712
	f = NewDataFrame(Range(3), []any{"a"}, []Column{Floats([]float64{9, -4, 2})})
	s, _ = f.Reduce(ctx, true, func(ctx context.Context, c Column) (any, error) { return ColumnStd(ctx, c, 1) })
	if math.Abs(s.Values.F[0]-6.506407098647712) > 1e-12 {
		t.Errorf("std = %v, want 6.506407098647712", s.Values.F[0])
	}
	// int and float columns give float64; int with bool gives object; only ints: int64
	mixed := []struct {
		cols []Column
		want DType
	}{
		{[]Column{Ints([]int64{1, 2}), Floats([]float64{1.5, 2.5})}, Float64},
		{[]Column{Ints([]int64{1, 2}), Bools([]bool{true, false})}, Object},
		{[]Column{Ints([]int64{1, 2}), Ints([]int64{3, 4})}, Int64},
		{[]Column{Objects([]any{"x", "y"})}, Object},
	}
	for i, m := range mixed {
		names := []any{"a", "b"}[:len(m.cols)]
		s, err := NewDataFrame(Range(2), names, m.cols).Reduce(ctx, false, ColumnMax)
		if err != nil || s.Values.DType != m.want {
			t.Errorf("case %d: dtype %v (%v), want %v", i, s.Values.DType, err, m.want)
		}
	}
	// no columns: an empty float64 Series; median drops datetime columns
	s, _ = NewDataFrame(Range(2), nil, nil).Reduce(ctx, true, ColumnMedian)
	if s.Len() != 0 || s.Values.DType != Float64 {
		t.Errorf("empty frame: %+v", s)
	}
	s, _ = NewDataFrame(Range(1), []any{"t", "x"}, []Column{Datetimes([]int64{0}, UTC), Floats([]float64{1})}).Reduce(ctx, true, ColumnMedian)
	if s.Len() != 1 || s.Index.O[0] != "x" {
		t.Errorf("median with a datetime column: %+v", s)
	}
}

// NanMedianCtx selects what NanMedian sorts for.
func TestNanMedianCtxAgreesWithSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 200 {
		a := make([]float64, n)
		for i := range a {
			switch rng.IntN(5) {
			case 0:
				a[i] = nan
			case 1:
				a[i] = float64(rng.IntN(3)) // ties
			default:
				a[i] = rng.NormFloat64()
			}
		}
		got, err := NanMedianCtx(context.Background(), a)
		want := NanMedian(a)
		if err != nil || !sameScalar(got, want, 0) {
			t.Fatalf("n=%d: %v (%v), want %v", n, got, err, want)
		}
	}
}

func TestColumnReductionsCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c := Floats(make([]float64, 100))
	for name, f := range map[string]func() (any, error){
		"max":    func() (any, error) { return ColumnMax(ctx, c) },
		"median": func() (any, error) { return ColumnMedian(ctx, c) },
		"std":    func() (any, error) { return ColumnStd(ctx, c, 1) },
	} {
		if _, err := f(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v, want context.Canceled", name, err)
		}
	}
}

func TestPyOrdered(t *testing.T) {
	tests := []struct {
		op   string
		a, b any
		want bool
		err  bool
	}{
		{">=", int64(3), 2.5, true, false},
		{"<=", true, int64(1), true, false}, // True == 1
		{">=", "b", "a", true, false},
		{">=", "a", "ab", false, false},
		{"<", nan, 1.0, false, false},
		{">=", "a", 1.0, false, true},
		{"<=", Timestamp{NS: 1, Zone: UTC}, Timestamp{NS: 2, Zone: UTC}, true, false},
		{"<=", Timestamp{NS: 1, Zone: UTC}, Timestamp{NS: 2}, false, true}, // aware vs naive
	}
	for _, tc := range tests {
		got, err := PyOrdered(tc.op, tc.a, tc.b)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("%v %s %v = %v, %v", tc.a, tc.op, tc.b, got, err)
		}
	}
}
