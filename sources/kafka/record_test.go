package kafka_test

import (
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/sources/kafka"
)

func consumed(key, value string, headers ...string) *sarama.ConsumerMessage {
	m := &sarama.ConsumerMessage{
		Topic: reqTopic, Partition: 3, Offset: 42, Value: []byte(value),
		Timestamp: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	if key != "" {
		m.Key = []byte(key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		m.Headers = append(m.Headers, &sarama.RecordHeader{Key: []byte(headers[i]), Value: []byte(headers[i+1])})
	}
	return m
}

// Regression (issue 10, item 8): a plain record's event id — and the reply id derived
// from it — was partition/offset only, so after a topic was deleted and created again
// the first records got the ids of earlier, different requests and consumers
// deduplicating on reply ids dropped their replies. The record timestamp tells them apart.
func TestPlainRecordIDsDoNotRepeatAfterRecreation(t *testing.T) {
	dec := kafka.NewDecoder(kafka.Config{})
	before := consumed("k", `{}`)
	after := consumed("k", `{}`)
	after.Timestamp = before.Timestamp.Add(24 * time.Hour)
	if a, b := dec.Decode(before).ID(), dec.Decode(after).ID(); a == b {
		t.Errorf("the same id %q for two records at partition 3, offset 42 of two incarnations of the topic", a)
	}
	noTime := consumed("k", `{}`)
	noTime.Timestamp = time.Time{}
	if id := dec.Decode(noTime).ID(); id != "partition:3/offset:42" {
		t.Errorf("a record without timestamp: id %q", id)
	}
}

func TestDecodePlainRecordLikeKnative(t *testing.T) {
	dec := kafka.NewDecoder(kafka.Config{})
	e := dec.Decode(consumed("exec_job_1", `{"job_id":"x"}`))
	for name, got := range map[string]any{
		"id":              e.ID(),
		"type":            e.Type(),
		"source":          e.Source(),
		"subject":         e.Subject(),
		"datacontenttype": e.DataContentType(),
		"data":            string(e.Data()),
		"key":             e.Extensions()[kafka.ExtKey],
		"partitionkey":    e.Extensions()[function.ExtPartitionKey],
	} {
		want := map[string]any{
			"id": "partition:3/offset:42/ts:1767323045000", "type": kafka.PlainEventType, "source": "/trafofn/kafka#" + reqTopic,
			"subject": "partition:3#42", "datacontenttype": "application/json", "data": `{"job_id":"x"}`,
			"key": "exec_job_1", "partitionkey": "exec_job_1",
		}[name]
		if got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if !e.Time().Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("time %v, want the record timestamp", e.Time())
	}
	if err := e.Validate(); err != nil {
		t.Errorf("invalid event: %v", err)
	}

	kn := kafka.NewDecoder(kafka.Config{KnativeNamespace: "ns", KnativeName: "src"})
	e = kn.Decode(consumed("", "a,b\n1,2", "content-type", "text/csv"))
	if e.Source() != "/apis/v1/namespaces/ns/kafkasources/src#"+reqTopic {
		t.Errorf("knative source %q", e.Source())
	}
	if e.DataContentType() != "text/csv" || string(e.Data()) != "a,b\n1,2" {
		t.Errorf("content type %q data %q", e.DataContentType(), e.Data())
	}
	if _, ok := e.Extensions()[kafka.ExtKey]; ok {
		t.Error("keyless record has a key extension")
	}
}

func TestDecodeCloudEvents(t *testing.T) {
	dec := kafka.NewDecoder(kafka.Config{})
	bin := consumed("k1", `{"job_id":"b"}`,
		"ce_specversion", "1.0", "ce_id", "id-1", "ce_type", "t", "ce_source", "/s",
		"ce_subject", "sub", "content-type", "application/json")
	e := dec.Decode(bin)
	if e.ID() != "id-1" || e.Type() != "t" || e.Source() != "/s" || e.Subject() != "sub" || string(e.Data()) != `{"job_id":"b"}` {
		t.Errorf("binary: %s", e)
	}
	if e.Extensions()[function.ExtPartitionKey] != "k1" {
		t.Errorf("binary: the record key should become partitionkey, got %v", e.Extensions()[function.ExtPartitionKey])
	}
	st := consumed("", `{"specversion":"1.0","id":"id-2","type":"t","source":"/s","partitionkey":"pk","datacontenttype":"application/json","data":{"job_id":"s"}}`,
		"content-type", "application/cloudevents+json")
	e = dec.Decode(st)
	if e.ID() != "id-2" || e.Extensions()[function.ExtPartitionKey] != "pk" || string(e.Data()) != `{"job_id":"s"}` {
		t.Errorf("structured: %s", e)
	}
}

// Broken CloudEvents are wrapped as plain records: the function then sees data it cannot
// parse (and answers RequestParseError).
func TestDecodeBrokenCloudEventsAsPlain(t *testing.T) {
	dec := kafka.NewDecoder(kafka.Config{})
	for name, m := range map[string]*sarama.ConsumerMessage{
		// Found by FuzzDecode: sdk-go's ToEvent returns a binary event with only ce_specversion
		// without error (it does not validate); such a record once reached the handler as an
		// event without id, type and source.
		"binary only specversion": consumed("k", `x`, "ce_specversion", "1.0"),
		"binary without id":       consumed("k", `{"job_id":"x"}`, "ce_specversion", "1.0", "ce_type", "t", "ce_source", "/s"),
		"binary bad header":       consumed("k", `{}`, "ce_specversion", "1.0", "ce_id", "1", "ce_type", "t", "ce_source", "/s", "ce_bad-name", "v"),
		"structured not JSON":     consumed("k", `{not json`, "content-type", "application/cloudevents+json"),
		"structured missing id":   consumed("k", `{"specversion":"1.0","type":"t","source":"/s"}`, "content-type", "application/cloudevents+json"),
	} {
		e := dec.Decode(m)
		if e.Type() != kafka.PlainEventType || e.ID() != "partition:3/offset:42/ts:1767323045000" || string(e.Data()) != string(m.Value) {
			t.Errorf("%s: want a wrapped plain record, got %s", name, e)
		}
		if err := e.Validate(); err != nil {
			t.Errorf("%s: invalid event: %v", name, err)
		}
	}
}

// FuzzDecode: any record becomes a valid event; nothing panics.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("exec_job_1"), []byte(`{"job_id":"x"}`), "", "")
	f.Add([]byte(nil), []byte(`{"specversion":"1.0","id":"1","type":"t","source":"/s"}`), "content-type", "application/cloudevents+json")
	f.Add([]byte("k"), []byte(`{}`), "ce_specversion", "1.0")
	f.Add([]byte("k"), []byte(`x`), "ce_specversion", "0.3")
	dec := kafka.NewDecoder(kafka.Config{})
	f.Fuzz(func(t *testing.T, key, value []byte, hk, hv string) {
		m := &sarama.ConsumerMessage{Topic: reqTopic, Partition: 1, Offset: 7, Key: key, Value: value}
		if hk != "" {
			m.Headers = []*sarama.RecordHeader{{Key: []byte(strings.ToLower(hk)), Value: []byte(hv)}}
		}
		e := dec.Decode(m)
		if err := e.Validate(); err != nil {
			t.Fatalf("invalid event %s: %v", e, err)
		}
	})
}
