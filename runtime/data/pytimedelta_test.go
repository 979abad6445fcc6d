package data

import (
	"errors"
	"math"
	"testing"
)

func TestPyTimedeltaSeconds(t *testing.T) {
	// expectations from CPython: timedelta(seconds=s) / timedelta(microseconds=1)
	cases := []struct {
		s    float64
		us   int64
		fail string
	}{
		{0, 0, ""},
		{1.5, 1_500_000, ""},
		{-1.5, -1_500_000, ""},
		{0.0000005, 0, ""},  // half a microsecond: to even (0)
		{0.0000015, 2, ""},  // 1.5 µs: to even (2)
		{-0.0000005, 0, ""}, // -0.5 µs: to even (0)
		{0.0000006, 1, ""},
		{3600.25, 3_600_250_000, ""},
		// 2026-03-06T01:21:46.867732 is 321706.86773... s after 2026-03-02T08:00: the
		// microseconds are kept, the rest rounded away
		{321706.8677324, 321_706_867_732, ""},
		{1e20, 0, "OverflowError"},
		{1e10, 0, "OutOfBoundsTimedelta"},
	}
	for _, c := range cases {
		d, err := PyTimedeltaSeconds(c.s)
		var de *Error
		switch {
		case c.fail != "":
			if !errors.As(err, &de) || de.Type != c.fail {
				t.Errorf("PyTimedeltaSeconds(%g) = %v, %v; want %s", c.s, d, err, c.fail)
			}
		case err != nil || d.NS != c.us*1000:
			t.Errorf("PyTimedeltaSeconds(%g) = %d ns, %v; want %d µs", c.s, d.NS, err, c.us)
		}
	}
	for _, bad := range []struct {
		s   float64
		typ string
	}{{math.NaN(), "ValueError"}, {math.Inf(-1), "OverflowError"}} {
		var de *Error
		if _, err := PyTimedeltaSeconds(bad.s); !errors.As(err, &de) || de.Type != bad.typ {
			t.Errorf("PyTimedeltaSeconds(%g): %v, want %s", bad.s, err, bad.typ)
		}
	}
}

func TestPyTimedeltaDays(t *testing.T) {
	if d, err := PyTimedeltaDays(-3); err != nil || d.NS != -3*nsPerDay {
		t.Errorf("-3 days: %v %v", d, err)
	}
	for _, c := range []struct {
		n   int64
		typ string
	}{{106752, "OutOfBoundsTimedelta"}, {1 << 40, "OverflowError"}, {-1 << 40, "OverflowError"}} {
		var de *Error
		if _, err := PyTimedeltaDays(c.n); !errors.As(err, &de) || de.Type != c.typ {
			t.Errorf("PyTimedeltaDays(%d): %v, want %s", c.n, err, c.typ)
		}
	}
}
