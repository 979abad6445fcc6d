package library

import (
	"context"
	"errors"
	"math"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var basic = []component.Spec{
	{Meta: metaEquality, Run: comparison(data.CmpEq), Description: "left == right, element-wise for pandas objects (aligned when their labels differ)"},
	{Meta: metaFilter, Run: filter, Description: "The rows of a Series or DataFrame where a boolean series (matched by label) is true"},
	{Meta: metaFirstDatetimeIndex, Run: datetimeIndexEnd("first_index", false), Description: "The earliest timestamp of the index as an ISO 8601 string (null when empty)"},
	{Meta: metaGreater, Run: comparison(data.CmpGt), Description: "left > right, element-wise for pandas objects (aligned when their labels differ)"},
	{Meta: metaGreaterOrEqual, Run: comparison(data.CmpGe), Description: "left >= right, element-wise for pandas objects (aligned when their labels differ)"},
	{Meta: metaInequality, Run: comparison(data.CmpNe), Description: "left != right, element-wise for pandas objects (aligned when their labels differ)"},
	{Meta: metaLastDatetimeIndex, Run: datetimeIndexEnd("last_index", true), Description: "The latest timestamp of the index as an ISO 8601 string (null when empty)"},
	{Meta: metaRestrictToTimeInterval, Run: restrictToTimeInterval, Description: "The rows between two ISO 8601 timestamps (both included), sorted by time"},
	{Meta: metaSelectColumnFromDataFrame, Run: selectColumn, Loose: []string{"column_series"}, Description: "One column of a DataFrame as a Series"},
	{Meta: metaSeriesDifferenceQuotients, Run: seriesDifferenceQuotients, Description: "Differences of consecutive values divided by the differences of their index (seconds for timestamps)"},
	{Meta: metaSmaller, Run: comparison(data.CmpLt), Description: "left < right, element-wise for pandas objects (aligned when their labels differ)"},
	{Meta: metaSmallerOrEqual, Run: comparison(data.CmpLe), Description: "left <= right, element-wise for pandas objects (aligned when their labels differ)"},
}

// comparison is the six comparison components: the plain operator `left <op> right`
// (data.CompareOp: scalars as in Python, pandas objects element-wise without alignment);
// when it raises ValueError — pandas' "Can only compare identically-labeled Series
// objects" for differently labelled operands, a length mismatch — the aligning method
// form `left.eq(right)` (lt, …) instead (data.CompareAligned: union of the labels, a
// missing side compares False, True for !=; a left operand without such a method is
// Python's AttributeError). Other errors (ordering a dict, a list against a number) are
// not caught, as in hetida's code.
func comparison(op data.CmpOp) component.RunFunc {
	return func(ctx context.Context, in component.Inputs) (component.Outputs, error) {
		r := in.Read()
		left, right := r.Any("left"), r.Any("right")
		if err := r.Err(); err != nil {
			return nil, err
		}
		res, err := data.CompareOp(ctx, op, left, right)
		var de *data.Error
		if errors.As(err, &de) && de.Type == "ValueError" {
			res, err = data.CompareAligned(ctx, op, left, right)
		}
		if err != nil {
			return nil, err
		}
		return component.Outputs{"result": res}, nil
	}
}

// filter is `data[filter_series.astype(bool).reindex(data.index, fill_value=False)]`:
// the filter's values become booleans by Python truthiness (0 and "" and None are False,
// NaN and NaT are True), are matched to data's labels (labels the filter lacks count as
// False, labels only the filter has are ignored; duplicate filter labels are pandas'
// ValueError unless its index equals data's), and the rows of data (a Series or
// DataFrame) where that holds are returned in data's order. ANY data that is no pandas
// object fails as Python does: a dict has no .index (AttributeError), a list's or
// string's .index is a method that reindex cannot iterate (TypeError).
func filter(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	d := r.Any("data")
	fs := r.Series("filter_series")
	if err := r.Err(); err != nil {
		return nil, err
	}
	mask, err := astypeBool(ctx, fs.Values)
	if err != nil {
		return nil, err
	}
	var idx data.Column
	switch x := d.(type) {
	case *data.Series:
		idx = x.Index
	case *data.DataFrame:
		idx = x.Index
	default:
		if hasIndexMethod(d) {
			return nil, component.TypeError("'%s' object is not iterable", builtinMethod)
		}
		return nil, component.AttributeError(d, "index")
	}
	aligned, err := fs.With(mask).Reindex(idx, false)
	if err != nil {
		return nil, err
	}
	var pos []int
	for i, b := range aligned.Values.B {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		if b {
			pos = append(pos, i)
		}
	}
	if pos == nil {
		pos = []int{}
	}
	return component.Outputs{"filtered": takeRows(d, pos)}, nil
}

// astypeBool is Series.astype(bool): numbers and timestamps are True unless zero (NaN
// and NaT are True), objects by Python truthiness (None False).
func astypeBool(ctx context.Context, c data.Column) (data.Column, error) {
	if c.DType == data.Bool {
		return c, nil
	}
	out := make([]bool, c.Len())
	for i := range out {
		if err := cancelled(ctx, i); err != nil {
			return data.Column{}, err
		}
		switch c.DType {
		case data.Float64:
			out[i] = c.F[i] != 0
		case data.Int64, data.Datetime, data.Timedeltas:
			out[i] = c.I[i] != 0
		default:
			t, err := data.Truthy(c.O[i])
			if err != nil {
				return data.Column{}, err
			}
			out[i] = t
		}
	}
	return data.Bools(out), nil
}

// datetimeIndexEnd is First/Last Datetime Index: None for an empty input (len() == 0,
// which also holds for an empty JSON object or list), else the index's min (max),
// skipping NaT, as Python's datetime.isoformat() writes it
// ("2020-01-01T00:00:00+00:00": the zone's offset for aware timestamps, microseconds
// only when not zero, nanoseconds dropped); "NaT" when every label is NaT. A
// non-datetime index fails as `.to_pydatetime()` on its min does (AttributeError naming
// the label's type); values without len() or .index fail as in Python.
func datetimeIndexEnd(output string, last bool) component.RunFunc {
	return func(_ context.Context, in component.Inputs) (component.Outputs, error) {
		r := in.Read()
		v := r.Any("timeseries_data")
		if err := r.Err(); err != nil {
			return nil, err
		}
		n, err := pyLen(v)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return component.Outputs{output: nil}, nil
		}
		method := "min"
		if last {
			method = "max"
		}
		idx, err := pandasIndex(v, method)
		if err != nil {
			return nil, err
		}
		if idx.DType != data.Datetime {
			return nil, component.AttributeError(indexExtreme(idx, last), "to_pydatetime")
		}
		best := data.NaT
		for _, t := range idx.I {
			if t == data.NaT {
				continue
			}
			if best == data.NaT || (last && t > best) || (!last && t < best) {
				best = t
			}
		}
		if best == data.NaT {
			return component.Outputs{output: "NaT"}, nil
		}
		return component.Outputs{output: data.ISOFormat(best, idx.Zone)}, nil
	}
}

