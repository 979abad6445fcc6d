package function

import (
	"context"
	"fmt"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/runtime/wire"
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
				msg := fmt.Sprintf("request of %d bytes exceeds the limit of %d bytes (%s)", size, n, variable)
				return f.reply(e, f.rejected(time.Now(), nil, ErrTypeRequestParse, 413, msg, wire.AppendString(nil, msg), "")), nil
			}
			return next.Handle(ctx, e)
		})
	}
}
