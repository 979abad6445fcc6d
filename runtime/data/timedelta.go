package data

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
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

// timedeltaUnits is pandas' timedelta_abbrevs: unit spellings (lower case) in Timedelta
// strings and their canonical unit.
var timedeltaUnits = map[string]string{
	"w": "W", "d": "D", "days": "D", "day": "D",
	"hours": "h", "hour": "h", "hr": "h", "h": "h",
	"m": "m", "minute": "m", "min": "m", "minutes": "m", "t": "m",
	"s": "s", "seconds": "s", "sec": "s", "second": "s",
	"ms": "ms", "milliseconds": "ms", "millisecond": "ms", "milli": "ms", "millis": "ms", "l": "ms",
	"us": "us", "microseconds": "us", "microsecond": "us", "µs": "us", "micro": "us", "micros": "us", "u": "us",
	"ns": "ns", "nanoseconds": "ns", "nano": "ns", "nanos": "ns", "nanosecond": "ns", "n": "ns",
}

// unitNanos and unitDigits are pandas' precision_from_unit for nanosecond output: the
// unit's length and the decimals its fraction is rounded to (⌊log10(length)⌋).
var unitNanos = map[string]int64{
	"W": 7 * nsPerDay, "D": nsPerDay, "h": nsPerHour, "m": nsPerMinute, "s": nsPerSecond,
	"ms": 1e6, "us": 1e3, "ns": 1,
}
var unitDigits = map[string]int{"W": 14, "D": 13, "h": 12, "m": 10, "s": 9, "ms": 6, "us": 3, "ns": 0}

func errTimedeltaOverflow() error {
	return &Error{Type: "OverflowError", Message: "Python int too large to convert to C long"}
}

// ParseTimedelta is pd.Timedelta(s) / pd.to_timedelta(s) for a string, ported from pandas
// 2.1's parse_timedelta_string and parse_iso_format_string: number–unit terms ("15min",
// "1h30min", "1.5h", "2 days 3 hours", "-4s"; units W, D/days/day, h/hours/hr/H,
// m/min/minute/T, s/sec/S, ms/L/milliseconds, us/U, ns/N, case-insensitive), clock forms
// ("00:05:00", "1 days 02:00:00", "1 day 1:2:3.5"), a bare number as nanoseconds ("0"),
// and ISO 8601 durations ("P1DT2H", "-PT1M", "PT1.5S"). Only a leading minus sign is
// allowed; it applies up to a clock part ("-1 days 02:00:00" is −22 h, as in pandas).
// Fractions are rounded to the unit's precision and truncated to whole nanoseconds
// ("1.7ns" is 1 ns). "", "NaT" and "nan" give NaT. Invalid strings fail with pandas'
// ValueError texts ("unit abbreviation w/o a number", "invalid unit abbreviation: xyz",
// "Units 'M', 'Y' and 'y' do not represent unambiguous timedelta values and are not
// supported.", "Invalid ISO 8601 Duration format - P1Y", …); values beyond ±292 years
// fail with OverflowError.
func ParseTimedelta(s string) (Timedelta, error) {
	switch s {
	case "", "NaT", "nat", "NAT", "nan", "NaN", "NAN":
		return Timedelta{NS: NaT}, nil
	}
	var ns int64
	var err error
	if s[0] == 'P' || strings.HasPrefix(s, "-P") {
		ns, err = parseISODuration(s)
	} else {
		ns, err = parseTimedeltaString(s)
	}
	if err != nil {
		return Timedelta{NS: NaT}, err
	}
	return Timedelta{NS: ns}, nil
}

// tdAcc sums the parts of a Timedelta string without wrapping around.
type tdAcc struct {
	sum int64
	err error
}

func (a *tdAcc) add(v int64, neg bool) {
	if a.err != nil {
		return
	}
	if neg {
		v = -v
	}
	r, ok := checkedAdd(a.sum, v)
	if !ok {
		a.err = errTimedeltaOverflow()
		return
	}
	a.sum = r
}

