package kafka_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/IBM/sarama"
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/trafofn/trafofn/sources/kafka"
)

// scrapeValue reads one series from reg through the Prometheus text format.
func scrapeValue(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) (float64, bool) {
	t.Helper()
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range fams[name].GetMetric() {
		if matches(m, labels) {
			switch {
			case m.Gauge != nil:
				return m.Gauge.GetValue(), true
			case m.Counter != nil:
				return m.Counter.GetValue(), true
			}
		}
	}
	return 0, false
}

func matches(m *dto.Metric, labels map[string]string) bool {
	for k, v := range labels {
		ok := false
		for _, l := range m.Label {
			ok = ok || l.GetName() == k && l.GetValue() == v
		}
		if !ok {
			return false
		}
	}
	return true
}

// A partition with a backlog reports it: 40 records wait behind a handler that does not
// answer yet, so the lag of partition 0 is 40 (high watermark 40, nothing committed; the
// watermark of sarama's fetches stopped at 33 before the broker was asked);
// once the handler answers, every record is replied, committed, and the lag is 0.
func TestConsumerLagOfABacklog(t *testing.T) {
	e := newEnv(t, 1)
	reg := prometheus.NewRegistry()
	m, err := kafka.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	h := fakeHandler(func(ctx context.Context, _ event.Event, _ execRequest) error {
		select {
		case <-release:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	cfg := e.config(func(c *kafka.Config) { c.Metrics = m })
	e.start(cfg, h)
	// 40 records are more than the partition reads ahead (ReadAhead and sarama's buffer,
	// 16 each): sarama stops fetching, and the broker is asked for the watermark
	msgs := make([]*sarama.ProducerMessage, 40)
	for i := range msgs {
		msgs[i] = plain(fmt.Sprintf("k%d", i), fmt.Sprintf(`{"job_id":"j-%d","seq":%d}`, i, i))
	}
	for _, m := range msgs { // one at a time: sarama fetches them as they come
		e.produce(m)
	}
	part := map[string]string{"messaging_destination_name": reqTopic, "messaging_destination_partition_id": "0", "messaging_consumer_group_name": cfg.GroupID}
	e.poll("lag 40", func() bool { v, ok := scrapeValue(t, reg, "trafofn_kafka_consumer_lag", part); return ok && v == 40 })
	if v, _ := scrapeValue(t, reg, "trafofn_kafka_replies_total", part); v != 0 {
		t.Errorf("replies before the handler answered: %v", v)
	}
	close(release)
	e.poll("lag 0", func() bool { v, ok := scrapeValue(t, reg, "trafofn_kafka_consumer_lag", part); return ok && v == 0 })
	if v, _ := scrapeValue(t, reg, "trafofn_kafka_replies_total", map[string]string{"messaging_destination_partition_id": "0", "result": "ok"}); v != 40 {
		t.Errorf("ok replies %v, want 40", v)
	}
	if v, _ := scrapeValue(t, reg, "messaging_client_consumed_messages_total", part); v != 40 {
		t.Errorf("consumed %v, want 40", v)
	}
}

// With exactly-once the replies count when their transaction commits, and every record's
// process and send spans end then: 5 requests (one poison) give 4 ok and 1 failure reply,
// 1 dead letter, 5 process spans under the records' own trace contexts and 5 send spans,
// and each reply carries its send span.
func TestTelemetryExactlyOnce(t *testing.T) {
	e := newEnv(t, 2)
	replies := e.collect(respTopic, true)
	reg := prometheus.NewRegistry()
	m, err := kafka.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	defer tp.Shutdown(context.Background())
	cfg := e.config(func(c *kafka.Config) {
		c.ExactlyOnce, c.Metrics, c.Tracer = true, m, tp.Tracer("test")
	})
	e.start(cfg, fakeHandler(nil))
	const parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	var msgs []*sarama.ProducerMessage
	for i := range 4 {
		msgs = append(msgs, plain(fmt.Sprintf("k%d", i), fmt.Sprintf(`{"job_id":"j-%d","seq":%d}`, i, i)))
	}
	msgs = append(msgs, plain("poison", "not json"))
	for _, m := range msgs {
		m.Headers = []sarama.RecordHeader{{Key: []byte("traceparent"), Value: []byte(parent)}}
	}
	e.produce(msgs...)
	got := e.wait(replies, 5)
	sum := func(name string, labels map[string]string) float64 {
		total := 0.0
		for p := range 2 {
			l := map[string]string{"messaging_destination_partition_id": fmt.Sprint(p)}
			for k, v := range labels {
				l[k] = v
			}
			v, _ := scrapeValue(t, reg, name, l)
			total += v
		}
		return total
	}
	e.poll("replies counted", func() bool {
		return sum("trafofn_kafka_replies_total", map[string]string{"result": "ok"}) == 4 &&
			sum("trafofn_kafka_replies_total", map[string]string{"result": "failure"}) == 1 &&
			sum("trafofn_kafka_dead_letters_total", nil) == 1
	})
	e.poll("spans ended", func() bool { return len(exp.GetSpans()) == 10 })
	sends := map[string]bool{}
	for _, s := range exp.GetSpans() {
		if s.SpanContext.TraceID().String() != "0af7651916cd43dd8448eb211c80319c" {
			t.Errorf("span %s in trace %s", s.Name, s.SpanContext.TraceID())
		}
		if s.Name == "send "+respTopic {
			sends[s.SpanContext.SpanID().String()] = true
		}
	}
	if len(sends) != 5 {
		t.Errorf("%d send spans", len(sends))
	}
	for _, r := range got {
		v, _ := header(r, "traceparent")
		if p := strings.Split(v, "-"); len(p) != 4 || !sends[p[2]] {
			t.Errorf("reply traceparent %q is no send span", v)
		}
	}
}
