package plotly

import (
	"errors"
	"fmt"
	"strconv"
)

// Subplots configures MakeSubplots, after plotly.subplots.make_subplots with
// start_cell="top-left" and cartesian ("xy") subplots only: no shared axes, subplot
// titles or insets.
type Subplots struct {
	Rows, Cols int // 0 means 1
	// Specs is rows × cols (nil: all default).
	Specs [][]SubplotSpec
	// HorizontalSpacing defaults to 0.2/cols (0.4/cols with a secondary y axis),
	// VerticalSpacing to 0.3/rows; both are fractions of the figure.
	HorizontalSpacing, VerticalSpacing *float64
	// ColumnWidths and RowHeights are relative sizes (nil: equal).
	ColumnWidths, RowHeights []float64
}

// SubplotSpec is one cell's spec.
type SubplotSpec struct {
	Empty            bool // plotly's None: no subplot here
	SecondaryY       bool // a second y axis on the right, overlaying the first
	Colspan, Rowspan int  // 0 means 1
}

// cell is what make_subplots' grid_ref records for a subplot: its axes' numbers and the
// trace references.
type cell struct {
	x, y, y2 int // axis numbers; y2 = 0 without a secondary y axis
}

func axisLabel(p string, n int) string {
	if n <= 1 {
		return p
	}
	return p + strconv.Itoa(n)
}

// MakeSubplots returns a figure with a grid of subplots, laid out as
// plotly.subplots.make_subplots lays them out (the same domains, bit for bit): the
// layout holds xaxis/yaxis, xaxis2/yaxis2, … row by row from the top with domain and
// anchor, a secondary y axis with anchor, overlaying and side "right". Place traces
// with AddAt.
func MakeSubplots(o Subplots) (*Figure, error) {
	rows, cols := max(o.Rows, 1), max(o.Cols, 1)
	specs := o.Specs
	if specs == nil {
		specs = make([][]SubplotSpec, rows)
		for r := range specs {
			specs[r] = make([]SubplotSpec, cols)
		}
	}
	if len(specs) != rows {
		return nil, fmt.Errorf("plotly: subplot specs must have %d rows", rows)
	}
	secondary := false
	for _, row := range specs {
		if len(row) != cols {
			return nil, fmt.Errorf("plotly: subplot specs must have %d columns", cols)
		}
		for _, s := range row {
			secondary = secondary || (s.SecondaryY && !s.Empty)
		}
	}
	var h, v float64
	switch {
	case o.HorizontalSpacing != nil:
		h = *o.HorizontalSpacing
	case secondary:
		h = 0.4 / float64(cols)
	default:
		h = 0.2 / float64(cols)
	}
	if o.VerticalSpacing != nil {
		v = *o.VerticalSpacing
	} else {
		v = 0.3 / float64(rows)
	}
	if err := checkSpacing(cols, h, "Horizontal"); err != nil {
		return nil, err
	}
	if err := checkSpacing(rows, v, "Vertical"); err != nil {
		return nil, err
	}
	maxWidth := 1.0
	if secondary {
		maxWidth = 0.94 // room for the secondary axis' title
	}
	widths, err := sizes(maxWidth, h, cols, o.ColumnWidths, "column_widths")
	if err != nil {
		return nil, err
	}
	heights, err := sizes(1.0, v, rows, o.RowHeights, "row_heights")
	if err != nil {
		return nil, err
	}
	if o.RowHeights != nil {
		// with start_cell "top-left" the heights are given from the top
		for i, j := 0, len(heights)-1; i < j; i, j = i+1, j-1 {
			heights[i], heights[j] = heights[j], heights[i]
		}
	}
	// grid[r][c] = start of the cell; rows are counted from the top, so row r lies at
	// grid row rows-1-r from the bottom
	type start struct{ x, y float64 }
	grid := make([][]start, rows)
	for r := range grid {
		gr := rows - 1 - r
		grid[r] = make([]start, cols)
		for c := range grid[r] {
			grid[r][c] = start{pySum(widths[:c]) + float64(c)*h, pySum(heights[:gr]) + float64(gr)*v}
		}
	}
	var l Layout
	f := &Figure{grid: make([][]*cell, rows)}
	nx, ny := 0, 0
	for r, row := range specs {
		f.grid[r] = make([]*cell, cols)
		for c, s := range row {
			if s.Empty {
				continue
			}
			cs, rs := c+max(s.Colspan, 1)-1, r+max(s.Rowspan, 1)-1
			if cs >= cols {
				return nil, fmt.Errorf("plotly: some 'colspan' value is too large for this subplot grid")
			}
			if rs >= rows {
				return nil, fmt.Errorf("plotly: some 'rowspan' value is too large for this subplot grid")
			}
			// plotly adds the spec's l/r/b/t paddings (0.0), which leaves the values as they are
			x0, x1 := grid[r][c].x, grid[r][cs].x+widths[cs]
			y0, y1 := grid[rs][c].y, grid[r][c].y+heights[rows-1-r]
			x0, x1 = pyMax0(x0), pyMin1(x1)
			y0, y1 = pyMax0(y0), pyMin1(y1)
			cl := &cell{x: nx + 1, y: ny + 1}
			xa, ya := l.XAxisN(cl.x), l.YAxisN(cl.y)
			// layout[name] = {"domain": …, "anchor": …}: a constructor, so alphabetical
			xa.Anchor, xa.Domain = Str(axisLabel("y", cl.y)), Val([]any{x0, x1})
			ya.Anchor, ya.Domain = Str(axisLabel("x", cl.x)), Val([]any{y0, y1})
			ny++
			if s.SecondaryY {
				ny++
				cl.y2 = ny
				y2 := l.YAxisN(ny)
				y2.Anchor, y2.Overlaying, y2.Side = Str(axisLabel("x", cl.x)), Str(axisLabel("y", cl.y)), Str("right")
			}
			nx++
			f.grid[r][c] = cl
		}
	}
	f.SetLayout(l)
	return f, nil
}

