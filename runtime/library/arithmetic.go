package library

import (
	"context"
	"errors"
	"math"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var arithmetic = []component.Spec{
	{Meta: metaConsecutiveDifferences, Run: consecutiveDifferences,
		Description: "Differences between neighbouring values after dropping NaN and sorting by index"},
	{Meta: metaCumulativeSum, Run: cumulativeSum,
		Description: "Running sum of a Series or of each DataFrame column, ordered by index; NaN stays in place"},
	{Meta: metaDerivate, Run: derivate,
		Description: "Difference quotients of consecutive points (x in seconds for a time index)"},
	{Meta: metaE, Run: eulerNumber, Description: "Euler's number e"},
	{Meta: metaExp, Run: exponential, Description: "e raised to a number, Series or DataFrame, element-wise"},
	{Meta: metaIntegrate, Run: integrate,
		Description: "Trapezoidal integral of a series over its index (seconds for a time index)"},
	{Meta: metaLn, Run: naturalLog, Description: "Natural logarithm, element-wise (0 gives -inf, negatives NaN)"},
	{Meta: metaLogToBase, Run: logToBase, Description: "Logarithm of data to a given base, element-wise"},
	{Meta: metaModulo, Run: modulo, Description: "Floored remainder a % b with Python's and pandas' sign rules"},
	{Meta: metaPi, Run: pi, Description: "The constant π"},
	{Meta: metaPower, Run: power, Description: "base ** exponent for numbers, Series and DataFrames"},
	{Meta: metaSqrt, Run: squareRoot, Description: "Square root, element-wise (negatives give NaN)"},
	{Meta: metaSumColumns, Run: sumColumns,
		Description: "Row-wise sum over all columns of a DataFrame as a named Series (all-NaN rows give 0)"},
	{Meta: metaSumUpSeries, Run: sumUpSeries, Description: "The sum of a series' values, NaN skipped",
		Loose: []string{"sum"}},
	{Meta: metaNthRoot, Run: nthRoot, Description: "The n-th root data ** (1/n), element-wise"},
}

// consecutiveDifferences drops the NaN values, orders the rest by label (a numeric index
// as it is; any other index is converted with to_datetime first — a TypeError there
// becomes "indices of data must be numeric or datetime", a ValueError such as an
// unparseable label string propagates, as the reference catches only TypeError) and
// returns np.ediff1d of the values labelled with the index from the second label on:
// n−1 values, int64 staying int64, an unnamed series without attrs (a new pd.Series).
func consecutiveDifferences(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	clean, err := s.Dropna(ctx)
	if err != nil {
		return nil, err
	}
	sorted, err := sortedByNumericOrDatetime(clean, false)
	if err != nil {
		return nil, err
	}
	diff, err := data.Ediff1d(ctx, sorted.Values)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"diff": data.NewSeries(nil, tail(sorted.Index), diff)}, nil
}

// tail is index[1:] (empty for an empty index).
func tail(c data.Column) data.Column {
	if c.Len() == 0 {
		return c
	}
	return c.Slice(1, c.Len())
}

// errIndexNotNumericOrDatetime is the reference's own error for an index that is neither.
func errIndexNotNumericOrDatetime() error {
	return component.TypeError("indices of data must be numeric or datetime")
}

// toDatetimeIndex is the reference's `index = pd.to_datetime(index)` inside try/except:
// failures of the caught Python classes become the component's TypeError with message
// msg, others propagate.
func toDatetimeIndex(idx data.Column, catchValueError bool, msg string) (data.Column, error) {
	c, err := data.ToDatetime(idx)
	if err == nil {
		return c, nil
	}
	var de *data.Error
	if errors.As(err, &de) && (de.Type == "TypeError" || catchValueError && isValueError(de.Type)) {
		return data.Column{}, component.TypeError("%s", msg)
	}
	return data.Column{}, err
}

// isValueError reports whether a Python exception class is ValueError or one of the
// subclasses to_datetime raises.
func isValueError(typ string) bool {
	switch typ {
	case "ValueError", "DateParseError", "ParserError", "OutOfBoundsDatetime":
		return true
	}
	return false
}

