package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/trafofn/trafofn/internal/config"
	"github.com/trafofn/trafofn/internal/harness"
	"github.com/trafofn/trafofn/internal/workload"
)

// The W3C trace context a sender continues: trace 4bf9…4736, its span 00f0…02b7, sampled.
const (
	parentTrace  = "4bf92f3577b34da6a3ce929d0e0e4736"
	parentSpan   = "00f067aa0ba902b7"
	parentHeader = "00-" + parentTrace + "-" + parentSpan + "-01"
)

// spanTree indexes finished spans by name.
type spanTree struct {
	t     *testing.T
	spans tracetest.SpanStubs
}

func (s spanTree) one(name string) tracetest.SpanStub {
	s.t.Helper()
	var found []tracetest.SpanStub
	for _, sp := range s.spans {
		if sp.Name == name {
			found = append(found, sp)
		}
	}
	if len(found) != 1 {
		var names []string
		for _, sp := range s.spans {
			names = append(names, sp.Name)
		}
		s.t.Fatalf("want one span %q, found %d among %v", name, len(found), names)
	}
	return found[0]
}

func (s spanTree) prefixed(prefix string) []tracetest.SpanStub {
	var out []tracetest.SpanStub
	for _, sp := range s.spans {
		if strings.HasPrefix(sp.Name, prefix) {
			out = append(out, sp)
		}
	}
	return out
}

// childOf checks that span's parent is parent (a span ID) in the request's trace.
func childOf(t *testing.T, span tracetest.SpanStub, parent trace.SpanID) {
	t.Helper()
	if span.SpanContext.TraceID().String() != parentTrace {
		t.Errorf("span %q is in trace %s, not the request's %s", span.Name, span.SpanContext.TraceID(), parentTrace)
	}
	if span.Parent.SpanID() != parent {
		t.Errorf("span %q has parent %s, want %s", span.Name, span.Parent.SpanID(), parent)
	}
}

// checkExecution checks the part of the tree below the receive span: execute, and one
// operator span per operator of the Volatility Detection workflow below it.
func checkExecution(t *testing.T, tree spanTree, receive tracetest.SpanStub) {
	t.Helper()
	exec := tree.one("execute")
	childOf(t, exec, receive.SpanContext.SpanID())
	ops := tree.prefixed("operator ")
	if len(ops) < 2 {
		t.Fatalf("%d operator spans, want one per operator of the workflow", len(ops))
	}
	for _, op := range ops {
		childOf(t, op, exec.SpanContext.SpanID())
	}
	attrs := map[string]string{}
	for _, kv := range exec.Attributes {
		attrs[string(kv.Key)] = kv.Value.Emit()
	}
	if attrs["trafofn.transformation_id"] != workload.VolatilityID || attrs["trafofn.result"] != "ok" || attrs["trafofn.job_id"] != "00000000-0000-0000-0000-000000000002" {
		t.Errorf("execute span attributes %v", attrs)
	}
}

// traceparentOf parses a traceparent value: trace id and span id.
func traceparentOf(t *testing.T, v string) (string, string) {
	t.Helper()
	p := strings.Split(v, "-")
	if len(p) != 4 {
		t.Fatalf("not a traceparent: %q", v)
	}
	return p[1], p[2]
}

