package data

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
)

func TestNumericCompareBlocksAndNaN(t *testing.T) {
	// Over more than one block of CheckEvery rows: NaN compares False, != True, equal
	// values hold for <= and >=, ints against a float compare as floats.
	n := CheckEvery + 3
	f := make([]float64, n)
	for i := range f {
		f[i] = float64(i % 3)
	}
	f[n-1] = math.NaN()
	s := NewSeries(nil, Range(n), Floats(f))
	ctx := context.Background()
	for _, c := range []struct {
		op   CmpOp
		want func(x float64) bool
	}{
		{CmpLt, func(x float64) bool { return x < 1 }},
		{CmpLe, func(x float64) bool { return x <= 1 }},
		{CmpGt, func(x float64) bool { return x > 1 }},
		{CmpGe, func(x float64) bool { return x >= 1 }},
		{CmpEq, func(x float64) bool { return x == 1 }},
		{CmpNe, func(x float64) bool { return x != 1 }},
	} {
		r, err := CompareOp(ctx, c.op, s, 1.0)
		if err != nil {
			t.Fatal(err)
		}
		got := r.(*Series).Values.B
		for i, x := range f {
			if got[i] != c.want(x) {
				t.Fatalf("%s: row %d (%v) = %v", c.op, i, x, got[i])
			}
		}
		if last := got[n-1]; last != (c.op == CmpNe) {
			t.Errorf("%s NaN: %v", c.op, last)
		}
	}
	r, _ := CompareOp(ctx, CmpGt, NewSeries(nil, Range(3), Ints([]int64{1, 2, 3})), 1.5)
	if !slices.Equal(r.(*Series).Values.B, []bool{false, true, true}) {
		t.Errorf("ints > 1.5: %v", r.(*Series).Values.B)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := CompareOp(cancelled, CmpLt, s, 1.0); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
