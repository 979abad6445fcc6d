package data

import (
	"math"
)

// This file holds pandas' missing-value helpers: fillna, ffill/bfill, dropna,
// drop_duplicates and shift, for Columns, Series and DataFrames. Int64 and Bool columns
// hold no missing values, so filling returns them unchanged. Object columns come out of
// fillna/ffill/bfill converted as pandas 2.1 does (its silent "downcasting" on these
// methods): all-integer objects become Int64, numbers (with missing ones) Float64, and so on.

// ValidateLimit converts a user's limit= argument (pandas' validate_limit): nil (None) is
// 0, meaning no limit; a positive integer is itself; anything else is pandas' ValueError.
func ValidateLimit(v any) (int, error) {
	var n int64
	switch x := v.(type) {
	case nil:
		return 0, nil
	case int64:
		n = x
	case int:
		n = int64(x)
	default:
		return 0, ValueError("Limit must be an integer")
	}
	if n <= 0 {
		return 0, ValueError("Limit must be greater than 0")
	}
	return int(n), nil
}

// Fillna is pandas' fillna(value) on one column: missing values become value. A Float64
// column stays Float64 for a number (bool excluded) and becomes Object otherwise; a
// Datetime column stays Datetime for a Timestamp of the same awareness (an aware one is
// taken as the instant, in the column's zone); a Timedeltas column for a Timedelta; an
// Object column is converted afterwards (convertObjects). A NaN value changes nothing; nil
// (None) is pandas' "Must specify a fill 'value' or 'method'."; a list or dict is a
// TypeError.
func (c Column) Fillna(value any) (Column, error) {
	switch value.(type) {
	case nil:
		return Column{}, ValueError("Must specify a fill 'value' or 'method'.")
	case []any, *Dict, *Series, *DataFrame:
		return Column{}, TypeError("\"value\" parameter must be a scalar or dict, but you passed a \"%s\"", PyTypeName(value))
	}
	if IsNA(value) {
		return c, nil
	}
	switch c.DType {
	case Int64, Bool:
		return c, nil
	case Object:
		o := make([]any, len(c.O))
		for i, v := range c.O {
			if IsNA(v) {
				v = value
			}
			o[i] = v
		}
		return convertObjects(o), nil
	case Float64:
		if _, isBool := value.(bool); !isBool {
			if f, ok := ToFloat(value); ok {
				out := make([]float64, len(c.F))
				for i, v := range c.F {
					if v != v {
						v = f
					}
					out[i] = v
				}
				return Floats(out), nil
			}
		}
	case Datetime:
		if ts, ok := value.(Timestamp); ok && ts.Zone.Aware == c.Zone.Aware {
			return fillNS(c, ts.NS), nil
		}
	case Timedeltas:
		if td, ok := value.(Timedelta); ok {
			return fillNS(c, td.NS), nil
		}
	}
	if !c.HasNA() {
		return c, nil
	}
	o := c.AsObject().Clone().O
	for i := range o {
		if o[i] == nil {
			o[i] = value
		}
	}
	return Objects(o), nil
}

func fillNS(c Column, ns int64) Column {
	out := make([]int64, len(c.I))
	for i, v := range c.I {
		if v == NaT {
			v = ns
		}
		out[i] = v
	}
	r := c
	r.I = out
	return r
}

// Ffill is pandas' ffill(limit): every missing value takes the last valid value before
// it; with limit > 0 at most limit consecutive missing values after a valid one are
// filled (0: no limit). Leading missing values stay missing.
func (c Column) Ffill(limit int) Column { return c.fillDirection(limit, false) }

// Bfill is pandas' bfill(limit): every missing value takes the next valid value after
// it, at most limit consecutive ones before a valid value (0: no limit). Trailing missing
// values stay missing.
func (c Column) Bfill(limit int) Column { return c.fillDirection(limit, true) }

