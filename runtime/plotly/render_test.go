package plotly

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
)

func TestTimedeltaISO(t *testing.T) {
	// pd.Timedelta(s).isoformat(), printed by /usr/bin/python3 (pandas 1.5.3)
	for _, c := range []struct {
		ns   int64
		want string
	}{
		{0, "P0DT0H0M0S"},
		{1, "P0DT0H0M0.000000001S"},
		{-1, "P-1DT23H59M59.999999999S"},
		{1000, "P0DT0H0M0.000001S"},
		{273906700000000, "P3DT4H5M6.7S"},        // 3 days 04:05:06.7
		{-244493999993000, "P-3DT4H5M6.000007S"}, // -3 days 04:05:06.000007
		{8640000000000000000, "P100000DT0H0M0S"},
	} {
		if got := string(appendTimedeltaISO(nil, c.ns)); got != c.want {
			t.Errorf("%d: got %s, want %s", c.ns, got, c.want)
		}
	}
}

func TestTimestampISO(t *testing.T) {
	// pd.Timestamp(s).isoformat(): nine digits only when the nanoseconds are not whole
	// microseconds
	for _, c := range []struct {
		ns   int64
		z    data.Zone
		want string
	}{
		{-1, data.Naive, "1969-12-31T23:59:59.999999999"},
		{-500000000, data.Naive, "1969-12-31T23:59:59.500000"},
		{-2209008599999999999, data.Zone{Aware: true, Offset: 19800}, "1900-01-01T00:00:00.000000001+05:30"},
		{1577844000000001001, data.Zone{Aware: true, Offset: -7200}, "2020-01-01T00:00:00.000001001-02:00"},
		{1577836800000000000, data.UTC, "2020-01-01T00:00:00+00:00"},
	} {
		if got := string(appendTimestampISO(nil, data.Timestamp{NS: c.ns, Zone: c.z})); got != c.want {
			t.Errorf("%d: got %s, want %s", c.ns, got, c.want)
		}
	}
	if got := string(appendZoneOffset(nil, -(3600 + 62))); got != "-01:01:02" {
		t.Errorf("offset with seconds: %s", got)
	}
}

