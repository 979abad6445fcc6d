// Package backoff is trafofn's one retry policy: delays that double from an initial value up
// to a maximum. Every retry loop (rejoining a consumer group, recreating a producer,
// retrying a handler or a produce, waiting for brokers at start-up) uses it, so that they
// all wait the same way and honour cancellation the same way.
package backoff

import (
	"context"
	"errors"
	"time"
)

// Policy is an exponential backoff: the delay before retry n (counting from 0) is
// Initial·2ⁿ, at most Max. A zero Max means no cap; a zero Initial retries at once.
type Policy struct {
	Initial, Max time.Duration
}

// Delay returns the delay before retry n (0 for the first retry).
func (p Policy) Delay(n int) time.Duration {
	d := p.Initial
	for i := 0; i < n && d > 0; i++ {
		if p.Max > 0 && d >= p.Max {
			break
		}
		if d > time.Duration(1<<62) {
			break // doubling would overflow
		}
		d *= 2
	}
	if p.Max > 0 && d > p.Max {
		d = p.Max
	}
	return d
}

// Backoff counts the retries of one loop.
type Backoff struct {
	Policy
	n int
}

// New returns a Backoff with the given policy.
func New(initial, max time.Duration) *Backoff {
	return &Backoff{Policy: Policy{Initial: initial, Max: max}}
}

// Next returns the delay before the next retry and counts it.
func (b *Backoff) Next() time.Duration {
	d := b.Delay(b.n)
	b.n++
	return d
}

// Reset starts over after a success.
func (b *Backoff) Reset() { b.n = 0 }

// Wait sleeps for the next delay, or until ctx ends (then it returns ctx's error).
func (b *Backoff) Wait(ctx context.Context) error {
	return Sleep(ctx, b.Next())
}

// Sleep waits for d or until ctx ends, whichever comes first; it returns ctx.Err() when ctx
// ended first.
func Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// permanent marks an error that retrying cannot cure.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent wraps err so that Retry returns it at once instead of retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// Retry calls f until it returns nil or a Permanent error, waiting p's delays in between.
// Before each wait it calls onRetry (if not nil) with the error and the delay, for logging.
// When ctx ends, Retry returns f's last error joined with ctx's error (so that both the
// cause and the deadline are reported). A Permanent error is returned unwrapped.
func Retry(ctx context.Context, p Policy, f func() error, onRetry func(err error, delay time.Duration)) error {
	b := &Backoff{Policy: p}
	for {
		err := f()
		if err == nil {
			return nil
		}
		var pe permanent
		if errors.As(err, &pe) {
			return pe.err
		}
		if ctx.Err() != nil {
			return errors.Join(err, ctx.Err())
		}
		d := b.Next()
		if onRetry != nil {
			onRetry(err, d)
		}
		if Sleep(ctx, d) != nil {
			return errors.Join(err, ctx.Err())
		}
	}
}
