package main

import (
	"context"
	"time"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/config"
	"github.com/trafofn/trafofn/internal/telemetry"
	"github.com/trafofn/trafofn/sources/kafka"
)

// Tracer names: one per component, so that a collector can tell them apart.
const (
	tracerFunction = "github.com/trafofn/trafofn/function"
	tracerKafka    = "github.com/trafofn/trafofn/sources/kafka"
	tracerHTTP     = "github.com/trafofn/trafofn/sources/http"
)

// telemetryConfig maps the environment onto telemetry: metrics unless METRICS_ENABLED=false,
// spans over OTLP only where the OTEL_* variables ask for them.
func telemetryConfig(cfg *config.Config, runaways *function.Runaways) telemetry.Config {
	tc := telemetry.Config{
		Metrics: cfg.MetricsEnabled,
		Version: versionString(),
		Tracing: cfg.TracingEnabled(),
		Sampler: cfg.OTelTracesSampler, SamplerArg: cfg.OTelTracesSamplerArg,
		ServiceName: cfg.TraceServiceName(), ServiceVersion: versionString(),
		Attributes: cfg.ResourceAttributes(),
	}
	if runaways != nil {
		tc.Runaways = func() (int64, int64) { return runaways.Count(), runaways.Total() }
	}
	if tc.Tracing {
		tc.Endpoint, tc.Headers = cfg.TracesEndpoint(), cfg.TracesHeaders()
	}
	return tc
}

// newTelemetry builds the app's telemetry; exp, when set, receives the spans (tests).
func (a *app) newTelemetry(exp telemetry.SpanExporter) error {
	tc := telemetryConfig(a.cfg, &a.runaways)
	tc.Exporter = exp
	t, err := telemetry.New(tc)
	if err != nil {
		return err
	}
	a.tel = t
	return nil
}

// observing is the Observe middleware's telemetry.
func (a *app) observing() *function.Telemetry {
	return &function.Telemetry{Metrics: a.tel.Function, Tracer: a.tel.Tracer(tracerFunction)}
}

// observeKafka adds the Kafka source's metrics and tracer to kc.
func (a *app) observeKafka(kc kafka.Config) kafka.Config {
	kc.Metrics, kc.Tracer = a.tel.Kafka, a.tel.Tracer(tracerKafka)
	return kc
}

// closeTelemetry flushes the spans still buffered (within a few seconds).
func (a *app) closeTelemetry() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.tel.Shutdown(ctx); err != nil {
		a.log.Warn("flushing spans", "err", err)
	}
}
