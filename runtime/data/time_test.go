package data

import (
	"errors"
	"testing"
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
