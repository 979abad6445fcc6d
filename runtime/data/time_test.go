package data

import (
	"errors"
	"math"
	"strings"
	"testing"
	_ "time/tzdata" // the zone tests must not depend on the machine's zoneinfo
)

// epoch seconds of 2020-01-01T00:00:00Z
const jan2020 = int64(1577836800) * 1e9

func TestParseISO(t *testing.T) {
	const sec = int64(1e9)
	cases := []struct {
		in   string
		ns   int64
		zone Zone
	}{
		{"2020-01-01", jan2020, Naive},
		{"2020-01-01T01:15:27.000Z", jan2020 + 4527*sec, UTC},
		{"2020-01-01T01:15:27Z", jan2020 + 4527*sec, UTC},
		{"2020-01-01t01:15:27z", jan2020 + 4527*sec, UTC},
		{"2020-01-01 01:15:27", jan2020 + 4527*sec, Naive},
		{"2020-01-01T01:15", jan2020 + 4500*sec, Naive},
		{"2020-01-01T01:15:27.5", jan2020 + 4527*sec + 5e8, Naive},
		{"2020-01-01T01:15:27,25", jan2020 + 4527*sec + 25e7, Naive},
		{"2020-01-01T01:15:27.123456789", jan2020 + 4527*sec + 123456789, Naive},
		{"2020-01-01T01:15:27.1234567891", jan2020 + 4527*sec + 123456789, Naive}, // beyond ns: dropped
		// aware values are stored in UTC; the zone keeps the offset
		{"2020-01-01T01:15:27+01:00", jan2020 + 927*sec, Zone{Aware: true, Offset: 3600}},
		{"2020-01-01T01:15:27+00:00", jan2020 + 4527*sec, UTC},
		{"2020-01-01T01:15:27+0130", jan2020 + 4527*sec - 5400*sec, Zone{Aware: true, Offset: 5400}},
		{"2020-01-01T01:15:27-05", jan2020 + 4527*sec + 5*3600*sec, Zone{Aware: true, Offset: -18000}},
		{"2020-01-01Z", jan2020, UTC},
		{"2020-02-29", jan2020 + 59*86400*sec, Naive},
		{"1970-01-01T00:00:00Z", 0, UTC},
		{"1969-12-31T23:59:59.999Z", -1e6, UTC},
		{"2262-04-11T00:00:00", 9223286400 * sec, Naive},
	}
	for _, c := range cases {
		ns, z, err := ParseISO(c.in)
		if err != nil {
			t.Errorf("ParseISO(%q): %v", c.in, err)
			continue
		}
		if ns != c.ns || z != c.zone {
			t.Errorf("ParseISO(%q) = %d, %+v; want %d, %+v", c.in, ns, z, c.ns, c.zone)
		}
	}
}

func TestParseISOErrors(t *testing.T) {
	for _, in := range []string{
		"", "2020", "2020-1-01", "20200101", "2020/01/01", "2019-02-29", "2020-13-01", "2020-00-10",
		"2020-04-31", "2020-01-01T", "2020-01-01T1", "2020-01-01T24:00", "2020-01-01T01:60",
		"2020-01-01T01:15:60", "2020-01-01T01:15:27.", "2020-01-01T01:15:27Zx", "2020-01-01T01:15:27+1",
		"2020-01-01T01:15:27+01:0", "2020-01-01T01:15:27+24:00", "2020-01-01T01:15:27 UTC",
		"1600-01-01", "2263-01-01", "abcd-ef-gh", "1577836800000",
	} {
		if ns, z, err := ParseISO(in); !errors.Is(err, ErrNotISO) {
			t.Errorf("ParseISO(%q) = %d, %+v, %v; want ErrNotISO", in, ns, z, err)
		}
	}
}

