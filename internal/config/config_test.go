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

// Regressions (configuration accepted and then misread): KAFKA_SASL_MECHANISM=plain passed
// this layer and then failed naming a Go field; KAFKA_SECURITY_PROTOCOL=Sasl_Ssl meant no
// TLS; SASL_SSL without a mechanism ran without SASL. Names are case-insensitive, the
// protocol decides TLS and SASL (with aiokafka's default mechanism PLAIN), and settings the
// protocol would not use are refused naming a variable.
func TestSecuritySettings(t *testing.T) {
	for _, tc := range []struct {
		env       []string
		tls, sasl bool
		mechanism string
	}{
		{nil, false, false, ""},
		{[]string{"KAFKA_SASL_MECHANISM=plain", "KAFKA_SASL_USERNAME=u"}, false, true, "PLAIN"},
		{[]string{"KAFKA_SECURITY_PROTOCOL=Sasl_Ssl", "KAFKA_SASL_USERNAME=u"}, true, true, "PLAIN"},
		{[]string{"KAFKA_SECURITY_PROTOCOL=sasl_plaintext", "KAFKA_SASL_MECHANISM=scram-sha-512", "KAFKA_SASL_USERNAME=u"}, false, true, "SCRAM-SHA-512"},
		{[]string{"KAFKA_SECURITY_PROTOCOL=ssl"}, true, false, ""},
		{[]string{"KAFKA_TLS_CA_FILE=/ca.pem"}, true, false, ""},
		{[]string{"KAFKA_SECURITY_PROTOCOL=SSL", "KAFKA_TLS_CA_FILE=/ca.pem"}, true, false, ""},
		{[]string{`HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS={"security_protocol": "SASL_SSL", "sasl_plain_username": "u", "sasl_plain_password": "p"}`}, true, true, "PLAIN"},
	} {
		c, err := Load(tc.env)
		if err != nil {
			t.Errorf("%v: %v", tc.env, err)
			continue
		}
		if c.TLS != tc.tls || c.SASL != tc.sasl || c.SASLMechanism != tc.mechanism {
			t.Errorf("%v: TLS %v SASL %v mechanism %q, want %v %v %q", tc.env, c.TLS, c.SASL, c.SASLMechanism, tc.tls, tc.sasl, tc.mechanism)
		}
	}
	for _, tc := range []struct {
		env     []string
		varName string
	}{
		{[]string{"KAFKA_SECURITY_PROTOCOL=SASL_SSL"}, "KAFKA_SASL_USERNAME"},
		{[]string{"KAFKA_SECURITY_PROTOCOL=sasl_ssl", "KAFKA_SASL_MECHANISM=GSSAPI", "KAFKA_SASL_USERNAME=u"}, "KAFKA_SASL_MECHANISM"},
		{[]string{"KAFKA_SASL_USERNAME=u"}, "KAFKA_SASL_MECHANISM"},
		{[]string{"KAFKA_SECURITY_PROTOCOL=PLAINTEXT", "KAFKA_TLS_CA_FILE=/ca.pem"}, "KAFKA_SECURITY_PROTOCOL"},
		{[]string{"KAFKA_SECURITY_PROTOCOL=SSL", "KAFKA_SASL_MECHANISM=PLAIN", "KAFKA_SASL_USERNAME=u"}, "KAFKA_SECURITY_PROTOCOL"},
		{[]string{"KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT", "KAFKA_SASL_USERNAME=u", "KAFKA_TLS_INSECURE_SKIP_VERIFY=true"}, "KAFKA_SECURITY_PROTOCOL"},
		{[]string{"KAFKA_SECURITY_PROTOCOL=TLS"}, "KAFKA_SECURITY_PROTOCOL"},
	} {
		_, err := Load(tc.env)
		var ce *Error
		if !errors.As(err, &ce) || ce.Var != tc.varName {
			t.Errorf("%v: got %v, want an error naming %s", tc.env, err, tc.varName)
		}
	}
}

// Every value the Kafka source would refuse is refused here, naming the variable.
func TestKafkaLimitsNameTheVariable(t *testing.T) {
	for _, tc := range []struct{ env, varName string }{
		{"KAFKA_BROKERS=nohostport", "KAFKA_BROKERS"},
		{"KAFKA_BROKERS=:9092", "KAFKA_BROKERS"},
		{`HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS={"bootstrap_servers": "kafka"}`, "KAFKA_BROKERS (bootstrap_servers)"},
		{"HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC=a topic", "HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC"},
		{"KAFKA_DEAD_LETTER_TOPIC=hd-execution-topic", "HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC"},
		{"KAFKA_MAX_MESSAGE_BYTES=2000", "KAFKA_MAX_MESSAGE_BYTES"},
		{"KAFKA_MAX_MESSAGE_BYTES=200000000", "KAFKA_MAX_MESSAGE_BYTES"},
		{"KAFKA_MAX_BATCH_BYTES=1000", "KAFKA_MAX_BATCH_BYTES"},
		{"KAFKA_COMPRESSION=brotli", "KAFKA_COMPRESSION"},
		{"KAFKA_LINGER=1h", "KAFKA_LINGER"},
		{"KAFKA_STARTUP_TIMEOUT=0s", "KAFKA_STARTUP_TIMEOUT"},
		{"TRAFOFN_DEV_BROKER=maybe", "TRAFOFN_DEV_BROKER"},
		{`HETIDA_DESIGNER_KAFKA_PRODUCER_OPTIONS={"linger_ms": "soon"}`, "HETIDA_DESIGNER_KAFKA_PRODUCER_OPTIONS"},
	} {
		_, err := Load([]string{tc.env})
		var ce *Error
		if !errors.As(err, &ce) || ce.Var != tc.varName {
			t.Errorf("%s: got %v, want an error naming %s", tc.env, err, tc.varName)
		}
	}
}

// hetida's options apply unless the native variable is set, also where the native variable
// has a default (group, client id, compression); case-insensitive names are normalised.
func TestOptionsAndDefaults(t *testing.T) {
	c, err := Load([]string{`HETIDA_DESIGNER_KAFKA_PRODUCER_OPTIONS={"compression_type": "GZIP", "linger_ms": 5, "client_id": "hd"}`,
		`HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS={"group_id": "hd_group"}`, "KAFKA_BALANCE_STRATEGY=Range", "TRAFOFN_DEV_BROKER=OFF"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Compression != "gzip" || c.Linger != 5*time.Millisecond || c.ClientID != "hd" || c.GroupID != "hd_group" || c.BalanceStrategy != "range" || c.DevBroker != DevBrokerOff {
		t.Errorf("options: compression %q linger %v client %q group %q strategy %q dev broker %q", c.Compression, c.Linger, c.ClientID, c.GroupID, c.BalanceStrategy, c.DevBroker)
	}
	c, err = Load([]string{`HETIDA_DESIGNER_KAFKA_PRODUCER_OPTIONS={"compression_type": "gzip"}`, "KAFKA_COMPRESSION=lz4"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Compression != "lz4" {
		t.Errorf("KAFKA_COMPRESSION must override compression_type, got %q", c.Compression)
	}
	c, err = Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Compression != "none" || c.ClientID != "trafofn" || c.GroupID != "trafofn" || c.DevBroker != DevBrokerAuto || c.StartupTimeout != time.Minute {
		t.Errorf("defaults: %+v", c)
	}
}
