package data

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Error is a failure worded as the Python exception hetida's pandas code would raise:
// Type is the exception class ("ValueError", "TypeError", "KeyError", …), Message its text.
// The engine reports it as it is (error.type and error.message), so data functions and
// components return it without translation. Code and Extra fill hetida's error_code and
// extra_information for ComponentException-style errors.
type Error struct {
	Type    string
	Message string
	Code    any   // nil, int64 or string
	Extra   *Dict // nil or extra information
	// Input names the component input whose value caused the error, when known; it is
	// reported next to the message (the message itself stays pandas' text).
	Input string
}

func (e *Error) Error() string {
	if e.Input != "" {
		return e.Type + ": " + e.Message + " (input '" + e.Input + "')"
	}
	return e.Type + ": " + e.Message
}

func pyErr(typ, format string, args []any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Type: typ, Message: msg}
}

// ValueError is Python's ValueError.
func ValueError(format string, args ...any) error { return pyErr("ValueError", format, args) }

// TypeError is Python's TypeError.
func TypeError(format string, args ...any) error { return pyErr("TypeError", format, args) }

// KeyError is Python's KeyError; its message is the repr of the missing key, as Python
// prints it.
func KeyError(key any) error { return &Error{Type: "KeyError", Message: PyRepr(key)} }

// IndexError is Python's IndexError.
func IndexError(format string, args ...any) error { return pyErr("IndexError", format, args) }

// ZeroDivisionError is Python's ZeroDivisionError.
func ZeroDivisionError(format string, args ...any) error {
	return pyErr("ZeroDivisionError", format, args)
}

// NotImplementedError is Python's NotImplementedError.
func NotImplementedError(format string, args ...any) error {
	return pyErr("NotImplementedError", format, args)
}

// AttributeError reports that v has no attribute attr, worded like Python.
func AttributeError(v any, attr string) error {
	return &Error{Type: "AttributeError", Message: fmt.Sprintf("'%s' object has no attribute '%s'", PyTypeName(v), attr)}
}

// UnsupportedOperand is Python's TypeError for a binary operator between values of types
// it does not support: "unsupported operand type(s) for +: 'str' and 'int'".
func UnsupportedOperand(op string, a, b any) error {
	return &Error{Type: "TypeError", Message: fmt.Sprintf("unsupported operand type(s) for %s: '%s' and '%s'", op, PyTypeName(a), PyTypeName(b))}
}

// NotSupportedBetween is Python's TypeError for an ordering comparison between
// incomparable values: "'<' not supported between instances of 'str' and 'float'".
func NotSupportedBetween(op string, a, b any) error {
	return &Error{Type: "TypeError", Message: fmt.Sprintf("'%s' not supported between instances of '%s' and '%s'", op, PyTypeName(a), PyTypeName(b))}
}

// BadOperandUnary is Python's TypeError for a unary operator: "bad operand type for
// abs(): 'str'".
func BadOperandUnary(op string, v any) error {
	return &Error{Type: "TypeError", Message: fmt.Sprintf("bad operand type for %s: '%s'", op, PyTypeName(v))}
}

// NotIterable is Python's TypeError "'int' object is not iterable".
func NotIterable(v any) error {
	return &Error{Type: "TypeError", Message: fmt.Sprintf("'%s' object is not iterable", PyTypeName(v))}
}

// PyTypeNamer is implemented by runtime values that stand for a Python class of their
// own (models, example classes): PyTypeName reports that name.
type PyTypeNamer interface{ PyTypeName() string }

// PyTypeName names the Python type a runtime value stands for (type(v).__name__).
func PyTypeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int64, int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []any:
		return "list"
	case *Dict:
		return "dict"
	case *Series:
		return "Series"
	case *DataFrame:
		return "DataFrame"
	case Timestamp:
		return "Timestamp"
	case Timedelta:
		return "Timedelta"
	case PyComplex:
		return "complex"
	case NumpyScalar:
		return x.Type
	case PyTypeNamer:
		return x.PyTypeName()
	}
	return fmt.Sprintf("%T", v)
}

// ScalarTypeName is the name pandas and numpy give a value of a column's dtype in
// operator errors ("float", "int", "bool", "str", "Timestamp").
func (c Column) ScalarTypeName() string {
	switch c.DType {
	case Float64:
		return "float"
	case Int64:
		return "int"
	case Bool:
		return "bool"
	case Datetime:
		return "Timestamp"
	case Timedeltas:
		return "Timedelta"
	}
	for _, v := range c.O {
		if v != nil {
			return PyTypeName(v)
		}
	}
	return "float"
}

