package data

import (
	"context"
	"math"
)

// Extreme is pandas' min() of a Series or an Index (max() when max is set) with
// skipna=True, as the Python value pandas returns:
//
//   - float64: the smallest non-NaN value, NaN when there is none;
//   - int64 and bool: an int64 / a bool, NaN (float64) for an empty column;
//   - datetimes and timedeltas: a Timestamp (in the column's zone) or a Timedelta, NaT when
//     every value is NaT;
//   - objects: Python's comparisons left to right (numpy's minimum keeps the earlier value
//     when it is <= the next one, maximum when it is >=), where pandas first replaces every
//     missing value by +inf (for min; -inf for max), so that strings next to a missing value
//     fail with TypeError "'<=' not supported between instances of 'str' and 'float'"; NaN
//     when every value is missing.
//
// ctx is checked every CheckEvery values.
func Extreme(ctx context.Context, c Column, max bool) (any, error) {
	op, fill := CmpLe, math.Inf(1)
	if max {
		op, fill = CmpGe, math.Inf(-1)
	}
	switch c.DType {
	case Float64:
		if err := checkCtx(ctx, CheckEvery); err != nil {
			return nil, err
		}
		if max {
			return NanMax(c.F), nil
		}
		return NanMin(c.F), nil
	case Int64:
		if len(c.I) == 0 {
			return math.NaN(), nil
		}
		best := c.I[0]
		for i, v := range c.I {
			if err := checkCtx(ctx, i); err != nil {
				return nil, err
			}
			if (max && v > best) || (!max && v < best) {
				best = v
			}
		}
		return best, nil
	case Bool:
		if len(c.B) == 0 {
			return math.NaN(), nil
		}
		// min is true only when every value is, max when any is
		for _, v := range c.B {
			if v == max {
				return max, nil
			}
		}
		return !max, nil
	case Datetime, Timedeltas:
		best, found := int64(NaT), false
		for i, v := range c.I {
			if err := checkCtx(ctx, i); err != nil {
				return nil, err
			}
			if v == NaT {
				continue
			}
			if !found || (max && v > best) || (!max && v < best) {
				best, found = v, true
			}
		}
		if c.DType == Timedeltas {
			return Timedelta{NS: best}, nil
		}
		return Timestamp{NS: best, Zone: c.Zone}, nil
	}
	var best any
	valid := false
	for i, n := 0, c.Len(); i < n; i++ {
		if err := checkCtx(ctx, i); err != nil {
			return nil, err
		}
		v := c.At(i)
		if IsNA(v) {
			v = fill
		} else {
			valid = true
		}
		if i == 0 {
			best = v
			continue
		}
		keep, err := PyCompare(op, best, v)
		if err != nil {
			return nil, err
		}
		if !keep {
			best = v
		}
	}
	if !valid {
		return math.NaN(), nil
	}
	return best, nil
}

// checkCtx reports ctx's error at every CheckEvery-th i.
func checkCtx(ctx context.Context, i int) error {
	if i%CheckEvery == 0 {
		return ctx.Err()
	}
	return nil
}
