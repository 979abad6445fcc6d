package data

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"
)

var (
	posInf  = math.Inf(1)
	negZero = math.Copysign(0, -1) // Go constants have no negative zero
)

// TestArithPromotionTable runs every numeric operator over int64, float64 and bool
// Series and Python scalars. The expectations are pandas 1.5.3's results (which pandas
// 2.1 shares for these dtypes), worked out per row: for the Series operands
// i = [3, -7, 0], f = [2.5, -1.5, 0.0], b = [True, False, True] and the scalars I = 2,
// F = 2.0, B = True, Z = 0, ZF = 0.0, N = -2; the row "/", "i", "i" is
// pd.Series([3, -7, 0]) / pd.Series([3, -7, 0]) = [1.0, 1.0, NaN].
func TestArithPromotionTable(t *testing.T) {
	series := map[string]Column{
		"i": colI(3, -7, 0),
		"f": colF(2.5, -1.5, 0),
		"b": Bools([]bool{true, false, true}),
	}
	scalars := map[string]any{"I": int64(2), "F": 2.0, "B": true, "Z": int64(0), "ZF": 0.0, "N": int64(-2)}
	cases := []struct {
		op, left, right string
		want            Column
		err             string // "Type: message"
	}{
		// +: kinds promote bool < int < float; bool + bool is numpy's logical or (bool);
		// int + True is int
		{"+", "i", "i", colI(6, -14, 0), ""},
		{"+", "i", "f", colF(5.5, -8.5, 0.0), ""},
		{"+", "i", "b", colI(4, -7, 1), ""},
		{"+", "i", "I", colI(5, -5, 2), ""},
		{"+", "i", "F", colF(5.0, -5.0, 2.0), ""},
		{"+", "i", "B", colI(4, -6, 1), ""},
		{"+", "i", "Z", colI(3, -7, 0), ""},
		{"+", "i", "ZF", colF(3.0, -7.0, 0.0), ""},
		{"+", "i", "N", colI(1, -9, -2), ""},
		{"+", "f", "i", colF(5.5, -8.5, 0.0), ""},
		{"+", "f", "f", colF(5.0, -3.0, 0.0), ""},
		{"+", "f", "b", colF(3.5, -1.5, 1.0), ""},
		{"+", "f", "I", colF(4.5, 0.5, 2.0), ""},
		{"+", "f", "F", colF(4.5, 0.5, 2.0), ""},
		{"+", "f", "B", colF(3.5, -0.5, 1.0), ""},
		{"+", "f", "Z", colF(2.5, -1.5, 0.0), ""},
		{"+", "f", "ZF", colF(2.5, -1.5, 0.0), ""},
		{"+", "f", "N", colF(0.5, -3.5, -2.0), ""},
		{"+", "b", "i", colI(4, -7, 1), ""},
		{"+", "b", "f", colF(3.5, -1.5, 1.0), ""},
		{"+", "b", "b", Bools([]bool{true, false, true}), ""},
		{"+", "b", "I", colI(3, 2, 3), ""},
		{"+", "b", "F", colF(3.0, 2.0, 3.0), ""},
		{"+", "b", "B", Bools([]bool{true, true, true}), ""},
		{"+", "b", "Z", colI(1, 0, 1), ""},
		{"+", "b", "ZF", colF(1.0, 0.0, 1.0), ""},
		{"+", "b", "N", colI(-1, -2, -1), ""},
		// -: as +, but numpy has no bool - bool (TypeError, also against a bool scalar)
		{"-", "i", "i", colI(0, 0, 0), ""},
		{"-", "i", "f", colF(0.5, -5.5, 0.0), ""},
		{"-", "i", "b", colI(2, -7, -1), ""},
		{"-", "i", "I", colI(1, -9, -2), ""},
		{"-", "i", "F", colF(1.0, -9.0, -2.0), ""},
		{"-", "i", "B", colI(2, -8, -1), ""},
		{"-", "i", "Z", colI(3, -7, 0), ""},
		{"-", "i", "ZF", colF(3.0, -7.0, 0.0), ""},
		{"-", "i", "N", colI(5, -5, 2), ""},
		{"-", "f", "i", colF(-0.5, 5.5, 0.0), ""},
		{"-", "f", "f", colF(0.0, 0.0, 0.0), ""},
		{"-", "f", "b", colF(1.5, -1.5, -1.0), ""},
		{"-", "f", "I", colF(0.5, -3.5, -2.0), ""},
		{"-", "f", "F", colF(0.5, -3.5, -2.0), ""},
		{"-", "f", "B", colF(1.5, -2.5, -1.0), ""},
		{"-", "f", "Z", colF(2.5, -1.5, 0.0), ""},
		{"-", "f", "ZF", colF(2.5, -1.5, 0.0), ""},
		{"-", "f", "N", colF(4.5, 0.5, 2.0), ""},
		{"-", "b", "i", colI(-2, 7, 1), ""},
		{"-", "b", "f", colF(-1.5, 1.5, 1.0), ""},
		{"-", "b", "b", Column{}, "TypeError: numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead."},
		{"-", "b", "I", colI(-1, -2, -1), ""},
		{"-", "b", "F", colF(-1.0, -2.0, -1.0), ""},
		{"-", "b", "B", Column{}, "TypeError: numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead."},
		{"-", "b", "Z", colI(1, 0, 1), ""},
		{"-", "b", "ZF", colF(1.0, 0.0, 1.0), ""},
		{"-", "b", "N", colI(3, 2, 3), ""},
		// *: bool * bool is logical and (bool); 2.5 * False keeps the sign (-0.0 for -1.5*0)
		{"*", "i", "i", colI(9, 49, 0), ""},
		{"*", "i", "f", colF(7.5, 10.5, 0.0), ""},
		{"*", "i", "b", colI(3, 0, 0), ""},
		{"*", "i", "I", colI(6, -14, 0), ""},
		{"*", "i", "F", colF(6.0, -14.0, 0.0), ""},
		{"*", "i", "B", colI(3, -7, 0), ""},
		{"*", "i", "Z", colI(0, 0, 0), ""},
		{"*", "i", "ZF", colF(0.0, negZero, 0.0), ""},
		{"*", "i", "N", colI(-6, 14, 0), ""},
		{"*", "f", "i", colF(7.5, 10.5, 0.0), ""},
		{"*", "f", "f", colF(6.25, 2.25, 0.0), ""},
		{"*", "f", "b", colF(2.5, negZero, 0.0), ""},
		{"*", "f", "I", colF(5.0, -3.0, 0.0), ""},
		{"*", "f", "F", colF(5.0, -3.0, 0.0), ""},
		{"*", "f", "B", colF(2.5, -1.5, 0.0), ""},
		{"*", "f", "Z", colF(0.0, negZero, 0.0), ""},
		{"*", "f", "ZF", colF(0.0, negZero, 0.0), ""},
		{"*", "f", "N", colF(-5.0, 3.0, negZero), ""},
		{"*", "b", "i", colI(3, 0, 0), ""},
		{"*", "b", "f", colF(2.5, negZero, 0.0), ""},
		{"*", "b", "b", Bools([]bool{true, false, true}), ""},
		{"*", "b", "I", colI(2, 0, 2), ""},
		{"*", "b", "F", colF(2.0, 0.0, 2.0), ""},
		{"*", "b", "B", Bools([]bool{true, false, true}), ""},
		{"*", "b", "Z", colI(0, 0, 0), ""},
		{"*", "b", "ZF", colF(0.0, 0.0, 0.0), ""},
		{"*", "b", "N", colI(-2, 0, -2), ""},
		// /: always float64; x/0 is ±inf, 0/0 NaN (IEEE, no error for pandas objects);
		// pandas refuses bool / bool (NotImplementedError)
		{"/", "i", "i", colF(1.0, 1.0, qnan), ""},
		{"/", "i", "f", colF(1.2, 4.666666666666667, qnan), ""},
		{"/", "i", "b", colF(3.0, -posInf, 0.0), ""},
		{"/", "i", "I", colF(1.5, -3.5, 0.0), ""},
		{"/", "i", "F", colF(1.5, -3.5, 0.0), ""},
		{"/", "i", "B", colF(3.0, -7.0, 0.0), ""},
		{"/", "i", "Z", colF(posInf, -posInf, qnan), ""},
		{"/", "i", "ZF", colF(posInf, -posInf, qnan), ""},
		{"/", "i", "N", colF(-1.5, 3.5, negZero), ""},
		{"/", "f", "i", colF(0.8333333333333334, 0.21428571428571427, qnan), ""},
		{"/", "f", "f", colF(1.0, 1.0, qnan), ""},
		{"/", "f", "b", colF(2.5, -posInf, 0.0), ""},
		{"/", "f", "I", colF(1.25, -0.75, 0.0), ""},
		{"/", "f", "F", colF(1.25, -0.75, 0.0), ""},
		{"/", "f", "B", colF(2.5, -1.5, 0.0), ""},
		{"/", "f", "Z", colF(posInf, -posInf, qnan), ""},
		{"/", "f", "ZF", colF(posInf, -posInf, qnan), ""},
		{"/", "f", "N", colF(-1.25, 0.75, negZero), ""},
		{"/", "b", "i", colF(0.3333333333333333, negZero, posInf), ""},
		{"/", "b", "f", colF(0.4, negZero, posInf), ""},
		{"/", "b", "b", Column{}, "NotImplementedError: operator 'truediv' not implemented for bool dtypes"},
		{"/", "b", "I", colF(0.5, 0.0, 0.5), ""},
		{"/", "b", "F", colF(0.5, 0.0, 0.5), ""},
		{"/", "b", "B", Column{}, "NotImplementedError: operator 'truediv' not implemented for bool dtypes"},
		{"/", "b", "Z", colF(posInf, qnan, posInf), ""},
		{"/", "b", "ZF", colF(posInf, qnan, posInf), ""},
		{"/", "b", "N", colF(-0.5, negZero, -0.5), ""},
		// //: ints stay int64 unless a divisor is 0: then the whole result is float64 with
		// +inf / -inf / NaN for positive / negative / zero dividends (pandas'
		// mask_zero_div_zero, also for a False divisor); floats floor like Python
		// (-7 // 2.0 = -4.0 is covered by -7//-1.5 = 4.0 and 2.5//-2 = -2.0)
		{"//", "i", "i", colF(1.0, 1.0, qnan), ""},
		{"//", "i", "f", colF(1.0, 4.0, qnan), ""},
		{"//", "i", "b", colF(3.0, -posInf, 0.0), ""},
		{"//", "i", "I", colI(1, -4, 0), ""},
		{"//", "i", "F", colF(1.0, -4.0, 0.0), ""},
		{"//", "i", "B", colI(3, -7, 0), ""},
		{"//", "i", "Z", colF(posInf, -posInf, qnan), ""},
		{"//", "i", "ZF", colF(posInf, -posInf, qnan), ""},
		{"//", "i", "N", colI(-2, 3, 0), ""},
		{"//", "f", "i", colF(0.0, 0.0, qnan), ""},
		{"//", "f", "f", colF(1.0, 1.0, qnan), ""},
		{"//", "f", "b", colF(2.0, -posInf, 0.0), ""},
		{"//", "f", "I", colF(1.0, -1.0, 0.0), ""},
		{"//", "f", "F", colF(1.0, -1.0, 0.0), ""},
		{"//", "f", "B", colF(2.0, -2.0, 0.0), ""},
		{"//", "f", "Z", colF(posInf, -posInf, qnan), ""},
		{"//", "f", "ZF", colF(posInf, -posInf, qnan), ""},
		{"//", "f", "N", colF(-2.0, 0.0, negZero), ""},
		{"//", "b", "i", colF(0.0, 0.0, posInf), ""},
		{"//", "b", "f", colF(0.0, negZero, posInf), ""},
		{"//", "b", "b", Column{}, "NotImplementedError: operator 'floordiv' not implemented for bool dtypes"},
		{"//", "b", "I", colI(0, 0, 0), ""},
		{"//", "b", "F", colF(0.0, 0.0, 0.0), ""},
		{"//", "b", "B", Column{}, "NotImplementedError: operator 'floordiv' not implemented for bool dtypes"},
		{"//", "b", "Z", colF(posInf, qnan, posInf), ""},
		{"//", "b", "ZF", colF(posInf, qnan, posInf), ""},
		{"//", "b", "N", colI(-1, 0, -1), ""},
		// %: the result takes the divisor's sign (Python's rule: -7 % 2 = 1, 2.5 % -2 = -1.5);
		// an integer zero divisor makes the result float64 with NaN there (_fill_zeros), a
		// bool False divisor gives 0 (numpy, no fill); float % 0 is NaN; bool % bool is
		// numpy's int8, int64 here
		{"%", "i", "i", colF(0.0, 0.0, qnan), ""},
		{"%", "i", "f", colF(0.5, -1.0, qnan), ""},
		{"%", "i", "b", colI(0, 0, 0), ""},
		{"%", "i", "I", colI(1, 1, 0), ""},
		{"%", "i", "F", colF(1.0, 1.0, 0.0), ""},
		{"%", "i", "B", colI(0, 0, 0), ""},
		{"%", "i", "Z", colF(qnan, qnan, qnan), ""},
		{"%", "i", "ZF", colF(qnan, qnan, qnan), ""},
		{"%", "i", "N", colI(-1, -1, 0), ""},
		{"%", "f", "i", colF(2.5, -1.5, qnan), ""},
		{"%", "f", "f", colF(0.0, negZero, qnan), ""},
		{"%", "f", "b", colF(0.5, qnan, 0.0), ""},
		{"%", "f", "I", colF(0.5, 0.5, 0.0), ""},
		{"%", "f", "F", colF(0.5, 0.5, 0.0), ""},
		{"%", "f", "B", colF(0.5, 0.5, 0.0), ""},
		{"%", "f", "Z", colF(qnan, qnan, qnan), ""},
		{"%", "f", "ZF", colF(qnan, qnan, qnan), ""},
		{"%", "f", "N", colF(-1.5, -1.5, negZero), ""},
		{"%", "b", "i", colF(1.0, 0.0, qnan), ""},
		{"%", "b", "f", colF(1.0, negZero, qnan), ""},
		{"%", "b", "b", colI(0, 0, 0), ""}, // numpy: int8
		{"%", "b", "I", colI(1, 0, 1), ""},
		{"%", "b", "F", colF(1.0, 0.0, 1.0), ""},
		{"%", "b", "B", colI(0, 0, 0), ""}, // numpy: int8
		{"%", "b", "Z", colF(qnan, qnan, qnan), ""},
		{"%", "b", "ZF", colF(qnan, qnan, qnan), ""},
		{"%", "b", "N", colI(-1, 0, -1), ""},
		// **: any negative integer exponent raises ValueError; int ** int wraps like numpy;
		// bool ** int is numpy's int8 (int64 here) and bool ** 2.0 squares to int8 (numpy's
		// fast scalar power); 0 ** 0 = 1; (-1.5) ** 2.5 is NaN
		{"**", "i", "i", Column{}, "ValueError: Integers to negative integer powers are not allowed."},
		{"**", "i", "f", colF(15.588457268119896, qnan, 1.0), ""},
		{"**", "i", "b", colI(3, 1, 0), ""},
		{"**", "i", "I", colI(9, 49, 0), ""},
		{"**", "i", "F", colF(9.0, 49.0, 0.0), ""},
		{"**", "i", "B", colI(3, -7, 0), ""},
		{"**", "i", "Z", colI(1, 1, 1), ""},
		{"**", "i", "ZF", colF(1.0, 1.0, 1.0), ""},
		{"**", "i", "N", Column{}, "ValueError: Integers to negative integer powers are not allowed."},
		{"**", "f", "i", colF(15.625, -0.05852766346593507, 1.0), ""},
		{"**", "f", "f", colF(9.882117688026186, qnan, 1.0), ""},
		{"**", "f", "b", colF(2.5, 1.0, 0.0), ""},
		{"**", "f", "I", colF(6.25, 2.25, 0.0), ""},
		{"**", "f", "F", colF(6.25, 2.25, 0.0), ""},
		{"**", "f", "B", colF(2.5, -1.5, 0.0), ""},
		{"**", "f", "Z", colF(1.0, 1.0, 1.0), ""},
		{"**", "f", "ZF", colF(1.0, 1.0, 1.0), ""},
		{"**", "f", "N", colF(0.16, 0.4444444444444444, posInf), ""},
		{"**", "b", "i", Column{}, "ValueError: Integers to negative integer powers are not allowed."},
		{"**", "b", "f", colF(1.0, posInf, 1.0), ""},
		{"**", "b", "b", Column{}, "NotImplementedError: operator 'pow' not implemented for bool dtypes"},
		{"**", "b", "I", colI(1, 0, 1), ""}, // numpy: int8
		{"**", "b", "F", colI(1, 0, 1), ""}, // numpy: int8
		{"**", "b", "B", Column{}, "NotImplementedError: operator 'pow' not implemented for bool dtypes"},
		{"**", "b", "Z", colI(1, 1, 1), ""},
		{"**", "b", "ZF", colF(1.0, 1.0, 1.0), ""},
		{"**", "b", "N", Column{}, "ValueError: Integers to negative integer powers are not allowed."},
	}
	idx := Range(3)
	for _, c := range cases {
		t.Run(c.op+" "+c.left+" "+c.right, func(t *testing.T) {
			a := NewSeries("s", idx, series[c.left])
			var b any = scalars[c.right]
			if col, ok := series[c.right]; ok {
				b = NewSeries("s", idx, col)
			}
			got, err := Arith(context.Background(), Op(c.op), a, b)
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
			s := got.(*Series)
			if d := columnDiff(s.Values, c.want, 1e-15); d != "" {
				t.Error(d)
			}
			if s.Name != "s" {
				t.Errorf("name %v, want s", s.Name)
			}
		})
	}
}