// Truthy is Python's bool(v) for scalars and containers. pandas objects have no truth
// value: for them ok is false and err is pandas' ValueError.
func Truthy(v any) (truth bool, err error) {
	switch x := v.(type) {
	case nil:
		return false, nil
	case bool:
		return x, nil
	case int64:
		return x != 0, nil
	case int:
		return x != 0, nil
	case float64:
		return x != 0, nil // NaN is truthy in Python
	case string:
		return x != "", nil
	case []any:
		return len(x) > 0, nil
	case *Dict:
		return x.Len() > 0, nil
	case Timestamp:
		return true, nil
	case Timedelta:
		return x.NS != 0, nil
	case *Series, *DataFrame:
		return false, ValueError("The truth value of a %s is ambiguous. Use a.empty, a.bool(), a.item(), a.any() or a.all().", PyTypeName(v))
	}
	return true, nil
}

// PyRepr renders a value as Python's repr would ('a', 1, 1.5, None, True, [1, 'b'],
// {'k': 2}, Timestamp('2020-01-01 00:00:00+0000', tz='UTC')).
func PyRepr(v any) string {
	var b strings.Builder
	appendRepr(&b, v)
	return b.String()
}

func appendRepr(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("None")
	case string:
		b.WriteString(pyQuote(x))
	case bool:
		if x {
			b.WriteString("True")
		} else {
			b.WriteString("False")
		}
	case float64:
		b.Write(AppendPyFloat(nil, x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case int:
		b.WriteString(strconv.Itoa(x))
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			appendRepr(b, e)
		}
		b.WriteByte(']')
	case *Dict:
		b.WriteByte('{')
		for i := 0; i < x.Len(); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			k, e := x.At(i)
			b.WriteString(pyQuote(k))
			b.WriteString(": ")
			appendRepr(b, e)
		}
		b.WriteByte('}')
	case Timestamp:
		if x.IsNaT() {
			b.WriteString("NaT")
			return
		}
		b.WriteString("Timestamp('")
		b.WriteString(x.PandasString())
		b.WriteString("'")
		if x.Zone.IsUTC() {
			b.WriteString(", tz='UTC'")
		}
		b.WriteString(")")
	case Timedelta:
		b.WriteString("Timedelta('")
		b.WriteString(x.String())
		b.WriteString("')")
	default:
		fmt.Fprint(b, v)
	}
}

// pyQuote quotes a string as Python's repr does: single quotes unless the string holds a
// single quote and no double quote.
func pyQuote(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case byte(r) == q && r < 128:
			b.WriteByte('\\')
			b.WriteByte(q)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// PyStr is Python's str(v): strings as they are, everything else as its repr, floats
// in repr form ("nan", "inf" for the specials).
func PyStr(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		if math.IsNaN(x) {
			return "nan"
		}
		return string(AppendPyFloat(nil, x))
	case Timestamp:
		if x.IsNaT() {
			return "NaT"
		}
		return x.PandasString()
	case Timedelta:
		return x.String()
	}
	return PyRepr(v)
}

// NumpyScalar is a numpy scalar whose type is no Python float subclass (int64, bool_,
// float16), as np.sign(5), Series([1, 2]).sum() or np.exp(True) return it. Components
// reading it as an input see the plain value V (component.Reader unwraps it); as an
// output hetida's JSON encoder refuses it (ValueError "Object of type int64 is not JSON
// serializable", at ENCODING_RESULTS_TO_JSON). numpy's float64 is a float and needs no
// wrapper.
type NumpyScalar struct {
	Type string // numpy's type name: "int64", "bool_", "float16"
	V    any    // int64, bool or float64
}

// UnwrapNumpy returns the plain value of a NumpyScalar, and any other value unchanged.
func UnwrapNumpy(v any) any {
	if n, ok := v.(NumpyScalar); ok {
		return n.V
	}
	return v
}

// PyComplex is Python's complex number, as a negative float to a fractional power gives
// it ((-8) ** (1/3)). trafofn computes nothing further with it: as an output hetida's
// JSON encoder refuses it (ValueError "Object of type complex is not JSON serializable",
// at ENCODING_RESULTS_TO_JSON), as an operand it is a TypeError.
type PyComplex struct{ Re, Im float64 }
