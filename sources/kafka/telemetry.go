package kafka

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/IBM/sarama"
	cloudevent "github.com/cloudevents/sdk-go/v2/event"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/trafofn/trafofn/function"
)

// Label names follow OpenTelemetry's messaging conventions (messaging.destination.name
// and so on, with underscores); metrics of the conventions keep their names.
const (
	lblSystem    = "messaging_system"
	lblGroup     = "messaging_consumer_group_name"
	lblTopic     = "messaging_destination_name"
	lblPartition = "messaging_destination_partition_id"
	lblResult    = "result"
)

// Metrics are the Kafka source's Prometheus metrics (see the README's metrics table). The
// per-partition series are bounded by the partitions of the request topic; the consumer
// lag is read from the partitions at scrape time, costing nothing in between.
type Metrics struct {
	consumed       *prometheus.CounterVec
	replies        *prometheus.CounterVec
	deadLetters    *prometheus.CounterVec
	endToEnd       *prometheus.HistogramVec
	produceErrors  *prometheus.CounterVec
	produceRetries *prometheus.CounterVec
	rebalances     *prometheus.CounterVec
	assigned       *prometheus.GaugeVec
	lag            *prometheus.Desc

	consumer atomic.Pointer[Consumer] // whose partitions the lag is read from

	wmMu      sync.Mutex // the background refresh of the high watermarks
	wmAt      time.Time
	wmRunning bool
}

// NewMetrics registers the Kafka source's metrics with reg; set Config.Metrics to it.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	part := []string{lblGroup, lblTopic, lblPartition}
	m := &Metrics{
		consumed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name:        "messaging_client_consumed_messages_total",
			Help:        "Request records taken from the request topic (OpenTelemetry messaging.client.consumed.messages).",
			ConstLabels: prometheus.Labels{lblSystem: "kafka"},
		}, part),
		replies: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trafofn_kafka_replies_total",
			Help: "Replies acknowledged by the broker (or committed in a transaction), by the request's partition and the reply's result (ok, failure).",
		}, append(part, lblResult)),
		deadLetters: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trafofn_kafka_dead_letters_total",
			Help: "Request records written to the dead-letter topic and acknowledged, by the request's partition.",
		}, part),
		endToEnd: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "trafofn_kafka_end_to_end_duration_seconds",
			Help:    "Time from a request record's timestamp to its reply's acknowledgement (includes time waiting in the topic; producer clocks count).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300},
		}, []string{lblGroup, lblTopic}),
		produceErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trafofn_kafka_produce_errors_total",
			Help: "Failed produce attempts of replies and dead letters (retried, or refused for good), by the topic written to.",
		}, []string{lblTopic}),
		produceRetries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trafofn_kafka_produce_retries_total",
			Help: "Replies and dead letters sent again after a retryable produce error, by the topic written to.",
		}, []string{lblTopic}),
		rebalances: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trafofn_kafka_rebalances_total",
			Help: "Consumer group sessions set up: the first join and one per rebalance.",
		}, []string{lblGroup}),
		assigned: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "trafofn_kafka_assigned_partitions",
			Help: "Partitions of the request topic this instance owns in the current session.",
		}, []string{lblGroup}),
		lag: prometheus.NewDesc("trafofn_kafka_consumer_lag",
			"Records of an owned partition behind its high watermark that are not yet answered and committed (the lag KEDA scales on, as this instance sees it).",
			part, nil),
	}
	for _, c := range []prometheus.Collector{m.consumed, m.replies, m.deadLetters, m.endToEnd, m.produceErrors, m.produceRetries, m.rebalances, m.assigned, lagCollector{m}} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// lagCollector reports the lag of the partitions the consumer owns right now.
type lagCollector struct{ m *Metrics }

func (l lagCollector) Describe(ch chan<- *prometheus.Desc) { ch <- l.m.lag }

func (l lagCollector) Collect(ch chan<- prometheus.Metric) {
	c := l.m.consumer.Load()
	if c == nil {
		return
	}
	gh := c.gh.Load()
	if gh == nil {
		return
	}
	gh.mu.Lock()
	s := gh.cur
	gh.mu.Unlock()
	if s == nil {
		return
	}
	ps := s.partitions()
	l.m.refreshWatermarks(c, ps)
	for _, p := range ps {
		if lag, ok := p.lag(); ok {
			ch <- prometheus.MustNewConstMetric(l.m.lag, prometheus.GaugeValue, float64(lag), c.cfg.GroupID, p.topic, strconv.Itoa(int(p.id)))
		}
	}
}

