package data

import (
	"context"
	"errors"
	"math"
	"testing"
)

// sigClose reports whether got and want agree within rel relative tolerance, NaN equal
// to NaN.
func sigClose(got, want, rel float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-300)
}

func TestButterFirstOrderMatchesScipy(t *testing.T) {
	// b, a printed by scipy 1.10 (scipy.signal.butter(1, wn, btype)); the design code is
	// the same in hetida's scipy 1.12. Tolerance 2 ulp: Go's math.Tan is not glibc's tan.
	cases := []struct {
		wn   float64
		high bool
		b, a [2]float64
	}{
		{0.1, false, [2]float64{0.13672873599731955, 0.13672873599731955}, [2]float64{1.0, -0.726542528005361}},
		{0.1, true, [2]float64{0.8632712640026805, -0.8632712640026805}, [2]float64{1.0, -0.726542528005361}},
		{0.5, false, [2]float64{0.49999999999999994, 0.49999999999999994}, [2]float64{1.0, -5.551115123125783e-17}},
		{0.5, true, [2]float64{0.5, -0.5}, [2]float64{1.0, -5.551115123125783e-17}},
		{0.01, false, [2]float64{0.015466291403103363, 0.015466291403103363}, [2]float64{1.0, -0.9690674171937933}},
		{0.01, true, [2]float64{0.9845337085968967, -0.9845337085968967}, [2]float64{1.0, -0.9690674171937933}},
		{0.9, false, [2]float64{0.8632712640026805, 0.8632712640026805}, [2]float64{1.0, 0.7265425280053609}},
		{0.9, true, [2]float64{0.1367287359973196, -0.1367287359973196}, [2]float64{1.0, 0.7265425280053609}},
		{1e-06, false, [2]float64{1.5707938593989639e-06, 1.5707938593989639e-06}, [2]float64{1.0, -0.9999968584122811}},
		{1e-06, true, [2]float64{0.9999984292061406, -0.9999984292061406}, [2]float64{1.0, -0.9999968584122811}},
		{0.3333, false, [2]float64{0.3659973438169218, 0.3659973438169218}, [2]float64{1.0, -0.2680053123661566}},
		{0.3333, true, [2]float64{0.6340026561830784, -0.6340026561830784}, [2]float64{1.0, -0.2680053123661566}},
	}
	for _, c := range cases {
		b, a, err := ButterFirstOrder(c.wn, c.high)
		if err != nil {
			t.Fatalf("wn %v: %v", c.wn, err)
		}
		for k := range 2 {
			// a[1] at wn 0.5 is a rounding residue (−5.55e-17 for an exact 0): absolute
			if !sigClose(b[k], c.b[k], 5e-16) || !(sigClose(a[k], c.a[k], 5e-16) || math.Abs(a[k]-c.a[k]) < 1e-16) {
				t.Errorf("wn %v high %v: b %v a %v, scipy b %v a %v", c.wn, c.high, b, a, c.b, c.a)
			}
		}
	}
}

func TestButterFirstOrderLimits(t *testing.T) {
	for _, c := range []struct {
		wn   float64
		want string
	}{
		{0, "filter critical frequencies must be greater than 0"},
		{-0.1, "filter critical frequencies must be greater than 0"},
		{1, "Digital filter critical frequencies must be 0 < Wn < 1"},
		{1.5, "Digital filter critical frequencies must be 0 < Wn < 1"},
		{math.Inf(1), "Digital filter critical frequencies must be 0 < Wn < 1"},
	} {
		_, _, err := ButterFirstOrder(c.wn, false)
		var de *Error
		if !errors.As(err, &de) || de.Type != "ValueError" || de.Message != c.want {
			t.Errorf("wn %v: %v, want ValueError %q", c.wn, err, c.want)
		}
	}
	// NaN passes scipy's checks and yields NaN coefficients (a[0] stays 1)
	b, a, err := ButterFirstOrder(math.NaN(), true)
	if err != nil || !math.IsNaN(b[0]) || !math.IsNaN(b[1]) || a[0] != 1 || !math.IsNaN(a[1]) {
		t.Errorf("NaN: b %v a %v err %v, want NaN coefficients, a[0] 1", b, a, err)
	}
}

func TestLFilterMatchesScipy(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name    string
		b, a, x []float64
		want    []float64
	}{
		// butter(1, 0.2) then lfilter; the NaN poisons the state and every later output
		{"lowpass with NaN", []float64{0.24523727525278557, 0.24523727525278557}, []float64{1.0, -0.5095254494944288},
			[]float64{1, 2, 0.5, -1, 3, math.NaN(), 1},
			[]float64{0.24523727525278557, 0.8606664586643213, 1.0516246523476804, 0.4132108860604815, 0.7010160129615292, math.NaN(), math.NaN()}},
		{"highpass", []float64{0.7547627247472144, -0.7547627247472144}, []float64{1.0, -0.5095254494944288},
			[]float64{10.5, 10.981584, 11.855109, 12.524413},
			[]float64{7.925008609845751, 4.401475226213537, 2.9019677522098553, 1.983792134087274}},
		// second order with a[0] = 2 (normalised first); by hand: y0 = 0.5/2 = 0.25,
		// y1 = (0.25·1 − 0.5·0.25)/2 = 0.0625, …
		{"second order, a0 = 2", []float64{0.5, 0.25, 0.125}, []float64{2, 0.5, -0.25},
			[]float64{1, 0, 0, 2, -1}, []float64{0.25, 0.0625, 0.078125, 0.48828125, -0.1123046875}},
		{"gain only", []float64{3}, []float64{2}, []float64{1, 2}, []float64{1.5, 3}},
		{"FIR, b longer than a", []float64{1, 1}, []float64{1}, []float64{1, 2, 3}, []float64{1, 3, 5}},
		{"empty input", []float64{1, 1}, []float64{1, 0.5}, nil, []float64{}},
	}
	for _, c := range cases {
		got, err := LFilter(ctx, c.b, c.a, c.x)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(got) != len(c.want) {
			t.Fatalf("%s: %d outputs, want %d", c.name, len(got), len(c.want))
		}
		for i := range got {
			if !sigClose(got[i], c.want[i], 1e-15) {
				t.Errorf("%s: y[%d] = %v, scipy %v", c.name, i, got[i], c.want[i])
			}
		}
	}
	if _, err := LFilter(ctx, []float64{1}, []float64{0, 1}, []float64{1}); err == nil {
		t.Error("a[0] == 0 accepted")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := LFilter(cancelled, []float64{1, 1}, []float64{1, 0.5}, make([]float64, 10)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
