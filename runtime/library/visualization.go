package library

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/plotly"
)

var visualization = []component.Spec{
	{Meta: metaSingleTimeseriesPlot, Run: singleTimeseriesPlot, Description: "A line plot of one time series"},
	{Meta: metaTimeseriesAndAlertsPlot, Run: timeseriesAndAlertsPlot, Description: "A time series with its alert intervals shaded"},
	{Meta: metaCompareTwoTimeseriesPlot, Run: compareTwoTimeseriesPlot, Description: "Two time series as lines on one y axis"},
	{Meta: metaTwoTimeseriesWithTwoYAxesPlot, Run: twoTimeseriesWithTwoYAxesPlot, Description: "Two time series as lines, the second on a y axis of its own"},
	{Meta: metaCompareTimeshiftedTimeseries, Run: compareTimeshiftedTimeseries, Description: "A time series and shifted copies of another, one shown at a time by a slider"},
	{Meta: metaUnivariateLinearRULRegressionResultPlot, Run: univariateLinearRULRegressionResultPlot, Description: "Measurements and RUL predictions with the limit and the predicted violation time"},
}

// yTitle is the y axis title hetida's plots use: the series name, else "Values" (plotly
// turns a numeric name into its str()).
func yTitle(s *data.Series) string {
	if s.Name == nil {
		return "Values"
	}
	return plotly.PyText(s.Name).Value()
}

// singleTimeseriesPlot: one 'lines' scatter of the index-sorted series, line colour
// #1199bb; x title "Time", y title the series name (or "Values"), height 200.
func singleTimeseriesPlot(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	if err := r.Err(); err != nil {
		return nil, err
	}
	sorted := s.SortIndex()
	tr := &plotly.Scatter{X: plotly.Col(sorted.Index), Y: plotly.Col(sorted.Values), Mode: plotly.Str("lines")}
	fig := plotly.NewFigure().Add(tr).StandardLayout("Time", yTitle(s), 200)
	tr.Line.Color.Set(plotly.Str("#1199bb")) // hetida's update_traces comes after update_layout
	return component.Outputs{"plot": fig}, nil
}

// timeseriesAndAlertsPlot: the sorted series as a line plus one translucent red rect per
// alert interval of alert_series (+1 starts, -1 ends; a missing start is the first
// timestamp, a missing end the last), spanning the series' value range.
func timeseriesAndAlertsPlot(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	alerts := r.Series("alert_series")
	if err := r.Err(); err != nil {
		return nil, err
	}
	sorted := s.SortIndex()
	vals, ok := s.Values.FloatValues()
	if !ok {
		return nil, component.TypeError("'>=' not supported between instances of 'str' and 'float'")
	}
	// an integer series has integer extremes, as in pandas
	var lo, hi any = nanToNil(data.NanMin(vals)), nanToNil(data.NanMax(vals))
	if s.Values.DType == data.Int64 && s.Len() > 0 {
		lo, hi = slices.Min(s.Values.I), slices.Max(s.Values.I)
	}
	starts, ends, err := alertIntervals(ctx, s, alerts)
	if err != nil {
		return nil, err
	}
	fig := plotly.NewFigure()
	fig.Add(&plotly.Scatter{X: plotly.Col(sorted.Index), Y: plotly.Col(sorted.Values), Mode: plotly.Str("lines")})
	for i := range starts {
		fig.AddShape(plotly.Shape{
			Type: plotly.Str("rect"), X0: plotly.Val(starts[i]), Y0: plotly.Val(lo), X1: plotly.Val(ends[i]), Y1: plotly.Val(hi),
			Line:      plotly.Line{Color: plotly.Str("rgb(251, 40, 0)"), Width: plotly.Int(1)},
			FillColor: plotly.Str("rgba(251, 40, 0, 0.4)"),
		})
	}
	fig.StandardLayout("Time", yTitle(s), 200)
	return component.Outputs{"alert_plot": fig}, nil
}

