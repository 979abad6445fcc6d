package expr

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
)

func TestParsePrecedence(t *testing.T) {
	// The fully parenthesised tree of each expression. The rules are pandas.eval's: & and
	// | are and/or (looser than comparisons, & tighter than |), not is looser than a
	// comparison, ~ and unary minus bind tightly, ** is right-associative and tighter
	// than a unary minus on its left.
	cases := []struct{ src, tree string }{
		{"a + b", "(a + b)"},
		{"a + b * c", "(a + (b * c))"},
		{"(a + b) * c", "((a + b) * c)"},
		{"a - b - c", "((a - b) - c)"},
		{"a / b // c % d", "(((a / b) // c) % d)"},
		{"a > 1 & b < 2", "((a > 1) & (b < 2))"},
		{"a > 1 and b < 2", "((a > 1) & (b < 2))"},
		{"a > 1 | b < 2 & c == 3", "((a > 1) | ((b < 2) & (c == 3)))"},
		{"a > 1 or b < 2 and c", "((a > 1) | ((b < 2) & c))"},
		{"not a > 1", "(~(a > 1))"},
		{"not a > 1 and b", "((~(a > 1)) & b)"},
		{"a & not b", "(a & (~b))"},
		{"~a > 1", "((~a) > 1)"},
		{"-a ** 2", "(-(a ** 2))"},
		{"2 ** -a", "(2 ** (-a))"},
		{"2 ** 3 ** 2", "(2 ** (3 ** 2))"},
		{"- -a", "(-(-a))"},
		{"1 < a < 3", "((1 < a) & (a < 3))"},
		{"1 < a <= b < 3", "(((1 < a) & (a <= b)) & (b < 3))"},
		{"a in [1, 2]", "(a in [1, 2])"},
		{"a not in (1, 'x')", `(a not in [1, "x"])`},
		{"`c c` >= 0.5", "(`c c` >= 0.5)"},
		{"sqrt(a) + arctan2(a, b)", "(sqrt(a) + arctan2(a, b))"},
		{"x > 42", "(x > 42)"},
		{"a == 'x' 'y'", `(a == "xy")`},
		{"1_000 + 0x1f + 0o17 + 0b101 + 1.5e-3 + .5 + 5.", "((((((1_000 + 0x1f) + 0o17) + 0b101) + 1.5e-3) + .5) + 5.)"},
		{"(a +\n b)", "(a + b)"},
		{"a \\\n + b", "(a + b)"},
		{"  a  \n", "a"},
		{"True & False", "(True & False)"},
	}
	for _, c := range cases {
		e, err := Parse(c.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.src, err)
			continue
		}
		if got := e.String(); got != c.tree {
			t.Errorf("Parse(%q) = %s, want %s", c.src, got, c.tree)
		}
	}
}

