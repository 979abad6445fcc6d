package data

import (
	"math"
	"math/big"
)

// elementwise applies a column function to a scalar-free pandas value: a Series keeps
// its index and name, a DataFrame applies it to every column.
func elementwise(v any, f func(Column) (Column, error)) (any, bool, error) {
	switch x := v.(type) {
	case *Series:
		c, err := f(x.Values)
		if err != nil {
			return nil, true, err
		}
		return x.With(c), true, nil
	case *DataFrame:
		cols := make([]Column, len(x.Columns))
		for k, c := range x.Columns {
			r, err := f(c)
			if err != nil {
				return nil, true, err
			}
			cols[k] = r
		}
		return &DataFrame{Index: x.Index, Names: x.Names, Columns: cols, Attrs: x.Attrs}, true, nil
	}
	return nil, false, nil
}

// MapFloat applies a numpy math ufunc (sqrt, log, exp, sin …; ufunc is its numpy name,
// used in errors) element-wise to a number, a list (a numpy array: nested lists of one
// length are 2-D, see ndarray.go), a Series or a DataFrame.
// Numbers of any kind (bool, int, float) give float64 (numpy gives float16 for bools:
// see Float16IfBool);
// domain problems give what f gives (NaN for math.Sqrt(-1), -Inf for math.Log(0)), never
// an error, as numpy only warns. A string raises numpy's TypeError "ufunc 'sqrt' not
// supported for the input types, …"; an object column (strings, or numbers held as
// objects) raises "loop of ufunc does not support argument 0 of type str which has no
// callable sqrt method", naming its first element's type; a list holding None or
// another non-number is such an object array, a list holding a string a string array.
func MapFloat(ufunc string, v any, f func(float64) float64) (any, error) {
	col := func(c Column) (Column, error) {
		switch c.DType {
		case Float64, Int64, Bool:
			src := c.AsFloat64().F
			out := make([]float64, len(src))
			for i, x := range src {
				out[i] = f(x)
			}
			return Floats(out), nil
		case Object:
			if len(c.O) == 0 {
				return Floats([]float64{}), nil
			}
			return Column{}, TypeError("loop of ufunc does not support argument 0 of type %s which has no callable %s method", PyTypeName(c.O[0]), ufunc)
		}
		return Column{}, ufuncNotSupported(ufunc)
	}
	if r, ok, err := elementwise(v, col); ok {
		return r, err
	}
	switch x := normInt(v).(type) {
	case float64, int64, bool:
		fv, _ := ToFloat(x)
		return f(fv), nil
	case []any:
		return mapList(x, col, func() error { return ufuncNotSupported(ufunc) },
			func(o []any) ([]any, error) { return nil, noCallable(ufunc, o[0]) })
	case string:
		return nil, ufuncNotSupported(ufunc)
	}
	return nil, noCallable(ufunc, v)
}

// Float16IfBool is a math ufunc's result on the scalar v as numpy types it: a lone bool
// computes in float16 (np.exp(True) is np.float16, a NumpyScalar hetida cannot write as
// JSON); anything else is returned unchanged.
func Float16IfBool(v, result any) any {
	if _, ok := v.(bool); ok {
		if f, ok := result.(float64); ok {
			return NumpyScalar{Type: "float16", V: f}
		}
	}
	return result
}

// noCallable is numpy's failure of a math ufunc on an object array: the first element has
// no method of the ufunc's name.
func noCallable(ufunc string, first any) error {
	return TypeError("loop of ufunc does not support argument 0 of type %s which has no callable %s method", PyTypeName(first), ufunc)
}

func ufuncNotSupported(ufunc string) error {
	return TypeError("ufunc '%s' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''", ufunc)
}

