package kafka

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"time"

	"github.com/IBM/sarama"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/trafofn/trafofn/internal/backoff"
)

// rescue reads one partition with franz-go while sarama cannot.
//
// Why: sarama decodes a fetch response as a whole. When one of its batches decompresses to
// more than sarama.MaxDecompressedBatchSize (a decompression bomb: a 29 KB zstd record
// inflating to 900 MB), the whole response fails with ErrDecompressedBatchTooLarge, without
// saying which batch, and sarama fetches the same offsets again, forever: the partition (and
// every partition fetched with it) stalls. Without the bound, the batch is inflated, and the
// process runs out of memory and dies on the same uncommitted record after every restart.
//
// How: sarama reports the error for each partition of the failed fetch. Each such partition
// of ours is then read by a franz-go client of its own from the first offset the window has
// not taken, with the same bound and read_committed. franz-go returns the records before an
// oversized batch and then the batch's offsets (kgo.ErrDecompressTooLarge), never its data;
// the batch becomes one stand-in record of the window (answered with a failure reply and a
// dead letter naming its offsets), and the rescue goes on after it. The window, the keys and
// the commit point work as for sarama's records. Once the commit has passed an oversized
// batch the session is restarted: the new claims start at the committed offsets, behind the
// batch, and sarama reads again. A partition rescued only because it shared the failed
// fetch keeps being read by its rescue until that restart.
type rescue struct {
	cl     *kgo.Client
	out    chan rescued
	cancel context.CancelFunc
	done   chan struct{}
}

// rescued is a record read by a rescue; for an oversized batch, msg is its stand-in (the
// batch's last offset, no key, no value) and bomb names the batch.
type rescued struct {
	msg  *sarama.ConsumerMessage
	bomb *bombBatch
}

// startRescue begins reading the partition with franz-go after the last record taken.
func (p *partition) startRescue(log *slog.Logger) {
	if p.rescue != nil {
		return
	}
	from := kgo.NewOffset().AtStart()
	switch {
	case p.lastTaken >= 0:
		from = kgo.NewOffset().At(p.lastTaken + 1)
	case p.startAt >= 0:
		from = kgo.NewOffset().At(p.startAt)
	}
	opts := append(p.c.cfg.kgoOpts(),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{p.topic: {p.id: from}}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.MaxDecompressBatchBytes(batchLimit()),
		kgo.FetchMaxPartitionBytes(128<<10),
		kgo.FetchMaxBytes(1<<20),
	)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		log.Error("kafka: cannot rescue the partition from an oversized batch", "err", err)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &rescue{cl: cl, out: make(chan rescued), cancel: cancel, done: make(chan struct{})}
	p.rescue = r
	log.Warn("kafka: a record batch decompresses to more than KAFKA_MAX_BATCH_BYTES; reading the partition with a rescue client",
		"limit", batchLimit(), "from", p.lastTaken+1)
	go r.run(ctx, p.topic, p.id, log)
}

// stopRescue ends the rescue, if any.
func (p *partition) stopRescue() {
	if r := p.rescue; r != nil {
		p.rescue = nil
		r.cancel()
		<-r.done
		r.cl.Close()
	}
}

// checkRestart restarts the session once the commit point has passed an oversized batch.
func (p *partition) checkRestart(log *slog.Logger) {
	p.mu.Lock()
	at := p.restartAt
	due := at >= 0 && p.next >= at
	if due {
		p.restartAt = -1
	}
	p.mu.Unlock()
	if due {
		log.Info("kafka: answered an oversized batch; restarting the session to resume behind it", "offset", at)
		p.c.restartSession()
	}
}

