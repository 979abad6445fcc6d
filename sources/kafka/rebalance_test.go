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
// answered, none twice (revoked partitions commit what they finished before they are
// released), and both members did work.
func TestRebalanceLosesNothing(t *testing.T) {
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
			got := e.wait(replies, total)

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

// records returns n plain records with job ids job-<from>..., keys from a pool of 13.
func records(from, n int) []*sarama.ProducerMessage {
	var ms []*sarama.ProducerMessage
	for i := from; i < from+n; i++ {
		ms = append(ms, plain(fmt.Sprintf("key-%d", i%13), fmt.Sprintf(`{"job_id":"job-%d","seq":%d}`, i, i)))
	}
	return ms
}
