package data

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Offset is a pandas DateOffset parsed from a frequency string such as "180min", "1h30min",
// "5T", "D", "W-MON" or "2M". Tick offsets (days and below) have a fixed length in
// nanoseconds; calendar offsets (weeks anchored to a weekday, months, quarters, years,
// business days) do not. Arithmetic on calendar offsets is in offset.go.
type Offset struct {
	Str  string // the string it was parsed from
	Name string // canonical prefix of a calendar offset ("M", "W-SUN", …); "" for ticks
	N    int64  // pandas' offset.n: the multiple (of the calendar offset, or of the tick unit)

	nanos  int64   // length of a tick offset
	unit   byte    // tick unit: 'D', 'H', 'T', 'S', 'L', 'U' or 'N' (pandas' Tick subclass)
	kind   offKind // calendar kind
	anchor int8    // weekday (0 = Monday) of a week, month (1–12) of a quarter or year offset
}

// offKind is the pandas DateOffset class of a calendar offset.
type offKind uint8

const (
	kindTick offKind = iota
	kindWeek
	kindMonthEnd
	kindMonthBegin
	kindBMonthEnd
	kindBMonthBegin
	kindQuarterEnd
	kindQuarterBegin
	kindBQuarterEnd
	kindBQuarterBegin
	kindYearEnd
	kindYearBegin
	kindBYearEnd
	kindBYearBegin
	kindBusinessDay
	kindOther // known to pandas (SM, CBM, BH, …) but without arithmetic here
)

// calendarKinds maps pandas' offset prefixes to their classes; an optional "-SUFFIX"
// (W-MON, Q-DEC, …) is kept in the name.
var calendarKinds = map[string]offKind{
	"W": kindWeek, "M": kindMonthEnd, "MS": kindMonthBegin, "BM": kindBMonthEnd,
	"BMS": kindBMonthBegin, "Q": kindQuarterEnd, "QS": kindQuarterBegin, "BQ": kindBQuarterEnd,
	"BQS": kindBQuarterBegin, "A": kindYearEnd, "Y": kindYearEnd, "AS": kindYearBegin,
	"YS": kindYearBegin, "BA": kindBYearEnd, "BY": kindBYearEnd, "BAS": kindBYearBegin,
	"BYS": kindBYearBegin, "B": kindBusinessDay,
	"SM": kindOther, "SMS": kindOther, "CBM": kindOther, "CBMS": kindOther, "C": kindOther,
	"BH": kindOther, "CBH": kindOther,
}

// Fixed reports whether the offset has a fixed length (a pandas Tick).
func (o Offset) Fixed() bool { return o.Name == "" }

// Nanos returns the length of a fixed offset; calendar offsets fail with pandas' message.
func (o Offset) Nanos() (int64, error) {
	if !o.Fixed() {
		return 0, fmt.Errorf("<%s> is a non-fixed frequency", o.Name)
	}
	return o.nanos, nil
}

// IsDay reports whether o is a pandas Day tick ("D", "2D"; not "24H"): date_range and
// resample count Days on the wall clock of the index's zone, other ticks in absolute time.
func (o Offset) IsDay() bool { return o.Fixed() && o.unit == 'D' }

var tickNanos = map[string]int64{
	"D": nsPerDay, "H": nsPerHour, "T": nsPerMinute, "S": nsPerSecond,
	"L": 1e6, "U": 1e3, "N": 1,
}

// tickUnits orders the tick units from coarse to fine with their lengths.
var tickUnits = [...]struct {
	unit  byte
	nanos int64
	name  string
}{
	{'D', nsPerDay, "Day"}, {'H', nsPerHour, "Hour"}, {'T', nsPerMinute, "Minute"},
	{'S', nsPerSecond, "Second"}, {'L', 1e6, "Milli"}, {'U', 1e3, "Micro"}, {'N', 1, "Nano"},
}

func unitIndex(u byte) int {
	for i, t := range tickUnits {
		if t.unit == u {
			return i
		}
	}
	return len(tickUnits) - 1
}

// invalidFrequency is pandas' error for a string that is no frequency; built only on
// failure (ParseOffset runs for every rolling window).
func invalidFrequency(s string) error { return fmt.Errorf("Invalid frequency: %s", s) }

