package plotly

// Trace is a plotly trace (go.Scatter, go.Bar, …). Build one as a struct literal and hand
// it to Figure.Add: properties set until then render in plotly's property order followed
// by "type", as plotly.py's trace constructor orders them; properties set afterwards
// (Opt.Set, Update, Figure.UpdateTraces) follow in the order they were set.
type Trace interface {
	// TraceType is the trace's "type" key.
	TraceType() string
	object
	bornAt() *uint64
}

// trace is embedded in every trace: the tick at which the figure took it (0 until then).
type trace struct{ born uint64 }

func (t *trace) bornAt() *uint64 { return &t.born }

// xyTrace is a trace on cartesian axes (placed by Figure.AddAt).
type xyTrace interface {
	Trace
	axisRefs() (x, y *Opt[string])
}

// Scatter is go.Scatter.
type Scatter struct {
	trace
	ConnectGaps   Opt[bool]
	CustomData    Opt[Data]
	Fill          Opt[string]
	FillColor     Opt[string]
	HoverInfo     Opt[string]
	HoverTemplate Opt[string]
	HoverText     Opt[Data]
	LegendGroup   Opt[string]
	Line          Line
	Marker        Marker
	Mode          Opt[string]
	Name          Opt[string]
	Opacity       Opt[Number]
	Orientation   Opt[string]
	ShowLegend    Opt[bool]
	Text          Opt[Data]
	TextPosition  Opt[string]
	Visible       Opt[bool]
	X             Opt[Data]
	XAxis         Opt[string]
	Y             Opt[Data]
	YAxis         Opt[string]
	Extra         Props
}

func (*Scatter) TraceType() string               { return "scatter" }
func (t *Scatter) axisRefs() (x, y *Opt[string]) { return &t.XAxis, &t.YAxis }
func (t *Scatter) fields(p *props) {
	p.bool("connectgaps", &t.ConnectGaps)
	p.data("customdata", &t.CustomData)
	p.str("fill", &t.Fill)
	p.str("fillcolor", &t.FillColor)
	p.str("hoverinfo", &t.HoverInfo)
	p.str("hovertemplate", &t.HoverTemplate)
	p.data("hovertext", &t.HoverText)
	p.str("legendgroup", &t.LegendGroup)
	p.obj("line", &t.Line)
	p.obj("marker", &t.Marker)
	p.str("mode", &t.Mode)
	p.str("name", &t.Name)
	p.num("opacity", &t.Opacity)
	p.str("orientation", &t.Orientation)
	p.bool("showlegend", &t.ShowLegend)
	p.data("text", &t.Text)
	p.str("textposition", &t.TextPosition)
	p.bool("visible", &t.Visible)
	p.data("x", &t.X)
	p.str("xaxis", &t.XAxis)
	p.data("y", &t.Y)
	p.str("yaxis", &t.YAxis)
	p.extra(&t.Extra)
}

// Bar is go.Bar.
type Bar struct {
	trace
	AlignmentGroup Opt[string]
	CustomData     Opt[Data]
	HoverInfo      Opt[string]
	HoverTemplate  Opt[string]
	HoverText      Opt[Data]
	LegendGroup    Opt[string]
	Marker         Marker
	Name           Opt[string]
	OffsetGroup    Opt[string]
	Opacity        Opt[Number]
	Orientation    Opt[string]
	ShowLegend     Opt[bool]
	Text           Opt[Data]
	TextPosition   Opt[string]
	TextTemplate   Opt[string]
	Width          Opt[Data]
	X              Opt[Data]
	XAxis          Opt[string]
	Y              Opt[Data]
	YAxis          Opt[string]
	Extra          Props
}

func (*Bar) TraceType() string               { return "bar" }
func (t *Bar) axisRefs() (x, y *Opt[string]) { return &t.XAxis, &t.YAxis }
func (t *Bar) fields(p *props) {
	p.str("alignmentgroup", &t.AlignmentGroup)
	p.data("customdata", &t.CustomData)
	p.str("hoverinfo", &t.HoverInfo)
	p.str("hovertemplate", &t.HoverTemplate)
	p.data("hovertext", &t.HoverText)
	p.str("legendgroup", &t.LegendGroup)
	p.obj("marker", &t.Marker)
	p.str("name", &t.Name)
	p.str("offsetgroup", &t.OffsetGroup)
	p.num("opacity", &t.Opacity)
	p.str("orientation", &t.Orientation)
	p.bool("showlegend", &t.ShowLegend)
	p.data("text", &t.Text)
	p.str("textposition", &t.TextPosition)
	p.str("texttemplate", &t.TextTemplate)
	p.data("width", &t.Width)
	p.data("x", &t.X)
	p.str("xaxis", &t.XAxis)
	p.data("y", &t.Y)
	p.str("yaxis", &t.YAxis)
	p.extra(&t.Extra)
}