// numericOrDatetime is the index preparation the calculus components share: a numeric
// index (ints, floats, bools) is kept, anything else goes through to_datetime (see
// toDatetimeIndex: the reference catches TypeError, and with catchValueError ValueError).
func numericOrDatetime(idx data.Column, catchValueError bool) (data.Column, error) {
	if data.IsNumericIndex(idx) {
		return idx, nil
	}
	return toDatetimeIndex(idx, catchValueError, "indices of data must be numeric or datetime")
}

// sortedByNumericOrDatetime is numericOrDatetime followed by sort_index().
func sortedByNumericOrDatetime(s *data.Series, catchValueError bool) (*data.Series, error) {
	idx, err := numericOrDatetime(s.Index, catchValueError)
	if err != nil {
		return nil, err
	}
	c := s.Copy()
	c.Index = idx
	return c.SortIndex(), nil
}

// noIndexAttribute is what reading `data.index.dtype` raises on a value that is not a
// pandas object: lists and strings have a method called index (which has no dtype),
// everything else has no attribute index at all.
func noIndexAttribute(v any) error {
	switch v.(type) {
	case []any, string:
		return &data.Error{Type: "AttributeError", Message: "'builtin_function_or_method' object has no attribute 'dtype'"}
	}
	return component.AttributeError(v, "index")
}

// cumulativeSum orders a Series or DataFrame by its index (the preparation of
// numericOrDatetime; here both TypeError and ValueError of to_datetime become "indices of
// data must be numeric or datetime") and takes cumsum(): NaN stays NaN at its position
// while the running sum continues past it, int64 stays int64, bool becomes int64,
// strings concatenate; a DataFrame sums each column. The reference replaces the caller's
// index in place when it converts it; this port leaves the input alone. Name and attrs
// are kept. Other values fail on `data.index.dtype` (noIndexAttribute).
func cumulativeSum(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case *data.Series:
		sorted, err := sortedByNumericOrDatetime(x, true)
		if err != nil {
			return nil, err
		}
		c, err := data.CumSumContext(ctx, sorted.Values)
		if err != nil {
			return nil, err
		}
		return component.Outputs{"cum_sum": sorted.With(c)}, nil
	case *data.DataFrame:
		idx, err := numericOrDatetime(x.Index, true)
		if err != nil {
			return nil, err
		}
		f := *x
		f.Index = idx
		out, err := f.SortIndex().ApplyColumns(func(_ any, c data.Column) (data.Column, error) { return data.CumSumContext(ctx, c) })
		if err != nil {
			return nil, err
		}
		return component.Outputs{"cum_sum": out}, nil
	}
	return nil, noIndexAttribute(v)
}

// calculusPoints is the preparation Derivate and Integrate share: fewer than two values
// (NaN counted) are the reference's ValueError; NaN values are dropped; the rest is
// ordered by index; x is the numeric index itself, or for any other index (through
// to_datetime, failures → "indices of data must be numeric or datetime") the seconds
// since the first label.
func calculusPoints(ctx context.Context, s *data.Series) (sorted *data.Series, x data.Column, err error) {
	if s.Len() < 2 {
		return nil, data.Column{}, component.ValueError("size of data must be at least 2")
	}
	d, err := s.Dropna(ctx)
	if err != nil {
		return nil, data.Column{}, err
	}
	numeric := data.IsNumericIndex(d.Index)
	sorted, err = sortedByNumericOrDatetime(d, true)
	if err != nil {
		return nil, data.Column{}, err
	}
	if numeric {
		return sorted, sorted.Index, nil
	}
	secs, err := data.SecondsSinceFirst(sorted.Index)
	if err != nil {
		return nil, data.Column{}, err
	}
	return sorted, data.Floats(secs), nil
}