// ParseOffset parses a pandas frequency string (to_offset). It accepts a sequence of
// [sign][number]unit terms, e.g. "180min", "-4s", "1h30min", "1.5H", "17486.0S", "2D".
// Unit aliases follow pandas 2.1: D, H/h, T/min, S/s, L/ms, U/us, N/ns, plus calendar
// units (W[-DAY], M, MS, BM, BMS, Q/QS/BQ/BQS[-MON], A/Y/AS/YS/BA/BY/BAS/BYS[-MON], B, …).
// Invalid strings fail with pandas' "Invalid frequency: …" message.
//
// Ticks combine as pandas' do: a fractional number moves to the next finer unit until it
// is whole ("1.5H" is 90 minutes, "0.5s" 500 ms; no whole number of nanoseconds is
// invalid), the first term's sign applies to every later term (whose own sign multiplies
// in: "1h -30min" is 30 minutes), and terms of different units sum to the coarsest unit
// that divides the total ("1h30min" is 90 minutes, "1D1H" 25 hours).
func ParseOffset(s string) (Offset, error) {
	str := strings.TrimSpace(s)
	if str == "" {
		return Offset{}, invalidFrequency(s)
	}
	var tick Offset // the running sum of tick terms
	var cal *Offset
	terms := 0
	firstSign := int64(0)
	i := 0
	for i < len(str) {
		for i < len(str) && (str[i] == ' ' || str[i] == '\t') {
			i++
		}
		start := i
		if i < len(str) && (str[i] == '+' || str[i] == '-') {
			i++
		}
		for i < len(str) && (str[i] >= '0' && str[i] <= '9' || str[i] == '.') {
			i++
		}
		num := str[start:i]
		for i < len(str) && str[i] == ' ' {
			i++
		}
		ustart := i
		for i < len(str) && isLetter(str[i]) {
			i++
		}
		if i == ustart {
			return Offset{}, invalidFrequency(s)
		}
		unit := str[ustart:i]
		suffix := ""
		if i < len(str) && str[i] == '-' && i+1 < len(str) && isAlnum(str[i+1]) {
			j := i + 1
			for j < len(str) && (isAlnum(str[j]) || str[j] == '-') {
				j++
			}
			suffix = str[i:j]
			i = j
		}
		if num == "+" || num == "-" {
			return Offset{}, invalidFrequency(s) // float("-") fails in pandas
		}
		if num == "" {
			num = "1"
		}
		if firstSign == 0 {
			firstSign = 1
			if num[0] == '-' {
				firstSign = -1
			}
		}
		prefix := canonicalUnit(unit)
		if tn, ok := tickNanos[prefix]; ok && suffix == "" {
			stride, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return Offset{}, invalidFrequency(s)
			}
			t, ok := mulTickFloat(prefix[0], tn, stride)
			if !ok {
				return Offset{}, invalidFrequency(s)
			}
			if terms > 0 && firstSign < 0 {
				t.N, t.nanos = -t.N, -t.nanos
			}
			if terms == 0 {
				tick = t
			} else if tick, ok = addTicks(tick, t); !ok {
				return Offset{}, invalidFrequency(s)
			}
			terms++
			continue
		}
		terms++
		name := strings.ToUpper(unit)
		kind, known := calendarKinds[name]
		if !known || strings.Contains(num, ".") || cal != nil {
			return Offset{}, invalidFrequency(s)
		}
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			return Offset{}, invalidFrequency(s)
		}
		o, ok := calendarOffset(kind, name, strings.ToUpper(suffix), n)
		if !ok {
			return Offset{}, invalidFrequency(s)
		}
		cal = &o
	}
	if cal != nil {
		if terms > 1 {
			return Offset{}, invalidFrequency(s)
		}
		cal.Str = s
		return *cal, nil
	}
	tick.Str = s
	return tick, nil
}

var weekdayNames = [...]string{"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"}
var monthNames = [...]string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}

func lookupName(names []string, s string) int {
	for i, n := range names {
		if n == s {
			return i
		}
	}
	return -1
}

