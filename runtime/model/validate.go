package model

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/trafofn/trafofn/runtime/data"
)

// Matrix is a feature (or target) matrix as scikit-learn's check_array leaves it: Rows
// rows of float64 values, stored column by column, and the feature names — a
// DataFrame's column labels when they are all strings, nil otherwise (a numpy array).
type Matrix struct {
	Rows  int
	Cols  [][]float64
	Names []string
}

// Columns builds a Matrix from columns of equal length, like a 2-D numpy array (no
// feature names); the slices are used as they are and never modified.
func Columns(cols ...[]float64) *Matrix {
	m := &Matrix{Cols: cols}
	if len(cols) > 0 {
		m.Rows = len(cols[0])
	}
	return m
}

// Vector is a Series' values reshaped to one column (values.reshape(-1, 1)): an n×1
// array without feature names, converted to float when it is checked.
type Vector struct{ Values data.Column }

func (m *Matrix) shape() string { return fmt.Sprintf("(%d, %d)", m.Rows, len(m.Cols)) }

// arrayCheck is one check_array call: the estimator named in messages, the input's name
// ("X" or "y") and whether values are cast to float32, as trees cast X.
type arrayCheck struct {
	estimator string
	input     string
	float32   bool
}

const reshapeHint = "Reshape your data either using array.reshape(-1, 1) if your data has a single feature or array.reshape(1, -1) if it contains a single sample."

// check converts x to a validated Matrix in check_array's order: conversion to float
// (strings parse as Python's float() does), then no NaN or ±Inf (values beyond float32's
// range count as infinite when cast to float32), then at least one row. DataFrames give
// their feature names; a Series or a flat list fails as a 1-D array, scalars and dicts
// as a 0-D one; a list of equally long lists is a 2-D array without names.
func (c arrayCheck) check(ctx context.Context, x any) (*Matrix, error) {
	var m *Matrix
	switch v := x.(type) {
	case *data.DataFrame:
		names, err := FeatureNames(v)
		if err != nil {
			return nil, err
		}
		if len(v.Columns) == 0 {
			return nil, data.ValueError("at least one array or dtype is required")
		}
		m = &Matrix{Rows: v.Len(), Cols: make([][]float64, len(v.Columns)), Names: names}
		view := allInt64View(v)
		for j, col := range v.Columns {
			if view {
				col = int64View(col)
			}
			if m.Cols[j], err = c.floats(ctx, col); err != nil {
				return nil, err
			}
		}
	case *Matrix:
		if len(v.Cols) == 0 {
			return nil, data.ValueError("at least one array or dtype is required")
		}
		m = &Matrix{Rows: v.Rows, Cols: make([][]float64, len(v.Cols)), Names: v.Names}
		for j, col := range v.Cols {
			var err error
			if m.Cols[j], err = c.floats(ctx, data.Floats(col)); err != nil {
				return nil, err
			}
		}
	case Vector:
		// a Series' .values is a datetime64/timedelta64 array, which check_array casts
		// through its int64 view (NaT is -2**63); object cells fail as Timestamps
		col, err := c.floats(ctx, int64View(v.Values))
		if err != nil {
			return nil, err
		}
		m = &Matrix{Rows: len(col), Cols: [][]float64{col}}
	case *data.Series:
		return nil, data.ValueError("Expected 2D array, got 1D array instead:\narray=%s.\n%s", arrayRepr(v.Values), reshapeHint)
	case []any:
		var err error
		if m, err = c.nested(ctx, v); err != nil {
			return nil, err
		}
	default:
		return nil, data.ValueError("Expected 2D array, got scalar array instead:\narray=%s.\n%s", data.PyStr(x), reshapeHint)
	}
	if err := c.finite(m); err != nil {
		return nil, err
	}
	if m.Rows == 0 {
		return nil, data.ValueError("Found array with 0 sample(s) (shape=%s) while a minimum of 1 is required by %s.", m.shape(), c.estimator)
	}
	return m, nil
}

// nested converts a list of rows (decoded JSON) as np.asarray does.
func (c arrayCheck) nested(ctx context.Context, rows []any) (*Matrix, error) {
	width := -1
	for _, r := range rows {
		l, ok := r.([]any)
		switch {
		case !ok && width < 0:
			width = -2 // scalars: a 1-D array, unless a list follows
		case !ok || width == -2 || width >= 0 && len(l) != width:
			return nil, data.ValueError("setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (%d,) + inhomogeneous part.", len(rows))
		default:
			width = len(l)
		}
	}
	if width < 0 {
		return nil, data.ValueError("Expected 2D array, got 1D array instead:\narray=%s.\n%s", arrayRepr(data.Objects(rows)), reshapeHint)
	}
	if width == 0 {
		return nil, data.ValueError("Found array with 0 feature(s) (shape=(%d, 0)) while a minimum of 1 is required by %s.", len(rows), c.estimator)
	}
	m := &Matrix{Rows: len(rows), Cols: make([][]float64, width)}
	for j := range m.Cols {
		m.Cols[j] = make([]float64, len(rows))
	}
	for i, r := range rows {
		if i%data.CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for j, v := range r.([]any) {
			if v == nil {
				return nil, data.TypeError("float() argument must be a string or a real number, not 'NoneType'")
			}
			f, err := pyFloat(v)
			if err != nil {
				return nil, err
			}
			m.Cols[j][i] = c.cast(f)
		}
	}
	return m, nil
}

