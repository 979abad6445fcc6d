package plotly_test

import (
	"math"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/plotly"
	"github.com/trafofn/trafofn/runtime/wire"
)

// The typed versions of runtime/library's two plots (the figure-building part of
// singleTimeseriesPlot and timeseriesAndAlertsPlot), written as they go into
// visualization.go, must render the bytes of the deprecated builder they replace.

func yTitle(s *data.Series) string {
	if s.Name == nil {
		return "Values"
	}
	return plotly.PyText(s.Name).Value() // plotly turns a numeric name into its str()
}

func singleTimeseriesFigure(s *data.Series) *plotly.Figure {
	sorted := s.SortIndex()
	tr := &plotly.ScatterTrace{X: plotly.Col(sorted.Index), Y: plotly.Col(sorted.Values), Mode: plotly.Str("lines")}
	fig := plotly.NewFigure().Add(tr).StandardLayout("Time", yTitle(s), 200)
	tr.Line.Color.Set(plotly.Str("#1199bb")) // update_traces after update_layout
	return fig
}

func alertsFigure(s *data.Series, starts, ends []any, minVal, maxVal float64) *plotly.Figure {
	sorted := s.SortIndex()
	fig := plotly.NewFigure()
	fig.Add(&plotly.ScatterTrace{X: plotly.Col(sorted.Index), Y: plotly.Col(sorted.Values), Mode: plotly.Str("lines")})
	for i := range starts {
		fig.AddShape(plotly.Shape{
			Type:      plotly.Str("rect"),
			X0:        plotly.Val(starts[i]),
			Y0:        plotly.Val(nanToNil(minVal)),
			X1:        plotly.Val(ends[i]),
			Y1:        plotly.Val(nanToNil(maxVal)),
			Line:      plotly.Line{Color: plotly.Str("rgb(251, 40, 0)"), Width: plotly.Int(1)},
			FillColor: plotly.Str("rgba(251, 40, 0, 0.4)"),
		})
	}
	return fig.StandardLayout("Time", yTitle(s), 200)
}

func nanToNil(f float64) any {
	if f != f || math.IsInf(f, 0) {
		return nil
	}
	return f
}

func legacySingle(s *data.Series) wire.Appender {
	sorted := s.SortIndex()
	trace := plotly.Scatter(sorted.Index, sorted.Values, "lines")
	plotly.Set(trace, "line.color", "#1199bb")
	var title any = "Values"
	if s.Name != nil {
		title = s.Name
	}
	return plotly.New().Add(trace).StandardLayout("Time", title, 200)
}

func legacyAlerts(s *data.Series, starts, ends []any, minVal, maxVal float64) wire.Appender {
	sorted := s.SortIndex()
	fig := plotly.New()
	for i := range starts {
		fig.AddShape(plotly.Rect(starts[i], ends[i], nanToNil(minVal), nanToNil(maxVal), "rgb(251, 40, 0)", int64(1), "rgba(251, 40, 0, 0.4)"))
	}
	fig.Add(plotly.Scatter(sorted.Index, sorted.Values, "lines"))
	var title any = "Values"
	if s.Name != nil {
		title = s.Name
	}
	fig.StandardLayout("Time", title, 200)
	return fig
}

func same(t *testing.T, name string, a, b wire.Appender) {
	t.Helper()
	x, err := a.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	y, err := b.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(x) != string(y) {
		t.Errorf("%s:\ntyped  %s\nlegacy %s", name, x, y)
	}
}

func TestMigratedLibraryPlots(t *testing.T) {
	const m = int64(60e9)
	idx := data.Datetimes([]int64{20 * m, 0, 10 * m}, data.UTC)
	for _, name := range []any{"temp", nil} {
		s := &data.Series{Index: idx, Values: data.Floats([]float64{3, 1, math.NaN()}), Name: name}
		same(t, "single", singleTimeseriesFigure(s), legacySingle(s))
		starts := []any{data.Timestamp{NS: 0, Zone: data.UTC}, data.Timestamp{NS: 10 * m, Zone: data.UTC}}
		ends := []any{data.Timestamp{NS: 10 * m, Zone: data.UTC}, nil}
		same(t, "alerts", alertsFigure(s, starts, ends, 1, 3), legacyAlerts(s, starts, ends, 1, 3))
		same(t, "alerts without values", alertsFigure(s, starts, ends, math.NaN(), math.NaN()), legacyAlerts(s, starts, ends, math.NaN(), math.NaN()))
	}
}
