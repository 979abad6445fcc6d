package function_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/google/uuid"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/workload"
	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

func newFunction(t testing.TB, opts function.Options, dirs ...string) *function.Function {
	t.Helper()
	rt, err := runtime.New(runtime.Options{TransformationsDirs: dirs})
	if err != nil {
		t.Fatal(err)
	}
	opts.Runtime = rt
	f, err := function.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func requestEvent(id string, body []byte) event.Event {
	e := event.New()
	e.SetID(id)
	e.SetSource("/test/kafka#hd-execution-topic")
	e.SetType("dev.knative.kafka.event")
	e.SetExtension("partitionkey", "exec_job_1")
	_ = e.SetData(event.ApplicationJSON, body)
	return e
}

func decode(t testing.TB, b []byte) *data.Dict {
	t.Helper()
	v, err := wire.Decode(b)
	if err != nil {
		t.Fatalf("reply is not JSON: %v\n%s", err, b)
	}
	d, ok := v.(*data.Dict)
	if !ok {
		t.Fatalf("reply is not an object: %s", b)
	}
	return d
}

func get(d *data.Dict, path ...string) any {
	var v any = d
	for _, p := range path {
		dd, ok := v.(*data.Dict)
		if !ok {
			return nil
		}
		v, _ = dd.Get(p)
	}
	return v
}

// blank removes what legitimately differs between two executions of one request.
func blank(t testing.TB, b []byte) string {
	d := decode(t, b)
	d.Set("measured_steps", nil)
	d.Set("process_id", nil)
	if oi, ok := get(d, "error", "operator_info").(*data.Dict); ok {
		if h, ok := get(oi, "hierarchy_in_workflow").(*data.Dict); ok {
			if ids, ok := get(h, "by_id").([]any); ok && len(ids) > 0 {
				ids[0] = ""
			}
		}
		if ti, ok := get(oi, "transformation_info").(*data.Dict); ok && get(ti, "name") == "COMPONENT EXECUTION WRAPPER WORKFLOW" {
			ti.Set("id", "")
		}
	}
	out, err := wire.AppendValue(nil, d)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// The reply to the document's request carries the response of the HTTP endpoint and the
// attributes consumers rely on.
func TestHandleSeedRequest(t *testing.T) {
	f := newFunction(t, function.Options{ServiceName: "svc", InstanceID: "inst-1"})
	for _, plots := range []bool{false, true} {
		body := workload.SeedRequest(plots)
		req := requestEvent("partition:3/offset:17", body)
		reply, err := f.Handle(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if reply.Type() != function.ReplyType || reply.Source() != "/trafofn/svc" || reply.Subject() != "00000000-0000-0000-0000-000000000002" {
			t.Errorf("attributes: type %q source %q subject %q", reply.Type(), reply.Source(), reply.Subject())
		}
		wantID := uuid.NewSHA1(uuid.MustParse("4b0ad4a6-5f4e-4e83-9c1c-7f2f3d8e1a10"), []byte(req.Source()+"\x00"+req.ID())).String()
		if reply.ID() != wantID {
			t.Errorf("reply id %s, want the UUIDv5 of source and id %s", reply.ID(), wantID)
		}
		again, _ := f.Handle(context.Background(), req)
		if again.ID() != reply.ID() {
			t.Error("reply id changes between redeliveries")
		}
		ext := reply.Extensions()
		if ext["result"] != "ok" || ext["instance"] != "inst-1" || ext["requestid"] != req.ID() || ext["partitionkey"] != "exec_job_1" {
			t.Errorf("extensions %v", ext)
		}
		if _, has := ext["errortype"]; has {
			t.Error("ok reply carries errortype")
		}
		if reply.DataContentType() != event.ApplicationJSON {
			t.Errorf("datacontenttype %q", reply.DataContentType())
		}
		if err := reply.Validate(); err != nil || reply.SpecVersion() != event.CloudEventsVersionV1 || reply.Time().IsZero() {
			t.Errorf("reply event: %v, specversion %q, time %v", err, reply.SpecVersion(), reply.Time())
		}
		httpBody, status := f.Execute(context.Background(), function.ModeByID, body)
		if status != 200 {
			t.Fatalf("HTTP status %d", status)
		}
		if blank(t, reply.Data()) != blank(t, httpBody) {
			t.Errorf("reply data differs from the HTTP body:\n%s\n%s", reply.Data(), httpBody)
		}
		if strings.Contains(string(reply.Data()), ", ") {
			t.Error("reply JSON is not compact")
		}
	}
}

func TestRejectedRequests(t *testing.T) {
	f := newFunction(t, function.Options{})
	cases := []struct {
		name, body, errType string
		status              int
		jobID               string // "" = generated
		rawJobID            string
	}{
		{name: "not JSON", body: "hello", errType: function.ErrTypeRequestParse, status: 422},
		{name: "truncated", body: `{"id": "79ce1eb1-3ef8-4c74-9114-c856fd88dc89", "job_id": "00000000-0000-0000-0000-000000000009"`, errType: function.ErrTypeRequestParse, status: 422},
		{name: "no id", body: `{"job_id": "00000000-0000-0000-0000-000000000009"}`, errType: function.ErrTypeRequestParse, status: 422, jobID: "00000000-0000-0000-0000-000000000009"},
		{name: "bad job id", body: `{"id": "79ce1eb1-3ef8-4c74-9114-c856fd88dc89", "job_id": "job-7"}`, errType: function.ErrTypeRequestParse, status: 422, rawJobID: "job-7"},
		{name: "unknown id", body: `{"id": "11111111-2222-3333-4444-555555555555", "job_id": "00000000-0000-0000-0000-000000000008"}`, errType: function.ErrTypeNotFound, status: 404, jobID: "00000000-0000-0000-0000-000000000008"},
		{name: "wiring", body: `{"id": "2f511674-f766-748d-2de3-ad5e62e10a1a", "wiring": {"input_wirings": [], "output_wirings": []}, "job_id": "00000000-0000-0000-0000-000000000007"}`, errType: function.ErrTypeWiring, status: 422, jobID: "00000000-0000-0000-0000-000000000007"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reply, err := f.Handle(context.Background(), requestEvent("r-1", []byte(tc.body)))
			if err != nil {
				t.Fatal(err)
			}
			d := decode(t, reply.Data())
			if get(d, "result") != "failure" || get(d, "error", "type") != tc.errType || get(d, "error", "error_code") != int64(tc.status) {
				t.Errorf("error %v", get(d, "error"))
			}
			if get(d, "error", "process_stage") != nil || get(d, "error", "operator_info") != nil {
				t.Error("a rejected request has no stage and no operator")
			}
			loc := get(d, "error", "location").(*data.Dict)
			if get(loc, "file") != "trafofn" || get(loc, "function_name") != "decode" || get(loc, "line_number") != int64(0) {
				t.Errorf("location %v", loc)
			}
			if get(d, "error", "extra_information", "detail") == nil {
				t.Error("extra_information.detail missing")
			}
			if types := get(d, "output_types_by_output_name").(*data.Dict); types.Len() != 0 {
				t.Errorf("output types %v", types.Keys())
			}
			steps := get(d, "measured_steps").(*data.Dict)
			for _, k := range steps.Keys() {
				v, _ := steps.Get(k)
				if (k == "internal_full") != (v != nil) {
					t.Errorf("measured_steps.%s = %v", k, v)
				}
			}
			job, _ := get(d, "job_id").(string)
			if tc.jobID != "" && job != tc.jobID {
				t.Errorf("job_id %s, want %s", job, tc.jobID)
			}
			if _, err := uuid.Parse(job); err != nil || reply.Subject() != job {
				t.Errorf("job_id %q / subject %q", job, reply.Subject())
			}
			if raw, _ := reply.Extensions()["rawjobid"].(string); raw != tc.rawJobID {
				t.Errorf("rawjobid %q, want %q", raw, tc.rawJobID)
			}
			if reply.Extensions()["errortype"] != tc.errType {
				t.Errorf("errortype extension %v", reply.Extensions()["errortype"])
			}
			if function.IsPoison(reply) != (tc.errType == function.ErrTypeRequestParse) {
				t.Error("IsPoison disagrees with the error type")
			}
			// hetida's endpoint keeps its status and {"detail": …} body
			body, status := f.Execute(context.Background(), function.ModeByID, []byte(tc.body))
			if status != tc.status {
				t.Errorf("HTTP status %d, want %d", status, tc.status)
			}
			if get(decode(t, body), "detail") == nil {
				t.Errorf("HTTP body %s has no detail", body)
			}
		})
	}
}

func TestExecuteLatestPicksNewestReleased(t *testing.T) {
	dir := t.TempDir()
	group := "99999999-0000-0000-0000-000000000000"
	for _, r := range []workload.Revision{
		{ID: "99999999-0000-0000-0000-000000000001", GroupID: group, State: "RELEASED", Released: "2024-01-01T00:00:00+00:00", Output: "old", Version: "1.0.0"},
		{ID: "99999999-0000-0000-0000-000000000002", GroupID: group, State: "RELEASED", Released: "2024-06-01T00:00:00+00:00", Output: "newest_released", Version: "2.0.0"},
		{ID: "99999999-0000-0000-0000-000000000003", GroupID: group, State: "DRAFT", Output: "draft", Version: "3.0.0"},
	} {
		if err := os.WriteFile(filepath.Join(dir, r.ID+".json"), r.WorkflowJSON(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f := newFunction(t, function.Options{}, dir)
	body := workload.LatestRequest(group, "2.5", "00000000-0000-0000-0000-000000000005")
	out, status := f.Execute(context.Background(), function.ModeLatest, body)
	if status != 200 {
		t.Fatalf("status %d: %s", status, out)
	}
	if v := get(decode(t, out), "output_results_by_output_name", "newest_released"); v != 2.5 {
		t.Errorf("execute-latest did not run the newest released revision: %s", out)
	}
	// over events the same body is recognised without being told the mode
	reply, err := f.Handle(context.Background(), requestEvent("r-2", body))
	if err != nil {
		t.Fatal(err)
	}
	if v := get(decode(t, reply.Data()), "output_results_by_output_name", "newest_released"); v != 2.5 {
		t.Errorf("event reply: %s", reply.Data())
	}
}

func TestCancelledHandleIsRetryable(t *testing.T) {
	f := newFunction(t, function.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	reply, err := f.Handle(ctx, requestEvent("r-3", workload.SeedRequest(false)))
	if err == nil || reply != nil {
		t.Fatalf("a cancelled execution must ask for a retry, got reply %v err %v", reply, err)
	}
}

func TestReplyLimit(t *testing.T) {
	f := newFunction(t, function.Options{MaxReplyBytes: 500})
	reply, err := f.Handle(context.Background(), requestEvent("r-4", workload.SeedRequest(true)))
	if err != nil {
		t.Fatal(err)
	}
	d := decode(t, reply.Data())
	if get(d, "error", "type") != "ReplyTooLarge" || !strings.Contains(get(d, "error", "message").(string), "MAX_REPLY_BYTES") {
		t.Errorf("oversized reply not turned into a failure: %s", reply.Data())
	}
	if len(reply.Data()) > 2000 {
		t.Errorf("failure reply is itself large: %d bytes", len(reply.Data()))
	}
	// hetida's HTTP endpoint has no such limit
	if _, status := f.Execute(context.Background(), function.ModeByID, workload.SeedRequest(true)); status != 200 {
		t.Errorf("HTTP status %d", status)
	}
}

func TestRecover(t *testing.T) {
	f := newFunction(t, function.Options{})
	h := function.Recover(f.Fail, nil)(function.HandlerFunc(func(context.Context, event.Event) (*event.Event, error) {
		panic("boom")
	}))
	reply, err := h.Handle(context.Background(), requestEvent("r-5", []byte(`{"job_id": "00000000-0000-0000-0000-000000000006"}`)))
	if err != nil || reply == nil {
		t.Fatalf("reply %v err %v", reply, err)
	}
	d := decode(t, reply.Data())
	if get(d, "error", "type") != "InternalError" || !strings.Contains(get(d, "error", "message").(string), "boom") || get(d, "job_id") != "00000000-0000-0000-0000-000000000006" {
		t.Errorf("panic reply %s", reply.Data())
	}
}

func TestTimeout(t *testing.T) {
	f := newFunction(t, function.Options{})
	var runaways function.Runaways
	t.Run("runtime honours the deadline", func(t *testing.T) {
		slow := function.HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
			<-ctx.Done() // an execution that takes longer than the limit
			return f.Handle(ctx, e)
		})
		h := function.Timeout(20*time.Millisecond, time.Second, f.Fail, &runaways, nil)(slow)
		reply, err := h.Handle(context.Background(), requestEvent("r-6", workload.SeedRequest(false)))
		if err != nil {
			t.Fatal(err)
		}
		d := decode(t, reply.Data())
		msg, _ := get(d, "error", "message").(string)
		if get(d, "error", "type") != "TimeoutError" || !strings.Contains(msg, "20ms") || !strings.Contains(msg, "EXECUTION_TIMEOUT") {
			t.Errorf("timeout reply %s", reply.Data())
		}
		if runaways.Count() != 0 {
			t.Errorf("an execution that stopped at its deadline counted as runaway")
		}
	})
	t.Run("code that ignores its context is abandoned", func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		stuck := function.HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
			<-release
			return nil, errors.New("too late")
		})
		h := function.Timeout(10*time.Millisecond, 10*time.Millisecond, f.Fail, &runaways, nil)(stuck)
		reply, err := h.Handle(context.Background(), requestEvent("r-7", workload.SeedRequest(false)))
		if err != nil || reply == nil {
			t.Fatalf("reply %v err %v", reply, err)
		}
		if !strings.Contains(string(reply.Data()), "abandoned") || runaways.Count() != 1 {
			t.Errorf("runaways %d, reply %s", runaways.Count(), reply.Data())
		}
	})
	t.Run("shutdown is not a timeout", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		h := function.Timeout(time.Minute, 10*time.Millisecond, f.Fail, &runaways, nil)(function.HandlerFunc(f.Handle))
		cancel()
		reply, err := h.Handle(ctx, requestEvent("r-8", workload.SeedRequest(false)))
		if err == nil || reply != nil {
			t.Errorf("shutdown must be retryable: reply %v err %v", reply, err)
		}
	})
}

