package library

import (
	"context"
	"errors"
	"strings"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// statisticMoving holds the Statistic components that aggregate rolling windows: by a
// number of rows or by a time span (the windows of data.Rolling), and the Moving Time
// Window components, which aggregate windows on a fixed time grid.
var statisticMoving = []component.Spec{
	{Meta: metaMovingAverageNumber, Run: movingAverageNumber, Description: "Mean of each value and the n−1 before it, in index order, NaN dropped"},
	{Meta: metaMovingAverageTime, Run: movingAverageTime, Description: "Mean over the time span t ending at each timestamp, NaN dropped"},
	{Meta: metaMovingMaximumNumber, Run: movingMaximumNumber, Description: "Maximum of each value and the n−1 before it, in index order, NaN dropped"},
	{Meta: metaMovingMaximumTime, Run: movingMaximumTime, Description: "Maximum over the time span t ending at each timestamp, NaN dropped"},
	{Meta: metaMovingMedianNumber, Run: movingMedianNumber, Description: "Median of each value and the n−1 before it, in index order, NaN dropped"},
	{Meta: metaMovingMedianTime, Run: movingMedianTime, Description: "Median over the time span t ending at each timestamp, NaN dropped"},
	{Meta: metaMovingMinimumNumber, Run: movingMinimumNumber, Description: "Minimum of each value and the n−1 before it, in index order, NaN dropped"},
	{Meta: metaMovingMinimumTime, Run: movingMinimumTime, Description: "Minimum over the time span t ending at each timestamp, NaN dropped"},
	{Meta: metaMovingStandardDeviationNumber, Run: movingStandardDeviationNumber, Description: "Sample standard deviation of each value and the n−1 before it, NaN dropped"},
	{Meta: metaMovingStandardDeviationTime, Run: movingStandardDeviationTime, Description: "Sample standard deviation over the time span t ending at each timestamp, NaN dropped"},
	{Meta: metaMovingTimeWindowMean, Run: movingTimeWindowMean, Description: "Means of time windows of a fixed size placed on a regular grid of window edges"},
	{Meta: metaMovingTimeWindowMedian, Run: movingTimeWindowMedian, Description: "Medians of time windows of a fixed size placed on a regular grid of window edges"},
}

// rollingAgg is one of data.RollingWindows' aggregations.
type rollingAgg func(w *data.RollingWindows, ctx context.Context, values []float64) ([]float64, error)

var (
	aggMean   rollingAgg = (*data.RollingWindows).Mean
	aggMax    rollingAgg = (*data.RollingWindows).Max
	aggMedian rollingAgg = (*data.RollingWindows).Median
	aggMin    rollingAgg = (*data.RollingWindows).Min
	aggStd    rollingAgg = func(w *data.RollingWindows, ctx context.Context, v []float64) ([]float64, error) {
		return w.Std(ctx, v, 1)
	}
)

// The "number" components: data.dropna() (a DataFrame loses every row with a NaN), the
// index sorted — a numeric index as it is, any other converted with pd.to_datetime, which
// failing is TypeError "indices of data must be numeric or datetime" — then
// rolling(n).<agg>(): the trailing window of the row and the n−1 rows before it, NaN until
// n rows are there (min_periods = n; n = 0 gives only NaN, a negative n pandas' ValueError
// "window must be an integer 0 or greater"). Values in float64; a Series whose values
// are not numbers is pandas' DataError "No numeric types to aggregate", a DataFrame loses
// such columns (pandas 1.5; 2.1 raises). A value that is neither Series nor DataFrame has
// no dropna (AttributeError), as in Python.

// movingAverageNumber is rolling(n).mean() (pandas' running Kahan sum / count).
func movingAverageNumber(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return movingByCount(ctx, in, "mavg", aggMean)
}

// The "time" components: the index converted with pd.to_datetime (data.ToDatetime: an
// integer or float index reads as nanoseconds since the epoch; anything that does not
// convert is TypeError "indices of data must be datetime"), sorted, NaN dropped (DataFrame rows with any NaN), then
// rolling(t).<agg>() with t an offset string: the window (u − t, u] of every timestamp u,
// min_periods 1. Every ValueError of rolling — an unparsable or non-fixed t ("1M"), but
// also an index with NaT — becomes ValueError "t could not be parsed as frequency: <t>",
// as hetida's code catches it so. Moving average time copies its input before changing
// the index; the others assign to the caller's index in Python — which only decides
// whether a value without .index fails on "copy" or on "index" here, as inputs are never
// modified.

// movingAverageTime is rolling(t).mean().
func movingAverageTime(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return movingByTime(ctx, in, "mavg", true, aggMean)
}

// movingMaximumNumber is rolling(n).max().
func movingMaximumNumber(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return movingByCount(ctx, in, "movmax", aggMax)
}

// movingMaximumTime is rolling(t).max().
func movingMaximumTime(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return movingByTime(ctx, in, "movmax", false, aggMax)
}

// movingMedianNumber is rolling(n).median() (the exact median, mean of the middle pair
// for an even count).
func movingMedianNumber(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return movingByCount(ctx, in, "movmedian", aggMedian)
}

// movingMedianTime is rolling(t).median(). A float Series on a sorted datetime index
// takes data.DropnaTrailingMedian, which fuses dropna, the bounds and the median in one
// parallel pass; everything else, and every input that fails, movingByTime.
func movingMedianTime(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s, _ := r.Any("data").(*data.Series)
	t := r.String("t")
	if r.Err() == nil && s != nil && (s.Index.DType == data.Datetime || s.Index.DType == data.Int64) {
		// the offset alone (an empty index passes): DropnaTrailingMedian checks the index
		spec, err := data.Rolling{}.WithOffset(data.Column{DType: data.Datetime}, t)
		if idx, ierr := data.ToDatetime(s.Index); err == nil && ierr == nil {
			sd := s.Copy()
			sd.Index = idx
			res, ok, err := data.DropnaTrailingMedian(ctx, sd, spec.Window, 1)
			if ok {
				if err != nil {
					return nil, err
				}
				return component.Outputs{"movmedian": res}, nil
			}
		}
	}
	return movingByTime(ctx, in, "movmedian", false, aggMedian)
}

// movingMinimumNumber is rolling(n).min().
func movingMinimumNumber(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return movingByCount(ctx, in, "movmin", aggMin)
}

// movingMinimumTime is rolling(t).min().
func movingMinimumTime(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return movingByTime(ctx, in, "movmin", false, aggMin)
}

// movingStandardDeviationNumber is rolling(n).std(): the sample standard deviation,
// ddof 1, so n = 1 gives only NaN.
func movingStandardDeviationNumber(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return movingByCount(ctx, in, "movstd", aggStd)
}

// movingStandardDeviationTime is rolling(t).std(), ddof 1: a window holding one value
// gives NaN.
func movingStandardDeviationTime(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return movingByTime(ctx, in, "movstd", false, aggStd)
}

// movingTimeWindowMean: the mean of every window of a regular grid, see movingTimeWindow.
func movingTimeWindowMean(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return movingTimeWindow(ctx, in, "window_means", data.AggMean, data.WindowMeans)
}

// movingTimeWindowMedian: the median of every window of a regular grid, see
// movingTimeWindow.
func movingTimeWindowMedian(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return movingTimeWindow(ctx, in, "window_medians", data.AggMedian, data.WindowMedians)
}

// intervalTypes maps hetida's interval_type names to pandas' closed=, in hetida's order
// (which its error message lists).
var intervalTypes = []struct {
	name   string
	closed data.Closed
}{
	{"closed", data.ClosedBoth}, {"open", data.ClosedNeither},
	{"left_closed", data.ClosedLeft}, {"right_open", data.ClosedLeft},
	{"right_closed", data.ClosedRight}, {"left_open", data.ClosedRight},
}

// movingTimeWindow ports hetida's moving time window calculation. Windows of length
// window_size (an offset string) start on the rhythm epoch + frequency_offset +
// k·window_frequency (frequency_offset a Timedelta string, or an offset string, taken
// modulo window_frequency with Python's sign rule); interval_type says which window ends
// belong to it. The series (DatetimeIndex required; sorted, never modified here — hetida
// sorts the caller's series in place) is aggregated over the non-NaN values of each
// window:
//
//   - window_size equal to window_frequency with one closed end: the resample fast path,
//     resample(window_size, closed, label="right", origin="epoch", offset).mean()/median()
//     — one value per bin from the first to the last non-empty one, empty bins NaN;
//   - otherwise the rolling path: the right window edges run from the edge of the first
//     window containing the first timestamp, ceil_rhythm(first − window_size) +
//     window_size, to floor_rhythm(last) + window_size in steps of window_frequency; pandas
//     rolls window_size over the union of edges and data and keeps the edges, which is
//     the aggregate of the data within each edge's window (data.TimeWindowsAt). The mean
//     is numba's (a sequential sum), as hetida runs its kernel with engine="numba".
//
// Results are labelled with the right window edge; label_position "center" moves them
// back by half the window, "left" by the whole window; anything else keeps "right". The
// fast path keeps the series' attrs, the rolling path has none (as in pandas 1.5.3).
// Errors as hetida's code raises them: an unknown interval_type (ValueError listing the
// options), offsets pandas cannot parse, a calendar window_frequency (TypeError of the
// modulo), a calendar window_size (rolling's non-fixed frequency), a zero frequency
// (ZeroDivisionError), an empty series or duplicate timestamps on the rolling path
// (IndexError, pandas' reindex ValueError), values that are not numbers (DataError).
func movingTimeWindow(ctx context.Context, in component.Inputs, out string, resampleAgg data.Agg, agg func(context.Context, []float64, data.Windows) ([]float64, error)) (component.Outputs, error) {
	r := in.Read()
	ts := r.Series("timeseries")
	sizeStr := r.String("window_size")
	freqStr := r.String("window_frequency")
	offsetStr := r.String("frequency_offset")
	intervalType := r.String("interval_type")
	labelPosition := r.String("label_position")
	if err := r.Err(); err != nil {
		return nil, err
	}
	closed, known := data.ClosedRight, false
	for _, it := range intervalTypes {
		if it.name == intervalType {
			closed, known = it.closed, true
		}
	}
	if !known {
		var b strings.Builder
		for _, it := range intervalTypes {
			b.WriteString(it.name + "\n")
		}
		return nil, component.ValueError("'%s' is not allowed as input for interval_type!\nPlease use one of the following options instead:\n%s", intervalType, b.String())
	}
	size, err := data.ParseOffset(sizeStr)
	if err != nil {
		return nil, component.ValueError("%v", err)
	}
	freq, err := data.ParseOffset(freqStr)
	if err != nil {
		return nil, component.ValueError("%v", err)
	}
	offset, err := freqstrTimedelta(offsetStr)
	if err != nil {
		return nil, err
	}
	if ts.Index.DType != data.Datetime {
		return nil, component.TypeError("This component is exclusively for Pandas Series with a Pandas DatetimeIndex!")
	}
	s := ts.SortIndex()
	floats := func() ([]float64, error) {
		values, numeric, err := rollingFloats(ctx, s.Values)
		if err == nil && !numeric {
			err = &data.Error{Type: "DataError", Message: "No numeric types to aggregate"}
		}
		return values, err
	}
	if !freq.Fixed() {
		return nil, component.TypeError("unsupported operand type(s) for //: 'Timedelta' and '%s'", freq.Repr())
	}
	freqNS, _ := freq.Nanos()
	off, err := offset.Mod(data.Timedelta{NS: freqNS})
	if err != nil {
		return nil, err
	}
	sizeNS, sizeErr := size.Nanos()
	var result *data.Series
	if size.Fixed() && sizeNS == freqNS && (closed == data.ClosedLeft || closed == data.ClosedRight) {
		side := data.SideLeft
		if closed == data.ClosedRight {
			side = data.SideRight
		}
		opt := data.ResampleOptions{Rule: size, Closed: side, Label: data.SideRight,
			Origin: data.Origin{Kind: data.OriginEpoch}, Offset: off.NS}
		if result, err = resampleFloats(ctx, s, opt, resampleAgg, floats); err != nil {
			return nil, err
		}
		result.Attrs = s.Attrs // pandas 1.5.3's resample keeps attrs (its rolling does not)
	} else {
		if s.Len() == 0 {
			return nil, component.IndexError("index 0 is out of bounds for axis 0 with size 0")
		}
		if sizeErr != nil {
			return nil, component.ValueError("%s is a non-fixed frequency", size.Repr())
		}
		edges, err := rightWindowEdges(ctx, s.Index, sizeNS, freq, off.NS)
		if err != nil {
			return nil, err
		}
		if !s.Index.IsUnique() && edges.Len() > 0 {
			// no edges (a negative window size): the union is the index itself and the
			// final reindex has an empty target, which pandas 1.5.3 allows
			return nil, component.ValueError("cannot reindex on an axis with duplicate labels")
		}
		values, err := floats()
		if err != nil {
			return nil, err
		}
		w, err := data.TimeWindowsAt(ctx, s.Index.I, edges.I, sizeNS, closed)
		if err != nil {
			return nil, err
		}
		res, err := agg(ctx, values, w)
		if err != nil {
			return nil, err
		}
		result = data.NewSeries(s.Name, edges, data.Floats(res))
	}
	var shift int64
	switch labelPosition {
	case "center":
		shift = -sizeNS / 2
	case "left":
		shift = -sizeNS
	}
	if shift != 0 {
		if result, err = result.ShiftIndex(shift); err != nil {
			return nil, component.ValueError("%v", err)
		}
	}
	return component.Outputs{out: result}, nil
}

// resampleFloats is the fast path's resample(…).mean()/median() of the values as
// float64. Datetime values (what an all-null series parses to) are aggregated as their
// nanoseconds and come back as datetimes, as pandas' groupby does for datetimelike
// columns (NaT for empty bins).
func resampleFloats(ctx context.Context, s *data.Series, opt data.ResampleOptions, agg data.Agg, floats func() ([]float64, error)) (*data.Series, error) {
	var values []float64
	if s.Values.DType == data.Datetime {
		values = s.Values.AsFloat64().F
	} else {
		var err error
		if values, err = floats(); err != nil {
			return nil, err
		}
	}
	res, err := data.Resample(ctx, data.NewSeries(s.Name, s.Index, data.Floats(values)), opt, agg, 0)
	if err != nil || s.Values.DType != data.Datetime {
		return res, err
	}
	ns := make([]int64, res.Len())
	for i, f := range res.Values.F {
		ns[i] = data.NaT
		if f == f {
			ns[i] = int64(f)
		}
	}
	return data.NewSeries(res.Name, res.Index, data.Datetimes(ns, s.Values.Zone)), nil
}

// freqstrTimedelta is hetida's freqstr2timedelta: pd.to_timedelta(s), or when that fails
// the length of the offset s ("4T" is 4 minutes either way; a calendar offset has none).
func freqstrTimedelta(s string) (data.Timedelta, error) {
	if d, err := data.ParseTimedelta(s); err == nil {
		return d, nil
	}
	o, err := data.ParseOffset(s)
	if err != nil {
		return data.Timedelta{}, component.ValueError("%v", err)
	}
	ns, err := o.Nanos()
	if err != nil {
		return data.Timedelta{}, component.ValueError("Value must be Timedelta, string, integer, float, timedelta or convertible, not %s", o.Repr())
	}
	return data.Timedelta{NS: ns}, nil
}

// rightWindowEdges is hetida's determine_right_window_edges: date_range from the right
// edge of the first window that can contain the first timestamp, RhythmCeil(first −
// size) + size, to the right edge of the last window starting at or before the last
// timestamp, RhythmFloor(last) + size, every freq (both ends included).
func rightWindowEdges(ctx context.Context, idx data.Column, size int64, freq data.Offset, offset int64) (data.Column, error) {
	freqNS, _ := freq.Nanos()
	first, last := idx.I[0], idx.I[len(idx.I)-1]
	if first == data.NaT || last == data.NaT {
		return data.Column{}, component.ValueError("Neither `start` nor `end` can be NaT")
	}
	firstLeft, err := data.RhythmCeil(first-size, idx.Zone, freqNS, offset)
	if err != nil {
		return data.Column{}, err
	}
	lastLeft, err := data.RhythmFloor(last, idx.Zone, freqNS, offset)
	if err != nil {
		return data.Column{}, err
	}
	return data.DateRange(ctx, data.Timestamp{NS: firstLeft + size, Zone: idx.Zone},
		data.Timestamp{NS: lastLeft + size, Zone: idx.Zone}, freq, data.InclusiveBoth, 0)
}

// movingByCount runs a "number" component (see movingAverageNumber).
func movingByCount(ctx context.Context, in component.Inputs, out string, agg rollingAgg) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	n := r.Int("n")
	if err := r.Err(); err != nil {
		return nil, err
	}
	p, ok := asPandas(v)
	if !ok {
		return nil, component.AttributeError(v, "dropna")
	}
	p, done, err := p.dropNALent(ctx)
	if err != nil {
		return nil, err
	}
	defer done() // the results hold nothing of the values
	if !p.index.IsNumeric() {
		idx, err := data.ToDatetime(p.index)
		if err != nil {
			return nil, component.TypeError("indices of data must be numeric or datetime")
		}
		p = p.withIndex(idx)
	}
	p = p.sortIndex()
	w, err := data.Rolling{Window: n, Count: true}.Over(ctx, p.index)
	if err != nil {
		return nil, err
	}
	defer w.Release()
	res, err := p.aggregate(ctx, w, agg)
	if err != nil {
		return nil, err
	}
	return component.Outputs{out: res}, nil
}

