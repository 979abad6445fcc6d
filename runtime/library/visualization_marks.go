package library

import (
	"context"
	"fmt"
	"strings"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/plotly"
	"github.com/trafofn/trafofn/runtime/wire"
)

// The Visualization components that mark points, windows or value ranges of a time series.
var visualizationMarks = []component.Spec{
	{Meta: metaBandFilterPlot, Run: bandFilterPlot, Description: "A band filter's result: outliers, inliers, band centre and limits"},
	{Meta: metaMovingWindowAggregatedTimeseriesPlot, Run: movingWindowAggregatedTimeseriesPlot, Description: "A time series with its moving-window aggregates and their windows"},
	{Meta: metaTimeseriesSubstitutionPlot, Run: timeseriesSubstitutionPlot, Description: "A time series after substitution, with replaced, ignored and added values marked"},
	{Meta: metaPlotTimeSeriesAndValueIntervals, Run: plotTimeSeriesAndValueIntervals, Description: "A time series with value intervals drawn as labelled bands"},
}

// frameColumn is df[name] as a Series named after the column, KeyError when it is missing.
func frameColumn(f *data.DataFrame, name string) (*data.Series, error) {
	s, err := f.Series(name)
	if err != nil {
		return nil, data.KeyError(name)
	}
	return s, nil
}

// bandFilterPlot: from the columns values, filter_mask, band_center and
// rolling_deviation of a band filter's frame, five scatter traces in the frame's row
// order (no sorting): the rows whose filter_mask == False as red markers "Outlier", those
// == True as slategray markers "Inlier" (pandas' == compares with Python's rules, so 0
// and 1 count as False and True and NaN as neither), band_center as a limegreen line
// "Moving Window Median", band_center ± rolling_deviation (aligned arithmetic) as orange
// lines "Upper limit" and "Lower limit". A missing column fails with KeyError.
func bandFilterPlot(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("band_filter_dataframe")
	if err := r.Err(); err != nil {
		return nil, err
	}
	mask, err := frameColumn(f, "filter_mask")
	if err != nil {
		return nil, err
	}
	values, err := frameColumn(f, "values")
	if err != nil {
		return nil, err
	}
	fig := plotly.NewFigure()
	for _, m := range []struct {
		want        bool
		name, color string
	}{{false, "Outlier", "red"}, {true, "Inlier", "slategray"}} {
		eq, err := data.CompareOp(ctx, data.CmpEq, mask, m.want)
		if err != nil {
			return nil, err
		}
		pos := data.TruePositions(eq.(*data.Series).Values.B)
		fig.Add(&plotly.Scatter{
			X: plotly.Col(f.Index.Take(pos)), Y: plotly.Col(values.Values.Take(pos)),
			Mode: plotly.Str("markers"), Name: plotly.Str(m.name), Marker: plotly.Marker{Color: plotly.Val(m.color)},
		})
	}
	center, err := frameColumn(f, "band_center")
	if err != nil {
		return nil, err
	}
	fig.Add(&plotly.Scatter{X: plotly.Col(f.Index), Y: plotly.Col(center.Values), Name: plotly.Str("Moving Window Median"), Line: plotly.Line{Color: plotly.Str("limegreen")}})
	for _, l := range []struct {
		op   data.Op
		name string
	}{{data.OpAdd, "Upper limit"}, {data.OpSub, "Lower limit"}} {
		dev, err := frameColumn(f, "rolling_deviation")
		if err != nil {
			return nil, err
		}
		limit, err := data.Arith(ctx, l.op, center, dev)
		if err != nil {
			return nil, err
		}
		ls := limit.(*data.Series)
		fig.Add(&plotly.Scatter{X: plotly.Col(ls.Index), Y: plotly.Col(ls.Values), Name: plotly.Str(l.name), Line: plotly.Line{Color: plotly.Str("orange")}})
	}
	fig.StandardLayout("Time", "Values", 200)
	return component.Outputs{"band_filter_plot": fig}, nil
}

