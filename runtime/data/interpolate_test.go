package data

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/interp"
)

const minute = int64(60e9)

func minutes(m ...int64) Column {
	ns := make([]int64, len(m))
	for i, v := range m {
		ns[i] = 1577836800e9 + v*minute // 2020-01-01T00:00Z
	}
	return Datetimes(ns, UTC)
}

func numIndex(x ...float64) Column { return Floats(x) }

func interpolate(t *testing.T, s *Series, opt InterpolateOptions) []float64 {
	t.Helper()
	r, err := Interpolate(context.Background(), s, opt)
	if err != nil {
		t.Fatalf("Interpolate(%+v): %v", opt, err)
	}
	return r.Values.F
}

// The spec's example and the three ways of measuring distance (pandas 2.1; checked with
// pandas): values [NaN, 1, NaN, 3, NaN, NaN] at minutes 0, 1, 2, 6, 7, 8.
func TestInterpolateLinearTimeIndex(t *testing.T) {
	nan := math.NaN()
	vals := []float64{nan, 1, nan, 3, nan, nan}
	timed := FloatSeries("v", minutes(0, 1, 2, 6, 7, 8), vals)
	numbered := FloatSeries("v", numIndex(0, 1, 2, 6, 7, 8), vals)
	cases := []struct {
		name string
		s    *Series
		opt  InterpolateOptions
		want []float64
	}{
		// minute 2 lies 1/5 of the way from minute 1 to minute 6: 1 + 2·(1/5) = 1.4; the
		// leading NaN stays (forward), the trailing ones take the last value 3
		{"time", timed, InterpolateOptions{Method: "time"}, []float64{nan, 1, 1.4, 3, 3, 3}},
		// linear ignores the index: position 2 is halfway between positions 1 and 3
		{"linear", timed, InterpolateOptions{}, []float64{nan, 1, 2, 3, 3, 3}},
		{"index", numbered, InterpolateOptions{Method: "index"}, []float64{nan, 1, 1.4, 3, 3, 3}},
		{"values", numbered, InterpolateOptions{Method: "values"}, []float64{nan, 1, 1.4, 3, 3, 3}},
		// a DatetimeIndex counts in nanoseconds for "index": the same proportions as time
		{"index on datetimes", timed, InterpolateOptions{Method: "index"}, []float64{nan, 1, 1.4, 3, 3, 3}},
		// both: the leading NaN takes the first value
		{"linear both", timed, InterpolateOptions{LimitDirection: "both"}, []float64{1, 1, 2, 3, 3, 3}},
		// backward: the leading NaN is filled, the trailing ones stay
		{"linear backward", timed, InterpolateOptions{LimitDirection: "backward"}, []float64{1, 1, 2, 3, nan, nan}},
		// nearest: minute 2 is nearer to 1; outside the valid points NaN (scipy interp1d)
		{"nearest", numbered, InterpolateOptions{Method: "nearest"}, []float64{nan, 1, 1, 3, nan, nan}},
	}
	for _, c := range cases {
		if got := interpolate(t, c.s, c.opt); !floatsNear(got, c.want, 1e-15) {
			t.Errorf("%s: %v; want %v", c.name, got, c.want)
		}
	}
	if timed.Values.F[2] == timed.Values.F[2] {
		t.Fatal("the input series was modified")
	}
}

// pandas' preserve_nans rules on [1, NaN×4, 6, NaN, NaN] (linear), each case checked
// with pandas.
func TestInterpolateLimits(t *testing.T) {
	nan := math.NaN()
	s := FloatSeries(nil, Range(8), []float64{1, nan, nan, nan, nan, 6, nan, nan})
	cases := []struct {
		opt  InterpolateOptions
		want []float64
	}{
		// one NaN after each valid value: positions 1 and 6
		{InterpolateOptions{Limit: 1}, []float64{1, 2, nan, nan, nan, 6, 6, nan}},
		// two NaNs before each valid value (3, 4); the trailing ones stay (backward)
		{InterpolateOptions{Limit: 2, LimitDirection: "backward"}, []float64{1, nan, nan, 4, 5, 6, nan, nan}},
		// both: a NaN is filled when it is within the limit of either side
		{InterpolateOptions{Limit: 1, LimitDirection: "both"}, []float64{1, 2, nan, nan, 5, 6, 6, nan}},
		{InterpolateOptions{LimitArea: "inside"}, []float64{1, 2, 3, 4, 5, 6, nan, nan}},
		{InterpolateOptions{LimitArea: "outside", LimitDirection: "both"}, []float64{1, nan, nan, nan, nan, 6, 6, 6}},
	}
	for _, c := range cases {
		if got := interpolate(t, s, c.opt); !floatsNear(got, c.want, 0) {
			t.Errorf("%+v: %v; want %v", c.opt, got, c.want)
		}
	}
	// pad and bfill go the fillna way: [1, NaN, NaN, 4, NaN]
	p := FloatSeries(nil, Range(5), []float64{1, nan, nan, 4, nan})
	if got := interpolate(t, p, InterpolateOptions{Method: "pad", Limit: 1}); !floatsNear(got, []float64{1, 1, nan, 4, 4}, 0) {
		t.Errorf("pad limit 1: %v", got)
	}
	if got := interpolate(t, p, InterpolateOptions{Method: "bfill"}); !floatsNear(got, []float64{1, 4, 4, 4, nan}, 0) {
		t.Errorf("bfill: %v", got)
	}
}

