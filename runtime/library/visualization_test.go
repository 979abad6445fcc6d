package library

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/plotly"
)

// Figure structures the reference cases do not pin: empty and one-point series, NaN,
// unsorted input, naive against aware timestamps, the error paths. Expectations were
// worked out from hetida's code (and, where stated, printed by Debian's pandas 1.5 /
// numpy 1.24 / plotly 5.4); numbers compare within 1e-12.

const visT0 = int64(1577836800e9) // 2020-01-01T00:00:00Z

func visTimes(z data.Zone, minutes ...int64) data.Column {
	ns := make([]int64, len(minutes))
	for i, m := range minutes {
		ns[i] = visT0 + m*60e9
	}
	return data.Datetimes(ns, z)
}

func visSeries(name any, idx data.Column, vals ...float64) *data.Series {
	return data.NewSeries(name, idx, data.Floats(vals))
}

// runVis runs the component of meta and returns its only output rendered and decoded.
func runVis(t *testing.T, meta component.Meta, in map[string]any) (map[string]any, error) {
	t.Helper()
	spec, ok := Registry().Get(meta.ID)
	if !ok {
		t.Fatalf("%s is not registered", meta.Name)
	}
	out, err := spec.Run(context.Background(), component.NewInputs(spec, in))
	if err != nil {
		return nil, err
	}
	if len(out) != 1 {
		t.Fatalf("%d outputs", len(out))
	}
	for _, v := range out {
		fig, ok := v.(*plotly.Figure)
		if !ok {
			t.Fatalf("output is %T", v)
		}
		b, err := fig.AppendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		return m, nil
	}
	return nil, nil
}

func mustVis(t *testing.T, meta component.Meta, in map[string]any) map[string]any {
	t.Helper()
	m, err := runVis(t, meta, in)
	if err != nil {
		t.Fatalf("%s: %v", meta.Name, err)
	}
	return m
}

// at walks a decoded figure: "data.0.x", "layout.shapes.1.x0".
func at(t *testing.T, v any, path string) any {
	t.Helper()
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[p]; !ok {
				t.Fatalf("%s: no key %q", path, p)
			}
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(x) {
				t.Fatalf("%s: no element %q in %d", path, p, len(x))
			}
			v = x[i]
		default:
			t.Fatalf("%s: cannot index %T with %q", path, v, p)
		}
	}
	return v
}

func has(v any, path string) bool {
	for _, p := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if v, ok = m[p]; !ok {
			return false
		}
	}
	return true
}