// Over HTTP: a CloudEvent POSTed with a W3C traceparent header is traced under it —
// the server span "POST /" is the sender's span's child, execute its child with one span
// per operator below, the reply span its child — and the reply event carries the reply
// span (ce-traceparent). Without the header the event's own tracing extension is the
// parent; hetida's endpoint is traced the same way. The log has one line per execution
// with the trace id, and no payload.
func TestTracingOverHTTP(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	logs := &harness.LogBuffer{}
	cfg, err := config.Load([]string{"HETIDA_DESIGNER_KAFKA_ENABLED=false", "HTTP_PORT=" + strconv.Itoa(freePort(t))})
	if err != nil {
		t.Fatal(err)
	}
	a, err := newAppExporting(cfg, slog.New(slog.NewTextHandler(logs, nil)), exp)
	if err != nil {
		t.Fatal(err)
	}
	hs, err := a.httpSource(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hs.Handler(a.handler()))
	defer srv.Close()
	post := func(path string, hdr map[string]string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+path, bytes.NewReader(workload.SeedRequest(false)))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("POST %s: %d", path, resp.StatusCode)
		}
		return resp
	}
	ce := map[string]string{"Ce-Specversion": "1.0", "Ce-Id": "trace-1", "Ce-Source": "/test", "Ce-Type": "t"}
	for _, tc := range []struct {
		name, path string
		hdr        map[string]string
		span       string
	}{
		{"W3C header", "/", map[string]string{"traceparent": parentHeader}, "POST /"},
		{"CloudEvents extension", "/", map[string]string{"Ce-Traceparent": parentHeader}, "POST /"},
		{"hetida endpoint", "/api/transformations/execute", map[string]string{"traceparent": parentHeader}, "POST /api/transformations/execute"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exp.Reset()
			hdr := map[string]string{}
			for k, v := range tc.hdr {
				hdr[k] = v
			}
			if tc.path == "/" {
				for k, v := range ce {
					hdr[k] = v
				}
			}
			resp := post(tc.path, hdr)
			tree := spanTree{t, exp.GetSpans()}
			server := tree.one(tc.span)
			if server.SpanKind != trace.SpanKindServer {
				t.Errorf("%s is a %s span", tc.span, server.SpanKind)
			}
			childOf(t, server, mustSpanID(t, parentSpan))
			checkExecution(t, tree, server)
			reply := tree.one("reply")
			childOf(t, reply, server.SpanContext.SpanID())
			if tc.path == "/" {
				tid, sid := traceparentOf(t, resp.Header.Get("Ce-Traceparent"))
				if tid != parentTrace || sid != reply.SpanContext.SpanID().String() {
					t.Errorf("the reply event carries %s, want the reply span %s in trace %s", resp.Header.Get("Ce-Traceparent"), reply.SpanContext.SpanID(), parentTrace)
				}
			}
		})
	}
	// one info line per execution, with the ids and the trace, never the data
	log := logs.String()
	lines := 0
	for _, l := range strings.Split(log, "\n") {
		if !strings.Contains(l, "msg=execution ") {
			continue
		}
		lines++
		for _, want := range []string{"level=INFO", "job_id=00000000-0000-0000-0000-000000000002", "transformation_id=" + workload.VolatilityID, "result=ok", "duration=", "trace_id=" + parentTrace} {
			if !strings.Contains(l, want) {
				t.Errorf("log line without %s: %s", want, l)
			}
		}
	}
	if lines != 3 {
		t.Errorf("%d execution lines for 3 executions:\n%s", lines, log)
	}
	if strings.Contains(log, "86.9358994238") || strings.Contains(log, "input_series") {
		t.Errorf("the request's data is in the log:\n%s", log)
	}
}

