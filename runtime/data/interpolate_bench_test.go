package data

import (
	"context"
	"math"
	"testing"
)

// Interpolating 100k points ("time", every tenth masked, NaN at every 97th): the one-pass
// path of InterpolateMaskedSorted.
func BenchmarkInterpolateMasked100k(b *testing.B) {
	const n = 100_000
	ns := make([]int64, n)
	v := make([]float64, n)
	mask := make([]bool, n)
	for i := range ns {
		ns[i] = int64(1672531200e9) + int64(i+5*(i/45))*60e9
		v[i] = 100 + 10*math.Sin(float64(i)/50)
		if i%97 == 0 {
			v[i] = math.NaN()
		}
		mask[i] = i%10 == 3
	}
	s := FloatSeries(nil, Datetimes(ns, UTC), v)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok, err := InterpolateMaskedSorted(ctx, s, mask, InterpolateOptions{Method: "time"}); err != nil || !ok {
			b.Fatal(err)
		}
	}
}
