package data

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/interp"
	"gonum.org/v1/gonum/mat"
)

// InterpolateOptions are the keyword arguments of pandas' Series.interpolate.
type InterpolateOptions struct {
	// Method is pandas' method=; "" means "linear".
	Method string
	// Limit is the largest number of consecutive missing values to fill, counted from
	// the valid value the direction starts at; 0 means no limit (pandas' None). A
	// negative limit is pandas' ValueError; use ValidateLimit for a user's value.
	Limit int
	// LimitDirection is "forward", "backward" or "both" (case-insensitive); "" is
	// pandas' default: "backward" for bfill/backfill, otherwise "forward".
	LimitDirection string
	// LimitArea is "", "inside" (only gaps between valid values) or "outside".
	LimitArea string
	// Order is the order of "polynomial" and "spline"; 0 means not given.
	Order int
	// InPlace says the caller owns the series' float64 values: the one-pass numpy path
	// (linearRuns) then writes its result into them instead of into a copy.
	InPlace bool
}

// interpMethods is pandas' NP_METHODS + SP_METHODS, in the order its error lists them.
var interpMethods = []string{"linear", "time", "index", "values", "nearest", "zero", "slinear",
	"quadratic", "cubic", "barycentric", "krogh", "spline", "polynomial", "from_derivatives",
	"piecewise_polynomial", "pchip", "akima", "cubicspline"}

