package wire

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/trafofn/trafofn/runtime/data"
)

// This file emulates pandas' read_json(typ="series"|"frame") on already decoded JSON —
// pandas 1.5.3's where it differs from 2.1 (hetida's reference runtime records with 1.5.3;
// see tryConvertData and fromDictOfColumns):
// construction (Series(dict), DataFrame(dict of dicts), records, split, …) followed by its
// dtype inference (_convert_axes, _try_convert_data, _try_convert_to_date). The quirks are
// deliberate: they decide what hetida's components receive (e.g. integer-valued floats
// become int64, ISO keys a DatetimeIndex, "0","1" keys an int64 index).

// minStamp is pandas' _MIN_STAMPS["s"]: numbers at or below it are never read as epochs.
const minStamp = 31536000

var stampUnits = []int64{1e9, 1e6, 1e3, 1} // s, ms, us, ns

// inferColumn builds a column from Python values as the Series/DataFrame constructors do.
func inferColumn(vals []any) data.Column {
	var nInt, nFloat, nBool, nNil, nOther int
	for _, v := range vals {
		switch v.(type) {
		case nil:
			nNil++
		case int64:
			nInt++
		case float64:
			nFloat++
		case bool:
			nBool++
		default:
			nOther++
		}
	}
	n := len(vals)
	switch {
	case n == 0 || nNil == n || nOther > 0:
	case nInt == n:
		out := make([]int64, n)
		for i, v := range vals {
			out[i] = v.(int64)
		}
		return data.Ints(out)
	case nInt+nFloat+nNil == n:
		out := make([]float64, n)
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				out[i] = math.NaN()
			case int64:
				out[i] = float64(x)
			case float64:
				out[i] = x
			}
		}
		return data.Floats(out)
	case nBool == n:
		out := make([]bool, n)
		for i, v := range vals {
			out[i] = v.(bool)
		}
		return data.Bools(out)
	}
	return data.Objects(append([]any(nil), vals...))
}

// tryConvertToDate is pandas' Parser._try_convert_to_date.
func tryConvertToDate(c data.Column) (data.Column, bool) {
	n := c.Len()
	if n == 0 || c.DType == data.Datetime || c.DType == data.Bool {
		return c, false
	}
	nd := c
	if c.DType == data.Object {
		ints, ok, overflow := objectsToInt64(c.O)
		if overflow {
			return c, false
		}
		if ok {
			nd = data.Ints(ints)
		}
	}
	switch nd.DType {
	case data.Int64:
		for _, v := range nd.I {
			if !(v > minStamp || v == data.NaT) {
				return c, false
			}
		}
	case data.Float64:
		for _, v := range nd.F {
			if !(v != v || v > minStamp) {
				return c, false
			}
		}
	}
	for _, unit := range stampUnits {
		if r, ok := toDatetime(nd, unit); ok {
			return r, true
		}
	}
	return c, false
}

// objectsToInt64 is numpy's astype(int64) of an object array: Python int() per element.
func objectsToInt64(o []any) (out []int64, ok, overflow bool) {
	out = make([]int64, len(o))
	for i, v := range o {
		switch x := v.(type) {
		case int64:
			out[i] = x
		case bool:
			if x {
				out[i] = 1
			}
		case float64:
			if math.IsInf(x, 0) {
				return nil, false, true
			}
			if x != x || math.Abs(x) >= 1<<63 {
				return nil, false, x == x
			}
			out[i] = int64(x)
		case string:
			iv, okInt, big := pyInt(x)
			if big {
				return nil, false, true
			}
			if !okInt {
				return nil, false, false
			}
			out[i] = iv
		default:
			return nil, false, false
		}
	}
	return out, true, false
}

// castFromUnit converts a float epoch in the given unit to nanoseconds like pandas'
// cast_from_unit: integer part times the unit, fraction rounded to the unit's precision.
func castFromUnit(f float64, unit int64) (int64, bool) {
	if f != f {
		return data.NaT, true
	}
	if math.IsInf(f, 0) || math.Abs(f)*float64(unit) >= 9.2e18 {
		return 0, false
	}
	base := math.Trunc(f)
	frac := f - base
	p := map[int64]float64{1e9: 1e9, 1e6: 1e6, 1e3: 1e3, 1: 1}[unit]
	frac = math.Round(frac*p) / p
	return int64(base)*unit + int64(frac*float64(unit)), true
}

