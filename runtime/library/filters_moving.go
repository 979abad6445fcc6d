package library

import (
	"context"
	"math"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// The moving-window filters: MAVG Outlier Filter, MAVG Smoothing and Moving Window MAD
// Band Filter, on pandas' time-offset rolling windows (data.Rolling).

// mavgOutlierFilter is hetida's band test against a trailing time window:
//
//	means = ts.rolling(window_size).mean();  stds = ts.rolling(window_size).std()
//	ts[(ts < means + f·stds) & (ts > means − f·stds)]
//
// The window (t − w, t] includes the point itself, min_periods is 1 and std is the
// sample standard deviation (ddof 1), so a window holding one value has std NaN and its
// point is dropped — the first point always is. Both bounds are strict; a NaN value
// compares False and is dropped. A Series keeps the points inside the band (labels,
// order, dtype and attrs kept); a DataFrame is masked cell by cell (frame[bool_frame]:
// the shape kept, other cells NaN). The index is not sorted: pandas' rolling requires a
// datetime index without NaT, monotonic in either direction, and a fixed offset string
// (its ValueErrors); non-numeric values are pandas' DataError. Other values have no
// rolling (AttributeError).
func mavgOutlierFilter(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	factor := r.Float("allowed_deviation_factor")
	window := r.String("window_size")
	v := r.Any("ts")
	if err := r.Err(); err != nil {
		return nil, err
	}
	inBand := func(w *data.RollingWindows, c data.Column, inFrame bool) ([]bool, error) {
		x, err := data.RollingValues(c, inFrame)
		if err != nil {
			return nil, err
		}
		means, err := w.Mean(ctx, x)
		if err != nil {
			return nil, err
		}
		stds, err := w.Std(ctx, x, 1)
		if err != nil {
			return nil, err
		}
		keep := make([]bool, len(x))
		for i, xi := range x {
			d := float64(factor * stds[i]) // pandas: factor·stds first, then the sums
			keep[i] = xi < means[i]+d && xi > means[i]-d
		}
		return keep, nil
	}
	switch x := v.(type) {
	case *data.Series:
		w, err := timeWindows(ctx, x.Index, window, data.Rolling{})
		if err != nil {
			return nil, err
		}
		keep, err := inBand(w, x.Values, false)
		if err != nil {
			return nil, err
		}
		return component.Outputs{"ts": x.Take(data.TruePositions(keep))}, nil
	case *data.DataFrame:
		w, err := timeWindows(ctx, x.Index, window, data.Rolling{})
		if err != nil {
			return nil, err
		}
		masks := make([][]bool, len(x.Columns))
		for k, c := range x.Columns {
			if masks[k], err = inBand(w, c, true); err != nil {
				return nil, err
			}
		}
		return component.Outputs{"ts": maskFrame(x, masks)}, nil
	}
	return nil, component.AttributeError(v, "rolling")
}

// mavgSmoothing is data.rolling(window_size).mean() with a time offset: the mean of the
// non-NaN values of the trailing window (t − w, t] (min_periods 1, so a window of only
// NaN gives NaN), as float64 on the same index, for a Series or every DataFrame column.
// The index must be a datetime index pandas' rolling accepts (monotonic, no NaT; not
// sorted here) and the offset fixed; non-numeric values are pandas' DataError. The name
// is kept, attrs are not (pandas' rolling builds a new object). Other values have no
// rolling (AttributeError).
func mavgSmoothing(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	window := r.String("window_size")
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case *data.Series:
		w, err := timeWindows(ctx, x.Index, window, data.Rolling{})
		if err != nil {
			return nil, err
		}
		vals, err := data.RollingValues(x.Values, false)
		if err != nil {
			return nil, err
		}
		means, err := w.Mean(ctx, vals)
		if err != nil {
			return nil, err
		}
		return component.Outputs{"data": data.NewSeries(x.Name, x.Index, data.Floats(means))}, nil
	case *data.DataFrame:
		w, err := timeWindows(ctx, x.Index, window, data.Rolling{})
		if err != nil {
			return nil, err
		}
		cols := make([]data.Column, len(x.Columns))
		for k, c := range x.Columns {
			vals, err := data.RollingValues(c, true)
			if err != nil {
				return nil, err
			}
			means, err := w.Mean(ctx, vals)
			if err != nil {
				return nil, err
			}
			cols[k] = data.Floats(means)
		}
		return component.Outputs{"data": data.NewDataFrame(x.Index, x.Names, cols)}, nil
	}
	return nil, component.AttributeError(v, "rolling")
}

