package component

import (
	"errors"
	"fmt"

	"github.com/trafofn/trafofn/runtime/data"
)

// Inputs are the input values of one component call, bound to the component's Spec so
// that reads are checked against its declared ports.
type Inputs struct {
	spec *Spec
	vals []Named
	// undeclared, when set (tests), collects the names of undeclared inputs read.
	undeclared *[]string
	env        *Env
}

// Named is one input value.
type Named struct {
	Name  string
	Value any
}

// InputsOf wraps input values for spec (the engine's form: no map per execution).
func InputsOf(spec *Spec, vals []Named) Inputs { return Inputs{spec: spec, vals: vals} }

// NewInputs wraps a name → value map for spec (convenient in tests).
func NewInputs(spec *Spec, vals map[string]any) Inputs {
	in := Inputs{spec: spec, vals: make([]Named, 0, len(vals))}
	for k, v := range vals {
		in.vals = append(in.vals, Named{k, v})
	}
	return in
}

// Traced returns a copy of in that records every read of an undeclared input in *names,
// so that a test sees such reads even when the component swallows the Reader's error.
func (in Inputs) Traced(names *[]string) Inputs { in.undeclared = names; return in }

// Read starts reading the inputs: every accessor of the returned Reader records the first
// failure, so a component reads all its inputs and checks Err once.
func (in Inputs) Read() *Reader { return &Reader{in: in} }

// ErrUndeclared marks a read of an input the component's Spec does not declare: a
// programming error that the library's invariants test finds for every component.
var ErrUndeclared = errors.New("component reads an undeclared input")

// Reader reads typed input values with sticky errors:
//
//	r := in.Read()
//	s := r.Series("data", component.DatetimeIndex, component.SortedIndex)
//	level := r.Float("level")
//	if err := r.Err(); err != nil {
//		return nil, err
//	}
//
// After a failure the accessors return zero values (empty, never nil, pandas objects), so
// code between the reads and the Err check cannot crash on them.
type Reader struct {
	in  Inputs
	err error
}

// Err returns the first failure of any read, nil when every read succeeded.
func (r *Reader) Err() error { return r.err }

// Fail records err for input name unless a failure was recorded before; components use it
// for their own validations so that the error names the input. A *data.Error gets the
// input's name attached.
func (r *Reader) Fail(name string, err error) {
	if r.err != nil || err == nil {
		return
	}
	var de *data.Error
	if errors.As(err, &de) && de.Input == "" && name != "" {
		c := *de
		c.Input = name
		err = &c
	}
	r.err = err
}

// Has reports whether the input received a value other than None.
func (r *Reader) Has(name string) bool { v, _ := r.value(name); return v != nil }

// value returns the input's value (nil for None or no value) and whether the read is
// allowed (the input is declared).
func (r *Reader) value(name string) (any, bool) {
	if r.in.spec != nil {
		if _, ok := r.in.spec.Input(name); !ok {
			if r.in.undeclared != nil {
				*r.in.undeclared = append(*r.in.undeclared, name)
			}
			if r.err == nil {
				r.err = fmt.Errorf("%w %q (%s)", ErrUndeclared, name, r.in.spec.Name)
			}
			return nil, false
		}
	}
	for i := range r.in.vals {
		if r.in.vals[i].Name == name {
			return data.UnwrapNumpy(r.in.vals[i].Value), true
		}
	}
	return nil, true
}

// Any returns an input's raw value: nil for None, else whatever the upstream operator or
// the parser produced (ANY inputs).
func (r *Reader) Any(name string) any { v, _ := r.value(name); return v }

func (r *Reader) typeError(name, want string, v any) {
	r.Fail(name, data.TypeError("input '%s' must be %s, got %s", name, want, data.PyTypeName(v)))
}

var (
	emptySeries = data.NewSeries(nil, data.Range(0), data.Floats(nil))
	emptyFrame  = data.NewDataFrame(data.Range(0), nil, nil)
)

