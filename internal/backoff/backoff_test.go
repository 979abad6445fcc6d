package backoff

import (
	"context"
	"errors"
	"testing"
	"time"
)

// The delays double from Initial and stop at Max; a huge retry count neither overflows nor
// exceeds Max.
func TestDelay(t *testing.T) {
	p := Policy{Initial: 100 * time.Millisecond, Max: time.Second}
	for n, want := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		if got := p.Delay(n); got != want*time.Millisecond {
			t.Errorf("Delay(%d) = %v, want %v", n, got, want*time.Millisecond)
		}
	}
	if got := p.Delay(1 << 20); got != time.Second {
		t.Errorf("Delay(1<<20) = %v", got)
	}
	if got := (Policy{Initial: time.Hour}).Delay(200); got <= 0 {
		t.Errorf("uncapped delay overflowed: %v", got)
	}
	b := New(10*time.Millisecond, 30*time.Millisecond)
	got := []time.Duration{b.Next(), b.Next(), b.Next()}
	b.Reset()
	got = append(got, b.Next())
	want := []time.Duration{10, 20, 30, 10}
	for i := range want {
		if got[i] != want[i]*time.Millisecond {
			t.Errorf("Next #%d = %v, want %v", i, got[i], want[i]*time.Millisecond)
		}
	}
}

// Retry stops at the first success, returns a permanent error at once, and returns the last
// error together with the context's when the context ends.
func TestRetry(t *testing.T) {
	p := Policy{Initial: time.Millisecond, Max: 4 * time.Millisecond}
	calls := 0
	var delays []time.Duration
	err := Retry(context.Background(), p, func() error {
		calls++
		if calls < 4 {
			return errors.New("not yet")
		}
		return nil
	}, func(_ error, d time.Duration) { delays = append(delays, d) })
	if err != nil || calls != 4 || len(delays) != 3 || delays[2] != 4*time.Millisecond {
		t.Errorf("err %v calls %d delays %v", err, calls, delays)
	}

	cause := errors.New("bad password")
	calls = 0
	err = Retry(context.Background(), p, func() error { calls++; return Permanent(cause) }, nil)
	if err != cause || calls != 1 {
		t.Errorf("permanent: err %v after %d calls", err, calls)
	}

	ctx, cancel := context.WithCancel(context.Background())
	calls = 0
	err = Retry(ctx, p, func() error {
		calls++
		if calls == 3 {
			cancel()
		}
		return errors.New("unreachable")
	}, nil)
	if !errors.Is(err, context.Canceled) || err.Error() == context.Canceled.Error() || calls != 3 {
		t.Errorf("cancelled: err %v after %d calls", err, calls)
	}
}

// Sleep returns at once when the context has ended.
func TestSleepHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan error, 1)
	go func() { done <- Sleep(ctx, time.Hour) }()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep: %v", err)
	}
}
