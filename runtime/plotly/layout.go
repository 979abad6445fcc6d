package plotly

import (
	"sort"
	"strconv"
)

// Layout is go.Layout. XAxis and YAxis are the first axes ("xaxis", "yaxis"); further
// ones ("xaxis2", …) come from XAxisN/YAxisN.
type Layout struct {
	Annotations  []Annotation
	Autosize     Opt[bool]
	BarMode      Opt[string]
	BoxMode      Opt[string]
	ColorAxis    ColorAxis
	Font         Font
	Height       Opt[Number]
	HoverMode    Opt[string]
	Legend       Legend
	Mapbox       Mapbox
	Margin       Margin
	PaperBGColor Opt[string]
	PlotBGColor  Opt[string]
	Shapes       []Shape
	ShowLegend   Opt[bool]
	Sliders      []Slider
	// Template is layout.template, e.g. Val(PlotlyTemplate) for plotly.express figures.
	Template Opt[Data]
	Title    Title
	Width    Opt[Number]
	XAxis    Axis
	YAxis    Axis
	Extra    Props

	axes                                  []*numberedAxis
	annotationsSeq, shapesSeq, slidersSeq uint64 // when the lists' keys were set
}

// numberedAxis is xaxis2, yaxis3, …
type numberedAxis struct {
	key  string
	x    bool
	n    int
	axis Axis
}

// XAxisN returns x axis n ("xaxis" for n ≤ 1, else "xaxisN"), creating it unset.
func (l *Layout) XAxisN(n int) *Axis { return l.axisN(true, n) }

// YAxisN returns y axis n ("yaxis" for n ≤ 1, else "yaxisN"), creating it unset.
func (l *Layout) YAxisN(n int) *Axis { return l.axisN(false, n) }

func (l *Layout) axisN(x bool, n int) *Axis {
	if n <= 1 {
		if x {
			return &l.XAxis
		}
		return &l.YAxis
	}
	for _, a := range l.axes {
		if a.x == x && a.n == n {
			return &a.axis
		}
	}
	key := "yaxis"
	if x {
		key = "xaxis"
	}
	a := &numberedAxis{key: key + strconv.Itoa(n), x: x, n: n}
	l.axes = append(l.axes, a)
	return &a.axis
}

// eachAxis calls fn on the first axis and the numbered ones of one direction in
// plotly's natural order (xaxis, xaxis2, xaxis10), as update_xaxes visits them; the
// first axis is always included (plotly creates it).
func (l *Layout) eachAxis(x bool, fn func(*Axis)) {
	fn(l.axisN(x, 1))
	var ns []*numberedAxis
	for _, a := range l.axes {
		if a.x == x {
			ns = append(ns, a)
		}
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i].n < ns[j].n })
	for _, a := range ns {
		fn(&a.axis)
	}
}

func (l *Layout) fields(p *props) {
	p.list("annotations", objList[Annotation, *Annotation]{&l.Annotations, &l.annotationsSeq})
	p.bool("autosize", &l.Autosize)
	p.str("barmode", &l.BarMode)
	p.str("boxmode", &l.BoxMode)
	p.obj("coloraxis", &l.ColorAxis)
	p.obj("font", &l.Font)
	p.num("height", &l.Height)
	p.str("hovermode", &l.HoverMode)
	p.obj("legend", &l.Legend)
	p.obj("mapbox", &l.Mapbox)
	p.obj("margin", &l.Margin)
	p.str("paper_bgcolor", &l.PaperBGColor)
	p.str("plot_bgcolor", &l.PlotBGColor)
	p.list("shapes", objList[Shape, *Shape]{&l.Shapes, &l.shapesSeq})
	p.bool("showlegend", &l.ShowLegend)
	p.list("sliders", objList[Slider, *Slider]{&l.Sliders, &l.slidersSeq})
	p.data("template", &l.Template)
	p.obj("title", &l.Title)
	p.num("width", &l.Width)
	p.obj("xaxis", &l.XAxis)
	p.obj("yaxis", &l.YAxis)
	for _, a := range l.axes {
		p.subplot(a.key, &a.axis)
	}
	p.extra(&l.Extra)
}

// Axis is a cartesian axis (layout.xaxis, layout.yaxis2, …). Domain, Range and AutoRange
// take lists or mixed values (Val([]any{0, 0.5}), Val("reversed")).
type Axis struct {
	Anchor         Opt[string]
	AutoMargin     Opt[bool]
	AutoRange      Opt[Data]
	Domain         Opt[Data]
	DTick          Opt[Data]
	GridColor      Opt[string]
	LineColor      Opt[string]
	Matches        Opt[string]
	NTicks         Opt[Number]
	Overlaying     Opt[string]
	Position       Opt[Number]
	Range          Opt[Data]
	RangeMode      Opt[string]
	ShowGrid       Opt[bool]
	ShowLine       Opt[bool]
	ShowTickLabels Opt[bool]
	Side           Opt[string]
	TickAngle      Opt[Number]
	TickFont       Font
	TickFormat     Opt[string]
	Title          Title
	Type           Opt[string]
	Visible        Opt[bool]
	ZeroLine       Opt[bool]
	Extra          Props
}

