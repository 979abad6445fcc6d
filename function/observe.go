package function

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
)

// Stats are counters of handled requests, safe for concurrent use.
type Stats struct {
	OK, Failed, Faults atomic.Int64
	busyNanos          atomic.Int64
}

// Busy is the total time spent in the handler.
func (s *Stats) Busy() time.Duration { return time.Duration(s.busyNanos.Load()) }

// Observe counts every request in s and logs it at debug level (failures at info) with
// the job id, result, error type and duration.
func Observe(s *Stats, log *slog.Logger) Middleware {
	if log == nil {
		log = slog.Default()
	}
	return func(next Handler) Handler {
		return HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
			start := time.Now()
			reply, err := next.Handle(ctx, e)
			d := time.Since(start)
			if s != nil {
				s.busyNanos.Add(int64(d))
			}
			switch {
			case err != nil:
				if s != nil {
					s.Faults.Add(1)
				}
				log.Warn("request not answered; to be retried", "id", e.ID(), "duration", d, "err", err)
			case reply != nil && reply.Extensions()[ExtResult] == "failure":
				if s != nil {
					s.Failed.Add(1)
				}
				log.Info("execution failed", "id", e.ID(), "job_id", reply.Subject(), "error", reply.Extensions()[ExtErrorType], "duration", d)
			default:
				if s != nil {
					s.OK.Add(1)
				}
				if log.Enabled(ctx, slog.LevelDebug) {
					job := ""
					if reply != nil {
						job = reply.Subject()
					}
					log.Debug("execution ok", "id", e.ID(), "job_id", job, "duration", d)
				}
			}
			return reply, err
		})
	}
}
