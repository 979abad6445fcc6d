package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/config"
	"github.com/trafofn/trafofn/internal/harness"
	"github.com/trafofn/trafofn/internal/workload"
	"github.com/trafofn/trafofn/runtime/data"
)

// httpApp runs main's HTTP wiring (newApp, chain, httpSource) without Kafka, with core
// inside the production middlewares; it returns the app and the base URL.
func httpApp(t *testing.T, core func(*app) function.Handler, environ ...string) (*app, string) {
	t.Helper()
	cfg, err := config.Load(append([]string{"HETIDA_DESIGNER_KAFKA_ENABLED=false", "HTTP_PORT=" + strconv.Itoa(freePort(t))}, environ...))
	if err != nil {
		t.Fatal(err)
	}
	a, err := newApp(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	a.grace = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	hs, err := a.httpSource(ctx, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := a.handler()
	if core != nil {
		h = a.chain(core(a))
	}
	done := make(chan error, 1)
	go func() { done <- hs.Run(ctx, h) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("http source: %v", err)
		}
	})
	return a, "http://" + hs.Addr()
}

// panicky panics on requests whose data contains "boom", else is the function: a bug in
// decoding, validation, rendering or reply building.
func panicky(a *app) function.Handler {
	return function.HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
		if bytes.Contains(e.Data(), []byte("boom")) {
			panic("boom: a bug on the request's path")
		}
		return a.fn.Handle(ctx, e)
	})
}

func postJSON(t *testing.T, url string, body []byte, header ...string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// Regression: the production chain Recover → Observe → Timeout ran the handler on a pool
// goroutine without recover, so a panic outside component code killed the process (and
// on Kafka the record came back after the restart, killing it again). Over HTTP and
// Kafka it is now a failure reply and the instance goes on serving.
func TestPanicOnTheRequestPathIsAFailureReply(t *testing.T) {
	a, base := httpApp(t, panicky)
	boom := []byte(`{"job_id": "00000000-0000-0000-0000-00000000b00b", "boom": 1}`)
	status, body := postJSON(t, base+"/", boom, "Ce-Specversion", "1.0", "Ce-Id", "p-1", "Ce-Source", "/t", "Ce-Type", "t")
	if status != 200 || !bytes.Contains(body, []byte(`"type":"InternalError"`)) || !bytes.Contains(body, []byte("00000000-0000-0000-0000-00000000b00b")) {
		t.Errorf("POST /: %d %.300s", status, body)
	}
	if status, body := postJSON(t, base+"/api/transformations/execute", boom); status != 500 || !bytes.Contains(body, []byte("InternalError")) {
		t.Errorf("execute: %d %.300s", status, body)
	}
	if status, body := postJSON(t, base+"/api/transformations/execute", workload.SeedRequest(false)); status != 200 || !bytes.Contains(body, []byte(`"result":"ok"`)) {
		t.Errorf("after the panics: %d %.300s", status, body)
	}
	if a.stats.Failed.Load() != 2 {
		t.Errorf("failed %d, want the two panics", a.stats.Failed.Load())
	}

	e := startE2ECore(t, nil, panicky)
	e.produce(plainRecord("boom", boom), plainRecord("good", workload.SeedRequest(false)))
	got := map[string]string{}
	for range 2 {
		m := e.next(e.replies)
		errType := ""
		if et, ok := replyDict(t, m).Get("error"); ok && et != nil {
			errType, _ = get(et, "type").(string)
		}
		got[string(m.Key)] = errType
	}
	if got["boom"] != "InternalError" || got["good"] != "" {
		t.Errorf("Kafka replies %v", got)
	}
	e.none(e.replies)
}

func get(v any, k string) any {
	d, ok := v.(*data.Dict)
	if !ok {
		return nil
	}
	x, _ := d.Get(k)
	return x
}

// Regression: serve handed the bare Function to the HTTP source for hetida's endpoints,
// so EXECUTION_TIMEOUT and the runaway accounting did not apply there (1M points with a
// 50 ms limit ran to the end). The endpoints now run through the chain: their executions
// see the deadline; one that ignores it is abandoned and answered; after
// UNREADY_AFTER_RUNAWAYS abandoned executions /readyz is 503, and once they finished it
// is 200 again (the count only grew before: three took a replica out for good).
func TestHetidaEndpointsRunThroughTheChain(t *testing.T) {
	var mu sync.Mutex
	var deadlines []time.Duration
	release := make(chan struct{})
	var finished sync.WaitGroup
	core := func(a *app) function.Handler {
		return function.HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
			if d, ok := ctx.Deadline(); ok {
				mu.Lock()
				deadlines = append(deadlines, time.Until(d))
				mu.Unlock()
			}
			if bytes.Contains(e.Data(), []byte("stuck")) {
				defer finished.Done()
				<-release // ignores its context
			}
			return a.fn.Handle(ctx, e)
		})
	}
	_, base := httpApp(t, core, "EXECUTION_TIMEOUT=50ms", "UNREADY_AFTER_RUNAWAYS=3")
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	if status, _ := postJSON(t, base+"/api/transformations/execute-latest", workload.SeedRequest(false)); status != 422 {
		t.Errorf("execute-latest: %d", status)
	}
	mu.Lock()
	if len(deadlines) != 1 || deadlines[0] > 50*time.Millisecond {
		t.Errorf("the endpoint's execution saw deadlines %v, want one within EXECUTION_TIMEOUT", deadlines)
	}
	mu.Unlock()
	ready := func() int {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i := range 3 {
		finished.Add(1)
		status, body := postJSON(t, base+"/api/transformations/execute", []byte(`{"id": "79ce1eb1-3ef8-4c74-9114-c856fd88dc89", "stuck": true}`))
		if status != 200 || !bytes.Contains(body, []byte("TimeoutError")) || !bytes.Contains(body, []byte("abandoned")) {
			t.Fatalf("stuck execution %d: %d %.300s", i, status, body)
		}
	}
	if code := ready(); code != 503 {
		t.Errorf("readyz with three runaways: %d", code)
	}
	close(release)
	finished.Wait()
	for deadline := time.Now().Add(10 * time.Second); ready() != 200; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("readyz still 503 after the runaways finished")
		}
	}
}

