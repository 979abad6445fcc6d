package library

import (
	"unicode/utf8"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// Python attribute access on values that reach an ANY input. A workflow-level ANY input
// arrives as decoded JSON (dict, list, number, string), so pandas code such as
// `data.index.min()` meets Python objects; these helpers fail the way Python does there.

// builtinMethod is the type name of a bound method of a builtin (list.index, str.index).
const builtinMethod = "builtin_function_or_method"

// hasIndexMethod reports whether v is a Python value whose `.index` is a method: lists
// and strings have one.
func hasIndexMethod(v any) bool {
	switch v.(type) {
	case []any, string:
		return true
	}
	return false
}

// pandasIndex is `v.index` followed by the use of attribute next on it: the index of a
// Series or DataFrame, else Python's AttributeError — for a dict (no .index) on index
// itself, for a list or string (whose .index is a method) on next.
func pandasIndex(v any, next string) (data.Column, error) {
	switch x := v.(type) {
	case *data.Series:
		return x.Index, nil
	case *data.DataFrame:
		return x.Index, nil
	}
	if hasIndexMethod(v) {
		return data.Column{}, &component.Error{Type: "AttributeError", Message: "'" + builtinMethod + "' object has no attribute '" + next + "'"}
	}
	return data.Column{}, component.AttributeError(v, "index")
}

// pyLen is Python's len(v): rows of pandas objects, elements of lists and dicts,
// characters of strings; other values have no len() (TypeError).
func pyLen(v any) (int, error) {
	switch x := v.(type) {
	case *data.Series:
		return x.Len(), nil
	case *data.DataFrame:
		return x.Len(), nil
	case []any:
		return len(x), nil
	case *data.Dict:
		return x.Len(), nil
	case string:
		return utf8.RuneCountInString(x), nil
	}
	return 0, component.TypeError("object of type '%s' has no len()", component.PyTypeName(v))
}

// takeRows selects rows of a Series or DataFrame by position.
func takeRows(v any, pos []int) any {
	switch x := v.(type) {
	case *data.Series:
		return x.Take(pos)
	case *data.DataFrame:
		return x.Take(pos)
	}
	return v
}

// withIndex returns a Series or DataFrame with another index (same rows).
func withIndex(v any, idx data.Column) any {
	switch x := v.(type) {
	case *data.Series:
		c := x.Copy()
		c.Index = idx
		return c
	case *data.DataFrame:
		c := *x
		c.Index = idx
		return &c
	}
	return v
}
