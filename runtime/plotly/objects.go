package plotly

// Compound properties shared by traces and the layout. plotly.py validates which keys a
// particular trace type accepts (scatter.line has no "smoothing" in a box); these structs
// are shared where the keys used by hetida's components coincide and do not validate.

// Font is a font (tickfont, title font, label font).
type Font struct {
	Color  Opt[string]
	Family Opt[string]
	Size   Opt[Number]
	Extra  Props
}

func (o *Font) fields(p *props) {
	p.str("color", &o.Color)
	p.str("family", &o.Family)
	p.num("size", &o.Size)
	p.extra(&o.Extra)
}

// Title is a title object (layout.title, axis titles, colorbar and legend titles).
// plotly.py turns a plain string given as title into {"text": …}.
type Title struct {
	Font     Font
	Side     Opt[string]
	Standoff Opt[Number]
	Text     Opt[string]
	X        Opt[Number]
	XAnchor  Opt[string]
	Y        Opt[Number]
	YAnchor  Opt[string]
	Extra    Props
}

func (o *Title) fields(p *props) {
	p.obj("font", &o.Font)
	p.str("side", &o.Side)
	p.num("standoff", &o.Standoff)
	p.str("text", &o.Text)
	p.num("x", &o.X)
	p.str("xanchor", &o.XAnchor)
	p.num("y", &o.Y)
	p.str("yanchor", &o.YAnchor)
	p.extra(&o.Extra)
}

// Line is a trace's or a shape's line.
type Line struct {
	Color Opt[string]
	Dash  Opt[string]
	Shape Opt[string]
	Width Opt[Number]
	Extra Props
}

func (o *Line) fields(p *props) {
	p.str("color", &o.Color)
	p.str("dash", &o.Dash)
	p.str("shape", &o.Shape)
	p.num("width", &o.Width)
	p.extra(&o.Extra)
}

// ColorBar is a colour scale's bar (marker.colorbar, heatmap/contour colorbar, coloraxis).
type ColorBar struct {
	Len        Opt[Number]
	Thickness  Opt[Number]
	TickFormat Opt[string]
	TickLen    Opt[Number]
	Title      Title
	X          Opt[Number]
	Y          Opt[Number]
	Extra      Props
}

func (o *ColorBar) fields(p *props) {
	p.num("len", &o.Len)
	p.num("thickness", &o.Thickness)
	p.str("tickformat", &o.TickFormat)
	p.num("ticklen", &o.TickLen)
	p.obj("title", &o.Title)
	p.num("x", &o.X)
	p.num("y", &o.Y)
	p.extra(&o.Extra)
}

// MarkerLine is the outline of markers (marker.line); Color may be an array.
type MarkerLine struct {
	Color Opt[Data]
	Width Opt[Number]
	Extra Props
}

func (o *MarkerLine) fields(p *props) {
	p.data("color", &o.Color)
	p.num("width", &o.Width)
	p.extra(&o.Extra)
}

// Pattern is a bar's fill pattern (plotly.express sets marker.pattern.shape "").
type Pattern struct {
	Shape Opt[string]
	Extra Props
}

func (o *Pattern) fields(p *props) {
	p.str("shape", &o.Shape)
	p.extra(&o.Extra)
}

// Marker is a trace's marker. Color, Size, Symbol and Opacity take a scalar or an array
// (Val("red"), Col(values), Val(8) for symbol number 8); Colors is the pie's list.
type Marker struct {
	Color      Opt[Data]
	ColorAxis  Opt[string]
	ColorBar   ColorBar
	Colors     Opt[Data]
	ColorScale Opt[Data]
	Line       MarkerLine
	Opacity    Opt[Data]
	Pattern    Pattern
	ShowScale  Opt[bool]
	Size       Opt[Data]
	SizeMode   Opt[string]
	SizeRef    Opt[Number]
	Symbol     Opt[Data]
	Extra      Props
}

func (o *Marker) fields(p *props) {
	p.data("color", &o.Color)
	p.str("coloraxis", &o.ColorAxis)
	p.obj("colorbar", &o.ColorBar)
	p.data("colors", &o.Colors)
	p.data("colorscale", &o.ColorScale)
	p.obj("line", &o.Line)
	p.data("opacity", &o.Opacity)
	p.obj("pattern", &o.Pattern)
	p.bool("showscale", &o.ShowScale)
	p.data("size", &o.Size)
	p.str("sizemode", &o.SizeMode)
	p.num("sizeref", &o.SizeRef)
	p.data("symbol", &o.Symbol)
	p.extra(&o.Extra)
}

// Domain is a pie's or map's area within the figure (x and y as [start, end]).
type Domain struct {
	Column Opt[Number]
	Row    Opt[Number]
	X      Opt[Data]
	Y      Opt[Data]
	Extra  Props
}

func (o *Domain) fields(p *props) {
	p.num("column", &o.Column)
	p.num("row", &o.Row)
	p.data("x", &o.X)
	p.data("y", &o.Y)
	p.extra(&o.Extra)
}

// Fill is a table's cell fill.
type Fill struct {
	Color Opt[Data]
	Extra Props
}

func (o *Fill) fields(p *props) {
	p.data("color", &o.Color)
	p.extra(&o.Extra)
}

// Cells is a table's header or cells: Values is one list per column (Val([]data.Column)
// for a frame's columns, Val([]string) for a header of names).
type Cells struct {
	Align  Opt[Data]
	Fill   Fill
	Font   Font
	Format Opt[Data]
	Height Opt[Number]
	Values Opt[Data]
	Extra  Props
}

func (o *Cells) fields(p *props) {
	p.data("align", &o.Align)
	p.obj("fill", &o.Fill)
	p.obj("font", &o.Font)
	p.data("format", &o.Format)
	p.num("height", &o.Height)
	p.data("values", &o.Values)
	p.extra(&o.Extra)
}

// Contours configures a contour trace's levels.
type Contours struct {
	Coloring   Opt[string]
	End        Opt[Number]
	ShowLabels Opt[bool]
	Size       Opt[Number]
	Start      Opt[Number]
	Extra      Props
}

func (o *Contours) fields(p *props) {
	p.str("coloring", &o.Coloring)
	p.num("end", &o.End)
	p.bool("showlabels", &o.ShowLabels)
	p.num("size", &o.Size)
	p.num("start", &o.Start)
	p.extra(&o.Extra)
}
