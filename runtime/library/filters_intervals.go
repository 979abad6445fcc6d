package library

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// The two Filters components over lists of time intervals: Correct Time Intervals With
// Fixed Values and Select Time Intervals, and the validation of hetida's TimeInterval
// models they share.

// correctTimeIntervals replaces the values of series at the timestamps inside each
// interval by its correction_value: series.copy(), then for every interval in list order
// corrected[start <(=) t <(=) end] = correction_value, so a later interval overwrites an
// earlier one where they overlap. The interval models are validated first, every problem
// collected ("TimeInterval <i>: <pydantic's message>") into one
// ComponentInputValidationException. Bounds are ISO strings compared with the index as
// pandas does (a naive string is wall time in the index's zone); NaT labels are in no
// interval.
//
// The value is a float (pydantic): an integer series keeps its dtype when the value is a
// whole number and becomes float64 otherwise; a boolean or datetime series becomes object
// (pandas' setitem upcasts). An interval that contains no point changes nothing, not
// even the dtype. Name and attrs are kept.
func correctTimeIntervals(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	rawIntervals := r.Any("list_of_time_intervals")
	if err := r.Err(); err != nil {
		return nil, err
	}
	if s.Index.DType != data.Datetime {
		err := component.InputValidationError("The index of the provided series does not have the datatype DatetimeIndex.", "series").(*component.Error)
		err.Code = "not a time-series like object" // hetida's code passes this string
		return nil, err
	}
	intervals, err := parseTimeIntervals(rawIntervals, true)
	if err != nil {
		return nil, err
	}
	vals := s.Values
	owned := false // vals is a copy this function may write into
	for _, ti := range intervals {
		mask, hit, err := intervalMask(ctx, s.Index, ti)
		if err != nil {
			return nil, err
		}
		if !hit {
			continue
		}
		vals, owned = setWhere(vals, owned, mask, ti.correction)
	}
	return component.Outputs{"corrected": s.With(vals)}, nil
}

// setWhere is pandas' ser[mask] = v for a float v: stored in place when the column can
// hold it losslessly (float64; int64 for a whole number in range; object), otherwise
// the column is upcast first (int64 → float64, bool and datetimes → object). c is
// copied unless owned.
func setWhere(c data.Column, owned bool, mask []bool, v float64) (data.Column, bool) {
	switch c.DType {
	case data.Int64:
		if v != math.Trunc(v) || v < -(1<<63) || v >= 1<<63 {
			c, owned = c.AsFloat64(), false
		}
	case data.Float64, data.Object:
	default:
		c, owned = c.AsObject(), false
	}
	if !owned {
		c = c.Clone()
	}
	for i, m := range mask {
		if !m {
			continue
		}
		switch c.DType {
		case data.Float64:
			c.F[i] = v
		case data.Int64:
			c.I[i] = int64(v)
		default:
			c.O[i] = v
		}
	}
	return c, true
}

// selectTimeIntervals marks every timestamp of series that lies in any of the intervals
// (bounds inclusive unless stated otherwise): a boolean Series on series' index.
func selectTimeIntervals(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	rawIntervals := r.Any("list_of_time_intervals")
	if err := r.Err(); err != nil {
		return nil, err
	}
	if s.Index.DType != data.Datetime {
		return nil, component.InputValidationError("The index of the provided series does not have data type DateTimeIndex.", "series")
	}
	intervals, err := parseTimeIntervals(rawIntervals, false)
	if err != nil {
		return nil, err
	}
	mask := make([]bool, s.Len())
	for _, ti := range intervals {
		in, _, err := intervalMask(ctx, s.Index, ti)
		if err != nil {
			return nil, err
		}
		for i, m := range in {
			mask[i] = mask[i] || m
		}
	}
	return component.Outputs{"filter_series": data.NewSeries(nil, s.Index, data.Bools(mask))}, nil
}

