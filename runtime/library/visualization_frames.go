package library

import (
	"context"
	"strconv"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/plotly"
)

// The Visualization components that draw the columns or metrics of a frame as lines.
var visualizationFrames = []component.Spec{
	{Meta: metaTimeseriesDataFramePlot, Run: timeseriesDataFramePlot, Description: "The columns of a frame, or the metrics of a long frame, as lines on one y axis"},
	{Meta: metaTimeseriesDataFramePlotWithMultipleYAxes, Run: timeseriesDataFramePlotWithMultipleYAxes, Description: "The columns of a frame as lines, each on a y axis of its own"},
	{Meta: metaMultiTsFramePlotWithMultipleYAxes, Run: multiTsFramePlotWithMultipleYAxes, Description: "The metrics of a MultiTSFrame as lines, each on a y axis of its own"},
	{Meta: metaDataFramePlotWithMultipleXAndYAxes, Run: dataFramePlotWithMultipleXAndYAxes, Description: "The columns of a frame as lines, each on an x and a y axis of its own"},
	{Meta: metaTimeseriesPlotWithMultipleMovableXAndYAxes, Run: timeseriesPlotWithMultipleMovableXAndYAxes, Description: "The metrics of a long frame as lines, each on an x and a y axis of its own"},
}

// metricGroups lists the distinct values of a metric column in order of first
// appearance (pandas' unique()) with the rows that == each of them: a missing value is
// listed but equals no row.
func metricGroups(ctx context.Context, c data.Column) (values []any, rows [][]int, err error) {
	codes, firsts := c.Factorize()
	rows = make([][]int, len(firsts))
	for i, code := range codes {
		if err := cancelled(ctx, i); err != nil {
			return nil, nil, err
		}
		if !c.IsNA(i) {
			rows[code] = append(rows[code], i)
		}
	}
	values = make([]any, len(firsts))
	for k, i := range firsts {
		values[k] = c.At(i)
	}
	return values, rows, nil
}

// traceName is plotly's name=v: None leaves the name unset, a number becomes its str().
func traceName(v any) plotly.Opt[string] {
	if v == nil {
		return plotly.Opt[string]{}
	}
	return plotly.PyText(v)
}

// naiveValues is a column's .values: aware timestamps become numpy's naive UTC ones.
func naiveValues(c data.Column) data.Column {
	if c.DType == data.Datetime && c.Zone.Aware {
		return data.Datetimes(c.I, data.Naive)
	}
	return c
}

// timeseriesDataFramePlot: a frame whose columns are exactly {timestamp, value, metric}
// is read as long format, any other as wide. Wide: the index-sorted frame gives one
// 'lines' trace per column, named after it. Long: for every ROW, in frame order, the
// values of all rows with that row's metric, indexed by their timestamps' .values
// (numpy drops the zone: aware timestamps become naive UTC) and sorted by them, named
// after the metric. hetida means one trace per metric (spec §3.5) but draws each metric
// once per row of it; the reference cases record those duplicated traces, so they are
// kept (they render as one line each, drawn repeatedly). x title "Time", y title
// "Values", height 200.
func timeseriesDataFramePlot(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("dataframe")
	if err := r.Err(); err != nil {
		return nil, err
	}
	fig := plotly.NewFigure()
	if isLongFormat(f) {
		ts, _ := f.Col("timestamp")
		vals, _ := f.Col("value")
		metric, _ := f.Col("metric")
		codes, _ := metric.Factorize()
		values, rows, err := metricGroups(ctx, metric)
		if err != nil {
			return nil, err
		}
		traces := make([]*data.Series, len(values))
		points := 0
		for i := range codes {
			points += len(rows[codes[i]])
		}
		if points > maxFigurePoints {
			return nil, memoryError(int64(len(codes)), int64(points/max(len(codes), 1)))
		}
		for i, code := range codes {
			if err := cancelled(ctx, i); err != nil {
				return nil, err
			}
			if traces[code] == nil {
				rs := rows[code]
				traces[code] = data.NewSeries(nil, naiveValues(ts.Take(rs)), vals.Take(rs)).SortIndex()
			}
			s := traces[code]
			fig.Add(&plotly.Scatter{X: plotly.Col(s.Index), Y: plotly.Col(s.Values), Mode: plotly.Str("lines"), Name: traceName(values[code])})
		}
	} else {
		sorted := f.SortIndex()
		for i, name := range sorted.Names {
			fig.Add(&plotly.Scatter{X: plotly.Col(sorted.Index), Y: plotly.Col(sorted.Columns[i]), Mode: plotly.Str("lines"), Name: traceName(name)})
		}
	}
	fig.StandardLayout("Time", "Values", 200)
	return component.Outputs{"plot": fig}, nil
}

