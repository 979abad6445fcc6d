package main

import (
	"context"
	"errors"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	kafkaadapter "github.com/trafofn/trafofn/adapters/kafka"
	"github.com/trafofn/trafofn/internal/config"
	"github.com/trafofn/trafofn/internal/harness"
	"github.com/trafofn/trafofn/internal/telemetry"
	"github.com/trafofn/trafofn/runtime/adapter/localfile"
	"github.com/trafofn/trafofn/runtime/adapter/rest"
	sqladapter "github.com/trafofn/trafofn/runtime/adapter/sql"
	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/sources/kafka"
)

// effect is what serve makes of a configuration: the Kafka source's settings and the other
// values serve and newApp read. (The HTTP source's settings are read from the same fields.)
type effect struct {
	Kafka                           kafka.Config
	KafkaOn, DevBroker, Knative     bool
	Port, Points, Reply, Runaways   int
	Sink, Service, Handler, Profile string
	Trace, Timings                  string
	LogLevel, LogFormat             string
	ReplyToKafka, PID               bool
	Body                            int64
	Dirs                            []string
	Exec                            time.Duration
	GC                              int
	GCHeapHeadroom                  int64
	// the HTTP source's settings beyond those of Kafka (serve's httpSource reads them)
	HTTPTimeouts [4]time.Duration
	HTTPTLS      [2]string
	Auth         bool
	AuthSettings [5]string
	AuthAlgs     []string
	// metrics and tracing (observe.go's telemetryConfig)
	Telemetry telemetry.Config
	// the adapters' settings (adapter_*.go)
	SQLActive     bool
	SQL           sqladapter.Config
	LocalFile     localfile.Config
	KafkaAdapters map[string]kafkaadapter.Config
	Consumption   *config.ConsumptionMode
	REST          []rest.Config
	RESTVerify    bool
	RESTTimeout   time.Duration
	// the components' environment (object store, Rdatasets copy)
	Env *component.Env
}

func effectOf(c *config.Config) effect {
	e := effect{
		Kafka: kafkaConfig(c, c.Brokers, nil, nil), KafkaOn: c.KafkaEnabled, DevBroker: devBrokerWanted(c, true), Knative: c.UnderKnative(),
		Port: c.HTTPListenPort(), Points: c.MaxPoints, Reply: c.MaxReplyBytes, Runaways: c.UnreadyAfterRunaways,
		Sink: c.KSink, Service: c.Service(), Handler: c.Handler, Profile: c.CPUProfile, Trace: c.ExecutionTrace, Timings: c.KafkaTimingsFile, LogLevel: c.LogLevel, LogFormat: c.LogFormat,
		ReplyToKafka: c.ReplyToKafka, PID: c.ReportProcessID, Body: c.MaxBodyBytes, Dirs: c.TransformationsDirs, Exec: c.ExecutionTimeout,
		GC:             c.GCPercent(),
		GCHeapHeadroom: c.GCHeapHeadroom,
		HTTPTimeouts:   [4]time.Duration{c.HTTPReadHeaderTimeout, c.HTTPReadTimeout, c.HTTPWriteTimeout, c.HTTPIdleTimeout},
		HTTPTLS:        [2]string{c.HTTPTLSCertFile, c.HTTPTLSKeyFile},
		Auth:           c.UseAuth,
		AuthSettings:   [5]string{c.AuthPublicKeyURL, c.AuthAudience, c.AuthIssuer, c.AuthRoleKey, c.AuthAllowedRole},
		AuthAlgs:       c.AuthAlgorithms,
		Telemetry:      telemetryConfig(c, nil),
		SQLActive:      c.SQL.Active,
		SQL:            sqlAdapterConfig(c),
		LocalFile:      localFileConfig(c),
		Consumption:    c.KafkaAdapter.ConsumptionMode,
		RESTVerify:     c.REST.VerifyCerts,
		RESTTimeout:    c.REST.Timeout,
	}
	e.KafkaAdapters, _ = kafkaAdapterConfigs(c)
	e.Env, _ = componentEnv(c)
	for _, l := range c.REST.Listed {
		e.REST = append(e.REST, restConfig(c, l))
	}
	return e
}