// checkSpacing is make_subplots' _check_hv_spacing.
func checkSpacing(n int, s float64, name string) error {
	if s < 0 || s > 1 {
		return fmt.Errorf("plotly: %s spacing must be between 0 and 1.", name)
	}
	if n > 1 && s > 1/float64(n-1) {
		return fmt.Errorf("plotly: %s spacing cannot be greater than (1 / (%d - 1)) = %f.", name, n, 1/float64(n-1))
	}
	return nil
}

// sizes splits total minus the spacings into n parts, equal or in proportion to rel.
func sizes(total, spacing float64, n int, rel []float64, name string) ([]float64, error) {
	avail := total - spacing*float64(n-1)
	out := make([]float64, n)
	if rel == nil {
		for i := range out {
			out[i] = avail / float64(n)
		}
		return out, nil
	}
	if len(rel) != n {
		return nil, fmt.Errorf("plotly: %s must have %d entries", name, n)
	}
	sum := pySum(rel)
	for i, w := range rel {
		out[i] = avail * (w / sum)
	}
	return out, nil
}

// pySum adds like Python's sum(): left to right from 0.
func pySum(f []float64) float64 {
	s := 0.0
	for _, x := range f {
		s += x
	}
	return s
}

// pyMax0 and pyMin1 are max(0.0, x) and min(1.0, x): Python keeps the first argument on
// ties (and for NaN).
func pyMax0(x float64) float64 {
	if x > 0 {
		return x
	}
	return 0
}

func pyMin1(x float64) float64 {
	if x < 1 {
		return x
	}
	return 1
}

// AddAt adds t to the subplot at row, col (1-based), on its secondary y axis if asked, as
// fig.add_trace(t, row=, col=, secondary_y=) does: Add, then the trace's xaxis/yaxis.
func (f *Figure) AddAt(t Trace, row, col int, secondaryY bool) error {
	c, err := f.cell(row, col)
	if err != nil {
		return err
	}
	xy, ok := t.(xyTrace)
	if t == nil {
		return errors.New("plotly: nil trace")
	}
	if !ok {
		return fmt.Errorf("plotly: trace type '%s' is not compatible with subplot type 'xy' at grid position (%d, %d)", t.TraceType(), row, col)
	}
	y := c.y
	if secondaryY {
		if c.y2 == 0 {
			return fmt.Errorf("plotly: subplot at grid position (%d, %d) was not created with the secondary_y spec property set to True", row, col)
		}
		y = c.y2
	}
	f.Add(t)
	xr, yr := xy.axisRefs()
	xr.Set(Str(axisLabel("x", c.x)))
	yr.Set(Str(axisLabel("y", y)))
	return nil
}

// SubplotAxes returns the x and y axis of the subplot at row, col (the secondary y axis
// if asked), as update_xaxes/update_yaxes(row=, col=, secondary_y=) select them.
func (f *Figure) SubplotAxes(row, col int, secondaryY bool) (x, y *Axis, err error) {
	c, err := f.cell(row, col)
	if err != nil {
		return nil, nil, err
	}
	n := c.y
	if secondaryY {
		if c.y2 == 0 {
			return nil, nil, fmt.Errorf("plotly: subplot at grid position (%d, %d) has no secondary y axis", row, col)
		}
		n = c.y2
	}
	return f.Layout.XAxisN(c.x), f.Layout.YAxisN(n), nil
}

func (f *Figure) cell(row, col int) (*cell, error) {
	if f.grid == nil {
		return nil, fmt.Errorf("plotly: the figure was not created with MakeSubplots")
	}
	if row < 1 || col < 1 || row > len(f.grid) || col > len(f.grid[row-1]) {
		return nil, fmt.Errorf("plotly: the (row, col) pair (%d, %d) is out of range", row, col)
	}
	c := f.grid[row-1][col-1]
	if c == nil {
		return nil, fmt.Errorf("plotly: no subplot specified at grid position (%d, %d)", row, col)
	}
	return c, nil
}
