package library

import (
	"context"
	"math"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// The Butterworth filters of the Filters category: scipy's butter(1, Wn, btype) and
// lfilter (data.ButterFirstOrder, data.LFilter) over a series' values.

// highpassFilter is the first-order digital high-pass of hetida's Highpass Filter; see
// butterworth.
func highpassFilter(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return butterworth(ctx, in, true)
}

// lowpassFilter is the first-order digital low-pass of hetida's Lowpass Filter; see
// butterworth.
func lowpassFilter(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return butterworth(ctx, in, false)
}

// butterworth filters data's values causally with zero initial state (lfilter), through
// a first-order Butterworth filter whose cut-off frequency (Hz) is normalised by a
// Nyquist frequency that assumes evenly spaced points: nyq = 0.5·n / (last − first
// timestamp in seconds), Wn = frequency / nyq. The index is taken as it comes — first
// and last position, not sorted — so an unsorted or reversed index changes (or negates)
// the rate, and Wn outside (0, 1) fails with scipy's ValueError. The seconds are
// pandas' Timedelta.total_seconds(): days·86400 + seconds + microseconds/10⁶
// (nanoseconds dropped). A NaT at either end makes the rate NaN, which scipy lets
// through into all-NaN output; a NaN value makes every later output NaN.
//
// Python's failures are kept: no rows (IndexError of index[-1]), one row or equal end
// timestamps (ZeroDivisionError), an integer index (no total_seconds). The result is a
// new float64 Series on data's index, unnamed and without attrs (pd.Series(filtered,
// index=data.index)).
func butterworth(ctx context.Context, in component.Inputs, highpass bool) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("data")
	frequency := r.Float("frequency")
	if err := r.Err(); err != nil {
		return nil, err
	}
	n := s.Len()
	if n == 0 {
		return nil, component.IndexError("index -1 is out of bounds for axis 0 with size 0")
	}
	var seconds float64
	switch s.Index.DType {
	case data.Datetime:
		first, last := s.Index.I[0], s.Index.I[n-1]
		if first == data.NaT || last == data.NaT {
			seconds = math.NaN()
		} else {
			seconds = totalSeconds(last - first)
		}
	case data.Int64:
		return nil, component.AttributeError(pyIndexScalar(s.Index), "total_seconds")
	case data.Float64:
		return nil, &component.Error{Type: "AttributeError", Message: "'numpy.float64' object has no attribute 'total_seconds'"}
	case data.Object:
		return nil, data.UnsupportedOperand("-", s.Index.O[n-1], s.Index.O[0])
	default:
		return nil, component.AttributeError(s.Index.At(n-1), "total_seconds")
	}
	if seconds == 0 {
		return nil, component.ZeroDivisionError("float division by zero")
	}
	nyq := 0.5 * float64(n) / seconds
	b, a, err := data.ButterFirstOrder(frequency/nyq, highpass)
	if err != nil {
		return nil, err
	}
	x, ok := s.Values.FloatValues()
	if !ok {
		return nil, component.TypeError("can't multiply sequence by non-int of type 'float'")
	}
	y, err := data.LFilter(ctx, b[:], a[:], x)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"filtered": data.NewSeries(nil, s.Index, data.Floats(y))}, nil
}

// totalSeconds is pandas' Timedelta.total_seconds() of a duration in nanoseconds: the
// whole days and seconds exactly, plus the microseconds as a fraction; the nanoseconds
// below a microsecond are dropped.
func totalSeconds(ns int64) float64 {
	const day = 86400 * int64(1e9)
	days := ns / day
	rem := ns % day
	if rem < 0 { // Python's timedelta normalises to a non-negative remainder
		days--
		rem += day
	}
	secs := rem / 1e9
	micros := rem % 1e9 / 1e3
	return float64(days*86400+secs) + float64(micros)/1e6
}

// pyIndexScalar is the Python value index[-1] - index[0] of an integer index gives: a
// Python int for a RangeIndex (0, 1, …, n−1, as a list input parses), a numpy.int64
// otherwise — which names the type in the AttributeError.
func pyIndexScalar(idx data.Column) any {
	for i, v := range idx.I {
		if v != int64(i) {
			return numpyInt64{}
		}
	}
	return int64(0)
}

// numpyInt64 stands for a numpy.int64 scalar in error messages.
type numpyInt64 struct{}

func (numpyInt64) PyTypeName() string { return "numpy.int64" }
