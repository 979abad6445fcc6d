package kafka

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"github.com/IBM/sarama"

	"github.com/trafofn/trafofn/internal/backoff"
)

// Start-up: brokers that are not reachable yet (docker-compose starts them side by side with
// trafofn) are waited for with backoff until StartupTimeout; so are missing topics (an init
// job may still be creating them). Brokers that answer but refuse us (TLS, SASL, a listener
// of another protocol) are a configuration error and fail at once. Every blocking step runs
// beside the caller's context, so that SIGTERM ends start-up at any stage.

// startup retries attempt until it succeeds, fails permanently, the start-up deadline
// (start + StartupTimeout) passes or ctx ends; it returns errCancelled when ctx ended, else
// the last attempt's error. The stages of one start-up share start, and so the deadline.
func (c Config) startup(ctx context.Context, start time.Time, what string, attempt func() error) error {
	sctx, cancel := context.WithDeadline(ctx, start.Add(c.StartupTimeout))
	defer cancel()
	var last error // of the last attempt that finished
	err := backoff.Retry(sctx, backoff.Policy{Initial: c.RetryBackoff, Max: c.MaxRetryBackoff}, func() error {
		err := inBackground(sctx, attempt)
		if err != nil && sctx.Err() == nil {
			last = err
		}
		return err
	}, func(err error, d time.Duration) {
		c.Logger.Warn("kafka: "+what+": not ready yet, retrying", "err", err, "backoff", d, "waited", time.Since(start).Round(time.Millisecond), "startup_timeout", c.StartupTimeout)
	})
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return errCancelled
	case sctx.Err() != nil:
		if last == nil {
			last = fmt.Errorf("kafka: %s: no answer from %v", what, c.Brokers)
		}
		return fmt.Errorf("%w (gave up after the start-up timeout of %s)", last, c.StartupTimeout)
	}
	return err
}

// errCancelled: the caller's context ended during start-up.
var errCancelled = errors.New("kafka: start-up cancelled")

// inBackground runs f beside ctx: sarama's constructors take no context and may block for
// their timeouts; when ctx ends first, f finishes (and cleans up) on its own.
func inBackground(ctx context.Context, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// checkBrokers connects once, fetches the metadata of topics and reports what failed:
// unreachable brokers and missing topics as retryable, refused connections as permanent.
func (c Config) checkBrokers(topics ...string) error {
	sc, err := c.base()
	if err != nil {
		return backoff.Permanent(err)
	}
	sc.Metadata.Retry.Max = 0 // startup retries, with its own backoff and deadline
	client, err := sarama.NewClient(c.Brokers, sc)
	if err != nil {
		return c.connectError(err)
	}
	defer client.Close()
	for _, t := range topics {
		if _, err := client.Partitions(t); err != nil {
			return fmt.Errorf("kafka: topic %q: %w", t, err)
		}
	}
	return nil
}

// security describes how c connects, for start-up errors (a broker that rejects a login may
// just close the connection, leaving sarama with a bare EOF).
func (c Config) security() string {
	s := "plaintext"
	if c.TLS.Enable {
		s = "TLS"
	}
	if c.SASL.Mechanism == "" {
		return s + ", no SASL"
	}
	return fmt.Sprintf("%s, SASL %s as user %q", s, c.SASL.Mechanism, c.SASL.User)
}

// connectError explains a failed first connection and decides whether waiting can help.
// When no broker accepts TCP connections, they may still be starting: retryable. When one
// does, a handshake failure (TLS, SASL, or the broker closing the connection, which is how
// brokers answer a login they reject or a protocol they do not speak) will not heal:
// permanent, with a hint. Timeouts and other failures of a reachable broker stay retryable.
func (c Config) connectError(err error) error {
	reachable := false
	for _, b := range c.Brokers {
		if conn, derr := net.DialTimeout("tcp", b, min(2*time.Second, c.DialTimeout)); derr == nil {
			conn.Close()
			reachable = true
			break
		}
	}
	if !reachable {
		return fmt.Errorf("kafka: no broker of %v is reachable (%s): %w", c.Brokers, c.security(), err)
	}
	if !handshakeFailure(err) {
		return fmt.Errorf("kafka: connect to %v (%s): %w", c.Brokers, c.security(), err)
	}
	hint := ""
	if c.TLS.Enable || c.SASL.Mechanism != "" {
		hint = " (the brokers accept connections but ended the handshake: check the TLS settings and the SASL mechanism, user and password)"
	} else {
		hint = " (the brokers accept connections but ended the handshake: do they want TLS or SASL?)"
	}
	return backoff.Permanent(fmt.Errorf("kafka: connect to %v (%s): %w%s", c.Brokers, c.security(), err, hint))
}

// handshakeFailure reports errors that mean "the broker answers, but not to us".
func handshakeFailure(err error) bool {
	var ke sarama.KError
	if errors.As(err, &ke) {
		switch ke {
		case sarama.ErrSASLAuthenticationFailed, sarama.ErrUnsupportedSASLMechanism, sarama.ErrIllegalSASLState,
			sarama.ErrClusterAuthorizationFailed, sarama.ErrTopicAuthorizationFailed, sarama.ErrGroupAuthorizationFailed:
			return true
		}
	}
	var (
		rec   tls.RecordHeaderError
		alert tls.AlertError
		verr  *tls.CertificateVerificationError
		ua    x509.UnknownAuthorityError
		ci    x509.CertificateInvalidError
		hn    x509.HostnameError
	)
	if errors.As(err, &rec) || errors.As(err, &alert) || errors.As(err, &verr) || errors.As(err, &ua) || errors.As(err, &ci) || errors.As(err, &hn) {
		return true
	}
	if errors.Is(err, errNoTLSAnswer) {
		return true
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
}
