package function

import (
	"context"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/runtime"
)

// LimitRequests answers requests whose data exceeds n bytes with a RequestParseError
// failure reply (error_code 413) naming the limit and variable, without executing them.
// Such records are poison: sources dead-letter them. Use it per source (a Kafka record
// limit need not bound HTTP bodies).
func (f *Function) LimitRequests(n int, variable string) Middleware {
	return func(next Handler) Handler {
		if n <= 0 {
			return next
		}
		return HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
			if size := len(e.Data()); size > n {
				tooLarge := &runtime.TooLargeError{Size: size, Limit: n, Setting: variable}
				return f.reply(e, f.rejected(tooLarge, nil, "", time.Now())), nil
			}
			return next.Handle(ctx, e)
		})
	}
}