func (c Column) fillDirection(limit int, backward bool) Column {
	n := c.Len()
	switch c.DType {
	case Int64, Bool:
		return c
	}
	// src[i] is the position whose value row i takes: itself, the source of the fill, or
	// -1 (stays missing).
	src := make([]int, n)
	last, run := -1, 0
	step, i0 := 1, 0
	if backward {
		step, i0 = -1, n-1
	}
	changed := false
	for k, i := 0, i0; k < n; k, i = k+1, i+step {
		if !c.IsNA(i) {
			src[i], last, run = i, i, 0
			continue
		}
		run++
		if last >= 0 && (limit <= 0 || run <= limit) {
			src[i] = last
			changed = true
		} else {
			src[i] = -1
		}
	}
	if c.DType == Object {
		o := make([]any, n)
		for i, s := range src {
			if s >= 0 {
				o[i] = c.O[s]
			}
		}
		return convertObjects(o)
	}
	if !changed {
		return c
	}
	return c.Take(src)
}

// convertObjects is pandas' Block.convert (infer_objects) on the result of an object
// fill: all bools → Bool, all integers → Int64, numbers and missing values (no bools) →
// Float64, Timestamps of one zone and missing values → Datetime, Timedeltas and missing
// values → Timedeltas, anything else (also all missing) stays Object.
func convertObjects(o []any) Column {
	var nNil, nInt, nFloat, nBool, nTS, nTD int
	var zone Zone
	zoneSet, oneZone := false, true
	for _, v := range o {
		switch x := v.(type) {
		case nil:
			nNil++
		case int64:
			nInt++
		case float64:
			if x != x {
				nNil++
			} else {
				nFloat++
			}
		case bool:
			nBool++
		case Timestamp:
			if x.IsNaT() {
				nNil++
				continue
			}
			nTS++
			if !zoneSet {
				zone, zoneSet = x.Zone, true
			} else if x.Zone != zone {
				oneZone = false
			}
		case Timedelta:
			if x.IsNaT() {
				nNil++
			} else {
				nTD++
			}
		}
	}
	n := len(o)
	switch {
	case n == 0 || nNil == n:
	case nBool == n:
		b := make([]bool, n)
		for i, v := range o {
			b[i] = v.(bool)
		}
		return Bools(b)
	case nInt == n:
		a := make([]int64, n)
		for i, v := range o {
			a[i] = v.(int64)
		}
		return Ints(a)
	case nInt+nFloat+nNil == n:
		f := make([]float64, n)
		for i, v := range o {
			switch x := v.(type) {
			case int64:
				f[i] = float64(x)
			case float64:
				f[i] = x
			default:
				f[i] = math.NaN()
			}
		}
		return Floats(f)
	case nTS+nNil == n && oneZone:
		ns := make([]int64, n)
		for i, v := range o {
			ns[i] = NaT
			if t, ok := v.(Timestamp); ok {
				ns[i] = t.NS
			}
		}
		return Datetimes(ns, zone)
	case nTD+nNil == n:
		ns := make([]int64, n)
		for i, v := range o {
			ns[i] = NaT
			if t, ok := v.(Timedelta); ok {
				ns[i] = t.NS
			}
		}
		return TimedeltaCol(ns)
	}
	return Objects(o)
}

// Fillna is pandas' Series.fillna(value); see Column.Fillna.
func (s *Series) Fillna(value any) (*Series, error) {
	c, err := s.Values.Fillna(value)
	if err != nil {
		return nil, err
	}
	return s.With(c), nil
}

// Ffill is pandas' Series.ffill(limit=limit); see Column.Ffill.
func (s *Series) Ffill(limit int) *Series { return s.With(s.Values.Ffill(limit)) }

// Bfill is pandas' Series.bfill(limit=limit); see Column.Bfill.
func (s *Series) Bfill(limit int) *Series { return s.With(s.Values.Bfill(limit)) }

// Fillna is pandas' DataFrame.fillna(value) with a scalar: column by column.
func (f *DataFrame) Fillna(value any) (*DataFrame, error) {
	return f.ApplyColumns(func(_ any, c Column) (Column, error) { return c.Fillna(value) })
}

// Ffill is pandas' DataFrame.ffill(limit=limit): down each column.
func (f *DataFrame) Ffill(limit int) *DataFrame {
	r, _ := f.ApplyColumns(func(_ any, c Column) (Column, error) { return c.Ffill(limit), nil })
	return r
}

// Bfill is pandas' DataFrame.bfill(limit=limit): up each column.
func (f *DataFrame) Bfill(limit int) *DataFrame {
	r, _ := f.ApplyColumns(func(_ any, c Column) (Column, error) { return c.Bfill(limit), nil })
	return r
}