func mustSpanID(t *testing.T, s string) trace.SpanID {
	id, err := trace.SpanIDFromHex(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Over Kafka: a record with a W3C traceparent header is traced under it — "process
// hd-execution-topic" (consumer) the sender's span's child, execute and the operator
// spans below it, "send hd-execution-response-topic" (producer) its child — and the reply
// record carries the send span, as the CloudEvents extension (ce_traceparent) and as the
// W3C header. A binary CloudEvent record's ce_traceparent alone is a parent too.
func TestTracingOverKafka(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	e := startE2EExporting(t, nil, nil, exp)
	for _, tc := range []struct {
		name string
		rec  func() *sarama.ProducerMessage
	}{
		{"W3C header", func() *sarama.ProducerMessage {
			m := plainRecord("traced", workload.SeedRequest(false))
			m.Headers = []sarama.RecordHeader{{Key: []byte("traceparent"), Value: []byte(parentHeader)}}
			return m
		}},
		{"CloudEvents extension", func() *sarama.ProducerMessage {
			m := ceRecord(t, "traced-ce", workload.SeedRequest(false), false)
			m.Headers = append(m.Headers, sarama.RecordHeader{Key: []byte("ce_traceparent"), Value: []byte(parentHeader)})
			return m
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exp.Reset()
			e.produce(tc.rec())
			reply := e.next(e.replies)
			var tree spanTree
			deadline := time.Now().Add(10 * time.Second)
			for { // the process span ends when the reply is acknowledged
				tree = spanTree{t, exp.GetSpans()}
				if len(tree.prefixed("process ")) > 0 || time.Now().After(deadline) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			process := tree.one("process hd-execution-topic")
			if process.SpanKind != trace.SpanKindConsumer {
				t.Errorf("process span kind %s", process.SpanKind)
			}
			childOf(t, process, mustSpanID(t, parentSpan))
			checkExecution(t, tree, process)
			send := tree.one("send hd-execution-response-topic")
			if send.SpanKind != trace.SpanKindProducer {
				t.Errorf("send span kind %s", send.SpanKind)
			}
			childOf(t, send, process.SpanContext.SpanID())
			for _, h := range []string{"ce_traceparent", "traceparent"} {
				tid, sid := traceparentOf(t, header(reply, h))
				if tid != parentTrace || sid != send.SpanContext.SpanID().String() {
					t.Errorf("reply header %s = %s, want the send span %s in trace %s", h, header(reply, h), send.SpanContext.SpanID(), parentTrace)
				}
			}
		})
	}
}

// Tracing is off by default and costs no span; the reply carries no trace context.
func TestTracingOffByDefault(t *testing.T) {
	a, base := httpApp(t, nil)
	if a.tel.Tracer(tracerFunction) != nil {
		t.Fatal("a tracer without any OTEL_* variable")
	}
	req, _ := http.NewRequest("POST", base+"/", bytes.NewReader(workload.SeedRequest(false)))
	for k, v := range map[string]string{"Content-Type": "application/json", "Ce-Specversion": "1.0", "Ce-Id": "x", "Ce-Source": "/t", "Ce-Type": "t", "traceparent": parentHeader} {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if v := resp.Header.Get("Ce-Traceparent"); v != "" {
		t.Errorf("reply carries %s with tracing off", v)
	}
}

// serve exports spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT with the configured
// headers, and flushes them on shutdown; the reply posted to K_SINK carries the trace; the
// headers' secret, like K_SINK's credentials, appears nowhere in the log (at debug level).
func TestServeExportsOTLPAndLogsNoCredentials(t *testing.T) {
	var mu sync.Mutex
	var auth []string
	var bodies int
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		if r.URL.Path == "/v1/traces" && len(b) > 0 {
			auth = append(auth, r.Header.Get("Authorization"))
			bodies++
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer collector.Close()
	var sinkTrace []string
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sinkTrace = append(sinkTrace, r.Header.Get("traceparent"), r.Header.Get("Ce-Traceparent"))
		mu.Unlock()
		w.WriteHeader(202)
	}))
	defer sink.Close()
	sinkURL := strings.Replace(sink.URL, "http://", "http://sinkuser:sinksecret@", 1) + "/?token=querysecret"
	port := freePort(t)
	logs := &harness.LogBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, []string{"HETIDA_DESIGNER_KAFKA_ENABLED=false", "HTTP_PORT=" + strconv.Itoa(port), "LOG_LEVEL=debug",
			"OTEL_EXPORTER_OTLP_ENDPOINT=" + collector.URL, "OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20otlpsecret",
			"K_SINK=" + sinkURL, "DRAIN_TIMEOUT=5s"}, logs)
	}()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	waitReady(t, base, done, logs)
	req, _ := http.NewRequest("POST", base+"/", bytes.NewReader(workload.SeedRequest(false)))
	for k, v := range map[string]string{"Content-Type": "application/json", "Ce-Specversion": "1.0", "Ce-Id": "otlp-1", "Ce-Source": "/t", "Ce-Type": "t", "traceparent": parentHeader} {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("POST /: %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if bodies == 0 {
		t.Fatalf("no spans reached the collector; log:\n%s", logs.String())
	}
	for _, a := range auth {
		if a != "Bearer otlpsecret" {
			t.Errorf("the exporter sent Authorization %q", a)
		}
	}
	// the reply reached K_SINK in the request's trace, W3C header and extension alike
	if len(sinkTrace) != 2 || sinkTrace[0] == "" || sinkTrace[0] != sinkTrace[1] || !strings.Contains(sinkTrace[0], parentTrace) {
		t.Errorf("K_SINK got traceparent %q", sinkTrace)
	}
	for _, secret := range []string{"otlpsecret", "sinksecret", "querysecret"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log shows %s:\n%s", secret, logs.String())
		}
	}
}
