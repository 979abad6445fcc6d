// Package kafka is the Kafka source: a consumer group on the request topic whose records are
// handed to a function.Handler, with each reply produced to the response topic.
//
// It uses sarama for the group and the producer and the CloudEvents kafka_sarama binding
// only to decode records and encode replies; sdk-go's kafka_sarama receiver is not used (it
// never calls the handler for records without CloudEvents headers and marks offsets out of
// order). See Consumer for the delivery guarantees.
package kafka

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/IBM/sarama"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/sources"
)

// Errors of Ready and Run.
var (
	// ErrNotReady: the consumer has not joined its group (yet, or any more).
	ErrNotReady = errors.New("kafka: not joined to the consumer group")
	// ErrRunning: Run was called twice.
	ErrRunning = errors.New("kafka: consumer already running")
)

// Consumer is the Kafka source.
//
// Delivery (at-least-once, the default): every record of the request topic is decoded
// (see Decoder) and handed to the handler; its reply is produced to ResponseTopic with
// acks=all by an idempotent producer, in CloudEvents binary mode, keyed by the request's key
// else the reply's subject. A record's offset is committed only after its reply (and, for a
// poison record, its dead letter) was acknowledged, and only contiguously: the commit never
// passes a record that is not yet acknowledged. Commits are synchronous, at least every
// CommitInterval, and when a partition is revoked or the consumer stops. After a crash the
// records since the last commit are handled again, so a consumer of the response topic may
// see a reply twice (the reply id is stable, so it can deduplicate).
//
// Order: records of a partition are handled in offset order, or, with InFlightPerPartition
// > 1, in offset order per key (see partition).
//
// Errors: a handler error is not acknowledged: the record is retried with backoff and never
// skipped. A reply the function marks as poison (function.IsPoison: the data is not an
// execution request) is answered as usual and the original record (raw key, value, headers)
// is also written to DeadLetterTopic with the sources.HeaderDLQ* headers. A reply produce
// that fails is retried with backoff; if the broker refuses it for good (too large), the
// request is dead-lettered with the error instead, so the partition does not stall.
//
// ExactlyOnce: replies and dead letters of a batch and the batch's offsets are written in
// one transaction (at least every CommitInterval); a read_committed consumer of the response
// topic sees each reply exactly once across crashes and rebalances (KIP-447 fencing by group
// generation).
//
// Rebalances: a revoked partition takes no more records, finishes its in-flight ones (at
// most RevokeTimeout, then abandons them uncommitted) and commits synchronously before it is
// released. Heartbeats run in the background, so long executions do not cost the membership.
//
// Shutdown: when Run's context ends, consuming stops, in-flight executions get up to
// DrainTimeout, replies are flushed, offsets committed, the group is left, and Run returns
// nil.
type Consumer struct {
	cfg   Config
	log   *slog.Logger
	dec   Decoder
	sem   chan struct{}
	stats counters

	base context.Context // handlers' base context: Run's values, not its cancellation

	started   atomic.Bool
	joined    atomic.Bool
	stopping  atomic.Bool
	stopMu    sync.Mutex
	stopAt    time.Time
	prodMu    sync.Mutex
	rp        *replyProducer
	prodBad   bool
	endSesion context.CancelFunc

	commitClient  sarama.Client // offset commits, on connections of their own
	commitVersion int16
}

var (
	_ sources.Source  = (*Consumer)(nil)
	_ sources.Readier = (*Consumer)(nil)
)

// New validates cfg and returns a Consumer; it does not connect (Run does).
func New(cfg Config) (*Consumer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	return &Consumer{
		cfg: cfg,
		log: cfg.Logger,
		dec: NewDecoder(cfg),
		sem: make(chan struct{}, cfg.MaxInFlight),
	}, nil
}

// Config returns the effective configuration (defaults applied).
func (c *Consumer) Config() Config { return c.cfg }

