package kafka

import (
	"context"
	"encoding/binary"
	"fmt"
	"mime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/IBM/sarama"
	"github.com/cloudevents/sdk-go/protocol/kafka_sarama/v2"
	"github.com/cloudevents/sdk-go/v2/binding"
	cloudevent "github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/sources"
)

// Attributes of events wrapped from plain records, as Knative's KafkaSource sets them.
const (
	// PlainEventType is the type of an event wrapped from a record without CloudEvents headers.
	PlainEventType = "dev.knative.kafka.event"
	// ExtKey holds the record key of a wrapped plain record (also in ExtPartitionKey).
	ExtKey = "key"
	// DefaultContentType is the datacontenttype of a plain record without content-type header.
	DefaultContentType = "application/json"
)

// Decoder turns consumed records into request events.
//
// A record is decoded, in this order, as:
//   - a CloudEvent in structured mode, when its content-type header is a CloudEvents format
//     (application/cloudevents+json);
//   - a CloudEvent in binary mode, when it has a ce_specversion header;
//   - otherwise, or when the CloudEvents decoding fails (missing id, bad JSON, bad header
//     names), a plain record wrapped the way Knative KafkaSource wraps it: id
//     "partition:P/offset:O/ts:T" (T the record timestamp in Unix milliseconds, when the
//     record has one: Knative's "partition:P/offset:O" repeats once a topic is deleted
//     and created again, and the reply id derived from it would repeat too), type
//     dev.knative.kafka.event, source Source + "#<topic>",
//     subject "partition:P#O", time = record timestamp, the key (if any) in the extensions
//     "key" and "partitionkey", datacontenttype from the content-type header else
//     application/json, data = the raw value. A broken CloudEvent thus reaches the function
//     as data it cannot parse and gets a RequestParseError reply and a dead letter.
//
// CloudEvents records also carry the binding's extensions kafkatopic, kafkapartition and
// kafkaoffset, and get the record key as partitionkey when they have none. Decode never
// fails: every record becomes a valid event.
type Decoder struct {
	// Source is the source attribute of wrapped plain records before "#<topic>".
	Source string
}

// NewDecoder returns the decoder a Consumer with cfg uses.
func NewDecoder(cfg Config) Decoder {
	src := "/trafofn/kafka"
	if cfg.KnativeNamespace != "" && cfg.KnativeName != "" {
		src = "/apis/v1/namespaces/" + cfg.KnativeNamespace + "/kafkasources/" + cfg.KnativeName
	}
	return Decoder{Source: src}
}

// Decode returns the request event of msg.
func (d Decoder) Decode(msg *sarama.ConsumerMessage) cloudevent.Event {
	m := kafka_sarama.NewMessageFromConsumerMessage(msg)
	if m.ReadEncoding() != binding.EncodingUnknown {
		// ToEvent does not validate binary events: one with only ce_specversion "decodes".
		if e, err := binding.ToEvent(context.Background(), m); err == nil && e.Validate() == nil {
			if len(msg.Key) > 0 && e.Extensions()[function.ExtPartitionKey] == nil {
				e.SetExtension(function.ExtPartitionKey, string(msg.Key))
			}
			return *e
		}
	}
	return d.plain(msg)
}

func (d Decoder) plain(msg *sarama.ConsumerMessage) cloudevent.Event {
	e := cloudevent.New(cloudevent.CloudEventsVersionV1)
	if ms := msg.Timestamp.UnixMilli(); !msg.Timestamp.IsZero() && ms > 0 {
		e.SetID(fmt.Sprintf("partition:%d/offset:%d/ts:%d", msg.Partition, msg.Offset, ms))
	} else {
		e.SetID(fmt.Sprintf("partition:%d/offset:%d", msg.Partition, msg.Offset))
	}
	e.SetType(PlainEventType)
	e.SetSource(d.Source + "#" + msg.Topic)
	e.SetSubject(fmt.Sprintf("partition:%d#%d", msg.Partition, msg.Offset))
	if !msg.Timestamp.IsZero() && msg.Timestamp.Unix() > 0 {
		e.SetTime(msg.Timestamp)
	} else {
		e.SetTime(time.Now())
	}
	if len(msg.Key) > 0 {
		e.SetExtension(ExtKey, string(msg.Key))
		e.SetExtension(function.ExtPartitionKey, string(msg.Key))
	}
	ct := DefaultContentType
	for _, h := range msg.Headers {
		if h != nil && strings.EqualFold(string(h.Key), "content-type") && len(h.Value) > 0 {
			// A header that is no media type is ignored, as if absent.
			if _, _, err := mime.ParseMediaType(string(h.Value)); err == nil {
				ct = string(h.Value)
			}
		}
	}
	// SetData with []byte stores the bytes as they are, whatever the content type.
	_ = e.SetData(ct, msg.Value)
	return e
}

