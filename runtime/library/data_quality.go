package library

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// The gap components (Gap Detection Intervals, Replacement Locations for Gaps) live in
// data_quality_gaps.go.
var dataQuality = []component.Spec{
	{Meta: metaApplySubstitutionTimeseries, Run: applySubstitutionTimeseries, Description: "Replaces, deletes and adds points of a series as a substitution series says"},
	{Meta: metaFixedReplacementValue, Run: fixedReplacementValue, Description: "A series holding one fixed value at every given timestamp"},
	{Meta: metaGapDetectionIntervals, Run: gapDetectionIntervals, Description: "Finds the gaps of a time series against its (given or estimated) data frequency, with the values around them"},
	{Meta: metaInterpolateTimeseries, Run: interpolateTimeseries, Description: "Interpolates a series at the positions a boolean filter marks, new timestamps included"},
	{Meta: metaReplacementLocationsForGaps, Run: replacementLocationsForGaps, Description: "The timestamps on the data rhythm inside given gap intervals, where replacement values belong"},
	{Meta: metaValueRangeCheck, Run: valueRangeCheck, Description: "Checks every value of a series against named value ranges"},
}

// dedupSortedIndex is s.sort_index() followed by s.loc[~s.index.duplicated(keep="first")]
// (the sort is stable here; pandas' quicksort may pick another of equal labels first).
func dedupSortedIndex(s *data.Series) *data.Series {
	s = s.SortIndex()
	dup := s.Index.Duplicated(data.KeepFirst)
	keep := make([]int, 0, len(dup))
	for i, d := range dup {
		if !d {
			keep = append(keep, i)
		}
	}
	if len(keep) == len(dup) {
		return s
	}
	return s.Take(keep)
}

// applySubstitutionTimeseries applies a substitution series to raw values. Both series
// are sorted by label and keep the first of equal labels. A label of raw values that the
// substitution has with a missing value is deleted, one it has with a value takes that
// value (Series.update), and the substitution's labels that raw values lacks are added
// with their values, missing ones included (concat); the result is sorted by label. As
// pd.concat names it, the result keeps the name both series share (None when they differ)
// and the attrs both share (none when they differ). Values of both
// series share one dtype as pd.concat would give it (ints with floats become floats).
func applySubstitutionTimeseries(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	raw := r.Series("raw_values")
	sub := r.Series("substitution_series")
	if err := r.Err(); err != nil {
		return nil, err
	}
	s1, s2 := dedupSortedIndex(raw), dedupSortedIndex(sub)
	n1 := s1.Len()
	// labels of s1 in s2, and of s2 in s1 (both unique now)
	inSub, err := data.Indexer(s1.Index, s2.Index)
	if err != nil {
		return nil, err
	}
	inRaw, err := data.Indexer(s2.Index, s1.Index)
	if err != nil {
		return nil, err
	}
	values := data.ConcatColumns(s1.Values, s2.Values)
	labels := data.ConcatColumns(s1.Index, s2.Index)
	// positions into values (s1 then s2) and into labels; a replaced value keeps raw's
	// label (the same instant, in raw's zone)
	pos := make([]int, 0, n1+s2.Len())
	labelPos := make([]int, 0, n1+s2.Len())
	for i := 0; i < n1; i++ {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		p := inSub[i]
		if p >= 0 && s2.Values.IsNA(p) {
			continue // deleted
		}
		labelPos = append(labelPos, i)
		if p < 0 {
			pos = append(pos, i)
		} else {
			pos = append(pos, n1+p)
		}
	}
	for j := 0; j < s2.Len(); j++ {
		if inRaw[j] < 0 {
			pos = append(pos, n1+j)
			labelPos = append(labelPos, n1+j)
		}
	}
	out := &data.Series{Name: data.CommonName(s1, s2), Index: labels.Take(labelPos), Values: values.Take(pos), Attrs: data.ConcatAttrs(s1.Attrs, s2.Attrs)}
	if err := out.Index.OrderError(); err != nil {
		return nil, err // sort_index of labels Python cannot order (ints with Timestamps)
	}
	return component.Outputs{"substituted_ts": out.SortIndex()}, nil
}