func arith(t *testing.T, op Op, a, b any) any {
	t.Helper()
	r, err := Arith(context.Background(), op, a, b)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestArithSeriesAlignment(t *testing.T) {
	cases := []struct {
		name        string
		a, b        *Series
		index, want Column
		resultName  any
	}{
		// pd.Series([1,2,3], index=[3,1,2], name="x") + pd.Series([10,20,30],
		// index=[2,3,4], name="x"): sorted union [1,2,3,4]; 2 → 3+10, 3 → 1+20
		{"overlap", NewSeries("x", colI(3, 1, 2), colI(1, 2, 3)), NewSeries("x", colI(2, 3, 4), colI(10, 20, 30)),
			colI(1, 2, 3, 4), colF(qnan, 13, 21, qnan), "x"},
		// identical (unsorted) indexes combine position-wise, stay int64; names differ
		{"identical", NewSeries("x", colI(3, 1, 2), colI(1, 2, 3)), NewSeries("y", colI(3, 1, 2), colI(1, 1, 1)),
			colI(3, 1, 2), colI(2, 3, 4), nil},
		{"disjoint", NewSeries(nil, colI(5, 6), colI(1, 2)), NewSeries(nil, colI(1, 2), colI(1, 2)),
			colI(1, 2, 5, 6), colF(qnan, qnan, qnan, qnan), nil},
		// [1,2,3]@[1,1,2] + [10,20,30]@[1,1,3] → 1: 11, 21, 12, 22; 2, 3: NaN
		{"duplicates", NewSeries(nil, colI(1, 1, 2), colI(1, 2, 3)), NewSeries(nil, colI(1, 1, 3), colI(10, 20, 30)),
			colI(1, 1, 1, 1, 2, 3), colF(11, 21, 12, 22, qnan, qnan), nil},
		// an empty float series: the other's (unsorted) labels, all NaN
		{"empty", NewSeries(nil, Floats(nil), Floats(nil)), NewSeries(nil, colI(3, 1, 2), colI(1, 2, 3)),
			colI(3, 1, 2), colF(qnan, qnan, qnan), nil},
		// NaN labels match: [1,2]@[1.0,NaN] + [1,2]@[NaN,1.0] = [3, 3], still int64
		{"nan labels", NewSeries(nil, colF(1, qnan), colI(1, 2)), NewSeries(nil, colF(qnan, 1), colI(1, 2)),
			colF(1, qnan), colI(3, 3), nil},
		// bools that need alignment become objects: False + True = 1 (Python)
		{"bool misaligned", NewSeries(nil, colI(0, 1), Bools([]bool{true, false})), NewSeries(nil, colI(1, 2), Bools([]bool{true, true})),
			colI(0, 1, 2), colO(nil, int64(1), nil), nil},
		{"all nan", NewSeries(nil, colI(0, 1), colF(qnan, qnan)), NewSeries(nil, colI(0, 1), colF(1, 2)),
			colI(0, 1), colF(qnan, qnan), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := arith(t, OpAdd, c.a, c.b).(*Series)
			if d := columnDiff(s.Index, c.index, 0) + columnDiff(s.Values, c.want, 0); d != "" {
				t.Error(d)
			}
			if s.Name != c.resultName {
				t.Errorf("name %v, want %v", s.Name, c.resultName)
			}
		})
	}
	// tz-naive against tz-aware labels: pandas' join TypeError
	_, err := Arith(context.Background(), OpAdd, NewSeries(nil, Datetimes([]int64{0}, Naive), colF(1)), NewSeries(nil, Datetimes([]int64{0}, UTC), colF(1)))
	wantErr(t, err, "TypeError", "Cannot join tz-naive with tz-aware DatetimeIndex")
}