// windowTimedelta is hetida's freqstr2timedelta: pd.to_timedelta(s), and where that
// fails, the Timedelta of the frequency to_offset(s) — so "D" or "2H" work, while
// calendar frequencies ("M", "W") and other strings fail with pandas' ValueError.
func windowTimedelta(s string) (data.Timedelta, error) {
	if td, err := data.ParseTimedelta(s); err == nil {
		return td, nil
	}
	off, err := data.ParseOffset(s)
	if err != nil {
		return data.Timedelta{}, component.ValueError("%v", err)
	}
	ns, err := off.Nanos()
	if err != nil {
		class := strings.Trim(off.Repr(), "<>")
		if _, after, ok := strings.Cut(class, " * "); ok {
			class = strings.TrimSuffix(after, "s")
		}
		class, _, _ = strings.Cut(class, ":")
		return data.Timedelta{}, component.ValueError("Value must be Timedelta, string, integer, float, timedelta or convertible, not %s", class)
	}
	return data.Timedelta{NS: ns}, nil
}

// dropNaN is s.dropna(), checking ctx while it scans the values.
func dropNaN(ctx context.Context, s *data.Series) (*data.Series, error) {
	keep := make([]int, 0, s.Len())
	for i := 0; i < s.Len(); i++ {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		if !s.Values.IsNA(i) {
			keep = append(keep, i)
		}
	}
	if len(keep) == s.Len() {
		return s, nil
	}
	return s.Take(keep), nil
}

// shiftedIndex is a DatetimeIndex plus a Timedelta (NaT gives NaT), with pandas'
// OverflowError; other indexes fail as pandas' arithmetic does.
func shiftedIndex(ctx context.Context, idx data.Column, d data.Timedelta) (data.Column, error) {
	if idx.DType != data.Datetime {
		if idx.Len() == 0 {
			return idx, nil
		}
		return data.Column{}, data.UnsupportedOperand("+", idx.At(0), d)
	}
	out := make([]int64, len(idx.I))
	for i, t := range idx.I {
		if err := cancelled(ctx, i); err != nil {
			return data.Column{}, err
		}
		if t == data.NaT || d.IsNaT() {
			out[i] = data.NaT
			continue
		}
		s := t + d.NS
		if (d.NS > 0 && s < t) || (d.NS < 0 && s > t) {
			return data.Column{}, &data.Error{Type: "OverflowError", Message: "Overflow in int64 addition"}
		}
		out[i] = s
	}
	return data.Datetimes(out, idx.Zone), nil
}

