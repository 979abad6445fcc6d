package component

import (
	"fmt"

	"github.com/trafofn/trafofn/runtime/data"
)

// Error is a failure raised by component code, reported like the Python exception hetida
// would report. It is data.Error, so that errors from data functions and from components
// are one type the engine reports as they are.
type Error = data.Error

// Python's exception constructors, re-exported so that component code reads like the
// Python it ports.
var (
	ValueError          = data.ValueError
	TypeError           = data.TypeError
	IndexError          = data.IndexError
	ZeroDivisionError   = data.ZeroDivisionError
	AttributeError      = data.AttributeError
	PyTypeName          = data.PyTypeName
	NotImplementedError = data.NotImplementedError
)

// KeyError is Python's KeyError with a formatted message.
func KeyError(format string, args ...any) error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Type: "KeyError", Message: msg}
}

// Unsupported is raised by components whose reference implementation needs a library the
// Go runtime does not have (TensorFlow, pickled scikit-learn models, …).
func Unsupported(format string, args ...any) error {
	return data.NotImplementedError(format, args...)
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
