package data

import (
	"errors"
	"math"
	"strconv"
	"sync"
	"time"
)

// NaT marks a missing timestamp in a Datetime column, as numpy's NaT does.
const NaT int64 = math.MinInt64

// Zone is the time zone of a datetime index or column: naive (no zone, like a pandas
// datetime64[ns] without tz), aware with a fixed offset from UTC in seconds, or aware with
// an IANA zone (Loc, from LoadZone) whose offset changes with daylight saving time.
// Aware values are stored as UTC nanoseconds and render in UTC ("…Z") in pandas JSON.
// The zero value is Naive; fixed offsets need no lookup (the fast path everywhere).
type Zone struct {
	Aware  bool
	Offset int32 // seconds east of UTC; only meaningful when Aware and Loc is nil
	// Loc is an IANA zone such as Europe/Berlin; nil for naive and fixed-offset zones.
	// LoadZone returns one shared *time.Location per name, so zones compare with ==.
	Loc *time.Location
}

// Common zones.
var (
	Naive = Zone{}
	UTC   = Zone{Aware: true}
)

// IsUTC reports whether z is aware with offset zero (the UTC zone, not an IANA zone that
// happens to have offset zero).
func (z Zone) IsUTC() bool { return z.Aware && z.Offset == 0 && z.Loc == nil }

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
	b = appendClock(b, 'T', h, mi, s)
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
	off := z.OffsetAt(ns)
	y, mo, d, h, mi, s, nano := Civil(ns + off*nsPerSecond)
	b = appendDate(b, y, mo, d)
	b = appendClock(b, 'T', h, mi, s)
	b = appendMicros(b, nano/1000)
	if z.Aware {
		b = appendOffset(b, off)
	}
	return b
}

// appendMicros appends isoformat's fraction of a second: "." and six digits, nothing for 0.
func appendMicros(b []byte, us int64) []byte {
	if us == 0 {
		return b
	}
	b = append(b, '.')
	for div := int64(100000); div > 0; div /= 10 {
		b = append(b, byte('0'+us/div%10))
	}
	return b
}

// UTCSeconds appends instants given in microseconds as AppendISOFormat(b, us*1000, UTC)
// does, rendering the date and time of day once for all instants of one second: the
// fourteen instants of an execution response usually share theirs. The zero value is
// ready to use.
type UTCSeconds struct {
	sec   int64
	n     int      // bytes of clock, 0 before the first instant
	clock [24]byte // the second's date and time of day
}

// Append appends the instant us.
func (c *UTCSeconds) Append(b []byte, us int64) []byte {
	sec := floorDiv(us, 1e6)
	if c.n == 0 || sec != c.sec {
		y, mo, d, h, mi, s, _ := Civil(sec * nsPerSecond)
		t := appendClock(appendDate(c.clock[:0], y, mo, d), 'T', h, mi, s)
		if len(t) > len(c.clock) {
			return AppendISOFormat(b, us*1000, UTC) // did not fit (cannot happen within int64 ns)
		}
		c.sec, c.n = sec, len(t)
	}
	b = append(b, c.clock[:c.n]...)
	b = appendMicros(b, us-sec*1e6)
	return appendOffset(b, 0)
}

