package library

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Gap Detection Intervals and Replacement Locations for Gaps share hetida's parameter
// model (a pydantic v1 model with validators run in field order), the processing range
// (clipping the series, inserting the range bounds), the frequency estimate, interval
// clipping and merging and the rhythm snapping; this file holds them once, then the two
// components.

// optString is an optional string parameter (Python's str | None).
type optString struct {
	s  string
	ok bool
}

func readOptString(r *component.Reader, name string) optString {
	s, ok := r.OptString(name)
	return optString{s, ok}
}

// attrString reads a string from a series' attrs as pydantic's str field would take it:
// strings as they are, numbers as str() renders them, None as None; anything else is a
// pydantic error for field.
func attrString(v any, field string, p *pydantic) optString {
	switch x := v.(type) {
	case nil:
		return optString{}
	case string:
		return optString{x, true}
	case int64, float64, bool:
		return optString{data.PyStr(x), true}
	}
	p.fail(field, "str type expected", "type_error.str")
	return optString{}
}

// pydantic collects a model's field errors: pydantic v1 turns a ValueError or TypeError
// raised in a validator into an entry of the ValidationError it raises after all fields;
// any other exception (hetida's ComponentInputValidationException, a KeyError for a
// failed field another validator reads) propagates at once.
type pydantic struct {
	model  string
	issues []fieldIssue
	failed map[string]bool
}

func (p *pydantic) fail(field, msg, typ string) {
	p.issues = append(p.issues, fieldIssue{field, msg, typ})
	if p.failed == nil {
		p.failed = map[string]bool{}
	}
	p.failed[field] = true
}

// failErr records a ValueError/TypeError raised by a validator of field.
func (p *pydantic) failErr(field string, err error) error {
	de, ok := err.(*data.Error)
	if !ok {
		return err
	}
	switch de.Type {
	case "ValueError", "DateParseError", "ParserError", "OutOfBoundsDatetime":
		p.fail(field, de.Message, "value_error")
	case "TypeError":
		p.fail(field, de.Message, "type_error")
	default:
		return err
	}
	return nil
}

// need is values[field] in a validator: a KeyError when that field failed.
func (p *pydantic) need(field string) error {
	if p.failed[field] {
		return component.KeyError("'%s'", field)
	}
	return nil
}

func (p *pydantic) err() error {
	if len(p.issues) == 0 {
		return nil
	}
	return &data.Error{Type: "ValidationError", Message: pydanticMessage(p.model, p.issues)}
}

// offsetClass is the class name pandas gives an offset ("MonthEnd", "Week").
func offsetClass(o data.Offset) string {
	s := strings.TrimSuffix(strings.TrimPrefix(o.Repr(), "<"), ">")
	if i := strings.Index(s, " * "); i >= 0 {
		s = s[i+3:]
		s = strings.TrimSuffix(s, "s")
	}
	if i := strings.Index(s, ":"); i >= 0 {
		s = s[:i]
	}
	return s
}

// freqToTimedelta is hetida's freqstr2timedelta: pd.to_timedelta(s), else
// pd.to_timedelta(to_offset(s)). Both fail with ValueErrors (an unknown alias is
// "Invalid frequency: …", a calendar offset "Value must be Timedelta, …, not MonthEnd"),
// which hetida's code does not catch (it catches TypeError). A NaT duration ("", "NaT")
// is refused as to_offset(NaT) would refuse it.
func freqToTimedelta(s string) (int64, error) {
	td, err := data.ParseTimedelta(s)
	if err == nil {
		if td.IsNaT() {
			return 0, component.ValueError("Invalid frequency: NaT")
		}
		return td.NS, nil
	}
	off, oerr := data.ParseOffset(s)
	if oerr != nil {
		return 0, component.ValueError("%s", oerr.Error())
	}
	if !off.Fixed() {
		return 0, component.ValueError("Value must be Timedelta, string, integer, float, timedelta or convertible, not %s", offsetClass(off))
	}
	ns, nerr := off.Nanos()
	if nerr != nil {
		return 0, component.ValueError("%s", nerr.Error())
	}
	return ns, nil
}

// parseUTCTimestamp is hetida's timestamp_str_to_pd_timestamp: pd.to_datetime(s,
// utc=True) (ISO 8601; naive strings are UTC), a failure being a
// ComponentInputValidationException with pandas' message for input name.
func parseUTCTimestamp(s, name string) (data.Timestamp, error) {
	switch strings.TrimSpace(s) {
	case "", "NaT", "nat", "NAT", "nan", "NaN", "NAN":
		return data.Timestamp{NS: data.NaT, Zone: data.UTC}, nil
	}
	ns, _, err := data.ParseISO(strings.TrimSpace(s))
	if err != nil {
		return data.Timestamp{}, component.InputValidationError(data.DateStringError(s, 0).(*data.Error).Message, name)
	}
	return data.Timestamp{NS: ns, Zone: data.UTC}, nil
}

// NaT-aware comparisons of stored timestamps, as numpy compares datetime64: every
// comparison with NaT is false, except != which is true.
func tsLT(a, b int64) bool { return a != data.NaT && b != data.NaT && a < b }
func tsGT(a, b int64) bool { return a != data.NaT && b != data.NaT && a > b }
func tsGE(a, b int64) bool { return a != data.NaT && b != data.NaT && a >= b }
func tsNE(a, b int64) bool { return a == data.NaT || b == data.NaT || a != b }

// checkComparable is pandas' check before comparing a datetime column with a Timestamp:
// tz-naive against tz-aware is a TypeError.
func checkComparable(c data.Column, t *data.Timestamp) error {
	if t != nil && c.Zone.Aware != t.Zone.Aware {
		return component.TypeError("Invalid comparison between dtype=%s and Timestamp", c.PandasDType())
	}
	return nil
}