// floats converts one column to float64 (float32-rounded when the check casts).
func (c arrayCheck) floats(ctx context.Context, col data.Column) ([]float64, error) {
	switch col.DType {
	case data.Float64:
		if !c.float32 {
			return col.F, nil
		}
		out := make([]float64, len(col.F))
		for i, f := range col.F {
			out[i] = c.cast(f)
		}
		return out, nil
	case data.Int64, data.Bool:
		out := col.AsFloat64().F
		if c.float32 {
			for i, f := range out {
				out[i] = c.cast(f)
			}
		}
		return out, nil
	case data.Datetime:
		return nil, data.TypeError("float() argument must be a string or a real number, not 'Timestamp'")
	case data.Timedeltas:
		return nil, data.TypeError("float() argument must be a string or a real number, not 'Timedelta'")
	}
	out := make([]float64, len(col.O))
	for i, v := range col.O {
		if i%data.CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if v == nil {
			out[i] = math.NaN()
			continue
		}
		f, err := pyFloat(v)
		if err != nil {
			return nil, err
		}
		out[i] = c.cast(f)
	}
	return out, nil
}

func (c arrayCheck) cast(f float64) float64 {
	if c.float32 {
		return float64(float32(f))
	}
	return f
}

// finite is sklearn's _assert_all_finite: NaN is reported before infinity, and for X
// with the estimator's advice on missing values.
func (c arrayCheck) finite(m *Matrix) error {
	inf := false
	for _, col := range m.Cols {
		for _, f := range col {
			if f != f {
				msg := "Input " + c.input + " contains NaN."
				if c.input == "X" {
					msg += "\n" + c.estimator + nanAdvice
				}
				return data.ValueError("%s", msg)
			}
			if math.IsInf(f, 0) {
				inf = true
			}
		}
	}
	if inf {
		dtype := "float64"
		if c.float32 {
			dtype = "float32"
		}
		return data.ValueError("Input %s contains infinity or a value too large for dtype('%s').", c.input, dtype)
	}
	return nil
}

// nanAdvice ends sklearn's NaN error for X, after the estimator's name.
const nanAdvice = " does not accept missing values encoded as NaN natively. For supervised learning, you might want to consider sklearn.ensemble.HistGradientBoostingClassifier and Regressor which accept missing values encoded as NaNs natively. Alternatively, it is possible to preprocess the data, for instance by using an imputer transformer in a pipeline or drop samples with missing values. See https://scikit-learn.org/stable/modules/impute.html You can find a list of all estimators that handle NaN values at the following page: https://scikit-learn.org/stable/modules/impute.html#estimators-that-handle-nan-values"

// FeatureNames is sklearn's _get_feature_names: a DataFrame's column labels when all are
// strings, nil when none is; mixed label types are a TypeError.
func FeatureNames(f *data.DataFrame) ([]string, error) {
	names := make([]string, 0, len(f.Names))
	var other []string
	for _, n := range f.Names {
		if s, ok := n.(string); ok {
			names = append(names, s)
		} else if t := data.PyTypeName(n); !slices.Contains(other, t) {
			other = append(other, t)
		}
	}
	switch {
	case len(other) == 0 && len(names) > 0:
		return names, nil
	case len(names) == 0:
		return nil, nil
	}
	types := append(other, "str")
	slices.Sort(types)
	quoted := make([]string, len(types))
	for i, t := range types {
		quoted[i] = "'" + t + "'"
	}
	return nil, data.TypeError("Feature names are only supported if all input features have string names, but your input has [%s] as feature name / column name types. If you want feature names to be stored and validated, you must convert them all to strings, by using X.columns = X.columns.astype(str) for example. Otherwise you can remove feature / column names from your input data, or convert them all to a non-string data type.", strings.Join(quoted, ", "))
}