// isLongFormat is set(df.columns) == {"timestamp", "value", "metric"}.
func isLongFormat(f *data.DataFrame) bool {
	seen := map[string]bool{}
	for _, n := range f.Names {
		s, ok := n.(string)
		if !ok || (s != "timestamp" && s != "value" && s != "metric") {
			return false
		}
		seen[s] = true
	}
	return len(seen) == 3
}

// axisPositions is hetida's compute_plot_positions for n axes that take ratio of the
// figure each: while n·ratio < 0.5 the positions are 1 − i·ratio (− ratio more when
// shifted, i.e. the axes sit right of / below the plot) and the plot keeps 1 − n·ratio;
// otherwise the axes share half the figure, at 1 − i·0.5/n. The float operations are
// Python's, one rounding each, so the positions match hetida's to the last bit.
func axisPositions(n int, ratio float64, shifted bool) (area float64, positions []float64) {
	shift := 0.0
	if shifted {
		shift = ratio
	}
	positions = make([]float64, n)
	if float64(n)*ratio < 0.5 {
		for i := range positions {
			positions[i] = float64(1-float64(float64(i)*ratio)) - shift
		}
		return 1 - float64(float64(n)*ratio), positions
	}
	for i := range positions {
		positions[i] = 1 - float64(float64(float64(i)*0.5)/float64(n))
	}
	return 0.5, positions
}

// axisColor is px.colors.qualitative.Plotly[i % 10].
func axisColor(i int) string { return plotly.QualitativePlotly[i%len(plotly.QualitativePlotly)] }

// rightYAxis sets up y axis i (0-based) of the multi-axis plots: at position, on the
// right, ticks and line in the trace's colour, grid on, overlaying y from the second on.
func rightYAxis(a *plotly.Axis, i int, position float64) {
	c := axisColor(i)
	a.Position, a.Side = plotly.Float(position), plotly.Str("right")
	a.TickFont = plotly.Font{Color: plotly.Str(c), Size: plotly.Int(12)}
	a.ShowLine, a.LineColor, a.ShowGrid = plotly.Bool(true), plotly.Str(c), plotly.Bool(true)
	if i > 0 {
		a.Overlaying = plotly.Str("y")
	}
}

// bottomXAxis is rightYAxis for the x axes of the plots with several x axes.
func bottomXAxis(a *plotly.Axis, i int, position float64) {
	c := axisColor(i)
	a.Position, a.Side = plotly.Float(position), plotly.Str("bottom")
	a.TickFont = plotly.Font{Color: plotly.Str(c), Size: plotly.Int(12)}
	a.ShowLine, a.LineColor, a.ShowGrid = plotly.Bool(true), plotly.Str(c), plotly.Bool(true)
	if i > 0 {
		a.Overlaying = plotly.Str("x")
	}
}

// axisRef is "y", "y2", … (or "x", …) for axis i (0-based).
func axisRef(p string, i int) plotly.Opt[string] {
	if i == 0 {
		return plotly.Str(p)
	}
	return plotly.Str(p + strconv.Itoa(i+1))
}

// multiYAxesFigure is hetida's multi_series_with_multi_yaxis of the y-axes-only plots:
// one line per series (x its index, in the colour of its axis), each on a y axis of its
// own at the right (positions 6% apart), the x axis' domain shrunk to leave them room;
// height 200, margin l=r=b=0, t=5, pad=0. The layout is built as one go.Layout, so its
// keys come in plotly's property order with the numbered axes after the others.
func multiYAxesFigure(series []*data.Series, names []any) *plotly.Figure {
	area, positions := axisPositions(len(series), 0.06, true)
	var l plotly.Layout
	l.XAxis.Domain = plotly.Val([]any{int64(0), area})
	l.Height = plotly.Int(200)
	fig := plotly.NewFigure()
	for i, s := range series {
		fig.Add(&plotly.Scatter{
			X: plotly.Col(s.Index), Y: plotly.Col(s.Values), Name: traceName(names[i]),
			Line: plotly.Line{Color: plotly.Str(axisColor(i))}, YAxis: axisRef("y", i),
		})
		rightYAxis(l.YAxisN(i+1), i, positions[i])
	}
	fig.SetLayout(l)
	fig.UpdateLayout(plotly.Layout{Margin: zeroMargin()})
	return fig
}

// timeseriesDataFramePlotWithMultipleYAxes: multiYAxesFigure of the frame's columns in
// frame order (the index is not sorted).
func timeseriesDataFramePlotWithMultipleYAxes(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("dataframe")
	if err := r.Err(); err != nil {
		return nil, err
	}
	series := make([]*data.Series, len(f.Columns))
	for i, c := range f.Columns {
		series[i] = data.NewSeries(f.Names[i], f.Index, c)
	}
	return component.Outputs{"plot": multiYAxesFigure(series, f.Names)}, nil
}