// calendarOffset builds a calendar offset from its prefix and "-SUFFIX"; ok is false for a
// suffix the class does not take (pandas: "Invalid frequency").
func calendarOffset(kind offKind, name, suffix string, n int64) (Offset, bool) {
	o := Offset{Name: name + suffix, N: n, kind: kind}
	sfx := strings.TrimPrefix(suffix, "-")
	switch kind {
	case kindWeek:
		o.anchor = 6 // "W" is W-SUN
		if sfx != "" {
			d := lookupName(weekdayNames[:], sfx)
			if d < 0 {
				return Offset{}, false
			}
			o.anchor = int8(d)
		}
		o.Name = "W-" + weekdayNames[o.anchor]
	case kindQuarterEnd, kindBQuarterEnd, kindYearEnd, kindBYearEnd,
		kindQuarterBegin, kindBQuarterBegin, kindYearBegin, kindBYearBegin:
		// the month pandas' _from_name uses when the suffix is missing
		o.anchor = 12
		if kind == kindQuarterBegin || kind == kindBQuarterBegin || kind == kindYearBegin || kind == kindBYearBegin {
			o.anchor = 1
		}
		if sfx != "" {
			m := lookupName(monthNames[:], sfx)
			if m < 0 {
				return Offset{}, false
			}
			o.anchor = int8(m + 1)
		}
	case kindOther:
	default:
		if sfx != "" {
			return Offset{}, false // "Bad freq suffix"
		}
	}
	return o, true
}

// mulTickFloat is pandas' Tick(1, unit) * float: a whole product keeps the unit, any other
// moves to the next finer unit and tries again; ok is false when even nanoseconds are not
// whole or the length overflows.
func mulTickFloat(unit byte, unitNanos int64, f float64) (Offset, bool) {
	ui := unitIndex(unit)
	n := 1.0
	for {
		p := f * n
		if math.IsInf(p, 0) || math.IsNaN(p) {
			return Offset{}, false
		}
		if frac := p - math.Floor(p); frac <= 1e-8 { // np.isclose(p % 1, 0)
			if math.Abs(p) > math.MaxInt64/2 {
				return Offset{}, false
			}
			return makeTick(tickUnits[ui].unit, int64(p)) // int() truncates
		}
		if ui == len(tickUnits)-1 {
			return Offset{}, false // "Could not convert to integer offset at any resolution"
		}
		n *= float64(tickUnits[ui].nanos / tickUnits[ui+1].nanos)
		ui++
	}
}

// makeTick is the Tick of n units; ok is false when its length overflows int64.
func makeTick(unit byte, n int64) (Offset, bool) {
	ns, ok := checkedMul(n, tickUnits[unitIndex(unit)].nanos)
	if !ok || ns > math.MaxInt64/2 || ns < -math.MaxInt64/2 {
		return Offset{}, false
	}
	return Offset{N: n, nanos: ns, unit: unit}, true
}

// addTicks is pandas' Tick + Tick: same units add their multiples, different units become
// the coarsest unit that divides the summed length (delta_to_tick).
func addTicks(a, b Offset) (Offset, bool) {
	if a.unit == b.unit {
		return makeTick(a.unit, a.N+b.N)
	}
	sum, ok := checkedAdd(a.nanos, b.nanos)
	if !ok {
		return Offset{}, false
	}
	return OffsetFromTimedelta(sum), true
}

// OffsetFromTimedelta is pandas' to_offset(Timedelta) (delta_to_tick): the tick of the
// coarsest unit that divides ns — whole days as Day, whole seconds as Hour, Minute or
// Second, otherwise Milli, Micro or Nano. Zero is Day(0), as in pandas.
func OffsetFromTimedelta(ns int64) Offset {
	var unit byte
	switch {
	case ns%nsPerDay == 0:
		unit = 'D'
	case ns%nsPerHour == 0:
		unit = 'H'
	case ns%nsPerMinute == 0:
		unit = 'T'
	case ns%nsPerSecond == 0:
		unit = 'S'
	case ns%1e6 == 0:
		unit = 'L'
	case ns%1e3 == 0:
		unit = 'U'
	default:
		unit = 'N'
	}
	return Offset{N: ns / tickUnits[unitIndex(unit)].nanos, nanos: ns, unit: unit}
}

