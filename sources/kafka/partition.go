package kafka

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/IBM/sarama"
	cloudevent "github.com/cloudevents/sdk-go/v2/event"
	"go.opentelemetry.io/otel/trace"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/backoff"
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
	msg   *sarama.ConsumerMessage
	key   string
	state recState
	ev    cloudevent.Event // the request event (set when it starts), for failure replies

	// refusal, when set, is why the record is not handed to the handler: it is answered
	// with a failure reply saying so and dead-lettered (too large, or an undecodable batch).
	refusal string
	bomb    *bombBatch // the record stands for a batch that was never decompressed
	large   bool       // executing it takes a slot of c.large (Config.LargeRecordBytes)

	reply, dead *sarama.ProducerMessage // reply and dead letter still to be acknowledged
	replaced    bool                    // reply is the failure reply that replaced the handler's
	deadDropped bool                    // the broker refused the dead letter for good
	pending     int                     // at-least-once: acknowledgements outstanding
	attempt     int                     // produce retries so far, for the backoff

	// ExactlyOnce: what the broker refused for good in a failed transaction; the next
	// transaction sends replacements instead.
	refusedReply, refusedDead error

	// observability: the reply's result, whether a reply and a dead letter were
	// acknowledged, and the spans (nil without a Tracer)
	result                 string
	answered, deadLettered bool
	span, sendSpan         trace.Span
	spanCtx, sendCtx       context.Context
	t                      stamps // only with Config.Timings
}

// outgoing returns the messages still to be delivered for r.
func (r *record) outgoing() []*sarama.ProducerMessage {
	var out []*sarama.ProducerMessage
	for _, pm := range []*sarama.ProducerMessage{r.reply, r.dead} {
		if pm != nil {
			out = append(out, pm)
		}
	}
	return out
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

// bombBatch is a record batch of offsets first..next-1 that decompresses to more than
// MaxBatchBytes; its records were never read.
type bombBatch struct{ first, next int64 }

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
// for a retryable reason is resent with backoff; a reply larger than MaxMessageBytes, or one
// the broker refuses for good (too large, invalid), is replaced by a failure reply saying so
// and the request is dead-lettered, so the partition does not stall and the request still
// gets its one reply. A dead letter refused for good is logged and counted, and the record
// is treated as done.
//
// Undecodable batches: when sarama reports that a batch of this partition decompresses to
// more than MaxBatchBytes, the partition is rescued (see rescue): its records are read with
// franz-go from the first offset not yet taken, the oversized batch becomes one record that
// is answered with a failure reply and dead-lettered, and once the commit has passed it the
// session is restarted, so that sarama resumes behind it.
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
	windowSize int                  // their bytes (recordSize)
	lanes      map[string][]*record // per key: records holding or awaiting the key, in order
	running    int
	maxStarted int64 // highest offset started
	draining   bool
	next       int64 // offset to commit: one past the last done record of the prefix; -1 none
	restartAt  int64 // restart the session once the commit reached this offset; -1 never

	// only the loop's goroutine:
	lastTaken int64         // offset of the last record taken into the window, -1 none
	startAt   int64         // the claim's first offset (sarama.OffsetOldest if unknown)
	suspect   chan struct{} // sarama failed a fetch of this partition on an oversized batch
	rescue    *rescue       // reads the partition while sarama cannot; nil normally

	// metrics: the partition's series (nil without Metrics); the claim and its first
	// offset, for the lag read at scrape time
	pm         *partitionMetrics
	claim      atomic.Pointer[sarama.ConsumerGroupClaim]
	claimStart atomic.Int64
	brokerHWM  atomic.Int64 // the broker's high watermark at the last refresh
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
		lastTaken:  -1,
		startAt:    sarama.OffsetOldest,
		suspect:    make(chan struct{}, 1),
		restartAt:  -1,
		pm:         s.c.cfg.Metrics.forPartition(s.c.cfg.GroupID, topic, id),
	}
}