// multiTsFramePlotWithMultipleYAxes: multiYAxesFigure of the metrics (in order of first
// appearance), each the value column of its rows indexed by their timestamps, in the
// frame's row order (a MultiTSFrame arrives sorted by timestamp).
func multiTsFramePlotWithMultipleYAxes(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("multitsframe")
	if err := r.Err(); err != nil {
		return nil, err
	}
	metric, err := frameColumn(f, "metric")
	if err != nil {
		return nil, err
	}
	values, rows, err := metricGroups(ctx, metric.Values)
	if err != nil {
		return nil, err
	}
	val, err := frameColumn(f, "value")
	if err != nil {
		return nil, err
	}
	ts, err := frameColumn(f, "timestamp")
	if err != nil {
		return nil, err
	}
	series := make([]*data.Series, len(values))
	for k, rs := range rows {
		series[k] = data.NewSeries(nil, ts.Values.Take(rs), val.Values.Take(rs))
	}
	return component.Outputs{"plot": multiYAxesFigure(series, values)}, nil
}

// multiXYAxesLayout is the layout of the plots with an x and a y axis per trace: y axes at
// the right 6% apart, x axes below the plot xAxisRatio apart, the y axes' domain above the x
// axes, the x axes' domain left of the y axes; for every trace its y axis is created
// before its x axis, as hetida's dict of axes is filled.
func multiXYAxesLayout(l *plotly.Layout, n int, xAxisRatio float64) {
	yArea, yPositions := axisPositions(n, xAxisRatio, true)
	xArea, xPositions := axisPositions(n, 0.06, true)
	for i := 0; i < n; i++ {
		ya := l.YAxisN(i + 1)
		rightYAxis(ya, i, xPositions[i])
		ya.Domain = plotly.Val([]any{float64(1.0 - yArea), 1.0})
		xa := l.XAxisN(i + 1)
		bottomXAxis(xa, i, float64(1-yPositions[i]))
		xa.Domain = plotly.Val([]any{int64(0), xArea})
	}
}

// multiXYTrace is the trace of one column or metric in the plots with an x and a y axis
// per trace: opacity 0.8, the axis colour, bound to x axis i and y axis i.
func multiXYTrace(x, y data.Column, name any, i int) *plotly.Scatter {
	return &plotly.Scatter{
		X: plotly.Col(x), Y: plotly.Col(y), Name: traceName(name), Opacity: plotly.Float(0.8),
		Line: plotly.Line{Color: plotly.Str(axisColor(i))}, YAxis: axisRef("y", i), XAxis: axisRef("x", i),
	}
}

// dataFramePlotWithMultipleXAndYAxes: one line per column (x the unsorted index), each on
// an x and a y axis of its own (x axes 9% apart below the plot), height 400, margin
// l=r=b=0, t=5, pad=0.
func dataFramePlotWithMultipleXAndYAxes(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("dataframe")
	if err := r.Err(); err != nil {
		return nil, err
	}
	var l plotly.Layout
	l.Height = plotly.Int(400)
	multiXYAxesLayout(&l, len(f.Columns), 0.09)
	fig := plotly.NewFigure()
	for i, c := range f.Columns {
		fig.Add(multiXYTrace(f.Index, c, f.Names[i], i))
	}
	fig.SetLayout(l)
	fig.UpdateLayout(plotly.Layout{Margin: zeroMargin()})
	return component.Outputs{"plot": fig}, nil
}

// timeseriesPlotWithMultipleMovableXAndYAxes: for every distinct metric (order of first
// appearance) its rows sorted by the timestamp column (a stable sort; KeyError
// 'timestamp' without one, once there is a metric), their value column over their
// timestamps as a line on an x and a y axis of its own (x axes 16% apart). Margin
// l=r=b=10, t=30, then autosize, no legend, hovermode "closest".
func timeseriesPlotWithMultipleMovableXAndYAxes(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("dataframe")
	if err := r.Err(); err != nil {
		return nil, err
	}
	metric, err := frameColumn(f, "metric")
	if err != nil {
		return nil, err
	}
	values, rows, err := metricGroups(ctx, metric.Values)
	if err != nil {
		return nil, err
	}
	var l plotly.Layout
	multiXYAxesLayout(&l, len(values), 0.16)
	fig := plotly.NewFigure()
	for i, rs := range rows {
		group, err := f.Take(rs).SortValues([]any{"timestamp"}, []bool{true})
		if err != nil {
			return nil, err
		}
		val, err := frameColumn(group, "value")
		if err != nil {
			return nil, err
		}
		ts, _ := group.Col("timestamp")
		fig.Add(multiXYTrace(ts, val.Values, values[i], i))
	}
	fig.SetLayout(l)
	fig.UpdateLayout(plotly.Layout{Margin: plotly.Margin{L: plotly.Int(10), R: plotly.Int(10), B: plotly.Int(10), T: plotly.Int(30), Pad: plotly.Int(0)}})
	fig.UpdateLayout(plotly.Layout{Autosize: plotly.Bool(true), ShowLegend: plotly.Bool(false), HoverMode: plotly.Str("closest")})
	return component.Outputs{"plot": fig}, nil
}
