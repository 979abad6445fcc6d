package function

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// Stats are counters of handled requests, safe for concurrent use.
type Stats struct {
	OK, Failed, Faults atomic.Int64
	busyNanos          atomic.Int64
}

// Busy is the total time spent in the handler.
func (s *Stats) Busy() time.Duration { return time.Duration(s.busyNanos.Load()) }

// Telemetry is what Observe records besides Stats and the log: Prometheus metrics and
// OpenTelemetry spans. A nil Telemetry, or a nil field, records nothing and costs nothing.
type Telemetry struct {
	Metrics *Metrics
	// Tracer starts the execute span of every request, a child of the span in the
	// request's context (the source's receive span), and the operator spans below it
	// (OperatorSpans).
	Tracer trace.Tracer
}

// Metrics are the function's Prometheus metrics (see the README's metrics table).
type Metrics struct {
	inFlight prometheus.Gauge
	duration *prometheus.HistogramVec // transformation_id, result
	errors   *prometheus.CounterVec   // error_type
}

// Label values: transformation_id is a revision id from the catalogue, or "none" for a
// request that executed nothing (not an execution request, an unknown revision, a wiring
// that does not fit), so that the label's values stay bounded by the catalogue.
const noTransformation = "none"

// NewMetrics registers the function's metrics with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "trafofn_executions_in_flight",
			Help: "Requests being handled (decoded, executed or answered) right now, over all sources.",
		}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "trafofn_execution_duration_seconds",
			Help:    "Time from a request reaching the function to its reply, by executed transformation revision and result.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"transformation_id", "result"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trafofn_execution_errors_total",
			Help: "Failure replies by error type (error.type of the response: RequestParseError, TimeoutError, ValueError, …).",
		}, []string{"error_type"}),
	}
	for _, c := range []prometheus.Collector{m.inFlight, m.duration, m.errors} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// observation is what the Function tells Observe about a request through its context:
// the executed revision, which the reply does not carry. It is atomic because Timeout may
// answer while the execution is still running on its own goroutine.
type observation struct{ transformation atomic.Pointer[string] }

type observationKey struct{}

// executed tells the request's Observe which revision ran.
func executed(ctx context.Context, id string) {
	if o, ok := ctx.Value(observationKey{}).(*observation); ok && id != "" {
		o.transformation.Store(&id)
	}
}

// Observe counts every request in s, records tel, and logs one line per request at info
// level: the request id, job id, transformation id, result, error type, duration and
// trace id (never the request's data). A request not answered (a fault, retried) is logged
// at warn level.
func Observe(s *Stats, log *slog.Logger, tel *Telemetry) Middleware {
	if log == nil {
		log = slog.Default()
	}
	if tel == nil {
		tel = &Telemetry{}
	}
	m, tracer := tel.Metrics, tel.Tracer
	return func(next Handler) Handler {
		return HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
			start := time.Now()
			obs := &observation{}
			ctx = context.WithValue(ctx, observationKey{}, obs)
			var span trace.Span
			if tracer != nil {
				ctx, span = tracer.Start(ctx, "execute", trace.WithAttributes(attribute.String("cloudevents.event_id", e.ID())))
			}
			if m != nil {
				m.inFlight.Inc()
			}
			reply, err := next.Handle(ctx, e)
			d := time.Since(start)
			if m != nil {
				m.inFlight.Dec()
			}
			if s != nil {
				s.busyNanos.Add(int64(d))
			}
			trafo := noTransformation
			if p := obs.transformation.Load(); p != nil {
				trafo = *p
			}
			var traceID string
			if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
				traceID = sc.TraceID().String()
			}
			if err != nil {
				if s != nil {
					s.Faults.Add(1)
				}
				if span != nil {
					span.SetStatus(codes.Error, "not answered: "+err.Error())
					span.End()
				}
				log.Warn("request not answered; to be retried", "id", e.ID(), "transformation_id", trafo, "duration", d, "trace_id", traceID, "err", err)
				return nil, err
			}
			result, errType, job := "ok", "", ""
			if reply != nil {
				job = reply.Subject()
				// (Extensions() would copy the map twice)
				if r, _ := reply.Context.GetExtension(ExtResult); r != nil {
					if r, _ := r.(string); r != "" {
						result = r
					}
				}
				if et, _ := reply.Context.GetExtension(ExtErrorType); et != nil {
					errType, _ = et.(string)
				}
			}
			if s != nil {
				if result == "failure" {
					s.Failed.Add(1)
				} else {
					s.OK.Add(1)
				}
			}
			if m != nil {
				m.duration.WithLabelValues(trafo, result).Observe(d.Seconds())
				if errType != "" {
					m.errors.WithLabelValues(errType).Inc()
				}
			}
			if span != nil {
				span.SetAttributes(attribute.String("trafofn.job_id", job), attribute.String("trafofn.transformation_id", trafo),
					attribute.String("trafofn.result", result))
				if errType != "" {
					span.SetAttributes(attribute.String("error.type", errType))
					span.SetStatus(codes.Error, errType)
				}
				span.End()
			}
			if !log.Enabled(ctx, slog.LevelInfo) {
				return reply, nil
			}
			attrs := make([]slog.Attr, 0, 7)
			attrs = append(attrs, slog.String("id", e.ID()), slog.String("job_id", job), slog.String("transformation_id", trafo), slog.String("result", result))
			if errType != "" {
				attrs = append(attrs, slog.String("error_type", errType))
			}
			attrs = append(attrs, slog.Duration("duration", d))
			if traceID != "" {
				attrs = append(attrs, slog.String("trace_id", traceID))
			}
			log.LogAttrs(ctx, slog.LevelInfo, "execution", attrs...)
			return reply, nil
		})
	}
}
