package library

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/plotly"
)

// The Visualization components built on plotly.express (scatter, bar, box, pie,
// scatter_mapbox). Their figures carry what px adds: the "plotly" template (px falls
// back to it even with plotly's default template off), hover templates, legend groups,
// anchored axes of a one-cell subplot grid, legend.tracegroupgap 0 and margin.t 60 (which
// hetida's zero margins then overwrite), discrete colours from the template's colorway
// and continuous ones on a colour axis with the Plasma scale.
var visualizationExpress = []component.Spec{
	{Meta: meta2DScatterPlotColoredByIndex, Run: scatterPlotColoredByIndex, Description: "A scatter plot of two series coloured by their index"},
	{Meta: meta2DScatterPlotColoredByOtherSeries, Run: scatterPlotColoredByOtherSeries, Description: "A scatter plot of two series coloured by a third"},
	{Meta: metaVerticalBarPlot, Run: verticalBarPlot, Description: "A bar per entry of a series, labelled by its index"},
	{Meta: metaPieChartPlot, Run: pieChartPlot, Description: "A pie chart of a value column grouped by a label column"},
	{Meta: metaTimeseriesIntervalBoxplots, Run: timeseriesIntervalBoxplots, Description: "Box plots of a time series per day, week, month or year"},
	{Meta: metaSimpleScatterMapPlot, Run: simpleScatterMapPlot, Description: "Places on an OpenStreetMap map, coloured by category"},
}

// pxContinuous is px's _is_continuous: an int, float or complex column (bools and
// everything else are discrete).
func pxContinuous(c data.Column) bool { return c.DType == data.Float64 || c.DType == data.Int64 }

// pxOrientation is px's default orientation of a trace with x and y: "h" when only x is
// continuous, else "v".
func pxOrientation(x, y data.Column) plotly.Opt[string] {
	if pxContinuous(x) && !pxContinuous(y) {
		return plotly.Str("h")
	}
	return plotly.Str("v")
}

// pxLabel is how px writes a column name or a group value into hover templates, legends
// and trace names: str().
func pxLabel(v any) string { return data.PyStr(v) }

// pxCartesian is the figure px starts from for cartesian traces: make_subplots' single
// cell (xaxis/yaxis with anchor and domain).
func pxCartesian() *plotly.Figure {
	fig, err := plotly.MakeSubplots(plotly.Subplots{})
	if err != nil {
		panic(err) // a 1×1 grid always fits
	}
	return fig
}

// pxAxisTitles is px's configuration of the axes: their titles are the columns' labels.
func pxAxisTitles(fig *plotly.Figure, x, y string) {
	fig.UpdateXAxes(func(a *plotly.Axis) { a.Title.Text.Set(plotly.Str(x)) })
	fig.UpdateYAxes(func(a *plotly.Axis) { a.Title.Text.Set(plotly.Str(y)) })
}

// pxTemplate sets the "plotly" template, which px adds after its layout patch.
func pxTemplate(fig *plotly.Figure) {
	fig.UpdateLayout(plotly.Layout{Template: plotly.Val(plotly.PlotlyTemplate)})
}

// pxColumnError is px's ValueError for an argument that names no column of the frame.
func pxColumnError(field string, f *data.DataFrame, arg string) error {
	return component.ValueError("Value of '%s' is not the name of a column in 'data_frame'. Expected one of %s but received: %s", field, data.PyRepr(append([]any(nil), f.Names...)), arg)
}

// pxColumn is the column arg of a frame for px field field (px's lookup and error).
func pxColumn(f *data.DataFrame, field, arg string) (data.Column, error) {
	c, ok := f.Col(arg)
	if !ok {
		return data.Column{}, pxColumnError(field, f, arg)
	}
	return c, nil
}

// discreteGroups is px's grouping by a discrete colour column: the distinct values in
// order of first appearance (pandas' unique(), missing values included) get the colours
// of the mapping, else the sequence in turn — counted over every entry the mapping holds,
// as px's val_map counts them — and every value but a missing one becomes a trace of its
// rows (groupby drops the rows with a missing key).
type discreteGroup struct {
	value any
	color any
	rows  []int
}

