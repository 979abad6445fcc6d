package data

import (
	"strings"
	"testing"
)

func TestParseOffsetFixed(t *testing.T) {
	const (
		ns  = int64(1)
		us  = 1000 * ns
		ms  = 1000 * us
		sec = 1000 * ms
		min = 60 * sec
		hr  = 60 * min
		day = 24 * hr
	)
	cases := []struct {
		in   string
		want int64
	}{
		{"180min", 180 * min},
		{"1h30min", 90 * min},
		{"1.5H", 90 * min},
		{"-4s", -4 * sec},
		{"17486.0S", 17486 * sec},
		{"D", day},
		{"2D", 2 * day},
		{"1.5D", 36 * hr},
		{"15T", 15 * min},
		{"5min", 5 * min},
		{"2h", 2 * hr},
		{"H", hr},
		{"500ms", 500 * ms},
		{"3L", 3 * ms},
		{"10us", 10 * us},
		{"7U", 7 * us},
		{"3ns", 3 * ns},
		{"4N", 4 * ns},
		{" 30s ", 30 * sec},
		{"-1h30min", -90 * min}, // the leading sign applies to every term, as in pandas
		{"0.5s", 500 * ms},      // a fractional value becomes milliseconds
	}
	for _, c := range cases {
		o, err := ParseOffset(c.in)
		if err != nil {
			t.Errorf("ParseOffset(%q): %v", c.in, err)
			continue
		}
		if !o.Fixed() {
			t.Errorf("ParseOffset(%q) is not fixed (name %q)", c.in, o.Name)
			continue
		}
		got, err := o.Nanos()
		if err != nil || got != c.want {
			t.Errorf("ParseOffset(%q).Nanos() = %d, %v; want %d", c.in, got, err, c.want)
		}
		if o.Str != c.in {
			t.Errorf("ParseOffset(%q).Str = %q", c.in, o.Str)
		}
	}
}

func TestParseOffsetCalendar(t *testing.T) {
	cases := []struct {
		in   string
		name string
		n    int64
	}{
		{"W-MON", "W-MON", 1},
		{"W", "W-SUN", 1},
		{"2W-TUE", "W-TUE", 2},
		{"M", "M", 1},
		{"3M", "M", 3},
		{"MS", "MS", 1},
		{"Q-DEC", "Q-DEC", 1},
		{"B", "B", 1},
		{"A", "A", 1},
		{"-2M", "M", -2},
	}
	for _, c := range cases {
		o, err := ParseOffset(c.in)
		if err != nil {
			t.Errorf("ParseOffset(%q): %v", c.in, err)
			continue
		}
		if o.Fixed() || o.Name != c.name || o.N != c.n {
			t.Errorf("ParseOffset(%q) = {Name %q, N %d, fixed %t}; want {%q, %d, false}", c.in, o.Name, o.N, o.Fixed(), c.name, c.n)
		}
		_, err = o.Nanos()
		if err == nil || !strings.Contains(err.Error(), "is a non-fixed frequency") || !strings.Contains(err.Error(), c.name) {
			t.Errorf("ParseOffset(%q).Nanos() error = %v; want a non-fixed frequency error naming %s", c.in, err, c.name)
		}
	}
}

func TestParseOffsetInvalid(t *testing.T) {
	for _, in := range []string{"", "   ", "not-a-frequency", "abc", "5", "min5", "1.5M", "2M3D", "5 xyz", "1h30", "1e3s"} {
		o, err := ParseOffset(in)
		if err == nil {
			t.Errorf("ParseOffset(%q) = %+v; want an error", in, o)
			continue
		}
		if want := "Invalid frequency: " + in; err.Error() != want {
			t.Errorf("ParseOffset(%q) error = %q; want %q", in, err, want)
		}
	}
}

func TestMulTick(t *testing.T) {
	const min = int64(60e9)
	cases := []struct {
		nanos   int64
		periods float64
		want    int64
	}{
		{180 * min, -0.5, -90 * min},
		{60 * min, -0.5, -30 * min},
		{3, 0.5, 2}, // 1.5 rounds away from zero
		{5 * min, 2, 10 * min},
	}
	for _, c := range cases {
		if got := MulTick(c.nanos, c.periods); got != c.want {
			t.Errorf("MulTick(%d, %v) = %d; want %d", c.nanos, c.periods, got, c.want)
		}
	}
}
