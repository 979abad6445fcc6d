// Package sourcetest is the conformance suite every sources.Source passes, in the style of
// watermill's TestPubSub: a transport provides a Harness, the suite drives it.
//
// # Implementing a harness
//
// A Harness returns a fresh Env for each subtest (new topics, new server, new consumer
// group: subtests must not see each other's requests). The Env
//
//   - builds the Source under test (NewSource), which the suite runs with its own handler;
//   - injects requests the way a real producer would (Send): the Kafka harness produces a
//     CloudEvents binary record keyed by the partition key; an HTTP harness POSTs the event
//     and, like Knative's delivery, retries it when the answer is not 2xx, pushing the reply
//     from the answer (or from its sink) to Replies;
//   - yields every reply the transport delivered (Replies), replies of one partition key in
//     delivery order.
//
// Then, in the transport's test:
//
//	func TestConformance(t *testing.T) {
//		sourcetest.Run(t, newHarness, sourcetest.Features{OrderedPerKey: true, ...})
//	}
//
// Features switch off what a transport cannot promise (an HTTP source does not order
// requests itself; it answers them as they come).
package sourcetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/sources"
)

// Env is one transport under test; see the package documentation.
type Env interface {
	// NewSource returns a new, not yet running source wired to this transport.
	NewSource(t *testing.T) sources.Source
	// Send injects a request; it returns once the transport accepted it (not when it was
	// handled). Requests sent one after the other from one goroutine with the same
	// partition key must reach the source in that order. Safe for concurrent use.
	Send(ctx context.Context, e event.Event) error
	// Replies yields every reply delivered by the source, for the lifetime of the Env.
	Replies() <-chan event.Event
}

// Harness creates a fresh Env for one subtest; cleanup goes to t.Cleanup.
type Harness func(t *testing.T) Env

// Features describes what a transport promises beyond one reply per request.
type Features struct {
	// RetriesHandlerErrors: a request whose handler returned an error reaches the handler
	// again (retried by the source or redelivered by the transport) until it succeeds.
	RetriesHandlerErrors bool
	// OrderedPerKey: replies to requests with the same partition key are delivered in the
	// order the requests were sent.
	OrderedPerKey bool
	// ParallelKeys: a slow request with one key does not hold up a request with another.
	ParallelKeys bool
	// DrainsOnShutdown: a request in flight when Run's context ends still gets its reply
	// before Run returns.
	DrainsOnShutdown bool
	// Timeout bounds each wait of the suite; default 20 s.
	Timeout time.Duration
}

// Request builds the suite's request event: id, partition key and a sequence number; the
// data is {"job_id": id, "key": key, "seq": seq}.
func Request(id, key string, seq int) event.Event {
	e := event.New()
	e.SetID(id)
	e.SetType("trafofn.sourcetest.request")
	e.SetSource("/trafofn/sourcetest")
	if key != "" {
		e.SetExtension(function.ExtPartitionKey, key)
	}
	_ = e.SetData(event.ApplicationJSON, RequestData{JobID: id, Key: key, Seq: seq})
	return e
}

// RequestData is the data of the suite's requests and replies.
type RequestData struct {
	JobID string `json:"job_id"`
	Key   string `json:"key"`
	Seq   int    `json:"seq"`
}

// Reply builds the reply to req the way the function does: type function.ReplyType,
// subject = job id, extensions result, requestid and partitionkey, data = the request data.
func Reply(req event.Event) (*event.Event, error) {
	var d RequestData
	if err := req.DataAs(&d); err != nil {
		return nil, fmt.Errorf("sourcetest: request %s: %w", req.ID(), err)
	}
	r := event.New()
	r.SetID("reply-" + req.ID())
	r.SetType(function.ReplyType)
	r.SetSource("/trafofn/sourcetest")
	r.SetSubject(d.JobID)
	r.SetExtension(function.ExtResult, "ok")
	r.SetExtension(function.ExtRequestID, req.ID())
	if k, ok := req.Extensions()[function.ExtPartitionKey]; ok {
		r.SetExtension(function.ExtPartitionKey, k)
	}
	if err := r.SetData(event.ApplicationJSON, d); err != nil {
		return nil, err
	}
	return &r, nil
}

