package kafka_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/devbroker"
	"github.com/trafofn/trafofn/sources"
	"github.com/trafofn/trafofn/sources/kafka"
)

// A reply that cannot be sent as it is must not stall the partition, and the request must
// still get its one reply. Regression: a reply larger than the broker's message.max.bytes or
// the producer's MaxMessageBytes got no reply at all (the request was only dead-lettered).
// Now the reply is replaced by a ReplyTooLarge failure reply, the request is dead-lettered
// with the reason (naming KAFKA_MAX_MESSAGE_BYTES for the local limit instead of blaming the
// broker), the next record is answered, and the commit moves past both.
func TestReplyTooLargeGetsAFailureReply(t *testing.T) {
	t.Parallel()
	for name, setup := range map[string]struct {
		broker  func(*devbroker.Config)
		client  func(*kafka.Config)
		want    string
		refused int64
	}{
		"broker limit": {
			broker:  func(c *devbroker.Config) { c.BrokerConfigs = map[string]string{"message.max.bytes": "12000"} },
			client:  func(*kafka.Config) {},
			want:    "the broker refused the reply",
			refused: 1,
		},
		"producer limit": {
			broker: func(*devbroker.Config) {},
			client: func(c *kafka.Config) { c.MaxMessageBytes = 12000 },
			want:   "KAFKA_MAX_MESSAGE_BYTES",
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, 1, setup.broker)
			replies := e.collect(respTopic, false)
			dead := e.collect(dlqTopic, false)
			cfg := e.config(setup.client)
			base := fakeHandler(nil)
			r := e.start(cfg, function.HandlerFunc(func(ctx context.Context, ev event.Event) (*event.Event, error) {
				reply, err := base(ctx, ev)
				var req execRequest
				_ = ev.DataAs(&req)
				if err == nil && req.JobID == "big" {
					_ = reply.SetData(event.ApplicationJSON, map[string]string{"job_id": "big", "pad": strings.Repeat("x", 20000)})
				}
				return reply, err
			}))
			e.produce(plain("k1", `{"job_id":"big"}`), plain("k2", `{"job_id":"small"}`))
			byKey := map[string]*sarama.ConsumerMessage{}
			for _, m := range e.wait(replies, 2) {
				byKey[string(m.Key)] = m
			}
			if byKey["k1"] == nil || byKey["k2"] == nil {
				t.Fatalf("replies %v, want one for k1 and one for k2", byKey)
			}
			if v, _ := header(byKey["k1"], "ce_errortype"); v != "ReplyTooLarge" {
				t.Errorf("reply to the big one: errortype %q, want ReplyTooLarge: %s", v, byKey["k1"].Value)
			}
			if v, _ := header(byKey["k2"], "ce_subject"); v != "small" {
				t.Errorf("reply to k2 has subject %q, want small", v)
			}
			dl := e.wait(dead, 1)[0]
			if string(dl.Value) != `{"job_id":"big"}` || string(dl.Key) != "k1" {
				t.Errorf("dead letter %q/%q, want the big request", dl.Key, dl.Value)
			}
			if why, _ := header(dl, sources.HeaderDLQError); !strings.Contains(why, setup.want) {
				t.Errorf("dead letter error %q does not mention %q", why, setup.want)
			}
			e.poll("commit past both", func() bool { return e.committed(cfg.GroupID, 0) == 2 })
			if s := r.c.Stats(); s.Refused != setup.refused || s.Dropped != 0 {
				t.Errorf("stats %+v: want %d refused replies, none dropped", s, setup.refused)
			}
			if err := r.stop(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Regression (a 60 KB request with 20,000 `{}` wirings): the rejection reply listed every
// problem and was 9.8 MB; the producer refused it, the dead letter carried the whole error
// text in a header (5.2 MB) and was dropped too: no reply at all. With the default limits the
// request now gets a small ReplyTooLarge failure reply, and a dead letter whose error header
// is cut to a few kilobytes.
func TestHugeRejectionReplyIsBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1)
	replies := e.collect(respTopic, false)
	dead := e.collect(dlqTopic, false)
	cfg := e.config()
	huge := strings.Repeat("wiring 1: field required; ", 200_000) // 5.2 MB of error text
	r := e.start(cfg, function.HandlerFunc(func(_ context.Context, ev event.Event) (*event.Event, error) {
		reply := event.New()
		reply.SetID("r-" + ev.ID())
		reply.SetType(function.ReplyType)
		reply.SetSource("/trafofn/test")
		reply.SetSubject("job-huge")
		reply.SetExtension(function.ExtResult, "failure")
		reply.SetExtension(function.ExtErrorType, function.ErrTypeRequestParse)
		_ = reply.SetData(event.ApplicationJSON, map[string]any{"result": "failure", "error": map[string]any{
			"type": function.ErrTypeRequestParse, "message": huge, "extra_information": map[string]string{"detail": huge},
		}})
		return &reply, nil
	}))
	request := `{"id":"x","wiring":{"input_wirings":[{},{},{}]}}`
	e.produce(plain("k", request))
	m := e.wait(replies, 1)[0]
	if v, _ := header(m, "ce_errortype"); v != "ReplyTooLarge" || len(m.Value) > 10_000 {
		t.Fatalf("reply: errortype %q, %d bytes; want a small ReplyTooLarge failure", v, len(m.Value))
	}
	dl := e.wait(dead, 1)[0]
	why, _ := header(dl, sources.HeaderDLQError)
	if string(dl.Value) != request || len(why) > 5000 || !strings.HasPrefix(why, function.ErrTypeRequestParse+": wiring 1") {
		t.Errorf("dead letter value %q, error header of %d bytes: %.100q", dl.Value, len(why), why)
	}
	e.poll("commit", func() bool { return e.committed(cfg.GroupID, 0) == 1 })
	if s := r.c.Stats(); s.DeadLettered != 1 || s.Dropped != 0 || s.Replied != 1 {
		t.Errorf("stats %+v", s)
	}
}

// Regression: with the default limits (KAFKA_MAX_RECORD_BYTES = KAFKA_MAX_MESSAGE_BYTES =
// 1 MiB) an oversized request record was handed to the handler and never dead-lettered: its
// dead letter, the whole value plus headers, was always larger than the producer's limit.
// Now the record is refused without calling the handler, answered with a failure reply
// naming KAFKA_MAX_RECORD_BYTES, and dead-lettered as a truncated copy with its own headers
// and the original size.
func TestOversizedRecordIsRefusedAndDeadLetteredTruncated(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1, func(c *devbroker.Config) {
		c.BrokerConfigs = map[string]string{"message.max.bytes": strconv.Itoa(4 << 20)}
	})
	replies := e.collect(respTopic, false)
	dead := e.collect(dlqTopic, false)
	cfg := e.config()
	var handled atomic.Int64
	r := e.start(cfg, fakeHandler(func(context.Context, event.Event, execRequest) error {
		handled.Add(1)
		return nil
	}))
	value := `{"job_id":"big","pad":"` + strings.Repeat("y", 2<<20) + `"}`
	big := plain("k-big", value)
	big.Headers = []sarama.RecordHeader{{Key: []byte("x-origin"), Value: []byte("test")}}
	sc := e.saramaConfig()
	sc.Producer.MaxMessageBytes = 3 << 20
	p, err := sarama.NewSyncProducer(e.addrs, sc)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, m := range []*sarama.ProducerMessage{big, plain("k-next", `{"job_id":"next"}`)} {
		if _, _, err := p.SendMessage(m); err != nil {
			t.Fatal(err)
		}
	}
	got := e.wait(replies, 2)
	if v, _ := header(got[0], "ce_errortype"); string(got[0].Key) != "k-big" || v != function.ErrTypeRequestParse || !strings.Contains(string(got[0].Value), "KAFKA_MAX_RECORD_BYTES") {
		t.Errorf("reply to the big record: key %q errortype %q: %.300s", got[0].Key, v, got[0].Value)
	}
	if handled.Load() != 1 {
		t.Errorf("the handler ran %d times, want once (not for the oversized record)", handled.Load())
	}
	dl := e.wait(dead, 1)[0]
	if string(dl.Key) != "k-big" || len(dl.Value) == 0 || len(dl.Value) >= cfg.WithDefaults().MaxMessageBytes || !strings.HasPrefix(value, string(dl.Value)) {
		t.Errorf("dead letter %q: %d bytes of value, want a prefix of the record below the limit", dl.Key, len(dl.Value))
	}
	for k, want := range map[string]string{"x-origin": "test", sources.HeaderDLQTruncated: strconv.Itoa(len(value)), sources.HeaderDLQOffset: "0"} {
		if v, _ := header(dl, k); v != want {
			t.Errorf("dead letter header %s = %q, want %q", k, v, want)
		}
	}
	e.poll("commit past both", func() bool { return e.committed(cfg.GroupID, 0) == 2 })
	if s := r.c.Stats(); s.Oversized != 1 || s.DeadLettered != 1 || s.Dropped != 0 {
		t.Errorf("stats %+v", s)
	}
}

