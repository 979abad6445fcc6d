package kafka

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"
)

// errNoTLSAnswer: the broker accepted the connection but did not answer the TLS handshake.
var errNoTLSAnswer = errors.New("no TLS answer")

// tlsDialer connects to a broker and completes the TLS handshake before it returns, both
// within timeout. (sarama's own TLS would run the handshake under the read timeout of the
// first request; a plaintext listener never answers a ClientHello, so start-up hung for
// minutes.) It serves sarama (Net.Proxy.Dialer) and franz-go (kgo.Dialer) alike.
type tlsDialer struct {
	tls     *tls.Config
	timeout time.Duration
}

// Dial implements sarama's proxy.Dialer.
func (d tlsDialer) Dial(network, addr string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, addr)
}

// DialContext dials addr and runs the TLS handshake, both bounded by d.timeout and ctx.
func (d tlsDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	nd := net.Dialer{KeepAlive: 30 * time.Second}
	raw, err := nd.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	tc := d.tls.Clone()
	if tc.ServerName == "" {
		// as sarama does: verify the host name we dialled
		if host, _, err := net.SplitHostPort(addr); err == nil {
			tc.ServerName = host
		}
	}
	conn := tls.Client(raw, tc)
	if err := conn.HandshakeContext(ctx); err != nil {
		_ = raw.Close()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("TLS handshake with %s: %w within %s (does the broker speak TLS on this port?): %w", addr, errNoTLSAnswer, d.timeout, err)
		}
		return nil, fmt.Errorf("TLS handshake with %s: %w", addr, err)
	}
	return conn, nil
}
