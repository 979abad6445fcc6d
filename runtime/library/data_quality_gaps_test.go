package library

import (
	"math"
	"reflect"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// hetida's documented series for gap detection: steps of 1–3 minutes with two long gaps.
func docSeries(t *testing.T) *data.Series {
	return data.NewSeries(nil, utc(t, "2020-01-01T01:16:00Z", "2020-01-01T01:18:00Z", "2020-01-01T01:19:00Z", "2020-01-01T01:20:00Z",
		"2020-01-01T01:22:00Z", "2020-01-01T01:23:00Z", "2020-01-01T01:25:00Z", "2020-01-01T08:28:00Z", "2020-01-01T08:30:00Z",
		"2020-01-01T08:31:00Z", "2020-01-01T16:34:00Z"),
		data.Floats([]float64{10, 10, 10, 10, 20, 20, 20, 20, 30, 30, 30}))
}

// gapRow is one row of gap_info, timestamps as ISO strings.
type gapRow struct {
	start, end         string
	startIncl, endIncl bool
	size, left, right  float64
	mean               float64
}

func gapRows(t *testing.T, f *data.DataFrame) []gapRow {
	t.Helper()
	col := func(name string) data.Column { c, _ := f.Col(name); return c }
	st, en := isoOf(col("start_time")), isoOf(col("end_time"))
	size := floatsOf(t, col("gap_size_in_seconds"))
	l, r, m := floatsOf(t, col("value_to_left")), floatsOf(t, col("value_to_right")), floatsOf(t, col("mean_left_right"))
	rows := make([]gapRow, f.Len())
	for i := range rows {
		rows[i] = gapRow{st[i], en[i], col("start_inclusive").B[i], col("end_inclusive").B[i], size[i], l[i], r[i], m[i]}
	}
	return rows
}

func sameGapRows(a, b []gapRow) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.start != y.start || x.end != y.end || x.startIncl != y.startIncl || x.endIncl != y.endIncl ||
			!sameFloats([]float64{x.size, x.left, x.right, x.mean}, []float64{y.size, y.left, y.right, y.mean}, 1e-12) {
			return false
		}
	}
	return true
}

func gapDetect(t *testing.T, in map[string]any) (component.Outputs, error) {
	t.Helper()
	spec, _ := Registry().Get(metaGapDetectionIntervals.ID)
	vals := map[string]any{}
	for _, p := range spec.In {
		if p.Optional {
			vals[p.Name] = parsedDefault(t)(p)
		}
	}
	for k, v := range in {
		vals[k] = v
	}
	return call(t, &metaGapDetectionIntervals, vals)
}

