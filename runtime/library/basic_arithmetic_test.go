package library

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var nan = math.NaN()

// sameValues compares a column with the wanted boxed values: NaN equals NaN, floats
// within a relative tol, everything else exactly (int64(2) is not 2.0: dtypes matter).
func sameValues(c data.Column, want []any, tol float64) bool {
	if c.Len() != len(want) {
		return false
	}
	for i, w := range want {
		g := c.At(i)
		gf, gok := g.(float64)
		wf, wok := w.(float64)
		if gok && wok {
			if gf != gf && wf != wf || gf == wf || math.Abs(gf-wf) <= tol*math.Abs(wf) {
				continue
			}
			return false
		}
		if !reflect.DeepEqual(g, w) {
			return false
		}
	}
	return true
}

func numSeries(index data.Column, values data.Column) *data.Series {
	return data.NewSeries(nil, index, values)
}

// The binary operators on pandas objects: alignment, numpy's dtype promotion and
// pandas' zero division, each expectation as pandas 1.5 and 2.1 compute it.
func TestBinaryOperators(t *testing.T) {
	ints := numSeries(data.Ints([]int64{0, 1, 2}), data.Ints([]int64{1, 2, 3}))
	floats := numSeries(data.Ints([]int64{1, 2, 3}), data.Floats([]float64{10, 20, 30}))
	for _, tc := range []struct {
		name  string
		meta  *component.Meta
		a, b  any
		out   string
		index []any // nil: not checked
		want  []any
	}{
		// labels 0..2 + labels 1..3: the union 0..3, NaN where one side lacks the label,
		// never matched by position: {0: NaN, 1: 2+10, 2: 3+20, 3: NaN}
		{"aligned add", &metaAdd, ints, floats, "sum", []any{int64(0), int64(1), int64(2), int64(3)}, []any{nan, 12.0, 23.0, nan}},
		// int64 ⊕ bool stays int64 (True is 1), int64 ⊕ float is float64
		{"int + bool", &metaAdd, ints, true, "sum", nil, []any{int64(2), int64(3), int64(4)}},
		{"int * float", &metaMultiply, ints, 2.5, "product", nil, []any{2.5, 5.0, 7.5}},
		// bool + bool is numpy's logical or, still bool
		{"bool + bool", &metaAdd, numSeries(data.Range(2), data.Bools([]bool{true, false})), numSeries(data.Range(2), data.Bools([]bool{true, true})), "sum", nil, []any{true, true}},
		// division by zero: pandas objects give ±inf and NaN (0/0) for ints and floats
		{"int / 0", &metaDivide, numSeries(data.Range(3), data.Ints([]int64{1, -1, 0})), int64(0), "quotient", nil, []any{math.Inf(1), math.Inf(-1), nan}},
		{"float / 0.0", &metaDivide, numSeries(data.Range(3), data.Floats([]float64{1, -1, 0})), 0.0, "quotient", nil, []any{math.Inf(1), math.Inf(-1), nan}},
		// differently labelled time series subtract on the union of timestamps
		{"datetime union", &metaSubstract, hourly(data.Floats([]float64{1, 2})), hourly(data.Floats([]float64{5})).Take([]int{0}), "difference", nil, []any{-4.0, nan}},
		// all-NaN stays NaN; an empty series stays empty
		{"all NaN", &metaAdd, hourly(data.Floats([]float64{nan, nan})), int64(1), "sum", nil, []any{nan, nan}},
		{"empty", &metaMultiply, hourly(data.Floats(nil)), hourly(data.Floats(nil)), "product", nil, []any{}},
	} {
		out := mustCall(t, tc.meta, map[string]any{"a": tc.a, "b": tc.b})
		s, ok := out[tc.out].(*data.Series)
		if !ok {
			t.Errorf("%s: %T, want a Series", tc.name, out[tc.out])
			continue
		}
		if !sameValues(s.Values, tc.want, 0) {
			t.Errorf("%s: values %v, want %v", tc.name, boxed(s.Values), tc.want)
		}
		if tc.index != nil && !sameValues(s.Index, tc.index, 0) {
			t.Errorf("%s: index %v, want %v", tc.name, boxed(s.Index), tc.index)
		}
	}

	// Python numbers: int / 0 is ZeroDivisionError, 10 - 4 stays an int, 3 * -2.5 a float
	if _, err := call(t, &metaDivide, map[string]any{"a": int64(1), "b": int64(0)}); pyErrType(err) != "ZeroDivisionError" {
		t.Errorf("1 / 0: %v", err)
	}
	if _, err := call(t, &metaDivide, map[string]any{"a": 1.0, "b": 0.0}); err == nil || err.Error() != "ZeroDivisionError: float division by zero" {
		t.Errorf("1.0 / 0.0: %v", err)
	}
	if out := mustCall(t, &metaSubstract, map[string]any{"a": int64(10), "b": int64(4)}); out["difference"] != int64(6) {
		t.Errorf("10 - 4 = %#v", out["difference"])
	}
	if out := mustCall(t, &metaAdd, map[string]any{"a": "ab", "b": "c"}); out["sum"] != "abc" {
		t.Errorf("'ab' + 'c' = %#v", out["sum"])
	}
	// a workflow-level ANY input is decoded JSON: dict + int fails as in Python
	_, err := call(t, &metaAdd, map[string]any{"a": dict("x", 1.0), "b": int64(1)})
	if err == nil || err.Error() != "TypeError: unsupported operand type(s) for +: 'dict' and 'int'" {
		t.Errorf("dict + 1: %v", err)
	}
	_, err = call(t, &metaAdd, map[string]any{"a": []any{int64(1)}, "b": int64(1)})
	if err == nil || err.Error() != `TypeError: can only concatenate list (not "int") to list` {
		t.Errorf("[1] + 1: %v", err)
	}

	// a DataFrame with a string column: * 2 repeats the strings (pandas: 'xx'), + 1
	// fails on them with Python's TypeError
	f := data.NewDataFrame(data.Range(2), []any{"a", "s"}, []data.Column{data.Ints([]int64{1, 2}), data.Objects([]any{"x", "y"})})
	out := mustCall(t, &metaMultiply, map[string]any{"a": f, "b": int64(2)})
	g := out["product"].(*data.DataFrame)
	if !sameValues(g.Columns[0], []any{int64(2), int64(4)}, 0) || !sameValues(g.Columns[1], []any{"xx", "yy"}, 0) {
		t.Errorf("frame * 2 = %v %v", boxed(g.Columns[0]), boxed(g.Columns[1]))
	}
	_, err = call(t, &metaAdd, map[string]any{"a": f, "b": int64(1)})
	if err == nil || err.Error() != `TypeError: can only concatenate str (not "int") to str` {
		t.Errorf("frame + 1: %v", err)
	}
}