// Box is go.Box. BoxMean and BoxPoints take a bool or a string (Val(true), Val("sd")).
type Box struct {
	trace
	AlignmentGroup Opt[string]
	BoxMean        Opt[Data]
	BoxPoints      Opt[Data]
	FillColor      Opt[string]
	HoverInfo      Opt[string]
	HoverTemplate  Opt[string]
	LegendGroup    Opt[string]
	Line           Line
	Marker         Marker
	Name           Opt[string]
	Notched        Opt[bool]
	OffsetGroup    Opt[string]
	Orientation    Opt[string]
	ShowLegend     Opt[bool]
	X              Opt[Data]
	X0             Opt[Data]
	XAxis          Opt[string]
	Y              Opt[Data]
	Y0             Opt[Data]
	YAxis          Opt[string]
	Extra          Props
}

func (*Box) TraceType() string               { return "box" }
func (t *Box) axisRefs() (x, y *Opt[string]) { return &t.XAxis, &t.YAxis }
func (t *Box) fields(p *props) {
	p.str("alignmentgroup", &t.AlignmentGroup)
	p.data("boxmean", &t.BoxMean)
	p.data("boxpoints", &t.BoxPoints)
	p.str("fillcolor", &t.FillColor)
	p.str("hoverinfo", &t.HoverInfo)
	p.str("hovertemplate", &t.HoverTemplate)
	p.str("legendgroup", &t.LegendGroup)
	p.obj("line", &t.Line)
	p.obj("marker", &t.Marker)
	p.str("name", &t.Name)
	p.bool("notched", &t.Notched)
	p.str("offsetgroup", &t.OffsetGroup)
	p.str("orientation", &t.Orientation)
	p.bool("showlegend", &t.ShowLegend)
	p.data("x", &t.X)
	p.data("x0", &t.X0)
	p.str("xaxis", &t.XAxis)
	p.data("y", &t.Y)
	p.data("y0", &t.Y0)
	p.str("yaxis", &t.YAxis)
	p.extra(&t.Extra)
}

// Heatmap is go.Heatmap; Z is a matrix (Val([][]float64), rows of y).
type Heatmap struct {
	trace
	ColorAxis     Opt[string]
	ColorBar      ColorBar
	ColorScale    Opt[Data]
	HoverInfo     Opt[string]
	HoverTemplate Opt[string]
	HoverText     Opt[Data]
	ReverseScale  Opt[bool]
	ShowScale     Opt[bool]
	Text          Opt[Data]
	TextTemplate  Opt[string]
	X             Opt[Data]
	XAxis         Opt[string]
	XGap          Opt[Number]
	Y             Opt[Data]
	YAxis         Opt[string]
	YGap          Opt[Number]
	Z             Opt[Data]
	ZMax          Opt[Number]
	ZMid          Opt[Number]
	ZMin          Opt[Number]
	Extra         Props
}

func (*Heatmap) TraceType() string               { return "heatmap" }
func (t *Heatmap) axisRefs() (x, y *Opt[string]) { return &t.XAxis, &t.YAxis }
func (t *Heatmap) fields(p *props) {
	p.str("coloraxis", &t.ColorAxis)
	p.obj("colorbar", &t.ColorBar)
	p.data("colorscale", &t.ColorScale)
	p.str("hoverinfo", &t.HoverInfo)
	p.str("hovertemplate", &t.HoverTemplate)
	p.data("hovertext", &t.HoverText)
	p.bool("reversescale", &t.ReverseScale)
	p.bool("showscale", &t.ShowScale)
	p.data("text", &t.Text)
	p.str("texttemplate", &t.TextTemplate)
	p.data("x", &t.X)
	p.str("xaxis", &t.XAxis)
	p.num("xgap", &t.XGap)
	p.data("y", &t.Y)
	p.str("yaxis", &t.YAxis)
	p.num("ygap", &t.YGap)
	p.data("z", &t.Z)
	p.num("zmax", &t.ZMax)
	p.num("zmid", &t.ZMid)
	p.num("zmin", &t.ZMin)
	p.extra(&t.Extra)
}

// Contour is go.Contour; Z is a matrix like a heatmap's.
type Contour struct {
	trace
	ColorAxis     Opt[string]
	ColorBar      ColorBar
	ColorScale    Opt[Data]
	Contours      Contours
	HoverInfo     Opt[string]
	HoverTemplate Opt[string]
	Line          Line
	NContours     Opt[Number]
	ReverseScale  Opt[bool]
	ShowScale     Opt[bool]
	Text          Opt[Data]
	X             Opt[Data]
	XAxis         Opt[string]
	Y             Opt[Data]
	YAxis         Opt[string]
	Z             Opt[Data]
	ZMax          Opt[Number]
	ZMin          Opt[Number]
	Extra         Props
}

