package kafka

import (
	"context"
	"errors"
	"sync"

	"github.com/IBM/sarama"
)

// replyProducer owns the sarama AsyncProducer that writes replies and dead letters, and
// routes each acknowledgement or error back to the partition whose record it answers.
//
// Guarantee: a message is reported acknowledged only after the broker confirmed it with
// acks=all; every message sent is reported exactly once (acknowledged or failed), unless
// its partition has stopped listening (then the report is dropped and the record, not being
// committed, is redelivered).
type replyProducer struct {
	ap     sarama.AsyncProducer
	client sarama.Client
	txn    bool
	wg     sync.WaitGroup

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

func newReplyProducer(addrs []string, sc *sarama.Config) (*replyProducer, error) {
	client, err := sarama.NewClient(addrs, sc)
	if err != nil {
		return nil, err
	}
	ap, err := sarama.NewAsyncProducerFromClient(client)
	if err != nil {
		_ = client.Close()
		return nil, err
	}
	rp := &replyProducer{ap: ap, client: client, txn: sc.Producer.Transaction.ID != ""}
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

// send hands pm to the producer; it blocks only while the producer's input buffer is full.
func (rp *replyProducer) send(ctx context.Context, pm *sarama.ProducerMessage) error {
	select {
	case rp.ap.Input() <- pm:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
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

// local reports a refusal by sarama itself (the message exceeds Producer.MaxMessageBytes),
// not by the broker.
func local(err error) bool {
	var ce sarama.ConfigurationError
	return errors.As(err, &ce)
}

// tooLarge reports a refusal for size, by sarama or the broker.
func tooLarge(err error) bool {
	return local(err) || errors.Is(err, sarama.ErrMessageSizeTooLarge) || errors.Is(err, sarama.ErrMessageSetSizeTooLarge) ||
		errors.Is(err, sarama.ErrInvalidMessageSize)
}

// permanent reports whether a produce error will recur on every retry: the message is too
// large or malformed. Everything else (broker down, leader moving, not enough replicas,
// timeouts) is worth retrying.
func permanent(err error) bool {
	var ce sarama.ConfigurationError
	if errors.As(err, &ce) {
		return true // e.g. larger than Producer.MaxMessageBytes
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
	return false
}
