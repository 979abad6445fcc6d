package library

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/trafofn/trafofn/internal/gctune"
	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// dqBenchSeries is the series tools/bench_pandas_dq.py builds for pandas: n points from
// 2023-01-01T00:00:00Z, point i at minute i + 5·⌊i/45⌋ (one minute apart, with a
// six-minute gap after every 45 points), value 100 + 10·sin(i/50) + ((i·7919) mod
// 1000)/100, NaN at every 97th point.
func dqBenchSeries(n int) *data.Series {
	const start = int64(1672531200e9)
	ns := make([]int64, n)
	v := make([]float64, n)
	for i := range n {
		ns[i] = start + int64(i+5*(i/45))*60e9
		v[i] = 100 + 10*math.Sin(float64(i)/50) + float64((i*7919)%1000)/100
		if i%97 == 0 {
			v[i] = math.NaN()
		}
	}
	return data.FloatSeries(nil, data.Datetimes(ns, data.UTC), v)
}

// dqBench runs a component on prepared inputs b.N times (optional inputs at their
// defaults unless given).
func dqBench(b *testing.B, meta *component.Meta, vals map[string]any) {
	spec, ok := Registry().Get(meta.ID)
	if !ok {
		b.Fatalf("%s is not registered", meta.Name)
	}
	all := map[string]any{}
	for _, p := range spec.In {
		if p.Optional {
			all[p.Name] = p.Default
			if p.Name == "interpolation_params" {
				all[p.Name] = dict("method", "time")
			}
		}
	}
	for k, v := range vals {
		all[k] = v
	}
	in := component.NewInputs(spec, all)
	ctx := context.Background()
	// the garbage collector settings of trafofn serve (internal/gctune)
	defer gctune.AsServed(os.Environ())()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := spec.Run(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// The benchmarks tools/bench_pandas_dq.py compares with pandas: 100k points, as the
// component receives them from an upstream operator (JSON parsing not included).

// Gap Detection Intervals with its defaults: frequency estimated (median step, 1 min),
// 2222 gaps with the values around them.
func BenchmarkGapDetectionIntervals100k(b *testing.B) {
	dqBench(b, &metaGapDetectionIntervals, map[string]any{"timeseries": dqBenchSeries(100_000), "auto_frequency_determination": true,
		"auto_freq_percentile": 0.5, "auto_freq_min_amount_datapoints": int64(11), "expected_data_freq_allowed_variance_factor": 1.0,
		"deactivate_freq_based_gap_detection": false})
}

// Resample Datetime Index using Mean, 15-minute bins.
func BenchmarkResampleDatetimeIndexUsingMean100k(b *testing.B) {
	dqBench(b, &metaResampleDatetimeIndexUsingMean, map[string]any{"data": dqBenchSeries(100_000), "t": "15min"})
}

// Interpolate Timeseries with the default method "time", every tenth point marked.
func BenchmarkInterpolateTimeseries100k(b *testing.B) {
	s := dqBenchSeries(100_000)
	mask := make([]bool, s.Len())
	for i := range mask {
		mask[i] = i%10 == 3
	}
	dqBench(b, &metaInterpolateTimeseries, map[string]any{"timeseries": s, "filter_series": data.NewSeries(nil, s.Index, data.Bools(mask)),
		"interpolation_params": dict("method", "time")})
}