// derivate is the difference quotient np.ediff1d(y) / np.ediff1d(x) of consecutive points
// (see calculusPoints), labelled with the index from the second point on; numpy's
// division, so repeated x give ±inf or NaN, never an error; a float64, unnamed series.
func derivate(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	sorted, x, err := calculusPoints(ctx, s)
	if err != nil {
		return nil, err
	}
	dy, err := data.Ediff1d(ctx, sorted.Values)
	if err != nil {
		return nil, err
	}
	dx, err := data.Ediff1d(ctx, x)
	if err != nil {
		return nil, err
	}
	idx := tail(sorted.Index)
	q, err := data.Arith(ctx, data.OpDiv, data.NewSeries(nil, idx, dy), data.NewSeries(nil, idx, dx))
	if err != nil {
		return nil, err
	}
	return component.Outputs{"diff_quo": q}, nil
}

// eulerNumber is math.e.
func eulerNumber(context.Context, component.Inputs) (component.Outputs, error) {
	return component.Outputs{"e": math.E}, nil
}

// exponential is math.e ** data — a power, not exp(), which can differ in the last
// digit; data.Pow rounds it as C's pow does, so 2.5 gives Python's 12.182493960703471: a
// Python float power for numbers (an overflow is Python's OverflowError), numpy's
// element-wise power for Series and DataFrames (inf on overflow, NaN stays NaN, ints give
// floats); other values are Python's TypeError
// "unsupported operand type(s) for ** or pow(): 'float' and 'dict'".
func exponential(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	out, err := data.Arith(ctx, data.OpPow, math.E, v)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"exp": out}, nil
}

// integrate is scipy's trapz(y, x) over the points of calculusPoints: the pairwise sum of
// (x[i+1] − x[i])·(y[i+1] + y[i]) / 2, a float (0.0 for fewer than two valid points; NaN
// propagates).
func integrate(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	sorted, x, err := calculusPoints(ctx, s)
	if err != nil {
		return nil, err
	}
	v, err := data.Trapezoid(ctx, sorted.Values, x)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"integral": v}, nil
}

// naturalLog is np.log(data) element-wise (data.MapFloat): 0 gives -inf and negatives
// NaN (numpy only warns), a list gives a list; a dict or other object is numpy's
// TypeError "loop of ufunc does not support argument 0 of type dict which has no
// callable log method".
func naturalLog(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	out, err := data.MapFloat("log", v, math.Log)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"ln": data.Float16IfBool(v, out)}, nil
}

// logToBase is np.log(data) / np.log(base). Both logarithms are numpy values, so their
// quotient is numpy's: IEEE for scalars and lists (base 1 gives ±inf or NaN, not
// ZeroDivisionError; lists broadcast), pandas' aligned division when either is a Series
// or DataFrame (data.NumpyFloatArith). data's logarithm is taken first, so its failure
// is the one reported.
func logToBase(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	b, v := r.Any("base"), r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	num, err := data.MapFloat("log", v, math.Log)
	if err != nil {
		return nil, err
	}
	den, err := data.MapFloat("log", b, math.Log)
	if err != nil {
		return nil, err
	}
	out, err := data.NumpyFloatArith(ctx, data.OpDiv, num, den)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"log": out}, nil
}

// modulo is Python's a % b (data.Arith): floored, the result has the divisor's sign
// (-7 % 3 = 2, 7.5 % -2 = -0.5); a Python number modulo 0 is ZeroDivisionError, a
// Series or DataFrame modulo 0 gives NaN (int64 values become float64), as pandas fills.
// b is declared INT, but the reference applies % to whatever arrives.
func modulo(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	a, b := r.Any("a"), r.Any("b")
	if err := r.Err(); err != nil {
		return nil, err
	}
	out, err := data.Arith(ctx, data.OpMod, a, b)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"modulo": out}, nil
}

// pi is math.pi.
func pi(context.Context, component.Inputs) (component.Outputs, error) {
	return component.Outputs{"pi": math.Pi}, nil
}