// Run runs the suite against h.
func Run(t *testing.T, h Harness, f Features) {
	if f.Timeout == 0 {
		f.Timeout = 20 * time.Second
	}
	t.Run("OneReplyPerRequest", func(t *testing.T) { oneReplyPerRequest(t, h, f) })
	t.Run("HandlerErrorIsRetried", func(t *testing.T) {
		if !f.RetriesHandlerErrors {
			t.Skip("transport does not retry handler errors")
		}
		handlerErrorIsRetried(t, h, f)
	})
	t.Run("OrderPerKey", func(t *testing.T) {
		if !f.OrderedPerKey {
			t.Skip("transport does not order per key")
		}
		orderPerKey(t, h, f)
	})
	t.Run("ParallelKeys", func(t *testing.T) {
		if !f.ParallelKeys {
			t.Skip("transport does not run keys in parallel")
		}
		parallelKeys(t, h, f)
	})
	t.Run("CleanShutdown", func(t *testing.T) { cleanShutdown(t, h, f) })
}

// running is a source started by the suite.
type running struct {
	cancel context.CancelFunc
	done   chan error
}

// start runs src with handler and waits until it is ready (if it reports readiness).
func start(t *testing.T, src sources.Source, handler function.Handler, f Features) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- src.Run(ctx, handler) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(f.Timeout):
			t.Errorf("source did not stop within %s", f.Timeout)
		}
	})
	if rd, ok := src.(sources.Readier); ok {
		deadline := time.Now().Add(f.Timeout)
		for rd.Ready() != nil {
			select {
			case err := <-r.done:
				t.Fatalf("source stopped before it was ready: %v", err)
			case <-time.After(5 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatalf("source not ready after %s: %v", f.Timeout, rd.Ready())
			}
		}
	}
	return r
}

// stop cancels the source and returns Run's result. Safe to call from any goroutine.
func (r *running) stop(f Features) error {
	r.cancel()
	select {
	case err := <-r.done:
		r.done <- err // for the cleanup
		return err
	case <-time.After(f.Timeout):
		return fmt.Errorf("Run did not return within %s after cancel", f.Timeout)
	}
}

func send(t *testing.T, env Env, e event.Event) {
	t.Helper()
	if err := trySend(env, e); err != nil {
		t.Fatal(err)
	}
}

func trySend(env Env, e event.Event) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := env.Send(ctx, e); err != nil {
		return fmt.Errorf("send %s: %w", e.ID(), err)
	}
	return nil
}

// collect reads n replies, failing after the timeout.
func collect(t *testing.T, env Env, n int, f Features) []event.Event {
	t.Helper()
	var got []event.Event
	deadline := time.After(f.Timeout)
	for len(got) < n {
		select {
		case e := <-env.Replies():
			got = append(got, e)
		case <-deadline:
			t.Fatalf("got %d of %d replies within %s", len(got), n, f.Timeout)
		}
	}
	return got
}

// quiet fails if another reply arrives within d.
func quiet(t *testing.T, env Env, d time.Duration) {
	t.Helper()
	select {
	case e := <-env.Replies():
		t.Fatalf("unexpected extra reply %s (request %v)", e.ID(), e.Extensions()[function.ExtRequestID])
	case <-time.After(d):
	}
}

func replyData(t *testing.T, e event.Event) RequestData {
	t.Helper()
	var d RequestData
	if err := json.Unmarshal(e.Data(), &d); err != nil {
		t.Fatalf("reply %s data %q: %v", e.ID(), e.Data(), err)
	}
	return d
}

func oneReplyPerRequest(t *testing.T, h Harness, f Features) {
	env := h(t)
	var calls atomic.Int64
	start(t, env.NewSource(t), function.HandlerFunc(func(_ context.Context, e event.Event) (*event.Event, error) {
		calls.Add(1)
		return Reply(e)
	}), f)
	const n = 30
	want := map[string]string{}
	for i := range n {
		id := fmt.Sprintf("req-%d", i)
		key := fmt.Sprintf("key-%d", i%7)
		want[id] = key
		send(t, env, Request(id, key, i))
	}
	seen := map[string]bool{}
	for _, r := range collect(t, env, n, f) {
		rid, _ := r.Extensions()[function.ExtRequestID].(string)
		key, ok := want[rid]
		if !ok {
			t.Fatalf("reply %s answers unknown request %q", r.ID(), rid)
		}
		if seen[rid] {
			t.Fatalf("second reply to %s", rid)
		}
		seen[rid] = true
		if r.Type() != function.ReplyType {
			t.Errorf("reply type %q, want %q", r.Type(), function.ReplyType)
		}
		if got, _ := r.Extensions()[function.ExtPartitionKey].(string); got != key {
			t.Errorf("reply to %s: partitionkey %q, want %q", rid, got, key)
		}
		if r.Subject() != rid {
			t.Errorf("reply to %s: subject %q, want the job id %q", rid, r.Subject(), rid)
		}
		if d := replyData(t, r); d.JobID != rid || d.Key != key {
			t.Errorf("reply to %s: data %+v", rid, d)
		}
	}
	quiet(t, env, 300*time.Millisecond)
	if c := calls.Load(); c != n {
		t.Errorf("handler called %d times for %d requests", c, n)
	}
}