// constrictRows is hetida's constrict_series_to_interval: the rows of a datetime index at
// or after start and, only when start is given (hetida's quirk), at or before end. nil
// means every row (the usual case of a range taken from the series itself).
func constrictRows(ctx context.Context, idx data.Column, start, end *data.Timestamp) ([]int, error) {
	if err := checkComparable(idx, start); err != nil {
		return nil, err
	}
	if start != nil {
		if err := checkComparable(idx, end); err != nil {
			return nil, err
		}
	}
	if start == nil {
		return nil, nil
	}
	if end == nil {
		// hetida compares with the end when a start is given: index <= None (only
		// reached when the end came from an empty series)
		return nil, component.TypeError("Invalid comparison between dtype=%s and NoneType", idx.PandasDType())
	}
	in := func(t int64) bool { return tsGE(t, start.NS) && tsGE(end.NS, t) }
	all := true
	for i, t := range idx.I {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		if !in(t) {
			all = false
			break
		}
	}
	if all {
		return nil, nil
	}
	keep := make([]int, 0, idx.Len())
	for i, t := range idx.I {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		if in(t) {
			keep = append(keep, i)
		}
	}
	return keep, nil
}

// gapInterval is one row of hetida's gap interval frames (start_time, end_time,
// start_inclusive, end_inclusive), timestamps as stored nanoseconds.
type gapInterval struct {
	start, end         int64
	startIncl, endIncl bool
}

// gapIntervals is a list of intervals in one zone.
type gapIntervals struct {
	rows []gapInterval
	zone data.Zone
}

// clipIntervals is hetida's constrict_intervals_df_to_interval: starts before the range
// start move onto it and become inclusive, ends after the range end likewise; then
// intervals with start > end and empty points (start == end, not both inclusive) are
// dropped.
func clipIntervals(iv gapIntervals, start, end *data.Timestamp) (gapIntervals, error) {
	probe := data.Datetimes(nil, iv.zone)
	if err := checkComparable(probe, start); err != nil {
		return iv, err
	}
	if err := checkComparable(probe, end); err != nil {
		return iv, err
	}
	out := gapIntervals{zone: iv.zone, rows: make([]gapInterval, 0, len(iv.rows))}
	for _, g := range iv.rows {
		if start != nil && tsLT(g.start, start.NS) {
			g.start, g.startIncl = start.NS, true
		}
		if end != nil && tsGT(g.end, end.NS) {
			g.end, g.endIncl = end.NS, true
		}
		if tsGT(g.start, g.end) {
			continue
		}
		if g.start == g.end && g.start != data.NaT && (!g.startIncl || !g.endIncl) {
			continue
		}
		out.rows = append(out.rows, g)
	}
	return out, nil
}

// mergeGapIntervals is hetida's merge_intervals, quirks included: sorted by (start, end)
// (stable, NaT last), then four group-by passes over consecutive rows — equal starts
// (start inclusive if any is, end and its inclusiveness of the last row), equal ends (end
// inclusive if any is), overlaps (a row starting before the previous row's end joins it;
// the merged end is the last row's end, not the largest), and touching inclusive
// intervals (a row joins unless it starts after the previous end or is not inclusive at
// both ends). "first"/"last" of a timestamp skip NaT, as groupby does.
func mergeGapIntervals(rows []gapInterval) []gapInterval {
	rows = slices.Clone(rows)
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.start != b.start {
			return b.start == data.NaT || (a.start != data.NaT && a.start < b.start)
		}
		return a.end != b.end && (b.end == data.NaT || (a.end != data.NaT && a.end < b.end))
	})
	type agg struct{ siAny, eiAny bool }
	pass := func(rows []gapInterval, newGroup func(prev, cur gapInterval) bool, a agg) []gapInterval {
		var out []gapInterval
		for i, r := range rows {
			if i == 0 || newGroup(rows[i-1], r) {
				out = append(out, r)
				continue
			}
			g := &out[len(out)-1]
			if g.start == data.NaT {
				g.start = r.start
			}
			if r.end != data.NaT {
				g.end = r.end
			}
			if a.siAny {
				g.startIncl = g.startIncl || r.startIncl
			}
			if a.eiAny {
				g.endIncl = g.endIncl || r.endIncl
			} else {
				g.endIncl = r.endIncl
			}
		}
		return out
	}
	rows = pass(rows, func(p, c gapInterval) bool { return tsNE(c.start, p.start) }, agg{siAny: true})
	rows = pass(rows, func(p, c gapInterval) bool { return tsNE(c.end, p.end) }, agg{eiAny: true})
	rows = pass(rows, func(p, c gapInterval) bool { return tsGE(c.start, p.end) }, agg{})
	rows = pass(rows, func(p, c gapInterval) bool { return tsGT(c.start, p.end) || !(c.startIncl && c.endIncl) }, agg{})
	return rows
}

// commonZone is the zone of a result that combines interval lists: theirs when they
// agree, else UTC (the instants are kept; the JSON output is the same).
func commonZone(lists []gapIntervals) data.Zone {
	var z data.Zone
	first := true
	for _, l := range lists {
		if len(l.rows) == 0 {
			continue
		}
		if first {
			z, first = l.zone, false
		} else if l.zone != z {
			return data.UTC
		}
	}
	if first {
		return data.UTC
	}
	return z
}