// power is Python's base ** exponent (data.Arith): Python scalars of any mix (int **
// negative int is a float, 0 ** negative is ZeroDivisionError, NaN ** 0 is 1), numpy's
// element-wise power for pandas objects (an int64 Series to a negative int power is
// numpy's ValueError "Integers to negative integer powers are not allowed.").
func power(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	b, e := r.Any("base"), r.Any("exponent")
	if err := r.Err(); err != nil {
		return nil, err
	}
	out, err := data.Arith(ctx, data.OpPow, b, e)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"power": out}, nil
}

// squareRoot is np.sqrt(data) element-wise (data.MapFloat): negatives give NaN (numpy
// only warns), ints give floats, a list gives a list.
func squareRoot(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	out, err := data.MapFloat("sqrt", v, math.Sqrt)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"sqrt": data.Float16IfBool(v, out)}, nil
}

// sumColumns is dataframe.sum(axis=1) named result_series_name: per row the sum over all
// columns with NaN skipped, so an all-NaN row (and every row of a frame without
// columns) gives 0 (min_count=0). This follows pandas 1.5.3, hetida's reference runtime,
// where numeric_only defaults to None: strings alone concatenate, but where the sum over
// all columns raises a TypeError (a string next to a number, a datetime column) pandas
// sums the numeric columns only (data.SumColumnsNumericFallback; pandas 2.1 raises). The
// result has no attrs (pandas 1.5 does not carry them through the reduction).
func sumColumns(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("dataframe")
	name := r.String("result_series_name")
	if err := r.Err(); err != nil {
		return nil, err
	}
	s, err := f.SumColumnsNumericFallback()
	if err != nil {
		return nil, err
	}
	s.Name = name
	return component.Outputs{"sum_values": s}, nil
}

// sumUpSeries is data.sum(): NaN skipped, 0 for an empty series; integer and boolean
// series sum to numpy's int64 (a NumpyScalar: hetida's encoder refuses it, so as a
// workflow output it fails at ENCODING_RESULTS_TO_JSON), strings concatenate (so "sum",
// declared FLOAT, can be a string, as in Python).
func sumUpSeries(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch s.Values.DType {
	case data.Int64:
		var t int64
		for _, v := range s.Values.I {
			t += v
		}
		return component.Outputs{"sum": data.NumpyScalar{Type: "int64", V: t}}, nil
	case data.Bool:
		var t int64
		for _, v := range s.Values.B {
			if v {
				t++
			}
		}
		return component.Outputs{"sum": data.NumpyScalar{Type: "int64", V: t}}, nil
	case data.Float64:
		return component.Outputs{"sum": data.NanSum(s.Values.F)}, nil
	case data.Object:
		if f, ok := s.Values.FloatValues(); ok {
			return component.Outputs{"sum": data.NanSum(f)}, nil
		}
		acc := ""
		for _, v := range s.Values.O {
			str, ok := v.(string)
			if !ok {
				if v == nil {
					continue
				}
				return nil, component.TypeError("unsupported operand type(s) for +: 'str' and '%s'", component.PyTypeName(v))
			}
			acc += str
		}
		return component.Outputs{"sum": acc}, nil
	}
	return nil, component.TypeError("cannot sum values of dtype %s", s.Values.DType)
}

// nthRoot is data ** (1 / n), both Python operators (data.Arith): 1 / n first (n = 0 is
// ZeroDivisionError "division by zero", a Series n gives a Series), then the power —
// numpy's NaN for negative values of a Series to a fractional power. A negative Python
// number to a fractional power is a complex number in Python, which hetida cannot
// write as JSON; here it is a ValueError.
func nthRoot(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v, n := r.Any("data"), r.Any("n")
	if err := r.Err(); err != nil {
		return nil, err
	}
	exp, err := data.Arith(ctx, data.OpDiv, int64(1), n)
	if err != nil {
		return nil, err
	}
	out, err := data.Arith(ctx, data.OpPow, v, exp)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"root": out}, nil
}

// arithmeticTodo lists the category's revisions not ported yet.
var arithmeticTodo = []*component.Meta{}