// movingWindowAggregatedTimeseriesPlot: window_size is read like freqstr2timedelta. The
// original series (unsorted) is drawn as gray markers and the aggregates (NaN dropped) as
// mediumvioletred markers of size 6 — both as lines of those colours unless
// plotting_mode is "dots_and_windows". In that mode every aggregate's window is located
// relative to its label (label_position "left": the window starts there, "right": it ends
// there, anything else: centred, half the window on each side, Timedelta/2 truncated to
// whole nanoseconds as pandas divides), markers of size 8 show a closed left edge (symbol
// 8, for interval_type left_closed, right_open, closed) and a closed right edge (symbol 7,
// for right_closed, left_open, closed), and a horizontal line shape of width 2 spans
// every window at the aggregate's value.
func movingWindowAggregatedTimeseriesPlot(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	orig := r.Series("original_timeseries")
	agg := r.Series("aggregated_timeseries")
	window := r.String("window_size")
	intervalType := r.String("interval_type")
	labelPosition := r.String("label_position")
	mode := r.String("plotting_mode")
	if err := r.Err(); err != nil {
		return nil, err
	}
	w, err := windowTimedelta(window)
	if err != nil {
		return nil, err
	}
	const dataColor, aggColor = "gray", "mediumvioletred"
	dots := mode == "dots_and_windows"
	agg, err = dropNaN(ctx, agg)
	if err != nil {
		return nil, err
	}
	fig := plotly.NewFigure()
	for _, t := range []struct {
		s     *data.Series
		color string
		size  bool
		name  string
	}{{orig, dataColor, false, "original timeseries"}, {agg, aggColor, true, "aggregated timeseries"}} {
		tr := &plotly.Scatter{X: plotly.Col(t.s.Index), Y: plotly.Col(t.s.Values), Name: plotly.Str(t.name)}
		if dots {
			tr.Mode, tr.Marker.Color = plotly.Str("markers"), plotly.Val(t.color)
			if t.size {
				tr.Marker.Size = plotly.Val(6)
			}
		} else {
			tr.Mode, tr.Line.Color = plotly.Str("lines"), plotly.Str(t.color)
		}
		fig.Add(tr)
	}
	if dots {
		before, after := data.Timedelta{}, data.Timedelta{}
		switch labelPosition {
		case "left":
			after = w
		case "right":
			before = w
		default:
			half := data.Timedelta{NS: w.NS / 2}
			if w.IsNaT() {
				half = w
			}
			before, after = half, half
		}
		starts, err := shiftedIndex(ctx, agg.Index, before.Neg())
		if err != nil {
			return nil, err
		}
		ends, err := shiftedIndex(ctx, agg.Index, after)
		if err != nil {
			return nil, err
		}
		edge := func(x data.Column, symbol int, name string) {
			fig.Add(&plotly.Scatter{
				X: plotly.Col(x), Y: plotly.Col(agg.Values), Mode: plotly.Str("markers"), Name: plotly.Str(name),
				Marker: plotly.Marker{Size: plotly.Val(8), Color: plotly.Val(aggColor), Symbol: plotly.Val(symbol)},
			})
		}
		switch intervalType {
		case "left_closed", "right_open", "closed":
			edge(starts, 8, "left closed")
		}
		switch intervalType {
		case "right_closed", "left_open", "closed":
			edge(ends, 7, "right closed")
		}
		fig.GrowShapes(agg.Len())
		for i := 0; i < agg.Len(); i++ {
			if err := cancelled(ctx, i); err != nil {
				return nil, err
			}
			v := agg.Values.At(i)
			fig.AddShape(plotly.Shape{
				Type: plotly.Str("line"), X0: plotly.Val(starts.At(i)), X1: plotly.Val(ends.At(i)), Y0: plotly.Val(v), Y1: plotly.Val(v),
				Line: plotly.Line{Color: plotly.Str(aggColor), Width: plotly.Int(2)}, Name: plotly.Str("window size"),
			})
		}
	}
	fig.StandardLayout("Time", "Values", 200)
	return component.Outputs{"plot": fig}, nil
}

// firstOfEachLabel is s[~s.index.duplicated(keep="first")].
func firstOfEachLabel(s *data.Series) *data.Series {
	dup := s.Index.Duplicated(data.KeepFirst)
	keep := make([]int, 0, len(dup))
	for i, d := range dup {
		if !d {
			keep = append(keep, i)
		}
	}
	if len(keep) == len(dup) {
		return s
	}
	return s.Take(keep)
}

// substitution is what hetida's handle_substitutions computes from a raw series and a
// substitution series (both sorted, one value per label).
type substitution struct {
	handled, replaced, added, ignored *data.Series
}

