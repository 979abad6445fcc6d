package data

import (
	"math"
	"strconv"
	"strings"
)

// IsNumericIndex is pandas' is_numeric_dtype(index.dtype) for the dtypes a Column holds:
// integers, floats and booleans (numpy counts bool as numeric); datetimes, timedeltas
// and objects are not.
func IsNumericIndex(c Column) bool {
	switch c.DType {
	case Int64, Float64, Bool:
		return true
	}
	return false
}

// ToDatetime is pd.to_datetime(index) with its defaults (errors="raise", unit ns), as
// components call it on an index to make it a DatetimeIndex:
//
//   - Datetime: unchanged.
//   - Int64: nanoseconds since the epoch, naive (1 → 1970-01-01 00:00:00.000000001).
//   - Float64: pandas 1.5.3's (hetida's reference runtime) TypeError "Cannot convert
//     Float64Index to dtype datetime64[ns]; integer values are required for conversion"
//     — also for an empty index, which is what an empty JSON series has (pandas 2 reads
//     floats as epoch nanoseconds instead).
//   - Bool, Timedeltas: TypeError "dtype bool cannot be converted to datetime64[ns]".
//   - Object: element by element — None/NaN/"NaT"/"" are NaT, ISO 8601 strings parse as
//     pandas' fast ISO path (ParseISO), Timestamps stay, numbers are epoch nanoseconds;
//     other strings fail as in pandas 1.5.3 (DateStringError; dateutil's fallback for
//     non-ISO formats is not emulated), other values TypeError "<class 'bool'> is not
//     convertible to datetime". Naive and aware values do not mix (ValueError); aware
//     values of several UTC offsets become UTC (pandas keeps an object index of
//     datetimes there, see DESIGN.md).
func ToDatetime(c Column) (Column, error) {
	n := c.Len()
	switch c.DType {
	case Datetime:
		return c, nil
	case Int64:
		return Datetimes(c.I, Naive), nil
	case Float64:
		return Column{}, TypeError("Cannot convert Float64Index to dtype datetime64[ns]; integer values are required for conversion")
	case Bool, Timedeltas:
		return Column{}, TypeError("dtype %s cannot be converted to datetime64[ns]", c.DType)
	}
	out := make([]int64, n)
	var zone Zone
	sawNaive, sawAware, mixed := false, false, false
	note := func(z Zone) {
		if !z.Aware {
			sawNaive = true
			return
		}
		if sawAware && z != zone {
			mixed = true
		}
		sawAware, zone = true, z
	}
	for i, v := range c.O {
		switch x := normInt(v).(type) {
		case nil:
			out[i] = NaT
		case string:
			if x == "" || x == "NaT" || x == "nat" || x == "NAT" || x == "nan" || x == "NaN" {
				out[i] = NaT
				continue
			}
			ns, z, err := ParseISO(x)
			if err != nil {
				return Column{}, DateStringError(x, i)
			}
			out[i] = ns
			note(z)
		case Timestamp:
			out[i] = x.NS
			if x.NS != NaT {
				note(x.Zone)
			}
		case int64:
			out[i] = x
			sawNaive = true
		case float64:
			ns, err := floatToNS(x)
			if err != nil {
				return Column{}, err
			}
			out[i] = ns
			if ns != NaT {
				sawNaive = true
			}
		default:
			return Column{}, TypeError("<class '%s'> is not convertible to datetime", PyTypeName(v))
		}
	}
	if sawNaive && sawAware {
		return Column{}, ValueError("Cannot mix tz-aware with tz-naive values")
	}
	if mixed {
		zone = UTC
	}
	if !sawAware {
		zone = Naive
	}
	return Datetimes(out, zone), nil
}

// DateStringError is pandas 1.5.3's error for a string to_datetime cannot parse at
// position i: strings that do not look like a datetime (a, A, m, M, p, P, t, T and
// numbers below 1000 not starting with 0, as Python's float reads them) are a ValueError
// "Given date string 2 not likely a datetime present at position 0"; "0" and "00" are
// dateutil's ParserError "day is out of range for month: 0 …"; other strings dateutil's
// ParserError "Unknown string format: x present at position 0".
func DateStringError(x string, i int) error {
	at := " present at position " + strconv.Itoa(i)
	switch x {
	case "a", "A", "m", "M", "p", "P", "t", "T":
		return ValueError("Given date string %s not likely a datetime%s", x, at)
	case "0", "00":
		return &Error{Type: "ParserError", Message: "day is out of range for month: " + x + at}
	}
	if x[0] != '0' {
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil && f < 1000 &&
			!strings.ContainsAny(strings.ToLower(x), "nfx_") {
			return ValueError("Given date string %s not likely a datetime%s", x, at)
		}
	}
	return &Error{Type: "ParserError", Message: "Unknown string format: " + x + at}
}

func floatToNS(f float64) (int64, error) {
	if f != f {
		return NaT, nil
	}
	if math.IsInf(f, 0) || math.Abs(f) >= 9.223372036854775e18 {
		return 0, &Error{Type: "OutOfBoundsDatetime", Message: "cannot convert input with unit 'ns'"}
	}
	return int64(f), nil
}

// SecondsSinceFirst is (index - index[0]).total_seconds() for a DatetimeIndex: each
// label's distance from the first label in seconds (nanoseconds / 1e9, as pandas'
// total_seconds divides), NaN for NaT labels (all NaN when the first label is NaT). An
// empty index is numpy's IndexError "index 0 is out of bounds for axis 0 with size 0";
// other dtypes are pandas' TypeError for the subtraction.
func SecondsSinceFirst(c Column) ([]float64, error) {
	if c.DType != Datetime {
		return nil, TypeError("unsupported operand type(s) for -: '%s' and '%s'", c.IndexTypeName(), c.ScalarTypeName())
	}
	if len(c.I) == 0 {
		return nil, IndexError("index 0 is out of bounds for axis 0 with size 0")
	}
	first := c.I[0]
	out := make([]float64, len(c.I))
	for i, v := range c.I {
		if v == NaT || first == NaT {
			out[i] = math.NaN()
			continue
		}
		out[i] = float64(v-first) / 1e9
	}
	return out, nil
}
