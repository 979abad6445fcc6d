package kafka

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/IBM/sarama"

	"github.com/trafofn/trafofn/function"
)

// groupHandler is our sarama.ConsumerGroupHandler. One session lives from Setup to Cleanup
// (an eager rebalance ends it; a cooperative one keeps it and only revokes claims).
type groupHandler struct {
	c *Consumer
	h function.Handler

	mu  sync.Mutex
	cur *session
}

var _ sarama.ConsumerGroupHandler = (*groupHandler)(nil)

func (g *groupHandler) Setup(sess sarama.ConsumerGroupSession) error {
	s := &session{
		c:     g.c,
		sess:  sess,
		parts: make(map[*partition]struct{}),
		stop:  make(chan struct{}),
		soon:  make(chan struct{}, 1),
	}
	s.wg.Add(1)
	go s.committer()
	g.mu.Lock()
	g.cur = s
	g.mu.Unlock()
	g.c.joined.Store(true)
	g.c.cfg.Metrics.sessionStarted(g.c.cfg.GroupID, len(sess.Claims()[g.c.cfg.Topic]))
	g.c.log.Info("kafka: joined consumer group", "group", g.c.cfg.GroupID, "member", sess.MemberID(),
		"generation", sess.GenerationID(), "claims", sess.Claims())
	return nil
}

func (g *groupHandler) Cleanup(sarama.ConsumerGroupSession) error {
	g.mu.Lock()
	s := g.cur
	g.cur = nil
	g.mu.Unlock()
	if s == nil {
		return nil
	}
	close(s.stop)
	s.wg.Wait()
	g.c.cfg.Metrics.sessionEnded(g.c.cfg.GroupID)
	return s.final()
}

// suspect sends the partition topic/id of the current session to rescue (see rescue); it
// reports whether the session has that partition.
func (g *groupHandler) suspect(topic string, id int32) bool {
	g.mu.Lock()
	s := g.cur
	g.mu.Unlock()
	if s == nil {
		return false
	}
	for _, p := range s.partitions() {
		if p.topic == topic && p.id == id {
			p.suspected()
			return true
		}
	}
	return false
}

// ConsumeClaim runs one partition until its claim ends; see partition for the guarantees.
// It returns only after the partition's done records were committed (or their commit failed
// and was logged), so the next owner starts right after them.
func (g *groupHandler) ConsumeClaim(sess sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) error {
	g.mu.Lock()
	s := g.cur
	g.mu.Unlock()
	if s == nil {
		return errors.New("kafka: claim outside a session")
	}
	p := newPartition(s, g.h, claim.Topic(), claim.Partition())
	s.add(p)
	defer s.remove(p)
	p.run(sess, claim)
	return nil
}

// session tracks the partitions of one group session and commits their offsets.
//
// Commit point: every CommitInterval (and when a partition ends) each partition's offset is
// set to one past its done prefix and committed synchronously; with ExactlyOnce the ready
// replies of every partition and those offsets are written in one transaction instead. A
// failed commit is retried at the next tick; offsets never move backwards.
type session struct {
	c    *Consumer
	sess sarama.ConsumerGroupSession

	mu     sync.Mutex
	parts  map[*partition]struct{}
	marked map[*partition]int64

	commitMu sync.Mutex // serialises commits and transactions
	stop     chan struct{}
	soon     chan struct{}
	wg       sync.WaitGroup
	failed   error // ExactlyOnce: the producer failed fatally
}

func (s *session) add(p *partition) {
	s.mu.Lock()
	s.parts[p] = struct{}{}
	s.mu.Unlock()
}

func (s *session) remove(p *partition) {
	s.mu.Lock()
	delete(s.parts, p)
	s.mu.Unlock()
}

func (s *session) partitions() []*partition {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps := make([]*partition, 0, len(s.parts))
	for p := range s.parts {
		ps = append(ps, p)
	}
	return ps
}

func (s *session) broken() bool {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	return s.failed != nil
}

// flushSoon asks the committer for an early transaction (a partition's window is full).
func (s *session) flushSoon() {
	select {
	case s.soon <- struct{}{}:
	default:
	}
}

func (s *session) committer() {
	defer s.wg.Done()
	t := time.NewTicker(s.c.cfg.CommitInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		case <-s.soon:
		}
		if s.c.cfg.ExactlyOnce {
			_ = s.flush()
		} else {
			s.commit(s.partitions())
		}
	}
}

// commitPartition is called by a partition whose claim ends.
func (s *session) commitPartition(p *partition) {
	if s.c.cfg.ExactlyOnce {
		_ = s.flush()
		return
	}
	s.commit([]*partition{p})
}

// final runs at the end of the session, after every claim returned.
func (s *session) final() error {
	if s.c.cfg.ExactlyOnce {
		return s.flush()
	}
	s.commit(s.partitions())
	return nil
}