// suspected tells the loop that sarama failed to fetch this partition because a batch
// decompresses to more than MaxBatchBytes.
func (p *partition) suspected() {
	select {
	case p.suspect <- struct{}{}:
	default:
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
	defer p.stopRescue()
	log := p.c.log.With("topic", p.topic, "partition", p.id)
	p.startAt = p.firstOffset(claim, log)
	p.claimStart.Store(p.startAt)
	p.claim.Store(&claim)
	msgs := claim.Messages()
	sessDone := sess.Context().Done()
	var deadline <-chan time.Time
	// stopped, while a revocation drain runs, shortens it to the shutdown's DrainTimeout:
	// a SIGTERM during a rebalance must not wait for RevokeTimeout
	var stopped <-chan struct{}
	var drainEnd time.Time
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
		} else {
			stopped = p.c.stopped
		}
		if p.s.broken() {
			timeout = 0
		}
		drainEnd = at.Add(timeout)
		deadline = time.After(time.Until(drainEnd))
		log.Debug("kafka: partition draining", "why", why, "unstarted", n)
	}
	flushRetry := backoff.New(p.c.cfg.RetryBackoff, p.c.cfg.MaxRetryBackoff)
	for {
		p.checkRestart(log)
		p.mu.Lock()
		var in <-chan *sarama.ConsumerMessage
		var rescued <-chan rescued
		room := !p.draining && !p.full()
		switch {
		case p.rescue != nil:
			// sarama's records are read and dropped (the rescue reads the same log from
			// where the window ends); the claim's channel still reports its end.
			in = msgs
			if room {
				rescued = p.rescue.out
			}
		case room:
			in = msgs
		}
		var slot chan struct{}
		next := p.startable()
		if next != nil {
			slot = p.c.sem
			if next.large {
				slot = p.c.large // the worker then waits for a slot of c.sem
			}
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
				case <-time.After(flushRetry.Next()):
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
			if p.rescue == nil {
				p.add(msg, nil)
			}
		case rm := <-rescued:
			p.add(rm.msg, rm.bomb)
		case <-p.suspect:
			if !p.draining {
				p.startRescue(log)
			}
		case slot <- struct{}{}:
			p.start(next)
		case ev := <-p.events:
			p.handle(ev, log)
		case <-p.wake:
		case <-stopped:
			stopped = nil
			if stopAt, ok := p.c.stoppingSince(); ok && stopAt.Add(p.c.cfg.DrainTimeout).Before(drainEnd) {
				drainEnd = stopAt.Add(p.c.cfg.DrainTimeout)
				deadline = time.After(time.Until(drainEnd))
			}
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
//
// A large record while every large slot is taken gives way to a later small one (of another
// key, with InFlightPerPartition > 1); it is returned when no small one can start, and the
// run loop then waits for its slot.
func (p *partition) startable() *record {
	if p.running >= p.c.cfg.InFlightPerPartition {
		return nil
	}
	largeFull := len(p.c.large) == cap(p.c.large)
	var waiting *record
	for _, r := range p.window {
		if p.draining && r.msg.Offset > p.maxStarted {
			return waiting
		}
		if r.state == stQueued && p.lanes[r.key][0] == r {
			if !r.large || !largeFull {
				return r
			}
			if waiting == nil {
				waiting = r
			}
		}
	}
	return waiting
}

// add takes msg into the window. A record larger than MaxRecordBytes, and the stand-in
// record of an oversized batch, are marked to be refused instead of handled. Offsets at or
// before the last one taken are ignored (the rescue may repeat what sarama delivered).
func (p *partition) add(msg *sarama.ConsumerMessage, bomb *bombBatch) {
	if msg.Offset <= p.lastTaken {
		return
	}
	p.lastTaken = msg.Offset
	if p.pm != nil {
		p.pm.consumed.Inc()
	}
	r := &record{msg: msg, key: string(msg.Key), bomb: bomb}
	if p.timed() {
		r.t.taken = time.Now()
	}
	switch size := recordSize(msg); {
	case bomb != nil:
		r.refusal = fmt.Sprintf("the record batch at offsets %d to %d of %s/%d decompresses to more than %d bytes (KAFKA_MAX_BATCH_BYTES); its records were skipped unread",
			bomb.first, bomb.next-1, msg.Topic, msg.Partition, batchLimit())
	case size > p.c.cfg.MaxRecordBytes:
		r.refusal = fmt.Sprintf("request of %d bytes exceeds the limit of %d bytes (KAFKA_MAX_RECORD_BYTES)", size, p.c.cfg.MaxRecordBytes)
	default:
		r.large = size >= p.c.cfg.LargeRecordBytes
	}
	p.mu.Lock()
	p.window = append(p.window, r)
	p.windowSize += recordSize(msg)
	p.lanes[r.key] = append(p.lanes[r.key], r)
	p.mu.Unlock()
}

// full reports, with p.mu held, that the window holds ReadAhead records or ReadAheadBytes.
func (p *partition) full() bool {
	return len(p.window) >= p.c.cfg.ReadAhead || p.windowSize >= p.c.cfg.ReadAheadBytes
}

// start runs the handler for r on a worker goroutine; the caller took a slot of c.sem, or
// for a large record one of c.large (the worker then waits for one of c.sem as well: the
// scarcer slot first, so that large records waiting never hold the slots small ones need).
func (p *partition) start(r *record) {
	p.mu.Lock()
	r.state = stRunning
	p.running++
	p.maxStarted = max(p.maxStarted, r.msg.Offset)
	p.mu.Unlock()
	p.c.pool.Go(func() {
		var reply *cloudevent.Event
		ok := !r.large || p.acquire() // a large record takes its slot of c.sem here
		if ok {
			if r.refusal != "" {
				reply = p.refuse(r)
			} else {
				reply, ok = p.execute(r)
			}
			<-p.c.sem
		}
		if r.large {
			<-p.c.large
		}
		if ok {
			p.post(pevent{kind: evHandled, rec: r, reply: reply})
		} else {
			p.post(pevent{kind: evGaveUp, rec: r})
		}
	})
}

// acquire waits for a slot of c.sem for a large record; false when the partition was
// given up meanwhile (the record is then not executed, like one whose handler gave up).
func (p *partition) acquire() bool {
	select {
	case p.c.sem <- struct{}{}:
		return true
	case <-p.ctx.Done():
		return false
	}
}

// execute calls the handler until it returns without error or the partition is given up.
func (p *partition) execute(r *record) (*cloudevent.Event, bool) {
	e := p.c.dec.Decode(r.msg)
	r.ev = e
	ctx := p.startProcess(p.ctx, r, &e)
	retry := backoff.New(p.c.cfg.RetryBackoff, p.c.cfg.MaxRetryBackoff)
	for {
		if p.timed() {
			r.t.started = time.Now()
		}
		reply, err := safeHandle(ctx, p.h, e)
		if p.timed() {
			r.t.handled = time.Now()
		}
		if err == nil {
			return reply, true
		}
		if p.ctx.Err() != nil {
			return nil, false
		}
		d := retry.Next()
		p.c.stats.handlerRetries.Add(1)
		p.c.log.Warn("kafka: handler failed, retrying", "topic", p.topic, "partition", p.id,
			"offset", r.msg.Offset, "id", e.ID(), "backoff", d, "err", err)
		if backoff.Sleep(p.ctx, d) != nil {
			return nil, false
		}
	}
}

// refuse answers a record that is not handed to the handler: a failure reply saying why
// (the record's data is never decoded; CloudEvents headers are).
func (p *partition) refuse(r *record) *cloudevent.Event {
	m := *r.msg
	m.Value = nil
	if r.bomb != nil {
		m.Offset = r.bomb.first
	}
	r.ev = p.c.dec.Decode(&m)
	p.startProcess(p.ctx, r, &r.ev)
	p.c.stats.oversized.Add(1)
	p.c.log.Warn("kafka: refusing a record without handling it", "topic", p.topic, "partition", p.id, "offset", r.msg.Offset, "why", r.refusal)
	return p.c.fail(r.ev, function.ErrTypeRequestParse, r.refusal)
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
		p.answer(r, ev.reply, log)
		p.mu.Lock()
		p.running--
		out := r.outgoing()
		if len(out) == 0 {
			p.mu.Unlock()
			p.finish(r)
			return
		}
		if p.timed() {
			r.t.sent = time.Now()
		}
		if p.c.cfg.ExactlyOnce {
			r.state = stHandled
			p.releaseKey(r)
			full := p.full()
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
				r.deadLettered = true
				if p.pm != nil {
					p.pm.dead.Inc()
				}
			} else {
				p.c.stats.replied.Add(1)
				r.answered = true
				p.pm.replied(r)
			}
			p.acked(r)
			return
		}
		p.c.cfg.Metrics.produceError(ev.msg.Topic, !permanent(ev.err))
		if !permanent(ev.err) {
			p.c.stats.produceRetries.Add(1)
			p.mu.Lock()
			d := backoff.Policy{Initial: p.c.cfg.RetryBackoff, Max: p.c.cfg.MaxRetryBackoff}.Delay(r.attempt)
			r.attempt++
			p.mu.Unlock()
			log.Warn("kafka: produce failed, retrying", "to", ev.msg.Topic, "offset", r.msg.Offset, "backoff", d, "err", ev.err)
			msg := ev.msg
			time.AfterFunc(d, func() { p.post(pevent{kind: evResend, rec: r, msg: msg}) })
			return
		}
		if ev.dlq {
			p.deadLetterRefused(r, ev.err, log)
			p.acked(r)
			return
		}
		// The replacement failure reply and the dead letter take over the refused reply's
		// acknowledgement.
		oldDead := r.dead
		p.replyRefused(r, ev.err, log)
		var more []*sarama.ProducerMessage
		if r.reply != nil {
			more = append(more, r.reply)
		}
		if r.dead != nil && r.dead != oldDead {
			more = append(more, r.dead)
		}
		p.mu.Lock()
		r.pending += len(more)
		p.mu.Unlock()
		for _, pm := range more {
			p.send(pm)
		}
		p.acked(r)
	case evResend:
		p.mu.Lock()
		giveUp := p.ctx.Err() != nil
		p.mu.Unlock()
		if !giveUp {
			p.send(copyMessage(ev.msg))
		}
	}
}