// ruleCode is pandas' offset.rule_code: "T", "M", "W-SUN", "Q-DEC", "A-DEC", "AS-JAN", …
func (o Offset) ruleCode() string {
	switch o.kind {
	case kindTick:
		return string(o.unit)
	case kindWeek:
		return "W-" + weekdayNames[o.anchor]
	case kindMonthEnd:
		return "M"
	case kindMonthBegin:
		return "MS"
	case kindBMonthEnd:
		return "BM"
	case kindBMonthBegin:
		return "BMS"
	case kindQuarterEnd:
		return "Q-" + monthNames[o.anchor-1]
	case kindQuarterBegin:
		return "QS-" + monthNames[o.anchor-1]
	case kindBQuarterEnd:
		return "BQ-" + monthNames[o.anchor-1]
	case kindBQuarterBegin:
		return "BQS-" + monthNames[o.anchor-1]
	case kindYearEnd:
		return "A-" + monthNames[o.anchor-1]
	case kindYearBegin:
		return "AS-" + monthNames[o.anchor-1]
	case kindBYearEnd:
		return "BA-" + monthNames[o.anchor-1]
	case kindBYearBegin:
		return "BAS-" + monthNames[o.anchor-1]
	case kindBusinessDay:
		return "B"
	}
	return o.Name
}

// FreqStr is pandas 2.1's offset.freqstr: the multiple (when not 1) and the legacy rule
// code — to_offset("15min").freqstr is "15T", "2h" gives "2H", "17486.0S" "17486S",
// "1.5H" "90T", "0.5s" "500L", "Q" "Q-DEC", "A" "A-DEC", "W" "W-SUN".
func (o Offset) FreqStr() string {
	code := o.ruleCode()
	if o.N == 1 {
		return code
	}
	return strconv.FormatInt(o.N, 10) + code
}

// String is FreqStr.
func (o Offset) String() string { return o.FreqStr() }

// Repr is pandas' repr of the offset, used in its error messages: "<15 * Minutes>",
// "<Hour>", "<MonthEnd>", "<2 * MonthEnds>", "<Week: weekday=6>",
// "<QuarterEnd: startingMonth=12>", "<YearEnd: month=12>", "<BusinessDay>".
func (o Offset) Repr() string {
	var class, attrs string
	switch o.kind {
	case kindTick:
		class = tickUnits[unitIndex(o.unit)].name
	case kindWeek:
		class, attrs = "Week", fmt.Sprintf(": weekday=%d", o.anchor)
	case kindMonthEnd:
		class = "MonthEnd"
	case kindMonthBegin:
		class = "MonthBegin"
	case kindBMonthEnd:
		class = "BusinessMonthEnd"
	case kindBMonthBegin:
		class = "BusinessMonthBegin"
	case kindQuarterEnd:
		class = "QuarterEnd"
	case kindQuarterBegin:
		class = "QuarterBegin"
	case kindBQuarterEnd:
		class = "BusinessQuarterEnd"
	case kindBQuarterBegin:
		class = "BusinessQuarterBegin"
	case kindYearEnd:
		class = "YearEnd"
	case kindYearBegin:
		class = "YearBegin"
	case kindBYearEnd:
		class = "BYearEnd"
	case kindBYearBegin:
		class = "BYearBegin"
	case kindBusinessDay:
		class = "BusinessDay"
	default:
		return "<" + o.Name + ">"
	}
	switch o.kind {
	case kindQuarterEnd, kindQuarterBegin, kindBQuarterEnd, kindBQuarterBegin:
		attrs = fmt.Sprintf(": startingMonth=%d", o.anchor)
	case kindYearEnd, kindYearBegin, kindBYearEnd, kindBYearBegin:
		attrs = fmt.Sprintf(": month=%d", o.anchor)
	}
	plural, n := "", ""
	if o.N != 1 && o.N != -1 {
		plural = "s"
	}
	if o.N != 1 {
		n = strconv.FormatInt(o.N, 10) + " * "
	}
	return "<" + n + class + plural + attrs + ">"
}

func canonicalUnit(u string) string {
	switch u {
	case "min", "Min", "T", "t":
		return "T"
	case "ms", "L", "l":
		return "L"
	case "us", "U", "u":
		return "U"
	case "ns", "N", "n":
		return "N"
	case "MS":
		return "MS"
	}
	return strings.ToUpper(u)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool  { return isLetter(c) || c >= '0' && c <= '9' }

// MulTick returns a fixed offset's length times a (possibly fractional) number of
// periods, as pandas multiplies Ticks: 180min × -0.5 = -90min. The product is rounded to
// whole nanoseconds.
func MulTick(nanos int64, periods float64) int64 {
	return int64(math.Round(float64(nanos) * periods))
}
