package data

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sync"
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
// ctx is checked every CheckEvery rows.
func (s *Series) Dropna(ctx context.Context) (*Series, error) {
	switch s.Values.DType {
	case Int64, Bool:
		return s, nil
	}
	if s.Values.DType == Float64 && (s.Index.DType == Datetime || s.Index.DType == Int64) {
		return s.dropnaFloats(ctx, nil)
	}
	var keep []int // the rows so far, from the first missing value on
	for i := 0; i < s.Len(); i++ {
		if i%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		switch {
		case !s.Values.IsNA(i):
			if keep != nil {
				keep = append(keep, i)
			}
		case keep == nil:
			keep = make([]int, i, s.Len())
			for j := range keep {
				keep[j] = j
			}
		}
	}
	if keep == nil {
		return s, nil
	}
	return s.Take(keep), nil
}

// DropnaLend is Dropna for a caller that reads the result's values only until it calls
// done: the values of a float series on an integer or datetime index are then kept in
// memory lent from a pool, which done hands back (at 100k points 0.8 MB less garbage
// per call); for other series it is Dropna and done does nothing. The result's index is
// its own either way.
func (s *Series) DropnaLend(ctx context.Context) (res *Series, done func(), err error) {
	if s.Values.DType != Float64 || s.Index.DType != Datetime && s.Index.DType != Int64 {
		res, err = s.Dropna(ctx)
		return res, func() {}, err
	}
	buf := lentFloats(s.Len())
	res, err = s.dropnaFloats(ctx, *buf)
	if err != nil || res == s {
		floatPool.Put(buf)
		return res, func() {}, err
	}
	return res, func() { floatPool.Put(buf) }, nil
}

// floatPool holds the value buffers DropnaLend lends.
var floatPool sync.Pool // of *[]float64

func lentFloats(n int) *[]float64 {
	if p, _ := floatPool.Get().(*[]float64); p != nil && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	b := make([]float64, n)
	return &b
}

// dropnaFloats is Dropna of float values on an integer or datetime index in one pass,
// without a list of positions: every row is copied to the next free place, which only
// moves on past a value that is not NaN (no branch to mispredict on scattered NaN). The
// values go to vals (s.Len() long, any content) unless it is nil.
func (s *Series) dropnaFloats(ctx context.Context, vals []float64) (*Series, error) {
	first := -1
	for i, v := range s.Values.F {
		if v != v {
			first = i
			break
		}
	}
	if first < 0 {
		return s, nil
	}
	n := s.Len()
	idx := make([]int64, n)
	if vals == nil {
		vals = make([]float64, n)
	}
	copy(idx, s.Index.I[:first])
	copy(vals, s.Values.F[:first])
	at := first
	for lo := first; lo < n; lo += CheckEvery {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hi := min(lo+CheckEvery, n)
		for i, v := range s.Values.F[lo:hi] {
			idx[at], vals[at] = s.Index.I[lo+i], v
			if v == v {
				at++
			}
		}
	}
	return &Series{Name: s.Name, Index: Column{DType: s.Index.DType, Zone: s.Index.Zone, I: idx[:at:at]}, Values: Floats(vals[:at:at]), Attrs: s.Attrs}, nil
}

