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
	"github.com/trafofn/trafofn/internal/backoff"
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
// that fails is retried with backoff.
//
// Limits: every reply and dead letter fits MaxMessageBytes. A reply larger than that is
// replaced by a ReplyTooLarge failure reply; one the broker refuses for good (its own limit
// is smaller) likewise, and the request is dead-lettered. Dead letters carry at most
// maxErrorText bytes of error text and as much of the record's value and headers as fits
// (sources.HeaderDLQTruncated tells the original size). A request record larger than
// MaxRecordBytes is not handed to the handler: it gets a RequestParseError failure reply and
// a truncated dead letter. A record batch that decompresses to more than MaxBatchBytes (a
// decompression bomb) is never inflated: it gets one failure reply and a dead letter naming
// its offsets, and the commit moves past it (see rescue).
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
// Start-up: see Run. Shutdown: when Run's context ends, consuming stops, in-flight
// executions get up to DrainTimeout, replies are flushed, offsets committed, the group is
// left, every connection is closed, and Run returns nil.
type Consumer struct {
	cfg   Config
	log   *slog.Logger
	dec   Decoder
	sem   chan struct{}
	large chan struct{} // the slots of large records' executions (MaxLargeInFlight)
	pool  *workers      // the executions' goroutines
	stats counters

	base context.Context // handlers' base context: Run's values, not its cancellation

	started    atomic.Bool
	joined     atomic.Bool
	stopping   atomic.Bool
	stopped    chan struct{} // closed when Run's context ends (partitions shorten their drain)
	stopMu     sync.Mutex
	stopAt     time.Time
	prodMu     sync.Mutex
	rp         *replyProducer
	prodBad    bool
	endSession context.CancelFunc
	gh         atomic.Pointer[groupHandler]

	conns         *conns // the connections of a running consumer (nil before Run connected)
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
	limitDecompression(cfg.MaxBatchBytes)
	c := &Consumer{
		stopped: make(chan struct{}),
		cfg:     cfg,
		log:     cfg.Logger,
		dec:     NewDecoder(cfg),
		sem:     make(chan struct{}, cfg.MaxInFlight),
		large:   make(chan struct{}, cfg.MaxLargeInFlight),
		pool:    newWorkers(),
	}
	if cfg.Metrics != nil {
		cfg.Metrics.consumer.Store(c)
	}
	return c, nil
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

// conns are the connections Run owns; close closes each of them once.
type conns struct {
	client sarama.Client        // the consumer group's
	commit sarama.Client        // offset commits, on connections of their own
	group  sarama.ConsumerGroup // nil until created
	rp     *replyProducer       // the first reply producer (Run replaces it; see Consumer.rp)
	errs   sync.WaitGroup       // the group's error loop
	once   sync.Once
}

// close closes the group (which leaves it), waits for its error loop, then the producer
// (flushing it) and the clients.
func (x *conns) close(rp *replyProducer) error {
	var errs []error
	x.once.Do(func() {
		if x.group != nil {
			if err := x.group.Close(); err != nil && !errors.Is(err, sarama.ErrClosedConsumerGroup) {
				errs = append(errs, err)
			}
			x.errs.Wait()
		}
		if rp != nil {
			errs = append(errs, rp.Close())
		}
		for _, cl := range []sarama.Client{x.commit, x.client} {
			if cl != nil && !cl.Closed() {
				if err := cl.Close(); err != nil && !errors.Is(err, sarama.ErrClosedClient) {
					errs = append(errs, err)
				}
			}
		}
	})
	return errors.Join(errs...)
}

// Run consumes until ctx ends, then drains and returns nil. A Consumer runs once.
//
// Start-up waits (with backoff, logging each retry) for brokers that are not reachable yet
// and for missing topics, for at most StartupTimeout; it fails at once, naming the cause,
// when the brokers answer but refuse the connection (TLS, SASL). When ctx ends during
// start-up, Run returns nil at once.
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
	x, err := c.open(ctx, ccfg, pcfg)
	if errors.Is(err, errCancelled) {
		c.log.Info("kafka: stopped during start-up")
		return nil
	}
	if err != nil {
		return err
	}
	c.conns = x
	c.commitVersion = offsetCommitVersion(ccfg.Version)
	c.setProducer(x.rp)
	defer c.pool.stop()
	defer c.shutdown(x) // the one cleanup path, whatever ends the loop below

	gh := &groupHandler{c: c, h: h}
	c.gh.Store(gh)
	x.errs.Go(func() {
		for err := range x.group.Errors() {
			c.groupError(err)
		}
	})
	stop := context.AfterFunc(ctx, func() {
		c.stopMu.Lock()
		c.stopAt = time.Now()
		c.stopMu.Unlock()
		c.stopping.Store(true)
		close(c.stopped)
	})
	defer stop()

	topics := []string{c.cfg.Topic}
	rejoin := backoff.New(c.cfg.RetryBackoff, c.cfg.MaxRetryBackoff)
	for ctx.Err() == nil {
		cctx, cancel := context.WithCancel(ctx)
		c.prodMu.Lock()
		c.endSession = cancel
		c.prodMu.Unlock()
		err := x.group.Consume(cctx, topics, gh)
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
			d := rejoin.Next()
			c.log.Warn("kafka: consumer group session failed; rejoining", "err", err, "backoff", d)
			if backoff.Sleep(ctx, d) != nil {
				break
			}
			continue
		}
		rejoin.Reset()
	}
	return nil
}

