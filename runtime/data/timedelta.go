package data

import (
	"strconv"
)

// Timedelta is a pandas Timedelta: a signed duration in nanoseconds. NaT (the minimum
// int64) marks a missing one, as in numpy's timedelta64.
type Timedelta struct{ NS int64 }

// IsNaT reports whether d is missing.
func (d Timedelta) IsNaT() bool { return d.NS == NaT }

// String renders d as str(pd.Timedelta) does: "0 days 01:30:00", "-1 days +23:59:56",
// "1 days 02:00:00.500000"; fractional seconds with 6 digits, or 9 when nanoseconds are set.
func (d Timedelta) String() string {
	if d.IsNaT() {
		return "NaT"
	}
	return string(AppendTimedelta(nil, d.NS))
}

// AppendTimedelta appends ns in str(pd.Timedelta) form. Negative durations are split as
// pandas does: whole negative days plus a non-negative time of day.
func AppendTimedelta(b []byte, ns int64) []byte {
	days := floorDiv(ns, nsPerDay)
	rest := ns - days*nsPerDay
	b = strconv.AppendInt(b, days, 10)
	b = append(b, " days "...)
	if days < 0 && rest != 0 {
		b = append(b, '+')
	}
	h := rest / nsPerHour
	m := rest / nsPerMinute % 60
	s := rest / nsPerSecond % 60
	frac := rest % nsPerSecond
	b = append2(b, h)
	b = append(b, ':')
	b = append2(b, m)
	b = append(b, ':')
	b = append2(b, s)
	if frac != 0 {
		b = append(b, '.')
		digits, div := 6, int64(1000)
		if frac%1000 != 0 {
			digits, div = 9, 1
		}
		v := frac / div
		var tmp [9]byte
		for i := digits - 1; i >= 0; i-- {
			tmp[i] = byte('0' + v%10)
			v /= 10
		}
		b = append(b, tmp[:digits]...)
	}
	return b
}
