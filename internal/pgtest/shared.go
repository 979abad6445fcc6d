package pgtest

import (
	"errors"
	"sync"
	"testing"
)

var shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Need returns the test binary's shared server, started on first use. Without the server
// binaries it skips tb, or fails it when required is set (CI=true: the integration tests
// must run there); any other start-up failure fails tb.
func Need(tb testing.TB, required bool) *Server {
	tb.Helper()
	shared.once.Do(func() { shared.srv, shared.err = Start() })
	switch {
	case shared.err == nil:
		return shared.srv
	case errors.Is(shared.err, ErrNoBinaries) && !required:
		tb.Skip(Skip(shared.err))
	default:
		tb.Fatal(Skip(shared.err))
	}
	return nil
}

// StopShared stops the shared server, if one was started (call it from TestMain after
// m.Run).
func StopShared() { shared.srv.Stop() }

// StartFor starts a server of tb's own, stopped when tb ends (for test binaries that have
// no TestMain to stop a shared one); skipping and failing as Need does.
func StartFor(tb testing.TB, required bool) *Server {
	tb.Helper()
	s, err := Start()
	switch {
	case err == nil:
		tb.Cleanup(s.Stop)
		return s
	case errors.Is(err, ErrNoBinaries) && !required:
		tb.Skip(Skip(err))
	default:
		tb.Fatal(Skip(err))
	}
	return nil
}
