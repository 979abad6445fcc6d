package data

import (
	"context"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// Op is a Python binary arithmetic operator.
type Op string

// The arithmetic operators of Arith.
const (
	OpAdd      Op = "+"
	OpSub      Op = "-"
	OpMul      Op = "*"
	OpDiv      Op = "/"
	OpFloorDiv Op = "//"
	OpMod      Op = "%"
	OpPow      Op = "**"
)

// name is the operator module's name, as pandas quotes it in errors.
func (op Op) name() string {
	switch op {
	case OpAdd:
		return "add"
	case OpSub:
		return "sub"
	case OpMul:
		return "mul"
	case OpDiv:
		return "truediv"
	case OpFloorDiv:
		return "floordiv"
	case OpMod:
		return "mod"
	}
	return "pow"
}

// ufunc is numpy's name of the operator's ufunc.
func (op Op) ufunc() string {
	switch op {
	case OpAdd:
		return "add"
	case OpSub:
		return "subtract"
	case OpMul:
		return "multiply"
	case OpDiv:
		return "divide"
	case OpFloorDiv:
		return "floor_divide"
	case OpMod:
		return "remainder"
	}
	return "power"
}

// symbol is how Python names the operator in "unsupported operand type(s) for …".
func (op Op) symbol() string {
	if op == OpPow {
		return "** or pow()"
	}
	return string(op)
}

func (op Op) valid() bool {
	switch op {
	case OpAdd, OpSub, OpMul, OpDiv, OpFloorDiv, OpMod, OpPow:
		return true
	}
	return false
}

// Arith is Python's a <op> b for the values hetida passes between operators: Python
// scalars (int64, float64, bool, string, lists …), *Series and *DataFrame.
//
//   - scalar ⊕ scalar: Python semantics (PyArith).
//   - Series ⊕ Series: aligned on the union of the indexes (JoinIndexes, outer), then
//     element-wise; equal indexes combine position by position in their order. The
//     result is named after the operands when both names are equal, else unnamed.
//   - Series ⊕ scalar, scalar ⊕ Series: element-wise, the name kept.
//   - DataFrame ⊕ scalar: every column. DataFrame ⊕ DataFrame: rows and columns aligned
//     (outer), a column missing on one side is all NaN. DataFrame ⊕ Series (either
//     order): the series' index is aligned with the frame's columns and each column is
//     combined with the series value of its label (row-wise broadcast; a time series
//     against a frame of named columns gives all-NaN columns, as in pandas; a frame that
//     would exceed maxFrameCells cells is numpy's MemoryError). A list combines
//     position by position (with the columns, for a frame).
//   - Decoded JSON (a workflow-level ANY input: *Dict, []any) is a Python dict or list:
//     dict ⊕ anything is Python's TypeError "unsupported operand type(s) for +: 'dict'
//     and 'int'", list + list concatenates, list * int repeats, list + int is "can only
//     concatenate list (not "int") to list".
//   - numpy scalars and arrays (what a ufunc returns, e.g. np.log(x)) are not Python
//     values: NumpyFloatArith combines them with numpy's IEEE rules instead.
//
// Element-wise rules (numpy's, with pandas' zero-division filling) are those of the
// column kernels: bool < int64 < float64 promote to the larger kind, / always gives
// float64; bool ⊕ bool is bool for + (or) and * (and) — pandas 1.5 and 2.1 agree, 2.1
// only warns that numexpr cannot do it — a TypeError for -, a NotImplementedError for
// / // ** (pandas), int64 for % (numpy: int8). Python scalars differ: True + True is 2
// (PyArith). Integer // by
// zero makes the whole result float64 with +inf/-inf/NaN for positive/negative/zero
// dividends; integer % by an integer zero makes it float64 with NaN there (a bool False
// divisor gives 0, as numpy). Integers to a negative integer power raise ValueError.
// Floats follow IEEE and Python's floor/modulo sign rules, NaN propagates. Object
// (string, mixed) columns apply Python's operator to each pair of present values;
// a missing value on a column side gives NaN without calling the operator.
//
// The result's attrs are the left pandas operand's (pandas 2.1's __finalize__).
func Arith(ctx context.Context, op Op, a, b any) (any, error) {
	if !op.valid() {
		return nil, ValueError("unknown operator %q", string(op))
	}
	switch x := a.(type) {
	case *DataFrame:
		switch y := b.(type) {
		case *DataFrame:
			return frameArith(ctx, op, x, y)
		case *Series:
			return frameSeriesArith(ctx, op, x, y, false)
		}
		return frameScalarArith(ctx, op, x, b, false)
	case *Series:
		switch y := b.(type) {
		case *DataFrame:
			return frameSeriesArith(ctx, op, y, x, true)
		case *Series:
			return seriesArith(ctx, op, x, y)
		}
		return seriesScalarArith(ctx, op, x, b, false)
	}
	switch y := b.(type) {
	case *DataFrame:
		return frameScalarArith(ctx, op, y, a, true)
	case *Series:
		return seriesScalarArith(ctx, op, y, a, true)
	}
	return PyArith(op, a, b)
}

// operand is one side of an element-wise operation: a column, or a scalar broadcast
// to every row.
type operand struct {
	col      Column
	scalar   any
	isCol    bool
	unmasked bool // missing values go to the operator too (see objectArith)
}

func colOperand(c Column) operand { return operand{col: c, isCol: true} }
func scalarOperand(v any) operand { return operand{scalar: normInt(v)} }

func (o operand) at(i int) any {
	if o.isCol {
		return o.col.At(i)
	}
	return o.scalar
}

func (o operand) na(i int) bool {
	if o.isCol && !o.unmasked {
		return o.col.IsNA(i)
	}
	return false
}

const (
	kindBool  = 0
	kindInt   = 1
	kindFloat = 2
)

// numKind is the numpy kind of a numeric operand, -1 for anything else.
func (o operand) numKind() int {
	if o.isCol {
		switch o.col.DType {
		case Bool:
			return kindBool
		case Int64:
			return kindInt
		case Float64:
			return kindFloat
		}
		return -1
	}
	switch o.scalar.(type) {
	case bool:
		return kindBool
	case int64:
		return kindInt
	case float64:
		return kindFloat
	}
	return -1
}

func (o operand) hasTime() bool {
	if o.isCol {
		return o.col.DType == Datetime || o.col.DType == Timedeltas
	}
	switch o.scalar.(type) {
	case Timestamp, Timedelta:
		return true
	}
	return false
}

func normInt(v any) any {
	if i, ok := v.(int); ok {
		return int64(i)
	}
	return v
}

// CommonName is pandas' rule for the name of a binary operation's or a concat's result:
// the common name when both are equal, else None.
func CommonName(a, b *Series) any { return resultName(a, b) }

// resultName is CommonName.
func resultName(a, b *Series) any {
	if labelEqual(a.Name, b.Name) {
		return a.Name
	}
	return nil
}

func seriesArith(ctx context.Context, op Op, a, b *Series) (*Series, error) {
	if a.Values.DType == Float64 && b.Values.DType == Float64 && op != OpPow && !indexEquals(a.Index, b.Index) {
		// float64 values: combine straight through the join's indexers instead of
		// reindexing both sides first (NaN ⊕ x is NaN for every operator but **)
		idx, l, r, err := JoinIndexes(ctx, a.Index, b.Index, JoinOuter)
		if err != nil {
			return nil, err
		}
		out := gatherFloats(op, a.Values.F, l, b.Values.F, r, idx.Len())
		return &Series{Name: resultName(a, b), Index: idx, Values: Floats(out), Attrs: a.Attrs}, nil
	}
	a2, b2, err := alignSeries(ctx, a, b, JoinOuter)
	if err != nil {
		return nil, err
	}
	v, err := arithOperands(ctx, op, colOperand(a2.Values), colOperand(b2.Values), a2.Len())
	if err != nil {
		return nil, err
	}
	return &Series{Name: resultName(a, b), Index: a2.Index, Values: v, Attrs: a.Attrs}, nil
}

// listColumn turns a list operand into a column matching n rows, as numpy broadcasts
// a list against an array.
func listColumn(l []any, n int) (Column, error) {
	if len(l) != n && len(l) != 1 {
		return Column{}, ValueError("operands could not be broadcast together with shapes (%d,) (%d,) ", n, len(l))
	}
	if len(l) == 1 && n != 1 {
		v := make([]any, n)
		for i := range v {
			v[i] = l[0]
		}
		l = v
	}
	return InferColumn(l), nil
}

func seriesScalarArith(ctx context.Context, op Op, s *Series, v any, reflected bool) (*Series, error) {
	other := scalarOperand(v)
	if l, ok := v.([]any); ok {
		c, err := listColumn(l, s.Len())
		if err != nil {
			return nil, err
		}
		other = colOperand(c)
	}
	x, y := colOperand(s.Values), other
	if reflected {
		x, y = y, x
	}
	out, err := arithOperands(ctx, op, x, y, s.Len())
	if err != nil {
		return nil, err
	}
	return s.With(out), nil
}

func frameScalarArith(ctx context.Context, op Op, f *DataFrame, v any, reflected bool) (*DataFrame, error) {
	if l, ok := v.([]any); ok {
		if len(l) != len(f.Columns) {
			return nil, ValueError("Unable to coerce to Series, length must be %d: given %d", len(f.Columns), len(l))
		}
		s := &Series{Index: labelColumn(f.Names), Values: InferColumn(l)}
		return frameSeriesArith(ctx, op, f, s, reflected)
	}
	cols := make([]Column, len(f.Columns))
	for k, c := range f.Columns {
		x, y := colOperand(c), scalarOperand(v)
		if reflected {
			x, y = y, x
		}
		out, err := arithOperands(ctx, op, x, y, f.Len())
		if err != nil {
			return nil, err
		}
		cols[k] = out
	}
	return &DataFrame{Index: f.Index, Names: f.Names, Columns: cols, Attrs: f.Attrs}, nil
}

func frameArith(ctx context.Context, op Op, a, b *DataFrame) (*DataFrame, error) {
	a2, b2, err := alignFrames(ctx, a, b, JoinOuter)
	if err != nil {
		return nil, err
	}
	cols := make([]Column, len(a2.Columns))
	for k := range cols {
		out, err := arithOperands(ctx, op, colOperand(a2.Columns[k]), colOperand(b2.Columns[k]), a2.Len())
		if err != nil {
			return nil, err
		}
		cols[k] = out
	}
	return &DataFrame{Index: a2.Index, Names: a2.Names, Columns: cols, Attrs: a.Attrs}, nil
}

// alignToColumns aligns a series' index with a frame's column labels (outer): the joined
// labels, each one's column (an all-NaN column where the frame lacks the label) and
// the series value that goes with it (NaN where the series lacks it).
func alignToColumns(ctx context.Context, f *DataFrame, s *Series) (names []any, cols []Column, vals []any, err error) {
	labels, cl, cr, err := JoinIndexes(ctx, labelColumn(f.Names), s.Index, JoinOuter)
	if err != nil {
		return nil, nil, nil, err
	}
	if cells := int64(labels.Len()) * int64(f.Len()); cells > maxFrameCells {
		// a time series against a frame's column labels: every timestamp becomes a column
		return nil, nil, nil, &Error{Type: "MemoryError", Message: fmt.Sprintf(
			"Unable to allocate %s for an array with shape (%d, %d) and data type float64", gib(cells*8), labels.Len(), f.Len())}
	}
	names = f.Names
	if cl != nil || cr != nil {
		names = columnLabels(labels)
	}
	sv := takeFill(s.Values, cr, nil)
	cols = make([]Column, len(names))
	vals = make([]any, len(names))
	for k := range names {
		src := k
		if cl != nil {
			src = cl[k]
		}
		if src < 0 {
			cols[k] = nanColumn(f.Len())
		} else {
			cols[k] = f.Columns[src]
		}
		v := sv.At(k)
		if v == nil {
			v = math.NaN() // pandas' reindexed object values hold np.nan
		}
		vals[k] = v
	}
	return names, cols, vals, nil
}

// maxFrameCells bounds the frame a Series ⊕ DataFrame alignment may build (2²⁷ cells,
// 1 GiB of float64): aligning a long series' labels with a frame's columns makes one
// column per label, which pandas attempts until numpy's allocation fails; here it is
// that MemoryError, raised before anything is allocated.
const maxFrameCells = 1 << 27

// gib renders a byte count as numpy's allocation error does ("7.28 TiB").
func gib(bytes int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB"}
	f, u := float64(bytes), 0
	for f >= 1024 && u < len(units)-1 {
		f /= 1024
		u++
	}
	return fmt.Sprintf("%.3g %s", f, units[u])
}

func nanColumn(n int) Column {
	f := make([]float64, n)
	for i := range f {
		f[i] = math.NaN()
	}
	return Floats(f)
}

func frameSeriesArith(ctx context.Context, op Op, f *DataFrame, s *Series, reflected bool) (*DataFrame, error) {
	names, cols, vals, err := alignToColumns(ctx, f, s)
	if err != nil {
		return nil, err
	}
	out := make([]Column, len(cols))
	for k, c := range cols {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		x, y := colOperand(c), scalarOperand(vals[k])
		if reflected {
			x, y = y, x
		}
		r, err := arithOperands(ctx, op, x, y, f.Len())
		if err != nil {
			return nil, err
		}
		out[k] = r
	}
	attrs := f.Attrs
	if reflected {
		attrs = s.Attrs
	}
	return &DataFrame{Index: f.Index, Names: names, Columns: out, Attrs: attrs}, nil
}

// arithOperands combines two operands of n rows element-wise (see Arith for the rules).
func arithOperands(ctx context.Context, op Op, x, y operand, n int) (Column, error) {
	kx, ky := x.numKind(), y.numKind()
	if kx >= 0 && ky >= 0 {
		return numericArith(op, x, y, n)
	}
	if s, ok := y.scalar.(string); ok && !y.isCol && kx >= 0 {
		return Column{}, ufuncTypeError(op, numpyDtype(x.col), stringDtype(s))
	}
	if s, ok := x.scalar.(string); ok && !x.isCol && ky >= 0 {
		return Column{}, ufuncTypeError(op, stringDtype(s), numpyDtype(y.col))
	}
	if op == OpSub && awareness(x) >= 0 && awareness(y) >= 0 && awareness(x) != awareness(y) {
		// DatetimeArray's wording, without the period of Timestamp's
		return Column{}, TypeError("Cannot subtract tz-naive and tz-aware datetime-like objects")
	}
	return objectArith(ctx, op, x, y, n)
}

// awareness is 0 for naive and 1 for aware datetime operands, -1 for others.
func awareness(o operand) int {
	var z Zone
	switch {
	case o.isCol && o.col.DType == Datetime:
		z = o.col.Zone
	case !o.isCol:
		t, ok := o.scalar.(Timestamp)
		if !ok {
			return -1
		}
		z = t.Zone
	default:
		return -1
	}
	if z.Aware {
		return 1
	}
	return 0
}

func numpyDtype(c Column) string { return "dtype('" + c.DType.String() + "')" }

func stringDtype(s string) string {
	return fmt.Sprintf("dtype('<U%d')", max(1, utf8.RuneCountInString(s)))
}

// ufuncTypeError is numpy's failure for an operator between numbers and a string.
func ufuncTypeError(op Op, l, r string) error {
	switch op {
	case OpAdd, OpSub, OpMul:
		return &Error{Type: "UFuncTypeError", Message: fmt.Sprintf("ufunc '%s' did not contain a loop with signature matching types (%s, %s) -> None", op.ufunc(), l, r)}
	}
	return TypeError("ufunc '%s' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''", op.ufunc())
}

// objectArith applies Python's operator to each pair. pandas masks missing values (NaN
// without calling the operator) only on its object fallback: a column side is masked
// when it or the other side is an object column; numbers against a non-numeric scalar
// go through numpy, which calls the operator for NaN too (NaN + None raises). Results
// that are all timestamps or all timedeltas become datetime/timedelta columns again.
func objectArith(ctx context.Context, op Op, x, y operand, n int) (Column, error) {
	isObj := func(o operand) bool { return o.isCol && o.col.DType == Object }
	if !isObj(x) && !isObj(y) {
		x.unmasked, y.unmasked = true, true
	}
	out := make([]any, n)
	for i := 0; i < n; i++ {
		if i%CheckEvery == CheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return Column{}, err
			}
		}
		if x.na(i) || y.na(i) {
			continue
		}
		v, err := PyArith(op, x.at(i), y.at(i))
		if err != nil {
			return Column{}, err
		}
		out[i] = v
	}
	if x.hasTime() || y.hasTime() {
		if c, ok := timeColumn(out); ok {
			return c, nil
		}
	}
	return Objects(out), nil
}