// The Sink (replies of the HTTP source) returns nil only once the reply is on the response
// topic, keyed by its partitionkey, in binary mode; after Close it refuses to send.
func TestSink(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 2)
	replies := e.collect(respTopic, false)
	s, err := kafka.NewSink(context.Background(), e.config())
	if err != nil {
		t.Fatal(err)
	}
	reply := event.New()
	reply.SetID("r1")
	reply.SetType(function.ReplyType)
	reply.SetSource("/trafofn/test")
	reply.SetSubject("job-1")
	reply.SetExtension(function.ExtPartitionKey, "exec_job_1")
	_ = reply.SetData(event.ApplicationJSON, map[string]string{"job_id": "job-1"})
	if err := s.Send(context.Background(), reply); err != nil {
		t.Fatal(err)
	}
	// Acknowledged means written: the record is in the log the moment Send returns.
	client, err := sarama.NewClient(e.addrs, e.saramaConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	var written int64
	for p := range int32(2) {
		hw, err := client.GetOffset(respTopic, p, sarama.OffsetNewest)
		if err != nil {
			t.Fatal(err)
		}
		written += hw
	}
	if written != 1 {
		t.Fatalf("%d records in the response topic after Send returned, want 1", written)
	}
	m := e.wait(replies, 1)[0]
	if string(m.Key) != "exec_job_1" || string(m.Value) != `{"job_id":"job-1"}` {
		t.Errorf("record %q = %q", m.Key, m.Value)
	}
	if v, _ := header(m, "ce_id"); v != "r1" {
		t.Errorf("ce_id %q", v)
	}
	// a reply larger than MaxMessageBytes is refused naming the limit, not the broker
	big := reply.Clone()
	_ = big.SetData(event.ApplicationJSON, map[string]string{"pad": strings.Repeat("x", 2<<20)})
	if err := s.Send(context.Background(), big); !errors.Is(err, kafka.ErrReplyTooLarge) || !strings.Contains(err.Error(), "KAFKA_MAX_MESSAGE_BYTES") {
		t.Errorf("Send of a 2 MB reply: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := s.Send(context.Background(), reply); err != kafka.ErrSinkClosed {
		t.Fatalf("Send after Close: %v", err)
	}
}

// A dead letter the broker refuses for good (the dead-letter topic's max.message.bytes is
// smaller than the poison record) is logged and counted as dropped; the partition goes on.
func TestDeadLetterRefusedDoesNotStall(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1)
	c := e.b.Cluster()
	if err := c.DeleteTopic(dlqTopic); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateTopic(dlqTopic, 1, map[string]string{"max.message.bytes": "1000"}); err != nil {
		t.Fatal(err)
	}
	replies := e.collect(respTopic, false)
	cfg := e.config()
	r := e.start(cfg, fakeHandler(nil))
	e.produce(plain("k", "not json "+strings.Repeat("x", 3000)), plain("k", `{"job_id":"after"}`))
	got := e.wait(replies, 2)
	if v, _ := header(got[0], "ce_result"); v != "failure" {
		t.Errorf("first reply result %q, want failure", v)
	}
	e.poll("commit past both", func() bool { return e.committed(cfg.GroupID, 0) == 2 })
	if s := r.c.Stats(); s.Dropped != 1 {
		t.Errorf("stats %+v: want 1 dropped dead letter", s)
	}
}