// movingByTime runs a "time" component (see movingAverageTime); copies says whether the
// Python code copies the input first (then a value without .copy fails on that name).
func movingByTime(ctx context.Context, in component.Inputs, out string, copies bool, agg rollingAgg) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	t := r.String("t")
	if err := r.Err(); err != nil {
		return nil, err
	}
	p, ok := asPandas(v)
	if !ok {
		return nil, noIndexError(v, copies)
	}
	idx, err := data.ToDatetime(p.index)
	if err != nil {
		return nil, component.TypeError("indices of data must be datetime")
	}
	p, done, err := p.withIndex(idx).sortIndex().dropNALent(ctx)
	if err != nil {
		return nil, err
	}
	defer done() // the results hold nothing of the values
	badT := func(err error) error {
		var de *data.Error
		if errors.As(err, &de) && de.Type == "ValueError" {
			return component.ValueError("t could not be parsed as frequency: %s", t)
		}
		return err
	}
	w, err := data.Rolling{}.OverOffset(ctx, p.index, t)
	if err != nil {
		return nil, badT(err)
	}
	defer w.Release() // the results hold nothing of the bounds
	res, err := p.aggregate(ctx, w, agg)
	if err != nil {
		return nil, badT(err)
	}
	return component.Outputs{out: res}, nil
}

