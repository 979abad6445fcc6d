package data

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// meanSumLanes (four bins at a time) gives bit for bit the one-bin-at-a-time sums of
// aggFloat: random sorted data with NaN, ±Inf and empty bins, bin counts that are and are
// not multiples of four, mean and sum with min_count.
func TestMeanSumLanesMatchesScalar(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 200 {
		n := 1 + rng.IntN(300)
		idx := make([]int64, n)
		v := make([]float64, n)
		at := int64(0)
		for i := range idx {
			at += rng.Int64N(3 * 60e9) // steps of 0–3 min: some bins empty, some crowded
			idx[i] = at
			v[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)))
			switch rng.IntN(20) {
			case 0:
				v[i] = math.NaN()
			case 1:
				v[i] = math.Inf(1 - 2*rng.IntN(2))
			}
		}
		b, err := NewBins(ctx, Datetimes(idx, UTC), opts(t, []string{"1min", "2min", "5min", "7min"}[trial%4], "", "", "", ""))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			agg      Agg
			minCount int
		}{{AggMean, 0}, {AggSum, 0}, {AggSum, 2}} {
			lanes, err := b.meanSumLanes(ctx, v, c.agg, c.minCount)
			if err != nil {
				t.Fatal(err)
			}
			scalar := *b
			scalar.order = make([]int, n) // the scalar path, through the identity order
			for i := range scalar.order {
				scalar.order[i] = i
			}
			want, err := scalar.aggFloat(ctx, v, c.agg, c.minCount)
			if err != nil {
				t.Fatal(err)
			}
			for k := range want.F {
				if math.Float64bits(lanes.F[k]) != math.Float64bits(want.F[k]) && !(lanes.F[k] != lanes.F[k] && want.F[k] != want.F[k]) {
					t.Fatalf("trial %d %v min %d bin %d: %v, want %v", trial, c.agg, c.minCount, k, lanes.F[k], want.F[k])
				}
			}
		}
	}
}