// A hand-checked not-a-knot case: four valid points (0,0), (1,1), (3,2), (6,5) leave
// not-a-knot no freedom, so interp1d(kind="cubic") is the cubic through them,
// p(x) = 13/10·x − 31/90·x² + 2/45·x³ (solve p(1)=1, p(3)=2, p(6)=5 with p(0)=0):
// p(2) = 71/45 = 1.5777…, p(5) = 31/9 = 3.4444…; scipy prints 1.577777777777778 and
// 3.4444444444444438.
func TestInterpolateCubicHandChecked(t *testing.T) {
	nan := math.NaN()
	s := FloatSeries(nil, numIndex(0, 1, 2, 3, 5, 6), []float64{0, 1, nan, 2, nan, 5})
	want := []float64{0, 1, 71.0 / 45, 2, 31.0 / 9, 5}
	for _, m := range []string{"cubic", "cubicspline"} {
		if got := interpolate(t, s, InterpolateOptions{Method: m}); !floatsNear(got, want, 1e-13) {
			t.Errorf("%s: %v; want %v", m, got, want)
		}
	}
	// three points: scipy's CubicSpline takes the parabola through them, here through
	// (0,1), (2,4), (3,2): 1 + 23/6·x − 7/6·x², so p(1) = 11/3; two points: the line.
	three := FloatSeries(nil, Range(4), []float64{1, nan, 4, 2})
	if got := interpolate(t, three, InterpolateOptions{Method: "cubicspline"}); !floatsNear(got, []float64{1, 11.0 / 3, 4, 2}, 1e-14) {
		t.Errorf("cubicspline, three points: %v", got)
	}
	two := FloatSeries(nil, Range(3), []float64{1, nan, 4})
	if got := interpolate(t, two, InterpolateOptions{Method: "cubicspline"}); !floatsNear(got, []float64{1, 2.5, 4}, 1e-15) {
		t.Errorf("cubicspline, two points: %v", got)
	}
}

