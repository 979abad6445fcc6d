package data

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
)

func TestDropDuplicatesThreeColumns(t *testing.T) {
	// Rows (a, b, c): 0 (1, x, T), 1 (1, x, F), 2 (NaN, x, T), 3 (1, x, T) = row 0,
	// 4 (NaN, x, T) = row 2 (NaN equals NaN), 5 (1, y, T), 6 (-0.0, x, T), 7 (0, x, T) =
	// row 6 (0.0 equals -0.0). pandas keeps rows 0 1 2 5 6 with keep="first".
	nan := math.NaN()
	f := NewDataFrame(Range(8), []any{"a", "b", "c"}, []Column{
		Floats([]float64{1, 1, nan, 1, nan, 1, math.Copysign(0, -1), 0}),
		Objects([]any{"x", "x", "x", "x", "x", "y", "x", "x"}),
		Bools([]bool{true, false, true, true, true, true, true, true}),
	})
	got, err := f.DropDuplicates(context.Background(), nil, KeepFirst)
	if err != nil || !slices.Equal(got.Index.I, []int64{0, 1, 2, 5, 6}) {
		t.Errorf("keep first: %v, %v", got.Index.I, err)
	}
	got, _ = f.DropDuplicates(context.Background(), nil, KeepNone)
	if !slices.Equal(got.Index.I, []int64{1, 5}) {
		t.Errorf("keep none: %v", got.Index.I)
	}
}

func TestDropDuplicatesCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := NewSeries(nil, Range(3), Floats([]float64{1, 1, 2}))
	if _, err := s.DropDuplicates(ctx, KeepFirst); !errors.Is(err, context.Canceled) {
		t.Errorf("series: %v", err)
	}
	f := NewDataFrame(Range(3), []any{"a"}, []Column{Floats([]float64{1, 1, 2})})
	if _, err := f.DropDuplicates(ctx, nil, KeepFirst); !errors.Is(err, context.Canceled) {
		t.Errorf("frame: %v", err)
	}
}

// drop_duplicates of a one-element boolean series panicked (index out of range): a bool
// column's codes are 0 and 1 whatever its length, and the seen/count tables were sized by
// the number of rows. Found by tools/difffuzz.py (Drop duplicates of {"…": true}).
func TestDropDuplicatesBoolCodesRegression(t *testing.T) {
	for _, keep := range []Keep{KeepFirst, KeepLast, KeepNone} {
		s := NewSeries(nil, Range(1), Bools([]bool{true}))
		got, err := s.DropDuplicates(context.Background(), keep)
		if err != nil || got.Len() != 1 {
			t.Errorf("keep %v: %v, %v; want the one row", keep, got, err)
		}
		f := NewDataFrame(Range(1), []any{"a"}, []Column{Bools([]bool{true})})
		if g, err := f.DropDuplicates(context.Background(), nil, keep); err != nil || g.Len() != 1 {
			t.Errorf("frame, keep %v: %v, %v", keep, g, err)
		}
	}
}
