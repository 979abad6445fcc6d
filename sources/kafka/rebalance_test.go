package kafka_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/sources/kafka"
)

// Two consumers in one group: B joins while A is busy, then A leaves. Every request is
// answered, none twice, and both members did work. No duplicates is the point: a revoked
// partition finishes what it started, also the records that keys running ahead skipped over
// (InFlightPerPartition 2), and commits all of it before it is released.
//
// Regression: with InFlightPerPartition > 1, a revoked partition used to drop its unstarted
// records, also those before a record another key had already finished; the commit stopped
// at the first hole and the next owner answered the finished record a second time.
func TestRebalanceLosesNothing(t *testing.T) {
	t.Parallel()
	for _, strategy := range []string{kafka.StrategyCooperativeSticky, kafka.StrategyRange} {
		t.Run(strategy, func(t *testing.T) {
			e := newEnv(t, 8)
			replies := e.collect(respTopic, false)
			slow := fakeHandler(func(ctx context.Context, _ event.Event, _ execRequest) error {
				time.Sleep(10 * time.Millisecond) // executions take time: rebalances hit in-flight work
				return nil
			})
			cfg := e.config(func(c *kafka.Config) {
				c.BalanceStrategy = strategy
				c.InFlightPerPartition = 2
			})
			const first, second, third = 300, 100, 100
			e.produce(records(0, first)...)
			a := e.start(cfg, slow)
			e.wait(replies, 50)
			b := e.start(cfg, slow) // joins while A has work in flight
			e.produce(records(first, second)...)
			e.poll("B handles records", func() bool { return b.c.Stats().Handled > 0 })
			if err := a.stop(); err != nil { // leaves while B has work in flight
				t.Fatalf("A: %v", err)
			}
			e.produce(records(first+second, third)...)
			const total = first + second + third
			var seen map[string]int
			e.poll("every request answered", func() bool {
				seen = jobCounts(t, replies.all())
				return len(seen) == total
			})
			for i := range total {
				id := fmt.Sprintf("job-%d", i)
				if seen[id] != 1 {
					t.Errorf("%s answered %d times", id, seen[id])
				}
			}
			if a.c.Stats().Handled == 0 || b.c.Stats().Handled == 0 {
				t.Errorf("A handled %d, B %d: want both", a.c.Stats().Handled, b.c.Stats().Handled)
			}
			e.poll("all offsets committed", func() bool {
				var sum int64
				for p := range int32(8) {
					if off := e.committed(cfg.GroupID, p); off > 0 {
						sum += off
					}
				}
				return sum == total
			})
			if err := b.stop(); err != nil {
				t.Fatalf("B: %v", err)
			}
		})
	}
}

// jobCounts counts replies per job id.
func jobCounts(t *testing.T, ms []*sarama.ConsumerMessage) map[string]int {
	t.Helper()
	seen := map[string]int{}
	for _, m := range ms {
		var d struct {
			JobID string `json:"job_id"`
		}
		if err := json.Unmarshal(m.Value, &d); err != nil {
			t.Fatal(err)
		}
		seen[d.JobID]++
	}
	return seen
}

// records returns n plain records with job ids job-<from>..., keys from a pool of 13.
func records(from, n int) []*sarama.ProducerMessage {
	var ms []*sarama.ProducerMessage
	for i := from; i < from+n; i++ {
		ms = append(ms, plain(fmt.Sprintf("key-%d", i%13), fmt.Sprintf(`{"job_id":"job-%d","seq":%d}`, i, i)))
	}
	return ms
}
