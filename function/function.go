// Package function is trafofn as a pure function: an execution request arrives as a
// CloudEvent (or as hetida's plain JSON body) and leaves as an execution response. It
// knows nothing of Kafka or HTTP; sources feed it and deliver its replies.
package function

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/cloudevents/sdk-go/v2/types"
	"github.com/google/uuid"

	"github.com/trafofn/trafofn/runtime"
)

// Mode selects hetida's request model for Execute.
type Mode = runtime.Mode

// Request models of hetida's two execute endpoints.
const (
	ModeByID   = runtime.ByID
	ModeLatest = runtime.LatestByGroup
)

// Options configure a Function.
type Options struct {
	Runtime *runtime.Runtime // required
	// ServiceName names the reply source /trafofn/<ServiceName> (default "trafofn").
	ServiceName string
	// InstanceID identifies this process in the "instance" extension (default: random).
	InstanceID string
	// MaxReplyBytes bounds every reply event of Handle (0: none): a larger execution
	// response becomes a ReplyTooLarge failure naming the limit, a larger rejection or
	// failure is cut to fit. Executed responses to plain bodies (WithEndpoint: hetida's
	// HTTP endpoints) are not limited.
	MaxReplyBytes int
	// HideProcessID makes process_id null in replies to rejected requests (the runtime
	// has its own option for executed ones).
	HideProcessID bool
	Logger        *slog.Logger
}

// Function executes requests. It is safe for concurrent use.
type Function struct {
	rt        *runtime.Runtime
	source    string
	sourceRef types.URIRef
	instance  string
	maxReply  int
	processID int
	hidePID   bool
	log       *slog.Logger
}

var _ Handler = (*Function)(nil)

// New builds a Function.
func New(opts Options) (*Function, error) {
	if opts.Runtime == nil {
		return nil, errors.New("function: Options.Runtime is required")
	}
	f := &Function{rt: opts.Runtime, source: "/trafofn/" + opts.ServiceName, instance: opts.InstanceID,
		maxReply: opts.MaxReplyBytes, log: opts.Logger,
		processID: os.Getpid(), hidePID: opts.HideProcessID}
	if opts.ServiceName == "" {
		f.source = "/trafofn/trafofn"
	}
	ref := types.ParseURIRef(f.source)
	if ref == nil {
		return nil, fmt.Errorf("function: service name %q does not make a valid reply source %s", opts.ServiceName, f.source)
	}
	f.sourceRef = *ref
	if f.instance == "" {
		f.instance = uuid.NewString()
	}
	if f.log == nil {
		f.log = slog.Default()
	}
	return f, nil
}

// endpointKey marks contexts of requests that came as plain bodies (WithEndpoint).
type endpointKey struct{}

// WithEndpoint marks ctx for a request that arrived at one of hetida's execute endpoints
// (or trafofn exec) as a plain body rather than as an event: Handle validates its data
// with mode's request model and leaves executed responses whole (MaxReplyBytes bounds
// messages, not HTTP bodies); HTTPAnswer turns the reply into hetida's answer. The HTTP
// source runs these requests through the same middlewares as events, so that the
// execution timeout, panic recovery, accounting and the in-flight bound apply to all.
func WithEndpoint(ctx context.Context, mode Mode) context.Context {
	return context.WithValue(ctx, endpointKey{}, mode)
}

// endpoint returns the mode WithEndpoint stored in ctx.
func endpoint(ctx context.Context) (Mode, bool) {
	m, ok := ctx.Value(endpointKey{}).(Mode)
	return m, ok
}

// Handle answers a request event with a reply event (see reply.go for its attributes).
// Every request gets a reply, also when it is not an execution request at all; the error
// is non-nil only when the context was cancelled before the execution finished, which is
// worth retrying elsewhere.
func (f *Function) Handle(ctx context.Context, e event.Event) (*event.Event, error) {
	mode, plain := endpoint(ctx)
	if !plain {
		mode = runtime.AnyMode
	}
	out := f.run(ctx, mode, e.Data())
	if out.cancelled {
		return nil, context.Cause(ctx)
	}
	if out.resp != nil {
		executed(ctx, out.resp.TransformationID)
	}
	if !plain {
		out = f.limitReply(out)
	}
	reply := f.reply(e, out)
	InjectTrace(ctx, reply)
	return reply, nil
}

// Source returns the CloudEvents source of replies (/trafofn/<service name>).
func (f *Function) Source() string { return f.source }

// Execute serves a plain body as hetida's endpoints do, on the path of Handle (without
// middlewares; sources use ExecuteWith): the body of every request hetida answers with
// 200 equals the data of Handle's reply; requests hetida rejects keep their 404/422
// status and {"detail": …} body.
func (f *Function) Execute(ctx context.Context, mode Mode, body []byte) (resp []byte, status int) {
	return ExecuteWith(ctx, f, mode, NewRequest("", "/trafofn/execute", "", body))
}

// ExecuteWith handles req through h under WithEndpoint(mode) and returns hetida's answer
// (HTTPAnswer); a handler fault (the context ended) is a 503 naming it.
func ExecuteWith(ctx context.Context, h Handler, mode Mode, req event.Event) (resp []byte, status int) {
	reply, err := h.Handle(WithEndpoint(ctx, mode), req)
	if err != nil || reply == nil {
		msg := "the execution was not finished"
		if err != nil {
			msg += ": " + err.Error()
		}
		detail, _ := json.Marshal(msg)
		return []byte(`{"detail":` + string(detail) + `}`), 503
	}
	return HTTPAnswer(reply)
}

// RequestType is the type of request events built from plain bodies (NewRequest).
const RequestType = "trafofn.execution.request"

// NewRequest wraps a plain request body into an event of RequestType: id (a new UUID when
// empty), source, datacontenttype (application/json when empty) and the time.
func NewRequest(id, source, contentType string, body []byte) event.Event {
	e := event.New()
	if id == "" {
		id = uuid.NewString()
	}
	e.SetID(id)
	e.SetType(RequestType)
	e.SetSource(source)
	e.SetTime(time.Now())
	if contentType == "" {
		contentType = event.ApplicationJSON
	}
	_ = e.SetData(contentType, body)
	return e
}
