package function_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/workload"
)

// BenchmarkHandle measures Handle for the document's request: event in, reply event out.
//
//	go test -run '^$' -bench Handle -benchmem ./function/
func BenchmarkHandle(b *testing.B) {
	f := newFunction(b, function.Options{})
	for _, plots := range []bool{false, true} {
		name := "plots=false"
		if plots {
			name = "plots=true"
		}
		e := requestEvent("partition:0/offset:1", workload.SeedRequest(plots))
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.Handle(context.Background(), e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkObserve measures the Observe middleware around Handle with and without its
// metrics (the log discarded at info level, as LOG_LEVEL=warn does).
//
//	go test -run '^$' -bench Observe -benchmem ./function/
func BenchmarkObserve(b *testing.B) {
	f := newFunction(b, function.Options{})
	m, err := function.NewMetrics(prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))
	e := requestEvent("partition:0/offset:1", workload.SeedRequest(false))
	reply, err := f.Handle(context.Background(), e)
	if err != nil {
		b.Fatal(err)
	}
	// canned answers the reply at once: what Observe itself costs
	canned := function.HandlerFunc(func(context.Context, event.Event) (*event.Event, error) { return reply, nil })
	for _, tc := range []struct {
		name string
		core function.Handler
		tel  *function.Telemetry
	}{
		{"handle/metrics=off", f, nil}, {"handle/metrics=on", f, &function.Telemetry{Metrics: m}},
		{"canned/metrics=off", canned, nil}, {"canned/metrics=on", canned, &function.Telemetry{Metrics: m}},
	} {
		h := function.Observe(&function.Stats{}, log, tc.tel)(tc.core)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := h.Handle(context.Background(), e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