// timeColumn types a boxed result that holds only timestamps of one zone or only
// timedeltas (and missing values).
func timeColumn(v []any) (Column, bool) {
	var zone Zone
	ts, td := 0, 0
	ns := make([]int64, len(v))
	for i, e := range v {
		switch x := e.(type) {
		case nil:
			ns[i] = NaT
		case Timestamp:
			if ts > 0 && x.Zone != zone {
				return Column{}, false
			}
			zone = x.Zone
			ts++
			ns[i] = x.NS
		case Timedelta:
			td++
			ns[i] = x.NS
		default:
			return Column{}, false
		}
	}
	switch {
	case ts > 0 && td == 0:
		return Datetimes(ns, zone), true
	case td > 0 && ts == 0:
		return TimedeltaCol(ns), true
	}
	return Column{}, false
}

// floatsOf returns an operand's values as float64 and the stride (0 for a scalar).
func floatsOf(o operand) ([]float64, int) {
	if !o.isCol {
		f, _ := ToFloat(o.scalar)
		return []float64{f}, 0
	}
	return o.col.AsFloat64().F, 1
}

func intsOf(o operand) ([]int64, int) {
	if !o.isCol {
		switch x := o.scalar.(type) {
		case int64:
			return []int64{x}, 0
		case bool:
			if x {
				return []int64{1}, 0
			}
		}
		return []int64{0}, 0
	}
	if o.col.DType == Int64 {
		return o.col.I, 1
	}
	v := make([]int64, len(o.col.B))
	for i, b := range o.col.B {
		if b {
			v[i] = 1
		}
	}
	return v, 1
}