// Ready returns nil once the consumer has joined its group (also with no partition
// assigned) and until it begins to stop; ErrNotReady before, after, and while a failed
// session is being rejoined (a plain rebalance does not make it unready).
func (c *Consumer) Ready() error {
	if c.joined.Load() && !c.stopping.Load() {
		return nil
	}
	return ErrNotReady
}

// Run consumes until ctx ends, then drains and returns nil. It fails at start-up, naming
// the cause, when the brokers cannot be reached, authentication fails or a topic is missing.
// A Consumer runs once.
func (c *Consumer) Run(ctx context.Context, h function.Handler) error {
	if h == nil {
		return errors.New("kafka: Run: nil handler")
	}
	if !c.started.CompareAndSwap(false, true) {
		return ErrRunning
	}
	c.base = context.WithoutCancel(ctx)
	ccfg, err := c.cfg.consumerConfig()
	if err != nil {
		return fmt.Errorf("kafka: consumer config: %w", err)
	}
	pcfg, err := c.cfg.producerConfig()
	if err != nil {
		return fmt.Errorf("kafka: producer config: %w", err)
	}
	if err := c.check(); err != nil {
		return err
	}
	client, err := sarama.NewClient(c.cfg.Brokers, ccfg)
	if err != nil {
		return fmt.Errorf("kafka: connect to %v: %w", c.cfg.Brokers, err)
	}
	group, err := sarama.NewConsumerGroupFromClient(c.cfg.GroupID, client)
	if err != nil {
		_ = client.Close()
		return fmt.Errorf("kafka: consumer group %q: %w", c.cfg.GroupID, err)
	}
	c.commitClient, err = sarama.NewClient(c.cfg.Brokers, ccfg)
	if err != nil {
		_ = group.Close()
		_ = client.Close()
		return fmt.Errorf("kafka: connect to %v: %w", c.cfg.Brokers, err)
	}
	c.commitVersion = offsetCommitVersion(ccfg.Version)
	rp, err := newReplyProducer(c.cfg.Brokers, pcfg)
	if err != nil {
		_ = group.Close()
		_ = client.Close()
		_ = c.commitClient.Close()
		return fmt.Errorf("kafka: reply producer: %w", err)
	}
	c.setProducer(rp)

	var wg sync.WaitGroup
	wg.Go(func() {
		for err := range group.Errors() {
			c.log.Warn("kafka: consumer group", "err", err)
		}
	})
	stop := context.AfterFunc(ctx, func() {
		c.stopMu.Lock()
		c.stopAt = time.Now()
		c.stopMu.Unlock()
		c.stopping.Store(true)
	})
	defer stop()

	gh := &groupHandler{c: c, h: h}
	topics := []string{c.cfg.Topic}
	backoff := c.cfg.RetryBackoff
	for ctx.Err() == nil {
		cctx, cancel := context.WithCancel(ctx)
		c.prodMu.Lock()
		c.endSesion = cancel
		c.prodMu.Unlock()
		err := group.Consume(cctx, topics, gh)
		cancel()
		if ctx.Err() != nil {
			break
		}
		if c.producerBroken() {
			if err := c.replaceProducer(ctx, pcfg); err != nil {
				break // ctx ended
			}
		}
		if err != nil {
			c.joined.Store(false) // ready again once a session is set up
			if errors.Is(err, sarama.ErrClosedConsumerGroup) {
				return err
			}
			c.log.Warn("kafka: consumer group session failed; rejoining", "err", err, "backoff", backoff)
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, c.cfg.MaxRetryBackoff)
			continue
		}
		backoff = c.cfg.RetryBackoff
	}
	c.joined.Store(false)
	errs := []error{group.Close()}
	wg.Wait()
	errs = append(errs, c.prod().Close(), c.commitClient.Close(), client.Close())
	if err := errors.Join(errs...); err != nil {
		c.log.Warn("kafka: closing", "err", err)
	}
	c.log.Info("kafka: consumer stopped", "stats", c.Stats())
	return nil
}

