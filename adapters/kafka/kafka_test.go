package kafka

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/trafofn/trafofn/internal/devbroker"
	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

func ptr(s string) *string { return &s }

// broker starts a development broker with the topics.
func broker(t *testing.T, topics ...string) string {
	t.Helper()
	b, err := devbroker.Start(context.Background(), devbroker.Config{Addr: "127.0.0.1:0", Partitions: 1, Topics: topics,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b.Addrs()[0]
}

func produce(t *testing.T, addr, topic string, values ...string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for _, v := range values {
		if err := cl.ProduceSync(context.Background(), &kgo.Record{Topic: topic, Value: []byte(v)}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
}

// consumeAll reads n records of topic from its start.
func consumeAll(t *testing.T, addr, topic string, n int) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out []*kgo.Record
	for len(out) < n {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("%d of %d records on %s", len(out), n, topic)
		}
		out = append(out, fs.Records()...)
	}
	return out
}

var now = time.Date(2024, 4, 12, 11, 42, 35, 813564000, time.UTC)

func newAdapter(addr string) *Adapter {
	return New(Options{Configs: map[string]Config{
		"out": {DisplayName: "Out", Topic: "adapter-out", Brokers: []string{addr}, Producable: true},
		"in":  {DisplayName: "In", Topic: "adapter-in", Brokers: []string{addr}, Consumable: true, GroupID: "g", OffsetReset: "earliest"},
		"ro":  {DisplayName: "Read only", Topic: "adapter-in", Brokers: []string{addr}, Consumable: true, Producable: false, Types: []string{"metadata(float)"}},
	}, Now: func() time.Time { return now }, MaxMessageBytes: 64 << 10})
}

func out(name, id, valueKey string) adapter.Binding {
	b := adapter.Binding{Name: name, RefID: ptr(id)}
	if valueKey != "" {
		b.Filters = adapter.Filters{adapter.NewFilter("message_value_key", valueKey)}
	}
	return b
}

// Outputs without a value key go out as single-value messages, outputs sharing an
// identifier as one multi-value message, in hetida's format (values as the execution
// response renders them: a Series in the wrapped split format).
func TestSend(t *testing.T) {
	addr := broker(t, "adapter-out")
	a := newAdapter(addr)
	defer a.Close()
	series := data.NewSeries("score", data.Datetimes([]int64{1577836800e9}, data.UTC), data.Floats([]float64{0.5}))
	_, err := a.Send(context.Background(), adapter.SendRequest{JobID: "1f3c1a3e-0c35-4a53-8f3c-1bde2d3c9b9a", TransformationID: "2f511674-f766-748d-2de3-ad5e62e10a1a",
		Bindings: []adapter.Binding{out("x", "out_metadata(float)", ""), out("score", "out_series(float)", "alarm:score"), out("level", "out_metadata(int)", "alarm:level")},
		Values:   map[string]any{"x": 2.5, "score": series, "level": int64(3)}})
	if err != nil {
		t.Fatal(err)
	}
	recs := consumeAll(t, addr, "adapter-out", 2)
	got := map[string]bool{string(recs[0].Value): true, string(recs[1].Value): true}
	for _, want := range []string{
		`{"transformation_id":"2f511674-f766-748d-2de3-ad5e62e10a1a","job_id":"1f3c1a3e-0c35-4a53-8f3c-1bde2d3c9b9a","message_creation_timestamp":"2024-04-12T11:42:35.813564+00:00","value":{"value":2.5,"data_type":"metadata(float)","output_name":"x"}}`,
		`{"transformation_id":"2f511674-f766-748d-2de3-ad5e62e10a1a","job_id":"1f3c1a3e-0c35-4a53-8f3c-1bde2d3c9b9a","message_creation_timestamp":"2024-04-12T11:42:35.813564+00:00","values":{"score":{"value":{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":"score","index":["2020-01-01T00:00:00.000Z"],"data":[0.5]},"__data_parsing_options__":{"orient":"split"}},"data_type":"series(float)","output_name":"score"},"level":{"value":3,"data_type":"metadata(int)","output_name":"level"}}}`,
	} {
		if !got[want] {
			t.Errorf("missing message\n%s\namong\n%s\n%s", want, recs[0].Value, recs[1].Value)
		}
	}
	for _, r := range recs {
		if r.Key != nil {
			t.Errorf("key %q outside consumption mode (hetida sends none)", r.Key)
		}
	}
}

// hetida's rules for combining outputs, ids and configs fail naming the wiring.
func TestSendRules(t *testing.T) {
	a := newAdapter("127.0.0.1:1")
	for _, tc := range []struct {
		bs   []adapter.Binding
		want string
	}{
		{[]adapter.Binding{out("a", "out_metadata(float)", "k"), out("b", "out_metadata(float)", "k")}, "twice"},
		{[]adapter.Binding{out("a", "out_metadata(float)", ""), out("b", "out_metadata(float)", "k")}, "single-value"},
		{[]adapter.Binding{out("a", "nokey", "")}, "is not <kafka config key>_<external type>"},
		{[]adapter.Binding{out("a", "out_float", "")}, "no external type"},
		{[]adapter.Binding{out("a", "missing_metadata(float)", "")}, "no Kafka config"},
		{[]adapter.Binding{out("a", "ro_metadata(float)", "")}, "producable"},
		{[]adapter.Binding{out("a", "ro_metadata(int)", "")}, "does not offer"},
	} {
		vals := map[string]any{"a": 1.0, "b": 2.0}
		_, err := a.Send(context.Background(), adapter.SendRequest{Bindings: tc.bs, Values: vals})
		var ae *adapter.Error
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), tc.want) || ae.Wiring == "" {
			t.Errorf("%v: %v, want %q", tc.bs[len(tc.bs)-1].Ref(), err, tc.want)
		}
	}
	big := strings.Repeat("x", 100<<10)
	_, err := a.Send(context.Background(), adapter.SendRequest{Bindings: []adapter.Binding{out("a", "out_metadata(string)", "")}, Values: map[string]any{"a": big}})
	if err == nil || !strings.Contains(err.Error(), "KAFKA_MAX_MESSAGE_BYTES") {
		t.Errorf("oversized message: %v", err)
	}
}

