package data

import (
	"math"
	"testing"
)

// Expectations: pandas 1.5.3's DataFrame.corr() of the same columns, printed by Debian's
// python3. Column a has a gap (row 4), b an inf (row 3, masked like NaN), c is constant
// (zero variance: every correlation with it is NaN, its own included); one row gives NaN
// everywhere (a single observation has no variance).
func TestNanCorr(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cols := [][]float64{
		{1, 2, 3, 4, nan, 6},
		{2.5, 1, 7, inf, 3, 3},
		{1, 1, 1, 1, 1, 1},
		{0.1, 0.7, -0.3, 0.2, 0.9, 0.4},
	}
	want := [][]float64{
		{1.0, 0.18070158058105026, nan, 0.09831887360764878},
		{0.18070158058105026, 1.0, nan, -0.7506900659051863},
		{nan, nan, nan, nan},
		{0.09831887360764878, -0.7506900659051863, nan, 1.0},
	}
	got := NanCorr(cols, 1)
	for i := range want {
		for j := range want[i] {
			w, g := want[i][j], got[i][j]
			if (math.IsNaN(w) != math.IsNaN(g)) || (!math.IsNaN(w) && math.Abs(w-g) > 1e-15) {
				t.Errorf("corr[%d][%d] = %v, want %v", i, j, g, w)
			}
		}
	}
	one := NanCorr([][]float64{{1}, {2}}, 1)
	for _, row := range one {
		for _, v := range row {
			if !math.IsNaN(v) {
				t.Errorf("one row: %v, want NaN", one)
			}
		}
	}
	if got := NanCorr(nil, 1); len(got) != 0 {
		t.Errorf("no columns: %v", got)
	}
}