func mulOK(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if c/b != a || c == data.NaT {
		return 0, false
	}
	return c, true
}

var natStrings = map[string]bool{"NaT": true, "nat": true, "NAT": true, "nan": true, "NaN": true, "NAN": true}

// toDatetime is to_datetime(values, unit=…, errors="raise").
func toDatetime(c data.Column, unit int64) (data.Column, bool) {
	n := c.Len()
	out := make([]int64, n)
	switch c.DType {
	case data.Int64:
		for i, v := range c.I {
			if v == data.NaT {
				out[i] = data.NaT
				continue
			}
			ns, ok := mulOK(v, unit)
			if !ok {
				return c, false
			}
			out[i] = ns
		}
		return data.Datetimes(out, data.Naive), true
	case data.Float64:
		if unit == 1 {
			// pandas 1.5.3's fast path for unit "ns": astype(int64) — truncation, and
			// x86's INT64_MIN (NaT) for NaN and values beyond ±2**63 — then the bounds
			// check, which NaT passes: [1e15 + 0.5, 1e300] reads as [1970-01-12
			// 13:46:40, NaT]
			for i, v := range c.F {
				if v != v || math.Abs(v) >= 1<<63 {
					out[i] = data.NaT
					continue
				}
				out[i] = int64(v)
			}
			return data.Datetimes(out, data.Naive), true
		}
		for i, v := range c.F {
			ns, ok := castFromUnit(v, unit)
			if !ok {
				return c, false
			}
			out[i] = ns
		}
		return data.Datetimes(out, data.Naive), true
	case data.Object:
	default:
		return c, false
	}
	zone := data.Naive
	sawNaive, sawAware, mixedOffsets := false, false, false
	for i, v := range c.O {
		switch x := v.(type) {
		case nil:
			out[i] = data.NaT
		case int64:
			ns, ok := mulOK(x, unit)
			if !ok {
				return c, false
			}
			out[i] = ns
		case float64:
			ns, ok := castFromUnit(x, unit)
			if !ok {
				return c, false
			}
			out[i] = ns
		case string:
			if x == "" || natStrings[x] {
				out[i] = data.NaT
				continue
			}
			if unit != 1 {
				f, ok := pyFloat(x)
				if !ok {
					return c, false
				}
				ns, ok := castFromUnit(f, unit)
				if !ok {
					return c, false
				}
				out[i] = ns
				continue
			}
			ns, z, err := data.ParseISO(x)
			if err != nil {
				return c, false
			}
			out[i] = ns
			if z.Aware {
				if sawAware && z != zone {
					mixedOffsets = true
				}
				sawAware, zone = true, z
			} else {
				sawNaive = true
			}
		default:
			return c, false
		}
	}
	if sawNaive && sawAware {
		return c, false // pandas: cannot mix tz-aware with tz-naive values
	}
	if mixedOffsets {
		zone = data.UTC // pandas 2.1 keeps an object index of mixed offsets; we use UTC
	}
	return data.Datetimes(out, zone), true
}

// objectsToFloat64 is numpy's astype(float64) of an object array.
func objectsToFloat64(o []any) ([]float64, bool) {
	out := make([]float64, len(o))
	for i, v := range o {
		switch x := v.(type) {
		case nil:
			out[i] = math.NaN()
		case float64:
			out[i] = x
		case int64:
			out[i] = float64(x)
		case bool:
			if x {
				out[i] = 1
			}
		case string:
			f, ok := pyFloat(x)
			if !ok {
				return nil, false
			}
			out[i] = f
		default:
			return nil, false
		}
	}
	return out, true
}