// fixedReplacementValue builds a float series holding replacement_value at every
// timestamp of gap_timestamps: its index when that is a DatetimeIndex, otherwise its
// values when they are datetimes. Neither is hetida's ComponentInputValidationException
// "No index or data of dtype datetime64 was found."; both, but not equal element-wise
// (NaT equals nothing, a naive timestamp no aware one), is "Found conflicting timestamp
// data for replacement values." — which is what an all-null JSON series gets, since
// pandas reads all-null values as NaT datetimes.
func fixedReplacementValue(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	gaps := r.Series("gap_timestamps")
	value := r.Float("replacement_value")
	if err := r.Err(); err != nil {
		return nil, err
	}
	idxDT := gaps.Index.DType == data.Datetime
	valDT := gaps.Values.DType == data.Datetime
	if !idxDT && !valDT {
		return nil, component.InputValidationError("No index or data of dtype datetime64 was found.", "gap_timestamps")
	}
	if idxDT && valDT {
		a, b := gaps.Index, gaps.Values
		for i := range a.I {
			if a.I[i] == data.NaT || b.I[i] == data.NaT || a.I[i] != b.I[i] || a.Zone.Aware != b.Zone.Aware {
				return nil, component.InputValidationError("Found conflicting timestamp data for replacement values.", "gap_timestamps")
			}
		}
	}
	index := gaps.Index
	if !idxDT {
		index = gaps.Values
	}
	vals := make([]float64, index.Len())
	for i := range vals {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		vals[i] = value
	}
	return component.Outputs{"replacement_value_series": data.NewSeries(nil, index, data.Floats(vals))}, nil
}

// interpolateOptions reads interpolation_params, the keyword arguments of
// Series.interpolate: method, limit, limit_direction, limit_area, order, and axis,
// inplace and downcast at their defaults. Any other key is refused with the TypeError
// Python gives an unexpected keyword argument (pandas would hand unknown keys on to scipy,
// which trafofn does not have).
func interpolateOptions(params *data.Dict) (data.InterpolateOptions, error) {
	var o data.InterpolateOptions
	str := func(key string, v any) (string, error) {
		s, ok := v.(string)
		if !ok && v != nil {
			return "", component.TypeError("interpolate() argument '%s' must be str, not %s", key, component.PyTypeName(v))
		}
		return s, nil
	}
	var err error
	for i := 0; i < params.Len(); i++ {
		key, v := params.At(i)
		switch key {
		case "method":
			if o.Method, err = str(key, v); err != nil {
				return o, err
			}
		case "limit_direction":
			if o.LimitDirection, err = str(key, v); err != nil {
				return o, err
			}
		case "limit_area":
			if o.LimitArea, err = str(key, v); err != nil {
				return o, err
			}
		case "limit":
			if o.Limit, err = data.ValidateLimit(v); err != nil {
				return o, err
			}
		case "order":
			switch x := v.(type) {
			case nil:
			case int64:
				if x <= 0 {
					return o, component.ValueError("order needs to be specified and greater than 0; got order: %d", x)
				}
				o.Order = int(x)
			default:
				return o, component.ValueError("order needs to be specified and greater than 0; got order: %s", data.PyRepr(v))
			}
		case "axis":
			if v != int64(0) && v != "index" && v != "rows" && v != nil {
				return o, component.ValueError("No axis named %s for object type Series", data.PyStr(v))
			}
		case "inplace":
			if t, _ := data.Truthy(v); t {
				// interpolate(inplace=True) returns None, and the component reads .values
				return o, component.AttributeError(nil, "values")
			}
		case "downcast":
			if v != nil {
				return o, component.ValueError("downcast must be either None or 'infer'")
			}
		default:
			return o, component.TypeError("interpolate() got an unexpected keyword argument '%s'", key)
		}
	}
	return o, nil
}