// intervalsFromFrame reads the start_time, end_time, start_inclusive and end_inclusive
// columns of a gap interval frame (validated before to exist, one of the time columns
// being datetimes).
func intervalsFromFrame(f *data.DataFrame) (gapIntervals, error) {
	get := func(name string) data.Column { c, _ := f.Col(name); return c }
	st, en := get("start_time"), get("end_time")
	si, ei := get("start_inclusive"), get("end_inclusive")
	times := func(c, other data.Column) (data.Column, error) {
		if c.DType == data.Datetime {
			return c, nil
		}
		for _, v := range c.AsObject().O {
			if v != nil {
				return c, component.TypeError("'<' not supported between instances of '%s' and 'Timestamp'", component.PyTypeName(v))
			}
		}
		// all missing: NaT in the other column's zone
		ns := make([]int64, c.Len())
		for i := range ns {
			ns[i] = data.NaT
		}
		return data.Datetimes(ns, other.Zone), nil
	}
	var err error
	if st, err = times(st, en); err != nil {
		return gapIntervals{}, err
	}
	if en, err = times(en, st); err != nil {
		return gapIntervals{}, err
	}
	if st.Zone.Aware != en.Zone.Aware {
		return gapIntervals{}, component.TypeError("Invalid comparison between dtype=%s and %s", st.PandasDType(), en.PandasDType())
	}
	flags := func(c data.Column) ([]bool, error) {
		switch c.DType {
		case data.Bool:
			return c.B, nil
		case data.Object:
			b := make([]bool, len(c.O))
			for i, v := range c.O {
				x, ok := v.(bool)
				if !ok {
					return nil, component.TypeError("bad operand type for unary ~: '%s'", component.PyTypeName(v))
				}
				b[i] = x
			}
			return b, nil
		}
		return nil, component.TypeError("bad operand type for unary ~: '%s'", c.ScalarTypeName())
	}
	sb, err := flags(si)
	if err != nil {
		return gapIntervals{}, err
	}
	eb, err := flags(ei)
	if err != nil {
		return gapIntervals{}, err
	}
	out := gapIntervals{zone: st.Zone, rows: make([]gapInterval, f.Len())}
	for i := range out.rows {
		out.rows[i] = gapInterval{st.I[i], en.I[i], sb[i], eb[i]}
	}
	return out, nil
}

// checkIntervalFrame runs hetida's validators of a gap interval frame: the four
// columns must exist, and start_time or end_time must hold datetimes.
func checkIntervalFrame(f *data.DataFrame, what, input string) error {
	required := []string{"start_time", "end_time", "start_inclusive", "end_inclusive"}
	for _, name := range required {
		if f.ColIndex(name) < 0 {
			names := make([]string, len(f.Names))
			for i, n := range f.Names {
				names[i] = data.PyStr(n)
			}
			return component.InputValidationError(fmt.Sprintf("The column names %s of `%s` don't contain the required columns %s.", strings.Join(names, ", "), what, strings.Join(required, ", ")), input)
		}
	}
	st, _ := f.Col("start_time")
	en, _ := f.Col("end_time")
	if st.DType != data.Datetime && en.DType != data.Datetime {
		return component.InputValidationError("At least one of the required columns start_time, end_time is not of any datetime64 dtype.", input)
	}
	return nil
}

// rangeSeries is a series clipped to the processing range with the range bounds added:
// hetida's constricted_timeseries_with_bounds (sorted) and the clipped series' index
// (constricted_timeseries_without_bounds, in input order).
type rangeSeries struct {
	index  []int64 // sorted, NaT last
	zone   data.Zone
	values data.Column
	clip   data.Column // the clipped series' index, input order
}

// clipToRange is constrict_series_to_interval followed by add_boundary_timestamps_and_sort:
// a bound the clipped series lacks is added with a missing value (int64 values become
// float64, bools objects), then the rows are sorted by timestamp (stably).
func clipToRange(ctx context.Context, s *data.Series, start, end *data.Timestamp) (*rangeSeries, error) {
	keep, err := constrictRows(ctx, s.Index, start, end)
	if err != nil {
		return nil, err
	}
	idx, vals := s.Index, s.Values
	if keep != nil {
		idx, vals = idx.Take(keep), vals.Take(keep)
	}
	rs := &rangeSeries{zone: s.Index.Zone, clip: idx}
	sorted := idx.IsMonotonicIncreasing()
	has := func(t int64) bool {
		if sorted {
			i := sort.Search(len(idx.I), func(i int) bool { return idx.I[i] >= t })
			return i < len(idx.I) && idx.I[i] == t
		}
		return slices.Contains(idx.I, t)
	}
	var extra []int64
	for _, b := range []*data.Timestamp{start, end} {
		if b != nil && b.NS != data.NaT && !has(b.NS) && !slices.Contains(extra, b.NS) {
			extra = append(extra, b.NS)
		}
	}
	if extra == nil && sorted {
		rs.index, rs.values = idx.I, vals // nothing to add or sort: shared, only read
		return rs, nil
	}
	labels := append(slices.Clip(idx.I), extra...)
	pos := make([]int, len(labels))
	for i := range pos {
		pos[i] = i
		if i >= idx.Len() {
			pos[i] = -1
		}
	}
	vals = vals.Take(pos)
	if lc := data.Datetimes(labels, rs.zone); !lc.IsMonotonicIncreasing() {
		order := lc.ArgSort()
		l := make([]int64, len(labels))
		for i, o := range order {
			l[i] = labels[o]
		}
		labels, vals = l, vals.Take(order)
	}
	rs.index, rs.values = labels, vals
	return rs, nil
}

// estimateFrequency is hetida's determine_expected_data_frequency: the quantile of the
// steps between consecutive timestamps with numpy's "nearest" rule (an actual step; the
// fractional rank rounds half to even). ok is false without any step (pandas' NaT).
func estimateFrequency(index []int64, q float64) (int64, bool, error) {
	steps := make([]int64, 0, len(index))
	for i := 1; i < len(index); i++ {
		if index[i] != data.NaT && index[i-1] != data.NaT {
			steps = append(steps, index[i]-index[i-1])
		}
	}
	if len(steps) == 0 {
		return 0, false, nil
	}
	f := make([]float64, len(steps))
	for i, s := range steps {
		f[i] = float64(s)
	}
	v, err := data.NanQuantile(f, q, "nearest")
	if err != nil {
		return 0, false, err
	}
	// "nearest" picks an element: take it exactly (float64 would round steps of more
	// than 2⁵³ ns)
	best := steps[0]
	for _, s := range steps {
		if math.Abs(float64(s)-v) < math.Abs(float64(best)-v) {
			best = s
		}
	}
	return best, true, nil
}

