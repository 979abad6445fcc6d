package data

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// rollBenchSeries is n points at 5-minute spacing, a random walk with 1 % NaN.
func rollBenchSeries(n int) (Column, []float64) {
	rng := rand.New(rand.NewPCG(1, 2))
	ts := make([]int64, n)
	vals := make([]float64, n)
	x := 100.0
	for i := range ts {
		ts[i] = 1_600_000_000e9 + int64(i)*5*nsPerMinute
		x += rng.NormFloat64()
		vals[i] = x
		if rng.IntN(100) == 0 {
			vals[i] = math.NaN()
		}
	}
	return Datetimes(ts, Zone{}), vals
}

// rollBenchWindows is rollBenchSeries(n) with the windows of "180min" (36 points) over it.
func rollBenchWindows(b *testing.B, n int) ([]float64, *RollingWindows) {
	idx, vals := rollBenchSeries(n)
	r, err := Rolling{}.WithOffset(idx, "180min")
	if err != nil {
		b.Fatal(err)
	}
	w, err := r.Over(context.Background(), idx)
	if err != nil {
		b.Fatal(err)
	}
	return vals, w
}

// benchRolling times one aggregation over 100k points with the window "180min", bounds
// computed once outside the loop as components share them.
func benchRolling(b *testing.B, agg string) {
	ctx := context.Background()
	vals, w := rollBenchWindows(b, 100_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rollAggregate(ctx, w, agg, vals); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRollingMean(b *testing.B)   { benchRolling(b, "mean") }
func BenchmarkRollingMedian(b *testing.B) { benchRolling(b, "median") }
func BenchmarkRollingStd(b *testing.B)    { benchRolling(b, "std") }
func BenchmarkRollingMax(b *testing.B)    { benchRolling(b, "max") }

// BenchmarkRollingBounds is the validation and bounds of rolling("180min") over 100k
// points.
func BenchmarkRollingBounds(b *testing.B) {
	ctx := context.Background()
	idx, _ := rollBenchSeries(100_000)
	b.ReportAllocs()
	for b.Loop() {
		r, err := Rolling{}.WithOffset(idx, "180min")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Over(ctx, idx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRollingMedianWide compares the two order-statistic structures on wide count
// windows over 100k points; sortedWindowMax is set where they break even.
func BenchmarkRollingMedianWide(b *testing.B) {
	ctx := context.Background()
	_, vals := rollBenchSeries(100_000)
	defer func(m int) { sortedWindowMax = m }(sortedWindowMax)
	for _, width := range []int64{256, 1024, 2048, 4096} {
		w, err := Rolling{Window: width, Count: true}.Over(ctx, Range(len(vals)))
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range []struct {
			name string
			max  int
		}{{"sorted", math.MaxInt}, {"tree", 0}} {
			b.Run(s.name+"/"+strconv.FormatInt(width, 10), func(b *testing.B) {
				sortedWindowMax = s.max
				b.ReportAllocs()
				for b.Loop() {
					if _, err := w.Median(ctx, vals); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkBitBlockMedian is the bit-mask kernel alone on one core: the series of Moving
// median time's benchmark (100k one-minute points, every 97th NaN) in windows of 60.
func BenchmarkBitBlockMedian(b *testing.B) {
	const n = 100_000
	ts := make([]int64, n)
	v := make([]float64, n)
	for i := range n {
		ts[i] = int64(i) * 60e9
		v[i] = 100 + 10*math.Sin(float64(i)/50) + float64((i*7919)%1000)/100
		if i%97 == 0 {
			v[i] = math.NaN()
		}
	}
	ctx := context.Background()
	w, err := VariableWindowBounds(ctx, ts, 3600e9, ClosedRight, false)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]float64, n)
	var blk medianBlocks
	for b.Loop() {
		if err := bitBlockMedian(ctx, v, w.Start, w.End, 1, out, &blk); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRollingSums is the Simple Volatility Score's sums: two columns over the windows
// of "180min", at 10k and 100k points.
func BenchmarkRollingSums(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{10_000, 100_000} {
		vals, w := rollBenchWindows(b, n)
		abs := make([]float64, n)
		for i, v := range vals {
			abs[i] = math.Abs(v)
		}
		b.Run("points="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sums, err := RollingSums(ctx, w.Windows, 1, abs, vals)
				if err != nil {
					b.Fatal(err)
				}
				ReleaseFloats(sums...)
			}
		})
	}
}