// interpolateTimeseries interpolates timeseries at the positions filter_series marks
// true, which may be new timestamps. The union of both indexes (sorted) carries
// timeseries' values, NaN elsewhere and at every marked position; pandas'
// Series.interpolate(**interpolation_params) (default {"method": "time"}) fills them. For
// every method but "time" a DatetimeIndex is first replaced by the cumulative seconds
// since the first point, so that "index", "values" and the scipy methods ("cubic",
// "pchip", …) see real time distances, while "linear" treats the points as equally
// spaced; "time" uses the timestamps themselves. Interpolation follows data.Interpolate
// (pandas 2.1 with scipy 1.12's interp1d, CubicSpline, Pchip, Akima; default
// limit_direction "forward": leading gaps stay NaN, trailing ones take the last value
// for numpy's methods). Outputs: the whole series on the union index, and its values at
// the marked positions.
//
// hetida's code calls Index.union(…, sort=True), which pandas 1.5 refuses, so the
// reference cases recorded with pandas 1.5.3 fail; this is the pandas 2.1 behaviour
// hetida pins. Duplicate labels in either index fail with pandas' reindex error, a
// filter that is not boolean (or holds NaN) with pandas' masking errors; non-numeric
// values are returned uninterpolated, as pandas 2.1 does for an object series.
func interpolateTimeseries(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	ts := r.Series("timeseries")
	filter := r.Series("filter_series")
	rawParams := r.Any("interpolation_params")
	if err := r.Err(); err != nil {
		return nil, err
	}
	params, ok := rawParams.(*data.Dict)
	if !ok {
		return nil, component.AttributeError(rawParams, "get")
	}
	opt, err := interpolateOptions(params)
	if err != nil {
		return nil, err
	}
	mask, err := filterMask(filter.Values)
	if err != nil {
		return nil, err
	}
	if f, numeric := numericValues(ts.Values); numeric && opt.Method == "time" && sameLabels(ts.Index, filter.Index) {
		// the usual case: a filter computed from the series. When the index is strictly
		// increasing it is the union, and data interpolates in one pass, checking that.
		res, picked, sorted, err := data.InterpolateMaskedSorted(ctx, data.NewSeries(nil, ts.Index, data.Floats(f)), mask, opt)
		if err != nil {
			return nil, err
		}
		if sorted {
			return component.Outputs{"interpolated_timeseries": data.NewSeries(nil, ts.Index, res.Values),
				"new_values": data.NewSeries(nil, picked.Index, picked.Values)}, nil
		}
	}
	union, fromTS, fromFilter, err := interpolationUnion(ts.Index, filter.Index)
	if err != nil {
		return nil, err
	}
	n := union.Len()
	// the prepared values: timeseries' values on the union, NaN where marked or missing;
	// and the marked positions. nil position lists mean the identity (equal indexes).
	var at []int
	row := func(i int) (int, bool) {
		f, p := i, i
		if fromFilter != nil {
			f = fromFilter[i]
		}
		if fromTS != nil {
			p = fromTS[i]
		}
		return p, f >= 0 && mask[f]
	}
	x := union
	if opt.Method != "time" && union.DType == data.Datetime {
		// cumulative seconds since the first point, summed as pandas' cumsum does
		secs := make([]float64, n)
		sum := 0.0
		for i := 1; i < n; i++ {
			d := 0.0
			if union.I[i] != data.NaT && union.I[i-1] != data.NaT {
				d = float64(union.I[i]-union.I[i-1]) / 1e9
			}
			sum += d
			secs[i] = sum
		}
		x = data.Floats(secs)
	}
	var interp *data.Series
	f, numeric := numericValues(ts.Values)
	if numeric && fromTS == nil && fromFilter == nil {
		// equal indexes: the values with the marked positions missing, interpolated in
		// one pass where data can
		at = make([]int, 0, n/8+8)
		for i, m := range mask {
			if m {
				at = append(at, i)
			}
		}
		if interp, err = data.InterpolateMasked(ctx, data.NewSeries(nil, x, data.Floats(f)), mask, opt); err != nil {
			return nil, err
		}
	} else {
		var prepared data.Column
		if numeric {
			v := make([]float64, n)
			nan := math.NaN()
			for i := range v {
				if err := cancelled(ctx, i); err != nil {
					return nil, err
				}
				p, m := row(i)
				switch {
				case m:
					at = append(at, i)
					v[i] = nan
				case p < 0:
					v[i] = nan
				default:
					v[i] = f[p]
				}
			}
			prepared = data.Floats(v)
			opt.InPlace = true // prepared is this function's own
		} else {
			pos := make([]int, n)
			for i := range pos {
				if err := cancelled(ctx, i); err != nil {
					return nil, err
				}
				p, m := row(i)
				if m {
					at = append(at, i)
					p = -1
				}
				pos[i] = p
			}
			prepared = ts.Values.AsObject().Take(pos)
		}
		if interp, err = data.Interpolate(ctx, data.NewSeries(nil, x, prepared), opt); err != nil {
			return nil, err
		}
	}
	if at == nil {
		at = []int{}
	}
	whole := data.NewSeries(nil, union, interp.Values)
	return component.Outputs{"interpolated_timeseries": whole, "new_values": whole.Take(at)}, nil
}

