package wire

import (
	"slices"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
)

// hetida sorts a MULTITSFRAME with df.sort_values("timestamp"), numpy's unstable
// quicksort, also when the frame is sorted already: with 17 or more rows, rows of equal
// timestamps change places. Eight timestamps with five metrics each, in input order
// m0…m4: pandas 1.5 gives, for the second timestamp, m4 m2 m3 m0 m1 (np.argsort of
// [0,0,0,0,0,1,1,…] is 0 1 2 3 4 9 7 8 5 6 …), which is the order the plots list the
// metrics in (c-tw-visualization-multitsframe-plot-with-multiple-y-axes).
func TestMultiTSFrameSortedLikeNumpyQuicksort(t *testing.T) {
	n := 40
	ts := make([]int64, n)
	metric := make([]any, n)
	vals := make([]float64, n)
	for i := range ts {
		ts[i] = int64(i/5) * 60e9
		metric[i] = "m" + string(rune('0'+i%5))
		vals[i] = float64(i)
	}
	f := data.NewDataFrame(data.Range(n), []any{"timestamp", "metric", "value"},
		[]data.Column{data.Datetimes(ts, data.UTC), data.Objects(metric), data.Floats(vals)})
	out, err := ValidateMultiTSFrame(f)
	if err != nil {
		t.Fatal(err)
	}
	got := out.Columns[2].F[5:10]
	if want := []float64{9, 7, 8, 5, 6}; !slices.Equal(got, want) {
		t.Errorf("second timestamp's rows %v, want %v", got, want)
	}
	if !out.Columns[0].IsMonotonicIncreasing() {
		t.Error("not sorted by timestamp")
	}
}