// rhythmRange is pd.date_range(ceil(start), floor(end), freq) on the rhythm given by
// anchor: the points anchor + k·freq inside [start, end] (hetida's
// shift_timestamp_to_the_right/left_onto_rhythm, i.e. (t − anchor).ceil/floor(freq) +
// anchor), with inclusive per end.
func rhythmRange(ctx context.Context, start, end data.Timestamp, freq int64, anchor int64, wallClock bool, incl data.Inclusive) (data.Column, int64, int64, error) {
	if start.NS == data.NaT || end.NS == data.NaT { // a bound of "": NaT snaps to NaT
		return data.Column{}, 0, 0, component.ValueError("Neither `start` nor `end` can be NaT")
	}
	zone := start.Zone
	if !wallClock {
		zone = data.Naive // Timedelta arithmetic: absolute nanoseconds
	}
	lo, err := data.RhythmCeil(start.NS, zone, freq, anchor)
	if err != nil {
		return data.Column{}, 0, 0, err
	}
	ez := end.Zone
	if !wallClock {
		ez = data.Naive
	}
	hi, err := data.RhythmFloor(end.NS, ez, freq, anchor)
	if err != nil {
		return data.Column{}, 0, 0, err
	}
	if freq < 0 || lo > hi {
		return data.Datetimes([]int64{}, start.Zone), lo, hi, nil
	}
	c, err := data.DateRange(ctx, data.Timestamp{NS: lo, Zone: start.Zone}, data.Timestamp{NS: hi, Zone: end.Zone}, data.OffsetFromTimedelta(freq), incl, data.DefaultRangeLimit)
	return c, lo, hi, err
}

// gapRange holds the validated parameters both components share.
type gapRange struct {
	start, end *data.Timestamp
	auto       bool
	freq       int64
	hasFreq    bool
	offset     int64
	hasOffset  bool
}

// gapSettings are the raw parameters of GapDetectionParameters after main's attrs
// handling.
type gapSettings struct {
	series             *data.Series // nil: Replacement Locations without a series
	startStr, endStr   optString
	auto               bool
	percentile         float64
	minPoints          int64
	freqStr, offsetStr optString
	factor             float64
	hasFactor          bool
}

// applyRefAttrs is the attrs handling of both components' main: a range bound not given
// is taken from attrs ref_interval_start_timestamp (else "from") and
// ref_interval_end_timestamp (else "to"); ref_data_frequency and
// ref_data_frequency_offset fill a frequency or offset not given, are checked with
// freqstr2timedelta (its ValueError propagates) and switch automatic frequency
// determination off.
func (g *gapSettings) applyRefAttrs(p *pydantic) error {
	attrs := g.series.Attrs
	if attrs == nil {
		return nil
	}
	pick := func(dst *optString, field string, keys ...string) {
		if dst.ok {
			return
		}
		for _, k := range keys {
			if v, ok := attrs.Get(k); ok {
				*dst = attrString(v, field, p)
				return
			}
		}
	}
	pick(&g.startStr, "interval_start_timestamp_str", "ref_interval_start_timestamp", "from")
	pick(&g.endStr, "interval_end_timestamp_str", "ref_interval_end_timestamp", "to")
	for _, a := range []struct {
		dst   *optString
		key   string
		field string
	}{{&g.freqStr, "ref_data_frequency", "expected_data_frequency_str"}, {&g.offsetStr, "ref_data_frequency_offset", "expected_data_frequency_offset_str"}} {
		if a.dst.ok {
			continue
		}
		v, ok := attrs.Get(a.key)
		if !ok {
			continue
		}
		*a.dst = attrString(v, a.field, p)
		if a.dst.ok {
			if _, err := freqToTimedelta(a.dst.s); err != nil {
				return err
			}
		} else if v != nil {
			return component.ValueError("Invalid frequency: %s", data.PyStr(v))
		}
		g.auto = false
	}
	return nil
}