// Interpolate is pandas 2.1's Series.interpolate: it fills missing values of a Float64
// series (Datetime/Timedeltas values: "linear" only) from the valid ones.
//
// The x coordinate depends on the method: "linear" ignores the index (positions
// 0..n−1, equally spaced); "time" uses the DatetimeIndex' nanoseconds; "index", "values"
// and every scipy method use the numeric index values (a DatetimeIndex as nanoseconds).
// Methods, each with the reference implementation it reproduces:
//
//	linear, time, index, values  numpy's interp: piecewise linear; outside the valid
//	                             points the first/last valid value (so trailing NaNs
//	                             become the last value)
//	pad/ffill, bfill/backfill    fillna-style filling (Column.Ffill/Bfill)
//	nearest                      scipy interp1d "nearest" (ties go to the lower x)
//	zero, slinear, quadratic,    scipy interp1d splines of order 0, 1, 2, 3
//	cubic, polynomial (order≤3)  (make_interp_spline; cubic = not-a-knot cubic spline)
//	cubicspline                  scipy CubicSpline (not-a-knot), extrapolating
//	pchip                        scipy PchipInterpolator (Fritsch–Butland), extrapolating
//	akima                        scipy Akima1DInterpolator (scipy 1.12)
//
// interp1d methods and akima give NaN outside the valid points, so trailing (and with
// limit_direction "both" leading) NaNs stay NaN for them. Which missing values are kept
// follows pandas' _interpolate_1d: "forward" keeps the leading ones and those more than
// Limit positions after the last valid value, "backward" the trailing ones and those more
// than Limit before the next valid value, "both" only those beyond the limit in both
// directions; LimitArea "inside"/"outside" additionally keeps the outer/inner ones.
// Example ("time", minutes 0,1,2,6,7,8): [NaN,1,NaN,3,NaN,NaN] → [NaN,1,1.4,3,3,3].
//
// Int64 and Bool series hold no missing values and Object series are not interpolated
// (pandas 2.1 returns both unchanged); an empty series is returned as is. Errors are
// pandas' and scipy's ValueErrors with their texts; "spline", "barycentric", "krogh",
// "from_derivatives" and "piecewise_polynomial" are a NotImplementedError.
func Interpolate(ctx context.Context, s *Series, opt InterpolateOptions) (*Series, error) {
	if s.Len() == 0 {
		return s, nil
	}
	method := opt.Method
	if method == "" {
		method = "linear"
	}
	dir, err := inferLimitDirection(opt.LimitDirection, method)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(method) {
	case "pad", "ffill", "bfill", "backfill":
		area, err := validateLimitArea(opt.LimitArea)
		if err != nil {
			return nil, err
		}
		if opt.Limit < 0 {
			return nil, ValueError("Limit must be greater than 0")
		}
		return s.With(padOrBackfill(s.Values, strings.ToLower(method), opt.Limit, area)), nil
	}
	if method != "linear" {
		switch method {
		case "index", "values", "nearest", "time":
		default:
			if !s.Index.IsNumeric() && s.Index.DType != Datetime && s.Index.DType != Timedeltas {
				return nil, ValueError("Index column must be numeric or datetime type when using %s method other than linear. Try setting a numeric or datetime index column before interpolating.", method)
			}
		}
		if s.Index.HasNA() {
			return nil, NotImplementedError("Interpolation with NaNs in the index has not been implemented. Try filling those NaNs before interpolating.")
		}
	}
	switch s.Values.DType {
	case Int64, Bool, Object:
		return s, nil
	case Datetime, Timedeltas:
		if method != "linear" {
			return nil, NotImplementedError("interpolating %s values supports method 'linear' only", s.Values.DType)
		}
	}
	if !slices.Contains(interpMethods, method) {
		return nil, ValueError("method must be one of %s. Got '%s' instead.", PyRepr(stringsToAny(interpMethods)), method)
	}
	if (method == "spline" || method == "polynomial") && opt.Order == 0 {
		return nil, ValueError("You must specify the order of the spline or polynomial.")
	}
	if (method == "krogh" || method == "piecewise_polynomial" || method == "pchip") && !s.Index.IsMonotonicIncreasing() {
		return nil, ValueError("%s interpolation requires that the index be monotonic.", method)
	}
	if method == "time" {
		if s.Index.DType != Datetime {
			return nil, ValueError("time-weighted interpolation only works on Series or DataFrames with a DatetimeIndex")
		}
		method = "values"
	}
	switch dir {
	case "forward", "backward", "both":
	default:
		return nil, ValueError("Invalid limit_direction: expecting one of ['forward', 'backward', 'both'], got '%s'.", dir)
	}
	area, err := validateLimitArea(opt.LimitArea)
	if err != nil {
		return nil, err
	}
	if opt.Limit < 0 {
		return nil, ValueError("Limit must be greater than 0")
	}

	n := s.Len()
	y := s.Values.AsFloat64().F
	xAt, err := interpX(s.Index, method)
	if err != nil {
		return nil, err
	}
	if s.Values.DType == Float64 && opt.Limit == 0 && area == "" {
		if out, ok, err := linearRuns(ctx, s.Index, y, nil, opt.InPlace, method, dir); err != nil {
			return nil, err
		} else if ok {
			return s.With(Floats(out)), nil
		}
	}
	nValid := 0
	for _, v := range y {
		if v == v {
			nValid++
		}
	}
	if nValid == 0 || nValid == n {
		return s, nil
	}
	xv := make([]float64, 0, nValid)
	yv := make([]float64, 0, nValid)
	xq := make([]float64, 0, n-nValid)
	for i, v := range y {
		if v == v {
			xv = append(xv, xAt(i))
			yv = append(yv, v)
		} else {
			xq = append(xq, xAt(i))
		}
	}
	vals, err := interpolateAt(ctx, method, opt.Order, xv, yv, xq)
	if err != nil {
		return nil, err
	}
	out := make([]float64, n)
	copy(out, y)
	k := 0
	for i, v := range y {
		if v != v {
			out[i] = vals[k]
			k++
		}
	}
	keepMissing(out, y, dir, opt.Limit, area)
	switch s.Values.DType {
	case Datetime, Timedeltas:
		ns := make([]int64, n)
		for i, v := range out {
			if v != v {
				ns[i] = NaT
			} else {
				ns[i] = int64(v) // numpy's float → int64 assignment truncates
			}
		}
		c := s.Values
		c.I = ns
		return s.With(c), nil
	}
	return s.With(Floats(out)), nil
}

