package data

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
)

// StandardScale is scikit-learn's StandardScaler().fit_transform(frame) (sklearn 1.2):
// every column becomes (x − mean) / scale, a DataFrame of float64 columns with the frame's
// index and names. Per column, over its n non-NaN values (NaN are ignored by the fit and
// stay NaN):
//
//	mean  = Σx / n                      (numpy's pairwise sum)
//	var   = (Σ(x − mean)² − (Σ(x − mean))² / n) / n   (ddof 0, sklearn's corrected two-pass)
//	scale = √var, or 1 where the column is constant: var ≤ n·ε·var + (n·mean·ε)²
//
// so a constant column gives 0 up to the rounding of its mean (0.1, 0.1, 0.1 gives
// −1.39e−17, as sklearn does), and an all-NaN column stays NaN.
//
// sklearn's input checks, in its order: column names mixing strings with other types
// (TypeError "Feature names are only supported if all input features have string
// names…"); values that are not numbers (ValueError "could not convert string to float:
// 'x'"); a frame without columns (ValueError "at least one array or dtype is required");
// ±inf (ValueError "Input X contains infinity or a value too large for
// dtype('float64')."); no rows (ValueError "Found array with 0 sample(s) (shape=(0, k))
// while a minimum of 1 is required by StandardScaler."). Bool columns scale as 0/1. A
// frame of naive datetime (or timedelta) columns only scales their nanoseconds (NaT as
// -2**63, numpy's int64 view); next to columns of other dtypes numpy's dtype promotion
// fails (TypeError), and tz-aware cells are Timestamps float() refuses.
func (f *DataFrame) StandardScale(ctx context.Context) (*DataFrame, error) {
	if err := checkFeatureNames(f.Names); err != nil {
		return nil, err
	}
	if err := datetimeFrameCheck(f); err != nil {
		return nil, err
	}
	cols := make([][]float64, len(f.Columns))
	for j, c := range f.Columns {
		if c.DType == Datetime || c.DType == Timedeltas {
			// one datetime64 (or timedelta64) array: the int64 view, NaT -2**63
			v := make([]float64, len(c.I))
			for i, ns := range c.I {
				v[i] = float64(ns)
			}
			cols[j] = v
		} else if c.DType == Object {
			v, err := ObjectFloats(ctx, c.O)
			if err != nil {
				return nil, err
			}
			cols[j] = v
		} else {
			cols[j] = c.AsFloat64().F
		}
	}
	if len(cols) == 0 {
		return nil, ValueError("at least one array or dtype is required")
	}
	for _, v := range cols {
		for i, x := range v {
			if err := checkCtx(ctx, i); err != nil {
				return nil, err
			}
			if math.IsInf(x, 0) {
				return nil, ValueError("Input X contains infinity or a value too large for dtype('float64').")
			}
		}
	}
	if f.Len() == 0 {
		return nil, ValueError("Found array with 0 sample(s) (shape=(0, %d)) while a minimum of 1 is required by StandardScaler.", len(cols))
	}
	out := make([]Column, len(cols))
	for j, v := range cols {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out[j] = Floats(standardScale(v))
	}
	return NewDataFrame(f.Index, slices.Clone(f.Names), out), nil
}

// standardScale scales one column as StandardScaler does (see DataFrame.StandardScale).
func standardScale(x []float64) []float64 {
	n := float64(NanCount(x))
	mean := NanSum(x) / n
	dev := make([]float64, len(x))
	for i, v := range x {
		if v == v {
			dev[i] = v - mean
		}
	}
	correction := PairwiseSum(dev)
	for i, d := range dev {
		dev[i] = d * d
	}
	variance := (PairwiseSum(dev) - correction*correction/n) / n
	const eps = 0x1p-52
	scale := math.Sqrt(variance)
	if bound := n*eps*variance + (n*mean*eps)*(n*mean*eps); variance <= bound {
		scale = 1
	}
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = (v - mean) / scale
	}
	return out
}

// checkFeatureNames is sklearn's _get_feature_names check: column names that mix strings
// with other types are refused.
func checkFeatureNames(names []any) error {
	seen := map[string]bool{}
	for _, n := range names {
		seen[PyTypeName(n)] = true
	}
	if len(seen) < 2 || !seen["str"] {
		return nil
	}
	types := make([]string, 0, len(seen))
	for t := range seen {
		types = append(types, t)
	}
	slices.Sort(types)
	quoted := make([]string, len(types))
	for i, t := range types {
		quoted[i] = "'" + t + "'"
	}
	return TypeError("%s", fmt.Sprintf("Feature names are only supported if all input features have string names, "+
		"but your input has [%s] as feature name / column name types. If you want feature names to be "+
		"stored and validated, you must convert them all to strings, by using X.columns = X.columns.astype(str) "+
		"for example. Otherwise you can remove feature / column names from your input data, or convert them "+
		"all to a non-string data type.", strings.Join(quoted, ", ")))
}

// datetimeFrameCheck is what check_array meets in a frame with datetime or timedelta
// columns: numpy's promotion of the column dtypes fails where a datetime64/timedelta64
// column meets a numeric one (pandas 1.5.3 / sklearn 1.2: "The DType <class
// 'numpy.dtype[float64]'> could not be promoted by <class 'numpy.dtype[datetime64]'>.
// …"), and tz-aware columns are objects whose Timestamps float() refuses.
func datetimeFrameCheck(f *DataFrame) error {
	npName := func(c Column) string {
		switch c.DType {
		case Float64:
			return "float64"
		case Int64:
			return "int64"
		case Bool:
			return "bool_"
		case Datetime:
			return "datetime64"
		case Timedeltas:
			return "timedelta64"
		}
		return "object_"
	}
	var acc string
	aware := false
	for _, c := range f.Columns {
		if c.DType == Datetime && c.Zone.Aware {
			aware = true
			continue // DatetimeTZDtype is no numpy dtype: no promotion
		}
		n := npName(c)
		switch {
		case acc == "" || acc == n:
			acc = n
		case acc == "object_" || n == "object_":
			acc = "object_"
		case acc == "datetime64" || acc == "timedelta64" || n == "datetime64" || n == "timedelta64":
			return TypeError("The DType <class 'numpy.dtype[%s]'> could not be promoted by <class 'numpy.dtype[%s]'>. This means that no common DType exists for the given inputs. For example they cannot be stored in a single array unless the dtype is `object`. The full list of DTypes is: (%s)", acc, n, dtypeList(f, npName))
		default:
			acc = "float64"
		}
	}
	if aware || acc == "object_" {
		for _, c := range f.Columns {
			if c.DType == Datetime {
				return TypeError("float() argument must be a string or a real number, not 'Timestamp'")
			}
			if c.DType == Timedeltas {
				return TypeError("float() argument must be a string or a real number, not 'Timedelta'")
			}
		}
	}
	return nil
}

func dtypeList(f *DataFrame, npName func(Column) string) string {
	parts := make([]string, 0, len(f.Columns))
	for _, c := range f.Columns {
		parts = append(parts, "<class 'numpy.dtype["+npName(c)+"]'>")
	}
	return strings.Join(parts, ", ")
}