// check connects once with a short retry budget to report unreachable brokers, failed
// authentication and missing topics clearly at start-up.
func (c *Consumer) check() error {
	sc, err := c.cfg.base()
	if err != nil {
		return err
	}
	client, err := sarama.NewClient(c.cfg.Brokers, sc)
	if err != nil {
		return c.cfg.connectError(err)
	}
	defer client.Close()
	for _, t := range []string{c.cfg.Topic, c.cfg.ResponseTopic, c.cfg.DeadLetterTopic} {
		if _, err := client.Partitions(t); err != nil {
			return fmt.Errorf("kafka: topic %q: %w", t, err)
		}
	}
	return nil
}

func (c *Consumer) stoppingSince() (time.Time, bool) {
	if !c.stopping.Load() {
		return time.Time{}, false
	}
	c.stopMu.Lock()
	defer c.stopMu.Unlock()
	return c.stopAt, true
}

func (c *Consumer) prod() *replyProducer {
	c.prodMu.Lock()
	defer c.prodMu.Unlock()
	return c.rp
}

func (c *Consumer) setProducer(rp *replyProducer) {
	c.prodMu.Lock()
	c.rp = rp
	c.prodBad = false
	c.prodMu.Unlock()
}

// producerFailed ends the session; Run replaces the producer before rejoining.
func (c *Consumer) producerFailed() {
	c.prodMu.Lock()
	c.prodBad = true
	end := c.endSesion
	c.prodMu.Unlock()
	if end != nil {
		end()
	}
}

func (c *Consumer) producerBroken() bool {
	c.prodMu.Lock()
	defer c.prodMu.Unlock()
	return c.prodBad
}

func (c *Consumer) replaceProducer(ctx context.Context, pcfg *sarama.Config) error {
	_ = c.prod().Close()
	backoff := c.cfg.RetryBackoff
	for {
		rp, err := newReplyProducer(c.cfg.Brokers, pcfg)
		if err == nil {
			c.setProducer(rp)
			return nil
		}
		c.log.Warn("kafka: recreating reply producer", "err", err, "backoff", backoff)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, c.cfg.MaxRetryBackoff)
	}
}

// offsetCommitVersion is the OffsetCommit version sarama's own offset manager uses for v.
func offsetCommitVersion(v sarama.KafkaVersion) int16 {
	switch {
	case v.IsAtLeast(sarama.V2_3_0_0):
		return 7
	case v.IsAtLeast(sarama.V2_1_0_0):
		return 6
	case v.IsAtLeast(sarama.V2_0_0_0):
		return 4
	case v.IsAtLeast(sarama.V0_11_0_0):
		return 3
	default:
		return 2
	}
}

// Stats are cumulative counters of a Consumer.
type Stats struct {
	Handled        int64 // handler calls that returned a reply
	Replied        int64 // replies acknowledged by the broker (or committed in a transaction)
	DeadLettered   int64 // dead letters acknowledged
	Refused        int64 // replies the broker refused for good (request dead-lettered instead)
	Dropped        int64 // dead letters the broker refused for good (record lost, logged)
	HandlerRetries int64 // handler errors retried
	ProduceRetries int64 // produce errors retried
	Abandoned      int64 // in-flight records given up at a drain deadline (redelivered)
	Commits        int64 // offset commits or transactions
	CommitErrors   int64 // failed offset commits (retried)
	TxnAborts      int64 // failed transactions
}

type counters struct {
	handled, replied, deadLettered, refused, dropped   atomic.Int64
	handlerRetries, produceRetries, abandoned, commits atomic.Int64
	txnAborts, commitErrors                            atomic.Int64
}

// Stats returns a snapshot of the counters.
func (c *Consumer) Stats() Stats {
	s := &c.stats
	return Stats{
		Handled: s.handled.Load(), Replied: s.replied.Load(), DeadLettered: s.deadLettered.Load(),
		Refused: s.refused.Load(), Dropped: s.dropped.Load(), HandlerRetries: s.handlerRetries.Load(),
		ProduceRetries: s.produceRetries.Load(), Abandoned: s.abandoned.Load(), Commits: s.commits.Load(),
		TxnAborts: s.txnAborts.Load(), CommitErrors: s.commitErrors.Load(),
	}
}
