package data

import (
	"context"
	"errors"
	"math"
	"testing"
)

func TestStandardScale(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		col  Column
		want []float64
	}{
		// mean 7/3, population variance ((4/3)²+(1/3)²+(5/3)²)/3 = 42/27, so
		// (1 − 7/3)/√(42/27) = −1.0690449676…, sklearn's values
		{"floats", Floats([]float64{1, 2, 4}), []float64{-1.0690449676496976, -0.2672612419124244, 1.3363062095621219}},
		// ints scale like floats: mean 2, std √(2/3): ∓1.2247…
		{"ints", Ints([]int64{1, 2, 3}), []float64{-1.224744871391589, 0, 1.224744871391589}},
		// NaN ignored by the fit and kept: 1 and 3 scale to ∓1
		{"NaN kept", Floats([]float64{1, nan, 3}), []float64{-1, nan, 1}},
		// a constant column is only centred: scale 1; the mean of three 0.1 rounds to
		// 0.10000000000000002, so sklearn gives −1.3877787807814457e−17, not 0
		{"constant", Floats([]float64{0.1, 0.1, 0.1}), []float64{-1.3877787807814457e-17, -1.3877787807814457e-17, -1.3877787807814457e-17}},
		// one row: variance 0 → scale 1 → 0
		{"one row", Floats([]float64{2.5}), []float64{0}},
		// all NaN: mean and variance NaN, the result NaN
		{"all NaN", Floats([]float64{nan, nan}), []float64{nan, nan}},
		// bools as 0/1: mean 2/3, std √2/3 → 0.7071…, −1.4142…
		{"bools", Bools([]bool{true, false, true}), []float64{0.7071067811865476, -1.414213562373095, 0.7071067811865476}},
		// Object numbers with None (numpy's astype(float))
		{"objects", Objects([]any{int64(1), nil, 3.0}), []float64{-1, nan, 1}},
	}
	for _, tc := range tests {
		f := NewDataFrame(Range(tc.col.Len()), []any{"x"}, []Column{tc.col})
		got, err := f.StandardScale(ctx)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		for i, w := range tc.want {
			g := got.Columns[0].F[i]
			// relative tolerance only, so that −1.39e−17 is told from 0
			if !(g != g && w != w) && !(math.Abs(g-w) <= 1e-12*math.Abs(w)) {
				t.Errorf("%s[%d] = %v, want %v", tc.name, i, g, w)
			}
		}
	}
}

func TestStandardScaleErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		frame *DataFrame
		typ   string
		msg   string
	}{
		{"inf", NewDataFrame(Range(2), []any{"a"}, []Column{Floats([]float64{1, math.Inf(1)})}),
			"ValueError", "Input X contains infinity or a value too large for dtype('float64')."},
		{"string", NewDataFrame(Range(2), []any{"a"}, []Column{Objects([]any{1.0, "x"})}),
			"ValueError", "could not convert string to float: 'x'"},
		{"no rows", NewDataFrame(Range(0), []any{"a", "b"}, []Column{Floats(nil), Floats(nil)}),
			"ValueError", "Found array with 0 sample(s) (shape=(0, 2)) while a minimum of 1 is required by StandardScaler."},
		{"no columns", NewDataFrame(Range(2), nil, nil), "ValueError", "at least one array or dtype is required"},
		{"mixed names", NewDataFrame(Range(1), []any{"a", int64(0)}, []Column{Floats([]float64{1}), Floats([]float64{2})}),
			"TypeError", ""},
	}
	for _, tc := range tests {
		_, err := tc.frame.StandardScale(ctx)
		var e *Error
		if !errors.As(err, &e) || e.Type != tc.typ || tc.msg != "" && e.Message != tc.msg {
			t.Errorf("%s: %v, want %s: %s", tc.name, err, tc.typ, tc.msg)
		}
	}
}
