package component

import (
	"encoding/binary"
	"fmt"
	"hash"
	"hash/fnv"
	"math"
	"slices"

	"github.com/trafofn/trafofn/runtime/data"
)

// Check validates a pandas input as it is read. Each check fails with the error pandas
// raises for the property it checks, attributed to the input.
type Check struct {
	index  func(data.Column) error
	values func(data.Column) error
}

func (c Check) series(s *data.Series) error {
	if c.index != nil {
		if err := c.index(s.Index); err != nil {
			return err
		}
	}
	if c.values != nil {
		return c.values(s.Values)
	}
	return nil
}

func (c Check) frame(f *data.DataFrame) error {
	if c.index != nil {
		if err := c.index(f.Index); err != nil {
			return err
		}
	}
	if c.values != nil {
		for _, col := range f.Columns {
			if err := c.values(col); err != nil {
				return err
			}
		}
	}
	return nil
}

// The checks components use most.
var (
	// DatetimeIndex requires a DatetimeIndex (pandas' resample/time-window error).
	DatetimeIndex = Check{index: func(c data.Column) error {
		if c.DType != data.Datetime {
			return data.TypeError("Only valid with DatetimeIndex, TimedeltaIndex or PeriodIndex, but got an instance of '%s'", c.IndexTypeName())
		}
		return nil
	}}
	// SortedIndex requires a monotonically increasing index (pandas' rolling error).
	SortedIndex = Check{index: func(c data.Column) error {
		if !c.IsMonotonicIncreasing() {
			return data.ValueError("index must be monotonic")
		}
		return nil
	}}
	// UniqueIndex requires unique labels (pandas' reindex error).
	UniqueIndex = Check{index: func(c data.Column) error {
		if !c.IsUnique() {
			return data.ValueError("cannot reindex on an axis with duplicate labels")
		}
		return nil
	}}
	// Numeric requires numeric values (None/NaN allowed): the ValueError of
	// astype(float) for the first value that is not a number.
	Numeric = Check{values: func(c data.Column) error {
		if c.IsNumeric() {
			return nil
		}
		for i, n := 0, c.Len(); i < n; i++ {
			v := c.At(i)
			if _, ok := data.ToFloat(v); ok || data.IsNA(v) {
				continue
			}
			if s, ok := v.(string); ok {
				return data.ValueError("could not convert string to float: %s", data.PyRepr(s))
			}
			return data.TypeError("float() argument must be a string or a real number, not '%s'", data.PyTypeName(v))
		}
		return nil
	}}
)

// appender is what wire encodes itself (plotly figures).
type appender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// CheckOutputs reports returned outputs the Spec does not declare and values whose Go type
// does not fit their declared hetida type (outputs listed in Loose excepted; None fits
// every type). The engine does not call it — hetida does not check either — but the
// library's invariants test does, for every component.
func (s *Spec) CheckOutputs(out Outputs) error {
	names := make([]string, 0, len(out))
	for k := range out {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, name := range names {
		p, ok := s.Output(name)
		if !ok {
			return fmt.Errorf("%s returns undeclared output %q", s.Name, name)
		}
		if slices.Contains(s.Loose, name) {
			continue
		}
		if v := out[name]; !fits(p.Type, v) {
			return fmt.Errorf("%s: output %q declared %s holds %T", s.Name, name, p.Type, v)
		}
	}
	return nil
}

func fits(t data.Type, v any) bool {
	v = data.UnwrapNumpy(v)
	if v == nil {
		return true
	}
	switch t {
	case data.TypeInt:
		_, ok := v.(int64)
		return ok
	case data.TypeFloat:
		switch v.(type) {
		case float64, int64: // a Python int where a float is declared serialises the same
			return true
		}
		return false
	case data.TypeString:
		_, ok := v.(string)
		return ok
	case data.TypeBoolean:
		_, ok := v.(bool)
		return ok
	case data.TypeSeries:
		_, ok := v.(*data.Series)
		return ok
	case data.TypeDataFrame:
		_, ok := v.(*data.DataFrame)
		return ok
	case data.TypeMultiTSFrame:
		f, ok := v.(*data.DataFrame)
		return ok && f.ColIndex("timestamp") >= 0 && f.ColIndex("metric") >= 0
	case data.TypePlotlyJSON:
		switch v.(type) {
		case appender, *data.Dict:
			return true
		}
		return false
	}
	return true // ANY
}

// Fingerprint hashes a value's whole content (labels, values, attrs, nested values), so
// that a test can tell whether a component modified an input it was given.
func Fingerprint(v any) uint64 {
	h := fnv.New64a()
	fingerprint(h, v)
	return h.Sum64()
}

func fingerprint(h hash.Hash64, v any) {
	var buf [8]byte
	put := func(x uint64) {
		binary.LittleEndian.PutUint64(buf[:], x)
		h.Write(buf[:])
	}
	str := func(s string) { put(uint64(len(s))); h.Write([]byte(s)) }
	switch x := v.(type) {
	case nil:
		str("None")
	case bool:
		if x {
			str("True")
		} else {
			str("False")
		}
	case int64:
		str("int")
		put(uint64(x))
	case float64:
		str("float")
		put(math.Float64bits(x))
	case string:
		str("str")
		str(x)
	case data.Timestamp:
		str("ts")
		put(uint64(x.NS))
		put(uint64(x.Zone.Offset))
	case data.Timedelta:
		str("td")
		put(uint64(x.NS))
	case []any:
		str("list")
		put(uint64(len(x)))
		for _, e := range x {
			fingerprint(h, e)
		}
	case *data.Dict:
		str("dict")
		if x == nil {
			return
		}
		put(uint64(x.Len()))
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			str(k)
			fingerprint(h, e)
		}
	case data.Column:
		str("col")
		put(uint64(x.DType))
		put(uint64(x.Zone.Offset))
		for _, f := range x.F {
			put(math.Float64bits(f))
		}
		for _, n := range x.I {
			put(uint64(n))
		}
		for _, b := range x.B {
			if b {
				put(1)
			} else {
				put(0)
			}
		}
		for _, o := range x.O {
			fingerprint(h, o)
		}
	case *data.Series:
		str("series")
		fingerprint(h, x.Name)
		fingerprint(h, x.Index)
		fingerprint(h, x.Values)
		fingerprint(h, x.Attrs)
	case *data.DataFrame:
		str("frame")
		fingerprint(h, x.Index)
		put(uint64(len(x.Names)))
		for i := range x.Names {
			fingerprint(h, x.Names[i])
			fingerprint(h, x.Columns[i])
		}
		fingerprint(h, x.Attrs)
	default:
		str(fmt.Sprintf("%T %v", v, v))
	}
}