func allStrings(o []any) bool {
	for _, v := range o {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	return true
}

// equalsInts is numpy's elementwise ints == o for an object array: numbers and booleans
// compare by value, strings never equal an integer.
func equalsInts(o []any, ints []int64) bool {
	for i, v := range o {
		switch x := v.(type) {
		case int64, bool:
			// converted exactly (True == 1, False == 0)
		case float64:
			if x != float64(ints[i]) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// tryConvertData is pandas' Parser._try_convert_data with dtype=True; splitIndex marks the
// index axis of orient="split", which keeps its parsed values except for dates.
func tryConvertData(c data.Column, convertDates, splitIndex bool) (data.Column, bool) {
	if convertDates {
		if r, ok := tryConvertToDate(c); ok {
			return r, true
		}
	}
	converted := false
	// pandas 1.5.3 (hetida's reference runtime) tries every object array as float64:
	// booleans with nulls ([true, null] → [1.0, NaN]), numbers with numeric strings
	// ([1.5, "2"] → [1.5, 2.0]) and all-null frame columns become float64 (pandas 2 tries
	// only arrays of strings)
	if c.DType == data.Object {
		if f, ok := objectsToFloat64(c.O); ok {
			c = data.Floats(f)
			converted = true
		}
	}
	if c.Len() > 0 && c.DType == data.Object {
		// astype("int64") of another object array, kept only where it compares equal
		if ints, ok, _ := objectsToInt64(c.O); ok && equalsInts(c.O, ints) {
			c = data.Ints(ints)
			converted = true
		}
	}
	if c.Len() > 0 && c.DType == data.Float64 {
		ints := make([]int64, len(c.F))
		exact := true
		for i, f := range c.F {
			if f != f || math.IsInf(f, 0) || math.Abs(f) >= 1<<63 || f != math.Trunc(f) {
				exact = false
				break
			}
			ints[i] = int64(f)
		}
		if exact {
			c = data.Ints(ints)
			converted = true
		}
	}
	if splitIndex && c.Len() > 0 {
		return c, false
	}
	return c, converted
}

func convertValues(c data.Column) data.Column {
	if r, ok := tryConvertData(c, true, false); ok {
		return r
	}
	return c
}

func convertAxis(c data.Column, splitIndex bool) data.Column {
	if r, ok := tryConvertData(c, true, splitIndex); ok {
		return r
	}
	return c
}

var errNotSeries = errors.New("expected a JSON object {label: value} or an array of values")

// seriesFromJSON is read_json(typ="series", orient=orient) on decoded JSON.
func seriesFromJSON(v any, orient string) (*data.Series, error) {
	var s *data.Series
	switch orient {
	case "", "index":
		switch x := v.(type) {
		case *data.Dict:
			keys := make([]any, x.Len())
			vals := make([]any, x.Len())
			for i := range keys {
				keys[i], vals[i] = x.At(i)
			}
			s = &data.Series{Index: data.Objects(keys), Values: inferColumn(vals)}
		case []any:
			s = &data.Series{Index: data.Range(len(x)), Values: inferColumn(x)}
		default:
			return nil, errNotSeries
		}
	case "records", "values":
		x, ok := v.([]any)
		if !ok {
			return nil, errors.New(`orient "records" expects a JSON array`)
		}
		s = &data.Series{Index: data.Range(len(x)), Values: inferColumn(x)}
	case "split":
		x, ok := v.(*data.Dict)
		if !ok {
			return nil, errors.New(`orient "split" expects a JSON object with "index" and "data"`)
		}
		if err := checkSplitKeys(x, "name", "index", "data"); err != nil {
			return nil, err
		}
		d, _ := x.Get("data")
		vals, ok := d.([]any)
		if !ok {
			return nil, errors.New(`orient "split": "data" must be an array`)
		}
		idx := data.Range(len(vals))
		if iv, ok := x.Get("index"); ok {
			il, ok := iv.([]any)
			if !ok || len(il) != len(vals) {
				return nil, fmt.Errorf("Length of values (%d) does not match length of index (%d)", len(vals), lenOf(iv))
			}
			idx = inferColumn(il)
		}
		name, _ := x.Get("name")
		s = &data.Series{Name: name, Index: idx, Values: inferColumn(vals)}
	default:
		return nil, fmt.Errorf("orient %q is not supported for a Series", orient)
	}
	if s.Index.DType == data.Object {
		s.Index = convertAxis(s.Index, orient == "split")
	} else {
		s.Index = convertAxis(s.Index, orient == "split")
	}
	s.Values = convertValues(s.Values)
	return s, nil
}

func lenOf(v any) int {
	if l, ok := v.([]any); ok {
		return len(l)
	}
	return 0
}

func checkSplitKeys(x *data.Dict, allowed ...string) error {
	var bad []string
	for _, k := range x.Keys() {
		ok := false
		for _, a := range allowed {
			if k == a {
				ok = true
			}
		}
		if !ok {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("JSON data had unexpected key(s): %s", strings.Join(bad, ", "))
	}
	return nil
}

// frameFromJSON is read_json(typ="frame", orient=orient) on decoded JSON.
func frameFromJSON(v any, orient string) (*data.DataFrame, error) {
	var index data.Column
	var names []any
	var cols [][]any
	switch orient {
	case "", "columns":
		switch x := v.(type) {
		case *data.Dict:
			var err error
			index, names, cols, err = fromDictOfColumns(x)
			if err != nil {
				return nil, err
			}
		case []any:
			index, names, cols = fromRecords(x)
		default:
			return nil, errors.New("expected a JSON object {column: {index: value}} or an array of records")
		}
	case "records", "values":
		x, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("orient %q expects a JSON array", orient)
		}
		index, names, cols = fromRecords(x)
	case "index":
		x, ok := v.(*data.Dict)
		if !ok {
			return nil, errors.New(`orient "index" expects a JSON object {index: {column: value}}`)
		}
		rows := make([]any, x.Len())
		keys := make([]any, x.Len())
		for i := range rows {
			keys[i], rows[i] = x.At(i)
		}
		_, names, cols = fromRecords(rows)
		index = data.Objects(keys)
	case "split":
		x, ok := v.(*data.Dict)
		if !ok {
			return nil, errors.New(`orient "split" expects a JSON object with "columns", "index" and "data"`)
		}
		if err := checkSplitKeys(x, "columns", "index", "data"); err != nil {
			return nil, err
		}
		d, _ := x.Get("data")
		rows, ok := d.([]any)
		if !ok {
			return nil, errors.New(`orient "split": "data" must be an array of rows`)
		}
		_, names, cols = fromRecords(rows)
		if cv, ok := x.Get("columns"); ok {
			cl, ok := cv.([]any)
			if !ok || (len(rows) > 0 && len(cl) != len(cols)) {
				return nil, fmt.Errorf("%d columns passed, passed data had %d columns", lenOf(cv), len(cols))
			}
			names = cl
			for len(cols) < len(cl) {
				cols = append(cols, make([]any, len(rows)))
			}
		}
		index = data.Range(len(rows))
		if iv, ok := x.Get("index"); ok {
			il, ok := iv.([]any)
			if !ok || len(il) != len(rows) {
				return nil, fmt.Errorf("Length of values (%d) does not match length of index (%d)", len(rows), lenOf(iv))
			}
			index = inferColumn(il)
		}
	default:
		return nil, fmt.Errorf("orient %q is not supported for a DataFrame", orient)
	}
	f := &data.DataFrame{Index: convertAxis(index, orient == "split"), Names: names, Columns: make([]data.Column, len(cols))}
	nameCol := convertAxis(inferColumn(names), false)
	for i := range f.Names {
		if nameCol.Len() == len(names) {
			f.Names[i] = nameCol.At(i)
		}
	}
	for i, c := range cols {
		col := inferColumn(c)
		if name, ok := f.Names[i].(string); ok && isDateLikeName(name) {
			if r, ok := tryConvertToDate(col); ok {
				col = r
			}
		}
		if r, ok := tryConvertData(col, false, false); ok {
			col = r
		}
		f.Columns[i] = col
	}
	return f, nil
}

// isDateLikeName is pandas' keep_default_dates rule for column names.
func isDateLikeName(name string) bool {
	l := strings.ToLower(name)
	return strings.HasSuffix(l, "_at") || strings.HasSuffix(l, "_time") || l == "modified" ||
		l == "date" || l == "datetime" || strings.HasPrefix(l, "timestamp")
}

// fromDictOfColumns is DataFrame({col: {index: v}}) or DataFrame({col: [v…]}), pandas'
// _extract_index: dict columns give the union of their keys (in order of first
// appearance) as the index, list columns a range index; scalar columns are broadcast.
// A single dict column is the exception: pandas 1.5's union_indexes sorts a lone list of
// keys (as strings, before any date or integer conversion) whatever its sort flag says.
func fromDictOfColumns(x *data.Dict) (data.Column, []any, [][]any, error) {
	n := x.Len()
	names := make([]any, n)
	var dicts int
	length := -1
	for i := range names {
		k, v := x.At(i)
		names[i] = k
		switch l := v.(type) {
		case *data.Dict:
			dicts++
		case []any:
			if length >= 0 && len(l) != length {
				return data.Column{}, nil, nil, errors.New("All arrays must be of the same length")
			}
			length = len(l)
		}
	}
	switch {
	case n == 0:
		return data.Range(0), names, nil, nil
	case dicts == 0 && length < 0:
		return data.Column{}, nil, nil, errors.New("If using all scalar values, you must pass an index")
	case dicts > 0 && length >= 0:
		return data.Column{}, nil, nil, errors.New("Mixing dicts with non-Series may lead to ambiguous ordering.")
	}
	var index data.Column
	var keys []any
	pos := map[string]int{}
	if dicts > 0 {
		for i := 0; i < n; i++ {
			_, v := x.At(i)
			if d, ok := v.(*data.Dict); ok {
				for _, k := range d.Keys() {
					if _, ok := pos[k]; !ok {
						pos[k] = len(keys)
						keys = append(keys, k)
					}
				}
			}
		}
		if dicts == 1 {
			slices.SortFunc(keys, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
			for i, k := range keys {
				pos[k.(string)] = i
			}
		}
		length = len(keys)
		index = data.Objects(keys)
	} else {
		index = data.Range(length)
	}
	cols := make([][]any, n)
	for i := range cols {
		_, v := x.At(i)
		switch c := v.(type) {
		case []any:
			cols[i] = c
		case *data.Dict:
			col := make([]any, length)
			for j := 0; j < c.Len(); j++ {
				k, e := c.At(j)
				col[pos[k]] = e
			}
			cols[i] = col
		default: // a scalar, repeated for every row
			col := make([]any, length)
			for j := range col {
				col[j] = c
			}
			cols[i] = col
		}
	}
	return index, names, cols, nil
}

// fromRecords is DataFrame(list): a list of dicts (columns in order of first appearance,
// missing entries null), of lists (columns 0..k-1) or of scalars (one column 0).
func fromRecords(rows []any) (data.Column, []any, [][]any) {
	pos := map[string]int{}
	var names []any
	var cols [][]any
	allDicts := true
	width := 0
	for _, r := range rows {
		switch x := r.(type) {
		case *data.Dict:
		case []any:
			allDicts = false
			if len(x) > width {
				width = len(x)
			}
		default:
			allDicts = false
			if width < 1 {
				width = 1
			}
		}
	}
	if allDicts {
		for i, r := range rows {
			d := r.(*data.Dict)
			for j := 0; j < d.Len(); j++ {
				k, v := d.At(j)
				p, ok := pos[k]
				if !ok {
					p = len(names)
					pos[k] = p
					names = append(names, k)
					cols = append(cols, make([]any, len(rows)))
				}
				cols[p][i] = v
			}
		}
		return data.Range(len(rows)), names, cols
	}
	names = make([]any, width)
	cols = make([][]any, width)
	for j := range cols {
		names[j] = int64(j)
		cols[j] = make([]any, len(rows))
	}
	for i, r := range rows {
		switch x := r.(type) {
		case []any:
			for j, v := range x {
				cols[j][i] = v
			}
		case *data.Dict:
			cols[0][i] = x
		default:
			cols[0][i] = x
		}
	}
	return data.Range(len(rows)), names, cols
}
