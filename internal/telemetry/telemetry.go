// Package telemetry builds what serve exposes about itself: the Prometheus registry with
// every component's metrics, and the OpenTelemetry tracer provider exporting over OTLP.
// It is the only package that knows the OpenTelemetry SDK; the components see the API.
package telemetry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	goruntime "runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/trafofn/trafofn/function"
	httpsrc "github.com/trafofn/trafofn/sources/http"
	"github.com/trafofn/trafofn/sources/kafka"
)

// SpanExporter receives finished spans (the SDK's; tests use tracetest's in-memory one).
type SpanExporter = sdktrace.SpanExporter

// Config says what to build; its zero value builds nothing.
type Config struct {
	// Metrics builds the registry and every component's metrics.
	Metrics bool
	// Version is the trafofn_build_info label.
	Version string
	// Runaways, when set, reports the executions abandoned after their timeout that are
	// still running and all abandoned so far (function.Runaways).
	Runaways func() (running, total int64)

	// Tracing exports spans over OTLP/HTTP to Endpoint with Headers, sampled by Sampler
	// (an OTEL_TRACES_SAMPLER name) with SamplerArg; the resource is ServiceName,
	// ServiceVersion, InstanceID and Attributes.
	Tracing                                 bool
	Endpoint                                string
	Headers                                 map[string]string
	Sampler, SamplerArg                     string
	ServiceName, ServiceVersion, InstanceID string
	Attributes                              map[string]string
	// Exporter, when set, receives the spans synchronously instead of OTLP (tests).
	Exporter SpanExporter
}

// Telemetry is what New built: nil fields are off.
type Telemetry struct {
	Registry *prometheus.Registry
	Function *function.Metrics
	Kafka    *kafka.Metrics
	HTTP     *httpsrc.Metrics

	provider *sdktrace.TracerProvider
}

// New builds the registry and the tracer provider cfg asks for.
func New(cfg Config) (*Telemetry, error) {
	t := &Telemetry{}
	if cfg.Metrics {
		if err := t.metrics(cfg); err != nil {
			return nil, err
		}
	}
	if cfg.Tracing || cfg.Exporter != nil {
		tp, err := tracerProvider(cfg)
		if err != nil {
			return nil, err
		}
		t.provider = tp
	}
	return t, nil
}

func (t *Telemetry) metrics(cfg Config) error {
	reg := prometheus.NewRegistry()
	t.Registry = reg
	var err error
	if t.Function, err = function.NewMetrics(reg); err != nil {
		return err
	}
	if t.Kafka, err = kafka.NewMetrics(reg); err != nil {
		return err
	}
	if t.HTTP, err = httpsrc.NewMetrics(reg); err != nil {
		return err
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "trafofn_build_info",
		Help:        "Always 1; the labels name the running build.",
		ConstLabels: prometheus.Labels{"version": cfg.Version, "goversion": goruntime.Version()},
	})
	build.Set(1)
	cs := []prometheus.Collector{build, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})}
	if r := cfg.Runaways; r != nil {
		cs = append(cs,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "trafofn_runaway_executions",
				Help: "Executions abandoned after their timeout (EXECUTION_TIMEOUT) that are still running: code ignoring its cancellation (UNREADY_AFTER_RUNAWAYS).",
			}, func() float64 { n, _ := r(); return float64(n) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{
				Name: "trafofn_runaway_executions_total",
				Help: "Executions abandoned after their timeout so far.",
			}, func() float64 { _, n := r(); return float64(n) }),
		)
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// MetricsHandler serves the registry in Prometheus' text format; nil without metrics.
func (t *Telemetry) MetricsHandler() http.Handler {
	if t.Registry == nil {
		return nil
	}
	return promhttp.HandlerFor(t.Registry, promhttp.HandlerOpts{})
}

// Tracer is the named tracer, nil without tracing (the components then trace nothing and
// pay nothing).
func (t *Telemetry) Tracer(name string) trace.Tracer {
	if t.provider == nil {
		return nil
	}
	return t.provider.Tracer(name)
}

// Shutdown flushes and stops the span exporter (within ctx).
func (t *Telemetry) Shutdown(ctx context.Context) error {
	if t.provider == nil {
		return nil
	}
	return t.provider.Shutdown(ctx)
}

func tracerProvider(cfg Config) (*sdktrace.TracerProvider, error) {
	sampler, err := samplerOf(cfg.Sampler, cfg.SamplerArg)
	if err != nil {
		return nil, err
	}
	attrs := []attribute.KeyValue{semconv.ServiceName(cfg.ServiceName), semconv.ServiceVersion(cfg.ServiceVersion)}
	if cfg.InstanceID != "" {
		attrs = append(attrs, semconv.ServiceInstanceID(cfg.InstanceID))
	}
	for k, v := range cfg.Attributes {
		if k != string(semconv.ServiceNameKey) || cfg.ServiceName == "" {
			attrs = append(attrs, attribute.String(k, v))
		}
	}
	opts := []sdktrace.TracerProviderOption{
		sdktrace.WithSampler(sampler),
		sdktrace.WithResource(resource.NewWithAttributes(semconv.SchemaURL, attrs...)),
	}
	if cfg.Exporter != nil {
		opts = append(opts, sdktrace.WithSyncer(cfg.Exporter))
	} else {
		exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(cfg.Endpoint), otlptracehttp.WithHeaders(cfg.Headers))
		if err != nil {
			return nil, fmt.Errorf("OTLP trace exporter: %w", err)
		}
		// batches leave in the background: an execution never waits for the collector
		opts = append(opts, sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(time.Second)))
	}
	return sdktrace.NewTracerProvider(opts...), nil
}

func samplerOf(name, arg string) (sdktrace.Sampler, error) {
	ratio := 1.0
	if arg != "" {
		r, err := strconv.ParseFloat(arg, 64)
		if err != nil {
			return nil, errors.New("OTEL_TRACES_SAMPLER_ARG is not a number")
		}
		ratio = r
	}
	switch name {
	case "always_on":
		return sdktrace.AlwaysSample(), nil
	case "always_off":
		return sdktrace.NeverSample(), nil
	case "traceidratio":
		return sdktrace.TraceIDRatioBased(ratio), nil
	case "", "parentbased_always_on":
		return sdktrace.ParentBased(sdktrace.AlwaysSample()), nil
	case "parentbased_always_off":
		return sdktrace.ParentBased(sdktrace.NeverSample()), nil
	case "parentbased_traceidratio":
		return sdktrace.ParentBased(sdktrace.TraceIDRatioBased(ratio)), nil
	}
	return nil, fmt.Errorf("unknown sampler %q", name)
}