func boolsOf(o operand) ([]bool, int) {
	if !o.isCol {
		return []bool{o.scalar.(bool)}, 0
	}
	return o.col.B, 1
}

// numericArith is numpy's operator between numeric operands with pandas' zero-division
// filling (see Arith).
func numericArith(op Op, x, y operand, n int) (Column, error) {
	kx, ky := x.numKind(), y.numKind()
	if kx == kindBool && ky == kindBool {
		switch op {
		case OpAdd, OpMul:
			a, sa := boolsOf(x)
			b, sb := boolsOf(y)
			out := make([]bool, n)
			for i := range out {
				if op == OpAdd {
					out[i] = a[i*sa] || b[i*sb]
				} else {
					out[i] = a[i*sa] && b[i*sb]
				}
			}
			return Bools(out), nil
		case OpSub:
			return Column{}, TypeError("numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.")
		case OpDiv, OpFloorDiv, OpPow:
			return Column{}, NotImplementedError("operator '%s' not implemented for bool dtypes", op.name())
		}
	}
	if op == OpPow && x.isCol && kx == kindBool && !y.isCol && y.scalar == any(2.0) {
		// numpy squares an array raised to the scalar 2.0 with np.square, which keeps
		// integer kinds: bool ** 2.0 is an integer array
		return intArith(op, x, scalarOperand(int64(2)), n)
	}
	if op == OpDiv || kx == kindFloat || ky == kindFloat {
		a, sa := floatsOf(x)
		b, sb := floatsOf(y)
		return Floats(floatKernel(op, a, sa, b, sb, n)), nil
	}
	return intArith(op, x, y, n)
}

