package function

import (
	"context"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/runtime"
)

// Handler turns one request event into one reply event.
//
// A nil error means the reply is final, also when it reports a failed execution or a request
// that is not an execution request at all: sources deliver it and move on. A non-nil error
// means a fault worth retrying (the caller's context ended, the runtime is shutting down);
// sources must not acknowledge the request in that case.
type Handler interface {
	Handle(ctx context.Context, e event.Event) (*event.Event, error)
}

// HandlerFunc adapts a plain function to Handler.
type HandlerFunc func(ctx context.Context, e event.Event) (*event.Event, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, e event.Event) (*event.Event, error) {
	return f(ctx, e)
}

// Middleware wraps a Handler with a cross-cutting concern.
type Middleware func(Handler) Handler

// Chain applies middlewares so that the first one is the outermost.
func Chain(h Handler, mw ...Middleware) Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// Reply event attributes. Every reply, ok or failure, has type ReplyType.
const (
	// ReplyType is the CloudEvents type of every execution reply.
	ReplyType = "trafofn.execution.response"
	// ExtResult holds the response's "result" field: "ok" or "failure".
	ExtResult = "result"
	// ExtErrorType holds error.type of a failure reply (e.g. RequestParseError).
	ExtErrorType = "errortype"
	// ExtInstance identifies the process that produced the reply.
	ExtInstance = "instance"
	// ExtRequestID copies the request event's id.
	ExtRequestID = "requestid"
	// ExtPartitionKey copies the request event's partitionkey extension.
	ExtPartitionKey = "partitionkey"
	// ExtRawJobID keeps a job_id that was not a valid UUID.
	ExtRawJobID = "rawjobid"
)

// Error types of replies to requests that never reached execution.
const (
	// ErrTypeRequestParse: the data is not an execution request (hetida would answer 422).
	// Sources treat such a record as poison and dead-letter it.
	ErrTypeRequestParse = runtime.ErrTypeRequestParse
	// ErrTypeNotFound: the revision (or a released revision of the group) does not exist (404).
	ErrTypeNotFound = runtime.ErrTypeNotFound
	// ErrTypeWiring: the wiring does not fit the transformation's interface (422).
	ErrTypeWiring = runtime.ErrTypeWiring
)

// IsPoison reports whether reply answers a request that could not be decoded as an
// execution request at all.
func IsPoison(reply *event.Event) bool {
	if reply == nil {
		return false
	}
	v, ok := reply.Extensions()[ExtErrorType].(string)
	return ok && v == ErrTypeRequestParse
}