// substitute applies substitutions to raw like hetida's handle_substitutions (the logic of
// Apply Substitution Timeseries): a raw value whose label the substitution series holds
// with a missing value is ignored (dropped), one it holds with a value is replaced by
// that value (Series.update), substitution labels raw lacks are added (whatever their
// value, NaN included), and the result is sorted by label. replaced holds the raw values
// that were replaced, ignored the dropped ones, added the added substitutions.
func substitute(ctx context.Context, raw, subs *data.Series) (substitution, error) {
	pos, err := data.Indexer(raw.Index, subs.Index)
	if err != nil {
		return substitution{}, err
	}
	var kept, replaced, ignored []int
	for i, p := range pos {
		if err := cancelled(ctx, i); err != nil {
			return substitution{}, err
		}
		switch {
		case p < 0:
			kept = append(kept, i)
		case subs.Values.IsNA(p):
			ignored = append(ignored, i)
		default:
			kept = append(kept, i)
			replaced = append(replaced, i)
		}
	}
	var added []int
	for j, in := range data.IsIn(subs.Index, raw.Index) {
		if !in {
			added = append(added, j)
		}
	}
	// Series.update on the kept raw values: take the substitution wherever there is one
	keptRaw := raw.Take(kept)
	from := make([]int, len(kept)) // position in subs, or -1 for the raw value
	anyUpdate := false
	for k, i := range kept {
		if err := cancelled(ctx, k); err != nil {
			return substitution{}, err
		}
		from[k] = -1
		if p := pos[i]; p >= 0 && !subs.Values.IsNA(p) {
			from[k], anyUpdate = p, true
		}
	}
	handled := keptRaw
	if anyUpdate {
		merged := data.ConcatSeries(keptRaw, subs)
		take := make([]int, len(kept))
		for k := range kept {
			if from[k] >= 0 {
				take[k] = len(kept) + from[k]
			} else {
				take[k] = k
			}
		}
		// the labels stay the raw ones; only the values come from either side
		vals := merged.Values.Take(take)
		if keptRaw.Values.DType == data.Int64 && vals.DType == data.Float64 && allWhole(vals.F) {
			// pandas' update keeps an integer column integer when the new values fit
			ints := make([]int64, len(vals.F))
			for i, f := range vals.F {
				ints[i] = int64(f)
			}
			vals = data.Ints(ints)
		}
		handled = keptRaw.With(vals)
	}
	handled = data.ConcatSeries(handled, subs.Take(added)).SortIndex()
	handled.Name = raw.Name
	return substitution{handled: handled, replaced: raw.Take(replaced), added: subs.Take(added), ignored: raw.Take(ignored)}, nil
}

func allWhole(f []float64) bool {
	for _, x := range f {
		if x != x || x != float64(int64(x)) {
			return false
		}
	}
	return true
}

// timeseriesSubstitutionPlot: raw_values and substitution_series are sorted by label and
// keep the first value of each label; substitute then gives four traces: the substituted
// series as blue markers+lines (opacity 0.6) named "<raw name>_substituted" (or
// "raw_values_substituted" when the name is falsy; a name that is no string fails with
// Python's TypeError for str concatenation), the replaced raw values (orange markers),
// the ignored raw values (red x markers) and the added values (green cross markers), all
// markers of size 10 and opacity 0.6.
func timeseriesSubstitutionPlot(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	raw := r.Series("raw_values")
	subs := r.Series("substitution_series")
	if err := r.Err(); err != nil {
		return nil, err
	}
	res, err := substitute(ctx, firstOfEachLabel(raw.SortIndex()), firstOfEachLabel(subs.SortIndex()))
	if err != nil {
		return nil, err
	}
	name := plotly.Str("raw_values_substituted")
	if ok, err := data.Truthy(raw.Name); err != nil {
		return nil, err
	} else if ok {
		s, isStr := raw.Name.(string)
		if !isStr {
			return nil, data.UnsupportedOperand("+", raw.Name, "_substituted")
		}
		name = plotly.Str(s + "_substituted")
	}
	fig := plotly.NewFigure()
	fig.Add(&plotly.Scatter{
		X: plotly.Col(res.handled.Index), Y: plotly.Col(res.handled.Values), Mode: plotly.Str("markers+lines"),
		Name: name, Line: plotly.Line{Color: plotly.Str("blue")}, Opacity: plotly.Float(0.6),
	})
	for _, m := range []struct {
		s           *data.Series
		name, color string
		symbol      string
	}{
		{res.replaced, "replaced raw values", "orange", ""},
		{res.ignored, "ignored raw values", "red", "x"},
		{res.added, "added values", "green", "cross"},
	} {
		marker := plotly.Marker{Size: plotly.Val(10), Opacity: plotly.Val(0.6)}
		if m.symbol != "" {
			marker.Symbol = plotly.Val(m.symbol)
		}
		fig.Add(&plotly.Scatter{
			X: plotly.Col(m.s.Index), Y: plotly.Col(m.s.Values), Mode: plotly.Str("markers"),
			Name: plotly.Str(m.name), Line: plotly.Line{Color: plotly.Str(m.color)}, Marker: marker,
		})
	}
	fig.StandardLayout("Time", "Values", 200)
	return component.Outputs{"substituted_ts_plot": fig}, nil
}

