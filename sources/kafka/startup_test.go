package kafka_test

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/trafofn/trafofn/internal/devbroker"
	"github.com/trafofn/trafofn/internal/harness"
	"github.com/trafofn/trafofn/sources/kafka"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Regression (docker-compose): a broker unreachable at start-up made Run fail within
// 0.75 s, before a broker started beside trafofn was up. Now Run retries with backoff until
// the start-up timeout: the broker appears after a few retries, and the consumer joins and
// answers.
func TestStartupWaitsForTheBroker(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	log := &harness.LogBuffer{}
	cfg := kafka.Config{
		Brokers: []string{addr}, GroupID: "late-broker",
		RetryBackoff: 50 * time.Millisecond, MaxRetryBackoff: 200 * time.Millisecond, StartupTimeout: 10 * time.Minute,
		SessionTimeout: 6 * time.Second, HeartbeatInterval: 500 * time.Millisecond, DrainTimeout: 5 * time.Second,
		Logger: slog.New(slog.NewTextHandler(log, nil)),
	}
	c, err := kafka.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx, fakeHandler(nil)) }()
	e := &env{t: t, addrs: []string{addr}}
	e.poll("three retries", func() bool {
		select {
		case err := <-done:
			t.Fatalf("Run gave up while the broker was not there yet: %v", err)
		default:
		}
		return log.Count("not ready yet") >= 3
	})
	b, err := devbroker.Start(context.Background(), devbroker.Config{Addr: addr, Partitions: 1,
		Topics: []string{reqTopic, respTopic, dlqTopic}, Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	e.b = b
	replies := e.collect(respTopic, false)
	e.poll("joined", func() bool { return c.Ready() == nil })
	e.produce(plain("k", `{"job_id":"late"}`))
	e.wait(replies, 1)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
}

// Past the start-up timeout Run fails, naming the cause and the timeout.
func TestStartupGivesUpAfterTheTimeout(t *testing.T) {
	t.Parallel()
	c, err := kafka.New(kafka.Config{Brokers: []string{freeAddr(t)}, StartupTimeout: 2 * time.Second,
		RetryBackoff: 20 * time.Millisecond, MaxRetryBackoff: 50 * time.Millisecond, Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Run(context.Background(), fakeHandler(nil))
	if err == nil || !strings.Contains(err.Error(), "reachable") || !strings.Contains(err.Error(), "start-up timeout of 2s") {
		t.Fatalf("Run: %v", err)
	}
}

// Regression: TLS against a broker that speaks plaintext hung start-up for minutes (sarama
// runs the handshake under a read timeout above the rebalance timeout, and retries it), and
// SIGTERM was ignored meanwhile. Now the handshake is bounded by DialTimeout and the error
// says what is wrong; and with a long DialTimeout, cancelling Run ends start-up at once.
func TestTLSAgainstPlaintextBroker(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1)
	tlsOn := func(c *kafka.Config) { c.TLS = kafka.TLSConfig{Enable: true}; c.StartupTimeout = 10 * time.Minute }

	c, err := kafka.New(e.config(tlsOn, func(c *kafka.Config) { c.DialTimeout = time.Second }))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err = c.Run(ctx, fakeHandler(nil))
	if ctx.Err() != nil {
		t.Fatalf("Run hung: %v", err)
	}
	if err == nil || !strings.Contains(err.Error(), "does the broker speak TLS") {
		t.Fatalf("Run: %v", err)
	}

	c, err = kafka.New(e.config(tlsOn, func(c *kafka.Config) { c.DialTimeout = 10 * time.Minute }))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx, fakeHandler(nil)) }()
	time.Sleep(200 * time.Millisecond) // into the handshake (not a threshold: any moment works)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run after cancel during start-up: %v, want nil", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("Run ignored the cancellation during the TLS handshake")
	}
}
