package http_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	stdhttp "net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/workload"
	httpsrc "github.com/trafofn/trafofn/sources/http"
	"github.com/trafofn/trafofn/sources/sourcetest"
)

// rawRequest sends head (the request line and headers, without the blank line) and then
// body on a new connection to addr and returns the status line of the first answer, or
// an error when none comes within 10 s (the bound of a test that would hang otherwise).
func rawRequest(t *testing.T, addr, head, body string) (string, *bufio.Reader, net.Conn) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := io.WriteString(c, head+"\r\n\r\n"+body); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	return strings.TrimSpace(line), r, c
}

func hostOf(url string) string { return strings.TrimPrefix(url, "http://") }

// Regression: an announced oversize Content-Length was not refused up front, and
// "Expect: 100-continue" was answered with 100, inviting the upload; the body was read up
// to the limit before the 413 (16 uploads of 100 MB: 5.9 GB).
func TestOversizeBodyRefusedBeforeReading(t *testing.T) {
	f := newFunction(t)
	ts := newServer(t, httpsrc.Config{HetidaEndpoints: true, MaxBodyBytes: 1000}, f)
	for _, path := range []string{"/", "/api/transformations/execute"} {
		line, _, _ := rawRequest(t, hostOf(ts.URL), "POST "+path+" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\nExpect: 100-continue", "")
		if !strings.HasPrefix(line, "HTTP/1.1 413") {
			t.Errorf("%s: first answer %q, want 413 without 100 Continue", path, line)
		}
	}
}