func floatKernel(op Op, a []float64, sa int, b []float64, sb int, n int) []float64 {
	out := make([]float64, n)
	if sa == 1 && sb == 1 {
		a, b = a[:n], b[:n]
		switch op {
		case OpAdd:
			for i := range out {
				out[i] = a[i] + b[i]
			}
			return out
		case OpSub:
			for i := range out {
				out[i] = a[i] - b[i]
			}
			return out
		case OpMul:
			for i := range out {
				out[i] = a[i] * b[i]
			}
			return out
		case OpDiv:
			for i := range out {
				out[i] = a[i] / b[i]
			}
			return out
		}
	}
	for i := range out {
		x, y := a[i*sa], b[i*sb]
		switch op {
		case OpAdd:
			out[i] = x + y
		case OpSub:
			out[i] = x - y
		case OpMul:
			out[i] = x * y
		case OpDiv:
			out[i] = x / y
		case OpFloorDiv:
			out[i] = numpyFloorDiv(x, y)
		case OpMod:
			out[i] = numpyMod(x, y)
		default:
			out[i] = Pow(x, y)
		}
	}
	return out
}

// gatherAt is the value at joined position k of a side with indexer pos (nil: the
// identity), NaN where the side lacks the label.
func gatherAt(v []float64, pos []int, k int) float64 {
	if pos == nil {
		return v[k]
	}
	if p := pos[k]; p >= 0 {
		return v[p]
	}
	return math.NaN()
}

