package kafka_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/IBM/sarama"
	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/sources"
	"github.com/trafofn/trafofn/sources/kafka"
)

// The seed scenario: a plain JSON record keyed exec_job_1 (as kcat -K: sends it) gets exactly
// one reply keyed exec_job_1 whose raw value is the reply JSON, with CloudEvents binary
// headers; the offset is committed after it.
func TestPlainRecordGetsOneReply(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 8)
	replies := e.collect(respTopic, false)
	cfg := e.config()
	r := e.start(cfg, fakeHandler(nil))

	body := `{"id":"0b1ed4a0-0000-4000-8000-000000000001","job_id":"3a1ed4a0-0000-4000-8000-00000000000a","wiring":{}}`
	e.produce(plain("exec_job_1", body))
	got := e.wait(replies, 1)
	m := got[0]
	if string(m.Key) != "exec_job_1" {
		t.Errorf("reply key %q, want exec_job_1", m.Key)
	}
	var data map[string]any
	if err := json.Unmarshal(m.Value, &data); err != nil {
		t.Fatalf("reply value is not the response JSON: %q", m.Value)
	}
	if data["job_id"] != "3a1ed4a0-0000-4000-8000-00000000000a" || data["result"] != "ok" {
		t.Errorf("reply value %s", m.Value)
	}
	for k, want := range map[string]string{
		"ce_specversion": "1.0",
		"ce_type":        function.ReplyType,
		"ce_subject":     "3a1ed4a0-0000-4000-8000-00000000000a",
		"ce_result":      "ok",
		"content-type":   "application/json",
	} {
		if v, ok := header(m, k); !ok || v != want {
			t.Errorf("reply header %s = %q, want %q", k, v, want)
		}
	}
	// the request's id: partition, offset and the record's timestamp
	if v, _ := header(m, "ce_requestid"); !strings.HasPrefix(v, "partition:"+strconv.Itoa(int(partitionOf(t, e, "exec_job_1")))+"/offset:0/ts:") {
		t.Errorf("reply header ce_requestid = %q", v)
	}
	// Exactly one: after the commit passed the record, no second reply exists.
	p := partitionOf(t, e, "exec_job_1")
	e.poll("commit of offset 0", func() bool { return e.committed(cfg.GroupID, p) == 1 })
	if err := r.stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := len(replies.all()); n != 1 {
		t.Fatalf("%d replies, want 1", n)
	}
}

// partitionOf returns the request topic partition a key lands on (murmur2, as produced).
func partitionOf(t *testing.T, e *env, key string) int32 {
	t.Helper()
	p := sarama.NewMurmur2Partitioner(reqTopic)
	n, err := p.Partition(&sarama.ProducerMessage{Key: sarama.StringEncoder(key)}, 8)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCloudEventsBinaryAndStructured(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 2)
	replies := e.collect(respTopic, false)
	var mu sync.Mutex
	seen := map[string]event.Event{}
	e.start(e.config(), fakeHandler(func(_ context.Context, ev event.Event, _ execRequest) error {
		mu.Lock()
		seen[ev.ID()] = ev
		mu.Unlock()
		return nil
	}))
	for i, structured := range []bool{false, true} {
		ev := event.New()
		ev.SetID(fmt.Sprintf("ce-%d", i))
		ev.SetType("hetida.execution.request")
		ev.SetSource("/test/producer")
		ev.SetExtension("partitionkey", "pk-"+strconv.Itoa(i))
		_ = ev.SetData(event.ApplicationJSON, map[string]any{"job_id": fmt.Sprintf("job-%d", i)})
		e.produce(ceRecord(t, ev, "", structured))
	}
	got := e.wait(replies, 2)
	byReq := map[string]*sarama.ConsumerMessage{}
	for _, m := range got {
		rid, _ := header(m, "ce_requestid")
		byReq[rid] = m
	}
	for i, mode := range []string{"binary", "structured"} {
		id := fmt.Sprintf("ce-%d", i)
		m, ok := byReq[id]
		if !ok {
			t.Fatalf("%s: no reply to %s; replies %v", mode, id, byReq)
		}
		// No record key: the reply is keyed by the job id (the reply's subject).
		if string(m.Key) != fmt.Sprintf("job-%d", i) {
			t.Errorf("%s: reply key %q, want the job id", mode, m.Key)
		}
		mu.Lock()
		req := seen[id]
		mu.Unlock()
		if req.Type() != "hetida.execution.request" || req.Source() != "/test/producer" {
			t.Errorf("%s: handler saw %s", mode, req)
		}
		if pk := req.Extensions()["partitionkey"]; pk != "pk-"+strconv.Itoa(i) {
			t.Errorf("%s: partitionkey %v", mode, pk)
		}
		rep := toEvent(t, m)
		if rep.Extensions()[function.ExtPartitionKey] != "pk-"+strconv.Itoa(i) {
			t.Errorf("%s: reply partitionkey %v", mode, rep.Extensions()[function.ExtPartitionKey])
		}
	}
}

