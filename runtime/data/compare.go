package data

import (
	"context"
	"strings"
)

// CmpOp is a Python comparison operator.
type CmpOp string

// The comparison operators of CompareOp and CompareAligned.
const (
	CmpEq CmpOp = "=="
	CmpNe CmpOp = "!="
	CmpLt CmpOp = "<"
	CmpLe CmpOp = "<="
	CmpGt CmpOp = ">"
	CmpGe CmpOp = ">="
)

// method is the name of pandas' aligning comparison method (Series.eq …).
func (op CmpOp) method() string {
	switch op {
	case CmpEq:
		return "eq"
	case CmpNe:
		return "ne"
	case CmpLt:
		return "lt"
	case CmpLe:
		return "le"
	case CmpGt:
		return "gt"
	}
	return "ge"
}

// swapped is the operator that gives the same answer with the operands exchanged.
func (op CmpOp) swapped() CmpOp {
	switch op {
	case CmpLt:
		return CmpGt
	case CmpLe:
		return CmpGe
	case CmpGt:
		return CmpLt
	case CmpGe:
		return CmpLe
	}
	return op
}

// holds tells whether the operator holds for an ordering result c (-1, 0, +1).
func (op CmpOp) holds(c int) bool {
	switch op {
	case CmpEq:
		return c == 0
	case CmpNe:
		return c != 0
	case CmpLt:
		return c < 0
	case CmpLe:
		return c <= 0
	case CmpGt:
		return c > 0
	}
	return c >= 0
}