// interpolationUnion is timeseries.index.union(filter_series.index, sort=True) with the
// positions of each index' labels in it (nil: the identity, for equal sorted indexes — the
// usual case of a filter computed from the series). Duplicate labels fail with pandas'
// reindex error.
func interpolationUnion(a, b data.Column) (union data.Column, fromA, fromB []int, err error) {
	if sameLabels(a, b) && strictlyIncreasing(a.I) {
		return a, nil, nil, nil
	}
	for _, c := range []data.Column{a, b} {
		if !c.IsUnique() {
			return data.Column{}, nil, nil, component.ValueError("cannot reindex on an axis with duplicate labels")
		}
	}
	if union, err = data.Union(a, b); err != nil {
		return
	}
	if !union.IsMonotonicIncreasing() {
		union = union.Take(union.ArgSort())
	}
	if fromA, err = data.Indexer(union, a); err != nil {
		return
	}
	fromB, err = data.Indexer(union, b)
	return
}

// sameLabels reports whether two datetime indexes hold the same labels in the same zone
// (the same storage, as when a filter was computed from the series, or equal values).
func sameLabels(a, b data.Column) bool {
	return a.DType == data.Datetime && b.DType == data.Datetime && a.Zone == b.Zone && len(a.I) == len(b.I) &&
		(len(a.I) == 0 || &a.I[0] == &b.I[0] || slices.Equal(a.I, b.I))
}

// strictlyIncreasing reports whether stored timestamps increase strictly (so are sorted
// and unique; NaT, the smallest int64, can only come first and is refused).
func strictlyIncreasing(v []int64) bool {
	if len(v) > 0 && v[0] == data.NaT {
		return false
	}
	for i := 1; i < len(v); i++ {
		if v[i-1] >= v[i] {
			return false
		}
	}
	return true
}

// numericValues returns float64 and int64 values as floats (what assigning them into a
// float64 series keeps numeric).
func numericValues(c data.Column) ([]float64, bool) {
	switch c.DType {
	case data.Float64, data.Int64:
		return c.AsFloat64().F, true
	}
	return nil, false
}

// filterMask is the boolean mask of series[series]: bool values, or objects that are all
// booleans; missing values are pandas' ValueError, other values a KeyError (pandas then
// looks the values up as labels).
func filterMask(c data.Column) ([]bool, error) {
	switch c.DType {
	case data.Bool:
		return c.B, nil
	case data.Object:
		m := make([]bool, len(c.O))
		for i, v := range c.O {
			switch x := v.(type) {
			case bool:
				m[i] = x
			case nil:
				return nil, component.ValueError("Cannot mask with non-boolean array containing NA / NaN values")
			default:
				return nil, component.KeyError("None of [Index(%s, dtype='object')] are in the [index]", data.PyRepr(c.O))
			}
		}
		return m, nil
	case data.Float64:
		if c.HasNA() {
			return nil, component.ValueError("Cannot mask with non-boolean array containing NA / NaN values")
		}
	}
	return nil, component.KeyError("None of [Index(%s, dtype='%s')] are in the [index]", data.PyRepr(c.AsObject().O), c.PandasDType())
}

