package data

import (
	"context"
)

// This file holds numpy's and scipy's discrete calculus on 1-D arrays (np.ediff1d,
// np.trapz / scipy.integrate.trapezoid, scipy.integrate.cumulative_trapezoid), which
// the arithmetic and physics components apply to a series' values and index.

// Ediff1d is np.ediff1d(values): c[i+1] − c[i] for i < n−1, in the input's dtype as numpy
// keeps it: Int64 stays Int64 (wrapping on overflow), Float64 stays Float64 (NaN and ±inf
// follow IEEE), Datetime and Timedeltas give Timedeltas (NaT where either side is NaT),
// Object applies Python's - to each pair (an Object result). Bool is numpy's TypeError
// (numpy has no boolean subtract). Fewer than two values give an empty result.
func Ediff1d(ctx context.Context, c Column) (Column, error) {
	n := max(c.Len()-1, 0)
	switch c.DType {
	case Float64:
		out := make([]float64, n)
		for i := range out {
			if err := cancelled(ctx, i); err != nil {
				return Column{}, err
			}
			out[i] = c.F[i+1] - c.F[i]
		}
		return Floats(out), nil
	case Int64:
		out := make([]int64, n)
		for i := range out {
			if err := cancelled(ctx, i); err != nil {
				return Column{}, err
			}
			out[i] = c.I[i+1] - c.I[i]
		}
		return Ints(out), nil
	case Datetime, Timedeltas:
		out := make([]int64, n)
		for i := range out {
			if err := cancelled(ctx, i); err != nil {
				return Column{}, err
			}
			a, b := c.I[i+1], c.I[i]
			if a == NaT || b == NaT {
				out[i] = NaT
			} else {
				out[i] = a - b
			}
		}
		return TimedeltaCol(out), nil
	case Bool:
		return Column{}, TypeError("numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.")
	}
	out := make([]any, n)
	for i := range out {
		if err := cancelled(ctx, i); err != nil {
			return Column{}, err
		}
		v, err := PyArith(OpSub, c.O[i+1], c.O[i])
		if err != nil {
			return Column{}, err
		}
		out[i] = v
	}
	return Objects(out), nil
}

// cancelled reports ctx's error every CheckEvery iterations.
func cancelled(ctx context.Context, i int) error {
	if i%CheckEvery == CheckEvery-1 {
		return ctx.Err()
	}
	return nil
}

// trapezoids returns numpy's terms d[i]·(y[i+1] + y[i]) / 2.0 of the trapezoidal rule,
// with numpy's dtype rules: np.diff of a boolean x is x[i+1] != x[i] (not a difference),
// y[i+1] + y[i] of booleans is their logical or; integers combine as integers before
// the float multiplication. Object columns of numbers count as Float64; other dtypes are
// a TypeError.
func trapezoids(ctx context.Context, y, x Column) ([]float64, error) {
	if x.Len() != y.Len() {
		return nil, ValueError("operands could not be broadcast together with shapes (%d,) (%d,) ", max(x.Len()-1, 0), max(y.Len()-1, 0))
	}
	n := max(y.Len()-1, 0)
	d, err := trapezoidDiff(x, n)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]float64, n)
	switch y.DType {
	case Bool:
		for i := range out {
			if y.B[i+1] || y.B[i] {
				out[i] = d[i] / 2.0
			} else {
				out[i] = d[i] * 0 / 2.0
			}
		}
	case Int64:
		if x.DType == Int64 {
			// integer x and y: numpy multiplies in int64 (wrapping) before the / 2.0,
			// as np.trapz([-2**62, 0], [2, 5]) = 2.305843009213694e+18 in numpy 1.24
			for i := range out {
				out[i] = float64((x.I[i+1]-x.I[i])*(y.I[i+1]+y.I[i])) / 2.0
			}
			break
		}
		for i := range out {
			out[i] = d[i] * float64(y.I[i+1]+y.I[i]) / 2.0
		}
	default:
		f, ok := y.FloatValues()
		if !ok || y.DType == Datetime || y.DType == Timedeltas {
			return nil, TypeError("ufunc 'multiply' cannot use operands with types dtype('float64') and %s", numpyDtype(y))
		}
		for i := range out {
			if err := cancelled(ctx, i); err != nil {
				return nil, err
			}
			out[i] = d[i] * (f[i+1] + f[i]) / 2.0
		}
	}
	return out, nil
}

func trapezoidDiff(x Column, n int) ([]float64, error) {
	d := make([]float64, n)
	switch x.DType {
	case Bool:
		for i := range d {
			if x.B[i+1] != x.B[i] {
				d[i] = 1
			}
		}
	case Int64:
		for i := range d {
			d[i] = float64(x.I[i+1] - x.I[i])
		}
	default:
		f, ok := x.FloatValues()
		if !ok || x.DType == Datetime || x.DType == Timedeltas {
			return nil, TypeError("ufunc 'multiply' cannot use operands with types %s and dtype('float64')", numpyDtype(x))
		}
		for i := range d {
			d[i] = f[i+1] - f[i]
		}
	}
	return d, nil
}

// Trapezoid is np.trapz(y, x) (scipy.integrate.trapz): the sum of the trapezoids
// (x[i+1] − x[i])·(y[i+1] + y[i]) / 2, summed pairwise as numpy's add.reduce does. NaN
// propagates; fewer than two points give 0. See trapezoids for the dtype rules.
func Trapezoid(ctx context.Context, y, x Column) (float64, error) {
	t, err := trapezoids(ctx, y, x)
	if err != nil {
		return 0, err
	}
	return PairwiseSum(t), nil
}

// CumTrapezoid is scipy.integrate.cumulative_trapezoid(y, x, initial=0): 0 followed by
// the running sum (left to right, as np.cumsum) of the trapezoids, one value per point.
// NaN propagates to every later value. An empty input gives [0], as scipy does.
func CumTrapezoid(ctx context.Context, y, x Column) ([]float64, error) {
	t, err := trapezoids(ctx, y, x)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(t)+1)
	for i, v := range t {
		if i == 0 {
			out[1] = v // np.cumsum starts from the first element (-0.0 stays)
			continue
		}
		out[i+1] = out[i] + v
	}
	return out, nil
}