// interpX returns the x coordinate of row i: the position for "linear", otherwise the
// index value as float64 (datetimes and timedeltas in nanoseconds), as pandas'
// _index_to_interp_indices.
func interpX(index Column, method string) (func(i int) float64, error) {
	if method == "linear" {
		return func(i int) float64 { return float64(i) }, nil
	}
	switch index.DType {
	case Float64:
		return func(i int) float64 { return index.F[i] }, nil
	case Int64, Datetime, Timedeltas:
		return func(i int) float64 { return float64(index.I[i]) }, nil
	}
	x, ok := index.FloatValues()
	if !ok {
		if method == "nearest" {
			return nil, TypeError("unsupported operand type(s) for /: '%s' and 'float'", index.ScalarTypeName())
		}
		return nil, TypeError("Cannot cast array data from dtype('O') to dtype('float64') according to the rule 'safe'")
	}
	return func(i int) float64 { return x[i] }, nil
}

func stringsToAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// inferLimitDirection is pandas' infer_limit_direction.
func inferLimitDirection(dir, method string) (string, error) {
	if dir == "" {
		if method == "backfill" || method == "bfill" {
			return "backward", nil
		}
		return "forward", nil
	}
	if (method == "pad" || method == "ffill") && dir != "forward" {
		return "", ValueError("`limit_direction` must be 'forward' for method `%s`", method)
	}
	if (method == "backfill" || method == "bfill") && dir != "backward" {
		return "", ValueError("`limit_direction` must be 'backward' for method `%s`", method)
	}
	return strings.ToLower(dir), nil
}

// validateLimitArea is pandas' validate_limit_area.
func validateLimitArea(area string) (string, error) {
	if area == "" {
		return "", nil
	}
	a := strings.ToLower(area)
	if a != "inside" && a != "outside" {
		return "", ValueError("Invalid limit_area: expecting one of ['inside', 'outside'], got %s.", a)
	}
	return a, nil
}