// samples set each variable to a valid value other than its default, after the variables a
// value needs beside it (base).
var samples = map[string]struct {
	base  []string
	value string
}{
	"HETIDA_DESIGNER_KAFKA_ENABLED":                   {nil, "false"},
	"HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC":            {nil, "in"},
	"HETIDA_DESIGNER_KAFKA_RESPONSE_TOPIC":            {nil, "out"},
	"HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS":          {nil, `{"group_id": "hd"}`},
	"HETIDA_DESIGNER_KAFKA_PRODUCER_OPTIONS":          {nil, `{"compression_type": "gzip"}`},
	"KAFKA_BROKERS":                                   {nil, "kafka:9092"},
	"KAFKA_GROUP_ID":                                  {nil, "g"},
	"KAFKA_AUTO_OFFSET_RESET":                         {nil, "latest"},
	"KAFKA_DEAD_LETTER_TOPIC":                         {nil, "dead"},
	"KAFKA_IN_FLIGHT_PER_PARTITION":                   {nil, "4"},
	"KAFKA_COMMIT_INTERVAL":                           {nil, "1s"},
	"KAFKA_EXACTLY_ONCE":                              {nil, "true"},
	"KAFKA_PARTITIONER":                               {nil, "crc32"},
	"KAFKA_BALANCE_STRATEGY":                          {nil, "range"},
	"KAFKA_SESSION_TIMEOUT":                           {nil, "30s"},
	"KAFKA_REBALANCE_TIMEOUT":                         {nil, "2m"},
	"KAFKA_STARTUP_TIMEOUT":                           {nil, "5m"},
	"KAFKA_MAX_RECORD_BYTES":                          {nil, "100000"},
	"KAFKA_MAX_BATCH_BYTES":                           {nil, "33554432"},
	"KAFKA_MAX_MESSAGE_BYTES":                         {nil, "100000"},
	"KAFKA_CLIENT_ID":                                 {nil, "c"},
	"KAFKA_COMPRESSION":                               {nil, "zstd"},
	"KAFKA_LINGER":                                    {nil, "5ms"},
	"KAFKA_READ_AHEAD":                                {nil, "16"},
	"KAFKA_READ_AHEAD_BYTES":                          {nil, "1048576"},
	"KAFKA_FETCH_BYTES":                               {nil, "1048576"},
	"KAFKA_MAX_LARGE_IN_FLIGHT":                       {nil, "3"},
	"KAFKA_LARGE_RECORD_BYTES":                        {nil, "1000"},
	"KAFKA_SECURITY_PROTOCOL":                         {nil, "ssl"},
	"KAFKA_SASL_MECHANISM":                            {[]string{"KAFKA_SECURITY_PROTOCOL=SASL_SSL", "KAFKA_SASL_USERNAME=u"}, "scram-sha-256"},
	"KAFKA_SASL_USERNAME":                             {[]string{"KAFKA_SECURITY_PROTOCOL=SASL_SSL", "KAFKA_SASL_USERNAME=u"}, "v"},
	"KAFKA_SASL_PASSWORD":                             {[]string{"KAFKA_SECURITY_PROTOCOL=SASL_SSL", "KAFKA_SASL_USERNAME=u"}, "p"},
	"KAFKA_TLS_CA_FILE":                               {nil, "/ca.pem"},
	"KAFKA_TLS_CERT_FILE":                             {[]string{"KAFKA_TLS_CERT_FILE=/a.pem", "KAFKA_TLS_KEY_FILE=/k.pem"}, "/c.pem"},
	"KAFKA_TLS_KEY_FILE":                              {[]string{"KAFKA_TLS_CERT_FILE=/a.pem", "KAFKA_TLS_KEY_FILE=/k.pem"}, "/l.pem"},
	"KAFKA_TLS_SERVER_NAME":                           {nil, "kafka.example"},
	"KAFKA_TLS_INSECURE_SKIP_VERIFY":                  {nil, "true"},
	"TRAFOFN_DEV_BROKER":                              {nil, "false"},
	"KUBERNETES_SERVICE_HOST":                         {nil, "10.0.0.1"},
	"HTTP_PORT":                                       {nil, "9000"},
	"PORT":                                            {nil, "9001"},
	"K_SINK":                                          {nil, "http://sink"},
	"K_SERVICE":                                       {nil, "svc"},
	"REPLY_TO_KAFKA":                                  {nil, "true"},
	"HTTP_MAX_BODY_BYTES":                             {nil, "1000"},
	"TRANSFORMATIONS_DIR":                             {nil, "/tmp/a:/tmp/b"},
	"EXECUTION_TIMEOUT":                               {nil, "10s"},
	"MAX_POINTS":                                      {nil, "10"},
	"MAX_REPLY_BYTES":                                 {nil, "10"},
	"MAX_IN_FLIGHT":                                   {nil, "3"},
	"UNREADY_AFTER_RUNAWAYS":                          {nil, "0"},
	"DRAIN_TIMEOUT":                                   {nil, "5s"},
	"HD_ADVANCED_PERFORMANCE_MEASUREMENT_INFORMATION": {nil, "false"},
	"SERVICE_NAME":                                    {nil, "name"},
	"TRAFOFN_HANDLER":                                 {nil, "echo"},
	"CPU_PROFILE":                                     {nil, "/tmp/p"},
	"EXECUTION_TRACE":                                 {nil, "/tmp/t"},
	"KAFKA_TIMINGS_FILE":                              {nil, "/tmp/k"},
	"GOGC":                                            {nil, "100"},
	"GC_HEAP_HEADROOM":                                {nil, "0"},
	"LOG_LEVEL":                                       {nil, "debug"},
	"LOG_FORMAT":                                      {nil, "json"},
	"MODEL_REPO_PATH":                                 {nil, "/tmp"},
	"RDATASETS_DIR":                                   {nil, "/tmp"},
	"HTTP_READ_HEADER_TIMEOUT":                        {nil, "3s"},
	"HTTP_READ_TIMEOUT":                               {nil, "3s"},
	"HTTP_WRITE_TIMEOUT":                              {nil, "3s"},
	"HTTP_IDLE_TIMEOUT":                               {nil, "3s"},
	"HTTP_TLS_CERT_FILE":                              {[]string{"HTTP_TLS_CERT_FILE=/a.pem", "HTTP_TLS_KEY_FILE=/k.pem"}, "/c.pem"},
	"HTTP_TLS_KEY_FILE":                               {[]string{"HTTP_TLS_CERT_FILE=/a.pem", "HTTP_TLS_KEY_FILE=/k.pem"}, "/l.pem"},
	"HD_USE_AUTH":                                     {[]string{"HD_AUTH_PUBLIC_KEY_URL=https://idp/certs"}, "true"},
	"HD_AUTH_PUBLIC_KEY_URL":                          {nil, "https://idp/certs"},
	"HD_AUTH_AUDIENCE":                                {nil, "hd"},
	"HD_AUTH_ISSUER":                                  {nil, "https://idp"},
	"HD_AUTH_ALLOWED_ALGORITHMS":                      {nil, "ES256"},
	"HD_AUTH_ROLE_KEY":                                {nil, "groups"},
	"HD_AUTH_ALLOWED_ROLE":                            {nil, "admin"},
	"METRICS_ENABLED":                                 {nil, "false"},
	"OTEL_SDK_DISABLED":                               {[]string{"OTEL_TRACES_EXPORTER=otlp"}, "true"},
	"OTEL_TRACES_EXPORTER":                            {nil, "otlp"},
	"OTEL_EXPORTER_OTLP_ENDPOINT":                     {nil, "http://collector:4318"},
	"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT":              {nil, "http://collector:4318/v1/traces"},
	"OTEL_EXPORTER_OTLP_HEADERS":                      {[]string{"OTEL_TRACES_EXPORTER=otlp"}, "authorization=Bearer%20t"},
	"OTEL_EXPORTER_OTLP_TRACES_HEADERS":               {[]string{"OTEL_TRACES_EXPORTER=otlp"}, "authorization=Bearer%20t"},
	"OTEL_SERVICE_NAME":                               {nil, "svc"},
	"OTEL_RESOURCE_ATTRIBUTES":                        {nil, "deployment.environment=prod"},
	"OTEL_TRACES_SAMPLER":                             {nil, "always_off"},
	"OTEL_TRACES_SAMPLER_ARG":                         {[]string{"OTEL_TRACES_SAMPLER=traceidratio"}, "0.5"},
	"SQL_ADAPTER_ACTIVE":                              {nil, "false"},
	"SQL_ADAPTER_SQL_DATABASES":                       {nil, `[{"name": "n", "key": "k", "connection_url": "postgresql://u@h/d"}]`},
	"RUNTIME_LOCAL_FILE_ADAPTER_LOCAL_DIRECTORIES":    {nil, `["/mnt/files"]`},
	"RUNTIME_LOCAL_FILE_ADAPTER_GENERIC_DATAFRAME_SINKS": {nil, "false"},
	"HD_KAFKA_CONFIGS":                       {nil, `{"k": {"display_name": "K", "topic": "t"}}`},
	"HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE": {nil, `{"id": "1946d5f8-44a8-724c-176f-16f3e49963af", "wiring": {"input_wirings": []}}`},
	"HETIDA_DESIGNER_ADAPTERS":               {nil, "demo|Demo|http://localhost:8092|http://demo:8092"},
	"EXTERNAL_REQUEST_TIMEOUT":               {nil, "30"},
	"HETIDA_DESIGNER_ADAPTERS_VERIFY_CERTS":  {nil, "false"},
	"ADAPTER_MAX_BYTES":                      {nil, "1000"},
}

