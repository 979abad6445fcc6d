package kafka_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

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