// padOrBackfill is interpolate(method="pad"/"bfill"): fillna-style filling with limit and
// limit_area (pandas' _fill_limit_area_1d).
func padOrBackfill(c Column, method string, limit int, area string) Column {
	var r Column
	if method == "pad" || method == "ffill" {
		r = c.Ffill(limit)
	} else {
		r = c.Bfill(limit)
	}
	if area == "" || r.DType == Int64 || r.DType == Bool {
		return r
	}
	n := c.Len()
	first, last := -1, -1
	for i := 0; i < n; i++ {
		if !c.IsNA(i) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return r
	}
	var keep []int
	for i := 0; i < n; i++ {
		if !c.IsNA(i) {
			continue
		}
		outside := i < first || i > last
		if area == "inside" && outside || area == "outside" && !outside {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 {
		return r
	}
	pos := make([]int, n)
	for i := range pos {
		pos[i] = i
	}
	for _, i := range keep {
		pos[i] = -1
	}
	return r.Take(pos)
}

// keepMissing puts back the missing values that pandas' _interpolate_1d preserves
// (preserve_nans): by limit and direction, then by limit area. orig holds the input with
// its NaNs; out is modified.
func keepMissing(out, orig []float64, dir string, limit int, area string) {
	n := len(orig)
	beyond := func(d int) bool { return limit > 0 && d > limit }
	for a := 0; a < n; a++ {
		if orig[a] == orig[a] {
			continue
		}
		b := a // the run of missing values a..b, between valid values at a−1 and b+1
		for b+1 < n && orig[b+1] != orig[b+1] {
			b++
		}
		start, end := a == 0, b == n-1
		for i := a; i <= b; i++ {
			// distances to the valid values before and after; a missing side never
			// satisfies "within the limit"
			dF, dB := i-a+1, b+1-i
			var keep bool
			switch dir {
			case "forward":
				keep = start || beyond(dF)
			case "backward":
				keep = end || beyond(dB)
			default:
				keep = (start || beyond(dF)) && (end || beyond(dB))
			}
			switch area {
			case "inside":
				keep = keep || start || end
			case "outside":
				keep = keep || !start && !end
			}
			if keep {
				out[i] = math.NaN()
			}
		}
		a = b
	}
}

// interpolateAt evaluates method's interpolant through the valid points (xv, yv), given
// in series order, at xq.
func interpolateAt(ctx context.Context, method string, order int, xv, yv, xq []float64) ([]float64, error) {
	switch method {
	case "linear", "values", "index":
		xs, ys := sortedPoints(xv, yv)
		return npInterp(ctx, xs, ys, xq)
	case "nearest":
		xs, ys := sortedPoints(xv, yv)
		return nearestAt(ctx, xs, ys, xq)
	case "zero":
		return splineAt(ctx, 0, xv, yv, xq)
	case "slinear":
		return splineAt(ctx, 1, xv, yv, xq)
	case "quadratic":
		return splineAt(ctx, 2, xv, yv, xq)
	case "cubic":
		return splineAt(ctx, 3, xv, yv, xq)
	case "polynomial":
		if order < 0 || order > 3 {
			return nil, NotImplementedError("polynomial interpolation of order %d is not supported (orders 1 to 3 are)", order)
		}
		return splineAt(ctx, order, xv, yv, xq)
	case "cubicspline", "pchip", "akima":
		return hermiteAt(ctx, method, xv, yv, xq)
	}
	return nil, NotImplementedError("interpolation method '%s' is not supported", method)
}

// sortedPoints sorts the points by x, stably. scipy's interp1d sorts with mergesort
// (stable) too; pandas sorts for np.interp with numpy's default quicksort, which is not
// stable beyond 16 points, so with several valid points at one x "linear"/"index" may
// take the other one of them as the segment end than pandas does.
func sortedPoints(xv, yv []float64) (xs, ys []float64) {
	if sort.Float64sAreSorted(xv) {
		return xv, yv
	}
	order := make([]int, len(xv))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return xv[order[a]] < xv[order[b]] })
	xs = make([]float64, len(xv))
	ys = make([]float64, len(xv))
	for i, o := range order {
		xs[i], ys[i] = xv[o], yv[o]
	}
	return xs, ys
}

// npInterp is numpy's interp(xq, xs, ys) for sorted xs, branch for branch (compiled_base.c):
// the first/last value outside, the value itself on a point, otherwise the slope form
// with its NaN fallbacks.
func npInterp(ctx context.Context, xs, ys, xq []float64) ([]float64, error) {
	n := len(xs)
	out := make([]float64, len(xq))
	for i, x := range xq {
		if i%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if x != x {
			out[i] = x
			continue
		}
		if n == 1 {
			out[i] = ys[0] // below, above or on the only point: its value
			continue
		}
		// j: the last index with xs[j] <= x; −1 below, n above the range
		var j int
		switch {
		case x > xs[n-1]:
			j = n
		case x < xs[0]:
			j = -1
		default:
			j = sort.Search(n, func(k int) bool { return xs[k] > x }) - 1
		}
		switch {
		case j == -1:
			out[i] = ys[0]
		case j == n:
			out[i] = ys[n-1]
		case j == n-1:
			out[i] = ys[j]
		case xs[j] == x:
			out[i] = ys[j]
		default:
			slope := (ys[j+1] - ys[j]) / (xs[j+1] - xs[j])
			r := slope*(x-xs[j]) + ys[j]
			if r != r {
				r = slope*(x-xs[j+1]) + ys[j+1]
				if r != r && ys[j] == ys[j+1] {
					r = ys[j]
				}
			}
			out[i] = r
		}
	}
	return out, nil
}

