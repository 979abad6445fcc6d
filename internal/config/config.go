// Package config reads trafofn's configuration from the environment (caarlos0/env). It is
// the only reader of the environment, and the one place where values are normalised and
// validated: every value Load accepts is one the sources accept, and every rejection names
// its variable. hetida's variable names are accepted (not its defaults); trafofn's own names
// override them; names hetida's clients take in any case (security protocol, SASL
// mechanism, compression) are taken in any case.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/caarlos0/env/v10"
)

// Config is every setting, with its variable and default in the field tag.
type Config struct {
	// Kafka: hetida's names
	KafkaEnabled    bool   `env:"HETIDA_DESIGNER_KAFKA_ENABLED" envDefault:"true"`
	ConsumerTopic   string `env:"HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC" envDefault:"hd-execution-topic"`
	ResponseTopic   string `env:"HETIDA_DESIGNER_KAFKA_RESPONSE_TOPIC" envDefault:"hd-execution-response-topic"`
	ConsumerOptions string `env:"HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS"`
	ProducerOptions string `env:"HETIDA_DESIGNER_KAFKA_PRODUCER_OPTIONS"`

	// Kafka: native names (override the options JSON)
	Brokers              []string      `env:"KAFKA_BROKERS" envSeparator:","`
	GroupID              string        `env:"KAFKA_GROUP_ID" envDefault:"trafofn"`
	AutoOffsetReset      string        `env:"KAFKA_AUTO_OFFSET_RESET" envDefault:"earliest"`
	DeadLetterTopic      string        `env:"KAFKA_DEAD_LETTER_TOPIC" envDefault:"hd-execution-dead-letter-topic"`
	InFlightPerPartition int           `env:"KAFKA_IN_FLIGHT_PER_PARTITION" envDefault:"1"`
	CommitInterval       time.Duration `env:"KAFKA_COMMIT_INTERVAL" envDefault:"100ms"`
	ExactlyOnce          bool          `env:"KAFKA_EXACTLY_ONCE" envDefault:"false"`
	Partitioner          string        `env:"KAFKA_PARTITIONER" envDefault:"murmur2"`
	BalanceStrategy      string        `env:"KAFKA_BALANCE_STRATEGY" envDefault:"sticky"`
	SessionTimeout       time.Duration `env:"KAFKA_SESSION_TIMEOUT" envDefault:"10s"`
	RebalanceTimeout     time.Duration `env:"KAFKA_REBALANCE_TIMEOUT" envDefault:"90s"`
	StartupTimeout       time.Duration `env:"KAFKA_STARTUP_TIMEOUT" envDefault:"60s"`
	MaxRecordBytes       int           `env:"KAFKA_MAX_RECORD_BYTES" envDefault:"1048576"`
	MaxBatchBytes        int           `env:"KAFKA_MAX_BATCH_BYTES" envDefault:"16777216"`
	MaxMessageBytes      int           `env:"KAFKA_MAX_MESSAGE_BYTES" envDefault:"1048576"`
	ClientID             string        `env:"KAFKA_CLIENT_ID" envDefault:"trafofn"`
	Compression          string        `env:"KAFKA_COMPRESSION" envDefault:"none"`
	Linger               time.Duration `env:"KAFKA_LINGER" envDefault:"0s"`
	ReadAhead            int           `env:"KAFKA_READ_AHEAD" envDefault:"0"`
	ReadAheadBytes       int           `env:"KAFKA_READ_AHEAD_BYTES" envDefault:"4194304"`
	FetchBytes           int           `env:"KAFKA_FETCH_BYTES" envDefault:"262144"`
	MaxLargeInFlight     int           `env:"KAFKA_MAX_LARGE_IN_FLIGHT" envDefault:"0"`
	LargeRecordBytes     int           `env:"KAFKA_LARGE_RECORD_BYTES" envDefault:"65536"`
	SecurityProtocol     string        `env:"KAFKA_SECURITY_PROTOCOL"`
	SASLMechanism        string        `env:"KAFKA_SASL_MECHANISM"`
	SASLUsername         string        `env:"KAFKA_SASL_USERNAME"`
	SASLPassword         string        `env:"KAFKA_SASL_PASSWORD"`
	TLSCAFile            string        `env:"KAFKA_TLS_CA_FILE"`
	TLSCertFile          string        `env:"KAFKA_TLS_CERT_FILE"`
	TLSKeyFile           string        `env:"KAFKA_TLS_KEY_FILE"`
	TLSServerName        string        `env:"KAFKA_TLS_SERVER_NAME"`
	TLSInsecure          bool          `env:"KAFKA_TLS_INSECURE_SKIP_VERIFY" envDefault:"false"`
	DevBroker            string        `env:"TRAFOFN_DEV_BROKER" envDefault:"auto"`
	Kubernetes           string        `env:"KUBERNETES_SERVICE_HOST"`

	// HTTP
	HTTPPort     int    `env:"HTTP_PORT"`
	Port         int    `env:"PORT"`
	KSink        string `env:"K_SINK"`
	KService     string `env:"K_SERVICE"`
	ReplyToKafka bool   `env:"REPLY_TO_KAFKA" envDefault:"false"`
	MaxBodyBytes int64  `env:"HTTP_MAX_BODY_BYTES" envDefault:"67108864"`

	// Execution
	TransformationsDirs  []string      `env:"TRANSFORMATIONS_DIR" envSeparator:":"`
	ExecutionTimeout     time.Duration `env:"EXECUTION_TIMEOUT" envDefault:"60s"`
	MaxPoints            int           `env:"MAX_POINTS" envDefault:"1000000"`
	MaxReplyBytes        int           `env:"MAX_REPLY_BYTES" envDefault:"1000000"`
	MaxInFlight          int           `env:"MAX_IN_FLIGHT" envDefault:"0"`
	UnreadyAfterRunaways int           `env:"UNREADY_AFTER_RUNAWAYS" envDefault:"3"`
	DrainTimeout         time.Duration `env:"DRAIN_TIMEOUT" envDefault:"25s"`
	ReportProcessID      bool          `env:"HD_ADVANCED_PERFORMANCE_MEASUREMENT_INFORMATION" envDefault:"true"`
	ServiceName          string        `env:"SERVICE_NAME"`
	Handler              string        `env:"TRAFOFN_HANDLER" envDefault:"execute"`
	CPUProfile           string        `env:"CPU_PROFILE"`
	ExecutionTrace       string        `env:"EXECUTION_TRACE"`
	KafkaTimingsFile     string        `env:"KAFKA_TIMINGS_FILE"`
	GOGC                 string        `env:"GOGC" envDefault:"200"`
	GCHeapHeadroom       int64         `env:"GC_HEAP_HEADROOM" envDefault:"33554432"`
	LogLevel             string        `env:"LOG_LEVEL" envDefault:"info"`
	LogFormat            string        `env:"LOG_FORMAT" envDefault:"text"`
	// ModelRepoPath is hetida's object store directory (Store Object / Load Object);
	// RDatasetsDir a local copy of the Rdatasets collection (Get R Dataset).
	ModelRepoPath string `env:"MODEL_REPO_PATH"`
	RDatasetsDir  string `env:"RDATASETS_DIR"`

	// HTTP server: timeouts, TLS and hetida's bearer-token authentication (validated in
	// http.go; read by sources/http)
	HTTPReadHeaderTimeout time.Duration `env:"HTTP_READ_HEADER_TIMEOUT" envDefault:"10s"`
	HTTPReadTimeout       time.Duration `env:"HTTP_READ_TIMEOUT" envDefault:"60s"`
	HTTPWriteTimeout      time.Duration `env:"HTTP_WRITE_TIMEOUT" envDefault:"60s"`
	HTTPIdleTimeout       time.Duration `env:"HTTP_IDLE_TIMEOUT" envDefault:"90s"`
	HTTPTLSCertFile       string        `env:"HTTP_TLS_CERT_FILE"`
	HTTPTLSKeyFile        string        `env:"HTTP_TLS_KEY_FILE"`
	UseAuth               bool          `env:"HD_USE_AUTH" envDefault:"false"`
	AuthPublicKeyURL      string        `env:"HD_AUTH_PUBLIC_KEY_URL"`
	AuthAudience          string        `env:"HD_AUTH_AUDIENCE"`
	AuthIssuer            string        `env:"HD_AUTH_ISSUER"`
	AuthAlgorithms        []string      `env:"HD_AUTH_ALLOWED_ALGORITHMS" envSeparator:"," envDefault:"RS256,RS384,RS512,ES256,ES384,ES512"`
	AuthRoleKey           string        `env:"HD_AUTH_ROLE_KEY" envDefault:"roles"`
	AuthAllowedRole       string        `env:"HD_AUTH_ALLOWED_ROLE"`
	// Observability: Prometheus metrics and OpenTelemetry tracing with the standard OTEL_*
	// names (validated in telemetry.go)
	MetricsEnabled       bool   `env:"METRICS_ENABLED" envDefault:"true"`
	OTelSDKDisabled      bool   `env:"OTEL_SDK_DISABLED" envDefault:"false"`
	OTelTracesExporter   string `env:"OTEL_TRACES_EXPORTER"`
	OTelEndpoint         string `env:"OTEL_EXPORTER_OTLP_ENDPOINT"`
	OTelTracesEndpoint   string `env:"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"`
	OTelHeaders          string `env:"OTEL_EXPORTER_OTLP_HEADERS"`
	OTelTracesHeaders    string `env:"OTEL_EXPORTER_OTLP_TRACES_HEADERS"`
	OTelServiceName      string `env:"OTEL_SERVICE_NAME"`
	OTelResourceAttrs    string `env:"OTEL_RESOURCE_ATTRIBUTES"`
	OTelTracesSampler    string `env:"OTEL_TRACES_SAMPLER" envDefault:"parentbased_always_on"`
	OTelTracesSamplerArg string `env:"OTEL_TRACES_SAMPLER_ARG"`

	// SQL is the sql-adapter's configuration (sql.go).
	SQL SQLAdapter
	// The external adapters' configurations (localfile.go, kafka_adapter.go, rest.go).
	LocalFile     LocalFileAdapter
	KafkaAdapter  KafkaAdapter
	REST          RESTAdapters
	AdapterLimits AdapterLimits

	// TLSSkipHostname is hetida's ssl_check_hostname=false: the broker certificate's chain
	// is verified, only its host name is not (what aiokafka does).
	TLSSkipHostname bool `env:"-"`

	// Ignored lists hetida option keys that were accepted but have no effect here.
	Ignored []string `env:"-"`

	// Derived by Load from the security settings: whether to use TLS and SASL.
	TLS, SASL bool `env:"-"`

	set map[string]bool // variables present in the environment
}

