package data

import (
	"context"
	"math"
	"strconv"
	"strings"
)

// Reductions of a column of any dtype to the scalar pandas returns (Series.max(), .min(),
// .median(), .std()), and DataFrame reductions built from them. They follow pandas 1.5,
// which the reference runtime runs (pandas 2.1 differs only for DataFrames with columns
// the reduction cannot handle: 1.5 drops them, 2.1 raises):
//   - NaN, NaT and None are skipped; a column without values gives NaN (NaT for the
//     extremes of a datetime or timedelta column).
//   - max/min keep the dtype: int64 for Int64, bool for Bool, Timestamp for Datetime,
//     Timedelta for Timedeltas, float64 for Float64; Object columns are compared the way
//     numpy compares Python objects (see ColumnMax).
//   - median/std are float64 for numeric and Object columns (Object values converted as
//     numpy's astype(float) does), Timestamp/Timedelta for datetimes and timedeltas.
//   - ctx is checked every CheckEvery values.

// ColumnMax is pandas' Series.max() (skipna) of a column. For an Object column it is
// numpy's maximum.reduce over the values with each missing one replaced by -inf, as
// pandas' nanmax does: acc = v[0], then acc = acc if acc >= v[i] else v[i], with Python's
// comparison rules — numbers with numbers, strings with strings, timestamps with
// timestamps — so that strings give their lexical maximum, and strings mixed with numbers
// or with missing values fail with Python's TypeError "'>=' not supported between
// instances of 'str' and 'float'". All missing: NaN.
func ColumnMax(ctx context.Context, c Column) (any, error) { return columnExtreme(ctx, c, true) }

// ColumnMin is pandas' Series.min() (skipna); see ColumnMax (with +inf for missing
// Object values and Python's <=).
func ColumnMin(ctx context.Context, c Column) (any, error) { return columnExtreme(ctx, c, false) }

func columnExtreme(ctx context.Context, c Column, isMax bool) (any, error) {
	better := func(a, b int64) bool { return a > b }
	if !isMax {
		better = func(a, b int64) bool { return a < b }
	}
	switch c.DType {
	case Float64:
		m := math.NaN()
		for i, v := range c.F {
			if err := checkCtx(ctx, i); err != nil {
				return nil, err
			}
			if v == v && (m != m || isMax && v > m || !isMax && v < m) {
				m = v
			}
		}
		return m, nil
	case Int64:
		if len(c.I) == 0 {
			return math.NaN(), nil
		}
		m := c.I[0]
		for i, v := range c.I {
			if err := checkCtx(ctx, i); err != nil {
				return nil, err
			}
			if better(v, m) {
				m = v
			}
		}
		return m, nil
	case Bool:
		if len(c.B) == 0 {
			return math.NaN(), nil
		}
		// max is any(), min is all()
		for i, v := range c.B {
			if err := checkCtx(ctx, i); err != nil {
				return nil, err
			}
			if v == isMax {
				return isMax, nil
			}
		}
		return !isMax, nil
	case Datetime, Timedeltas:
		m := NaT
		for i, v := range c.I {
			if err := checkCtx(ctx, i); err != nil {
				return nil, err
			}
			if v != NaT && (m == NaT || better(v, m)) {
				m = v
			}
		}
		if c.DType == Timedeltas {
			return Timedelta{NS: m}, nil
		}
		return Timestamp{NS: m, Zone: c.Zone}, nil
	}
	op, fill := ">=", math.Inf(-1)
	if !isMax {
		op, fill = "<=", math.Inf(1)
	}
	var acc any
	present := 0
	for i, v := range c.O {
		if err := checkCtx(ctx, i); err != nil {
			return nil, err
		}
		if IsNA(v) {
			v = fill
		} else {
			present++
		}
		if i == 0 {
			acc = v
			continue
		}
		keep, err := PyOrdered(op, acc, v)
		if err != nil {
			return nil, err
		}
		if !keep {
			acc = v
		}
	}
	if present == 0 {
		return math.NaN(), nil
	}
	return acc, nil
}

// PyOrdered evaluates Python's a <op> b for op one of "<", "<=", ">", ">=": numbers
// (bool, int, float) numerically (NaN compares false), strings by code point, Timestamps
// and Timedeltas by value; any other pairing is Python's TypeError "'<op>' not supported
// between instances of 'A' and 'B'".
func PyOrdered(op string, a, b any) (bool, error) {
	c, ok := pyCmp(a, b)
	if !ok {
		return false, NotSupportedBetween(op, a, b)
	}
	if c == 2 { // NaN involved
		return false, nil
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	case ">=":
		return c >= 0, nil
	}
	return false, NotSupportedBetween(op, a, b)
}

