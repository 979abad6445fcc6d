package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/config"
	"github.com/trafofn/trafofn/internal/devbroker"
	"github.com/trafofn/trafofn/internal/harness"
	"github.com/trafofn/trafofn/internal/workload"
	"github.com/trafofn/trafofn/runtime/adapter/localfile"
	"github.com/trafofn/trafofn/sources/kafka"
)

// addID is hetida's Add component (a, b: ANY → sum: ANY).
const addID = "2abf72f6-68c9-7398-7175-165d31b3ced7"

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// kafkaTopics is a development broker with one-partition topics (the order of records
// is the order of offsets).
func kafkaTopics(t *testing.T, topics ...string) string {
	t.Helper()
	b, err := devbroker.Start(context.Background(), devbroker.Config{Addr: "127.0.0.1:0", Partitions: 1, Logger: quiet(),
		Topics: append([]string{"hd-execution-topic", "hd-execution-response-topic", "hd-execution-dead-letter-topic"}, topics...)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b.Addrs()[0]
}

func produceValues(t *testing.T, addr, topic string, values ...string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for i, v := range values {
		r := &kgo.Record{Topic: topic, Key: []byte("k" + strconv.Itoa(i)), Value: []byte(v)}
		if err := cl.ProduceSync(context.Background(), r).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
}

// topicReader follows a topic from its start.
type topicReader struct {
	t  *testing.T
	cl *kgo.Client
}

func readTopic(t *testing.T, addr, topic string) *topicReader {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return &topicReader{t: t, cl: cl}
}

// next returns the next n records, failing after 30 s.
func (r *topicReader) next(n int) []*kgo.Record {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out []*kgo.Record
	for len(out) < n {
		fs := r.cl.PollRecords(ctx, n-len(out))
		if ctx.Err() != nil {
			r.t.Fatalf("%d of %d records within 30s", len(out), n)
		}
		out = append(out, fs.Records()...)
	}
	return out
}

// quietFor asserts that no record arrives for d.
func (r *topicReader) quietFor(d time.Duration) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if recs := r.cl.PollRecords(ctx, 1).Records(); len(recs) > 0 {
		r.t.Fatalf("unexpected record %s", recs[0].Value)
	}
}

// outputValue is the value of a single-value message or of key in a multi-value one.
func outputValue(t *testing.T, raw []byte, key string) any {
	t.Helper()
	var m struct {
		TransformationID string                    `json:"transformation_id"`
		Value            map[string]any            `json:"value"`
		Values           map[string]map[string]any `json:"values"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	if key == "" {
		return m.Value["value"]
	}
	return m.Values[key]["value"]
}

// The consumption mode as serve runs it: every message of the adapter's topic executes
// the fixed transformation (Pass Through (Float)) with its value, the output becomes a
// Kafka-adapter message on the output topic (keyed like the input record), the execution
// response goes to the response topic, and a record that is no Kafka-adapter message is
// dead-lettered without stopping consumption.
func TestConsumptionModeServe(t *testing.T) {
	addr := kafkaTopics(t, "sensor-in", "value-out")
	mode := fmt.Sprintf(`{"id": %q, "wiring": {
		"input_wirings": [{"workflow_input_name": "input", "adapter_id": "kafka", "ref_id": "base", "ref_id_type": "THINGNODE", "ref_key": "in_metadata(float)", "type": "metadata(float)"}],
		"output_wirings": [{"workflow_output_name": "output", "adapter_id": "kafka", "ref_id": "base", "ref_id_type": "THINGNODE", "ref_key": "out_metadata(float)", "type": "metadata(float)"}]}}`, workload.PassThroughFloatID)
	env := []string{"KAFKA_BROKERS=" + addr, "KAFKA_GROUP_ID=cm-serve", "HTTP_PORT=" + strconv.Itoa(freePort(t)), "DRAIN_TIMEOUT=5s",
		`HD_KAFKA_CONFIGS={"in": {"display_name": "Sensor", "topic": "sensor-in", "consumable": true}, "out": {"display_name": "Values", "topic": "value-out"}}`,
		"HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE=" + mode}
	outs, replies, dead := readTopic(t, addr, "value-out"), readTopic(t, addr, "hd-execution-response-topic"), readTopic(t, addr, "hd-execution-dead-letter-topic")
	produceValues(t, addr, "sensor-in",
		`{"job_id": "upstream-1", "value": {"value": 0.5, "data_type": "metadata(float)"}}`,
		`not a message`,
		`{"value": {"value": 2.25, "data_type": "metadata(float)"}}`)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	log := &harness.LogBuffer{}
	go func() { done <- serve(ctx, env, log) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v\n%s", err, log.String())
		}
	}()
	got := outs.next(2)
	for i, want := range []float64{0.5, 2.25} {
		if v := outputValue(t, got[i].Value, ""); v != want {
			t.Errorf("output %d: %v, want %v (%s)", i, v, want, got[i].Value)
		}
		if k := string(got[i].Key); k != []string{"k0", "k2"}[i] {
			t.Errorf("output %d key %q", i, k)
		}
		if !bytes.Contains(got[i].Value, []byte(`"transformation_id":"`+workload.PassThroughFloatID+`"`)) {
			t.Errorf("output %d: %s", i, got[i].Value)
		}
	}
	rs := replies.next(3)
	ok := 0
	for _, r := range rs {
		if bytes.Contains(r.Value, []byte(`"result":"ok"`)) {
			ok++
		}
	}
	if ok != 2 {
		t.Errorf("%d ok replies of 3", ok)
	}
	if d := dead.next(1); !bytes.Equal(d[0].Value, []byte("not a message")) {
		t.Errorf("dead letter %q", d[0].Value)
	}
	outs.quietFor(300 * time.Millisecond)
}

// A bad consumption mode stops start-up naming the variable (hetida's texts).
func TestConsumptionModeStartupErrors(t *testing.T) {
	for _, tc := range []struct{ mode, want string }{
		{fmt.Sprintf(`{"id": %q, "wiring": {"input_wirings": [], "output_wirings": []}}`, workload.PassThroughFloatID), "No kafka input wirings"},
		{fmt.Sprintf(`{"id": %q, "wiring": {"input_wirings": [{"workflow_input_name": "input", "adapter_id": "kafka", "ref_id": "nope_metadata(float)"}]}}`, workload.PassThroughFloatID), "no Kafka config"},
		{`{"id": "00000000-0000-0000-0000-000000000001", "wiring": {"input_wirings": [{"workflow_input_name": "input", "adapter_id": "kafka", "ref_id": "in_metadata(float)"}]}}`, "00000000-0000-0000-0000-000000000001"},
		{`{"wiring": {}}`, "id"},
	} {
		env := []string{"KAFKA_BROKERS=127.0.0.1:1", "HTTP_PORT=" + strconv.Itoa(freePort(t)),
			`HD_KAFKA_CONFIGS={"in": {"display_name": "In", "topic": "t", "consumable": true}}`, "HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE=" + tc.mode}
		err := serve(context.Background(), env, io.Discard)
		var ue usageError
		if err == nil || !strings.Contains(err.Error(), "HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.mode, err, tc.want)
		} else if !errorsAs(err, &ue) {
			t.Errorf("%s: not a usage error: %v", tc.mode, err)
		}
	}
}

func errorsAs(err error, ue *usageError) bool {
	for e := err; e != nil; {
		if u, ok := e.(usageError); ok {
			*ue = u
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

// modeInstance is one trafofn in consumption mode built by main's wiring, with hook
// called after each execution (before its reply is sent and its offset committed).
type modeInstance struct {
	cancel context.CancelFunc
	done   chan error
	log    *harness.LogBuffer
}

func startMode(t *testing.T, addr, group string, hook func(n int64)) *modeInstance {
	t.Helper()
	mode := fmt.Sprintf(`{"id": %q, "wiring": {
		"input_wirings": [{"workflow_input_name": "a", "adapter_id": "kafka", "ref_id": "in_metadata(any)", "filters": {"message_value_key": "a"}},
		                  {"workflow_input_name": "b", "adapter_id": "kafka", "ref_id": "in_metadata(any)", "filters": {"message_value_key": "b"}}],
		"output_wirings": [{"workflow_output_name": "sum", "adapter_id": "kafka", "ref_id": "out_metadata(any)", "filters": {"message_value_key": "sum"}}]}}`, addID)
	cfg, err := config.Load([]string{"KAFKA_BROKERS=" + addr, "KAFKA_GROUP_ID=" + group, "DRAIN_TIMEOUT=1s",
		`HD_KAFKA_CONFIGS={"in": {"display_name": "In", "topic": "pairs-in", "consumable": true}, "out": {"display_name": "Out", "topic": "sums-out"}}`,
		"HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE=" + mode})
	if err != nil {
		t.Fatal(err)
	}
	logw := &harness.LogBuffer{}
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := newApp(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.consumptionMode()
	if err != nil {
		t.Fatal(err)
	}
	if !m.Multi {
		t.Fatal("the mode's messages should be multi-value")
	}
	kc := consumptionKafkaConfig(kafkaConfig(cfg, cfg.Brokers, a.fn.Fail, log), m)
	kc.SessionTimeout, kc.HeartbeatInterval = 6*time.Second, 500*time.Millisecond
	consumer, err := kafka.New(kc)
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	core := function.HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
		reply, err := a.fn.Handle(ctx, e)
		if hook != nil {
			hook(n.Add(1))
		}
		return reply, err
	})
	h := m.Handler(a.kafkaHandler(a.chain(core)), a.fn.Fail)
	ctx, cancel := context.WithCancel(context.Background())
	mi := &modeInstance{cancel: cancel, done: make(chan error, 1), log: logw}
	go func() { mi.done <- consumer.Run(ctx, h); a.release() }()
	return mi
}

func (mi *modeInstance) stop(t *testing.T) {
	t.Helper()
	mi.cancel()
	select {
	case err := <-mi.done:
		if err != nil {
			t.Errorf("consumer: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the consumer did not stop:\n%s", mi.log.String())
	}
}

// Regression guard for trafofn's delivery guarantee in consumption mode: an instance
// that dies after a message's output was acknowledged but before the message's offset
// was committed loses nothing. The first instance handles message 1, produces the output
// of message 2 and then hangs (its reply is never sent, so its offset is never
// committed) until it is stopped and abandons it after DRAIN_TIMEOUT; a second instance
// in the same group starts at message 2: every message's sum arrives, message 2's twice
// (at least once), none is lost, and the order of the first deliveries is the topic's.
func TestConsumptionModeCrashBetweenOutputAndCommit(t *testing.T) {
	addr := kafkaTopics(t, "pairs-in", "sums-out")
	outs := readTopic(t, addr, "sums-out")
	pair := func(a, b float64) string {
		return fmt.Sprintf(`{"values": {"a": {"value": %v, "data_type": "metadata(any)"}, "b": {"value": %v, "data_type": "metadata(any)"}}}`, a, b)
	}
	produceValues(t, addr, "pairs-in", pair(1, 10), pair(2, 20), pair(3, 30))
	hung := make(chan struct{})
	release := make(chan struct{})
	defer close(release)
	var once sync.Once
	first := startMode(t, addr, "cm-crash", func(n int64) {
		if n == 2 {
			once.Do(func() { close(hung) })
			<-release // dead: no reply, no commit
		}
	})
	got := outs.next(2) // message 1's output and message 2's, produced before the hang
	select {
	case <-hung:
	case <-time.After(30 * time.Second):
		t.Fatal("the first instance never reached message 2")
	}
	first.stop(t) // abandons message 2 after DRAIN_TIMEOUT, commits message 1 only
	second := startMode(t, addr, "cm-crash", nil)
	defer second.stop(t)
	got = append(got, outs.next(2)...)
	outs.quietFor(500 * time.Millisecond)
	var sums []float64
	for _, r := range got {
		v, _ := outputValue(t, r.Value, "sum").(float64)
		sums = append(sums, v)
	}
	if want := []float64{11, 22, 22, 33}; fmt.Sprint(sums) != fmt.Sprint(want) {
		t.Errorf("sums %v, want %v (message 2 again after the crash, nothing lost)", sums, want)
	}
}

// The local-file-adapter, the generic REST adapter and direct provisioning in one
// request through main's wiring: a DataFrame from a CSV file and a timeseries from a REST
// adapter are combined, and the result is written to a generic sink and POSTed back.
// GET /api/adapters lists the configured adapters as hetida's backend does.
func TestMixedAdaptersThroughServe(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in.csv"), []byte("a,b\n1,2\n3,4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	posted := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			posted[r.URL.Path+"?"+r.URL.RawQuery] = string(b)
			mu.Unlock()
			w.WriteHeader(http.StatusCreated)
			return
		}
		fmt.Fprintln(w, `{"timeseriesId":"t1","timestamp":"2020-01-01T00:00:00Z","value":1.5}`)
	}))
	defer srv.Close()
	rest := srv.URL
	port := freePort(t)
	env := []string{"HETIDA_DESIGNER_KAFKA_ENABLED=false", "HTTP_PORT=" + strconv.Itoa(port),
		"RUNTIME_LOCAL_FILE_ADAPTER_LOCAL_DIRECTORIES=" + mustJSON([]string{dir}),
		"HETIDA_DESIGNER_ADAPTERS=demo|Demo Adapter|http://localhost:8092|" + rest + ",local-file-adapter|Local Files|http://x/lf|http://y/lf"}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	log := &harness.LogBuffer{}
	go func() { done <- serve(ctx, env, log) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	waitReady(t, base, done, log)
	resp, err := http.Get(base + "/api/adapters")
	if err != nil {
		t.Fatal(err)
	}
	listing, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := `[{"id":"local-file-adapter","name":"Local Files","url":"http://x/lf","internalUrl":"http://y/lf"},{"id":"demo","name":"Demo Adapter","url":"http://localhost:8092","internalUrl":"` + rest + `"}]`; string(listing) != want {
		t.Errorf("GET /api/adapters\n got %s\nwant %s", listing, want)
	}
	// Add (ANY + ANY) of the file's DataFrame and a direct_provisioning 10, written to a
	// generic sink
	fileID := localfile.ToURL(dir + "/in.csv")
	sink := localfile.GenericSinkPrefix + localfile.ToURL(dir)
	req := fmt.Sprintf(`{"id": %q, "wiring": {
		"input_wirings": [{"workflow_input_name": "a", "adapter_id": "local-file-adapter", "ref_id": %q, "type": "dataframe"},
		                  {"workflow_input_name": "b", "adapter_id": "direct_provisioning", "filters": {"value": "10"}}],
		"output_wirings": [{"workflow_output_name": "sum", "adapter_id": "local-file-adapter", "ref_id": %q, "type": "dataframe", "filters": {"file_name": "sum.csv"}}]}}`, addID, fileID, sink)
	resp, err = http.Post(base+"/api/transformations/execute", "application/json", strings.NewReader(req))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(body, []byte(`"result":"ok"`)) || !bytes.Contains(body, []byte(`"output_results_by_output_name":{}`)) {
		t.Fatalf("execute: %s", body)
	}
	written, err := os.ReadFile(filepath.Join(dir, "sum.csv"))
	if err != nil || string(written) != ",a,b\n0,11,12\n1,13,14\n" {
		t.Errorf("sum.csv: %q %v", written, err)
	}
	// a timeseries from the REST adapter, sent back to it
	req = fmt.Sprintf(`{"id": %q, "wiring": {
		"input_wirings": [{"workflow_input_name": "input", "adapter_id": "demo", "ref_id": "t1", "type": "timeseries(float)", "filters": {"timestampFrom": "2020-01-01T00:00:00Z", "timestampTo": "2020-01-02T00:00:00Z"}}],
		"output_wirings": [{"workflow_output_name": "output", "adapter_id": "demo", "ref_id": "t2", "type": "timeseries(float)"}]}}`, seriesPassThroughID)
	resp, err = http.Post(base+"/api/transformations/execute", "application/json", strings.NewReader(req))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	mu.Lock()
	defer mu.Unlock()
	if !bytes.Contains(body, []byte(`"result":"ok"`)) || posted["/timeseries?timeseriesId=t2"] != `[{"timestamp":"2020-01-01T00:00:00.000000000Z","value":1.5}]` {
		t.Errorf("REST round trip: %s\nposted %v", body, posted)
	}
	// an unknown adapter id names the variable that registers REST adapters
	req = fmt.Sprintf(`{"id": %q, "wiring": {"input_wirings": [{"workflow_input_name": "input", "adapter_id": "nowhere", "ref_id": "x", "type": "timeseries(float)"}], "output_wirings": []}}`, seriesPassThroughID)
	resp, err = http.Post(base+"/api/transformations/execute", "application/json", strings.NewReader(req))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(body, []byte("LOADING_DATA_FROM_ADAPTERS")) || !bytes.Contains(body, []byte("HETIDA_DESIGNER_ADAPTERS")) {
		t.Errorf("unknown adapter: %s", body)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// seriesPassThroughID is hetida's Pass Through (Series) component.
const seriesPassThroughID = "bfa27afc-dea8-b8aa-4b15-94402f0739b6"