// indexExtreme is the min (max) label of a non-datetime index, skipping missing ones (a
// value of the label's Python type; NaN when all are missing).
func indexExtreme(idx data.Column, last bool) any {
	var best any
	for i := 0; i < idx.Len(); i++ {
		if idx.IsNA(i) {
			continue
		}
		v := idx.At(i)
		if best == nil {
			best = v
			continue
		}
		if c := data.Compare(v, best); (last && c > 0) || (!last && c < 0) {
			best = v
		}
	}
	if best == nil {
		return math.NaN()
	}
	return best
}

// restrictToTimeInterval is hetida's Restrict to time interval: empty data (no rows or
// no columns) is returned as it is; otherwise the index is converted to timestamps
// (toDatetimeIndex), the rows are sorted by it, and `data.loc[start:stop]` selects the
// rows from start to stop, both included (a bound given as None is open).
//
// hetida parses the bounds with dateparser, which reads free text ("yesterday", "March
// 5") relative to the current time; trafofn accepts ISO 8601/RFC 3339 timestamps only
// (date, optionally T or space, HH:MM[:SS[.fraction]], optionally Z or ±HH:MM) and fails
// anything else with the component's ValueError "start timestamp could not be parsed:
// <start>" ("stop …" for stop — hetida's code names start when dateparser returns None
// for stop, a slip; the evident intent is implemented). Like dateparser with
// TIMEZONE=UTC, a bound with an offset is converted to UTC and a naive bound is read as
// UTC wall time; against a naive index the bound is then used naive. start after stop is
// ValueError "start timestamp cannot be after stop timestamp". Non-pandas data fails as
// in Python (a dict or list has no .empty).
func restrictToTimeInterval(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	d := r.Any("data")
	start, stop := r.Any("start"), r.Any("stop")
	if err := r.Err(); err != nil {
		return nil, err
	}
	var idx data.Column
	switch x := d.(type) {
	case *data.Series:
		if x.Len() == 0 {
			return component.Outputs{"interval": d}, nil
		}
		idx = x.Index
	case *data.DataFrame:
		if x.Len() == 0 || len(x.Columns) == 0 {
			return component.Outputs{"interval": d}, nil
		}
		idx = x.Index
	default:
		return nil, component.AttributeError(d, "empty")
	}
	idx, err := restrictIndexToDatetime(idx)
	if err != nil {
		return nil, err
	}
	d = withIndex(d, idx)
	if !idx.IsMonotonicIncreasing() {
		d = takeRows(d, idx.ArgSort())
		idx, _ = pandasIndex(d, "")
	}
	bound := func(v any, which string) (any, error) {
		if v == nil {
			return nil, nil
		}
		s, ok := v.(string)
		var ns int64
		var err error = data.ErrNotISO
		if ok {
			ns, _, err = data.ParseISO(s)
		}
		if err != nil {
			return nil, component.ValueError("%s timestamp could not be parsed: %s", which, data.PyStr(v))
		}
		zone := data.Naive
		if idx.Zone.Aware {
			zone = data.UTC
		}
		return data.Timestamp{NS: ns, Zone: zone}, nil
	}
	lo, err := bound(start, "start")
	if err != nil {
		return nil, err
	}
	hi, err := bound(stop, "stop")
	if err != nil {
		return nil, err
	}
	if lo != nil && hi != nil && lo.(data.Timestamp).NS > hi.(data.Timestamp).NS {
		return nil, component.ValueError("start timestamp cannot be after stop timestamp")
	}
	from, to, err := idx.SliceLocs(lo, hi)
	if err != nil {
		return nil, err
	}
	pos := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		pos = append(pos, i)
	}
	return component.Outputs{"interval": takeRows(d, pos)}, nil
}