func boxed(c data.Column) []any {
	out := make([]any, c.Len())
	for i := range out {
		out[i] = c.At(i)
	}
	return out
}

// Abs, Round and Signum on pandas objects and numbers.
func TestUnaryBasicArithmetic(t *testing.T) {
	// abs keeps the dtype: int64 stays int64, NaN stays NaN; a DataFrame per column
	f := data.NewDataFrame(data.Range(2), []any{"a", "f"}, []data.Column{data.Ints([]int64{-1, 2}), data.Floats([]float64{-1.5, nan})})
	g := mustCall(t, &metaAbs, map[string]any{"data": f})["absolute"].(*data.DataFrame)
	if !sameValues(g.Columns[0], []any{int64(1), int64(2)}, 0) || !sameValues(g.Columns[1], []any{1.5, nan}, 0) {
		t.Errorf("abs(frame) = %v %v", boxed(g.Columns[0]), boxed(g.Columns[1]))
	}
	if _, err := call(t, &metaAbs, map[string]any{"data": []any{-1.0}}); err == nil || err.Error() != "TypeError: bad operand type for abs(): 'list'" {
		t.Errorf("abs(list): %v", err)
	}
	// round: Python's exact rounding for a float (2.675 → 2.67), numpy's scaled rint for
	// a Series (2.675 → 2.68, 0.125 → 0.12 half to even), an int to tens (25 → 20)
	if out := mustCall(t, &metaRound, map[string]any{"data": 2.675, "decimals": int64(2)}); out["rounded"] != 2.67 {
		t.Errorf("round(2.675, 2) = %v", out["rounded"])
	}
	if out := mustCall(t, &metaRound, map[string]any{"data": int64(25), "decimals": int64(-1)}); out["rounded"] != int64(20) {
		t.Errorf("round(25, -1) = %#v", out["rounded"])
	}
	s := mustCall(t, &metaRound, map[string]any{"data": hourly(data.Floats([]float64{2.675, 0.125, nan})), "decimals": int64(2)})["rounded"].(*data.Series)
	if !sameValues(s.Values, []any{2.68, 0.12, nan}, 0) {
		t.Errorf("round(series, 2) = %v", boxed(s.Values))
	}
	// decimals far beyond float64's digits round nothing (and do not overflow int)
	if out := mustCall(t, &metaRound, map[string]any{"data": 2.5, "decimals": int64(1 << 40)}); out["rounded"] != 2.5 {
		t.Errorf("round(2.5, 2**40) = %v", out["rounded"])
	}
	// sign: floats give -1.0/0.0/1.0 with NaN kept; a list gives a list
	s = mustCall(t, &metaSignum, map[string]any{"data": hourly(data.Floats([]float64{-2, 0, nan, 3}))})["signum"].(*data.Series)
	if !sameValues(s.Values, []any{-1.0, 0.0, nan, 1.0}, 0) {
		t.Errorf("sign(series) = %v", boxed(s.Values))
	}
	if out := mustCall(t, &metaSignum, map[string]any{"data": []any{int64(-3), int64(0), int64(5)}}); !reflect.DeepEqual(out["signum"], []any{int64(-1), int64(0), int64(1)}) {
		t.Errorf("sign(list) = %v", out["signum"])
	}
	if _, err := call(t, &metaSignum, map[string]any{"data": hourly(data.Bools([]bool{true}))}); pyErrType(err) != "UFuncTypeError" {
		t.Errorf("sign(bool series): %v", err)
	}
}

// Add of two 10⁵-point time series whose indexes differ (the second is shifted by half a
// step, so the union has 2·10⁵ labels and every value meets NaN): the alignment path.
func BenchmarkAdd(b *testing.B) {
	const n = 100_000
	ia, ib := make([]int64, n), make([]int64, n)
	va, vb := make([]float64, n), make([]float64, n)
	for i := range ia {
		ia[i] = base + int64(i)*fiveMin
		ib[i] = ia[i] + fiveMin/2
		va[i], vb[i] = float64(i), float64(2*i)
	}
	a := data.NewSeries("a", data.Datetimes(ia, data.UTC), data.Floats(va))
	c := data.NewSeries("b", data.Datetimes(ib, data.UTC), data.Floats(vb))
	spec, _ := Registry().Get(metaAdd.ID)
	in := component.NewInputs(spec, map[string]any{"a": a, "b": c})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		out, err := spec.Run(context.Background(), in)
		if err != nil || out["sum"].(*data.Series).Len() != 2*n {
			b.Fatal(err)
		}
	}
}