// Gap detection with and without range bounds, on hetida's documented examples (their
// expected outputs quoted from the documentation) and on the quirks of its code.
func TestGapDetectionIntervals(t *testing.T) {
	nan := math.NaN()
	const z = "+00:00"
	at := func(hm string) string { return "2020-01-01T" + hm + ":00" + z }
	cases := []struct {
		name string
		in   map[string]any
		rows []gapRow
		freq string
	}{
		{
			// no bounds: the median step is 2 min, so only the two long gaps count
			"auto, no bounds", map[string]any{"timeseries": docSeries(t)},
			[]gapRow{{at("01:25"), at("08:28"), false, false, 25380, 20, 20, 20}, {at("08:31"), at("16:34"), false, false, 28980, 30, 30, 30}},
			"2T",
		},
		{
			// bounds and 1 min: the range start 00:16 is inserted as a missing point, so
			// the first gap has no value to its left
			"bounds, 1min", map[string]any{"timeseries": docSeries(t), "interval_start_timestamp": "2020-01-01T00:16:00.000Z",
				"interval_end_timestamp": "2020-01-01T16:34:00.000Z", "auto_frequency_determination": false, "expected_data_frequency": "1min"},
			[]gapRow{{at("00:16"), at("01:16"), false, false, 3600, nan, 10, nan}, {at("01:16"), at("01:18"), false, false, 120, 10, 10, 10},
				{at("01:20"), at("01:22"), false, false, 120, 10, 20, 15}, {at("01:23"), at("01:25"), false, false, 120, 20, 20, 20},
				{at("01:25"), at("08:28"), false, false, 25380, 20, 20, 20}, {at("08:28"), at("08:30"), false, false, 120, 20, 30, 25},
				{at("08:31"), at("16:34"), false, false, 28980, 30, 30, 30}},
			"T",
		},
		{
			// only a start bound: the end is the last point
			"start bound only", map[string]any{"timeseries": docSeries(t), "interval_start_timestamp": "2020-01-01T01:00:00Z",
				"auto_frequency_determination": false, "expected_data_frequency": "3min"},
			[]gapRow{{at("01:00"), at("01:16"), false, false, 960, nan, 10, nan}, {at("01:25"), at("08:28"), false, false, 25380, 20, 20, 20},
				{at("08:31"), at("16:34"), false, false, 28980, 30, 30, 30}},
			"3T",
		},
		{
			// only an end bound, before the last point: the series is cut at 10:00 and
			// 10:00 inserted, so the last gap ends there without a value to its right
			"end bound only", map[string]any{"timeseries": docSeries(t), "interval_end_timestamp": "2020-01-01T10:00:00Z",
				"auto_frequency_determination": false, "expected_data_frequency": "3min"},
			[]gapRow{{at("01:25"), at("08:28"), false, false, 25380, 20, 20, 20}, {at("08:31"), at("10:00"), false, false, 5340, 30, nan, nan}},
			"3T",
		},
		{
			// the rhythm 0s + k·1min: 01:16 and 01:19 are the bounds (inserted, missing), 01:17
			// and 01:18 are missing rhythm points: four point gaps, inclusive
			"offset rhythm", map[string]any{"timeseries": data.NewSeries(nil, utc(t, "2020-01-01T01:16:30Z", "2020-01-01T01:17:30Z", "2020-01-01T01:18:30Z"), data.Floats([]float64{10, 10, 10})),
				"interval_start_timestamp": "2020-01-01T01:16:00.000Z", "interval_end_timestamp": "2020-01-01T01:19:00.000Z",
				"auto_frequency_determination": false, "expected_data_frequency": "1min", "expected_data_frequency_offset": "0s"},
			[]gapRow{{at("01:16"), at("01:16"), true, true, 0, nan, 10, nan}, {at("01:17"), at("01:17"), true, true, 0, 10, 10, 10},
				{at("01:18"), at("01:18"), true, true, 0, 10, 10, 10}, {at("01:19"), at("01:19"), true, true, 0, 10, nan, nan}},
			"T",
		},
	}
	for _, c := range cases {
		out, err := gapDetect(t, c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := gapRows(t, out["gap_info"].(*data.DataFrame)); !sameGapRows(got, c.rows) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.rows)
		}
		if out["data_frequency"] != c.freq {
			t.Errorf("%s: data_frequency %v, want %s", c.name, out["data_frequency"], c.freq)
		}
	}
}

