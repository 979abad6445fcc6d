package kafka

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/IBM/sarama"
	cloudevent "github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/function"
)

// recState is where a record is on its way from the claim to the committed offset.
type recState uint8

const (
	stQueued  recState = iota // taken from the claim, waiting for its key and an execution slot
	stRunning                 // the handler runs (or is being retried after an error)
	stHandled                 // ExactlyOnce: reply ready, waiting for the next transaction
	stSending                 // at-least-once: reply (and dead letter) sent, waiting for acks
	stDone                    // acknowledged (or committed in a transaction): may be committed
)

// record is one consumed record in a partition's window.
type record struct {
	msg     *sarama.ConsumerMessage
	key     string
	state   recState
	out     []*sarama.ProducerMessage // reply and dead letter still to be acknowledged
	pending int                       // at-least-once: acknowledgements outstanding
	attempt int                       // produce retries so far, for the backoff
	refused error                     // ExactlyOnce: the broker refused the reply for good
}

type eventKind uint8

const (
	evHandled eventKind = iota // the handler returned a reply
	evGaveUp                   // the handler was abandoned (its context ended)
	evAck                      // the producer reported on a message (err nil = acknowledged)
	evResend                   // a retry backoff elapsed
)

type pevent struct {
	kind  eventKind
	rec   *record
	reply *cloudevent.Event
	msg   *sarama.ProducerMessage
	dlq   bool
	err   error
}

// partition processes one claimed partition. It is the delivery path's core:
//
// Order: records are taken in offset order. With InFlightPerPartition = 1 a record starts
// only after the previous one was acknowledged. With N > 1 up to N records run at once, never
// two with the same key (keyless records share one key): the record at offset 7 with key "a"
// starts only after the reply to offset 3 with key "a" was acknowledged, while offset 5 with
// key "b" may run beside it. Replies of one key therefore reach the response topic in offset
// order.
//
// Commit point: the committed offset is one past the longest prefix of the window whose
// records are done (reply acknowledged by the broker with acks=all, dead letter too for
// poison records). If offsets 3, 5 and 6 are done and 4 is not, the commit stays at 4; when
// 4 is acknowledged it jumps to 7. With ExactlyOnce the prefix of handled records is written,
// replies and offset together, in one transaction.
//
// Errors: a handler error is retried with backoff, holding the record's key, until it
// succeeds or the partition is given up (revocation or shutdown past its deadline); the
// record is never skipped and never committed without its reply. A reply produce that fails
// for a retryable reason is resent with backoff; one the broker refuses for good (too large,
// invalid) is replaced by a dead letter of the request carrying the error, so the partition
// does not stall. A dead letter refused for good is logged and counted, and the record is
// treated as done.
type partition struct {
	c      *Consumer
	s      *session
	h      function.Handler
	topic  string
	id     int32
	ctx    context.Context // handlers' context; cancelled when the partition is given up
	cancel context.CancelFunc
	events chan pevent
	wake   chan struct{}
	done   chan struct{} // closed when the loop has returned

	mu         sync.Mutex
	window     []*record            // records taken and not yet done, in offset order
	lanes      map[string][]*record // per key: records holding or awaiting the key, in order
	running    int
	maxStarted int64 // highest offset started
	draining   bool
	next       int64 // offset to commit: one past the last done record of the prefix; -1 none
}

func newPartition(s *session, h function.Handler, topic string, id int32) *partition {
	ctx, cancel := context.WithCancel(s.c.base)
	return &partition{
		c:          s.c,
		s:          s,
		h:          h,
		topic:      topic,
		id:         id,
		ctx:        ctx,
		cancel:     cancel,
		events:     make(chan pevent, 4*s.c.cfg.ReadAhead+8),
		wake:       make(chan struct{}, 1),
		done:       make(chan struct{}),
		lanes:      make(map[string][]*record),
		next:       -1,
		maxStarted: -1,
	}
}

// post delivers ev to the loop, or drops it once the loop has returned.
func (p *partition) post(ev pevent) {
	select {
	case p.events <- ev:
	case <-p.done:
	}
}