func (o *Axis) fields(p *props) {
	p.str("anchor", &o.Anchor)
	p.bool("automargin", &o.AutoMargin)
	p.data("autorange", &o.AutoRange)
	p.data("domain", &o.Domain)
	p.data("dtick", &o.DTick)
	p.str("gridcolor", &o.GridColor)
	p.str("linecolor", &o.LineColor)
	p.str("matches", &o.Matches)
	p.num("nticks", &o.NTicks)
	p.str("overlaying", &o.Overlaying)
	p.num("position", &o.Position)
	p.data("range", &o.Range)
	p.str("rangemode", &o.RangeMode)
	p.bool("showgrid", &o.ShowGrid)
	p.bool("showline", &o.ShowLine)
	p.bool("showticklabels", &o.ShowTickLabels)
	p.str("side", &o.Side)
	p.num("tickangle", &o.TickAngle)
	p.obj("tickfont", &o.TickFont)
	p.str("tickformat", &o.TickFormat)
	p.obj("title", &o.Title)
	p.str("type", &o.Type)
	p.bool("visible", &o.Visible)
	p.bool("zeroline", &o.ZeroLine)
	p.extra(&o.Extra)
}

// Margin is layout.margin (pixels).
type Margin struct {
	AutoExpand Opt[bool]
	B          Opt[Number]
	L          Opt[Number]
	Pad        Opt[Number]
	R          Opt[Number]
	T          Opt[Number]
	Extra      Props
}

func (o *Margin) fields(p *props) {
	p.bool("autoexpand", &o.AutoExpand)
	p.num("b", &o.B)
	p.num("l", &o.L)
	p.num("pad", &o.Pad)
	p.num("r", &o.R)
	p.num("t", &o.T)
	p.extra(&o.Extra)
}

// Legend is layout.legend.
type Legend struct {
	BGColor       Opt[string]
	ItemSizing    Opt[string]
	Orientation   Opt[string]
	Title         Title
	TraceGroupGap Opt[Number]
	X             Opt[Number]
	XAnchor       Opt[string]
	Y             Opt[Number]
	YAnchor       Opt[string]
	Extra         Props
}

func (o *Legend) fields(p *props) {
	p.str("bgcolor", &o.BGColor)
	p.str("itemsizing", &o.ItemSizing)
	p.str("orientation", &o.Orientation)
	p.obj("title", &o.Title)
	p.num("tracegroupgap", &o.TraceGroupGap)
	p.num("x", &o.X)
	p.str("xanchor", &o.XAnchor)
	p.num("y", &o.Y)
	p.str("yanchor", &o.YAnchor)
	p.extra(&o.Extra)
}

// ColorAxis is layout.coloraxis (plotly.express' continuous colour scale).
type ColorAxis struct {
	CMax       Opt[Number]
	CMin       Opt[Number]
	ColorBar   ColorBar
	ColorScale Opt[Data]
	ShowScale  Opt[bool]
	Extra      Props
}

func (o *ColorAxis) fields(p *props) {
	p.num("cmax", &o.CMax)
	p.num("cmin", &o.CMin)
	p.obj("colorbar", &o.ColorBar)
	p.data("colorscale", &o.ColorScale)
	p.bool("showscale", &o.ShowScale)
	p.extra(&o.Extra)
}

// Center is a map's centre.
type Center struct {
	Lat   Opt[Number]
	Lon   Opt[Number]
	Extra Props
}

func (o *Center) fields(p *props) {
	p.num("lat", &o.Lat)
	p.num("lon", &o.Lon)
	p.extra(&o.Extra)
}

// Mapbox is layout.mapbox.
type Mapbox struct {
	Center Center
	Domain Domain
	Style  Opt[string]
	Zoom   Opt[Number]
	Extra  Props
}

func (o *Mapbox) fields(p *props) {
	p.obj("center", &o.Center)
	p.obj("domain", &o.Domain)
	p.str("style", &o.Style)
	p.num("zoom", &o.Zoom)
	p.extra(&o.Extra)
}

// ShapeLabel is a shape's text label (plotly.py ≥ 5.14; plotly.py 5.4 rejects it).
type ShapeLabel struct {
	Font         Font
	Text         Opt[string]
	TextAngle    Opt[Data]
	TextPosition Opt[string]
	Extra        Props
}

func (o *ShapeLabel) fields(p *props) {
	p.obj("font", &o.Font)
	p.str("text", &o.Text)
	p.data("textangle", &o.TextAngle)
	p.str("textposition", &o.TextPosition)
	p.extra(&o.Extra)
}