// Series returns a SERIES input (or an ANY input expected to hold one) after the checks.
func (r *Reader) Series(name string, checks ...Check) *data.Series {
	v, ok := r.value(name)
	if !ok {
		return emptySeries
	}
	s, isSeries := v.(*data.Series)
	if !isSeries {
		r.typeError(name, "a pandas Series", v)
		return emptySeries
	}
	for _, c := range checks {
		if err := c.series(s); err != nil {
			r.Fail(name, err)
			return emptySeries
		}
	}
	return s
}

// OptSeries is Series for an optional input: nil when it is None.
func (r *Reader) OptSeries(name string, checks ...Check) *data.Series {
	if v, ok := r.value(name); !ok || v == nil {
		return nil
	}
	return r.Series(name, checks...)
}

// Frame returns a DATAFRAME or MULTITSFRAME input after the checks.
func (r *Reader) Frame(name string, checks ...Check) *data.DataFrame {
	v, ok := r.value(name)
	if !ok {
		return emptyFrame
	}
	f, isFrame := v.(*data.DataFrame)
	if !isFrame {
		r.typeError(name, "a pandas DataFrame", v)
		return emptyFrame
	}
	for _, c := range checks {
		if err := c.frame(f); err != nil {
			r.Fail(name, err)
			return emptyFrame
		}
	}
	return f
}

// OptFrame is Frame for an optional input: nil when it is None.
func (r *Reader) OptFrame(name string, checks ...Check) *data.DataFrame {
	if v, ok := r.value(name); !ok || v == nil {
		return nil
	}
	return r.Frame(name, checks...)
}

// Pandas returns an input that must hold a Series or a DataFrame (ANY inputs of
// components that accept both), after the checks.
func (r *Reader) Pandas(name string, checks ...Check) any {
	v, ok := r.value(name)
	if !ok {
		return emptySeries
	}
	switch x := v.(type) {
	case *data.Series:
		return r.Series(name, checks...)
	case *data.DataFrame:
		return r.Frame(name, checks...)
	default:
		r.typeError(name, "a pandas Series or DataFrame", x)
		return emptySeries
	}
}

// Float returns a FLOAT input; ints and bools convert as in Python arithmetic.
func (r *Reader) Float(name string) float64 {
	v, ok := r.value(name)
	if !ok {
		return 0
	}
	f, isNum := data.ToFloat(v)
	if !isNum {
		r.typeError(name, "a number", v)
	}
	return f
}

// OptFloat is Float for an optional input: ok is false when it is None.
func (r *Reader) OptFloat(name string) (f float64, ok bool) {
	if v, declared := r.value(name); !declared || v == nil {
		return 0, false
	}
	return r.Float(name), r.err == nil
}

// Int returns an INT input (bools count as 0 and 1, as in Python).
func (r *Reader) Int(name string) int64 {
	v, ok := r.value(name)
	if !ok {
		return 0
	}
	switch x := v.(type) {
	case int64:
		return x
	case bool:
		if x {
			return 1
		}
		return 0
	}
	r.typeError(name, "an integer", v)
	return 0
}

// OptInt is Int for an optional input: ok is false when it is None.
func (r *Reader) OptInt(name string) (n int64, ok bool) {
	if v, declared := r.value(name); !declared || v == nil {
		return 0, false
	}
	return r.Int(name), r.err == nil
}

// String returns a STRING input.
func (r *Reader) String(name string) string {
	v, ok := r.value(name)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		r.typeError(name, "a string", v)
	}
	return s
}

// OptString is String for an optional input: ok is false when it is None.
func (r *Reader) OptString(name string) (s string, ok bool) {
	if v, declared := r.value(name); !declared || v == nil {
		return "", false
	}
	return r.String(name), r.err == nil
}

// Bool returns a BOOLEAN input.
func (r *Reader) Bool(name string) bool {
	v, ok := r.value(name)
	if !ok {
		return false
	}
	b, isBool := v.(bool)
	if !isBool {
		r.typeError(name, "a boolean", v)
	}
	return b
}

// OptBool is Bool for an optional input: ok is false when it is None.
func (r *Reader) OptBool(name string) (b bool, ok bool) {
	if v, declared := r.value(name); !declared || v == nil {
		return false, false
	}
	return r.Bool(name), r.err == nil
}
