package expr

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/trafofn/trafofn/runtime/data"
)

// value is an evaluated sub-expression: a column of the Env's rows, or a scalar (int64,
// float64, bool, string) that broadcasts; a list literal holds its elements.
type value struct {
	col    data.Column
	isCol  bool
	scalar any
	list   []any
}

func colValue(c data.Column) value { return value{col: c, isCol: true} }
func scalarValue(v any) value      { return value{scalar: v} }

// evaluator walks the tree, each node computing its whole column.
type evaluator struct {
	ctx   context.Context
	env   Env
	src   string
	index data.Column // the shared index of the columns handed to data's operators
}

func (ev *evaluator) fail(n node, typ, format string, args ...any) error {
	return errAt(ev.src, n.position(), typ, format, args...)
}

func (ev *evaluator) eval(n node) (value, error) {
	if err := ev.ctx.Err(); err != nil {
		return value{}, err
	}
	switch x := n.(type) {
	case *numLit:
		if x.isInt {
			return scalarValue(x.i), nil
		}
		return scalarValue(x.f), nil
	case *strLit:
		return scalarValue(x.s), nil
	case *boolLit:
		return scalarValue(x.b), nil
	case *nameRef:
		c, ok := ev.env.Lookup(x.name)
		if !ok {
			return value{}, ev.fail(x, "UndefinedVariableError", "name '%s' is not defined", x.name)
		}
		if c.Len() != ev.env.Rows {
			return value{}, ev.fail(x, "ValueError", "column %q has %d values, expected %d", x.name, c.Len(), ev.env.Rows)
		}
		return colValue(c), nil
	case *list:
		elems := make([]any, len(x.elems))
		for i, e := range x.elems {
			v, err := ev.eval(e)
			if err != nil {
				return value{}, err
			}
			elems[i] = v.scalar
		}
		return value{list: elems}, nil
	case *unary:
		v, err := ev.eval(x.x)
		if err != nil {
			return value{}, err
		}
		return ev.unary(x, v)
	case *binary:
		l, err := ev.eval(x.l)
		if err != nil {
			return value{}, err
		}
		r, err := ev.eval(x.r)
		if err != nil {
			return value{}, err
		}
		return ev.binary(x, l, r)
	case *call:
		args := make([]value, len(x.args))
		for i, a := range x.args {
			v, err := ev.eval(a)
			if err != nil {
				return value{}, err
			}
			args[i] = v
		}
		return ev.call(x, args)
	}
	return value{}, ev.fail(n, "NotImplementedError", "unsupported expression")
}

func (ev *evaluator) unary(n *unary, v value) (value, error) {
	switch n.op {
	case "~":
		return ev.invert(n, v)
	case "-":
		return ev.negate(n, v)
	}
	// unary plus: numbers as they are
	if k := kindOf(v); k > kFloat {
		return value{}, ev.fail(n, "TypeError", "bad operand type for unary +: '%s'", typeName(v))
	}
	return v, nil
}

func (ev *evaluator) binary(n *binary, l, r value) (value, error) {
	switch n.op {
	case "&", "|":
		return ev.logical(n, l, r)
	case "==", "!=", "<", "<=", ">", ">=":
		return ev.compare(n, n.op, l, r)
	case "in", "not in":
		return ev.isin(n, l, r.list, n.op == "not in")
	}
	if err := ev.numexprRefuses(n, l, r); err != nil {
		return value{}, err
	}
	return ev.arith(n, n.op, l, r)
}

// numexprOpcodes names numexpr's opcodes of the arithmetic operators.
var numexprOpcodes = map[string]string{"+": "add", "-": "sub", "*": "mul", "**": "pow", "%": "mod"}