// Values of TRAFOFN_DEV_BROKER.
const (
	DevBrokerAuto = "auto" // only in a terminal, never under Knative or Kubernetes
	DevBrokerOn   = "true"
	DevBrokerOff  = "false"
)

// Error is an invalid setting; its message names the variable.
type Error struct {
	Var string
	Msg string
}

func (e *Error) Error() string { return e.Var + ": " + e.Msg }

// Load reads the configuration from environ (os.Environ() format) and validates it.
func Load(environ []string) (*Config, error) {
	c := &Config{}
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	if err := env.ParseWithOptions(c, env.Options{Environment: m}); err != nil {
		return nil, describe(err)
	}
	c.set = make(map[string]bool, len(m))
	for k := range m {
		c.set[k] = true
	}
	c.Brokers = splitList(strings.Join(c.Brokers, ","))
	if err := c.applyOptions(); err != nil {
		return nil, err
	}
	c.normalise()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// normalise puts the names that are case-insensitive into their canonical case.
func (c *Config) normalise() {
	c.AutoOffsetReset = strings.ToLower(strings.TrimSpace(c.AutoOffsetReset))
	c.Partitioner = strings.ToLower(strings.TrimSpace(c.Partitioner))
	c.BalanceStrategy = strings.ToLower(strings.TrimSpace(c.BalanceStrategy))
	c.Compression = strings.ToLower(strings.TrimSpace(c.Compression))
	c.SecurityProtocol = strings.ToUpper(strings.TrimSpace(c.SecurityProtocol))
	c.SASLMechanism = strings.ToUpper(strings.TrimSpace(c.SASLMechanism))
	c.DevBroker = strings.ToLower(strings.TrimSpace(c.DevBroker))
	c.LogLevel = strings.ToLower(c.LogLevel)
	c.LogFormat = strings.ToLower(c.LogFormat)
	switch c.DevBroker {
	case "1", "on", "yes":
		c.DevBroker = DevBrokerOn
	case "0", "off", "no":
		c.DevBroker = DevBrokerOff
	}
	if c.Compression == "" {
		c.Compression = "none"
	}
}

// describe turns env's errors into one error naming the variable.
func describe(err error) error {
	var agg env.AggregateError
	if errors.As(err, &agg) && len(agg.Errors) > 0 {
		err = agg.Errors[0]
	}
	var pe env.ParseError
	if errors.As(err, &pe) {
		for _, f := range fields(reflect.TypeOf(Config{})) {
			if f.Name == pe.Name {
				name, _, _ := strings.Cut(f.Tag.Get("env"), ",")
				return &Error{Var: name, Msg: fmt.Sprintf("not a valid %s: %v", kind(f.Type), errors.Unwrap(pe.Err))}
			}
		}
	}
	return err
}

// fields lists the struct fields of t with their variables, those of nested settings
// structs (such as SQL) included.
func fields(t reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type.Kind() == reflect.Struct && f.Tag.Get("env") == "" && f.Type != reflect.TypeOf(time.Duration(0)) {
			out = append(out, fields(f.Type)...)
			continue
		}
		out = append(out, f)
	}
	return out
}