func nanToNil(f float64) any {
	if f != f || math.IsInf(f, 0) {
		return nil
	}
	return f
}

// alertIntervals ports hetida's alerts_time_intervals and the start/end pairing of
// plot_series_and_alerts: the non-zero alert entries sorted by time, completed with a
// start at the series' first timestamp and an end at its last where needed; every +1
// entry starts an interval that ends at the next entry (nil when there is none).
func alertIntervals(ctx context.Context, series, alerts *data.Series) (starts, ends []any, err error) {
	av, ok := alerts.Values.FloatValues()
	if !ok {
		return nil, nil, component.TypeError("alert_series must be numeric")
	}
	if series.Len() == 0 {
		return nil, nil, nil
	}
	// labels are compared as int64 (timestamps, integers) when both indexes allow it,
	// else as boxed values
	keyOf, label, typed := int64Labels(series.Index, alerts.Index)
	type entry struct {
		k     int64
		label any
		v     float64
	}
	var es []entry
	for i, v := range av {
		if err := cancelled(ctx, i); err != nil {
			return nil, nil, err
		}
		if v != 0 { // NaN != 0 holds, as in pandas
			e := entry{v: v}
			if typed {
				e.k = alerts.Index.I[i]
			} else {
				e.label = alerts.Index.At(i)
			}
			es = append(es, e)
		}
	}
	less := func(a, b entry) bool {
		if typed {
			return a.k < b.k
		}
		return data.Compare(a.label, b.label) < 0
	}
	cmp := func(a, b entry) int {
		switch {
		case less(a, b):
			return -1
		case less(b, a):
			return 1
		}
		return 0
	}
	sortEntries := func() { slices.SortStableFunc(es, cmp) }
	set := func(at entry, v float64) {
		for i := range es {
			if cmp(es[i], at) == 0 {
				es[i].v = v
				return
			}
		}
		at.v = v
		es = append(es, at)
	}
	var lo, hi entry
	if typed {
		lo.k, hi.k = keyOf(series.Index)
	} else {
		lo.label, hi.label = extremeLabels(series.Index)
	}
	sortEntries()
	if len(es) > 0 && es[0].v == -1 {
		if less(lo, es[0]) {
			set(lo, 1)
		} else {
			return nil, nil, component.ValueError("value_series must have smaller timestamps if first non-zero entry of alert_indicator_series is -1. Otherwise no start for the first alert can be found!")
		}
	}
	sortEntries()
	if len(es) > 0 && es[len(es)-1].v == 1 {
		// hetida compares with the first entry's timestamp here (the minimum), not the last
		if less(es[0], hi) {
			set(hi, -1)
		} else {
			return nil, nil, component.ValueError("value_series must have greater timestamps if last non-zero entry of alert_indicator_series is 1. Otherwise no end for the last alert can be found!")
		}
	}
	sortEntries()
	out := func(e entry) any {
		if typed {
			return label(e.k)
		}
		return e.label
	}
	for i, e := range es {
		if e.v != 1 {
			continue
		}
		starts = append(starts, out(e))
		if i+1 < len(es) {
			ends = append(ends, out(es[i+1]))
		} else {
			ends = append(ends, nil)
		}
	}
	return starts, ends, nil
}

// int64Labels reports whether two indexes can be compared as int64 (both datetimes, or
// both integers) and gives the extremes of an index and the boxed label of a key.
func int64Labels(a, b data.Column) (extremes func(data.Column) (int64, int64), label func(int64) any, ok bool) {
	if a.DType != b.DType || (a.DType != data.Datetime && a.DType != data.Int64) {
		return nil, nil, false
	}
	zone := b.Zone
	extremes = func(c data.Column) (int64, int64) {
		lo, hi := int64(0), int64(0)
		first := true
		for _, v := range c.I {
			if v == data.NaT && c.DType == data.Datetime {
				continue
			}
			if first || v < lo {
				lo = v
			}
			if first || v > hi {
				hi = v
			}
			first = false
		}
		return lo, hi
	}
	if a.DType == data.Datetime {
		label = func(k int64) any { return data.Timestamp{NS: k, Zone: zone} }
	} else {
		label = func(k int64) any { return k }
	}
	return extremes, label, true
}