func TestParseRejects(t *testing.T) {
	// Each rejected expression: the error's Python type and a part of its message; every
	// message names the position (byte offset) and the expression.
	cases := []struct{ src, typ, msg string }{
		{"", "ValueError", "expr cannot be an empty string"},
		{"   ", "ValueError", "expr cannot be an empty string"},
		{"c = a + b", "NotImplementedError", "assignments are not supported (at position 2 of expression 'c = a + b')"},
		{"a += 1", "NotImplementedError", "assignments (+=) are not supported (at position 2"},
		{"a.sum()", "NotImplementedError", "attribute access is not supported (at position 1"},
		{"(a + b).abs()", "NotImplementedError", "attribute access is not supported (at position 7"},
		{"a[0]", "NotImplementedError", "subscripts are not supported (at position 1"},
		{"lambda: 1", "NotImplementedError", "lambda is not supported (at position 0"},
		{"max(a)", "ValueError", `"max" is not a supported function`},
		{"__import__('os')", "ValueError", `"__import__" is not a supported function`},
		{"sqrt(a, b)", "TypeError", "sqrt() takes 1 argument, got 2"},
		{"arctan2(a)", "TypeError", "arctan2() takes 2 arguments, got 1"},
		{"sqrt(x=a)", "NotImplementedError", "keyword arguments are not supported"},
		{"(a)(b)", "NotImplementedError", "only the supported functions can be called"},
		{"a if b else c", "NotImplementedError", "conditional expressions (if/else) are not supported (at position 2"},
		{"a is b", "NotImplementedError", "'is' is not supported"},
		{"a == None", "NotImplementedError", "None is not supported (at position 5"},
		{"@x > 1", "NotImplementedError", "'@' (local variables, matrix product) is not supported (at position 0"},
		{"a ^ b", "NotImplementedError", "operator ^ is not supported (at position 2"},
		{"a << 1", "NotImplementedError", "operator << is not supported"},
		{"a, b", "NotImplementedError", "tuples are not supported"},
		{"[1, 2]", "NotImplementedError", "lists and tuples are supported only on the right of 'in'"},
		{"a + [1]", "NotImplementedError", "lists and tuples are supported only on the right of 'in'"},
		{"a in b", "NotImplementedError", "'in' needs a list of literals on its right"},
		{"a in [b]", "NotImplementedError", "the list after 'in' may hold only numbers, strings and True/False"},
		{"{1: 2}", "NotImplementedError", "dicts and sets are not supported"},
		{"a + * b", "SyntaxError", "unexpected '*' (at position 4 of expression 'a + * b')"},
		{"a +", "SyntaxError", "unexpected end of expression (at position 3"},
		{"(a + b", "SyntaxError", "unexpected end of expression"},
		{"a b", "SyntaxError", "unexpected name \"b\" (at position 2"},
		{"a !b", "SyntaxError", "'!' is not an operator"},
		{"a > 1\nb > 2", "SyntaxError", "an expression must be one line"},
		{"a; b", "SyntaxError", "several statements are not supported"},
		{"a # comment", "SyntaxError", "comments are not supported"},
		{"'abc", "SyntaxError", "unterminated string literal"},
		{"`a b", "SyntaxError", "unterminated backtick-quoted name"},
		{"007", "SyntaxError", "leading zeros in decimal integer literals"},
		{"1j", "NotImplementedError", "complex numbers are not supported"},
		{"1abc", "SyntaxError", "invalid number literal"},
		{"b'x'", "SyntaxError", "string prefixes"},
		{"a ? b", "SyntaxError", "invalid character '?' (at position 2"},
		{"import os", "NotImplementedError", "statements (import) are not supported"},
		{"not", "SyntaxError", "unexpected end of expression"},
		{"a and", "SyntaxError", "unexpected end of expression"},
	}
	for _, c := range cases {
		_, err := Parse(c.src)
		var de *data.Error
		if !errors.As(err, &de) {
			t.Errorf("Parse(%q): %v, want a %s", c.src, err, c.typ)
			continue
		}
		if de.Type != c.typ || !strings.Contains(de.Message, c.msg) {
			t.Errorf("Parse(%q): %s: %s\nwant %s containing %q", c.src, de.Type, de.Message, c.typ, c.msg)
		}
	}
}

// testEnv is a four-row frame: a int64 [1 2 3 0], b float64 [1.5 NaN 2 0], c bool
// [T F T F], s strings [x y z nil], `c c` bool [F F T T], t datetimes (UTC) at 00:00,
// 00:10, 00:20, NaT.
func testEnv() Env {
	const min = int64(60e9)
	t0 := int64(1577836800) * 1e9 // 2020-01-01T00:00:00Z
	cols := map[string]data.Column{
		"a":   data.Ints([]int64{1, 2, 3, 0}),
		"b":   data.Floats([]float64{1.5, math.NaN(), 2, 0}),
		"c":   data.Bools([]bool{true, false, true, false}),
		"s":   data.Objects([]any{"x", "y", "z", nil}),
		"c c": data.Bools([]bool{false, false, true, true}),
		"t":   data.Datetimes([]int64{t0, t0 + 10*min, t0 + 20*min, data.NaT}, data.UTC),
	}
	return Env{Rows: 4, Lookup: func(name string) (data.Column, bool) {
		c, ok := cols[name]
		return c, ok
	}}
}

