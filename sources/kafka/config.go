package kafka

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/IBM/sarama"
	"go.opentelemetry.io/otel/trace"

	"github.com/trafofn/trafofn/function"
)

// saramaBuffer bounds sarama's buffer of records per partition (ChannelBufferSize).
const saramaBuffer = 16

// Defaults of Config. Zero-valued fields take these in WithDefaults.
const (
	DefaultGroupID              = "trafofn"
	DefaultTopic                = "hd-execution-topic"
	DefaultResponseTopic        = "hd-execution-response-topic"
	DefaultDeadLetterTopic      = "hd-execution-dead-letter-topic"
	DefaultClientID             = "trafofn"
	DefaultKafkaVersion         = "2.8.0"
	DefaultInitialOffset        = OffsetEarliest
	DefaultPartitioner          = PartitionerMurmur2
	DefaultBalanceStrategy      = StrategySticky
	DefaultInFlightPerPartition = 1
	DefaultCommitInterval       = 100 * time.Millisecond
	DefaultDrainTimeout         = 25 * time.Second
	DefaultSessionTimeout       = 10 * time.Second
	DefaultHeartbeatInterval    = 3 * time.Second
	DefaultRebalanceTimeout     = 90 * time.Second
	DefaultRevokeTimeout        = 75 * time.Second
	DefaultRetryBackoff         = 100 * time.Millisecond
	DefaultMaxRetryBackoff      = 5 * time.Second
	DefaultMaxMessageBytes      = 1 << 20
	DefaultMaxRecordBytes       = 1 << 20
	DefaultMaxBatchBytes        = 16 << 20
	DefaultCompression          = CompressionNone
	DefaultReadAhead            = 64
	DefaultReadAheadBytes       = 4 << 20
	DefaultFetchBytes           = 256 << 10
	DefaultTransactionTimeout   = 10 * time.Second
	DefaultStartupTimeout       = 60 * time.Second
	DefaultDialTimeout          = 10 * time.Second
)

// DefaultMaxInFlight is the default of Config.MaxInFlight: four executions per core, enough
// to keep the cores busy while some executions wait for their replies' acknowledgements.
func DefaultMaxInFlight() int { return 4 * runtime.GOMAXPROCS(0) }

// DefaultLargeRecordBytes is the default of Config.LargeRecordBytes: 64 KiB, about 1,500
// points of a series, where an execution's parsing and computing start to cost a tenth of a
// millisecond and more.
const DefaultLargeRecordBytes = 64 << 10

// DefaultMaxLargeInFlight is the default of Config.MaxLargeInFlight: one per core but one,
// at least one, so that a core is left to the Kafka client while large records execute.
func DefaultMaxLargeInFlight() int { return max(1, runtime.GOMAXPROCS(0)-1) }

// Values of Config.Compression, the codec of reply and dead-letter batches.
const (
	CompressionNone   = "none"
	CompressionGzip   = "gzip"
	CompressionSnappy = "snappy"
	CompressionLZ4    = "lz4"
	CompressionZstd   = "zstd"
)

// Values of Config.InitialOffset.
const (
	OffsetEarliest = "earliest"
	OffsetLatest   = "latest"
)

// Values of Config.Partitioner: how a reply's key picks its partition of the response topic.
const (
	// PartitionerMurmur2 is the Java client's default partitioner (murmur2(key) & 0x7fffffff %
	// n): a reply lands where a Java/Kafka Streams producer would put the same key.
	PartitionerMurmur2 = "murmur2"
	// PartitionerCRC32 is librdkafka's "consistent" partitioner (crc32(key) % n, unsigned), the
	// default of kcat, confluent-kafka-python and hetida's own producer for keyed records.
	PartitionerCRC32 = "crc32"
)

// Values of Config.BalanceStrategy.
const (
	// StrategyCooperativeSticky rebalances incrementally: only partitions that move stop, the
	// others keep running (long executions do not stall the whole group).
	StrategyCooperativeSticky = "cooperative-sticky"
	// StrategySticky, StrategyRange and StrategyRoundRobin are eager: every rebalance stops all
	// partitions of every member until their in-flight executions are finished.
	StrategySticky     = "sticky"
	StrategyRange      = "range"
	StrategyRoundRobin = "roundrobin"
)