// restrictIndexToDatetime is pd.to_datetime(index) with hetida's retry with utc=True: datetimes
// stay as they are; integers are nanoseconds since the epoch (naive); ISO strings are
// parsed (one zone kept, mixed offsets or naive with aware converted to UTC as the utc
// retry does, None becoming NaT); other strings fail with pandas' ValueError; floats,
// booleans and timedeltas with pandas' TypeError.
func restrictIndexToDatetime(c data.Column) (data.Column, error) {
	switch c.DType {
	case data.Datetime:
		return c, nil
	case data.Int64:
		return data.Datetimes(c.I, data.Naive), nil
	case data.Float64:
		return data.Column{}, component.TypeError("Cannot convert Float64Index to dtype datetime64[ns]; integer values are required for conversion")
	case data.Bool:
		return data.Column{}, component.TypeError("dtype bool cannot be converted to datetime64[ns]")
	case data.Timedeltas:
		return data.Column{}, component.TypeError("dtype timedelta64[ns] cannot be converted to datetime64[ns]")
	}
	ns := make([]int64, len(c.O))
	var zone data.Zone
	mixed := false
	first := true
	for i, v := range c.O {
		var z data.Zone
		switch x := v.(type) {
		case nil:
			ns[i] = data.NaT
			continue
		case data.Timestamp:
			ns[i], z = x.NS, x.Zone
			if x.NS == data.NaT {
				continue
			}
		case string:
			t, tz, err := data.ParseISO(x)
			if err != nil {
				return data.Column{}, component.ValueError("Given date string %s not likely a datetime present at position %d", x, i)
			}
			ns[i], z = t, tz
		default:
			return data.Column{}, component.TypeError("<class '%s'> is not convertible to datetime", component.PyTypeName(v))
		}
		if first {
			zone, first = z, false
		} else if z != zone {
			mixed = true
		}
	}
	if mixed {
		zone = data.UTC // naive wall times read as UTC, aware ones converted
	}
	return data.Datetimes(ns, zone), nil
}

// selectColumn is `dataframe[column]`: the column as a Series named after it, on the
// frame's index, with its attrs; a missing column is KeyError. A label held by several
// columns selects all of them as a DataFrame, as pandas does (hence Loose).
func selectColumn(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("dataframe")
	col := r.String("column")
	if err := r.Err(); err != nil {
		return nil, err
	}
	var at []int
	for i, n := range f.Names {
		if n == any(col) {
			at = append(at, i)
		}
	}
	switch len(at) {
	case 0:
		return nil, data.KeyError(col)
	case 1:
		return component.Outputs{"column_series": &data.Series{Name: col, Index: f.Index, Values: f.Columns[at[0]], Attrs: f.Attrs}}, nil
	}
	sub, err := f.Select(col)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"column_series": sub}, nil
}