func (p *partition) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// run is the claim's loop. It returns after the claim ended (revocation or shutdown) and the
// window was drained or given up, and after the done prefix was committed.
func (p *partition) run(sess sarama.ConsumerGroupSession, claim sarama.ConsumerGroupClaim) {
	defer close(p.done)
	defer p.cancel()
	log := p.c.log.With("topic", p.topic, "partition", p.id)
	msgs := claim.Messages()
	sessDone := sess.Context().Done()
	var deadline <-chan time.Time
	startDrain := func(why string) {
		if p.draining {
			return
		}
		p.mu.Lock()
		p.draining = true
		// Records not started after the last started one are left for the next owner.
		n := 0
		for _, r := range p.window {
			if r.state == stQueued && r.msg.Offset > p.maxStarted {
				n++
			}
		}
		p.mu.Unlock()
		msgs, sessDone = nil, nil
		timeout, at := p.c.cfg.RevokeTimeout, time.Now()
		if stopAt, ok := p.c.stoppingSince(); ok {
			timeout, at = p.c.cfg.DrainTimeout, stopAt
		}
		if p.s.broken() {
			timeout = 0
		}
		deadline = time.After(time.Until(at.Add(timeout)))
		log.Debug("kafka: partition draining", "why", why, "unstarted", n)
	}
	for {
		p.mu.Lock()
		var in <-chan *sarama.ConsumerMessage
		if !p.draining && len(p.window) < p.c.cfg.ReadAhead {
			in = msgs
		}
		var slot chan struct{}
		next := p.startable()
		if next != nil {
			slot = p.c.sem
		}
		idle := p.draining && p.idle() && next == nil
		p.mu.Unlock()
		if idle {
			if !p.c.cfg.ExactlyOnce || !p.hasHandled() {
				break
			}
			if err := p.s.flush(); err != nil {
				// The transaction failed; retry until the deadline.
				select {
				case <-deadline:
					p.giveUp(log)
					return
				case <-time.After(p.c.cfg.RetryBackoff):
				}
			}
			continue
		}
		select {
		case msg, ok := <-in:
			if !ok {
				startDrain("claim closed")
				continue
			}
			p.add(msg)
		case slot <- struct{}{}:
			p.start(next)
		case ev := <-p.events:
			p.handle(ev, log)
		case <-p.wake:
		case <-sessDone:
			startDrain("session ended")
		case <-deadline:
			p.giveUp(log)
			return
		}
	}
	p.s.commitPartition(p)
}

// giveUp abandons what is still in flight and commits the done prefix.
func (p *partition) giveUp(log *slog.Logger) {
	p.cancel()
	p.mu.Lock()
	n := 0
	for _, r := range p.window {
		if r.state != stDone && r.state != stQueued {
			n++
		}
	}
	p.mu.Unlock()
	if n > 0 {
		p.c.stats.abandoned.Add(int64(n))
		log.Warn("kafka: drain deadline passed, abandoning in-flight records (they will be redelivered)", "records", n)
	}
	p.s.commitPartition(p)
}

// idle reports, with p.mu held, that nothing is running or waiting for an acknowledgement.
func (p *partition) idle() bool {
	for _, r := range p.window {
		if r.state == stRunning || r.state == stSending {
			return false
		}
	}
	return true
}

func (p *partition) hasHandled() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range p.window {
		if r.state == stHandled {
			return true
		}
	}
	return false
}

// startable returns, with p.mu held, the oldest queued record that holds its key, if another
// execution may start. While draining, only records before the last started one start: they
// fill the holes that keys running ahead left, so that everything handled ends up in the
// committed prefix and the next owner repeats nothing; the queued tail is left to it.
func (p *partition) startable() *record {
	if p.running >= p.c.cfg.InFlightPerPartition {
		return nil
	}
	for _, r := range p.window {
		if p.draining && r.msg.Offset > p.maxStarted {
			return nil
		}
		if r.state == stQueued && p.lanes[r.key][0] == r {
			return r
		}
	}
	return nil
}

func (p *partition) add(msg *sarama.ConsumerMessage) {
	r := &record{msg: msg, key: string(msg.Key)}
	p.mu.Lock()
	p.window = append(p.window, r)
	p.lanes[r.key] = append(p.lanes[r.key], r)
	p.mu.Unlock()
}