// SASL mechanisms of SASLConfig.Mechanism.
const (
	SASLPlain       = "PLAIN"
	SASLSCRAMSHA256 = "SCRAM-SHA-256"
	SASLSCRAMSHA512 = "SCRAM-SHA-512"
)

// Config configures a Consumer. It reads no environment; every zero field takes the default
// named in its comment (see WithDefaults). Validate names the first bad field.
type Config struct {
	// Brokers are the bootstrap "host:port" addresses. Required.
	Brokers []string
	// GroupID is the consumer group. Default "trafofn".
	GroupID string
	// Topic carries the execution requests. Default "hd-execution-topic".
	Topic string
	// ResponseTopic receives the replies. Default "hd-execution-response-topic".
	ResponseTopic string
	// DeadLetterTopic receives records that are not execution requests and requests whose
	// reply the broker refused for good (see Consumer). Default "hd-execution-dead-letter-topic".
	DeadLetterTopic string
	// ClientID is sent to the brokers with every request. Default "trafofn".
	ClientID string
	// KafkaVersion is the protocol version assumed of the brokers, at least 2.5.0 for
	// ExactlyOnce. Default "2.8.0".
	KafkaVersion string
	// InitialOffset is where a partition without a committed offset starts: "earliest" or
	// "latest". Default "earliest".
	InitialOffset string
	// Partitioner picks the response topic partition from the reply key: "murmur2" (Java
	// client compatible) or "crc32" (librdkafka/kcat compatible). Default "murmur2".
	// Sarama's own default (FNV-1a) matches neither and is not offered.
	Partitioner string
	// BalanceStrategy is the group assignor: "sticky", "cooperative-sticky", "range" or
	// "roundrobin". Default "sticky" (eager; see DESIGN.md for why not cooperative).
	BalanceStrategy string

	// KnativeNamespace and KnativeName, when both set, give wrapped plain records Knative
	// KafkaSource's source attribute "/apis/v1/namespaces/<ns>/kafkasources/<name>#<topic>";
	// otherwise it is "/trafofn/kafka#<topic>".
	KnativeNamespace, KnativeName string

	// InFlightPerPartition is how many records of one partition may execute at once. They
	// always have different keys: records with the same key (and all keyless records, which
	// count as one key) run one after the other in offset order. Default 1 (strict partition
	// order).
	InFlightPerPartition int
	// MaxInFlight bounds the executions running at once over all partitions. Default
	// DefaultMaxInFlight(), 4 per core.
	MaxInFlight int
	// MaxLargeInFlight bounds the executions of large records (LargeRecordBytes or more of
	// key, value and headers) running at once; they count against MaxInFlight too.
	// Defaults DefaultMaxLargeInFlight() (cores − 1, at least 1) and
	// DefaultLargeRecordBytes.
	//
	// Why: records reach the executions through one fetch loop (sarama's, which also
	// decompresses every batch) and replies leave through the producer's goroutines. When
	// long executions hold every processor, each step of that path waits for one to finish:
	// at the 10k-point workload's half load (trafofn bench, two cores) records waited in the
	// fetch path for p50 2–309 ms and p99 31–829 ms while the executions themselves were not
	// queued; with one large execution at a time, p99 4–19 ms. Small records finish in
	// microseconds and are not limited.
	MaxLargeInFlight int
	LargeRecordBytes int
	// ReadAhead bounds the records a partition holds that are not yet finished (executing,
	// waiting for their key, or waiting for the broker's acknowledgement); ReadAheadBytes
	// bounds their bytes (a partition takes a record while it holds less, so at least one).
	// sarama buffers up to min(ReadAhead, 16) more per partition. Defaults 64 (at least
	// InFlightPerPartition) and 4 MiB.
	//
	// The window must hold what arrives while replies wait for their acknowledgement: when
	// it is full the partition stops taking records, sarama's buffer fills, and sarama's
	// fetch loop waits for that partition (up to 200 ms, Consumer.MaxProcessingTime twice)
	// before it fetches again for any partition. At 16 records that happened at half load
	// whenever acknowledgements took ~15 ms (trafofn bench, 1,000 records/s per partition).
	ReadAhead      int
	ReadAheadBytes int
	// CommitInterval is the longest time between synchronous offset commits (or, with
	// ExactlyOnce, transactions). Default 100 ms.
	CommitInterval time.Duration
	// DrainTimeout bounds how long Run waits for in-flight executions after its context
	// ends; unfinished ones are abandoned (not committed, so redelivered). Default 25 s.
	DrainTimeout time.Duration
	// SessionTimeout is the group session timeout: how long the group waits for a crashed
	// member's heartbeats. Heartbeats run in the background, also while executions run.
	// Default 10 s.
	SessionTimeout time.Duration
	// HeartbeatInterval, default 3 s, below SessionTimeout/3.
	HeartbeatInterval time.Duration
	// RebalanceTimeout is how long the group waits for members to rejoin during a
	// rebalance. It must exceed RevokeTimeout. Default 90 s.
	RebalanceTimeout time.Duration
	// RevokeTimeout bounds how long a revoked partition waits for its in-flight executions
	// before abandoning them. Keep it above the function's execution timeout (60 s) and below
	// RebalanceTimeout. Default 75 s.
	RevokeTimeout time.Duration
	// RetryBackoff is the first delay before retrying a failed handler call or reply
	// produce; it doubles up to MaxRetryBackoff. Defaults 100 ms and 5 s.
	RetryBackoff, MaxRetryBackoff time.Duration
	// MaxMessageBytes is the largest reply or dead-letter record the producer sends, as
	// sarama counts it (key, value, headers and a record's overhead). A larger reply is
	// replaced by a ReplyTooLarge failure reply; a dead letter is cut to fit (see
	// Consumer). Default 1 MiB, the broker's default limit. Keep it at most the brokers' and
	// the topics' message.max.bytes.
	MaxMessageBytes int
	// MaxRecordBytes is the largest request record (key, value and headers) handed to the
	// handler. A larger one is answered with a RequestParseError failure reply without
	// decoding it, dead-lettered as a truncated copy and committed. Default 1 MiB.
	MaxRecordBytes int
	// MaxBatchBytes bounds what one record batch of the request topic may decompress to. A
	// larger batch (a decompression bomb: kilobytes that inflate to gigabytes) is not
	// decompressed further: it is answered with one failure reply, dead-lettered as its
	// offsets (no value), and committed past. Default 16 MiB, at least MaxRecordBytes.
	//
	// sarama applies this bound process-wide (sarama.MaxDecompressedBatchSize): the first
	// Consumer created sets it unless the program already did; later ones use that value.
	MaxBatchBytes int
	// Compression is the codec of the reply and dead-letter batches: "none", "gzip",
	// "snappy", "lz4" or "zstd" (any case). Default "none".
	Compression string
	// FetchBytes is how much of one partition a fetch asks for (sarama's
	// Consumer.Fetch.Default). Default 256 KiB: a snappy-compressed 10k-point request
	// (0.19 MB) arrives with its partition's share of every fetch. A record batch larger
	// than FetchBytes still arrives, but only as the first of a fetch response (brokers
	// return an oversized batch only there, KIP-74), so that such records come one per fetch
	// round trip. Larger fetches cost memory: a record keeps its whole decompressed batch
	// alive.
	FetchBytes int
	// Linger is how long the producer waits for more replies before sending a batch. 0 (the
	// default) sends at once; batches still form while the previous produce request waits for
	// its acknowledgement.
	Linger time.Duration
	// StartupTimeout bounds how long Run and NewSink wait for unreachable brokers (and for
	// missing topics) at start-up, retrying with backoff, before they fail. Brokers that
	// answer but refuse the connection (TLS, SASL) fail at once. Default 60 s.
	StartupTimeout time.Duration
	// DialTimeout bounds connecting to a broker, including the TLS handshake. Default 10 s.
	DialTimeout time.Duration

	// Fail builds the failure replies the source sends itself, for records that never reach
	// the handler (too large, an undecodable batch) and for replies too large to send. The
	// Function's Fail gives them the shape of every other reply. Default: a minimal
	// failure reply of the same type and extensions.
	Fail function.FailFunc

	// ExactlyOnce writes each batch of replies and the consumed offsets in one Kafka
	// transaction; consumers of the response topic with isolation.level=read_committed then
	// see every reply exactly once across crashes and rebalances. Requires KafkaVersion >= 2.5.
	ExactlyOnce bool
	// TransactionalID identifies the transactional producer; it must be unique per running
	// instance. A stable ID (e.g. a StatefulSet pod name) lets a restarted instance abort its
	// predecessor's open transaction at once instead of after TransactionTimeout.
	// Default "<GroupID>-<hostname>-<random>".
	TransactionalID string
	// TransactionTimeout is how long the broker keeps a transaction of a crashed instance
	// open (its partitions wait that long). Default 10 s.
	TransactionTimeout time.Duration

	// TLS configures encrypted connections; SASL authentication.
	TLS  TLSConfig
	SASL SASLConfig

	// Metrics, when set, records the source's Prometheus metrics (NewMetrics); nil records
	// nothing.
	Metrics *Metrics
	// Tracer, when set, traces every record: a "process <topic>" consumer span, the child of
	// the trace context the record carries (W3C traceparent headers, else the CloudEvents
	// tracing extension), under which the handler runs, and a "send <response topic>"
	// producer span whose context the reply carries (ce_traceparent and traceparent
	// headers). Nil traces nothing and costs nothing.
	Tracer trace.Tracer

	// Timings, when set, is called once per record when it is done (its reply acknowledged
	// or committed) with the instants of its stages (see Timing), for latency breakdowns.
	// It runs on the partition's delivery path with a lock held: it must be quick and must
	// not block. Nil collects nothing and costs nothing.
	Timings func(Timing)

	// Logger receives the source's logs. Default slog.Default().
	Logger *slog.Logger
}

