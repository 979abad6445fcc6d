package kafka

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/IBM/sarama"
	cloudevent "github.com/cloudevents/sdk-go/v2/event"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/devbroker"
)

func lifecycleBroker(t *testing.T) (*devbroker.Broker, Config) {
	t.Helper()
	b, err := devbroker.Start(context.Background(), devbroker.Config{Addr: "127.0.0.1:0", Partitions: 1,
		Topics: []string{DefaultTopic, DefaultResponseTopic, DefaultDeadLetterTopic},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b, Config{
		Brokers: b.Addrs(), GroupID: "lifecycle-" + t.Name(),
		RetryBackoff: 20 * time.Millisecond, MaxRetryBackoff: 100 * time.Millisecond,
		SessionTimeout: 6 * time.Second, HeartbeatInterval: 500 * time.Millisecond, DrainTimeout: 5 * time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

var echo = function.HandlerFunc(func(_ context.Context, e cloudevent.Event) (*cloudevent.Event, error) { return &e, nil })

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Regression: closing a reply producer twice panicked inside sarama (closing a closed
// channel), which is what a shutdown during a producer replacement did.
func TestReplyProducerCloseIsIdempotent(t *testing.T) {
	_, cfg := lifecycleBroker(t)
	pcfg, err := cfg.WithDefaults().producerConfig()
	if err != nil {
		t.Fatal(err)
	}
	rp, err := newReplyProducer(cfg.WithDefaults(), pcfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := rp.Close(); err != nil {
		t.Fatal(err)
	}
	if err := rp.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if !rp.isClosed() {
		t.Fatal("the producer's client is open after Close")
	}
}

// Regression: when Consume reported ErrClosedConsumerGroup, Run returned at once and left
// the group's client, the commit client and the reply producer open. Now every way out of
// Run goes through the one cleanup path.
func TestRunClosesEverythingWhenTheGroupIsClosed(t *testing.T) {
	_, cfg := lifecycleBroker(t)
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Run(context.Background(), echo) }()
	waitFor(t, "joined", func() bool { return c.Ready() == nil })
	x, rp := c.conns, c.prod()
	_ = x.group.Close() // from outside Run, as sarama does when the group dies
	select {
	case err := <-done:
		if !errors.Is(err, sarama.ErrClosedConsumerGroup) {
			t.Fatalf("Run: %v, want ErrClosedConsumerGroup", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after its group was closed")
	}
	if !x.client.Closed() || !x.commit.Closed() || !rp.isClosed() {
		t.Errorf("left open: group client %v, commit client %v, producer %v", !x.client.Closed(), !x.commit.Closed(), !rp.isClosed())
	}
}

// Regression: a shutdown while the reply producer was being replaced closed the old
// producer a second time (panic in sarama). The broker here refuses every new producer id,
// so the replacement keeps retrying until Run's context ends; Run must then return nil and
// close everything. (Only the transactional producer is replaced; it is sarama's, which
// asks for its producer id when it is created.)
func TestShutdownDuringProducerReplacement(t *testing.T) {
	b, cfg := lifecycleBroker(t)
	cfg.ExactlyOnce = true
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx, echo) }()
	waitFor(t, "joined", func() bool { return c.Ready() == nil })
	var refusals atomic.Int64
	cl := b.Cluster()
	cl.ControlKey(int16(kmsg.InitProducerID), func(kr kmsg.Request) (kmsg.Response, error, bool) {
		cl.KeepControl()
		refusals.Add(1)
		resp := kr.(*kmsg.InitProducerIDRequest).ResponseKind().(*kmsg.InitProducerIDResponse)
		resp.ErrorCode = kerr.ClusterAuthorizationFailed.Code
		return resp, nil, true
	})
	old := c.prod()
	c.producerFailed() // as a fatal transaction error does
	waitFor(t, "replacement attempts", func() bool { return refusals.Load() >= 2 })
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return")
	}
	if !old.isClosed() || !c.conns.client.Closed() || !c.conns.commit.Closed() {
		t.Error("a client was left open")
	}
}
