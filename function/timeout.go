package function

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
)

// Runaways counts executions abandoned after their timeout: code that ignored the
// cancellation and is still running. Readiness checks compare it with a limit, so that an
// instance full of runaway goroutines is taken out of rotation and restarted.
type Runaways struct{ n atomic.Int64 }

// Count is the number of abandoned executions so far.
func (r *Runaways) Count() int64 {
	if r == nil {
		return 0
	}
	return r.n.Load()
}

// Timeout bounds every execution to d. The runtime honours the deadline itself and
// replies with a TimeoutError failure naming the limit. Should the wrapped handler still
// not return within grace after the deadline (code that ignores its context), the
// execution is abandoned: Timeout answers with a failure reply built by fail, counts the
// runaway in r and lets the goroutine finish on its own.
func Timeout(d, grace time.Duration, fail FailFunc, r *Runaways, log *slog.Logger) Middleware {
	if log == nil {
		log = slog.Default()
	}
	return func(next Handler) Handler {
		if d <= 0 {
			return next
		}
		pool := newWorkers(time.Second)
		return HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
			limit := fmt.Errorf("the execution exceeded its time limit of %s (EXECUTION_TIMEOUT)", d)
			tctx, cancel := context.WithTimeoutCause(ctx, d, limit)
			type result struct {
				reply *event.Event
				err   error
			}
			done := make(chan result, 1)
			pool.Go(func() {
				defer cancel()
				reply, err := next.Handle(tctx, e)
				done <- result{reply, err}
			})
			select {
			case res := <-done:
				return res.reply, res.err
			case <-tctx.Done():
			}
			select {
			case res := <-done:
				return res.reply, res.err
			case <-time.After(grace):
			}
			if ctx.Err() != nil {
				// the caller gave up (shutdown), not the time limit: let it retry elsewhere
				return nil, context.Cause(ctx)
			}
			if r != nil {
				r.n.Add(1)
			}
			log.Error("execution abandoned after its timeout; the code ignores cancellation", "id", e.ID(), "timeout", d)
			return fail(e, "TimeoutError", "Execution timed out: "+limit.Error()+"; the execution was abandoned"), nil
		})
	}
}
