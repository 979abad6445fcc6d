package wire

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/trafofn/trafofn/runtime/data"
)

// ParseError says why a value could not be parsed into its declared type.
type ParseError struct {
	Type data.Type
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("cannot parse as %s: %s", e.Type, e.Msg) }

func perr(t data.Type, format string, args ...any) error {
	return &ParseError{Type: t, Msg: fmt.Sprintf(format, args...)}
}

// Parse converts a raw input value into a runtime value of type t, as hetida's
// type-driven parser does for wired data, defaults and constants (hetida-contract §3.3).
// raw is either the string of a direct-provisioning "value" filter or any decoded JSON
// value (defaults, adapters). With nullable set (defaults of optional inputs) a null
// becomes nil; otherwise null is an error.
//
// Where hetida is lenient by accident this parser is strict: a SERIES, DATAFRAME or
// MULTITSFRAME value must be JSON (an object or an array); text that is not JSON fails.
func Parse(t data.Type, raw any, nullable bool) (any, error) {
	if e, ok := raw.(*Escaped); ok {
		if t == data.TypeSeries {
			if s, ok := e.Series(); ok {
				return s, nil
			}
		}
		raw = e.String()
	}
	if raw == nil {
		if nullable {
			return nil, nil
		}
		return nil, perr(t, "none is not an allowed value")
	}
	if v, ok, err := parseBuilt(t, raw); ok {
		return v, err
	}
	switch t {
	case data.TypeInt:
		return parseInt(raw)
	case data.TypeFloat:
		return parseFloat(raw)
	case data.TypeString:
		return parseString(raw)
	case data.TypeBoolean:
		return parseBool(raw)
	case data.TypeAny:
		return parseAny(raw), nil
	case data.TypePlotlyJSON:
		if d, ok := raw.(*data.Dict); ok {
			return d, nil
		}
		return nil, perr(t, "value is not a valid dict")
	case data.TypeSeries:
		return ParseSeries(raw)
	case data.TypeDataFrame:
		return ParseFrame(raw)
	case data.TypeMultiTSFrame:
		return ParseMultiTSFrame(raw)
	}
	return nil, perr(t, "unknown data type %q", string(t))
}

// parseBuilt accepts the values adapters build themselves (a SQL result, a Parquet file):
// a Series for SERIES, a DataFrame for DATAFRAME, and for MULTITSFRAME a DataFrame that
// passes hetida's MULTITSFRAME checks; ANY takes either as it is. Another type is refused
// rather than reinterpreted.
func parseBuilt(t data.Type, raw any) (any, bool, error) {
	var kind string
	switch raw.(type) {
	case *data.Series:
		kind = "a Series"
		if t == data.TypeSeries || t == data.TypeAny {
			return raw, true, nil
		}
	case *data.DataFrame:
		kind = "a DataFrame"
		switch t {
		case data.TypeDataFrame, data.TypeAny:
			return raw, true, nil
		case data.TypeMultiTSFrame:
			f, err := ValidateMultiTSFrame(raw.(*data.DataFrame))
			return f, true, err
		}
	default:
		return nil, false, nil
	}
	return nil, true, perr(t, "the adapter delivered %s", kind)
}

func parseInt(raw any) (any, error) {
	switch x := raw.(type) {
	case int64:
		return x, nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case float64:
		if x != x || math.IsInf(x, 0) || math.Abs(x) >= 1<<63 {
			return nil, perr(data.TypeInt, "value is not a valid integer")
		}
		return int64(x), nil // Python int() truncates
	case string:
		v, ok, big := pyInt(x)
		if big {
			return nil, perr(data.TypeInt, "integer %q does not fit into 64 bits", x)
		}
		if !ok {
			return nil, perr(data.TypeInt, "value %s is not a valid integer", quoteShort(x))
		}
		return v, nil
	}
	return nil, perr(data.TypeInt, "value is not a valid integer")
}

func parseFloat(raw any) (any, error) {
	switch x := raw.(type) {
	case float64:
		return x, nil
	case int64:
		return float64(x), nil
	case bool:
		if x {
			return 1.0, nil
		}
		return 0.0, nil
	case string:
		f, ok := pyFloat(x)
		if !ok {
			return nil, perr(data.TypeFloat, "value %s is not a valid float", quoteShort(x))
		}
		return f, nil
	}
	return nil, perr(data.TypeFloat, "value is not a valid float")
}

func parseString(raw any) (any, error) {
	switch x := raw.(type) {
	case string:
		return x, nil
	case int64, float64, bool:
		// pydantic's str_validator coerces numbers with str(); bool is an int in Python
		return pyStr(x), nil
	}
	return nil, perr(data.TypeString, "str type expected")
}