func discreteGroups(ctx context.Context, c data.Column, mapping *data.Dict, sequence []string) ([]discreteGroup, error) {
	values, rows, err := metricGroups(ctx, c)
	if err != nil {
		return nil, err
	}
	assigned := 0
	if mapping != nil {
		assigned = mapping.Len()
	}
	var out []discreteGroup
	for k, v := range values {
		var color any
		if mapping != nil && !data.IsNA(v) {
			if s, ok := v.(string); ok {
				if m, ok := mapping.Get(s); ok {
					color = m
				}
			}
		}
		if color == nil {
			color = sequence[assigned%len(sequence)]
			assigned++
		}
		if data.IsNA(v) {
			continue
		}
		out = append(out, discreteGroup{value: v, color: color, rows: rows[k]})
	}
	return out, nil
}

// secondsFromStart is (t − t.min()).dt.total_seconds() of a datetime column: pandas 2.1
// divides the nanoseconds by 10⁹; NaT gives NaN.
func secondsFromStart(ctx context.Context, c data.Column) (data.Column, error) {
	lo, _ := data.Extreme(ctx, c, false)
	min := lo.(data.Timestamp).NS
	out := make([]float64, len(c.I))
	for i, t := range c.I {
		if err := cancelled(ctx, i); err != nil {
			return data.Column{}, err
		}
		if t == data.NaT || min == data.NaT {
			out[i] = math.NaN()
			continue
		}
		out[i] = float64(t-min) / 1e9
	}
	return data.Floats(out), nil
}