// Dropna is pandas' Series.dropna(): the rows whose value is not missing, labels kept.
func (s *Series) Dropna() *Series {
	if !s.Values.HasNA() {
		return s
	}
	if s.Values.DType == Float64 && (s.Index.DType == Datetime || s.Index.DType == Int64) {
		// the common case in one pass, without a position list
		idx := make([]int64, 0, s.Len())
		vals := make([]float64, 0, s.Len())
		for i, v := range s.Values.F {
			if v == v {
				idx = append(idx, s.Index.I[i])
				vals = append(vals, v)
			}
		}
		return &Series{Name: s.Name, Index: Column{DType: s.Index.DType, Zone: s.Index.Zone, I: idx}, Values: Floats(vals), Attrs: s.Attrs}
	}
	keep := make([]int, 0, s.Len())
	for i := 0; i < s.Len(); i++ {
		if !s.Values.IsNA(i) {
			keep = append(keep, i)
		}
	}
	return s.Take(keep)
}

// Dropna is pandas' DataFrame.dropna(how=how, subset=subset): how "any" (or "") drops
// the rows with a missing value in any of the considered columns, "all" those missing in
// all of them (so every row when no column is considered); subset nil considers every
// column. A label of subset that is not a column is pandas' KeyError listing the missing
// labels; another how is its ValueError.
func (f *DataFrame) Dropna(how string, subset []any) (*DataFrame, error) {
	if how == "" {
		how = "any"
	}
	cols := f.Columns
	if subset != nil {
		cols = nil
		var missing []any
		for _, label := range subset {
			found := false
			for i, name := range f.Names {
				if labelEqual(name, label) {
					cols = append(cols, f.Columns[i])
					found = true
				}
			}
			if !found {
				missing = append(missing, label)
			}
		}
		if len(missing) > 0 {
			return nil, KeyError(missing)
		}
	}
	if how != "any" && how != "all" {
		return nil, ValueError("invalid how option: %s", how)
	}
	n := f.Len()
	keep := make([]int, 0, n)
	for i := 0; i < n; i++ {
		missing := 0
		for _, c := range cols {
			if c.IsNA(i) {
				missing++
			}
		}
		if how == "any" && missing == 0 || how == "all" && missing < len(cols) {
			keep = append(keep, i)
		}
	}
	if len(keep) == n {
		return f, nil
	}
	return f.Take(keep), nil
}

// Keep is drop_duplicates' keep=: which of equal values survives.
type Keep uint8

// keep= values: "first", "last", False.
const (
	KeepFirst Keep = iota
	KeepLast
	KeepNone // keep=False: drop every value that occurs more than once
)

// ParseKeep converts a user's keep= argument: "first", "last" or false; anything else
// is pandas' ValueError.
func ParseKeep(v any) (Keep, error) {
	switch v {
	case "first":
		return KeepFirst, nil
	case "last":
		return KeepLast, nil
	case false:
		return KeepNone, nil
	}
	return 0, ValueError("keep must be either \"first\", \"last\" or False")
}

// factorize gives every row a code such that equal values share one: numbers by value
// (1 and 1.0 alike, 0.0 and −0.0 alike), all missing values one code, as pandas' hash
// tables do.
func factorize(c Column) []int {
	n := c.Len()
	codes := make([]int, n)
	switch c.DType {
	case Float64:
		seen := make(map[float64]int)
		for i, v := range c.F {
			if v != v {
				codes[i] = -1 // every NaN; the values' codes are ≥ 0
				continue
			}
			code, ok := seen[v]
			if !ok {
				code = len(seen)
				seen[v] = code
			}
			codes[i] = code
		}
	case Int64, Datetime, Timedeltas:
		seen := make(map[int64]int)
		for i, v := range c.I {
			code, ok := seen[v]
			if !ok {
				code = len(seen)
				seen[v] = code
			}
			codes[i] = code
		}
	case Bool:
		for i, v := range c.B {
			if v {
				codes[i] = 1
			}
		}
	default:
		seen := make(map[any]int)
		for i, v := range c.O {
			var k any = naKey{}
			if !IsNA(v) {
				k = hashKey(v)
			}
			code, ok := seen[k]
			if !ok {
				code = len(seen)
				seen[k] = code
			}
			codes[i] = code
		}
	}
	return codes
}