// start runs the handler for r in its own goroutine; the caller took a slot of c.sem.
func (p *partition) start(r *record) {
	p.mu.Lock()
	r.state = stRunning
	p.running++
	p.maxStarted = max(p.maxStarted, r.msg.Offset)
	p.mu.Unlock()
	go func() {
		reply, ok := p.execute(r)
		<-p.c.sem
		if ok {
			p.post(pevent{kind: evHandled, rec: r, reply: reply})
		} else {
			p.post(pevent{kind: evGaveUp, rec: r})
		}
	}()
}

// execute calls the handler until it returns without error or the partition is given up.
func (p *partition) execute(r *record) (*cloudevent.Event, bool) {
	e := p.c.dec.Decode(r.msg)
	backoff := p.c.cfg.RetryBackoff
	for {
		reply, err := safeHandle(p.ctx, p.h, e)
		if err == nil {
			return reply, true
		}
		if p.ctx.Err() != nil {
			return nil, false
		}
		p.c.stats.handlerRetries.Add(1)
		p.c.log.Warn("kafka: handler failed, retrying", "topic", p.topic, "partition", p.id,
			"offset", r.msg.Offset, "id", e.ID(), "backoff", backoff, "err", err)
		select {
		case <-p.ctx.Done():
			return nil, false
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, p.c.cfg.MaxRetryBackoff)
	}
}

func safeHandle(ctx context.Context, h function.Handler, e cloudevent.Event) (reply *cloudevent.Event, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("handler panicked: %v", v)
		}
	}()
	return h.Handle(ctx, e)
}

func (p *partition) handle(ev pevent, log *slog.Logger) {
	r := ev.rec
	switch ev.kind {
	case evGaveUp:
		// The partition was given up while the handler ran: the record stays undone, so
		// nothing from it on is committed.
		p.mu.Lock()
		p.running--
		r.state = stQueued
		p.mu.Unlock()
	case evHandled:
		p.c.stats.handled.Add(1)
		out := p.outgoing(r, ev.reply, log)
		p.mu.Lock()
		p.running--
		if len(out) == 0 {
			p.mu.Unlock()
			p.finish(r)
			return
		}
		r.out = out
		if p.c.cfg.ExactlyOnce {
			r.state = stHandled
			p.releaseKey(r)
			full := len(p.window) >= p.c.cfg.ReadAhead
			p.mu.Unlock()
			if full {
				p.s.flushSoon()
			}
			return
		}
		r.state = stSending
		r.pending = len(out)
		p.mu.Unlock()
		for _, pm := range out {
			p.send(pm)
		}
		return
	case evAck:
		if ev.err == nil {
			if ev.dlq {
				p.c.stats.deadLettered.Add(1)
			} else {
				p.c.stats.replied.Add(1)
			}
			p.mu.Lock()
			r.pending--
			last := r.pending == 0
			p.mu.Unlock()
			if last {
				p.finish(r)
			}
			return
		}
		if !permanent(ev.err) {
			p.c.stats.produceRetries.Add(1)
			p.mu.Lock()
			d := p.c.cfg.RetryBackoff << min(r.attempt, 16)
			r.attempt++
			p.mu.Unlock()
			d = min(d, p.c.cfg.MaxRetryBackoff)
			log.Warn("kafka: produce failed, retrying", "to", ev.msg.Topic, "offset", r.msg.Offset, "backoff", d, "err", ev.err)
			msg := ev.msg
			time.AfterFunc(d, func() { p.post(pevent{kind: evResend, rec: r, msg: msg}) })
			return
		}
		if !ev.dlq {
			p.c.stats.refused.Add(1)
			why := "reply refused by the broker: " + ev.err.Error()
			log.Error("kafka: the broker refused the reply for good; dead-lettering the request", "offset", r.msg.Offset, "err", ev.err)
			// The dead letter takes over the reply's outstanding acknowledgement.
			p.send(p.tag(r, deadLetter(p.c.cfg.DeadLetterTopic, r.msg, why), true))
			return
		}
		p.c.stats.dropped.Add(1)
		log.Error("kafka: the broker refused the dead letter for good; the record is dropped", "offset", r.msg.Offset, "err", ev.err)
		p.mu.Lock()
		r.pending--
		last := r.pending == 0
		p.mu.Unlock()
		if last {
			p.finish(r)
		}
	case evResend:
		p.mu.Lock()
		giveUp := p.ctx.Err() != nil
		p.mu.Unlock()
		if !giveUp {
			p.send(copyMessage(ev.msg))
		}
	}
}