// watermarkEvery is how often a scrape asks the broker for the partitions' high watermarks.
const watermarkEvery = time.Second

// refreshWatermarks asks the broker for the high watermarks of ps in the background, at
// most every watermarkEvery, so that a scrape never waits for the broker. sarama's own
// watermark comes with its fetches, which stop while a partition's buffers are full: with
// a backlog it would stay behind the real end of the partition.
func (m *Metrics) refreshWatermarks(c *Consumer, ps []*partition) {
	m.wmMu.Lock()
	if m.wmRunning || time.Since(m.wmAt) < watermarkEvery || c.conns == nil {
		m.wmMu.Unlock()
		return
	}
	m.wmRunning, m.wmAt = true, time.Now()
	m.wmMu.Unlock()
	client := c.conns.commit
	go func() {
		defer func() {
			m.wmMu.Lock()
			m.wmRunning = false
			m.wmMu.Unlock()
		}()
		for _, p := range ps {
			if client.Closed() {
				return
			}
			if off, err := client.GetOffset(p.topic, p.id, sarama.OffsetNewest); err == nil {
				p.brokerHWM.Store(off)
			}
		}
	}()
}

// partitionMetrics are a partition's series, resolved once when its claim starts.
type partitionMetrics struct {
	consumed, ok, failed, dead prometheus.Counter
	endToEnd                   prometheus.Observer
}

func (m *Metrics) forPartition(group, topic string, id int32) *partitionMetrics {
	if m == nil {
		return nil
	}
	pid := strconv.Itoa(int(id))
	return &partitionMetrics{
		consumed: m.consumed.WithLabelValues(group, topic, pid),
		ok:       m.replies.WithLabelValues(group, topic, pid, "ok"),
		failed:   m.replies.WithLabelValues(group, topic, pid, "failure"),
		dead:     m.deadLetters.WithLabelValues(group, topic, pid),
		endToEnd: m.endToEnd.WithLabelValues(group, topic),
	}
}

// lag is the high watermark minus the first offset not yet answered and committable: one
// past the done prefix, else the first record held, else where the claim started. The high
// watermark is the later of sarama's last fetch and the broker's last answer
// (refreshWatermarks).
func (p *partition) lag() (int64, bool) {
	cl := p.claim.Load()
	if cl == nil {
		return 0, false
	}
	hwm := max((*cl).HighWaterMarkOffset(), p.brokerHWM.Load())
	p.mu.Lock()
	pos := p.next
	if pos < 0 && len(p.window) > 0 {
		pos = p.window[0].msg.Offset
	}
	p.mu.Unlock()
	if pos < 0 {
		pos = p.claimStart.Load()
	}
	if pos < 0 {
		// nothing committed and nothing read yet: the whole partition is behind (as KEDA
		// counts it with offsetResetPolicy earliest)
		pos = 0
	}
	return max(hwm-pos, 0), true
}

// replied counts r's acknowledged reply by its result.
func (pm *partitionMetrics) replied(r *record) {
	if pm == nil {
		return
	}
	if r.result == "failure" {
		pm.failed.Inc()
	} else {
		pm.ok.Inc()
	}
}

// recordCarrier reads a request record's W3C trace-context headers (traceparent,
// tracestate: what instrumented Kafka clients write), falling back to the request event's
// distributed-tracing extension (ce_traceparent in binary mode, or the structured event's
// attribute).
type recordCarrier struct {
	msg *sarama.ConsumerMessage
	ev  *cloudevent.Event
}

func (c recordCarrier) Get(key string) string {
	for _, h := range c.msg.Headers {
		if h != nil && strings.EqualFold(string(h.Key), key) && len(h.Value) > 0 {
			return string(h.Value)
		}
	}
	return function.EventCarrier{E: c.ev}.Get(key)
}
func (c recordCarrier) Set(string, string) {}
func (c recordCarrier) Keys() []string {
	return []string{function.ExtTraceParent, function.ExtTraceState}
}

// headerCarrier writes trace-context headers into a produced record.
type headerCarrier struct{ pm *sarama.ProducerMessage }

