// Package plotly builds the plotly figure JSON that hetida's visualization components
// return ({"data": [traces], "layout": {…}}) without a plotly library, as typed structs.
//
// The output is what hetida's plotly_fig_to_json_dict gives: fig.to_plotly_json() passed
// through PlotlyJSONEncoder, without a template unless one is set (the components switch
// plotly's default template off; plotly.express figures carry the "plotly" template, see
// PlotlyTemplate). Keys come in plotly.py's order, which is insertion order: a trace's or
// layout's constructor sets its arguments alphabetically (a trace then adds "type"), every
// later update appends new keys and leaves existing ones in place. Typed structs mirror
// this by remembering when each value was made (see Opt) and when the figure took a trace
// (Add) or a layout (SetLayout):
//
//	fig := plotly.NewFigure()
//	tr := &plotly.Scatter{X: plotly.Col(s.Index), Y: plotly.Col(s.Values), Mode: plotly.Str("lines")}
//	fig.Add(tr)                               // {"mode":…,"x":…,"y":…,"type":"scatter"
//	tr.Line.Color.Set(plotly.Str("#1199bb")) //  ,"line":{"color":"#1199bb"}}
//	fig.UpdateLayout(plotly.Layout{Height: plotly.Int(200)})
//
// Values are not validated as plotly.py validates them (ranges, colour names, which keys
// a trace type has); rendering fails only for Data values of unsupported Go types.
package plotly

import (
	"errors"
	"fmt"
	"slices"

	"github.com/trafofn/trafofn/runtime/wire"
)

var _ wire.Appender = (*Figure)(nil)

// Figure is a plotly figure; it renders itself as an output value (wire.Appender).
type Figure struct {
	Data   []Trace
	Layout Layout

	layoutBorn uint64
	grid       [][]*cell // from MakeSubplots
}

// NewFigure returns an empty figure, like go.Figure() without a template.
func NewFigure() *Figure { return &Figure{} }

// Add appends traces, as fig.add_trace does: properties set so far count as the
// constructor's (alphabetical, then "type"), later ones are appended.
func (f *Figure) Add(ts ...Trace) *Figure {
	for _, t := range ts {
		if t == nil {
			f.Data = append(f.Data, nil) // AppendJSON reports it
			continue
		}
		if b := t.bornAt(); *b == 0 {
			*b = tick()
		}
		f.Data = append(f.Data, t)
	}
	return f
}

// SetLayout replaces the layout as go.Figure(layout=go.Layout(…)) does: the properties of
// l render in plotly's property order (numbered axes after the others, in the order they
// were set), later updates are appended.
func (f *Figure) SetLayout(l Layout) {
	axes := l.axes
	l.axes = nil
	for _, a := range axes {
		c := *a
		l.axes = append(l.axes, &c)
	}
	f.Layout = l
	f.layoutBorn = tick()
}

// UpdateLayout applies patch as fig.update_layout does (see Update). plotly's magic
// underscores are nested structs here: xaxis_title="Time" is
// Layout{XAxis: Axis{Title: Title{Text: Str("Time")}}}.
func (f *Figure) UpdateLayout(patch Layout) { Update(&f.Layout, patch) }

// UpdateTraces calls fn for every trace in order, like fig.update_traces applies its
// arguments to every trace; fn type-switches on the trace types it updates.
func (f *Figure) UpdateTraces(fn func(Trace)) {
	for _, t := range f.Data {
		fn(t)
	}
}

// UpdateXAxes calls fn for layout.xaxis and every numbered x axis in natural order, like
// fig.update_xaxes; layout.xaxis is always included (plotly creates it).
func (f *Figure) UpdateXAxes(fn func(*Axis)) { f.Layout.eachAxis(true, fn) }

// UpdateYAxes is UpdateXAxes for the y axes.
func (f *Figure) UpdateYAxes(fn func(*Axis)) { f.Layout.eachAxis(false, fn) }

// AddShape appends a layout shape, like fig.add_shape.
func (f *Figure) AddShape(s Shape) { appendTo(&f.Layout.Shapes, &f.Layout.shapesSeq, s) }

