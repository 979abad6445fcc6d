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
// business days) do not.
type Offset struct {
	Str   string // the string it was parsed from
	Name  string // canonical prefix of a calendar offset ("M", "W-SUN", …); "" for ticks
	N     int64  // multiple of a calendar offset
	nanos int64  // length of a tick offset
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

var tickNanos = map[string]int64{
	"D": nsPerDay, "H": nsPerHour, "T": nsPerMinute, "S": nsPerSecond,
	"L": 1e6, "U": 1e3, "N": 1,
}

// calendar prefixes pandas knows; an optional "-SUFFIX" (W-MON, Q-DEC, …) is kept.
var calendarPrefixes = map[string]bool{
	"W": true, "M": true, "MS": true, "SM": true, "SMS": true, "BM": true, "BMS": true,
	"CBM": true, "CBMS": true, "B": true, "C": true, "BH": true, "CBH": true,
	"Q": true, "QS": true, "BQ": true, "BQS": true, "A": true, "AS": true, "Y": true,
	"YS": true, "BA": true, "BAS": true, "BY": true, "BYS": true,
}

// invalidFrequency is pandas' error for a string that is no frequency; built only on
// failure (ParseOffset runs for every rolling window).
func invalidFrequency(s string) error { return fmt.Errorf("Invalid frequency: %s", s) }

// ParseOffset parses a pandas frequency string (to_offset). It accepts a sequence of
// [sign][number]unit terms, e.g. "180min", "-4s", "1h30min", "1.5H", "17486.0S", "2D".
// Unit aliases follow pandas 2.1: D, H/h, T/min, S/s, L/ms, U/us, N/ns, plus calendar
// units. Invalid strings fail with pandas' "Invalid frequency: …" message.
func ParseOffset(s string) (Offset, error) {
	str := strings.TrimSpace(s)
	if str == "" {
		return Offset{}, invalidFrequency(s)
	}
	var total int64
	var cal *Offset
	terms := 0
	signSeen := 0
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
		sign := int64(1)
		if strings.HasPrefix(num, "-") {
			sign = -1
		}
		if signSeen == 0 {
			signSeen = int(sign)
		}
		digits := strings.TrimLeft(num, "+-")
		if digits == "" {
			digits = "1"
		}
		prefix := canonicalUnit(unit)
		terms++
		if tn, ok := tickNanos[prefix]; ok && suffix == "" {
			f, err := strconv.ParseFloat(digits, 64)
			if err != nil {
				return Offset{}, invalidFrequency(s)
			}
			ns := f * float64(tn)
			if math.Abs(ns) > math.MaxInt64/2 {
				return Offset{}, invalidFrequency(s)
			}
			total += int64(math.Round(ns)) * int64(signSeen)
			continue
		}
		name := strings.ToUpper(unit)
		if !calendarPrefixes[name] || strings.Contains(digits, ".") || cal != nil {
			return Offset{}, invalidFrequency(s)
		}
		n, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			return Offset{}, invalidFrequency(s)
		}
		full := name + strings.ToUpper(suffix)
		if name == "W" && suffix == "" {
			full = "W-SUN"
		}
		cal = &Offset{Name: full, N: n * int64(signSeen)}
	}
	if cal != nil {
		if terms > 1 {
			return Offset{}, invalidFrequency(s)
		}
		cal.Str = s
		return *cal, nil
	}
	return Offset{Str: s, nanos: total}, nil
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
	up := strings.ToUpper(u)
	switch up {
	case "D", "H", "S":
		return up
	}
	return up
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool  { return isLetter(c) || c >= '0' && c <= '9' }

// MulTick returns a fixed offset's length times a (possibly fractional) number of
// periods, as pandas multiplies Ticks: 180min × -0.5 = -90min. The product is rounded to
// whole nanoseconds.
func MulTick(nanos int64, periods float64) int64 {
	return int64(math.Round(float64(nanos) * periods))
}