// replyMessage encodes reply in CloudEvents binary mode (ce_ headers, the data as the raw
// value) for topic. The key is the request record's key, else the reply's subject (the job
// id), else none.
func replyMessage(ctx context.Context, topic string, req *sarama.ConsumerMessage, reply *cloudevent.Event) (*sarama.ProducerMessage, error) {
	pm := &sarama.ProducerMessage{Topic: topic}
	ctx = binding.WithForceBinary(kafka_sarama.WithSkipKeyMapping(ctx))
	function.InjectTrace(ctx, reply) // the reply carries its send span (ce_traceparent)
	if err := kafka_sarama.WriteProducerMessage(ctx, binding.ToMessage(reply), pm); err != nil {
		return nil, fmt.Errorf("encode reply: %w", err)
	}
	injectHeaders(ctx, pm) // and the W3C headers instrumented Kafka clients read
	switch {
	case len(req.Key) > 0:
		pm.Key = sarama.ByteEncoder(req.Key)
	case reply.Subject() != "":
		pm.Key = sarama.StringEncoder(reply.Subject())
	}
	return pm, nil
}

// Limits of what the source writes.
const (
	// maxErrorText bounds the error text of a dead letter's header and of the failure
	// replies the source builds (a rejection can list thousands of problems).
	maxErrorText = 4096
	// minMessageBytes is the smallest MaxMessageBytes accepted: a failure reply and a dead
	// letter's own headers fit in it.
	minMessageBytes = 8 << 10
)

// recordSize is what a consumed record weighs against MaxRecordBytes: key, value and
// headers.
func recordSize(m *sarama.ConsumerMessage) int {
	n := len(m.Key) + len(m.Value)
	for _, h := range m.Headers {
		if h != nil {
			n += len(h.Key) + len(h.Value)
		}
	}
	return n
}

// deadLetter copies r's record (raw key, value and headers) for topic and adds the
// dead-letter headers: why (cut to maxErrorText), and where the record came from (for an
// oversized batch, its first offset). The copy fits limit as sarama counts it: the
// dead-letter headers and the key come first, then the record's headers while they fit,
// then as much of the value as fits; when anything was cut, sources.HeaderDLQTruncated
// gives the value's original length. An oversized batch has no value to copy.
func deadLetter(topic string, r *record, why string, limit int) *sarama.ProducerMessage {
	req := r.msg
	offset := req.Offset
	if r.bomb != nil {
		offset = r.bomb.first
	}
	pm := &sarama.ProducerMessage{Topic: topic}
	pm.Headers = []sarama.RecordHeader{
		{Key: []byte(sources.HeaderDLQError), Value: []byte(truncateText(why, maxErrorText))},
		{Key: []byte(sources.HeaderDLQTopic), Value: []byte(req.Topic)},
		{Key: []byte(sources.HeaderDLQPartition), Value: []byte(strconv.Itoa(int(req.Partition)))},
		{Key: []byte(sources.HeaderDLQOffset), Value: []byte(strconv.FormatInt(offset, 10))},
	}
	// room for the truncation header, should it be needed
	truncHdr := sarama.RecordHeader{Key: []byte(sources.HeaderDLQTruncated), Value: []byte(strconv.Itoa(len(req.Value)))}
	budget := limit - pm.ByteSize(2) - (len(truncHdr.Key) + len(truncHdr.Value) + 2*binary.MaxVarintLen32)
	cut := false
	if req.Key != nil {
		key := req.Key
		if len(key) > budget/2 {
			key, cut = key[:max(budget/2, 0)], true
		}
		pm.Key = sarama.ByteEncoder(key)
		budget -= len(key)
	}
	var own []sarama.RecordHeader
	for _, h := range req.Headers {
		if h == nil {
			continue
		}
		if n := len(h.Key) + len(h.Value) + 2*binary.MaxVarintLen32; n <= budget {
			own = append(own, sarama.RecordHeader{Key: h.Key, Value: h.Value})
			budget -= n
		} else {
			cut = true
		}
	}
	if req.Value != nil {
		v := req.Value
		if len(v) > budget {
			v, cut = v[:max(budget, 0)], true
		}
		pm.Value = sarama.ByteEncoder(v)
	}
	// the record's headers first, as they came, then the dead-letter headers
	hdrs := append(own, pm.Headers...)
	if cut {
		hdrs = append(hdrs, truncHdr)
	}
	pm.Headers = hdrs
	return pm
}

// truncateText cuts s to at most n bytes at a UTF-8 boundary, saying how much was cut.
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	note := fmt.Sprintf(" … (%d more bytes)", len(s)-n)
	end := max(n-len(note), 0)
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + note
}

// poisonReason describes a RequestParseError reply for the dead-letter header: the
// error type and, when the reply data has one, error.message (hetida's response shape).
func poisonReason(reply *cloudevent.Event) string {
	typ, _ := reply.Extensions()[function.ExtErrorType].(string)
	var body struct {
		Error struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := reply.DataAs(&body); err == nil && body.Error.Message != "" {
		if body.Error.Type != "" {
			typ = body.Error.Type
		}
		return truncateText(typ+": "+body.Error.Message, maxErrorText)
	}
	return typ
}

// copyMessage returns a fresh message with the same content, for a resend (sarama keeps
// internal state in sent messages).
func copyMessage(pm *sarama.ProducerMessage) *sarama.ProducerMessage {
	return &sarama.ProducerMessage{
		Topic:    pm.Topic,
		Key:      pm.Key,
		Value:    pm.Value,
		Headers:  pm.Headers,
		Metadata: pm.Metadata,
	}
}