// GrowShapes makes room for n more shapes: a Shape is large, and a plot with one shape per
// window of a long series would otherwise spend its time copying them while growing.
func (f *Figure) GrowShapes(n int) { f.Layout.Shapes = slices.Grow(f.Layout.Shapes, n) }

// StandardLayout applies the layout options most hetida plots share, in their order:
// update_layout(xaxis_title=xTitle, yaxis_title=yTitle, autosize=True, height=height),
// then ZeroMargins.
//
// It and ZeroMargins set the properties one by one, in the patch's order, which is what
// UpdateLayout with the patch does (TestStandardLayoutIsItsUpdate): the generic update
// walks the whole Layout twice and was a third of a 10-point plot.
func (f *Figure) StandardLayout(xTitle, yTitle string, height int) *Figure {
	l := &f.Layout
	l.XAxis.Title.Text.Set(Str(xTitle))
	l.YAxis.Title.Text.Set(Str(yTitle))
	l.Autosize.Set(Bool(true))
	l.Height.Set(Int(height))
	return f.ZeroMargins()
}

// ZeroMargins is what hetida's plots end with: update_layout(margin=dict(l=0, r=0, b=0,
// t=5, pad=0)), update_yaxes(automargin=True), update_xaxes(automargin=True).
func (f *Figure) ZeroMargins() *Figure {
	m := &f.Layout.Margin
	m.L.Set(Int(0))
	m.R.Set(Int(0))
	m.B.Set(Int(0))
	m.T.Set(Int(5))
	m.Pad.Set(Int(0))
	f.UpdateYAxes(func(a *Axis) { a.AutoMargin.Set(Bool(true)) })
	f.UpdateXAxes(func(a *Axis) { a.AutoMargin.Set(Bool(true)) })
	return f
}

// AddAnnotation appends a layout annotation, like fig.add_annotation.
func (f *Figure) AddAnnotation(a Annotation) {
	appendTo(&f.Layout.Annotations, &f.Layout.annotationsSeq, a)
}

// Update applies the set properties of patch to dst, as plotly's update(dict) does:
// properties that are set keep their place and take the new value, new ones are appended
// in the order their values were made in patch, lists (shapes, sliders) are replaced.
//
// One plotly.py update call (update_layout, update_traces) differs in two details that
// are not reproduced: it creates the objects that receive plain values directly — given
// as a dict (legend=dict(x=0)) or a magic-underscore path (xaxis_showgrid=False) — at
// once but applies all values at the end of the call, so update_layout(title="t",
// legend=dict(x=0)) puts legend before title; and update_traces applies new keys sorted
// by their path. Updates of one key, or patches written in the resulting order, render
// the same as plotly.py.
func Update[T any, P interface {
	*T
	object
}](dst P, patch T) {
	src := P(&patch)
	if dl, ok := any(dst).(*Layout); ok {
		for _, a := range any(src).(*Layout).axes {
			dl.axisN(a.x, a.n)
		}
	}
	w := newWriter(nil)
	w.merge(dst, src)
	w.release()
}

// PatchTraces applies patch (see Update) to every trace of its type, like
// fig.update_traces(dict) on a figure whose traces accept the keys.
func PatchTraces[T any, P interface {
	*T
	Trace
}](f *Figure, patch T) {
	for _, t := range f.Data {
		if d, ok := t.(P); ok {
			Update(d, patch)
		}
	}
}

// AppendJSON renders the figure: {"data":[…],"layout":{…}}.
func (f *Figure) AppendJSON(b []byte) ([]byte, error) {
	w := newWriter(b)
	defer w.release()
	w.b = append(w.b, `{"data":[`...)
	for i, t := range f.Data {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		if t == nil {
			w.fail(errors.New("plotly: nil trace"))
			w.b = append(w.b, "null"...)
			continue
		}
		born := *t.bornAt()
		if born == 0 {
			born = constructed
		}
		w.object(t, born, t.TraceType())
	}
	w.b = append(w.b, `],"layout":`...)
	w.object(&f.Layout, f.layoutBorn, "")
	w.b = append(w.b, '}')
	if w.err != nil {
		return w.b, fmt.Errorf("rendering a plotly figure: %w", w.err)
	}
	return w.b, nil
}
