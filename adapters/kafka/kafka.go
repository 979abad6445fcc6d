// Package kafka is hetida's Kafka adapter: workflow inputs read from and outputs written
// to Kafka topics as hetida's Kafka-adapter messages, configured by HD_KAFKA_CONFIGS, and
// hetida's Kafka consumption mode (HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE), in which one
// fixed transformation runs for every message of a topic (see ConsumptionMode).
//
// Source and sink ids are "<kafka config key>_<external type>" (split at the last "_"),
// taken from ref_key when set, else ref_id. The filter message_value_key,
// "[message identifier:]value key", chooses the message and the entry of a multi-value
// message; outputs sharing a config and identifier go out as one message.
//
// The adapter needs a Kafka client, so it lives outside runtime; it implements the
// runtime's adapter.Source and adapter.Sink and main registers it under "kafka".
package kafka

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
	kafkasrc "github.com/trafofn/trafofn/sources/kafka"
)

// ID is the adapter id hetida gives the Kafka adapter.
const ID = "kafka"

// Config is one entry of HD_KAFKA_CONFIGS, resolved (internal/config reads hetida's
// JSON: the aiokafka options of kafka_cluster_config, consumer_config and producer_config).
type Config struct {
	DisplayName string
	Topic       string
	Brokers     []string
	// Types are the external types offered (nil: all).
	Types      []string
	Producable bool
	Consumable bool
	// GroupID is consumer_config's group_id ("": consume without a group).
	GroupID string
	// OffsetReset is auto_offset_reset: "earliest", "latest" or "" (not given: latest,
	// aiokafka's default, when loading; KAFKA_AUTO_OFFSET_RESET in consumption mode).
	OffsetReset string
	ClientID    string
	// Compression is producer_config's compression_type: none, gzip, snappy, lz4, zstd.
	Compression string
	// TLS and SASL secure the connections (the Kafka source's settings, also used by its
	// consumer in consumption mode).
	TLS  kafkasrc.TLSConfig
	SASL kafkasrc.SASLConfig
}

// Options configure the adapter.
type Options struct {
	Configs map[string]Config
	// MaxMessageBytes bounds a produced message (KAFKA_MAX_MESSAGE_BYTES).
	MaxMessageBytes int
	// MaxRecordBytes bounds a consumed message (KAFKA_MAX_RECORD_BYTES).
	MaxRecordBytes int
	Logger         *slog.Logger
	// Now is the clock of message_creation_timestamp (nil: time.Now).
	Now func() time.Time
}

// Adapter is the Kafka adapter; safe for concurrent use. Close releases its producers.
type Adapter struct {
	opts Options
	log  *slog.Logger

	mu        sync.Mutex
	producers map[string]*kgo.Client
	closed    bool
}

var (
	_ adapter.Source = (*Adapter)(nil)
	_ adapter.Sink   = (*Adapter)(nil)
)

// New returns the adapter; it connects lazily (one producer per config, kept).
func New(opts Options) *Adapter {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxMessageBytes <= 0 {
		opts.MaxMessageBytes = 1 << 20
	}
	if opts.MaxRecordBytes <= 0 {
		opts.MaxRecordBytes = 1 << 20
	}
	return &Adapter{opts: opts, log: opts.Logger, producers: map[string]*kgo.Client{}}
}

// Close closes the producers.
func (a *Adapter) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, p := range a.producers {
		p.Close()
	}
	a.producers, a.closed = map[string]*kgo.Client{}, true
}

// CanonicalType returns the canonical spelling of an external type.
func CanonicalType(s string) (string, bool) { return adapter.CanonicalExternalType(s) }

// idError is hetida's KafkaAdapterIdParsingException.
const idError = "KafkaAdapterIdParsingException"

// ParseID splits a source or sink id into its config key and external type.
func ParseID(id string, configs map[string]Config) (key string, cfg Config, typ string, err error) {
	i := strings.LastIndexByte(id, '_')
	if i < 0 {
		return "", Config{}, "", fmt.Errorf("the Kafka id %q is not <kafka config key>_<external type>", id)
	}
	key = id[:i]
	typ, ok := CanonicalType(id[i+1:])
	if !ok {
		return "", Config{}, "", fmt.Errorf("the Kafka id %q ends in %q, which is no external type", id, id[i+1:])
	}
	cfg, ok = configs[key]
	if !ok {
		return "", Config{}, "", fmt.Errorf("no Kafka config %q (from the id %q) in HD_KAFKA_CONFIGS", key, id)
	}
	if cfg.Types != nil && !slices.Contains(cfg.Types, typ) {
		return "", Config{}, "", fmt.Errorf("the Kafka config %q does not offer the type %s (its types: %s)", key, typ, strings.Join(cfg.Types, ", "))
	}
	return key, cfg, typ, nil
}