func handlerErrorIsRetried(t *testing.T, h Harness, f Features) {
	env := h(t)
	var attempts atomic.Int64
	start(t, env.NewSource(t), function.HandlerFunc(func(_ context.Context, e event.Event) (*event.Event, error) {
		if e.ID() == "flaky" && attempts.Add(1) <= 2 {
			return nil, errors.New("sourcetest: transient failure")
		}
		return Reply(e)
	}), f)
	send(t, env, Request("flaky", "k", 0))
	send(t, env, Request("after", "k", 1))
	got := collect(t, env, 2, f)
	ids := []string{}
	for _, r := range got {
		id, _ := r.Extensions()[function.ExtRequestID].(string)
		ids = append(ids, id)
	}
	if ids[0] == ids[1] {
		t.Fatalf("two replies to %s", ids[0])
	}
	if f.OrderedPerKey && ids[0] != "flaky" {
		t.Errorf("replies %v: the retried request must keep its place before the next one of its key", ids)
	}
	quiet(t, env, 300*time.Millisecond)
	if a := attempts.Load(); a < 3 {
		t.Errorf("flaky request handled %d times, want 3 (two failures, one success)", a)
	}
}

func orderPerKey(t *testing.T, h Harness, f Features) {
	env := h(t)
	var mu sync.Mutex
	delay := map[int]time.Duration{}
	start(t, env.NewSource(t), function.HandlerFunc(func(_ context.Context, e event.Event) (*event.Event, error) {
		var d RequestData
		_ = e.DataAs(&d)
		mu.Lock()
		wait := delay[d.Seq]
		mu.Unlock()
		time.Sleep(wait) // uneven handler durations, not synchronisation
		return Reply(e)
	}), f)
	keys := []string{"alpha", "beta", "gamma"}
	const perKey = 15
	for i := range perKey {
		mu.Lock()
		delay[i] = time.Duration((i*7)%5) * time.Millisecond
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Go(func() {
			for i := range perKey {
				if err := trySend(env, Request(fmt.Sprintf("%s-%d", k, i), k, i)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	next := map[string]int{}
	for _, r := range collect(t, env, len(keys)*perKey, f) {
		d := replyData(t, r)
		if d.Seq != next[d.Key] {
			t.Fatalf("key %s: reply seq %d, want %d (out of order)", d.Key, d.Seq, next[d.Key])
		}
		next[d.Key]++
	}
}

func parallelKeys(t *testing.T, h Harness, f Features) {
	env := h(t)
	bStarted := make(chan struct{})
	var bOnce sync.Once
	var aSawB atomic.Bool
	start(t, env.NewSource(t), function.HandlerFunc(func(_ context.Context, e event.Event) (*event.Event, error) {
		switch e.ID() {
		case "a":
			select {
			case <-bStarted:
				aSawB.Store(true)
			case <-time.After(f.Timeout / 2):
			}
		case "b":
			bOnce.Do(func() { close(bStarted) })
		}
		return Reply(e)
	}), f)
	send(t, env, Request("a", "key-a", 0))
	send(t, env, Request("b", "key-b", 0))
	collect(t, env, 2, f)
	if !aSawB.Load() {
		t.Fatal("request b (another key) did not start while request a was running")
	}
}

func cleanShutdown(t *testing.T, h Harness, f Features) {
	env := h(t)
	started := make(chan struct{})
	var startOnce sync.Once
	release := make(chan struct{})
	r := start(t, env.NewSource(t), function.HandlerFunc(func(_ context.Context, e event.Event) (*event.Event, error) {
		if e.ID() == "slow" {
			startOnce.Do(func() { close(started) })
			<-release
		}
		return Reply(e)
	}), f)
	send(t, env, Request("first", "k0", 0))
	collect(t, env, 1, f)
	if !f.DrainsOnShutdown {
		if err := r.stop(f); err != nil {
			t.Fatalf("Run after cancel: %v, want nil", err)
		}
		return
	}
	send(t, env, Request("slow", "k1", 0))
	select {
	case <-started:
	case <-time.After(f.Timeout):
		t.Fatal("slow request never reached the handler")
	}
	done := make(chan error, 1)
	go func() { done <- r.stop(f) }()
	// Run must wait for the in-flight request rather than return at once.
	select {
	case err := <-done:
		t.Fatalf("Run returned (%v) while a request was in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("Run after cancel: %v, want nil", err)
	}
	got := collect(t, env, 1, f)
	if rid := got[0].Extensions()[function.ExtRequestID]; rid != "slow" {
		t.Fatalf("reply after shutdown answers %v, want slow", rid)
	}
}
