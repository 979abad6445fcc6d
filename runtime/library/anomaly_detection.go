package library

import (
	"context"
	"math"
	"math/rand/v2"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/model"
)

var anomalyDetection = []component.Spec{
	{Meta: metaSimpleVolatilityScore, Run: simpleVolatilityScore,
		Description: "Volatility in a moving time window: sum of absolute differences minus the absolute sum of differences"},
	{Meta: metaAlertsFromScore, Run: alertsFromScore,
		Description: "+1 where a score rises above the threshold, -1 where it falls back"},
	{Meta: metaIsolationForest, Run: isolationForest,
		Description: "Trains an isolation forest on one frame and scores another (negative = outlier)"},
}

// simpleVolatilityScore: d = s.sort_index().diff(1);
// v = d.abs().rolling(w).sum() - d.rolling(w).sum().abs(), named "volatilities", then
// stamped at the window's right edge (as is), left edge (shift by -w) or centre (-w/2).
func simpleVolatilityScore(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	ts := r.Series("timeseries")
	window := r.String("window_size")
	stamp := r.String("window_timestamp_location")
	if err := r.Err(); err != nil {
		return nil, err
	}
	diffs, err := ts.SortIndex().Diff(1)
	if err != nil {
		return nil, component.TypeError("%v", err)
	}
	w, err := timeRolling(ctx, diffs, window)
	if err != nil {
		return nil, err
	}
	// the bounds, abs and the sums are intermediates: their memory goes back for reuse
	defer w.release()
	abs := data.TakeFloats(len(diffs.Values.F))
	defer data.ReleaseFloats(abs)
	for i, d := range diffs.Values.F {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		abs[i] = math.Abs(d)
	}
	sums, err := data.RollingSums(ctx, w.Windows, 1, abs, diffs.Values.F)
	if err != nil {
		return nil, err
	}
	sumAbs, sum := sums[0], sums[1]
	vols := data.TakeFloats(len(sum)) // the result: every element written
	for i := range vols {
		vols[i] = sumAbs[i] - math.Abs(sum[i])
	}
	data.ReleaseFloats(sumAbs, sum)
	out := diffs.With(data.Floats(vols))
	out.Name = "volatilities"
	switch stamp {
	case "left":
		out, err = out.ShiftIndex(-w.nanos)
	case "right":
	case "center":
		out, err = out.ShiftIndex(data.MulTick(w.nanos, -0.5))
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
	r := in.Read()
	scores := r.Series("scores")
	threshold := r.Float("threshold")
	if err := r.Err(); err != nil {
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

// IsolationForestSeed seeds the random source of Isolation Forest. hetida's forest is
// unseeded: every call draws other trees, so its decision values vary from run to run
// (they agree only where they do not depend on the draws, e.g. identical training rows).
// trafofn draws from a fixed seed, so the same inputs always give the same trees and
// scores: one draw of the same random forest, not hetida's numbers.
const IsolationForestSeed = 0x150f0e57

// isolationForest ports IsolationForest(n_estimators=n).fit(train_data) followed by
// decision_function(test_data): the scores as an unnamed Series on test_data's index and
// the fitted model, which Decision Function / Predict Sklearn Trained Model apply (see
// model.IsolationForest for the algorithm and the random source). As in hetida the model
// cannot be written as JSON: a workflow output of it fails at ENCODING_RESULTS_TO_JSON.
// Parameter, input and feature-name errors are sklearn's (test_data must have the
// training columns, in order).
func isolationForest(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	n := r.Int("n_estimators")
	test := r.Frame("test_data")
	train := r.Frame("train_data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	forest, err := model.FitIsolationForest(ctx, train, n, rand.New(rand.NewPCG(IsolationForestSeed, 0)))
	if err != nil {
		return nil, err
	}
	scores, err := forest.DecisionFunction(ctx, test)
	if err != nil {
		return nil, err
	}
	return component.Outputs{
		"trained_model":            forest,
		"decision_function_values": data.NewSeries(nil, test.Index, data.Floats(scores)),
	}, nil
}

// anomalyDetectionTodo lists the category's revisions not ported yet.
var anomalyDetectionTodo = []*component.Meta{}