// External gaps only (deactivate_freq_based_gap_detection): hetida's documented example —
// intervals clipped to the range (01:14–01:25 starts at 01:16, inclusive), a point at
// 01:25 absorbed by the interval ending there, the overlapping 01:31–01:33 and 01:32–01:38
// merged and clipped at 01:34 — and, as in hetida, no data_frequency output.
func TestGapDetectionExternalGaps(t *testing.T) {
	s := data.NewSeries(nil, utc(t, "2020-01-01T01:16:00Z", "2020-01-01T01:18:00Z", "2020-01-01T01:19:00Z", "2020-01-01T01:20:00Z",
		"2020-01-01T01:22:00Z", "2020-01-01T01:23:00Z", "2020-01-01T01:25:00Z", "2020-01-01T01:28:00Z", "2020-01-01T01:30:00Z",
		"2020-01-01T01:31:00Z", "2020-01-01T01:34:00Z"),
		data.Floats([]float64{10, 10, 10, 10, 20, 20, 20, 20, 30, 30, 30}))
	points := data.NewSeries(nil, utc(t, "2020-01-01T01:25:00Z", "2020-01-01T01:29:00Z"), data.Bools([]bool{true, true}))
	ivFrame := func(rows ...[4]any) *data.DataFrame {
		var st, en []string
		var si, ei []bool
		for _, r := range rows {
			st, en = append(st, r[0].(string)), append(en, r[1].(string))
			si, ei = append(si, r[2].(bool)), append(ei, r[3].(bool))
		}
		return data.NewDataFrame(data.Range(len(rows)), []any{"start_time", "end_time", "start_inclusive", "end_inclusive"},
			[]data.Column{utc(t, st...), utc(t, en...), data.Bools(si), data.Bools(ei)})
	}
	iv := ivFrame([4]any{"2020-01-01T01:01:00Z", "2020-01-01T01:13:00Z", false, false}, [4]any{"2020-01-01T01:14:00Z", "2020-01-01T01:25:00Z", false, false},
		[4]any{"2020-01-01T01:31:00Z", "2020-01-01T01:33:00Z", false, false}, [4]any{"2020-01-01T01:32:00Z", "2020-01-01T01:38:00Z", false, false})
	out, err := gapDetect(t, map[string]any{"timeseries": s, "externally_determined_gap_timestamps": points,
		"externally_determined_gap_intervals": iv, "deactivate_freq_based_gap_detection": true})
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	want := []gapRow{{"2020-01-01T01:16:00+00:00", "2020-01-01T01:25:00+00:00", true, true, 540, nan, 20, nan},
		{"2020-01-01T01:29:00+00:00", "2020-01-01T01:29:00+00:00", true, true, 0, 20, 30, 25},
		{"2020-01-01T01:31:00+00:00", "2020-01-01T01:34:00+00:00", false, true, 180, 30, nan, nan}}
	if got := gapRows(t, out["gap_info"].(*data.DataFrame)); !sameGapRows(got, want) {
		t.Errorf("documented example:\n got %+v\nwant %+v", got, want)
	}
	if _, ok := out["data_frequency"]; ok {
		t.Errorf("data_frequency returned although hetida returns none here")
	}

	// inclusive boundaries skip every inclusive boundary's own row (hetida drops them
	// before the reindex): the left of [01:19 is 01:16's 10, not 01:18's, since 01:18 is
	// itself an inclusive gap start; the right of 01:22] is 01:23's 20. (pandas' result)
	points = data.NewSeries(nil, utc(t, "2020-01-01T01:18:00Z", "2020-01-01T01:19:00Z", "2020-01-01T01:31:00Z"), data.Ints([]int64{1, 1, 1}))
	out, err = gapDetect(t, map[string]any{"timeseries": s, "externally_determined_gap_timestamps": points,
		"externally_determined_gap_intervals": ivFrame([4]any{"2020-01-01T01:19:00Z", "2020-01-01T01:22:00Z", true, true}), "deactivate_freq_based_gap_detection": true})
	if err != nil {
		t.Fatal(err)
	}
	want = []gapRow{{"2020-01-01T01:18:00+00:00", "2020-01-01T01:18:00+00:00", true, true, 0, 10, 10, 10},
		{"2020-01-01T01:19:00+00:00", "2020-01-01T01:22:00+00:00", true, true, 180, 10, 20, 15},
		{"2020-01-01T01:31:00+00:00", "2020-01-01T01:31:00+00:00", true, true, 0, 30, 30, 30}}
	if got := gapRows(t, out["gap_info"].(*data.DataFrame)); !sameGapRows(got, want) {
		t.Errorf("inclusive chain:\n got %+v\nwant %+v", got, want)
	}

	// hetida's merge keeps the last row's end of overlapping intervals, not the largest:
	// (01:17, 01:30) and [01:18, 01:20) merge into (01:17, 01:20)
	out, err = gapDetect(t, map[string]any{"timeseries": s, "deactivate_freq_based_gap_detection": true,
		"externally_determined_gap_intervals": ivFrame([4]any{"2020-01-01T01:17:00Z", "2020-01-01T01:30:00Z", false, false}, [4]any{"2020-01-01T01:18:00Z", "2020-01-01T01:20:00Z", true, false})})
	if err != nil {
		t.Fatal(err)
	}
	want = []gapRow{{"2020-01-01T01:17:00+00:00", "2020-01-01T01:20:00+00:00", false, false, 180, 10, 10, 10}}
	if got := gapRows(t, out["gap_info"].(*data.DataFrame)); !sameGapRows(got, want) {
		t.Errorf("merge quirk:\n got %+v\nwant %+v", got, want)
	}
}

