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
// cancellation. Readiness checks compare the ones still running with a limit, so that an
// instance full of runaway goroutines is taken out of rotation and restarted; the count
// goes down again when they finish.
type Runaways struct{ running, total atomic.Int64 }

// Count is the number of abandoned executions that are still running.
func (r *Runaways) Count() int64 {
	if r == nil {
		return 0
	}
	return r.running.Load()
}

// Total is the number of executions abandoned so far.
func (r *Runaways) Total() int64 {
	if r == nil {
		return 0
	}
	return r.total.Load()
}

// States of one execution under Timeout: whoever moves it out of running first decides
// whether its result is delivered (returned) or the caller has answered without it.
const (
	running int32 = iota
	returned
	abandoned         // counted in Runaways
	abandonedShutdown // the caller's context ended: a retry, not a runaway
)

// Timeout bounds every execution to d. The runtime honours the deadline itself and
// replies with a TimeoutError failure naming the limit. Should the wrapped handler still
// not return within grace after the deadline (code that ignores its context), the
// execution is abandoned: Timeout answers with a failure reply built by fail, counts the
// runaway in r until the goroutine finishes on its own.
//
// The handler runs on a pool goroutine, so a panic there is out of reach of a Recover
// around Timeout: Timeout recovers it on that goroutine and answers with fail's
// InternalError reply, as Recover does.
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
			var state atomic.Int32
			done := make(chan result, 1)
			pool.Go(func() {
				defer cancel()
				reply, err := handleRecovered(tctx, next, e, fail, log)
				if state.CompareAndSwap(running, returned) {
					done <- result{reply, err}
					return
				}
				if state.Load() == abandoned && r != nil {
					r.running.Add(-1)
				}
				log.Warn("abandoned execution finished", "id", e.ID(), "timeout", d)
			})
			select {
			case res := <-done:
				return res.reply, res.err
			case <-tctx.Done():
			}
			t := time.NewTimer(grace)
			defer t.Stop()
			select {
			case res := <-done:
				return res.reply, res.err
			case <-t.C:
			}
			shutdown := ctx.Err() != nil
			to := abandoned
			if shutdown {
				to = abandonedShutdown
			}
			if r != nil && !shutdown {
				r.running.Add(1) // before the state changes, so that the goroutine's -1 follows it
			}
			if !state.CompareAndSwap(running, to) {
				// it returned just now
				if r != nil && !shutdown {
					r.running.Add(-1)
				}
				res := <-done
				return res.reply, res.err
			}
			if shutdown {
				// the caller gave up (shutdown), not the time limit: let it retry elsewhere
				return nil, context.Cause(ctx)
			}
			if r != nil {
				r.total.Add(1)
			}
			log.Error("execution abandoned after its timeout; the code ignores cancellation", "id", e.ID(), "timeout", d)
			return fail(e, "TimeoutError", "Execution timed out: "+limit.Error()+"; the execution was abandoned"), nil
		})
	}
}