// scipy's values (scipy 1.10 through pandas; printed with repr) for the other methods on
// index [0, 1, 2, 3, 4, 5, 6, 8, 9], values [0, NaN, 1, NaN, NaN, 4, NaN, 2, NaN]. The
// trailing NaN at x=9 lies outside the valid points: interp1d kinds and akima leave it
// NaN, pchip and cubicspline extrapolate their last piece.
func TestInterpolateScipyMethods(t *testing.T) {
	nan := math.NaN()
	s := FloatSeries(nil, numIndex(0, 1, 2, 3, 4, 5, 6, 8, 9), []float64{0, nan, 1, nan, nan, 4, nan, 2, nan})
	cases := []struct {
		method string
		want   []float64
	}{
		// the previous valid value
		{"zero", []float64{0, 0, 1, 1, 1, 4, 4, 2, nan}},
		// straight lines: x=6 is a third of the way from (5,4) to (8,2)
		{"slinear", []float64{0, 0.5, 1, 2, 3, 4, 4 - 2.0/3, 2, nan}},
		// the nearer point; x=3 is nearer to 2 than to 5
		{"nearest", []float64{0, 0, 1, 1, 4, 4, 4, 2, nan}},
		{"quadratic", []float64{0, 0.32183908045977017, 1, 2.0344827586206895, 3.2950191570881224, 4, 4.019157088122605, 2, nan}},
		{"cubic", []float64{0, 0.21111111111111108, 1, 2.083333333333333, 3.177777777777778, 4, 4.2666666666666675, 2, nan}},
		{"cubicspline", []float64{0, 0.21111111111111122, 1, 2.0833333333333335, 3.177777777777778, 4, 4.266666666666667, 2, -1.1}},
		{"pchip", []float64{0, 0.41195652173913044, 1, 2.067632850241546, 3.367149758454106, 4, 3.814814814814815, 2, 0.14814814814814814}},
		{"akima", []float64{0, 0.40865384615384615, 1, 1.9145299145299146, 3.0854700854700856, 4, 4.088319088319088, 2, nan}},
	}
	for _, c := range cases {
		if got := interpolate(t, s, InterpolateOptions{Method: c.method}); !floatsNear(got, c.want, 1e-12) {
			t.Errorf("%s: %v; want %v", c.method, got, c.want)
		}
	}
	if got := interpolate(t, s, InterpolateOptions{Method: "polynomial", Order: 2}); !floatsNear(got, cases[3].want, 1e-12) {
		t.Errorf("polynomial order 2 (= quadratic): %v", got)
	}
	// five points, gaps of different widths, and limit_direction both on the
	// extrapolating methods (scipy via pandas)
	five := FloatSeries(nil, numIndex(0, 1, 2, 3, 5, 6, 6.5, 7, 8), []float64{0, 1, nan, 2, nan, 5, nan, nan, 4})
	for _, c := range []struct {
		method string
		want   []float64
	}{
		{"cubic", []float64{0, 1, 1.4737127371273715, 2, 4.138211382113822, 5, 5.177032520325203, 5.107859078590787, 4}},
		{"quadratic", []float64{0, 1, 1.5016722408026757, 2, 4.311036789297659, 5, 5.047240802675585, 4.896321070234113, 4}},
		{"pchip", []float64{0, 1, 1.5100334448160533, 2, 4.367149758454106, 5, 4.946875, 4.7749999999999995, 4}},
		{"akima", []float64{0, 1, 1.53125, 2, 4.083333333333333, 5, 5.13671875, 4.96875, 4}},
	} {
		if got := interpolate(t, five, InterpolateOptions{Method: c.method, LimitDirection: "both"}); !floatsNear(got, c.want, 1e-12) {
			t.Errorf("five points, %s: %v; want %v", c.method, got, c.want)
		}
	}
	// flat stretches (Akima's undefined-slope rule, pchip's zero slopes) and leading and
	// trailing gaps with limit_direction both: akima does not extrapolate, pchip does
	flat := FloatSeries(nil, numIndex(-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), []float64{nan, 1, nan, nan, 2, 2, 2, 2, nan, 5, 7, nan})
	for _, c := range []struct {
		method string
		want   []float64
	}{
		{"akima", []float64{nan, 1, 1.4814814814814814, 1.8518518518518519, 2, 2, 2, 2, 3.03125, 5, 7, nan}},
		{"pchip", []float64{0.37037037037037046, 1, 1.5185185185185184, 1.8703703703703702, 2, 2, 2, 2, 3.064516129032258, 5, 7, 9.150537634408604}},
	} {
		if got := interpolate(t, flat, InterpolateOptions{Method: c.method, LimitDirection: "both"}); !floatsNear(got, c.want, 1e-12) {
			t.Errorf("flat, %s: %v; want %v", c.method, got, c.want)
		}
	}
}

// The tridiagonal not-a-knot construction agrees with gonum's own NotAKnotCubic (a dense
// solve, usable only for small inputs) on random points.
func TestNotAKnotMatchesGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for n := 4; n <= 12; n++ {
		xs := make([]float64, n)
		ys := make([]float64, n)
		x := 0.0
		for i := range xs {
			x += 0.1 + r.Float64()*3
			xs[i], ys[i] = x, r.NormFloat64()
		}
		var ref interp.NotAKnotCubic
		if err := ref.Fit(xs, ys); err != nil {
			t.Fatal(err)
		}
		h, err := notAKnotCubic(xs, ys)
		if err != nil {
			t.Fatal(err)
		}
		for k := 0; k < 50; k++ {
			q := xs[0] + r.Float64()*(xs[n-1]-xs[0])
			if got, want := h.at(q, false), ref.Predict(q); !near(got, want, 1e-9) {
				t.Fatalf("n=%d x=%v: %v; gonum's NotAKnotCubic %v", n, q, got, want)
			}
		}
	}
}