func in(name, id, typ string, dt data.Type, valueKey string) adapter.Binding {
	b := out(name, id, valueKey)
	b.External, b.Type = ptr(typ), dt
	return b
}

// Outside consumption mode a load consumes the next message of the topic (committing it
// for the group): a single-value message for a wiring without value key, a multi-value
// one for wirings with value keys; pandas values reach the runtime as JSON text, which it
// parses like a direct_provisioning value.
func TestLoad(t *testing.T) {
	addr := broker(t, "adapter-in")
	a := newAdapter(addr)
	defer a.Close()
	produce(t, addr, "adapter-in",
		`{"value": {"value": 2.5, "data_type": "metadata(float)"}}`,
		`{"job_id": "upstream", "values": {"series": {"value": {"2020-01-01T00:00:00Z": 1.0, "2020-01-01T01:00:00Z": 2.0}, "data_type": "series(float)"}, "threshold": {"value": 4, "data_type": "metadata(int)", "output_name": "t"}}}`,
		`{"value": {"value": 1, "data_type": "metadata(int)"}}`,
	)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got, err := a.Load(ctx, adapter.LoadRequest{Bindings: []adapter.Binding{in("x", "in_metadata(float)", "metadata(float)", data.TypeFloat, "")}})
	if err != nil || got["x"] != 2.5 {
		t.Fatalf("single: %v %v", got, err)
	}
	got, err = a.Load(ctx, adapter.LoadRequest{Bindings: []adapter.Binding{
		in("s", "in_series(float)", "series(float)", data.TypeSeries, "series"),
		in("t", "in_metadata(int)", "metadata(int)", data.TypeInt, "threshold"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	s, err := wire.ParseSeries(got["s"])
	// read_json makes whole floats int64, as pandas does
	if err != nil || s.Len() != 2 || s.Values.DType != data.Int64 || s.Values.I[1] != 2 || got["t"] != int64(4) {
		t.Fatalf("multi: %#v %+v %v", got, s, err)
	}
	// the third message is single-value: a multi-value wiring refuses it
	_, err = a.Load(ctx, adapter.LoadRequest{Bindings: []adapter.Binding{in("t", "in_metadata(int)", "metadata(int)", data.TypeInt, "threshold")}})
	if err == nil || !strings.Contains(err.Error(), "values") {
		t.Errorf("a single-value message for a multi-value wiring: %v", err)
	}
	// the declared type must be the id's
	_, err = a.Load(ctx, adapter.LoadRequest{Bindings: []adapter.Binding{in("x", "in_metadata(float)", "metadata(int)", data.TypeInt, "")}})
	if err == nil || !strings.Contains(err.Error(), "Received wrong external type") {
		t.Errorf("wrong type: %v", err)
	}
	// no message: the execution's deadline ends the wait
	short, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	if _, err := a.Load(short, adapter.LoadRequest{Bindings: []adapter.Binding{in("x", "in_metadata(float)", "metadata(float)", data.TypeFloat, "")}}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting without messages: %v", err)
	}
}

// In consumption mode the handled message is used for its config instead of consuming.
func TestLoadFromContext(t *testing.T) {
	a := newAdapter("127.0.0.1:1") // no broker: nothing may be consumed
	msg, err := ParseMessage([]byte(`{"values": {"a": {"value": 1.5, "data_type": "metadata(any)"}, "b": {"value": "x", "data_type": "metadata(string)"}}}`), true)
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithMessage(context.Background(), "in", msg, []byte("k"))
	got, err := a.Load(ctx, adapter.LoadRequest{Bindings: []adapter.Binding{
		in("a", "in_metadata(any)", "metadata(any)", data.TypeAny, "a"),
		in("b", "in_metadata(string)", "metadata(string)", data.TypeString, "b"),
	}})
	if err != nil || got["a"] != 1.5 || got["b"] != "x" {
		t.Fatalf("%v %v", got, err)
	}
	_, err = a.Load(ctx, adapter.LoadRequest{Bindings: []adapter.Binding{in("c", "in_metadata(any)", "metadata(any)", data.TypeAny, "c")}})
	if err == nil || !strings.Contains(err.Error(), "Missing expected multi value key") {
		t.Errorf("missing key: %v", err)
	}
}

// hetida's message validation: value(s) and data_type required, header optional.
func TestParseMessage(t *testing.T) {
	for _, tc := range []struct {
		raw   string
		multi bool
		ok    bool
	}{
		{`{"value": {"data_type": "dataframe"}}`, false, true},
		{`{"transformation_id": null, "job_id": "j", "message_creation_timestamp": "2024-04-12T11:42:35.813564+00:00", "value": {"value": 1, "data_type": "metadata(int)", "output_name": null}}`, false, true},
		{`{"value": {"value": 1}}`, false, false},
		{`{"value": {"value": 1, "data_type": "FLOAT"}}`, false, false},
		{`{"values": {}}`, false, false},
		{`{"values": {"a": {"value": 1, "data_type": "metadata(integer)"}}}`, true, true},
		{`{"value": {"value": 1, "data_type": "metadata(int)"}}`, true, false},
		{`{"value": {"value": 1, "data_type": "metadata(int)"}, "message_creation_timestamp": "yesterday"}`, false, false},
		{`[1]`, false, false},
		{`not json`, false, false},
	} {
		m, err := ParseMessage([]byte(tc.raw), tc.multi)
		if (err == nil) != tc.ok {
			t.Errorf("%s (multi %v): %v", tc.raw, tc.multi, err)
		}
		if err == nil && tc.multi && m.Values["a"].DataType != "metadata(int)" {
			t.Errorf("%s: %+v", tc.raw, m.Values)
		}
	}
}

// The consumption mode's start-up checks, with hetida's texts.
func TestNewConsumptionMode(t *testing.T) {
	configs := map[string]Config{
		"in":  {Topic: "t", Consumable: true},
		"in2": {Topic: "t2", Consumable: true},
		"out": {Topic: "o"},
	}
	w := func(inputs string) []byte { return []byte(`{"input_wirings": [` + inputs + `], "output_wirings": []}`) }
	kafkaIn := func(name, id, vk string) string {
		s := `{"workflow_input_name": "` + name + `", "adapter_id": "kafka", "ref_id": "` + id + `"`
		if vk != "" {
			s += `, "filters": {"message_value_key": "` + vk + `"}`
		}
		return s + `}`
	}
	for _, tc := range []struct {
		wiring string
		want   string // "" for success
		multi  bool
	}{
		{kafkaIn("x", "in_metadata(float)", ""), "", false},
		{kafkaIn("a", "in_metadata(any)", "a") + "," + kafkaIn("b", "in_metadata(any)", "b"), "", true},
		{kafkaIn("a", "in_metadata(any)", "m:a"), "", true},
		{`{"workflow_input_name": "x", "adapter_id": "direct_provisioning", "filters": {"value": "1"}}`, "No kafka input wirings", false},
		{kafkaIn("a", "in_metadata(any)", "a") + "," + kafkaIn("b", "in2_metadata(any)", "b"), "More than one kafka_config", false},
		{kafkaIn("a", "in_metadata(any)", "a") + "," + kafkaIn("b", "in_metadata(any)", ""), "Detected multi value kafka message input wiring", false},
		{kafkaIn("a", "in_metadata(any)", "m:a") + "," + kafkaIn("b", "in_metadata(any)", "n:b"), "More than one message identifier", false},
		{kafkaIn("a", "out_metadata(any)", ""), "does not allow consumption", false},
		{kafkaIn("a", "in_float", ""), "no external type", false},
	} {
		m, err := NewConsumptionMode("2f511674-f766-748d-2de3-ad5e62e10a1a", w(tc.wiring), false, configs, nil)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.wiring, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.wiring, err, tc.want)
		case err == nil && (m.Multi != tc.multi || m.ConfigKey != "in"):
			t.Errorf("%s: multi %v key %q", tc.wiring, m.Multi, m.ConfigKey)
		}
	}
}