func (c headerCarrier) Get(string) string { return "" }
func (c headerCarrier) Set(key, value string) {
	c.pm.Headers = append(c.pm.Headers, sarama.RecordHeader{Key: []byte(key), Value: []byte(value)})
}
func (c headerCarrier) Keys() []string { return nil }

var _ propagation.TextMapCarrier = recordCarrier{}

// startProcess starts r's process span, a child of the trace context the record carries;
// the handler runs under the returned context.
func (p *partition) startProcess(ctx context.Context, r *record, e *cloudevent.Event) context.Context {
	tr := p.c.cfg.Tracer
	if tr == nil {
		return ctx
	}
	ctx = function.TraceContext.Extract(ctx, recordCarrier{msg: r.msg, ev: e})
	attrs := []attribute.KeyValue{
		semconv.MessagingSystemKafka, semconv.MessagingOperationTypeProcess, semconv.MessagingOperationName("process"),
		semconv.MessagingDestinationName(p.topic), semconv.MessagingDestinationPartitionID(strconv.Itoa(int(p.id))),
		semconv.MessagingConsumerGroupName(p.c.cfg.GroupID), semconv.MessagingKafkaOffset(int(r.msg.Offset)),
		semconv.MessagingMessageID(e.ID()),
	}
	if len(r.msg.Key) > 0 {
		attrs = append(attrs, semconv.MessagingKafkaMessageKey(string(r.msg.Key)))
	}
	ctx, r.span = tr.Start(ctx, "process "+p.topic, trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(attrs...))
	r.spanCtx = ctx
	return ctx
}

// startSend starts the send span of r's reply (a child of its process span) and returns
// the context whose span the reply carries; without tracing, ctx.
func (p *partition) startSend(ctx context.Context, r *record) context.Context {
	if r.span == nil {
		return ctx
	}
	if r.sendSpan != nil { // a replacement failure reply: the same send
		return r.sendCtx
	}
	r.sendCtx, r.sendSpan = p.c.cfg.Tracer.Start(r.spanCtx, "send "+p.c.cfg.ResponseTopic, trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(semconv.MessagingSystemKafka, semconv.MessagingOperationTypeSend, semconv.MessagingOperationName("send"),
			semconv.MessagingDestinationName(p.c.cfg.ResponseTopic)))
	return r.sendCtx
}

// endSpans ends r's spans when it is done (its reply acknowledged or committed).
func (r *record) endSpans() {
	if r.sendSpan != nil {
		if r.replaced {
			r.sendSpan.SetStatus(codes.Error, "the reply was replaced by a failure reply")
		}
		r.sendSpan.End()
	}
	if r.span != nil {
		r.span.SetAttributes(attribute.String("trafofn.result", r.result))
		if r.deadLettered {
			r.span.AddEvent("dead-lettered")
		}
		r.span.End()
	}
}

// observeDone records the end-to-end latency of r's reply.
func (pm *partitionMetrics) observeDone(r *record, now time.Time) {
	if pm == nil || !r.answered || r.msg.Timestamp.IsZero() || r.msg.Timestamp.Unix() <= 0 {
		return
	}
	if d := now.Sub(r.msg.Timestamp); d >= 0 {
		pm.endToEnd.Observe(d.Seconds())
	}
}

// injectHeaders adds the trace-context headers of ctx's span to pm.
func injectHeaders(ctx context.Context, pm *sarama.ProducerMessage) {
	if trace.SpanContextFromContext(ctx).IsValid() {
		function.TraceContext.Inject(ctx, headerCarrier{pm})
	}
}

// produceError counts a failed produce to topic and, when it is retried, the retry.
func (m *Metrics) produceError(topic string, retried bool) {
	if m == nil {
		return
	}
	m.produceErrors.WithLabelValues(topic).Inc()
	if retried {
		m.produceRetries.WithLabelValues(topic).Inc()
	}
}

// sessionStarted counts a session (a join or rebalance) owning claims partitions.
func (m *Metrics) sessionStarted(group string, claims int) {
	if m == nil {
		return
	}
	m.rebalances.WithLabelValues(group).Inc()
	m.assigned.WithLabelValues(group).Set(float64(claims))
}

// sessionEnded: no partitions until the next session.
func (m *Metrics) sessionEnded(group string) {
	if m != nil {
		m.assigned.WithLabelValues(group).Set(0)
	}
}
