package kafka

import "time"

// Timing is where one record's time went on its way through the source, for latency
// breakdowns (Config.Timings; `trafofn bench` prints them). Every field is a wall-clock
// instant of this process; a stage the record did not pass through is zero (a refused
// record never reaches Handle; with ExactlyOnce Sent is when the transaction began).
type Timing struct {
	Topic     string
	Partition int32
	Offset    int64
	// Timestamp is the record's own timestamp (the producer's CreateTime, milliseconds).
	Timestamp time.Time
	// Taken: the partition took the record from sarama's claim into its window.
	Taken time.Time
	// Started and Handled: the handler was called and returned (the last attempt's).
	Started, Handled time.Time
	// Sent: the reply was handed to the producer.
	Sent time.Time
	// Done: the broker acknowledged the reply (and the dead letter, if any), or their
	// transaction committed; from here on the offset may be committed.
	Done time.Time
}

// stamps are the instants of a record collected while Config.Timings is set.
type stamps struct {
	taken, started, handled, sent time.Time
}

// timed reports whether the source collects timings.
func (p *partition) timed() bool { return p.c.cfg.Timings != nil }

// reportTiming hands r's timing to Config.Timings; called with p.mu held when r is done.
func (p *partition) reportTiming(r *record, done time.Time) {
	p.c.cfg.Timings(Timing{
		Topic: p.topic, Partition: p.id, Offset: r.msg.Offset, Timestamp: r.msg.Timestamp,
		Taken: r.t.taken, Started: r.t.started, Handled: r.t.handled, Sent: r.t.sent, Done: done,
	})
}