// A record that is not an execution request gets the failure reply and a dead letter that
// keeps its key, value and headers and adds the DLQ headers; the consumer goes on.
func TestPoisonRecordIsDeadLettered(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1)
	replies := e.collect(respTopic, false)
	dead := e.collect(dlqTopic, false)
	cfg := e.config()
	r := e.start(cfg, fakeHandler(nil))

	bad := plain("k-bad", "{not json")
	bad.Headers = []sarama.RecordHeader{{Key: []byte("x-origin"), Value: []byte("test")}}
	e.produce(bad, plain("k-good", `{"job_id":"good-1"}`))

	got := e.wait(replies, 2)
	var fail, ok *sarama.ConsumerMessage
	for _, m := range got {
		switch v, _ := header(m, "ce_result"); v {
		case "failure":
			fail = m
		case "ok":
			ok = m
		}
	}
	if fail == nil || ok == nil {
		t.Fatalf("want a failure and an ok reply, got %d replies", len(got))
	}
	if string(fail.Key) != "k-bad" {
		t.Errorf("failure reply key %q", fail.Key)
	}
	if et, _ := header(fail, "ce_errortype"); et != function.ErrTypeRequestParse {
		t.Errorf("failure reply errortype %q", et)
	}
	dl := e.wait(dead, 1)[0]
	if string(dl.Key) != "k-bad" || string(dl.Value) != "{not json" {
		t.Errorf("dead letter key %q value %q, want the original", dl.Key, dl.Value)
	}
	for k, want := range map[string]string{
		"x-origin":                 "test",
		sources.HeaderDLQTopic:     reqTopic,
		sources.HeaderDLQPartition: "0",
		sources.HeaderDLQOffset:    "0",
	} {
		if v, _ := header(dl, k); v != want {
			t.Errorf("dead letter header %s = %q, want %q", k, v, want)
		}
	}
	if why, _ := header(dl, sources.HeaderDLQError); why == "" || why[:len(function.ErrTypeRequestParse)] != function.ErrTypeRequestParse {
		t.Errorf("dead letter error header %q", why)
	}
	e.poll("commit past both records", func() bool { return e.committed(cfg.GroupID, 0) == 2 })
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	if s := r.c.Stats(); s.DeadLettered != 1 || s.Replied != 2 {
		t.Errorf("stats %+v", s)
	}
}