var nan = math.NaN()

func TestEvalColumns(t *testing.T) {
	// Expected columns worked out by hand with numpy's rules; where pandas.eval (numexpr,
	// pandas 1.5.3) agrees, its printed result is quoted.
	cases := []struct {
		src  string
		want data.Column
	}{
		{"a", data.Ints([]int64{1, 2, 3, 0})},
		{"a + b", data.Floats([]float64{2.5, nan, 5, 0})},                                   // pandas: [2.5, nan, 5.0, 0.0]
		{"a * 2", data.Ints([]int64{2, 4, 6, 0})},                                           // int stays int
		{"a - 7 % 3", data.Ints([]int64{0, 1, 2, -1})},                                      // pandas: [0, 1, 2, -1]
		{"a / 2", data.Floats([]float64{0.5, 1, 1.5, 0})},                                   // / is true division
		{"a / (a - a)", data.Floats([]float64{math.Inf(1), math.Inf(1), math.Inf(1), nan})}, // pandas: [inf, inf, inf, nan]
		{"a // 2", data.Ints([]int64{0, 1, 1, 0})},
		{"-a // 2", data.Ints([]int64{-1, -1, -2, 0})},                 // floor, not truncation
		{"a // (a - 1)", data.Floats([]float64{math.Inf(1), 2, 1, 0})}, // 1//0 → inf makes it float; 0//-1 = 0
		{"a % 2", data.Ints([]int64{1, 0, 1, 0})},
		{"-a % 3", data.Ints([]int64{2, 1, 0, 0})},            // Python's sign rule
		{"a % (a - 1)", data.Floats([]float64{nan, 0, 1, 0})}, // x % 0 → NaN (pandas' fill)
		{"b % 0.5", data.Floats([]float64{0, nan, 0, 0})},     //
		{"-b % 3", data.Floats([]float64{1.5, nan, 1, 0})},    // pandas: [1.5, nan, 1.0, 0.0]
		{"b // 0.4", data.Floats([]float64{3, nan, 4, 0})},    // floor(1.5/0.4) = 3; 2/0.4 = 5 but fmod(2, 0.4) ≈ 0.4 → 4, as numpy
		{"a ** 2", data.Ints([]int64{1, 4, 9, 0})},            // pandas: [1, 4, 9, 16] for a = 1..4
		{"2 ** a", data.Ints([]int64{2, 4, 8, 1})},            // pandas: [2, 4, 8, 16] for a = 1..4
		{"b ** 0.5", data.Floats([]float64{math.Sqrt(1.5), nan, math.Sqrt2, 0})},
		{"-b", data.Floats([]float64{-1.5, nan, -2, 0})},
		{"+a", data.Ints([]int64{1, 2, 3, 0})},
		{"c * 2", data.Ints([]int64{2, 0, 2, 0})},                                  // pandas: [2, 0, 2, 0]
		{"b / abs(0)", data.Floats([]float64{math.Inf(1), nan, math.Inf(1), nan})}, // a call is no constant: pd.eval('x / abs(0)') is [inf, inf]
		{"s + 'x'", data.Objects([]any{"xx", "yx", "zx", nil})},                    // Python's + per string, missing stays missing
		{"a + `c c`", data.Ints([]int64{1, 2, 4, 1})},                              // bool promotes to int
		{"(a > 1) + 1", data.Ints([]int64{1, 2, 2, 1})},                            // pandas: [1, 2, 2, 2] for a = 1..4
		{"a > 1", data.Bools([]bool{false, true, true, false})},
		{"a > 1.5", data.Bools([]bool{false, true, true, false})},
		{"b > 1", data.Bools([]bool{true, false, true, false})},   // NaN compares False
		{"b != b", data.Bools([]bool{false, true, false, false})}, // pandas: [False, True, False, False]
		{"b == b", data.Bools([]bool{true, false, true, true})},
		{"a == b", data.Bools([]bool{false, false, false, true})}, // pandas: [False, False, False, True]
		{"1 < a < 3", data.Bools([]bool{false, true, false, false})},
		{"3 > a", data.Bools([]bool{true, true, false, true})},           // scalar on the left
		{"a > 1 & b > 1", data.Bools([]bool{false, false, true, false})}, // pandas: [False, False, True, False]
		{"a > 1 and b > 1", data.Bools([]bool{false, false, true, false})},
		{"a > 1 or not b > 1", data.Bools([]bool{false, true, true, true})}, // pandas: [False, True, True, True]
		{"~(a > 1)", data.Bools([]bool{true, false, false, true})},
		{"not c", data.Bools([]bool{false, true, false, true})},
		{"c & c", data.Bools([]bool{true, false, true, false})},
		{"c | (a > 1)", data.Bools([]bool{true, true, true, false})},
		{"c & True", data.Bools([]bool{true, false, true, false})},
		{"`c c` & (a > 1)", data.Bools([]bool{false, false, true, false})},
		{"c == 1", data.Bools([]bool{true, false, true, false})}, // pandas: [True, False, True, False]
		{"s == 'x'", data.Bools([]bool{true, false, false, false})},
		{"s != 'x'", data.Bools([]bool{false, true, true, true})}, // a missing string is != everything
		{"s > 'x'", data.Bools([]bool{false, true, true, false})}, // pandas: [False, True, True, False]
		{"'y' <= s", data.Bools([]bool{false, true, true, false})},
		{"a == 'x'", data.Bools([]bool{false, false, false, false})}, // a number never equals a string
		{"a != 'x'", data.Bools([]bool{true, true, true, true})},
		{"t >= '2020-01-01T00:10:00Z'", data.Bools([]bool{false, true, true, false})},
		{"t < '2020-01-01 00:10'", data.Bools([]bool{true, false, false, false})}, // naive: wall time of the zone
		{"t != t", data.Bools([]bool{false, false, false, true})},                 // NaT
		{"a in [1, 2]", data.Bools([]bool{true, true, false, false})},             // pandas: [True, True, False, False]
		{"a not in [1, 2]", data.Bools([]bool{false, false, true, true})},
		{"b in [1.5, 0]", data.Bools([]bool{true, false, false, true})},
		{"a in [True]", data.Bools([]bool{true, false, false, false})}, // True == 1
		{"s in ['x', 'z', 1]", data.Bools([]bool{true, false, true, false})},
		{"abs(-a)", data.Floats([]float64{1, 2, 3, 0})}, // functions give float64, as numexpr's do
		{"sqrt(a)", data.Floats([]float64{1, math.Sqrt2, math.Sqrt(3), 0})},
		{"log(a - 1)", data.Floats([]float64{math.Inf(-1), 0, math.Ln2, nan})}, // log(0) = -inf, log(-1) = NaN
		{"log10(a)", data.Floats([]float64{0, math.Log10(2), math.Log10(3), math.Inf(-1)})},
		{"floor(b) + ceil(b)", data.Floats([]float64{3, nan, 4, 0})},
		{"arctan2(a, b)", data.Floats([]float64{math.Atan2(1, 1.5), nan, math.Atan2(3, 2), 0})},
		{"arcsin(b)", data.Floats([]float64{nan, nan, nan, 0})}, // |x| > 1 → NaN
		{"sin(a) ** 2 + cos(a) ** 2 > 0.99", data.Bools([]bool{true, true, true, true})},
	}
	for _, c := range cases {
		e, err := Parse(c.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.src, err)
			continue
		}
		res, err := e.Eval(context.Background(), testEnv())
		if err != nil {
			t.Errorf("Eval(%q): %v", c.src, err)
			continue
		}
		if !res.IsColumn || !sameColumn(res.Column, c.want) {
			t.Errorf("Eval(%q) = %+v, want %+v", c.src, res.Column, c.want)
		}
	}
}

