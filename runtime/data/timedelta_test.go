package data

import (
	"errors"
	"math"
	"testing"
)

// TestParseTimedelta: expectations are pd.Timedelta(s).value (checked with pandas; 1.5 and
// 2.1 agree except for the M/Y units, where 2.1 raises).
func TestParseTimedelta(t *testing.T) {
	const (
		us  = int64(1e3)
		ms  = int64(1e6)
		sec = int64(1e9)
		min = 60 * sec
		hr  = 60 * min
		day = 24 * hr
	)
	cases := []struct {
		in   string
		want int64
	}{
		{"15min", 15 * min},
		{"1h30min", 90 * min},
		{"0", 0}, // a bare number is nanoseconds
		{"-4s", -4 * sec},
		{"+5s", 5 * sec},
		{"1 days 02:00:00", day + 2*hr},
		{"-1 days +23:59:56", -4 * sec},   // str(pd.Timedelta("-4s"))
		{"-1 days 02:00:00", -day + 2*hr}, // the clock part is not negated (pandas)
		{"1 day", day},
		{"2 days 3 hours", 2*day + 3*hr},
		{"1 days, 2 hours", day + 2*hr}, // commas are skipped
		{"00:05:00", 5 * min},
		{"-00:05:00", -5 * min},
		{"1:2:3", hr + 2*min + 3*sec},
		{"00:00:01.5", 1500 * ms},
		{"00:00:01.123456789123", sec + 123456789}, // beyond 9 digits: dropped
		{"1 day 1:2:3.5", day + hr + 2*min + 3500*ms},
		{"1.5h", 90 * min},
		{"1.5 days", 36 * hr},
		{"0.1h", 6 * min},
		{"0.5ms", 500 * us},
		{"1.23456789123s", 1234567891}, // rounded to 9 decimals, then truncated
		{"1.7ns", 1},                   // truncated toward zero
		{"1..5s", 1500 * ms},           // pandas' state machine takes a second dot as nothing
		{"1 2s", 12 * sec},             // digits separated by a space join
		{"1W", 7 * day},
		{"1 w", 7 * day},
		{"1D", day}, {"1H", hr}, {"1T", min}, {"1S", sec}, {"1L", ms}, {"1U", us}, {"1N", 1},
		{"3 DAYS", 3 * day},
		{"1 hr", hr},
		{"1µs", us},
		{"1day2hours", day + 2*hr},
		{"P1DT2H", day + 2*hr},
		{"P1DT2H3M4.5S", day + 2*hr + 3*min + 4500*ms},
		{"PT1.123456S", sec + 123456*us},
		{"P1W", 7 * day},
		{"-P1D", -day},
		{"P-1D", -day},
		{"-PT1M", -min},
	}
	for _, c := range cases {
		got, err := ParseTimedelta(c.in)
		if err != nil || got.NS != c.want {
			t.Errorf("ParseTimedelta(%q) = %d, %v; want %d", c.in, got.NS, err, c.want)
		}
	}
	for _, in := range []string{"", "NaT", "nan", "NAN"} {
		if got, err := ParseTimedelta(in); err != nil || !got.IsNaT() {
			t.Errorf("ParseTimedelta(%q) = %v, %v; want NaT", in, got, err)
		}
	}
}

func TestParseTimedeltaErrors(t *testing.T) {
	cases := []struct{ in, typ, msg string }{
		{"abc", "ValueError", "unit abbreviation w/o a number"},
		{"h", "ValueError", "unit abbreviation w/o a number"},
		{".5s", "ValueError", "unit abbreviation w/o a number"},
		{"  ", "ValueError", "symbols w/o a number"},
		{"1.5", "ValueError", "no units specified"},
		{"--1s", "ValueError", "only leading negative signs are allowed"},
		{"1s-", "ValueError", "only leading negative signs are allowed"},
		{"1 days -01:00:00", "ValueError", "only leading negative signs are allowed"},
		{"10:00", "ValueError", "expected hh:mm:ss format"},
		{"1:2:3:4", "ValueError", "expected hh:mm:ss format"},
		{"1 days 00:05", "ValueError", "expected hh:mm:ss format"},
		{"1 days 1", "ValueError", "have leftover units"},
		{"1h1", "ValueError", "have leftover units"},
		{"5 xyz", "ValueError", "invalid unit abbreviation: xyz"},
		{"1e3s", "ValueError", "invalid unit abbreviation: e"},
		{"2 weeks", "ValueError", "invalid unit abbreviation: weeks"},
		{"p1d", "ValueError", "invalid unit abbreviation: p"},
		{"s5", "ValueError", "could not convert string to float: '.'"},
		{"01:02:03.", "ValueError", "invalid literal for int() with base 10: ''"},
		{"1 M", "ValueError", "Units 'M', 'Y' and 'y' do not represent unambiguous timedelta values and are not supported."},
		{"1Y", "ValueError", "Units 'M', 'Y' and 'y' do not represent unambiguous timedelta values and are not supported."},
		{"P", "ValueError", "Invalid ISO 8601 Duration format - P"},
		{"P1Y", "ValueError", "Invalid ISO 8601 Duration format - P1Y"},
		{"PT100H", "ValueError", "Invalid ISO 8601 Duration format - PT100H"},
		{"PT1.1234567891S", "ValueError", "Invalid ISO 8601 Duration format - PT1.1234567891S"},
		{"99999999 days", "OverflowError", "Python int too large to convert to C long"},
	}
	for _, c := range cases {
		got, err := ParseTimedelta(c.in)
		var e *Error
		if !errors.As(err, &e) || e.Type != c.typ || e.Message != c.msg {
			t.Errorf("ParseTimedelta(%q) = %v, %v; want %s: %s", c.in, got, err, c.typ, c.msg)
		}
	}
}