// Shape is an element of layout.shapes (type "rect", "line", …). The coordinates take a
// number, a data.Timestamp or a string (Val(t)).
type Shape struct {
	FillColor Opt[string]
	Label     ShapeLabel
	Layer     Opt[string]
	Line      Line
	Name      Opt[string]
	Opacity   Opt[Number]
	Type      Opt[string]
	Visible   Opt[bool]
	X0        Opt[Data]
	X1        Opt[Data]
	XRef      Opt[string]
	Y0        Opt[Data]
	Y1        Opt[Data]
	YRef      Opt[string]
	Extra     Props
}

func (o *Shape) fields(p *props) {
	p.str("fillcolor", &o.FillColor)
	p.obj("label", &o.Label)
	p.str("layer", &o.Layer)
	p.obj("line", &o.Line)
	p.str("name", &o.Name)
	p.num("opacity", &o.Opacity)
	p.str("type", &o.Type)
	p.bool("visible", &o.Visible)
	p.data("x0", &o.X0)
	p.data("x1", &o.X1)
	p.str("xref", &o.XRef)
	p.data("y0", &o.Y0)
	p.data("y1", &o.Y1)
	p.str("yref", &o.YRef)
	p.extra(&o.Extra)
}

// Annotation is an element of layout.annotations.
type Annotation struct {
	Align     Opt[string]
	Font      Font
	ShowArrow Opt[bool]
	Text      Opt[string]
	TextAngle Opt[Number]
	X         Opt[Data]
	XAnchor   Opt[string]
	XRef      Opt[string]
	Y         Opt[Data]
	YAnchor   Opt[string]
	YRef      Opt[string]
	Extra     Props
}

func (o *Annotation) fields(p *props) {
	p.str("align", &o.Align)
	p.obj("font", &o.Font)
	p.bool("showarrow", &o.ShowArrow)
	p.str("text", &o.Text)
	p.num("textangle", &o.TextAngle)
	p.data("x", &o.X)
	p.str("xanchor", &o.XAnchor)
	p.str("xref", &o.XRef)
	p.data("y", &o.Y)
	p.str("yanchor", &o.YAnchor)
	p.str("yref", &o.YRef)
	p.extra(&o.Extra)
}

// Pad is padding in pixels (a slider's pad).
type Pad struct {
	B     Opt[Number]
	L     Opt[Number]
	R     Opt[Number]
	T     Opt[Number]
	Extra Props
}

func (o *Pad) fields(p *props) {
	p.num("b", &o.B)
	p.num("l", &o.L)
	p.num("r", &o.R)
	p.num("t", &o.T)
	p.extra(&o.Extra)
}

// CurrentValue is the label of a slider's current step.
type CurrentValue struct {
	Font    Font
	Offset  Opt[Number]
	Prefix  Opt[string]
	Suffix  Opt[string]
	Visible Opt[bool]
	XAnchor Opt[string]
	Extra   Props
}

func (o *CurrentValue) fields(p *props) {
	p.obj("font", &o.Font)
	p.num("offset", &o.Offset)
	p.str("prefix", &o.Prefix)
	p.str("suffix", &o.Suffix)
	p.bool("visible", &o.Visible)
	p.str("xanchor", &o.XAnchor)
	p.extra(&o.Extra)
}

// SliderStep is one step of a slider; Args is the method's argument list (free-form, e.g.
// Val([]any{dict of trace props, dict of layout props}) with *data.Dict elements).
type SliderStep struct {
	Args    Opt[Data]
	Label   Opt[string]
	Method  Opt[string]
	Value   Opt[string]
	Visible Opt[bool]
	Extra   Props
}

func (o *SliderStep) fields(p *props) {
	p.data("args", &o.Args)
	p.str("label", &o.Label)
	p.str("method", &o.Method)
	p.str("value", &o.Value)
	p.bool("visible", &o.Visible)
	p.extra(&o.Extra)
}

// Slider is an element of layout.sliders.
type Slider struct {
	Active       Opt[Number]
	CurrentValue CurrentValue
	Len          Opt[Number]
	Pad          Pad
	Steps        []SliderStep
	X            Opt[Number]
	XAnchor      Opt[string]
	Y            Opt[Number]
	YAnchor      Opt[string]
	Extra        Props

	stepsSeq uint64
}

func (o *Slider) fields(p *props) {
	p.num("active", &o.Active)
	p.obj("currentvalue", &o.CurrentValue)
	p.num("len", &o.Len)
	p.obj("pad", &o.Pad)
	p.list("steps", objList[SliderStep, *SliderStep]{&o.Steps, &o.stepsSeq})
	p.num("x", &o.X)
	p.str("xanchor", &o.XAnchor)
	p.num("y", &o.Y)
	p.str("yanchor", &o.YAnchor)
	p.extra(&o.Extra)
}