// SplitValueKey splits the filter message_value_key at its first ":" into message
// identifier and value key ("" identifier without a colon).
func SplitValueKey(s string) (identifier, valueKey string) {
	if i := strings.IndexByte(s, ':'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return "", s
}

// part is one wiring's place in a message.
type part struct {
	b        adapter.Binding
	typ      string
	valueKey string // "": the single value
}

// message is the wirings of one message: a config and a message identifier.
type message struct {
	key        string
	cfg        Config
	identifier string
	parts      []part
}

func (m *message) multi() bool { return len(m.parts) > 1 || m.parts[0].valueKey != "" }

// gather groups bindings into messages by config and identifier, with hetida's rules: no
// value key twice, a single value alone in its message.
func (a *Adapter) gather(bs []adapter.Binding, source bool) ([]*message, error) {
	var msgs []*message
	for _, b := range bs {
		ref := b.Ref()
		if ref == "" {
			return nil, adapter.WiringFailed(idError, b, "the wiring names no Kafka id (ref_id or ref_key)", nil)
		}
		key, cfg, typ, err := ParseID(ref, a.opts.Configs)
		if err != nil {
			return nil, adapter.WiringFailed(idError, b, err.Error(), err)
		}
		if source && !cfg.Consumable && !cfg.Producable {
			// hetida checks loads with the sink rules (producable); either will do here
			return nil, adapter.WiringFailed(idError, b, fmt.Sprintf("the Kafka config %q allows neither consuming nor producing", key), nil)
		}
		if !source && !cfg.Producable {
			return nil, adapter.WiringFailed(idError, b, fmt.Sprintf("the Kafka config %q does not allow producing (producable: false)", key), nil)
		}
		if source && b.External != nil && *b.External != typ {
			return nil, adapter.WiringFailed("AdapterHandlingException", b, fmt.Sprintf("Received wrong external type %s for input %s from Kafka Adapter config with kafka_config_key %s (the id says %s)", *b.External, b.Name, key, typ), nil)
		}
		vk, _ := b.Filters.Get("message_value_key")
		ident, valueKey := SplitValueKey(vk)
		var m *message
		for _, x := range msgs {
			if x.key == key && x.identifier == ident {
				m = x
			}
		}
		if m == nil {
			m = &message{key: key, cfg: cfg, identifier: ident}
			msgs = append(msgs, m)
		}
		for _, p := range m.parts {
			if p.valueKey == valueKey {
				return nil, adapter.WiringFailed("AdapterHandlingException", b, fmt.Sprintf("the message value key %q occurs twice for the Kafka config %q and message identifier %q", valueKey, key, ident), nil)
			}
		}
		if len(m.parts) > 0 && (valueKey == "" || m.parts[0].valueKey == "") {
			return nil, adapter.WiringFailed("AdapterHandlingException", b, fmt.Sprintf("a single-value wiring (empty message_value_key) shares the Kafka config %q and message identifier %q with other wirings; one message cannot be both", key, ident), nil)
		}
		m.parts = append(m.parts, part{b: b, typ: typ, valueKey: valueKey})
	}
	return msgs, nil
}

// client builds a Kafka client for cfg with extra options.
func (a *Adapter) client(cfg Config, extra ...kgo.Opt) (*kgo.Client, error) {
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("the Kafka config has no bootstrap_servers (and trafofn has no KAFKA_BROKERS)")
	}
	opts := []kgo.Opt{kgo.SeedBrokers(cfg.Brokers...), kgo.DialTimeout(10 * time.Second)}
	if cfg.ClientID != "" {
		opts = append(opts, kgo.ClientID(cfg.ClientID))
	}
	if cfg.TLS.Enable {
		tc, err := cfg.TLS.Build()
		if err != nil {
			return nil, err
		}
		opts = append(opts, kgo.DialTLSConfig(tc))
	}
	switch cfg.SASL.Mechanism {
	case "":
	case kafkasrc.SASLPlain:
		opts = append(opts, kgo.SASL(plain.Auth{User: cfg.SASL.User, Pass: cfg.SASL.Password}.AsMechanism()))
	case kafkasrc.SASLSCRAMSHA256:
		opts = append(opts, kgo.SASL(scram.Auth{User: cfg.SASL.User, Pass: cfg.SASL.Password}.AsSha256Mechanism()))
	case kafkasrc.SASLSCRAMSHA512:
		opts = append(opts, kgo.SASL(scram.Auth{User: cfg.SASL.User, Pass: cfg.SASL.Password}.AsSha512Mechanism()))
	default:
		return nil, fmt.Errorf("unknown SASL mechanism %q", cfg.SASL.Mechanism)
	}
	return kgo.NewClient(append(opts, extra...)...)
}

