package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// hetida's KafkaConfig JSON: bootstrap servers and the other aiokafka options from the
// consumer's options first, then the producer's, then the cluster's; hetida's defaults
// (producable true, consumable false); the consumption-mode switches accepted and noted.
func TestKafkaAdapterConfigs(t *testing.T) {
	c, err := Load([]string{`HD_KAFKA_CONFIGS={
		"sensors": {"display_name": "Sensors", "topic": "sensor-values", "consumable": true, "types": ["metadata(float)"],
			"consumer_config": {"bootstrap_servers": "k1:9092, k2:9092", "group_id": "scoring", "auto_offset_reset": "EARLIEST", "max_poll_records": 10},
			"producer_config": {"bootstrap_servers": ["other:9092"], "compression_type": "gzip", "security_protocol": "SASL_SSL",
				"sasl_plain_username": "u", "sasl_plain_password": "secret"},
			"consumer_commit_after": true},
		"plain": {"display_name": "Plain", "topic": "t", "kafka_cluster_config": {"bootstrap_servers": ["c:9092"]}},
		"own": {"display_name": "Own", "topic": "t2"}}`})
	if err != nil {
		t.Fatal(err)
	}
	s := c.KafkaAdapter.Configs["sensors"]
	want := KafkaAdapterConfig{
		DisplayName: "Sensors", Topic: "sensor-values", Brokers: []string{"k1:9092", "k2:9092"}, Types: []string{"metadata(float)"},
		Producable: true, Consumable: true, GroupID: "scoring", OffsetReset: "earliest", Compression: "gzip",
		Security: KafkaSecurity{TLS: true, SASLMechanism: "PLAIN", SASLUsername: "u", SASLPassword: "secret"}, Secured: true,
	}
	ignored := s.Ignored
	s.Ignored = nil
	if !reflect.DeepEqual(s, want) {
		t.Errorf("sensors:\n got %+v\nwant %+v", s, want)
	}
	if strings.Join(ignored, ";") == "" || !strings.Contains(strings.Join(ignored, ";"), "consumer_commit_after") || !strings.Contains(strings.Join(ignored, ";"), "max_poll_records") {
		t.Errorf("ignored: %v", ignored)
	}
	if p := c.KafkaAdapter.Configs["plain"]; !reflect.DeepEqual(p.Brokers, []string{"c:9092"}) || !p.Producable || p.Consumable || p.Secured {
		t.Errorf("plain: %+v", p)
	}
	if o := c.KafkaAdapter.Configs["own"]; o.Brokers != nil {
		t.Errorf("own brokers: %v", o.Brokers)
	}
	for _, tc := range []struct{ value, want string }{
		{`[]`, "JSON object"},
		{`{"a": {"topic": "t"}}`, "display_name is required"},
		{`{"a": {"display_name": "A"}}`, "topic is required"},
		{`{"a": {"display_name": "A", "topic": "bad topic"}}`, "not a valid topic"},
		{`{"a": {"display_name": "A", "topic": "t", "consumer_config": {"bootstrap_servers": "nohost"}}}`, "host:port"},
		{`{"a": {"display_name": "A", "topic": "t", "consumer_config": {"auto_offset_reset": "middle"}}}`, "earliest or latest"},
		{`{"a": {"display_name": "A", "topic": "t", "producer_config": {"compression_type": "brotli"}}}`, "compression_type"},
		{`{"a": {"display_name": "A", "topic": "t", "producer_config": {"sasl_mechanism": "GSSAPI", "sasl_plain_username": "u"}}}`, "sasl_mechanism"},
		{`{"a": {"display_name": "A", "topic": "t", "producer_config": {"security_protocol": "SASL_SSL", "sasl_plain_password": "hunter2"}}}`, "sasl_plain_username is required"},
	} {
		_, err := Load([]string{"HD_KAFKA_CONFIGS=" + tc.value})
		var ce *Error
		if !errors.As(err, &ce) || ce.Var != "HD_KAFKA_CONFIGS" || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.value, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: the password is in the error", tc.value)
		}
	}
}