func (op CmpOp) valid() bool {
	switch op {
	case CmpEq, CmpNe, CmpLt, CmpLe, CmpGt, CmpGe:
		return true
	}
	return false
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// CompareOp is Python's a <op> b (the plain operators ==, !=, <, <=, >, >=; Compare,
// the three-way order of two labels, is column.go's) for
// scalars, *Series and *DataFrame; pandas objects give bool Series/DataFrames.
//
// Scalars compare as in Python (PyCompare). A Series or DataFrame against a scalar
// compares element-wise; NaN, NaT and None compare False except with != (True), and a
// missing scalar gives all False (all True for !=). Numbers against a string, or values
// of other incompatible kinds, are never equal, and ordering them raises pandas'
// TypeError "Invalid comparison between dtype=… and …"; strings (object columns)
// compare with Python's rules and errors. A datetime column compares with timestamps
// and ISO strings (a naive string read in the column's zone).
//
// The plain operators do not align: Series with different indexes (indexEquals) raise
// ValueError "Can only compare identically-labeled Series objects", DataFrames with
// different rows or columns "Can only compare identically-labeled (both index and
// columns) DataFrame objects" (pandas 2's text), a DataFrame against a Series whose
// index is not the frame's columns "Operands are not aligned. Do `left, right =
// left.align(right, axis=1, copy=False)` before operating.". Identically labelled
// objects compare position by position. A Series result is named after the operands
// when both names are equal.
func CompareOp(ctx context.Context, op CmpOp, a, b any) (any, error) {
	if !op.valid() {
		return nil, ValueError("unknown comparison %q", string(op))
	}
	switch x := a.(type) {
	case *DataFrame:
		switch y := b.(type) {
		case *DataFrame:
			if !indexEquals(x.Index, y.Index) || !indexEquals(labelColumn(x.Names), labelColumn(y.Names)) {
				return nil, ValueError("Can only compare identically-labeled (both index and columns) DataFrame objects")
			}
			return frameCompare(ctx, op, x, y)
		case *Series:
			return frameSeriesCompare(ctx, op, x, y, false)
		}
		return frameScalarCompare(ctx, op, x, b)
	case *Series:
		switch y := b.(type) {
		case *DataFrame:
			return frameSeriesCompare(ctx, op.swapped(), y, x, false)
		case *Series:
			if !indexEquals(x.Index, y.Index) {
				return nil, ValueError("Can only compare identically-labeled Series objects")
			}
			return seriesCompare(ctx, op, x, y)
		}
		return seriesScalarCompare(ctx, op, x, b)
	}
	switch y := b.(type) {
	case *DataFrame:
		return frameScalarCompare(ctx, op.swapped(), y, a)
	case *Series:
		return seriesScalarCompare(ctx, op.swapped(), y, a)
	}
	return PyCompare(op, a, b)
}

// CompareAligned is pandas' flex comparison left.eq(right) (ne, lt, le, gt, ge), the
// fallback hetida's comparison components use when the plain operator raises
// ValueError: Series with Series and DataFrame with DataFrame are first aligned on the
// union of their labels (outer, see JoinIndexes), a DataFrame with a Series aligns the
// series' index with the columns; a label missing on one side compares False (True
// for ne). Scalar right operands compare as CompareOp does; a Series left operand with
// a DataFrame right one is the plain operator (pandas calls it). A left operand that
// is no pandas object has no such method: AttributeError, as in Python.
func CompareAligned(ctx context.Context, op CmpOp, a, b any) (any, error) {
	if !op.valid() {
		return nil, ValueError("unknown comparison %q", string(op))
	}
	switch x := a.(type) {
	case *Series:
		if y, ok := b.(*Series); ok {
			x2, y2, err := alignSeries(ctx, x, y, JoinOuter)
			if err != nil {
				return nil, err
			}
			return seriesCompare(ctx, op, x2, y2)
		}
		return CompareOp(ctx, op, a, b)
	case *DataFrame:
		switch y := b.(type) {
		case *DataFrame:
			x2, y2, err := alignFrames(ctx, x, y, JoinOuter)
			if err != nil {
				return nil, err
			}
			return frameCompare(ctx, op, x2, y2)
		case *Series:
			return frameSeriesCompare(ctx, op, x, y, true)
		}
		return CompareOp(ctx, op, a, b)
	}
	return nil, AttributeError(a, op.method())
}

func seriesCompare(ctx context.Context, op CmpOp, a, b *Series) (*Series, error) {
	v, err := compareOperands(ctx, op, colOperand(a.Values), colOperand(b.Values), a.Len())
	if err != nil {
		return nil, err
	}
	return &Series{Name: resultName(a, b), Index: a.Index, Values: v, Attrs: a.Attrs}, nil
}

func seriesScalarCompare(ctx context.Context, op CmpOp, s *Series, v any) (*Series, error) {
	other := scalarOperand(v)
	if l, ok := v.([]any); ok {
		if len(l) != s.Len() {
			return nil, ValueError("('Lengths must match to compare', (%d,), (%d,))", s.Len(), len(l))
		}
		other = colOperand(InferColumn(l))
	}
	out, err := compareOperands(ctx, op, colOperand(s.Values), other, s.Len())
	if err != nil {
		return nil, err
	}
	return s.With(out), nil
}

func frameScalarCompare(ctx context.Context, op CmpOp, f *DataFrame, v any) (*DataFrame, error) {
	cols := make([]Column, len(f.Columns))
	for k, c := range f.Columns {
		out, err := compareOperands(ctx, op, colOperand(c), scalarOperand(v), f.Len())
		if err != nil {
			return nil, err
		}
		cols[k] = out
	}
	return &DataFrame{Index: f.Index, Names: f.Names, Columns: cols, Attrs: f.Attrs}, nil
}

func frameCompare(ctx context.Context, op CmpOp, a, b *DataFrame) (*DataFrame, error) {
	cols := make([]Column, len(a.Columns))
	for k := range cols {
		out, err := compareOperands(ctx, op, colOperand(a.Columns[k]), colOperand(b.Columns[k]), a.Len())
		if err != nil {
			return nil, err
		}
		cols[k] = out
	}
	return &DataFrame{Index: a.Index, Names: a.Names, Columns: cols, Attrs: a.Attrs}, nil
}

func frameSeriesCompare(ctx context.Context, op CmpOp, f *DataFrame, s *Series, flex bool) (*DataFrame, error) {
	if !flex && !indexEquals(labelColumn(f.Names), s.Index) {
		return nil, ValueError("Operands are not aligned. Do `left, right = left.align(right, axis=1, copy=False)` before operating.")
	}
	names, cols, vals, err := alignToColumns(ctx, f, s)
	if err != nil {
		return nil, err
	}
	out := make([]Column, len(cols))
	for k, c := range cols {
		r, err := compareOperands(ctx, op, colOperand(c), scalarOperand(vals[k]), f.Len())
		if err != nil {
			return nil, err
		}
		out[k] = r
	}
	return &DataFrame{Index: f.Index, Names: names, Columns: out, Attrs: f.Attrs}, nil
}

func constBools(n int, v bool) Column {
	b := make([]bool, n)
	if v {
		for i := range b {
			b[i] = true
		}
	}
	return Bools(b)
}

// pandasDtype is how pandas prints a column's dtype in comparison errors.
func pandasDtype(c Column) string {
	if c.DType == Datetime && c.Zone.Aware {
		if c.Zone.Offset == 0 {
			return "datetime64[ns, UTC]"
		}
		return "datetime64[ns, " + zoneLabel(c.Zone) + "]"
	}
	return c.DType.String()
}

func zoneLabel(z Zone) string {
	off := int(z.Offset)
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	b := []byte{'U', 'T', 'C', sign}
	b = append2(b, int64(off/3600))
	b = append(b, ':')
	b = append2(b, int64(off/60%60))
	return string(b)
}

// compareOperands compares two operands of n rows element-wise (see CompareOp).
func compareOperands(ctx context.Context, op CmpOp, x, y operand, n int) (Column, error) {
	if !x.isCol {
		x, y, op = y, x, op.swapped()
	}
	if !y.isCol && IsNA(y.scalar) {
		return constBools(n, op == CmpNe), nil
	}
	kx, ky := x.numKind(), y.numKind()
	switch {
	case kx >= 0 && ky >= 0:
		return numericCompare(ctx, op, x, y, n)
	case x.col.DType == Object || (y.isCol && y.col.DType == Object):
		// pandas masks missing values only when the left side is an object column;
		// numbers against objects go through numpy, which lets Python compare every
		// pair (None cannot be ordered)
		masked := x.col.DType == Object || !(kx >= 0)
		return objectCompare(ctx, op, x, y, n, masked)
	case x.col.DType == Datetime:
		if ts, ok := asTimestamp(y, x.col.Zone); ok {
			return timeCompare(op, x, ts, n)
		}
		if y.isCol && y.col.DType == Datetime {
			if y.col.Zone.Aware != x.col.Zone.Aware {
				if op == CmpEq || op == CmpNe {
					return constBools(n, op == CmpNe), nil
				}
				return Column{}, TypeError("Invalid comparison between dtype=%s and DatetimeArray", pandasDtype(x.col))
			}
			return timeCompare(op, x, y, n)
		}
	case x.col.DType == Timedeltas:
		if _, ok := y.scalar.(Timedelta); ok || (y.isCol && y.col.DType == Timedeltas) {
			return timeCompare(op, x, y, n)
		}
	}
	if op == CmpEq || op == CmpNe {
		return constBools(n, op == CmpNe), nil
	}
	other := ""
	if y.isCol {
		other = pandasDtype(y.col)
	} else {
		other = PyTypeName(y.scalar)
	}
	return Column{}, TypeError("Invalid comparison between dtype=%s and %s", pandasDtype(x.col), other)
}

// asTimestamp reads a scalar as a timestamp comparable with a datetime column of zone z:
// a Timestamp of the same awareness, or an ISO string (naive strings are wall time in z).
func asTimestamp(o operand, z Zone) (operand, bool) {
	if o.isCol {
		return o, false
	}
	switch v := o.scalar.(type) {
	case Timestamp:
		if v.Zone.Aware == z.Aware {
			return o, true
		}
	case string:
		ns, zone, err := ParseISO(strings.TrimSpace(v))
		if err != nil {
			return o, false
		}
		if !zone.Aware && z.Aware {
			ns -= int64(z.Offset) * nsPerSecond
			zone = z
		}
		if zone.Aware != z.Aware {
			return o, false
		}
		return scalarOperand(Timestamp{NS: ns, Zone: zone}), true
	}
	return o, false
}

func nanosOf(o operand) ([]int64, int) {
	if o.isCol {
		return o.col.I, 1
	}
	switch v := o.scalar.(type) {
	case Timestamp:
		return []int64{v.NS}, 0
	case Timedelta:
		return []int64{v.NS}, 0
	}
	return []int64{NaT}, 0
}

func timeCompare(op CmpOp, x, y operand, n int) (Column, error) {
	a, sa := nanosOf(x)
	b, sb := nanosOf(y)
	out := make([]bool, n)
	for i := range out {
		p, q := a[i*sa], b[i*sb]
		if p == NaT || q == NaT {
			out[i] = op == CmpNe
		} else {
			out[i] = op.holds(cmpInt(p, q))
		}
	}
	return Bools(out), nil
}

// numericCompare compares numbers element-wise: integers (and booleans) exactly, floats
// with IEEE comparisons, which already give False for NaN (True for !=). The rows go in
// blocks of CheckEvery, ctx checked between them; one loop per operator keeps the
// element loop free of branches.
func numericCompare(ctx context.Context, op CmpOp, x, y operand, n int) (Column, error) {
	out := make([]bool, n)
	ints := x.numKind() != kindFloat && y.numKind() != kindFloat
	var ai, bi []int64
	var af, bf []float64
	var sa, sb int
	if ints {
		ai, sa = intsOf(x)
		bi, sb = intsOf(y)
	} else {
		af, sa = floatsOf(x)
		bf, sb = floatsOf(y)
	}
	for lo := 0; lo < n; lo += CheckEvery {
		if err := ctx.Err(); err != nil {
			return Column{}, err
		}
		hi := min(lo+CheckEvery, n)
		if ints {
			for i := lo; i < hi; i++ {
				out[i] = op.holds(cmpInt(ai[i*sa], bi[i*sb]))
			}
			continue
		}
		switch op {
		case CmpLt:
			for i := lo; i < hi; i++ {
				out[i] = af[i*sa] < bf[i*sb]
			}
		case CmpLe:
			for i := lo; i < hi; i++ {
				out[i] = af[i*sa] <= bf[i*sb]
			}
		case CmpGt:
			for i := lo; i < hi; i++ {
				out[i] = af[i*sa] > bf[i*sb]
			}
		case CmpGe:
			for i := lo; i < hi; i++ {
				out[i] = af[i*sa] >= bf[i*sb]
			}
		case CmpEq:
			for i := lo; i < hi; i++ {
				out[i] = af[i*sa] == bf[i*sb]
			}
		default:
			for i := lo; i < hi; i++ {
				out[i] = af[i*sa] != bf[i*sb]
			}
		}
	}
	return Bools(out), nil
}

// objectCompare is pandas' comparison of object arrays: Python's operator per pair, a
// missing value on either side compares False (True for !=) when masked.
func objectCompare(ctx context.Context, op CmpOp, x, y operand, n int, masked bool) (Column, error) {
	out := make([]bool, n)
	for i := range out {
		if i%CheckEvery == CheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return Column{}, err
			}
		}
		a, b := x.at(i), y.at(i)
		if masked && (IsNA(a) || IsNA(b)) {
			out[i] = op == CmpNe
			continue
		}
		r, err := PyCompare(op, a, b)
		if err != nil {
			return Column{}, err
		}
		out[i] = r
	}
	return Bools(out), nil
}