// sameColumn compares dtype and values, NaN equal to NaN, floats within 1e-15 relative.
func sameColumn(a, b data.Column) bool {
	if a.DType != b.DType || a.Len() != b.Len() {
		return false
	}
	for i := 0; i < a.Len(); i++ {
		x, y := a.At(i), b.At(i)
		if fx, ok := x.(float64); ok {
			fy := y.(float64)
			if math.IsNaN(fx) != math.IsNaN(fy) || (!math.IsNaN(fx) && math.Abs(fx-fy) > 1e-15*math.Max(1, math.Abs(fy))) {
				return false
			}
			if math.IsInf(fy, 0) && fx != fy {
				return false
			}
			continue
		}
		if x != y {
			return false
		}
	}
	return true
}

func TestEvalScalars(t *testing.T) {
	// Expressions without a column give a scalar, computed with Python's rules.
	cases := []struct {
		src  string
		want any
	}{
		{"1 + 2", int64(3)},
		{"-7 % 3", int64(2)},        // pandas: 2
		{"7 // -2", int64(-4)},      // floor
		{"2 ** 3 ** 2", int64(512)}, // pandas: 512
		{"-2 ** 2", int64(-4)},      // pandas: -4
		{"(-2) ** 2", int64(4)},     // pandas: 4
		{"2 ** -1", 0.5},            // Python (numexpr would say 0.0)
		{"10 % 3 * 2", int64(2)},    // pandas: 2
		{"1 / 4", 0.25},
		{"7.5 // 2", 3.0},
		{"-7.5 % 2", 0.5},
		{"True", true},
		{"True + True", int64(2)}, // Python bools are ints
		{"1 < 2 < 3", true},
		{"'a' < 'b'", true},
		{"1 == 'a'", false},
		{"not 1 > 2", true},
		{"sqrt(16)", 4.0},
		{"3 in [1, 3]", true},
		{"'q' not in ['a']", true},
	}
	for _, c := range cases {
		e, err := Parse(c.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.src, err)
			continue
		}
		res, err := e.Eval(context.Background(), testEnv())
		if err != nil {
			t.Errorf("Eval(%q): %v", c.src, err)
			continue
		}
		if res.IsColumn || res.Scalar != c.want {
			t.Errorf("Eval(%q) = %#v (column %v), want %#v", c.src, res.Scalar, res.IsColumn, c.want)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	// Expressions that parse but cannot be evaluated: the error type and part of the
	// message, which names the operator's position.
	cases := []struct{ src, typ, msg string }{
		{"zz > 1", "UndefinedVariableError", "name 'zz' is not defined (at position 0"},
		{"a + `no such`", "UndefinedVariableError", "name 'no such' is not defined (at position 4"},
		{"a > 1 | b", "TypeError", "'|' (or) needs booleans, got bool and float64 (at position 6"},
		{"a & c", "TypeError", "'&' (and) needs booleans, got int64 and bool"},
		{"~a", "TypeError", "'~' (not) needs booleans, got int64"},
		{"not b", "TypeError", "'~' (not) needs booleans, got float64"},
		// numexpr's refusals, as pandas 1.5.3's pandas.eval raises them (hetida's engine):
		// pd.eval('b * b'), pd.eval('-b') for a bool Series b, pd.eval('x / 0'),
		// pd.eval('b / 2')
		{"c - c", "NotImplementedError", "couldn't find matching opcode for 'sub_bbb'"},
		{"c + c", "NotImplementedError", "couldn't find matching opcode for 'add_bbb'"},
		{"c * `c c`", "NotImplementedError", "couldn't find matching opcode for 'mul_bbb'"},
		{"c * True", "NotImplementedError", "couldn't find matching opcode for 'mul_bbb'"},
		{"-c", "NotImplementedError", "couldn't find matching opcode for 'neg_bb'"},
		{"c ** 2", "NotImplementedError", "couldn't find matching opcode for 'mul_bbb'"},
		{"c ** -3", "NotImplementedError", "couldn't find matching opcode for 'mul_bbb'"},
		{"c ** 0", "NotImplementedError", "couldn't find matching opcode for 'ones_like_bb'"},
		{"c ** 0.5", "NotImplementedError", "couldn't find matching opcode for 'sqrt_bb'"},
		{"c / c", "TypeError", "unsupported operand type(s) for /: 'bool' and 'bool'"},
		{"c / 2", "TypeError", "unsupported operand type(s) for /: 'bool' and '<class 'int'>'"},
		{"b / True", "TypeError", "unsupported operand type(s) for /: 'float64' and '<class 'bool'>'"},
		{"b / 0", "ZeroDivisionError", "float division by zero"},
		{"a / (1 - 1)", "ZeroDivisionError", "float division by zero"},
		{"2 / a / -0.0", "ZeroDivisionError", "float division by zero"},
		{"b / 1e-400", "ZeroDivisionError", "float division by zero"},
		{"a ** s", "TypeError", "unsupported operand type(s) for ** or pow(): 'int' and 'str' (at position 2"},
		{"t + 1", "TypeError", "unsupported operand type(s) for +: 'Timestamp' and 'int'"},
		{"a > 'x'", "TypeError", "Invalid comparison between dtype=int64 and str"},
		{"'x' < a", "TypeError", "Invalid comparison between dtype=int64 and str"},
		{"1 < 'x'", "TypeError", "'<' not supported between instances of 'int' and 'str'"},
		{"t > 'yesterday'", "TypeError", "Invalid comparison between dtype=datetime64[ns, UTC] and str"},
		{"t > '2020-01-01'", "TypeError", ""}, // passes: naive string on an aware column
		{"a ** -1", "ValueError", "Integers to negative integer powers are not allowed."},
		{"1 / 0", "ZeroDivisionError", "division by zero"}, // Python's scalars (pandas' numpy scalars say "float division by zero")
		{"1 // 0", "ZeroDivisionError", "integer division or modulo by zero"},
		{"1.5 % 0", "ZeroDivisionError", "float modulo"},
		{"sqrt(s)", "TypeError", "loop of ufunc does not support argument 0 of type str which has no callable sqrt method"},
		{"'abc'", "ValueError", "the expression evaluates to a string"},
	}
	for _, c := range cases {
		e, err := Parse(c.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.src, err)
			continue
		}
		_, err = e.Eval(context.Background(), testEnv())
		if c.msg == "" {
			if err != nil {
				t.Errorf("Eval(%q): %v, want success", c.src, err)
			}
			continue
		}
		var de *data.Error
		if !errors.As(err, &de) || de.Type != c.typ || !strings.Contains(de.Message, c.msg) {
			t.Errorf("Eval(%q): %v\nwant %s containing %q", c.src, err, c.typ, c.msg)
		}
	}
}

func TestEvalCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e, err := Parse("a + b > 1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Eval(ctx, testEnv()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestEvalEmptyColumns(t *testing.T) {
	// zero rows: every operator gives an empty column of its dtype
	env := Env{Rows: 0, Lookup: func(name string) (data.Column, bool) {
		return data.Floats(nil), name == "a" || name == "b"
	}}
	for _, src := range []string{"a + b", "a > 1 & b < 2", "sqrt(a)", "a in [1]", "-a", "a // 0"} {
		e, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Eval(context.Background(), env)
		if err != nil || !res.IsColumn || res.Column.Len() != 0 {
			t.Errorf("Eval(%q) on no rows: %+v, %v", src, res, err)
		}
	}
}
