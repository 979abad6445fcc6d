package data

import (
	"errors"
	"math"
	"testing"
)

func TestRound(t *testing.T) {
	// Python's round on floats rounds the exact binary value: 2.675 is stored as
	// 2.67499999999999982236431605997495353221893310546875 → 2.67; 0.125 is exact and
	// ties to even → 0.12; 2.5 → 2.0, -0.5 → -0.0; round(1234.5, -1) = 1230.0
	py := []struct {
		x    float64
		d    int
		want float64
	}{
		{2.675, 2, 2.67}, {0.125, 2, 0.12}, {0.375, 2, 0.38}, {2.5, 0, 2}, {-0.5, 0, negZero}, {1.5, 0, 2},
		{1234.5, -1, 1230}, {1235, -1, 1240}, {-0.04, 1, negZero}, {1e300, 2, 1e300},
		{qnan, 2, qnan}, {posInf, 2, posInf}, {0.1 + 0.2, 15, 0.3}, {123.456, -5, 0},
	}
	for _, c := range py {
		got, err := Round(c.x, c.d)
		if err != nil {
			t.Fatal(err)
		}
		g := got.(float64)
		if !(g == c.want || g != g && c.want != c.want) || math.Signbit(g) != math.Signbit(c.want) {
			t.Errorf("round(%v, %d) = %v, want %v", c.x, c.d, g, c.want)
		}
	}
	// ints stay ints, negative decimals round half to even: round(15, -1) = 20,
	// round(25, -1) = 20, round(-15, -1) = -20
	for _, c := range []struct{ x, want int64 }{{15, 20}, {25, 20}, {-15, -20}, {14, 10}, {7, 7}} {
		d := -1
		if c.x == 7 {
			d = 2
		}
		got, _ := Round(c.x, d)
		if got != c.want {
			t.Errorf("round(%d, %d) = %v, want %d", c.x, d, got, c.want)
		}
	}
	// numpy's around for Series: rint(x * 100) / 100, so 2.675 → 2.68 (267.49999999999997
	// is 267.5 after the multiplication's rounding), 0.125 → 0.12 (12.5 ties to even)
	s := NewSeries("x", Range(6), colF(2.675, 0.125, -0.5, 1.5, qnan, 1.005))
	got, err := Round(s, 2)
	if err != nil {
		t.Fatal(err)
	}
	if d := columnDiff(got.(*Series).Values, colF(2.68, 0.12, -0.5, 1.5, qnan, 1.0), 0); d != "" {
		t.Error(d)
	}
	got, _ = Round(NewSeries(nil, Range(3), colF(2.5, -0.5, 1.5)), 0)
	if d := columnDiff(got.(*Series).Values, colF(2, negZero, 2), 0); d != "" {
		t.Error(d)
	}
	got, _ = Round(NewSeries(nil, Range(3), colF(1234.5, 15, 25)), -1)
	if d := columnDiff(got.(*Series).Values, colF(1230, 20, 20), 0); d != "" {
		t.Error(d)
	}
	got, _ = Round(NewSeries(nil, Range(3), colI(15, 25, -15)), -1)
	if d := columnDiff(got.(*Series).Values, colI(20, 20, -20), 0); d != "" {
		t.Error(d)
	}
	_, err = Round(NewSeries(nil, Range(1), colB(true)), 1)
	wantErr(t, err, "UFuncTypeError", "Cannot cast ufunc 'multiply' output from dtype('float64') to dtype('bool') with casting rule 'same_kind'")
	// frames round their numeric columns and leave the rest
	f := NewDataFrame(Range(1), []any{"a", "b", "c"}, []Column{colF(1.25), colO("x"), colB(true)})
	got, err = Round(f, 1)
	if err != nil {
		t.Fatal(err)
	}
	g := got.(*DataFrame)
	if d := columnDiff(g.Columns[0], colF(1.2), 0) + columnDiff(g.Columns[1], colO("x"), 0) + columnDiff(g.Columns[2], colB(true), 0); d != "" {
		t.Error(d)
	}
	// numpy's power_of_ten beyond its table: 1e10 by repeated multiplication
	if p := powerOfTen(10); p != 1e10 {
		t.Errorf("powerOfTen(10) = %v", p)
	}
}