// Same key: answered in offset order. Different keys: run in parallel on one partition
// (InFlightPerPartition > 1).
func TestOrderPerKeyAndParallelKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1)
	replies := e.collect(respTopic, false)
	var running, maxRunning atomic.Int64
	bStarted := make(chan struct{})
	var once sync.Once
	var aSawB atomic.Bool
	e.start(e.config(func(c *kafka.Config) { c.InFlightPerPartition = 4 }), fakeHandler(func(_ context.Context, ev event.Event, req execRequest) error {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			m := maxRunning.Load()
			if n <= m || maxRunning.CompareAndSwap(m, n) {
				break
			}
		}
		switch req.JobID {
		case "a-0":
			select {
			case <-bStarted:
				aSawB.Store(true)
			case <-time.After(5 * time.Second):
			}
		case "b-0":
			once.Do(func() { close(bStarted) })
		default:
			time.Sleep(time.Duration(req.Seq%3) * time.Millisecond) // uneven durations
		}
		return nil
	}))
	// a-0 blocks until b-0 (another key, later offset) has started.
	e.produce(plain("a", `{"job_id":"a-0","seq":0}`), plain("b", `{"job_id":"b-0","seq":0}`))
	var msgs []*sarama.ProducerMessage
	for i := 1; i <= 20; i++ {
		for _, k := range []string{"a", "b", "c"} {
			msgs = append(msgs, plain(k, fmt.Sprintf(`{"job_id":"%s-%d","seq":%d}`, k, i, i)))
		}
	}
	e.produce(msgs...)
	got := e.wait(replies, 62)
	if !aSawB.Load() {
		t.Fatal("b-0 did not start while a-0 was running: keys are not parallel")
	}
	next := map[string]int{"a": 0, "b": 0, "c": 1}
	for _, m := range got {
		var d struct{ Seq int }
		_ = json.Unmarshal(m.Value, &d)
		k := string(m.Key)
		if d.Seq != next[k] {
			t.Fatalf("key %s: reply seq %d, want %d", k, d.Seq, next[k])
		}
		next[k]++
	}
	if maxRunning.Load() > 4 {
		t.Errorf("%d executions at once on one partition, limit 4", maxRunning.Load())
	}
}

// rejectProduce makes the broker refuse produce requests to topic with a retryable error
// while on is true.
func rejectProduce(e *env, topic string, on *atomic.Bool, hits *atomic.Int64) {
	c := e.b.Cluster()
	c.ControlKey(int16(kmsg.Produce), func(kr kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		req := kr.(*kmsg.ProduceRequest)
		if !on.Load() {
			return nil, nil, false
		}
		touches := false
		for _, t := range req.Topics {
			if t.Topic == topic {
				touches = true
			}
		}
		if !touches {
			return nil, nil, false
		}
		hits.Add(1)
		resp := req.ResponseKind().(*kmsg.ProduceResponse)
		for _, t := range req.Topics {
			rt := kmsg.NewProduceResponseTopic()
			rt.Topic = t.Topic
			rt.TopicID = t.TopicID
			for _, p := range t.Partitions {
				rp := kmsg.NewProduceResponseTopicPartition()
				rp.Partition = p.Partition
				rp.ErrorCode = 19 // NOT_ENOUGH_REPLICAS: retryable
				rt.Partitions = append(rt.Partitions, rp)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		return resp, nil, true
	})
}

// The central guarantee: an offset is not committed before its reply is acknowledged. The
// broker rejects every reply produce; the handled record's offset must not be committed
// while the producer keeps retrying. When the broker accepts again, the reply arrives and
// the commit moves past the record.
func TestNoCommitBeforeReplyAcknowledged(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1)
	replies := e.collect(respTopic, false)
	cfg := e.config(func(c *kafka.Config) { c.CommitInterval = 20 * time.Millisecond })
	r := e.start(cfg, fakeHandler(nil))

	// One record goes through normally: the commit is at 1.
	e.produce(plain("k", `{"job_id":"j-0"}`))
	e.wait(replies, 1)
	e.poll("first commit", func() bool { return e.committed(cfg.GroupID, 0) == 1 })

	var on atomic.Bool
	var hits atomic.Int64
	on.Store(true)
	rejectProduce(e, respTopic, &on, &hits)
	e.produce(plain("k", `{"job_id":"j-1"}`))
	// Let the producer fail and retry several times, each time well past a commit tick.
	e.poll("rejected reply produces", func() bool { return r.c.Stats().ProduceRetries >= 3 })
	if h := r.c.Stats().Handled; h != 2 {
		t.Fatalf("handled %d records, want 2", h)
	}
	t.Logf("committed %d stats %+v", e.committed(cfg.GroupID, 0), r.c.Stats())
	if off := e.committed(cfg.GroupID, 0); off != 1 {
		t.Fatalf("committed offset %d while the reply to offset 1 was not acknowledged; want 1", off)
	}
	if n := len(replies.all()); n != 1 {
		t.Fatalf("%d replies while produce is rejected, want 1", n)
	}
	if hits.Load() == 0 {
		t.Fatal("the broker never saw a rejected produce")
	}

	on.Store(false)
	got := e.wait(replies, 2)
	if string(got[1].Key) != "k" {
		t.Errorf("reply key %q", got[1].Key)
	}
	e.poll("commit after the acknowledgement", func() bool { return e.committed(cfg.GroupID, 0) == 2 })
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
}

// A handler error is not acknowledged: the record is retried (never skipped, no reply for
// the failed attempt) and nothing after it is committed meanwhile.
func TestHandlerErrorIsRetriedNotSkipped(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1)
	replies := e.collect(respTopic, false)
	cfg := e.config()
	var fails atomic.Int64
	var release atomic.Bool
	r := e.start(cfg, fakeHandler(func(_ context.Context, _ event.Event, req execRequest) error {
		if req.JobID == "flaky" && !release.Load() {
			fails.Add(1)
			return fmt.Errorf("transient")
		}
		return nil
	}))
	e.produce(plain("k", `{"job_id":"flaky"}`), plain("k2", `{"job_id":"next"}`))
	e.poll("retries", func() bool { return fails.Load() >= 3 })
	if off := e.committed(cfg.GroupID, 0); off > 0 {
		t.Fatalf("committed %d while offset 0 keeps failing", off)
	}
	if n := len(replies.all()); n != 0 {
		t.Fatalf("%d replies before the handler succeeded (partition order)", n)
	}
	release.Store(true)
	got := e.wait(replies, 2)
	if v, _ := header(got[0], "ce_subject"); v != "flaky" {
		t.Errorf("first reply %q, want flaky", v)
	}
	e.poll("commit", func() bool { return e.committed(cfg.GroupID, 0) == 2 })
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
}

