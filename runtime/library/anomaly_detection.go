package library

import (
	"context"
	"math"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var anomalyDetection = category("Anomaly Detection",
	component.Spec{
		ID: "0c3c74d0-89b6-1948-fedd-753eaa47ca0e", Name: "Simple Volatility Score", Released: "2022-02-09T17:33:29.201868+00:00",
		Description: "Compare absolute of sum of differences with sum of absolute differences",
		In:          ports(in("timeseries", tSeries), in("window_size", tString), in("window_timestamp_location", tString)),
		Out:         ports(out("volatilities", tSeries)), Run: simpleVolatilityScore,
	},
	component.Spec{
		ID: "38f168ef-cb06-d89c-79b3-0cd823f32e9d", Name: "Alerts from Score", Released: "2022-02-09T17:33:29.236535+00:00",
		Description: "Generate a Series indicating starts and ends of anomalous situations",
		In:          ports(in("scores", tSeries), in("threshold", tFloat)),
		Out:         ports(out("alerts", tSeries)), Run: alertsFromScore,
	},
)

// simpleVolatilityScore: d = s.sort_index().diff(1);
// v = d.abs().rolling(w).sum() - d.rolling(w).sum().abs(), named "volatilities", then
// stamped at the window's right edge (as is), left edge (shift by -w) or centre (-w/2).
func simpleVolatilityScore(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	ts, err := in.Series("timeseries")
	if err != nil {
		return nil, err
	}
	window, err := in.String("window_size")
	if err != nil {
		return nil, err
	}
	stamp, err := in.String("window_timestamp_location")
	if err != nil {
		return nil, err
	}
	diffs, err := ts.SortIndex().Diff(1)
	if err != nil {
		return nil, component.TypeError("%v", err)
	}
	r, err := timeRolling(ctx, diffs, window)
	if err != nil {
		return nil, err
	}
	abs := make([]float64, len(diffs.Values.F))
	for i, d := range diffs.Values.F {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		abs[i] = math.Abs(d)
	}
	sums, err := data.RollingSums(ctx, r.Windows, 1, abs, diffs.Values.F)
	if err != nil {
		return nil, err
	}
	sumAbs, sum := sums[0], sums[1]
	vols := make([]float64, len(sum))
	for i := range vols {
		vols[i] = sumAbs[i] - math.Abs(sum[i])
	}
	out := diffs.With(data.Floats(vols))
	out.Name = "volatilities"
	switch stamp {
	case "left":
		out, err = out.ShiftIndex(-r.nanos)
	case "right":
	case "center":
		out, err = out.ShiftIndex(data.MulTick(r.nanos, -0.5))
	default:
		return nil, component.ValueError("Only 'left' or 'right' or 'center' allowed for stamping parameter.")
	}
	if err != nil {
		return nil, component.ValueError("%v", err)
	}
	return component.Outputs{"volatilities": out}, nil
}

// alertsFromScore: (scores > threshold).astype(int).diff(1).fillna(0), named "alerts":
// +1 where an alert starts, -1 where it ends, 0 elsewhere (float values).
func alertsFromScore(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	scores, err := in.Series("scores")
	if err != nil {
		return nil, err
	}
	threshold, err := in.Float("threshold")
	if err != nil {
		return nil, err
	}
	v, ok := scores.Values.FloatValues()
	if !ok {
		return nil, component.TypeError("'>' not supported between instances of 'str' and 'float'")
	}
	out := make([]float64, len(v))
	prev := 0.0
	for i, x := range v {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		cur := 0.0
		if x > threshold {
			cur = 1
		}
		if i > 0 {
			out[i] = cur - prev
		}
		prev = cur
	}
	s := scores.With(data.Floats(out))
	s.Name = "alerts"
	return component.Outputs{"alerts": s}, nil
}
