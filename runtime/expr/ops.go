package expr

import (
	"errors"
	"fmt"

	"github.com/trafofn/trafofn/runtime/data"
)

// The element-wise kernels behind the operators: numpy's promotion and pandas' filling
// of integer division by zero for columns, Python's rules for two scalars. They are the
// one place that knows dtypes; the tree walk above only dispatches.

// logical is & (and) and | (or) on booleans.
func (ev *evaluator) logical(n *binary, l, r value) (value, error) {
	if kindOf(l) != kBool || kindOf(r) != kBool {
		word := map[string]string{"&": "and", "|": "or"}[n.op]
		return value{}, ev.fail(n, "TypeError", "'%s' (%s) needs booleans, got %s and %s", n.op, word, typeName(l), typeName(r))
	}
	a, sa := bools(l)
	b, sb := bools(r)
	if !l.isCol && !r.isCol {
		if n.op == "&" {
			return scalarValue(a[0] && b[0]), nil
		}
		return scalarValue(a[0] || b[0]), nil
	}
	out := make([]bool, ev.env.Rows)
	if n.op == "&" {
		for i := range out {
			out[i] = a[i*sa] && b[i*sb]
		}
	} else {
		for i := range out {
			out[i] = a[i*sa] || b[i*sb]
		}
	}
	return colValue(data.Bools(out)), nil
}

// invert is ~ and not, on booleans only (numexpr has no bitwise integer invert).
func (ev *evaluator) invert(n *unary, v value) (value, error) {
	if kindOf(v) != kBool {
		return value{}, ev.fail(n, "TypeError", "'~' (not) needs booleans, got %s", typeName(v))
	}
	if !v.isCol {
		return scalarValue(!v.scalar.(bool)), nil
	}
	out := make([]bool, len(v.col.B))
	for i, b := range v.col.B {
		out[i] = !b
	}
	return colValue(data.Bools(out)), nil
}

// negate is unary minus through data.Neg: numbers keep their dtype (integers wrap),
// -True is -1; a boolean column is numexpr's NotImplementedError (no neg_bb opcode), as
// in hetida's pandas.eval.
func (ev *evaluator) negate(n *unary, v value) (value, error) {
	if v.isCol && v.col.DType == data.Bool {
		return value{}, &data.Error{Type: "NotImplementedError", Message: "couldn't find matching opcode for 'neg_bb'"}
	}
	r, err := data.Neg(ev.pandas(v))
	if err != nil {
		return value{}, ev.wrap(n, err)
	}
	return ev.back(r), nil
}

// compare is ==, !=, <, <=, >, >= through data.CompareOp: numbers numerically (NaN
// compares False, != True), strings with strings (missing values as NaN), a datetime
// column with ISO strings; a number and a string are never equal and ordering them is
// pandas' TypeError; two scalars compare as in Python.
func (ev *evaluator) compare(n *binary, op string, l, r value) (value, error) {
	res, err := data.CompareOp(ev.ctx, data.CmpOp(op), ev.pandas(l), ev.pandas(r))
	if err != nil {
		return value{}, ev.wrap(n, err)
	}
	return ev.back(res), nil
}

// arith is + - * / // % ** through data.Arith: numpy's promotion (bool < int64 <
// float64, / always float64), pandas' filling of integer division by zero, Python's
// operator per element of object columns (strings concatenate), Python's rules for two
// scalars.
func (ev *evaluator) arith(n *binary, op string, l, r value) (value, error) {
	res, err := data.Arith(ev.ctx, data.Op(op), ev.pandas(l), ev.pandas(r))
	if err != nil {
		return value{}, ev.wrap(n, err)
	}
	return ev.back(res), nil
}

// pandas is the value as data's operators take it: a column as a Series on the
// evaluation's shared index (so that two columns combine position by position), a
// scalar as it is.
func (ev *evaluator) pandas(v value) any {
	if !v.isCol {
		return v.scalar
	}
	if ev.index.Len() != ev.env.Rows {
		ev.index = data.Range(ev.env.Rows)
	}
	return &data.Series{Index: ev.index, Values: v.col}
}

// back turns an operator's result into a value.
func (ev *evaluator) back(r any) value {
	if s, ok := r.(*data.Series); ok {
		return colValue(s.Values)
	}
	if i, ok := r.(int); ok {
		return scalarValue(int64(i))
	}
	return scalarValue(r)
}

// wrap adds the operator's position and the expression to a data error's message.
func (ev *evaluator) wrap(n node, err error) error {
	var de *data.Error
	if !errors.As(err, &de) {
		return err // the context's error, unchanged
	}
	c := *de
	c.Message = fmt.Sprintf("%s (at position %d of expression %s)", de.Message, n.position(), data.PyRepr(ev.src))
	return &c
}