// Graceful shutdown: an execution in flight when ctx ends is finished, its reply produced and
// its offset committed; Run returns nil and the member leaves the group.
func TestGracefulShutdownDrainsAndCommits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 1)
	replies := e.collect(respTopic, false)
	cfg := e.config()
	started := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	r := e.start(cfg, fakeHandler(func(ctx context.Context, _ event.Event, req execRequest) error {
		if req.JobID == "slow" {
			once.Do(func() { close(started) })
			select {
			case <-release:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	}))
	e.produce(plain("k", `{"job_id":"slow"}`))
	<-started
	done := make(chan error, 1)
	go func() { done <- r.stop() }()
	e.poll("not ready once stopping", func() bool { return r.c.Ready() != nil })
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("Run: %v, want nil", err)
	}
	if n := len(e.wait(replies, 1)); n != 1 {
		t.Fatalf("%d replies", n)
	}
	if off := e.committed(cfg.GroupID, 0); off != 1 {
		t.Fatalf("committed %d after shutdown, want 1", off)
	}
	if gi := e.b.Cluster().GroupInfo(cfg.GroupID); gi != nil && len(gi.Members) != 0 {
		t.Fatalf("group still has %d members after shutdown", len(gi.Members))
	}
}

// Commits stay contiguous: with two records in flight on one partition, the reply to the
// later one (key b) is acknowledged while the broker keeps refusing the reply to the earlier
// one (key a, another response partition). Nothing may be committed past offset 0 until a's
// reply is acknowledged too.
func TestCommitsStayContiguous(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 2)
	replies := e.collect(respTopic, false)
	cfg := e.config(func(c *kafka.Config) {
		c.InFlightPerPartition = 2
		c.CommitInterval = 20 * time.Millisecond
	})
	r := e.start(cfg, fakeHandler(nil))
	ka, kb := keysOnDifferentPartitions(t, 2)
	pa := murmur(t, ka, 2)
	faults := e.b.Cluster().Fault(kfake.Fault{
		Keys:       []kmsg.Key{kmsg.Produce},
		Topic:      respTopic,
		Partitions: []int32{pa},
		Err:        kerr.NotEnoughReplicas,
		Count:      -1,
	})
	// Both requests on request partition 0: a at offset 0, b at offset 1.
	e.produceTo(0, plain(ka, `{"job_id":"a"}`), plain(kb, `{"job_id":"b"}`))
	got := e.wait(replies, 1)
	if string(got[0].Key) != kb {
		t.Fatalf("first reply key %q, want %q", got[0].Key, kb)
	}
	e.poll("rejected reply produces", func() bool { return r.c.Stats().ProduceRetries >= 3 })
	if off := e.committed(cfg.GroupID, 0); off >= 1 {
		t.Fatalf("committed %d although the reply to offset 0 is not acknowledged", off)
	}
	faults.Remove()
	e.wait(replies, 2)
	e.poll("commit past both", func() bool { return e.committed(cfg.GroupID, 0) == 2 })
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
}