// nearestAt is scipy's interp1d(kind="nearest"): the bounds between neighbours are
// x[i]/2 + x[i+1]/2, a query on a bound takes the lower point (searchsorted left), and
// queries outside [x₀, xₙ₋₁] are NaN (pandas passes bounds_error=False, fill NaN).
func nearestAt(ctx context.Context, xs, ys, xq []float64) ([]float64, error) {
	n := len(xs)
	bds := make([]float64, n-1)
	for i := range bds {
		bds[i] = xs[i+1]/2 + xs[i]/2
	}
	out := make([]float64, len(xq))
	for i, x := range xq {
		if i%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if !(x >= xs[0] && x <= xs[n-1]) {
			out[i] = math.NaN()
			continue
		}
		j := sort.SearchFloat64s(bds, x)
		out[i] = ys[min(j, n-1)]
	}
	return out, nil
}

// splineAt is scipy's interp1d(kind=zero|slinear|quadratic|cubic), that is
// make_interp_spline of degree k through the sorted points, NaN outside their range.
// Degrees 0 to 2 are evaluated as scipy's B-splines (de Boor); degree 3 — the not-a-knot
// cubic spline — is built as scipy's CubicSpline, the same function with the same
// values up to rounding.
func splineAt(ctx context.Context, k int, xv, yv, xq []float64) ([]float64, error) {
	xs, ys := sortedPoints(xv, yv)
	n := len(xs)
	for i := 1; i < n; i++ {
		if xs[i] == xs[i-1] {
			return nil, ValueError("Expect x to not have duplicates")
		}
	}
	if k >= 2 && n < k+1 {
		// make_interp_spline: the not-a-knot knot vector always has 2(k+1) knots
		// when n ≤ k+1, so k+1−n boundary conditions would be needed.
		return nil, ValueError("The number of derivatives at boundaries does not match: expected %d, got 0+0", k+1-n)
	}
	if k == 1 && n < 2 {
		return nil, ValueError("x and y arrays must have at least 2 entries")
	}
	var eval func(x float64) float64
	switch k {
	case 0:
		t := append(append(make([]float64, 0, n+1), xs...), xs[n-1])
		eval = func(x float64) float64 { return deBoor(t, ys, 0, x) }
	case 1:
		t := make([]float64, 0, n+2)
		t = append(append(append(t, xs[0]), xs...), xs[n-1])
		eval = func(x float64) float64 { return deBoor(t, ys, 1, x) }
	case 2:
		t, c, err := quadraticSpline(xs, ys)
		if err != nil {
			return nil, err
		}
		eval = func(x float64) float64 { return deBoor(t, c, 2, x) }
	default:
		pc, err := notAKnotCubic(xs, ys)
		if err != nil {
			return nil, err
		}
		eval = func(x float64) float64 { return pc.at(x, false) }
	}
	out := make([]float64, len(xq))
	for i, x := range xq {
		if i%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if !(x >= xs[0] && x <= xs[n-1]) {
			out[i] = math.NaN()
			continue
		}
		out[i] = eval(x)
	}
	return out, nil
}

// deBoor evaluates the B-spline (t, c, k) at x inside its base interval, as scipy's
// evaluate_spline: the knot interval l with t[l] ≤ x < t[l+1] (the last one for the
// right end), the k+1 non-zero basis values by the Cox–de Boor recursion, then
// Σ c[l−k+a]·B[a].
func deBoor(t, c []float64, k int, x float64) float64 {
	nc := len(t) - k - 1
	l := sort.Search(len(t), func(i int) bool { return t[i] > x }) - 1
	l = max(k, min(l, nc-1))
	var h, hh [4]float64
	h[0] = 1
	for j := 1; j <= k; j++ {
		copy(hh[:j], h[:j])
		h[0] = 0
		for m := 1; m <= j; m++ {
			xb, xa := t[l+m], t[l+m-j]
			if xb == xa {
				h[m] = 0
				continue
			}
			w := hh[m-1] / (xb - xa)
			h[m-1] += w * (xb - x)
			h[m] = w * (x - xa)
		}
	}
	var r float64
	for a := 0; a <= k; a++ {
		r += c[l-k+a] * h[a]
	}
	return r
}