// pyStr renders a scalar as Python's str() does.
func pyStr(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return data.PyFloat(x)
	case bool:
		if x {
			return "True"
		}
		return "False"
	case nil:
		return "None"
	}
	return fmt.Sprint(v)
}

func parseBool(raw any) (any, error) {
	switch x := raw.(type) {
	case bool:
		return x, nil
	case int64:
		if x == 0 || x == 1 {
			return x == 1, nil
		}
	case float64:
		if x == 0 || x == 1 {
			return x == 1, nil
		}
	case string:
		switch strings.ToLower(x) {
		case "0", "off", "f", "false", "n", "no":
			return false, nil
		case "1", "on", "t", "true", "y", "yes":
			return true, nil
		}
		return nil, perr(data.TypeBoolean, "value %s could not be parsed to a boolean", quoteShort(x))
	}
	return nil, perr(data.TypeBoolean, "value could not be parsed to a boolean")
}

// parseAny JSON-decodes a string (twice when it decodes to a string again) and falls back
// to the raw string; other values pass unchanged (hdutils ParsedAny).
func parseAny(raw any) any {
	s, ok := raw.(string)
	if !ok {
		return raw
	}
	v, err := DecodeString(s)
	if err != nil {
		return s
	}
	if inner, ok := v.(string); ok {
		if v2, err := DecodeString(inner); err == nil {
			return v2
		}
		return inner
	}
	return v
}

