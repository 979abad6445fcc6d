package library

import (
	"context"
	"math"
	"unicode/utf8"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/plotly"
	"github.com/trafofn/trafofn/runtime/wire"
)

// The Visualization components on grids, matrices and tables.
var visualizationTables = []component.Spec{
	{Meta: meta2DGridGenerator, Run: gridGenerator2D, Description: "The points of a regular n×n grid over a rectangle, flattened, and its axis coordinates"},
	{Meta: metaContourPlot, Run: contourPlot, Description: "A contour plot of z values over an x/y grid"},
	{Meta: metaCorrelationMatrixHeatmapPlot, Run: correlationMatrixHeatmapPlot, Description: "The Pearson correlation matrix of a frame's columns as a heatmap"},
	{Meta: metaDisplayTableV100, Run: displayTableV100, Description: "A frame's columns as a table (deprecated revision)"},
	{Meta: metaDisplayTableV101, Run: displayTableV101, Description: "A frame's columns as a table with column widths fitted to their contents"},
}

// linspace is np.linspace(start, stop, n) with endpoint=True: start + i·step with step =
// (stop − start)/(n − 1) (when the step is 0, i/(n−1)·delta, as numpy handles denormal
// steps), the last value set to stop exactly; n = 1 gives [start]. A negative n fails with
// numpy's ValueError.
func linspace(start, stop float64, n int64) ([]float64, error) {
	if n < 0 {
		return nil, component.ValueError("Number of samples, %d, must be non-negative.", n)
	}
	if n > maxFigurePoints {
		return nil, memoryError(n)
	}
	out := make([]float64, n)
	div := float64(n - 1)
	delta := stop - start
	step := delta / div
	for i := range out {
		// one rounding per numpy operation: the conversions keep Go from fusing them
		var y float64
		switch {
		case n == 1:
			y = float64(float64(i) * delta)
		case step == 0:
			y = float64(float64(float64(i)/div) * delta)
		default:
			y = float64(float64(i) * step)
		}
		out[i] = y + start
	}
	if n > 1 {
		out[n-1] = stop
	}
	return out, nil
}

// gridGenerator2D: xs = linspace(x_min, x_max, n), ys = linspace(y_min, y_max, n);
// x_values and y_values are np.meshgrid(xs, ys) raveled row by row (x varies fastest), as
// Series named "x" and "y" on a RangeIndex; x_indices and y_indices are xs and ys. numpy
// would fail with MemoryError for grids beyond the machine's memory; here beyond 2²⁷
// points.
func gridGenerator2D(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	xMin, xMax := r.Float("x_min"), r.Float("x_max")
	yMin, yMax := r.Float("y_min"), r.Float("y_max")
	n := r.Int("n")
	if err := r.Err(); err != nil {
		return nil, err
	}
	xs, err := linspace(xMin, xMax, n)
	if err != nil {
		return nil, err
	}
	ys, err := linspace(yMin, yMax, n)
	if err != nil {
		return nil, err
	}
	if n > 0 && n*n > maxFigurePoints {
		return nil, memoryError(n, n)
	}
	xx, yy := make([]float64, n*n), make([]float64, n*n)
	for j := range ys {
		if err := cancelled(ctx, j); err != nil {
			return nil, err
		}
		row := int64(j) * n
		copy(xx[row:row+n], xs)
		for i := range xs {
			yy[row+int64(i)] = ys[j]
		}
	}
	return component.Outputs{
		"x_values":  data.FloatSeries("x", data.Range(len(xx)), xx),
		"y_values":  data.FloatSeries("y", data.Range(len(yy)), yy),
		"x_indices": data.FloatSeries("x", data.Range(len(xs)), xs),
		"y_indices": data.FloatSeries("y", data.Range(len(ys)), ys),
	}, nil
}

// figureLayout440 is go.Layout(width=440, height=400, xaxis_showgrid=False,
// yaxis_showgrid=False) followed by ZeroMargins, the layout of the contour and heatmap
// plots; reversedY adds yaxis_autorange="reversed".
func figureLayout440(fig *plotly.Figure, reversedY bool) {
	l := plotly.Layout{
		Width: plotly.Int(440), Height: plotly.Int(400),
		XAxis: plotly.Axis{ShowGrid: plotly.Bool(false)},
		YAxis: plotly.Axis{ShowGrid: plotly.Bool(false)},
	}
	if reversedY {
		l.YAxis.AutoRange = plotly.Val("reversed")
	}
	fig.SetLayout(l)
	fig.ZeroMargins()
}

