// Package expr is the expression language of hetida's Eval Expression components: a
// documented, safe subset of pandas.eval (pandas' "pandas" parser). An expression is
// parsed once into a tree and evaluated a whole column at a time — every operator is one
// loop over []float64, []int64, []bool or the object values, never an interpreter per
// row. Nothing outside the grammar below is accepted: no assignment, attribute access,
// subscript, lambda, local variable (@name) or call of a function not listed, so an
// expression can read the columns it names and nothing else.
//
// # Grammar
//
// EBNF, from the loosest binding to the tightest:
//
//	expr       = or
//	or         = and { ("or" | "|") and }
//	and        = not { ("and" | "&") not }
//	not        = "not" not | comparison
//	comparison = arith { cmpop arith }          a < b < c means (a < b) & (b < c)
//	cmpop      = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in"
//	arith      = term { ("+" | "-") term }
//	term       = factor { ("*" | "/" | "//" | "%") factor }
//	factor     = ("-" | "+" | "~") factor | power
//	power      = primary [ "**" factor ]        right-associative; -2**2 is -(2**2)
//	primary    = number | string | "True" | "False" | name | "`" any-but-backtick "`"
//	           | function "(" expr { "," expr } ")" | "(" expr ")"
//	           | "[" literal { "," literal } "]" | "(" literal "," … ")"   only after in
//
// As in pandas — and unlike Python — & and | are the boolean and/or: they bind looser
// than comparisons, so a > 1 & b < 2 is (a > 1) & (b < 2); "not" binds looser than a
// comparison (not a > 1 is not (a > 1)) while ~ binds tightly (~a > 1 is (~a) > 1).
//
// Numbers are Python literals (1, 1_000, 0x1f, 0o17, 0b101, 1.5, .5, 1e-3); strings are
// single- or double-quoted with the usual backslash escapes; names are Python
// identifiers, or any text between backticks for column names with spaces or symbols.
// Names resolve through the Env: the columns of the DataFrame (and "index"), or the
// series as x.
//
// Functions (pandas' numexpr functions; the result is always float64): abs, sqrt, exp,
// expm1, log, log1p, log10, sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, tanh,
// arcsinh, arccosh, arctanh, floor, ceil, and arctan2(y, x).
//
// # Semantics
//
// Arithmetic, comparisons, unary minus and the functions are runtime/data's
// (data.Arith, data.CompareOp, data.Neg, data.MapFloat), applied to whole columns, so
// they follow pandas on Series: numpy's promotion (bool < int64 < float64; / always
// gives float64), division by zero gives ±inf or NaN for columns (pandas' filling for
// integer // and %), an integer to a negative integer power is numpy's ValueError, math
// functions of invalid arguments give NaN (log(0) is -inf) and always float64 (as
// numexpr's do), + concatenates strings. Comparisons with
// NaN are False except !=; a number never equals a string and ordering them is a
// TypeError; a datetime column compares with ISO timestamp strings. Two scalars follow
// Python. The logical operators &, |, ~ (and, or, not) need booleans. "x in [1, 2]" is
// pandas' isin with a list of literals. An expression without any column evaluates to a
// scalar.
//
// pandas' numexpr engine, which hetida uses, refuses some operations before computing
// anything, and so does this language, with pandas' messages: / with a boolean operand
// (TypeError), / by a constant expression of literals that is zero (ZeroDivisionError
// "float division by zero"), + - * ** % of two booleans and unary minus of a boolean
// column (NotImplementedError "couldn't find matching opcode for 'mul_bbb'"). Where
// numexpr otherwise deviates from pandas' own operators it is not followed: numexpr has
// no // and no string arithmetic, gives 0 for an integer % 0 and mis-evaluates integer
// powers and functions of integer constants (2 ** -1 is 0.0, sin(1) is 0.0).
//
// Errors are *data.Error values typed as pandas would raise them where it rejects the
// same input (SyntaxError, ValueError for an unknown function, UndefinedVariableError for
// an unknown name, TypeError for operand types), NotImplementedError for constructs
// pandas accepts but this language leaves out; every message names the position and the
// expression.
package expr

import (
	"context"
	"fmt"
	"strings"

	"github.com/trafofn/trafofn/runtime/data"
)

// Expr is a parsed expression.
type Expr struct {
	src  string
	root node
}

// Parse parses src. An empty expression is pandas' ValueError.
func Parse(src string) (*Expr, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &data.Error{Type: "ValueError", Message: "expr cannot be an empty string"}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	root, err := p.parse()
	if err != nil {
		return nil, err
	}
	return &Expr{src: src, root: root}, nil
}

// String renders the parsed tree fully parenthesised, e.g. "((a > 1) & (b < 2))".
func (e *Expr) String() string {
	var b strings.Builder
	e.root.write(&b)
	return b.String()
}

// Env is what an expression is evaluated against: the number of rows of every column,
// the columns its names refer to (ok false for an unknown name) and, optionally, the
// index the columns share (Rows labels; 0, 1, … when unset), which only labels the
// intermediate Series that data's operators see.
type Env struct {
	Rows   int
	Lookup func(name string) (c data.Column, ok bool)
	Index  data.Column
}

// Result is an expression's value: a column of Env.Rows values, or a scalar (int64,
// float64, bool) when the expression refers to no column.
type Result struct {
	Column   data.Column
	IsColumn bool
	Scalar   any
}

// Eval evaluates the expression. Every column Lookup returns must have Env.Rows values;
// they are read, never modified. ctx is checked before every operator.
func (e *Expr) Eval(ctx context.Context, env Env) (Result, error) {
	ev := &evaluator{ctx: ctx, env: env, src: e.src, index: env.Index}
	v, err := ev.eval(e.root)
	if err != nil {
		return Result{}, err
	}
	if v.isCol {
		return Result{Column: v.col, IsColumn: true}, nil
	}
	if _, isStr := v.scalar.(string); isStr {
		return Result{}, errAt(e.src, e.root.position(), "ValueError", "the expression evaluates to a string, not to numbers or booleans")
	}
	return Result{Scalar: v.scalar}, nil
}

// errAt is a *data.Error of Python type typ whose message names the position and the
// expression.
func errAt(src string, pos int, typ, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &data.Error{Type: typ, Message: fmt.Sprintf("%s (at position %d of expression %s)", msg, pos, data.PyRepr(src))}
}