// valueInterval is hetida's ValueInterval pydantic model.
type valueInterval struct {
	min, max                          float64
	minInclusive, maxInclusive        bool
	fillColor, lineColor, displayName string
}

// parseValueInterval validates one interval like ValueInterval(**raw) (pydantic v1):
// min_value and max_value are required floats (numbers, numeric strings, booleans), the
// inclusive flags booleans defaulting to true, fill_color, line_color and display_name
// optional strings (numbers are turned into their str()); unknown keys are ignored.
// Field errors are reported in field order; only without them the interval must be
// non-empty. A value that is no mapping fails with Python's TypeError.
func parseValueInterval(raw any) (valueInterval, string, error) {
	d, ok := raw.(*data.Dict)
	if !ok {
		return valueInterval{}, "", component.TypeError("ValueInterval() argument after ** must be a mapping, not %s", component.PyTypeName(raw))
	}
	vi := valueInterval{minInclusive: true, maxInclusive: true}
	var issues []fieldIssue
	num := func(field string, dst *float64) {
		v, present := d.Get(field)
		switch x := v.(type) {
		case nil:
			if present {
				issues = append(issues, fieldIssue{field, "none is not an allowed value", "type_error.none.not_allowed"})
			} else {
				issues = append(issues, fieldIssue{field, "field required", "value_error.missing"})
			}
		default:
			f, isNum := wire.PydanticFloat(x)
			if !isNum {
				issues = append(issues, fieldIssue{field, "value is not a valid float", "type_error.float"})
				return
			}
			*dst = f
		}
	}
	boolean := func(field string, dst *bool) {
		v, present := d.Get(field)
		if !present {
			return
		}
		if v == nil {
			issues = append(issues, fieldIssue{field, "none is not an allowed value", "type_error.none.not_allowed"})
			return
		}
		b, good := wire.PydanticBool(v)
		if !good {
			issues = append(issues, fieldIssue{field, "value could not be parsed to a boolean", "type_error.bool"})
			return
		}
		*dst = b
	}
	str := func(field string, dst *string) {
		v, _ := d.Get(field)
		switch x := v.(type) {
		case nil:
		case string:
			*dst = x
		case int64, float64, bool:
			*dst = data.PyStr(x)
		default:
			issues = append(issues, fieldIssue{field, "str type expected", "type_error.str"})
		}
	}
	num("min_value", &vi.min)
	boolean("min_value_inclusive", &vi.minInclusive)
	num("max_value", &vi.max)
	boolean("max_value_inclusive", &vi.maxInclusive)
	str("fill_color", &vi.fillColor)
	str("line_color", &vi.lineColor)
	str("display_name", &vi.displayName)
	if len(issues) == 0 {
		issues = appendEmptyRange(issues, "interval", vi.min, vi.max, vi.minInclusive, vi.maxInclusive)
	}
	if len(issues) > 0 {
		return vi, pydanticMessage("ValueInterval", issues), nil
	}
	return vi, "", nil
}

// orColor is Python's `a or b or c` for colour strings: the first non-empty one.
func orColor(cs ...string) string {
	for _, c := range cs {
		if c != "" {
			return c
		}
	}
	return ""
}