// contourPlot: a go.Contour with x and y as the axis coordinates and z's values reshaped
// row by row into rows of len(x) (numpy's reshape(-1, len(x)): ValueError "cannot reshape
// array of size <n> into shape (<len(x)>)" unless len(x) divides it; len(x) = 0 fails too,
// unless z is empty as well). plotly's default colour scale; width 440, height 400, no
// grid.
func contourPlot(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	x := r.Series("x")
	y := r.Series("y")
	z := r.Series("z")
	if err := r.Err(); err != nil {
		return nil, err
	}
	nx, nz := x.Len(), z.Len()
	if nx == 0 && nz == 0 {
		return nil, component.ValueError("cannot reshape array of size 0 into shape (0)")
	}
	if nx == 0 || nz%nx != 0 {
		return nil, component.ValueError("cannot reshape array of size %d into shape (%d)", nz, nx)
	}
	rows := make([]any, nz/nx)
	for i := range rows {
		rows[i] = z.Values.Slice(i*nx, (i+1)*nx)
	}
	fig := plotly.NewFigure().Add(&plotly.Contour{X: plotly.Col(x.Values), Y: plotly.Col(y.Values), Z: plotly.Val(rows)})
	figureLayout440(fig, false)
	return component.Outputs{"contour_plot": fig}, nil
}

// sns diverging colour scale (seaborn's diverging_palette(220, 10)) hetida embeds.
var snsColorscale = [][]any{
	{0.0, "#3f7f93"}, {0.071, "#5890a1"}, {0.143, "#72a1b0"}, {0.214, "#8cb3bf"},
	{0.286, "#a7c5cf"}, {0.357, "#c0d6dd"}, {0.429, "#dae8ec"}, {0.5, "#f2f2f2"},
	{0.571, "#f7d7d9"}, {0.643, "#f2bcc0"}, {0.714, "#eda3a9"}, {0.786, "#e8888f"},
	{0.857, "#e36e76"}, {0.929, "#de535e"}, {1.0, "#d93a46"},
}

// floatColumn is a frame column as df.to_numpy(dtype=float) converts it: numbers and
// booleans, missing values as NaN; strings fail with Python's float() error, other values
// with its TypeError.
func floatColumn(c data.Column) ([]float64, error) {
	if f, ok := c.FloatValues(); ok {
		return f, nil
	}
	out := make([]float64, c.Len())
	for i := range out {
		v := c.At(i)
		if data.IsNA(v) {
			out[i] = math.NaN()
			continue
		}
		f, ok := data.ToFloat(v)
		if !ok {
			if s, isStr := v.(string); isStr {
				if g, good := wire.PydanticFloat(s); good {
					out[i] = g
					continue
				}
				return nil, component.ValueError("could not convert string to float: %s", data.PyRepr(s))
			}
			return nil, component.TypeError("float() argument must be a string or a real number, not '%s'", data.PyTypeName(v))
		}
		out[i] = f
	}
	return out, nil
}