func kind(t reflect.Type) string {
	switch {
	case t == reflect.TypeOf(time.Duration(0)):
		return "duration (e.g. 60s, 100ms)"
	case t.Kind() == reflect.Bool:
		return "boolean (true/false)"
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64:
		return "integer"
	}
	return t.String()
}

// applyOptions maps hetida's consumer/producer options JSON (aiokafka keyword arguments)
// onto the native settings that were not set explicitly.
func (c *Config) applyOptions() error {
	for _, src := range []struct{ name, raw string }{
		{"HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS", c.ConsumerOptions},
		{"HETIDA_DESIGNER_KAFKA_PRODUCER_OPTIONS", c.ProducerOptions},
	} {
		if strings.TrimSpace(src.raw) == "" {
			continue
		}
		var opts map[string]any
		if err := json.Unmarshal([]byte(src.raw), &opts); err != nil {
			return &Error{Var: src.name, Msg: "not a JSON object: " + err.Error()}
		}
		keys := make([]string, 0, len(opts))
		for k := range opts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := c.applyOption(src.name, k, opts[k]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *Config) applyOption(varName, key string, v any) error {
	str := func() (string, error) {
		s, ok := v.(string)
		if !ok {
			return "", &Error{Var: varName, Msg: fmt.Sprintf("%s must be a string", key)}
		}
		return s, nil
	}
	// setStr applies an option unless its native variable was set (or an earlier option
	// already applied, the consumer options coming first).
	applied := c.set
	setStr := func(native string, dst *string) error {
		s, err := str()
		if err == nil && !applied[native] {
			*dst = s
			applied[native] = true
		}
		return err
	}
	switch key {
	case "bootstrap_servers":
		if len(c.Brokers) > 0 {
			return nil
		}
		switch x := v.(type) {
		case string:
			c.Brokers = splitList(x)
		case []any:
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return &Error{Var: varName, Msg: "bootstrap_servers must be a string or a list of strings"}
				}
				c.Brokers = append(c.Brokers, s)
			}
		default:
			return &Error{Var: varName, Msg: "bootstrap_servers must be a string or a list of strings"}
		}
	case "group_id":
		return setStr("KAFKA_GROUP_ID", &c.GroupID)
	case "auto_offset_reset":
		return setStr("KAFKA_AUTO_OFFSET_RESET", &c.AutoOffsetReset)
	case "client_id":
		return setStr("KAFKA_CLIENT_ID", &c.ClientID)
	case "compression_type":
		if v == nil { // aiokafka's default: no compression
			return nil
		}
		return setStr("KAFKA_COMPRESSION", &c.Compression)
	case "linger_ms":
		ms, ok := v.(float64)
		if !ok || ms < 0 {
			return &Error{Var: varName, Msg: "linger_ms must be a non-negative number"}
		}
		if !applied["KAFKA_LINGER"] {
			c.Linger = time.Duration(ms * float64(time.Millisecond))
			applied["KAFKA_LINGER"] = true
		}
	case "security_protocol":
		return setStr("KAFKA_SECURITY_PROTOCOL", &c.SecurityProtocol)
	case "sasl_mechanism":
		return setStr("KAFKA_SASL_MECHANISM", &c.SASLMechanism)
	case "sasl_plain_username":
		return setStr("KAFKA_SASL_USERNAME", &c.SASLUsername)
	case "sasl_plain_password":
		return setStr("KAFKA_SASL_PASSWORD", &c.SASLPassword)
	case "ssl_cafile":
		return setStr("KAFKA_TLS_CA_FILE", &c.TLSCAFile)
	case "ssl_certfile":
		return setStr("KAFKA_TLS_CERT_FILE", &c.TLSCertFile)
	case "ssl_keyfile":
		return setStr("KAFKA_TLS_KEY_FILE", &c.TLSKeyFile)
	case "ssl_check_hostname":
		if b, ok := v.(bool); ok && !b {
			c.TLSSkipHostname = true
		}
	case "enable_auto_commit", "auto_commit_interval_ms":
		c.Ignored = append(c.Ignored, varName+"."+key+" (trafofn commits only what it has answered; see KAFKA_COMMIT_INTERVAL)")
	default:
		c.Ignored = append(c.Ignored, varName+"."+key)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Validate checks values that parse but make no sense, and everything the sources would
// refuse, so that their errors never reach the user naming a Go field. It also fills the
// defaults that depend on other values (MAX_IN_FLIGHT 0, the SASL mechanism of the SASL_*
// protocols) and derives TLS and SASL.
func (c *Config) Validate() error {
	if c.AutoOffsetReset == "" {
		c.AutoOffsetReset = "earliest"
	}
	if c.GroupID == "" {
		c.GroupID = "trafofn"
	}
	if c.ClientID == "" {
		c.ClientID = "trafofn"
	}
	if c.Compression == "" {
		c.Compression = "none"
	}
	switch c.AutoOffsetReset {
	case "earliest", "latest":
	default:
		return &Error{Var: "KAFKA_AUTO_OFFSET_RESET", Msg: fmt.Sprintf("must be earliest or latest, got %q", c.AutoOffsetReset)}
	}
	switch c.Partitioner {
	case "murmur2", "crc32":
	default:
		return &Error{Var: "KAFKA_PARTITIONER", Msg: fmt.Sprintf("must be murmur2 (Java clients) or crc32 (librdkafka), got %q", c.Partitioner)}
	}
	switch c.BalanceStrategy {
	case "sticky", "cooperative-sticky", "range", "roundrobin":
	default:
		return &Error{Var: "KAFKA_BALANCE_STRATEGY", Msg: fmt.Sprintf("must be sticky, cooperative-sticky, range or roundrobin, got %q", c.BalanceStrategy)}
	}
	switch c.Compression {
	case "none", "gzip", "snappy", "lz4", "zstd":
	default:
		return &Error{Var: "KAFKA_COMPRESSION", Msg: fmt.Sprintf("must be none, gzip, snappy, lz4 or zstd, got %q", c.Compression)}
	}
	switch c.DevBroker {
	case DevBrokerAuto, DevBrokerOn, DevBrokerOff:
	default:
		return &Error{Var: "TRAFOFN_DEV_BROKER", Msg: fmt.Sprintf("must be auto, true or false, got %q", c.DevBroker)}
	}
	if err := c.security(); err != nil {
		return err
	}
	if err := c.kafkaNames(); err != nil {
		return err
	}
	positive := []struct {
		name string
		v    int64
	}{
		{"KAFKA_IN_FLIGHT_PER_PARTITION", int64(c.InFlightPerPartition)},
		{"KAFKA_MAX_RECORD_BYTES", int64(c.MaxRecordBytes)},
		{"KAFKA_MAX_BATCH_BYTES", int64(c.MaxBatchBytes)},
		{"KAFKA_MAX_MESSAGE_BYTES", int64(c.MaxMessageBytes)},
		{"KAFKA_FETCH_BYTES", int64(c.FetchBytes)},
		{"KAFKA_LARGE_RECORD_BYTES", int64(c.LargeRecordBytes)},
		{"KAFKA_READ_AHEAD_BYTES", int64(c.ReadAheadBytes)},
		{"KAFKA_COMMIT_INTERVAL", int64(c.CommitInterval)},
		{"EXECUTION_TIMEOUT", int64(c.ExecutionTimeout)},
		{"KAFKA_SESSION_TIMEOUT", int64(c.SessionTimeout)},
		{"KAFKA_REBALANCE_TIMEOUT", int64(c.RebalanceTimeout)},
		{"KAFKA_STARTUP_TIMEOUT", int64(c.StartupTimeout)},
		{"DRAIN_TIMEOUT", int64(c.DrainTimeout)},
		{"HTTP_MAX_BODY_BYTES", c.MaxBodyBytes},
	}
	if c.GCHeapHeadroom < 0 {
		return &Error{Var: "GC_HEAP_HEADROOM", Msg: fmt.Sprintf("must not be negative (0: none), got %d", c.GCHeapHeadroom)}
	}
	for _, p := range positive {
		if p.v <= 0 {
			return &Error{Var: p.name, Msg: "must be positive"}
		}
	}
	// the Kafka source's limits (sources/kafka Config.Validate)
	switch {
	case c.MaxMessageBytes < minMessageBytes:
		return &Error{Var: "KAFKA_MAX_MESSAGE_BYTES", Msg: fmt.Sprintf("must be at least %d (a failure reply and a dead letter's headers must fit), got %d", minMessageBytes, c.MaxMessageBytes)}
	case c.MaxMessageBytes >= maxRequestBytes:
		return &Error{Var: "KAFKA_MAX_MESSAGE_BYTES", Msg: fmt.Sprintf("must be below %d (the largest produce request), got %d", maxRequestBytes, c.MaxMessageBytes)}
	case c.MaxBatchBytes < c.MaxRecordBytes:
		return &Error{Var: "KAFKA_MAX_BATCH_BYTES", Msg: fmt.Sprintf("must be at least KAFKA_MAX_RECORD_BYTES (%d), got %d", c.MaxRecordBytes, c.MaxBatchBytes)}
	case c.Linger < 0 || c.Linger > time.Second:
		return &Error{Var: "KAFKA_LINGER", Msg: fmt.Sprintf("must be between 0s and 1s (every reply may wait that long), got %s", c.Linger)}
	}
	for _, p := range []struct {
		name string
		v    int
	}{{"MAX_POINTS", c.MaxPoints}, {"MAX_REPLY_BYTES", c.MaxReplyBytes}, {"MAX_IN_FLIGHT", c.MaxInFlight}, {"UNREADY_AFTER_RUNAWAYS", c.UnreadyAfterRunaways}, {"KAFKA_READ_AHEAD", c.ReadAhead}} {
		if p.v < 0 {
			return &Error{Var: p.name, Msg: "must not be negative (0 means no limit)"}
		}
	}
	if c.MaxInFlight == 0 {
		c.MaxInFlight = 4 * runtime.GOMAXPROCS(0)
	}
	if c.MaxLargeInFlight < 0 {
		return &Error{Var: "KAFKA_MAX_LARGE_IN_FLIGHT", Msg: fmt.Sprintf("must not be negative (0: one per core but one, at least 1), got %d", c.MaxLargeInFlight)}
	}
	if c.ReadAhead != 0 && c.ReadAhead < c.InFlightPerPartition {
		return &Error{Var: "KAFKA_READ_AHEAD", Msg: fmt.Sprintf("must be at least KAFKA_IN_FLIGHT_PER_PARTITION (%d), got %d", c.InFlightPerPartition, c.ReadAhead)}
	}
	for _, p := range []struct {
		name string
		v    int
	}{{"HTTP_PORT", c.HTTPPort}, {"PORT", c.Port}} {
		if p.v < 0 || p.v > 65535 {
			return &Error{Var: p.name, Msg: fmt.Sprintf("must be a port number, got %d", p.v)}
		}
	}
	if c.ExecutionTimeout+5*time.Second > c.RebalanceTimeout {
		return &Error{Var: "EXECUTION_TIMEOUT", Msg: fmt.Sprintf("%s must stay at least 5s below KAFKA_REBALANCE_TIMEOUT (%s): a revoked partition waits for its executions", c.ExecutionTimeout, c.RebalanceTimeout)}
	}
	if c.CommitInterval > 10*time.Second {
		return &Error{Var: "KAFKA_COMMIT_INTERVAL", Msg: "must be at most 10s: a crash replays everything answered since the last commit"}
	}
	if c.SessionTimeout < 3*time.Millisecond {
		return &Error{Var: "KAFKA_SESSION_TIMEOUT", Msg: "must be at least 3ms (heartbeats go at a third of it)"}
	}
	if c.KSink != "" && c.ReplyToKafka {
		return &Error{Var: "REPLY_TO_KAFKA", Msg: "choose one reply destination: K_SINK is set"}
	}
	if c.GOGC != "off" {
		if n, err := strconv.Atoi(c.GOGC); err != nil || n < 0 {
			return &Error{Var: "GOGC", Msg: fmt.Sprintf("must be a non-negative integer or off, got %q", c.GOGC)}
		}
	}
	switch c.Handler {
	case "execute", "echo":
	default:
		return &Error{Var: "TRAFOFN_HANDLER", Msg: fmt.Sprintf("must be execute or echo (the benchmark baseline), got %q", c.Handler)}
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return &Error{Var: "LOG_LEVEL", Msg: fmt.Sprintf("must be debug, info, warn or error, got %q", c.LogLevel)}
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return &Error{Var: "LOG_FORMAT", Msg: fmt.Sprintf("must be text or json, got %q", c.LogFormat)}
	}
	if err := c.validateTelemetry(); err != nil {
		return err
	}
	if err := c.validateSQL(); err != nil {
		return err
	}
	if err := c.validateAdapters(); err != nil {
		return err
	}
	return c.validateHTTP()
}

// Limits of the Kafka source that the environment must respect (sources/kafka).
const (
	minMessageBytes = 8 << 10
	maxRequestBytes = 100 << 20
)

// security derives TLS and SASL from KAFKA_SECURITY_PROTOCOL and the TLS and SASL settings,
// as aiokafka reads them: SSL and SASL_SSL use TLS, SASL_PLAINTEXT and SASL_SSL use SASL
// with the mechanism PLAIN unless another is set. Without a protocol, TLS settings turn TLS
// on and a mechanism turns SASL on. Settings the protocol would not use are refused rather
// than ignored.
func (c *Config) security() error {
	tlsVar := ""
	for _, v := range []struct {
		name string
		set  bool
	}{
		{"KAFKA_TLS_CA_FILE", c.TLSCAFile != ""}, {"KAFKA_TLS_CERT_FILE", c.TLSCertFile != ""}, {"KAFKA_TLS_KEY_FILE", c.TLSKeyFile != ""},
		{"KAFKA_TLS_SERVER_NAME", c.TLSServerName != ""}, {"KAFKA_TLS_INSECURE_SKIP_VERIFY", c.TLSInsecure},
	} {
		if v.set && tlsVar == "" {
			tlsVar = v.name
		}
	}
	saslVar := ""
	switch {
	case c.SASLMechanism != "":
		saslVar = "KAFKA_SASL_MECHANISM"
	case c.SASLUsername != "":
		saslVar = "KAFKA_SASL_USERNAME"
	case c.SASLPassword != "":
		saslVar = "KAFKA_SASL_PASSWORD"
	}
	switch c.SASLMechanism {
	case "", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
	default:
		return &Error{Var: "KAFKA_SASL_MECHANISM", Msg: fmt.Sprintf("must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got %q", c.SASLMechanism)}
	}
	switch c.SecurityProtocol {
	case "":
		c.TLS = tlsVar != ""
		if saslVar != "" && c.SASLMechanism == "" {
			return &Error{Var: "KAFKA_SASL_MECHANISM", Msg: fmt.Sprintf("required with %s (or set KAFKA_SECURITY_PROTOCOL=SASL_SSL or SASL_PLAINTEXT for PLAIN)", saslVar)}
		}
		c.SASL = saslVar != ""
	case "PLAINTEXT", "SSL":
		c.TLS = c.SecurityProtocol == "SSL"
		if !c.TLS && tlsVar != "" {
			return &Error{Var: "KAFKA_SECURITY_PROTOCOL", Msg: fmt.Sprintf("PLAINTEXT, but %s is set: use SSL or SASL_SSL for TLS", tlsVar)}
		}
		if saslVar != "" {
			return &Error{Var: "KAFKA_SECURITY_PROTOCOL", Msg: fmt.Sprintf("%s uses no SASL, but %s is set: use SASL_SSL or SASL_PLAINTEXT", c.SecurityProtocol, saslVar)}
		}
	case "SASL_PLAINTEXT", "SASL_SSL":
		c.TLS, c.SASL = c.SecurityProtocol == "SASL_SSL", true
		if !c.TLS && tlsVar != "" {
			return &Error{Var: "KAFKA_SECURITY_PROTOCOL", Msg: fmt.Sprintf("SASL_PLAINTEXT, but %s is set: use SASL_SSL for TLS", tlsVar)}
		}
		if c.SASLMechanism == "" {
			c.SASLMechanism = "PLAIN" // aiokafka's default sasl_mechanism
		}
	default:
		return &Error{Var: "KAFKA_SECURITY_PROTOCOL", Msg: fmt.Sprintf("must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got %q", c.SecurityProtocol)}
	}
	if c.SASL && c.SASLUsername == "" {
		return &Error{Var: "KAFKA_SASL_USERNAME", Msg: fmt.Sprintf("required with SASL (mechanism %s)", c.SASLMechanism)}
	}
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		return &Error{Var: "KAFKA_TLS_KEY_FILE", Msg: "KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together"}
	}
	return nil
}

// kafkaNames checks brokers and topics as the Kafka source does.
func (c *Config) kafkaNames() error {
	brokersVar := "KAFKA_BROKERS"
	if !c.set["KAFKA_BROKERS"] {
		brokersVar = "KAFKA_BROKERS (bootstrap_servers)"
	}
	for _, b := range c.Brokers {
		host, port, err := net.SplitHostPort(b)
		if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n <= 0 || n > 65535 {
			return &Error{Var: brokersVar, Msg: fmt.Sprintf("%q is not host:port", b)}
		}
	}
	for _, t := range []struct{ name, v string }{
		{"HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC", c.ConsumerTopic},
		{"HETIDA_DESIGNER_KAFKA_RESPONSE_TOPIC", c.ResponseTopic},
		{"KAFKA_DEAD_LETTER_TOPIC", c.DeadLetterTopic},
	} {
		if t.v == "" || len(t.v) > 249 || strings.ContainsAny(t.v, " \t,/\\") {
			return &Error{Var: t.name, Msg: fmt.Sprintf("%q is not a valid topic name", t.v)}
		}
	}
	if c.ConsumerTopic == c.ResponseTopic || c.ConsumerTopic == c.DeadLetterTopic {
		return &Error{Var: "HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC", Msg: fmt.Sprintf("%q must differ from the response and dead-letter topics (replies would loop)", c.ConsumerTopic)}
	}
	return nil
}

// UnderKubernetes reports whether KUBERNETES_SERVICE_HOST is set (inside a pod).
func (c *Config) UnderKubernetes() bool { return c.Kubernetes != "" }

// GCPercent is the garbage collector's target (GOGC): trafofn's default 200 instead of
// Go's 100, because a request-serving heap stays small (a few MB) and collecting it
// a hundred times a second costs tail latency; -1 for off.
func (c *Config) GCPercent() int {
	if c.GOGC == "off" {
		return -1
	}
	n, _ := strconv.Atoi(c.GOGC)
	return n
}

// HTTPListenPort is HTTP_PORT, else PORT (as Knative sets it), else 8080.
func (c *Config) HTTPListenPort() int {
	switch {
	case c.HTTPPort > 0:
		return c.HTTPPort
	case c.Port > 0:
		return c.Port
	}
	return 8080
}

// Service is the service name for reply sources: SERVICE_NAME, else K_SERVICE, else trafofn.
func (c *Config) Service() string {
	switch {
	case c.ServiceName != "":
		return c.ServiceName
	case c.KService != "":
		return c.KService
	}
	return "trafofn"
}

// UnderKnative reports whether K_SERVICE is set.
func (c *Config) UnderKnative() bool { return c.KService != "" }

// Logger builds the process logger.
func (c *Config) Logger(w interface{ Write([]byte) (int, error) }) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: lvl}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Variables lists every variable with its default, for the README and -h.
func Variables() [][2]string {
	var out [][2]string
	for _, f := range fields(reflect.TypeOf(Config{})) {
		name, _, _ := strings.Cut(f.Tag.Get("env"), ",")
		if name == "" || name == "-" {
			continue
		}
		out = append(out, [2]string{name, f.Tag.Get("envDefault")})
	}
	return out
}