// gatherFloats applies op to float64 values addressed through join indexers.
func gatherFloats(op Op, a []float64, l []int, b []float64, r []int, n int) []float64 {
	out := make([]float64, n)
	switch op {
	case OpAdd:
		for k := range out {
			out[k] = gatherAt(a, l, k) + gatherAt(b, r, k)
		}
	case OpSub:
		for k := range out {
			out[k] = gatherAt(a, l, k) - gatherAt(b, r, k)
		}
	case OpMul:
		for k := range out {
			out[k] = gatherAt(a, l, k) * gatherAt(b, r, k)
		}
	case OpDiv:
		for k := range out {
			out[k] = gatherAt(a, l, k) / gatherAt(b, r, k)
		}
	case OpFloorDiv:
		for k := range out {
			out[k] = numpyFloorDiv(gatherAt(a, l, k), gatherAt(b, r, k))
		}
	case OpMod:
		for k := range out {
			out[k] = numpyMod(gatherAt(a, l, k), gatherAt(b, r, k))
		}
	}
	return out
}

// pyDivmod is CPython's float_divmod (numpy's npy_divmod is the same algorithm): the
// floored quotient and the remainder with the sign of the divisor. y must not be 0.
func pyDivmod(x, y float64) (div, mod float64) {
	mod = math.Mod(x, y)
	d := (x - mod) / y
	if mod != 0 {
		if (y < 0) != (mod < 0) {
			mod += y
			d -= 1
		}
	} else {
		mod = math.Copysign(0, y)
	}
	if d != 0 {
		div = math.Floor(d)
		if d-div > 0.5 {
			div++
		}
	} else {
		div = math.Copysign(0, x/y)
	}
	return div, mod
}

