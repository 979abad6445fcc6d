package kafka

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"sync"
	"time"

	"github.com/IBM/sarama"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kversion"
)

// replyProducer writes replies and dead letters and routes each acknowledgement or error
// back to the partition whose record it answers.
//
// At least once (the default) it is a franz-go client: acks=all, idempotent, up to five
// produce requests in flight per broker (franz-go keeps the order per partition across them
// by the idempotent sequence numbers). With ExactlyOnce it is sarama's transactional
// AsyncProducer (the session drives BeginTxn/CommitTxn on it, see session.go).
//
// Why franz-go: sarama's idempotent producer allows one produce request in flight
// (Net.MaxOpenRequests = 1), so every reply waited for the previous request's round trip;
// that wait was the largest single stage of a request's latency at half load (issue 16).
//
// Guarantee: a message is reported acknowledged only after the broker confirmed it with
// acks=all; every message sent is reported exactly once (acknowledged or failed), unless
// its partition has stopped listening (then the report is dropped and the record, not being
// committed, is redelivered).
type replyProducer struct {
	// exactly once: sarama
	ap     sarama.AsyncProducer
	client sarama.Client
	txn    bool

	// at least once: franz-go
	kc       *kgo.Client
	cfg      Config
	maxBytes int       // Config.MaxMessageBytes, as sarama counts a message
	isoOnce  sync.Once // starts the isolating client (produceAlone)
	isoQ     chan alone
	mu       sync.Mutex     // guards closed and pending.Add
	closed   bool           // Close began: send refuses new messages
	pending  sync.WaitGroup // messages handed to kc whose promise has not run

	wg sync.WaitGroup // sarama's report loops

	closeOnce sync.Once
	closeErr  error
}

// delivery travels in ProducerMessage.Metadata.
type delivery struct {
	p   *partition
	rec *record
	dlq bool // the message is a dead letter, not the reply
	txn bool // sent inside a transaction: acknowledged by CommitTxn, not by its success
}

// batchHeaderBytes is the size of a record batch's header (magic v2).
const batchHeaderBytes = 61

// flushTimeout bounds how long Close waits for buffered replies to be acknowledged; what is
// still unacknowledged then is failed (and its records, uncommitted, are redelivered).
const flushTimeout = 30 * time.Second

// newReplyProducer creates the producer for cfg (with defaults applied); sc is the sarama
// producer config (producerConfig), used in exactly-once mode.
func newReplyProducer(cfg Config, sc *sarama.Config) (*replyProducer, error) {
	if sc.Producer.Transaction.ID == "" {
		return newKgoProducer(cfg)
	}
	client, err := sarama.NewClient(cfg.Brokers, sc)
	if err != nil {
		return nil, err
	}
	ap, err := sarama.NewAsyncProducerFromClient(client)
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	rp := &replyProducer{ap: ap, client: client, txn: true}
	rp.wg.Add(2)
	go func() {
		defer rp.wg.Done()
		for pm := range ap.Successes() {
			if d, ok := pm.Metadata.(*delivery); ok && !d.txn {
				d.p.post(pevent{kind: evAck, rec: d.rec, msg: pm, dlq: d.dlq})
			}
		}
	}()
	go func() {
		defer rp.wg.Done()
		for pe := range ap.Errors() {
			d, ok := pe.Msg.Metadata.(*delivery)
			if !ok {
				continue
			}
			if d.txn {
				// The transaction fails as a whole (CommitTxn reports it); remember a
				// refusal for good so the next attempt sends replacements instead.
				if permanent(pe.Err) {
					d.p.refuseInTxn(d.rec, d.dlq, pe.Err)
				}
				continue
			}
			d.p.post(pevent{kind: evAck, rec: d.rec, msg: pe.Msg, dlq: d.dlq, err: pe.Err})
		}
	}()
	return rp, nil
}

// kgoProducerOpts are the franz-go options of the at-least-once reply producer.
func (c Config) kgoProducerOpts() []kgo.Opt {
	opts := c.kgoOpts()
	if v := kversion.FromString(c.KafkaVersion); v != nil {
		// the protocol versions sarama used (Config.KafkaVersion, sarama.Config.Version)
		opts = append(opts, kgo.MaxVersions(v))
	}
	return append(opts,
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.RecordPartitioner(c.replyPartitioner()),
		kgo.ProducerBatchCompression(kgoCodec(c.Compression)),
		kgo.ProducerLinger(c.Linger),
		// batches as sarama's: records up to MaxMessageBytes (as sarama counts them, an
		// upper bound of their encoding; send refuses larger ones) and the batch header
		kgo.ProducerBatchMaxBytes(int32(min(c.MaxMessageBytes+batchHeaderBytes, int(sarama.MaxRequestSize)))),
		kgo.RecordRetries(5), // like sarama's Producer.Retry.Max; then the partition retries
		kgo.RetryBackoffFn(func(int) time.Duration { return c.RetryBackoff }), // like sarama's Producer.Retry.Backoff
		kgo.UnknownTopicRetries(5),
		// a failed produce waits for a metadata refresh, at most this often (default 5 s)
		kgo.MetadataMinAge(c.RetryBackoff),
		kgo.MaxBufferedRecords(1<<20), // the partitions' windows bound what is buffered
	)
}