func TestArithZeroDivision(t *testing.T) {
	cases := []struct {
		name string
		op   Op
		a, b Column
		want Column
	}{
		// float / 0: IEEE, the sign of zero counts: 1/-0.0 = -inf
		{"float div", OpDiv, colF(1, -1, 0, qnan, 1), colF(0, 0, 0, 0, negZero), colF(posInf, -posInf, qnan, qnan, -posInf)},
		{"float floordiv", OpFloorDiv, colF(1, -1, 0, 1), colF(0, 0, 0, negZero), colF(posInf, -posInf, qnan, -posInf)},
		{"float mod", OpMod, colF(1, -1, 0), colF(0, 0, 0), colF(qnan, qnan, qnan)},
		// int // 0 → float64 with ±inf/NaN, the other rows floor-divided: 7 // 2 = 3,
		// -7 // 2 = -4
		{"int floordiv", OpFloorDiv, colI(5, -5, 0, 7, -7), colI(0, 0, 0, 2, 2), colF(posInf, -posInf, qnan, 3, -4)},
		// int % 0 → NaN there, float64; -7 % 2 = 1
		{"int mod", OpMod, colI(5, -7), colI(0, 2), colF(qnan, 1)},
		{"int mod no zero stays int", OpMod, colI(5, -7), colI(3, 2), colI(2, 1)},
		{"int div", OpDiv, colI(5, -5, 0), colI(0, 0, 0), colF(posInf, -posInf, qnan)},
		// a bool False divisor: // fills like 0, % gives numpy's 0
		{"int floordiv bool", OpFloorDiv, colI(5, 5), Bools([]bool{false, true}), colF(posInf, 5)},
		{"int mod bool", OpMod, colI(5, 5), Bools([]bool{false, true}), colI(0, 0)},
		// Python modulo sign rule for floats: 7.5 % -2 = -0.5, -7.5 % 2 = 0.5,
		// 0.0 % -2 = -0.0, inf % 2 = NaN, -2 % inf = inf
		{"float mod signs", OpMod, colF(7.5, -7.5, 0, posInf, -2), colF(-2, 2, -2, 2, posInf), colF(-0.5, 0.5, negZero, qnan, posInf)},
		{"float floordiv signs", OpFloorDiv, colF(-7.5, 5, -5), colF(2, posInf, posInf), colF(-4, 0, -1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			idx := Range(c.a.Len())
			s := arith(t, c.op, NewSeries(nil, idx, c.a), NewSeries(nil, idx, c.b)).(*Series)
			if d := columnDiff(s.Values, c.want, 0); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestArithObjectColumns(t *testing.T) {
	idx := Range(2)
	str := NewSeries(nil, idx, colO("a", "b"))
	cases := []struct {
		name string
		op   Op
		a, b any
		want Column
		err  string
	}{
		{"str + str", OpAdd, str, NewSeries(nil, idx, colO("x", nil)), colO("ax", nil), ""},
		{"str + scalar", OpAdd, str, "s", colO("as", "bs"), ""},
		{"scalar + str", OpAdd, "s", str, colO("sa", "sb"), ""},
		{"str * 2", OpMul, str, int64(2), colO("aa", "bb"), ""},
		{"2 * str", OpMul, int64(2), str, colO("aa", "bb"), ""},
		// mixed objects: Python per element, [1, 'a'] + [2, 'b'] = [3, 'ab']
		{"mixed", OpAdd, NewSeries(nil, idx, colO(int64(1), "a")), NewSeries(nil, idx, colO(int64(2), "b")), colO(int64(3), "ab"), ""},
		{"object ints stay object", OpAdd, NewSeries(nil, idx, colO(int64(1), int64(2))), NewSeries(nil, idx, colI(2, 3)), colO(int64(3), int64(5)), ""},
		{"str + int", OpAdd, str, int64(1), Column{}, `TypeError: can only concatenate str (not "int") to str`},
		{"int + str", OpAdd, NewSeries(nil, idx, colO(int64(1), int64(2))), str, Column{}, "TypeError: unsupported operand type(s) for +: 'int' and 'str'"},
		{"str - str", OpSub, str, str, Column{}, "TypeError: unsupported operand type(s) for -: 'str' and 'str'"},
		{"str ** 2", OpPow, str, int64(2), Column{}, "TypeError: unsupported operand type(s) for ** or pow(): 'str' and 'int'"},
		{"str * float", OpMul, str, 2.0, Column{}, "TypeError: can't multiply sequence by non-int of type 'float'"},
		// objects are divided by Python, which raises for 0
		{"object / 0", OpDiv, NewSeries(nil, idx, colO(int64(1), 2.5)), int64(0), Column{}, "ZeroDivisionError: division by zero"},
		// numbers against a string scalar: numpy finds no loop
		{"int + 'x'", OpAdd, NewSeries(nil, idx, colI(1, 2)), "x", Column{}, "UFuncTypeError: ufunc 'add' did not contain a loop with signature matching types (dtype('int64'), dtype('<U1')) -> None"},
		{"'xy' * float", OpMul, "xy", NewSeries(nil, idx, colF(1, 2)), Column{}, "UFuncTypeError: ufunc 'multiply' did not contain a loop with signature matching types (dtype('<U2'), dtype('float64')) -> None"},
		{"float / 'x'", OpDiv, NewSeries(nil, idx, colF(1, 2)), "x", Column{}, "TypeError: ufunc 'divide' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''"},
		{"float + None", OpAdd, NewSeries(nil, idx, colF(1, 2)), nil, Column{}, "TypeError: unsupported operand type(s) for +: 'float' and 'NoneType'"},
		// numbers against a non-numeric scalar go through numpy, which calls Python's
		// operator for NaN too: [NaN] + None raises (differential run against pandas)
		{"nan + None", OpAdd, NewSeries(nil, Range(1), colF(qnan)), nil, Column{}, "TypeError: unsupported operand type(s) for +: 'float' and 'NoneType'"},
		// an object column masks its missing values: [None] + 'x' is NaN
		{"None + str", OpAdd, NewSeries(nil, Range(1), colO(nil)), "x", colO(nil), ""},
		// a list combines position by position
		{"list", OpAdd, NewSeries(nil, idx, colI(1, 2)), []any{int64(10), int64(20)}, colI(11, 22), ""},
		{"list length", OpAdd, NewSeries(nil, idx, colI(1, 2)), []any{int64(10), int64(20), int64(30)}, Column{}, "ValueError: operands could not be broadcast together with shapes (2,) (3,) "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Arith(context.Background(), c.op, c.a, c.b)
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
}

func TestArithTime(t *testing.T) {
	idx := Range(2)
	ts := NewSeries(nil, idx, Datetimes([]int64{dayNS, NaT}, UTC))
	r := arith(t, OpSub, ts, Timestamp{NS: 0, Zone: UTC}).(*Series)
	if d := columnDiff(r.Values, TimedeltaCol([]int64{dayNS, NaT}), 0); d != "" {
		t.Error(d)
	}
	r = arith(t, OpAdd, ts, Timedelta{NS: 5}).(*Series)
	if d := columnDiff(r.Values, Datetimes([]int64{dayNS + 5, NaT}, UTC), 0); d != "" {
		t.Error(d)
	}
	_, err := Arith(context.Background(), OpSub, ts, Timestamp{NS: 0})
	wantErr(t, err, "TypeError", "Cannot subtract tz-naive and tz-aware datetime-like objects")
	_, err = Arith(context.Background(), OpSub, Timestamp{NS: 0, Zone: UTC}, Timestamp{NS: 0})
	wantErr(t, err, "TypeError", "Cannot subtract tz-naive and tz-aware datetime-like objects.")
}

func TestArithFrames(t *testing.T) {
	ctx := context.Background()
	df1 := NewDataFrame(colI(2, 0, 1), []any{"b", "a"}, []Column{colI(1, 2, 3), colF(1.5, 2.5, 3.5)})
	df2 := NewDataFrame(colI(0, 5), []any{"a", "c"}, []Column{colI(10, 20), colI(1, 1)})
	// df1 + df2: rows [0, 1, 2, 5], columns [a, b, c]; only (0, a) is on both sides:
	// 2.5 + 10
	r := arith(t, OpAdd, df1, df2).(*DataFrame)
	if !reflect.DeepEqual(r.Names, []any{"a", "b", "c"}) {
		t.Fatalf("names %v", r.Names)
	}
	for _, d := range []string{
		columnDiff(r.Index, colI(0, 1, 2, 5), 0),
		columnDiff(r.Columns[0], colF(12.5, qnan, qnan, qnan), 0),
		columnDiff(r.Columns[1], colF(qnan, qnan, qnan, qnan), 0),
		columnDiff(r.Columns[2], colF(qnan, qnan, qnan, qnan), 0),
	} {
		if d != "" {
			t.Error(d)
		}
	}
	// identical labels: position-wise, dtypes kept, order kept
	r = arith(t, OpAdd, df1, df1).(*DataFrame)
	if d := columnDiff(r.Columns[0], colI(2, 4, 6), 0) + columnDiff(r.Index, colI(2, 0, 1), 0); d != "" || r.Names[0] != "b" {
		t.Errorf("df+df: %s %v", d, r.Names)
	}
	r = arith(t, OpDiv, df1, int64(0)).(*DataFrame)
	if d := columnDiff(r.Columns[0], colF(posInf, posInf, posInf), 0); d != "" {
		t.Error(d)
	}
	// df1 + Series(index=[a, z]): the series aligns with the columns: a → +100,
	// b and z all NaN; the frame's rows stay
	s := NewSeries(nil, colO("a", "z"), colI(100, 200))
	for _, x := range []*DataFrame{arith(t, OpAdd, df1, s).(*DataFrame), arith(t, OpAdd, s, df1).(*DataFrame)} {
		if !reflect.DeepEqual(x.Names, []any{"a", "b", "z"}) {
			t.Fatalf("names %v", x.Names)
		}
		if d := columnDiff(x.Columns[0], colF(101.5, 102.5, 103.5), 0) + columnDiff(x.Columns[2], colF(qnan, qnan, qnan), 0) + columnDiff(x.Index, colI(2, 0, 1), 0); d != "" {
			t.Error(d)
		}
	}
	// series labels equal to the columns: row-wise, int stays int; reflected order
	// matters for -: 1 - b, 2 - a
	x := arith(t, OpSub, NewSeries(nil, colO("b", "a"), colI(1, 2)), df1).(*DataFrame)
	if d := columnDiff(x.Columns[0], colI(0, -1, -2), 0) + columnDiff(x.Columns[1], colF(0.5, -0.5, -1.5), 0); d != "" {
		t.Error(d)
	}
	// a time series against a frame of named columns: the labels never meet
	ts := NewSeries(nil, colI(2, 0, 1), colI(1, 2, 3))
	x = arith(t, OpAdd, df1, ts).(*DataFrame)
	if !reflect.DeepEqual(x.Names, []any{int64(0), int64(1), int64(2), "a", "b"}) {
		t.Errorf("names %v", x.Names)
	}
	// non-numeric columns: str * 2 repeats, str + 1 fails like Python
	dfs := NewDataFrame(Range(2), []any{"n", "s"}, []Column{colI(1, 2), colO("x", "y")})
	x = arith(t, OpMul, dfs, int64(2)).(*DataFrame)
	if d := columnDiff(x.Columns[1], colO("xx", "yy"), 0); d != "" {
		t.Error(d)
	}
	_, err := Arith(ctx, OpAdd, dfs, int64(1))
	wantErr(t, err, "TypeError", `can only concatenate str (not "int") to str`)
	// a string column against a missing column: masked, NaN
	x = arith(t, OpAdd, NewDataFrame(Range(1), []any{"s"}, []Column{colO("x")}), NewDataFrame(Range(1), []any{"t"}, []Column{colI(1)})).(*DataFrame)
	if d := columnDiff(x.Columns[0], colO(nil), 0); d != "" {
		t.Error(d)
	}
	// a list goes along the columns: [[1, 2]] + [10, 20] = [[11, 22]]
	two := NewDataFrame(Range(1), []any{"a", "b"}, []Column{colI(1), colI(2)})
	x = arith(t, OpAdd, two, []any{int64(10), int64(20)}).(*DataFrame)
	if d := columnDiff(x.Columns[0], colI(11), 0) + columnDiff(x.Columns[1], colI(22), 0); d != "" {
		t.Error(d)
	}
	_, err = Arith(ctx, OpAdd, two, []any{int64(10)})
	wantErr(t, err, "ValueError", "Unable to coerce to Series, length must be 2: given 1")
	// an empty frame with a scalar stays empty; with a frame it takes the other's labels
	if e := arith(t, OpAdd, &DataFrame{Index: Range(0)}, int64(1)).(*DataFrame); len(e.Columns) != 0 {
		t.Error("empty frame grew columns")
	}
	e := arith(t, OpAdd, &DataFrame{Index: Range(0)}, df1).(*DataFrame)
	if !reflect.DeepEqual(e.Names, []any{"b", "a"}) || e.Len() != 3 {
		t.Errorf("empty + df1: %v", e.Names)
	}
}

func TestPyArith(t *testing.T) {
	cases := []struct {
		op   Op
		a, b any
		want any
		err  string
	}{
		{OpAdd, true, true, int64(2), ""},
		{OpDiv, int64(1), int64(2), 0.5, ""},
		{OpFloorDiv, int64(-7), int64(2), int64(-4), ""},
		{OpMod, int64(-7), int64(3), int64(2), ""},
		{OpMod, 7.5, int64(-2), -0.5, ""},
		{OpFloorDiv, -7.5, int64(2), -4.0, ""},
		{OpMod, 0.0, int64(-2), negZero, ""},
		{OpPow, int64(2), int64(-1), 0.5, ""},
		{OpPow, int64(0), int64(0), int64(1), ""},
		{OpPow, qnan, int64(0), 1.0, ""},
		{OpPow, int64(3), int64(4), int64(81), ""},
		{OpPow, int64(-2), int64(3), int64(-8), ""},
		{OpAdd, "a", "b", "ab", ""},
		{OpMul, "ab", int64(2), "abab", ""},
		{OpMul, true, "a", "a", ""},
		{OpAdd, []any{int64(1)}, []any{int64(2)}, []any{int64(1), int64(2)}, ""},
		{OpMul, []any{int64(1)}, int64(2), []any{int64(1), int64(1)}, ""},
		{OpDiv, int64(1), int64(0), nil, "ZeroDivisionError: division by zero"},
		{OpDiv, 1.0, int64(0), nil, "ZeroDivisionError: float division by zero"},
		{OpDiv, true, false, nil, "ZeroDivisionError: division by zero"},
		{OpFloorDiv, int64(1), int64(0), nil, "ZeroDivisionError: integer division or modulo by zero"},
		{OpFloorDiv, 1.0, int64(0), nil, "ZeroDivisionError: float floor division by zero"},
		{OpMod, int64(1), int64(0), nil, "ZeroDivisionError: integer modulo by zero"},
		{OpMod, int64(1), 0.0, nil, "ZeroDivisionError: float modulo"},
		{OpPow, int64(0), int64(-1), nil, "ZeroDivisionError: 0.0 cannot be raised to a negative power"},
		{OpPow, 10.0, int64(400), nil, "OverflowError: (34, 'Numerical result out of range')"},
		{OpPow, int64(2), int64(64), nil, "OverflowError: integer result exceeds the 64-bit range"},
		{OpAdd, int64(math.MaxInt64), int64(1), nil, "OverflowError: integer result exceeds the 64-bit range"},
		{OpAdd, "a", int64(1), nil, `TypeError: can only concatenate str (not "int") to str`},
		{OpAdd, int64(1), "a", nil, "TypeError: unsupported operand type(s) for +: 'int' and 'str'"},
		{OpMul, "a", 2.0, nil, "TypeError: can't multiply sequence by non-int of type 'float'"},
		{OpMul, 2.0, "a", nil, "TypeError: can't multiply sequence by non-int of type 'float'"},
		{OpMod, "a", int64(1), nil, "TypeError: not all arguments converted during string formatting"},
		{OpAdd, []any{}, int64(1), nil, `TypeError: can only concatenate list (not "int") to list`},
		{OpAdd, NewDict(0), NewDict(0), nil, "TypeError: unsupported operand type(s) for +: 'dict' and 'dict'"},
		{OpAdd, nil, int64(1), nil, "TypeError: unsupported operand type(s) for +: 'NoneType' and 'int'"},
		{OpPow, "a", int64(2), nil, "TypeError: unsupported operand type(s) for ** or pow(): 'str' and 'int'"},
	}
	// Python: (-8) ** 0.5 == 1.7319121124709868e-16+2.8284271247461903j, a complex number
	// (was a ValueError; hetida's Power and nth root fail only when encoding it). Go's cos
	// differs from libm's in the last bits of the tiny real part.
	if got, err := Arith(context.Background(), OpPow, int64(-8), 0.5); err != nil || got.(PyComplex).Im != 2.8284271247461903 || math.Abs(got.(PyComplex).Re-1.7319121124709868e-16) > 1e-30 {
		t.Errorf("-8 ** 0.5 = %v, %v", got, err)
	}
	for _, c := range cases {
		got, err := Arith(context.Background(), c.op, c.a, c.b)
		if c.err != "" {
			var e *Error
			if !errors.As(err, &e) || e.Type+": "+e.Message != c.err {
				t.Errorf("%v %s %v: error %v, want %s", c.a, c.op, c.b, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v %s %v: %v", c.a, c.op, c.b, err)
			continue
		}
		if f, ok := c.want.(float64); ok {
			g, ok := got.(float64)
			if !ok || g != f || math.Signbit(g) != math.Signbit(f) {
				t.Errorf("%v %s %v = %#v, want %#v", c.a, c.op, c.b, got, c.want)
			}
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v %s %v = %#v, want %#v", c.a, c.op, c.b, got, c.want)
		}
	}
}

// TestArithIdenticalIndexAllocations keeps the common case cheap: two float64 series on
// one index allocate the result values and the result Series, nothing else.
func TestArithIdenticalIndexAllocations(t *testing.T) {
	idx := Range(1000)
	a := NewSeries("x", idx, Floats(make([]float64, 1000)))
	b := NewSeries("x", idx, Floats(make([]float64, 1000)))
	ctx := context.Background()
	allocs := testing.AllocsPerRun(50, func() {
		if _, err := Arith(ctx, OpAdd, a, b); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 {
		t.Errorf("%v allocations per Arith, want ≤ 2", allocs)
	}
}

// BenchmarkArithSeriesDifferentIndex adds two 100k-point minutely series whose indexes
// are shifted by half their length (outer join of sorted unique datetimes, 150k labels).
func BenchmarkArithSeriesDifferentIndex(b *testing.B) {
	const n = 100000
	ia, ib := make([]int64, n), make([]int64, n)
	va, vb := make([]float64, n), make([]float64, n)
	for i := range ia {
		ia[i] = int64(i) * 60e9
		ib[i] = int64(i+n/2) * 60e9
		va[i], vb[i] = float64(i), float64(2*i)
	}
	x := NewSeries("v", Datetimes(ia, UTC), Floats(va))
	y := NewSeries("v", Datetimes(ib, UTC), Floats(vb))
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Arith(ctx, OpAdd, x, y); err != nil {
			b.Fatal(err)
		}
	}
}

func TestArithFloatMisaligned(t *testing.T) {
	// a = [1.0, 4.0] at [0, 1], b = [2.0, 3.0] at [1, 2]: only label 1 meets; the
	// others combine with NaN — except 1.0 ** NaN, which numpy defines as 1.0
	a := NewSeries(nil, colI(0, 1), colF(1, 4))
	b := NewSeries(nil, colI(1, 2), colF(2, 3))
	cases := []struct {
		op   Op
		want Column
	}{
		{OpAdd, colF(qnan, 6, qnan)},
		{OpSub, colF(qnan, 2, qnan)},
		{OpMul, colF(qnan, 8, qnan)},
		{OpDiv, colF(qnan, 2, qnan)},
		{OpFloorDiv, colF(qnan, 2, qnan)},
		{OpMod, colF(qnan, 0, qnan)},
		{OpPow, colF(1, 16, qnan)},
	}
	for _, c := range cases {
		s := arith(t, c.op, a, b).(*Series)
		if d := columnDiff(s.Values, c.want, 0) + columnDiff(s.Index, colI(0, 1, 2), 0); d != "" {
			t.Errorf("%s: %s", c.op, d)
		}
	}
}