// PyCompare is Python's a <op> b for scalars: numbers by value (NaN compares False
// except with !=), strings by code point, lists lexicographically, dicts only for
// (in)equality, None equal only to None, timestamps by instant (a naive and an aware
// one are unequal and raise TypeError "Cannot compare tz-naive and tz-aware timestamps"
// when ordered), timedeltas by duration. Values of different kinds are unequal; ordering
// them raises TypeError "'<' not supported between instances of 'str' and 'int'".
func PyCompare(op CmpOp, a, b any) (bool, error) {
	a, b = normInt(a), normInt(b)
	if isPyNumber(a) && isPyNumber(b) {
		ai, aInt := pyInt(a)
		bi, bInt := pyInt(b)
		if aInt && bInt {
			return op.holds(cmpInt(ai, bi)), nil
		}
		x, _ := ToFloat(a)
		y, _ := ToFloat(b)
		if x != x || y != y {
			return op == CmpNe, nil
		}
		return op.holds(cmpFloat(x, y)), nil
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return op.holds(strings.Compare(x, y)), nil
		}
	case []any:
		if y, ok := b.([]any); ok {
			for i := 0; i < len(x) && i < len(y); i++ {
				if !pyEqual(x[i], y[i]) {
					if op == CmpEq || op == CmpNe {
						return op == CmpNe, nil
					}
					return PyCompare(op, x[i], y[i])
				}
			}
			return op.holds(cmpInt(int64(len(x)), int64(len(y)))), nil
		}
	case Timestamp:
		if y, ok := b.(Timestamp); ok {
			if x.NS == NaT || y.NS == NaT {
				return op == CmpNe, nil
			}
			if x.Zone.Aware != y.Zone.Aware {
				if op == CmpEq || op == CmpNe {
					return op == CmpNe, nil
				}
				return false, TypeError("Cannot compare tz-naive and tz-aware timestamps")
			}
			return op.holds(cmpInt(x.NS, y.NS)), nil
		}
	case Timedelta:
		if y, ok := b.(Timedelta); ok {
			if x.NS == NaT || y.NS == NaT {
				return op == CmpNe, nil
			}
			return op.holds(cmpInt(x.NS, y.NS)), nil
		}
	}
	if op == CmpEq || op == CmpNe {
		return pyEqual(a, b) == (op == CmpEq), nil
	}
	return false, NotSupportedBetween(string(op), a, b)
}

// pyEqual is Python's == between scalars and JSON-like containers.
func pyEqual(a, b any) bool {
	a, b = normInt(a), normInt(b)
	if isPyNumber(a) && isPyNumber(b) {
		ai, aInt := pyInt(a)
		bi, bInt := pyInt(b)
		if aInt && bInt {
			return ai == bi
		}
		x, _ := ToFloat(a)
		y, _ := ToFloat(b)
		return x == y
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !pyEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Dict:
		y, ok := b.(*Dict)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for i := 0; i < x.Len(); i++ {
			k, v := x.At(i)
			w, ok := y.Get(k)
			if !ok || !pyEqual(v, w) {
				return false
			}
		}
		return true
	case Timestamp:
		y, ok := b.(Timestamp)
		return ok && x.NS != NaT && y.NS != NaT && x.Zone.Aware == y.Zone.Aware && x.NS == y.NS
	case Timedelta:
		y, ok := b.(Timedelta)
		return ok && x.NS != NaT && x.NS == y.NS
	}
	return false
}