// replyPartitioner partitions replies by key as sarama's partitioners did: murmur2 (the Java
// client's, sarama's NewMurmur2Partitioner) or crc32 (librdkafka's consistent, sarama's
// NewConsistentCRCHashPartitioner).
func (c Config) replyPartitioner() kgo.Partitioner {
	if c.Partitioner == PartitionerCRC32 {
		return kgo.StickyKeyPartitioner(crc32Hasher)
	}
	return kgo.StickyKeyPartitioner(nil) // murmur2
}

func newKgoProducer(cfg Config) (*replyProducer, error) {
	kc, err := kgo.NewClient(cfg.kgoProducerOpts()...)
	if err != nil {
		return nil, err
	}
	return &replyProducer{kc: kc, cfg: cfg, maxBytes: cfg.MaxMessageBytes}, nil
}

// alone is a message the broker refused for size within a batch of several: it is produced
// again by itself so that the broker's verdict is about it alone.
type alone struct {
	rec    *kgo.Record
	report func(error)
}

// produceAlone queues rec for the isolating client (created on first use); it produces one
// record at a time, waiting for each. Called from a promise, with rp.pending held for rec.
func (rp *replyProducer) produceAlone(rec *kgo.Record, report func(error)) {
	rp.isoOnce.Do(func() {
		rp.isoQ = make(chan alone, 64)
		go rp.runAlone()
	})
	fresh := &kgo.Record{Topic: rec.Topic, Key: rec.Key, Value: rec.Value, Headers: rec.Headers, Timestamp: rec.Timestamp}
	rp.isoQ <- alone{rec: fresh, report: report}
}

