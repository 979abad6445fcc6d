package data

import (
	"context"
	"math"
)

// This file holds pandas' cumulative functions (cumsum, cumprod, cummax, cummin) with
// skipna=True: a missing value stays missing at its position and the running value
// continues past it (pandas fills it with the operation's neutral element, accumulates,
// and puts NaN back). dtypes follow pandas: Int64 stays Int64 (overflow wraps as in
// numpy), Bool becomes Int64 for sum and product and stays Bool for max and min, Float64
// stays Float64.

type accum uint8

const (
	accSum accum = iota
	accProd
	accMax
	accMin
)

func (a accum) name() string {
	return [...]string{"cumsum", "cumprod", "cummax", "cummin"}[a]
}

// CumSum is pandas' cumsum(): running sum left to right (sequential, as numpy's cumsum).
// Timedeltas sum too, and Datetime sums its nanoseconds as pandas 1.5.3 does.
func CumSum(c Column) (Column, error) { return accumulate(context.Background(), c, accSum) }

// CumSumContext is CumSum checking ctx every CheckEvery rows (for long inputs).
func CumSumContext(ctx context.Context, c Column) (Column, error) {
	return accumulate(ctx, c, accSum)
}

// CumProd is pandas' cumprod(): running product (Datetime of its nanoseconds, as pandas
// 1.5.3). Timedeltas are pandas' TypeError.
func CumProd(c Column) (Column, error) { return accumulate(context.Background(), c, accProd) }

// CumMax is pandas' cummax(): running maximum; works on Datetime and Timedeltas (NaT
// skipped like NaN).
func CumMax(c Column) (Column, error) { return accumulate(context.Background(), c, accMax) }

// CumMin is pandas' cummin(): running minimum; works on Datetime and Timedeltas.
func CumMin(c Column) (Column, error) { return accumulate(context.Background(), c, accMin) }

func accumulate(ctx context.Context, c Column, op accum) (Column, error) {
	switch c.DType {
	case Float64:
		f, err := accumFloats(ctx, c.F, op)
		return Floats(f), err
	case Int64:
		v, err := accumInts(ctx, c.I, op)
		return Ints(v), err
	case Bool:
		if op == accMax || op == accMin {
			out := make([]bool, len(c.B))
			run := op == accMin // neutral element: false for max (or), true for min (and)
			for i, v := range c.B {
				if op == accMax {
					run = run || v
				} else {
					run = run && v
				}
				out[i] = run
			}
			return Bools(out), nil
		}
		v, err := accumInts(ctx, boolsToInts(c.B), op)
		return Ints(v), err
	case Datetime:
		// pandas 1.5.3 (hetida's reference) accumulates the nanoseconds of datetimes for
		// every operation, wrapping as int64 (pandas 2 refuses cumsum and cumprod); an
		// all-null JSON series is such a column, all NaT
		v, err := accumNaT(ctx, c.I, op)
		return Datetimes(v, c.Zone), err
	case Timedeltas:
		if op == accProd {
			return Column{}, TypeError("cumprod not supported for Timedelta.")
		}
		v, err := accumNaT(ctx, c.I, op)
		return TimedeltaCol(v), err
	}
	f, ok := c.FloatValues()
	if !ok {
		if op == accSum {
			return objectCumSum(ctx, c.O)
		}
		return Column{}, TypeError("%s is not supported for values of type '%s'", op.name(), c.ScalarTypeName())
	}
	out, err := accumFloats(ctx, f, op)
	return Floats(out), err
}

// objectCumSum is pandas' cumsum of an object column that is not all numbers (strings,
// say): missing values are replaced by 0.0, the values are added left to right with
// Python's + (numpy's object cumsum), and the missing positions are missing again — so
// strings concatenate, and a missing value among strings is Python's TypeError "can only
// concatenate str (not "float") to str".
func objectCumSum(ctx context.Context, o []any) (Column, error) {
	out := make([]any, len(o))
	var acc any
	for i, v := range o {
		if err := cancelled(ctx, i); err != nil {
			return Column{}, err
		}
		if IsNA(v) {
			v = 0.0
		}
		if i == 0 {
			acc = v
		} else {
			var err error
			if acc, err = PyArith(OpAdd, acc, v); err != nil {
				return Column{}, err
			}
		}
		if !IsNA(o[i]) {
			out[i] = acc
		}
	}
	return Objects(out), nil
}

// boolsToInts returns booleans as 0/1 integers (numpy's bool → int64 promotion in sums).
func boolsToInts(b []bool) []int64 {
	out := make([]int64, len(b))
	for i, v := range b {
		if v {
			out[i] = 1
		}
	}
	return out
}

func accumFloats(ctx context.Context, f []float64, op accum) ([]float64, error) {
	out := make([]float64, len(f))
	var run float64
	switch op {
	case accProd:
		run = 1
	case accMax:
		run = math.Inf(-1)
	case accMin:
		run = math.Inf(1)
	}
	for i, v := range f {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		if v != v {
			out[i] = v
			continue
		}
		switch op {
		case accSum:
			run += v
		case accProd:
			run *= v
		case accMax:
			if v > run {
				run = v
			}
		case accMin:
			if v < run {
				run = v
			}
		}
		out[i] = run
	}
	return out, nil
}

func accumInts(ctx context.Context, a []int64, op accum) ([]int64, error) {
	out := make([]int64, len(a))
	for i, v := range a {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		if i == 0 {
			out[i] = v
			continue
		}
		p := out[i-1]
		switch op {
		case accSum:
			out[i] = p + v
		case accProd:
			out[i] = p * v
		case accMax:
			out[i] = max(p, v)
		case accMin:
			out[i] = min(p, v)
		}
	}
	return out, nil
}

// accumNaT accumulates nanosecond values skipping NaT, as pandas' datetimelike
// accumulations do (NaT filled with the neutral element, put back afterwards).
func accumNaT(ctx context.Context, a []int64, op accum) ([]int64, error) {
	out := make([]int64, len(a))
	var run int64
	switch op {
	case accProd:
		run = 1
	case accMax:
		run = math.MinInt64
	case accMin:
		run = math.MaxInt64
	}
	for i, v := range a {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		if v == NaT {
			out[i] = NaT
			continue
		}
		switch op {
		case accSum:
			run += v
		case accProd:
			run *= v
		case accMax:
			run = max(run, v)
		case accMin:
			run = min(run, v)
		}
		out[i] = run
	}
	return out, nil
}
