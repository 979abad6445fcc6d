package wire

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
)

func TestUjsonFloatMatchesReadJSON(t *testing.T) {
	// Each literal and the value pandas 1.5.3's read_json(typ="series") gives it (printed
	// with repr; pandas 2.1 vendors the same decoder). offNearest marks the literals where
	// that is not the correctly rounded double: "0.3" is (0 + 3·0.1)·1 = 0.30000000000000004,
	// "9.95e+02" is (9 + 95·0.01)·100, "1e23" is glibc's pow(10, 23), which rounds the tie
	// up, and digits after the 15th decimal are dropped. Bits must agree exactly.
	cases := []struct {
		lit        string
		want       float64
		offNearest bool
	}{
		{"-2.788", -2.7880000000000003, true},
		{"2.788", 2.7880000000000003, true},
		{"0.05", 0.05, false},
		{"1.597", 1.597, false},
		{"0.123456789", 0.12345678900000001, true},
		{"9.95e+02", 994.9999999999999, true},
		{"-585.8", -585.8, false},
		{"1e23", 1.0000000000000001e+23, true},
		{"1.5e210", 1.5e+210, false},
		{"0.1", 0.1, false},
		{"0.3", 0.30000000000000004, true},
		{"123456789012345.678", 123456789012345.67, false},
		{"0.1234567890123456789", 0.12345678901234501, true},
		{"-0.0", math.Copysign(0, -1), false},
		{"2.5e-310", 2.5e-310, false},
		{"1E+2", 100.0, false},
		{"3.14159", 3.14159, false},
	}
	for _, c := range cases {
		got, ok := ujsonFloat([]byte(c.lit))
		if !ok || math.Float64bits(got) != math.Float64bits(c.want) {
			t.Errorf("ujsonFloat(%s) = %v, read_json gives %v", c.lit, got, c.want)
		}
		exact, _ := strconv.ParseFloat(c.lit, 64)
		if (exact != c.want) != c.offNearest {
			t.Errorf("%s: the table's offNearest is wrong", c.lit)
		}
	}
	if _, ok := ujsonFloat([]byte("123456789012345678901.5")); ok {
		t.Error("an integer part beyond 64 bits should be declined (ujson fails there)")
	}
}

func TestSeriesValuesReadAsPandas(t *testing.T) {
	// The regression behind w-filt-cut-values-below-limit-limit-equals-value: hetida
	// reads -2.788 from a series as -2.7880000000000003, so the series value is not >= a
	// FLOAT limit of -2.788 and is cut. Both the fast series path and the generic one
	// (orient split) must read it that way; request JSON and FLOAT inputs stay exact.
	for _, text := range []string{
		`{"2026-04-06T09:15:00+02:00": -2.788, "2026-04-06T09:20:00+02:00": 1.5}`,
		`{"__hd_wrapped_data_object__": "SERIES", "__metadata__": {}, "__data__": {"name": null, "index": [0, 1], "data": [-2.788, 1.5]}, "__data_parsing_options__": {"orient": "split"}}`,
	} {
		v, err := Parse(data.TypeSeries, text, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.(*data.Series).Values.F[0]; got != -2.7880000000000003 {
			t.Errorf("%s: value %v, want -2.7880000000000003", text, got)
		}
	}
	limit, err := Parse(data.TypeFloat, "-2.788", false)
	if err != nil || limit.(float64) != -2.788 {
		t.Errorf("FLOAT input: %v, %v, want exactly -2.788", limit, err)
	}
	doc, err := Decode([]byte(`[-2.788]`))
	if err != nil || doc.([]any)[0].(float64) != -2.788 {
		t.Errorf("request JSON: %v, %v, want exactly -2.788", doc, err)
	}
}

// The series scanner's shortcut for plain decimals (no exponent, at most 19 digits and 15
// fraction digits) computes what ujsonFloat computes from the literal.
func TestScannerDecimalsAreUjsonFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 200000 {
		var lit []byte
		if rng.IntN(2) == 0 {
			lit = append(lit, '-')
		}
		lit = strconv.AppendUint(lit, rng.Uint64N(uint64(math.Pow10(rng.IntN(12)))), 10)
		lit = append(lit, '.')
		for range 1 + rng.IntN(18) {
			lit = append(lit, byte('0'+rng.IntN(10)))
		}
		sc := seriesScanner{b: lit}
		got, _, _, ok := sc.number()
		want, wok := ujsonFloat(lit)
		if !ok || !wok || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%s: scanner %v (%v), ujsonFloat %v (%v)", lit, got, ok, want, wok)
		}
	}
}
