package data

import (
	"errors"
	"math"
)

// Series is a pandas Series: labelled values of one dtype.
// Series values flowing between operators are treated as immutable: a component that
// changes something builds a new Series (sharing untouched columns).
type Series struct {
	Name   any // nil, string, int64 or float64
	Index  Column
	Values Column
	Attrs  *Dict // pandas .attrs; nil means {}
}

// NewSeries builds a Series; it panics when the lengths differ (a programming error).
func NewSeries(name any, index, values Column) *Series {
	if index.Len() != values.Len() {
		panic("data: series index and values differ in length")
	}
	return &Series{Name: name, Index: index, Values: values}
}

// FloatSeries is a convenience constructor for a float64 Series.
func FloatSeries(name any, index Column, values []float64) *Series {
	return NewSeries(name, index, Floats(values))
}

// Len is the number of elements.
func (s *Series) Len() int { return s.Values.Len() }

// With returns a shallow copy with other values, keeping name, index and attrs.
func (s *Series) With(values Column) *Series {
	return &Series{Name: s.Name, Index: s.Index, Values: values, Attrs: s.Attrs}
}

// Copy returns a shallow copy (columns shared).
func (s *Series) Copy() *Series { c := *s; return &c }

// Take returns the rows at the given positions.
func (s *Series) Take(pos []int) *Series {
	return &Series{Name: s.Name, Index: s.Index.Take(pos), Values: s.Values.Take(pos), Attrs: s.Attrs}
}

// SortIndex is pandas' sort_index(): ascending by label, missing labels last. A series
// that is already sorted is returned as is. The sort is stable (pandas' quicksort is not;
// ties among equal labels keep their input order here).
func (s *Series) SortIndex() *Series {
	if s.Index.IsMonotonicIncreasing() {
		return s
	}
	return s.Take(s.Index.ArgSort())
}

// Diff is pandas' diff(periods): values[i] - values[i-periods] as float64, NaN where the
// shifted position falls outside. Integer and boolean values are upcast to float64.
func (s *Series) Diff(periods int) (*Series, error) {
	v, ok := s.Values.FloatValues()
	if !ok {
		return nil, errors.New("unsupported operand type(s) for -: 'str' and 'str'")
	}
	out := make([]float64, len(v))
	for i := range out {
		j := i - periods
		if j < 0 || j >= len(v) {
			out[i] = math.NaN()
			continue
		}
		out[i] = v[i] - v[j]
	}
	return s.With(Floats(out)), nil
}

// ShiftIndex moves every label of a datetime index by delta nanoseconds: pandas'
// shift(freq=…, periods=…) for fixed frequencies. Values stay where they are.
func (s *Series) ShiftIndex(delta int64) (*Series, error) {
	if s.Index.DType != Datetime {
		return nil, errors.New("This method is only implemented for DatetimeIndex, PeriodIndex and TimedeltaIndex; Got type " + s.Index.IndexTypeName())
	}
	ns := make([]int64, len(s.Index.I))
	for i, v := range s.Index.I {
		if v == NaT {
			ns[i] = NaT
		} else {
			ns[i] = v + delta
		}
	}
	c := s.Copy()
	c.Index = Datetimes(ns, s.Index.Zone)
	return c, nil
}

// IndexTypeName is the pandas class name of an index with this column's dtype.
func (c Column) IndexTypeName() string {
	switch c.DType {
	case Datetime:
		return "DatetimeIndex"
	case Int64:
		return "Index"
	case Float64:
		return "Index"
	}
	return "Index"
}

// MapFloat applies f to every value as float64 (pandas arithmetic on numeric Series).
func (s *Series) MapFloat(f func(float64) float64) (*Series, error) {
	v, ok := s.Values.FloatValues()
	if !ok {
		return nil, errors.New("bad operand type for numeric operation: 'str'")
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = f(x)
	}
	return s.With(Floats(out)), nil
}

// TruePositions lists the positions where mask is true: pandas' boolean indexing of a
// Series (s[mask]) keeps these rows.
func TruePositions(mask []bool) []int {
	pos := make([]int, 0, len(mask))
	for i, m := range mask {
		if m {
			pos = append(pos, i)
		}
	}
	return pos
}