// acked counts one acknowledgement (or a final refusal) of r's messages.
func (p *partition) acked(r *record) {
	p.mu.Lock()
	r.pending--
	last := r.pending <= 0
	p.mu.Unlock()
	if last {
		p.finish(r)
	}
}

// answer builds the messages answering r: the reply (or, when it cannot be sent as it is,
// a failure reply saying why) and, for poison and refused records and replaced replies, a
// dead letter of the request.
func (p *partition) answer(r *record, reply *cloudevent.Event, log *slog.Logger) {
	if reply == nil {
		log.Warn("kafka: handler returned no reply and no error; committing without reply", "offset", r.msg.Offset)
		return
	}
	why := r.refusal
	if why == "" && function.IsPoison(reply) {
		why = poisonReason(reply)
	}
	r.result, _ = reply.Extensions()[function.ExtResult].(string)
	pm, err := replyMessage(p.startSend(p.ctx, r), p.c.cfg.ResponseTopic, r.msg, reply)
	switch {
	case err != nil:
		log.Error("kafka: cannot encode the reply; answering with a failure reply and dead-lettering the request", "offset", r.msg.Offset, "err", err)
		why = "the reply could not be encoded: " + err.Error()
		pm = p.failureReply(r, "ReplyEncodingError", why, log)
	case pm.ByteSize(2) > p.c.cfg.MaxMessageBytes:
		size := pm.ByteSize(2)
		msg := fmt.Sprintf("the reply of %d bytes exceeds the limit of %d bytes (KAFKA_MAX_MESSAGE_BYTES); send large outputs through an adapter instead", size, p.c.cfg.MaxMessageBytes)
		if why == "" {
			why = msg
		}
		log.Warn("kafka: the reply exceeds KAFKA_MAX_MESSAGE_BYTES; answering with a ReplyTooLarge failure and dead-lettering the request",
			"offset", r.msg.Offset, "bytes", size, "limit", p.c.cfg.MaxMessageBytes)
		pm = p.failureReply(r, "ReplyTooLarge", msg, log)
	}
	if pm != nil {
		r.reply = p.tag(r, pm, false)
	}
	if why != "" || pm == nil {
		r.dead = p.tag(r, deadLetter(p.c.cfg.DeadLetterTopic, r, why, p.c.cfg.MaxMessageBytes), true)
	}
}

