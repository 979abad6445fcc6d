package component

import (
	"github.com/trafofn/trafofn/runtime/data"
)

// Inputs gives a component typed access to its input values. Values arrive parsed by their
// declared type; an input linked from an ANY output may still hold anything, so the typed
// accessors check and fail with the error Python code would raise.
type Inputs struct {
	vals []Named
}

// Named is one input value.
type Named struct {
	Name  string
	Value any
}

// NewInputs wraps a name → value map (convenient in tests).
func NewInputs(vals map[string]any) Inputs {
	in := Inputs{vals: make([]Named, 0, len(vals))}
	for k, v := range vals {
		in.vals = append(in.vals, Named{k, v})
	}
	return in
}

// InputsOf wraps input values (the engine's form: no map per execution).
func InputsOf(vals []Named) Inputs { return Inputs{vals: vals} }

func (in Inputs) get(name string) (any, bool) {
	for i := range in.vals {
		if in.vals[i].Name == name {
			return in.vals[i].Value, true
		}
	}
	return nil, false
}

// Value returns the raw value of an input (nil when absent or None).
func (in Inputs) Value(name string) any { v, _ := in.get(name); return v }

// Has reports whether the input received a value (None counts as a value).
func (in Inputs) Has(name string) bool { _, ok := in.get(name); return ok }

// Series returns a SERIES input.
func (in Inputs) Series(name string) (*data.Series, error) {
	v := in.Value(name)
	if s, ok := v.(*data.Series); ok {
		return s, nil
	}
	return nil, TypeError("input '%s' must be a pandas Series, got %s", name, PyTypeName(v))
}

// Frame returns a DATAFRAME or MULTITSFRAME input.
func (in Inputs) Frame(name string) (*data.DataFrame, error) {
	v := in.Value(name)
	if f, ok := v.(*data.DataFrame); ok {
		return f, nil
	}
	return nil, TypeError("input '%s' must be a pandas DataFrame, got %s", name, PyTypeName(v))
}

// Float returns a FLOAT input; ints and bools convert as in Python arithmetic.
func (in Inputs) Float(name string) (float64, error) {
	v := in.Value(name)
	if f, ok := data.ToFloat(v); ok {
		return f, nil
	}
	return 0, TypeError("input '%s' must be a number, got %s", name, PyTypeName(v))
}

// Int returns an INT input.
func (in Inputs) Int(name string) (int64, error) {
	switch x := in.Value(name).(type) {
	case int64:
		return x, nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	}
	return 0, TypeError("input '%s' must be an integer, got %s", name, PyTypeName(in.Value(name)))
}

// String returns a STRING input.
func (in Inputs) String(name string) (string, error) {
	if s, ok := in.Value(name).(string); ok {
		return s, nil
	}
	return "", TypeError("input '%s' must be a string, got %s", name, PyTypeName(in.Value(name)))
}

// Bool returns a BOOLEAN input.
func (in Inputs) Bool(name string) (bool, error) {
	if b, ok := in.Value(name).(bool); ok {
		return b, nil
	}
	return false, TypeError("input '%s' must be a boolean, got %s", name, PyTypeName(in.Value(name)))
}