// quadraticSpline is scipy's make_interp_spline(x, y, k=2): knots x₀ three times, the
// midpoints between x₁…xₙ₋₂ and their neighbours ((x[i]+x[i+1])/2 for i = 1…n−3), xₙ₋₁
// three times; the coefficients interpolate every point. With these knots each point
// touches three consecutive basis functions, so the collocation system is tridiagonal
// (first and last rows are unit rows) and gonum solves it.
func quadraticSpline(xs, ys []float64) (t, c []float64, err error) {
	n := len(xs)
	t = make([]float64, 0, n+3)
	t = append(t, xs[0], xs[0], xs[0])
	for i := 1; i <= n-3; i++ {
		t = append(t, (xs[i]+xs[i+1])/2)
	}
	t = append(t, xs[n-1], xs[n-1], xs[n-1])
	dl := make([]float64, n-1)
	d := make([]float64, n)
	du := make([]float64, n-1)
	d[0], d[n-1] = 1, 1
	for i := 1; i < n-1; i++ {
		b := bsplineBasis2(t, i+1, xs[i])
		dl[i-1], d[i], du[i] = b[0], b[1], b[2]
	}
	sol, err := solveTridiag(dl, d, du, ys)
	if err != nil {
		return nil, nil, err
	}
	return t, sol, nil
}

// bsplineBasis2 returns the three non-zero quadratic basis values at x in knot interval l.
func bsplineBasis2(t []float64, l int, x float64) [3]float64 {
	var h, hh [3]float64
	h[0] = 1
	for j := 1; j <= 2; j++ {
		copy(hh[:j], h[:j])
		h[0] = 0
		for m := 1; m <= j; m++ {
			xb, xa := t[l+m], t[l+m-j]
			w := hh[m-1] / (xb - xa)
			h[m-1] += w * (xb - x)
			h[m] = w * (x - xa)
		}
	}
	return h
}

// solveTridiag solves the tridiagonal system with gonum (LAPACK's dgtsv, partial
// pivoting); a singular system is scipy's LinAlgError, reported as a ValueError.
func solveTridiag(dl, d, du, b []float64) (x []float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = ValueError("interpolation failed: %v", r)
		}
	}()
	a := mat.NewTridiag(len(d), dl, d, du)
	dst := mat.NewVecDense(len(b), nil)
	if err := a.SolveVecTo(dst, false, mat.NewVecDense(len(b), append([]float64(nil), b...))); err != nil {
		return nil, ValueError("Matrix is singular.")
	}
	return dst.RawVector().Data, nil
}

// hermite is a piecewise cubic Hermite interpolant (gonum's PiecewiseCubic) with scipy's
// PPoly extrapolation: outside the points the first or last cubic piece continues.
type hermite struct {
	pc     interp.PiecewiseCubic
	xs, ys []float64
	ds     []float64 // dy/dx at the points
}

func newHermite(xs, ys, ds []float64) (h *hermite, err error) {
	defer func() {
		if r := recover(); r != nil {
			h, err = nil, ValueError("interpolation failed: %v", r)
		}
	}()
	h = &hermite{xs: xs, ys: ys, ds: ds}
	h.pc.FitWithDerivatives(xs, ys, ds)
	return h, nil
}

// at evaluates the interpolant; extrapolate selects PPoly's behaviour outside the points
// (continue the end pieces) over NaN.
func (h *hermite) at(x float64, extrapolate bool) float64 {
	n := len(h.xs)
	switch {
	case x >= h.xs[0] && x <= h.xs[n-1]:
		return h.pc.Predict(x)
	case !extrapolate || x != x:
		return math.NaN()
	case x < h.xs[0]:
		return cubicPiece(h.xs[0], h.xs[1], h.ys[0], h.ys[1], h.ds[0], h.ds[1], x)
	}
	return cubicPiece(h.xs[n-2], h.xs[n-1], h.ys[n-2], h.ys[n-1], h.ds[n-2], h.ds[n-1], x)
}

