package data

import (
	"math"
	"testing"
)

// Pow against CPython's x ** y (glibc's pow), values printed by Python 3.11: math.Pow
// misses many of them by an ulp (e ** 2.5, 8 ** (1/3), 1.1 ** 3).
func TestPowMatchesC(t *testing.T) {
	for _, c := range []struct{ x, y, want float64 }{
		{8, 0.3333333333333333, 2.0},
		{2.718281828459045, 2.5, 12.182493960703471},
		{2, 0.5, 1.4142135623730951},
		{1.1, 3, 1.3310000000000004},
		{10, -2, 0.01},
		{3.14, 2.7, 21.96392994303034},
		{0.5, -1.074, 2.1052623094188774},
		{1.0000001, 10000000.0, 2.7182816941320818},
		{123.456, 7.89, 3.1771028258180936e+16},
		{2.5, -3.5, 0.040477154050155256},
		{9.99, 0.1, 1.2587994625654388},
		{1e-300, 0.5, 1e-150},
		{7, 0.14285714285714285, 1.3204692477561237},
		{1.5, 100, 4.065611775352152e+17},
		{0.9, -50.5, 204.52823629022248},
		{2, -1074, 5e-324},
		{3.141592653589793, 2.718281828459045, 22.45915771836104},
		{10000000000.0, -30.2, 1.0000000000000164e-302},
		{17, 0.058823529411764705, 1.1813520746255457},
		{4.1, 3, 68.92099999999998},
	} {
		if got := Pow(c.x, c.y); got != c.want {
			t.Errorf("Pow(%v, %v) = %v, want %v (math.Pow: %v)", c.x, c.y, got, c.want, math.Pow(c.x, c.y))
		}
	}
	// C99's special values, as math.Pow has them
	for _, c := range []struct{ x, y, want float64 }{
		{qnan, 0, 1}, {1, qnan, 1}, {0, -1, math.Inf(1)}, {-8, 1.0 / 3, qnan},
		{math.Inf(1), -2, 0}, {-2, 3, -8}, {0.5, math.Inf(1), 0}, {1e308, 2, math.Inf(1)},
	} {
		if got := Pow(c.x, c.y); !(got == c.want || got != got && c.want != c.want) {
			t.Errorf("Pow(%v, %v) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
}
