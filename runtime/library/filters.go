package library

import (
	"context"
	"fmt"
	"strings"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

var filters = []component.Spec{
	{Meta: metaSelectTimeIntervals, Run: selectTimeIntervals, Description: "Marks the timestamps that lie in any of the given time intervals"},
}

// timeInterval is hetida's TimeInterval model: start/end timestamps as strings, both
// inclusive by default.
type timeInterval struct {
	start, end                   string
	startInclusive, endInclusive bool
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

// parseTimeInterval validates one interval like TimeInterval(**interval) does.
func parseTimeInterval(raw any) (timeInterval, string, error) {
	d, ok := raw.(*data.Dict)
	if !ok {
		return timeInterval{}, "", component.TypeError("TimeInterval() argument after ** must be a mapping, not %s", component.PyTypeName(raw))
	}
	ti := timeInterval{startInclusive: true, endInclusive: true}
	var issues []fieldIssue
	str := func(field string, dst *string) {
		v, ok := d.Get(field)
		switch x := v.(type) {
		case string:
			*dst = x
		case int64, float64:
			*dst = fmt.Sprint(x)
		case nil:
			if ok {
				issues = append(issues, fieldIssue{field, "none is not an allowed value", "type_error.none.not_allowed"})
			} else {
				issues = append(issues, fieldIssue{field, "field required", "value_error.missing"})
			}
		default:
			issues = append(issues, fieldIssue{field, "str type expected", "type_error.str"})
		}
	}
	boolean := func(field string, dst *bool) {
		v, ok := d.Get(field)
		if !ok {
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
	boolean("start_inclusive", &ti.startInclusive)
	boolean("end_inclusive", &ti.endInclusive)
	if len(issues) == 0 {
		if ti.end < ti.start {
			issues = append(issues, fieldIssue{"__root__", "To be valid, a time interval must be non-empty, i.e. the start timestamp may not be later than the end timestamp.", "value_error"})
		} else if (!ti.startInclusive || !ti.endInclusive) && !(ti.start < ti.end) {
			issues = append(issues, fieldIssue{"__root__", "To be valid, a time interval must be non-empty, i.e the start timestamp must be earlier than the end timestamp.", "value_error"})
		}
	}
	if len(issues) > 0 {
		return ti, pydanticMessage("TimeInterval", issues), nil
	}
	return ti, "", nil
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
// strings are read in the index's zone; mixing naive and aware fails as in pandas.
func timestampBound(s string, idx data.Column) (int64, error) {
	ns, z, err := data.ParseISO(s)
	if err != nil {
		return 0, component.TypeError("Invalid comparison between dtype=%s and str", idx.DType)
	}
	switch {
	case !z.Aware && idx.Zone.Aware:
		return ns - int64(idx.Zone.Offset)*1e9, nil
	case z.Aware && !idx.Zone.Aware:
		return 0, component.TypeError("Cannot compare tz-naive and tz-aware datetime-like objects")
	}
	return ns, nil
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
	items, err := iterable(rawIntervals)
	if err != nil {
		return nil, err
	}
	var intervals []timeInterval
	var problems []string
	for i, it := range items {
		ti, msg, err := parseTimeInterval(it)
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
	ts := s.Index.I
	mask := make([]bool, len(ts))
	for _, ti := range intervals {
		lo, err := timestampBound(ti.start, s.Index)
		if err != nil {
			return nil, err
		}
		hi, err := timestampBound(ti.end, s.Index)
		if err != nil {
			return nil, err
		}
		for i, t := range ts {
			if err := cancelled(ctx, i); err != nil {
				return nil, err
			}
			if t == data.NaT {
				continue
			}
			above := t > lo || (ti.startInclusive && t == lo)
			below := t < hi || (ti.endInclusive && t == hi)
			mask[i] = mask[i] || (above && below)
		}
	}
	return component.Outputs{"filter_series": data.NewSeries(nil, s.Index, data.Bools(mask))}, nil
}

// filtersTodo lists the category's revisions not ported yet.
var filtersTodo = []*component.Meta{
	&metaCorrectTimeIntervalsWithFixedValues,
	&metaCutValuesAboveLimit,
	&metaCutValuesBelowLimit,
	&metaDropNaNValues,
	&metaDropDuplicates,
	&metaEvalExpressionOnDataFrame,
	&metaEvalExpressionOnSeries,
	&metaHighpassFilter,
	&metaLowpassFilter,
	&metaMAVGOutlierFilter,
	&metaMAVGSmoothing,
	&metaMovingWindowMADBandFilter,
	&metaReduceDataSetByLeavingOutValues,
}
