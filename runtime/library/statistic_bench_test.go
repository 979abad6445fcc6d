package library

import (
	"context"
	"math"
	"os"
	"runtime/metrics"
	"slices"
	"testing"
	"time"

	"github.com/trafofn/trafofn/internal/gctune"
	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// benchSeries is the benchmark series tools/bench_pandas.py builds for pandas: n points
// one minute apart from 2023-01-01T00:00:00Z, value 100 + 10·sin(i/50) +
// ((i·7919) mod 1000)/100, NaN at every 97th point.
func benchSeries(n int) *data.Series {
	const start = int64(1672531200e9)
	ns := make([]int64, n)
	v := make([]float64, n)
	for i := range n {
		ns[i] = start + int64(i)*minute
		v[i] = 100 + 10*math.Sin(float64(i)/50) + float64((i*7919)%1000)/100
		if i%97 == 0 {
			v[i] = math.NaN()
		}
	}
	return data.FloatSeries(nil, data.Datetimes(ns, data.UTC), v)
}

// benchComponent runs a component on prepared inputs b.N times, and reports the fastest
// and the median call besides the mean: tools/bench_pandas.py compares each with the
// same statistic of pandas' calls.
func benchComponent(b *testing.B, meta *component.Meta, vals map[string]any) {
	spec, ok := Registry().Get(meta.ID)
	if !ok {
		b.Fatalf("%s is not registered", meta.Name)
	}
	in := component.NewInputs(spec, vals)
	ctx := context.Background()
	// the garbage collector settings of trafofn serve (internal/gctune), as the other
	// component benchmarks
	defer gctune.AsServed(os.Environ())()
	// warm, as a server that has run for a while: calls until the collector has run
	// twice (the heap's memory is then mapped and touched, as it is in steady state;
	// fresh pages cost a page fault each, 0.4 ms a call at 100k points) or for 300 ms
	// (the cycle count from runtime/metrics: ReadMemStats would stop the world every call)
	cycles := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(cycles)
	gc0, until := cycles[0].Value.Uint64(), time.Now().Add(300*time.Millisecond)
	for cycles[0].Value.Uint64() < gc0+2 && time.Now().Before(until) {
		if _, err := spec.Run(ctx, in); err != nil {
			b.Fatal(err)
		}
		metrics.Read(cycles)
	}
	b.ReportAllocs()
	b.ResetTimer()
	// on a machine shared with other work the mean carries its load: the fastest and
	// the median call too
	var calls []time.Duration
	for b.Loop() {
		t := time.Now()
		if _, err := spec.Run(ctx, in); err != nil {
			b.Fatal(err)
		}
		calls = append(calls, time.Since(t))
	}
	slices.Sort(calls)
	b.ReportMetric(float64(calls[0].Nanoseconds()), "fastest-ns/op")
	b.ReportMetric(float64(calls[len(calls)/2].Nanoseconds()), "median-ns/op")
}

// The benchmarks tools/bench_pandas.py compares with pandas: 100k points, as the
// component receives them from its upstream operator (JSON parsing not included).

// Moving median time with t = "1h": windows of 60 points.
func BenchmarkMovingMedianTime100k(b *testing.B) {
	benchComponent(b, &metaMovingMedianTime, map[string]any{"data": benchSeries(100_000), "t": "1h"})
}

// Moving average time with t = "1h".
func BenchmarkMovingAverageTime100k(b *testing.B) {
	benchComponent(b, &metaMovingAverageTime, map[string]any{"data": benchSeries(100_000), "t": "1h"})
}

// Moving Time Window Mean, 1h windows every 30 min, both ends closed (the rolling path,
// as in the reference case d-perf-moving-time-window-mean-100k).
func BenchmarkMovingTimeWindowMean100k(b *testing.B) {
	benchComponent(b, &metaMovingTimeWindowMean, mtwInputs("30min"))
}

// Moving Time Window Median, the same windows.
func BenchmarkMovingTimeWindowMedian100k(b *testing.B) {
	benchComponent(b, &metaMovingTimeWindowMedian, mtwInputs("30min"))
}

// Moving Time Window Median with a window every minute: 100k overlapping windows.
func BenchmarkMovingTimeWindowMedianDense100k(b *testing.B) {
	benchComponent(b, &metaMovingTimeWindowMedian, mtwInputs("1min"))
}

func mtwInputs(freq string) map[string]any {
	return map[string]any{"timeseries": benchSeries(100_000), "window_size": "1h", "window_frequency": freq,
		"frequency_offset": "0min", "interval_type": "closed", "label_position": "right"}
}
