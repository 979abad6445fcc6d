package runtime_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/trafofn/trafofn/internal/gctune"
	"github.com/trafofn/trafofn/internal/workload"
	"github.com/trafofn/trafofn/runtime"
)

// BenchmarkVolatility measures one execution of the Volatility Detection Example
// in-process, request JSON in → response JSON out, sequentially, on the embedded
// catalogue: hetida needs 13.5 ms / 25 ms / 208 ms for 10 / 10k / 100k points.
//
//	go test -run '^$' -bench Volatility -benchmem ./runtime/
func BenchmarkVolatility(b *testing.B) {
	asServed(b)
	rt, err := runtime.New(runtime.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10, 10_000, 100_000} {
		series := workload.SeedSeries
		if n != 10 {
			series = workload.PointsSeries(n)
		}
		for _, plots := range []bool{false, true} {
			body := workload.Volatility(workload.VolatilityRequest{Series: series, Plots: plots, JobID: "00000000-0000-0000-0000-000000000002"})
			b.Run(fmt.Sprintf("points=%d/plots=%t", n, plots), func(b *testing.B) { benchExecute(b, rt, body) })
		}
	}
}

// BenchmarkMovingTimeWindowMeanExample is the same measurement for the Moving Time Window
// Mean Example at 100k points (5-minute spacing, the example's own parameters): hetida
// needs 254 ms end to end.
//
//	go test -run '^$' -bench MovingTimeWindowMeanExample -benchmem ./runtime/
func BenchmarkMovingTimeWindowMeanExample(b *testing.B) {
	asServed(b)
	rt, err := runtime.New(runtime.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, plots := range []bool{false, true} {
		body := workload.MovingTimeWindowMean(workload.PointsSeries(100_000), plots)
		b.Run(fmt.Sprintf("points=100000/plots=%t", plots), func(b *testing.B) { benchExecute(b, rt, body) })
	}
}

// asServed runs the benchmark with the garbage collector settings trafofn serve uses by
// default (GOGC=200 and a 32 MiB heap headroom, internal/gctune), or with the GOGC and
// GC_HEAP_HEADROOM set for the benchmark: the figures are meant to be those of the served
// function.
func asServed(b *testing.B) { b.Cleanup(gctune.AsServed(os.Environ())) }

// benchExecute measures body from request JSON to response JSON, as a source runs it.
func benchExecute(b *testing.B, rt *runtime.Runtime, body []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	ctx := context.Background()
	var out []byte
	for b.Loop() {
		req, err := rt.DecodeRequest(body, runtime.ByID)
		if err != nil {
			b.Fatal(err)
		}
		resp, err := rt.Execute(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		if resp.Result != runtime.ResultOK {
			b.Fatalf("result %s: %+v", resp.Result, resp.Error)
		}
		out = resp.AppendJSON(out[:0])
	}
}
