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

// TestFreqStr checks pandas 2.1's to_offset(s).freqstr and repr (quoted from pandas;
// 2.2 renamed the legacy codes T, S, L, U, N, M, Q, A).
func TestFreqStr(t *testing.T) {
	cases := []struct{ in, freqstr, repr string }{
		{"15min", "15T", "<15 * Minutes>"},
		{"2h", "2H", "<2 * Hours>"},
		{"17486.0S", "17486S", "<17486 * Seconds>"},
		{"1.5H", "90T", "<90 * Minutes>"},    // a fractional hour moves to minutes
		{"1h30min", "90T", "<90 * Minutes>"}, // Hour + Minute sums to the coarsest dividing unit
		{"1h60min", "2H", "<2 * Hours>"},     // … which may be the coarser one
		{"1D1H", "25H", "<25 * Hours>"},      //
		{"24H", "24H", "<24 * Hours>"},       // a single term keeps its unit
		{"1.5D", "36H", "<36 * Hours>"},      //
		{"0.5s", "500L", "<500 * Millis>"},   //
		{"1.33333S", "1333330U", "<1333330 * Micros>"},
		{"1.0000000001H", "H", "<Hour>"},        // np.isclose(n % 1, 0) accepts 1e-10
		{"-1h30min", "-90T", "<-90 * Minutes>"}, // the first sign applies to later terms
		{"1h -30min", "30T", "<30 * Minutes>"},  // a later term's own sign multiplies in
		{"-1h -30min", "-30T", "<-30 * Minutes>"},
		{"0s", "0S", "<0 * Seconds>"},
		{"D", "D", "<Day>"},
		{"ms", "L", "<Milli>"},
		{"W", "W-SUN", "<Week: weekday=6>"},
		{"2W-TUE", "2W-TUE", "<2 * Weeks: weekday=1>"},
		{"w-mon", "W-MON", "<Week: weekday=0>"},
		{"M", "M", "<MonthEnd>"},
		{"-2M", "-2M", "<-2 * MonthEnds>"},
		{"MS", "MS", "<MonthBegin>"},
		{"BM", "BM", "<BusinessMonthEnd>"},
		{"Q", "Q-DEC", "<QuarterEnd: startingMonth=12>"},
		{"QS", "QS-JAN", "<QuarterBegin: startingMonth=1>"},
		{"QS-FEB", "QS-FEB", "<QuarterBegin: startingMonth=2>"},
		{"BQ", "BQ-DEC", "<BusinessQuarterEnd: startingMonth=12>"},
		{"A", "A-DEC", "<YearEnd: month=12>"},
		{"Y", "A-DEC", "<YearEnd: month=12>"},
		{"YS", "AS-JAN", "<YearBegin: month=1>"},
		{"A-JUN", "A-JUN", "<YearEnd: month=6>"},
		{"BA", "BA-DEC", "<BYearEnd: month=12>"},
		{"B", "B", "<BusinessDay>"},
		{"3B", "3B", "<3 * BusinessDays>"},
	}
	for _, c := range cases {
		o, err := ParseOffset(c.in)
		if err != nil {
			t.Errorf("ParseOffset(%q): %v", c.in, err)
			continue
		}
		if got := o.FreqStr(); got != c.freqstr {
			t.Errorf("ParseOffset(%q).FreqStr() = %q; want %q", c.in, got, c.freqstr)
		}
		if got := o.Repr(); got != c.repr {
			t.Errorf("ParseOffset(%q).Repr() = %q; want %q", c.in, got, c.repr)
		}
	}
}

// TestParseOffsetPandasQuirks: inputs where pandas' parser differs from a naive sum.
func TestParseOffsetPandasQuirks(t *testing.T) {
	const min = int64(60e9)
	for in, want := range map[string]int64{"1h -30min": 30 * min, "1h+30min": 90 * min, ".5H": 30 * min, "1.H": 60 * min} {
		o, err := ParseOffset(in)
		if got, _ := o.Nanos(); err != nil || got != want {
			t.Errorf("ParseOffset(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	// pandas rejects a sign without a number (float("-")), a tick that is not a whole
	// number of nanoseconds, and a suffix the class does not take
	for _, in := range []string{"-H", "+H", "-M", "1.5N", "Q-MON", "H-MON", "M-JAN", "W-FOO", "A-13"} {
		if o, err := ParseOffset(in); err == nil || err.Error() != "Invalid frequency: "+in {
			t.Errorf("ParseOffset(%q) = %+v, %v; want Invalid frequency", in, o, err)
		}
	}
}

func TestOffsetFromTimedelta(t *testing.T) {
	// pandas' delta_to_tick: the coarsest unit that divides the duration
	cases := []struct {
		ns      int64
		freqstr string
	}{
		{2 * 86400e9, "2D"}, {3600e9, "H"}, {5400e9, "90T"}, {-5400e9, "-90T"}, {17486e9, "17486S"},
		{1500e6, "1500L"}, {1500, "1500N"}, {2000, "2U"}, {0, "0D"},
	}
	for _, c := range cases {
		o := OffsetFromTimedelta(c.ns)
		if got := o.FreqStr(); got != c.freqstr || !o.Fixed() {
			t.Errorf("OffsetFromTimedelta(%d) = %q; want %q", c.ns, got, c.freqstr)
		}
		if n, _ := o.Nanos(); n != c.ns {
			t.Errorf("OffsetFromTimedelta(%d).Nanos() = %d", c.ns, n)
		}
	}
	if d, _ := ParseOffset("2D"); !d.IsDay() {
		t.Error(`"2D" is a Day tick`)
	}
	if h, _ := ParseOffset("24H"); h.IsDay() {
		t.Error(`"24H" is an Hour tick, not a Day`)
	}
}