// TestShapeLabel: plotly 5.4 has no shape labels; hetida (5.15) wrote this for Plot Time
// Series and Value Intervals (recorded conformance case
// c-tw-visualization-plot-time-series-and-value-intervals).
func TestShapeLabel(t *testing.T) {
	fig := NewFigure()
	x := Val(data.Timestamp{NS: 1577849588541666666, Zone: data.UTC})
	fig.AddShape(Shape{
		Type: Str("line"), X0: x, Y0: Val(10.0), X1: x, Y1: Val(20.0),
		Line:  Line{Color: Str("rgb(40, 251, 0)"), Width: Int(2)},
		Label: ShapeLabel{Text: Str("Intv. 1"), TextAngle: Val(-90), Font: Font{Size: Int(10)}},
	})
	want := `{"data":[],"layout":{"shapes":[{"label":{"font":{"size":10},"text":"Intv. 1","textangle":-90},"line":{"color":"rgb(40, 251, 0)","width":2},"type":"line","x0":"2020-01-01T03:33:08.541666666+00:00","x1":"2020-01-01T03:33:08.541666666+00:00","y0":10.0,"y1":20.0}]}}`
	if got := render(t, fig); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestTemplate(t *testing.T) {
	var v map[string]any
	if err := json.Unmarshal(PlotlyTemplate, &v); err != nil {
		t.Fatal(err)
	}
	if _, ok := v["layout"].(map[string]any)["colorway"]; !ok {
		t.Error("template without layout.colorway")
	}
	fig := NewFigure()
	fig.UpdateLayout(Layout{Height: Int(200), Template: Val(PlotlyTemplate)})
	got := render(t, fig)
	if !strings.HasPrefix(got, `{"data":[],"layout":{"height":200,"template":{"data":{"barpolar":`) || !strings.HasSuffix(got, "}}}}") {
		t.Errorf("template rendered as %.100s…", got)
	}
}

func TestColorscale(t *testing.T) {
	fig := NewFigure().Add(&Heatmap{ColorScale: Colorscale("a", "b", "c", "d")})
	want := `{"data":[{"colorscale":[[0.0,"a"],[0.3333333333333333,"b"],[0.6666666666666666,"c"],[1.0,"d"]],"type":"heatmap"}],"layout":{}}`
	if got := render(t, fig); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestPyText(t *testing.T) {
	// str() of the name, as plotly's string validator converts numbers
	for v, want := range map[any]string{"a": "a", int64(5): "5", 3.0: "3.0", 2.5: "2.5", true: "True"} {
		if got := PyText(v).Value(); got != want {
			t.Errorf("%v: got %q, want %q", v, got, want)
		}
	}
}

func TestExtraAndOtherTrace(t *testing.T) {
	tr := &OtherTrace{Type: "violin"}
	tr.Extra.Set("y", data.Floats([]float64{1, math.NaN()}))
	tr.Extra.Set("box", data.NewDict(0))
	tr.Extra.Set("name", "v")
	tr.Extra.Set("box", true) // keeps its place
	fig := NewFigure().Add(tr)
	tr.Extra.Set("side", "positive")
	if v, ok := tr.Extra.Get("name"); !ok || v != "v" || tr.Extra.Len() != 4 {
		t.Errorf("Get/Len: %v %v %d", v, ok, tr.Extra.Len())
	}
	// constructor keys alphabetical, then type, then later ones
	want := `{"data":[{"box":true,"name":"v","y":[1.0,null],"type":"violin","side":"positive"}],"layout":{}}`
	if got := render(t, fig); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestUpdateMerges(t *testing.T) {
	fig := NewFigure()
	fig.UpdateLayout(Layout{Width: Int(1), Margin: Margin{T: Int(60)}})
	var p Layout
	p.Margin = Margin{L: Int(0), T: Int(5)}
	p.XAxisN(3).Title.Text = Str("x3")
	p.Extra.Set("dragmode", "zoom")
	p.Shapes = []Shape{{Type: Str("line")}}
	fig.UpdateLayout(p)
	fig.UpdateLayout(Layout{Width: Int(2), Shapes: []Shape{{Type: Str("rect")}}}) // width and shapes keep their places
	Update(fig.Layout.XAxisN(3), Axis{Side: Str("top")})
	want := `{"data":[],"layout":{"width":2,"margin":{"t":5,"l":0},"xaxis3":{"title":{"text":"x3"},"side":"top"},"dragmode":"zoom","shapes":[{"type":"rect"}]}}`
	if got := render(t, fig); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if len(p.Shapes) != 1 || p.Shapes[0].Type.Value() != "line" {
		t.Error("the patch's list was modified")
	}
}

func TestSetLayoutCopiesAxes(t *testing.T) {
	var l Layout
	l.YAxisN(2).Side = Str("right")
	fig := NewFigure()
	fig.SetLayout(l)
	fig.Layout.YAxisN(2).Side.Set(Str("left"))
	if l.YAxisN(2).Side.Value() != "right" {
		t.Error("SetLayout shares numbered axes with its argument")
	}
}

func TestOptSetAndClear(t *testing.T) {
	var o Opt[string]
	o.Set(Opt[string]{}) // unset value: nothing happens
	if o.IsSet() {
		t.Fatal("set by an unset value")
	}
	o.Set(Str("a"))
	seq := o.seq
	o.Set(Str("b"))
	if o.Value() != "b" || o.seq != seq {
		t.Errorf("Set moved or lost the value: %q %d %d", o.Value(), o.seq, seq)
	}
	o.Clear()
	if o.IsSet() {
		t.Error("Clear left the value set")
	}
	if n := Float(math.Inf(1)).Value(); n.Float64() != math.Inf(1) || Int(3).Value().Float64() != 3 {
		t.Error("Number.Float64")
	}
}

func TestRenderErrors(t *testing.T) {
	fig := NewFigure().Add(&Scatter{X: Val(struct{}{})})
	if _, err := fig.AppendJSON(nil); err == nil || !strings.Contains(err.Error(), "struct {}") {
		t.Errorf("unsupported value: %v", err)
	}
	fig = NewFigure().Add(nil)
	if _, err := fig.AppendJSON(nil); err == nil {
		t.Error("nil trace did not fail")
	}
	grid, _ := MakeSubplots(Subplots{})
	if err := grid.AddAt(nil, 1, 1, false); err == nil {
		t.Error("AddAt(nil) did not fail")
	}
	// a trace put into Data directly renders as constructed
	fig = &Figure{Data: []Trace{&Bar{Y: Val([]int64{1}), Name: Str("b")}}}
	if got, want := render(t, fig), `{"data":[{"name":"b","y":[1],"type":"bar"}],"layout":{}}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestValueKinds(t *testing.T) {
	fig := NewFigure().Add(&Scatter{
		X:          Val([][]any{{data.Timedelta{NS: 1e9}, data.Timedelta{NS: data.NaT}, Int(2).Value()}}),
		Y:          Val([]bool{true}),
		CustomData: Val(Float(2).Value()),
		Text:       Val(Data{v: "d"}),
		HoverText:  Val(RawJSON(`{"raw":1}`)),
	})
	want := `{"data":[{"customdata":2.0,"hovertext":{"raw":1},"text":"d","x":[["P0DT0H0M1S",null,2]],"y":[true],"type":"scatter"}],"layout":{}}`
	if got := render(t, fig); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// BenchmarkScatter100k renders a 100k-point timestamp/float scatter, the size of a large
// series plot.
func BenchmarkScatter100k(b *testing.B) {
	const n = 100_000
	ts, vs := make([]int64, n), make([]float64, n)
	for i := range ts {
		ts[i] = t2020 + int64(i)*60e9
		vs[i] = math.Sin(float64(i)) * 100
	}
	fig := NewFigure()
	tr := &Scatter{X: Col(data.Datetimes(ts, data.UTC)), Y: Col(data.Floats(vs)), Mode: Str("lines")}
	fig.Add(tr).StandardLayout("Time", "Values", 200)
	tr.Line.Color.Set(Str("#1199bb"))
	buf, _ := fig.AppendJSON(nil)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf, _ = fig.AppendJSON(buf[:0])
	}
}

// TestHeatmapTextTemplate: heatmap texttemplate exists from plotly 5.5 on (5.4 rejects
// it); a constructor places it alphabetically, between text and x.
func TestHeatmapTextTemplate(t *testing.T) {
	fig := NewFigure().Add(&Heatmap{Z: Val([][]float64{{1}}), Text: Val([][]string{{"a"}}), TextTemplate: Str("%{text}"), X: Val([]string{"x"})})
	want := `{"data":[{"text":[["a"]],"texttemplate":"%{text}","x":["x"],"z":[[1.0]],"type":"heatmap"}],"layout":{}}`
	if got := render(t, fig); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestStandardLayoutIsItsUpdate: StandardLayout's property-by-property form renders as
// the update_layout calls it stands for, on an empty figure and on one whose axes,
// margin and height were set before (their keys keep their places).
func TestStandardLayoutIsItsUpdate(t *testing.T) {
	viaUpdate := func(f *Figure) {
		f.UpdateLayout(Layout{
			XAxis:    Axis{Title: Title{Text: Str("x")}},
			YAxis:    Axis{Title: Title{Text: Str("y")}},
			Autosize: Bool(true),
			Height:   Int(300),
		})
		f.UpdateLayout(Layout{Margin: Margin{L: Int(0), R: Int(0), B: Int(0), T: Int(5), Pad: Int(0)}})
		f.UpdateYAxes(func(a *Axis) { a.AutoMargin.Set(Bool(true)) })
		f.UpdateXAxes(func(a *Axis) { a.AutoMargin.Set(Bool(true)) })
	}
	for _, before := range []func(*Figure){
		func(*Figure) {},
		func(f *Figure) {
			f.UpdateLayout(Layout{Height: Int(1), Margin: Margin{T: Int(60), AutoExpand: Bool(false)}, YAxis: Axis{Side: Str("right")}})
			f.Layout.XAxisN(2).Title.Text = Str("x2")
		},
	} {
		a, b := NewFigure(), NewFigure()
		before(a)
		before(b)
		a.StandardLayout("x", "y", 300)
		viaUpdate(b)
		if got, want := render(t, a), render(t, b); got != want {
			t.Errorf("StandardLayout:\ngot  %s\nwant %s", got, want)
		}
	}
}