// failureReply encodes the failure reply that replaces r's reply; nil if even that does not
// fit (the request is then only dead-lettered).
func (p *partition) failureReply(r *record, errType, msg string, log *slog.Logger) *sarama.ProducerMessage {
	r.replaced = true
	r.result = "failure"
	fail := p.c.fail(r.ev, errType, truncateText(msg, maxErrorText))
	pm, err := replyMessage(p.startSend(p.ctx, r), p.c.cfg.ResponseTopic, r.msg, fail)
	if err != nil || pm.ByteSize(2) > p.c.cfg.MaxMessageBytes {
		log.Error("kafka: not even the failure reply fits; the request is only dead-lettered", "offset", r.msg.Offset, "err", err)
		return nil
	}
	return pm
}

// replyRefused replaces a reply refused for good with a failure reply (unless it was one
// already) and makes sure the request is dead-lettered.
func (p *partition) replyRefused(r *record, err error, log *slog.Logger) {
	p.c.stats.refused.Add(1)
	errType, why := "ReplyRefused", "the broker refused the reply: "+err.Error()
	if tooLarge(err) {
		errType = "ReplyTooLarge"
	}
	if local(err) {
		why = "the reply exceeds the producer's limit (KAFKA_MAX_MESSAGE_BYTES): " + err.Error()
		log.Error("kafka: the reply exceeds KAFKA_MAX_MESSAGE_BYTES; answering with a failure reply and dead-lettering the request", "offset", r.msg.Offset, "err", err)
	} else {
		log.Error("kafka: the broker refused the reply for good; answering with a failure reply and dead-lettering the request", "offset", r.msg.Offset, "err", err)
	}
	if r.replaced {
		r.reply = nil
	} else if pm := p.failureReply(r, errType, why, log); pm != nil {
		r.reply = p.tag(r, pm, false)
	} else {
		r.reply = nil
	}
	if r.dead == nil && !r.deadDropped {
		r.dead = p.tag(r, deadLetter(p.c.cfg.DeadLetterTopic, r, why, p.c.cfg.MaxMessageBytes), true)
	}
}

