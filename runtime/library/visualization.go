package library

import (
	"context"
	"math"
	"slices"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/plotly"
)

var visualization = []component.Spec{
	{Meta: metaSingleTimeseriesPlot, Run: singleTimeseriesPlot, Description: "A line plot of one time series"},
	{Meta: metaTimeseriesAndAlertsPlot, Run: timeseriesAndAlertsPlot, Description: "A time series with its alert intervals shaded"},
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

// visualizationTodo lists the category's revisions not ported yet.
var visualizationTodo = []*component.Meta{
	&meta2DGridGenerator,
	&meta2DScatterPlotColoredByIndex,
	&meta2DScatterPlotColoredByOtherSeries,
	&metaBandFilterPlot,
	&metaCompareTimeshiftedTimeseries,
	&metaCompareTwoTimeseriesPlot,
	&metaContourPlot,
	&metaCorrelationMatrixHeatmapPlot,
	&metaDataFramePlotWithMultipleXAndYAxes,
	&metaDisplayTableV100,
	&metaDisplayTableV101,
	&metaMovingWindowAggregatedTimeseriesPlot,
	&metaMultiTsFramePlotWithMultipleYAxes,
	&metaPieChartPlot,
	&metaPlotTimeSeriesAndValueIntervals,
	&metaSimpleScatterMapPlot,
	&metaTimeseriesDataFramePlot,
	&metaTimeseriesDataFramePlotWithMultipleYAxes,
	&metaTimeseriesIntervalBoxplots,
	&metaTimeseriesPlotWithMultipleMovableXAndYAxes,
	&metaTimeseriesSubstitutionPlot,
	&metaTwoTimeseriesWithTwoYAxesPlot,
	&metaUnivariateLinearRULRegressionResultPlot,
	&metaVerticalBarPlot,
}