func TestAppendPandasJSON(t *testing.T) {
	cases := []struct {
		ns   int64
		zone Zone
		want string
	}{
		{0, UTC, "1970-01-01T00:00:00.000Z"},
		{0, Naive, "1970-01-01T00:00:00.000"},
		{jan2020 + 4527e9 + 123456789, UTC, "2020-01-01T01:15:27.123Z"}, // truncated to ms
		{jan2020 + 999999, Naive, "2020-01-01T00:00:00.000"},
		{-1, Naive, "1969-12-31T23:59:59.999"},
		{-1e6, UTC, "1969-12-31T23:59:59.999Z"},
		// a fixed-offset value renders in UTC
		{jan2020, Zone{Aware: true, Offset: 3600}, "2020-01-01T00:00:00.000Z"},
	}
	for _, c := range cases {
		if got := string(AppendPandasJSON([]byte("x"), c.ns, c.zone)); got != "x"+c.want {
			t.Errorf("AppendPandasJSON(%d, %+v) = %q; want %q", c.ns, c.zone, got, "x"+c.want)
		}
	}
}

func TestAppendISOFormat(t *testing.T) {
	cases := []struct {
		ns   int64
		zone Zone
		want string
	}{
		{jan2020 + 4527e9, UTC, "2020-01-01T01:15:27+00:00"},
		{jan2020 + 4527e9, Naive, "2020-01-01T01:15:27"},
		{jan2020 + 4527e9 + 123456789, UTC, "2020-01-01T01:15:27.123456+00:00"}, // ns dropped
		{jan2020 + 1000, Naive, "2020-01-01T00:00:00.000001"},
		{jan2020 + 999, Naive, "2020-01-01T00:00:00"}, // below a microsecond: no fraction
		{jan2020 + 5e8, UTC, "2020-01-01T00:00:00.500000+00:00"},
		// aware values show local wall time and their offset
		{jan2020, Zone{Aware: true, Offset: 3600}, "2020-01-01T01:00:00+01:00"},
		{jan2020, Zone{Aware: true, Offset: -19800}, "2019-12-31T18:30:00-05:30"},
		{-1e9, UTC, "1969-12-31T23:59:59+00:00"},
	}
	for _, c := range cases {
		if got := ISOFormat(c.ns, c.zone); got != c.want {
			t.Errorf("ISOFormat(%d, %+v) = %q; want %q", c.ns, c.zone, got, c.want)
		}
	}
}

// Civil and FromCivil are inverses over the whole nanosecond range.
func TestCivilRoundTrip(t *testing.T) {
	for _, ns := range []int64{0, -1, 1, jan2020, -jan2020, 9223286400e9, -9223286400e9 + 1, 951782400e9 /* 2000-02-29 */} {
		y, mo, d, h, mi, s, nano := Civil(ns)
		back, ok := FromCivil(y, mo, d, h, mi, s, nano)
		if !ok || back != ns {
			t.Errorf("FromCivil(Civil(%d)) = %d, %t", ns, back, ok)
		}
	}
	if y, mo, d, _, _, _, _ := Civil(951782400e9); y != 2000 || mo != 2 || d != 29 {
		t.Errorf("Civil(2000-02-29) = %d-%d-%d", y, mo, d)
	}
}

func berlin(t *testing.T) Zone {
	t.Helper()
	z, err := LoadZone("Europe/Berlin")
	if err != nil {
		t.Fatalf("LoadZone(Europe/Berlin): %v", err)
	}
	return z
}

