package data

import (
	"math"
	"strconv"
	"testing"
)

// Expected strings are Python 3's repr(float).
func TestAppendPyFloat(t *testing.T) {
	tenth := 0.1
	cases := []struct {
		in   float64
		want string
	}{
		{1.0, "1.0"},
		{0.0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{-2.5, "-2.5"},
		{100.0, "100.0"},
		{0.1, "0.1"},
		{tenth + 2*tenth, "0.30000000000000004"}, // a runtime sum, not an exact constant
		{1e16, "1e+16"},
		{1234567890123456.0, "1234567890123456.0"}, // 16 digits: still fixed
		{9999999999999998.0, "9999999999999998.0"},
		{1e15, "1000000000000000.0"},
		{12345678901234567.0, "1.2345678901234568e+16"},
		{1e22, "1e+22"},
		{-1.5e300, "-1.5e+300"},
		{4.4e-05, "4.4e-05"},
		{0.0001, "0.0001"}, // decimal exponent −4: still fixed
		{0.00012, "0.00012"},
		{1.5e-5, "1.5e-05"},
		{5e-324, "5e-324"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{0.003672, "0.003672"},
		{123456.789, "123456.789"},
		{math.NaN(), "nan"},
		{math.Inf(1), "inf"},
		{math.Inf(-1), "-inf"},
	}
	for _, c := range cases {
		if got := string(AppendPyFloat([]byte("x="), c.in)); got != "x="+c.want {
			t.Errorf("AppendPyFloat(%v) = %q; want %q", c.in, got, "x="+c.want)
		}
		if got := PyFloat(c.in); got != c.want {
			t.Errorf("PyFloat(%v) = %q; want %q", c.in, got, c.want)
		}
	}
}

// repr must round-trip: parsing the text gives the same bits back.
func TestAppendPyFloatRoundTrips(t *testing.T) {
	for _, f := range []float64{math.Pi, math.E, 1 / 3.0, 2.0 / 3, 1e-7, 123456789.123456789, 6.02214076e23, 1.7e-308} {
		s := PyFloat(f)
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || back != f {
			t.Errorf("PyFloat(%v) = %q parses back to %v, %v", f, s, back, err)
		}
	}
}

func TestDictKeepsOrder(t *testing.T) {
	d := NewDict(0)
	d.Set("b", 1)
	d.Set("a", 2)
	d.Set("b", 3) // an existing key keeps its position
	if got := d.Keys(); len(got) != 2 || got[0] != "b" || got[1] != "a" {
		t.Fatalf("keys %v; want [b a]", got)
	}
	if v, _ := d.Get("b"); v != 3 {
		t.Fatalf("b = %v; want 3", v)
	}
	// grow past the indexing threshold, delete, and check order and lookups survive
	for i := 0; i < 40; i++ {
		d.Set("k"+strconv.Itoa(i), i)
	}
	d.Delete("a")
	d.Delete("k5")
	d.Delete("missing")
	keys := d.Keys()
	if d.Len() != 40 || keys[0] != "b" || keys[1] != "k0" || keys[6] != "k6" || keys[39] != "k39" {
		t.Fatalf("after deletes: len %d keys %v", d.Len(), keys)
	}
	if v, ok := d.Get("k39"); !ok || v != 39 {
		t.Fatalf("k39 = %v, %t", v, ok)
	}
	if d.Has("a") || d.Has("k5") {
		t.Fatal("deleted keys still present")
	}
	c := d.Clone()
	c.Set("new", true)
	if d.Has("new") || !c.Has("k39") {
		t.Fatal("Clone shares membership with the original")
	}
	var nilDict *Dict
	if nilDict.Len() != 0 || nilDict.Has("x") || nilDict.Keys() != nil || nilDict.Clone().Len() != 0 {
		t.Fatal("a nil Dict must behave as {}")
	}
}

// TestAppendPyMicros: whole microseconds render as AppendPyFloat renders us/1e6, across
// the notations (5e-06, 1.2e-05, 0.0001, 0.001234, 1.0, 123456.789, 1e+16 by the fallback)
// and every count of digits and trailing zeros.
func TestAppendPyMicros(t *testing.T) {
	check := func(us int64) {
		t.Helper()
		got, want := string(AppendPyMicros(nil, us)), string(AppendPyFloat(nil, float64(us)/1e6))
		if got != want {
			t.Errorf("AppendPyMicros(%d) = %s, want %s", us, got, want)
		}
	}
	for _, us := range []int64{0, -3, 1, 5, 12, 99, 100, 101, 1000, 1234, 10000, 100000, 999999, 1000000, 1000001,
		123456789, 1e14 + 7, 1e15 - 1, 1e15, 1e18 + 5} {
		check(us)
	}
	for p := int64(1); p < 1e15; p *= 10 {
		for _, m := range []int64{1, 3, 7, 10, 11, 19, 250, 999} {
			check(p * m)
			check(p*m + 1)
		}
	}
	x := uint64(88172645463325252) // xorshift: a spread of magnitudes
	for range 20000 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		check(int64(x>>(x%50+14)) % 1e15)
	}
}