// Error texts are pandas' and scipy's (scipy 1.10 for make_interp_spline's).
func TestInterpolateErrors(t *testing.T) {
	nan := math.NaN()
	s := FloatSeries(nil, Range(4), []float64{1, nan, 3, 2})
	cases := []struct {
		name string
		s    *Series
		opt  InterpolateOptions
		want string
	}{
		{"method", s, InterpolateOptions{Method: "foo"}, "ValueError: method must be one of ['linear', 'time', 'index', 'values', 'nearest', 'zero', 'slinear', 'quadratic', 'cubic', 'barycentric', 'krogh', 'spline', 'polynomial', 'from_derivatives', 'piecewise_polynomial', 'pchip', 'akima', 'cubicspline']. Got 'foo' instead."},
		{"spline order", s, InterpolateOptions{Method: "spline"}, "ValueError: You must specify the order of the spline or polynomial."},
		{"time index", s, InterpolateOptions{Method: "time"}, "ValueError: time-weighted interpolation only works on Series or DataFrames with a DatetimeIndex"},
		{"direction", s, InterpolateOptions{LimitDirection: "x"}, "ValueError: Invalid limit_direction: expecting one of ['forward', 'backward', 'both'], got 'x'."},
		{"area", s, InterpolateOptions{LimitArea: "x"}, "ValueError: Invalid limit_area: expecting one of ['inside', 'outside'], got x."},
		{"pad direction", s, InterpolateOptions{Method: "pad", LimitDirection: "both"}, "ValueError: `limit_direction` must be 'forward' for method `pad`"},
		{"bfill direction", s, InterpolateOptions{Method: "bfill", LimitDirection: "forward"}, "ValueError: `limit_direction` must be 'backward' for method `bfill`"},
		{"limit", s, InterpolateOptions{Limit: -1}, "ValueError: Limit must be greater than 0"},
		{"cubic, 3 points", s, InterpolateOptions{Method: "cubic"}, "ValueError: The number of derivatives at boundaries does not match: expected 1, got 0+0"},
		{"slinear, 1 point", FloatSeries(nil, Range(2), []float64{5, nan}), InterpolateOptions{Method: "slinear"}, "ValueError: x and y arrays must have at least 2 entries"},
		{"cubicspline, 1 point", FloatSeries(nil, Range(2), []float64{5, nan}), InterpolateOptions{Method: "cubicspline"}, "ValueError: `x` must contain at least 2 elements."},
		{"duplicates", FloatSeries(nil, numIndex(0, 1, 1.5, 1, 3), []float64{1, 2, nan, 3, 4}), InterpolateOptions{Method: "cubic"}, "ValueError: Expect x to not have duplicates"},
		{"akima unsorted", FloatSeries(nil, numIndex(3, 1, 0, 2, 4), []float64{1, nan, 2, 3, 4}), InterpolateOptions{Method: "akima"}, "ValueError: `x` must be strictly increasing sequence."},
		{"pchip unsorted", FloatSeries(nil, numIndex(3, 1, 0, 2, 4), []float64{1, nan, 2, 3, 4}), InterpolateOptions{Method: "pchip"}, "ValueError: pchip interpolation requires that the index be monotonic."},
		{"string index", FloatSeries(nil, Objects([]any{"a", "b", "c"}), []float64{1, nan, 3}), InterpolateOptions{Method: "cubic"}, "ValueError: Index column must be numeric or datetime type when using cubic method other than linear. Try setting a numeric or datetime index column before interpolating."},
	}
	for _, c := range cases {
		_, err := Interpolate(context.Background(), c.s, c.opt)
		var de *Error
		if err == nil || !errors.As(err, &de) || err.Error() != c.want {
			t.Errorf("%s: %v; want %s", c.name, err, c.want)
		}
	}
	if _, err := Interpolate(context.Background(), s, InterpolateOptions{Method: "krogh"}); err == nil || !strings.HasPrefix(err.Error(), "NotImplementedError") {
		t.Errorf("krogh: %v", err)
	}
}

// Unsorted index values are sorted for np.interp and interp1d (pandas: [1, 2.5, 2, 3, 4]
// with index [3, 1, 0, 2, 4] for "index"; x=1 lies between (0, 2) and (2, 3)).
func TestInterpolateUnsortedIndex(t *testing.T) {
	s := FloatSeries(nil, numIndex(3, 1, 0, 2, 4), []float64{1, math.NaN(), 2, 3, 4})
	if got := interpolate(t, s, InterpolateOptions{Method: "index"}); !floatsNear(got, []float64{1, 2.5, 2, 3, 4}, 0) {
		t.Errorf("index: %v", got)
	}
	// the cubic through (0,2), (2,3), (3,1), (4,4) at 1 is 5 (pandas)
	if got := interpolate(t, s, InterpolateOptions{Method: "cubic"}); !floatsNear(got, []float64{1, 5, 2, 3, 4}, 1e-13) {
		t.Errorf("cubic: %v", got)
	}
}