// Regression: one slow upload turned SIGTERM into a full DRAIN_TIMEOUT wait and exit
// status 1; and a K_SINK URL with credentials was logged at start-up. serve now cuts the
// upload, drains, returns nil, and logs the sink without its secrets.
func TestServeDrainsPastASlowUploadAndHidesSinkSecrets(t *testing.T) {
	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	log := &harness.LogBuffer{}
	go func() {
		done <- serve(ctx, []string{"HETIDA_DESIGNER_KAFKA_ENABLED=false", "HTTP_PORT=" + strconv.Itoa(port), "DRAIN_TIMEOUT=3s",
			"K_SINK=http://alice:s3cret@127.0.0.1:1/sink?token=t0ken"}, log)
	}()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	waitReady(t, base, done, log)
	c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.Get(base + "/healthz"); err == nil {
		resp.Body.Close()
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve after SIGTERM with a slow upload: %v (exit status 1), want nil\n%s", err, log.String())
	}
	out := log.String()
	if strings.Contains(out, "s3cret") || strings.Contains(out, "t0ken") || !strings.Contains(out, "http://127.0.0.1:1/sink") {
		t.Errorf("log:\n%s", out)
	}
	if !strings.Contains(out, "HD_USE_AUTH=false") {
		t.Error("no warning that the HTTP entry points are open")
	}
}

// HD_USE_AUTH=true needs the key URL; the error names the variable.
func TestAuthConfiguration(t *testing.T) {
	err := serve(context.Background(), []string{"HETIDA_DESIGNER_KAFKA_ENABLED=false", "HD_USE_AUTH=true"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "HD_AUTH_PUBLIC_KEY_URL") {
		t.Errorf("HD_USE_AUTH without a key URL: %v", err)
	}
	err = serve(context.Background(), []string{"HETIDA_DESIGNER_KAFKA_ENABLED=false", "HD_USE_AUTH=true", "HD_AUTH_PUBLIC_KEY_URL=http://127.0.0.1:1/certs", "HD_AUTH_ALLOWED_ALGORITHMS=HS256"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "HD_AUTH_ALLOWED_ALGORITHMS") {
		t.Errorf("HS256: %v", err)
	}
	err = serve(context.Background(), []string{"HETIDA_DESIGNER_KAFKA_ENABLED=false", "HTTP_TLS_CERT_FILE=/nonexistent.pem"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "HTTP_TLS_KEY_FILE") {
		t.Errorf("certificate without key: %v", err)
	}
}

// serve maps hetida's ssl_check_hostname=false onto the Kafka source as "verify the chain,
// skip the name", not as "verify nothing".
func TestCheckHostnameMapping(t *testing.T) {
	cfg, err := config.Load([]string{"KAFKA_BROKERS=b:9093", `HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS={"security_protocol": "SSL", "ssl_check_hostname": false}`})
	if err != nil {
		t.Fatal(err)
	}
	kc := kafkaConfig(cfg, cfg.Brokers, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if !kc.TLS.Enable || kc.TLS.InsecureSkipVerify || !kc.TLS.SkipHostnameCheck {
		t.Errorf("TLS %+v", kc.TLS)
	}
}
