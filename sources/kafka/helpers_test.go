package kafka_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/cloudevents/sdk-go/protocol/kafka_sarama/v2"
	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/google/uuid"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/devbroker"
	"github.com/trafofn/trafofn/sources/kafka"
)

const (
	reqTopic  = kafka.DefaultTopic
	respTopic = kafka.DefaultResponseTopic
	dlqTopic  = kafka.DefaultDeadLetterTopic
	waitFor   = 20 * time.Second
)

// testLogger logs to stderr with -v and TRAFOFN_TEST_LOG=1, else nowhere.
func testLogger() *slog.Logger {
	if os.Getenv("TRAFOFN_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// env is one in-process broker on a random port with the three topics.
type env struct {
	t      *testing.T
	b      *devbroker.Broker
	addrs  []string
	secure func(*kafka.Config) // TLS/SASL settings of every client, if the broker wants them
}

func newEnv(t *testing.T, partitions int32, mods ...func(*devbroker.Config)) *env {
	t.Helper()
	cfg := devbroker.Config{
		Addr:       "127.0.0.1:0",
		Topics:     []string{reqTopic, respTopic, dlqTopic},
		Partitions: partitions,
		Logger:     testLogger(),
	}
	for _, m := range mods {
		m(&cfg)
	}
	b, err := devbroker.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return &env{t: t, b: b, addrs: b.Addrs()}
}

// config is a fast test configuration of the consumer.
func (e *env) config(mods ...func(*kafka.Config)) kafka.Config {
	cfg := kafka.Config{
		Brokers:           e.addrs,
		GroupID:           "test-" + uuid.NewString()[:8],
		RetryBackoff:      20 * time.Millisecond,
		MaxRetryBackoff:   200 * time.Millisecond,
		DrainTimeout:      5 * time.Second,
		SessionTimeout:    6 * time.Second,
		HeartbeatInterval: 500 * time.Millisecond,
		Logger:            testLogger(),
	}
	if e.secure != nil {
		e.secure(&cfg)
	}
	for _, m := range mods {
		m(&cfg)
	}
	return cfg
}

// run is a consumer running in the background.
type run struct {
	c      *kafka.Consumer
	cancel context.CancelFunc
	done   chan error
}

// start runs a consumer with h and waits until it joined its group.
func (e *env) start(cfg kafka.Config, h function.Handler) *run {
	e.t.Helper()
	c, err := kafka.New(cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &run{c: c, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- c.Run(ctx, h) }()
	e.t.Cleanup(func() { _ = r.stop() })
	e.poll("consumer ready", func() bool {
		select {
		case err := <-r.done:
			r.done <- err
			e.t.Fatalf("Run ended before ready: %v", err)
		default:
		}
		return c.Ready() == nil
	})
	return r
}

// stop cancels the consumer and returns Run's result.
func (r *run) stop() error {
	r.cancel()
	select {
	case err := <-r.done:
		r.done <- err
		return err
	case <-time.After(waitFor):
		return errors.New("Run did not return after cancel")
	}
}

// poll waits until cond holds, failing after waitFor.
func (e *env) poll(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(waitFor)
	for !cond() {
		if time.Now().After(deadline) {
			e.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// committed returns the group's committed offset of the request topic's partition, -1 if none.
func (e *env) committed(group string, partition int32) int64 {
	gi := e.b.Cluster().GroupInfo(group)
	if gi == nil {
		return -1
	}
	if c, ok := gi.Commits[reqTopic][partition]; ok {
		return c.Offset
	}
	return -1
}

func (e *env) saramaConfig() *sarama.Config {
	sc, err := e.config().ClientConfig()
	if err != nil {
		e.t.Fatal(err)
	}
	sc.Producer.Return.Successes = true
	sc.Producer.RequiredAcks = sarama.WaitForAll
	sc.Producer.Partitioner = sarama.NewMurmur2Partitioner
	sc.Consumer.Offsets.Initial = sarama.OffsetOldest
	return sc
}

// producer returns a synchronous producer.
func (e *env) producer() sarama.SyncProducer {
	e.t.Helper()
	p, err := sarama.NewSyncProducer(e.addrs, e.saramaConfig())
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = p.Close() })
	return p
}

// produce sends records to the request topic and returns their partitions and offsets.
func (e *env) produce(msgs ...*sarama.ProducerMessage) {
	e.t.Helper()
	p := e.producer()
	for _, m := range msgs {
		if m.Topic == "" {
			m.Topic = reqTopic
		}
		if _, _, err := p.SendMessage(m); err != nil {
			e.t.Fatal(err)
		}
	}
}

// produceTo sends records to one partition of the request topic.
func (e *env) produceTo(partition int32, msgs ...*sarama.ProducerMessage) {
	e.t.Helper()
	sc := e.saramaConfig()
	sc.Producer.Partitioner = sarama.NewManualPartitioner
	p, err := sarama.NewSyncProducer(e.addrs, sc)
	if err != nil {
		e.t.Fatal(err)
	}
	defer p.Close()
	for _, m := range msgs {
		m.Partition = partition
		if _, _, err := p.SendMessage(m); err != nil {
			e.t.Fatal(err)
		}
	}
}

// plain is a record without CloudEvents headers, as kcat -K: produces it.
func plain(key, value string) *sarama.ProducerMessage {
	m := &sarama.ProducerMessage{Topic: reqTopic, Value: sarama.StringEncoder(value)}
	if key != "" {
		m.Key = sarama.StringEncoder(key)
	}
	return m
}

// ceRecord encodes e in binary or structured mode, keyed by key.
func ceRecord(t *testing.T, e event.Event, key string, structured bool) *sarama.ProducerMessage {
	t.Helper()
	m := &sarama.ProducerMessage{Topic: reqTopic}
	ctx := kafka_sarama.WithSkipKeyMapping(context.Background())
	if structured {
		ctx = binding.WithForceStructured(ctx)
	} else {
		ctx = binding.WithForceBinary(ctx)
	}
	if err := kafka_sarama.WriteProducerMessage(ctx, binding.ToMessage(&e), m); err != nil {
		t.Fatal(err)
	}
	if key != "" {
		m.Key = sarama.StringEncoder(key)
	}
	return m
}

// collector reads a topic (all partitions, from the oldest offset) in the background.
type collector struct {
	mu   sync.Mutex
	msgs []*sarama.ConsumerMessage
	ch   chan *sarama.ConsumerMessage
}

func (e *env) collect(topic string, readCommitted bool) *collector {
	e.t.Helper()
	sc := e.saramaConfig()
	if readCommitted {
		sc.Consumer.IsolationLevel = sarama.ReadCommitted
	}
	cons, err := sarama.NewConsumer(e.addrs, sc)
	if err != nil {
		e.t.Fatal(err)
	}
	parts, err := cons.Partitions(topic)
	if err != nil {
		e.t.Fatal(err)
	}
	col := &collector{ch: make(chan *sarama.ConsumerMessage, 100000)}
	var wg sync.WaitGroup
	var pcs []sarama.PartitionConsumer
	e.t.Cleanup(func() {
		for _, pc := range pcs {
			pc.AsyncClose()
		}
		wg.Wait()
		_ = cons.Close()
	})
	for _, p := range parts {
		pc, err := cons.ConsumePartition(topic, p, sarama.OffsetOldest)
		if err != nil {
			e.t.Fatal(err)
		}
		pcs = append(pcs, pc)
		wg.Go(func() {
			for m := range pc.Messages() {
				col.mu.Lock()
				col.msgs = append(col.msgs, m)
				col.mu.Unlock()
				col.ch <- m
			}
		})
	}
	return col
}

// all returns the records read so far.
func (c *collector) all() []*sarama.ConsumerMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*sarama.ConsumerMessage(nil), c.msgs...)
}

// wait returns once n records were read.
func (e *env) wait(c *collector, n int) []*sarama.ConsumerMessage {
	e.t.Helper()
	e.poll(fmt.Sprintf("%d records", n), func() bool { return len(c.all()) >= n })
	return c.all()
}

func header(m *sarama.ConsumerMessage, k string) (string, bool) {
	for _, h := range m.Headers {
		if string(h.Key) == k {
			return string(h.Value), true
		}
	}
	return "", false
}

// toEvent decodes a reply record.
func toEvent(t *testing.T, m *sarama.ConsumerMessage) event.Event {
	t.Helper()
	e, err := binding.ToEvent(context.Background(), kafka_sarama.NewMessageFromConsumerMessage(m))
	if err != nil {
		t.Fatalf("reply at %d/%d is not a CloudEvent: %v", m.Partition, m.Offset, err)
	}
	return *e
}

// execRequest is the shape of the fake function's requests: hetida's job_id plus test fields.
type execRequest struct {
	ID    string `json:"id"`
	JobID string `json:"job_id"`
	Seq   int    `json:"seq"`
}

// fakeHandler answers like the real function: reply type function.ReplyType, subject = job
// id, result extension, requestid/partitionkey copied; data that is not a JSON object with a
// job_id gets a failure reply with errortype RequestParseError (poison). hook, if set, runs
// first and may return an error (a retryable fault).
func fakeHandler(hook func(ctx context.Context, e event.Event, req execRequest) error) function.HandlerFunc {
	return func(ctx context.Context, e event.Event) (*event.Event, error) {
		var req execRequest
		perr := json.Unmarshal(e.Data(), &req)
		if perr == nil && req.JobID == "" {
			perr = errors.New("job_id missing")
		}
		if hook != nil {
			if err := hook(ctx, e, req); err != nil {
				return nil, err
			}
		}
		r := event.New()
		r.SetType(function.ReplyType)
		r.SetSource("/trafofn/test")
		r.SetExtension(function.ExtRequestID, e.ID())
		if k, ok := e.Extensions()[function.ExtPartitionKey]; ok {
			r.SetExtension(function.ExtPartitionKey, k)
		}
		if perr != nil {
			job := uuid.NewString()
			r.SetID(uuid.NewSHA1(uuid.NameSpaceURL, []byte(e.Source()+e.ID())).String())
			r.SetSubject(job)
			r.SetExtension(function.ExtResult, "failure")
			r.SetExtension(function.ExtErrorType, function.ErrTypeRequestParse)
			_ = r.SetData(event.ApplicationJSON, map[string]any{
				"result": "failure", "job_id": job,
				"error": map[string]any{"type": function.ErrTypeRequestParse, "message": perr.Error(), "error_code": 422},
			})
			return &r, nil
		}
		r.SetID(uuid.NewSHA1(uuid.NameSpaceURL, []byte(e.Source()+e.ID())).String())
		r.SetSubject(req.JobID)
		r.SetExtension(function.ExtResult, "ok")
		_ = r.SetData(event.ApplicationJSON, map[string]any{"result": "ok", "job_id": req.JobID, "seq": req.Seq})
		return &r, nil
	}
}

// gate holds the executions it applies to (all, or those of which held reports true) until
// the test sends on release, and counts how many it holds at once: peak is the most.
type gate struct {
	held             func(event.Event) bool
	entered, release chan struct{}
	running, peak    atomic.Int64
}

func newGate(held func(event.Event) bool) *gate {
	return &gate{held: held, entered: make(chan struct{}, 200), release: make(chan struct{})}
}

// handler is fakeHandler, holding the executions at the gate.
func (g *gate) handler() function.HandlerFunc {
	return fakeHandler(func(_ context.Context, ev event.Event, _ execRequest) error {
		if g.held != nil && !g.held(ev) {
			return nil
		}
		n := g.running.Add(1)
		for m := g.peak.Load(); n > m && !g.peak.CompareAndSwap(m, n); m = g.peak.Load() {
		}
		g.entered <- struct{}{}
		<-g.release
		g.running.Add(-1)
		return nil
	})
}

// admit lets the held executions go one at a time, n times, waiting for the next to be held
// after each, and fails t as soon as more than limit were held at once; then it opens the
// gate for good.
func (g *gate) admit(t *testing.T, n int, limit int64, what string) {
	t.Helper()
	for range n {
		g.release <- struct{}{}
		<-g.entered
		if p := g.peak.Load(); p > limit {
			t.Fatalf("%d executions at once, %s %d", p, what, limit)
		}
	}
	close(g.release)
}