// seriesDifferenceQuotients is series.diff() / h with h the differences of consecutive
// index labels (seconds for a DatetimeIndex: Timedelta.total_seconds(), NaT giving NaN;
// plain differences for a numeric index), computed in the series' order without
// sorting. The first element, and every one involving NaN, is NaN; a zero h gives ±inf
// (0/0 NaN) as numpy divides. With dropna (the default) NaN elements are dropped, ±inf
// kept. Booleans differ as pandas' diff does for them (exclusive or: 1 where the value
// changed, else 0). Non-numeric values or labels are Python's TypeError for their
// subtraction. The result is unnamed (pandas names a quotient only when both operands
// share the name, and h has none) and keeps the series' attrs.
func seriesDifferenceQuotients(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	dropna := r.Bool("dropna")
	if err := r.Err(); err != nil {
		return nil, err
	}
	var h []float64
	var err error
	if s.Index.DType == data.Datetime {
		h = make([]float64, len(s.Index.I))
		for i := range h {
			if i == 0 || s.Index.I[i] == data.NaT || s.Index.I[i-1] == data.NaT {
				h[i] = math.NaN()
				continue
			}
			h[i] = float64(s.Index.I[i]-s.Index.I[i-1]) / 1e9
		}
	} else if h, err = floatDiff(s.Index); err != nil {
		return nil, err
	}
	if s.Values.DType == data.Datetime || s.Values.DType == data.Timedeltas {
		return component.Outputs{"difference_quotients": timedeltaQuotients(s, h, dropna)}, nil
	}
	dv, err := floatDiff(s.Values)
	if err != nil {
		return nil, err
	}
	if s.Values.DType == data.Bool {
		// a bool diff is an object array of Python bools: True / 0.0 and False / 0.0
		// are Python's ZeroDivisionError (repeated labels give h = 0)
		for i := 1; i < len(h); i++ {
			if h[i] == 0 {
				return nil, component.ZeroDivisionError("float division by zero")
			}
		}
	}
	q := make([]float64, len(dv))
	keep := make([]int, 0, len(dv))
	for i := range q {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		q[i] = dv[i] / h[i]
		if q[i] == q[i] {
			keep = append(keep, i)
		}
	}
	out := &data.Series{Index: s.Index, Values: data.Floats(q), Attrs: s.Attrs}
	if dropna && len(keep) < len(q) {
		out = out.Take(keep)
	}
	return component.Outputs{"difference_quotients": out}, nil
}

// timedeltaQuotients is seriesDifferenceQuotients for datetime or timedelta values (an
// all-null JSON series reads as NaT datetimes): their diff() is timedeltas, which pandas
// 1.5 divides by the float h as numpy does — the nanoseconds divided in float64 and cast
// back to int64 (truncated toward zero), NaT where either side is missing or the quotient
// is not finite (division by zero). dropna drops the NaT elements.
func timedeltaQuotients(s *data.Series, h []float64, dropna bool) *data.Series {
	v := s.Values.I
	q := make([]int64, len(v))
	keep := make([]int, 0, len(v))
	for i := range q {
		q[i] = data.NaT
		if i == 0 || v[i] == data.NaT || v[i-1] == data.NaT {
			continue
		}
		f := float64(v[i]-v[i-1]) / h[i]
		if f != f || math.IsInf(f, 0) || math.Abs(f) >= 1<<63 {
			continue
		}
		q[i] = int64(f)
		keep = append(keep, i)
	}
	out := &data.Series{Index: s.Index, Values: data.TimedeltaCol(q), Attrs: s.Attrs}
	if dropna && len(keep) < len(q) {
		out = out.Take(keep)
	}
	return out
}

// floatDiff is Series.diff() of a column as float64: x[i] - x[i-1], NaN first and where
// either is missing; booleans as exclusive or; objects must hold numbers, else Python's
// TypeError for subtracting them; timedeltas as seconds are not numbers here (pandas
// divides timedeltas differently), so they fail too.
func floatDiff(c data.Column) ([]float64, error) {
	n := c.Len()
	out := make([]float64, n)
	if n > 0 {
		out[0] = math.NaN()
	}
	switch c.DType {
	case data.Bool:
		for i := 1; i < n; i++ {
			if c.B[i] != c.B[i-1] {
				out[i] = 1
			}
		}
		return out, nil
	case data.Timedeltas:
		return nil, component.TypeError("unsupported operand type(s) for /: 'float' and 'Timedelta'")
	}
	if n < 2 {
		return out, nil // nothing is subtracted: a single string is no error
	}
	if c.DType == data.Int64 {
		for i := 1; i < n; i++ {
			out[i] = float64(c.I[i] - c.I[i-1]) // numpy subtracts in int64, wrapping
		}
		return out, nil
	}
	v, ok := c.FloatValues()
	if !ok {
		for i := 1; i < n; i++ {
			a, b := c.At(i), c.At(i-1)
			if _, err := data.PyArith(data.OpSub, a, b); err != nil {
				return nil, err
			}
		}
		return nil, component.TypeError("unsupported operand type(s) for -: '%s' and '%s'", c.ScalarTypeName(), c.ScalarTypeName())
	}
	for i := 1; i < n; i++ {
		out[i] = v[i] - v[i-1]
	}
	return out, nil
}

// basicTodo lists the category's revisions not ported yet.
var basicTodo = []*component.Meta{}