// shutdown closes everything Run opened, once.
func (c *Consumer) shutdown(x *conns) {
	c.joined.Store(false)
	if err := x.close(c.prod()); err != nil {
		c.log.Warn("kafka: closing", "err", err)
	}
	c.log.Info("kafka: consumer stopped", "stats", c.Stats())
}

// open waits for the brokers and topics (see Run) and connects the consumer group's
// client, the commit client and the reply producer.
func (c *Consumer) open(ctx context.Context, ccfg, pcfg *sarama.Config) (*conns, error) {
	start := time.Now()
	if err := c.cfg.startup(ctx, start, "brokers", func() error {
		return c.cfg.checkBrokers(c.cfg.Topic, c.cfg.ResponseTopic, c.cfg.DeadLetterTopic)
	}); err != nil {
		return nil, err
	}
	var (
		mu        sync.Mutex
		got       *conns
		abandoned bool
	)
	err := c.cfg.startup(ctx, start, "connecting", func() error {
		x, err := c.connect(ccfg, pcfg)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if abandoned { // start-up gave up while this attempt still ran
			_ = x.close(x.rp)
			return nil
		}
		got = x
		return nil
	})
	mu.Lock()
	abandoned = true
	x := got
	mu.Unlock()
	if err != nil {
		if x != nil {
			_ = x.close(x.rp)
		}
		return nil, err
	}
	return x, nil
}

// connect creates the clients, the group and the producer; on failure it closes what it
// created.
func (c *Consumer) connect(ccfg, pcfg *sarama.Config) (*conns, error) {
	x := &conns{}
	var err error
	if x.client, err = sarama.NewClient(c.cfg.Brokers, ccfg); err != nil {
		return nil, c.cfg.connectError(err)
	}
	if x.group, err = sarama.NewConsumerGroupFromClient(c.cfg.GroupID, x.client); err != nil {
		_ = x.close(nil)
		return nil, fmt.Errorf("kafka: consumer group %q: %w", c.cfg.GroupID, err)
	}
	if x.commit, err = sarama.NewClient(c.cfg.Brokers, ccfg); err != nil {
		_ = x.close(nil)
		return nil, c.cfg.connectError(err)
	}
	if x.rp, err = newReplyProducer(c.cfg, pcfg); err != nil {
		_ = x.close(nil)
		return nil, fmt.Errorf("kafka: reply producer: %w", err)
	}
	return x, nil
}

// groupError handles an error of the consumer group: a batch that decompresses to more
// than MaxBatchBytes sends its partition to rescue; others are logged.
func (c *Consumer) groupError(err error) {
	var ce *sarama.ConsumerError
	if errors.Is(err, sarama.ErrDecompressedBatchTooLarge) && errors.As(err, &ce) {
		if gh := c.gh.Load(); gh != nil && gh.suspect(ce.Topic, ce.Partition) {
			return // the partition logs what it finds
		}
	}
	c.log.Warn("kafka: consumer group", "err", err)
}

// restartSession ends the current group session; Run joins again at once. The claims of the
// new session start at the committed offsets.
func (c *Consumer) restartSession() {
	c.prodMu.Lock()
	end := c.endSession
	c.prodMu.Unlock()
	if end != nil {
		end()
	}
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
	c.prodMu.Unlock()
	c.restartSession()
}

func (c *Consumer) producerBroken() bool {
	c.prodMu.Lock()
	defer c.prodMu.Unlock()
	return c.prodBad
}

// replaceProducer closes the failed producer and creates a new one, retrying with backoff
// until ctx ends. The closed producer stays current until a new one exists (Close is
// idempotent, so shutting down meanwhile closes it harmlessly again).
func (c *Consumer) replaceProducer(ctx context.Context, pcfg *sarama.Config) error {
	_ = c.prod().Close()
	var (
		mu        sync.Mutex
		abandoned bool
	)
	err := backoff.Retry(ctx, backoff.Policy{Initial: c.cfg.RetryBackoff, Max: c.cfg.MaxRetryBackoff}, func() error {
		return inBackground(ctx, func() error {
			rp, err := newReplyProducer(c.cfg, pcfg)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			if abandoned {
				return rp.Close()
			}
			c.setProducer(rp)
			return nil
		})
	}, func(err error, d time.Duration) {
		c.log.Warn("kafka: recreating reply producer", "err", err, "backoff", d)
	})
	mu.Lock()
	abandoned = true
	mu.Unlock()
	return err
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
	Oversized      int64 // records answered without the handler: larger than MaxRecordBytes, or an oversized batch
	Commits        int64 // offset commits or transactions
	CommitErrors   int64 // failed offset commits (retried)
	TxnAborts      int64 // failed transactions
}

type counters struct {
	handled, replied, deadLettered, refused, dropped   atomic.Int64
	handlerRetries, produceRetries, abandoned, commits atomic.Int64
	txnAborts, commitErrors, oversized                 atomic.Int64
}

// Stats returns a snapshot of the counters.
func (c *Consumer) Stats() Stats {
	s := &c.stats
	return Stats{
		Handled: s.handled.Load(), Replied: s.replied.Load(), DeadLettered: s.deadLettered.Load(),
		Refused: s.refused.Load(), Dropped: s.dropped.Load(), HandlerRetries: s.handlerRetries.Load(),
		ProduceRetries: s.produceRetries.Load(), Abandoned: s.abandoned.Load(), Commits: s.commits.Load(),
		TxnAborts: s.txnAborts.Load(), CommitErrors: s.commitErrors.Load(), Oversized: s.oversized.Load(),
	}
}