// outgoing builds the messages answering r: the reply, and a dead letter for poison.
func (p *partition) outgoing(r *record, reply *cloudevent.Event, log *slog.Logger) []*sarama.ProducerMessage {
	if reply == nil {
		log.Warn("kafka: handler returned no reply and no error; committing without reply", "offset", r.msg.Offset)
		return nil
	}
	var out []*sarama.ProducerMessage
	pm, err := replyMessage(p.ctx, p.c.cfg.ResponseTopic, r.msg, reply)
	if err != nil {
		log.Error("kafka: cannot encode reply; dead-lettering the request", "offset", r.msg.Offset, "err", err)
		return []*sarama.ProducerMessage{p.tag(r, deadLetter(p.c.cfg.DeadLetterTopic, r.msg, err.Error()), true)}
	}
	out = append(out, p.tag(r, pm, false))
	if function.IsPoison(reply) {
		out = append(out, p.tag(r, deadLetter(p.c.cfg.DeadLetterTopic, r.msg, poisonReason(reply)), true))
	}
	return out
}

func (p *partition) tag(r *record, pm *sarama.ProducerMessage, dlq bool) *sarama.ProducerMessage {
	pm.Metadata = &delivery{p: p, rec: r, dlq: dlq, txn: p.c.cfg.ExactlyOnce}
	return pm
}

// send hands a tagged message to the producer (at-least-once mode). If the partition is
// given up meanwhile, the message is not sent and its record stays uncommitted.
func (p *partition) send(pm *sarama.ProducerMessage) {
	_ = p.c.prod().send(p.ctx, pm)
}

// finish marks r done, releases its key and advances the commit point.
func (p *partition) finish(r *record) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finishLocked(r)
}

func (p *partition) finishLocked(r *record) {
	r.state = stDone
	r.out = nil
	p.releaseKey(r)
	i := 0
	for ; i < len(p.window) && p.window[i].state == stDone; i++ {
		p.next = p.window[i].msg.Offset + 1
	}
	if i > 0 {
		clear(p.window[:i])
		p.window = p.window[i:]
	}
}

// releaseKey lets the next record with r's key start.
func (p *partition) releaseKey(r *record) {
	lane := p.lanes[r.key]
	for i, x := range lane {
		if x == r {
			lane = append(lane[:i:i], lane[i+1:]...)
			break
		}
	}
	if len(lane) == 0 {
		delete(p.lanes, r.key)
	} else {
		p.lanes[r.key] = lane
	}
}

// commitPoint returns the offset to commit, or -1 if no record was done yet.
func (p *partition) commitPoint() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.next
}

// handledPrefix returns, for a transaction, the records at the front of the window whose
// replies are ready, up to max.
func (p *partition) handledPrefix(max int) []*record {
	p.mu.Lock()
	defer p.mu.Unlock()
	var rs []*record
	for _, r := range p.window {
		if r.state != stDone && r.state != stHandled {
			break
		}
		if r.state == stHandled {
			if r.refused != nil {
				why := "reply refused by the broker: " + r.refused.Error()
				r.out = []*sarama.ProducerMessage{p.tag(r, deadLetter(p.c.cfg.DeadLetterTopic, r.msg, why), true)}
				r.refused = nil
			}
			rs = append(rs, r)
			if len(rs) >= max {
				break
			}
		}
	}
	return rs
}

// committedInTxn marks rs done after their transaction committed.
func (p *partition) committedInTxn(rs []*record) {
	p.mu.Lock()
	for _, r := range rs {
		for _, pm := range r.out {
			if d, ok := pm.Metadata.(*delivery); ok && d.dlq {
				p.c.stats.deadLettered.Add(1)
			} else {
				p.c.stats.replied.Add(1)
			}
		}
		p.finishLocked(r)
	}
	p.mu.Unlock()
	p.poke()
}

// refuseInTxn remembers that the broker refused r's reply for good.
func (p *partition) refuseInTxn(r *record, err error) {
	p.mu.Lock()
	if r.state == stHandled {
		r.refused = err
	}
	p.mu.Unlock()
	p.c.stats.refused.Add(1)
	p.c.log.Error("kafka: the broker refused the reply for good; the request will be dead-lettered",
		"topic", p.topic, "partition", p.id, "offset", r.msg.Offset, "err", err)
}