// timedeltaFromSpec is pandas' timedelta_from_spec: number "." frac in unit.
func timedeltaFromSpec(number, frac, unit string) (int64, error) {
	if unit == "M" || unit == "Y" || unit == "y" {
		return 0, ValueError("Units 'M', 'Y' and 'y' do not represent unambiguous timedelta values and are not supported.")
	}
	canon, ok := timedeltaUnits[strings.ToLower(unit)]
	if !ok {
		return 0, ValueError("invalid unit abbreviation: %s", unit)
	}
	text := number + "." + frac
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, ValueError("could not convert string to float: %s", PyRepr(text))
	}
	return castFromUnit(f, canon)
}

// castFromUnit is pandas' cast_from_unit: the whole part times the unit plus the fraction
// rounded to the unit's precision, each truncated to nanoseconds.
func castFromUnit(f float64, unit string) (int64, error) {
	m := unitNanos[unit]
	if math.IsNaN(f) || math.Abs(f) >= 9.2e18 {
		return 0, errTimedeltaOverflow()
	}
	base := int64(f)
	frac := f - float64(base)
	if p := unitDigits[unit]; p > 0 {
		frac, _ = strconv.ParseFloat(strconv.FormatFloat(frac, 'f', p, 64), 64)
	}
	whole, ok := checkedMul(base, m)
	if !ok {
		return 0, errTimedeltaOverflow()
	}
	r, ok := checkedAdd(whole, int64(frac*float64(m)))
	if !ok {
		return 0, errTimedeltaOverflow()
	}
	return r, nil
}

// atoiPy is Python's int() of a digit string, with its error for the empty string.
func atoiPy(s string) (int64, error) {
	if s == "" {
		return 0, ValueError("invalid literal for int() with base 10: ''")
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errTimedeltaOverflow()
	}
	return v, nil
}

// parseTimedeltaString is pandas' parse_timedelta_string, state for state.
func parseTimedeltaString(ts string) (int64, error) {
	var (
		neg, haveDot, haveValue, haveHHMMSS bool
		currentUnit                         byte // 0, 'h', 'm', 's'
		acc                                 tdAcc
		number, frac, unit                  []byte
	)
	clock := func(digits []byte, m int64) error {
		v, err := atoiPy(string(digits))
		if err != nil {
			return err
		}
		r, ok := checkedMul(v, m)
		if !ok {
			return errTimedeltaOverflow()
		}
		acc.add(r, neg)
		return acc.err
	}
	spec := func() error {
		r, err := timedeltaFromSpec(string(number), string(frac), string(unit))
		if err != nil {
			return err
		}
		acc.add(r, neg)
		return acc.err
	}
	for _, c := range ts {
		switch {
		case c == ' ' || c == ',':
		case c == '+':
		case c == '-':
			if neg || haveValue || haveHHMMSS {
				return 0, ValueError("only leading negative signs are allowed")
			}
			neg = true
		case c >= '0' && c <= '9':
			switch {
			case haveDot:
				if len(unit) > 0 {
					number = append(number, byte(c))
					haveDot = false
				} else {
					frac = append(frac, byte(c))
				}
			case len(unit) == 0:
				number = append(number, byte(c))
			default:
				if err := spec(); err != nil {
					return 0, err
				}
				unit, number, frac = unit[:0], append(number[:0], byte(c)), frac[:0]
			}
		case c == ':':
			if haveValue {
				neg = false
			}
			if len(number) == 0 {
				return 0, ValueError("expecting hh:mm:ss format, received: %s", ts)
			}
			var m int64
			switch currentUnit {
			case 0:
				currentUnit, m = 'h', nsPerHour
			case 'h':
				currentUnit, m = 'm', nsPerMinute
			case 'm':
				currentUnit, m = 's', nsPerSecond
			default:
				m = nsPerSecond // pandas keeps the previous multiplier
			}
			if err := clock(number, m); err != nil {
				return 0, err
			}
			haveHHMMSS = true
			unit, number = unit[:0], number[:0]
		case c == '.':
			if len(number) > 0 && currentUnit != 0 {
				if currentUnit != 'm' {
					return 0, ValueError("expected hh:mm:ss format before .")
				}
				if err := clock(number, nsPerSecond); err != nil {
					return 0, err
				}
				haveValue = true
				unit, number, frac = unit[:0], number[:0], frac[:0]
			}
			haveDot = true
		default:
			unit = utf8.AppendRune(unit, c)
			haveValue = true
			haveDot = false
		}
	}
	switch {
	case haveDot && len(unit) > 0:
		if err := spec(); err != nil {
			return 0, err
		}
	case haveDot:
		if (len(number) > 0 || len(frac) > 0) && len(unit) == 0 && currentUnit == 0 {
			return 0, ValueError("no units specified")
		}
		var m int64
		switch n := len(frac); {
		case n > 0 && n <= 3:
			m = pow10(3-n) * 1e6
		case n > 3 && n <= 6:
			m = pow10(6-n) * 1e3
		case n > 6 && n <= 9:
			m = pow10(9 - n)
		default:
			m = 1
			if n > 9 {
				frac = frac[:9]
			}
		}
		if err := clock(frac, m); err != nil {
			return 0, err
		}
	case currentUnit != 0:
		if currentUnit != 'm' {
			return 0, ValueError("expected hh:mm:ss format")
		}
		if err := clock(number, nsPerSecond); err != nil {
			return 0, err
		}
	case len(unit) > 0:
		if len(number) == 0 {
			return 0, ValueError("unit abbreviation w/o a number")
		}
		if err := spec(); err != nil {
			return 0, err
		}
	case len(number) == 0:
		return 0, ValueError("symbols w/o a number")
	default:
		if haveValue {
			return 0, ValueError("have leftover units")
		}
		unit = append(unit[:0], "ns"...)
		if err := spec(); err != nil {
			return 0, err
		}
	}
	return acc.sum, nil
}