// valueRange is hetida's ValueRange model (pydantic v1): min and max as floats, both
// bounds inclusive by default.
type valueRange struct {
	name             string
	min, max         float64
	minIncl, maxIncl bool
}

// parseValueRange validates one range like ValueRange(**value_range) does: the pydantic
// error text, or a TypeError for a value that is no mapping (not caught by hetida).
func parseValueRange(name string, raw any) (valueRange, string, error) {
	d, ok := raw.(*data.Dict)
	if !ok {
		return valueRange{}, "", component.TypeError("ValueRange() argument after ** must be a mapping, not %s", component.PyTypeName(raw))
	}
	vr := valueRange{name: name, minIncl: true, maxIncl: true}
	var issues []fieldIssue
	num := func(field string, dst *float64) {
		v, ok := d.Get(field)
		switch {
		case !ok:
			issues = append(issues, fieldIssue{field, "field required", "value_error.missing"})
		case v == nil:
			issues = append(issues, fieldIssue{field, "none is not an allowed value", "type_error.none.not_allowed"})
		default:
			f, good := wire.PydanticFloat(v)
			if !good {
				issues = append(issues, fieldIssue{field, "value is not a valid float", "type_error.float"})
			}
			*dst = f
		}
	}
	boolean := func(field string, dst *bool) {
		v, ok := d.Get(field)
		if !ok {
			return
		}
		if v == nil {
			issues = append(issues, fieldIssue{field, "none is not an allowed value", "type_error.none.not_allowed"})
			return
		}
		b, good := wire.PydanticBool(v)
		if !good {
			issues = append(issues, fieldIssue{field, "value could not be parsed to a boolean", "type_error.bool"})
			return
		}
		*dst = b
	}
	num("min_value", &vr.min)
	boolean("min_value_inclusive", &vr.minIncl)
	num("max_value", &vr.max)
	boolean("max_value_inclusive", &vr.maxIncl)
	if len(issues) == 0 {
		issues = appendEmptyRange(issues, "range", vr.min, vr.max, vr.minIncl, vr.maxIncl)
	}
	if len(issues) > 0 {
		return vr, pydanticMessage("ValueRange", issues), nil
	}
	return vr, "", nil
}