func TestTimedeltaComponents(t *testing.T) {
	cases := []struct {
		in                      string
		days, secs, micros, nss int64
		total                   float64
	}{
		// pandas: .days floors, .seconds is the 0–86399 component, total_seconds drops ns
		{"-4s", -1, 86396, 0, 0, -4},
		{"1 days 02:00:00.5", 1, 7200, 500000, 0, 93600.5},
		{"26h", 1, 7200, 0, 0, 93600},
		{"-1ns", -1, 86399, 999999, 999, -1.0000000000287557e-06},
		{"4h51m26s", 0, 17486, 0, 0, 17486},
	}
	for _, c := range cases {
		d, err := ParseTimedelta(c.in)
		if err != nil {
			t.Fatal(err)
		}
		if d.Days() != c.days || d.Seconds() != c.secs || d.Microseconds() != c.micros || d.Nanoseconds() != c.nss || d.TotalSeconds() != c.total {
			t.Errorf("%s: days %d seconds %d µs %d ns %d total %v; want %d %d %d %d %v", c.in,
				d.Days(), d.Seconds(), d.Microseconds(), d.Nanoseconds(), d.TotalSeconds(), c.days, c.secs, c.micros, c.nss, c.total)
		}
	}
	if !math.IsNaN((Timedelta{NS: NaT}).TotalSeconds()) {
		t.Error("NaT total seconds must be NaN")
	}
}

func TestTimedeltaArithmetic(t *testing.T) {
	const min = int64(60e9)
	five := Timedelta{NS: 5 * min}
	// hetida: frequency_offset % window_frequency, Python's sign rule: -1min % 5min = 4min
	if got, err := (Timedelta{NS: -min}).Mod(five); err != nil || got.NS != 4*min {
		t.Errorf("-1min %% 5min = %v, %v", got, err)
	}
	if got, err := (Timedelta{NS: 7 * min}).Mod(five); err != nil || got.NS != 2*min {
		t.Errorf("7min %% 5min = %v, %v", got, err)
	}
	if q, ok, err := (Timedelta{NS: -min}).FloorDiv(five); err != nil || !ok || q != -1 {
		t.Errorf("-1min // 5min = %d, %v, %v", q, ok, err)
	}
	if f, _ := (Timedelta{NS: 90 * min}).Div(Timedelta{NS: 60 * min}); f != 1.5 {
		t.Errorf("90min / 1h = %v", f)
	}
	if _, err := five.Div(Timedelta{}); err == nil || err.Error() != "ZeroDivisionError: division by zero" {
		t.Errorf("division by zero: %v", err)
	}
	if _, err := five.Mod(Timedelta{}); err == nil {
		t.Error("modulo by zero must fail")
	}
	// pandas multiplies in float nanoseconds and truncates: 5min * 0.3333 = 99.99 s
	if got, _ := five.MulFloat(0.3333); got.NS != 99990000000 {
		t.Errorf("5min * 0.3333 = %d", got.NS)
	}
	if got, _ := five.MulFloat(math.NaN()); !got.IsNaT() {
		t.Error("Timedelta * NaN is NaT")
	}
	if got, err := five.Mul(3); err != nil || got.NS != 15*min {
		t.Errorf("5min * 3 = %v, %v", got, err)
	}
	if _, err := five.Mul(math.MaxInt64 / 2); err == nil || err.Error() != "OverflowError: Python int too large to convert to C long" {
		t.Errorf("overflow: %v", err)
	}
	if got, _ := five.Add(Timedelta{NS: NaT}); !got.IsNaT() {
		t.Error("NaT propagates through Add")
	}
	if got, _ := five.Sub(Timedelta{NS: 6 * min}); got.NS != -min || got.Abs().NS != min || got.Neg().NS != min {
		t.Errorf("5min − 6min = %v", got)
	}
	a := Timestamp{NS: jan2020, Zone: UTC}
	b, err := a.AddTimedelta(five)
	if err != nil || b.NS != jan2020+5*min || b.Zone != UTC {
		t.Errorf("Timestamp + 5min = %+v, %v", b, err)
	}
	if d, err := b.Sub(a); err != nil || d != five {
		t.Errorf("Timestamp − Timestamp = %v, %v", d, err)
	}
	if _, err := b.Sub(Timestamp{NS: jan2020}); err == nil || err.Error() != "TypeError: Cannot subtract tz-naive and tz-aware datetime-like objects." {
		t.Errorf("naive − aware: %v", err)
	}
}
