package wire

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// The series scanner's number reader must give exactly strconv's bits for integer
// literals and pandas' read_json bits (ujsonFloat) for the others, classify integer
// literals, and reject what JSON does not allow.
func TestScannerNumberMatchesStrconv(t *testing.T) {
	cases := []string{"0", "-0", "1", "86.9358994238", "0.1", "123456789012345.6", "9007199254740993",
		"1e22", "1e23", "1.5e-10", "-2.5E+3", "4.4e-05", "100.0", "0.000001", "17976931348623157"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		f := r.NormFloat64() * 1e6
		cases = append(cases, strconv.FormatFloat(f, 'f', r.IntN(12), 64), strconv.FormatFloat(f, 'g', -1, 64))
	}
	for _, s := range cases {
		want, err := strconv.ParseFloat(s, 64)
		if err != nil {
			continue
		}
		if strings.ContainsAny(s, ".eE") {
			want, _ = ujsonFloat([]byte(s))
		}
		sc := seriesScanner{b: []byte(s)}
		got, iv, isInt, ok := sc.number()
		if !ok || sc.i != len(s) {
			t.Fatalf("number(%q) rejected a JSON number", s)
		}
		if got != want {
			t.Fatalf("number(%q) = %v, want %v", s, got, want)
		}
		if isInt && float64(iv) != want {
			t.Fatalf("number(%q) int %d", s, iv)
		}
	}
	for _, s := range []string{"", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1x"} {
		sc := seriesScanner{b: []byte(s)}
		if _, _, _, ok := sc.number(); ok && sc.i == len(s) {
			t.Errorf("number(%q) accepted an invalid literal", s)
		}
	}
}

func TestParseEight(t *testing.T) {
	for _, s := range []string{"00000000", "12345678", "99999999", "10000001", "07300042"} {
		w := uint64(0)
		for i := 7; i >= 0; i-- {
			w = w<<8 | uint64(s[i])
		}
		want, _ := strconv.ParseUint(s, 10, 64)
		if !eightDigits(w) || parseEight(w) != want {
			t.Errorf("%s: digits %v value %d", s, eightDigits(w), parseEight(w))
		}
	}
	for _, s := range []string{"1234567a", "/2345678", ":2345678", "1234 678", "12345.78"} {
		w := uint64(0)
		for i := 7; i >= 0; i-- {
			w = w<<8 | uint64(s[i])
		}
		if eightDigits(w) {
			t.Errorf("%q taken for digits", s)
		}
	}
}