func quoteShort(s string) string {
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// wrapped is hetida's wrapped pandas object.
type wrapped struct {
	marker  string
	meta    *data.Dict
	payload any
	orient  string
}

// unwrap detects hetida's wrapped form. For string input the marker must fit the
// expected type (otherwise the object is plain data); for decoded input it is not checked.
func unwrap(v any, marker string, fromString bool) (*wrapped, bool, error) {
	d, ok := v.(*data.Dict)
	if !ok {
		return nil, false, nil
	}
	m, ok := d.Get("__hd_wrapped_data_object__")
	if !ok {
		return nil, false, nil
	}
	payload, hasData := d.Get("__data__")
	if !hasData {
		return nil, false, nil
	}
	ms, _ := m.(string)
	if fromString && ms != marker {
		return nil, false, nil
	}
	w := &wrapped{marker: ms, payload: payload}
	if mv, ok := d.Get("__metadata__"); ok && mv != nil {
		md, ok := mv.(*data.Dict)
		if !ok {
			return nil, false, errors.New("__metadata__ must be a JSON object")
		}
		w.meta = md
	}
	if ov, ok := d.Get("__data_parsing_options__"); ok && ov != nil {
		od, ok := ov.(*data.Dict)
		if !ok {
			return nil, false, errors.New("__data_parsing_options__ must be a JSON object")
		}
		if o, ok := od.Get("orient"); ok {
			os, ok := o.(string)
			if !ok {
				return nil, false, errors.New("__data_parsing_options__.orient must be a string")
			}
			w.orient = os
		}
	}
	return w, true, nil
}

// decodePandas turns raw input of a pandas type into decoded JSON. Strings must hold
// JSON; already decoded values pass unchanged.
func decodePandas(t data.Type, raw any) (any, bool, error) {
	s, ok := raw.(string)
	if !ok {
		return raw, false, nil
	}
	v, err := decodePandasString(s)
	if err != nil {
		return nil, true, perr(t, "value is not valid JSON (%v): %s", err, quoteShort(s))
	}
	switch v.(type) {
	case *data.Dict, []any:
		return v, true, nil
	}
	return nil, true, perr(t, "expected a JSON object or array, got %s", quoteShort(s))
}

// ParseSeries parses a SERIES input value.
func ParseSeries(raw any) (*data.Series, error) {
	if s, ok := raw.(string); ok {
		if fast, ok := parseSeriesFast(s); ok {
			return fast, nil
		}
	}
	v, fromString, err := decodePandas(data.TypeSeries, raw)
	if err != nil {
		return nil, err
	}
	w, isWrapped, err := unwrap(v, "SERIES", fromString)
	if err != nil {
		return nil, perr(data.TypeSeries, "%v", err)
	}
	orient := ""
	var meta *data.Dict
	if isWrapped {
		v, orient, meta = w.payload, w.orient, w.meta
		if s, ok := v.(string); ok {
			if v, _, err = decodePandas(data.TypeSeries, s); err != nil {
				return nil, err
			}
		}
	}
	s, err := seriesFromJSON(v, orient)
	if err != nil {
		return nil, perr(data.TypeSeries, "%v", err)
	}
	s.Attrs = meta
	return s, nil
}

// ParseFrame parses a DATAFRAME input value.
func ParseFrame(raw any) (*data.DataFrame, error) {
	return parseFrame(data.TypeDataFrame, raw)
}

func parseFrame(t data.Type, raw any) (*data.DataFrame, error) {
	v, fromString, err := decodePandas(t, raw)
	if err != nil {
		return nil, err
	}
	w, isWrapped, err := unwrap(v, "DATAFRAME", fromString)
	if err != nil {
		return nil, perr(t, "%v", err)
	}
	orient := ""
	var meta *data.Dict
	if isWrapped {
		v, orient, meta = w.payload, w.orient, w.meta
		if s, ok := v.(string); ok {
			if v, _, err = decodePandas(t, s); err != nil {
				return nil, err
			}
		}
	}
	f, err := frameFromJSON(v, orient)
	if err != nil {
		return nil, perr(t, "%v", err)
	}
	f.Attrs = meta
	return f, nil
}

// ParseMultiTSFrame parses a MULTITSFRAME input value: a long-format DataFrame with
// timestamp (UTC-aware), metric (string) and value columns, sorted by timestamp.
func ParseMultiTSFrame(raw any) (*data.DataFrame, error) {
	f, err := parseFrame(data.TypeMultiTSFrame, raw)
	if err != nil {
		return nil, err
	}
	return ValidateMultiTSFrame(f)
}

// ValidateMultiTSFrame applies hetida's MULTITSFRAME checks (error texts verbatim) and
// returns the frame sorted by timestamp (in numpy quicksort's order of equal timestamps) with
// metric as strings.
func ValidateMultiTSFrame(f *data.DataFrame) (*data.DataFrame, error) {
	t := data.TypeMultiTSFrame
	if len(f.Columns) == 0 {
		return &data.DataFrame{
			Index:   data.Range(0),
			Names:   []any{"timestamp", "metric", "value"},
			Columns: []data.Column{data.Datetimes(nil, data.UTC), data.Objects(nil), data.Floats(nil)},
			Attrs:   f.Attrs,
		}, nil
	}
	names := make([]string, len(f.Names))
	for i, n := range f.Names {
		names[i] = LabelString(n)
	}
	if len(f.Columns) < 3 {
		return nil, perr(t, "MultiTSFrame requires at least 3 columns: metric, timestamp and at least one additional columns. Only found %s", pyList(names))
	}
	ti, mi := f.ColIndex("timestamp"), f.ColIndex("metric")
	if ti < 0 || mi < 0 {
		return nil, perr(t, `The column names %s don't contain required columns "timestamp" and "metric" for a MultiTSFrame.`, strings.Join(names, ", "))
	}
	metric := f.Columns[mi]
	if metric.HasNA() {
		return nil, perr(t, "No null values are allowed for the column 'metric' of a MulitTSFrame.")
	}
	ms := make([]any, metric.Len())
	for i := range ms {
		ms[i] = pyStr(metric.At(i))
	}
	ts := f.Columns[ti]
	if ts.HasNA() {
		return nil, perr(t, "No null values are allowed for the column 'timestamp' of a MulitTSFrame.")
	}
	if ts.Len() == 0 {
		ts = data.Datetimes(nil, data.UTC) // pd.to_datetime(…, utc=True) of an empty frame
	}
	if ts.DType != data.Datetime || !ts.Zone.Aware {
		return nil, perr(t, "Column 'timestamp' of MultiTSFrame does not have DatetimeTZDtype dtype. Got %s index dtype instead.", ts.DType)
	}
	if ts.Zone.Offset != 0 {
		return nil, perr(t, "Column 'timestamp' of MultiTSFrame does not have UTC timezone. Got %s timezone instead.", zoneName(ts.Zone))
	}
	cols := append([]data.Column(nil), f.Columns...)
	cols[mi] = data.Objects(ms)
	cols[ti] = ts
	out := &data.DataFrame{Index: f.Index, Names: f.Names, Columns: cols, Attrs: f.Attrs}
	// hetida's df.sort_values("timestamp") is numpy's unstable quicksort, even for a
	// sorted column: the metrics of one timestamp come in its order, not in input order
	order := data.QuicksortArgsort(ts.I)
	for i, p := range order {
		if i != p {
			return out.Take(order), nil
		}
	}
	return out, nil
}

func zoneName(z data.Zone) string {
	off := int(z.Offset)
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("UTC%c%02d:%02d", sign, off/3600, off/60%60)
}

func pyList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = "'" + x + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}