// numpyFloorDiv is numpy's floor_divide for float64: x/y (±inf, NaN) for a zero divisor.
func numpyFloorDiv(x, y float64) float64 {
	if y == 0 {
		return x / y
	}
	d, _ := pyDivmod(x, y)
	return d
}

// numpyMod is numpy's remainder for float64: NaN for a zero divisor.
func numpyMod(x, y float64) float64 {
	if y == 0 {
		return math.NaN()
	}
	_, m := pyDivmod(x, y)
	return m
}

func floorDivInt(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func modInt(a, b int64) int64 {
	m := a % b
	if m != 0 && (m < 0) != (b < 0) {
		m += b
	}
	return m
}

// powInt is numpy's integer power: repeated squaring with int64 wrap-around.
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

// intArith is numpy's integer arithmetic (wrapping) with pandas' zero-division fill.
func intArith(op Op, x, y operand, n int) (Column, error) {
	a, sa := intsOf(x)
	b, sb := intsOf(y)
	zero := false
	if op == OpFloorDiv || op == OpMod {
		for i := 0; i < n; i++ {
			if b[i*sb] == 0 {
				zero = true
				break
			}
		}
	}
	// pandas fills // by zero whatever the divisor's dtype, % by zero only for integer
	// (not bool) divisors; numpy gives 0 for the rest
	boolDivisor := y.numKind() == kindBool
	if zero && (op == OpFloorDiv || !boolDivisor) {
		out := make([]float64, n)
		for i := range out {
			p, q := a[i*sa], b[i*sb]
			switch {
			case q != 0 && op == OpFloorDiv:
				out[i] = float64(floorDivInt(p, q))
			case q != 0:
				out[i] = float64(modInt(p, q))
			case op == OpMod || p == 0:
				out[i] = math.NaN()
			case p > 0:
				out[i] = math.Inf(1)
			default:
				out[i] = math.Inf(-1)
			}
		}
		return Floats(out), nil
	}
	if op == OpPow {
		for i := 0; i < n; i++ {
			if b[i*sb] < 0 {
				return Column{}, ValueError("Integers to negative integer powers are not allowed.")
			}
		}
	}
	out := make([]int64, n)
	for i := range out {
		p, q := a[i*sa], b[i*sb]
		switch op {
		case OpAdd:
			out[i] = p + q
		case OpSub:
			out[i] = p - q
		case OpMul:
			out[i] = p * q
		case OpFloorDiv:
			if q != 0 {
				out[i] = floorDivInt(p, q)
			}
		case OpMod:
			if q != 0 {
				out[i] = modInt(p, q)
			}
		default:
			out[i] = powInt(p, q)
		}
	}
	return Ints(out), nil
}

// overflowError reports an integer result beyond int64. Python's ints are unbounded;
// values here are int64, so such a result cannot be represented.
func overflowError() error {
	return &Error{Type: "OverflowError", Message: "integer result exceeds the 64-bit range"}
}

// pyInt reports v as a Python int (bools are ints).
func pyInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func isPyNumber(v any) bool {
	switch v.(type) {
	case int64, int, bool, float64:
		return true
	}
	return false
}

// PyArith is Python's a <op> b for scalars: int (and bool) arithmetic is exact
// (results beyond int64 fail with OverflowError, see overflowError), / gives float,
// // and % floor with the sign of the divisor; division by zero raises
// ZeroDivisionError with CPython 3.11's texts ("division by zero", "float division by
// zero", "integer division or modulo by zero", "float floor division by zero",
// "integer modulo by zero", "float modulo"); int ** negative int is a float, 0 ** negative
// raises ZeroDivisionError, float ** overflowing raises OverflowError; a negative
// number to a fractional power is Python's complex number (PyComplex). str
// and list concatenate with + and repeat with * an int; timestamps and timedeltas
// support the differences and sums pandas defines. Anything else raises Python's
// TypeError.
func PyArith(op Op, a, b any) (any, error) {
	a, b = normInt(a), normInt(b)
	if isPyNumber(a) && isPyNumber(b) {
		ai, aInt := pyInt(a)
		bi, bInt := pyInt(b)
		if aInt && bInt {
			return pyIntArith(op, ai, bi)
		}
		x, _ := ToFloat(a)
		y, _ := ToFloat(b)
		return pyFloatArith(op, x, y)
	}
	switch x := a.(type) {
	case string:
		switch op {
		case OpAdd:
			if y, ok := b.(string); ok {
				return x + y, nil
			}
			return nil, TypeError("can only concatenate str (not \"%s\") to str", PyTypeName(b))
		case OpMul:
			return repeatSeq(x, b)
		case OpMod:
			if !strings.Contains(x, "%") {
				return nil, TypeError("not all arguments converted during string formatting")
			}
			return nil, NotImplementedError("printf-style string formatting is not supported")
		}
	case []any:
		switch op {
		case OpAdd:
			if y, ok := b.([]any); ok {
				return append(append(make([]any, 0, len(x)+len(y)), x...), y...), nil
			}
			return nil, TypeError("can only concatenate list (not \"%s\") to list", PyTypeName(b))
		case OpMul:
			return repeatSeq(x, b)
		}
	case Timestamp, Timedelta:
		if v, ok, err := timeArith(op, a, b); ok || err != nil {
			return v, err
		}
	}
	if op == OpMul {
		switch b.(type) {
		case string, []any:
			if _, ok := pyInt(a); ok {
				return repeatSeq(b, a)
			}
			return nil, TypeError("can't multiply sequence by non-int of type '%s'", PyTypeName(a))
		}
	}
	if _, ok := b.(Timedelta); ok {
		if v, ok, err := timeArith(op, a, b); ok || err != nil {
			return v, err
		}
	}
	return nil, UnsupportedOperand(op.symbol(), a, b)
}

// maxRepeat bounds the size of a repeated string or list (Python would run out of
// memory far later; an execution should not).
const maxRepeat = 1 << 28

func repeatSeq(seq, count any) (any, error) {
	n, ok := pyInt(count)
	if !ok {
		return nil, TypeError("can't multiply sequence by non-int of type '%s'", PyTypeName(count))
	}
	if n < 0 {
		n = 0
	}
	switch s := seq.(type) {
	case string:
		if n > 0 && int64(len(s)) > maxRepeat/n {
			return nil, &Error{Type: "MemoryError", Message: ""}
		}
		return strings.Repeat(s, int(n)), nil
	case []any:
		if n > 0 && int64(len(s)) > maxRepeat/n {
			return nil, &Error{Type: "MemoryError", Message: ""}
		}
		out := make([]any, 0, len(s)*int(n))
		for k := int64(0); k < n; k++ {
			out = append(out, s...)
		}
		return out, nil
	}
	return nil, TypeError("can't multiply sequence by non-int of type '%s'", PyTypeName(count))
}

func pyIntArith(op Op, a, b int64) (any, error) {
	switch op {
	case OpAdd:
		c := a + b
		if (c > a) != (b > 0) {
			return nil, overflowError()
		}
		return c, nil
	case OpSub:
		c := a - b
		if (c < a) != (b > 0) {
			return nil, overflowError()
		}
		return c, nil
	case OpMul:
		if a == 0 || b == 0 {
			return int64(0), nil
		}
		c := a * b
		if c/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
			return nil, overflowError()
		}
		return c, nil
	case OpDiv:
		if b == 0 {
			return nil, ZeroDivisionError("division by zero")
		}
		return float64(a) / float64(b), nil
	case OpFloorDiv:
		if b == 0 {
			return nil, ZeroDivisionError("integer division or modulo by zero")
		}
		if a == math.MinInt64 && b == -1 {
			return nil, overflowError()
		}
		return floorDivInt(a, b), nil
	case OpMod:
		if b == 0 {
			return nil, ZeroDivisionError("integer modulo by zero")
		}
		return modInt(a, b), nil
	}
	if b < 0 {
		if a == 0 {
			return nil, ZeroDivisionError("0.0 cannot be raised to a negative power")
		}
		return Pow(float64(a), float64(b)), nil
	}
	r := int64(1)
	for k := int64(0); k < b; k++ {
		if a == 0 || a == 1 || r == 0 {
			if a == 0 {
				r = 0
			}
			break
		}
		if a == -1 {
			if b%2 == 1 {
				r = -1
			}
			break
		}
		c := r * a
		if c/a != r {
			return nil, overflowError()
		}
		r = c
	}
	return r, nil
}

