package data

import (
	"errors"
	"math"
	"strconv"
)

// NaT marks a missing timestamp in a Datetime column, as numpy's NaT does.
const NaT int64 = math.MinInt64

// Zone is the time zone of a datetime index or column: naive (no zone, like a pandas
// datetime64[ns] without tz) or aware with a fixed offset from UTC in seconds.
// Aware values are stored as UTC nanoseconds and render in UTC ("…Z") in pandas JSON.
type Zone struct {
	Aware  bool
	Offset int32 // seconds east of UTC; only meaningful when Aware
}

// Common zones.
var (
	Naive = Zone{}
	UTC   = Zone{Aware: true}
)

// IsUTC reports whether z is aware with offset zero.
func (z Zone) IsUTC() bool { return z.Aware && z.Offset == 0 }

// Timestamp is a single point in time: nanoseconds since the Unix epoch (UTC for aware
// zones, wall clock for naive ones) and its zone.
type Timestamp struct {
	NS   int64
	Zone Zone
}

// IsNaT reports whether t is missing.
func (t Timestamp) IsNaT() bool { return t.NS == NaT }

const (
	nsPerSecond = int64(1e9)
	nsPerMinute = 60 * nsPerSecond
	nsPerHour   = 60 * nsPerMinute
	nsPerDay    = 24 * nsPerHour
)

// daysFromCivil converts a proleptic Gregorian date to days since 1970-01-01
// (Howard Hinnant's algorithm; exact for the whole int64 nanosecond range).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int64) {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return
}

// Civil splits nanoseconds since the epoch into calendar fields.
func Civil(ns int64) (year, month, day, hour, min, sec, nano int64) {
	days := floorDiv(ns, nsPerDay)
	rem := ns - days*nsPerDay
	year, month, day = civilFromDays(days)
	hour = rem / nsPerHour
	rem -= hour * nsPerHour
	min = rem / nsPerMinute
	rem -= min * nsPerMinute
	sec = rem / nsPerSecond
	nano = rem - sec*nsPerSecond
	return
}

// FromCivil is the inverse of Civil; ok is false when the result overflows int64.
func FromCivil(year, month, day, hour, min, sec, nano int64) (int64, bool) {
	days := daysFromCivil(year, month, day)
	// int64 nanoseconds cover 1677-09-21 .. 2262-04-11.
	if days < -106752 || days > 106751 {
		return 0, false
	}
	ns := days*nsPerDay + hour*nsPerHour + min*nsPerMinute + sec*nsPerSecond + nano
	if (days > 0 && ns < 0) || (days < 0 && ns > 0) {
		return 0, false
	}
	return ns, true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// ErrNotISO is returned by ParseISO for strings that are not ISO 8601 timestamps.
var ErrNotISO = errors.New("not an ISO 8601 timestamp")

// ParseISO parses an ISO 8601 date or date-time as pandas' fast ISO path does:
// YYYY-MM-DD, optionally followed by T or a space and HH:MM[:SS[.fraction]] and a zone
// designator Z, ±HH:MM, ±HHMM or ±HH. It returns nanoseconds since the epoch (UTC for
// aware values) and the zone.
func ParseISO(s string) (int64, Zone, error) {
	n := len(s)
	if n < 10 || s[4] != '-' || s[7] != '-' {
		return 0, Zone{}, ErrNotISO
	}
	year, ok1 := digits(s, 0, 4)
	month, ok2 := digits(s, 5, 2)
	day, ok3 := digits(s, 8, 2)
	if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return 0, Zone{}, ErrNotISO
	}
	var hour, minute, sec, nano int64
	i := 10
	if i < n && (s[i] == 'T' || s[i] == ' ' || s[i] == 't') {
		i++
		var ok bool
		if hour, ok = digits(s, i, 2); !ok || hour > 23 || i+5 > n || s[i+2] != ':' {
			return 0, Zone{}, ErrNotISO
		}
		if minute, ok = digits(s, i+3, 2); !ok || minute > 59 {
			return 0, Zone{}, ErrNotISO
		}
		i += 5
		if i < n && s[i] == ':' {
			if sec, ok = digits(s, i+1, 2); !ok || sec > 59 {
				return 0, Zone{}, ErrNotISO
			}
			i += 3
			if i < n && (s[i] == '.' || s[i] == ',') {
				i++
				start := i
				scale := int64(1e8)
				for i < n && s[i] >= '0' && s[i] <= '9' {
					if scale > 0 {
						nano += int64(s[i]-'0') * scale
						scale /= 10
					}
					i++
				}
				if i == start {
					return 0, Zone{}, ErrNotISO
				}
			}
		}
	}
	ns, ok := FromCivil(year, month, day, hour, minute, sec, nano)
	if !ok {
		return 0, Zone{}, ErrNotISO
	}
	if i == n {
		return ns, Naive, nil
	}
	switch s[i] {
	case 'Z', 'z':
		if i+1 != n {
			return 0, Zone{}, ErrNotISO
		}
		return ns, UTC, nil
	case '+', '-':
		sign := int64(1)
		if s[i] == '-' {
			sign = -1
		}
		rest := s[i+1:]
		var oh, om int64
		var ok bool
		switch len(rest) {
		case 2:
			oh, ok = digits(rest, 0, 2)
		case 4:
			oh, ok = digits(rest, 0, 2)
			if ok {
				om, ok = digits(rest, 2, 2)
			}
		case 5:
			if rest[2] != ':' {
				return 0, Zone{}, ErrNotISO
			}
			oh, ok = digits(rest, 0, 2)
			if ok {
				om, ok = digits(rest, 3, 2)
			}
		}
		if !ok || oh > 23 || om > 59 {
			return 0, Zone{}, ErrNotISO
		}
		off := sign * (oh*3600 + om*60)
		return ns - off*nsPerSecond, Zone{Aware: true, Offset: int32(off)}, nil
	}
	return 0, Zone{}, ErrNotISO
}