// timeInterval is hetida's TimeInterval model: start/end timestamps as strings, both
// inclusive by default, and (Correct Time Intervals only) the correction value.
type timeInterval struct {
	start, end                   string
	startInclusive, endInclusive bool
	correction                   float64
}

type fieldIssue struct{ field, msg, typ string }

// pydanticMessage renders a pydantic v1 ValidationError's str().
func pydanticMessage(model string, issues []fieldIssue) string {
	var b strings.Builder
	if len(issues) == 1 {
		fmt.Fprintf(&b, "1 validation error for %s", model)
	} else {
		fmt.Fprintf(&b, "%d validation errors for %s", len(issues), model)
	}
	for _, is := range issues {
		fmt.Fprintf(&b, "\n%s\n  %s (type=%s)", is.field, is.msg, is.typ)
	}
	return b.String()
}

// parseTimeIntervals validates every element of the list as a TimeInterval (with a
// correction value when withCorrection), as both components do: a failure of
// TimeInterval(**interval) itself (not a mapping) is raised at once, validation errors
// are collected into one ComponentInputValidationException.
func parseTimeIntervals(raw any, withCorrection bool) ([]timeInterval, error) {
	items, err := iterable(raw)
	if err != nil {
		return nil, err
	}
	var intervals []timeInterval
	var problems []string
	for i, it := range items {
		ti, msg, err := parseTimeInterval(it, withCorrection)
		if err != nil {
			return nil, err
		}
		if msg != "" {
			problems = append(problems, fmt.Sprintf("TimeInterval %d: %s", i, msg))
			continue
		}
		intervals = append(intervals, ti)
	}
	if len(problems) > 0 {
		return nil, component.InputValidationError("There were input validation errors for the list_of_time_intervals:\n"+strings.Join(problems, "\n"), "list_of_time_intervals")
	}
	return intervals, nil
}

// parseTimeInterval validates one interval like TimeInterval(**interval) does: pydantic
// v1 coercion field by field in declaration order (start, end, correction_value,
// start_inclusive, end_inclusive; unknown keys ignored), then — only when every field is
// valid — the model's root validator, which compares the bound strings lexically. The
// two models differ in the wording of the second root check.
func parseTimeInterval(raw any, withCorrection bool) (timeInterval, string, error) {
	d, ok := raw.(*data.Dict)
	if !ok {
		return timeInterval{}, "", component.TypeError("TimeInterval() argument after ** must be a mapping, not %s", component.PyTypeName(raw))
	}
	ti := timeInterval{startInclusive: true, endInclusive: true}
	var issues []fieldIssue
	missing := func(field string, present bool) {
		if present {
			issues = append(issues, fieldIssue{field, "none is not an allowed value", "type_error.none.not_allowed"})
		} else {
			issues = append(issues, fieldIssue{field, "field required", "value_error.missing"})
		}
	}
	str := func(field string, dst *string) {
		v, ok := d.Get(field)
		switch x := v.(type) {
		case string:
			*dst = x
		case int64, float64, bool: // pydantic's str_validator: str() of numbers (bool is an int)
			*dst = data.PyStr(x)
		case nil:
			missing(field, ok)
		default:
			issues = append(issues, fieldIssue{field, "str type expected", "type_error.str"})
		}
	}
	number := func(field string, dst *float64) {
		v, ok := d.Get(field)
		if v == nil {
			missing(field, ok)
			return
		}
		f, err := wire.Parse(data.TypeFloat, v, false)
		if err != nil {
			issues = append(issues, fieldIssue{field, "value is not a valid float", "type_error.float"})
			return
		}
		*dst = f.(float64)
	}
	boolean := func(field string, dst *bool) {
		v, ok := d.Get(field)
		if !ok {
			return
		}
		if v == nil {
			missing(field, true)
			return
		}
		b, good := wire.PydanticBool(v)
		if !good {
			issues = append(issues, fieldIssue{field, "value could not be parsed to a boolean", "type_error.bool"})
			return
		}
		*dst = b
	}
	str("start", &ti.start)
	str("end", &ti.end)
	if withCorrection {
		number("correction_value", &ti.correction)
	}
	boolean("start_inclusive", &ti.startInclusive)
	boolean("end_inclusive", &ti.endInclusive)
	if len(issues) == 0 {
		if ti.end < ti.start {
			issues = append(issues, fieldIssue{"__root__", "To be valid, a time interval must be non-empty, i.e. the start timestamp may not be later than the end timestamp.", "value_error"})
		} else if (!ti.startInclusive || !ti.endInclusive) && ti.start == ti.end {
			msg := "To be valid, a time interval must be non-empty, i.e the start timestamp must be earlier than the end timestamp."
			if withCorrection {
				msg = "To be valid, a time interval must be non-empty, i.e the start timestamp must be not equal to the end timestamp, when at least one boundary is not inclusive."
			}
			issues = append(issues, fieldIssue{"__root__", msg, "value_error"})
		}
	}
	if len(issues) > 0 {
		return ti, pydanticMessage("TimeInterval", issues), nil
	}
	return ti, "", nil
}

