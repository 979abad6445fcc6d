package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/trafofn/trafofn/internal/workload"
)

// metrics is one scrape of GET /metrics, parsed with Prometheus' own text parser.
type metrics map[string]*dto.MetricFamily

// scrape asks the app's HTTP source (the real GET /metrics route) for its metrics.
func scrape(t *testing.T, a *app) metrics {
	t.Helper()
	hs, err := a.httpSource(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	hs.Handler(a.handler()).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("the Prometheus text parser refuses /metrics: %v", err)
	}
	return fams
}

// value sums the series of name whose labels include want: counter and gauge values,
// histogram sample counts.
func (m metrics) value(name string, want map[string]string) float64 {
	f, ok := m[name]
	if !ok {
		return 0
	}
	sum := 0.0
	for _, s := range f.Metric {
		match := true
		for k, v := range want {
			found := false
			for _, l := range s.Label {
				found = found || (l.GetName() == k && l.GetValue() == v)
			}
			match = match && found
		}
		if !match {
			continue
		}
		switch {
		case s.Counter != nil:
			sum += s.Counter.GetValue()
		case s.Gauge != nil:
			sum += s.Gauge.GetValue()
		case s.Histogram != nil:
			sum += float64(s.Histogram.GetSampleCount())
		case s.Untyped != nil:
			sum += s.Untyped.GetValue()
		}
	}
	return sum
}

func (m metrics) has(name string) bool { _, ok := m[name]; return ok }

// Around a successful execution, a failed one and a dead-lettered record, the counters
// and histograms of /metrics move by exactly what happened: three records consumed, one
// ok and two failure replies, one dead letter, executions by transformation and result,
// the error types, and three end-to-end latencies; in-flight is back at zero, every
// owned partition reports its lag (zero once everything is committed).
func TestMetricsAroundExecutions(t *testing.T) {
	e := startE2E(t)
	a := e.app
	before := scrape(t, a)
	for _, n := range []string{"trafofn_build_info", "trafofn_kafka_rebalances_total", "trafofn_kafka_assigned_partitions", "go_goroutines", "process_resident_memory_bytes"} {
		if !before.has(n) {
			t.Errorf("/metrics has no %s", n)
		}
	}
	if before.value("trafofn_kafka_assigned_partitions", nil) != 8 || before.value("trafofn_kafka_rebalances_total", nil) < 1 {
		t.Errorf("assigned partitions %v, rebalances %v", before.value("trafofn_kafka_assigned_partitions", nil), before.value("trafofn_kafka_rebalances_total", nil))
	}
	failing := workload.Volatility(workload.VolatilityRequest{Series: `{"2018-05-19T22:20:00.000Z": "not a number"`, JobID: "00000000-0000-0000-0000-00000000f001"})
	e.produce(plainRecord("ok", workload.SeedRequest(false)), plainRecord("fails", failing), plainRecord("poison", []byte("this is no JSON")))
	for range 3 {
		e.next(e.replies)
	}
	e.next(e.dlq)
	topic := map[string]string{"messaging_destination_name": "hd-execution-topic", "messaging_consumer_group_name": "e2e"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range topic {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	type delta struct {
		name   string
		labels map[string]string
		want   float64
	}
	deltas := []delta{
		{"messaging_client_consumed_messages_total", with("messaging_system", "kafka"), 3},
		{"trafofn_kafka_replies_total", with("result", "ok"), 1},
		{"trafofn_kafka_replies_total", with("result", "failure"), 2},
		{"trafofn_kafka_dead_letters_total", topic, 1},
		{"trafofn_kafka_end_to_end_duration_seconds", topic, 3},
		{"trafofn_execution_duration_seconds", map[string]string{"transformation_id": workload.VolatilityID, "result": "ok"}, 1},
		{"trafofn_execution_duration_seconds", map[string]string{"transformation_id": workload.VolatilityID, "result": "failure"}, 1},
		{"trafofn_execution_duration_seconds", map[string]string{"transformation_id": "none", "result": "failure"}, 1},
		{"trafofn_execution_errors_total", map[string]string{"error_type": "RequestParseError"}, 1},
		{"trafofn_kafka_produce_errors_total", nil, 0},
	}
	var after metrics
	deadline := time.Now().Add(10 * time.Second)
	for {
		after = scrape(t, a)
		ok := true
		for _, d := range deltas {
			ok = ok && after.value(d.name, d.labels)-before.value(d.name, d.labels) == d.want
		}
		lagged := after.value("trafofn_kafka_consumer_lag", topic)
		if ok && lagged == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, d := range deltas {
		if got := after.value(d.name, d.labels) - before.value(d.name, d.labels); got != d.want {
			t.Errorf("%s%v moved by %v, want %v", d.name, d.labels, got, d.want)
		}
	}
	if n := len(after["trafofn_kafka_consumer_lag"].GetMetric()); n != 8 {
		t.Errorf("lag reported for %d partitions, want the 8 owned", n)
	}
	if lag := after.value("trafofn_kafka_consumer_lag", topic); lag != 0 {
		t.Errorf("lag %v after everything was answered and committed", lag)
	}
	if v := after.value("trafofn_executions_in_flight", nil); v != 0 {
		t.Errorf("in flight %v after the replies", v)
	}
	if v := after.value("trafofn_build_info", map[string]string{"version": versionString()}); v != 1 {
		t.Errorf("build info %v", v)
	}
	// the failure's own error type: the input could not be parsed
	if after.value("trafofn_execution_errors_total", nil)-before.value("trafofn_execution_errors_total", nil) != 2 {
		t.Errorf("error types: %v", after["trafofn_execution_errors_total"].GetMetric())
	}
	// /metrics itself is an HTTP request with a bounded route label
	if after.value("http_server_request_duration_seconds", map[string]string{"http_route": "/metrics", "http_response_status_code": "200"}) < 1 {
		t.Errorf("no request duration for GET /metrics")
	}
}

// With METRICS_ENABLED=false nothing is recorded and /metrics is not served.
func TestMetricsDisabled(t *testing.T) {
	a, base := httpApp(t, nil, "METRICS_ENABLED=false")
	if a.tel.Registry != nil || a.tel.Function != nil || a.tel.Kafka != nil {
		t.Error("metrics were built")
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /metrics: %d, want 404", resp.StatusCode)
	}
}
