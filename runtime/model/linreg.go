package model

import (
	"context"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// LinearRegression is scikit-learn's LinearRegression() (ordinary least squares with an
// intercept) on a 2-D target, fitted as sklearn fits it: X and y are centred on their
// column means, the centred problem is solved by least squares through the singular
// value decomposition of the centred X (the minimum-norm solution when X is
// rank-deficient; singular values at most machine epsilon times the largest count as
// zero, as LAPACK's gelsd with scipy's default cutoff), and the intercept is
// mean(y) - mean(X)·coef.
type LinearRegression struct {
	// Coef holds one row of coefficients per target (sklearn's coef_, targets × features).
	Coef [][]float64
	// Intercept holds one intercept per target.
	Intercept []float64
	// Rank and Singular are the effective rank and the singular values of the centred X.
	Rank     int
	Singular []float64
	names    []string
}

// FitLinearRegression fits y (targets) on x (features): DataFrames normally, a Matrix
// for numpy arrays. Rows are matched by position, as sklearn matches them.
func FitLinearRegression(ctx context.Context, x, y any) (*LinearRegression, error) {
	xm, err := arrayCheck{estimator: "LinearRegression", input: "X"}.check(ctx, x)
	if err != nil {
		return nil, err
	}
	// the names of y are no feature names: only the values are checked
	ym, err := arrayCheck{estimator: "LinearRegression", input: "y"}.check(ctx, unnamed(y))
	if err != nil {
		return nil, err
	}
	if xm.Rows != ym.Rows {
		return nil, data.ValueError("Found input variables with inconsistent numbers of samples: [%d, %d]", xm.Rows, ym.Rows)
	}
	n, p, k := xm.Rows, len(xm.Cols), len(ym.Cols)
	xMean := make([]float64, p)
	a := mat.NewDense(n, p, nil)
	for j, col := range xm.Cols {
		xMean[j] = data.PairwiseSum(col) / float64(n)
		for i, v := range col {
			a.Set(i, j, v-xMean[j])
		}
	}
	yMean := make([]float64, k)
	b := mat.NewDense(n, k, nil)
	for j, col := range ym.Cols {
		yMean[j] = data.PairwiseSum(col) / float64(n)
		for i, v := range col {
			b.Set(i, j, v-yMean[j])
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// finite values whose mean or centring overflows (near ±1.8e308) reach scipy's
	// lstsq as ±inf/NaN, and its check_finite refuses them
	for _, m := range []*mat.Dense{a, b} {
		for _, v := range m.RawMatrix().Data {
			if math.IsInf(v, 0) || v != v {
				return nil, data.ValueError("array must not contain infs or NaNs")
			}
		}
	}
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDThin) {
		return nil, &data.Error{Type: "LinAlgError", Message: "SVD did not converge in Linear Least Squares"}
	}
	lr := &LinearRegression{Singular: svd.Values(nil), names: xm.Names}
	lr.Rank = svd.Rank(epsilon)
	coef := mat.NewDense(p, k, nil)
	if lr.Rank > 0 {
		svd.SolveTo(coef, b, lr.Rank)
	}
	lr.Coef = make([][]float64, k)
	lr.Intercept = make([]float64, k)
	for t := range k {
		lr.Coef[t] = make([]float64, p)
		dot := 0.0
		for j := range p {
			c := coef.At(j, t)
			lr.Coef[t][j] = c
			dot += xMean[j] * c
		}
		lr.Intercept[t] = yMean[t] - dot
	}
	return lr, nil
}

// epsilon is float64's machine epsilon, scipy's default cutoff for small singular values.
const epsilon = 0x1p-52

// unnamed strips a DataFrame's labels (target names are not validated).
func unnamed(y any) any {
	if f, ok := y.(*data.DataFrame); ok {
		c := *f
		c.Names = make([]any, len(f.Names))
		for i := range c.Names {
			c.Names[i] = int64(i)
		}
		return &c
	}
	return y
}

// PyTypeName is the class name hetida's Python would report.
func (*LinearRegression) PyTypeName() string { return "LinearRegression" }

// Predict is predict(x) = x·coefᵀ + intercept, one Float64 column per target.
func (lr *LinearRegression) Predict(ctx context.Context, x any) ([]data.Column, error) {
	if f, ok := x.(*data.DataFrame); ok && allInt64View(f) {
		x = Vector{Values: f.Columns[0]} // predict keeps the datetime64 dtype: the same dot failure
	}
	if v, ok := x.(Vector); ok && (v.Values.DType == data.Datetime || v.Values.DType == data.Timedeltas) {
		// check_array keeps a datetime64/timedelta64 array (fit's y and X casts happen in
		// its own preprocessing); numpy's dot with the float coefficients then fails
		name := "datetime64"
		if v.Values.DType == data.Timedeltas {
			name = "timedelta64"
		}
		return nil, data.TypeError("The DType <class 'numpy.dtype[%s]'> could not be promoted by <class 'numpy.dtype[float64]'>. This means that no common DType exists for the given inputs. For example they cannot be stored in a single array unless the dtype is `object`. The full list of DTypes is: (<class 'numpy.dtype[%s]'>, <class 'numpy.dtype[float64]'>)", name, name)
	}
	m, err := validateX(ctx, x, arrayCheck{estimator: "LinearRegression", input: "X"}, lr.names, len(lr.Coef[0]))
	if err != nil {
		return nil, err
	}
	out := make([]data.Column, len(lr.Coef))
	for t, coef := range lr.Coef {
		v := make([]float64, m.Rows)
		for i := range v {
			if i%data.CheckEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			s := 0.0
			for j, c := range coef {
				s += m.Cols[j][i] * c
			}
			v[i] = s + lr.Intercept[t]
		}
		out[t] = data.Floats(v)
	}
	return out, nil
}

// DecisionFunction does not exist on a regression: Python's AttributeError.
func (lr *LinearRegression) DecisionFunction(context.Context, any) ([]float64, error) {
	return nil, data.AttributeError(lr, "decision_function")
}

// AppendJSON writes the model as hetida's response encoder writes a fitted sklearn
// LinearRegression: its attributes (vars()) with arrays as nested lists.
func (lr *LinearRegression) AppendJSON(b []byte) ([]byte, error) {
	d := data.NewDict(10)
	d.Set("fit_intercept", true)
	d.Set("copy_X", true)
	d.Set("n_jobs", nil)
	d.Set("positive", false)
	if lr.names != nil {
		names := make([]any, len(lr.names))
		for i, n := range lr.names {
			names[i] = n
		}
		d.Set("feature_names_in_", names)
	}
	d.Set("n_features_in_", int64(len(lr.Coef[0])))
	coef := make([]any, len(lr.Coef))
	for i, c := range lr.Coef {
		coef[i] = c
	}
	d.Set("coef_", coef)
	d.Set("rank_", int64(lr.Rank))
	d.Set("singular_", lr.Singular)
	d.Set("intercept_", lr.Intercept)
	return wire.AppendValue(b, d)
}