// colorScatterPlot is hetida's color_scatter_plot: pd.DataFrame({"x": x, "y": y}) (the
// two series aligned on the union of their labels, sorted unless they are equal), a
// colour column — from the index when color is nil (datetimes as seconds since the
// earliest, numbers as they are; any other index fails with hetida's ValueError), else
// from color aligned to the frame (named after it, "color" when unnamed; a name "x" or
// "y" replaces that column as df[name] = … does; datetimes as seconds since the
// earliest, numbers as they are, strings and categories as groups, anything else the same
// ValueError) — and px.scatter(x="x", y="y", color=…) with the Plasma scale for
// continuous colours. Then x/y titles "x"/"y", autosize, height 400, line colour #1199bb
// for every trace, zero margins.
func colorScatterPlot(ctx context.Context, x, y, color *data.Series) (*plotly.Figure, error) {
	// the union and the alignments are single passes; the context is asked between them
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	idx, err := data.Union(x.Index, y.Index)
	if err != nil {
		return nil, err
	}
	xs, err := alignTo(x, idx)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ys, err := alignTo(y, idx)
	if err != nil {
		return nil, err
	}
	xc, yc := xs.Values, ys.Values
	var colName any
	var colorCol data.Column
	if color == nil {
		switch idx.DType {
		case data.Datetime:
			colName = "seconds_from_start"
			if colorCol, err = secondsFromStart(ctx, idx); err != nil {
				return nil, err
			}
		case data.Int64, data.Float64, data.Bool:
			colName, colorCol = "index", idx
		default:
			return nil, component.ValueError("Index is not of a dtype that allows coloring from it")
		}
	} else {
		colName = color.Name
		if colName == nil {
			colName = "color"
		}
		aligned, err := alignTo(color, idx)
		if err != nil {
			return nil, err
		}
		colorCol = aligned.Values
		switch {
		case color.Values.DType == data.Datetime:
			if colorCol, err = secondsFromStart(ctx, colorCol); err != nil {
				return nil, err
			}
		case color.Values.DType == data.Int64, color.Values.DType == data.Float64, color.Values.DType == data.Bool:
		case isStringColumn(color.Values):
		default:
			return nil, component.ValueError("Index is not of a dtype that allows coloring from it")
		}
		switch colName {
		case "x":
			xc = colorCol
		case "y":
			yc = colorCol
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	label := pxLabel(colName)
	fig := pxCartesian()
	var layout plotly.Layout
	if pxContinuous(colorCol) {
		fig.Add(&plotly.Scatter{
			HoverTemplate: plotly.Str("x=%{x}<br>y=%{y}<br>" + label + "=%{marker.color}<extra></extra>"),
			LegendGroup:   plotly.Str(""),
			Marker:        plotly.Marker{Color: plotly.Col(colorCol), ColorAxis: plotly.Str("coloraxis"), Symbol: plotly.Val("circle")},
			Mode:          plotly.Str("markers"), Name: plotly.Str(""), Orientation: pxOrientation(xc, yc), ShowLegend: plotly.Bool(false),
			X: plotly.Col(xc), XAxis: plotly.Str("x"), Y: plotly.Col(yc), YAxis: plotly.Str("y"),
		})
		layout = plotly.Layout{
			ColorAxis: plotly.ColorAxis{ColorBar: plotly.ColorBar{Title: plotly.Title{Text: plotly.Str(label)}}, ColorScale: plotly.Colorscale(plotly.Plasma...)},
			Legend:    plotly.Legend{TraceGroupGap: plotly.Int(0)},
			Margin:    plotly.Margin{T: plotly.Int(60)},
		}
	} else {
		groups, err := discreteGroups(ctx, colorCol, nil, plotly.PlotlyColorway)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			v := pxLabel(g.value)
			gx, gy := xc.Take(g.rows), yc.Take(g.rows)
			fig.Add(&plotly.Scatter{
				HoverTemplate: plotly.Str(label + "=" + v + "<br>x=%{x}<br>y=%{y}<extra></extra>"),
				LegendGroup:   plotly.Str(v),
				Marker:        plotly.Marker{Color: plotly.Val(g.color), Symbol: plotly.Val("circle")},
				Mode:          plotly.Str("markers"), Name: plotly.Str(v), Orientation: pxOrientation(xc, yc), ShowLegend: plotly.Bool(true),
				X: plotly.Col(gx), XAxis: plotly.Str("x"), Y: plotly.Col(gy), YAxis: plotly.Str("y"),
			})
		}
		layout = plotly.Layout{
			Legend: plotly.Legend{Title: plotly.Title{Text: plotly.Str(label)}, TraceGroupGap: plotly.Int(0)},
			Margin: plotly.Margin{T: plotly.Int(60)},
		}
	}
	pxAxisTitles(fig, "x", "y")
	fig.UpdateLayout(layout)
	pxTemplate(fig)
	fig.UpdateLayout(plotly.Layout{
		XAxis:    plotly.Axis{Title: plotly.Title{Text: plotly.Str("x")}},
		YAxis:    plotly.Axis{Title: plotly.Title{Text: plotly.Str("y")}},
		Autosize: plotly.Bool(true),
		Height:   plotly.Int(400),
	})
	plotly.PatchTraces(fig, plotly.Scatter{Line: plotly.Line{Color: plotly.Str("#1199bb")}})
	fig.ZeroMargins()
	return fig, nil
}

// alignTo is s.reindex(idx) as the DataFrame constructor and df[name] = s align a
// series: unchanged when its index is idx already.
func alignTo(s *data.Series, idx data.Column) (*data.Series, error) {
	if data.IndexEquals(s.Index, idx) {
		return s, nil
	}
	return s.Reindex(idx, nil)
}

// isStringColumn is pandas 2.1's is_string_dtype for a column: an object column whose
// every value is a string (an empty one counts). pandas 1.5 counted every object column.
func isStringColumn(c data.Column) bool {
	if c.DType != data.Object {
		return false
	}
	for _, v := range c.O {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	return true
}

// scatterPlotColoredByIndex: colorScatterPlot of x and y coloured by their index.
func scatterPlotColoredByIndex(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	x := r.Series("x")
	y := r.Series("y")
	if err := r.Err(); err != nil {
		return nil, err
	}
	fig, err := colorScatterPlot(ctx, x, y, nil)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"scatter_plot": fig}, nil
}

// scatterPlotColoredByOtherSeries: colorScatterPlot of x and y coloured by color.
func scatterPlotColoredByOtherSeries(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	x := r.Series("x")
	y := r.Series("y")
	color := r.Series("color")
	if err := r.Err(); err != nil {
		return nil, err
	}
	fig, err := colorScatterPlot(ctx, x, y, color)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"scatter_plot": fig}, nil
}

