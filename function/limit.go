package function

import (
	"context"

	"github.com/cloudevents/sdk-go/v2/event"
)

// InFlight bounds the requests an instance works on at once, over all its sources
// (MAX_IN_FLIGHT): each request, its body and its reply are in memory while it holds a
// slot. A source that can let requests wait (Kafka: they stay in the log) waits for a
// slot with Middleware; one that cannot (HTTP) takes one with TryAcquire before reading
// the body and answers 503 when none is free. A nil *InFlight has no bound.
type InFlight struct{ slots chan struct{} }

// NewInFlight returns a bound of n requests; nil (no bound) for n <= 0.
func NewInFlight(n int) *InFlight {
	if n <= 0 {
		return nil
	}
	return &InFlight{slots: make(chan struct{}, n)}
}

// TryAcquire takes a slot if one is free.
func (l *InFlight) TryAcquire() bool {
	if l == nil {
		return true
	}
	select {
	case l.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// Acquire waits for a slot until ctx ends.
func (l *InFlight) Acquire(ctx context.Context) error {
	if l == nil {
		return nil
	}
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// Release frees a slot taken by TryAcquire or Acquire.
func (l *InFlight) Release() {
	if l != nil {
		<-l.slots
	}
}

// InUse is the number of slots taken.
func (l *InFlight) InUse() int {
	if l == nil {
		return 0
	}
	return len(l.slots)
}

// Middleware holds a slot while the wrapped handler runs, waiting for one first; a
// context that ends while waiting is a handler error (the request is retried).
func (l *InFlight) Middleware() Middleware {
	return func(next Handler) Handler {
		if l == nil {
			return next
		}
		return HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
			if err := l.Acquire(ctx); err != nil {
				return nil, err
			}
			defer l.Release()
			return next.Handle(ctx, e)
		})
	}
}