// TLSConfig enables TLS to the brokers. With Enable and no CAFile the system roots are used.
type TLSConfig struct {
	Enable bool
	// CAFile is a PEM bundle of CAs to trust instead of the system roots.
	CAFile string
	// CertFile and KeyFile are a PEM client certificate and key for mutual TLS.
	CertFile, KeyFile string
	// ServerName overrides the host name verified in the broker certificate.
	ServerName string
	// InsecureSkipVerify disables certificate verification (tests only).
	InsecureSkipVerify bool
	// SkipHostnameCheck verifies the certificate chain but not the host name in it
	// (hetida's ssl_check_hostname=false, which is what aiokafka does with it).
	SkipHostnameCheck bool
}

// SASLConfig enables SASL authentication when Mechanism is set.
type SASLConfig struct {
	// Mechanism is "" (none), "PLAIN", "SCRAM-SHA-256" or "SCRAM-SHA-512" (any case).
	Mechanism string
	User      string
	Password  string
}

// WithDefaults returns c with every zero field set to its documented default, and the
// names that are case-insensitive (Compression, SASL.Mechanism, InitialOffset, Partitioner,
// BalanceStrategy) in their canonical case.
func (c Config) WithDefaults() Config {
	c.Compression = strings.ToLower(c.Compression)
	c.InitialOffset = strings.ToLower(c.InitialOffset)
	c.Partitioner = strings.ToLower(c.Partitioner)
	c.BalanceStrategy = strings.ToLower(c.BalanceStrategy)
	c.SASL.Mechanism = strings.ToUpper(c.SASL.Mechanism)
	orDefault(&c.GroupID, DefaultGroupID)
	orDefault(&c.Topic, DefaultTopic)
	orDefault(&c.ResponseTopic, DefaultResponseTopic)
	orDefault(&c.DeadLetterTopic, DefaultDeadLetterTopic)
	orDefault(&c.ClientID, DefaultClientID)
	orDefault(&c.KafkaVersion, DefaultKafkaVersion)
	orDefault(&c.InitialOffset, DefaultInitialOffset)
	orDefault(&c.Partitioner, DefaultPartitioner)
	orDefault(&c.BalanceStrategy, DefaultBalanceStrategy)
	orDefault(&c.InFlightPerPartition, DefaultInFlightPerPartition)
	orDefault(&c.MaxInFlight, DefaultMaxInFlight())
	orDefault(&c.MaxLargeInFlight, DefaultMaxLargeInFlight())
	orDefault(&c.LargeRecordBytes, DefaultLargeRecordBytes)
	orDefault(&c.ReadAhead, max(DefaultReadAhead, c.InFlightPerPartition))
	orDefault(&c.ReadAheadBytes, DefaultReadAheadBytes)
	orDefault(&c.MaxMessageBytes, DefaultMaxMessageBytes)
	orDefault(&c.FetchBytes, DefaultFetchBytes)
	orDefault(&c.MaxRecordBytes, DefaultMaxRecordBytes)
	orDefault(&c.MaxBatchBytes, max(DefaultMaxBatchBytes, c.MaxRecordBytes))
	orDefault(&c.Compression, DefaultCompression)
	orDefault(&c.StartupTimeout, DefaultStartupTimeout)
	orDefault(&c.DialTimeout, DefaultDialTimeout)
	orDefault(&c.CommitInterval, DefaultCommitInterval)
	orDefault(&c.DrainTimeout, DefaultDrainTimeout)
	orDefault(&c.SessionTimeout, DefaultSessionTimeout)
	orDefault(&c.HeartbeatInterval, DefaultHeartbeatInterval)
	orDefault(&c.RebalanceTimeout, DefaultRebalanceTimeout)
	orDefault(&c.RevokeTimeout, DefaultRevokeTimeout)
	orDefault(&c.RetryBackoff, DefaultRetryBackoff)
	orDefault(&c.MaxRetryBackoff, DefaultMaxRetryBackoff)
	orDefault(&c.TransactionTimeout, DefaultTransactionTimeout)
	if c.ExactlyOnce && c.TransactionalID == "" {
		host, _ := os.Hostname()
		var b [4]byte
		_, _ = rand.Read(b[:])
		c.TransactionalID = fmt.Sprintf("%s-%s-%s", c.GroupID, host, hex.EncodeToString(b[:]))
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Fail == nil {
		c.Fail = minimalFail
	}
	return c
}

// Validate checks c after defaults are applied and names the first bad field.
func (c Config) Validate() error {
	c = c.WithDefaults()
	if len(c.Brokers) == 0 {
		return errors.New("kafka: Brokers: at least one broker address is required")
	}
	for i, b := range c.Brokers {
		if b == "" || !strings.Contains(b, ":") {
			return fmt.Errorf("kafka: Brokers[%d] %q: want host:port", i, b)
		}
	}
	for name, t := range map[string]string{"Topic": c.Topic, "ResponseTopic": c.ResponseTopic, "DeadLetterTopic": c.DeadLetterTopic} {
		if strings.ContainsAny(t, " \t,/\\") || len(t) > 249 {
			return fmt.Errorf("kafka: %s %q is not a valid topic name", name, t)
		}
	}
	if c.Topic == c.ResponseTopic || c.Topic == c.DeadLetterTopic {
		return fmt.Errorf("kafka: Topic %q must differ from ResponseTopic and DeadLetterTopic (replies would loop)", c.Topic)
	}
	v, err := sarama.ParseKafkaVersion(c.KafkaVersion)
	if err != nil {
		return fmt.Errorf("kafka: KafkaVersion %q: %w", c.KafkaVersion, err)
	}
	if c.ExactlyOnce && !v.IsAtLeast(sarama.V2_5_0_0) {
		return fmt.Errorf("kafka: KafkaVersion %q: ExactlyOnce needs at least 2.5.0", c.KafkaVersion)
	}
	if c.Compression == CompressionZstd && !v.IsAtLeast(sarama.V2_1_0_0) {
		return fmt.Errorf("kafka: KafkaVersion %q: Compression zstd needs at least 2.1.0", c.KafkaVersion)
	}
	switch c.InitialOffset {
	case OffsetEarliest, OffsetLatest:
	default:
		return fmt.Errorf("kafka: InitialOffset %q: want earliest or latest", c.InitialOffset)
	}
	switch c.Partitioner {
	case PartitionerMurmur2, PartitionerCRC32:
	default:
		return fmt.Errorf("kafka: Partitioner %q: want murmur2 or crc32", c.Partitioner)
	}
	switch c.BalanceStrategy {
	case StrategyCooperativeSticky, StrategySticky, StrategyRange, StrategyRoundRobin:
	default:
		return fmt.Errorf("kafka: BalanceStrategy %q: want sticky, cooperative-sticky, range or roundrobin", c.BalanceStrategy)
	}
	switch c.Compression {
	case CompressionNone, CompressionGzip, CompressionSnappy, CompressionLZ4, CompressionZstd:
	default:
		return fmt.Errorf("kafka: Compression %q: want none, gzip, snappy, lz4 or zstd", c.Compression)
	}
	pos := []struct {
		name string
		v    int64
	}{
		{"InFlightPerPartition", int64(c.InFlightPerPartition)},
		{"MaxInFlight", int64(c.MaxInFlight)},
		{"MaxLargeInFlight", int64(c.MaxLargeInFlight)},
		{"LargeRecordBytes", int64(c.LargeRecordBytes)},
		{"ReadAhead", int64(c.ReadAhead)},
		{"ReadAheadBytes", int64(c.ReadAheadBytes)},
		{"MaxMessageBytes", int64(c.MaxMessageBytes)},
		{"FetchBytes", int64(c.FetchBytes)},
		{"MaxRecordBytes", int64(c.MaxRecordBytes)},
		{"MaxBatchBytes", int64(c.MaxBatchBytes)},
		{"StartupTimeout", int64(c.StartupTimeout)},
		{"DialTimeout", int64(c.DialTimeout)},
		{"CommitInterval", int64(c.CommitInterval)},
		{"DrainTimeout", int64(c.DrainTimeout)},
		{"SessionTimeout", int64(c.SessionTimeout)},
		{"HeartbeatInterval", int64(c.HeartbeatInterval)},
		{"RebalanceTimeout", int64(c.RebalanceTimeout)},
		{"RevokeTimeout", int64(c.RevokeTimeout)},
		{"RetryBackoff", int64(c.RetryBackoff)},
		{"MaxRetryBackoff", int64(c.MaxRetryBackoff)},
		{"TransactionTimeout", int64(c.TransactionTimeout)},
	}
	for _, p := range pos {
		if p.v <= 0 {
			return fmt.Errorf("kafka: %s must be > 0, got %d", p.name, p.v)
		}
	}
	if c.Linger < 0 {
		return fmt.Errorf("kafka: Linger must be >= 0, got %s", c.Linger)
	}
	if c.MaxBatchBytes < c.MaxRecordBytes {
		return fmt.Errorf("kafka: MaxBatchBytes (%d) must be >= MaxRecordBytes (%d)", c.MaxBatchBytes, c.MaxRecordBytes)
	}
	if c.MaxMessageBytes < minMessageBytes {
		return fmt.Errorf("kafka: MaxMessageBytes (%d) must be at least %d (a failure reply and a dead letter's headers must fit)", c.MaxMessageBytes, minMessageBytes)
	}
	if c.ReadAhead < c.InFlightPerPartition {
		return fmt.Errorf("kafka: ReadAhead (%d) must be >= InFlightPerPartition (%d)", c.ReadAhead, c.InFlightPerPartition)
	}
	if c.HeartbeatInterval*3 > c.SessionTimeout {
		return fmt.Errorf("kafka: HeartbeatInterval (%s) must be at most SessionTimeout/3 (%s)", c.HeartbeatInterval, c.SessionTimeout/3)
	}
	if c.RevokeTimeout >= c.RebalanceTimeout {
		return fmt.Errorf("kafka: RevokeTimeout (%s) must be below RebalanceTimeout (%s)", c.RevokeTimeout, c.RebalanceTimeout)
	}
	if c.MaxRetryBackoff < c.RetryBackoff {
		return fmt.Errorf("kafka: MaxRetryBackoff (%s) must be >= RetryBackoff (%s)", c.MaxRetryBackoff, c.RetryBackoff)
	}
	if c.MaxMessageBytes >= int(sarama.MaxRequestSize) {
		return fmt.Errorf("kafka: MaxMessageBytes (%d) must be below %d", c.MaxMessageBytes, sarama.MaxRequestSize)
	}
	if (c.KnativeNamespace == "") != (c.KnativeName == "") {
		return errors.New("kafka: KnativeNamespace and KnativeName must be set together")
	}
	if c.TLS.Enable {
		if (c.TLS.CertFile == "") != (c.TLS.KeyFile == "") {
			return errors.New("kafka: TLS.CertFile and TLS.KeyFile must be set together")
		}
	} else if c.TLS.CAFile != "" || c.TLS.CertFile != "" || c.TLS.ServerName != "" || c.TLS.InsecureSkipVerify {
		return errors.New("kafka: TLS.Enable: TLS options are set but TLS is not enabled")
	}
	switch c.SASL.Mechanism {
	case "":
		if c.SASL.User != "" || c.SASL.Password != "" {
			return errors.New("kafka: SASL.Mechanism: a user is set but no mechanism")
		}
	case SASLPlain, SASLSCRAMSHA256, SASLSCRAMSHA512:
		if c.SASL.User == "" {
			return errors.New("kafka: SASL.User is required with SASL.Mechanism")
		}
	default:
		return fmt.Errorf("kafka: SASL.Mechanism %q: want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", c.SASL.Mechanism)
	}
	return nil
}

// ClientConfig returns sarama settings with c's client identity, protocol version, TLS and
// SASL (defaults applied), for other clients of the same cluster (tools, tests).
func (c Config) ClientConfig() (*sarama.Config, error) {
	return c.WithDefaults().base()
}

// base builds the sarama settings shared by the consumer group and the producer clients.
func (c Config) base() (*sarama.Config, error) {
	sc := sarama.NewConfig()
	sc.ClientID = c.ClientID
	v, err := sarama.ParseKafkaVersion(c.KafkaVersion)
	if err != nil {
		return nil, err
	}
	sc.Version = v
	sc.Net.DialTimeout = c.DialTimeout
	// A JoinGroup request is answered only when the rebalance completes, which may take
	// up to RebalanceTimeout (a member died mid-rebalance). With sarama's 30 s read
	// timeout the client would give up first and rejoin again and again, stalling the
	// group; like the Java client, wait for the rebalance timeout plus a margin.
	sc.Net.ReadTimeout = max(30*time.Second, c.RebalanceTimeout+10*time.Second)
	sc.Metadata.AllowAutoTopicCreation = false
	if c.TLS.Enable {
		tc, err := c.TLS.config()
		if err != nil {
			return nil, err
		}
		// sarama would leave the TLS handshake to the first request, under the read timeout
		// (raised above the rebalance timeout, see above): against a plaintext listener that
		// hung start-up for minutes. The dialer completes the handshake within DialTimeout.
		sc.Net.Proxy.Enable = true
		sc.Net.Proxy.Dialer = tlsDialer{tls: tc, timeout: c.DialTimeout}
	}
	if c.SASL.Mechanism != "" {
		sc.Net.SASL.Enable = true
		sc.Net.SASL.Mechanism = sarama.SASLMechanism(c.SASL.Mechanism)
		sc.Net.SASL.User = c.SASL.User
		sc.Net.SASL.Password = c.SASL.Password
		switch c.SASL.Mechanism {
		case SASLSCRAMSHA256:
			sc.Net.SASL.SCRAMClientGeneratorFunc = scramClient(sha256Gen)
		case SASLSCRAMSHA512:
			sc.Net.SASL.SCRAMClientGeneratorFunc = scramClient(sha512Gen)
		}
	}
	return sc, nil
}

// consumerConfig is the consumer group's sarama config: manual commits, read_committed.
func (c Config) consumerConfig() (*sarama.Config, error) {
	sc, err := c.base()
	if err != nil {
		return nil, err
	}
	sc.Consumer.Return.Errors = true
	sc.Consumer.Offsets.AutoCommit.Enable = false
	sc.Consumer.Offsets.Initial = sarama.OffsetOldest
	if c.InitialOffset == OffsetLatest {
		sc.Consumer.Offsets.Initial = sarama.OffsetNewest
	}
	sc.Consumer.IsolationLevel = sarama.ReadCommitted
	sc.ChannelBufferSize = min(c.ReadAhead, saramaBuffer)
	// Fetch moderately per partition: records wait in the broker rather than in memory
	// (a fetch response, and a decompressed batch, stays alive while any of its records is
	// pending). Measured with trafofn bench (the echo workload, snappy batches of 4 MiB):
	// peak RSS ~100 MB at 128 KiB, ~140 MB at 256 KiB, ~150-230 MB at 512 KiB; but at
	// 128 KiB a 10k-point request (0.19 MB compressed, 0.43 MB not) came one per fetch round
	// trip (see FetchBytes) and its half-load p99 reached seconds.
	sc.Consumer.Fetch.Default = int32(min(c.FetchBytes, math.MaxInt32))
	sc.Consumer.Group.Session.Timeout = c.SessionTimeout
	sc.Consumer.Group.Heartbeat.Interval = c.HeartbeatInterval
	sc.Consumer.Group.Rebalance.Timeout = c.RebalanceTimeout
	sc.Consumer.Group.Rebalance.Retry.Backoff = 500 * time.Millisecond
	switch c.BalanceStrategy {
	case StrategyCooperativeSticky:
		sc.Consumer.Group.Rebalance.GroupStrategies = []sarama.BalanceStrategy{sarama.NewBalanceStrategyCooperativeSticky()}
	case StrategySticky:
		sc.Consumer.Group.Rebalance.GroupStrategies = []sarama.BalanceStrategy{sarama.NewBalanceStrategySticky()}
	case StrategyRange:
		sc.Consumer.Group.Rebalance.GroupStrategies = []sarama.BalanceStrategy{sarama.NewBalanceStrategyRange()}
	case StrategyRoundRobin:
		sc.Consumer.Group.Rebalance.GroupStrategies = []sarama.BalanceStrategy{sarama.NewBalanceStrategyRoundRobin()}
	}
	if c.ExactlyOnce {
		// A read_committed member fetches its start offsets with RequireStable; while a
		// crashed instance's transaction is open the broker answers UNSTABLE_OFFSET_COMMIT,
		// which sarama retries Metadata.Retry.Max times. Retry for as long as the broker may
		// keep such a transaction open.
		sc.Metadata.Retry.Max = int(c.TransactionTimeout/sc.Metadata.Retry.Backoff) + 4
	}
	return sc, sc.Validate()
}

// producerConfig is the reply producer's sarama config: acks=all, idempotent, one request in
// flight per broker (order of replies per partition is the order they were sent), and with
// ExactlyOnce a transactional id.
func (c Config) producerConfig() (*sarama.Config, error) {
	sc, err := c.base()
	if err != nil {
		return nil, err
	}
	sc.Producer.RequiredAcks = sarama.WaitForAll
	sc.Producer.Idempotent = true
	sc.Net.MaxOpenRequests = 1
	sc.Producer.Return.Successes = true
	sc.Producer.Return.Errors = true
	sc.Producer.Retry.Max = 5
	sc.Producer.Retry.Backoff = c.RetryBackoff
	sc.Producer.MaxMessageBytes = c.MaxMessageBytes
	sc.Producer.Compression = compressionCodec(c.Compression)
	sc.Producer.Flush.Frequency = c.Linger
	sc.Producer.Partitioner = sarama.NewMurmur2Partitioner
	if c.Partitioner == PartitionerCRC32 {
		sc.Producer.Partitioner = sarama.NewConsistentCRCHashPartitioner
	}
	if c.ExactlyOnce {
		sc.Producer.Transaction.ID = c.TransactionalID
		sc.Producer.Transaction.Timeout = c.TransactionTimeout
		sc.Producer.Transaction.Retry.Backoff = c.RetryBackoff
	}
	return sc, sc.Validate()
}

func compressionCodec(name string) sarama.CompressionCodec {
	switch name {
	case CompressionGzip:
		return sarama.CompressionGZIP
	case CompressionSnappy:
		return sarama.CompressionSnappy
	case CompressionLZ4:
		return sarama.CompressionLZ4
	case CompressionZstd:
		return sarama.CompressionZSTD
	}
	return sarama.CompressionNone
}

// orDefault sets *p to v when it holds its type's zero value.
func orDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}
