package kafka_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/trafofn/trafofn/sources/kafka"
)

// Exactly-once mode: replies and offsets go in one transaction. The broker fails the first
// two transactional offset commits (the replies of those transactions are already written,
// then aborted), and a second member joins and the first leaves mid-stream. A read_committed
// consumer of the response topic sees every reply exactly once; a read_uncommitted one sees
// the aborted copies too, proving they existed.
func TestExactlyOnceReadCommittedSeesEachReplyOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 4)
	committed := e.collect(respTopic, true)
	uncommitted := e.collect(respTopic, false)
	cfg := e.config(func(c *kafka.Config) {
		c.ExactlyOnce = true
		c.InFlightPerPartition = 2
	})
	faults := e.b.Cluster().Fault(kfake.Fault{
		Keys:  []kmsg.Key{kmsg.TxnOffsetCommit},
		Group: cfg.GroupID,
		Err:   kerr.IllegalGeneration,
		Count: 2,
	})
	slow := fakeHandler(func(context.Context, event.Event, execRequest) error {
		time.Sleep(2 * time.Millisecond)
		return nil
	})
	const first, second, third = 200, 100, 100
	const total = first + second + third
	e.produce(records(0, first)...)
	a := e.start(cfg, slow)
	e.wait(committed, 40)
	b := e.start(cfg, slow)
	e.produce(records(first, second)...)
	e.poll("B handles records", func() bool { return b.c.Stats().Handled > 0 })
	if err := a.stop(); err != nil {
		t.Fatalf("A: %v", err)
	}
	e.produce(records(first+second, third)...)
	e.poll("all offsets committed", func() bool {
		var sum int64
		for p := range int32(4) {
			if off := e.committed(cfg.GroupID, p); off > 0 {
				sum += off
			}
		}
		return sum == total
	})
	got := e.wait(committed, total)
	// The offsets are committed in the same transactions as the replies: nothing more comes.
	if len(got) != total {
		t.Fatalf("read_committed saw %d replies, want %d", len(got), total)
	}
	seen := map[string]int{}
	for _, m := range got {
		var d struct {
			JobID string `json:"job_id"`
		}
		if err := json.Unmarshal(m.Value, &d); err != nil {
			t.Fatal(err)
		}
		seen[d.JobID]++
	}
	for i := range total {
		if id := fmt.Sprintf("job-%d", i); seen[id] != 1 {
			t.Errorf("%s seen %d times by read_committed", id, seen[id])
		}
	}
	if faults.Hits() != 2 {
		t.Fatalf("injected %d transaction failures, want 2", faults.Hits())
	}
	if aborts := a.c.Stats().TxnAborts + b.c.Stats().TxnAborts; aborts < 2 {
		t.Errorf("%d aborted transactions, want >= 2", aborts)
	}
	e.poll("aborted copies visible to read_uncommitted", func() bool { return len(uncommitted.all()) > total })
	if err := b.stop(); err != nil {
		t.Fatalf("B: %v", err)
	}
}

// A crashed instance leaves its transaction open, holding a reply and offsets of the group.
// A new member's read_committed offset fetch is answered UNSTABLE_OFFSET_COMMIT until the
// broker aborts that transaction (TransactionTimeout): the member must wait it out, and then
// answer everything once (the crashed transaction's reply and offset never count).
func TestExactlyOnceSurvivesCrashedTransaction(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1)
	committed := e.collect(respTopic, true)
	cfg := e.config(func(c *kafka.Config) { c.ExactlyOnce = true })

	// The "crashed" instance: a transactional producer writes a reply and commits the group's
	// offset 1 in its transaction, then dies before ending it (the broker never sees EndTxn).
	e.produce(records(0, 3)...)
	c := e.b.Cluster()
	c.ControlKey(int16(kmsg.EndTxn), func(kr kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		if kr.(*kmsg.EndTxnRequest).TransactionalID != "crashed-instance" {
			return nil, nil, false
		}
		return nil, errors.New("crashed"), true // drops the connection
	})
	sc := e.saramaConfig()
	sc.Producer.Idempotent = true
	sc.Net.MaxOpenRequests = 1
	sc.Producer.Transaction.ID = "crashed-instance"
	sc.Producer.Transaction.Timeout = 2 * time.Second
	sc.Producer.Transaction.Retry.Max = 1
	zombie, err := sarama.NewAsyncProducer(e.addrs, sc)
	if err != nil {
		t.Fatal(err)
	}
	defer zombie.AsyncClose()
	go func() {
		for range zombie.Successes() {
		}
	}()
	go func() {
		for range zombie.Errors() {
		}
	}()
	if err := zombie.BeginTxn(); err != nil {
		t.Fatal(err)
	}
	zombie.Input() <- &sarama.ProducerMessage{Topic: respTopic, Key: sarama.StringEncoder("zombie"), Value: sarama.StringEncoder(`{"job_id":"job-0"}`)}
	if err := zombie.AddOffsetsToTxn(map[string][]*sarama.PartitionOffsetMetadata{reqTopic: {{Partition: 0, Offset: 1}}}, cfg.GroupID); err != nil {
		t.Fatal(err)
	}
	if err := zombie.CommitTxn(); err == nil {
		t.Fatal("the crashed instance committed")
	}

	start := time.Now()
	e.start(cfg, fakeHandler(nil))
	got := e.wait(committed, 3)
	if d := time.Since(start); d < time.Second {
		t.Errorf("answered after %s: the open transaction's offsets were not waited for", d)
	}
	e.poll("all offsets committed", func() bool { return e.committed(cfg.GroupID, 0) == 3 })
	seen := jobCounts(t, committed.all())
	for i := range 3 {
		if id := fmt.Sprintf("job-%d", i); seen[id] != 1 {
			t.Errorf("%s seen %d times by read_committed (replies %d)", id, seen[id], len(got))
		}
	}
}
