package kafka_test

import (
	"context"
	"testing"

	"github.com/IBM/sarama"
	"github.com/cloudevents/sdk-go/protocol/kafka_sarama/v2"
	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/sources"
	"github.com/trafofn/trafofn/sources/kafka"
	"github.com/trafofn/trafofn/sources/sourcetest"
)

// kafkaEnv plugs the Kafka source into the conformance suite: requests are CloudEvents binary
// records keyed by their partition key, replies are read from the response topic.
type kafkaEnv struct {
	e       *env
	prod    sarama.SyncProducer
	replies chan event.Event
}

func (k *kafkaEnv) NewSource(t *testing.T) sources.Source {
	c, err := kafka.New(k.e.config(func(c *kafka.Config) { c.InFlightPerPartition = 4 }))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (k *kafkaEnv) Send(_ context.Context, ev event.Event) error {
	key, _ := ev.Extensions()[function.ExtPartitionKey].(string)
	_, _, err := k.prod.SendMessage(ceRecord(k.e.t, ev, key, false))
	return err
}

func (k *kafkaEnv) Replies() <-chan event.Event { return k.replies }

func TestConformance(t *testing.T) {
	t.Parallel()
	sourcetest.Run(t, func(t *testing.T) sourcetest.Env {
		e := newEnv(t, 4)
		k := &kafkaEnv{e: e, prod: e.producer(), replies: make(chan event.Event, 1000)}
		col := e.collect(respTopic, false)
		stop := make(chan struct{})
		t.Cleanup(func() { close(stop) })
		go func() {
			for {
				select {
				case m := <-col.ch:
					ev, err := binding.ToEvent(context.Background(), kafka_sarama.NewMessageFromConsumerMessage(m))
					if err != nil {
						t.Errorf("reply at %d/%d is not a CloudEvent: %v", m.Partition, m.Offset, err)
						continue
					}
					k.replies <- *ev
				case <-stop:
					return
				}
			}
		}()
		return k
	}, sourcetest.Features{
		RetriesHandlerErrors: true,
		OrderedPerKey:        true,
		ParallelKeys:         true,
		DrainsOnShutdown:     true,
	})
}