// cubicPiece evaluates the cubic Hermite polynomial with values y0, y1 and slopes d0, d1
// at x0, x1 — at any x, the piece's continuation outside [x0, x1] included. The
// coefficients are gonum's FitWithDerivatives'.
func cubicPiece(x0, x1, y0, y1, d0, d1, x float64) float64 {
	dx := x1 - x0
	dy := y1 - y0
	a2 := (3*dy - (2*d0+d1)*dx) / dx / dx
	a3 := (-2*dy + (d0+d1)*dx) / dx / dx / dx
	t := x - x0
	return ((a3*t+a2)*t+d0)*t + y0
}

// hermiteAt is scipy's CubicSpline (not-a-knot, extrapolating), PchipInterpolator
// (extrapolating) and Akima1DInterpolator (NaN outside) through the points in series
// order, which must be strictly increasing in x, as scipy requires.
func hermiteAt(ctx context.Context, method string, xs, ys, xq []float64) ([]float64, error) {
	n := len(xs)
	if n < 2 {
		return nil, ValueError("`x` must contain at least 2 elements.")
	}
	for i := 1; i < n; i++ {
		if !(xs[i] > xs[i-1]) {
			return nil, ValueError("`x` must be strictly increasing sequence.")
		}
	}
	var h *hermite
	var err error
	switch method {
	case "cubicspline":
		h, err = notAKnotCubic(xs, ys)
	case "pchip":
		h, err = pchip(xs, ys)
	default:
		h, err = newHermite(xs, ys, akimaSlopes(xs, ys))
	}
	if err != nil {
		return nil, err
	}
	extrapolate := method != "akima"
	out := make([]float64, len(xq))
	for i, x := range xq {
		if i%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = h.at(x, extrapolate)
	}
	return out, nil
}

// notAKnotCubic is scipy's CubicSpline(x, y) with the default not-a-knot conditions: the
// slopes solve scipy's tridiagonal system (continuity of the second derivative at inner
// points, a continuous third derivative at x₁ and xₙ₋₂ folded into the first and last
// rows), gonum solves it, and the Hermite pieces are gonum's. Two points give the line,
// three the parabola through them (scipy's special cases).
func notAKnotCubic(xs, ys []float64) (*hermite, error) {
	n := len(xs)
	dx := make([]float64, n-1)
	slope := make([]float64, n-1)
	for i := range dx {
		dx[i] = xs[i+1] - xs[i]
		slope[i] = (ys[i+1] - ys[i]) / dx[i]
	}
	s := make([]float64, n)
	switch n {
	case 2:
		s[0], s[1] = slope[0], slope[0]
	case 3:
		a := mat.NewDense(3, 3, []float64{
			1, 1, 0,
			dx[1], 2 * (dx[0] + dx[1]), dx[0],
			0, 1, 1,
		})
		b := mat.NewVecDense(3, []float64{2 * slope[0], 3 * (dx[0]*slope[1] + dx[1]*slope[0]), 2 * slope[1]})
		var sol mat.VecDense
		if err := sol.SolveVec(a, b); err != nil {
			// gonum reports ill-conditioning with the solution computed; only a singular
			// matrix (infinite condition number) has none. The determinant is
			// dx₀+dx₁ > 0, so this is a guard.
			var cond mat.Condition
			if !errors.As(err, &cond) || math.IsInf(float64(cond), 1) {
				return nil, ValueError("Matrix is singular.")
			}
		}
		copy(s, sol.RawVector().Data)
	default:
		dl := make([]float64, n-1) // dl[i-1] = A[i][i-1]
		d := make([]float64, n)
		du := make([]float64, n-1) // du[i] = A[i][i+1]
		b := make([]float64, n)
		for i := 1; i < n-1; i++ {
			dl[i-1] = dx[i]
			d[i] = 2 * (dx[i-1] + dx[i])
			du[i] = dx[i-1]
			b[i] = 3 * (dx[i]*slope[i-1] + dx[i-1]*slope[i])
		}
		d0 := xs[2] - xs[0]
		d[0] = dx[1]
		du[0] = d0
		b[0] = ((dx[0]+2*d0)*dx[1]*slope[0] + dx[0]*dx[0]*slope[1]) / d0
		d1 := xs[n-1] - xs[n-3]
		d[n-1] = dx[n-3]
		dl[n-2] = d1
		b[n-1] = (dx[n-2]*dx[n-2]*slope[n-3] + (2*d1+dx[n-2])*dx[n-3]*slope[n-2]) / d1
		sol, err := solveTridiag(dl, d, du, b)
		if err != nil {
			return nil, err
		}
		s = sol
	}
	return newHermite(xs, ys, s)
}

