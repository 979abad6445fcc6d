package expr

import (
	"math"
	"strings"

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

// negate is unary minus: integers wrap as numpy's do, booleans are numpy's TypeError.
func (ev *evaluator) negate(n *unary, v value) (value, error) {
	switch kindOf(v) {
	case kBool:
		if !v.isCol {
			return scalarValue(-boolInt(v.scalar.(bool))), nil // Python: -True is -1
		}
		return value{}, ev.fail(n, "TypeError", "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.")
	case kInt:
		a, s := ints(v)
		if s == 0 {
			return scalarValue(-a[0]), nil
		}
		out := make([]int64, len(a))
		for i, x := range a {
			out[i] = -x
		}
		return colValue(data.Ints(out)), nil
	case kFloat:
		a, s := floats(v, ev.env.Rows)
		if s == 0 {
			return scalarValue(-a[0]), nil
		}
		out := make([]float64, len(a))
		for i, x := range a {
			out[i] = -x
		}
		return colValue(data.Floats(out)), nil
	}
	return value{}, ev.fail(n, "TypeError", "bad operand type for unary -: '%s'", typeName(v))
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

var swapped = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}

func holds(op string, c int) bool {
	switch op {
	case "==":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

// compare is ==, !=, <, <=, >, >=: numbers numerically (NaN compares False, != True),
// strings with strings (missing values as NaN), datetime columns with ISO strings or
// datetime columns; a number and a string are never equal and cannot be ordered.
func (ev *evaluator) compare(n *binary, op string, l, r value) (value, error) {
	if !l.isCol && r.isCol {
		l, r, op = r, l, swapped[op]
	}
	kl, kr := kindOf(l), kindOf(r)
	rows := ev.env.Rows
	switch {
	case kl <= kFloat && kr <= kFloat:
		if kl <= kInt && kr <= kInt {
			a, sa := ints(l)
			b, sb := ints(r)
			if !l.isCol {
				return scalarValue(holds(op, cmpInt(a[0], b[0]))), nil
			}
			out := make([]bool, rows)
			for i := range out {
				out[i] = holds(op, cmpInt(a[i*sa], b[i*sb]))
			}
			return colValue(data.Bools(out)), nil
		}
		if l.col.DType == data.Int64 && !r.isCol {
			// an integer column against a float: compare each value as a float without
			// converting the whole column first
			y, _ := data.ToFloat(r.scalar)
			out := make([]bool, rows)
			for i, x := range l.col.I {
				out[i] = floatHolds(op, float64(x), y)
			}
			return colValue(data.Bools(out)), nil
		}
		a, sa := floats(l, rows)
		b, sb := floats(r, rows)
		if !l.isCol {
			return scalarValue(floatHolds(op, a[0], b[0])), nil
		}
		out := make([]bool, rows)
		switch op { // one loop per operator: the hot path of filters like a > 1.8
		case "<":
			for i := range out {
				out[i] = a[i*sa] < b[i*sb]
			}
		case "<=":
			for i := range out {
				out[i] = a[i*sa] <= b[i*sb]
			}
		case ">":
			for i := range out {
				out[i] = a[i*sa] > b[i*sb]
			}
		case ">=":
			for i := range out {
				out[i] = a[i*sa] >= b[i*sb]
			}
		case "==":
			for i := range out {
				out[i] = a[i*sa] == b[i*sb]
			}
		default:
			for i := range out {
				out[i] = a[i*sa] != b[i*sb]
			}
		}
		return colValue(data.Bools(out)), nil
	case kl == kStr && kr == kStr:
		at := func(v value, i int) (string, bool) {
			if !v.isCol {
				return v.scalar.(string), true
			}
			s, ok := v.col.O[i].(string)
			return s, ok
		}
		if !l.isCol {
			return scalarValue(holds(op, strings.Compare(l.scalar.(string), r.scalar.(string)))), nil
		}
		out := make([]bool, rows)
		for i := range out {
			a, okA := at(l, i)
			b, okB := at(r, i)
			if !okA || !okB {
				out[i] = op == "!="
				continue
			}
			out[i] = holds(op, strings.Compare(a, b))
		}
		return colValue(data.Bools(out)), nil
	case kl == kTime && l.col.DType == data.Datetime && (kr == kStr && !r.isCol || r.isCol && r.col.DType == data.Datetime):
		return ev.compareTimes(n, op, l, r)
	}
	if op == "==" || op == "!=" {
		if !l.isCol {
			return scalarValue(op == "!="), nil
		}
		out := make([]bool, rows)
		if op == "!=" {
			for i := range out {
				out[i] = true
			}
		}
		return colValue(data.Bools(out)), nil
	}
	if !l.isCol {
		return value{}, ev.fail(n, "TypeError", "'%s' not supported between instances of '%s' and '%s'", op, typeName(l), typeName(r))
	}
	return value{}, ev.fail(n, "TypeError", "Invalid comparison between dtype=%s and %s", typeName(l), typeName(r))
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func floatHolds(op string, a, b float64) bool {
	if a != a || b != b {
		return op == "!="
	}
	switch {
	case a < b:
		return holds(op, -1)
	case a > b:
		return holds(op, 1)
	}
	return holds(op, 0)
}

// compareTimes compares a datetime column with an ISO timestamp string (naive strings
// are wall time in the column's zone) or with another datetime column; NaT compares
// False (!= True).
func (ev *evaluator) compareTimes(n *binary, op string, l, r value) (value, error) {
	a := l.col.I
	var b []int64
	sb := 1
	if r.isCol {
		if r.col.Zone.Aware != l.col.Zone.Aware {
			return value{}, ev.fail(n, "TypeError", "Cannot compare tz-naive and tz-aware datetime-like objects")
		}
		b = r.col.I
	} else {
		s := r.scalar.(string)
		ns, z, err := data.ParseISO(strings.TrimSpace(s))
		if err != nil {
			return value{}, ev.fail(n, "TypeError", "Invalid comparison between dtype=datetime64[ns] and str (%s is not a timestamp)", data.PyRepr(s))
		}
		switch {
		case !z.Aware && l.col.Zone.Aware:
			ns -= int64(l.col.Zone.Offset) * 1e9
		case z.Aware && !l.col.Zone.Aware:
			return value{}, ev.fail(n, "TypeError", "Cannot compare tz-naive and tz-aware datetime-like objects")
		}
		b, sb = []int64{ns}, 0
	}
	out := make([]bool, len(a))
	for i, x := range a {
		y := b[i*sb]
		if x == data.NaT || y == data.NaT {
			out[i] = op == "!="
			continue
		}
		out[i] = holds(op, cmpInt(x, y))
	}
	return colValue(data.Bools(out)), nil
}

// arith is + - * / // % ** on numbers.
func (ev *evaluator) arith(n *binary, op string, l, r value) (value, error) {
	kl, kr := kindOf(l), kindOf(r)
	if kl > kFloat || kr > kFloat {
		sym := op
		if op == "**" {
			sym = "** or pow()"
		}
		return value{}, ev.fail(n, "TypeError", "unsupported operand type(s) for %s: '%s' and '%s'", sym, typeName(l), typeName(r))
	}
	if !l.isCol && !r.isCol {
		v, err := pyArith(op, l.scalar, r.scalar)
		if err != nil {
			return value{}, ev.fail(n, "ZeroDivisionError", "%s", err.Error())
		}
		return scalarValue(v), nil
	}
	rows := ev.env.Rows
	k := max(kl, kr)
	if k == kBool {
		a, sa := bools(l)
		b, sb := bools(r)
		out := make([]bool, rows)
		switch op {
		case "+": // numpy: logical or
			for i := range out {
				out[i] = a[i*sa] || b[i*sb]
			}
			return colValue(data.Bools(out)), nil
		case "*": // logical and
			for i := range out {
				out[i] = a[i*sa] && b[i*sb]
			}
			return colValue(data.Bools(out)), nil
		case "-":
			return value{}, ev.fail(n, "TypeError", "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.")
		case "/", "//", "**":
			return value{}, ev.fail(n, "NotImplementedError", "operator '%s' not implemented for bool dtypes", map[string]string{"/": "truediv", "//": "floordiv", "**": "pow"}[op])
		}
	}
	if k <= kInt && op != "/" {
		return ev.intArith(n, op, l, r)
	}
	a, sa := floats(l, rows)
	b, sb := floats(r, rows)
	out := make([]float64, rows)
	switch op {
	case "+":
		for i := range out {
			out[i] = a[i*sa] + b[i*sb]
		}
	case "-":
		for i := range out {
			out[i] = a[i*sa] - b[i*sb]
		}
	case "*":
		for i := range out {
			out[i] = a[i*sa] * b[i*sb]
		}
	case "/":
		for i := range out {
			out[i] = a[i*sa] / b[i*sb]
		}
	case "//":
		for i := range out {
			out[i] = floorDiv(a[i*sa], b[i*sb])
		}
	case "%":
		for i := range out {
			out[i] = remainder(a[i*sa], b[i*sb])
		}
	default:
		for i := range out {
			out[i] = math.Pow(a[i*sa], b[i*sb])
		}
	}
	return colValue(data.Floats(out)), nil
}

// intArith is integer arithmetic on columns: + - * wrap around as numpy's int64 does; //
// and % by zero turn the whole result into float64 with ±inf/NaN (//) or NaN (%) where
// the divisor is zero, as pandas fills them; a negative exponent is numpy's ValueError.
func (ev *evaluator) intArith(n *binary, op string, l, r value) (value, error) {
	a, sa := ints(l)
	b, sb := ints(r)
	rows := ev.env.Rows
	zero, negative := false, false
	for i := 0; i < len(b); i++ {
		zero = zero || b[i] == 0
		negative = negative || b[i] < 0
	}
	if zero && (op == "//" || op == "%") {
		out := make([]float64, rows)
		for i := range out {
			x, y := a[i*sa], b[i*sb]
			switch {
			case y != 0 && op == "//":
				out[i] = float64(floorDivInt(x, y))
			case y != 0:
				out[i] = float64(modInt(x, y))
			case op == "%" || x == 0:
				out[i] = math.NaN()
			case x > 0:
				out[i] = math.Inf(1)
			default:
				out[i] = math.Inf(-1)
			}
		}
		return colValue(data.Floats(out)), nil
	}
	if op == "**" && negative {
		return value{}, ev.fail(n, "ValueError", "Integers to negative integer powers are not allowed.")
	}
	out := make([]int64, rows)
	switch op {
	case "+":
		for i := range out {
			out[i] = a[i*sa] + b[i*sb]
		}
	case "-":
		for i := range out {
			out[i] = a[i*sa] - b[i*sb]
		}
	case "*":
		for i := range out {
			out[i] = a[i*sa] * b[i*sb]
		}
	case "//":
		for i := range out {
			out[i] = floorDivInt(a[i*sa], b[i*sb])
		}
	case "%":
		for i := range out {
			out[i] = modInt(a[i*sa], b[i*sb])
		}
	default:
		for i := range out {
			out[i] = powInt(a[i*sa], b[i*sb])
		}
	}
	return colValue(data.Ints(out)), nil
}

func floorDivInt(a, b int64) int64 {
	if b == -1 {
		return -a // numpy wraps MinInt64 // -1
	}
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func modInt(a, b int64) int64 {
	if b == -1 {
		return 0
	}
	m := a % b
	if m != 0 && ((m < 0) != (b < 0)) {
		m += b
	}
	return m
}

func powInt(a, e int64) int64 {
	r := int64(1)
	for e > 0 {
		if e&1 == 1 {
			r *= a
		}
		a *= a
		e >>= 1
	}
	return r
}

// floorDiv is numpy's floor_divide for floats (npy_floor_divide / npy_divmod): the
// quotient of the Python-style division, snapped to an integer; division by zero gives
// a/b (±inf, or NaN for 0/0).
func floorDiv(a, b float64) float64 {
	if b == 0 {
		return a / b
	}
	mod := math.Mod(a, b)
	div := (a - mod) / b
	if mod != 0 && (b < 0) != (mod < 0) {
		div -= 1
	}
	if div == 0 {
		return math.Copysign(0, a/b)
	}
	f := math.Floor(div)
	if div-f > 0.5 {
		f++
	}
	return f
}

// remainder is numpy's remainder for floats: the result has the divisor's sign (Python's
// %); a zero divisor gives NaN.
func remainder(a, b float64) float64 {
	mod := math.Mod(a, b)
	if b == 0 {
		return mod
	}
	if mod != 0 {
		if (b < 0) != (mod < 0) {
			mod += b
		}
	} else {
		mod = math.Copysign(0, b)
	}
	return mod
}

// pyArith is Python's arithmetic on two number scalars (bools count as 0 and 1): int
// operands stay ints except for /, and a zero divisor is Python's ZeroDivisionError
// (its message returned as the error text).
func pyArith(op string, x, y any) (any, error) {
	xi, xInt := pyInt(x)
	yi, yInt := pyInt(y)
	if xInt && yInt {
		switch op {
		case "+":
			return xi + yi, nil
		case "-":
			return xi - yi, nil
		case "*":
			return xi * yi, nil
		case "/":
			if yi == 0 {
				return nil, errText("float division by zero") // pandas divides numpy scalars as floats
			}
			return float64(xi) / float64(yi), nil
		case "//":
			if yi == 0 {
				return nil, errText("integer division or modulo by zero")
			}
			return floorDivInt(xi, yi), nil
		case "%":
			if yi == 0 {
				return nil, errText("integer modulo by zero")
			}
			return modInt(xi, yi), nil
		}
		if yi < 0 {
			return math.Pow(float64(xi), float64(yi)), nil
		}
		return powInt(xi, yi), nil
	}
	a, _ := data.ToFloat(x)
	b, _ := data.ToFloat(y)
	switch op {
	case "+":
		return a + b, nil
	case "-":
		return a - b, nil
	case "*":
		return a * b, nil
	case "/":
		if b == 0 {
			return nil, errText("float division by zero")
		}
		return a / b, nil
	case "//":
		if b == 0 {
			return nil, errText("float floor division by zero")
		}
		return floorDiv(a, b), nil
	case "%":
		if b == 0 {
			return nil, errText("float modulo")
		}
		return remainder(a, b), nil
	}
	return math.Pow(a, b), nil
}

func pyInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case bool:
		return boolInt(x), true
	}
	return 0, false
}

type errText string

func (e errText) Error() string { return string(e) }