// numexprRefuses is what pandas.eval with the numexpr engine (hetida's) refuses before
// computing anything, with pandas' messages (pandas 1.5.3):
//   - / with a boolean operand: pandas' TypeError "unsupported operand type(s) for /:
//     'bool' and '<class 'int'>'" (a column by its dtype, a scalar by its class);
//   - / by a constant (literals and operators, no function) that is zero: numexpr turns
//     it into a multiplication by 1/0, Python's ZeroDivisionError "float division by
//     zero";
//   - + - * ** % of two booleans, one of them a column, and the constant powers of a
//     boolean column that numexpr rewrites: numexpr has no opcode for them,
//     NotImplementedError "couldn't find matching opcode for 'mul_bbb'".
func (ev *evaluator) numexprRefuses(n *binary, l, r value) error {
	if n.op == "/" {
		if kindOf(l) == kBool || kindOf(r) == kBool {
			return &data.Error{Type: "TypeError", Message: fmt.Sprintf("unsupported operand type(s) for /: '%s' and '%s'", evalTypeName(l), evalTypeName(r))}
		}
		if literalOnly(n.r) && !r.isCol {
			if f, ok := data.ToFloat(r.scalar); ok && f == 0 {
				return &data.Error{Type: "ZeroDivisionError", Message: "float division by zero"}
			}
		}
		return nil
	}
	if n.op == "**" && l.isCol && kindOf(l) == kBool && kindOf(r) != kBool && !r.isCol && literalOnly(n.r) {
		// numexpr rewrites a constant power: x**0 as ones_like, x**0.5 as sqrt, small
		// integer powers (|k| < 50) and x**1.5 as multiplications — none has a boolean
		// opcode (pandas 1.5.3: pd.eval('b ** 2') for a bool Series b)
		if c, ok := data.ToFloat(r.scalar); ok {
			code := ""
			switch {
			case c == 0:
				code = "ones_like_bb"
			case c == 0.5:
				code = "sqrt_bb"
			case c == 1.5 || (c == math.Trunc(c) && math.Abs(c) >= 2 && math.Abs(c) < 50):
				code = "mul_bbb"
			}
			if code != "" {
				return &data.Error{Type: "NotImplementedError", Message: fmt.Sprintf("couldn't find matching opcode for '%s'", code)}
			}
		}
	}
	if code, ok := numexprOpcodes[n.op]; ok && (l.isCol || r.isCol) && kindOf(l) == kBool && kindOf(r) == kBool {
		return &data.Error{Type: "NotImplementedError", Message: fmt.Sprintf("couldn't find matching opcode for '%s_bbb'", code)}
	}
	return nil
}

// evalTypeName is a term's return type as pandas.eval prints it: a column's dtype, a
// scalar's class.
func evalTypeName(v value) string {
	if v.isCol {
		return typeName(v)
	}
	return "<class '" + typeName(v) + "'>"
}

// literalOnly reports whether a node is built from number and boolean literals and
// operators only, which numexpr folds into one constant.
func literalOnly(n node) bool {
	switch x := n.(type) {
	case *numLit, *boolLit:
		return true
	case *unary:
		return literalOnly(x.x)
	case *binary:
		return literalOnly(x.l) && literalOnly(x.r)
	}
	return false
}

// numeric kinds of values, in numpy's promotion order, then the others.
const (
	kBool = iota
	kInt
	kFloat
	kStr   // strings (object columns of strings and missing values)
	kTime  // datetime or timedelta columns
	kOther // object columns of anything else
)

func kindOf(v value) int {
	if !v.isCol {
		switch v.scalar.(type) {
		case bool:
			return kBool
		case int64:
			return kInt
		case float64:
			return kFloat
		case string:
			return kStr
		}
		return kOther
	}
	switch v.col.DType {
	case data.Bool:
		return kBool
	case data.Int64:
		return kInt
	case data.Float64:
		return kFloat
	case data.Datetime, data.Timedeltas:
		return kTime
	}
	strs, nums := false, false
	for _, o := range v.col.O {
		switch o.(type) {
		case nil:
		case string:
			strs = true
		case float64, int64, bool:
			nums = true
		default:
			return kOther
		}
	}
	switch {
	case strs && !nums:
		return kStr
	case nums && !strs:
		return kFloat // an object column of numbers computes as float64
	case !strs && !nums:
		return kFloat // all missing
	}
	return kOther
}

// typeName names a value's type as numpy/pandas print it in errors: the column's dtype,
// or the Python type of a scalar.
func typeName(v value) string {
	if v.isCol {
		if v.col.DType == data.Datetime {
			return "datetime64[ns]"
		}
		return v.col.DType.String()
	}
	return data.PyTypeName(v.scalar)
}

