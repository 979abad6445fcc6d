// Package adapter connects workflow inputs and outputs to the outside world. hetida calls
// an adapter once per execution for all wirings that name it; so do we. Adapters that need
// a transport (SQL, files, REST, Kafka) implement Source and/or Sink and are registered by
// main; the runtime only ships direct provisioning.
package adapter

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
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

// Ref is the source or sink id of a wiring as hetida's adapters read it: ref_key when
// set, else ref_id ("" when neither is).
func (b Binding) Ref() string {
	switch {
	case b.RefKey != nil:
		return *b.RefKey
	case b.RefID != nil:
		return *b.RefID
	}
	return ""
}

// LoadRequest asks a source adapter for the raw values of some inputs.
type LoadRequest struct {
	JobID    string
	Bindings []Binding
	// MaxPoints is the point limit (MAX_POINTS; 0: none): an adapter that streams rows
	// stops reading once an input has more and fails with TooManyPoints, instead of
	// holding what the runtime would refuse after parsing.
	MaxPoints int
}

// SendRequest hands output values to a sink adapter.
type SendRequest struct {
	JobID string
	// TransformationID is the executed revision's id (the Kafka adapter's messages
	// carry it).
	TransformationID string
	Bindings         []Binding
	Values           map[string]any // by binding name
}

// Source loads input data. It returns raw values by binding name: strings in hetida's
// manual-input formats, decoded JSON values, or values already built (a *data.Series for
// SERIES, a *data.DataFrame for DATAFRAME and MULTITSFRAME, which the runtime still
// validates as hetida's MULTITSFRAME); the runtime parses them by type.
//
// The runtime calls the sources of one request concurrently (one call per adapter), so a
// Source must be safe for concurrent use; it honours ctx (the execution timeout).
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
// Wiring, when set, is the workflow input or output whose wiring failed and Ref its
// source or sink id: the runtime then reports the adapter id, the wiring and Message (the
// cause) together. Err is the underlying error for errors.Is/As; it is never rendered, so
// a Message must not carry credentials.
type Error struct {
	Type    string
	Message string
	Wiring  string
	Ref     string
	Err     error
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// WiringFailed is the failure of binding b's wiring with a message of its cause.
func WiringFailed(typ string, b Binding, msg string, err error) *Error {
	return &Error{Type: typ, Message: msg, Wiring: b.Name, Ref: b.Ref(), Err: err}
}

// TooManyPoints is the failure of an input that has more than limit points (MAX_POINTS).
func TooManyPoints(b Binding, limit int) *Error {
	return WiringFailed("InputTooLarge", b, fmt.Sprintf("Input '%s' has more than the limit of %d points (MAX_POINTS).", b.Name, limit), nil)
}

// Registry maps adapter ids to implementations, and keeps the descriptions that
// GET /api/adapters lists. main fills it before the runtime is built; it is read-only
// afterwards (safe for concurrent reads).
type Registry struct {
	sources map[ID]Source
	sinks   map[ID]Sink
	infos   []Info
}

// Info describes an adapter as hetida's backend lists it (GET /api/adapters): its id,
// display name and the URLs of its browsing API (external, and as the backend reaches it).
type Info struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	URL         string `json:"url"`
	InternalURL string `json:"internalUrl"`
}

// Describe adds an adapter to the listing. A second description of the same id replaces
// the first in its place (e.g. HETIDA_DESIGNER_ADAPTERS naming a built-in adapter's URLs).
func (r *Registry) Describe(info Info) {
	for i := range r.infos {
		if r.infos[i].ID == info.ID {
			r.infos[i] = info
			return
		}
	}
	r.infos = append(r.infos, info)
}

// Infos returns the listing in order of description.
func (r *Registry) Infos() []Info { return slices.Clone(r.infos) }

// ListingJSON renders the listing as hetida's backend answers GET /api/adapters: a JSON
// array of {"id","name","url","internalUrl"} ([] when nothing is described).
func (r *Registry) ListingJSON() []byte {
	infos := r.infos
	if infos == nil {
		infos = []Info{}
	}
	b, err := json.Marshal(infos)
	if err != nil { // strings only: cannot happen
		return []byte("[]")
	}
	return b
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

// UnknownError is the failure for an adapter id nobody registered. hetida treats every
// string id it has no built-in adapter for as a generic REST adapter and fails when none
// is registered under it; so does trafofn (HETIDA_DESIGNER_ADAPTERS registers them).
func UnknownError(id ID) error {
	if !id.IsInt {
		return &Error{Type: "AdapterHandlingException", Message: fmt.Sprintf("Adapter with id %q is not registered in this runtime: no built-in adapter has this id, and HETIDA_DESIGNER_ADAPTERS registers no generic REST adapter under it.", id.Str)}
	}
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

// CanonicalExternalType returns the canonical spelling of a wiring's external data type
// (hetida's ExternalType: "metadata(int)", "timeseries(float)", "series(any)",
// "multitsframe", "dataframe"), accepting the aliases hetida accepts (integer, str, bool,
// object).
func CanonicalExternalType(s string) (string, bool) {
	c, ok := externalTypes[s]
	return c, ok
}

var externalTypes = map[string]string{
	"metadata(int)": "metadata(int)", "metadata(integer)": "metadata(int)",
	"metadata(float)": "metadata(float)", "metadata(string)": "metadata(string)",
	"metadata(str)": "metadata(string)", "metadata(boolean)": "metadata(boolean)",
	"metadata(bool)": "metadata(boolean)", "metadata(any)": "metadata(any)",
	"timeseries(int)": "timeseries(int)", "timeseries(integer)": "timeseries(int)",
	"timeseries(float)": "timeseries(float)", "timeseries(string)": "timeseries(string)",
	"timeseries(str)": "timeseries(string)", "timeseries(boolean)": "timeseries(boolean)",
	"timeseries(bool)": "timeseries(boolean)", "timeseries(any)": "timeseries(any)",
	"timeseries(object)": "timeseries(any)", "series(int)": "series(int)",
	"series(integer)": "series(int)", "series(float)": "series(float)",
	"series(string)": "series(string)", "series(str)": "series(string)",
	"series(boolean)": "series(boolean)", "series(bool)": "series(boolean)",
	"series(any)": "series(any)", "series(object)": "series(any)",
	"multitsframe": "multitsframe", "dataframe": "dataframe",
}