func pyFloatArith(op Op, x, y float64) (any, error) {
	switch op {
	case OpAdd:
		return x + y, nil
	case OpSub:
		return x - y, nil
	case OpMul:
		return x * y, nil
	case OpDiv:
		if y == 0 {
			return nil, ZeroDivisionError("float division by zero")
		}
		return x / y, nil
	case OpFloorDiv:
		if y == 0 {
			return nil, ZeroDivisionError("float floor division by zero")
		}
		d, _ := pyDivmod(x, y)
		return d, nil
	case OpMod:
		if y == 0 {
			return nil, ZeroDivisionError("float modulo")
		}
		_, m := pyDivmod(x, y)
		return m, nil
	}
	return pyFloatPow(x, y)
}

// pyFloatPow is CPython's float ** float.
func pyFloatPow(x, y float64) (any, error) {
	if y == 0 {
		return 1.0, nil
	}
	if x != x || y != y {
		if x == 1 {
			return 1.0, nil
		}
		return math.NaN(), nil
	}
	if x == 0 && y < 0 && !math.IsInf(y, 0) {
		return nil, ZeroDivisionError("0.0 cannot be raised to a negative power")
	}
	if x < 0 && !math.IsInf(x, 0) && !math.IsInf(y, 0) && y != math.Trunc(y) {
		// CPython's complex power of (x+0j) ** (y+0j) (c_pow): polar form
		r, phase := math.Pow(math.Hypot(x, 0), y), math.Atan2(0, x)*y
		return PyComplex{Re: r * math.Cos(phase), Im: r * math.Sin(phase)}, nil
	}
	r := Pow(x, y)
	if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) && x != 0 {
		return nil, &Error{Type: "OverflowError", Message: "(34, 'Numerical result out of range')"}
	}
	return r, nil
}