// noIndexError is what Python raises for data.copy() / data.index on a value that is no
// pandas object: a list has .copy and an .index method (which pd.to_datetime refuses), a
// dict has .copy but no .index, a string an .index method but no .copy.
func noIndexError(v any, copies bool) error {
	switch v.(type) {
	case []any:
		return component.TypeError("indices of data must be datetime")
	case *data.Dict:
		return component.AttributeError(v, "index")
	case string:
		if copies {
			return component.AttributeError(v, "copy")
		}
		return component.TypeError("indices of data must be datetime")
	}
	if copies {
		return component.AttributeError(v, "copy")
	}
	return component.AttributeError(v, "index")
}

// pandasObj is a Series or a DataFrame, handled alike by the moving statistics.
type pandasObj struct {
	series *data.Series
	frame  *data.DataFrame
	index  data.Column
}

func asPandas(v any) (pandasObj, bool) {
	switch x := v.(type) {
	case *data.Series:
		return pandasObj{series: x, index: x.Index}, true
	case *data.DataFrame:
		return pandasObj{frame: x, index: x.Index}, true
	}
	return pandasObj{}, false
}

func (p pandasObj) dropNA(ctx context.Context) (pandasObj, error) {
	if p.series != nil {
		s, err := p.series.Dropna(ctx)
		if err != nil {
			return p, err
		}
		return pandasObj{series: s, index: s.Index}, nil
	}
	f, err := p.frame.Dropna(ctx, "any", nil)
	if err != nil {
		return p, err
	}
	return pandasObj{frame: f, index: f.Index}, nil
}