// naKey is the hash key of every missing object value.
type naKey struct{}

// duplicated is pandas' duplicated(keep) on row codes.
func duplicated(codes []int, keep Keep) []bool {
	dup := make([]bool, len(codes))
	switch keep {
	case KeepFirst, KeepLast:
		seen := make(map[int]struct{}, len(codes))
		mark := func(i int) {
			if _, ok := seen[codes[i]]; ok {
				dup[i] = true
			} else {
				seen[codes[i]] = struct{}{}
			}
		}
		if keep == KeepFirst {
			for i := range codes {
				mark(i)
			}
		} else {
			for i := len(codes) - 1; i >= 0; i-- {
				mark(i)
			}
		}
	default:
		count := make(map[int]int, len(codes))
		for _, c := range codes {
			count[c]++
		}
		for i, c := range codes {
			dup[i] = count[c] > 1
		}
	}
	return dup
}

func keepRows(dup []bool) ([]int, bool) {
	keep := make([]int, 0, len(dup))
	for i, d := range dup {
		if !d {
			keep = append(keep, i)
		}
	}
	return keep, len(keep) == len(dup)
}

// DropDuplicates is pandas' Series.drop_duplicates(keep=keep): values compared by value
// (missing values equal each other), never the index; the surviving rows keep their
// labels and order.
func (s *Series) DropDuplicates(keep Keep) *Series {
	rows, all := keepRows(duplicated(factorize(s.Values), keep))
	if all {
		return s
	}
	return s.Take(rows)
}

// DropDuplicates is pandas' DataFrame.drop_duplicates(subset=subset, keep=keep): rows
// compared on the subset's columns (nil: all columns) by value, never the index. A label
// of subset that is not a column is pandas' KeyError. A frame without rows or columns is
// returned as is.
func (f *DataFrame) DropDuplicates(subset []any, keep Keep) (*DataFrame, error) {
	cols := f.Columns
	if subset != nil {
		cols = nil
		var missing []any
		for _, label := range subset {
			i := f.ColIndex(label)
			if i < 0 {
				missing = append(missing, label)
				continue
			}
			cols = append(cols, f.Columns[i])
		}
		if len(missing) > 0 {
			return nil, &Error{Type: "KeyError", Message: indexRepr(missing)}
		}
	}
	if f.Len() == 0 || len(f.Columns) == 0 {
		return f, nil
	}
	var codes []int
	for k, c := range cols {
		cc := factorize(c)
		if k == 0 {
			codes = cc
			continue
		}
		pair := make(map[[2]int]int)
		next := make([]int, len(cc))
		for i := range cc {
			key := [2]int{codes[i], cc[i]}
			code, ok := pair[key]
			if !ok {
				code = len(pair)
				pair[key] = code
			}
			next[i] = code
		}
		codes = next
	}
	if codes == nil { // subset=[]: every row equals every other
		codes = make([]int, f.Len())
	}
	rows, all := keepRows(duplicated(codes, keep))
	if all {
		return f, nil
	}
	return f.Take(rows), nil
}

// Shift is pandas' shift(periods) without freq: values move by periods rows (forward
// for positive periods), the vacated rows become missing — which upcasts Int64 to
// Float64 and Bool to Object, as pandas does. periods 0 returns the column unchanged.
func (c Column) Shift(periods int) Column {
	n := c.Len()
	if periods == 0 || n == 0 {
		return c
	}
	pos := make([]int, n)
	for i := range pos {
		j := i - periods
		if j < 0 || j >= n {
			j = -1
		}
		pos[i] = j
	}
	return c.Take(pos)
}

// Shift is pandas' Series.shift(periods): the values move, the index stays.
func (s *Series) Shift(periods int) *Series { return s.With(s.Values.Shift(periods)) }

// Shift is pandas' DataFrame.shift(periods): every column's values move, the index stays.
func (f *DataFrame) Shift(periods int) *DataFrame {
	r, _ := f.ApplyColumns(func(_ any, c Column) (Column, error) { return c.Shift(periods), nil })
	return r
}