// extremeLabels returns the smallest and largest label of an index (NaN/NaT skipped).
func extremeLabels(c data.Column) (lo, hi any) {
	for i, n := 0, c.Len(); i < n; i++ {
		if c.IsNA(i) {
			continue
		}
		v := c.At(i)
		if lo == nil || data.Compare(v, lo) < 0 {
			lo = v
		}
		if hi == nil || data.Compare(v, hi) > 0 {
			hi = v
		}
	}
	return lo, hi
}

// compareTwoTimeseriesPlot: each series sorted by its index as a 'lines' trace named
// after the series ("series_1"/"series_2" when the name is falsy in Python: None, "", 0);
// x title "Time", y title "Values", height 200.
func compareTwoTimeseriesPlot(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s1 := r.Series("series_1")
	s2 := r.Series("series_2")
	if err := r.Err(); err != nil {
		return nil, err
	}
	fig := plotly.NewFigure()
	for i, s := range []*data.Series{s1, s2} {
		name, err := nameOr(s.Name, fmt.Sprintf("series_%d", i+1))
		if err != nil {
			return nil, err
		}
		fig.Add(lineTrace(s.SortIndex(), name))
	}
	fig.StandardLayout("Time", "Values", 200)
	return component.Outputs{"comparison_plot": fig}, nil
}

// lineTrace is go.Scatter(x=s.index, y=s, mode="lines", name=name).
func lineTrace(s *data.Series, name plotly.Opt[string]) *plotly.Scatter {
	return &plotly.Scatter{X: plotly.Col(s.Index), Y: plotly.Col(s.Values), Mode: plotly.Str("lines"), Name: name}
}

// nameOr is a trace name as hetida's `s.name if s.name else default`: the series name when
// Python finds it truthy, else the default.
func nameOr(name any, def string) (plotly.Opt[string], error) {
	ok, err := data.Truthy(name)
	if err != nil {
		return plotly.Opt[string]{}, err
	}
	if !ok {
		return plotly.Str(def), nil
	}
	return plotly.PyText(name), nil
}

// twoTimeseriesWithTwoYAxesPlot: make_subplots with a secondary y axis; series_1 (sorted)
// as a line on y, series_2 (sorted) on y2 at the right. The traces are named like
// Compare Two Timeseries Plot's, while the y axis titles use the names unless they are
// None (hetida tests `is not None` there, so an empty name gives an empty title).
func twoTimeseriesWithTwoYAxesPlot(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s1 := r.Series("series_1")
	s2 := r.Series("series_2")
	if err := r.Err(); err != nil {
		return nil, err
	}
	fig, err := plotly.MakeSubplots(plotly.Subplots{Specs: [][]plotly.SubplotSpec{{{SecondaryY: true}}}})
	if err != nil {
		return nil, err
	}
	for i, s := range []*data.Series{s1, s2} {
		name, err := nameOr(s.Name, fmt.Sprintf("series_%d", i+1))
		if err != nil {
			return nil, err
		}
		if err := fig.AddAt(lineTrace(s.SortIndex(), name), 1, 1, i == 1); err != nil {
			return nil, err
		}
	}
	fig.UpdateLayout(plotly.Layout{
		XAxis:    plotly.Axis{Title: plotly.Title{Text: plotly.Str("Time")}},
		YAxis:    plotly.Axis{Title: plotly.Title{Text: plotly.Str("Values")}},
		Autosize: plotly.Bool(true),
		Height:   plotly.Int(200),
	})
	fig.UpdateLayout(plotly.Layout{Margin: zeroMargin()})
	for i, s := range []*data.Series{s1, s2} {
		_, y, err := fig.SubplotAxes(1, 1, i == 1)
		if err != nil {
			return nil, err
		}
		title := plotly.Str(fmt.Sprintf("series_%d", i+1))
		if s.Name != nil {
			title = plotly.PyText(s.Name)
		}
		y.Title.Text.Set(title)
	}
	fig.UpdateYAxes(func(a *plotly.Axis) { a.AutoMargin.Set(plotly.Bool(true)) })
	fig.UpdateXAxes(func(a *plotly.Axis) { a.AutoMargin.Set(plotly.Bool(true)) })
	return component.Outputs{"plot": fig}, nil
}