// valueRangeCheck checks every non-NaN value of an int64 or float64 series against named
// value ranges ({name: {min_value, max_value, min_value_inclusive, max_value_inclusive}},
// bounds inclusive by default). The result frame, on the index of the non-NaN values,
// has per range a boolean column "<name>" (inside the range), then "_violates_all" (in
// no range; true when there are no ranges) and "_violates_any" (outside some range),
// then "<name>_IS_BELOW" and "<name>_IS_ABOVE" per range, and "_timestamp", the index as
// a column. Every invalid range (pydantic's messages; a name ending in _IS_BELOW or
// _IS_ABOVE or equal to _violates_all, _violates_any or _timestamp) is reported in one
// ComponentInputValidationException; another dtype is one too.
func valueRangeCheck(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("timeseries_data")
	rawRanges := r.Any("value_range_dict")
	if err := r.Err(); err != nil {
		return nil, err
	}
	if s.Values.DType != data.Int64 && s.Values.DType != data.Float64 {
		return nil, component.InputValidationError(fmt.Sprintf("To determine whether time series entries are in a value range, their dtype must be float or int, while it is %s", s.Values.PandasDType()), "timeseries_data")
	}
	dict, ok := rawRanges.(*data.Dict)
	if !ok {
		return nil, component.AttributeError(rawRanges, "items")
	}
	var ranges []valueRange
	var errNames, errTexts []string
	setErr := func(name, msg string) {
		for i, n := range errNames {
			if n == name {
				errTexts[i] = msg
				return
			}
		}
		errNames, errTexts = append(errNames, name), append(errTexts, msg)
	}
	for i := 0; i < dict.Len(); i++ {
		name, raw := dict.At(i)
		if strings.HasSuffix(name, "_IS_BELOW") || strings.HasSuffix(name, "_IS_ABOVE") {
			setErr(name, "Range names must not end with '_IS_BELOW' or '_IS_ABOVE'! ")
		}
		if name == "_violates_all" || name == "_violates_any" || name == "_timestamp" {
			setErr(name, "Range names must not be '_violates_all', '_violates_any', or '_timestamp'!")
		}
		vr, msg, err := parseValueRange(name, raw)
		if err != nil {
			return nil, err
		}
		if msg != "" {
			setErr(name, msg)
			continue
		}
		ranges = append(ranges, vr)
	}
	if len(errNames) > 0 {
		lines := make([]string, len(errNames))
		for i := range errNames {
			lines[i] = errNames[i] + ": " + errTexts[i]
		}
		return nil, component.InputValidationError("There were input validation errors for the value_range_dict:\n"+strings.Join(lines, "\n"), "value_range_dict")
	}
	s, err := s.Dropna(ctx)
	if err != nil {
		return nil, err
	}
	v := s.Values.AsFloat64().F
	n := len(v)
	inside := make([][]bool, len(ranges))
	below := make([][]bool, len(ranges))
	above := make([][]bool, len(ranges))
	all, some := make([]bool, n), make([]bool, n)
	for i := range all {
		all[i] = true
	}
	for k, vr := range ranges {
		inside[k], below[k], above[k] = make([]bool, n), make([]bool, n), make([]bool, n)
		for i, x := range v {
			if err := cancelled(ctx, i); err != nil {
				return nil, err
			}
			b := x < vr.min || (!vr.minIncl && x == vr.min)
			a := x > vr.max || (!vr.maxIncl && x == vr.max)
			below[k][i], above[k][i] = b, a
			in := !b && !a
			inside[k][i] = in
			all[i] = all[i] && !in
			some[i] = some[i] || !in
		}
	}
	names := make([]any, 0, 3*len(ranges)+3)
	cols := make([]data.Column, 0, 3*len(ranges)+3)
	for k, vr := range ranges {
		names, cols = append(names, vr.name), append(cols, data.Bools(inside[k]))
	}
	names = append(names, "_violates_all", "_violates_any")
	cols = append(cols, data.Bools(all), data.Bools(some))
	for k, vr := range ranges {
		names = append(names, vr.name+"_IS_BELOW", vr.name+"_IS_ABOVE")
		cols = append(cols, data.Bools(below[k]), data.Bools(above[k]))
	}
	names, cols = append(names, "_timestamp"), append(cols, s.Index)
	return component.Outputs{"is_included_frame": data.NewDataFrame(s.Index, names, cols)}, nil
}

// dataQualityTodo lists the category's revisions not ported yet.
var dataQualityTodo = []*component.Meta{}

// appendEmptyRange adds the root validator's issue of hetida's ValueRange and
// ValueInterval models ("a value range" / "a value interval") when min..max is empty.
func appendEmptyRange(issues []fieldIssue, kind string, min, max float64, minIncl, maxIncl bool) []fieldIssue {
	if max < min {
		return append(issues, fieldIssue{"__root__", "To be valid, a value " + kind + " must be non-empty, i.e. min_value may not be bigger than max_value.", "value_error"})
	}
	if (!minIncl || !maxIncl) && !(min < max) {
		return append(issues, fieldIssue{"__root__", "To be valid, a value " + kind + " must be non-empty, i.e min_value must be smaller than max_value.", "value_error"})
	}
	return issues
}