// checkFeatureNames is sklearn's _check_feature_names at predict time: names must equal
// the fitted ones in order. A missing side on either end is only a warning in sklearn.
func checkFeatureNames(fitted []string, x any) error {
	f, ok := x.(*data.DataFrame)
	if !ok || fitted == nil {
		return nil
	}
	names, err := FeatureNames(f)
	if err != nil || names == nil || slices.Equal(names, fitted) {
		return err
	}
	var unexpected, missing []string
	for _, n := range names {
		if !slices.Contains(fitted, n) && !slices.Contains(unexpected, n) {
			unexpected = append(unexpected, n)
		}
	}
	for _, n := range fitted {
		if !slices.Contains(names, n) && !slices.Contains(missing, n) {
			missing = append(missing, n)
		}
	}
	slices.Sort(unexpected)
	slices.Sort(missing)
	var b strings.Builder
	b.WriteString("The feature names should match those that were passed during fit.\n")
	list := func(names []string) {
		for i, n := range names {
			if i == 5 {
				b.WriteString("- ...\n")
				return
			}
			b.WriteString("- " + n + "\n")
		}
	}
	if len(unexpected) > 0 {
		b.WriteString("Feature names unseen at fit time:\n")
		list(unexpected)
	}
	if len(missing) > 0 {
		b.WriteString("Feature names seen at fit time, yet now missing:\n")
		list(missing)
	}
	if len(unexpected) == 0 && len(missing) == 0 {
		b.WriteString("Feature names must be in the same order as they were in fit.\n")
	}
	return data.ValueError("%s", b.String())
}

// validateX is _validate_data(X, reset=False) of a fitted estimator: names, values, then
// the number of features.
func validateX(ctx context.Context, x any, c arrayCheck, fitted []string, nFeatures int) (*Matrix, error) {
	if err := checkFeatureNames(fitted, x); err != nil {
		return nil, err
	}
	m, err := c.check(ctx, x)
	if err != nil {
		return nil, err
	}
	if len(m.Cols) != nFeatures {
		return nil, data.ValueError("X has %d features, but %s is expecting %d features as input.", len(m.Cols), c.estimator, nFeatures)
	}
	return m, nil
}

// pyFloat is Python's float(v) for the values a column may hold.
func pyFloat(v any) (float64, error) {
	if f, ok := data.ToFloat(v); ok {
		return f, nil
	}
	s, ok := v.(string)
	if !ok {
		return 0, data.TypeError("float() argument must be a string or a real number, not '%s'", data.PyTypeName(v))
	}
	t := strings.TrimSpace(s)
	lower := strings.ToLower(strings.TrimLeft(t, "+-"))
	valid := t != "" && !strings.HasPrefix(lower, "0x") && !strings.Contains(t, "__") &&
		!strings.HasPrefix(t, "_") && !strings.HasSuffix(t, "_")
	if valid {
		if f, err := strconv.ParseFloat(strings.ReplaceAll(t, "_", ""), 64); err == nil || isRange(err) {
			return f, nil
		}
	}
	return 0, data.ValueError("could not convert string to float: %s", data.PyRepr(s))
}

// isRange reports strconv's out-of-range error: Python's float() gives ±inf (or 0) there.
func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// arrayRepr renders a 1-D array roughly as numpy prints it in sklearn's messages
// (integral floats as "1.", long arrays shortened with "...").
func arrayRepr(c data.Column) string {
	n := c.Len()
	parts := make([]string, 0, min(n, 7))
	for i := 0; i < n; i++ {
		if n > 1000 && i == 3 {
			parts = append(parts, "...")
			i = n - 3
		}
		v := c.At(i)
		if f, ok := v.(float64); ok && f == math.Trunc(f) && !math.IsInf(f, 0) {
			parts = append(parts, strconv.FormatFloat(f, 'f', -1, 64)+".")
			continue
		}
		parts = append(parts, data.PyStr(v))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// int64View is a datetime64/timedelta64 column as numpy's astype(float64) reads it:
// its nanoseconds, NaT as -2**63. Other columns are returned as they are.
func int64View(col data.Column) data.Column {
	if col.DType != data.Datetime && col.DType != data.Timedeltas {
		return col
	}
	f := make([]float64, len(col.I))
	for i, ns := range col.I {
		f[i] = float64(ns)
	}
	return data.Floats(f)
}

// allInt64View reports whether a frame's values are one datetime64 (naive) or one
// timedelta64 array, which check_array casts through the int64 view (pandas 1.5.3 /
// sklearn 1.2: StandardScaler().fit_transform(pd.DataFrame({'t': [NaT, NaT]})) is
// [[0.], [0.]]); mixed with other dtypes, or tz-aware, the cells are Timestamps (or
// numpy's dtype promotion fails), a TypeError.
func allInt64View(f *data.DataFrame) bool {
	if len(f.Columns) == 0 {
		return false
	}
	first := f.Columns[0]
	for _, c := range f.Columns {
		if c.DType != first.DType || (c.DType != data.Datetime && c.DType != data.Timedeltas) || (c.DType == data.Datetime && c.Zone.Aware) {
			return false
		}
	}
	return true
}