// deadLetterRefused gives up a dead letter the broker refused for good.
func (p *partition) deadLetterRefused(r *record, err error, log *slog.Logger) {
	p.c.stats.dropped.Add(1)
	r.dead, r.deadDropped = nil, true
	if local(err) {
		log.Error("kafka: the dead letter exceeds KAFKA_MAX_MESSAGE_BYTES; it is dropped", "offset", r.msg.Offset, "err", err)
		return
	}
	log.Error("kafka: the broker refused the dead letter for good; it is dropped", "offset", r.msg.Offset, "err", err)
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
	r.reply, r.dead = nil, nil
	now := time.Now()
	p.pm.observeDone(r, now)
	if p.timed() {
		p.reportTiming(r, now)
	}
	r.endSpans()
	if r.bomb != nil {
		// sarama still fetches from before the batch; a new session starts after it
		p.restartAt = max(p.restartAt, r.msg.Offset+1)
	}
	p.releaseKey(r)
	i := 0
	for ; i < len(p.window) && p.window[i].state == stDone; i++ {
		p.next = p.window[i].msg.Offset + 1
		p.windowSize -= recordSize(p.window[i].msg)
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
// replies are ready, up to max. What the broker refused for good in the last attempt is
// replaced first (see replyRefused, deadLetterRefused).
func (p *partition) handledPrefix(max int) []*record {
	p.mu.Lock()
	defer p.mu.Unlock()
	var rs []*record
	for _, r := range p.window {
		if r.state != stDone && r.state != stHandled {
			break
		}
		if r.state == stHandled {
			if r.refusedDead != nil {
				err := r.refusedDead
				r.refusedDead = nil
				p.deadLetterRefused(r, err, p.c.log)
			}
			if r.refusedReply != nil {
				err := r.refusedReply
				r.refusedReply = nil
				p.replyRefused(r, err, p.c.log)
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
		if r.reply != nil {
			p.c.stats.replied.Add(1)
			r.answered = true
			p.pm.replied(r)
		}
		if r.dead != nil {
			p.c.stats.deadLettered.Add(1)
			r.deadLettered = true
			if p.pm != nil {
				p.pm.dead.Inc()
			}
		}
		p.finishLocked(r)
	}
	p.mu.Unlock()
	p.poke()
}

// refuseInTxn remembers that the broker refused r's reply or dead letter for good.
func (p *partition) refuseInTxn(r *record, dlq bool, err error) {
	p.mu.Lock()
	if r.state == stHandled {
		if dlq {
			r.refusedDead = err
		} else {
			r.refusedReply = err
		}
	}
	p.mu.Unlock()
}
