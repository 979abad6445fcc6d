package component

import (
	"fmt"

	"github.com/trafofn/trafofn/runtime/data"
)

// Error is a failure raised by component code, reported like the Python exception hetida
// would report: Type is the exception class name ("ValueError", "ComponentException", …),
// Code and Extra fill error_code and extra_information.
type Error struct {
	Type    string
	Message string
	Code    any        // nil, int64 or string
	Extra   *data.Dict // nil or extra information
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

func newErr(typ, format string, args []any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Type: typ, Message: msg}
}

// ValueError is Python's ValueError.
func ValueError(format string, args ...any) error { return newErr("ValueError", format, args) }

// TypeError is Python's TypeError.
func TypeError(format string, args ...any) error { return newErr("TypeError", format, args) }

// KeyError is Python's KeyError.
func KeyError(format string, args ...any) error { return newErr("KeyError", format, args) }

// IndexError is Python's IndexError.
func IndexError(format string, args ...any) error { return newErr("IndexError", format, args) }

// ZeroDivisionError is Python's ZeroDivisionError.
func ZeroDivisionError(format string, args ...any) error {
	return newErr("ZeroDivisionError", format, args)
}

// AttributeError reports that v has no attribute attr, worded like Python.
func AttributeError(v any, attr string) error {
	return &Error{Type: "AttributeError", Message: fmt.Sprintf("'%s' object has no attribute '%s'", PyTypeName(v), attr)}
}

// Unsupported is raised by components whose reference implementation needs a library the
// Go runtime does not have (TensorFlow, pickled scikit-learn models, …).
func Unsupported(format string, args ...any) error {
	return newErr("NotImplementedError", format, args)
}

// Exception is hetida's ComponentException with an author-chosen code and extra info.
func Exception(msg string, code any, extra *data.Dict) error {
	if code == nil {
		code = ""
	}
	return &Error{Type: "ComponentException", Message: msg, Code: code, Extra: extra}
}

// InputValidationError is hetida's ComponentInputValidationException: error_code 422 and
// extra_information {"invalid_component_inputs": [names…]}.
func InputValidationError(msg string, inputs ...string) error {
	extra := data.NewDict(1)
	list := make([]any, len(inputs))
	for i, n := range inputs {
		list[i] = n
	}
	extra.Set("invalid_component_inputs", list)
	return &Error{Type: "ComponentInputValidationException", Message: msg, Code: int64(422), Extra: extra}
}

// PyTypeName names the Python type a runtime value stands for.
func PyTypeName(v any) string {
	switch v.(type) {
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
	case *data.Dict:
		return "dict"
	case *data.Series:
		return "Series"
	case *data.DataFrame:
		return "DataFrame"
	case data.Timestamp:
		return "Timestamp"
	}
	return fmt.Sprintf("%T", v)
}
