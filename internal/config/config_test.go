package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDefaults(t *testing.T) {
	c, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.KafkaEnabled || c.ConsumerTopic != "hd-execution-topic" || c.ResponseTopic != "hd-execution-response-topic" {
		t.Errorf("kafka defaults: %+v", c)
	}
	if c.AutoOffsetReset != "earliest" || c.GroupID != "trafofn" || c.CommitInterval != 100*time.Millisecond {
		t.Errorf("consumer defaults: reset %q group %q commit %v", c.AutoOffsetReset, c.GroupID, c.CommitInterval)
	}
	if c.ExecutionTimeout != 60*time.Second || c.MaxPoints != 1_000_000 || c.HTTPListenPort() != 8080 || c.Service() != "trafofn" {
		t.Errorf("execution defaults: %+v", c)
	}
	if c.MaxInFlight <= 0 {
		t.Errorf("MaxInFlight default not resolved: %d", c.MaxInFlight)
	}
}

func TestHetidaNamesAndNativeOverrides(t *testing.T) {
	env := []string{
		"HETIDA_DESIGNER_KAFKA_ENABLED=false",
		"HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC=in",
		`HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS={"bootstrap_servers": "k1:9092,k2:9092", "group_id": "hd_group", "auto_offset_reset": "latest", "max_poll_records": 5, "enable_auto_commit": true}`,
		`HETIDA_DESIGNER_KAFKA_PRODUCER_OPTIONS={"bootstrap_servers": ["k3:9092"], "compression_type": "gzip", "security_protocol": "SASL_SSL", "sasl_mechanism": "SCRAM-SHA-512", "sasl_plain_username": "u", "sasl_plain_password": "p"}`,
		"KAFKA_GROUP_ID=native",
	}
	c, err := Load(env)
	if err != nil {
		t.Fatal(err)
	}
	if c.KafkaEnabled || c.ConsumerTopic != "in" {
		t.Errorf("hetida names not read: enabled %v topic %q", c.KafkaEnabled, c.ConsumerTopic)
	}
	// the consumer options come first (sorted keys within), so their brokers win
	if !reflect.DeepEqual(c.Brokers, []string{"k1:9092", "k2:9092"}) {
		t.Errorf("brokers %v", c.Brokers)
	}
	if c.GroupID != "native" || c.AutoOffsetReset != "latest" {
		t.Errorf("native override or option: group %q reset %q", c.GroupID, c.AutoOffsetReset)
	}
	if c.Compression != "gzip" || c.SASLMechanism != "SCRAM-SHA-512" || c.SASLUsername != "u" || c.SecurityProtocol != "SASL_SSL" {
		t.Errorf("producer options: %+v", c)
	}
	if len(c.Ignored) != 2 || !strings.Contains(strings.Join(c.Ignored, " "), "max_poll_records") {
		t.Errorf("ignored options: %v", c.Ignored)
	}
	c, err = Load([]string{"KAFKA_BROKERS=a:1, b:2", `HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS={"bootstrap_servers":"x:1"}`})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Brokers, []string{"a:1", "b:2"}) {
		t.Errorf("KAFKA_BROKERS must override bootstrap_servers, got %v", c.Brokers)
	}
}

func TestPorts(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want int
	}{
		{nil, 8080},
		{[]string{"PORT=9000"}, 9000},
		{[]string{"PORT=9000", "HTTP_PORT=9100"}, 9100},
	} {
		c, err := Load(tc.env)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.HTTPListenPort(); got != tc.want {
			t.Errorf("%v: port %d, want %d", tc.env, got, tc.want)
		}
	}
}

// Every invalid value must fail with an error naming its variable.
func TestInvalidValuesNameTheVariable(t *testing.T) {
	for _, tc := range []struct {
		env, varName string
	}{
		{"HTTP_PORT=abc", "HTTP_PORT"},
		{"HTTP_PORT=70000", "HTTP_PORT"},
		{"EXECUTION_TIMEOUT=soon", "EXECUTION_TIMEOUT"},
		{"EXECUTION_TIMEOUT=0s", "EXECUTION_TIMEOUT"},
		{"HETIDA_DESIGNER_KAFKA_ENABLED=maybe", "HETIDA_DESIGNER_KAFKA_ENABLED"},
		{"KAFKA_AUTO_OFFSET_RESET=middle", "KAFKA_AUTO_OFFSET_RESET"},
		{"KAFKA_PARTITIONER=random", "KAFKA_PARTITIONER"},
		{"KAFKA_SASL_MECHANISM=GSSAPI", "KAFKA_SASL_MECHANISM"},
		{"KAFKA_IN_FLIGHT_PER_PARTITION=0", "KAFKA_IN_FLIGHT_PER_PARTITION"},
		{"KAFKA_COMMIT_INTERVAL=1m", "KAFKA_COMMIT_INTERVAL"},
		{"MAX_POINTS=-1", "MAX_POINTS"},
		{"HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS={not json", "HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS"},
		{`HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS={"group_id": 5}`, "HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS"},
		{"LOG_LEVEL=loud", "LOG_LEVEL"},
	} {
		_, err := Load([]string{tc.env})
		var ce *Error
		if !errors.As(err, &ce) || ce.Var != tc.varName {
			t.Errorf("%s: got %v, want an error naming %s", tc.env, err, tc.varName)
		}
	}
}

func TestVariablesListsEveryField(t *testing.T) {
	vars := Variables()
	seen := map[string]bool{}
	for _, v := range vars {
		seen[v[0]] = true
	}
	for _, want := range []string{"HETIDA_DESIGNER_KAFKA_ENABLED", "KAFKA_BROKERS", "TRANSFORMATIONS_DIR", "K_SINK", "REPLY_TO_KAFKA", "HTTP_PORT"} {
		if !seen[want] {
			t.Errorf("Variables() misses %s", want)
		}
	}
}