// same compares decoded JSON with want (float64 numbers within 1e-12, nil for null).
func same(got, want any) bool {
	switch w := want.(type) {
	case float64:
		g, ok := got.(float64)
		return ok && math.Abs(g-w) <= 1e-12*math.Max(1, math.Abs(w))
	case int:
		return same(got, float64(w))
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !same(g[i], w[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(got, want)
}

func expect(t *testing.T, fig map[string]any, path string, want any) {
	t.Helper()
	if got := at(t, fig, path); !same(got, want) {
		t.Errorf("%s = %v, want %v", path, got, want)
	}
}

func traces(t *testing.T, fig map[string]any) []any {
	t.Helper()
	return at(t, fig, "data").([]any)
}

func expectError(t *testing.T, err error, typ, msg string) {
	t.Helper()
	var de *data.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T), want %s", err, err, typ)
	}
	if de.Type != typ || (msg != "" && de.Message != msg) {
		t.Errorf("error %s: %s, want %s: %s", de.Type, de.Message, typ, msg)
	}
}

func TestCompareTwoTimeseriesPlotEdges(t *testing.T) {
	// unsorted naive timestamps are sorted and rendered without an offset; an empty
	// series gives an empty trace; names that Python finds falsy ("" and 0) are replaced
	fig := mustVis(t, metaCompareTwoTimeseriesPlot, map[string]any{
		"series_1": visSeries("", visTimes(data.Naive, 10, 0), 2, math.NaN()),
		"series_2": data.NewSeries(int64(0), data.Range(0), data.Floats(nil)),
	})
	expect(t, fig, "data.0.x", []any{"2020-01-01T00:00:00", "2020-01-01T00:10:00"})
	expect(t, fig, "data.0.y", []any{nil, 2})
	expect(t, fig, "data.0.name", "series_1")
	expect(t, fig, "data.1.x", []any{})
	expect(t, fig, "data.1.name", "series_2")
	// a name 5 is a trace name "5" (plotly's str coercion)
	fig = mustVis(t, metaCompareTwoTimeseriesPlot, map[string]any{
		"series_1": visSeries(int64(5), visTimes(data.UTC, 0), 1),
		"series_2": visSeries("b", visTimes(data.UTC, 0), 1),
	})
	expect(t, fig, "data.0.name", "5")
	expect(t, fig, "data.0.x", []any{"2020-01-01T00:00:00+00:00"})
}

func TestTwoTimeseriesWithTwoYAxesPlotTitles(t *testing.T) {
	// an empty name gives the trace name "series_1" (falsy) but an empty y title (hetida
	// tests `is not None` there); None gives "series_2" for both
	fig := mustVis(t, metaTwoTimeseriesWithTwoYAxesPlot, map[string]any{
		"series_1": visSeries("", visTimes(data.UTC, 0), 1),
		"series_2": visSeries(nil, visTimes(data.UTC, 5), 2),
	})
	expect(t, fig, "data.0.name", "series_1")
	expect(t, fig, "layout.yaxis.title.text", "")
	expect(t, fig, "data.1.name", "series_2")
	expect(t, fig, "data.1.yaxis", "y2")
	expect(t, fig, "layout.yaxis2.title.text", "series_2")
	expect(t, fig, "layout.yaxis2.overlaying", "y")
	expect(t, fig, "layout.xaxis.domain", []any{0, 0.94})
}

func TestCompareTimeshiftedTimeseries(t *testing.T) {
	month := map[string]any{
		"series":           visSeries("measurement", visTimes(data.Naive, 0), 1),
		"series_shiftable": visSeries("p", data.Datetimes([]int64{1580428800e9, 1582934400e9}, data.Naive), 1, 2), // 2020-01-31, 2020-02-29
		"freq":             "M", "freq_factor": int64(1), "max_shifts_past": int64(1), "max_shifts_future": int64(3),
	}
	fig := mustVis(t, metaCompareTimeshiftedTimeseries, month)
	// calendar months as DatetimeIndex.shift moves them (pandas prints 2019-12-31 and
	// 2020-01-31 for -1, 2020-03-31 and 2020-04-30 for +2)
	expect(t, fig, "data.0.name", "series")
	expect(t, fig, "data.1.x", []any{"2019-12-31T00:00:00", "2020-01-31T00:00:00"})
	expect(t, fig, "data.4.x", []any{"2020-03-31T00:00:00", "2020-04-30T00:00:00"})
	expect(t, fig, "data.2.visible", true)
	expect(t, fig, "data.1.visible", false)
	expect(t, fig, "layout.sliders.0.active", 1)
	expect(t, fig, "layout.sliders.0.steps.0.label", "-1")
	expect(t, fig, "layout.sliders.0.steps.3.args.0.visible", []any{true, false, false, false, true})
	expect(t, fig, "layout.sliders.0.steps.3.args.1.title", "Shifted by x times frequency 1M: 2")

	for _, c := range []struct {
		change   map[string]any
		typ, msg string
	}{
		{map[string]any{"max_shifts_past": int64(-1)}, "ValueError", "Shift maxima values must be greater equal zero."},
		{map[string]any{"max_shifts_future": int64(0)}, "IndexError", "tuple index out of range"},
		{map[string]any{"max_shifts_past": int64(0), "max_shifts_future": int64(0)}, "IndexError", "tuple index out of range"},
		{map[string]any{"freq": "abc"}, "ValueError", "Invalid frequency: abc"},
		{map[string]any{"series_shiftable": visSeries(nil, data.Range(2), 1, 2)}, "NotImplementedError", ""},
	} {
		in := map[string]any{}
		for k, v := range month {
			in[k] = v
		}
		for k, v := range c.change {
			in[k] = v
		}
		_, err := runVis(t, metaCompareTimeshiftedTimeseries, in)
		expectError(t, err, c.typ, c.msg)
	}
}

func TestUnivariateLinearRULRegressionResultPlotShapes(t *testing.T) {
	// predictions empty: np.min([base min, NaN, limit]) is NaN (numpy propagates it), so
	// the vertical line's ends are null; the horizontal line runs from np.min([base
	// index min, NaT]) = NaT (a NaT second wins) — rendered null
	fig := mustVis(t, metaUnivariateLinearRULRegressionResultPlot, map[string]any{
		"limit_violation_prediction_timestamp": "2020-01-02T00:00:00+00:00",
		"limit":                                1.5,
		"base_series":                          visSeries(nil, visTimes(data.UTC, 5, 0), 3, 4),
		"predictions":                          data.NewSeries(nil, data.Datetimes(nil, data.UTC), data.Floats(nil)),
	})
	expect(t, fig, "layout.shapes.0.x0", "2020-01-02T00:00:00+00:00")
	expect(t, fig, "layout.shapes.0.y0", nil)
	expect(t, fig, "layout.shapes.1.x0", nil)
	expect(t, fig, "layout.shapes.1.y0", 1.5)
	expect(t, fig, "data.0.x", []any{"2020-01-01T00:00:00+00:00", "2020-01-01T00:05:00+00:00"})
	// integer series: the extremes of [3, 4, 1.5] are floats 1.5 and 4.0
	fig = mustVis(t, metaUnivariateLinearRULRegressionResultPlot, map[string]any{
		"limit_violation_prediction_timestamp": nil,
		"limit":                                1.5,
		"base_series":                          data.NewSeries(nil, visTimes(data.UTC, 0), data.Ints([]int64{3})),
		"predictions":                          data.NewSeries(nil, visTimes(data.UTC, 10), data.Ints([]int64{4})),
	})
	shapes := at(t, fig, "layout.shapes").([]any)
	if len(shapes) != 1 {
		t.Fatalf("timestamp None: %d shapes, want only the limit line", len(shapes))
	}
	expect(t, fig, "layout.shapes.0.x1", "2020-01-01T00:10:00+00:00")
}

func bandFrame(mask data.Column) *data.DataFrame {
	idx := visTimes(data.UTC, 0, 5, 10)
	return data.NewDataFrame(idx, []any{"values", "filter_mask", "band_center", "rolling_deviation"},
		[]data.Column{data.Floats([]float64{1, 2, 3}), mask, data.Floats([]float64{1, 1, 1}), data.Floats([]float64{0.5, math.NaN(), 1})})
}

func TestBandFilterPlot(t *testing.T) {
	// a float mask: 0.0 == False and 1.0 == True, NaN neither
	fig := mustVis(t, metaBandFilterPlot, map[string]any{"band_filter_dataframe": bandFrame(data.Floats([]float64{0, 1, math.NaN()}))})
	expect(t, fig, "data.0.name", "Outlier")
	expect(t, fig, "data.0.y", []any{1})
	expect(t, fig, "data.1.y", []any{2})
	expect(t, fig, "data.3.y", []any{1.5, nil, 2})
	expect(t, fig, "data.4.y", []any{0.5, nil, 0})
	expect(t, fig, "data.4.line.color", "orange")
	if has(at(t, fig, "data.2"), "mode") {
		t.Error("the band centre has no mode (plotly's default)")
	}
	f := bandFrame(data.Bools([]bool{true, true, true}))
	f.Names[3] = "deviation"
	_, err := runVis(t, metaBandFilterPlot, map[string]any{"band_filter_dataframe": f})
	expectError(t, err, "KeyError", "'rolling_deviation'")
}

func TestMovingWindowAggregatedTimeseriesPlot(t *testing.T) {
	agg := visSeries(nil, visTimes(data.Naive, 10, 20, 30), 1, math.NaN(), 3)
	in := func(window, interval, label, mode string) map[string]any {
		return map[string]any{
			"original_timeseries": visSeries(nil, visTimes(data.Naive, 30, 0), 5, 6), "aggregated_timeseries": agg,
			"window_size": window, "interval_type": interval, "label_position": label, "plotting_mode": mode,
		}
	}
	// closed, labelled at the right: windows [t−10min, t], both edge markers, NaN dropped
	fig := mustVis(t, metaMovingWindowAggregatedTimeseriesPlot, in("10min", "closed", "right", "dots_and_windows"))
	if n := len(traces(t, fig)); n != 4 {
		t.Fatalf("%d traces, want original, aggregates, left and right edges", n)
	}
	expect(t, fig, "data.0.x", []any{"2020-01-01T00:30:00", "2020-01-01T00:00:00"}) // unsorted, as given
	expect(t, fig, "data.1.y", []any{1, 3})
	expect(t, fig, "data.2.x", []any{"2020-01-01T00:00:00", "2020-01-01T00:20:00"})
	expect(t, fig, "data.2.marker.symbol", 8)
	expect(t, fig, "data.3.x", []any{"2020-01-01T00:10:00", "2020-01-01T00:30:00"})
	expect(t, fig, "layout.shapes.1.x0", "2020-01-01T00:20:00")
	expect(t, fig, "layout.shapes.1.x1", "2020-01-01T00:30:00")
	expect(t, fig, "layout.shapes.1.y0", 3)
	// "D" is no Timedelta string but a frequency: one day, centred (12 h either side);
	// open intervals get no edge markers
	fig = mustVis(t, metaMovingWindowAggregatedTimeseriesPlot, in("D", "open", "center", "dots_and_windows"))
	if n := len(traces(t, fig)); n != 2 {
		t.Errorf("open windows: %d traces, want 2", n)
	}
	expect(t, fig, "layout.shapes.0.x0", "2019-12-31T12:10:00")
	// lines mode: two lines, no shapes
	fig = mustVis(t, metaMovingWindowAggregatedTimeseriesPlot, in("10min", "closed", "left", "lines"))
	expect(t, fig, "data.1.mode", "lines")
	expect(t, fig, "data.1.line.color", "mediumvioletred")
	if has(at(t, fig, "layout"), "shapes") {
		t.Error("lines mode draws no windows")
	}
	_, err := runVis(t, metaMovingWindowAggregatedTimeseriesPlot, in("M", "closed", "left", "lines"))
	expectError(t, err, "ValueError", "Value must be Timedelta, string, integer, float, timedelta or convertible, not MonthEnd")
}

func TestTimeseriesSubstitutionPlot(t *testing.T) {
	// raw 0:1, 5:2, 10:3 and a duplicate 5:9 (the first value per label is kept);
	// substitutions 5:5 (replaces), 10:NaN (ignores the raw value), 15:7 (adds)
	raw := visSeries("flow", visTimes(data.UTC, 10, 5, 0, 5), 3, 2, 1, 9)
	subs := visSeries(nil, visTimes(data.UTC, 15, 10, 5), 7, math.NaN(), 5)
	fig := mustVis(t, metaTimeseriesSubstitutionPlot, map[string]any{"raw_values": raw, "substitution_series": subs})
	expect(t, fig, "data.0.name", "flow_substituted")
	expect(t, fig, "data.0.x", []any{"2020-01-01T00:00:00+00:00", "2020-01-01T00:05:00+00:00", "2020-01-01T00:15:00+00:00"})
	expect(t, fig, "data.0.y", []any{1, 5, 7})
	expect(t, fig, "data.1.y", []any{2})
	expect(t, fig, "data.2.y", []any{3})
	expect(t, fig, "data.2.marker.symbol", "x")
	expect(t, fig, "data.3.x", []any{"2020-01-01T00:15:00+00:00"})
	expect(t, fig, "data.3.marker.symbol", "cross")
	_, err := runVis(t, metaTimeseriesSubstitutionPlot, map[string]any{"raw_values": visSeries(int64(3), visTimes(data.UTC, 0), 1), "substitution_series": subs})
	expectError(t, err, "TypeError", "")
}

func TestPlotTimeSeriesAndValueIntervals(t *testing.T) {
	// two points 100 ns apart and three intervals: the marks sit at (i+1)·100/36 ns,
	// truncated as pandas divides a Timedelta: 2, 5 and 8 ns
	idx := data.Datetimes([]int64{visT0 + 100, visT0}, data.UTC)
	iv := func(lo, hi float64) *data.Dict { return dict("min_value", lo, "max_value", hi) }
	fig := mustVis(t, metaPlotTimeSeriesAndValueIntervals, map[string]any{
		"series":              data.NewSeries(nil, idx, data.Ints([]int64{1, 2})),
		"value_interval_dict": dict("a", iv(0, 1), "b", dict("min_value", "1", "max_value", int64(2), "fill_color", "", "line_color", "red"), "c", iv(2, 3)),
		"line_color":          "green", "fill_color": "lime",
	})
	expect(t, fig, "data.0.mode", "lines+markers")
	expect(t, fig, "layout.shapes.0.x0", "2020-01-01T00:00:00+00:00")
	expect(t, fig, "layout.shapes.0.x1", "2020-01-01T00:00:00.000000100+00:00")
	expect(t, fig, "layout.shapes.0.fillcolor", "lime")
	expect(t, fig, "layout.shapes.1.fillcolor", "lime") // "" is falsy
	expect(t, fig, "layout.shapes.1.line.color", "red")
	expect(t, fig, "layout.shapes.3.x0", "2020-01-01T00:00:00.000000002+00:00")
	expect(t, fig, "layout.shapes.4.x0", "2020-01-01T00:00:00.000000005+00:00")
	expect(t, fig, "layout.shapes.5.x0", "2020-01-01T00:00:00.000000008+00:00")
	expect(t, fig, "layout.shapes.4.label.text", "b")
	expect(t, fig, "layout.shapes.4.y0", 1.0)
	expect(t, fig, "layout.yaxis.title.text", "Values")

	_, err := runVis(t, metaPlotTimeSeriesAndValueIntervals, map[string]any{
		"series":              visSeries(nil, idx, 1, 2),
		"value_interval_dict": dict("bad", dict("min_value", 2.0, "max_value", 1.0), "worse", dict("max_value", []any{})),
		"line_color":          "green", "fill_color": "lime",
	})
	expectError(t, err, "ComponentInputValidationException", "There were input validation errors for the value_interval_dict:\n"+
		"bad: 1 validation error for ValueInterval\n__root__\n  To be valid, a value interval must be non-empty, i.e. min_value may not be bigger than max_value. (type=value_error)\n"+
		"worse: 2 validation errors for ValueInterval\nmin_value\n  field required (type=value_error.missing)\nmax_value\n  value is not a valid float (type=type_error.float)")
	_, err = runVis(t, metaPlotTimeSeriesAndValueIntervals, map[string]any{
		"series": data.NewSeries(nil, idx, data.Objects([]any{"a", "b"})), "value_interval_dict": dict(), "line_color": "g", "fill_color": "f",
	})
	expectError(t, err, "ComponentInputValidationException", "To display the time series entries, their dtype must be float or int, while it is object")
}

func TestTimeseriesDataFramePlot(t *testing.T) {
	// wide: the frame is sorted by its index, one trace per column
	wide := data.NewDataFrame(visTimes(data.UTC, 5, 0), []any{"a", int64(2)}, []data.Column{data.Floats([]float64{1, 2}), data.Ints([]int64{3, 4})})
	fig := mustVis(t, metaTimeseriesDataFramePlot, map[string]any{"dataframe": wide})
	expect(t, fig, "data.0.y", []any{2, 1})
	expect(t, fig, "data.1.name", "2")
	expect(t, fig, "data.1.y", []any{4, 3})
	// long: one trace per row (three rows of two metrics), each the metric's values
	// sorted by timestamp, the timestamps naive (numpy's .values of an aware column)
	long := data.NewDataFrame(data.Range(3), []any{"metric", "timestamp", "value"}, []data.Column{
		data.Objects([]any{"b", "a", "b"}), visTimes(data.UTC, 10, 0, 5), data.Floats([]float64{1, 2, 3}),
	})
	fig = mustVis(t, metaTimeseriesDataFramePlot, map[string]any{"dataframe": long})
	if n := len(traces(t, fig)); n != 3 {
		t.Fatalf("%d traces, want one per row", n)
	}
	expect(t, fig, "data.0.name", "b")
	expect(t, fig, "data.0.x", []any{"2020-01-01T00:05:00", "2020-01-01T00:10:00"})
	expect(t, fig, "data.0.y", []any{3, 1})
	expect(t, fig, "data.1.name", "a")
	expect(t, fig, "data.2.y", []any{3, 1})
}

func TestMultiAxisPositions(t *testing.T) {
	// nine columns: 9·0.06 ≥ 0.5, so the axes share half the figure at 1 − i·0.5/9
	names := make([]any, 9)
	cols := make([]data.Column, 9)
	for i := range cols {
		names[i] = "c" + strconv.Itoa(i)
		cols[i] = data.Floats([]float64{float64(i)})
	}
	fig := mustVis(t, metaTimeseriesDataFramePlotWithMultipleYAxes, map[string]any{"dataframe": data.NewDataFrame(visTimes(data.UTC, 0), names, cols)})
	expect(t, fig, "layout.xaxis.domain", []any{0, 0.5})
	expect(t, fig, "layout.yaxis.position", 1.0)
	expect(t, fig, "layout.yaxis9.position", 1-8*0.5/9)
	expect(t, fig, "layout.yaxis9.overlaying", "y")
	expect(t, fig, "data.8.yaxis", "y9")
	expect(t, fig, "layout.yaxis2.tickfont.color", "#EF553B")
	// no columns: no traces, the plot keeps the whole width
	fig = mustVis(t, metaDataFramePlotWithMultipleXAndYAxes, map[string]any{"dataframe": data.NewDataFrame(data.Range(0), nil, nil)})
	if len(traces(t, fig)) != 0 {
		t.Error("traces without columns")
	}
	expect(t, fig, "layout.height", 400)
}

func TestTimeseriesPlotWithMultipleMovableXAndYAxes(t *testing.T) {
	// each metric's rows sorted by timestamp; metrics in order of first appearance
	f := data.NewDataFrame(data.Range(3), []any{"metric", "value", "timestamp"}, []data.Column{
		data.Objects([]any{"m", "n", "m"}), data.Floats([]float64{1, 2, 3}), visTimes(data.UTC, 10, 0, 5),
	})
	fig := mustVis(t, metaTimeseriesPlotWithMultipleMovableXAndYAxes, map[string]any{"dataframe": f})
	expect(t, fig, "data.0.y", []any{3, 1})
	expect(t, fig, "data.1.name", "n")
	expect(t, fig, "data.1.xaxis", "x2")
	expect(t, fig, "layout.xaxis2.position", 1-(1-0.16-0.16))
	expect(t, fig, "layout.showlegend", false)
	// without a timestamp column an empty frame passes (no metric, no sort) …
	empty := data.NewDataFrame(data.Range(0), []any{"metric", "value"}, []data.Column{data.Objects(nil), data.Floats(nil)})
	mustVis(t, metaTimeseriesPlotWithMultipleMovableXAndYAxes, map[string]any{"dataframe": empty})
	// … and a frame without metric column fails first on that
	_, err := runVis(t, metaTimeseriesPlotWithMultipleMovableXAndYAxes, map[string]any{"dataframe": data.NewDataFrame(data.Range(0), nil, nil)})
	expectError(t, err, "KeyError", "'metric'")
}

func TestGridGenerator2D(t *testing.T) {
	spec, _ := Registry().Get(meta2DGridGenerator.ID)
	run := func(n int64, lo, hi float64) (component.Outputs, error) {
		return spec.Run(context.Background(), component.NewInputs(spec, map[string]any{"x_min": lo, "x_max": hi, "y_min": 10.0, "y_max": 20.0, "n": n}))
	}
	// n = 3: xs = linspace(0, 1, 3) = [0, 0.5, 1]; the meshgrid raveled row by row
	out, err := run(3, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	xv := out["x_values"].(*data.Series)
	yv := out["y_values"].(*data.Series)
	if !reflect.DeepEqual(xv.Values.F, []float64{0, 0.5, 1, 0, 0.5, 1, 0, 0.5, 1}) || !reflect.DeepEqual(yv.Values.F, []float64{10, 10, 10, 15, 15, 15, 20, 20, 20}) {
		t.Errorf("grid %v / %v", xv.Values.F, yv.Values.F)
	}
	if xv.Name != "x" || yv.Name != "y" || xv.Index.Len() != 9 {
		t.Errorf("names %v %v, index %d", xv.Name, yv.Name, xv.Index.Len())
	}
	// start = stop: numpy's zero-step branch gives the value everywhere
	out, _ = run(3, 2, 2)
	if xi := out["x_indices"].(*data.Series).Values.F; !reflect.DeepEqual(xi, []float64{2, 2, 2}) {
		t.Errorf("constant linspace %v", xi)
	}
	if out, _ = run(0, 0, 1); out["x_values"].(*data.Series).Len() != 0 {
		t.Error("n = 0 is an empty grid")
	}
	_, err = run(1<<20, 0, 1)
	expectError(t, err, "MemoryError", "")
}

func TestContourPlot(t *testing.T) {
	fig := mustVis(t, metaContourPlot, map[string]any{
		"x": data.NewSeries(nil, data.Range(2), data.Ints([]int64{0, 1})),
		"y": visSeries(nil, data.Range(2), 0.5, 1),
		"z": data.NewSeries(nil, data.Range(4), data.Ints([]int64{1, 2, 3, 4})),
	})
	expect(t, fig, "data.0.z", []any{[]any{1, 2}, []any{3, 4}})
	expect(t, fig, "layout.width", 440)
	for _, c := range []struct {
		nx, nz int
		msg    string
	}{{3, 4, "cannot reshape array of size 4 into shape (3)"}, {0, 2, "cannot reshape array of size 2 into shape (0)"}, {0, 0, "cannot reshape array of size 0 into shape (0)"}} {
		_, err := runVis(t, metaContourPlot, map[string]any{
			"x": data.NewSeries(nil, data.Range(c.nx), data.Floats(make([]float64, c.nx))),
			"y": visSeries(nil, data.Range(1), 1),
			"z": data.NewSeries(nil, data.Range(c.nz), data.Floats(make([]float64, c.nz))),
		})
		expectError(t, err, "ValueError", c.msg)
	}
}

func TestCorrelationMatrixHeatmapPlot(t *testing.T) {
	// a bool column counts as 0/1 (pandas 2.1's corr(numeric_only=False)); pandas prints
	// 0.2581988897471611 for this pair
	f := data.NewDataFrame(data.Range(4), []any{"a", "b"}, []data.Column{data.Floats([]float64{1, 2, 3, 4}), data.Bools([]bool{true, false, true, true})})
	fig := mustVis(t, metaCorrelationMatrixHeatmapPlot, map[string]any{"dataframe": f})
	expect(t, fig, "data.0.z", []any{[]any{1.0, 0.2581988897471611}, []any{0.2581988897471611, 1.0}})
	expect(t, fig, "data.0.hovertext.0.1", "0.2581988897471611")
	expect(t, fig, "data.0.x", []any{"a", "b"})
	expect(t, fig, "layout.yaxis.autorange", "reversed")
	f = data.NewDataFrame(data.Range(1), []any{"s"}, []data.Column{data.Objects([]any{"x"})})
	_, err := runVis(t, metaCorrelationMatrixHeatmapPlot, map[string]any{"dataframe": f})
	expectError(t, err, "ValueError", "could not convert string to float: 'x'")
}

func TestDisplayTableWidths(t *testing.T) {
	long := strings.Repeat("ä", 250)
	f := data.NewDataFrame(data.Range(2), []any{"f", "bool", "short", "long", "mixed", "when", "a very long column name"}, []data.Column{
		data.Floats([]float64{1, 2}), data.Bools([]bool{true, false}), data.Objects([]any{"ab", "c"}), data.Objects([]any{long, "x"}),
		data.Objects([]any{"a", nil}), visTimes(data.UTC, 0, 1), data.TimedeltaCol([]int64{1, 2}),
	})
	// float 16; bool 6 but the name "bool" has 4; short strings at least 12; long ones at
	// most 200 (characters, not bytes); strings mixed with None count as objects (32,
	// pandas 2.1); datetimes 32; timedeltas 50, but the 23-character name needs only 23
	fig := mustVis(t, metaDisplayTableV101, map[string]any{"data": f, "auto_col_width": true})
	expect(t, fig, "data.0.columnwidth", []any{16, 6, 12, 200, 32, 32, 50})
	expect(t, fig, "data.0.cells.values.5", []any{"2020-01-01T00:00:00+00:00", "2020-01-01T00:01:00+00:00"})
	expect(t, fig, "data.0.header.values", []any{"f", "bool", "short", "long", "mixed", "when", "a very long column name"})
	fig = mustVis(t, metaDisplayTableV101, map[string]any{"data": f, "auto_col_width": false})
	if has(at(t, fig, "data.0"), "columnwidth") {
		t.Error("auto_col_width false sets widths")
	}
	fig = mustVis(t, metaDisplayTableV100, map[string]any{"data": f})
	if has(at(t, fig, "data.0"), "columnwidth") {
		t.Error("1.0.0 sets widths")
	}
	expect(t, fig, "layout.margin.r", 15.0)
	_, err := runVis(t, metaDisplayTableV101, map[string]any{"data": data.NewDataFrame(data.Range(1), []any{int64(7)}, []data.Column{data.Floats([]float64{1})}), "auto_col_width": true})
	expectError(t, err, "TypeError", "object of type 'int' has no len()")
	_, err = runVis(t, metaDisplayTableV101, map[string]any{"data": data.NewDataFrame(data.Range(0), []any{"s"}, []data.Column{data.Objects(nil)}), "auto_col_width": true})
	expectError(t, err, "ValueError", "max() arg is an empty sequence")
}

func TestScatterPlotColoredByIndex(t *testing.T) {
	// unequal indexes align on the sorted union (NaN where a side lacks a label); a naive
	// datetime index colours by seconds since the earliest timestamp
	fig := mustVis(t, meta2DScatterPlotColoredByIndex, map[string]any{
		"x": visSeries(nil, visTimes(data.Naive, 10, 0), 1, 2),
		"y": visSeries(nil, visTimes(data.Naive, 5, 0), 3, 4),
	})
	expect(t, fig, "data.0.x", []any{2, nil, 1})
	expect(t, fig, "data.0.y", []any{4, 3, nil})
	expect(t, fig, "data.0.marker.color", []any{0.0, 300.0, 600.0})
	expect(t, fig, "layout.coloraxis.colorbar.title.text", "seconds_from_start")
	expect(t, fig, "layout.height", 400)
	// a boolean index is discrete for plotly.express: one trace per value
	fig = mustVis(t, meta2DScatterPlotColoredByIndex, map[string]any{
		"x": visSeries(nil, data.Bools([]bool{true, false}), 1, 2),
		"y": visSeries(nil, data.Bools([]bool{true, false}), 3, 4),
	})
	expect(t, fig, "data.0.name", "True")
	expect(t, fig, "data.1.marker.color", "#EF553B")
	expect(t, fig, "layout.legend.title.text", "index")
	_, err := runVis(t, meta2DScatterPlotColoredByIndex, map[string]any{
		"x": visSeries(nil, visTimes(data.Naive, 0), 1), "y": visSeries(nil, visTimes(data.UTC, 0), 1),
	})
	expectError(t, err, "TypeError", "")
}

func TestScatterPlotColoredByOtherSeries(t *testing.T) {
	idx := visTimes(data.UTC, 0, 5, 10, 15)
	// categories in order of appearance; the missing one takes a colour of the colorway
	// (px maps every unique value, NaN included) but its rows vanish (groupby drops them)
	fig := mustVis(t, meta2DScatterPlotColoredByOtherSeries, map[string]any{
		"x":     visSeries(nil, idx, 1, 2, 3, 4),
		"y":     visSeries(nil, idx, 5, 6, 7, 8),
		"color": data.NewSeries("kind", idx, data.Objects([]any{"b", "a", "b", "c"})),
	})
	if n := len(traces(t, fig)); n != 3 {
		t.Fatalf("%d traces, want 3", n)
	}
	expect(t, fig, "data.0.x", []any{1, 3})
	expect(t, fig, "data.0.hovertemplate", "kind=b<br>x=%{x}<br>y=%{y}<extra></extra>")
	expect(t, fig, "data.2.marker.color", "#00cc96")
	// a colour series aligned to the frame: a label it lacks gives NaN; named "x", it
	// replaces the x column (df["x"] = color)
	fig = mustVis(t, meta2DScatterPlotColoredByOtherSeries, map[string]any{
		"x":     visSeries(nil, idx, 1, 2, 3, 4),
		"y":     visSeries(nil, idx, 5, 6, 7, 8),
		"color": data.NewSeries("x", visTimes(data.UTC, 0, 5), data.Ints([]int64{9, 8})),
	})
	expect(t, fig, "data.0.x", []any{9, 8, nil, nil})
	expect(t, fig, "data.0.marker.color", []any{9, 8, nil, nil})
	_, err := runVis(t, meta2DScatterPlotColoredByOtherSeries, map[string]any{
		"x": visSeries(nil, idx, 1, 2, 3, 4), "y": visSeries(nil, idx, 5, 6, 7, 8),
		"color": data.NewSeries(nil, idx, data.TimedeltaCol([]int64{1, 2, 3, 4})),
	})
	expectError(t, err, "ValueError", "Index is not of a dtype that allows coloring from it")
}

func TestVerticalBarPlotOrientation(t *testing.T) {
	// a numeric index with string values: x continuous, y not → px orients "h"
	fig := mustVis(t, metaVerticalBarPlot, map[string]any{"series": data.NewSeries(nil, data.Range(2), data.Objects([]any{"a", "b"}))})
	expect(t, fig, "data.0.orientation", "h")
	fig = mustVis(t, metaVerticalBarPlot, map[string]any{"series": visSeries(nil, data.Range(0))})
	expect(t, fig, "data.0.x", []any{})
	expect(t, fig, "data.0.orientation", "v")
}

func TestPieChartPlotColumns(t *testing.T) {
	f := data.NewDataFrame(data.Range(1), []any{"v", "g"}, []data.Column{data.Floats([]float64{1}), data.Objects([]any{"x"})})
	// px checks names before values
	_, err := runVis(t, metaPieChartPlot, map[string]any{"dataframe": f, "value_column": "w", "group_column": "h"})
	expectError(t, err, "ValueError", "Value of 'names' is not the name of a column in 'data_frame'. Expected one of ['v', 'g'] but received: h")
	fig := mustVis(t, metaPieChartPlot, map[string]any{"dataframe": f, "value_column": "v", "group_column": "v"})
	expect(t, fig, "data.0.hovertemplate", "v=%{label}<br>v=%{value}<extra></extra>")
}

func TestTimeseriesIntervalBoxplots(t *testing.T) {
	// the wall-clock date in the index's zone: 23:30 UTC on 1 March is 2 March at +02:00;
	// 2021-01-03 lies in ISO week 53 (of 2020), written with the calendar year 2021
	plus2 := data.Zone{Aware: true, Offset: 7200}
	idx := data.Datetimes([]int64{1772407800e9, 1609632000e9}, plus2) // 2026-03-01T23:30Z, 2021-01-03T00:00Z
	fig := mustVis(t, metaTimeseriesIntervalBoxplots, map[string]any{"series": visSeries("p", idx, 1, 2), "interval": "D"})
	expect(t, fig, "data.0.x", []any{"2021--01--03", "2026--03--02"})
	expect(t, fig, "data.0.hovertemplate", "year--month--day=%{x}<br>p=%{y}<extra></extra>")
	expect(t, fig, "layout.xaxis.title.text", "year--month--day")
	fig = mustVis(t, metaTimeseriesIntervalBoxplots, map[string]any{"series": visSeries(nil, idx, 1, 2), "interval": "week"})
	expect(t, fig, "data.0.x", []any{"2021--53", "2026--10"})
	expect(t, fig, "data.0.hovertemplate", "year--week=%{x}<br>0=%{y}<extra></extra>")
	fig = mustVis(t, metaTimeseriesIntervalBoxplots, map[string]any{"series": visSeries(nil, data.Datetimes([]int64{data.NaT}, data.Naive), 1), "interval": "y"})
	expect(t, fig, "data.0.x", []any{"nan"})
	_, err := runVis(t, metaTimeseriesIntervalBoxplots, map[string]any{"series": visSeries(nil, data.Datetimes([]int64{data.NaT}, data.Naive), 1), "interval": "m"})
	expectError(t, err, "ValueError", "Unknown format code 'd' for object of type 'float'")
	_, err = runVis(t, metaTimeseriesIntervalBoxplots, map[string]any{"series": visSeries(nil, data.Range(1), 1), "interval": "m"})
	expectError(t, err, "AttributeError", "'int' object has no attribute 'year'")
	_, err = runVis(t, metaTimeseriesIntervalBoxplots, map[string]any{"series": visSeries(nil, data.Range(1), 1), "interval": "quarter"})
	expectError(t, err, "ValueError", "Unknown interval string: quarter")
}

func TestSimpleScatterMapPlot(t *testing.T) {
	frame := func(cats data.Column) *data.DataFrame {
		return data.NewDataFrame(data.Range(3), []any{"lat", "lon", "name", "description", "k"}, []data.Column{
			data.Floats([]float64{50, 51, math.NaN()}), data.Floats([]float64{8, 9, 10}),
			data.Objects([]any{"A", "B", "C"}), data.Objects([]any{"a", "b", "c"}), cats,
		})
	}
	// a category the map lacks takes colorway[len(map) + earlier unmapped ones]: the map
	// has two entries, so "new" gets the third colour; the centre is the NaN-skipping mean
	fig := mustVis(t, metaSimpleScatterMapPlot, map[string]any{
		"data": frame(data.Objects([]any{"p", "new", "p"})), "color_map": dict("p", "#ff0000", "q", "#00ff00"), "cat_color_col": "k",
	})
	expect(t, fig, "data.0.marker.color", "#ff0000")
	expect(t, fig, "data.0.customdata", []any{[]any{"a"}, []any{"c"}})
	expect(t, fig, "data.1.marker.color", "#00cc96")
	expect(t, fig, "data.1.hovertext", []any{"B"})
	expect(t, fig, "layout.mapbox.center.lat", 50.5)
	expect(t, fig, "layout.mapbox.center.lon", 9.0)
	expect(t, fig, "layout.mapbox.style", "open-street-map")
	// a numeric category column colours continuously
	fig = mustVis(t, metaSimpleScatterMapPlot, map[string]any{"data": frame(data.Floats([]float64{1, 2, 3})), "color_map": nil, "cat_color_col": "k"})
	expect(t, fig, "data.0.marker.coloraxis", "coloraxis")
	expect(t, fig, "layout.coloraxis.colorbar.title.text", "k")
	f := frame(data.Objects([]any{"p", "p", "p"}))
	_, err := runVis(t, metaSimpleScatterMapPlot, map[string]any{"data": f, "color_map": dict(), "cat_color_col": "kind"})
	expectError(t, err, "ValueError", "Value of 'color' is not the name of a column in 'data_frame'. Expected one of ['lat', 'lon', 'name', 'description', 'k'] but received: kind")
}