func murmur(t *testing.T, key string, n int32) int32 {
	t.Helper()
	p, err := sarama.NewMurmur2Partitioner("").Partition(&sarama.ProducerMessage{Key: sarama.StringEncoder(key)}, n)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// keysOnDifferentPartitions returns two keys murmur2 puts on different partitions of n.
func keysOnDifferentPartitions(t *testing.T, n int32) (string, string) {
	t.Helper()
	for i := 1; i < 100; i++ {
		k := fmt.Sprintf("key-%d", i)
		if murmur(t, k, n) != murmur(t, "key-0", n) {
			return "key-0", k
		}
	}
	t.Fatal("no keys on different partitions")
	return "", ""
}

// MaxLargeInFlight bounds the executions of large records only: while one large record
// executes (its handler blocked), the other large ones wait, and small records of every
// partition, the large ones' own included, are still executed and answered. Releasing the
// large executions one at a time never lets two run at once.
func TestMaxLargeInFlightLeavesSmallRecordsRunning(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 4)
	replies := e.collect(respTopic, false)
	g := newGate(func(ev event.Event) bool { return len(ev.Data()) >= 1000 })
	e.start(e.config(func(c *kafka.Config) {
		c.InFlightPerPartition = 4
		c.MaxInFlight = 8
		c.MaxLargeInFlight = 1
		c.LargeRecordBytes = 1000
	}), g.handler())
	const nLarge, nSmall = 6, 40
	pad := strings.Repeat("x", 1200)
	var msgs []*sarama.ProducerMessage
	for i := range nLarge {
		msgs = append(msgs, plain(fmt.Sprintf("large-%d", i), fmt.Sprintf(`{"job_id":"l-%d","pad":"%s"}`, i, pad)))
	}
	for i := range nSmall {
		msgs = append(msgs, plain(fmt.Sprintf("small-%d", i), fmt.Sprintf(`{"job_id":"s-%d"}`, i)))
	}
	e.produce(msgs...)
	<-g.entered
	// every small record is answered while the first large execution holds its slot
	e.wait(replies, nSmall)
	if p := g.peak.Load(); p != 1 {
		t.Fatalf("%d large executions at once, MaxLargeInFlight 1", p)
	}
	g.admit(t, nLarge-1, 1, "large, MaxLargeInFlight")
	e.wait(replies, nSmall+nLarge)
	if n := len(replies.all()); n != nSmall+nLarge {
		t.Fatalf("%d replies, want %d", n, nSmall+nLarge)
	}
}

// MaxInFlight bounds executions over all partitions. Regression (a test that could not
// fail): handlers that slept 5 ms made the bound look kept; now handlers block until the test
// releases them, so the test sees the limit reached and not passed. With 4 partitions × 4
// in flight allowed per partition, 16 could run; MaxInFlight 3 must hold them at 3 each
// time, and every record is still answered.
func TestMaxInFlightBoundsAllPartitions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, 4)
	replies := e.collect(respTopic, false)
	g := newGate(nil)
	e.start(e.config(func(c *kafka.Config) {
		c.InFlightPerPartition = 4
		c.MaxInFlight = 3
	}), g.handler())
	const n = 60
	var msgs []*sarama.ProducerMessage
	for i := range n {
		msgs = append(msgs, plain(fmt.Sprintf("key-%d", i), fmt.Sprintf(`{"job_id":"j-%d"}`, i)))
	}
	e.produce(msgs...)
	// Fill the slots, then let one execution finish at a time: each release admits exactly
	// one more. A fourth execution would be counted in peak before it blocks.
	for range 3 {
		<-g.entered
	}
	g.admit(t, n-3, 3, "MaxInFlight")
	e.wait(replies, n)
	if p := g.peak.Load(); p != 3 {
		t.Fatalf("peak of %d executions at once, want exactly 3 (MaxInFlight)", p)
	}
}
