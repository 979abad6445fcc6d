package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// The binary operators of this category are Python's operators on whatever arrives, so
// they are data.Arith: Python scalars (int, float, bool, str, list) with Python's rules
// and errors, Series and DataFrames with numpy's dtype promotion and pandas' alignment
// (its doc comment states the operand rules once). A workflow-level ANY input arrives as
// decoded JSON — a dict or a list — and fails as pandas code fails on it ("unsupported
// operand type(s) for +: 'dict' and 'int'").
var basicArithmetic = []component.Spec{
	{Meta: metaAbs, Run: absolute, Description: "Absolute value of a number, Series or DataFrame, dtype kept"},
	{Meta: metaAdd, Run: add, Description: "a + b for numbers, strings, Series and DataFrames, aligned on labels"},
	{Meta: metaDivide, Run: divide, Description: "a / b; pandas objects give ±inf/NaN where Python numbers raise"},
	{Meta: metaMultiply, Run: multiply, Description: "a * b for numbers, Series and DataFrames, aligned on labels"},
	{Meta: metaRound, Run: round, Description: "Round to a number of decimals (Python's exact rounding for numbers, numpy's for pandas objects)"},
	{Meta: metaSignum, Run: signum, Description: "Sign (-1, 0, 1) element-wise, NaN kept"},
	{Meta: metaSubstract, Run: subtract, Description: "a - b for numbers, Series and DataFrames, aligned on labels"},
}

// absolute is Python's abs(data) (data.Abs): numbers (abs(True) is 1), element-wise on
// pandas objects with the dtype kept; a list or dict is Python's TypeError "bad operand
// type for abs(): 'list'".
func absolute(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	out, err := data.Abs(v)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"absolute": out}, nil
}

// binary runs a Python binary operator on inputs a and b into output name.
func binary(ctx context.Context, in component.Inputs, op data.Op, name string) (component.Outputs, error) {
	r := in.Read()
	a, b := r.Any("a"), r.Any("b")
	if err := r.Err(); err != nil {
		return nil, err
	}
	out, err := data.Arith(ctx, op, a, b)
	if err != nil {
		return nil, err
	}
	return component.Outputs{name: out}, nil
}

// add is a + b: Python scalars add (strings and lists concatenate), Series align on the
// union of their labels (a label on one side only gives NaN), DataFrames on rows and
// columns, a Series against a DataFrame on the frame's columns.
func add(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return binary(ctx, in, data.OpAdd, "sum")
}

// divide is a / b: always a float; a Python number divided by zero is ZeroDivisionError
// ("division by zero" for ints, "float division by zero" for floats), a pandas object
// divided by zero gives ±inf, and 0/0 NaN. Alignment as in add.
func divide(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return binary(ctx, in, data.OpDiv, "quotient")
}

// multiply is a * b: Python scalars multiply (a string or list times an int repeats),
// pandas objects element-wise after alignment as in add.
func multiply(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return binary(ctx, in, data.OpMul, "product")
}

// round is Python's round(data, decimals) (data.Round): a Python float rounds its exact
// binary value half to even (round(2.675, 2) = 2.67), an int stays an int; Series and
// DataFrames use numpy's scaled rint (2.675 → 2.68), DataFrames round their numeric
// columns only; negative decimals round to tens, hundreds. A list or dict is Python's
// TypeError "type list doesn't define __round__ method".
func round(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	d := r.Int("decimals")
	if err := r.Err(); err != nil {
		return nil, err
	}
	out, err := data.Round(v, clampDecimals(d))
	if err != nil {
		return nil, err
	}
	return component.Outputs{"rounded": out}, nil
}

// clampDecimals keeps decimals in int range: beyond ±400 digits every float64 rounds to
// itself (or to 0), so larger counts change nothing.
func clampDecimals(d int64) int {
	return int(max(-400, min(400, d)))
}

// signum is np.sign(data) (data.Sign): -1, 0, 1 in the input's dtype, NaN kept, a list
// gives a list; bools and strings are numpy's UFuncTypeError.
func signum(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	out, err := data.Sign(v)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"signum": out}, nil
}

// subtract is a - b (hetida's component is called Substract): Python scalars subtract,
// pandas objects element-wise after alignment as in add; booleans cannot be subtracted
// in numpy (TypeError), strings not in Python.
func subtract(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return binary(ctx, in, data.OpSub, "difference")
}

// basicArithmeticTodo lists the category's revisions not ported yet.
var basicArithmeticTodo = []*component.Meta{}
