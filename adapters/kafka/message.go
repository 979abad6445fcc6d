package kafka

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Value is one value of a Kafka-adapter message.
type Value struct {
	Value      any    // decoded JSON, in the direct-provisioning (wrapped) format
	DataType   string // canonical external type
	OutputName any    // string or nil
}

// Message is a Kafka-adapter message. A single-value message has its one value under the
// key "".
type Message struct {
	TransformationID any // string or nil
	JobID            any // string or nil
	Multi            bool
	Values           map[string]Value
	keys             []string // value keys in message order
}

// Keys are the value keys in message order.
func (m *Message) Keys() []string { return m.keys }

// ParseMessage reads a single-value {"value": {"value", "data_type", "output_name"}} or a
// multi-value {"values": {"<key>": {…}, …}} message, as hetida validates them: the
// value(s) and each data_type (an external type) are required, the inner value defaults
// to null, the header fields (transformation_id, job_id, message_creation_timestamp) are
// optional. The data_type is not compared with the wiring's type (hetida does not either).
func ParseMessage(raw []byte, multi bool) (*Message, error) {
	v, err := wire.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	d, ok := v.(*data.Dict)
	if !ok {
		return nil, errors.New("not a JSON object")
	}
	m := &Message{Multi: multi, Values: map[string]Value{}}
	for _, k := range []string{"transformation_id", "job_id"} {
		x, _ := d.Get(k)
		switch x.(type) {
		case nil, string:
		default:
			return nil, fmt.Errorf("%s must be a string or null", k)
		}
	}
	m.TransformationID, _ = d.Get("transformation_id")
	m.JobID, _ = d.Get("job_id")
	switch ts, _ := d.Get("message_creation_timestamp"); x := ts.(type) {
	case nil, int64, float64: // pydantic also takes Unix times
	case string:
		if _, _, err := data.ParseISO(x); err != nil {
			return nil, fmt.Errorf("message_creation_timestamp %s is not an ISO 8601 date-time", data.PyRepr(ts))
		}
	default:
		return nil, fmt.Errorf("message_creation_timestamp %s is not a date-time", data.PyRepr(ts))
	}
	if !multi {
		x, ok := d.Get("value")
		if !ok {
			return nil, errors.New(`a single-value message needs "value": {"value": …, "data_type": …}`)
		}
		val, err := parseValue(x, "value")
		if err != nil {
			return nil, err
		}
		m.Values[""], m.keys = val, []string{""}
		return m, nil
	}
	x, ok := d.Get("values")
	vs, isDict := x.(*data.Dict)
	if !ok || !isDict {
		return nil, errors.New(`a multi-value message needs "values": {"<value key>": {"value": …, "data_type": …}, …}`)
	}
	for i := 0; i < vs.Len(); i++ {
		ks, e := vs.At(i)
		val, err := parseValue(e, "values."+ks)
		if err != nil {
			return nil, err
		}
		m.Values[ks] = val
		m.keys = append(m.keys, ks)
	}
	return m, nil
}

func parseValue(x any, at string) (Value, error) {
	d, ok := x.(*data.Dict)
	if !ok {
		return Value{}, fmt.Errorf("%s must be an object {\"value\": …, \"data_type\": …}", at)
	}
	dt, _ := d.Get("data_type")
	s, _ := dt.(string)
	typ, ok := CanonicalType(s)
	if !ok {
		return Value{}, fmt.Errorf("%s.data_type %s is not an external type", at, data.PyRepr(dt))
	}
	v, _ := d.Get("value")
	name, _ := d.Get("output_name")
	switch name.(type) {
	case nil, string:
	default:
		return Value{}, fmt.Errorf("%s.output_name must be a string or null", at)
	}
	return Value{Value: v, DataType: typ, OutputName: name}, nil
}

func appendJSON(b []byte, v any) ([]byte, error) { return wire.AppendValue(b, v) }

// encodeMessage renders m's message with the values of req, in hetida's field order:
// transformation_id, job_id, message_creation_timestamp, then value or values, each
// {"value", "data_type", "output_name"}; values as the execution response renders outputs.
func encodeMessage(m *message, req adapter.SendRequest, now time.Time) ([]byte, error) {
	b := []byte(`{"transformation_id":`)
	b = nullableString(b, req.TransformationID)
	b = append(b, `,"job_id":`...)
	b = nullableString(b, req.JobID)
	b = append(b, `,"message_creation_timestamp":"`...)
	b = data.AppendISOFormat(b, now.UnixNano(), data.UTC)
	b = append(b, '"')
	one := func(b []byte, p part) ([]byte, error) {
		b = append(b, `{"value":`...)
		var err error
		if b, err = appendJSON(b, req.Values[p.b.Name]); err != nil {
			return nil, fmt.Errorf("output '%s': %w", p.b.Name, err)
		}
		b = append(b, `,"data_type":`...)
		b = wire.AppendString(b, p.typ)
		b = append(b, `,"output_name":`...)
		b = wire.AppendString(b, p.b.Name)
		return append(b, '}'), nil
	}
	var err error
	if !m.multi() {
		b = append(b, `,"value":`...)
		if b, err = one(b, m.parts[0]); err != nil {
			return nil, err
		}
		return append(b, '}'), nil
	}
	b = append(b, `,"values":{`...)
	for i, p := range m.parts {
		if i > 0 {
			b = append(b, ',')
		}
		b = wire.AppendString(b, p.valueKey)
		b = append(b, ':')
		if b, err = one(b, p); err != nil {
			return nil, err
		}
	}
	return append(b, "}}"...), nil
}

func nullableString(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return wire.AppendString(b, s)
}

// consumedKey carries the message of a consumption-mode execution.
type consumedKey struct{}

type consumedMessage struct {
	configKey string
	msg       *Message
	key       []byte // the record's key, reused for the output messages
}

// WithMessage returns ctx carrying msg, the message being handled for the Kafka config
// configKey (its record key recordKey): the adapter's loads for that config use it
// instead of consuming, and its output messages get the same record key.
func WithMessage(ctx context.Context, configKey string, msg *Message, recordKey []byte) context.Context {
	return context.WithValue(ctx, consumedKey{}, consumedMessage{configKey: configKey, msg: msg, key: recordKey})
}

func consumed(ctx context.Context, configKey string) (*Message, bool) {
	c, ok := ctx.Value(consumedKey{}).(consumedMessage)
	if !ok || c.configKey != configKey {
		return nil, false
	}
	return c.msg, true
}

// recordKey is the key for produced messages: the handled record's in consumption mode
// (so that its outputs keep the order of its key), else none, as hetida sends them.
func recordKey(ctx context.Context) []byte {
	c, ok := ctx.Value(consumedKey{}).(consumedMessage)
	if !ok || len(c.key) == 0 {
		return nil
	}
	return c.key
}