func TestInterpolateNoOps(t *testing.T) {
	ints := NewSeries(nil, Range(3), Ints([]int64{1, 2, 3}))
	if r, err := Interpolate(context.Background(), ints, InterpolateOptions{Method: "cubic"}); err != nil || r.Values.DType != Int64 {
		t.Errorf("int series: %+v, %v", r, err)
	}
	objs := NewSeries(nil, Range(3), Objects([]any{int64(1), nil, int64(3)}))
	if r, err := Interpolate(context.Background(), objs, InterpolateOptions{}); err != nil || r.Values.O[1] != nil {
		t.Errorf("object series: %+v, %v", r, err)
	}
	empty := FloatSeries(nil, Floats(nil), nil)
	if r, err := Interpolate(context.Background(), empty, InterpolateOptions{Method: "nonsense"}); err != nil || r.Len() != 0 {
		t.Errorf("empty series: %+v, %v", r, err)
	}
	allNaN := FloatSeries(nil, Range(2), []float64{math.NaN(), math.NaN()})
	if r := interpolate(t, allNaN, InterpolateOptions{Method: "cubic"}); !math.IsNaN(r[0]) {
		t.Errorf("all NaN: %v", r)
	}
	// datetime values, linear: the midpoint of 10 ns and 21 ns truncates to 15
	dt := NewSeries(nil, Range(3), Datetimes([]int64{10, NaT, 21}, UTC))
	r, err := Interpolate(context.Background(), dt, InterpolateOptions{})
	if err != nil || r.Values.DType != Datetime || r.Values.I[1] != 15 {
		t.Errorf("datetime values: %+v, %v", r, err)
	}
}

// No input makes Interpolate panic: every method on few, duplicate, unsorted, infinite
// and NaN-laden points either returns or reports an error.
func TestInterpolateNeverPanics(t *testing.T) {
	methods := append([]string{"pad", "ffill", "bfill", "backfill", "bogus"}, interpMethods...)
	r := rand.New(rand.NewPCG(1, 2))
	pick := []float64{0, 1, 1, 2, math.Inf(1), math.Inf(-1), -3, 1e300, 5e-324}
	for trial := 0; trial < 400; trial++ {
		n := 1 + r.IntN(7)
		x := make([]float64, n)
		y := make([]float64, n)
		for i := range x {
			x[i] = pick[r.IntN(len(pick))]
			y[i] = pick[r.IntN(len(pick))]
			if r.IntN(3) == 0 {
				y[i] = math.NaN()
			}
		}
		s := FloatSeries(nil, Floats(x), y)
		for _, m := range methods {
			for _, dir := range []string{"", "both", "backward"} {
				func() {
					defer func() {
						if p := recover(); p != nil {
							t.Fatalf("method %s, direction %q, x=%v y=%v: panic %v", m, dir, x, y, p)
						}
					}()
					_, _ = Interpolate(context.Background(), s, InterpolateOptions{Method: m, LimitDirection: dir, Order: 1 + r.IntN(3)})
				}()
			}
		}
	}
}

func TestInterpolateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := benchSeries(1000)
	for _, m := range []string{"time", "cubic", "nearest", "pchip"} {
		if _, err := Interpolate(ctx, s, InterpolateOptions{Method: m}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v", m, err)
		}
	}
}

// benchSeries is a sine over n minutes with every tenth value missing.
func benchSeries(n int) *Series {
	ns := make([]int64, n)
	v := make([]float64, n)
	r := rand.New(rand.NewPCG(9, 9))
	t := int64(1577836800e9)
	for i := range ns {
		t += minute/2 + r.Int64N(minute)
		ns[i] = t
		v[i] = math.Sin(float64(i) / 50)
		if i%10 == 5 {
			v[i] = math.NaN()
		}
	}
	return FloatSeries("v", Datetimes(ns, UTC), v)
}

func BenchmarkInterpolate(b *testing.B) {
	for _, m := range []string{"time", "cubic"} {
		for _, n := range []int{10, 10_000, 100_000} {
			s := benchSeries(n)
			b.Run(fmt.Sprintf("%s/%d", m, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Interpolate(context.Background(), s, InterpolateOptions{Method: m}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