// HETIDA_DESIGNER_ADAPTERS is hetida's "id|name|url|internalUrl,…"; a malformed entry is
// quoted without its password. EXTERNAL_REQUEST_TIMEOUT takes hetida's seconds or a Go
// duration.
func TestRESTAdapters(t *testing.T) {
	c, err := Load([]string{"HETIDA_DESIGNER_ADAPTERS=demo|Demo|http://localhost:8092|http://demo:8092,local-file-adapter|Files|http://a|http://b", "EXTERNAL_REQUEST_TIMEOUT=30"})
	if err != nil {
		t.Fatal(err)
	}
	want := []ListedAdapter{{"demo", "Demo", "http://localhost:8092", "http://demo:8092"}, {"local-file-adapter", "Files", "http://a", "http://b"}}
	if !reflect.DeepEqual(c.REST.Listed, want) || c.REST.Timeout != 30*time.Second || !c.REST.VerifyCerts {
		t.Errorf("got %+v %v %v", c.REST.Listed, c.REST.Timeout, c.REST.VerifyCerts)
	}
	if c, _ := Load([]string{"EXTERNAL_REQUEST_TIMEOUT=1.5s"}); c == nil || c.REST.Timeout != 1500*time.Millisecond {
		t.Errorf("duration: %+v", c)
	}
	if c, _ := Load(nil); c.REST.Timeout != 90*time.Second || c.REST.Listed != nil || len(c.LocalFile.Dirs) != 0 || !c.LocalFile.GenericSinks {
		t.Errorf("defaults: %+v", c.REST)
	}
	for _, tc := range []struct{ env, want string }{
		{"HETIDA_DESIGNER_ADAPTERS=demo|Demo|http://u:hunter2@h:1", "id|name|url|internalUrl"},
		{"HETIDA_DESIGNER_ADAPTERS=a|A|u|v,a|B|u|v", "twice"},
		{"HETIDA_DESIGNER_ADAPTERS=|A|u|v", "empty id"},
		{"EXTERNAL_REQUEST_TIMEOUT=soon", "EXTERNAL_REQUEST_TIMEOUT"},
		{"EXTERNAL_REQUEST_TIMEOUT=0", "positive"},
		{"ADAPTER_MAX_BYTES=0", "ADAPTER_MAX_BYTES"},
		{"RUNTIME_LOCAL_FILE_ADAPTER_LOCAL_DIRECTORIES=/mnt/files", "JSON list"},
		{`RUNTIME_LOCAL_FILE_ADAPTER_LOCAL_DIRECTORIES=[""]`, "empty"},
	} {
		_, err := Load([]string{tc.env})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.env, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: the password is in the error: %v", tc.env, err)
		}
	}
	c, err = Load([]string{`RUNTIME_LOCAL_FILE_ADAPTER_LOCAL_DIRECTORIES=["/mnt/a", "data/b"]`, "RUNTIME_LOCAL_FILE_ADAPTER_GENERIC_DATAFRAME_SINKS=false"})
	if err != nil || !reflect.DeepEqual(c.LocalFile.Dirs, []string{"/mnt/a", "data/b"}) || c.LocalFile.GenericSinks {
		t.Errorf("local dirs: %+v %v", c.LocalFile, err)
	}
}

// HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE is hetida's ExecByIdBase; its wiring's kafka
// inputs are checked at start-up against the Kafka configs (adapter_kafka.go).
func TestConsumptionModeConfig(t *testing.T) {
	c, err := Load([]string{`HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE={"id": "2F511674-F766-748D-2DE3-AD5E62E10A1A", "wiring": {"input_wirings": []}, "run_pure_plot_operators": true}`})
	if err != nil {
		t.Fatal(err)
	}
	m := c.KafkaAdapter.ConsumptionMode
	if m == nil || m.ID != "2f511674-f766-748d-2de3-ad5e62e10a1a" || !m.RunPurePlotOperators || string(m.Wiring) != `{"input_wirings": []}` {
		t.Errorf("mode: %+v", m)
	}
	for _, tc := range []struct{ value, want string }{
		{`{"wiring": {}}`, "id"},
		{`{"id": "nope", "wiring": {}}`, "UUID"},
		{`{"id": "2f511674-f766-748d-2de3-ad5e62e10a1a"}`, "wiring"},
		{`[1]`, "JSON object"},
	} {
		_, err := Load([]string{"HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE=" + tc.value})
		var ce *Error
		if !errors.As(err, &ce) || ce.Var != "HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE" || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.value, err, tc.want)
		}
	}
	_, err = Load([]string{"HETIDA_DESIGNER_KAFKA_ENABLED=false", `HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE={"id": "2f511674-f766-748d-2de3-ad5e62e10a1a", "wiring": {}}`})
	if err == nil || !strings.Contains(err.Error(), "HETIDA_DESIGNER_KAFKA_ENABLED") {
		t.Errorf("mode without Kafka: %v", err)
	}
}