// batchCodecs records the codec of every batch a kgo consumer reads.
type batchCodecs struct {
	mu     sync.Mutex
	codecs map[uint8]int
	n      int
}

func (b *batchCodecs) OnFetchBatchRead(_ kgo.BrokerMetadata, _ string, _ int32, m kgo.FetchBatchMetrics) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.codecs[m.CompressionType]++
	b.n += m.NumRecords
}

// Regression: the configured compression never reached the producer, so every reply batch
// was uncompressed. With zstd configured, the response topic holds zstd batches.
func TestRepliesAreCompressed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 2)
	replies := e.collect(respTopic, false)
	e.start(e.config(func(c *kafka.Config) { c.Compression = "zstd" }), fakeHandler(nil))
	var msgs []*sarama.ProducerMessage
	for i := range 50 {
		msgs = append(msgs, plain(fmt.Sprintf("k%d", i), fmt.Sprintf(`{"job_id":"j-%d"}`, i)))
	}
	e.produce(msgs...)
	e.wait(replies, 50)
	h := &batchCodecs{codecs: map[uint8]int{}}
	cl, err := kgo.NewClient(kgo.SeedBrokers(e.addrs...), kgo.ConsumeTopics(respTopic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.WithHooks(h))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	e.poll("the replies read back", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		cl.PollFetches(ctx)
		cancel()
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.n >= 50
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.codecs) != 1 || h.codecs[4] == 0 { // 4: zstd
		t.Errorf("batch codecs %v, want only zstd (4)", h.codecs)
	}
}