// dropNALent is dropNA with a Series' values lent (data.Series.DropnaLend): done must be
// called once they are no longer read.
func (p pandasObj) dropNALent(ctx context.Context) (pandasObj, func(), error) {
	if p.series == nil {
		q, err := p.dropNA(ctx)
		return q, func() {}, err
	}
	s, done, err := p.series.DropnaLend(ctx)
	if err != nil {
		return p, done, err
	}
	return pandasObj{series: s, index: s.Index}, done, nil
}

func (p pandasObj) withIndex(idx data.Column) pandasObj {
	if p.series != nil {
		s := p.series.Copy()
		s.Index = idx
		return pandasObj{series: s, index: idx}
	}
	f := *p.frame
	f.Index = idx
	return pandasObj{frame: &f, index: idx}
}

func (p pandasObj) sortIndex() pandasObj {
	if p.series != nil {
		s := p.series.SortIndex()
		return pandasObj{series: s, index: s.Index}
	}
	f := p.frame.SortIndex()
	return pandasObj{frame: f, index: f.Index}
}

// rollingFloats are a column's values as pandas' rolling reads them (ensure_float64):
// numbers and None; nil for strings that are no numbers, datetimes and others. Only a
// cancelled ctx is an error.
func rollingFloats(ctx context.Context, c data.Column) (v []float64, numeric bool, err error) {
	switch c.DType {
	case data.Float64, data.Int64, data.Bool:
		return c.AsFloat64().F, true, nil
	case data.Object:
		f, err := data.ObjectFloats(ctx, c.O)
		if cerr := ctx.Err(); cerr != nil {
			return nil, false, cerr
		}
		return f, err == nil, nil
	}
	return nil, false, nil
}