func (rp *replyProducer) runAlone() {
	kc, err := kgo.NewClient(rp.cfg.kgoProducerOpts()...)
	for a := range rp.isoQ {
		if err != nil {
			a.report(err) // retried by the partition
			rp.pending.Done()
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
		r := kc.ProduceSync(ctx, a.rec)
		cancel()
		a.report(r.FirstErr())
		rp.pending.Done()
	}
	if kc != nil {
		kc.Close()
	}
}

// send hands pm to the producer. At least once it does not block; ExactlyOnce it blocks
// only while sarama's input buffer is full.
func (rp *replyProducer) send(ctx context.Context, pm *sarama.ProducerMessage) error {
	if rp.kc == nil {
		select {
		case rp.ap.Input() <- pm:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	d, _ := pm.Metadata.(*delivery)
	report := func(err error) {
		if d != nil {
			d.p.post(pevent{kind: evAck, rec: d.rec, msg: pm, dlq: d.dlq, err: err})
		}
	}
	if n := pm.ByteSize(2); n > rp.maxBytes {
		go report(tooLargeError{size: n, limit: rp.maxBytes})
		return nil
	}
	rec, err := kgoRecord(pm)
	if err != nil {
		go report(sarama.PacketEncodingError{Info: err.Error()})
		return nil
	}
	rp.mu.Lock()
	if rp.closed {
		rp.mu.Unlock()
		go report(kgo.ErrClientClosed)
		return nil
	}
	rp.pending.Add(1)
	rp.mu.Unlock()
	// Not ctx: a record once handed over is produced (as with sarama), also when its
	// partition is revoked meanwhile; Close bounds the wait.
	rp.kc.Produce(context.Background(), rec, func(r *kgo.Record, err error) {
		if errors.Is(err, kerr.MessageTooLarge) {
			// The broker's limit applies to a batch: a small reply batched with a big one
			// shares its refusal. Ask again for this one alone (its verdict is then about
			// it) before calling it permanent; a reply too large by itself costs one
			// more round trip on its way to being replaced.
			rp.produceAlone(r, report)
			return
		}
		defer rp.pending.Done()
		if err == nil {
			pm.Partition, pm.Offset, pm.Timestamp = r.Partition, r.Offset, r.Timestamp
		}
		report(err)
	})
	return nil
}

// kgoRecord converts a message built for sarama (the CloudEvents binding writes those).
func kgoRecord(pm *sarama.ProducerMessage) (*kgo.Record, error) {
	rec := &kgo.Record{Topic: pm.Topic, Timestamp: pm.Timestamp}
	var err error
	if pm.Key != nil {
		if rec.Key, err = pm.Key.Encode(); err != nil {
			return nil, err
		}
		if rec.Key == nil {
			rec.Key = []byte{} // an empty key is hashed, as sarama does, not spread
		}
	}
	if pm.Value != nil {
		if rec.Value, err = pm.Value.Encode(); err != nil {
			return nil, err
		}
	}
	if len(pm.Headers) > 0 {
		rec.Headers = make([]kgo.RecordHeader, len(pm.Headers))
		for i, h := range pm.Headers {
			rec.Headers[i] = kgo.RecordHeader{Key: string(h.Key), Value: h.Value}
		}
	}
	return rec, nil
}

// fatal reports whether a transactional producer must be replaced.
func (rp *replyProducer) fatal() bool {
	return rp.txn && rp.ap.TxnStatus()&sarama.ProducerTxnFlagFatalError != 0
}

// Close flushes buffered messages, waits for their reports and closes the client. It is
// idempotent: a later call returns the first call's result (sarama panics on a second
// AsyncProducer.Close).
func (rp *replyProducer) Close() error {
	if rp == nil {
		return nil
	}
	rp.closeOnce.Do(func() {
		if rp.kc != nil {
			rp.mu.Lock()
			rp.closed = true
			rp.mu.Unlock()
			ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
			err := rp.kc.Flush(ctx)
			cancel()
			rp.kc.Close() // fails what the flush left (ErrClientClosed)
			rp.pending.Wait()
			if rp.isoQ != nil {
				close(rp.isoQ) // no promise is left to send to it
			}
			if err != nil {
				rp.closeErr = fmt.Errorf("kafka: flushing replies: %w", err)
			}
			return
		}
		err := rp.ap.Close()
		rp.wg.Wait()
		var pes sarama.ProducerErrors
		if errors.As(err, &pes) {
			err = nil // already routed through Errors()
		}
		rp.closeErr = errors.Join(err, rp.client.Close())
	})
	return rp.closeErr
}

// isClosed reports whether Close was called (for tests).
func (rp *replyProducer) isClosed() bool {
	if rp.kc != nil {
		rp.mu.Lock()
		defer rp.mu.Unlock()
		return rp.closed
	}
	return rp.client.Closed()
}

// tooLargeError is the reply producer's own refusal of a message larger than
// Config.MaxMessageBytes (counted as sarama counts it).
type tooLargeError struct{ size, limit int }

func (e tooLargeError) Error() string {
	return fmt.Sprintf("the message of %d bytes exceeds the producer's limit of %d bytes", e.size, e.limit)
}

// local reports a refusal by the producer itself (the message exceeds MaxMessageBytes),
// not by the broker.
func local(err error) bool {
	var ce sarama.ConfigurationError
	var te tooLargeError
	return errors.As(err, &ce) || errors.As(err, &te)
}

// tooLarge reports a refusal for size, by the producer or the broker.
func tooLarge(err error) bool {
	return local(err) || errors.Is(err, sarama.ErrMessageSizeTooLarge) || errors.Is(err, sarama.ErrMessageSetSizeTooLarge) ||
		errors.Is(err, sarama.ErrInvalidMessageSize) ||
		errors.Is(err, kerr.MessageTooLarge) || errors.Is(err, kerr.RecordListTooLarge) || errors.Is(err, kerr.InvalidFetchSize)
}

// permanent reports whether a produce error will recur on every retry: the message is too
// large or malformed. Everything else (broker down, leader moving, not enough replicas,
// timeouts, the client closed) is worth retrying.
func permanent(err error) bool {
	if local(err) {
		return true // larger than MaxMessageBytes
	}
	var pe sarama.PacketEncodingError
	if errors.As(err, &pe) {
		return true
	}
	var ke sarama.KError
	if errors.As(err, &ke) {
		switch ke {
		case sarama.ErrMessageSizeTooLarge, sarama.ErrInvalidMessage, sarama.ErrMessageSetSizeTooLarge,
			sarama.ErrInvalidRecord, sarama.ErrInvalidMessageSize:
			return true
		}
	}
	for _, e := range []error{kerr.MessageTooLarge, kerr.CorruptMessage, kerr.RecordListTooLarge, kerr.InvalidRecord, kerr.InvalidFetchSize} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// crc32Hasher is sarama's NewConsistentCRCHashPartitioner (librdkafka's "consistent"):
// crc32 (IEEE) of the key, unsigned, modulo the partition count.
func crc32Hasher(key []byte, n int) int { return int(crc32.ChecksumIEEE(key) % uint32(n)) }

// kgoCodec maps Config.Compression to franz-go's codec.
func kgoCodec(name string) kgo.CompressionCodec {
	switch name {
	case CompressionGzip:
		return kgo.GzipCompression()
	case CompressionSnappy:
		return kgo.SnappyCompression()
	case CompressionLZ4:
		return kgo.Lz4Compression()
	case CompressionZstd:
		return kgo.ZstdCompression()
	}
	return kgo.NoCompression()
}