func (r *rescue) run(ctx context.Context, topic string, partition int32, log *slog.Logger) {
	defer close(r.done)
	retry := backoff.New(100*time.Millisecond, 5*time.Second)
	for {
		fs := r.cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return
		}
		// records before an oversized batch come in an earlier fetch than its error
		ok := true
		fs.EachRecord(func(rec *kgo.Record) {
			if ok {
				ok = r.send(ctx, rescued{msg: consumerMessage(rec)})
			}
		})
		if !ok {
			return
		}
		failed := false
		for _, fe := range fs.Errors() {
			var big *kgo.ErrDecompressTooLarge
			switch {
			case errors.As(fe.Err, &big):
				stand := &sarama.ConsumerMessage{Topic: topic, Partition: partition, Offset: big.NextOffset - 1}
				if !r.send(ctx, rescued{msg: stand, bomb: &bombBatch{first: big.Offset, next: big.NextOffset}}) {
					return
				}
				r.cl.SetOffsets(map[string]map[int32]kgo.EpochOffset{topic: {partition: {Epoch: big.Epoch, Offset: big.NextOffset}}})
			case errors.Is(fe.Err, context.Canceled):
				return
			default:
				failed = true
				log.Warn("kafka: rescue fetch failed", "err", fe.Err)
			}
		}
		if failed {
			if retry.Wait(ctx) != nil {
				return
			}
		} else {
			retry.Reset()
		}
	}
}

func (r *rescue) send(ctx context.Context, m rescued) bool {
	select {
	case r.out <- m:
		return true
	case <-ctx.Done():
		return false
	}
}

// consumerMessage converts a franz-go record into sarama's form.
func consumerMessage(rec *kgo.Record) *sarama.ConsumerMessage {
	m := &sarama.ConsumerMessage{
		Topic: rec.Topic, Partition: rec.Partition, Offset: rec.Offset,
		Key: rec.Key, Value: rec.Value, Timestamp: rec.Timestamp,
	}
	for _, h := range rec.Headers {
		m.Headers = append(m.Headers, &sarama.RecordHeader{Key: []byte(h.Key), Value: h.Value})
	}
	return m
}

// firstOffset is where the claim starts: its initial offset, with "newest" resolved now
// (the rescue must not start after records sarama would have read). OffsetOldest stays
// symbolic: the rescue then starts at the log's start.
func (p *partition) firstOffset(claim sarama.ConsumerGroupClaim, log *slog.Logger) int64 {
	off := claim.InitialOffset()
	if off != sarama.OffsetNewest {
		return off
	}
	n, err := p.c.conns.commit.GetOffset(p.topic, p.id, sarama.OffsetNewest)
	if err != nil {
		log.Debug("kafka: cannot resolve the newest offset", "err", err)
		return sarama.OffsetOldest
	}
	return n
}

// kgoOpts are the franz-go settings equivalent to c's sarama client settings: brokers,
// client id, TLS (through the same dialer) and SASL.
func (c Config) kgoOpts() []kgo.Opt {
	opts := []kgo.Opt{kgo.SeedBrokers(c.Brokers...), kgo.ClientID(c.ClientID), kgo.DialTimeout(c.DialTimeout)}
	if c.TLS.Enable {
		if tc, err := c.TLS.config(); err == nil {
			d := tlsDialer{tls: tc, timeout: c.DialTimeout}
			opts = append(opts, kgo.Dialer(func(ctx context.Context, network, host string) (net.Conn, error) {
				return d.DialContext(ctx, network, host)
			}))
		}
	}
	switch c.SASL.Mechanism {
	case SASLPlain:
		opts = append(opts, kgo.SASL(plain.Auth{User: c.SASL.User, Pass: c.SASL.Password}.AsMechanism()))
	case SASLSCRAMSHA256:
		opts = append(opts, kgo.SASL(scram.Auth{User: c.SASL.User, Pass: c.SASL.Password}.AsSha256Mechanism()))
	case SASLSCRAMSHA512:
		opts = append(opts, kgo.SASL(scram.Auth{User: c.SASL.User, Pass: c.SASL.Password}.AsSha512Mechanism()))
	}
	return opts
}