// Abs is Python's abs(): numbers (bool becomes int), element-wise on a Series or
// DataFrame keeping the dtype (int64 stays int64 and wraps at its minimum as numpy
// does; bool stays bool; NaN stays NaN), Python's abs per element of object columns
// (None raises like any other unsupported value). Other values raise TypeError "bad
// operand type for abs(): 'str'".
func Abs(v any) (any, error) {
	col := func(c Column) (Column, error) {
		switch c.DType {
		case Float64:
			out := make([]float64, len(c.F))
			for i, x := range c.F {
				out[i] = math.Abs(x)
			}
			return Floats(out), nil
		case Int64:
			out := make([]int64, len(c.I))
			for i, x := range c.I {
				if x < 0 {
					x = -x
				}
				out[i] = x
			}
			return Ints(out), nil
		case Bool:
			return c, nil
		case Timedeltas:
			out := make([]int64, len(c.I))
			for i, x := range c.I {
				if x < 0 && x != NaT {
					x = -x
				}
				out[i] = x
			}
			return TimedeltaCol(out), nil
		case Object:
			return objectUnary(c, pyAbs)
		}
		if c.Len() == 0 {
			return c, nil
		}
		return Column{}, BadOperandUnary("abs()", c.At(0))
	}
	if r, ok, err := elementwise(v, col); ok {
		return r, err
	}
	return pyAbs(v)
}

func pyAbs(v any) (any, error) {
	switch x := normInt(v).(type) {
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case int64:
		if x == math.MinInt64 {
			return nil, overflowError()
		}
		if x < 0 {
			return -x, nil
		}
		return x, nil
	case float64:
		return math.Abs(x), nil
	case Timedelta:
		if x.NS < 0 && x.NS != NaT {
			return Timedelta{NS: -x.NS}, nil
		}
		return x, nil
	}
	return nil, BadOperandUnary("abs()", v)
}

func objectUnary(c Column, f func(any) (any, error)) (Column, error) {
	out := make([]any, len(c.O))
	for i, x := range c.O {
		r, err := f(x)
		if err != nil {
			return Column{}, err
		}
		out[i] = r
	}
	return Objects(out), nil
}

// Neg is Python's unary minus: numbers (-True is -1), element-wise on a Series or
// DataFrame keeping the dtype, where pandas negates a bool column logically (~); object
// columns apply Python's minus per element. Other values raise TypeError "bad operand
// type for unary -: 'str'".
func Neg(v any) (any, error) {
	col := func(c Column) (Column, error) {
		switch c.DType {
		case Float64:
			out := make([]float64, len(c.F))
			for i, x := range c.F {
				out[i] = -x
			}
			return Floats(out), nil
		case Int64:
			out := make([]int64, len(c.I))
			for i, x := range c.I {
				out[i] = -x
			}
			return Ints(out), nil
		case Bool:
			out := make([]bool, len(c.B))
			for i, x := range c.B {
				out[i] = !x
			}
			return Bools(out), nil
		case Timedeltas:
			out := make([]int64, len(c.I))
			for i, x := range c.I {
				if x != NaT {
					x = -x
				}
				out[i] = x
			}
			return TimedeltaCol(out), nil
		case Object:
			return objectUnary(c, pyNeg)
		}
		if c.Len() == 0 {
			return c, nil
		}
		return Column{}, BadOperandUnary("unary -", c.At(0))
	}
	if r, ok, err := elementwise(v, col); ok {
		return r, err
	}
	return pyNeg(v)
}

func pyNeg(v any) (any, error) {
	switch x := normInt(v).(type) {
	case bool:
		if x {
			return int64(-1), nil
		}
		return int64(0), nil
	case int64:
		if x == math.MinInt64 {
			return nil, overflowError()
		}
		return -x, nil
	case float64:
		return -x, nil
	case Timedelta:
		if x.NS == NaT {
			return x, nil
		}
		return Timedelta{NS: -x.NS}, nil
	}
	return nil, BadOperandUnary("unary -", v)
}