// correlationMatrixHeatmapPlot: DataFrame.corr() (Pearson, pairwise-complete, see
// data.NanCorr) as a go.Heatmap: z the matrix, x and y the column names, gaps of 1, the
// sns colour scale, colour bar thickness 20 and tick length 3, hover text the values'
// str() ("nan" for NaN); y axis reversed, width 440, height 400, no grid. Columns are
// converted as pandas 2.1's corr() converts them (numeric_only=False: bools count as 0/1,
// a string column fails with ValueError); pandas 1.5, which recorded the reference cases,
// silently dropped non-numeric columns instead.
func correlationMatrixHeatmapPlot(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("dataframe")
	if err := r.Err(); err != nil {
		return nil, err
	}
	cols := make([][]float64, len(f.Columns))
	for i, c := range f.Columns {
		var err error
		if cols[i], err = floatColumn(c); err != nil {
			return nil, err
		}
	}
	if k := int64(len(cols)); k*k*int64(f.Len()+1) > 64*maxFigurePoints {
		return nil, memoryError(k, k)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	corr := data.NanCorr(cols, 1)
	hover := make([][]string, len(corr))
	for i, row := range corr {
		hover[i] = make([]string, len(row))
		for j, v := range row {
			hover[i][j] = data.PyStr(v)
		}
	}
	names := data.Objects(append([]any(nil), f.Names...))
	fig := plotly.NewFigure().Add(&plotly.Heatmap{
		Z: plotly.Val(corr), X: plotly.Col(names), Y: plotly.Col(names),
		XGap: plotly.Int(1), YGap: plotly.Int(1),
		ColorScale: plotly.Val(snsColorscale),
		ColorBar:   plotly.ColorBar{Thickness: plotly.Int(20), TickLen: plotly.Int(3)},
		HoverText:  plotly.Val(hover), HoverInfo: plotly.Str("text"),
	})
	figureLayout440(fig, true)
	return component.Outputs{"plot": fig}, nil
}

// displayTable is hetida's go.Table of a frame: the column names as header
// (paleturquoise) and the columns as cells (lavender), left aligned, the index not shown;
// widths, when given, as columnwidth. Then margin l=0, r=15, b=15, t=5, the x/y titles
// "Time"/"Values" (shown by no table), autosize, height 400 and automargins.
func displayTable(f *data.DataFrame, widths []int64) *plotly.Figure {
	header := make([]any, len(f.Names))
	copy(header, f.Names)
	tr := &plotly.Table{
		Header: plotly.Cells{Values: plotly.Val(header), Fill: plotly.Fill{Color: plotly.Val("paleturquoise")}, Align: plotly.Val("left")},
		Cells:  plotly.Cells{Values: plotly.Val(f.Columns), Fill: plotly.Fill{Color: plotly.Val("lavender")}, Align: plotly.Val("left")},
	}
	if widths != nil {
		tr.ColumnWidth = plotly.Val(widths)
	}
	fig := plotly.NewFigure().Add(tr)
	fig.UpdateLayout(plotly.Layout{Margin: plotly.Margin{L: plotly.Int(0), R: plotly.Float(15), B: plotly.Float(15), T: plotly.Int(5), Pad: plotly.Int(0)}})
	fig.UpdateLayout(plotly.Layout{
		XAxis:    plotly.Axis{Title: plotly.Title{Text: plotly.Str("Time")}},
		YAxis:    plotly.Axis{Title: plotly.Title{Text: plotly.Str("Values")}},
		Autosize: plotly.Bool(true),
		Height:   plotly.Int(400),
	})
	fig.UpdateYAxes(func(a *plotly.Axis) { a.AutoMargin.Set(plotly.Bool(true)) })
	fig.UpdateXAxes(func(a *plotly.Axis) { a.AutoMargin.Set(plotly.Bool(true)) })
	return fig
}

// displayTableV100 is revision 1.0.0, DISABLED (deprecated) since 1.0.1 exists: the table
// without column widths. hetida keeps disabled revisions executable by id (no state check
// at execution; only execute-latest skips them), and so does trafofn.
func displayTableV100(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	return component.Outputs{"table": displayTable(f, nil)}, nil
}

// displayTableV101 is 1.0.1: with auto_col_width (default true) every column gets a width
// by dtype — float and int 16, bool 6, strings the longest value's length in characters
// clamped to [12, 200], datetimes and other objects 32, anything else (timedeltas) 50 —
// but at least the length of its name (5 for an unnamed column; a name that is no
// string fails with Python's TypeError for len()). Which columns hold strings follows
// pandas 2.1's is_string_dtype: an object column whose every value is a string (an empty
// one counts, and then fails like hetida's max() of nothing); pandas 1.5 counted every
// object column.
func displayTableV101(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("data")
	auto := r.Bool("auto_col_width")
	if err := r.Err(); err != nil {
		return nil, err
	}
	var widths []int64
	if auto {
		widths = make([]int64, len(f.Columns))
		for i, c := range f.Columns {
			w, err := autoColumnWidth(f.Names[i], c)
			if err != nil {
				return nil, err
			}
			widths[i] = w
		}
	}
	return component.Outputs{"table": displayTable(f, widths)}, nil
}

// autoColumnWidth is hetida's auto_col_with for one column.
func autoColumnWidth(name any, c data.Column) (int64, error) {
	var w int64
	switch c.DType {
	case data.Float64, data.Int64:
		w = 16
	case data.Bool:
		w = 6
	case data.Datetime:
		w = 32
	case data.Object:
		w = 32
		longest, allStrings := -1, true
		for _, v := range c.O {
			s, ok := v.(string)
			if !ok {
				allStrings = false
				break
			}
			longest = max(longest, utf8.RuneCountInString(s))
		}
		if allStrings {
			if longest < 0 {
				return 0, component.ValueError("max() arg is an empty sequence")
			}
			w = int64(max(min(longest, 200), 12))
		}
	default:
		w = 50
	}
	switch n := name.(type) {
	case nil:
		return max(w, 5), nil
	case string:
		return max(w, int64(utf8.RuneCountInString(n))), nil
	}
	return 0, component.TypeError("object of type '%s' has no len()", data.PyTypeName(name))
}
