package plotly

import (
	"strings"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// The stringly builder that came before the typed one: traces and layout as data.Dicts,
// properties by dotted path. It stays until runtime/library's two plots are migrated.

// DictFigure is a figure of data.Dicts.
//
// Deprecated: use Figure.
type DictFigure struct {
	Traces []*data.Dict
	Layout *data.Dict
}

// New returns an empty DictFigure.
//
// Deprecated: use NewFigure.
func New() *DictFigure { return &DictFigure{Layout: data.NewDict(8)} }

// Add appends a trace.
//
// Deprecated: use Figure.Add.
func (f *DictFigure) Add(t *data.Dict) *DictFigure { f.Traces = append(f.Traces, t); return f }

// Set assigns a layout property by dotted path ("xaxis.title.text"), creating nested
// objects.
//
// Deprecated: set Figure.Layout's fields or use Figure.UpdateLayout.
func (f *DictFigure) Set(path string, v any) *DictFigure {
	setPath(f.Layout, path, v)
	return f
}

// AddShape appends a layout shape.
//
// Deprecated: use Figure.AddShape.
func (f *DictFigure) AddShape(s *data.Dict) *DictFigure {
	v, _ := f.Layout.Get("shapes")
	list, _ := v.([]any)
	f.Layout.Set("shapes", append(list, s))
	return f
}

// StandardLayout applies the layout most hetida plots share: axis titles, autosize, a
// height, zero margins and automargin on both axes.
//
// Deprecated: use Figure.StandardLayout.
func (f *DictFigure) StandardLayout(xTitle string, yTitle any, height int64) *DictFigure {
	f.Set("xaxis.title.text", xTitle)
	f.Set("yaxis.title.text", yTitle)
	f.Set("autosize", true)
	f.Set("height", height)
	return f.ZeroMargins()
}

// ZeroMargins sets margin l=r=b=0, t=5, pad=0 and automargin on both axes.
//
// Deprecated: use Figure.ZeroMargins.
func (f *DictFigure) ZeroMargins() *DictFigure {
	m := data.NewDict(5)
	m.Set("l", int64(0))
	m.Set("r", int64(0))
	m.Set("b", int64(0))
	m.Set("t", int64(5))
	m.Set("pad", int64(0))
	f.Layout.Set("margin", m)
	f.Set("yaxis.automargin", true)
	f.Set("xaxis.automargin", true)
	return f
}

// AppendJSON renders the figure.
func (f *DictFigure) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"data":[`...)
	var err error
	for i, t := range f.Traces {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = wire.AppendValue(b, t); err != nil {
			return b, err
		}
	}
	b = append(b, `],"layout":`...)
	if b, err = wire.AppendValue(b, f.Layout); err != nil {
		return b, err
	}
	return append(b, '}'), nil
}

// Scatter is go.Scatter(x=…, y=…, mode=…) as a data.Dict.
//
// Deprecated: use ScatterTrace.
func Scatter(x, y any, mode string) *data.Dict {
	t := data.NewDict(6)
	if mode != "" {
		t.Set("mode", mode)
	}
	t.Set("x", x)
	t.Set("y", y)
	t.Set("type", "scatter")
	return t
}

// Set assigns a trace property by dotted path ("line.color").
//
// Deprecated: set the trace's fields.
func Set(t *data.Dict, path string, v any) *data.Dict {
	setPath(t, path, v)
	return t
}

func setPath(d *data.Dict, path string, v any) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := d.Get(p)
		nd, isDict := next.(*data.Dict)
		if !ok || !isDict {
			nd = data.NewDict(2)
			d.Set(p, nd)
		}
		d = nd
	}
	d.Set(parts[len(parts)-1], v)
}

// Rect is a layout shape of type rect; keys are in plotly's (alphabetical) order.
//
// Deprecated: use Shape.
func Rect(x0, x1, y0, y1 any, lineColor string, lineWidth any, fill string) *data.Dict {
	s := data.NewDict(7)
	s.Set("fillcolor", fill)
	line := data.NewDict(2)
	line.Set("color", lineColor)
	if lineWidth != nil {
		line.Set("width", lineWidth)
	}
	s.Set("line", line)
	s.Set("type", "rect")
	s.Set("x0", x0)
	s.Set("x1", x1)
	s.Set("y0", y0)
	s.Set("y1", y1)
	return s
}