// producer is the config's producer (idempotent, acks from all in-sync replicas).
func (a *Adapter) producer(key string, cfg Config) (*kgo.Client, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil, errors.New("the Kafka adapter is closed")
	}
	if p, ok := a.producers[key]; ok {
		return p, nil
	}
	opts := []kgo.Opt{kgo.RequiredAcks(kgo.AllISRAcks()), kgo.ProducerBatchMaxBytes(int32(a.opts.MaxMessageBytes)), kgo.ProducerLinger(0)}
	if c := codec(cfg.Compression); c != nil {
		opts = append(opts, kgo.ProducerBatchCompression(*c))
	}
	p, err := a.client(cfg, opts...)
	if err != nil {
		return nil, err
	}
	a.producers[key] = p
	return p, nil
}

func codec(s string) *kgo.CompressionCodec {
	var c kgo.CompressionCodec
	switch s {
	case "gzip":
		c = kgo.GzipCompression()
	case "snappy":
		c = kgo.SnappyCompression()
	case "lz4":
		c = kgo.Lz4Compression()
	case "zstd":
		c = kgo.ZstdCompression()
	default:
		return nil
	}
	return &c
}

// Send produces one message per config and message identifier and returns once the
// broker acknowledged all of them (acks=all), so that a consumption-mode record is
// committed only after its outputs are safe.
func (a *Adapter) Send(ctx context.Context, req adapter.SendRequest) (map[string]any, error) {
	msgs, err := a.gather(req.Bindings, false)
	if err != nil {
		return nil, err
	}
	type produce struct {
		m   *message
		rec *kgo.Record
	}
	var ps []produce
	key := recordKey(ctx)
	for _, m := range msgs {
		body, err := encodeMessage(m, req, a.opts.Now())
		if err != nil {
			return nil, adapter.WiringFailed("AdapterOutputDataError", m.parts[0].b, fmt.Sprintf("the message for the Kafka config %q cannot be encoded: %v", m.key, err), err)
		}
		if len(body)+len(key)+256 > a.opts.MaxMessageBytes {
			return nil, adapter.WiringFailed("AdapterOutputDataError", m.parts[0].b, fmt.Sprintf("the message for the Kafka config %q has %d bytes, more than KAFKA_MAX_MESSAGE_BYTES (%d)", m.key, len(body), a.opts.MaxMessageBytes), nil)
		}
		ps = append(ps, produce{m, &kgo.Record{Topic: m.cfg.Topic, Key: key, Value: body}})
	}
	var wg sync.WaitGroup
	errs := make([]error, len(ps))
	for i, p := range ps {
		prod, err := a.producer(p.m.key, p.m.cfg)
		if err != nil {
			errs[i] = err
			continue
		}
		wg.Add(1)
		prod.Produce(ctx, p.rec, func(_ *kgo.Record, err error) {
			errs[i] = err
			wg.Done()
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			m := ps[i].m
			return nil, adapter.WiringFailed("AdapterHandlingException", m.parts[0].b, fmt.Sprintf("producing the message %q to the topic %q (Kafka config %q) failed: %v", m.identifier, m.cfg.Topic, m.key, err), err)
		}
	}
	return nil, nil
}

// Load reads one message per config and message identifier: in consumption mode the
// message being handled (for its config), else the next message of the topic from a
// consumer of its own (committed at once when the config has a group_id).
func (a *Adapter) Load(ctx context.Context, req adapter.LoadRequest) (map[string]any, error) {
	msgs, err := a.gather(req.Bindings, true)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, len(req.Bindings))
	for _, m := range msgs {
		var msg *Message
		if cm, ok := consumed(ctx, m.key); ok {
			msg = cm
		} else {
			raw, err := a.consumeOne(ctx, m)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				return nil, adapter.WiringFailed("AdapterHandlingException", m.parts[0].b, fmt.Sprintf("consuming a message from the topic %q (Kafka config %q) failed: %v", m.cfg.Topic, m.key, err), err)
			}
			if msg, err = ParseMessage(raw, m.multi()); err != nil {
				return nil, adapter.WiringFailed("AdapterHandlingException", m.parts[0].b, fmt.Sprintf("the message from the topic %q (Kafka config %q): %v", m.cfg.Topic, m.key, err), err)
			}
		}
		if msg.Multi != m.multi() {
			want, got := "single-value", "multi-value"
			if m.multi() {
				want, got = got, want
			}
			return nil, adapter.WiringFailed("AdapterHandlingException", m.parts[0].b, fmt.Sprintf("the message for the Kafka config %q is a %s message, the wirings expect a %s message", m.key, got, want), nil)
		}
		var missing []string
		for _, p := range m.parts {
			v, ok := msg.Values[p.valueKey]
			if !ok {
				missing = append(missing, p.valueKey)
				continue
			}
			out[p.b.Name] = inputValue(v.Value, p.b.Type)
		}
		if len(missing) > 0 {
			return nil, adapter.WiringFailed("AdapterHandlingException", m.parts[0].b, fmt.Sprintf("Missing expected multi value key(s) %s in the message from the topic %q (Kafka config %q); it has %s", strings.Join(missing, ", "), m.cfg.Topic, m.key, strings.Join(msg.Keys(), ", ")), nil)
		}
	}
	return out, nil
}