// aggregate applies agg to the values over the windows w: a Series of the results, or a
// DataFrame of the numeric columns' results (non-numeric columns dropped as pandas 1.5
// does); nothing numeric is pandas' DataError "No numeric types to aggregate". Like
// pandas' rolling results, they carry no attrs.
func (p pandasObj) aggregate(ctx context.Context, w *data.RollingWindows, agg rollingAgg) (any, error) {
	noNumbers := &data.Error{Type: "DataError", Message: "No numeric types to aggregate"}
	if p.series != nil {
		v, numeric, err := rollingFloats(ctx, p.series.Values)
		if err != nil {
			return nil, err
		}
		if !numeric {
			return nil, noNumbers
		}
		res, err := agg(w, ctx, v)
		if err != nil {
			return nil, err
		}
		return data.NewSeries(p.series.Name, p.index, data.Floats(res)), nil
	}
	var names []any
	var cols []data.Column
	for i, c := range p.frame.Columns {
		v, numeric, err := rollingFloats(ctx, c)
		if err != nil {
			return nil, err
		}
		if !numeric {
			continue
		}
		res, err := agg(w, ctx, v)
		if err != nil {
			return nil, err
		}
		names = append(names, p.frame.Names[i])
		cols = append(cols, data.Floats(res))
	}
	if len(cols) == 0 && len(p.frame.Columns) > 0 {
		return nil, noNumbers
	}
	return data.NewDataFrame(p.index, names, cols), nil
}