func digits(s string, at, n int) (int64, bool) {
	if at+n > len(s) {
		return 0, false
	}
	var v int64
	for i := at; i < at+n; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

func daysIn(y, m int64) int64 {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// AppendPandasJSON appends t as pandas' to_json(date_format="iso", date_unit="ms") writes
// it: millisecond precision, aware values in UTC with a "Z", naive values without suffix.
func AppendPandasJSON(b []byte, ns int64, z Zone) []byte {
	y, mo, d, h, mi, s, nano := Civil(ns)
	b = appendDate(b, y, mo, d)
	b = append(b, 'T')
	b = append2(b, h)
	b = append(b, ':')
	b = append2(b, mi)
	b = append(b, ':')
	b = append2(b, s)
	b = append(b, '.')
	ms := nano / 1e6
	b = append(b, byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	if z.Aware {
		b = append(b, 'Z')
	}
	return b
}

// AppendISOFormat appends t as Python's datetime.isoformat() renders it (what plotly and
// str() of a timestamp give): microseconds only when non-zero, nanoseconds dropped, and
// the zone's offset for aware values (local wall time plus "+HH:MM").
func AppendISOFormat(b []byte, ns int64, z Zone) []byte {
	local := ns
	if z.Aware {
		local += int64(z.Offset) * nsPerSecond
	}
	y, mo, d, h, mi, s, nano := Civil(local)
	b = appendDate(b, y, mo, d)
	b = append(b, 'T')
	b = append2(b, h)
	b = append(b, ':')
	b = append2(b, mi)
	b = append(b, ':')
	b = append2(b, s)
	if us := nano / 1000; us != 0 {
		b = append(b, '.')
		for div := int64(100000); div > 0; div /= 10 {
			b = append(b, byte('0'+us/div%10))
		}
	}
	if z.Aware {
		b = appendOffset(b, int64(z.Offset))
	}
	return b
}

// ISOFormat is AppendISOFormat as a string.
func ISOFormat(ns int64, z Zone) string { return string(AppendISOFormat(nil, ns, z)) }

func appendDate(b []byte, y, m, d int64) []byte {
	if y >= 0 && y < 10000 {
		b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	} else {
		b = strconv.AppendInt(b, y, 10)
	}
	b = append(b, '-')
	b = append2(b, m)
	b = append(b, '-')
	return append2(b, d)
}

func append2(b []byte, v int64) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

// PandasString renders t as str(pd.Timestamp) does: "2020-01-01 00:00:00" (naive),
// "2020-01-01 00:00:00+00:00" (aware, wall time of its zone), fractional seconds with 6
// digits when microseconds are set, 9 when nanoseconds are.
func (t Timestamp) PandasString() string {
	if t.IsNaT() {
		return "NaT"
	}
	local := t.NS
	if t.Zone.Aware {
		local += int64(t.Zone.Offset) * nsPerSecond
	}
	y, mo, d, h, mi, s, nano := Civil(local)
	b := appendDate(make([]byte, 0, 32), y, mo, d)
	b = append(b, ' ')
	b = append2(b, h)
	b = append(b, ':')
	b = append2(b, mi)
	b = append(b, ':')
	b = append2(b, s)
	if nano != 0 {
		b = append(b, '.')
		digits, v := 6, nano/1000
		if nano%1000 != 0 {
			digits, v = 9, nano
		}
		var tmp [9]byte
		for i := digits - 1; i >= 0; i-- {
			tmp[i] = byte('0' + v%10)
			v /= 10
		}
		b = append(b, tmp[:digits]...)
	}
	if t.Zone.Aware {
		b = appendOffset(b, int64(t.Zone.Offset))
	}
	return string(b)
}

// appendOffset appends a UTC offset in seconds as "+HH:MM" (":SS" when not whole minutes).
func appendOffset(b []byte, off int64) []byte {
	if off < 0 {
		b = append(b, '-')
		off = -off
	} else {
		b = append(b, '+')
	}
	b = append2(b, off/3600)
	b = append(b, ':')
	b = append2(b, off/60%60)
	if off%60 != 0 {
		b = append(b, ':')
		b = append2(b, off%60)
	}
	return b
}