// consumeOne waits for the next record of m's topic.
func (a *Adapter) consumeOne(ctx context.Context, m *message) ([]byte, error) {
	reset := kgo.NewOffset().AtEnd()
	if m.cfg.OffsetReset == "earliest" {
		reset = kgo.NewOffset().AtStart()
	}
	opts := []kgo.Opt{kgo.ConsumeTopics(m.cfg.Topic), kgo.ConsumeResetOffset(reset),
		kgo.FetchMaxPartitionBytes(int32(a.opts.MaxRecordBytes)), kgo.FetchMaxBytes(int32(a.opts.MaxRecordBytes))}
	if m.cfg.GroupID != "" {
		opts = append(opts, kgo.ConsumerGroup(m.cfg.GroupID), kgo.DisableAutoCommit())
	}
	cl, err := a.client(m.cfg, opts...)
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	for {
		fs := cl.PollRecords(ctx, 1)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var ferr error
		fs.EachError(func(_ string, _ int32, err error) { ferr = err })
		if ferr != nil {
			return nil, ferr
		}
		recs := fs.Records()
		if len(recs) == 0 {
			continue
		}
		r := recs[0]
		if len(r.Value) > a.opts.MaxRecordBytes {
			return nil, fmt.Errorf("the message has %d bytes, more than KAFKA_MAX_RECORD_BYTES (%d)", len(r.Value), a.opts.MaxRecordBytes)
		}
		if m.cfg.GroupID != "" {
			if err := cl.CommitRecords(ctx, r); err != nil {
				return nil, fmt.Errorf("committing the message: %w", err)
			}
		}
		a.log.Debug("kafka adapter: consumed a message", "topic", r.Topic, "partition", r.Partition, "offset", r.Offset)
		return r.Value, nil
	}
}

// inputValue hands a message value to the runtime: pandas values as JSON text, so that
// they are parsed exactly as a direct_provisioning value is; the rest as decoded.
func inputValue(v any, t data.Type) any {
	switch t {
	case data.TypeSeries, data.TypeDataFrame, data.TypeMultiTSFrame:
		switch v.(type) {
		case *data.Dict, []any:
			if b, err := appendJSON(nil, v); err == nil {
				return string(b)
			}
		}
	}
	return v
}
