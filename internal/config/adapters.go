package config

import (
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// LocalFileAdapter is the local-file-adapter's configuration, with hetida's variables.
type LocalFileAdapter struct {
	// DirsJSON is hetida's JSON list of directories; Load parses it into Dirs. hetida's
	// default is its test directory; trafofn's is none.
	DirsJSON     string `env:"RUNTIME_LOCAL_FILE_ADAPTER_LOCAL_DIRECTORIES" envDefault:"[]"`
	GenericSinks bool   `env:"RUNTIME_LOCAL_FILE_ADAPTER_GENERIC_DATAFRAME_SINKS" envDefault:"true"`

	Dirs []string `env:"-"`
}

// KafkaAdapter is the Kafka adapter's configuration and the Kafka consumption mode.
type KafkaAdapter struct {
	// ConfigsJSON is hetida's JSON object of Kafka configs; Load parses it into Configs.
	ConfigsJSON string `env:"HD_KAFKA_CONFIGS" envDefault:"{}"`
	// ConsumptionModeJSON is hetida's {"id", "wiring", "run_pure_plot_operators"}; Load
	// parses it into ConsumptionMode.
	ConsumptionModeJSON string `env:"HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE"`

	Configs         map[string]KafkaAdapterConfig `env:"-"`
	ConsumptionMode *ConsumptionMode              `env:"-"`
}

// KafkaAdapterConfig is one entry of HD_KAFKA_CONFIGS (hetida's KafkaConfig) with the
// aiokafka options of its kafka_cluster_config, consumer_config and producer_config
// resolved.
type KafkaAdapterConfig struct {
	DisplayName string
	Topic       string
	// Brokers are bootstrap_servers (nil: trafofn's own brokers).
	Brokers []string
	// Types as given (nil: all); main checks and canonicalises them.
	Types      []string
	Producable bool
	Consumable bool
	GroupID    string
	// OffsetReset is auto_offset_reset, "earliest", "latest" or "" (not given).
	OffsetReset string
	ClientID    string
	Compression string
	// Security is the connection's TLS and SASL; Secured tells whether any security
	// option was given (else trafofn's own settings apply with its own brokers).
	Security KafkaSecurity
	Secured  bool
	// Ignored lists options accepted without effect.
	Ignored []string
}

// KafkaSecurity are aiokafka's security options of a Kafka config. Password is a
// credential: never log it.
type KafkaSecurity struct {
	TLS                                       bool
	TLSCAFile, TLSCertFile, TLSKeyFile        string
	TLSSkipHostname                           bool
	SASLMechanism, SASLUsername, SASLPassword string
}

// ConsumptionMode is HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE: the transformation and the
// wiring run for every message.
type ConsumptionMode struct {
	ID                   string
	Wiring               json.RawMessage
	RunPurePlotOperators bool
}

// RESTAdapters are the generic REST adapters and the settings of external requests.
type RESTAdapters struct {
	// List is hetida's "id|name|url|internalUrl,…"; Load parses it into Listed.
	List        string `env:"HETIDA_DESIGNER_ADAPTERS"`
	TimeoutText string `env:"EXTERNAL_REQUEST_TIMEOUT" envDefault:"90"`
	VerifyCerts bool   `env:"HETIDA_DESIGNER_ADAPTERS_VERIFY_CERTS" envDefault:"true"`

	Listed  []ListedAdapter `env:"-"`
	Timeout time.Duration   `env:"-"`
}

// ListedAdapter is one entry of HETIDA_DESIGNER_ADAPTERS.
type ListedAdapter struct{ ID, Name, URL, InternalURL string }

// AdapterLimits bound what one adapter reads for one input.
type AdapterLimits struct {
	// MaxBytes bounds a file (decompressed) or a REST response.
	MaxBytes int64 `env:"ADAPTER_MAX_BYTES" envDefault:"1073741824"`
}

// validateAdapters parses and checks the adapters' JSON settings.
func (c *Config) validateAdapters() error {
	if err := json.Unmarshal([]byte(orDefault(c.LocalFile.DirsJSON, "[]")), &c.LocalFile.Dirs); err != nil {
		return &Error{Var: "RUNTIME_LOCAL_FILE_ADAPTER_LOCAL_DIRECTORIES", Msg: `must be a JSON list of directories, e.g. ["/mnt/files"]: ` + err.Error()}
	}
	for _, d := range c.LocalFile.Dirs {
		if strings.TrimSpace(d) == "" {
			return &Error{Var: "RUNTIME_LOCAL_FILE_ADAPTER_LOCAL_DIRECTORIES", Msg: "must not list an empty directory"}
		}
	}
	if c.AdapterLimits.MaxBytes <= 0 {
		return &Error{Var: "ADAPTER_MAX_BYTES", Msg: "must be positive"}
	}
	if err := c.parseRESTAdapters(); err != nil {
		return err
	}
	if err := c.parseKafkaConfigs(); err != nil {
		return err
	}
	return c.parseConsumptionMode()
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// parseRESTAdapters reads HETIDA_DESIGNER_ADAPTERS and EXTERNAL_REQUEST_TIMEOUT.
func (c *Config) parseRESTAdapters() error {
	r := &c.REST
	t := strings.TrimSpace(r.TimeoutText)
	if n, err := strconv.ParseFloat(t, 64); err == nil {
		r.Timeout = time.Duration(n * float64(time.Second))
	} else if d, err := time.ParseDuration(t); err == nil {
		r.Timeout = d
	} else {
		return &Error{Var: "EXTERNAL_REQUEST_TIMEOUT", Msg: fmt.Sprintf("must be seconds (hetida's integer) or a duration such as 90s, got %q", r.TimeoutText)}
	}
	if r.Timeout <= 0 {
		return &Error{Var: "EXTERNAL_REQUEST_TIMEOUT", Msg: "must be positive"}
	}
	r.Listed = nil
	if strings.TrimSpace(r.List) == "" {
		return nil
	}
	seen := map[string]bool{}
	for _, entry := range strings.Split(r.List, ",") {
		p := strings.Split(entry, "|")
		if len(p) != 4 {
			return &Error{Var: "HETIDA_DESIGNER_ADAPTERS", Msg: fmt.Sprintf(`must be "id|name|url|internalUrl,id2|name2|url2|internalUrl2,...", got the entry %q`, redactEntry(entry))}
		}
		a := ListedAdapter{ID: strings.TrimSpace(p[0]), Name: p[1], URL: strings.TrimSpace(p[2]), InternalURL: strings.TrimSpace(p[3])}
		if a.ID == "" {
			return &Error{Var: "HETIDA_DESIGNER_ADAPTERS", Msg: "an entry has an empty id"}
		}
		if seen[a.ID] {
			return &Error{Var: "HETIDA_DESIGNER_ADAPTERS", Msg: fmt.Sprintf("the id %q is listed twice", a.ID)}
		}
		seen[a.ID] = true
		r.Listed = append(r.Listed, a)
	}
	return nil
}

// redactEntry hides passwords in URLs of an entry quoted in an error.
func redactEntry(entry string) string {
	p := strings.Split(entry, "|")
	for i, s := range p {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.User != nil {
			p[i] = u.Redacted()
		}
	}
	return strings.Join(p, "|")
}

// kafkaConfigJSON is a KafkaConfig as hetida reads it (unknown keys ignored, as pydantic
// does).
type kafkaConfigJSON struct {
	DisplayName        *string        `json:"display_name"`
	Topic              *string        `json:"topic"`
	KafkaClusterConfig map[string]any `json:"kafka_cluster_config"`
	Types              *[]string      `json:"types"`
	Producable         *bool          `json:"producable"`
	Consumable         *bool          `json:"consumable"`
	ProducerConfig     map[string]any `json:"producer_config"`
	ConsumerConfig     map[string]any `json:"consumer_config"`
	// hetida's commit and error-handling switches of the consumption mode: trafofn
	// commits after the outputs were acknowledged and goes on after failures, always.
	CommitAfter          *bool `json:"consumer_commit_after"`
	CommitBefore         *bool `json:"consumer_commit_before"`
	StopAfterException   *bool `json:"call_consumer_stop_method_after_exception"`
	ContinueAfterFailure *bool `json:"continue_consumption_after_exception"`
}

// parseKafkaConfigs reads HD_KAFKA_CONFIGS.
func (c *Config) parseKafkaConfigs() error {
	const v = "HD_KAFKA_CONFIGS"
	var raw map[string]kafkaConfigJSON
	if err := json.Unmarshal([]byte(orDefault(c.KafkaAdapter.ConfigsJSON, "{}")), &raw); err != nil {
		return &Error{Var: v, Msg: "must be a JSON object of Kafka configs: " + err.Error()}
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	c.KafkaAdapter.Configs = make(map[string]KafkaAdapterConfig, len(raw))
	for _, key := range keys {
		j := raw[key]
		at := func(format string, args ...any) error {
			return &Error{Var: v, Msg: fmt.Sprintf("config %q: ", key) + fmt.Sprintf(format, args...)}
		}
		if key == "" {
			return &Error{Var: v, Msg: "a config has an empty key"}
		}
		if j.DisplayName == nil || *j.DisplayName == "" {
			return at("display_name is required")
		}
		if j.Topic == nil || *j.Topic == "" {
			return at("topic is required")
		}
		if t := *j.Topic; len(t) > 249 || strings.ContainsAny(t, " \t,/\\") {
			return at("%q is not a valid topic name", t)
		}
		kc := KafkaAdapterConfig{DisplayName: *j.DisplayName, Topic: *j.Topic, Producable: true}
		if j.Types != nil {
			kc.Types = append([]string{}, *j.Types...)
		}
		if j.Producable != nil {
			kc.Producable = *j.Producable
		}
		if j.Consumable != nil {
			kc.Consumable = *j.Consumable
		}
		for _, sw := range []struct {
			name string
			set  *bool
		}{{"consumer_commit_after", j.CommitAfter}, {"consumer_commit_before", j.CommitBefore},
			{"call_consumer_stop_method_after_exception", j.StopAfterException}, {"continue_consumption_after_exception", j.ContinueAfterFailure}} {
			if sw.set != nil {
				kc.Ignored = append(kc.Ignored, fmt.Sprintf("%s.%s.%s (trafofn commits a message after its outputs and reply were acknowledged, and goes on after failures)", v, key, sw.name))
			}
		}
		// the consumer's options, then the producer's, then the cluster's: the first
		// that gives an option wins
		for _, src := range []struct {
			name string
			opts map[string]any
		}{{"consumer_config", j.ConsumerConfig}, {"producer_config", j.ProducerConfig}, {"kafka_cluster_config", j.KafkaClusterConfig}} {
			names := make([]string, 0, len(src.opts))
			for n := range src.opts {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				if err := kc.applyOption(src.name, n, src.opts[n]); err != nil {
					return at("%v", err)
				}
			}
		}
		for _, b := range kc.Brokers {
			host, port, err := net.SplitHostPort(b)
			if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n <= 0 || n > 65535 {
				return at("bootstrap_servers: %q is not host:port", b)
			}
		}
		if err := kc.checkSecurity(); err != nil {
			return at("%v", err)
		}
		c.KafkaAdapter.Configs[key] = kc
	}
	return nil
}

// applyOption applies one aiokafka option of section (consumer_config, …) unless an
// earlier section gave it.
func (kc *KafkaAdapterConfig) applyOption(section, name string, v any) error {
	str := func(dst *string) error {
		if *dst != "" {
			return nil
		}
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s.%s must be a string", section, name)
		}
		*dst = s
		return nil
	}
	sec := &kc.Security
	switch name {
	case "bootstrap_servers":
		if len(kc.Brokers) > 0 {
			return nil
		}
		switch x := v.(type) {
		case string:
			kc.Brokers = splitList(x)
		case []any:
			for _, e := range x {
				s, ok := e.(string)
				if !ok {
					return fmt.Errorf("%s.bootstrap_servers must be a string or a list of strings", section)
				}
				kc.Brokers = append(kc.Brokers, s)
			}
		default:
			return fmt.Errorf("%s.bootstrap_servers must be a string or a list of strings", section)
		}
	case "group_id":
		if section != "consumer_config" {
			kc.Ignored = append(kc.Ignored, section+"."+name)
			return nil
		}
		return str(&kc.GroupID)
	case "auto_offset_reset":
		if err := str(&kc.OffsetReset); err != nil {
			return err
		}
		kc.OffsetReset = strings.ToLower(kc.OffsetReset)
		if kc.OffsetReset != "earliest" && kc.OffsetReset != "latest" {
			return fmt.Errorf("%s.auto_offset_reset must be earliest or latest, got %q", section, kc.OffsetReset)
		}
	case "client_id":
		return str(&kc.ClientID)
	case "compression_type":
		if v == nil {
			return nil
		}
		if err := str(&kc.Compression); err != nil {
			return err
		}
		kc.Compression = strings.ToLower(kc.Compression)
		switch kc.Compression {
		case "none", "gzip", "snappy", "lz4", "zstd":
		default:
			return fmt.Errorf("%s.compression_type must be gzip, snappy, lz4, zstd or null, got %q", section, kc.Compression)
		}
	case "security_protocol":
		var p string
		if err := str(&p); err != nil {
			return err
		}
		kc.Secured = true
		switch strings.ToUpper(p) {
		case "PLAINTEXT":
		case "SSL":
			sec.TLS = true
		case "SASL_PLAINTEXT":
			if sec.SASLMechanism == "" {
				sec.SASLMechanism = "PLAIN"
			}
		case "SASL_SSL":
			sec.TLS = true
			if sec.SASLMechanism == "" {
				sec.SASLMechanism = "PLAIN"
			}
		default:
			return fmt.Errorf("%s.security_protocol must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got %q", section, p)
		}
	case "sasl_mechanism":
		var m string
		if err := str(&m); err != nil {
			return err
		}
		kc.Secured = true
		sec.SASLMechanism = strings.ToUpper(m)
	case "sasl_plain_username":
		kc.Secured = true
		return str(&sec.SASLUsername)
	case "sasl_plain_password":
		kc.Secured = true
		return str(&sec.SASLPassword)
	case "ssl_cafile":
		kc.Secured, sec.TLS = true, true
		return str(&sec.TLSCAFile)
	case "ssl_certfile":
		kc.Secured, sec.TLS = true, true
		return str(&sec.TLSCertFile)
	case "ssl_keyfile":
		kc.Secured, sec.TLS = true, true
		return str(&sec.TLSKeyFile)
	case "ssl_check_hostname":
		if b, ok := v.(bool); ok && !b {
			sec.TLSSkipHostname = true
		}
	default:
		kc.Ignored = append(kc.Ignored, section+"."+name)
	}
	return nil
}

// checkSecurity refuses security options that do not go together.
func (kc *KafkaAdapterConfig) checkSecurity() error {
	s := kc.Security
	switch s.SASLMechanism {
	case "", "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
	default:
		return fmt.Errorf("sasl_mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got %q", s.SASLMechanism)
	}
	if s.SASLMechanism != "" && s.SASLUsername == "" {
		return fmt.Errorf("sasl_plain_username is required with SASL (%s)", s.SASLMechanism)
	}
	if (s.TLSCertFile == "") != (s.TLSKeyFile == "") {
		return fmt.Errorf("ssl_certfile and ssl_keyfile go together")
	}
	return nil
}

// consumptionModeJSON is hetida's ExecByIdBase.
type consumptionModeJSON struct {
	ID                   *string         `json:"id"`
	Wiring               json.RawMessage `json:"wiring"`
	RunPurePlotOperators *bool           `json:"run_pure_plot_operators"`
}

// parseConsumptionMode reads HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE; the wiring's kafka
// inputs are checked against HD_KAFKA_CONFIGS at start-up (adapter_kafka.go).
func (c *Config) parseConsumptionMode() error {
	const v = "HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE"
	c.KafkaAdapter.ConsumptionMode = nil
	raw := strings.TrimSpace(c.KafkaAdapter.ConsumptionModeJSON)
	if raw == "" || raw == "null" {
		return nil
	}
	var j consumptionModeJSON
	if err := json.Unmarshal([]byte(raw), &j); err != nil {
		return &Error{Var: v, Msg: `must be a JSON object {"id": …, "wiring": …, "run_pure_plot_operators": …}: ` + err.Error()}
	}
	if j.ID == nil {
		return &Error{Var: v, Msg: "id (the transformation revision) is required"}
	}
	id, err := uuid.Parse(*j.ID)
	if err != nil {
		return &Error{Var: v, Msg: fmt.Sprintf("id %q is not a UUID", *j.ID)}
	}
	w := strings.TrimSpace(string(j.Wiring))
	if w == "" || w == "null" || w[0] != '{' {
		return &Error{Var: v, Msg: "wiring must be a wiring object with input_wirings and output_wirings"}
	}
	m := &ConsumptionMode{ID: id.String(), Wiring: j.Wiring}
	if j.RunPurePlotOperators != nil {
		m.RunPurePlotOperators = *j.RunPurePlotOperators
	}
	if !c.KafkaEnabled {
		return &Error{Var: v, Msg: "needs Kafka (HETIDA_DESIGNER_KAFKA_ENABLED=true): the mode consumes a topic"}
	}
	c.KafkaAdapter.ConsumptionMode = m
	return nil
}
