package library

import (
	"context"
	"math"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// statistic holds the whole-series reductions and Infer Window Size; the moving
// statistics are in statistic_moving.go.
var statistic = []component.Spec{
	{Meta: metaAverage, Run: average, Description: "The mean of a series, or the column means of a DataFrame, NaN skipped"},
	{Meta: metaInferWindowSize, Run: inferWindowSize, Description: "A window length in seconds: median sampling interval × desired points × buffer factor"},
	{Meta: metaMaximum, Run: maximum, Description: "The largest value of a series, or of each DataFrame column, NaN skipped"},
	{Meta: metaMedian, Run: median, Description: "The median of a series, or of each DataFrame column, NaN skipped"},
	{Meta: metaMinimum, Run: minimum, Description: "The smallest value of a series, or of each DataFrame column, NaN skipped"},
	{Meta: metaStandardDeviation, Run: standardDeviation, Description: "The sample standard deviation (ddof 1) of a series, or of each DataFrame column"},
	{Meta: metaStandardScale, Run: standardScale, Description: "Each column shifted to mean 0 and scaled to population standard deviation 1"},
}

// average is data.mean(): the mean of a Series' non-NaN values, or a Series of column
// means for a DataFrame; other values have no mean (AttributeError, as in Python).
func average(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case *data.Series:
		m, err := seriesMean(x)
		if err != nil {
			return nil, err
		}
		return component.Outputs{"average": m}, nil
	case *data.DataFrame:
		means := make([]float64, len(x.Columns))
		for i, c := range x.Columns {
			v, ok := c.FloatValues()
			if !ok {
				return nil, component.TypeError("Could not convert column %s to numeric", data.PyRepr(x.Names[i]))
			}
			means[i] = data.NanMean(v)
		}
		return component.Outputs{"average": data.NewSeries(nil, data.Objects(append([]any(nil), x.Names...)), data.Floats(means))}, nil
	default:
		return nil, component.AttributeError(x, "mean")
	}
}

func seriesMean(s *data.Series) (float64, error) {
	v, ok := s.Values.FloatValues()
	if !ok {
		return 0, component.TypeError("Could not convert %s to numeric", "the series values")
	}
	return data.NanMean(v), nil
}

// inferWindowSize: the index is sorted, the median of the gaps between consecutive
// timestamps taken, and of that Timedelta only its seconds component (0–86399, as
// hetida's code reads Timedelta.seconds: whole days are dropped, fractions truncated —
// a quirk kept because it is hetida's number). The result is str(seconds *
// (min_num_desired_datapoints_in_window * buffer_factor)) + "S" with Python's float
// formatting, e.g. "17486.0S"; fewer than two timestamps give "nanS" (NaT.seconds is NaN).
func inferWindowSize(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	minPoints := r.Int("min_num_desired_datapoints_in_window")
	buffer := r.Float("buffer_factor")
	if err := r.Err(); err != nil {
		return nil, err
	}
	if s.Index.DType != data.Datetime {
		return nil, component.TypeError("This component is exclusively for series with Datetime index!")
	}
	idx := s.Index
	if !idx.IsMonotonicIncreasing() {
		idx = idx.Take(idx.ArgSort())
	}
	gaps := make([]float64, 0, max(idx.Len()-1, 0))
	for i := 1; i < len(idx.I); i++ {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		a, b := idx.I[i-1], idx.I[i]
		if a == data.NaT || b == data.NaT {
			continue
		}
		gaps = append(gaps, float64(b-a))
	}
	seconds := math.NaN()
	if m := data.NanMedian(gaps); m == m {
		// Timedelta(median).seconds: the gaps are ≥ 0, so the remainder modulo a day
		seconds = float64(int64(m) % (24 * 3600 * 1e9) / 1e9)
	}
	size := seconds * (float64(minPoints) * buffer)
	return component.Outputs{"frequency_string": data.PyFloat(size) + "S"}, nil
}

// maximum is data.max(): see reduction.
func maximum(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return reduction(ctx, in, "max", false, data.ColumnMax)
}