// Regression (configuration accepted and then ignored): KAFKA_COMPRESSION and
// compression_type never reached the producer. Every variable, set to another valid value
// than its default, changes what serve makes of the configuration; and whatever
// internal/config accepts, the Kafka source accepts (so that no error names a Go field).
func TestEveryVariableHasAnEffect(t *testing.T) {
	for _, v := range config.Variables() {
		name := v[0]
		s, ok := samples[name]
		if !ok {
			t.Errorf("%s: no sample value in this test; add one", name)
			continue
		}
		before, err := config.Load(s.base)
		if err != nil {
			t.Fatalf("%s: base %v: %v", name, s.base, err)
		}
		after, err := config.Load(append(append([]string(nil), s.base...), name+"="+s.value))
		if err != nil {
			t.Errorf("%s=%s: %v", name, s.value, err)
			continue
		}
		if reflect.DeepEqual(effectOf(before), effectOf(after)) {
			t.Errorf("%s=%s has no effect", name, s.value)
		}
		kc := kafkaConfig(after, append([]string{"127.0.0.1:9092"}, after.Brokers...), nil, nil)
		if _, err := kafka.New(kc); err != nil {
			t.Errorf("%s=%s: accepted by internal/config, refused by the Kafka source: %v", name, s.value, err)
		}
	}
}