func TestLoadZone(t *testing.T) {
	b := berlin(t)
	if b2, _ := LoadZone("Europe/Berlin"); b2 != b {
		t.Errorf("two loads of Europe/Berlin differ: %+v %+v", b, b2)
	}
	if z, err := LoadZone("UTC"); err != nil || z != UTC {
		t.Errorf("LoadZone(UTC) = %+v, %v; want the fixed UTC zone", z, err)
	}
	for _, name := range []string{"Mars/Olympus", "", "Local"} {
		_, err := LoadZone(name)
		var e *Error
		if !errors.As(err, &e) || e.Type != "UnknownTimeZoneError" || e.Message != PyRepr(name) {
			t.Errorf("LoadZone(%q) error = %v; want UnknownTimeZoneError: %s", name, err, PyRepr(name))
		}
	}
	// CET is +01:00 in winter, CEST +02:00 in summer
	if off := b.OffsetAt(jan2020); off != 3600 {
		t.Errorf("Berlin offset in January = %d; want 3600", off)
	}
	const jul2020 = jan2020 + 182*86400*1e9
	if off := b.OffsetAt(jul2020); off != 7200 {
		t.Errorf("Berlin offset in July = %d; want 7200", off)
	}
	if got, want := ISOFormat(jul2020, b), "2020-07-01T02:00:00+02:00"; got != want {
		t.Errorf("ISOFormat in Berlin = %q; want %q", got, want)
	}
	if got, want := (Timestamp{NS: jan2020, Zone: b}).PandasString(), "2020-01-01 01:00:00+01:00"; got != want {
		t.Errorf("PandasString in Berlin = %q; want %q", got, want)
	}
	if b.IsUTC() || b.Name() != "Europe/Berlin" || UTC.Name() != "UTC" || Naive.Name() != "" {
		t.Errorf("names: %q %q %q", b.Name(), UTC.Name(), Naive.Name())
	}
	if got := (Zone{Aware: true, Offset: -19800}).Name(); got != "UTC-05:30" {
		t.Errorf("fixed offset name = %q", got)
	}
}

func TestFromLocal(t *testing.T) {
	b := berlin(t)
	const h = int64(3600e9)
	// 2021-03-28: Berlin skips 02:00–03:00 (01:00 UTC is 03:00 CEST)
	spring, _ := FromCivil(2021, 3, 28, 2, 30, 0, 0) // wall 02:30, does not exist
	springUTC, _ := FromCivil(2021, 3, 28, 1, 0, 0, 0)
	// 2021-10-31: Berlin repeats 02:00–03:00 (00:30 UTC is 02:30 CEST, 01:30 UTC 02:30 CET)
	autumn, _ := FromCivil(2021, 10, 31, 2, 30, 0, 0)
	autumnUTC, _ := FromCivil(2021, 10, 31, 0, 30, 0, 0)
	noon, _ := FromCivil(2021, 3, 28, 12, 0, 0, 0)
	cases := []struct {
		name  string
		zone  Zone
		wall  int64
		amb   Ambiguous
		nonex Nonexistent
		want  int64
		err   string
	}{
		{"naive passes through", Naive, noon, AmbiguousRaise, NonexistentRaise, noon, ""},
		{"fixed offset subtracts it", Zone{Aware: true, Offset: 3600}, noon, AmbiguousRaise, NonexistentRaise, noon - h, ""},
		{"summer noon is +02:00", b, noon, AmbiguousRaise, NonexistentRaise, noon - 2*h, ""},
		{"gap raises", b, spring, AmbiguousRaise, NonexistentRaise, 0, "NonExistentTimeError: 2021-03-28 02:30:00"},
		// pandas: shift_forward goes to 03:00 CEST = 01:00 UTC, shift_backward to 01:59:59.999999999 CET
		{"gap shift_forward", b, spring, AmbiguousRaise, NonexistentShiftForward, springUTC, ""},
		{"gap shift_backward", b, spring, AmbiguousRaise, NonexistentShiftBackward, springUTC - 1, ""},
		{"gap NaT", b, spring, AmbiguousRaise, NonexistentNaT, NaT, ""},
		{"overlap raises", b, autumn, AmbiguousRaise, NonexistentRaise, 0, "AmbiguousTimeError: Cannot infer dst time from 2021-10-31 02:30:00, try using the 'ambiguous' argument"},
		{"overlap True is the first (CEST)", b, autumn, AmbiguousDST, NonexistentRaise, autumnUTC, ""},
		{"overlap False is the second (CET)", b, autumn, AmbiguousStandard, NonexistentRaise, autumnUTC + h, ""},
		{"overlap NaT", b, autumn, AmbiguousNaT, NonexistentRaise, NaT, ""},
		{"NaT stays", b, NaT, AmbiguousRaise, NonexistentRaise, NaT, ""},
	}
	for _, c := range cases {
		got, err := c.zone.FromLocal(c.wall, c.amb, c.nonex)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%s: error %v; want %s", c.name, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: FromLocal = %d, %v; want %d", c.name, got, err, c.want)
		}
		if c.want != NaT && c.zone.ToLocal(got) != c.wall && c.nonex == NonexistentRaise {
			t.Errorf("%s: ToLocal(%d) = %d; want the wall time back", c.name, got, c.zone.ToLocal(got))
		}
	}
}

