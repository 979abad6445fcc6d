package kafka_test

import (
	"context"
	"strings"
	"testing"

	"github.com/IBM/sarama"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/devbroker"
	"github.com/trafofn/trafofn/sources"
	"github.com/trafofn/trafofn/sources/kafka"
)

// A reply the broker refuses for good (larger than message.max.bytes, or than the producer's
// MaxMessageBytes) must not stall the partition: the request is dead-lettered with the
// produce error, the next record is answered, and the commit moves past both.
func TestReplyTooLargeIsDeadLettered(t *testing.T) {
	t.Parallel()
	for name, setup := range map[string]struct {
		broker func(*devbroker.Config)
		client func(*kafka.Config)
		want   string
	}{
		"broker limit": {
			broker: func(c *devbroker.Config) { c.BrokerConfigs = map[string]string{"message.max.bytes": "2000"} },
			client: func(*kafka.Config) {},
			want:   "too large",
		},
		"producer limit": {
			broker: func(*devbroker.Config) {},
			client: func(c *kafka.Config) { c.MaxMessageBytes = 2000 },
			want:   "MaxMessageBytes",
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
					_ = reply.SetData(event.ApplicationJSON, map[string]string{"job_id": "big", "pad": strings.Repeat("x", 5000)})
				}
				return reply, err
			}))
			e.produce(plain("k1", `{"job_id":"big"}`), plain("k2", `{"job_id":"small"}`))
			got := e.wait(replies, 1)
			if v, _ := header(got[0], "ce_subject"); v != "small" {
				t.Fatalf("reply to %q, want small", v)
			}
			dl := e.wait(dead, 1)[0]
			if string(dl.Value) != `{"job_id":"big"}` || string(dl.Key) != "k1" {
				t.Errorf("dead letter %q/%q, want the big request", dl.Key, dl.Value)
			}
			if why, _ := header(dl, sources.HeaderDLQError); !strings.Contains(why, setup.want) {
				t.Errorf("dead letter error %q does not mention %q", why, setup.want)
			}
			e.poll("commit past both", func() bool { return e.committed(cfg.GroupID, 0) == 2 })
			if s := r.c.Stats(); s.Refused != 1 {
				t.Errorf("stats %+v: want 1 refused reply", s)
			}
			if err := r.stop(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The Sink (replies of the HTTP source) returns nil only once the reply is on the response
// topic, keyed by its partitionkey, in binary mode; after Close it refuses to send.
func TestSink(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 2)
	replies := e.collect(respTopic, false)
	s, err := kafka.NewSink(e.config())
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
	if err := s.Close(); err != nil {
		t.Fatal(err)
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