// Gap detection's validation, in the order of hetida's pydantic model, and its edges.
func TestGapDetectionErrors(t *testing.T) {
	s := docSeries(t)
	nan := math.NaN()
	for _, c := range []struct {
		name     string
		in       map[string]any
		typ, msg string
	}{
		{"start after end", map[string]any{"interval_start_timestamp": "2020-01-02T01:00:00Z", "interval_end_timestamp": "2020-01-01T01:00:00Z"},
			"ComponentInputValidationException", "The value interval_start_timestamp must not be later than the interval_end_timestamp, while it is 2020-01-02 01:00:00+00:00 > 2020-01-01 01:00:00+00:00."},
		{"bad start", map[string]any{"interval_start_timestamp": "soon"}, "ComponentInputValidationException", "Unknown string format: soon present at position 0"},
		{"percentile", map[string]any{"auto_freq_percentile": 2.0}, "ComponentInputValidationException", "The percentile value has to be a non-negative float less or equal to 1."},
		{"frequency with auto", map[string]any{"expected_data_frequency": "1min"}, "ComponentInputValidationException", "The expected_data_frequency_str must not be set, if automatical frequency determination is enabled."},
		{"no frequency", map[string]any{"auto_frequency_determination": false}, "ComponentInputValidationException", "An expected_data_frequency_str is required for gap detection, if it is not automatically determined."},
		// ValueErrors inside pydantic validators become a ValidationError
		{"bad frequency", map[string]any{"auto_frequency_determination": false, "expected_data_frequency": "abc"},
			"ValidationError", "1 validation error for GapDetectionParameters\nexpected_data_frequency\n  Invalid frequency: abc (type=value_error)"},
		{"calendar frequency", map[string]any{"auto_frequency_determination": false, "expected_data_frequency": "M"},
			"ValidationError", "1 validation error for GapDetectionParameters\nexpected_data_frequency\n  Value must be Timedelta, string, integer, float, timedelta or convertible, not MonthEnd (type=value_error)"},
		// the offset validator then reads the failed field: pydantic lets the KeyError out
		{"bad frequency and offset", map[string]any{"auto_frequency_determination": false, "expected_data_frequency": "abc", "expected_data_frequency_offset": "1s"}, "KeyError", "'expected_data_frequency'"},
		{"offset with auto", map[string]any{"expected_data_frequency_offset": "1s"}, "ComponentInputValidationException", "The expected_data_frequency_offset_str must not be set"},
		{"negative factor", map[string]any{"expected_data_freq_allowed_variance_factor": -1.0}, "ComponentInputValidationException", "The gap size factor has to be a non-negative float."},
		{"too few points", map[string]any{"auto_freq_min_amount_datapoints": int64(20)}, "ComponentInputValidationException", "The timeseries does not contain at least 20 datapoints."},
		{"zero frequency", map[string]any{"auto_frequency_determination": false, "expected_data_frequency": "0s"}, "ZeroDivisionError", "float division by zero"},
		{"attrs frequency", map[string]any{"timeseries": &data.Series{Index: s.Index, Values: s.Values, Attrs: dictOf("ref_data_frequency", "xyz")}}, "ValueError", "Invalid frequency: xyz"},
		{"naive index, aware bound", map[string]any{"timeseries": data.NewSeries(nil, data.Datetimes(s.Index.I, data.Naive), s.Values),
			"interval_start_timestamp": "2020-01-01T00:00:00Z", "auto_frequency_determination": false, "expected_data_frequency": "1min"},
			"ValidationError", "1 validation error for GapDetectionParameters\ninterval_end_timestamp\n  Cannot compare tz-naive and tz-aware timestamps (type=type_error)"},
		{"integer index", map[string]any{"timeseries": data.NewSeries(nil, data.Range(2), data.Floats([]float64{1, 2}))}, "ComponentInputValidationException", "The index of `timeseries` is not of any datetime64 dtype, but int64."},
		{"one point", map[string]any{"timeseries": data.NewSeries(nil, utc(t, "2020-01-01T00:00:00Z"), data.Floats([]float64{nan})), "auto_freq_min_amount_datapoints": int64(0)}, "ValueError", "Invalid frequency: NaT"},
		// an end of "" is NaT: with an offset, the expected points' date_range refuses it
		// (found by tools/difffuzz.py; pandas 1.5.3: start 00:12:30.5, end "", 5min, offset
		// 1min → this ValueError)
		{"end NaT with offset", map[string]any{"interval_start_timestamp": "2020-01-01T01:12:30.500Z", "interval_end_timestamp": "",
			"auto_frequency_determination": false, "expected_data_frequency": "5min", "expected_data_frequency_offset": "1min"},
			"ValueError", "Neither `start` nor `end` can be NaT"},
	} {
		in := map[string]any{"timeseries": s}
		for k, v := range c.in {
			in[k] = v
		}
		_, err := gapDetect(t, in)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		t.Run(c.name, func(t *testing.T) { wantError(t, err, c.typ, c.msg) })
	}
	// an empty series with a range: the range bounds become the only (missing) points
	out, err := gapDetect(t, map[string]any{"timeseries": data.NewSeries(nil, data.Datetimes([]int64{}, data.UTC), data.Floats([]float64{})),
		"interval_start_timestamp": "2020-01-01T00:00:00Z", "interval_end_timestamp": "2020-01-01T01:00:00Z",
		"auto_frequency_determination": false, "expected_data_frequency": "10min"})
	if err != nil {
		t.Fatal(err)
	}
	want := []gapRow{{"2020-01-01T00:00:00+00:00", "2020-01-01T01:00:00+00:00", false, false, 3600, nan, nan, nan}}
	if got := gapRows(t, out["gap_info"].(*data.DataFrame)); !sameGapRows(got, want) {
		t.Errorf("empty series: %+v", got)
	}
	// all-NaN values: gaps are found from the timestamps, every value is missing
	allNaN := data.NewSeries(nil, s.Index, data.Floats(make([]float64, s.Len())))
	for i := range allNaN.Values.F {
		allNaN.Values.F[i] = nan
	}
	out, err = gapDetect(t, map[string]any{"timeseries": allNaN})
	if err != nil {
		t.Fatal(err)
	}
	if rows := gapRows(t, out["gap_info"].(*data.DataFrame)); len(rows) != 2 || !math.IsNaN(rows[0].left) {
		t.Errorf("all NaN: %+v", rows)
	}
}

