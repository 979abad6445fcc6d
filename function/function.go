// Package function is trafofn as a pure function: an execution request arrives as a
// CloudEvent (or as hetida's plain JSON body) and leaves as an execution response. It
// knows nothing of Kafka or HTTP; sources feed it and deliver its replies.
package function

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

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
	// MaxRequestBytes rejects larger request data as unparsable (0: no limit); see also
	// LimitRequests for a per-source limit.
	MaxRequestBytes int
	// MaxReplyBytes turns larger replies of Handle into failure replies naming the limit
	// (0: none). hetida's HTTP endpoints (Execute) are not limited.
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
	maxReq    int
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
		maxReq: opts.MaxRequestBytes, maxReply: opts.MaxReplyBytes, log: opts.Logger,
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

// Handle answers a request event with a reply event (see reply.go for its attributes).
// Every request gets a reply, also when it is not an execution request at all; the error
// is non-nil only when the context was cancelled before the execution finished, which is
// worth retrying elsewhere.
func (f *Function) Handle(ctx context.Context, e event.Event) (*event.Event, error) {
	out := f.run(ctx, runtime.AnyMode, e.Data())
	if out.cancelled {
		return nil, context.Cause(ctx)
	}
	return f.reply(e, f.limitReply(out)), nil
}

// Source returns the CloudEvents source of replies (/trafofn/<service name>).
func (f *Function) Source() string { return f.source }

// Execute serves hetida's plain-JSON endpoints on the same path as Handle: the body of
// every request hetida answers with 200 equals the data of Handle's reply; requests hetida
// rejects keep their 404/422 status and {"detail": …} body.
func (f *Function) Execute(ctx context.Context, mode Mode, body []byte) (resp []byte, status int) {
	out := f.run(ctx, mode, body)
	if out.status == 200 {
		return out.data, 200
	}
	return out.detail, out.status
}