// timeArith covers what pandas defines between timestamps and timedeltas: ts − ts,
// ts ± td, td ± td, td × int, td ÷ td, td ÷ number. ok is false for other pairs.
func timeArith(op Op, a, b any) (v any, ok bool, err error) {
	switch x := a.(type) {
	case Timestamp:
		switch y := b.(type) {
		case Timestamp:
			if op != OpSub {
				return nil, false, nil
			}
			if x.Zone.Aware != y.Zone.Aware {
				return nil, true, TypeError("Cannot subtract tz-naive and tz-aware datetime-like objects.")
			}
			if x.NS == NaT || y.NS == NaT {
				return Timedelta{NS: NaT}, true, nil
			}
			return Timedelta{NS: x.NS - y.NS}, true, nil
		case Timedelta:
			if op != OpAdd && op != OpSub {
				return nil, false, nil
			}
			if x.NS == NaT || y.NS == NaT {
				return Timestamp{NS: NaT, Zone: x.Zone}, true, nil
			}
			if op == OpAdd {
				return Timestamp{NS: x.NS + y.NS, Zone: x.Zone}, true, nil
			}
			return Timestamp{NS: x.NS - y.NS, Zone: x.Zone}, true, nil
		}
	case Timedelta:
		switch y := b.(type) {
		case Timestamp:
			if op != OpAdd {
				return nil, false, nil
			}
			return timeArith(op, y, x)
		case Timedelta:
			if x.NS == NaT || y.NS == NaT {
				switch op {
				case OpAdd, OpSub, OpMod:
					return Timedelta{NS: NaT}, true, nil
				case OpDiv:
					return math.NaN(), true, nil
				}
				return nil, false, nil
			}
			switch op {
			case OpAdd:
				return Timedelta{NS: x.NS + y.NS}, true, nil
			case OpSub:
				return Timedelta{NS: x.NS - y.NS}, true, nil
			case OpDiv:
				return float64(x.NS) / float64(y.NS), true, nil
			case OpFloorDiv, OpMod:
				if y.NS == 0 {
					return nil, true, ZeroDivisionError("integer division or modulo by zero")
				}
				if op == OpFloorDiv {
					return floorDivInt(x.NS, y.NS), true, nil
				}
				return Timedelta{NS: modInt(x.NS, y.NS)}, true, nil
			}
		case int64, bool:
			k, _ := pyInt(y)
			if x.NS == NaT && (op == OpMul || op == OpDiv || op == OpFloorDiv) {
				return Timedelta{NS: NaT}, true, nil
			}
			switch op {
			case OpMul:
				return Timedelta{NS: x.NS * k}, true, nil
			case OpDiv, OpFloorDiv:
				if k == 0 {
					return nil, true, ZeroDivisionError("integer division or modulo by zero")
				}
				return Timedelta{NS: floorDivInt(x.NS, k)}, true, nil
			}
		case float64:
			if x.NS == NaT || y != y {
				if op == OpMul || op == OpDiv {
					return Timedelta{NS: NaT}, true, nil
				}
				return nil, false, nil
			}
			switch op {
			case OpMul:
				return Timedelta{NS: int64(float64(x.NS) * y)}, true, nil
			case OpDiv:
				return Timedelta{NS: int64(float64(x.NS) / y)}, true, nil
			}
		}
	default:
		if op == OpMul {
			if _, ok := b.(Timedelta); ok && isPyNumber(a) {
				return timeArith(op, b, a)
			}
		}
	}
	return nil, false, nil
}