// Without any variable, the Kafka source gets exactly its own defaults: the two layers
// agree (regression: balance strategy and max in flight differed).
func TestConfigDefaultsAgreeWithTheKafkaSource(t *testing.T) {
	c, err := config.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	brokers := []string{"127.0.0.1:9092"}
	got := kafkaConfig(c, brokers, nil, nil).WithDefaults()
	want := kafka.Config{Brokers: brokers}.WithDefaults()
	got.Fail, want.Fail, got.Logger, want.Logger = nil, nil, nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("environment defaults differ from the Kafka source's:\n got %+v\nwant %+v", got, want)
	}
}

// Every default in the README's configuration table is the code's (regression: the
// README's defaults and the code's had drifted apart).
func TestREADMEDefaultsAreTheCodes(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([A-Z_]+)` \\|([^|]*)\\|")
	documented := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		documented[m[1]] = strings.Trim(strings.TrimSpace(m[2]), "`")
	}
	for _, v := range config.Variables() {
		got, ok := documented[v[0]]
		if !ok {
			continue // TestREADMEDocumentsEveryVariable reports it
		}
		if got != v[1] {
			t.Errorf("README: %s default %q, code %q", v[0], got, v[1])
		}
	}
}

// Regression: outside Knative a deployment that forgot KAFKA_BROKERS started the in-memory
// development broker and reported ready. Without a terminal (a container, a service) it now
// refuses to start, naming the variables; TRAFOFN_DEV_BROKER decides explicitly.
func TestNoBrokersOutsideATerminalIsAnError(t *testing.T) {
	err := serve(context.Background(), []string{"HTTP_PORT=" + strconv.Itoa(freePort(t))}, io.Discard)
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "KAFKA_BROKERS") || !strings.Contains(err.Error(), "TRAFOFN_DEV_BROKER") {
		t.Fatalf("serve without brokers and without a terminal: %v", err)
	}
	for _, tc := range []struct {
		env         []string
		interactive bool
		want        bool
	}{
		{nil, true, true},
		{nil, false, false},
		{[]string{"KUBERNETES_SERVICE_HOST=10.0.0.1"}, true, false},
		{[]string{"K_SERVICE=svc"}, true, false},
		{[]string{"TRAFOFN_DEV_BROKER=true"}, false, true},
		{[]string{"TRAFOFN_DEV_BROKER=true", "KUBERNETES_SERVICE_HOST=10.0.0.1"}, false, true},
		{[]string{"TRAFOFN_DEV_BROKER=false"}, true, false},
	} {
		c, err := config.Load(tc.env)
		if err != nil {
			t.Fatal(err)
		}
		if got := devBrokerWanted(c, tc.interactive); got != tc.want {
			t.Errorf("%v, interactive %v: dev broker %v, want %v", tc.env, tc.interactive, got, tc.want)
		}
	}
}

// Regression: a broker unreachable at start-up stopped trafofn within 0.75 s (under
// docker-compose the broker may come later), and SIGTERM during a hanging start-up was
// ignored. Now serve waits for the broker, and a SIGTERM meanwhile ends it with status 0.
func TestServeWaitsForKafkaAndStopsOnSIGTERM(t *testing.T) {
	port := freePort(t)
	log := &harness.LogBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, []string{"KAFKA_BROKERS=127.0.0.1:" + strconv.Itoa(freePort(t)), "HTTP_PORT=" + strconv.Itoa(port)}, log)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for strings.Count(log.String(), "not ready yet") < 2 {
		select {
		case err := <-done:
			t.Fatalf("serve gave up on the broker: %v\n%s", err, log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no start-up retries logged:\n%s", log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after SIGTERM during start-up: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve ignored the cancellation during Kafka start-up")
	}
}