// Sign is numpy's sign: -1, 0 or +1 in the input's dtype (int64 stays int64, float64
// gives -1.0/0.0/1.0 with NaN kept and -0.0 giving 0.0), element-wise on a Series, a
// DataFrame or a list (a numpy array, returned as a list). numpy has no sign for bools
// or strings: UFuncTypeError "ufunc 'sign' did not contain a loop with signature
// matching types <class 'numpy.dtypes.BoolDType'> -> None" (numpy 1.26's wording).
// Object values (an object column, a list holding None, a dict) go through numpy's
// object loop, which compares each with 0: numbers give their sign as Python numbers,
// anything else Python's TypeError "'<' not supported between instances of 'dict' and
// 'int'".
func Sign(v any) (any, error) {
	col := func(c Column) (Column, error) {
		switch c.DType {
		case Float64:
			out := make([]float64, len(c.F))
			for i, x := range c.F {
				out[i] = signFloat(x)
			}
			return Floats(out), nil
		case Int64:
			out := make([]int64, len(c.I))
			for i, x := range c.I {
				out[i] = int64(cmpInt(x, 0))
			}
			return Ints(out), nil
		case Bool:
			return Column{}, noSignLoop("BoolDType")
		case Object:
			return objectUnary(c, objectSign)
		}
		return Column{}, ufuncNotSupported("sign")
	}
	if r, ok, err := elementwise(v, col); ok {
		return r, err
	}
	switch x := normInt(v).(type) {
	case int64:
		return NumpyScalar{Type: "int64", V: int64(cmpInt(x, 0))}, nil // np.sign(5) is np.int64
	case float64:
		return signFloat(x), nil
	case bool:
		return nil, noSignLoop("BoolDType")
	case string:
		return nil, noSignLoop("StrDType")
	case []any:
		return mapList(x, col, func() error { return noSignLoop("StrDType") }, func(o []any) ([]any, error) {
			c, err := objectUnary(Objects(o), objectSign)
			return c.O, err
		})
	}
	return objectSign(v)
}

// objectSign is numpy's sign of one object element: Python numbers keep their type
// (a bool compares as 0 or 1 and gives an int), other values fail comparing with 0.
func objectSign(v any) (any, error) {
	switch x := normInt(v).(type) {
	case int64:
		return int64(cmpInt(x, 0)), nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case float64:
		return signFloat(x), nil
	}
	return nil, NotSupportedBetween("<", v, int64(0))
}

func signFloat(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	case x == 0:
		return 0
	}
	return x // NaN
}

func noSignLoop(dtype string) error {
	return &Error{Type: "UFuncTypeError", Message: "ufunc 'sign' did not contain a loop with signature matching types <class 'numpy.dtypes." + dtype + "'> -> None"}
}

// Round is Python's round(v, decimals), which means two algorithms:
//
//   - Python floats (and ints) round exactly: the binary value is rounded half to even
//     at the decimal position (round(2.675, 2) = 2.67, because 2.675 is stored as
//     2.67499999…; round(0.125, 2) = 0.12), negative decimals round to tens, hundreds;
//     an int stays an int (round(25, -1) = 20).
//   - Series and DataFrames use numpy's around: y = x·10^d (x / 10^-d for negative d),
//     rint(y) half to even, scaled back — the rounding happens on the scaled binary value,
//     so 2.675 gives 2.68 (2.675·100 = 267.49999999999997… rounds to 267.5 in binary,
//     then to even 268). int64 columns stay int64 (unchanged for d ≥ 0); NaN stays NaN.
//     DataFrames round their int and float columns and leave the others; a bool Series
//     raises numpy's UFuncTypeError.
func Round(v any, decimals int) (any, error) {
	switch x := v.(type) {
	case *Series:
		c, err := roundColumn(x.Values, decimals)
		if err != nil {
			return nil, err
		}
		return x.With(c), nil
	case *DataFrame:
		cols := make([]Column, len(x.Columns))
		for k, c := range x.Columns {
			if c.DType == Int64 || c.DType == Float64 {
				r, err := roundColumn(c, decimals)
				if err != nil {
					return nil, err
				}
				c = r
			}
			cols[k] = c
		}
		return &DataFrame{Index: x.Index, Names: x.Names, Columns: cols, Attrs: x.Attrs}, nil
	}
	switch x := normInt(v).(type) {
	case float64:
		return PyRound(x, decimals), nil
	case int64:
		return pyRoundInt(x, decimals)
	case bool:
		i, _ := pyInt(x)
		return pyRoundInt(i, decimals)
	}
	return nil, TypeError("type %s doesn't define __round__ method", PyTypeName(v))
}