// Replacement Locations for Gaps: hetida's test wiring (the rhythm anchored at the first
// gap's start, 01:16, every 2 min), the same with all_gap_points false (the point gap
// 01:29 is not on the rhythm and disappears), exclusive bounds on the rhythm, an explicit
// offset, and a series giving the rhythm. Expectations worked out by hand and checked
// with hetida's code.
func TestReplacementLocationsForGaps(t *testing.T) {
	ivFrame := func(rows ...[4]any) *data.DataFrame {
		var st, en []string
		var si, ei []bool
		for _, r := range rows {
			st, en = append(st, r[0].(string)), append(en, r[1].(string))
			si, ei = append(si, r[2].(bool)), append(ei, r[3].(bool))
		}
		return data.NewDataFrame(data.Range(len(rows)), []any{"start_time", "end_time", "start_inclusive", "end_inclusive"},
			[]data.Column{utc(t, st...), utc(t, en...), data.Bools(si), data.Bools(ei)})
	}
	tw := ivFrame([4]any{"2020-01-01T01:16:00Z", "2020-01-01T01:25:00Z", true, true}, [4]any{"2020-01-01T01:29:00Z", "2020-01-01T01:29:00Z", true, true},
		[4]any{"2020-01-01T01:31:00Z", "2020-01-01T01:34:00Z", false, true})
	odd := ivFrame([4]any{"2020-01-01T01:16:30Z", "2020-01-01T01:25:00Z", false, false}, [4]any{"2020-01-01T01:29:00Z", "2020-01-01T01:29:00Z", true, true},
		[4]any{"2020-01-01T01:31:10Z", "2020-01-01T01:38:20Z", false, false})
	hm := func(list ...string) []string {
		out := make([]string, len(list))
		for i, s := range list {
			out[i] = "2020-01-01T" + s + "+00:00"
		}
		return out
	}
	spec, _ := Registry().Get(metaReplacementLocationsForGaps.ID)
	run := func(in map[string]any) (*data.Series, error) {
		vals := map[string]any{}
		for _, p := range spec.In {
			if p.Optional {
				vals[p.Name] = parsedDefault(t)(p)
			}
		}
		for k, v := range in {
			vals[k] = v
		}
		out, err := call(t, &metaReplacementLocationsForGaps, vals)
		if err != nil {
			return nil, err
		}
		return out["replacement_locations"].(*data.Series), nil
	}
	small := data.NewSeries(nil, utc(t, "2020-01-01T01:16:00Z", "2020-01-01T01:18:00Z", "2020-01-01T01:34:00Z"), data.Floats([]float64{1, 2, 3}))
	for _, c := range []struct {
		name string
		in   map[string]any
		want []string
	}{
		// 01:31 is exclusive and on the rhythm: left out; 01:34 inclusive: kept
		{"test wiring", map[string]any{"gap_intervals": tw, "expected_data_frequency": "2min"},
			hm("01:16:00", "01:18:00", "01:20:00", "01:22:00", "01:24:00", "01:29:00", "01:32:00", "01:34:00")},
		{"not all gap points", map[string]any{"gap_intervals": tw, "expected_data_frequency": "2min", "all_gap_points": false},
			hm("01:16:00", "01:18:00", "01:20:00", "01:22:00", "01:24:00", "01:32:00", "01:34:00")},
		// anchored at 01:16:30 (the first gap's start, exclusive and so left out), kept
		// for the later gaps: 01:32:30 … 01:36:30
		{"anchor at first gap", map[string]any{"gap_intervals": odd, "expected_data_frequency": "2min"},
			hm("01:18:30", "01:20:30", "01:22:30", "01:24:30", "01:29:00", "01:32:30", "01:34:30", "01:36:30")},
		// offset 10s: the rhythm is every even minute + 10 s from the epoch; 01:31:10 (odd
		// minute) is off it, so the third gap starts at 01:32:10 and ends at 01:38:10
		{"explicit offset", map[string]any{"gap_intervals": odd, "expected_data_frequency": "2min", "expected_data_frequency_offset": "10s"},
			hm("01:18:10", "01:20:10", "01:22:10", "01:24:10", "01:29:00", "01:32:10", "01:34:10", "01:36:10", "01:38:10")},
		// the series starts on full minutes: the rhythm is every minute; the range is the
		// series' first to last point, so the last gap is clipped at 01:34 (inclusive)
		{"series gives the rhythm", map[string]any{"gap_intervals": odd, "timeseries": small, "expected_data_frequency": "1min"},
			hm("01:17:00", "01:18:00", "01:19:00", "01:20:00", "01:21:00", "01:22:00", "01:23:00", "01:24:00", "01:29:00", "01:32:00", "01:33:00", "01:34:00")},
		// a range start on …:10 without a series anchors the rhythm there
		{"range start gives the rhythm", map[string]any{"gap_intervals": odd, "interval_start_timestamp": "2020-01-01T01:20:10Z",
			"interval_end_timestamp": "2020-01-01T01:33:00Z", "expected_data_frequency": "1min"},
			hm("01:20:50", "01:21:50", "01:22:50", "01:23:50", "01:24:50", "01:29:00", "01:31:50", "01:32:50")},
	} {
		s, err := run(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := isoOf(s.Index); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, c.want)
		}
		for _, v := range s.Values.F {
			if !math.IsNaN(v) {
				t.Errorf("%s: value %v, want NaN", c.name, v)
			}
		}
	}
	bad := ivFrame([4]any{"2020-01-01T01:29:00Z", "2020-01-01T01:20:00Z", true, false})
	_, err := run(map[string]any{"gap_intervals": bad, "expected_data_frequency": "2min"})
	wantError(t, err, "ComponentInputValidationException", "There is at least one gap interval for which the start is after the end:\n{\n  \"start_time\":{\n    \"0\":\"2020-01-01T01:29:00.000Z\"\n  },\n  \"end_time\":{\n    \"0\":\"2020-01-01T01:20:00.000Z\"\n  },\n  \"start_inclusive\":{\n    \"0\":true\n  },\n  \"end_inclusive\":{\n    \"0\":false\n  }\n}")
	_, err = run(map[string]any{"gap_intervals": tw})
	wantError(t, err, "ComponentInputValidationException", "An expected_data_frequency_str is required for gap detection")
	_, err = run(map[string]any{"gap_intervals": tw, "auto_frequency_determination": true})
	wantError(t, err, "TypeError", "object of type 'NoneType' has no len()")
	_, err = run(map[string]any{"gap_intervals": data.NewDataFrame(data.Range(0), nil, nil), "expected_data_frequency": "2min"})
	wantError(t, err, "ComponentInputValidationException", "The column names  of `gap_intervals` don't contain the required columns")
	// no gaps: an empty series
	s, err := run(map[string]any{"gap_intervals": ivFrame(), "expected_data_frequency": "2min"})
	if err != nil || s.Len() != 0 {
		t.Errorf("no gaps: %v %v", s, err)
	}
}

