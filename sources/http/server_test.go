package http_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	stdhttp "net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/workload"
	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/sources"
	httpsrc "github.com/trafofn/trafofn/sources/http"
	"github.com/trafofn/trafofn/sources/sourcetest"
)

func newFunction(t testing.TB) *function.Function {
	t.Helper()
	rt, err := runtime.New(runtime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := function.New(function.Options{Runtime: rt, ServiceName: "http-test"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func newServer(t testing.TB, cfg httpsrc.Config, h function.Handler) *httptest.Server {
	t.Helper()
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	s, err := httpsrc.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler(h))
	t.Cleanup(ts.Close)
	return ts
}

func seedEvent() event.Event {
	e := event.New()
	e.SetID("partition:0/offset:42")
	e.SetSource("/apis/v1/namespaces/default/kafkasources/hd#hd-execution-topic")
	e.SetType("dev.knative.kafka.event")
	e.SetExtension("partitionkey", "exec_job_1")
	_ = e.SetData(event.ApplicationJSON, workload.SeedRequest(false))
	return e
}

func post(t testing.TB, url string, e event.Event, structured bool) *stdhttp.Response {
	t.Helper()
	req, err := stdhttp.NewRequest(stdhttp.MethodPost, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := binding.WithForceBinary(context.Background())
	if structured {
		ctx = binding.WithForceStructured(context.Background())
	}
	if err := cehttp.WriteRequest(ctx, binding.ToMessage(&e), req); err != nil {
		t.Fatal(err)
	}
	resp, err := stdhttp.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func replyOf(t testing.TB, resp *stdhttp.Response) *event.Event {
	t.Helper()
	e, err := binding.ToEvent(context.Background(), cehttp.NewMessageFromHttpResponse(resp))
	if err != nil {
		t.Fatalf("answer is not a CloudEvent: %v", err)
	}
	return e
}

// The receiver answers Knative's push with the reply event, in the request's mode, with
// exactly the data Handle gives (what the Kafka source would produce).
func TestCloudEventsBinaryAndStructured(t *testing.T) {
	f := newFunction(t)
	ts := newServer(t, httpsrc.Config{}, f)
	want, err := f.Handle(context.Background(), seedEvent())
	if err != nil {
		t.Fatal(err)
	}
	for _, structured := range []bool{false, true} {
		resp := post(t, ts.URL+"/", seedEvent(), structured)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		isStructured := strings.HasPrefix(resp.Header.Get("Content-Type"), "application/cloudevents+json")
		if isStructured != structured {
			t.Errorf("request structured=%v answered with content type %q", structured, resp.Header.Get("Content-Type"))
		}
		reply := replyOf(t, resp)
		if reply.ID() != want.ID() || reply.Type() != function.ReplyType || reply.Subject() != want.Subject() {
			t.Errorf("reply attributes %s %s %s", reply.ID(), reply.Type(), reply.Subject())
		}
		if reply.Extensions()["partitionkey"] != "exec_job_1" || reply.Extensions()["result"] != "ok" {
			t.Errorf("extensions %v", reply.Extensions())
		}
		if stripSteps(reply.Data()) != stripSteps(want.Data()) {
			t.Errorf("HTTP reply data differs from Handle's:\n%s\n%s", reply.Data(), want.Data())
		}
	}
}

// stripSteps drops the timing measurements, the only part two executions differ in.
func stripSteps(b []byte) string {
	s := string(b)
	i := strings.Index(s, `"measured_steps":`)
	j := strings.Index(s, `,"result":`)
	if i < 0 || j < i {
		return s
	}
	return s[:i] + s[j:]
}

func TestPlainBodyAndBadData(t *testing.T) {
	ts := newServer(t, httpsrc.Config{}, newFunction(t))
	resp, err := stdhttp.Post(ts.URL+"/", "application/json", bytes.NewReader(workload.SeedRequest(false)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte(`{"error":null,`)) || resp.Header.Get("Ce-Type") != function.ReplyType {
		t.Errorf("plain POST: %d %q %s", resp.StatusCode, resp.Header.Get("Ce-Type"), body)
	}
	bad := seedEvent()
	_ = bad.SetData(event.ApplicationJSON, []byte(`{"not": "a request"}`))
	r := post(t, ts.URL+"/", bad, false)
	reply := replyOf(t, r)
	if r.StatusCode != 200 || reply.Extensions()["result"] != "failure" || reply.Extensions()["errortype"] != function.ErrTypeRequestParse {
		t.Errorf("bad data: status %d extensions %v", r.StatusCode, reply.Extensions())
	}
}

type sinkFunc func(ctx context.Context, e event.Event) error

func (f sinkFunc) Send(ctx context.Context, e event.Event) error { return f(ctx, e) }

func TestSinkAcknowledgement(t *testing.T) {
	f := newFunction(t)
	var got atomic.Int64
	okSink := sinkFunc(func(_ context.Context, e event.Event) error {
		if e.Type() != function.ReplyType {
			return errors.New("wrong event")
		}
		got.Add(1)
		return nil
	})
	ts := newServer(t, httpsrc.Config{Sink: okSink}, f)
	if resp := post(t, ts.URL+"/", seedEvent(), false); resp.StatusCode != 200 || got.Load() != 1 {
		t.Errorf("status %d, sink got %d", resp.StatusCode, got.Load())
	}
	failing := newServer(t, httpsrc.Config{Sink: sinkFunc(func(context.Context, event.Event) error { return errors.New("broker down") })}, f)
	if resp := post(t, failing.URL+"/", seedEvent(), false); resp.StatusCode/100 != 5 {
		t.Errorf("an unacknowledged reply must be answered 5xx, got %d", resp.StatusCode)
	}
}

func TestHandlerFaultIs503(t *testing.T) {
	ts := newServer(t, httpsrc.Config{}, function.HandlerFunc(func(context.Context, event.Event) (*event.Event, error) {
		return nil, errors.New("shutting down")
	}))
	if resp := post(t, ts.URL+"/", seedEvent(), false); resp.StatusCode != 503 {
		t.Errorf("status %d", resp.StatusCode)
	}
}

func TestHetidaEndpoints(t *testing.T) {
	f := newFunction(t)
	ts := newServer(t, httpsrc.Config{HetidaEndpoints: true}, f)
	cases := []struct {
		path, body string
		status     int
		prefix     string
	}{
		{"/api/transformations/execute", string(workload.SeedRequest(false)), 200, `{"error":null,`},
		{"/api/transformations/execute/", string(workload.SeedRequest(false)), 200, `{"error":null,`},
		{"/api/transformations/execute", `{"id": "11111111-2222-3333-4444-555555555555"}`, 404, `{"detail":"Could not find transformation revision 11111111-2222-3333-4444-555555555555:\n"}`},
		{"/api/transformations/execute", `{"id": 5}`, 422, `{"detail":[{"loc":["body","id"]`},
		{"/api/transformations/execute", `{"id": "2f511674-f766-748d-2de3-ad5e62e10a1a", "wiring": {"input_wirings": []}}`, 422, `{"detail":"Could not validate execution input\n`},
		{"/api/transformations/execute-latest", `{"revision_group_id": "d0d40c45-aef0-424a-a8f4-b16cd5f8b129", "wiring": {"input_wirings": []}}`, 422, `{"detail":"Could not validate`},
		{"/api/transformations/execute-latest/", `{"revision_group_id": "d0d40c45-aef0-424a-a8f4-b16cd5f8b129"}`, 422, `{"detail":[{"loc":["body","wiring"],"msg":"field required"`},
	}
	for _, tc := range cases {
		resp, err := stdhttp.Post(ts.URL+tc.path, "application/json", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.HasPrefix(string(body), tc.prefix) || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: %d %s", tc.path, tc.body[:min(len(tc.body), 40)], resp.StatusCode, body[:min(len(body), 200)])
		}
	}
}

func TestHealthReadinessAndLimits(t *testing.T) {
	var notReady atomic.Bool
	ts := newServer(t, httpsrc.Config{HetidaEndpoints: true, MaxBodyBytes: 100, Version: "v1.2.3", Ready: func() error {
		if notReady.Load() {
			return errors.New("consumer group not joined")
		}
		return nil
	}}, newFunction(t))
	get := func(path string) (int, string) {
		resp, err := stdhttp.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("healthz %d", code)
	}
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("readyz %d", code)
	}
	notReady.Store(true)
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "consumer group") {
		t.Errorf("readyz when not ready: %d %s", code, body)
	}
	if code, body := get("/api/info"); code != 200 || body != `{"msg":"Here I am","version":"v1.2.3"}` {
		t.Errorf("info %d %s", code, body)
	}
	resp, err := stdhttp.Post(ts.URL+"/api/transformations/execute", "application/json", bytes.NewReader(workload.SeedRequest(false)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Errorf("oversized body: %d", resp.StatusCode)
	}
}

// TestRunAndShutdown runs the real listener and proves a clean, draining shutdown.
func TestRunAndShutdown(t *testing.T) {
	s, err := httpsrc.New(httpsrc.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	entered := make(chan struct{})
	release := make(chan struct{})
	h := function.HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
		close(entered)
		<-release
		return sourcetest.Reply(e)
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, h) }()
	url := "http://" + s.Addr() + "/"
	answered := make(chan int, 1)
	go func() {
		req := sourcetest.Request("slow", "k", 0)
		r, _ := stdhttp.NewRequest(stdhttp.MethodPost, url, nil)
		_ = cehttp.WriteRequest(context.Background(), binding.ToMessage(&req), r)
		resp, err := stdhttp.DefaultClient.Do(r)
		if err != nil {
			answered <- -1
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	<-entered
	cancel()
	select {
	case err := <-done:
		t.Fatalf("Run returned %v before the in-flight request was answered", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if code := <-answered; code != 200 {
		t.Errorf("in-flight request answered %d", code)
	}
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

// harness plugs the HTTP source into the shared source suite: requests are POSTed like
// Knative's dispatcher does (retrying until 2xx), replies come from the answers.
type harness struct {
	mu      sync.Mutex
	addr    chan string
	replies chan event.Event
}

func (h *harness) NewSource(t *testing.T) sources.Source {
	s, err := httpsrc.New(httpsrc.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	go func() { h.addr <- s.Addr() }()
	return s
}

func (h *harness) Send(ctx context.Context, e event.Event) error {
	var addr string
	select {
	case addr = <-h.addr:
		go func() { h.addr <- addr }()
	case <-ctx.Done():
		return ctx.Err()
	}
	go func() {
		for attempt := 0; attempt < 200; attempt++ {
			req, _ := stdhttp.NewRequest(stdhttp.MethodPost, "http://"+addr+"/", nil)
			if err := cehttp.WriteRequest(context.Background(), binding.ToMessage(&e), req); err != nil {
				return
			}
			resp, err := stdhttp.DefaultClient.Do(req)
			if err == nil && resp.StatusCode == 200 {
				reply, err := binding.ToEvent(context.Background(), cehttp.NewMessageFromHttpResponse(resp))
				resp.Body.Close()
				if err == nil {
					h.replies <- *reply
				}
				return
			}
			if resp != nil {
				resp.Body.Close()
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	return nil
}

func (h *harness) Replies() <-chan event.Event { return h.replies }

func TestSourceConformance(t *testing.T) {
	sourcetest.Run(t, func(t *testing.T) sourcetest.Env {
		return &harness{addr: make(chan string, 1), replies: make(chan event.Event, 1000)}
	}, sourcetest.Features{RetriesHandlerErrors: true, ParallelKeys: true, DrainsOnShutdown: true, Timeout: 10 * time.Second})
}
