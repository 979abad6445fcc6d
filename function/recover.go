package function

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/cloudevents/sdk-go/v2/event"
)

// Recover turns a panic in the wrapped handler into a final failure reply (type
// "InternalError") built by fail, so that a request which crashes the code path is
// answered and acknowledged instead of being redelivered forever. Component panics never
// get here: the runtime reports them as execution failures. Timeout runs the handler on
// another goroutine, out of reach of a Recover around it, and recovers there itself.
func Recover(fail FailFunc, log *slog.Logger) Middleware {
	if log == nil {
		log = slog.Default()
	}
	return func(next Handler) Handler {
		return HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
			return handleRecovered(ctx, next, e, fail, log)
		})
	}
}

// handleRecovered calls next and turns a panic into fail's InternalError reply.
func handleRecovered(ctx context.Context, next Handler, e event.Event, fail FailFunc, log *slog.Logger) (reply *event.Event, err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Error("handler panicked", "id", e.ID(), "panic", r, "stack", string(debug.Stack()))
			reply, err = fail(e, "InternalError", fmt.Sprintf("trafofn failed while handling the request: %v", r)), nil
		}
	}()
	return next.Handle(ctx, e)
}