func TestObserveCounts(t *testing.T) {
	f := newFunction(t, function.Options{})
	var st function.Stats
	h := function.Observe(&st, nil, nil)(f)
	_, _ = h.Handle(context.Background(), requestEvent("a", workload.SeedRequest(false)))
	_, _ = h.Handle(context.Background(), requestEvent("b", []byte("nonsense")))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _ = h.Handle(ctx, requestEvent("c", workload.SeedRequest(false)))
	if st.OK.Load() != 1 || st.Failed.Load() != 1 || st.Faults.Load() != 1 {
		t.Errorf("ok %d failed %d faults %d", st.OK.Load(), st.Failed.Load(), st.Faults.Load())
	}
}

func TestChainOrder(t *testing.T) {
	var order []string
	mw := func(name string) function.Middleware {
		return func(next function.Handler) function.Handler {
			return function.HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
				order = append(order, name)
				return next.Handle(ctx, e)
			})
		}
	}
	h := function.Chain(function.HandlerFunc(func(context.Context, event.Event) (*event.Event, error) { return nil, nil }), mw("outer"), mw("inner"))
	_, _ = h.Handle(context.Background(), event.New())
	if strings.Join(order, ",") != "outer,inner" {
		t.Errorf("order %v", order)
	}
}

func TestEcho(t *testing.T) {
	req := requestEvent("partition:1/offset:2", []byte(`{"any": "thing"}`))
	reply, err := function.Echo("bench").Handle(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if string(reply.Data()) != `{"any": "thing"}` || reply.Type() != function.ReplyType || reply.Source() != "/trafofn/bench" || reply.Extensions()["partitionkey"] != "exec_job_1" {
		t.Errorf("echo reply %v", reply)
	}
}

// The worker pool runs every job, reuses an idle worker for the next job instead of
// starting another goroutine, lets idle workers exit, and survives a panicking job.
// (Regression: the old test checked only that 100 jobs ran.)
func TestWorkersRunEveryJob(t *testing.T) {
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting until %s", what)
			}
		}
	}
	// every job runs; while they block, each has its own worker
	w := function.NewWorkersForTest(time.Hour)
	release := make(chan struct{})
	var started atomic.Int64
	for i := 0; i < 100; i++ {
		w.Go(func() { started.Add(1); <-release })
	}
	waitFor("100 jobs started", func() bool { return started.Load() == 100 })
	if w.Live() != 100 {
		t.Errorf("%d workers for 100 blocked jobs", w.Live())
	}
	close(release)

	// sequential jobs reuse one idle worker
	w = function.NewWorkersForTest(time.Hour)
	done := make(chan struct{})
	for i := 0; i < 20; i++ {
		w.Go(func() { done <- struct{}{} })
		<-done
		// the worker hands itself back to the pool after the job returns
		waitFor("the worker is waiting again", func() bool { return w.Waiting() == 1 })
	}
	if w.Live() != 1 {
		t.Errorf("%d workers after 20 sequential jobs, want 1 reused", w.Live())
	}

	// idle workers exit
	w = function.NewWorkersForTest(5 * time.Millisecond)
	w.Go(func() {})
	waitFor("the idle worker exited", func() bool { return w.Live() == 0 })

	// a panicking job neither kills the process nor its worker
	w = function.NewWorkersForTest(time.Hour)
	w.Go(func() { panic("boom") })
	waitFor("the panic was counted", func() bool { return w.Panics() == 1 })
	ran := make(chan struct{})
	w.Go(func() { close(ran) })
	<-ran
	if w.Live() != 1 {
		t.Errorf("%d workers after a panic and one more job, want the same one", w.Live())
	}
}

// A service name that makes no valid URI reference is refused when the function is built,
// not discovered as invalid reply events later.
func TestNewRejectsInvalidSource(t *testing.T) {
	rt, err := runtime.New(runtime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := function.New(function.Options{Runtime: rt, ServiceName: "bad%zz"}); err == nil {
		t.Fatal("New accepted a service name that is no valid URI reference")
	}
}

// A partition key of another CloudEvents type than string is copied as it is.
func TestReplyCopiesNonStringPartitionKey(t *testing.T) {
	f := newFunction(t, function.Options{})
	req := requestEvent("p:0/o:1", []byte(`{"id": "79ce1eb1-3ef8-4c74-9114-c856fd88dc89", "wiring": null}`))
	req.SetExtension("partitionkey", 7)
	reply, err := f.Handle(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if pk := reply.Extensions()["partitionkey"]; pk != int32(7) {
		t.Fatalf("partitionkey %#v", pk)
	}
	if err := reply.Validate(); err != nil {
		t.Fatal(err)
	}
}