// verticalBarPlot: px.bar of the frame {"values": series, "x": series.index} — one bar
// per entry at its label, in series order — with px's single colour #636efa; autosize,
// height 200, zero margins.
func verticalBarPlot(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	if err := r.Err(); err != nil {
		return nil, err
	}
	fig := pxCartesian()
	fig.Add(&plotly.Bar{
		AlignmentGroup: plotly.Str("True"),
		HoverTemplate:  plotly.Str("x=%{x}<br>values=%{y}<extra></extra>"),
		LegendGroup:    plotly.Str(""),
		Marker:         plotly.Marker{Color: plotly.Val(plotly.PlotlyColorway[0]), Pattern: plotly.Pattern{Shape: plotly.Str("")}},
		Name:           plotly.Str(""),
		OffsetGroup:    plotly.Str(""),
		Orientation:    pxOrientation(s.Index, s.Values),
		ShowLegend:     plotly.Bool(false),
		TextPosition:   plotly.Str("auto"),
		X:              plotly.Col(s.Index), XAxis: plotly.Str("x"),
		Y: plotly.Col(s.Values), YAxis: plotly.Str("y"),
	})
	pxAxisTitles(fig, "x", "values")
	fig.UpdateLayout(plotly.Layout{Legend: plotly.Legend{TraceGroupGap: plotly.Int(0)}, Margin: plotly.Margin{T: plotly.Int(60)}, BarMode: plotly.Str("relative")})
	pxTemplate(fig)
	fig.UpdateLayout(plotly.Layout{Autosize: plotly.Bool(true), Height: plotly.Int(200)})
	fig.ZeroMargins()
	return component.Outputs{"plot": fig}, nil
}

// pieChartPlot: px.pie with values from value_column and slice labels from group_column
// (rows in frame order; plotly.js adds up the values of equal labels). px checks names
// before values; a column the frame lacks fails with px's ValueError. Height and width
// 300, zero margins.
func pieChartPlot(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("dataframe")
	valueCol := r.String("value_column")
	groupCol := r.String("group_column")
	if err := r.Err(); err != nil {
		return nil, err
	}
	labels, err := pxColumn(f, "names", groupCol)
	if err != nil {
		return nil, err
	}
	values, err := pxColumn(f, "values", valueCol)
	if err != nil {
		return nil, err
	}
	fig := plotly.NewFigure().Add(&plotly.Pie{
		Domain:        plotly.Domain{X: plotly.Val([]float64{0, 1}), Y: plotly.Val([]float64{0, 1})},
		HoverTemplate: plotly.Str(groupCol + "=%{label}<br>" + valueCol + "=%{value}<extra></extra>"),
		Labels:        plotly.Col(labels),
		LegendGroup:   plotly.Str(""),
		Name:          plotly.Str(""),
		ShowLegend:    plotly.Bool(true),
		Values:        plotly.Col(values),
	})
	fig.UpdateLayout(plotly.Layout{Legend: plotly.Legend{TraceGroupGap: plotly.Int(0)}, Margin: plotly.Margin{T: plotly.Int(60)}})
	pxTemplate(fig)
	fig.UpdateLayout(plotly.Layout{Height: plotly.Int(300), Width: plotly.Int(300)})
	fig.ZeroMargins()
	return component.Outputs{"plot": fig}, nil
}

// intervalKey is hetida's grouping key of a timestamp for the interval box plots, from
// the wall-clock date in the index's zone: "YYYY--MM--DD", "YYYY--WW" (ISO week number
// with the calendar year, as hetida combines Timestamp.year and .week), "YYYY--MM" or
// "YYYY". NaT has no date: its year is "nan", and the zero-padded formats fail with
// Python's ValueError.
func intervalKey(ns int64, z data.Zone, kind string) (string, error) {
	if ns == data.NaT {
		if kind == "year" {
			return "nan", nil
		}
		return "", component.ValueError("Unknown format code 'd' for object of type 'float'")
	}
	y, m, d, _, _, _, _ := data.Civil(z.ToLocal(ns))
	switch kind {
	case "day":
		return fmt.Sprintf("%d--%02d--%02d", y, m, d), nil
	case "week":
		_, w := time.Date(int(y), time.Month(m), int(d), 0, 0, 0, 0, time.UTC).ISOWeek()
		return fmt.Sprintf("%d--%02d", y, w), nil
	case "month":
		return fmt.Sprintf("%d--%02d", y, m), nil
	}
	return fmt.Sprintf("%d", y), nil
}