// Dropna is pandas' DataFrame.dropna(how=how, subset=subset): how "any" (or "") drops
// the rows with a missing value in any of the considered columns, "all" those missing in
// all of them (so every row when no column is considered); subset nil considers every
// column. A label of subset that is not a column is pandas' KeyError listing the missing
// labels; another how is its ValueError. ctx is checked every CheckEvery rows.
func (f *DataFrame) Dropna(ctx context.Context, how string, subset []any) (*DataFrame, error) {
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
		if i%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
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
// tables do. Codes are dense: 0 … k−1 for k distinct values (k returned). Numeric and
// time columns are coded by sorting, which on large inputs beats a hash map several
// times over; ctx is checked every CheckEvery rows.
func factorize(ctx context.Context, c Column) ([]int, int, error) {
	switch c.DType {
	case Float64:
		keys := make([]int64, len(c.F))
		for i, v := range c.F {
			keys[i] = factorKey(v)
		}
		return factorizeInts(ctx, keys)
	case Int64, Datetime, Timedeltas:
		return factorizeInts(ctx, c.I)
	case Bool:
		codes := make([]int, len(c.B))
		for i, v := range c.B {
			if v {
				codes[i] = 1
			}
		}
		return codes, 2, nil
	}
	codes := make([]int, len(c.O))
	seen := make(map[any]int)
	for i, v := range c.O {
		if i%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
		}
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
	return codes, len(seen), nil
}

// factorKey maps a float64 to an int64 that orders like the float, with −0.0 and 0.0 one
// key and every NaN one key (above +Inf).
func factorKey(v float64) int64 {
	switch {
	case v != v:
		return math.MaxInt64
	case v == 0:
		v = 0
	}
	b := int64(math.Float64bits(v))
	if b < 0 {
		b = math.MinInt64 - b // negative floats: reverse their bit order below zero
	}
	return b
}

// factorizeInts codes int64 keys by sorting (key, row) pairs: rows with equal keys share
// a code, codes are dense in key order.
func factorizeInts(ctx context.Context, keys []int64) ([]int, int, error) {
	n := len(keys)
	type kv struct {
		key int64
		row int32
	}
	pairs := make([]kv, n)
	sorted := true
	for i, k := range keys {
		pairs[i] = kv{k, int32(i)}
		sorted = sorted && (i == 0 || keys[i-1] <= k)
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	if !sorted {
		slices.SortFunc(pairs, func(a, b kv) int { return cmp.Compare(a.key, b.key) })
	}
	codes := make([]int, n)
	k := 0
	for i, p := range pairs {
		if i%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
		}
		if i > 0 && p.key != pairs[i-1].key {
			k++
		}
		codes[p.row] = k
	}
	if n > 0 {
		k++
	}
	return codes, k, nil
}

// naKey is the hash key of every missing object value.
type naKey struct{}

// duplicated is pandas' duplicated(keep) on dense row codes (0 ≤ code < len(codes)).
func duplicated(codes []int, keep Keep) []bool {
	dup := make([]bool, len(codes))
	// codes need not be below len(codes): a bool column has codes 0 and 1 at any length
	ncodes := 0
	for _, c := range codes {
		ncodes = max(ncodes, c+1)
	}
	switch keep {
	case KeepFirst, KeepLast:
		seen := make([]bool, ncodes)
		mark := func(i int) {
			if seen[codes[i]] {
				dup[i] = true
			} else {
				seen[codes[i]] = true
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
		count := make([]int32, ncodes)
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
// labels and order. ctx is checked every CheckEvery rows.
func (s *Series) DropDuplicates(ctx context.Context, keep Keep) (*Series, error) {
	codes, _, err := factorize(ctx, s.Values)
	if err != nil {
		return nil, err
	}
	rows, all := keepRows(duplicated(codes, keep))
	if all {
		return s, nil
	}
	return s.Take(rows), nil
}

// DropDuplicates is pandas' DataFrame.drop_duplicates(subset=subset, keep=keep): rows
// compared on the subset's columns (nil: all columns) by value, never the index. A label
// of subset that is not a column is pandas' KeyError. A frame without rows or columns is
// returned as is. ctx is checked every CheckEvery rows of every column.
func (f *DataFrame) DropDuplicates(ctx context.Context, subset []any, keep Keep) (*DataFrame, error) {
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
	for j, c := range cols {
		cc, kc, err := factorize(ctx, c)
		if err != nil {
			return nil, err
		}
		if j == 0 {
			codes = cc
			continue
		}
		// the pair (row's code so far, its code in this column), coded again; both codes
		// are below the row count, so the pair fits one int64 key
		keys := make([]int64, len(cc))
		for i := range cc {
			keys[i] = int64(codes[i])*int64(kc) + int64(cc[i])
		}
		if codes, _, err = factorizeInts(ctx, keys); err != nil {
			return nil, err
		}
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
