package kafka

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/IBM/sarama"
	cloudevent "github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/sources"
)

// ErrSinkClosed is returned by Sink.Send after Close.
var ErrSinkClosed = errors.New("kafka: sink closed")

// Sink writes replies to the response topic for sources that do not consume Kafka (the HTTP
// source with REPLY_TO_KAFKA=true).
//
// Guarantee: Send returns nil only after the broker acknowledged the reply with acks=all
// (idempotent producer, Config.Partitioner). The reply is written in CloudEvents binary mode,
// keyed by its partitionkey extension, else its subject (the job id). A failed or cancelled
// Send may still have been written (the caller retries; the reply id is stable). Send after
// Close fails with ErrSinkClosed; it never reports a reply it did not deliver as sent.
type Sink struct {
	cfg    Config
	ap     sarama.AsyncProducer
	client sarama.Client

	mu     sync.RWMutex
	closed bool
	wg     sync.WaitGroup
}

var _ sources.Sink = (*Sink)(nil)

// NewSink connects a producer for cfg.ResponseTopic; only Brokers, ResponseTopic,
// Partitioner, Compression, Linger, MaxMessageBytes, KafkaVersion, ClientID, TLS, SASL,
// StartupTimeout and DialTimeout are used. Like Consumer.Run it waits for brokers that are
// not reachable yet (at most StartupTimeout) and fails at once when they refuse the
// connection; when ctx ends first it returns ctx's error.
func NewSink(ctx context.Context, cfg Config) (*Sink, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	cfg.ExactlyOnce = false
	sc, err := cfg.producerConfig()
	if err != nil {
		return nil, fmt.Errorf("kafka: sink config: %w", err)
	}
	var (
		mu        sync.Mutex
		got       *Sink
		abandoned bool
	)
	err = cfg.startup(ctx, time.Now(), "reply producer", func() error {
		s, err := connectSink(cfg, sc)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if abandoned {
			return s.Close()
		}
		got = s
		return nil
	})
	mu.Lock()
	abandoned = true
	s := got
	mu.Unlock()
	if errors.Is(err, errCancelled) {
		err = ctx.Err()
	}
	if err != nil {
		if s != nil {
			_ = s.Close()
		}
		return nil, err
	}
	return s, nil
}

func connectSink(cfg Config, sc *sarama.Config) (*Sink, error) {
	client, err := sarama.NewClient(cfg.Brokers, sc)
	if err != nil {
		return nil, cfg.connectError(err)
	}
	if _, err := client.Partitions(cfg.ResponseTopic); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("kafka: topic %q: %w", cfg.ResponseTopic, err)
	}
	ap, err := sarama.NewAsyncProducerFromClient(client)
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	s := &Sink{cfg: cfg, ap: ap, client: client}
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		for pm := range ap.Successes() {
			pm.Metadata.(chan error) <- nil
		}
	}()
	go func() {
		defer s.wg.Done()
		for pe := range ap.Errors() {
			pe.Msg.Metadata.(chan error) <- pe.Err
		}
	}()
	return s, nil
}

// ErrReplyTooLarge: Send refuses a reply larger than MaxMessageBytes.
var ErrReplyTooLarge = errors.New("kafka: the reply exceeds KAFKA_MAX_MESSAGE_BYTES")

// Send writes reply and waits for the broker's acknowledgement or ctx.
func (s *Sink) Send(ctx context.Context, reply cloudevent.Event) error {
	pm, err := replyMessage(ctx, s.cfg.ResponseTopic, &sarama.ConsumerMessage{}, &reply)
	if err != nil {
		return err
	}
	if k, ok := reply.Extensions()[function.ExtPartitionKey].(string); ok && k != "" {
		pm.Key = sarama.StringEncoder(k)
	}
	if n := pm.ByteSize(2); n > s.cfg.MaxMessageBytes {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrReplyTooLarge, n, s.cfg.MaxMessageBytes)
	}
	done := make(chan error, 1)
	pm.Metadata = done
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return ErrSinkClosed
	}
	select {
	case s.ap.Input() <- pm:
		s.mu.RUnlock()
	case <-ctx.Done():
		s.mu.RUnlock()
		return ctx.Err()
	}
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("kafka: reply to %s: %w", s.cfg.ResponseTopic, err)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close flushes pending replies and disconnects; it is idempotent.
func (s *Sink) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	err := s.ap.Close()
	s.wg.Wait()
	var pes sarama.ProducerErrors
	if errors.As(err, &pes) {
		err = nil
	}
	return errors.Join(err, s.client.Close())
}