func TestMapFloat(t *testing.T) {
	got, err := MapFloat("sqrt", NewSeries("x", Range(4), colF(4, -1, qnan, 0)), math.Sqrt)
	if err != nil {
		t.Fatal(err)
	}
	// numpy: sqrt(-1) is NaN with a warning, never an error
	if d := columnDiff(got.(*Series).Values, colF(2, qnan, qnan, 0), 0); d != "" || got.(*Series).Name != "x" {
		t.Error(d)
	}
	got, _ = MapFloat("log", NewSeries(nil, Range(3), colI(1, 0, -1)), math.Log)
	if d := columnDiff(got.(*Series).Values, colF(0, math.Inf(-1), qnan), 0); d != "" {
		t.Error(d)
	}
	if got, _ := MapFloat("sqrt", int64(4), math.Sqrt); got != 2.0 {
		t.Errorf("sqrt(4) = %v", got)
	}
	if got, _ := MapFloat("sqrt", []any{int64(4), 9.0}, math.Sqrt); len(got.([]any)) != 2 || got.([]any)[1] != 3.0 {
		t.Errorf("sqrt([4, 9]) = %v", got)
	}
	_, err = MapFloat("sqrt", "a", math.Sqrt)
	wantErr(t, err, "TypeError", "ufunc 'sqrt' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''")
	_, err = MapFloat("sqrt", NewSeries(nil, Range(2), colO(int64(4), nil)), math.Sqrt)
	wantErr(t, err, "TypeError", "loop of ufunc does not support argument 0 of type int which has no callable sqrt method")
	_, err = MapFloat("sqrt", NewDataFrame(Range(1), []any{"a", "b"}, []Column{colI(1), colO("x")}), math.Sqrt)
	wantErr(t, err, "TypeError", "loop of ufunc does not support argument 0 of type str which has no callable sqrt method")
}

func TestAbsNegSign(t *testing.T) {
	s := NewSeries("x", Range(3), colI(-3, 0, 3))
	got, _ := Abs(s)
	if d := columnDiff(got.(*Series).Values, colI(3, 0, 3), 0); d != "" {
		t.Error(d)
	}
	got, _ = Abs(NewSeries(nil, Range(2), colF(-1.5, qnan)))
	if d := columnDiff(got.(*Series).Values, colF(1.5, qnan), 0); d != "" {
		t.Error(d)
	}
	got, _ = Abs(NewSeries(nil, Range(2), colB(true, false)))
	if d := columnDiff(got.(*Series).Values, colB(true, false), 0); d != "" {
		t.Error(d)
	}
	if got, _ := Abs(true); got != int64(1) {
		t.Errorf("abs(True) = %v", got)
	}
	_, err := Abs([]any{int64(-1)})
	wantErr(t, err, "TypeError", "bad operand type for abs(): 'list'")
	_, err = Abs(NewSeries(nil, Range(2), colO(int64(-1), nil)))
	wantErr(t, err, "TypeError", "bad operand type for abs(): 'NoneType'")
	_, err = Abs(NewDataFrame(Range(1), []any{"a", "b"}, []Column{colI(-1), colO("x")}))
	wantErr(t, err, "TypeError", "bad operand type for abs(): 'str'")

	got, _ = Neg(NewSeries(nil, Range(2), colB(true, false)))
	if d := columnDiff(got.(*Series).Values, colB(false, true), 0); d != "" {
		t.Error(d)
	}
	got, _ = Neg(s)
	if d := columnDiff(got.(*Series).Values, colI(3, 0, -3), 0); d != "" {
		t.Error(d)
	}
	if got, _ := Neg(true); got != int64(-1) {
		t.Errorf("-True = %v", got)
	}
	_, err = Neg(NewSeries(nil, Range(1), colO("a")))
	wantErr(t, err, "TypeError", "bad operand type for unary -: 'str'")

	got, _ = Sign(NewSeries(nil, Range(4), colF(qnan, -2, negZero, 3)))
	if d := columnDiff(got.(*Series).Values, colF(qnan, -1, 0, 1), 0); d != "" {
		t.Error(d)
	}
	got, _ = Sign(s)
	if d := columnDiff(got.(*Series).Values, colI(-1, 0, 1), 0); d != "" {
		t.Error(d)
	}
	if got, _ := Sign(int64(-5)); got != (NumpyScalar{Type: "int64", V: int64(-1)}) {
		t.Errorf("sign(-5) = %v", got)
	}
	_, err = Sign(NewSeries(nil, Range(1), colB(true)))
	var e *Error
	if !errors.As(err, &e) || e.Type != "UFuncTypeError" {
		t.Errorf("sign(bool) = %v", err)
	}
}
