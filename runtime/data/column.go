package data

import (
	"math"
	"sort"
)

// DType is the storage type of a column, after numpy's dtypes.
type DType uint8

// Column storage types. Float64 marks missing values with NaN, Datetime with NaT; Int64 and
// Bool cannot hold missing values (pandas upcasts to float64 or object instead); Object
// holds any JSON-like value and nil for None/NaN.
const (
	Float64 DType = iota
	Int64
	Bool
	Datetime
	Object
	// Timedeltas holds pandas Timedelta values as nanoseconds in I, NaT for missing ones.
	Timedeltas
)

func (d DType) String() string {
	switch d {
	case Float64:
		return "float64"
	case Int64:
		return "int64"
	case Bool:
		return "bool"
	case Datetime:
		return "datetime64[ns]"
	case Timedeltas:
		return "timedelta64[ns]"
	}
	return "object"
}

// Column is a typed, columnar array: the values of a Series, a DataFrame column, or an
// index. Exactly one of the slices is used, chosen by DType. Columns are values: the
// slices may be shared between columns, so functions never modify a column they did not
// create.
type Column struct {
	DType DType
	Zone  Zone // Datetime only
	F     []float64
	I     []int64 // Int64 values, Datetime or Timedeltas nanoseconds
	B     []bool
	O     []any
}

// PandasDType is the dtype pandas reports for the column: "float64", "int64", "bool",
// "object", "datetime64[ns]" or, for aware timestamps, "datetime64[ns, UTC]" (the zone's
// name).
func (c Column) PandasDType() string {
	if c.DType == Datetime && c.Zone.Aware {
		return "datetime64[ns, " + c.Zone.Name() + "]"
	}
	return c.DType.String()
}

// Floats makes a Float64 column.
func Floats(f []float64) Column { return Column{DType: Float64, F: f} }

// Ints makes an Int64 column.
func Ints(i []int64) Column { return Column{DType: Int64, I: i} }

// Bools makes a Bool column.
func Bools(b []bool) Column { return Column{DType: Bool, B: b} }

// Datetimes makes a Datetime column of nanoseconds in zone z.
func Datetimes(ns []int64, z Zone) Column { return Column{DType: Datetime, I: ns, Zone: z} }

// TimedeltaCol makes a Timedeltas column of nanosecond durations.
func TimedeltaCol(ns []int64) Column { return Column{DType: Timedeltas, I: ns} }

// Objects makes an Object column.
func Objects(o []any) Column { return Column{DType: Object, O: o} }

// Range makes the Int64 column 0..n-1 (pandas' RangeIndex).
func Range(n int) Column {
	idx := make([]int64, n)
	for i := range idx {
		idx[i] = int64(i)
	}
	return Ints(idx)
}

// Len is the number of elements.
func (c Column) Len() int {
	switch c.DType {
	case Float64:
		return len(c.F)
	case Int64, Datetime, Timedeltas:
		return len(c.I)
	case Bool:
		return len(c.B)
	}
	return len(c.O)
}

// IsNA reports whether element i is missing (NaN, NaT, None).
func (c Column) IsNA(i int) bool {
	switch c.DType {
	case Float64:
		return c.F[i] != c.F[i]
	case Datetime, Timedeltas:
		return c.I[i] == NaT
	case Object:
		return IsNA(c.O[i])
	}
	return false
}

// IsNA reports whether a boxed value is missing: nil, a NaN float or a NaT timestamp.
func IsNA(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case float64:
		return x != x
	case Timestamp:
		return x.NS == NaT
	case Timedelta:
		return x.NS == NaT
	}
	return false
}

// HasNA reports whether any element is missing.
func (c Column) HasNA() bool {
	switch c.DType {
	case Int64, Bool:
		return false
	case Datetime, Timedeltas:
		for _, v := range c.I {
			if v == NaT {
				return true
			}
		}
		return false
	case Float64:
		for _, v := range c.F {
			if v != v {
				return true
			}
		}
		return false
	}
	for i, n := 0, c.Len(); i < n; i++ {
		if c.IsNA(i) {
			return true
		}
	}
	return false
}

// At returns element i boxed: float64, int64, bool, Timestamp, or the object value.
func (c Column) At(i int) any {
	switch c.DType {
	case Float64:
		return c.F[i]
	case Int64:
		return c.I[i]
	case Bool:
		return c.B[i]
	case Datetime:
		return Timestamp{NS: c.I[i], Zone: c.Zone}
	case Timedeltas:
		return Timedelta{NS: c.I[i]}
	}
	return c.O[i]
}

// Slice returns elements [from, to) sharing storage.
func (c Column) Slice(from, to int) Column {
	r := Column{DType: c.DType, Zone: c.Zone}
	switch c.DType {
	case Float64:
		r.F = c.F[from:to]
	case Int64, Datetime, Timedeltas:
		r.I = c.I[from:to]
	case Bool:
		r.B = c.B[from:to]
	default:
		r.O = c.O[from:to]
	}
	return r
}

