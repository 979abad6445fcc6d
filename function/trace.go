package function

import (
	"context"

	"github.com/cloudevents/sdk-go/v2/event"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/trafofn/trafofn/runtime"
)

// The CloudEvents distributed-tracing extension: W3C trace context as event attributes.
const (
	ExtTraceParent = "traceparent"
	ExtTraceState  = "tracestate"
)

// TraceContext is the W3C trace-context propagator every source uses (traceparent and
// tracestate; no baggage).
var TraceContext propagation.TextMapPropagator = propagation.TraceContext{}

// EventCarrier reads and writes an event's distributed-tracing extension, so that the
// propagator extracts the parent from a request event and injects a span into a reply.
type EventCarrier struct{ E *event.Event }

var _ propagation.TextMapCarrier = EventCarrier{}

// Get returns the extension key (traceparent, tracestate) as a string.
func (c EventCarrier) Get(key string) string {
	if c.E == nil {
		return ""
	}
	v, err := c.E.Context.GetExtension(key)
	if err != nil || v == nil {
		return ""
	}
	s, _ := v.(string)
	return s
}

// Set sets the extension key; an empty value removes it.
func (c EventCarrier) Set(key, value string) {
	if c.E == nil {
		return
	}
	if value == "" {
		_ = c.E.Context.SetExtension(key, nil)
		return
	}
	_ = c.E.Context.SetExtension(key, value)
}

// Keys lists the tracing extensions the event has.
func (c EventCarrier) Keys() []string {
	var ks []string
	for _, k := range []string{ExtTraceParent, ExtTraceState} {
		if c.Get(k) != "" {
			ks = append(ks, k)
		}
	}
	return ks
}

// InjectTrace sets reply's distributed-tracing extension to the span in ctx; without a
// valid span it leaves the reply alone.
func InjectTrace(ctx context.Context, reply *event.Event) {
	if reply == nil || !trace.SpanContextFromContext(ctx).IsValid() {
		return
	}
	TraceContext.Inject(ctx, EventCarrier{E: reply})
}

// OperatorSpans is the runtime's OperatorHook that starts a span per operator, a child of
// the execute span, named after the operator and carrying its component; a component
// error marks the span as failed.
func OperatorSpans(tracer trace.Tracer) runtime.OperatorHook { return operatorSpans{tracer} }

type operatorSpans struct{ t trace.Tracer }

func (o operatorSpans) StartOperator(ctx context.Context, op runtime.Operator) (context.Context, func(error)) {
	ctx, span := o.t.Start(ctx, "operator "+op.Name, trace.WithAttributes(
		attribute.String("trafofn.operator.id", op.ID),
		attribute.String("trafofn.operator.name", op.Name),
		attribute.StringSlice("trafofn.operator.path", op.Path),
		attribute.String("trafofn.component.id", op.ComponentID),
		attribute.String("trafofn.component.name", op.ComponentName),
		attribute.String("trafofn.component.tag", op.ComponentTag),
	))
	return ctx, func(err error) {
		if err != nil {
			span.SetStatus(codes.Error, err.Error())
		}
		span.End()
	}
}