// An interval start of "" is NaT in hetida (pd.to_datetime("", utc=True)): the rhythm
// offset epoch - NaT is NaT and date_range refuses it; with an empty series the end stays
// None and hetida's index <= None fails first. Found by tools/difffuzz.py; pandas 1.5.3:
// gap 00:12–00:31, expected_data_frequency 5min,
//   - no series, start "" and end "" → ValueError "Neither `start` nor `end` can be NaT";
//   - series {} and start "" → TypeError "Invalid comparison between dtype=datetime64[ns,
//     UTC] and NoneType";
//   - a three-point series (00:00…00:10) and start "" → ok, no locations (the gap lies
//     after the series' last point).
func TestReplacementLocationsNaTStartRegression(t *testing.T) {
	gap := data.NewDataFrame(data.Range(1), []any{"start_time", "end_time", "start_inclusive", "end_inclusive"},
		[]data.Column{utc(t, "2026-01-05T00:12:00Z"), utc(t, "2026-01-05T00:31:00Z"), data.Bools([]bool{true}), data.Bools([]bool{false})})
	spec, _ := Registry().Get(metaReplacementLocationsForGaps.ID)
	run := func(in map[string]any) (component.Outputs, error) {
		vals := map[string]any{"gap_intervals": gap, "expected_data_frequency": "5min"}
		for _, p := range spec.In {
			if _, ok := vals[p.Name]; !ok && p.Optional {
				vals[p.Name] = parsedDefault(t)(p)
			}
		}
		for k, v := range in {
			vals[k] = v
		}
		return call(t, &metaReplacementLocationsForGaps, vals)
	}
	_, err := run(map[string]any{"interval_start_timestamp": "", "interval_end_timestamp": ""})
	wantError(t, err, "ValueError", "Neither `start` nor `end` can be NaT")
	empty := data.NewSeries(nil, data.Datetimes(nil, data.UTC), data.Floats(nil))
	_, err = run(map[string]any{"timeseries": empty, "interval_start_timestamp": ""})
	wantError(t, err, "TypeError", "Invalid comparison between dtype=datetime64[ns, UTC] and NoneType")
	three := data.NewSeries(nil, utc(t, "2026-01-05T00:00:00Z", "2026-01-05T00:05:00Z", "2026-01-05T00:10:00Z"), data.Floats([]float64{1, 2, 3}))
	out, err := run(map[string]any{"timeseries": three, "interval_start_timestamp": ""})
	if err != nil || out["replacement_locations"].(*data.Series).Len() != 0 {
		t.Errorf("start \"\" with a series: %v %v", out, err)
	}
}