// Regression: nothing bounded concurrent HTTP work (MAX_IN_FLIGHT bounded Kafka only):
// 32 concurrent 1M-point requests took 4.7 GB. With every slot taken, a request is
// answered 503 with Retry-After before its body is read: this one announces a body it
// never sends, and before the fix the server waited for it.
func TestFullInstanceAnswers503BeforeReadingTheBody(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	h := function.HandlerFunc(func(_ context.Context, e event.Event) (*event.Event, error) {
		once.Do(func() { close(entered) })
		<-release
		return sourcetest.Reply(e)
	})
	ts := newServer(t, httpsrc.Config{InFlight: function.NewInFlight(1)}, h)
	var releaseOnce sync.Once
	free := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(free) // before the server closes, also when the test fails early
	first := make(chan int, 1)
	go func() {
		ev := sourcetest.Request("first", "k", 0)
		body, _ := ev.MarshalJSON()
		resp, err := stdhttp.Post(ts.URL+"/", "application/cloudevents+json", bytes.NewReader(body))
		if err != nil {
			first <- -1
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	<-entered
	line, r, _ := rawRequest(t, hostOf(ts.URL), "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000", "{")
	if !strings.HasPrefix(line, "HTTP/1.1 503") {
		t.Fatalf("second request: %q, want 503", line)
	}
	br := bufio.NewReader(io.MultiReader(strings.NewReader(line+"\r\n"), r))
	resp, err := stdhttp.ReadResponse(br, nil)
	if err != nil || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("503 without Retry-After: %v %v", err, resp.Header)
	}
	// the unsent rest of the body is not waited for: the server closes the connection
	// (before, net/http waited for it to discard it)
	_, _ = io.ReadAll(resp.Body)
	if _, err := io.ReadAll(br); err != nil {
		t.Errorf("connection after the 503: %v", err)
	}
	free()
	if code := <-first; code != 200 {
		t.Errorf("first request: %d", code)
	}
	// the slot is free again
	resp2 := post(t, ts.URL+"/", sourcetest.Request("third", "k", 1), false)
	if resp2.StatusCode != 200 {
		t.Errorf("after the first finished: %d", resp2.StatusCode)
	}
}

// Regression: one slow upload turned SIGTERM into a full DRAIN_TIMEOUT wait and an error
// (exit status 1): Shutdown waited for the body. Uploads in progress are now cut off
// (503) when the drain starts, and Run returns nil.
func TestSlowUploadDoesNotHoldTheDrain(t *testing.T) {
	s, err := httpsrc.New(httpsrc.Config{Addr: "127.0.0.1:0", ShutdownTimeout: 3 * time.Second, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- s.Run(ctx, function.HandlerFunc(func(_ context.Context, e event.Event) (*event.Event, error) { return sourcetest.Reply(e) }))
	}()
	c, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// headers and a first part of the body, then nothing
	if _, err := io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"job_id\": "); err != nil {
		t.Fatal(err)
	}
	// a request on another connection proves the server reads requests by now
	if resp, err := stdhttp.Get("http://" + s.Addr() + "/healthz"); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run after a drain with a slow upload: %v, want nil", err)
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	answer, _ := io.ReadAll(c)
	if len(answer) > 0 && !bytes.HasPrefix(answer, []byte("HTTP/1.1 503")) {
		t.Errorf("the cut upload was answered %q", answer)
	}
}

// A body that does not arrive within ReadTimeout is answered 408; an idle keep-alive
// connection is closed after IdleTimeout (both would hold a file descriptor forever).
func TestReadAndIdleTimeouts(t *testing.T) {
	s, err := httpsrc.New(httpsrc.Config{Addr: "127.0.0.1:0", ReadTimeout: 50 * time.Millisecond, IdleTimeout: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- s.Run(ctx, function.HandlerFunc(func(_ context.Context, e event.Event) (*event.Event, error) { return sourcetest.Reply(e) }))
	}()
	defer func() { cancel(); <-done }()
	line, _, _ := rawRequest(t, s.Addr(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000", "{")
	if !strings.HasPrefix(line, "HTTP/1.1 408") {
		t.Errorf("stalled body: %q, want 408", line)
	}
	line, r, _ := rawRequest(t, s.Addr(), "GET /healthz HTTP/1.1\r\nHost: x", "")
	if !strings.HasPrefix(line, "HTTP/1.1 200") {
		t.Fatalf("healthz: %q", line)
	}
	// drain the answer, then wait for the server to close the idle connection
	if _, err := io.ReadAll(r); err != nil {
		t.Errorf("idle keep-alive connection not closed by the server: %v", err)
	}
}

// Regression: hetida's endpoints were served by Function.Execute directly, so
// EXECUTION_TIMEOUT, Recover and the accounting did not apply to them. They now go
// through the source's handler (the middleware chain), marked with the endpoint's mode.
func TestHetidaEndpointsGoThroughTheHandler(t *testing.T) {
	f := newFunction(t)
	var mu sync.Mutex
	var seen []string
	h := function.HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
		mu.Lock()
		seen = append(seen, e.Type())
		mu.Unlock()
		return f.Handle(ctx, e)
	})
	ts := newServer(t, httpsrc.Config{HetidaEndpoints: true}, h)
	for _, path := range []string{"/api/transformations/execute", "/api/transformations/execute-latest/"} {
		resp, err := stdhttp.Post(ts.URL+path, "application/json", bytes.NewReader(workload.SeedRequest(false)))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := 200
		if strings.Contains(path, "latest") {
			want = 422 // the seed request has no revision_group_id: the endpoint's model
		}
		if resp.StatusCode != want {
			t.Errorf("%s: %d %.200s", path, resp.StatusCode, b)
		}
	}
	if len(seen) != 2 || seen[0] != function.RequestType {
		t.Errorf("handler saw %v", seen)
	}
	// a handler fault is a 503 to retry
	faulty := newServer(t, httpsrc.Config{HetidaEndpoints: true}, function.HandlerFunc(func(context.Context, event.Event) (*event.Event, error) {
		return nil, errors.New("shutting down")
	}))
	resp, err := stdhttp.Post(faulty.URL+"/api/transformations/execute", "application/json", bytes.NewReader(workload.SeedRequest(false)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Errorf("fault: %d", resp.StatusCode)
	}
}

// CVE-2021-32677: FastAPI ≥ 0.65.2 parses a body as JSON only for a JSON content type (or
// none), so that a cross-site "simple" request (a form post, text/plain) cannot execute
// anything. trafofn executed it.
func TestHetidaEndpointsParseOnlyJSON(t *testing.T) {
	f := newFunction(t)
	ts := newServer(t, httpsrc.Config{HetidaEndpoints: true}, f)
	for _, tc := range []struct {
		ct     string
		status int
	}{
		{"text/plain", 422}, {"application/x-www-form-urlencoded", 422}, {"multipart/form-data; boundary=x", 422},
		{"application/json", 200}, {"application/json; charset=utf-8", 200}, {"application/vnd.api+json", 200}, {"", 200},
	} {
		req, _ := stdhttp.NewRequest("POST", ts.URL+"/api/transformations/execute", bytes.NewReader(workload.SeedRequest(false)))
		if tc.ct != "" {
			req.Header.Set("Content-Type", tc.ct)
		}
		resp, err := stdhttp.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("Content-Type %q: %d %.200s", tc.ct, resp.StatusCode, b)
		}
		if tc.status == 422 && string(b) != `{"detail":[{"loc":["body"],"msg":"value is not a valid dict","type":"type_error.dict"}]}` {
			t.Errorf("Content-Type %q: body %s", tc.ct, b)
		}
	}
}

// Regression: binary and structured CloudEvents without id, source or type were accepted,
// and every id-less event of a source got the same reply id (the README tells consumers
// to deduplicate on it). As on Kafka, an invalid event is handled as a plain body with an
// id of its own.
func TestInvalidCloudEventsAreNotTrusted(t *testing.T) {
	f := newFunction(t)
	ts := newServer(t, httpsrc.Config{}, f)
	ids := map[string]bool{}
	for i, missing := range []string{"Ce-Id", "Ce-Id", "Ce-Source", "Ce-Type"} {
		req, _ := stdhttp.NewRequest("POST", ts.URL+"/", bytes.NewReader(workload.SeedRequest(false)))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range map[string]string{"Ce-Specversion": "1.0", "Ce-Id": "same", "Ce-Source": "/s", "Ce-Type": "t"} {
			if k != missing {
				req.Header.Set(k, v)
			}
		}
		resp, err := stdhttp.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		reply := replyOf(t, resp)
		resp.Body.Close()
		if resp.StatusCode != 200 || reply.Extensions()["result"] != "ok" {
			t.Errorf("event %d without %s: %d %v", i, missing, resp.StatusCode, reply.Extensions())
		}
		if ids[reply.ID()] {
			t.Errorf("event %d without %s got a reply id seen before: %s", i, missing, reply.ID())
		}
		ids[reply.ID()] = true
	}
	// a structured envelope without an id is no execution request
	resp, err := stdhttp.Post(ts.URL+"/", "application/cloudevents+json", strings.NewReader(`{"specversion": "1.0", "source": "/s", "type": "t", "data": {}}`))
	if err != nil {
		t.Fatal(err)
	}
	reply := replyOf(t, resp)
	resp.Body.Close()
	if reply.Extensions()["errortype"] != function.ErrTypeRequestParse {
		t.Errorf("id-less structured event: %v", reply.Extensions())
	}
}

// Regression: a K_SINK URL with credentials appeared in the start-up log, the error log
// and the 502 body sent to any client.
func TestSinkCredentialsStayPrivate(t *testing.T) {
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := dead.Addr().String()
	dead.Close() // nothing listens there
	refusing := httpsrc.NewSink("http://alice:s3cret@"+addr+"/sink?token=t0ken#frag", nil)
	answering := httptestSink(t, 500)
	for _, sink := range []*httpsrc.Sink{refusing, httpsrc.NewSink(strings.Replace(answering, "http://", "http://alice:s3cret@", 1)+"/p?token=t0ken", nil)} {
		if u := sink.URL(); strings.Contains(u, "s3cret") || strings.Contains(u, "alice") || strings.Contains(u, "t0ken") {
			t.Errorf("URL() %s", u)
		}
		err := sink.Send(context.Background(), seedEvent())
		if err == nil {
			t.Fatal("the sink acknowledged")
		}
		if msg := err.Error(); strings.Contains(msg, "s3cret") || strings.Contains(msg, "alice") || strings.Contains(msg, "t0ken") {
			t.Errorf("sink error shows credentials: %s", msg)
		}
		var log bytes.Buffer
		ts := newServer(t, httpsrc.Config{Sink: sink, Logger: slog.New(slog.NewTextHandler(&log, nil))}, newFunction(t))
		resp := post(t, ts.URL+"/", seedEvent(), false)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 502 || strings.Contains(string(b), "s3cret") || strings.Contains(string(b), addr) || strings.Contains(string(b), "K_SINK") {
			t.Errorf("502 body %q", b)
		}
		if strings.Contains(log.String(), "s3cret") || strings.Contains(log.String(), "t0ken") {
			t.Errorf("log shows credentials: %s", log.String())
		}
	}
	if r := httpsrc.Redact("not a url at all"); strings.Contains(r, "not a url") {
		t.Errorf("Redact of a non-URL: %q", r)
	}
}

func httptestSink(t *testing.T, status int) string {
	ts := newServer(t, httpsrc.Config{}, function.HandlerFunc(func(context.Context, event.Event) (*event.Event, error) {
		return nil, fmt.Errorf("status %d", status)
	}))
	return ts.URL
}

// Addr does not block when Run could not listen, and a second Run of a running server is
// an error rather than a second listener.
func TestAddrAfterAFailedListen(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	s, err := httpsrc.New(httpsrc.Config{Addr: busy.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Run(context.Background(), nil); err == nil {
		t.Fatal("Run listened on a busy port")
	}
	if a := s.Addr(); a != "" {
		t.Errorf("Addr %q after a failed listen", a)
	}
}

// Regression: a 60 KB request of 20,000 empty wirings got a 9.8 MB rejection over HTTP
// (163 times the request). Both entry points answer it with a small one now.
func TestRejectionIsNoAmplifier(t *testing.T) {
	ts := newServer(t, httpsrc.Config{HetidaEndpoints: true}, newFunction(t))
	empty := []byte(`{"id": "79ce1eb1-3ef8-4c74-9114-c856fd88dc89", "wiring": {"input_wirings": [{}` + strings.Repeat(`,{}`, 19_999) + `]}}`)
	for _, path := range []string{"/", "/api/transformations/execute"} {
		resp, err := stdhttp.Post(ts.URL+path, "application/json", bytes.NewReader(empty))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if len(b) > 64<<10 || (path == "/" && resp.StatusCode != 200) || (path != "/" && resp.StatusCode != 422) {
			t.Errorf("%s: %d with %d bytes for a %d-byte request", path, resp.StatusCode, len(b), len(empty))
		}
	}
}