func TestFloorCeilRound(t *testing.T) {
	const (
		sec = int64(1e9)
		min = 60 * sec
		hr  = 60 * min
	)
	b := berlin(t)
	ist := Zone{Aware: true, Offset: 19800} // +05:30
	type want struct{ floor, ceil, round int64 }
	cases := []struct {
		name string
		ns   int64
		zone Zone
		freq int64
		want want
	}{
		// 1969-12-31 23:52:30 is −450 s: floor goes down to 23:45 (Python's floored modulo),
		// and the tie at 7.5 min rounds to the even multiple 0
		{"negative epoch", -450 * sec, Naive, 15 * min, want{-900 * sec, 0, 0}},
		{"UTC is the stored value", -450 * sec, UTC, 15 * min, want{-900 * sec, 0, 0}},
		// 00:07:30 ties between 00:00 (even multiple) and 00:15; 00:22:30 between 00:15 and 00:30 (even)
		{"tie to even below", 450 * sec, Naive, 15 * min, want{0, 15 * min, 0}},
		{"tie to even above", 1350 * sec, Naive, 15 * min, want{15 * min, 30 * min, 30 * min}},
		{"on the grid", 30 * min, Naive, 15 * min, want{30 * min, 30 * min, 30 * min}},
		// wall clock of +05:30: 1969-12-31 23:52:30+05:30 floors to 23:00+05:30 (−23400 s UTC)
		// and ceils/rounds to 1970-01-01 00:00+05:30 (−19800 s UTC)
		{"fixed offset zone", -450*sec - 19800*sec, ist, hr, want{-23400 * sec, -19800 * sec, -19800 * sec}},
		// odd freq: no ties, round is ceil(t − 1) for 3 ns (4 → 3, −4 → −3)
		{"odd freq", 4, Naive, 3, want{3, 6, 3}},
		{"odd freq negative", -4, Naive, 3, want{-6, -3, -3}},
		// even freq 2 ns: 5 and −5 tie, 4 and −4 are the even multiples (pandas gives 4, −4)
		{"2ns tie", 5, Naive, 2, want{4, 6, 4}},
		{"2ns tie negative", -5, Naive, 2, want{-6, -4, -4}},
		{"NaT", NaT, UTC, hr, want{NaT, NaT, NaT}},
	}
	for _, c := range cases {
		for i, fn := range []func(int64, Zone, int64) (int64, error){FloorTo, CeilTo, RoundTo} {
			w := [3]int64{c.want.floor, c.want.ceil, c.want.round}[i]
			if got, err := fn(c.ns, c.zone, c.freq); err != nil || got != w {
				t.Errorf("%s: %s = %d, %v; want %d", c.name, [3]string{"floor", "ceil", "round"}[i], got, err, w)
			}
		}
	}
	// Berlin, 2021-10-31 00:45 UTC is 02:45 CEST: floor("H") hits the repeated 02:00 and
	// fails as pandas does; ceil and round give 03:00 CET (02:00 UTC)
	t0, _ := FromCivil(2021, 10, 31, 0, 45, 0, 0)
	if _, err := FloorTo(t0, b, hr); err == nil || err.Error() != "AmbiguousTimeError: Cannot infer dst time from 2021-10-31 02:00:00, try using the 'ambiguous' argument" {
		t.Errorf("Berlin floor into the repeated hour: %v", err)
	}
	if got, err := CeilTo(t0, b, hr); err != nil || got != t0+15*min+hr {
		t.Errorf("Berlin ceil = %d, %v; want %d", got, err, t0+15*min+hr)
	}
	if _, err := FloorTo(1, Naive, 0); err == nil || err.Error() != "ValueError: Division by zero in rounding" {
		t.Errorf("freq 0: %v", err)
	}
	if _, err := CeilTo(math.MaxInt64-5, Naive, hr); err == nil || !strings.HasPrefix(err.Error(), "OutOfBoundsDatetime: Cannot round 2262-04-11 23:47:16.854775802 to freq=<Hour> without overflow") {
		t.Errorf("overflow: %v", err)
	}
	m, _ := ParseOffset("M")
	if _, err := (Timestamp{NS: 0}).Floor(m); err == nil || err.Error() != "ValueError: <MonthEnd> is a non-fixed frequency" {
		t.Errorf("calendar floor: %v", err)
	}
	q, _ := ParseOffset("15min")
	if got, err := (Timestamp{NS: 450 * sec, Zone: UTC}).Round(q); err != nil || got != (Timestamp{NS: 0, Zone: UTC}) {
		t.Errorf("Timestamp.Round = %+v, %v", got, err)
	}
}

