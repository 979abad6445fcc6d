// Package adapter connects workflow inputs and outputs to the outside world. hetida calls
// an adapter once per execution for all wirings that name it; so do we. Adapters that need
// a transport (SQL, files, REST, Kafka) implement Source and/or Sink and are registered by
// main; the runtime only ships direct provisioning.
package adapter

import (
	"context"
	"fmt"
	"strconv"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// ID is a wiring's adapter_id: an int or a string. hetida treats 1 and
// "direct_provisioning" as distinct groups of the same adapter.
type ID struct {
	Int   int64
	Str   string
	IsInt bool
}

// IntID and StrID build IDs.
func IntID(i int64) ID  { return ID{Int: i, IsInt: true} }
func StrID(s string) ID { return ID{Str: s} }
func (id ID) String() string {
	if id.IsInt {
		return strconv.FormatInt(id.Int, 10)
	}
	return id.Str
}

// Filter is one entry of a wiring's filters (keys unique, order kept). A large value may
// still be in its escaped JSON form (Raw): Value unescapes it, direct provisioning hands
// it to the parser as is.
type Filter struct {
	Key   string
	value string
	raw   *wire.Escaped
}

// NewFilter makes a filter with a plain value.
func NewFilter(key, value string) Filter { return Filter{Key: key, value: value} }

// EscapedFilter makes a filter whose value is still escaped JSON string content.
func EscapedFilter(key string, raw *wire.Escaped) Filter { return Filter{Key: key, raw: raw} }

// Value returns the filter's string value.
func (f Filter) Value() string {
	if f.raw != nil {
		return f.raw.String()
	}
	return f.value
}

// Raw returns the value for parsing: a string or a wire.Escaped.
func (f Filter) Raw() any {
	if f.raw != nil {
		return f.raw
	}
	return f.value
}

// Filters are a wiring's string filters.
type Filters []Filter

// Get returns the filter value for key.
func (f Filters) Get(key string) (string, bool) {
	for _, x := range f {
		if x.Key == key {
			return x.Value(), true
		}
	}
	return "", false
}

// GetRaw returns the filter value for key in the form of Filter.Raw.
func (f Filters) GetRaw(key string) (any, bool) {
	for _, x := range f {
		if x.Key == key {
			return x.Raw(), true
		}
	}
	return nil, false
}

// Binding is one workflow input or output wired to an adapter.
type Binding struct {
	Name      string    // workflow input/output name
	Type      data.Type // its declared data type
	RefID     *string
	RefIDType *string
	RefKey    *string
	External  *string // the wiring's "type" (ExternalType), canonical spelling
	Filters   Filters
}

// LoadRequest asks a source adapter for the raw values of some inputs.
type LoadRequest struct {
	JobID    string
	Bindings []Binding
}

// SendRequest hands output values to a sink adapter.
type SendRequest struct {
	JobID    string
	Bindings []Binding
	Values   map[string]any // by binding name
}

// Source loads input data. It returns raw values by binding name: strings in hetida's
// manual-input formats or decoded JSON values; the runtime parses them by type.
type Source interface {
	Load(ctx context.Context, req LoadRequest) (map[string]any, error)
}

// Sink sends output data. It returns the values that belong in the execution response
// (only direct provisioning returns any).
type Sink interface {
	Send(ctx context.Context, req SendRequest) (map[string]any, error)
}

// Error is an adapter failure, reported with hetida's adapter error classes
// (AdapterHandlingException, AdapterClientWiringInvalidError, AdapterConnectionError, …).
type Error struct {
	Type    string
	Message string
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// Registry maps adapter ids to implementations.
type Registry struct {
	sources map[ID]Source
	sinks   map[ID]Sink
}

// NewRegistry returns a registry with direct provisioning under 1 and
// "direct_provisioning".
func NewRegistry() *Registry {
	r := &Registry{sources: map[ID]Source{}, sinks: map[ID]Sink{}}
	for _, id := range []ID{IntID(1), StrID("direct_provisioning")} {
		r.sources[id] = Direct{}
		r.sinks[id] = Direct{}
	}
	return r
}

// RegisterSource adds a source adapter.
func (r *Registry) RegisterSource(id ID, s Source) { r.sources[id] = s }

// RegisterSink adds a sink adapter.
func (r *Registry) RegisterSink(id ID, s Sink) { r.sinks[id] = s }

// Source returns the source adapter registered under id.
func (r *Registry) Source(id ID) (Source, bool) { s, ok := r.sources[id]; return s, ok }

// Sink returns the sink adapter registered under id.
func (r *Registry) Sink(id ID) (Sink, bool) { s, ok := r.sinks[id]; return s, ok }

// UnknownError is the failure for an adapter id nobody registered.
func UnknownError(id ID) error {
	return &Error{Type: "AdapterHandlingException", Message: fmt.Sprintf("Adapter with id %q is not registered in this runtime (known: 1, \"direct_provisioning\").", id.String())}
}

// Direct is hetida's direct provisioning: input values come from the wiring's "value"
// filter, output values go into the response.
type Direct struct{}

// Load returns each binding's "value" filter.
func (Direct) Load(_ context.Context, req LoadRequest) (map[string]any, error) {
	out := make(map[string]any, len(req.Bindings))
	for _, b := range req.Bindings {
		v, ok := b.Filters.GetRaw("value")
		if !ok {
			return nil, &Error{Type: "AdapterClientWiringInvalidError", Message: "Direct Input Provisioning without 'value' field in filters"}
		}
		out[b.Name] = v
	}
	return out, nil
}

// Send returns the values for the response.
func (Direct) Send(_ context.Context, req SendRequest) (map[string]any, error) {
	out := make(map[string]any, len(req.Bindings))
	for _, b := range req.Bindings {
		out[b.Name] = req.Values[b.Name]
	}
	return out, nil
}