// timeseriesIntervalBoxplots: the series sorted by index, each timestamp keyed by
// intervalKey — interval "d"/"day" → column "year--month--day", "w"/"week" →
// "year--week", "m"/"month" → "year--month", "y"/"year" → "year" (case-insensitive; any
// other string fails with hetida's ValueError) — and px.box(x=key, y=values) with one
// box per key. The value column is the series name (0 when unnamed, as to_frame names
// it); an index of other labels fails like Python's attribute lookup. x title the key
// column, y title "Values", line colour #1199bb, autosize, height 200, zero margins.
func timeseriesIntervalBoxplots(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	interval := r.String("interval")
	if err := r.Err(); err != nil {
		return nil, err
	}
	sorted := s.SortIndex()
	var kind, colName string
	switch lowerASCII(interval) {
	case "day", "d":
		kind, colName = "day", "year--month--day"
	case "week", "w":
		kind, colName = "week", "year--week"
	case "month", "m":
		kind, colName = "month", "year--month"
	case "year", "y":
		kind, colName = "year", "year"
	default:
		return nil, component.ValueError("Unknown interval string: %s", interval)
	}
	keys := make([]any, sorted.Len())
	if len(keys) > 0 && sorted.Index.DType != data.Datetime {
		return nil, data.AttributeError(sorted.Index.At(0), "year")
	}
	for i := range keys {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		k, err := intervalKey(sorted.Index.I[i], sorted.Index.Zone, kind)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	var valueName any = int64(0)
	if s.Name != nil {
		valueName = s.Name
	}
	yLabel := pxLabel(valueName)
	xs, ys := data.Objects(keys), sorted.Values
	if yLabel == colName {
		ys = xs // df[key column] = … replaced the values column of that name
	}
	fig := pxCartesian()
	fig.Add(&plotly.Box{
		AlignmentGroup: plotly.Str("True"),
		HoverTemplate:  plotly.Str(colName + "=%{x}<br>" + yLabel + "=%{y}<extra></extra>"),
		LegendGroup:    plotly.Str(""),
		Marker:         plotly.Marker{Color: plotly.Val(plotly.PlotlyColorway[0])},
		Name:           plotly.Str(""),
		Notched:        plotly.Bool(false),
		OffsetGroup:    plotly.Str(""),
		Orientation:    pxOrientation(xs, ys),
		ShowLegend:     plotly.Bool(false),
		X:              plotly.Col(xs), X0: plotly.Val(" "), XAxis: plotly.Str("x"),
		Y: plotly.Col(ys), Y0: plotly.Val(" "), YAxis: plotly.Str("y"),
	})
	pxAxisTitles(fig, colName, yLabel)
	fig.UpdateLayout(plotly.Layout{Legend: plotly.Legend{TraceGroupGap: plotly.Int(0)}, Margin: plotly.Margin{T: plotly.Int(60)}, BoxMode: plotly.Str("group")})
	pxTemplate(fig)
	fig.UpdateLayout(plotly.Layout{
		XAxis:    plotly.Axis{Title: plotly.Title{Text: plotly.Str(colName)}},
		YAxis:    plotly.Axis{Title: plotly.Title{Text: plotly.Str("Values")}},
		Autosize: plotly.Bool(true),
		Height:   plotly.Int(200),
	})
	plotly.PatchTraces(fig, plotly.Box{Line: plotly.Line{Color: plotly.Str("#1199bb")}})
	fig.ZeroMargins()
	return component.Outputs{"plot": fig}, nil
}

// lowerASCII is str.lower() for the interval words (non-ASCII letters never match them).
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// simpleScatterMapPlot: px.scatter_mapbox of the frame with lat/lon columns, hover title
// from "name", hover data "description", a constant marker size 2 (px's sizeref
// 2/10² = 0.02), zoom 8, height 400, centred on the mean position; colour by
// cat_color_col: a numeric column continuously (Plasma colour axis), any other as one
// trace per category in order of appearance with the colours of color_map (a dict;
// categories it lacks take the template's colorway in turn). px looks the columns up in
// the order hover_name, lat, lon, hover_data, color and fails with its ValueError for a
// missing one. Then the open-street-map style and zero margins.
func simpleScatterMapPlot(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("data")
	colorMap := r.Any("color_map")
	catCol := r.String("cat_color_col")
	if err := r.Err(); err != nil {
		return nil, err
	}
	var mapping *data.Dict
	switch m := colorMap.(type) {
	case nil:
	case *data.Dict:
		mapping = m
	default:
		return nil, component.TypeError("color_map must be a dict, got %s", data.PyTypeName(colorMap))
	}
	names, err := pxColumn(f, "hover_name", "name")
	if err != nil {
		return nil, err
	}
	lat, err := pxColumn(f, "lat", "lat")
	if err != nil {
		return nil, err
	}
	lon, err := pxColumn(f, "lon", "lon")
	if err != nil {
		return nil, err
	}
	desc, err := pxColumn(f, "hover_data_0", "description")
	if err != nil {
		return nil, err
	}
	cat, err := pxColumn(f, "color", catCol)
	if err != nil {
		return nil, err
	}
	n := f.Len()
	trace := func(rows []int, name string, marker plotly.Marker, catPart string) *plotly.Scattermapbox {
		custom := make([]any, len(rows))
		sizes := make([]float64, len(rows))
		for k, i := range rows {
			custom[k] = []any{desc.At(i)}
			sizes[k] = 2
		}
		marker.Size = plotly.Val(sizes)
		marker.SizeMode, marker.SizeRef = plotly.Str("area"), plotly.Float(0.02)
		return &plotly.Scattermapbox{
			CustomData:    plotly.Val(custom),
			HoverTemplate: plotly.Str("<b>%{hovertext}</b><br><br>" + catPart + "<br>size=%{marker.size}<br>lat=%{lat}<br>lon=%{lon}<br>description=%{customdata[0]}<extra></extra>"),
			HoverText:     plotly.Col(names.Take(rows)),
			Lat:           plotly.Col(lat.Take(rows)),
			LegendGroup:   plotly.Str(name),
			Lon:           plotly.Col(lon.Take(rows)),
			Marker:        marker,
			Mode:          plotly.Str("markers"),
			Name:          plotly.Str(name),
			ShowLegend:    plotly.Bool(name != ""),
			Subplot:       plotly.Str("mapbox"),
		}
	}
	fig := plotly.NewFigure()
	latMean, lonMean := math.NaN(), math.NaN()
	if v, ok := lat.FloatValues(); ok {
		latMean = data.NanMean(v)
	}
	if v, ok := lon.FloatValues(); ok {
		lonMean = data.NanMean(v)
	}
	layout := plotly.Layout{
		Mapbox: plotly.Mapbox{
			Domain: plotly.Domain{X: plotly.Val([]float64{0, 1}), Y: plotly.Val([]float64{0, 1})},
			Center: plotly.Center{Lat: plotly.Float(latMean), Lon: plotly.Float(lonMean)},
			Zoom:   plotly.Int(8),
		},
	}
	label := pxLabel(catCol)
	if pxContinuous(cat) {
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		fig.Add(trace(all, "", plotly.Marker{Color: plotly.Col(cat), ColorAxis: plotly.Str("coloraxis")}, label+"=%{marker.color}"))
		layout.ColorAxis = plotly.ColorAxis{ColorBar: plotly.ColorBar{Title: plotly.Title{Text: plotly.Str(label)}}, ColorScale: plotly.Colorscale(plotly.Plasma...)}
		layout.Legend = plotly.Legend{TraceGroupGap: plotly.Int(0), ItemSizing: plotly.Str("constant")}
	} else {
		groups, err := discreteGroups(ctx, cat, mapping, plotly.PlotlyColorway)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			v := pxLabel(g.value)
			fig.Add(trace(g.rows, v, plotly.Marker{Color: plotly.Val(g.color)}, label+"="+v))
		}
		layout.Legend = plotly.Legend{Title: plotly.Title{Text: plotly.Str(label)}, TraceGroupGap: plotly.Int(0), ItemSizing: plotly.Str("constant")}
	}
	layout.Margin = plotly.Margin{T: plotly.Int(60)}
	layout.Height = plotly.Int(400)
	fig.UpdateLayout(layout)
	pxTemplate(fig)
	fig.UpdateLayout(plotly.Layout{Mapbox: plotly.Mapbox{Style: plotly.Str("open-street-map")}})
	fig.UpdateLayout(plotly.Layout{Margin: plotly.Margin{R: plotly.Int(0), T: plotly.Int(0), L: plotly.Int(0), B: plotly.Int(0)}})
	return component.Outputs{"map_plot": fig}, nil
}