// validate runs GapDetectionParameters' validators from the series on, in field order,
// with their messages and pydantic's error handling (see pydantic).
func (g *gapSettings) validate(p *pydantic) (*gapRange, error) {
	gr := &gapRange{auto: g.auto}
	s := g.series
	if s != nil {
		if s.Len() == 0 {
			s = data.NewSeries(nil, data.Datetimes([]int64{}, data.UTC), data.Objects([]any{}))
			g.series = s
		}
		if s.Index.DType != data.Datetime {
			return nil, component.InputValidationError(fmt.Sprintf("The index of `timeseries` is not of any datetime64 dtype, but %s.", s.Index.PandasDType()), "timeseries")
		}
	}
	bound := func(str optString, field string, at func() int) (*data.Timestamp, error) {
		if err := p.need(field + "_str"); err != nil {
			return nil, err
		}
		if !str.ok {
			if s != nil && s.Len() > 0 {
				t := s.Index.At(at()).(data.Timestamp)
				return &t, nil
			}
			return nil, nil
		}
		t, err := parseUTCTimestamp(str.s, field+"_str")
		if err != nil {
			return nil, err
		}
		return &t, nil
	}
	var err error
	if gr.start, err = bound(g.startStr, "interval_start_timestamp", func() int { return 0 }); err != nil {
		return nil, err
	}
	if gr.end, err = bound(g.endStr, "interval_end_timestamp", func() int { return s.Len() - 1 }); err != nil {
		return nil, err
	}
	if gr.start != nil && gr.end != nil {
		if gr.start.Zone.Aware != gr.end.Zone.Aware {
			p.fail("interval_end_timestamp", "Cannot compare tz-naive and tz-aware timestamps", "type_error")
			gr.end = nil
		} else if tsGT(gr.start.NS, gr.end.NS) {
			return nil, component.InputValidationError(fmt.Sprintf("The value interval_start_timestamp must not be later than the interval_end_timestamp, while it is %s > %s.", gr.start.PandasString(), gr.end.PandasString()), "interval_start_timestamp", "interval_end_timestamp")
		}
	}
	if g.percentile < 0 || g.percentile > 1 {
		return nil, component.InputValidationError("The percentile value has to be a non-negative float less or equal to 1.", "auto_freq_percentile")
	}
	if g.minPoints < 0 {
		return nil, component.InputValidationError("The minimum amount of datapoints has to be a non-negative integer.", "auto_freq_min_amount_datapoints")
	}
	if !g.auto && !g.freqStr.ok {
		return nil, component.InputValidationError("An expected_data_frequency_str is required for gap detection, if it is not automatically determined.", "auto_frequency_determination", "expected_data_frequency")
	}
	if g.auto && g.freqStr.ok {
		return nil, component.InputValidationError("The expected_data_frequency_str must not be set, if automatical frequency determination is enabled.", "auto_frequency_determination", "expected_data_frequency")
	}
	if g.freqStr.ok {
		ns, err := freqToTimedelta(g.freqStr.s)
		if err != nil {
			if err := p.failErr("expected_data_frequency", err); err != nil {
				return nil, err
			}
		} else {
			gr.freq, gr.hasFreq = ns, true
		}
	}
	if g.hasFactor && g.factor < 0 {
		return nil, component.InputValidationError("The gap size factor has to be a non-negative float.", "expected_data_freq_allowed_variance_factor")
	}
	if g.offsetStr.ok {
		if g.auto {
			return nil, component.InputValidationError("The expected_data_frequency_offset_str must not be set, if automatical frequency determination is enabled.", "auto_frequency_determination", "expected_data_frequency_offset")
		}
		if !g.freqStr.ok {
			return nil, component.InputValidationError("An expected_data_frequency_str is required for gap detection, if an expected_data_frequency_offset_str is provided.", "expected_data_frequency", "expected_data_frequency_offset")
		}
		ns, err := freqToTimedelta(g.offsetStr.s)
		if err != nil {
			if err := p.failErr("expected_data_frequency_offset", err); err != nil {
				return nil, err
			}
		} else {
			if err := p.need("expected_data_frequency"); err != nil {
				return nil, err
			}
			m, err := (data.Timedelta{NS: ns}).Mod(data.Timedelta{NS: gr.freq})
			if err != nil {
				return nil, err
			}
			gr.offset, gr.hasOffset = m.NS, true
		}
	}
	return gr, nil
}

// boundaryValues is hetida's get_boundary_values: per boundary the value of the range
// series next to it, by reindexing with ffill (left, for starts) or bfill (right, for
// ends). An exclusive boundary takes the value at its own timestamp when the series has
// one, else the nearest row before (after) it; an inclusive boundary skips its own
// timestamp — and every other inclusive boundary of the same kind, whose rows hetida
// drops before reindexing — and takes the nearest remaining row before (after) it.
// Inserted range bounds count as rows with missing values. Missing neighbours give a
// missing value.
func boundaryValues(rs *rangeSeries, at []int64, incl []bool, right bool) ([]int, error) {
	idx := rs.index
	n := len(idx)
	if len(at) > 0 {
		if n > 0 && idx[n-1] == data.NaT {
			return nil, component.ValueError("index must be monotonic increasing or decreasing")
		}
		for i := 1; i < n; i++ {
			if idx[i] == idx[i-1] {
				return nil, component.ValueError("cannot reindex a non-unique index with a method or limit")
			}
		}
	}
	dropped := map[int64]bool{}
	for k, t := range at {
		if incl[k] {
			dropped[t] = true
		}
	}
	pos := make([]int, len(at))
	for k, t := range at {
		if t == data.NaT {
			pos[k] = -1
			continue
		}
		if !right {
			// last row ≤ t (exclusive) or < t and not dropped (inclusive)
			i := sort.Search(n, func(i int) bool { return idx[i] > t }) - 1
			if incl[k] {
				for i >= 0 && (idx[i] >= t || dropped[idx[i]]) {
					i--
				}
			}
			pos[k] = i
			continue
		}
		i := sort.Search(n, func(i int) bool { return idx[i] >= t })
		if incl[k] {
			for i < n && (idx[i] <= t || dropped[idx[i]]) {
				i++
			}
		}
		if i >= n {
			i = -1
		}
		pos[k] = i
	}
	return pos, nil
}

