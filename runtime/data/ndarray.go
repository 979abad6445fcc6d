package data

import (
	"context"
	"fmt"
	"strings"
)

// This file holds what numpy does with a plain JSON list (a workflow-level ANY input):
// np.sqrt([…]), np.sign([…]) turn it into an ndarray first, and the result — an ndarray —
// is written as a JSON list again. Lists of lists of one length are 2-D arrays and work
// the same, row by row; ragged nesting is numpy's error.

// listKind is the dtype numpy infers for a flat list (np.asarray).
type listKind uint8

const (
	listNumeric listKind = iota // bool, int or float: Column holds it
	listString                  // numpy's '<U…' string dtype
	listObject                  // None, dicts, mixed: an object array
)

// flatKind returns numpy's dtype for a flat list and, for a numeric one, its column:
// all bools → Bool, bools and ints → Int64, any float → Float64; any string (and
// otherwise only numbers) → a string array; None or anything else → object.
func flatKind(v []any) (listKind, Column) {
	ints, floats, bools, strs := 0, 0, 0, 0
	for _, e := range v {
		switch normInt(e).(type) {
		case int64:
			ints++
		case float64:
			floats++
		case bool:
			bools++
		case string:
			strs++
		default:
			return listObject, Column{}
		}
	}
	switch {
	case strs > 0:
		return listString, Column{}
	case floats > 0 || len(v) == 0:
		out := make([]float64, len(v))
		for i, e := range v {
			out[i], _ = ToFloat(normInt(e))
		}
		return listNumeric, Floats(out)
	case ints > 0:
		out := make([]int64, len(v))
		for i, e := range v {
			out[i], _ = pyInt(e)
		}
		return listNumeric, Ints(out)
	}
	out := make([]bool, len(v))
	for i, e := range v {
		out[i] = e.(bool)
	}
	return listNumeric, Bools(out)
}

// nestedRows reports whether every element of v is a list (a 2-D or deeper array), and
// fails with numpy's ValueError when the rows are ragged or only some elements are lists.
func nestedRows(v []any) (bool, error) {
	lists, width := 0, -1
	for _, e := range v {
		if l, ok := e.([]any); ok {
			lists++
			if width >= 0 && len(l) != width {
				return false, inhomogeneous(len(v))
			}
			width = len(l)
		}
	}
	if lists == 0 {
		return false, nil
	}
	if lists != len(v) {
		return false, inhomogeneous(len(v))
	}
	return true, nil
}

func inhomogeneous(n int) error {
	return ValueError("setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (%d,) + inhomogeneous part.", n)
}

// mapList applies a column function to a list as numpy applies a ufunc to the array made
// from it; the result is a list again (nested for nested input). A string array fails
// with str(), an object array goes to obj.
func mapList(v []any, f func(Column) (Column, error), str func() error, obj func([]any) ([]any, error)) (any, error) {
	nested, err := nestedRows(v)
	if err != nil {
		return nil, err
	}
	if nested {
		out := make([]any, len(v))
		for i, row := range v {
			r, err := mapList(row.([]any), f, str, obj)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	kind, c := flatKind(v)
	switch kind {
	case listString:
		return nil, str()
	case listObject:
		return obj(v)
	}
	r, err := f(c)
	if err != nil {
		return nil, err
	}
	out := make([]any, r.Len())
	for i := range out {
		out[i] = r.At(i)
	}
	return out, nil
}

// NumpyFloatArith is a <op> b where the scalar operands are numpy float64 values and the
// list operands numpy arrays of them (nested []any of float64, as MapFloat returns the
// result of a ufunc): what np.log(data) / np.log(base) computes. Unlike Python floats,
// numpy scalars follow IEEE: division by zero gives ±inf or NaN, never
// ZeroDivisionError; // and % by zero give what numpy gives (see Arith). Arrays
// broadcast as numpy does for the shapes lists make: a scalar against every element, a
// lower-dimensional array against every row, equal lengths element by element, length 1
// against any length; other shapes are numpy's ValueError "operands could not be
// broadcast together with shapes (3,) (2,) ". Anything else — a pandas operand, or one
// that is not a number — is Arith's business and goes there.
func NumpyFloatArith(ctx context.Context, op Op, a, b any) (any, error) {
	if !op.valid() {
		return nil, ValueError("unknown operator %q", string(op))
	}
	if !isFloatArray(a) || !isFloatArray(b) {
		return Arith(ctx, op, a, b)
	}
	return broadcastFloats(op, a, b)
}

// isFloatArray reports whether v is a float64, or a (nested) list of them.
func isFloatArray(v any) bool {
	switch x := v.(type) {
	case float64:
		return true
	case []any:
		for _, e := range x {
			if !isFloatArray(e) {
				return false
			}
		}
		return true
	}
	return false
}

func depth(v any) int {
	l, ok := v.([]any)
	if !ok {
		return 0
	}
	if len(l) == 0 {
		return 1
	}
	return 1 + depth(l[0])
}

func shapeOf(v any) string {
	var dims []string
	for {
		l, ok := v.([]any)
		if !ok {
			break
		}
		dims = append(dims, fmt.Sprint(len(l)))
		if len(l) == 0 {
			break
		}
		v = l[0]
	}
	if len(dims) == 1 {
		return "(" + dims[0] + ",)"
	}
	return "(" + strings.Join(dims, ",") + ")"
}

func broadcastFloats(op Op, a, b any) (any, error) {
	x, xs := a.(float64)
	y, ys := b.(float64)
	if xs && ys {
		return floatKernel(op, []float64{x}, 0, []float64{y}, 0, 1)[0], nil
	}
	la, _ := a.([]any)
	lb, _ := b.([]any)
	da, db := depth(a), depth(b)
	var out []any
	switch {
	case da > db:
		out = make([]any, len(la))
		for i, e := range la {
			r, err := broadcastFloats(op, e, b)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
	case db > da:
		out = make([]any, len(lb))
		for i, e := range lb {
			r, err := broadcastFloats(op, a, e)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
	default:
		n := len(la)
		if len(la) != len(lb) {
			switch {
			case len(la) == 1:
				n = len(lb)
			case len(lb) == 1:
			default:
				return nil, ValueError("operands could not be broadcast together with shapes %s %s ", shapeOf(a), shapeOf(b))
			}
		}
		out = make([]any, n)
		for i := range out {
			r, err := broadcastFloats(op, la[min(i, len(la)-1)], lb[min(i, len(lb)-1)])
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
	}
	return out, nil
}
