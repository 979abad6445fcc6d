package component

import (
	"github.com/trafofn/trafofn/runtime/data"
)

// Inputs gives a component typed access to its input values. Values arrive parsed by their
// declared type; an input linked from an ANY output may still hold anything, so the typed
// accessors check and fail with the error Python code would raise.
type Inputs struct {
	vals map[string]any
}

// NewInputs wraps a name → value map (used by the engine and by tests).
func NewInputs(vals map[string]any) Inputs { return Inputs{vals: vals} }

// Value returns the raw value of an input (nil when absent or None).
func (in Inputs) Value(name string) any { return in.vals[name] }

// Has reports whether the input received a value (None counts as a value).
func (in Inputs) Has(name string) bool { _, ok := in.vals[name]; return ok }

// Series returns a SERIES input.
func (in Inputs) Series(name string) (*data.Series, error) {
	v := in.vals[name]
	if s, ok := v.(*data.Series); ok {
		return s, nil
	}
	return nil, TypeError("input '%s' must be a pandas Series, got %s", name, PyTypeName(v))
}

// Frame returns a DATAFRAME or MULTITSFRAME input.
func (in Inputs) Frame(name string) (*data.DataFrame, error) {
	v := in.vals[name]
	if f, ok := v.(*data.DataFrame); ok {
		return f, nil
	}
	return nil, TypeError("input '%s' must be a pandas DataFrame, got %s", name, PyTypeName(v))
}

// Float returns a FLOAT input; ints and bools convert as in Python arithmetic.
func (in Inputs) Float(name string) (float64, error) {
	v := in.vals[name]
	if f, ok := data.ToFloat(v); ok {
		return f, nil
	}
	return 0, TypeError("input '%s' must be a number, got %s", name, PyTypeName(v))
}

// Int returns an INT input.
func (in Inputs) Int(name string) (int64, error) {
	switch x := in.vals[name].(type) {
	case int64:
		return x, nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	}
	return 0, TypeError("input '%s' must be an integer, got %s", name, PyTypeName(in.vals[name]))
}

// String returns a STRING input.
func (in Inputs) String(name string) (string, error) {
	if s, ok := in.vals[name].(string); ok {
		return s, nil
	}
	return "", TypeError("input '%s' must be a string, got %s", name, PyTypeName(in.vals[name]))
}

// Bool returns a BOOLEAN input.
func (in Inputs) Bool(name string) (bool, error) {
	if b, ok := in.vals[name].(bool); ok {
		return b, nil
	}
	return false, TypeError("input '%s' must be a boolean, got %s", name, PyTypeName(in.vals[name]))
}