func pow10(n int) int64 {
	r := int64(1)
	for ; n > 0; n-- {
		r *= 10
	}
	return r
}

// parseISODuration is pandas' parse_iso_format_string (ISO 8601 durations such as
// "P1DT2H3M4.5S"; years and months are not durations and fail).
func parseISODuration(s string) (int64, error) {
	errISO := ValueError("Invalid ISO 8601 Duration format - %s", s)
	ts := s
	sign := int64(1)
	if ts[0] == '-' {
		sign = -1
		ts = ts[1:]
	}
	var (
		acc                     tdAcc
		p                       int
		decUnit                 = "ms"
		haveDot, haveValue, neg bool
		number                  []byte
		unit                    string
	)
	spec := func(u string) error {
		r, err := timedeltaFromSpec(string(number), "0", u)
		if err != nil {
			return err
		}
		acc.add(r, neg)
		return acc.err
	}
	for _, c := range ts {
		switch {
		case c >= '0' && c <= '9':
			haveValue = true
			if haveDot {
				if p == 3 && decUnit != "ns" {
					unit = decUnit
					switch decUnit {
					case "ms":
						decUnit = "us"
					case "us":
						decUnit = "ns"
					}
					p = 0
				}
				p++
			}
			if unit == "" {
				number = append(number, byte(c))
			} else {
				if err := spec(unit); err != nil {
					return 0, err
				}
				neg = false
				unit, number = "", append(number[:0], byte(c))
			}
		case c == 'P' || c == 'T' || c == '+':
		case c == '-':
			if neg || haveValue {
				return 0, errISO
			}
			neg = true
		case c == 'W' || c == 'D' || c == 'H' || c == 'M':
			if (c == 'H' || c == 'M') && len(number) > 2 {
				return 0, errISO
			}
			u := string(c)
			if c == 'M' {
				u = "min"
			}
			if err := spec(unit + u); err != nil {
				return 0, err
			}
			neg = false
			unit, number = "", number[:0]
		case c == '.':
			if len(number) > 0 {
				if err := spec("S"); err != nil {
					return 0, err
				}
				unit, number = "", number[:0]
			}
			haveDot = true
		case c == 'S':
			if haveDot {
				if len(number) == 0 || p > 3 {
					return 0, errISO
				}
				for pad := 3 - p; pad > 0; pad-- {
					number = append(number, '0')
				}
				if err := spec(decUnit); err != nil {
					return 0, err
				}
			} else if err := spec("S"); err != nil {
				return 0, err
			}
		default:
			return 0, errISO
		}
	}
	if !haveValue {
		return 0, errISO
	}
	return sign * acc.sum, nil
}