// zeroMargin is hetida's margin=dict(l=0, r=0, b=0, t=5, pad=0).
func zeroMargin() plotly.Margin {
	return plotly.Margin{L: plotly.Int(0), R: plotly.Int(0), B: plotly.Int(0), T: plotly.Int(5), Pad: plotly.Int(0)}
}

// compareTimeshiftedTimeseries: trace 0 is series sorted by index ('lines', named after
// it unless the name is falsy or "measurement", then "series"); then, for every step s
// in numpy's arange(-max_shifts_past, max_shifts_future) — the future end excluded, as in
// hetida's code (spec §3.5; the reference cases record it) — series_shiftable sorted and
// its index shifted by s·freq_factor·freq (DatetimeIndex.shift: calendar offsets such as
// "M" or "W" move by calendar units), as an invisible line. The trace at position
// max_shifts_past+1 (shift 0) is made visible; with max_shifts_future = 0 it does not
// exist and the component fails like hetida with IndexError "tuple index out of range".
// A slider (active = max_shifts_past) has a step for every trace but the first, each
// showing trace 0 and its own trace and setting the title "Shifted by x times frequency
// <freq_factor><freq>: <k>". Negative maxima fail with hetida's ValueError before
// anything else.
func compareTimeshiftedTimeseries(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s1 := r.Series("series")
	s2 := r.Series("series_shiftable")
	freq := r.String("freq")
	factor := r.Int("freq_factor")
	past := r.Int("max_shifts_past")
	future := r.Int("max_shifts_future")
	if err := r.Err(); err != nil {
		return nil, err
	}
	if past < 0 || future < 0 {
		return nil, component.ValueError("Shift maxima values must be greater equal zero.")
	}
	// every trace carries the series' points: bound the figure as numpy would bound memory
	if past+future > maxFigurePoints || (past+future)*int64(s2.Len()+1) > maxFigurePoints {
		return nil, memoryError(past+future, int64(s2.Len()))
	}
	fig := plotly.NewFigure()
	sorted := s1.SortIndex()
	name, err := measurementName(sorted.Name, "series")
	if err != nil {
		return nil, err
	}
	fig.Add(lineTrace(sorted, name))
	shiftable := s2.SortIndex()
	shiftName, err := measurementName(shiftable.Name, "series_shiftable")
	if err != nil {
		return nil, err
	}
	var off data.Offset
	for step := -past; step < future; step++ {
		if step == -past {
			if shiftable.Index.DType != data.Datetime {
				return nil, data.NotImplementedError("This method is only implemented for DatetimeIndex, PeriodIndex and TimedeltaIndex; Got type %s", shiftable.Index.IndexTypeName())
			}
			if off, err = data.ParseOffset(freq); err != nil {
				return nil, component.ValueError("%v", err)
			}
		}
		idx, err := data.ShiftDatetimes(ctx, shiftable.Index, off, step*factor)
		if err != nil {
			return nil, err
		}
		tr := &plotly.Scatter{X: plotly.Col(idx), Y: plotly.Col(shiftable.Values), Mode: plotly.Str("lines"), Name: shiftName, Visible: plotly.Bool(false)}
		fig.Add(tr)
	}
	if int(past+1) >= len(fig.Data) {
		return nil, component.IndexError("tuple index out of range")
	}
	fig.Data[past+1].(*plotly.Scatter).Visible.Set(plotly.Bool(true))
	prefix := fmt.Sprintf("Shifted by x times frequency %d%s: ", factor, freq)
	n := len(fig.Data)
	steps := make([]plotly.SliderStep, 0, n-1)
	for i := 1; i < n; i++ {
		visible := make([]bool, n)
		visible[0], visible[i] = true, true
		label := strconv.FormatInt(int64(i)-past-1, 10)
		vis, title := data.NewDict(1), data.NewDict(1)
		vis.Set("visible", visible)
		title.Set("title", prefix+label)
		steps = append(steps, plotly.SliderStep{Args: plotly.Val([]any{vis, title}), Label: plotly.Str(label), Method: plotly.Str("update")})
	}
	fig.UpdateLayout(plotly.Layout{
		XAxis:    plotly.Axis{Title: plotly.Title{Text: plotly.Str("Time")}},
		YAxis:    plotly.Axis{Title: plotly.Title{Text: plotly.Str("Values")}},
		Autosize: plotly.Bool(true),
		Height:   plotly.Int(480),
	})
	fig.UpdateLayout(plotly.Layout{Margin: plotly.Margin{L: plotly.Int(0), R: plotly.Int(0), B: plotly.Int(40), T: plotly.Int(30), Pad: plotly.Int(10)}})
	fig.UpdateYAxes(func(a *plotly.Axis) { a.AutoMargin.Set(plotly.Bool(true)) })
	fig.UpdateXAxes(func(a *plotly.Axis) { a.AutoMargin.Set(plotly.Bool(true)) })
	fig.UpdateLayout(plotly.Layout{Sliders: []plotly.Slider{{
		Active:       plotly.Int(past),
		CurrentValue: plotly.CurrentValue{Prefix: plotly.Str(prefix)},
		Pad:          plotly.Pad{T: plotly.Int(80), B: plotly.Int(10)},
		Steps:        steps,
	}}})
	return component.Outputs{"comparison_plot": fig}, nil
}