// AppendTimestampISOFormat appends t as pandas' Timestamp.isoformat() renders it: as
// AppendISOFormat, but with all nine digits when the nanoseconds are not whole
// microseconds (pd.Timestamp(123456789123456784).isoformat() is
// '1973-11-29T21:33:09.123456784').
func AppendTimestampISOFormat(b []byte, ns int64, z Zone) []byte {
	off := z.OffsetAt(ns)
	y, mo, d, h, mi, sec, nano := Civil(ns + off*nsPerSecond)
	if nano%1000 == 0 {
		return AppendISOFormat(b, ns, z)
	}
	b = appendDate(b, y, mo, d)
	b = appendClock(b, 'T', h, mi, sec)
	b = append(b, '.')
	for div := int64(100000000); div > 0; div /= 10 {
		b = append(b, byte('0'+nano/div%10))
	}
	if z.Aware {
		b = appendOffset(b, off)
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

// appendClock appends sep and the time of day as HH:MM:SS.
func appendClock(b []byte, sep byte, h, mi, s int64) []byte {
	return append(b, sep, byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10),
		':', byte('0'+s/10), byte('0'+s%10))
}

func append2(b []byte, v int64) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

// PandasString renders t as str(pd.Timestamp) does: "2020-01-01 00:00:00" (naive),
// "2020-01-01 00:00:00+00:00" (aware, wall time of its zone), fractional seconds with 6
// digits when microseconds are set, 9 when nanoseconds are.
func (t Timestamp) PandasString() string {
	if t.IsNaT() {
		return "NaT"
	}
	off := t.Zone.OffsetAt(t.NS)
	y, mo, d, h, mi, s, nano := Civil(t.NS + off*nsPerSecond)
	b := appendDate(make([]byte, 0, 32), y, mo, d)
	b = appendClock(b, ' ', h, mi, s)
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
		b = appendOffset(b, off)
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

// zoneCache holds one *time.Location per IANA name so that Zones of the same name compare
// equal with ==.
var zoneCache sync.Map // string → *time.Location

// LoadZone returns the zone named like pandas' tz= argument: "UTC" (the fixed UTC zone)
// or an IANA name such as "Europe/Berlin" (read from the system's zoneinfo, or from Go's
// embedded copy when the binary imports time/tzdata). Unknown names fail as pytz does:
// UnknownTimeZoneError: 'Mars/Olympus'.
func LoadZone(name string) (Zone, error) {
	switch name {
	case "UTC", "utc", "Etc/UTC", "Z":
		return UTC, nil
	case "", "Local":
		return Zone{}, &Error{Type: "UnknownTimeZoneError", Message: PyRepr(name)}
	}
	if loc, ok := zoneCache.Load(name); ok {
		return Zone{Aware: true, Loc: loc.(*time.Location)}, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return Zone{}, &Error{Type: "UnknownTimeZoneError", Message: PyRepr(name)}
	}
	actual, _ := zoneCache.LoadOrStore(name, loc)
	return Zone{Aware: true, Loc: actual.(*time.Location)}, nil
}

// Name is the zone's name as pandas prints tz: "" for naive, "UTC", "UTC+01:00" for a
// fixed offset, the IANA name otherwise.
func (z Zone) Name() string {
	switch {
	case !z.Aware:
		return ""
	case z.Loc != nil:
		return z.Loc.String()
	case z.Offset == 0:
		return "UTC"
	}
	return string(appendOffset([]byte("UTC"), int64(z.Offset)))
}

// OffsetAt is the zone's offset from UTC in seconds at the UTC instant ns: 0 for naive
// zones, the fixed offset, or the IANA zone's offset then (daylight saving included).
func (z Zone) OffsetAt(ns int64) int64 {
	if !z.Aware {
		return 0
	}
	if z.Loc == nil || ns == NaT {
		return int64(z.Offset)
	}
	_, off := time.Unix(0, ns).In(z.Loc).Zone()
	return int64(off)
}

// ToLocal converts a stored value (UTC nanoseconds for aware zones) to wall-clock
// nanoseconds in the zone, as tz_localize(None) does; naive values and NaT are returned
// as they are.
func (z Zone) ToLocal(ns int64) int64 {
	if ns == NaT || !z.Aware {
		return ns
	}
	return ns + z.OffsetAt(ns)*nsPerSecond
}

// Ambiguous says how FromLocal resolves a wall time that occurs twice (the hour a
// daylight-saving zone falls back): pandas' tz_localize(ambiguous=…).
type Ambiguous uint8

const (
	AmbiguousRaise    Ambiguous = iota // 'raise': AmbiguousTimeError
	AmbiguousDST                       // True: the first occurrence (offset before the change)
	AmbiguousStandard                  // False: the second occurrence (offset after the change)
	AmbiguousNaT                       // 'NaT'
)

// Nonexistent says how FromLocal resolves a wall time skipped by a daylight-saving
// change: pandas' tz_localize(nonexistent=…).
type Nonexistent uint8

const (
	NonexistentRaise         Nonexistent = iota // 'raise': NonExistentTimeError
	NonexistentShiftForward                     // 'shift_forward': the next whole hour
	NonexistentShiftBackward                    // 'shift_backward': 1 ns before the gap's hour
	NonexistentNaT                              // 'NaT'
)

// FromLocal is tz_localize: it converts wall-clock nanoseconds in the zone to the stored
// value (UTC nanoseconds for aware zones). Naive zones and NaT pass through; fixed offsets
// subtract the offset. For IANA zones a wall time may occur twice or not at all around a
// daylight-saving change; amb and nonex choose as pandas does (shift_forward goes to the
// next whole hour of wall time, shift_backward to one nanosecond before the current hour,
// as pandas assumes hour-aligned gaps). The errors are pandas' (pytz's)
// AmbiguousTimeError and NonExistentTimeError.
func (z Zone) FromLocal(wall int64, amb Ambiguous, nonex Nonexistent) (int64, error) {
	if wall == NaT || !z.Aware {
		return wall, nil
	}
	if z.Loc == nil {
		return wall - int64(z.Offset)*nsPerSecond, nil
	}
	first, second, n := z.candidates(wall)
	switch {
	case n == 1:
		return first, nil
	case n >= 2:
		switch amb {
		case AmbiguousDST:
			return first, nil
		case AmbiguousStandard:
			return second, nil
		case AmbiguousNaT:
			return NaT, nil
		}
		return 0, &Error{Type: "AmbiguousTimeError", Message: "Cannot infer dst time from " + Timestamp{NS: wall}.PandasString() + ", try using the 'ambiguous' argument"}
	}
	rem := floorMod(wall, nsPerHour)
	var shifted int64
	switch nonex {
	case NonexistentShiftForward:
		shifted = wall + (nsPerHour - rem)
	case NonexistentShiftBackward:
		shifted = wall - rem - 1
	case NonexistentNaT:
		return NaT, nil
	default:
		return 0, &Error{Type: "NonExistentTimeError", Message: Timestamp{NS: wall}.PandasString()}
	}
	if first, _, n := z.candidates(shifted); n > 0 {
		return first, nil
	}
	// a gap that is not hour-aligned: the instant the gap ends (forward) or 1 ns before
	_, off := time.Unix(0, wall-z.OffsetAt(wall-nsPerDay)*nsPerSecond).In(z.Loc).Zone()
	start, _ := time.Unix(0, wall-int64(off)*nsPerSecond).In(z.Loc).ZoneBounds()
	if nonex == NonexistentShiftBackward {
		return start.UnixNano() - 1, nil
	}
	return start.UnixNano(), nil
}

// candidates returns the UTC instants (ascending) whose wall time in z is wall, and how
// many there are (0 in a gap, 2 in an overlap). Offsets in effect a day around the wall
// time are the only ones tried, which covers every real zone's transitions.
func (z Zone) candidates(wall int64) (first, second int64, n int) {
	var offs [3]int64
	k := 0
	for _, probe := range [3]int64{satAdd(wall, -nsPerDay), wall, satAdd(wall, nsPerDay)} {
		o := z.OffsetAt(probe)
		dup := false
		for _, p := range offs[:k] {
			dup = dup || p == o
		}
		if !dup {
			offs[k] = o
			k++
		}
	}
	for _, o := range offs[:k] {
		u := wall - o*nsPerSecond
		if z.OffsetAt(u) != o {
			continue
		}
		switch {
		case n == 0:
			first = u
		case u < first:
			first, second = u, first
		case n == 1 || u < second:
			second = u
		}
		n++
	}
	return first, second, n
}

func satAdd(a, b int64) int64 {
	c := a + b
	if (b > 0 && c < a) || (b < 0 && c > a) {
		if b > 0 {
			return math.MaxInt64
		}
		return math.MinInt64 + 1
	}
	return c
}

// floorMod is Python's a % b: the remainder takes the sign of b.
func floorMod(a, b int64) int64 {
	m := a % b
	if m != 0 && (m < 0) != (b < 0) {
		m += b
	}
	return m
}

// Localize is FromLocal with pandas' default tz_localize arguments (ambiguous='raise',
// nonexistent='raise').
func (z Zone) Localize(wall int64) (int64, error) {
	return z.FromLocal(wall, AmbiguousRaise, NonexistentRaise)
}

// FloorTo is Timestamp.floor(freq) for a fixed frequency of freq nanoseconds: the largest
// multiple of freq not after the value, counted from the Unix epoch on the zone's wall
// clock (for UTC and naive values that is the stored value itself); the result is
// localized back with pandas' defaults, so an IANA zone can fail with
// AmbiguousTimeError/NonExistentTimeError. Formula (Python's floored modulo, also for
// negative epochs): t − t mod freq. NaT stays NaT; freq 0 fails with pandas' "Division
// by zero in rounding"; a result outside the int64 range fails with OutOfBoundsDatetime.
func FloorTo(ns int64, zone Zone, freq int64) (int64, error) {
	return roundTo(ns, zone, freq, roundFloor)
}

// CeilTo is Timestamp.ceil(freq): the smallest multiple of freq not before the value
// (t when t mod freq = 0, else t + freq − t mod freq), on the wall clock as FloorTo.
func CeilTo(ns int64, zone Zone, freq int64) (int64, error) {
	return roundTo(ns, zone, freq, roundCeil)
}

// RoundTo is Timestamp.round(freq): the nearest multiple of freq on the wall clock, ties
// to the even multiple (pandas' NEAREST_HALF_EVEN; for an odd freq there are no ties and
// pandas computes ceil(t − freq//2)).
func RoundTo(ns int64, zone Zone, freq int64) (int64, error) {
	return roundTo(ns, zone, freq, roundHalfEven)
}

type roundMode uint8

const (
	roundFloor roundMode = iota
	roundCeil
	roundHalfEven
)

func roundTo(ns int64, zone Zone, freq int64, mode roundMode) (int64, error) {
	if ns == NaT {
		return NaT, nil
	}
	if freq == 0 {
		return 0, ValueError("Division by zero in rounding")
	}
	v := zone.ToLocal(ns)
	r, ok := roundInt(v, freq, mode)
	if !ok {
		return 0, &Error{Type: "OutOfBoundsDatetime", Message: "Cannot round " + Timestamp{NS: ns, Zone: zone}.PandasString() + " to freq=" + OffsetFromTimedelta(freq).Repr() + " without overflow"}
	}
	return zone.Localize(r)
}

// roundInt rounds v to a multiple of unit as pandas' round_nsint64 (Python's floored
// modulo; ok is false on int64 overflow, where pandas raises).
func roundInt(v, unit int64, mode roundMode) (int64, bool) {
	switch mode {
	case roundFloor:
		return checkedAdd(v, -floorMod(v, unit))
	case roundCeil:
		return ceilInt(v, unit)
	}
	half := unit / 2
	if unit%2 != 0 {
		s, ok := checkedAdd(v, -half)
		if !ok {
			return 0, false
		}
		return ceilInt(s, unit)
	}
	q := floorDiv(v, unit)
	rem := floorMod(v, unit)
	if rem > half || (rem == half && q%2 != 0) {
		q++
	}
	return checkedMul(q, unit)
}

func ceilInt(v, unit int64) (int64, bool) {
	rem := floorMod(v, unit)
	if rem == 0 {
		return v, true
	}
	return checkedAdd(v, unit-rem)
}

// checkedAdd adds without wrapping; NaT (the minimum int64) counts as overflow.
func checkedAdd(a, b int64) (int64, bool) {
	c := a + b
	if (b > 0 && c < a) || (b < 0 && c > a) || c == NaT {
		return 0, false
	}
	return c, true
}

// checkedMul multiplies without wrapping; NaT counts as overflow.
func checkedMul(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if c/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) || c == NaT {
		return 0, false
	}
	return c, true
}

// Floor is Timestamp.floor(freq) for an offset; calendar offsets fail with pandas'
// "<MonthEnd> is a non-fixed frequency".
func (t Timestamp) Floor(freq Offset) (Timestamp, error) { return t.round(freq, roundFloor) }

// Ceil is Timestamp.ceil(freq) for an offset.
func (t Timestamp) Ceil(freq Offset) (Timestamp, error) { return t.round(freq, roundCeil) }

// Round is Timestamp.round(freq) for an offset (ties to even).
func (t Timestamp) Round(freq Offset) (Timestamp, error) { return t.round(freq, roundHalfEven) }

func (t Timestamp) round(freq Offset, mode roundMode) (Timestamp, error) {
	if !freq.Fixed() {
		return Timestamp{}, ValueError("%s is a non-fixed frequency", freq.Repr())
	}
	ns, err := roundTo(t.NS, t.Zone, freq.nanos, mode)
	return Timestamp{NS: ns, Zone: t.Zone}, err
}

// RhythmFloor snaps t onto the "rhythm" offset + k·freq (k integer, counted from the
// epoch) at or before t: (t − offset).floor(freq) + offset, as hetida's moving-window and
// gap components compute it. Both freq and offset are nanoseconds; the rounding runs on
// the zone's wall clock like FloorTo.
func RhythmFloor(ns int64, zone Zone, freq, offset int64) (int64, error) {
	return rhythm(ns, zone, freq, offset, roundFloor)
}

// RhythmCeil is (t − offset).ceil(freq) + offset: the first rhythm point at or after t.
func RhythmCeil(ns int64, zone Zone, freq, offset int64) (int64, error) {
	return rhythm(ns, zone, freq, offset, roundCeil)
}

func rhythm(ns int64, zone Zone, freq, offset int64, mode roundMode) (int64, error) {
	if ns == NaT {
		return NaT, nil
	}
	r, err := roundTo(ns-offset, zone, freq, mode)
	if err != nil {
		return 0, err
	}
	return r + offset, nil
}

// Normalize is Timestamp.normalize(): midnight of the value's wall-clock day, localized
// back with pandas' defaults (a zone whose DST change happens at midnight can fail).
func Normalize(ns int64, zone Zone) (int64, error) {
	if ns == NaT {
		return NaT, nil
	}
	v := zone.ToLocal(ns)
	return zone.Localize(v - floorMod(v, nsPerDay))
}

// AppendPandasJSONQuoted appends the timestamps of ns as quoted AppendPandasJSON strings
// (NaT as null), each preceded by a comma except the first when first is true. Consecutive
// values on the same day share one civil-date computation: a minute-spaced series spends
// most of its encoding time there otherwise.
func AppendPandasJSONQuoted(b []byte, ns []int64, z Zone, first bool) []byte {
	var date [16]byte
	dateLen := 0
	prevDay := int64(math.MinInt64)
	for i, v := range ns {
		if i > 0 || !first {
			b = append(b, ',')
		}
		if v == NaT {
			b = append(b, "null"...)
			continue
		}
		day := floorDiv(v, nsPerDay)
		if day != prevDay {
			y, m, d := civilFromDays(day)
			dateLen = len(appendDate(date[:0], y, m, d))
			prevDay = day
		}
		rem := v - day*nsPerDay
		h := rem / nsPerHour
		rem -= h * nsPerHour
		mi := rem / nsPerMinute
		rem -= mi * nsPerMinute
		s := rem / nsPerSecond
		ms := (rem - s*nsPerSecond) / 1e6
		b = append(b, '"')
		b = append(b, date[:dateLen]...)
		b = appendClock(b, 'T', h, mi, s)
		b = append(b, '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
		if z.Aware {
			b = append(b, 'Z')
		}
		b = append(b, '"')
	}
	return b
}