// mergeGapIntervals' four passes, each on its own: equal starts (inclusive if any), equal
// ends (inclusive if any), overlaps (the last end), touching inclusive intervals.
func TestMergeGapIntervals(t *testing.T) {
	for _, c := range []struct {
		name     string
		in, want []gapInterval
	}{
		{"equal starts", []gapInterval{{1, 3, false, false}, {1, 5, true, true}}, []gapInterval{{1, 5, true, true}}},
		{"equal ends", []gapInterval{{1, 5, false, false}, {2, 5, true, true}}, []gapInterval{{1, 5, false, true}}},
		{"overlap keeps the last end", []gapInterval{{1, 10, false, false}, {2, 5, false, false}}, []gapInterval{{1, 5, false, false}}},
		{"touching inclusive", []gapInterval{{1, 3, true, true}, {3, 6, true, true}, {8, 8, true, true}}, []gapInterval{{1, 6, true, true}, {8, 8, true, true}}},
		{"touching, one exclusive", []gapInterval{{1, 3, true, true}, {4, 6, false, true}}, []gapInterval{{1, 3, true, true}, {4, 6, false, true}}},
		{"unsorted input", []gapInterval{{8, 9, true, true}, {1, 2, false, false}}, []gapInterval{{1, 2, false, false}, {8, 9, true, true}}},
	} {
		if got := mergeGapIntervals(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}
