package function_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/workload"
)

// Regression: Timeout runs the handler on a pool goroutine, and a panic there (in
// decoding, validation, rendering or reply building) was out of reach of the Recover
// wrapped around it: the process crashed, and on Kafka the record came back after the
// restart. The production order Recover → Observe → Timeout now answers it with an
// InternalError failure; a test binary without the fix dies here.
func TestPanicBehindTimeoutIsAFailureReply(t *testing.T) {
	f := newFunction(t, function.Options{})
	var runaways function.Runaways
	var st function.Stats
	h := function.Chain(function.HandlerFunc(func(context.Context, event.Event) (*event.Event, error) {
		panic("boom in reply building")
	}),
		function.Recover(f.Fail, nil),
		function.Observe(&st, nil, nil),
		function.Timeout(time.Minute, time.Second, f.Fail, &runaways, nil),
	)
	reply, err := h.Handle(context.Background(), requestEvent("r-p", []byte(`{"job_id": "00000000-0000-0000-0000-000000000016"}`)))
	if err != nil || reply == nil {
		t.Fatalf("reply %v err %v", reply, err)
	}
	d := decode(t, reply.Data())
	if get(d, "error", "type") != "InternalError" || !strings.Contains(get(d, "error", "message").(string), "boom in reply building") || get(d, "job_id") != "00000000-0000-0000-0000-000000000016" {
		t.Errorf("panic reply %s", reply.Data())
	}
	if st.Failed.Load() != 1 || runaways.Count() != 0 {
		t.Errorf("failed %d runaways %d", st.Failed.Load(), runaways.Count())
	}
	// over hetida's endpoints the same failure is a 500
	if body, status := function.ExecuteWith(context.Background(), h, function.ModeByID, function.NewRequest("", "/test", "", []byte(`{}`))); status != 500 || !strings.Contains(string(body), "InternalError") {
		t.Errorf("endpoint answer %d %s", status, body)
	}
}

// Regression: the runaway count only grew, so three abandoned executions took a replica
// out of rotation for good (/readyz 503) even after they had finished. Count is now the
// number still running.
func TestRunawaysCountTheOnesStillRunning(t *testing.T) {
	f := newFunction(t, function.Options{})
	var runaways function.Runaways
	release := make(chan struct{})
	var finished sync.WaitGroup
	stuck := function.HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
		defer finished.Done()
		<-release // ignores its context
		return nil, nil
	})
	h := function.Timeout(time.Millisecond, time.Millisecond, f.Fail, &runaways, nil)(stuck)
	for i := range 3 {
		finished.Add(1)
		reply, err := h.Handle(context.Background(), requestEvent("stuck", workload.SeedRequest(false)))
		if err != nil || !strings.Contains(string(reply.Data()), "abandoned") {
			t.Fatalf("execution %d: reply %v err %v", i, reply, err)
		}
	}
	if runaways.Count() != 3 || runaways.Total() != 3 {
		t.Fatalf("running %d total %d, want 3 and 3", runaways.Count(), runaways.Total())
	}
	close(release)
	finished.Wait()
	// the handlers returned; Timeout's goroutines count down right after
	for deadline := time.Now().Add(10 * time.Second); runaways.Count() != 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d runaways still counted after all finished", runaways.Count())
		}
	}
	if runaways.Total() != 3 {
		t.Errorf("total %d", runaways.Total())
	}
}