// gapInfo is hetida's get_gap_intervals_info: the intervals of all sources merged, with
// their size and the values around them.
func gapInfo(ctx context.Context, rs *rangeSeries, lists []gapIntervals) (*data.DataFrame, error) {
	var all []gapInterval
	for _, l := range lists {
		all = append(all, l.rows...)
	}
	names := []any{"start_time", "end_time", "start_inclusive", "end_inclusive", "gap_size_in_seconds", "value_to_left", "value_to_right", "mean_left_right"}
	if len(all) == 0 {
		cols := []data.Column{data.Datetimes([]int64{}, data.UTC), data.Datetimes([]int64{}, data.UTC), data.Bools([]bool{}), data.Bools([]bool{}),
			data.Floats([]float64{}), data.Objects([]any{}), data.Objects([]any{}), data.Objects([]any{})}
		return data.NewDataFrame(data.Range(0), names, cols), nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	merged := mergeGapIntervals(all)
	k := len(merged)
	starts, ends := make([]int64, k), make([]int64, k)
	si, ei := make([]bool, k), make([]bool, k)
	size := make([]float64, k)
	for i, g := range merged {
		starts[i], ends[i], si[i], ei[i] = g.start, g.end, g.startIncl, g.endIncl
		if g.start == data.NaT || g.end == data.NaT {
			size[i] = math.NaN()
		} else {
			size[i] = float64(g.end-g.start) / 1e9
		}
	}
	lp, err := boundaryValues(rs, starts, si, false)
	if err != nil {
		return nil, err
	}
	rp, err := boundaryValues(rs, ends, ei, true)
	if err != nil {
		return nil, err
	}
	left, right := rs.values.Take(lp), rs.values.Take(rp)
	var mean data.Column
	if rs.values.IsNumeric() {
		l, _ := left.FloatValues()
		r, _ := right.FloatValues()
		m := make([]float64, k)
		for i := range m {
			m[i] = (l[i] + r[i]) / 2
		}
		mean = data.Floats(m)
	} else {
		mean = data.Objects(make([]any, k))
	}
	zone := commonZone(lists)
	cols := []data.Column{data.Datetimes(starts, zone), data.Datetimes(ends, zone), data.Bools(si), data.Bools(ei), data.Floats(size), left, right, mean}
	return data.NewDataFrame(data.Range(k), names, cols), nil
}

// gapDetectionIntervals ports hetida's frequency-based gap finder.
//
// Processing range: interval_start/end_timestamp (ISO strings read as UTC), else the
// series' attrs ref_interval_start_timestamp/"from" and ref_interval_end_timestamp/"to",
// else the series' first and last timestamps (its first and last rows, unsorted as they
// may be). attrs ref_data_frequency/ref_data_frequency_offset stand in for missing
// frequency parameters and switch auto detection off. The series is clipped to the range
// — the end only when a start exists, hetida's quirk, which matters for an empty series
// and the external gap timestamps — and the bounds are inserted as missing values.
//
// Expected frequency: with auto detection (which needs at least
// auto_freq_min_amount_datapoints points, inserted bounds included) the
// auto_freq_percentile quantile of the steps ("nearest"), else expected_data_frequency (a
// Timedelta string or a fixed offset alias). A step longer than variance_factor × the
// frequency is a gap between its two timestamps, both exclusive. Added to those: external
// gap intervals clipped to the range (clipped ends become inclusive), external gap
// timestamps inside it (points), and with an expected_data_frequency_offset every point
// epoch + offset + k·frequency in the range the series lacks (points). Everything is
// merged as hetida's merge_intervals does (see mergeGapIntervals) and described by
// start_time, end_time, start_inclusive, end_inclusive, gap_size_in_seconds,
// value_to_left, value_to_right (boundaryValues) and mean_left_right (the mean of both,
// for numeric series; NaN when either is missing). data_frequency is pandas' freqstr of
// the frequency ("10T"). With deactivate_freq_based_gap_detection only the external gaps
// are reported and — as in hetida — data_frequency is missing, which the engine reports
// as MissingOutputException when that output is wired.
//
// The validation follows hetida's pydantic model field by field, with its messages:
// ComponentInputValidationExceptions propagate at once, ValueErrors of frequency parsing
// become a pydantic ValidationError. A step of the expected frequency 0 divides by zero
// as Python does.
func gapDetectionIntervals(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	g := &gapSettings{
		series:     r.Series("timeseries"),
		startStr:   readOptString(r, "interval_start_timestamp"),
		endStr:     readOptString(r, "interval_end_timestamp"),
		auto:       r.Bool("auto_frequency_determination"),
		percentile: r.Float("auto_freq_percentile"),
		minPoints:  r.Int("auto_freq_min_amount_datapoints"),
		freqStr:    readOptString(r, "expected_data_frequency"),
		factor:     r.Float("expected_data_freq_allowed_variance_factor"),
		hasFactor:  true,
		offsetStr:  readOptString(r, "expected_data_frequency_offset"),
	}
	extTS := r.OptSeries("externally_determined_gap_timestamps")
	extIV := r.OptFrame("externally_determined_gap_intervals")
	deactivate := r.Bool("deactivate_freq_based_gap_detection")
	if err := r.Err(); err != nil {
		return nil, err
	}
	p := &pydantic{model: "GapDetectionParameters"}
	if err := g.applyRefAttrs(p); err != nil {
		return nil, err
	}
	gr, err := g.validate(p)
	if err != nil {
		return nil, err
	}
	if extTS != nil && extTS.Index.DType != data.Datetime {
		return nil, component.InputValidationError(fmt.Sprintf("The index of `externally_determined_gap_timestamps` is not of any datetime64 dtype, but %s.", extTS.Index.PandasDType()), "externally_determined_gap_timestamps")
	}
	if extIV != nil {
		if err := checkIntervalFrame(extIV, "externally_determined_gap_intervals", "externally_determined_gap_intervals"); err != nil {
			return nil, err
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}

	rs, err := clipToRange(ctx, g.series, gr.start, gr.end)
	if err != nil {
		return nil, err
	}
	var extPoints, extIntervals gapIntervals
	if extTS != nil {
		keep, err := constrictRows(ctx, extTS.Index, gr.start, gr.end)
		if err != nil {
			return nil, err
		}
		extPoints.zone = extTS.Index.Zone
		stamps := extTS.Index.I
		if keep != nil {
			stamps = extTS.Index.Take(keep).I
		}
		for _, t := range stamps {
			extPoints.rows = append(extPoints.rows, gapInterval{t, t, true, true})
		}
	}
	if extIV != nil {
		iv, err := intervalsFromFrame(extIV)
		if err != nil {
			return nil, err
		}
		if extIntervals, err = clipIntervals(iv, gr.start, gr.end); err != nil {
			return nil, err
		}
	}
	if deactivate {
		info, err := gapInfo(ctx, rs, []gapIntervals{extIntervals, extPoints})
		if err != nil {
			return nil, err
		}
		return component.Outputs{"gap_info": info}, nil
	}
	if g.auto {
		if int64(len(rs.index)) < g.minPoints {
			return nil, component.InputValidationError(fmt.Sprintf("The timeseries does not contain at least %d datapoints.", g.minPoints), "timeseries")
		}
		f, ok, err := estimateFrequency(rs.index, g.percentile)
		if err != nil {
			return nil, err
		}
		gr.freq, gr.hasFreq = f, ok
	}

	// steps longer than factor × frequency
	var found gapIntervals
	found.zone = rs.zone
	if gr.hasFreq {
		freqSec := float64(gr.freq) / 1e9
		var endsList, startsList []int64
		dups := false
		for i := 1; i < len(rs.index); i++ {
			if err := cancelled(ctx, i); err != nil {
				return nil, err
			}
			a, b := rs.index[i-1], rs.index[i]
			dups = dups || a == b
			if a == data.NaT || b == data.NaT {
				continue
			}
			if freqSec == 0 {
				return nil, component.ZeroDivisionError("float division by zero")
			}
			if (float64(b-a)/1e9)/freqSec > g.factor {
				endsList = append(endsList, b)
				startsList = append(startsList, a)
			}
		}
		if dups {
			// hetida pairs every row whose timestamp is a gap end with the row before it
			// (Python's index[-1] for the first row): with repeated timestamps that can be
			// more rows than gaps
			isEnd := make(map[int64]bool, len(endsList))
			for _, t := range endsList {
				isEnd[t] = true
			}
			startsList = startsList[:0]
			for i, t := range rs.index {
				if isEnd[t] {
					prev := len(rs.index) - 1
					if i > 0 {
						prev = i - 1
					}
					startsList = append(startsList, rs.index[prev])
				}
			}
		}
		if len(startsList) != len(endsList) {
			return nil, component.ValueError("All arrays must be of the same length")
		}
		for i := range endsList {
			found.rows = append(found.rows, gapInterval{startsList[i], endsList[i], false, false})
		}
	}

	// rhythm points the series lacks
	var missing gapIntervals
	if gr.hasOffset {
		if gr.start == nil || gr.end == nil {
			return nil, component.TypeError("unsupported operand type(s) for -: 'NoneType' and 'Timedelta'")
		}
		pts, _, _, err := rhythmRange(ctx, *gr.start, *gr.end, gr.freq, gr.offset, true, data.InclusiveBoth)
		if err != nil {
			return nil, err
		}
		have := make(map[int64]bool, rs.clip.Len())
		for _, t := range rs.clip.I {
			have[t] = true
		}
		missing.zone = pts.Zone
		for i, t := range pts.I {
			if err := cancelled(ctx, i); err != nil {
				return nil, err
			}
			if !have[t] {
				missing.rows = append(missing.rows, gapInterval{t, t, true, true})
			}
		}
	}
	info, err := gapInfo(ctx, rs, []gapIntervals{found, extIntervals, extPoints, missing})
	if err != nil {
		return nil, err
	}
	if !gr.hasFreq {
		return nil, component.ValueError("Invalid frequency: NaT")
	}
	return component.Outputs{"gap_info": info, "data_frequency": data.OffsetFromTimedelta(gr.freq).FreqStr()}, nil
}

// intervalFrameJSON renders rows of a gap interval frame as pandas'
// to_json(date_format="iso", indent=2) does (hetida quotes it in an error message).
func intervalFrameJSON(f *data.DataFrame) string {
	b, err := wire.AppendFrame(nil, f)
	if err != nil {
		return "{}"
	}
	i := bytes.Index(b, []byte(`"__data__":`))
	if i < 0 {
		return "{}"
	}
	compact := b[i+len(`"__data__":`) : len(b)-1]
	var out strings.Builder
	depth := 0
	inStr, esc := false, false
	nl := func() {
		out.WriteByte('\n')
		out.WriteString(strings.Repeat("  ", depth))
	}
	for _, c := range compact {
		if inStr {
			out.WriteByte(c)
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
			out.WriteByte(c)
		case '{', '[':
			out.WriteByte(c)
			depth++
			nl()
		case '}', ']':
			depth--
			nl()
			out.WriteByte(c)
		case ',':
			out.WriteByte(c)
			nl()
		default:
			out.WriteByte(c)
		}
	}
	return out.String()
}

// replacementLocationsForGaps turns gap intervals into the timestamps where replacement
// values are needed: a Series of NaN on those timestamps.
//
// Range, attrs (read only when a timeseries is given) and validation are those of Gap
// Detection Intervals, but automatic frequency determination defaults to false, so
// expected_data_frequency is required unless auto or attrs give it; gap_intervals must
// have the four interval columns with datetimes, and rows with start_time > end_time are
// a ComponentInputValidationException quoting them as JSON. The rhythm is epoch + offset +
// k·frequency with the given offset, else with the offset that puts the first timestamp
// of the clipped series (or the range start) on it; without either, each rhythm is
// anchored at the start of the first merged gap (hetida's fallback, kept for the later
// gaps too). The intervals are clipped to the range and merged (mergeGapIntervals); a
// point interval yields its timestamp when all_gap_points is true, otherwise the rhythm
// points from the first at or after the start to the last at or before the end are
// emitted, leaving out a bound that is exclusive and itself on the rhythm.
func replacementLocationsForGaps(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	frame := r.Frame("gap_intervals")
	g := &gapSettings{
		series:     r.OptSeries("timeseries"),
		startStr:   readOptString(r, "interval_start_timestamp"),
		endStr:     readOptString(r, "interval_end_timestamp"),
		auto:       r.Bool("auto_frequency_determination"),
		percentile: r.Float("auto_freq_percentile"),
		minPoints:  r.Int("auto_freq_min_amount_datapoints"),
		freqStr:    readOptString(r, "expected_data_frequency"),
		offsetStr:  readOptString(r, "expected_data_frequency_offset"),
	}
	allPoints := r.Bool("all_gap_points")
	if err := r.Err(); err != nil {
		return nil, err
	}
	p := &pydantic{model: "GapDetectionParameters"}
	if g.series != nil {
		if err := g.applyRefAttrs(p); err != nil {
			return nil, err
		}
	}
	if err := checkIntervalFrame(frame, "gap_intervals", "gap_intervals"); err != nil {
		return nil, err
	}
	iv, err := intervalsFromFrame(frame)
	if err != nil {
		return nil, err
	}
	var bad []int
	for i, row := range iv.rows {
		if tsGT(row.start, row.end) {
			bad = append(bad, i)
		}
	}
	if len(bad) > 0 {
		sub := &data.DataFrame{Index: frame.Index.Take(bad), Names: frame.Names, Columns: make([]data.Column, len(frame.Columns))}
		for i, c := range frame.Columns {
			sub.Columns[i] = c.Take(bad)
		}
		return nil, component.InputValidationError("There is at least one gap interval for which the start is after the end:\n"+intervalFrameJSON(sub), "gap_intervals")
	}
	gr, err := g.validate(p)
	if err != nil {
		return nil, err
	}
	if err := p.err(); err != nil {
		return nil, err
	}

	var rs *rangeSeries
	if g.series != nil {
		if rs, err = clipToRange(ctx, g.series, gr.start, gr.end); err != nil {
			return nil, err
		}
	}
	if g.auto {
		if rs == nil {
			return nil, component.TypeError("object of type 'NoneType' has no len()")
		}
		if int64(len(rs.index)) < g.minPoints {
			return nil, component.InputValidationError(fmt.Sprintf("The timeseries does not contain at least %d datapoints.", g.minPoints), "timeseries")
		}
		f, ok, err := estimateFrequency(rs.index, g.percentile)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, component.ValueError("Invalid frequency: NaT")
		}
		gr.freq, gr.hasFreq = f, true
	}
	epoch := func(t data.Timestamp) error {
		if !t.Zone.Aware {
			return component.TypeError("Cannot subtract tz-naive and tz-aware datetime-like objects.")
		}
		gr.offset, gr.hasOffset = -t.NS, true
		if t.NS == data.NaT { // a start of "": epoch - NaT is NaT
			gr.offset = data.NaT
		}
		return nil
	}
	if !gr.hasOffset {
		switch {
		case rs != nil && rs.clip.Len() > 0:
			if err := epoch(rs.clip.At(0).(data.Timestamp)); err != nil {
				return nil, err
			}
		case gr.start != nil:
			if err := epoch(*gr.start); err != nil {
				return nil, err
			}
		}
	}
	if gr.hasOffset && gr.offset != data.NaT {
		m, err := (data.Timedelta{NS: gr.offset}).Mod(data.Timedelta{NS: gr.freq})
		if err != nil {
			return nil, err
		}
		gr.offset = m.NS
	}
	clipped, err := clipIntervals(iv, gr.start, gr.end)
	if err != nil {
		return nil, err
	}
	merged := mergeGapIntervals(clipped.rows)
	var locs []int64
	anchored := gr.hasOffset
	for _, gi := range merged {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if allPoints && gi.start == gi.end {
			locs = append(locs, gi.start)
			continue
		}
		if gi.start == data.NaT || gi.end == data.NaT || (anchored && gr.offset == data.NaT) {
			// a NaT offset (start "") makes both rhythm bounds NaT
			return nil, component.ValueError("Neither `start` nor `end` can be NaT")
		}
		if !anchored {
			gr.offset, anchored = gi.start, true
			gr.hasOffset = false // anchored at a Timestamp: Timedelta arithmetic
		}
		start := data.Timestamp{NS: gi.start, Zone: clipped.zone}
		end := data.Timestamp{NS: gi.end, Zone: clipped.zone}
		// the inclusiveness of date_range: a bound counts when it was inclusive or was
		// moved onto the rhythm
		lo, err := data.RhythmCeil(gi.start, rhythmZone(clipped.zone, gr.hasOffset), gr.freq, gr.offset)
		if err != nil {
			return nil, err
		}
		hi, err := data.RhythmFloor(gi.end, rhythmZone(clipped.zone, gr.hasOffset), gr.freq, gr.offset)
		if err != nil {
			return nil, err
		}
		incl := inclusiveOf(gi.startIncl || lo != gi.start, gi.endIncl || hi != gi.end)
		pts, _, _, err := rhythmRange(ctx, start, end, gr.freq, gr.offset, gr.hasOffset, incl)
		if err != nil {
			return nil, err
		}
		locs = append(locs, pts.I...)
	}
	zone := clipped.zone
	if len(locs) == 0 {
		zone = data.Naive
		locs = []int64{}
	}
	vals := make([]float64, len(locs))
	for i := range vals {
		vals[i] = math.NaN()
	}
	return component.Outputs{"replacement_locations": data.NewSeries(nil, data.Datetimes(locs, zone), data.Floats(vals))}, nil
}

// rhythmZone is the clock rhythm snapping runs on: the wall clock of zone for an offset
// (Timestamp − Timedelta rounds on the wall clock), absolute time for a Timestamp anchor
// (Timestamp − Timestamp is a Timedelta).
func rhythmZone(zone data.Zone, wallClock bool) data.Zone {
	if wallClock {
		return zone
	}
	return data.Naive
}

// inclusiveOf maps the two inclusive flags to date_range's inclusive=.
func inclusiveOf(left, right bool) data.Inclusive {
	switch {
	case left && right:
		return data.InclusiveBoth
	case left:
		return data.InclusiveLeft
	case right:
		return data.InclusiveRight
	}
	return data.InclusiveNeither
}