// Timedelta arithmetic. NaT propagates; results beyond the int64 range fail with
// Python's OverflowError; divisions by zero with ZeroDivisionError, as in pandas.

// Add is d + e.
func (d Timedelta) Add(e Timedelta) (Timedelta, error) {
	if d.IsNaT() || e.IsNaT() {
		return Timedelta{NS: NaT}, nil
	}
	r, ok := checkedAdd(d.NS, e.NS)
	if !ok {
		return Timedelta{NS: NaT}, errTimedeltaOverflow()
	}
	return Timedelta{NS: r}, nil
}

// Sub is d − e.
func (d Timedelta) Sub(e Timedelta) (Timedelta, error) {
	if e.IsNaT() {
		return Timedelta{NS: NaT}, nil
	}
	return d.Add(Timedelta{NS: -e.NS})
}

// Neg is −d.
func (d Timedelta) Neg() Timedelta {
	if d.IsNaT() {
		return d
	}
	return Timedelta{NS: -d.NS}
}

// Abs is abs(d).
func (d Timedelta) Abs() Timedelta {
	if d.NS < 0 {
		return d.Neg()
	}
	return d
}

// Mul is d * k for an integer k.
func (d Timedelta) Mul(k int64) (Timedelta, error) {
	if d.IsNaT() {
		return d, nil
	}
	r, ok := checkedMul(d.NS, k)
	if !ok {
		return Timedelta{NS: NaT}, errTimedeltaOverflow()
	}
	return Timedelta{NS: r}, nil
}

// MulFloat is d * f: pandas computes the product in float nanoseconds and truncates it
// toward zero; f NaN gives NaT.
func (d Timedelta) MulFloat(f float64) (Timedelta, error) {
	if d.IsNaT() || math.IsNaN(f) {
		return Timedelta{NS: NaT}, nil
	}
	p := float64(d.NS) * f
	if math.IsInf(p, 0) || math.Abs(p) >= 9.223372036854775e18 {
		return Timedelta{NS: NaT}, errTimedeltaOverflow()
	}
	return Timedelta{NS: int64(p)}, nil
}

// Div is d / e as a float (pandas' Timedelta / Timedelta); NaT gives NaN.
func (d Timedelta) Div(e Timedelta) (float64, error) {
	if d.IsNaT() || e.IsNaT() {
		return math.NaN(), nil
	}
	if e.NS == 0 {
		return 0, ZeroDivisionError("division by zero")
	}
	return float64(d.NS) / float64(e.NS), nil
}

// FloorDiv is d // e (Python's floored division); ok is false when either is NaT
// (pandas gives NaN).
func (d Timedelta) FloorDiv(e Timedelta) (q int64, ok bool, err error) {
	if d.IsNaT() || e.IsNaT() {
		return 0, false, nil
	}
	if e.NS == 0 {
		return 0, false, ZeroDivisionError("integer division or modulo by zero")
	}
	return floorDiv(d.NS, e.NS), true, nil
}

// Mod is d % e with Python's sign rule (the result has e's sign): hetida takes an offset
// modulo a window frequency this way ("-1min" % "5min" is 4 minutes).
func (d Timedelta) Mod(e Timedelta) (Timedelta, error) {
	if d.IsNaT() || e.IsNaT() {
		return Timedelta{NS: NaT}, nil
	}
	if e.NS == 0 {
		return Timedelta{NS: NaT}, ZeroDivisionError("integer division or modulo by zero")
	}
	return Timedelta{NS: floorMod(d.NS, e.NS)}, nil
}