// Clone returns a deep copy of the storage.
func (c Column) Clone() Column {
	r := Column{DType: c.DType, Zone: c.Zone}
	switch c.DType {
	case Float64:
		r.F = append([]float64(nil), c.F...)
	case Int64, Datetime, Timedeltas:
		r.I = append([]int64(nil), c.I...)
	case Bool:
		r.B = append([]bool(nil), c.B...)
	default:
		r.O = append([]any(nil), c.O...)
	}
	return r
}

// Take returns the elements at the given positions. A position of -1 yields a missing
// value, upcasting Int64 to Float64 and Bool to Object as pandas' reindex does.
func (c Column) Take(pos []int) Column {
	missing := false
	for _, p := range pos {
		if p < 0 {
			missing = true
			break
		}
	}
	src := c
	if missing {
		switch c.DType {
		case Int64:
			src = c.AsFloat64()
		case Bool:
			src = c.AsObject()
		}
	}
	r := Column{DType: src.DType, Zone: src.Zone}
	switch src.DType {
	case Float64:
		r.F = make([]float64, len(pos))
		for i, p := range pos {
			if p < 0 {
				r.F[i] = math.NaN()
			} else {
				r.F[i] = src.F[p]
			}
		}
	case Int64, Datetime, Timedeltas:
		r.I = make([]int64, len(pos))
		for i, p := range pos {
			if p < 0 {
				r.I[i] = NaT
			} else {
				r.I[i] = src.I[p]
			}
		}
	case Bool:
		r.B = make([]bool, len(pos))
		for i, p := range pos {
			r.B[i] = src.B[p]
		}
	default:
		r.O = make([]any, len(pos))
		for i, p := range pos {
			if p >= 0 {
				r.O[i] = src.O[p]
			}
		}
	}
	return r
}

// IsNumeric reports whether the column holds numbers (Float64, Int64 or Bool storage).
func (c Column) IsNumeric() bool {
	return c.DType == Float64 || c.DType == Int64 || c.DType == Bool
}

// AsFloat64 converts a numeric column to Float64 (Bool as 0/1). A Float64 column is
// returned as is, without copying. Other columns convert element-wise where the element
// is a number and become NaN elsewhere; use FloatValues to detect that.
func (c Column) AsFloat64() Column {
	switch c.DType {
	case Float64:
		return c
	case Int64:
		f := make([]float64, len(c.I))
		for i, v := range c.I {
			f[i] = float64(v)
		}
		return Floats(f)
	case Bool:
		f := make([]float64, len(c.B))
		for i, v := range c.B {
			if v {
				f[i] = 1
			}
		}
		return Floats(f)
	case Datetime, Timedeltas:
		f := make([]float64, len(c.I))
		for i, v := range c.I {
			if v == NaT {
				f[i] = math.NaN()
			} else {
				f[i] = float64(v)
			}
		}
		return Floats(f)
	}
	f := make([]float64, len(c.O))
	for i, v := range c.O {
		x, ok := ToFloat(v)
		if !ok {
			x = math.NaN()
		}
		f[i] = x
	}
	return Floats(f)
}

// FloatValues returns the column as float64 values when every element is numeric or
// missing; ok is false for strings, nested values or datetimes.
func (c Column) FloatValues() (f []float64, ok bool) {
	switch c.DType {
	case Float64, Int64, Bool:
		return c.AsFloat64().F, true
	case Object:
		f = make([]float64, len(c.O))
		for i, v := range c.O {
			if v == nil {
				f[i] = math.NaN()
				continue
			}
			x, ok := ToFloat(v)
			if !ok {
				return nil, false
			}
			f[i] = x
		}
		return f, true
	}
	return nil, false
}

// AsObject boxes every element into an Object column (NaN/NaT become nil).
func (c Column) AsObject() Column {
	if c.DType == Object {
		return c
	}
	o := make([]any, c.Len())
	for i := range o {
		if !c.IsNA(i) {
			o[i] = c.At(i)
		}
	}
	return Objects(o)
}

// ToFloat converts a boxed number (float64, int64, bool) to float64.
func ToFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// IsMonotonicIncreasing reports whether the non-decreasing order holds for the whole
// column (missing values break monotonicity, as in pandas).
func (c Column) IsMonotonicIncreasing() bool {
	switch c.DType {
	case Float64:
		for i := 1; i < len(c.F); i++ {
			if !(c.F[i-1] <= c.F[i]) {
				return false
			}
		}
		return len(c.F) == 0 || c.F[0] == c.F[0]
	case Int64:
		for i := 1; i < len(c.I); i++ {
			if c.I[i-1] > c.I[i] {
				return false
			}
		}
		return true
	case Datetime, Timedeltas:
		// NaT is the smallest int64, so in a non-decreasing run it could only come first
		if len(c.I) > 0 && c.I[0] == NaT {
			return false
		}
		for i := 1; i < len(c.I); i++ {
			if c.I[i-1] > c.I[i] {
				return false
			}
		}
		return true
	}
	n := c.Len()
	for i := 1; i < n; i++ {
		if Compare(c.At(i-1), c.At(i)) > 0 {
			return false
		}
	}
	return true
}