// commit synchronously commits the done prefixes of ps (at-least-once mode) with the
// session's generation and member id. It uses a connection of its own: on the consumer's
// connection an OffsetCommit would wait behind the long-polling fetch. A failed commit is
// logged and retried at the next tick; what the broker accepted is never committed again.
func (s *session) commit(ps []*partition) {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	if s.marked == nil {
		s.marked = make(map[*partition]int64)
	}
	req := &sarama.OffsetCommitRequest{
		Version:                 s.c.commitVersion,
		ConsumerGroup:           s.c.cfg.GroupID,
		ConsumerGroupGeneration: s.sess.GenerationID(),
		ConsumerID:              s.sess.MemberID(),
		RetentionTime:           -1,
	}
	want := map[*partition]int64{}
	for _, p := range ps {
		off := p.commitPoint()
		if off < 0 || off <= s.marked[p] {
			continue
		}
		req.AddBlock(p.topic, p.id, off, sarama.ReceiveTime, "")
		want[p] = off
	}
	if len(want) == 0 {
		return
	}
	client := s.c.conns.commit
	broker, err := client.Coordinator(s.c.cfg.GroupID)
	if err == nil {
		var resp *sarama.OffsetCommitResponse
		resp, err = broker.CommitOffset(req)
		if err != nil {
			_ = broker.Close()
		} else {
			var errs []error
			for p, off := range want {
				kerr, ok := resp.Errors[p.topic][p.id]
				switch {
				case !ok:
					errs = append(errs, fmt.Errorf("%s/%d: no answer", p.topic, p.id))
				case kerr == sarama.ErrNoError:
					s.marked[p] = off
					s.c.log.Debug("kafka: committed", "partition", p.id, "offset", off, "generation", req.ConsumerGroupGeneration, "member", req.ConsumerID)
				default:
					errs = append(errs, fmt.Errorf("%s/%d: %w", p.topic, p.id, kerr))
					if kerr == sarama.ErrNotCoordinatorForConsumer || kerr == sarama.ErrConsumerCoordinatorNotAvailable {
						_ = client.RefreshCoordinator(s.c.cfg.GroupID)
					}
				}
			}
			err = errors.Join(errs...)
		}
	}
	if err != nil {
		s.c.stats.commitErrors.Add(1)
		s.c.log.Warn("kafka: offset commit failed; retrying at the next tick", "err", err)
		return
	}
	s.c.stats.commits.Add(1)
}

// maxTxnRecords bounds the records of one transaction.
const maxTxnRecords = 1000

// flush writes the ready replies of all partitions and their offsets in one transaction.
// On an abortable error the transaction is aborted and the records stay ready for the next
// attempt; on a fatal one the session is marked failed (the consumer ends it and replaces the
// producer; nothing of the failed transaction is visible to read_committed consumers).
func (s *session) flush() error {
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	if s.failed != nil {
		return s.failed
	}
	type part struct {
		p  *partition
		rs []*record
	}
	var batch []part
	n := 0
	for _, p := range s.partitions() {
		if n >= maxTxnRecords {
			break
		}
		if rs := p.handledPrefix(maxTxnRecords - n); len(rs) > 0 {
			batch = append(batch, part{p, rs})
			n += len(rs)
		}
	}
	if len(batch) == 0 {
		return nil
	}
	rp := s.c.prod()
	if err := rp.ap.BeginTxn(); err != nil {
		return s.txnFailed(rp, err)
	}
	offsets := make(map[string][]*sarama.PartitionOffsetMetadata)
	for _, b := range batch {
		for _, r := range b.rs {
			for _, pm := range r.outgoing() {
				if err := rp.send(s.c.base, copyMessage(pm)); err != nil {
					return s.txnFailed(rp, err)
				}
			}
		}
		last := b.rs[len(b.rs)-1].msg.Offset
		offsets[b.p.topic] = append(offsets[b.p.topic], &sarama.PartitionOffsetMetadata{Partition: b.p.id, Offset: last + 1})
	}
	meta := &sarama.ConsumerGroupMetadata{
		GroupID:      s.c.cfg.GroupID,
		GenerationID: s.sess.GenerationID(),
		MemberID:     s.sess.MemberID(),
	}
	if err := rp.ap.AddOffsetsToTxnWithGroupMetadata(offsets, meta); err != nil {
		return s.txnFailed(rp, err)
	}
	if err := rp.ap.CommitTxn(); err != nil {
		return s.txnFailed(rp, err)
	}
	s.c.stats.commits.Add(1)
	for _, b := range batch {
		b.p.committedInTxn(b.rs)
	}
	return nil
}

// txnFailed aborts the open transaction, or marks the session failed if the producer cannot
// go on. Called with commitMu held.
func (s *session) txnFailed(rp *replyProducer, err error) error {
	s.c.stats.txnAborts.Add(1)
	if rp.fatal() {
		s.failed = err
		s.c.log.Error("kafka: transactional producer failed; ending the session", "err", err)
		s.c.producerFailed()
		return err
	}
	s.c.log.Warn("kafka: transaction failed; aborting and retrying", "err", err)
	if rp.ap.TxnStatus()&sarama.ProducerTxnFlagInTransaction != 0 || rp.ap.TxnStatus()&sarama.ProducerTxnFlagAbortableError != 0 {
		if aerr := rp.ap.AbortTxn(); aerr != nil {
			s.c.log.Warn("kafka: abort transaction", "err", aerr)
			if rp.fatal() {
				s.failed = errors.Join(err, aerr)
				s.c.producerFailed()
			}
		}
	}
	return err
}