// Regression: MAX_REPLY_BYTES applied only to executed requests, and a rejection repeated
// everything wrong with the request: 20,000 empty wirings (60 KB) were answered with a
// 9.8 MB failure over HTTP, and over Kafka with none at all (the producer refused it).
// Every reply of Handle now fits the limit; rejections keep their error type, so a
// RequestParseError is still poison.
func TestEveryReplyIsBounded(t *testing.T) {
	empty := []byte(`{"id": "79ce1eb1-3ef8-4c74-9114-c856fd88dc89", "wiring": {"input_wirings": [{}` + strings.Repeat(`,{}`, 19_999) + `]}}`)
	f := newFunction(t, function.Options{MaxReplyBytes: 1_000_000})
	reply, err := f.Handle(context.Background(), requestEvent("r-w", empty))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(reply.Data()); n > 64<<10 || !function.IsPoison(reply) {
		t.Errorf("rejection of %d bytes (poison %v) for a %d-byte request", n, function.IsPoison(reply), len(empty))
	}
	body, status := f.Execute(context.Background(), function.ModeByID, empty)
	if status != 422 || len(body) > 64<<10 || !strings.Contains(string(body), "further errors not reported") {
		t.Errorf("422 body of %d bytes: %.300s", len(body), body)
	}

	// a wiring that does not fit echoes the request in hetida's detail: cut
	series := `{` + strings.Repeat(`"2020-01-01T00:00:00Z": 1.0, `, 20_000) + `"2020-01-02T00:00:00Z": 2.0}`
	wrong := []byte(`{"id": "79ce1eb1-3ef8-4c74-9114-c856fd88dc89", "wiring": {"input_wirings": [{"workflow_input_name": "nope", "adapter_id": 1, "filters": {"value": ` + quote(series) + `}}]}}`)
	reply, _ = f.Handle(context.Background(), requestEvent("r-x", wrong))
	if n := len(reply.Data()); n > 64<<10 || reply.Extensions()["errortype"] != function.ErrTypeWiring {
		t.Errorf("wiring rejection of %d bytes for a %d-byte request (%v)", n, len(wrong), reply.Extensions()["errortype"])
	}

	// a small limit: the rejection is cut to fit and stays what it is
	small := newFunction(t, function.Options{MaxReplyBytes: 1500})
	for _, b := range [][]byte{empty, wrong, []byte(`{"id": "79ce1eb1-3ef8-4c74-9114-c856fd88dc89", "job_id": "` + strings.Repeat("j", 10_000) + `"}`)} {
		reply, _ := small.Handle(context.Background(), requestEvent("r-y", b))
		if n := len(reply.Data()); n > 1500 || reply.Extensions()["result"] != "failure" {
			t.Errorf("reply of %d bytes over a limit of 1500: %.200s", n, reply.Data())
		}
		if raw, _ := reply.Extensions()["rawjobid"].(string); len(raw) > 300 {
			t.Errorf("rawjobid of %d bytes", len(raw))
		}
		if get(decode(t, reply.Data()), "error", "type") != reply.Extensions()["errortype"] {
			t.Errorf("the cut document lost its error type: %s", reply.Data())
		}
	}
	// a failure built outside the runtime (a panic's message) too
	fail := small.Fail(requestEvent("r-z", nil), "InternalError", strings.Repeat("x", 100_000))
	if n := len(fail.Data()); n > 1500 {
		t.Errorf("failure reply of %d bytes", n)
	}
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// A deadline that passes while the request is validated is a final TimeoutError, as for
// an execution; a cancelled context is a retry.
func TestContextEndingDuringValidation(t *testing.T) {
	f := newFunction(t, function.Options{})
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	reply, err := f.Handle(ctx, requestEvent("r-d", workload.SeedRequest(false)))
	if err != nil {
		t.Fatal(err)
	}
	if d := decode(t, reply.Data()); get(d, "error", "type") != "TimeoutError" || get(d, "job_id") != "00000000-0000-0000-0000-000000000002" {
		t.Errorf("reply %s", reply.Data())
	}
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	if reply, err := f.Handle(cctx, requestEvent("r-c", workload.SeedRequest(false))); err == nil {
		t.Errorf("cancelled: reply %s, want a retry", reply.Data())
	}
}

// The in-flight bound: TryAcquire fails when every slot is taken, Middleware waits for
// one and gives up (a retryable error) when its context ends.
func TestInFlight(t *testing.T) {
	l := function.NewInFlight(2)
	if !l.TryAcquire() || !l.TryAcquire() || l.TryAcquire() || l.InUse() != 2 {
		t.Fatal("two slots")
	}
	entered := make(chan struct{})
	h := l.Middleware()(function.HandlerFunc(func(context.Context, event.Event) (*event.Event, error) {
		close(entered)
		return nil, nil
	}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Handle(ctx, event.New()); err == nil {
		t.Error("a full bound with an ended context must be a handler error")
	}
	done := make(chan error, 1)
	go func() { _, err := h.Handle(context.Background(), event.New()); done <- err }()
	select {
	case <-entered:
		t.Fatal("the handler ran without a free slot")
	case <-time.After(20 * time.Millisecond):
	}
	l.Release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	<-entered
	if l.InUse() != 1 {
		t.Errorf("in use %d after the handler returned", l.InUse())
	}
	var none *function.InFlight
	if !none.TryAcquire() || function.NewInFlight(0) != nil {
		t.Error("no bound")
	}
}

// Regression: a body that is no JSON was decoded for both request models and the Kafka
// reply's message repeated the same error twice.
func TestParseErrorReportedOnce(t *testing.T) {
	f := newFunction(t, function.Options{})
	reply, err := f.Handle(context.Background(), requestEvent("r-j", []byte(`{"id": `)))
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := get(decode(t, reply.Data()), "error", "message").(string)
	if strings.Count(msg, "invalid JSON") != 1 {
		t.Errorf("message %q", msg)
	}
}
