package plotly

import (
	"sync/atomic"

	"github.com/trafofn/trafofn/runtime/data"
)

// clock orders property assignments. plotly.py keeps every object's properties in a dict,
// so the JSON lists keys in the order they were first set (the constructor sets its
// arguments in alphabetical order, later updates append). Go struct fields cannot tell
// when they were assigned, so every value made by Str, Int, Val, … or stored by Set
// carries a tick of this process-wide counter, and rendering sorts by it. Only the
// relative order within one figure matters; the counter is atomic so that figures can be
// built concurrently.
var clock atomic.Uint64

func tick() uint64 { return clock.Add(1) }

// Number is a plotly number: Python distinguishes 5 from 5.0, and so does the JSON.
type Number struct {
	f       float64
	i       int64
	isFloat bool
}

// Float64 returns the number as a float.
func (n Number) Float64() float64 {
	if n.isFloat {
		return n.f
	}
	return float64(n.i)
}

// Data is a value plotly accepts in data-array or free-form properties: a data.Column,
// []float64, []int64, []string, []bool, []any, [][]float64, [][]string, [][]any,
// []data.Column, a *data.Dict, a scalar (nil, bool, int, int64, float64, string,
// data.Timestamp, data.Timedelta, Number) or RawJSON. See Val for how each renders.
type Data struct{ v any }

// Value returns the wrapped Go value.
func (d Data) Value() any { return d.v }

// RawJSON is JSON text inserted as it is (a template, a value built elsewhere).
type RawJSON []byte

// leaf lists the property value types.
type leaf interface {
	string | bool | Number | Data
}

// Opt is an optional property: unset (the zero value) properties are not rendered. A set
// Opt remembers when its value was made, which places its key the way plotly.py's dicts
// would (see clock).
type Opt[T leaf] struct {
	v   T
	seq uint64
}

// IsSet reports whether the property has a value.
func (o Opt[T]) IsSet() bool { return o.seq != 0 }

// Value returns the value (the zero value when unset).
func (o Opt[T]) Value() T { return o.v }

// Set stores v's value the way assigning a key of a Python dict does: a key that is
// already set keeps its place, a new key goes after everything set so far. Plain
// assignment (o = plotly.Str(…)) instead places the key when its value was made. Setting
// an unset Opt is a no-op.
func (o *Opt[T]) Set(v Opt[T]) {
	if v.seq == 0 {
		return
	}
	if o.seq == 0 {
		o.seq = tick()
	}
	o.v = v.v
}

// Clear unsets the property.
func (o *Opt[T]) Clear() { *o = Opt[T]{} }

func (o *Opt[T]) merge(src leafNode) {
	if s, ok := src.(*Opt[T]); ok {
		o.Set(*s)
	}
}

// Str is a string property.
func Str(s string) Opt[string] { return Opt[string]{v: s, seq: tick()} }

// PyText is a string property from a Python value, as plotly's string validator coerces
// it: a string as it is, a number through str() (a series named 5 gives the title "5").
func PyText(v any) Opt[string] {
	if s, ok := v.(string); ok {
		return Str(s)
	}
	return Str(data.PyStr(v))
}

// Bool is a boolean property.
func Bool(b bool) Opt[bool] { return Opt[bool]{v: b, seq: tick()} }

// integer lists the Go integer types Int accepts.
type integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32
}

// Int is an integer number property (rendered without a decimal point, like a Python int).
func Int[I integer](i I) Opt[Number] { return Opt[Number]{v: Number{i: int64(i)}, seq: tick()} }

// Float is a float number property (rendered as Python's repr: 15.0, 0.8799999999999999;
// NaN and ±Inf as null, as PlotlyJSONEncoder does).
func Float(f float64) Opt[Number] { return Opt[Number]{v: Number{f: f, isFloat: true}, seq: tick()} }

// Col is a data array from a column, rendered as plotly.py renders a pandas Series or
// Index: floats in Python's repr with NaN/±Inf as null, ints as ints, timestamps via
// to_pydatetime().isoformat() (microseconds, the zone's offset, NaT as null), timedeltas as
// integer nanoseconds, object values one by one as Val renders them.
func Col(c data.Column) Opt[Data] { return Opt[Data]{v: Data{v: c}, seq: tick()} }

// Val is a property holding any Data value. Slices render as arrays ([]float64 like a
// float column); elements of []any, [][]any and []data.Column (a table's cells, one list
// per column) and scalars render as PlotlyJSONEncoder renders Python objects: a
// data.Timestamp via pandas' Timestamp.isoformat() (nanoseconds when set), a
// data.Timedelta via Timedelta.isoformat() ("P0DT0H0M1S"), NaN/NaT as null. Values of other
// types make rendering fail.
func Val(v any) Opt[Data] { return Opt[Data]{v: Data{v: v}, seq: tick()} }

// Props holds properties the typed structs do not model (plotly has hundreds), rendered
// with the struct's own keys. Do not set a key that is also a field.
type Props struct{ kv []prop }

type prop struct {
	key string
	v   any
	seq uint64
}

// Set assigns key like a Python dict does (an existing key keeps its place). v is
// rendered as Val renders it; nested objects can be given as *data.Dict.
func (p *Props) Set(key string, v any) {
	for i := range p.kv {
		if p.kv[i].key == key {
			p.kv[i].v = v
			return
		}
	}
	p.kv = append(p.kv, prop{key: key, v: v, seq: tick()})
}

// Get returns the value of key.
func (p *Props) Get(key string) (any, bool) {
	for _, e := range p.kv {
		if e.key == key {
			return e.v, true
		}
	}
	return nil, false
}

// Len is the number of keys.
func (p *Props) Len() int { return len(p.kv) }

func (e *prop) merge(leafNode) {} // Props merge key by key (mergeProps)

func (e *prop) write(w *writer) { w.any(e.v) }