func (*Contour) TraceType() string               { return "contour" }
func (t *Contour) axisRefs() (x, y *Opt[string]) { return &t.XAxis, &t.YAxis }
func (t *Contour) fields(p *props) {
	p.str("coloraxis", &t.ColorAxis)
	p.obj("colorbar", &t.ColorBar)
	p.data("colorscale", &t.ColorScale)
	p.obj("contours", &t.Contours)
	p.str("hoverinfo", &t.HoverInfo)
	p.str("hovertemplate", &t.HoverTemplate)
	p.obj("line", &t.Line)
	p.num("ncontours", &t.NContours)
	p.bool("reversescale", &t.ReverseScale)
	p.bool("showscale", &t.ShowScale)
	p.data("text", &t.Text)
	p.data("x", &t.X)
	p.str("xaxis", &t.XAxis)
	p.data("y", &t.Y)
	p.str("yaxis", &t.YAxis)
	p.data("z", &t.Z)
	p.num("zmax", &t.ZMax)
	p.num("zmin", &t.ZMin)
	p.extra(&t.Extra)
}

// Pie is go.Pie.
type Pie struct {
	trace
	CustomData    Opt[Data]
	Direction     Opt[string]
	Domain        Domain
	Hole          Opt[Number]
	HoverInfo     Opt[string]
	HoverTemplate Opt[string]
	Labels        Opt[Data]
	LegendGroup   Opt[string]
	Marker        Marker
	Name          Opt[string]
	ShowLegend    Opt[bool]
	Sort          Opt[bool]
	Text          Opt[Data]
	TextInfo      Opt[string]
	TextPosition  Opt[string]
	Values        Opt[Data]
	Extra         Props
}

func (*Pie) TraceType() string { return "pie" }
func (t *Pie) fields(p *props) {
	p.data("customdata", &t.CustomData)
	p.str("direction", &t.Direction)
	p.obj("domain", &t.Domain)
	p.num("hole", &t.Hole)
	p.str("hoverinfo", &t.HoverInfo)
	p.str("hovertemplate", &t.HoverTemplate)
	p.data("labels", &t.Labels)
	p.str("legendgroup", &t.LegendGroup)
	p.obj("marker", &t.Marker)
	p.str("name", &t.Name)
	p.bool("showlegend", &t.ShowLegend)
	p.bool("sort", &t.Sort)
	p.data("text", &t.Text)
	p.str("textinfo", &t.TextInfo)
	p.str("textposition", &t.TextPosition)
	p.data("values", &t.Values)
	p.extra(&t.Extra)
}

// Scattermapbox is go.Scattermapbox; Subplot names the layout's mapbox ("mapbox").
type Scattermapbox struct {
	trace
	CustomData    Opt[Data]
	HoverInfo     Opt[string]
	HoverTemplate Opt[string]
	HoverText     Opt[Data]
	Lat           Opt[Data]
	LegendGroup   Opt[string]
	Lon           Opt[Data]
	Marker        Marker
	Mode          Opt[string]
	Name          Opt[string]
	Opacity       Opt[Number]
	ShowLegend    Opt[bool]
	Subplot       Opt[string]
	Text          Opt[Data]
	Extra         Props
}

func (*Scattermapbox) TraceType() string { return "scattermapbox" }
func (t *Scattermapbox) fields(p *props) {
	p.data("customdata", &t.CustomData)
	p.str("hoverinfo", &t.HoverInfo)
	p.str("hovertemplate", &t.HoverTemplate)
	p.data("hovertext", &t.HoverText)
	p.data("lat", &t.Lat)
	p.str("legendgroup", &t.LegendGroup)
	p.data("lon", &t.Lon)
	p.obj("marker", &t.Marker)
	p.str("mode", &t.Mode)
	p.str("name", &t.Name)
	p.num("opacity", &t.Opacity)
	p.bool("showlegend", &t.ShowLegend)
	p.str("subplot", &t.Subplot)
	p.data("text", &t.Text)
	p.extra(&t.Extra)
}

// Table is go.Table.
type Table struct {
	trace
	Cells       Cells
	ColumnOrder Opt[Data]
	ColumnWidth Opt[Data]
	Domain      Domain
	Header      Cells
	Extra       Props
}

func (*Table) TraceType() string { return "table" }
func (t *Table) fields(p *props) {
	p.obj("cells", &t.Cells)
	p.data("columnorder", &t.ColumnOrder)
	p.data("columnwidth", &t.ColumnWidth)
	p.obj("domain", &t.Domain)
	p.obj("header", &t.Header)
	p.extra(&t.Extra)
}

// OtherTrace is any other trace type, with all its properties in Extra.
type OtherTrace struct {
	trace
	Type  string
	Extra Props
}

func (t *OtherTrace) TraceType() string { return t.Type }
func (t *OtherTrace) fields(p *props)   { p.extra(&t.Extra) }