// movingWindowMADBandFilter is hetida's MAD band over a centred time window
// (t − w/2, t + w/2] (pandas' center=True; an odd window in nanoseconds closes both
// ends) with min_periods = min_num_datapoints_in_window:
//
//	band_center       = rolling median (NaN skipped)
//	rolling_deviation = mad_scaling_factor · median(|x − median(x)|) of the raw window
//	                    (rolling apply: a window holding a NaN gives NaN)
//	min_width         = median of the non-NaN deviations · min_band_width_factor
//	rolling_deviation = min_width where it is below min_width
//	filter_mask       = |x − band_center| ≤ rolling_deviation, and True wherever
//	                    band_center is NaN (too few points to judge)
//
// With no deviation at all min_width is NaN and raises nothing; at constant input every
// deviation is 0 and every point lies in the band. A point whose window holds a NaN has
// a NaN deviation and is flagged False unless its centre is NaN too. Outputs the frame
// (values — the series' values as they are —, band_center, rolling_deviation,
// filter_mask; the series' attrs, as to_frame keeps them) and the mask as a Series named
// filter_mask. The index must be a DatetimeIndex (hetida's TypeError) that pandas'
// rolling accepts (monotonic, no NaT). hetida switches to numba from 10,000 points;
// the numbers are the same.
func movingWindowMADBandFilter(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	window := r.String("window_size")
	minPoints := r.Int("min_num_datapoints_in_window")
	scaling := r.Float("mad_scaling_factor")
	widthFactor := r.Float("min_band_width_factor")
	if err := r.Err(); err != nil {
		return nil, err
	}
	if s.Index.DType != data.Datetime {
		return nil, component.TypeError("This component is exclusively for series with Datetime index!")
	}
	spec := data.Rolling{Center: true}.WithMinPeriods(int(max(min(minPoints, math.MaxInt32), math.MinInt32)))
	w, err := timeWindows(ctx, s.Index, window, spec)
	if err != nil {
		return nil, err
	}
	x, err := data.RollingValues(s.Values, false)
	if err != nil {
		return nil, err
	}
	center, err := w.Median(ctx, x)
	if err != nil {
		return nil, err
	}
	var scratch []float64
	deviation, err := w.Apply(ctx, x, func(win []float64) float64 {
		var mad float64
		mad, scratch = data.MedianAbsDeviation(win, scratch)
		return mad
	})
	if err != nil {
		return nil, err
	}
	for i := range deviation {
		deviation[i] *= scaling
	}
	minWidth := data.NanMedian(deviation) * widthFactor
	mask := make([]bool, len(x))
	for i := range deviation {
		if deviation[i] < minWidth {
			deviation[i] = minWidth
		}
		mask[i] = math.IsNaN(center[i]) || math.Abs(x[i]-center[i]) <= deviation[i]
	}
	maskCol := data.Bools(mask)
	frame := data.NewDataFrame(s.Index,
		[]any{"values", "band_center", "rolling_deviation", "filter_mask"},
		[]data.Column{s.Values, data.Floats(center), data.Floats(deviation), maskCol})
	frame.Attrs = s.Attrs
	return component.Outputs{
		"band_filter_dataframe": frame,
		"filter_mask":           &data.Series{Name: "filter_mask", Index: s.Index, Values: maskCol, Attrs: s.Attrs},
	}, nil
}

// timeWindows validates window as pandas' rolling(window) on index (with spec's
// min_periods and centring) and computes the windows' bounds.
func timeWindows(ctx context.Context, index data.Column, window string, spec data.Rolling) (*data.RollingWindows, error) {
	rs, err := spec.WithOffset(index, window)
	if err != nil {
		return nil, err
	}
	return rs.Over(ctx, index)
}