// pyCmp orders a and b when Python can: -1, 0, +1, or 2 for an unordered NaN.
func pyCmp(a, b any) (int, bool) {
	ia, aInt := a.(int64)
	ib, bInt := b.(int64)
	if aInt && bInt {
		return cmpInt(ia, ib), true
	}
	fa, aNum := ToFloat(a)
	fb, bNum := ToFloat(b)
	if aNum && bNum {
		switch {
		case fa != fa || fb != fb:
			return 2, true
		case fa < fb:
			return -1, true
		case fa > fb:
			return 1, true
		}
		return 0, true
	}
	if sa, ok := a.(string); ok {
		if sb, ok := b.(string); ok {
			return strings.Compare(sa, sb), true
		}
		return 0, false
	}
	if ta, ok := a.(Timestamp); ok {
		if tb, ok := b.(Timestamp); ok && ta.Zone.Aware == tb.Zone.Aware {
			return cmpInt(ta.NS, tb.NS), true
		}
		return 0, false
	}
	if da, ok := a.(Timedelta); ok {
		if db, ok := b.(Timedelta); ok {
			return cmpInt(da.NS, db.NS), true
		}
	}
	return 0, false
}

// ColumnMedian is pandas' Series.median() (skipna): NanMedian of the values as float64
// (see ObjectFloats for Object columns); for datetimes and timedeltas the median of the
// nanoseconds, computed in float64 as pandas does and truncated back to a Timestamp or
// Timedelta.
func ColumnMedian(ctx context.Context, c Column) (any, error) {
	var err error
	r, rerr := columnFloatReduce(ctx, c, func(a []float64) float64 {
		var m float64
		m, err = NanMedianCtx(ctx, a)
		return m
	})
	if err != nil {
		return nil, err
	}
	return r, rerr
}

// ColumnStd is pandas' Series.std(ddof=ddof) (skipna): NanStd of the values as float64
// (NaN with at most ddof values), for datetimes and timedeltas the Timedelta of the
// nanoseconds' standard deviation.
func ColumnStd(ctx context.Context, c Column, ddof int) (any, error) {
	r, err := columnFloatReduce(ctx, c, func(a []float64) float64 { return NanStd(a, ddof) })
	if ts, ok := r.(Timestamp); ok {
		return Timedelta{NS: ts.NS}, err
	}
	return r, err
}

// columnFloatReduce applies f to the column's values as float64. Datetime and Timedeltas
// results come back as Timestamp or Timedelta (NaN → NaT).
func columnFloatReduce(ctx context.Context, c Column, f func([]float64) float64) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var vals []float64
	switch c.DType {
	case Float64:
		vals = c.F
	case Int64, Bool, Datetime, Timedeltas:
		vals = c.AsFloat64().F
	default:
		var err error
		if vals, err = ObjectFloats(ctx, c.O); err != nil {
			// pandas' nanops re-raise numpy's ValueError as TypeError
			if e, ok := err.(*Error); ok && e.Type == "ValueError" {
				return nil, TypeError("%s", e.Message)
			}
			return nil, err
		}
	}
	// a pass that asks ctx, so that a cancelled reduction of a long column stops here
	for i := 0; i < len(vals); i += CheckEvery {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	r := f(vals)
	switch c.DType {
	case Datetime, Timedeltas:
		ns := NaT
		if r == r {
			ns = int64(r)
		}
		if c.DType == Timedeltas {
			return Timedelta{NS: ns}, nil
		}
		return Timestamp{NS: ns, Zone: c.Zone}, nil
	}
	return r, nil
}

// NanMedianCtx is NanMedian by selection instead of sorting (linear time, the same
// value), asking ctx every CheckEvery values.
func NanMedianCtx(ctx context.Context, a []float64) (float64, error) {
	clean := make([]float64, 0, len(a))
	for i, v := range a {
		if err := checkCtx(ctx, i); err != nil {
			return 0, err
		}
		if v == v {
			clean = append(clean, v)
		}
	}
	n := len(clean)
	if n == 0 {
		return math.NaN(), nil
	}
	k := n / 2
	if err := selectKthCtx(ctx, clean, k); err != nil {
		return 0, err
	}
	if n%2 == 1 {
		return clean[k], nil
	}
	// after selection every value left of k is ≤ clean[k]: the largest is the (k−1)-th
	lower := clean[0]
	for _, v := range clean[1:k] {
		lower = max(lower, v)
	}
	return (lower + clean[k]) / 2, nil
}