// measurementName is `name if (name and name != "measurement") else def`.
func measurementName(name any, def string) (plotly.Opt[string], error) {
	if s, ok := name.(string); ok && s == "measurement" {
		return plotly.Str(def), nil
	}
	return nameOr(name, def)
}

// maxFigurePoints bounds the values a figure may hold (about 1 GiB of float64): numpy
// fails with MemoryError where an allocation exceeds the machine, here the limit is fixed.
const maxFigurePoints = 1 << 27

// memoryError is numpy's MemoryError for an array of float64 of the given shape.
func memoryError(shape ...int64) error {
	n := 8.0
	dims := make([]string, len(shape))
	for i, d := range shape {
		n *= float64(d)
		dims[i] = strconv.FormatInt(d, 10)
	}
	unit := []string{"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	u := 0
	for n >= 1024 && u < len(unit)-1 {
		n /= 1024
		u++
	}
	shapeText := strings.Join(dims, ", ")
	if len(dims) == 1 {
		shapeText += ","
	}
	return &data.Error{Type: "MemoryError", Message: fmt.Sprintf("Unable to allocate %s %s for an array with shape (%s) and data type float64", strconv.FormatFloat(n, 'g', 3, 64), unit[u], shapeText)}
}

// univariateLinearRULRegressionResultPlot: base_series and predictions sorted as lines
// (named like Compare Two Timeseries Plot's), then update_layout(shapes=…) with
//   - unless the timestamp input is None, a vertical line at
//     limit_violation_prediction_timestamp (the string as it is, "NaT" included) from
//     np.min to np.max of [base min, predictions min, limit] (numpy propagates NaN: an empty
//     series gives null ends);
//   - a red horizontal line at the limit from np.min of the two indexes' minima to np.max
//     of their maxima (numpy's object reduction keeps the first value only when it
//     compares <= (>=) the second, so a NaT first gives the second, a NaT second gives NaT).
func univariateLinearRULRegressionResultPlot(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	ts := r.Any("limit_violation_prediction_timestamp")
	limit := r.Float("limit")
	base := r.Series("base_series")
	pred := r.Series("predictions")
	if err := r.Err(); err != nil {
		return nil, err
	}
	fig := plotly.NewFigure()
	for i, s := range []*data.Series{base, pred} {
		name, err := nameOr(s.Name, fmt.Sprintf("series_%d", i+1))
		if err != nil {
			return nil, err
		}
		fig.Add(lineTrace(s.SortIndex(), name))
	}
	fig.UpdateLayout(plotly.Layout{
		XAxis:    plotly.Axis{Title: plotly.Title{Text: plotly.Str("Time")}},
		YAxis:    plotly.Axis{Title: plotly.Title{Text: plotly.Str("Values")}},
		Autosize: plotly.Bool(true),
		Height:   plotly.Int(200),
	})
	var ext [2][2]any // [min, max] of the values, then of the indexes
	for k, max := range []bool{false, true} {
		bv, err := data.Extreme(ctx, base.Values, max)
		if err != nil {
			return nil, err
		}
		pv, err := data.Extreme(ctx, pred.Values, max)
		if err != nil {
			return nil, err
		}
		if ext[0][k], err = numpyFloatExtreme([]any{bv, pv, limit}, max); err != nil {
			return nil, err
		}
		bi, err := data.Extreme(ctx, base.Index, max)
		if err != nil {
			return nil, err
		}
		pi, err := data.Extreme(ctx, pred.Index, max)
		if err != nil {
			return nil, err
		}
		if ext[1][k], err = numpyObjectExtreme(bi, pi, max); err != nil {
			return nil, err
		}
	}
	var shapes []plotly.Shape
	if ts != nil {
		shapes = append(shapes, plotly.Shape{
			Type: plotly.Str("line"), YRef: plotly.Str("y"), Y0: plotly.Val(ext[0][0]), Y1: plotly.Val(ext[0][1]),
			XRef: plotly.Str("x"), X0: plotly.Val(ts), X1: plotly.Val(ts),
		})
	}
	shapes = append(shapes, plotly.Shape{
		Type: plotly.Str("line"), YRef: plotly.Str("y"), Y0: plotly.Val(limit), Y1: plotly.Val(limit),
		XRef: plotly.Str("x"), X0: plotly.Val(ext[1][0]), X1: plotly.Val(ext[1][1]),
		Line: plotly.Line{Color: plotly.Str("red"), Width: plotly.Int(1)},
	})
	fig.UpdateLayout(plotly.Layout{Shapes: shapes})
	fig.ZeroMargins()
	return component.Outputs{"rul_regression_result_plot": fig}, nil
}

// numpyFloatExtreme is np.min (np.max) of a list of Python numbers: a float64 array, so
// the result is a float and NaN propagates. Other values (the minimum of a string
// series) fail as numpy's conversion of the list does.
func numpyFloatExtreme(vs []any, max bool) (float64, error) {
	best := 0.0
	for i, v := range vs {
		f, ok := data.ToFloat(v)
		if !ok {
			return 0, data.TypeError("'%s' not supported between instances of '%s' and 'float'", map[bool]string{false: "<=", true: ">="}[max], data.PyTypeName(v))
		}
		switch {
		case i == 0, f != f:
			best = f
		case best != best:
		case max && f > best, !max && f < best:
			best = f
		}
	}
	return best, nil
}

// numpyObjectExtreme is np.min (np.max) of two values of an object array: numpy keeps a
// when a <= b (a >= b for max), else b — so a NaT or NaN first gives b, and a second NaT
// or NaN wins.
func numpyObjectExtreme(a, b any, max bool) (any, error) {
	if fa, ok := a.(float64); ok {
		if fb, ok := b.(float64); ok {
			// a float64 array: NaN propagates
			if fa != fa || fb != fb {
				return math.NaN(), nil
			}
		}
	}
	op := data.CmpLe
	if max {
		op = data.CmpGe
	}
	keep, err := data.PyCompare(op, a, b)
	if err != nil {
		return nil, err
	}
	if keep {
		return a, nil
	}
	return b, nil
}

// visualizationTodo lists the category's revisions not ported yet.
var visualizationTodo = []*component.Meta{}
