package library

import (
	"context"
	"math"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/model"
)

var remainingUsefulLife = []component.Spec{
	{Meta: metaUnivariateLinearRULRegression, Run: univariateLinearRULRegression,
		Description: "Fits a line to a time series, extends it into the future and tells when it reaches the limit",
		Loose:       []string{"slope"}},
}

// univariateLinearRULRegression ports hetida's linear remaining-useful-life regression:
//
//   - x = seconds since the earliest timestamp (pandas' dt.total_seconds: nanoseconds /
//     1e9), y = the values; LinearRegression fits y on x (sklearn's errors for NaN values,
//     NaT labels or no rows; a non-datetime index fails at the .dt accessor);
//   - pred_series: the fitted line on pd.date_range(earliest, latest +
//     num_pred_series_future_days days, freq=pred_series_frequency), unnamed, in the
//     index's zone; an empty range fails in predict, as in sklearn;
//   - limit_violation_prediction_timestamp: earliest + (limit - intercept)/slope seconds
//     (as datetime.timedelta: whole microseconds, half to even) in Python's isoformat
//     (microseconds only when non-zero, the zone's offset for aware indexes);
//   - intercept a float; slope hetida's coef_[0], a one-element array written as [b]
//     (hence Loose).
//
// hetida's code is broken for a zero slope (spec §3.5): it means to return None, but
// compares pd.NaT != pd.NaT (always true) and returns NaT's isoformat, the string "NaT";
// trafofn returns "NaT" as the reference does.
func univariateLinearRULRegression(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	days := r.Int("num_pred_series_future_days")
	freqStr := r.String("pred_series_frequency")
	ts := r.Series("timeseries")
	limit := r.Float("limit")
	if err := r.Err(); err != nil {
		return nil, err
	}
	idx := ts.Index
	if idx.DType != data.Datetime {
		if idx.DType == data.Object && idx.Len() > 0 && !idx.HasNA() {
			return nil, data.UnsupportedOperand("-", idx.At(0), idx.At(0))
		}
		return nil, &data.Error{Type: "AttributeError", Message: "Can only use .dt accessor with datetimelike values"}
	}
	first, last := data.NaT, data.NaT
	for _, ns := range idx.I {
		if ns == data.NaT {
			continue
		}
		if first == data.NaT || ns < first {
			first = ns
		}
		if last == data.NaT || ns > last {
			last = ns
		}
	}
	secs, err := secondsSince(ctx, idx.I, first)
	if err != nil {
		return nil, err
	}
	lr, err := model.FitLinearRegression(ctx, model.Columns(secs), model.Vector{Values: ts.Values})
	if err != nil {
		return nil, err
	}
	intercept, slope := lr.Intercept[0], lr.Coef[0][0]
	start := data.Timestamp{NS: first, Zone: idx.Zone}
	future, err := data.PyTimedeltaDays(days)
	if err != nil {
		return nil, err
	}
	end, err := data.Timestamp{NS: last, Zone: idx.Zone}.AddTimedelta(future)
	if err != nil {
		return nil, err
	}
	freq, err := data.ParseOffset(freqStr)
	if err != nil {
		return nil, data.ValueError("%v", err)
	}
	predIndex, err := data.DateRange(ctx, start, end, freq, data.InclusiveBoth, 0)
	if err != nil {
		return nil, err
	}
	predSecs, err := secondsSince(ctx, predIndex.I, first)
	if err != nil {
		return nil, err
	}
	pred, err := lr.Predict(ctx, model.Columns(predSecs))
	if err != nil {
		return nil, err
	}
	limitAt := "NaT"
	if slope != 0 {
		delta, err := data.PyTimedeltaSeconds((limit - intercept) / slope)
		if err != nil {
			return nil, err
		}
		at, err := start.AddTimedelta(delta)
		if err != nil {
			return nil, err
		}
		limitAt = data.ISOFormat(at.NS, at.Zone)
	}
	return component.Outputs{
		"intercept":                            intercept,
		"slope":                                []any{slope},
		"pred_series":                          data.NewSeries(nil, predIndex, pred[0]),
		"limit_violation_prediction_timestamp": limitAt,
	}, nil
}

// secondsSince is (t - first).dt.total_seconds() for nanosecond timestamps: NaN for NaT
// (and for every value when first is NaT, an all-NaT index).
func secondsSince(ctx context.Context, ns []int64, first int64) ([]float64, error) {
	out := make([]float64, len(ns))
	for i, t := range ns {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		if t == data.NaT || first == data.NaT {
			out[i] = math.NaN()
			continue
		}
		d := t - first
		if d < 0 && t > first { // beyond ±292 years apart
			return nil, &data.Error{Type: "OverflowError", Message: "Overflow in int64 addition"}
		}
		out[i] = float64(d) / 1e9
	}
	return out, nil
}

// remainingUsefulLifeTodo lists the category's revisions not ported yet.
var remainingUsefulLifeTodo = []*component.Meta{}