// median is data.median(): see reduction; a DataFrame's datetime columns are left out
// (pandas 1.5 drops them with a FutureWarning).
func median(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return reduction(ctx, in, "median", true, data.ColumnMedian)
}

// minimum is data.min(): see reduction.
func minimum(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return reduction(ctx, in, "min", false, data.ColumnMin)
}

// standardDeviation is data.std(): pandas' sample standard deviation, ddof 1 (one value
// gives NaN, a constant series 0); a DataFrame's datetime columns give timedeltas (pandas
// 1.5 keeps them, unlike for the median); see reduction.
func standardDeviation(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return reduction(ctx, in, "std", false, func(ctx context.Context, c data.Column) (any, error) {
		return data.ColumnStd(ctx, c, 1)
	})
}

// reduction runs a pandas reduction on the ANY input "data" and returns it under the
// output of the same name as the method: a Series gives the scalar pandas returns
// (NaN skipped; no values: NaN), a DataFrame the Series of its columns' results, where
// columns the reduction cannot handle are left out as pandas 1.5 (the reference runtime)
// and hetida's documentation have it (pandas 2.1 would raise instead). Anything else has
// no such method: AttributeError "'dict' object has no attribute 'max'", as in Python.
func reduction(ctx context.Context, in component.Inputs, method string, dropTimes bool, fn func(context.Context, data.Column) (any, error)) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case *data.Series:
		res, err := fn(ctx, x.Values)
		if err != nil {
			return nil, err
		}
		if b, ok := res.(bool); ok && x.Values.DType == data.Bool {
			// the extreme of a bool Series is numpy's bool_ (an int64 Series gives a
			// Python int), which hetida's encoder refuses
			return component.Outputs{method: data.NumpyScalar{Type: "bool_", V: b}}, nil
		}
		return component.Outputs{method: timedeltaSeconds(res)}, nil
	case *data.DataFrame:
		res, err := x.Reduce(ctx, dropTimes, fn)
		if err != nil {
			return nil, err
		}
		if res.Values.DType == data.Object {
			o := make([]any, len(res.Values.O))
			for i, e := range res.Values.O {
				o[i] = timedeltaSeconds(e)
			}
			res = res.With(data.Objects(o))
		}
		return component.Outputs{method: res}, nil
	}
	return nil, component.AttributeError(v, method)
}

// timedeltaSeconds turns a Timedelta result (the median, extremes or standard deviation
// of timedeltas or datetimes) into what hetida's JSON encoding makes of a timedelta, its
// total seconds as a float (pydantic's encoder; uncertain, no reference case has one);
// NaT becomes NaN (null). Other values are returned as they are.
func timedeltaSeconds(v any) any {
	td, ok := v.(data.Timedelta)
	if !ok {
		return v
	}
	if td.IsNaT() {
		return math.NaN()
	}
	return td.TotalSeconds()
}

// standardScale is scikit-learn's StandardScaler().fit_transform (data.StandardScale:
// mean 0, population standard deviation 1, constant columns only centred, NaN kept) on a
// DataFrame, or on a Series as a one-column frame (named after the series, 0 when it has
// no name) that is squeezed back: a Series named like that column, or a plain float for a
// single value, as pandas' squeeze() gives it. Other values fail on to_frame
// (AttributeError), as the Python code does.
func standardScale(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case *data.DataFrame:
		scaled, err := x.StandardScale(ctx)
		if err != nil {
			return nil, err
		}
		return component.Outputs{"scaled": scaled}, nil
	case *data.Series:
		name := x.Name
		if name == nil {
			name = int64(0)
		}
		scaled, err := data.NewDataFrame(x.Index, []any{name}, []data.Column{x.Values}).StandardScale(ctx)
		if err != nil {
			return nil, err
		}
		col := scaled.Columns[0]
		if col.Len() == 1 {
			return component.Outputs{"scaled": col.F[0]}, nil
		}
		return component.Outputs{"scaled": data.NewSeries(name, x.Index, col)}, nil
	}
	return nil, component.AttributeError(v, "to_frame")
}

// statisticTodo lists the category's revisions not ported yet.
var statisticTodo = []*component.Meta{}