func roundColumn(c Column, d int) (Column, error) {
	switch c.DType {
	case Float64:
		out := make([]float64, len(c.F))
		for i, x := range c.F {
			out[i] = NumpyRound(x, d)
		}
		return Floats(out), nil
	case Int64:
		if d >= 0 {
			return c, nil
		}
		out := make([]int64, len(c.I))
		for i, x := range c.I {
			out[i] = int64(NumpyRound(float64(x), d))
		}
		return Ints(out), nil
	case Bool:
		return Column{}, &Error{Type: "UFuncTypeError", Message: "Cannot cast ufunc 'multiply' output from dtype('float64') to dtype('bool') with casting rule 'same_kind'"}
	case Object:
		for _, x := range c.O {
			switch x.(type) {
			case string, []any:
				return Column{}, TypeError("can't multiply sequence by non-int of type 'float'")
			case nil:
				return Column{}, UnsupportedOperand("*", nil, 0.0)
			}
			return Column{}, TypeError("loop of ufunc does not support argument 0 of type %s which has no callable rint method", PyTypeName(x))
		}
		return c, nil
	}
	return Column{}, TypeError("unsupported operand type(s) for *: '%s' and 'float'", c.ScalarTypeName())
}

// powerOfTen is numpy's power_of_ten: exact table up to 1e8, then repeated ×10.
func powerOfTen(n int) float64 {
	p10 := [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8}
	if n < 9 {
		return p10[n]
	}
	r := 1e9
	for ; n > 9; n-- {
		r *= 10
	}
	return r
}

// NumpyRound is numpy's around for one float64 (see Round).
func NumpyRound(x float64, d int) float64 {
	if d >= 0 {
		f := powerOfTen(d)
		return math.RoundToEven(x*f) / f
	}
	f := powerOfTen(-d)
	return math.RoundToEven(x/f) * f
}

// PyRound is Python's round(x, d) for a float (see Round): exact decimal rounding, half
// to even, of the binary value; the sign of zero is kept; NaN and infinities are
// returned as they are.
func PyRound(x float64, d int) float64 {
	if x != x || math.IsInf(x, 0) || x == 0 || d > 323 {
		return x
	}
	if d < -308 {
		return math.Copysign(0, x)
	}
	r := new(big.Rat).SetFloat64(x)
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(absInt(d))), nil))
	if d >= 0 {
		r.Mul(r, scale)
	} else {
		r.Quo(r, scale)
	}
	n := ratRoundHalfEven(r)
	res := new(big.Rat).SetInt(n)
	if d >= 0 {
		res.Quo(res, scale)
	} else {
		res.Mul(res, scale)
	}
	f, _ := res.Float64()
	if f == 0 {
		return math.Copysign(0, x)
	}
	return f
}

func absInt(d int) int {
	if d < 0 {
		return -d
	}
	return d
}

// ratRoundHalfEven rounds a rational to the nearest integer, ties to even.
func ratRoundHalfEven(r *big.Rat) *big.Int {
	num, den := r.Num(), r.Denom()
	q, m := new(big.Int).QuoRem(num, den, new(big.Int)) // truncated toward zero
	twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
	c := twice.Cmp(den)
	if c > 0 || (c == 0 && q.Bit(0) == 1) {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

func pyRoundInt(x int64, d int) (any, error) {
	if d >= 0 {
		return x, nil
	}
	if d < -18 {
		return int64(0), nil
	}
	p := int64(1)
	for k := 0; k < -d; k++ {
		p *= 10
	}
	q, m := x/p, x%p
	if m < 0 {
		q, m = q-1, m+p
	}
	if 2*m > p || (2*m == p && q%2 != 0) {
		q++
	}
	r := q * p
	if r/p != q {
		return nil, overflowError()
	}
	return r, nil
}