// ArgSort returns the stable ascending order of the column. Missing values go last, as
// in pandas' sort_index/sort_values (na_position="last").
func (c Column) ArgSort() []int {
	n := c.Len()
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	switch c.DType {
	case Float64:
		f := c.F
		sort.SliceStable(order, func(a, b int) bool {
			x, y := f[order[a]], f[order[b]]
			if x != x {
				return false
			}
			return y != y || x < y
		})
	case Int64:
		v := c.I
		sort.SliceStable(order, func(a, b int) bool { return v[order[a]] < v[order[b]] })
	case Datetime, Timedeltas:
		v := c.I
		sort.SliceStable(order, func(a, b int) bool {
			x, y := v[order[a]], v[order[b]]
			if x == NaT {
				return false
			}
			return y == NaT || x < y
		})
	case Bool:
		v := c.B
		sort.SliceStable(order, func(a, b int) bool { return !v[order[a]] && v[order[b]] })
	default:
		o := c.O
		sort.SliceStable(order, func(a, b int) bool {
			x, y := o[order[a]], o[order[b]]
			if IsNA(x) {
				return false
			}
			return IsNA(y) || Compare(x, y) < 0
		})
	}
	return order
}

// IsUnique reports whether no value occurs twice. Sorted numeric columns (the usual
// time index) are checked in one pass without a hash set.
func (c Column) IsUnique() bool {
	n := c.Len()
	switch c.DType {
	case Int64, Datetime, Timedeltas:
		strict := true
		for i := 1; i < len(c.I); i++ {
			if c.I[i-1] >= c.I[i] {
				strict = false
				break
			}
		}
		if strict {
			return true
		}
	}
	switch c.DType {
	case Int64, Datetime, Timedeltas:
		seen := make(map[int64]struct{}, n)
		for _, v := range c.I {
			if _, ok := seen[v]; ok {
				return false
			}
			seen[v] = struct{}{}
		}
		return true
	case Float64:
		seen := make(map[float64]struct{}, n)
		nan := false
		for _, v := range c.F {
			if v != v {
				if nan {
					return false
				}
				nan = true
				continue
			}
			if _, ok := seen[v]; ok {
				return false
			}
			seen[v] = struct{}{}
		}
		return true
	}
	seen := make(map[any]struct{}, n)
	for i := 0; i < n; i++ {
		k := hashKey(c.At(i))
		if _, ok := seen[k]; ok {
			return false
		}
		seen[k] = struct{}{}
	}
	return true
}

// hashKey maps a boxed scalar to a comparable map key; unhashable values map to a
// pointer-free description so that duplicates are still found for scalars.
func hashKey(v any) any {
	switch x := v.(type) {
	case nil, bool, int64, string, Timestamp, Timedelta:
		return x
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<62 {
			return int64(x) // pandas treats 1 and 1.0 as the same label
		}
		return x
	}
	return struct{ p any }{} // nested values: treated as one key
}

// Compare orders two boxed scalars: numbers numerically, strings lexically, timestamps by
// instant; values of different kinds order by kind. It returns -1, 0 or +1.
func Compare(a, b any) int {
	fa, aNum := ToFloat(a)
	fb, bNum := ToFloat(b)
	if aNum && bNum {
		ia, aInt := a.(int64)
		ib, bInt := b.(int64)
		if aInt && bInt {
			return cmpInt(ia, ib)
		}
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	}
	sa, aStr := a.(string)
	sb, bStr := b.(string)
	if aStr && bStr {
		switch {
		case sa < sb:
			return -1
		case sa > sb:
			return 1
		}
		return 0
	}
	ta, aTS := a.(Timestamp)
	tb, bTS := b.(Timestamp)
	if aTS && bTS {
		return cmpInt(ta.NS, tb.NS)
	}
	da, aTD := a.(Timedelta)
	db, bTD := b.(Timedelta)
	if aTD && bTD {
		return cmpInt(da.NS, db.NS)
	}
	return cmpInt(int64(kindRank(a)), int64(kindRank(b)))
}

func kindRank(v any) int {
	switch v.(type) {
	case nil:
		return 5
	case bool, int64, float64:
		return 0
	case Timestamp:
		return 1
	case Timedelta:
		return 4
	case string:
		return 2
	}
	return 3
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