// isin is pandas' Series.isin(list) (negated for not in): numbers match numerically,
// strings exactly, missing values match nothing; a scalar is Python's `in`.
func (ev *evaluator) isin(n *binary, x value, list []any, negate bool) (value, error) {
	match := func(v any) bool {
		if data.IsNA(v) {
			return false
		}
		for _, e := range list {
			if pyEqual(v, e) {
				return true
			}
		}
		return false
	}
	if !x.isCol {
		return scalarValue(match(x.scalar) != negate), nil
	}
	out := make([]bool, ev.env.Rows)
	switch kindOf(x) {
	case kBool, kInt, kFloat:
		var nums []float64
		for _, e := range list {
			if f, ok := data.ToFloat(e); ok {
				nums = append(nums, f)
			}
		}
		sort.Float64s(nums)
		f, _ := x.col.FloatValues()
		for i, v := range f {
			_, found := slices.BinarySearch(nums, v)
			out[i] = found != negate
		}
	default:
		for i := range out {
			out[i] = match(x.col.At(i)) != negate
		}
	}
	return colValue(data.Bools(out)), nil
}

// pyEqual is Python's a == b for the literal kinds (numbers by value, strings exactly,
// bool as 0/1).
func pyEqual(a, b any) bool {
	fa, aNum := data.ToFloat(a)
	fb, bNum := data.ToFloat(b)
	if aNum && bNum {
		return fa == fb
	}
	sa, aStr := a.(string)
	sb, bStr := b.(string)
	return aStr && bStr && sa == sb
}

// functions are the callable math functions with their arity.
var functions = map[string]struct {
	arity int
	f1    func(float64) float64
	f2    func(float64, float64) float64
}{
	"abs": {1, math.Abs, nil}, "sqrt": {1, math.Sqrt, nil}, "exp": {1, math.Exp, nil},
	"expm1": {1, math.Expm1, nil}, "log": {1, math.Log, nil}, "log1p": {1, math.Log1p, nil},
	"log10": {1, math.Log10, nil}, "sin": {1, math.Sin, nil}, "cos": {1, math.Cos, nil},
	"tan": {1, math.Tan, nil}, "arcsin": {1, math.Asin, nil}, "arccos": {1, math.Acos, nil},
	"arctan": {1, math.Atan, nil}, "sinh": {1, math.Sinh, nil}, "cosh": {1, math.Cosh, nil},
	"tanh": {1, math.Tanh, nil}, "arcsinh": {1, math.Asinh, nil}, "arccosh": {1, math.Acosh, nil},
	"arctanh": {1, math.Atanh, nil}, "floor": {1, math.Floor, nil}, "ceil": {1, math.Ceil, nil},
	"arctan2": {2, nil, math.Atan2},
}

func functionNames() []string {
	names := make([]string, 0, len(functions))
	for k := range functions {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// call applies a math function element-wise (data.MapFloat for the one-argument ones):
// numbers of any kind give float64, as numexpr's functions do — a scalar for scalar
// arguments.
func (ev *evaluator) call(n *call, args []value) (value, error) {
	f := functions[n.fn]
	if f.f1 != nil {
		r, err := data.MapFloat(numpyName(n.fn), ev.pandas(args[0]), f.f1)
		if err != nil {
			return value{}, ev.wrap(n, err)
		}
		return ev.back(r), nil
	}
	anyCol := false
	for _, a := range args {
		if kindOf(a) > kFloat {
			return value{}, ev.fail(n, "TypeError", "ufunc '%s' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''", n.fn)
		}
		anyCol = anyCol || a.isCol
	}
	x, sx := floats(args[0], ev.env.Rows)
	y, sy := floats(args[1], ev.env.Rows)
	if !anyCol {
		return scalarValue(f.f2(x[0], y[0])), nil
	}
	out := make([]float64, ev.env.Rows)
	for i := range out {
		out[i] = f.f2(x[i*sx], y[i*sy])
	}
	return colValue(data.Floats(out)), nil
}

// numpyName is the numpy ufunc behind a function name, as numpy's errors name it.
func numpyName(fn string) string {
	if fn == "abs" {
		return "absolute"
	}
	return fn
}

// floats returns a numeric value as float64s with a stride: 1 for a column, 0 for a
// broadcast scalar.
func floats(v value, rows int) ([]float64, int) {
	if !v.isCol {
		f, _ := data.ToFloat(v.scalar)
		return []float64{f}, 0
	}
	f, ok := v.col.FloatValues()
	if !ok {
		f = make([]float64, rows)
		for i := range f {
			f[i] = math.NaN()
		}
	}
	return f, 1
}

// bools returns a boolean value with a stride.
func bools(v value) ([]bool, int) {
	if !v.isCol {
		b, _ := v.scalar.(bool)
		return []bool{b}, 0
	}
	return v.col.B, 1
}