// intervalMask marks the timestamps of a datetime index inside ti (pandas' index >= start
// & index <= end, strict where a bound is exclusive; NaT never inside) and reports
// whether any is. The start bound is parsed before the end bound, as pandas compares.
func intervalMask(ctx context.Context, idx data.Column, ti timeInterval) ([]bool, bool, error) {
	lo, err := timestampBound(ti.start, idx)
	if err != nil {
		return nil, false, err
	}
	hi, err := timestampBound(ti.end, idx)
	if err != nil {
		return nil, false, err
	}
	mask := make([]bool, len(idx.I))
	hit := false
	for i, t := range idx.I {
		if err := cancelled(ctx, i); err != nil {
			return nil, false, err
		}
		if t == data.NaT {
			continue
		}
		above := t > lo || (ti.startInclusive && t == lo)
		below := t < hi || (ti.endInclusive && t == hi)
		mask[i] = above && below
		hit = hit || mask[i]
	}
	return mask, hit, nil
}

// iterable returns the elements Python's for-loop would visit.
func iterable(v any) ([]any, error) {
	switch x := v.(type) {
	case []any:
		return x, nil
	case *data.Dict:
		keys := make([]any, x.Len())
		for i, k := range x.Keys() {
			keys[i] = k
		}
		return keys, nil
	case string:
		var out []any
		for _, r := range x {
			out = append(out, string(r))
		}
		return out, nil
	}
	return nil, component.TypeError("'%s' object is not iterable", component.PyTypeName(v))
}

// timestampBound parses a bound string for comparison with a datetime index: naive
// strings are read in the index's zone; mixing naive and aware fails as in pandas, and
// so does a string that is no timestamp.
func timestampBound(s string, idx data.Column) (int64, error) {
	ns, z, err := data.ParseISO(strings.TrimSpace(s))
	if err != nil {
		return 0, component.TypeError("Invalid comparison between dtype=%s and str", datetimeDtype(idx))
	}
	switch {
	case !z.Aware && idx.Zone.Aware:
		return ns - int64(idx.Zone.Offset)*1e9, nil
	case z.Aware && !idx.Zone.Aware:
		return 0, component.TypeError("Cannot compare tz-naive and tz-aware datetime-like objects")
	}
	return ns, nil
}

// datetimeDtype is how pandas prints a datetime column's dtype: datetime64[ns] when naive,
// datetime64[ns, UTC] or datetime64[ns, UTC+02:00] when aware.
func datetimeDtype(c data.Column) string {
	if !c.Zone.Aware {
		return "datetime64[ns]"
	}
	if c.Zone.Offset == 0 {
		return "datetime64[ns, UTC]"
	}
	off := int(c.Zone.Offset)
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("datetime64[ns, UTC%c%02d:%02d]", sign, off/3600, off/60%60)
}
