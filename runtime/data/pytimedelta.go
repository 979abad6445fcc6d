package data

import (
	"fmt"
	"math"
)

// Python's datetime.timedelta taken into a pandas Timedelta (what Timestamp +
// datetime.timedelta(...) does): hetida's code builds timedeltas from days and from float
// seconds this way.

// maxPyDays is datetime.timedelta's bound on |days|.
const maxPyDays = 999999999

// PyTimedeltaDays is datetime.timedelta(days=n) as a Timedelta. More than 999999999 days
// fail with Python's OverflowError; a duration beyond the nanosecond range (±106751 days)
// with pandas' OutOfBoundsTimedelta.
func PyTimedeltaDays(n int64) (Timedelta, error) {
	if n > maxPyDays || n < -maxPyDays {
		return Timedelta{NS: NaT}, &Error{Type: "OverflowError", Message: fmt.Sprintf("days=%d; must have magnitude <= %d", n, maxPyDays)}
	}
	ns, ok := checkedMul(n, nsPerDay)
	if !ok || ns == NaT {
		return Timedelta{NS: NaT}, &Error{Type: "OutOfBoundsTimedelta", Message: fmt.Sprintf("Cannot cast %d days, 0:00:00 to unit='ns' without overflow.", n)}
	}
	return Timedelta{NS: ns}, nil
}

// PyTimedeltaSeconds is datetime.timedelta(seconds=s) as a Timedelta. Python keeps whole
// microseconds: CPython takes the integral seconds exactly, the fraction times 1e6 in
// float arithmetic, and rounds what is left below a microsecond half to even (so 1.5 µs
// becomes 2 µs and 0.5 µs 0). NaN fails with ValueError, ±Inf and more than 999999999
// days with OverflowError (Python's messages), a duration beyond the nanosecond range
// with pandas' OutOfBoundsTimedelta.
func PyTimedeltaSeconds(s float64) (Timedelta, error) {
	switch {
	case math.IsNaN(s):
		return Timedelta{NS: NaT}, ValueError("cannot convert float NaN to integer")
	case math.IsInf(s, 0):
		return Timedelta{NS: NaT}, &Error{Type: "OverflowError", Message: "cannot convert float infinity to integer"}
	case math.Abs(s) >= float64(maxPyDays+1)*86400:
		return Timedelta{NS: NaT}, &Error{Type: "OverflowError", Message: "Python int too large to convert to C int"}
	case math.Abs(s) >= 9.2e9: // beyond ±292 years: no nanosecond Timedelta holds it
		return Timedelta{NS: NaT}, &Error{Type: "OutOfBoundsTimedelta", Message: fmt.Sprintf("Cannot cast %s to unit='ns' without overflow.", PyFloat(s))}
	}
	whole, frac := math.Modf(s)
	us := int64(whole) * 1_000_000
	wholeUS, left := math.Modf(frac * 1e6)
	us += int64(wholeUS)
	if left != 0 {
		r := math.Round(left)
		if math.Abs(r-left) == 0.5 { // halfway: to the even total
			odd := float64(us & 1)
			r = 2*math.Round((left+odd)*0.5) - odd
		}
		us += int64(r)
	}
	ns, ok := checkedMul(us, 1000)
	if !ok || ns == NaT {
		return Timedelta{NS: NaT}, &Error{Type: "OutOfBoundsTimedelta", Message: fmt.Sprintf("Cannot cast %s to unit='ns' without overflow.", PyFloat(s))}
	}
	return Timedelta{NS: ns}, nil
}