// plotTimeSeriesAndValueIntervals: the series must have an int or float dtype
// (ComponentInputValidationException otherwise); every entry of value_interval_dict is
// validated as parseValueInterval describes, all failures reported together. The figure
// is the index-sorted series as 'lines+markers', then per interval a rect shape over the
// whole time range between min_value and max_value (fill: the interval's fill_color or
// the fill_color input; outline of width 1: its line_color, else its fill_color, else
// the line_color input), then per interval i (of n) a vertical line of width 2 in the
// same colour at index.min() + (i+1)·(index.max() − index.min())/(12n) (Timedelta
// division truncated to whole nanoseconds, as pandas divides) labelled with the display
// name or the interval's key (rotated −90°, font size 10). The y title is the series
// name unless it is None.
func plotTimeSeriesAndValueIntervals(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	rawIntervals := r.Any("value_interval_dict")
	lineColor := r.String("line_color")
	fillColor := r.String("fill_color")
	if err := r.Err(); err != nil {
		return nil, err
	}
	if s.Values.DType != data.Int64 && s.Values.DType != data.Float64 {
		return nil, component.InputValidationError(fmt.Sprintf("To display the time series entries, their dtype must be float or int, while it is %s", s.Values.PandasDType()), "series")
	}
	d, ok := rawIntervals.(*data.Dict)
	if !ok {
		return nil, data.AttributeError(rawIntervals, "items")
	}
	var keys []string
	var intervals []valueInterval
	var problems []string
	for i := 0; i < d.Len(); i++ {
		k, v := d.At(i)
		vi, msg, err := parseValueInterval(v)
		if err != nil {
			return nil, err
		}
		if msg != "" {
			problems = append(problems, k+": "+msg)
			continue
		}
		keys, intervals = append(keys, k), append(intervals, vi)
	}
	if len(problems) > 0 {
		return nil, component.InputValidationError("There were input validation errors for the value_interval_dict:\n"+strings.Join(problems, "\n"), "value_interval_dict")
	}
	sorted := s.SortIndex()
	fig := plotly.NewFigure()
	fig.Add(&plotly.Scatter{X: plotly.Col(sorted.Index), Y: plotly.Col(sorted.Values), Mode: plotly.Str("lines+markers")})
	lo, err := data.Extreme(ctx, sorted.Index, false)
	if err != nil {
		return nil, err
	}
	hi, err := data.Extreme(ctx, sorted.Index, true)
	if err != nil {
		return nil, err
	}
	for _, vi := range intervals {
		fig.AddShape(plotly.Shape{
			Type: plotly.Str("rect"), X0: plotly.Val(lo), Y0: plotly.Val(vi.min), X1: plotly.Val(hi), Y1: plotly.Val(vi.max),
			Line:      plotly.Line{Color: plotly.Str(orColor(vi.lineColor, vi.fillColor, lineColor)), Width: plotly.Int(1)},
			FillColor: plotly.Str(orColor(vi.fillColor, fillColor)),
		})
	}
	for i, vi := range intervals {
		x, err := intervalMarkPosition(lo, hi, i, len(intervals))
		if err != nil {
			return nil, err
		}
		label := vi.displayName
		if label == "" {
			label = keys[i]
		}
		fig.AddShape(plotly.Shape{
			Type: plotly.Str("line"), X0: plotly.Val(x), Y0: plotly.Val(vi.min), X1: plotly.Val(x), Y1: plotly.Val(vi.max),
			Line:  plotly.Line{Color: plotly.Str(orColor(vi.lineColor, vi.fillColor, lineColor)), Width: plotly.Int(2)},
			Label: plotly.ShapeLabel{Text: plotly.Str(label), TextAngle: plotly.Val(-90), Font: plotly.Font{Size: plotly.Int(10)}},
		})
	}
	yt := "Values"
	if s.Name != nil {
		yt = plotly.PyText(s.Name).Value()
	}
	fig.StandardLayout("Time", yt, 200)
	return component.Outputs{"series_with_intervals": fig}, nil
}

// intervalMarkPosition is lo + (i+1)·(hi − lo)/(12n) for timestamps (a Timedelta product
// divided as a float and truncated, as pandas divides Timedeltas) or numbers.
func intervalMarkPosition(lo, hi any, i, n int) (any, error) {
	switch a := lo.(type) {
	case data.Timestamp:
		b := hi.(data.Timestamp)
		if a.IsNaT() || b.IsNaT() {
			return data.Timestamp{NS: data.NaT, Zone: a.Zone}, nil
		}
		delta := (b.NS - a.NS) * int64(i+1)
		step := int64(float64(delta) / float64(n*12))
		return data.Timestamp{NS: a.NS + step, Zone: a.Zone}, nil
	}
	delta, err := data.PyArith(data.OpSub, hi, lo)
	if err != nil {
		return nil, err
	}
	if delta, err = data.PyArith(data.OpMul, int64(i+1), delta); err != nil {
		return nil, err
	}
	if delta, err = data.PyArith(data.OpDiv, delta, int64(n*12)); err != nil {
		return nil, err
	}
	return data.PyArith(data.OpAdd, lo, delta)
}