// Days is pandas' .days: whole days, rounded toward −∞ (-4s has days −1).
func (d Timedelta) Days() int64 { return floorDiv(d.NS, nsPerDay) }

// Seconds is pandas' .seconds: the seconds component within the day, 0–86399 (whole days
// dropped, fractions truncated; -4s gives 86396). Not the total: see TotalSeconds.
func (d Timedelta) Seconds() int64 { return floorMod(d.NS, nsPerDay) / nsPerSecond }

// Microseconds is pandas' .microseconds: 0–999999 within the second.
func (d Timedelta) Microseconds() int64 { return floorMod(d.NS, nsPerSecond) / 1000 }

// Nanoseconds is pandas' .nanoseconds: 0–999 within the microsecond.
func (d Timedelta) Nanoseconds() int64 { return floorMod(d.NS, 1000) }

// TotalSeconds is pandas' total_seconds(): days·86400 + seconds + microseconds/1e6 in
// float64 (nanoseconds below a microsecond are dropped, as pandas does); NaN for NaT.
func (d Timedelta) TotalSeconds() float64 {
	if d.IsNaT() {
		return math.NaN()
	}
	return float64(d.Days()*86400+d.Seconds()) + float64(d.Microseconds())/1e6
}

// AddTimedelta is Timestamp + Timedelta (absolute time, any zone); NaT propagates;
// results outside 1677–2262 fail with OutOfBoundsDatetime.
func (t Timestamp) AddTimedelta(d Timedelta) (Timestamp, error) {
	if t.IsNaT() || d.IsNaT() {
		return Timestamp{NS: NaT, Zone: t.Zone}, nil
	}
	r, ok := checkedAdd(t.NS, d.NS)
	if !ok {
		return Timestamp{NS: NaT, Zone: t.Zone}, errOutOfBounds()
	}
	return Timestamp{NS: r, Zone: t.Zone}, nil
}

// Sub is Timestamp − Timestamp. Naive and aware values do not mix (pandas' TypeError
// "Cannot subtract tz-naive and tz-aware datetime-like objects."); aware values of any
// zones subtract as instants.
func (t Timestamp) Sub(u Timestamp) (Timedelta, error) {
	if t.IsNaT() || u.IsNaT() {
		return Timedelta{NS: NaT}, nil
	}
	if t.Zone.Aware != u.Zone.Aware {
		return Timedelta{NS: NaT}, TypeError("Cannot subtract tz-naive and tz-aware datetime-like objects.")
	}
	r, ok := checkedAdd(t.NS, -u.NS)
	if !ok {
		return Timedelta{NS: NaT}, errTimedeltaOverflow()
	}
	return Timedelta{NS: r}, nil
}

// AppendISODuration appends d as pandas' to_json(date_format="iso") writes a timedelta:
// "P<days>DT<h>H<m>M<s>[.<fraction>]S", days floored (−1 s is "P-1DT23H59M59S"), the
// fraction in groups of three digits as far as the last non-zero group.
func AppendISODuration(b []byte, ns int64) []byte {
	days := floorDiv(ns, nsPerDay)
	rem := ns - days*nsPerDay
	b = append(b, 'P')
	b = strconv.AppendInt(b, days, 10)
	b = append(b, 'D', 'T')
	b = strconv.AppendInt(b, rem/nsPerHour, 10)
	rem %= nsPerHour
	b = append(b, 'H')
	b = strconv.AppendInt(b, rem/nsPerMinute, 10)
	rem %= nsPerMinute
	b = append(b, 'M')
	b = strconv.AppendInt(b, rem/nsPerSecond, 10)
	frac := rem % nsPerSecond
	if frac != 0 {
		groups := [3]int64{frac / 1e6, frac / 1e3 % 1e3, frac % 1e3}
		last := 2
		for groups[last] == 0 {
			last--
		}
		b = append(b, '.')
		for _, g := range groups[:last+1] {
			b = append(b, byte('0'+g/100), byte('0'+g/10%10), byte('0'+g%10))
		}
	}
	return append(b, 'S')
}