// pchip is scipy's PchipInterpolator: gonum's FritschButland computes the same
// derivatives (weighted harmonic mean inside, Moler's shape-preserving three-point
// formula at the ends, the line for two points); they are read back at the points for
// the extrapolating end pieces.
func pchip(xs, ys []float64) (h *hermite, err error) {
	defer func() {
		if r := recover(); r != nil {
			h, err = nil, ValueError("interpolation failed: %v", r)
		}
	}()
	var fb interp.FritschButland
	if err := fb.Fit(xs, ys); err != nil {
		return nil, fmt.Errorf("pchip: %w", err)
	}
	ds := make([]float64, len(xs))
	for i, x := range xs {
		ds[i] = fb.PredictDerivative(x)
	}
	return newHermite(xs, ys, ds)
}

// akimaSlopes are scipy 1.12's Akima1DInterpolator derivatives: the segment slopes m
// extended by two linear extrapolations at each end, and at point i
// (|m[i+3]−m[i+2]|·m[i+1] + |m[i+1]−m[i]|·m[i+2]) / (sum of the two weights), or the
// mean of m[i+1] and m[i+2] where the weights' sum is not above 1e-9 times the largest
// sum. (gonum's AkimaSpline differs in that threshold.) With two points scipy reads
// uninitialised memory; the line's slope is used here.
func akimaSlopes(xs, ys []float64) []float64 {
	n := len(xs)
	ds := make([]float64, n)
	if n == 2 {
		sl := (ys[1] - ys[0]) / (xs[1] - xs[0])
		ds[0], ds[1] = sl, sl
		return ds
	}
	m := make([]float64, n+3)
	for i := 0; i < n-1; i++ {
		m[i+2] = (ys[i+1] - ys[i]) / (xs[i+1] - xs[i])
	}
	m[1] = 2*m[2] - m[3]
	m[0] = 2*m[1] - m[2]
	m[n+1] = 2*m[n] - m[n-1]
	m[n+2] = 2*m[n+1] - m[n]
	f12 := make([]float64, n)
	maxF := math.Inf(-1)
	for i := 0; i < n; i++ {
		f1 := math.Abs(m[i+3] - m[i+2])
		f2 := math.Abs(m[i+1] - m[i])
		f12[i] = f1 + f2
		if f12[i] > maxF || f12[i] != f12[i] {
			maxF = f12[i]
		}
	}
	for i := 0; i < n; i++ {
		if f12[i] > 1e-9*maxF {
			f1 := math.Abs(m[i+3] - m[i+2])
			f2 := math.Abs(m[i+1] - m[i])
			ds[i] = (f1*m[i+1] + f2*m[i+2]) / f12[i]
		} else {
			ds[i] = .5 * (m[i+3] + m[i])
		}
	}
	return ds
}
