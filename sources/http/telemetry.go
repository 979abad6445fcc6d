package http

import (
	"context"
	stdhttp "net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/trafofn/trafofn/function"
)

// Metrics are the HTTP source's Prometheus metrics: request durations after
// OpenTelemetry's http.server.request.duration, labelled by method, route (the served
// pattern, "other" for anything else: bounded) and status code.
type Metrics struct {
	duration *prometheus.HistogramVec
}

// NewMetrics registers the HTTP source's metrics with reg; set Config.Metrics to it.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "http_server_request_duration_seconds",
		Help:    "Duration of HTTP requests (OpenTelemetry http.server.request.duration).",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
	}, []string{"http_request_method", "http_route", "http_response_status_code"})}
	if err := reg.Register(m.duration); err != nil {
		return nil, err
	}
	return m, nil
}

// statusRecorder remembers the answer's status; Unwrap keeps http.ResponseController's
// deadlines working through it.
type statusRecorder struct {
	stdhttp.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = stdhttp.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() stdhttp.ResponseWriter { return s.ResponseWriter }

// route is the served pattern of r without its method ("POST /{$}" → "/"), "other" when
// none matched.
func route(r *stdhttp.Request) string {
	p := r.Pattern
	if p == "" {
		return "other"
	}
	if _, path, ok := strings.Cut(p, " "); ok {
		p = path
	}
	return strings.TrimSuffix(p, "{$}")
}

// measure records every request's duration in m.
func (m *Metrics) measure(next stdhttp.Handler) stdhttp.Handler {
	if m == nil {
		return next
	}
	return stdhttp.HandlerFunc(func(w stdhttp.ResponseWriter, r *stdhttp.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = stdhttp.StatusOK
		}
		m.duration.WithLabelValues(r.Method, route(r), strconv.Itoa(rec.status)).Observe(time.Since(start).Seconds())
	})
}

// arrivalKey holds when a request arrived, so that its receive span, started once the
// event is decoded, begins when the request did.
type arrivalKey struct{}

func arrived(r *stdhttp.Request) time.Time {
	if t, ok := r.Context().Value(arrivalKey{}).(time.Time); ok {
		return t
	}
	return time.Now()
}

// requestCarrier reads the W3C trace-context headers of a request (what Knative's
// dispatchers and instrumented clients send), falling back to the event's
// distributed-tracing extension (ce-traceparent, or the structured event's attribute).
type requestCarrier struct {
	h  stdhttp.Header
	ev *event.Event
}

func (c requestCarrier) Get(key string) string {
	if v := c.h.Get(key); v != "" {
		return v
	}
	return function.EventCarrier{E: c.ev}.Get(key)
}
func (c requestCarrier) Set(string, string) {}
func (c requestCarrier) Keys() []string {
	return []string{function.ExtTraceParent, function.ExtTraceState}
}

var _ propagation.TextMapCarrier = requestCarrier{}

// startReceive starts the server span of a request whose event is req, the child of the
// trace context the request carries; nil without a Tracer.
func (s *Server) startReceive(r *stdhttp.Request, req *event.Event) (context.Context, trace.Span) {
	tr := s.cfg.Tracer
	if tr == nil {
		return r.Context(), nil
	}
	ctx := function.TraceContext.Extract(r.Context(), requestCarrier{h: r.Header, ev: req})
	rt := route(r)
	return tr.Start(ctx, r.Method+" "+rt, trace.WithSpanKind(trace.SpanKindServer), trace.WithTimestamp(arrived(r)),
		trace.WithAttributes(semconv.HTTPRequestMethodKey.String(r.Method), semconv.HTTPRoute(rt), semconv.URLPath(r.URL.Path),
			attribute.String("cloudevents.event_id", req.ID())))
}

// startReply starts the span that delivers reply (to the sink, or as the answer) and
// injects it into the reply's tracing extension; ctx without a receive span is returned
// as it is.
func (s *Server) startReply(ctx context.Context, reply *event.Event) (context.Context, trace.Span) {
	if s.cfg.Tracer == nil || !trace.SpanContextFromContext(ctx).IsValid() {
		return ctx, nil
	}
	name, kind := "reply", trace.SpanKindInternal
	if s.cfg.Sink != nil {
		name, kind = "send K_SINK", trace.SpanKindClient
	}
	ctx, span := s.cfg.Tracer.Start(ctx, name, trace.WithSpanKind(kind))
	function.InjectTrace(ctx, reply)
	return ctx, span
}

// endSpan ends span (when tracing) with the answer's status.
func endSpan(span trace.Span, status int, err error) {
	if span == nil {
		return
	}
	span.SetAttributes(semconv.HTTPResponseStatusCode(status))
	if err != nil {
		span.SetStatus(codes.Error, err.Error())
	} else if status >= 500 {
		span.SetStatus(codes.Error, stdhttp.StatusText(status))
	}
	span.End()
}

// outgoingCarrier writes W3C trace-context headers into the sink's request.
type outgoingCarrier struct{ h stdhttp.Header }

func (c outgoingCarrier) Get(key string) string { return c.h.Get(key) }
func (c outgoingCarrier) Set(key, value string) { c.h.Set(key, value) }
func (c outgoingCarrier) Keys() []string        { return nil }