// selectKthCtx reorders a (without NaN) so that a[k] is the value a sorted copy has at k,
// with no larger value before and no smaller one after it: Hoare's quickselect with a
// median-of-three pivot, ctx asked every CheckEvery values partitioned.
func selectKthCtx(ctx context.Context, a []float64, k int) error {
	lo, hi := 0, len(a)-1
	work := 0
	for lo < hi {
		work += hi - lo
		if work >= CheckEvery {
			work = 0
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[mid] {
			a[hi], a[mid] = a[mid], a[hi]
		}
		pivot := a[mid]
		i, j := lo, hi
		for i <= j {
			for a[i] < pivot {
				i++
			}
			for a[j] > pivot {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return nil
		}
	}
	return nil
}

// ObjectFloats converts Python objects to float64 as numpy's astype(float64) does:
// None → NaN, numbers as they are, strings parsed like Python's float() ("1.5", " 2 ",
// "nan", "-inf"); anything else fails with numpy's errors: ValueError "could not convert
// string to float: 'abc'", TypeError "float() argument must be a string or a real
// number, not 'dict'".
func ObjectFloats(ctx context.Context, o []any) ([]float64, error) {
	out := make([]float64, len(o))
	for i, v := range o {
		if err := checkCtx(ctx, i); err != nil {
			return nil, err
		}
		if v == nil {
			out[i] = math.NaN()
			continue
		}
		if f, ok := ToFloat(v); ok {
			out[i] = f
			continue
		}
		s, ok := v.(string)
		if !ok {
			if IsNA(v) {
				out[i] = math.NaN()
				continue
			}
			return nil, TypeError("float() argument must be a string or a real number, not '%s'", PyTypeName(v))
		}
		f, ok := pyParseFloat(s)
		if !ok {
			return nil, ValueError("could not convert string to float: %s", PyRepr(s))
		}
		out[i] = f
	}
	return out, nil
}

// pyParseFloat is Python's float(str) (wire has the same rules for FLOAT inputs):
// surrounding whitespace, single underscores between digits, "nan"/"inf"/"infinity" in
// any case with a sign; no hex forms.
func pyParseFloat(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	body := strings.TrimLeft(s[:1], "+-") + s[1:]
	switch strings.ToLower(body) {
	case "nan":
		return math.NaN(), true
	case "inf", "infinity":
		if s[0] == '-' {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	if strings.Contains(s, "_") {
		for i := 0; i < len(s); i++ {
			if s[i] == '_' && (i == 0 || i == len(s)-1 || !digit(s[i-1]) || !digit(s[i+1])) {
				return 0, false
			}
		}
		s = strings.ReplaceAll(s, "_", "")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(digit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

// Reduce is pandas 1.5's DataFrame reduction with numeric_only=None (df.max(), df.median(),
// …): fn reduces each column to a scalar; columns for which fn raises a TypeError are
// dropped as pandas drops "nuisance columns" (other errors are returned). The result is a
// Series labelled by the remaining column names, of their common dtype: the dtype all
// scalars share, float64 for ints mixed with floats, object otherwise; float64 and empty
// for a frame without columns. dropTimes drops datetime and timedelta columns first, as
// pandas 1.5's median does.
func (f *DataFrame) Reduce(ctx context.Context, dropTimes bool, fn func(ctx context.Context, c Column) (any, error)) (*Series, error) {
	names := make([]any, 0, len(f.Columns))
	vals := make([]any, 0, len(f.Columns))
	for i, c := range f.Columns {
		if dropTimes && (c.DType == Datetime || c.DType == Timedeltas) {
			continue
		}
		v, err := fn(ctx, c)
		if err != nil {
			if e, ok := err.(*Error); ok && e.Type == "TypeError" {
				continue
			}
			return nil, err
		}
		names = append(names, f.Names[i])
		vals = append(vals, v)
	}
	return NewSeries(nil, Objects(names), scalarsColumn(vals)), nil
}

// scalarsColumn builds a column from reduction results with pandas' common dtype rules.
func scalarsColumn(vals []any) Column {
	allFloat, allInt, allBool := true, true, true
	for _, v := range vals {
		switch v.(type) {
		case float64:
			allInt, allBool = false, false
		case int64:
			allBool = false
		case bool:
			allFloat, allInt = false, false
		default:
			allFloat, allInt, allBool = false, false, false
		}
	}
	switch {
	case allInt && len(vals) > 0:
		out := make([]int64, len(vals))
		for i, v := range vals {
			out[i] = v.(int64)
		}
		return Ints(out)
	case allBool && len(vals) > 0:
		out := make([]bool, len(vals))
		for i, v := range vals {
			out[i] = v.(bool)
		}
		return Bools(out)
	case allFloat:
		out := make([]float64, len(vals))
		for i, v := range vals {
			out[i], _ = ToFloat(v)
		}
		return Floats(out)
	}
	o := make([]any, len(vals))
	for i, v := range vals {
		if f, ok := v.(float64); ok && f != f {
			v = nil
		}
		o[i] = v
	}
	return Objects(o)
}