func TestRhythmAndNormalize(t *testing.T) {
	const min = int64(60e9)
	// hetida's Moving Time Window test data start at 2022-12-06 23:17:14+00:00; with window
	// frequency 5min and offset 4min the rhythm is :04, :09, :14, :19 … — the point
	// before is 23:14, the point after 23:19 (pandas: (t − 4min).floor("5min") + 4min)
	t0, _, _ := ParseISO("2022-12-06T23:17:14+00:00")
	lo, _, _ := ParseISO("2022-12-06T23:14:00Z")
	if got, err := RhythmFloor(t0, UTC, 5*min, 4*min); err != nil || got != lo {
		t.Errorf("RhythmFloor = %s, %v; want %s", ISOFormat(got, UTC), err, ISOFormat(lo, UTC))
	}
	if got, err := RhythmCeil(t0, UTC, 5*min, 4*min); err != nil || got != lo+5*min {
		t.Errorf("RhythmCeil = %s, %v", ISOFormat(got, UTC), err)
	}
	if got, err := RhythmCeil(lo, UTC, 5*min, 4*min); err != nil || got != lo {
		t.Errorf("RhythmCeil on the rhythm = %s, %v; want it unchanged", ISOFormat(got, UTC), err)
	}
	// Berlin midnight of 2021-03-28 (a 23-hour day) is 23:00 UTC the day before
	b := berlin(t)
	noon, _, _ := ParseISO("2021-03-28T12:00:00+02:00")
	mid, _, _ := ParseISO("2021-03-28T00:00:00+01:00")
	if got, err := Normalize(noon, b); err != nil || got != mid {
		t.Errorf("Normalize = %s, %v; want %s", ISOFormat(got, b), err, ISOFormat(mid, b))
	}
}

// TestUTCSeconds: instants rendered through one UTCSeconds (seconds repeated, changed,
// whole, before 1970, a leap day, the last representable year) equal
// AppendISOFormat's UTC rendering of each.
func TestUTCSeconds(t *testing.T) {
	base := int64(1764685231) * 1e6 // 2025-12-02T14:20:31Z
	var c UTCSeconds
	for _, us := range []int64{base, base + 1, base + 999999, base + 1e6, base + 1e6 + 500000, base,
		0, -1, -1e6, -1e6 - 1, 951782400e6 + 123456, // 2000-02-29
		9223372036854775, // 2262-04-11, the last instant in nanoseconds
		base + 42} {
		want := string(AppendISOFormat(nil, us*1000, UTC))
		if got := string(c.Append(nil, us)); got != want {
			t.Errorf("UTCSeconds.Append(%d) = %s, want %s", us, got, want)
		}
	}
}
