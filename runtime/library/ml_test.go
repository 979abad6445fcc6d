package library

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/model"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Tests of the Anomaly Detection (Isolation Forest), Models, Regression and Remaining
// Useful Life components. Helper names start with ml so that other files' cannot clash.

func mlFrame(index data.Column, names []any, cols ...[]float64) *data.DataFrame {
	c := make([]data.Column, len(cols))
	for i, v := range cols {
		c[i] = data.Floats(v)
	}
	return data.NewDataFrame(index, names, c)
}

// mlCloud is 200 normally distributed points around (1, 1) (σ 0.3) and one far point
// at row 100.
func mlCloud() *data.DataFrame {
	rng := rand.New(rand.NewPCG(3, 4))
	x, y := make([]float64, 200), make([]float64, 200)
	for i := range x {
		x[i], y[i] = 1+0.3*rng.NormFloat64(), 1+0.3*rng.NormFloat64()
	}
	x[100], y[100] = 9, -9
	return mlFrame(data.Range(200), []any{"x", "y"}, x, y)
}

func mlNear(a, b, tol float64) bool { return math.Abs(a-b) <= tol || math.IsNaN(a) && math.IsNaN(b) }

func mlFloatsNear(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %v, want %v", what, got, want)
		return
	}
	for i := range want {
		if !mlNear(got[i], want[i], tol) {
			t.Errorf("%s[%d] = %.12g, want %.12g", what, i, got[i], want[i])
		}
	}
}

func mlErr(t *testing.T, what string, err error, typ, msgPrefix string) {
	t.Helper()
	if got := pyErrType(err); got != typ || !strings.HasPrefix(err.Error(), typ+": "+msgPrefix) {
		t.Errorf("%s: %v, want %s: %s…", what, err, typ, msgPrefix)
	}
}

func TestIsolationForestComponent(t *testing.T) {
	train := mlCloud()
	test := mlFrame(data.Datetimes([]int64{base, base + hour}, data.UTC), []any{"x", "y"}, []float64{1, 9}, []float64{1, -9})
	in := map[string]any{"n_estimators": int64(50), "train_data": train, "test_data": test}
	out := mustCall(t, &metaIsolationForest, in)
	s, ok := out["decision_function_values"].(*data.Series)
	if !ok || s.Name != nil || s.Index.DType != data.Datetime || s.Len() != 2 {
		t.Fatalf("decision_function_values = %#v", out["decision_function_values"])
	}
	// a point of the ring is an inlier, the far point an outlier
	if d := s.Values.F; !(d[0] > 0 && d[1] < 0) || d[0] >= 0.5 || d[1] < -0.5 {
		t.Errorf("decision values %v, want one inlier (0, 0.5) and one outlier [-0.5, 0)", d)
	}
	if _, ok := out["trained_model"].(*model.IsolationForest); !ok {
		t.Errorf("trained_model is %T", out["trained_model"])
	}
	// seeded: the same request gives the same numbers
	again := mustCall(t, &metaIsolationForest, in)
	if got := again["decision_function_values"].(*data.Series).Values.F; got[0] != s.Values.F[0] || got[1] != s.Values.F[1] {
		t.Errorf("second run %v, first %v", got, s.Values.F)
	}
	// the model is no JSON (c-anom-isolation-forest fails at ENCODING_RESULTS_TO_JSON)
	if _, err := wire.AppendValue(nil, out["trained_model"]); pyErrType(err) != "ValueError" || !strings.Contains(err.Error(), "'sklearn.tree._tree.Tree' object is not iterable") {
		t.Errorf("encoding the model: %v", err)
	}
	// test columns must be the training columns
	_, err := call(t, &metaIsolationForest, map[string]any{"n_estimators": int64(5), "train_data": train,
		"test_data": mlFrame(data.Range(1), []any{"x", "z"}, []float64{1}, []float64{1})})
	mlErr(t, "other columns", err, "ValueError", "The feature names should match those that were passed during fit.\nFeature names unseen at fit time:\n- z\nFeature names seen at fit time, yet now missing:\n- y\n")
	// a timestamp column is no feature: numpy cannot make floats of it
	withTime := data.NewDataFrame(data.Range(2), []any{"x", "t"}, []data.Column{data.Floats([]float64{1, 2}), data.Datetimes([]int64{base, base}, data.UTC)})
	_, err = call(t, &metaIsolationForest, map[string]any{"n_estimators": int64(5), "train_data": withTime, "test_data": withTime})
	mlErr(t, "timestamp column", err, "TypeError", "float() argument must be a string or a real number, not 'Timestamp'")
	_, err = call(t, &metaIsolationForest, map[string]any{"n_estimators": int64(0), "train_data": train, "test_data": test})
	mlErr(t, "no trees", err, "InvalidParameterError", "The 'n_estimators' parameter of IsolationForest must be an int in the range [1, inf). Got 0 instead.")
}

func TestModelComponents(t *testing.T) {
	train := mlCloud()
	data1 := mlFrame(data.Datetimes([]int64{base, base + hour, base + 2*hour}, data.UTC), []any{"x", "y"},
		[]float64{1, 9, 1.1}, []float64{1, -9, 0.9})
	forest := mustCall(t, &metaIsolationForest, map[string]any{"n_estimators": int64(30), "train_data": train, "test_data": data1})

	// Decision Function gives the forest's decision values, named, on data's index
	out := mustCall(t, &metaDecisionFunctionSklearnTrainedModel, map[string]any{"data": data1, "trained_model": forest["trained_model"]})
	s := out["predictions"].(*data.Series)
	if s.Name != "decision_function_values" || s.Index.I[1] != base+hour {
		t.Errorf("predictions: name %v index %v", s.Name, s.Index)
	}
	mlFloatsNear(t, "decision function", s.Values.F, forest["decision_function_values"].(*data.Series).Values.F, 0)

	// Predict: one int64 column 0 with +1 (inlier) and -1 (outlier)
	out = mustCall(t, &metaPredictSklearnTrainedModel, map[string]any{"data": data1, "trained_model": forest["trained_model"]})
	f := out["predictions"].(*data.DataFrame)
	if len(f.Names) != 1 || f.Names[0] != int64(0) || f.Columns[0].DType != data.Int64 {
		t.Fatalf("predict frame: %v %v", f.Names, f.Columns)
	}
	if got := f.Columns[0].I; got[0] != 1 || got[1] != -1 || got[2] != 1 {
		t.Errorf("predict labels %v, want [1 -1 1]", got)
	}

	// a Linear Regression model predicts one column per target
	// (w-model-predict-sklearn-trained-model-one-feature-exact-line: y = -2.976x + 5.562)
	lr := mustCall(t, &metaLinearRegression, map[string]any{
		"x_values": mlFrame(data.Range(6), []any{"x"}, []float64{0, 1, 2, 3, 4, 5}),
		"y_values": mlFrame(data.Range(6), []any{"y"}, []float64{5.562, 2.586, -0.39, -3.366, -6.342, -9.318}),
	})
	out = mustCall(t, &metaPredictSklearnTrainedModel, map[string]any{
		"data":          mlFrame(data.Range(3), []any{"x"}, []float64{2.5, -1, 10}),
		"trained_model": lr["trained_model"],
	})
	mlFloatsNear(t, "linear predictions", out["predictions"].(*data.DataFrame).Columns[0].F, []float64{-1.878, 8.538, -24.198}, 1e-12)

	// what is not a model lacks the method, as in Python
	for _, c := range []struct {
		meta   *component.Meta
		model  any
		data   any
		typ    string
		prefix string
	}{
		{&metaDecisionFunctionSklearnTrainedModel, dict("n_estimators", int64(10)), data1, "AttributeError", "'dict' object has no attribute 'decision_function'"},
		{&metaPredictSklearnTrainedModel, "IsolationForest", data1, "AttributeError", "'str' object has no attribute 'predict'"},
		{&metaDecisionFunctionSklearnTrainedModel, lr["trained_model"], data1, "AttributeError", "'LinearRegression' object has no attribute 'decision_function'"},
		// a list of rows passes sklearn's checks, but has no usable .index
		{&metaPredictSklearnTrainedModel, forest["trained_model"], []any{[]any{1.0, 2.0}}, "TypeError", "'builtin_function_or_method' object is not iterable"},
		{&metaPredictSklearnTrainedModel, forest["trained_model"], data.FloatSeries(nil, data.Range(2), []float64{1, 2}), "ValueError", "Expected 2D array, got 1D array instead:\narray=[1. 2.]."},
		{&metaDecisionFunctionSklearnTrainedModel, forest["trained_model"], mlFrame(data.Range(1), []any{"x"}, []float64{1}), "ValueError", "The feature names should match those that were passed during fit.\nFeature names seen at fit time, yet now missing:\n- y\n"},
	} {
		_, err := call(t, c.meta, map[string]any{"data": c.data, "trained_model": c.model})
		mlErr(t, c.meta.Name+" "+c.prefix, err, c.typ, c.prefix)
	}
}

func TestLinearRegressionComponent(t *testing.T) {
	tenMin := int64(600e9)
	idx := data.Datetimes([]int64{base, base + tenMin, base + 2*tenMin, base + 3*tenMin}, data.UTC)
	// c-regr-linear-regression-df: y = 2x - 1
	x := mlFrame(idx, []any{"x"}, []float64{1, 2, 3, 4})
	y := mlFrame(idx, []any{"y"}, []float64{1, 3, 5, 7})
	out := mustCall(t, &metaLinearRegression, map[string]any{"x_values": x, "y_values": y})
	ic := out["intercept"].(*data.Series)
	if ic.Index.At(0) != "y" || !mlNear(ic.Values.F[0], -1, 1e-12) {
		t.Errorf("intercept %v %v", ic.Index, ic.Values)
	}
	sl := out["slope"].(*data.DataFrame)
	if sl.Index.At(0) != "x" || sl.Names[0] != "y" || !mlNear(sl.Columns[0].F[0], 2, 1e-12) {
		t.Errorf("slope %v %v %v", sl.Index, sl.Names, sl.Columns)
	}
	preds := out["preds"].(*data.DataFrame)
	mlFloatsNear(t, "preds", preds.Columns[0].F, []float64{1, 3, 5, 7}, 1e-12)
	mlFloatsNear(t, "diffs", out["diffs"].(*data.DataFrame).Columns[0].F, []float64{0, 0, 0, 0}, 1e-12)
	b, err := wire.AppendValue(nil, out["trained_model"])
	if want := `{"fit_intercept":true,"copy_X":true,"n_jobs":null,"positive":false,"feature_names_in_":["x"],"n_features_in_":1,"coef_":[[2.0]],"rank_":1,"singular_":[2.23606797749979],"intercept_":[-1.0]}`; err != nil || string(b) != want {
		t.Errorf("trained_model JSON %s %v", b, err)
	}

	// rows pair by position for the fit, but diffs align labels (pandas): x labelled
	// 3, 1, 2, 0 predicts 1, 3, 5, 7 at those labels; y at 0..3 holds 1, 3, 5, 7, so
	// diffs on 0..3 are 7-1, 3-3, 5-5, 1-7.
	shuffled := mlFrame(data.Ints([]int64{3, 1, 2, 0}), []any{"x"}, []float64{1, 2, 3, 4})
	out = mustCall(t, &metaLinearRegression, map[string]any{"x_values": shuffled, "y_values": mlFrame(data.Range(4), []any{"y"}, []float64{1, 3, 5, 7})})
	d := out["diffs"].(*data.DataFrame)
	if !d.Index.IsMonotonicIncreasing() || d.Index.Len() != 4 {
		t.Errorf("diffs index %v", d.Index)
	}
	mlFloatsNear(t, "aligned diffs", d.Columns[0].F, []float64{6, 0, 0, -6}, 1e-12)

	// two targets, two features: slope rows are x columns, columns y columns
	out = mustCall(t, &metaLinearRegression, map[string]any{
		"x_values": mlFrame(data.Range(4), []any{"a", "b"}, []float64{0, 1, 0, 1}, []float64{0, 0, 1, 1}),
		// u = 1 + 2a + 3b, v = -a + b
		"y_values": mlFrame(data.Range(4), []any{"u", "v"}, []float64{1, 3, 4, 6}, []float64{0, -1, 1, 0}),
	})
	sl = out["slope"].(*data.DataFrame)
	mlFloatsNear(t, "slope u", sl.Columns[0].F, []float64{2, 3}, 1e-12)
	mlFloatsNear(t, "slope v", sl.Columns[1].F, []float64{-1, 1}, 1e-12)
	mlFloatsNear(t, "intercepts", out["intercept"].(*data.Series).Values.F, []float64{1, 0}, 1e-12)

	_, err = call(t, &metaLinearRegression, map[string]any{"x_values": x, "y_values": mlFrame(data.Range(3), []any{"y"}, []float64{1, 2, 3})})
	mlErr(t, "lengths", err, "ValueError", "Found input variables with inconsistent numbers of samples: [4, 3]")
	_, err = call(t, &metaLinearRegression, map[string]any{"x_values": x, "y_values": mlFrame(idx, []any{"y"}, []float64{1, math.NaN(), 3, 4})})
	mlErr(t, "NaN", err, "ValueError", "Input y contains NaN.")
}

func TestLinearRegressionTwoSeriesComponent(t *testing.T) {
	tenMin := int64(600e9)
	ns := []int64{base, base + tenMin, base + 2*tenMin, base + 3*tenMin, base + 4*tenMin}
	idx := data.Datetimes(ns, data.UTC)
	// c-regr-linear-regression-two-series: x = 1..5, y = 2.1, 3.9, 6.2, 7.8, 10.1:
	// slope = Σ(x-3)(y-6.02)/Σ(x-3)² = 19.9/10 = 1.99, intercept = 6.02 - 3·1.99 = 0.05
	out := mustCall(t, &metaLinearRegressionTwoSeries, map[string]any{
		"x_values": data.FloatSeries("x", idx, []float64{1, 2, 3, 4, 5}),
		"y_values": data.FloatSeries("y", idx, []float64{2.1, 3.9, 6.2, 7.8, 10.1}),
	})
	if ic := out["intercept"].(float64); !mlNear(ic, 0.05, 1e-12) {
		t.Errorf("intercept %v", ic)
	}
	if sl := out["slope"].([]any); len(sl) != 1 || !mlNear(sl[0].(float64), 1.99, 1e-12) {
		t.Errorf("slope %v, want [1.99]", sl)
	}
	p := out["preds"].(*data.Series)
	if p.Name != nil {
		t.Errorf("preds named %v", p.Name)
	}
	mlFloatsNear(t, "preds", p.Values.F, []float64{2.04, 4.03, 6.02, 8.01, 10.0}, 1e-12)
	diffs := out["diffs"].(*data.Series)
	if diffs.Name != nil {
		t.Errorf("diffs named %v", diffs.Name)
	}
	mlFloatsNear(t, "diffs", diffs.Values.F, []float64{-0.06, 0.13, -0.18, 0.21, -0.1}, 1e-12)

	// other labels on y: the union of both indexes, all NaN (pandas' alignment)
	other := data.Datetimes([]int64{base + 10*tenMin, base + 11*tenMin, base + 12*tenMin, base + 13*tenMin, base + 14*tenMin}, data.UTC)
	out = mustCall(t, &metaLinearRegressionTwoSeries, map[string]any{
		"x_values": data.FloatSeries(nil, idx, []float64{1, 2, 3, 4, 5}),
		"y_values": data.FloatSeries(nil, other, []float64{2, 4, 6, 8, 10}),
	})
	d := out["diffs"].(*data.Series)
	if d.Len() != 10 {
		t.Fatalf("misaligned diffs: %d rows, want 10", d.Len())
	}
	for i, v := range d.Values.F {
		if !math.IsNaN(v) {
			t.Errorf("misaligned diffs[%d] = %v, want NaN", i, v)
		}
	}
	_, err := call(t, &metaLinearRegressionTwoSeries, map[string]any{
		"x_values": data.FloatSeries(nil, idx, []float64{1, 2, 3, 4, 5}),
		"y_values": data.FloatSeries(nil, data.Range(4), []float64{1, 2, 3, 4}),
	})
	mlErr(t, "lengths", err, "ValueError", "Found input variables with inconsistent numbers of samples: [5, 4]")
}

// mlFalling is the series of c-rul-univariate-linear-rul-regression-falling: 48 hourly
// points from 2026-03-02T08:00Z falling about 0.05 per hour.
func mlFalling() *data.Series {
	v := []float64{10.0511, 9.9186, 9.8533, 9.9082, 9.7954, 9.7739, 9.7416, 9.7474, 9.5492, 9.5387, 9.5534, 9.4114,
		9.3953, 9.3131, 9.3159, 9.222, 9.2161, 9.1695, 9.0574, 9.0396, 8.9553, 8.9138, 8.8672, 8.849, 8.7084, 8.7267,
		8.7591, 8.6305, 8.5484, 8.6102, 8.5152, 8.4509, 8.4104, 8.3208, 8.3092, 8.2786, 8.227, 8.1054, 8.0951, 8.0313,
		7.9841, 7.9894, 7.8827, 7.8624, 7.8321, 7.8052, 7.5807, 7.5894}
	start, _, _ := data.ParseISO("2026-03-02T08:00:00Z")
	ns := make([]int64, len(v))
	for i := range ns {
		ns[i] = start + int64(i)*hour
	}
	return data.NewSeries(nil, data.Datetimes(ns, data.UTC), data.Floats(v))
}

func TestUnivariateLinearRULRegression(t *testing.T) {
	rul := func(s *data.Series, limit float64, days int64, freq string) (component.Outputs, error) {
		return call(t, &metaUnivariateLinearRULRegression, map[string]any{
			"timeseries": s, "limit": limit, "num_pred_series_future_days": days, "pred_series_frequency": freq})
	}
	// the reference case's numbers: slope per second, the limit 5.5 reached at
	// 2026-03-02T08:00Z + (5.5 - 10.0059818)/(-1.40065e-05) s = 2026-03-06T01:21:46.867732
	out, err := rul(mlFalling(), 5.5, 3, "6H")
	if err != nil {
		t.Fatal(err)
	}
	if ic := out["intercept"].(float64); !mlNear(ic, 10.00598180272109, 1e-11) {
		t.Errorf("intercept %.17g", ic)
	}
	if sl := out["slope"].([]any)[0].(float64); !mlNear(sl, -1.4006483089689777e-05, 1e-17) {
		t.Errorf("slope %.17g", sl)
	}
	if at := out["limit_violation_prediction_timestamp"]; at != "2026-03-06T01:21:46.867732+00:00" {
		t.Errorf("limit timestamp %v", at)
	}
	// 08:00 on day 1 to 07:00 three days after the last point (2026-03-07T07:00) in
	// 6 h steps: 20 points, the first at the intercept
	p := out["pred_series"].(*data.Series)
	if p.Len() != 20 || p.Name != nil || !mlNear(p.Values.F[0], 10.0059818027, 1e-9) || !mlNear(p.Values.F[19], 4.2577211427, 1e-9) {
		t.Errorf("pred_series: %d points %v", p.Len(), p.Values.F)
	}

	// slope 0 (a constant series): hetida's code returns NaT's isoformat, "NaT"
	// (c-rul-univariate-linear-rul-regression-constant-slope-zero)
	flat := hourly(data.Floats([]float64{2.5, 2.5, 2.5, 2.5, 2.5}))
	out, err = rul(flat, 1, 1, "12H")
	if err != nil {
		t.Fatal(err)
	}
	if out["limit_violation_prediction_timestamp"] != "NaT" || out["intercept"] != 2.5 || out["slope"].([]any)[0] != 0.0 {
		t.Errorf("zero slope: %v", out)
	}
	// 00:00 to 04:00 + 1 day in 12 h steps: 00:00, 12:00, 00:00 next day
	if p := out["pred_series"].(*data.Series); p.Len() != 3 || p.Values.F[2] != 2.5 {
		t.Errorf("zero slope pred_series %v", p.Values.F)
	}
	// one point: the centred x is 0, so the slope is 0 as well
	if out, err = rul(hourly(data.Floats([]float64{3})), 1, 1, "12H"); err != nil || out["limit_violation_prediction_timestamp"] != "NaT" {
		t.Errorf("one point: %v %v", out, err)
	}

	// an all-null JSON series parses as NaT datetimes; sklearn casts the datetime64
	// values through their int64 view, so pandas 1.5.3 / sklearn give intercept
	// -9.223372036854776e+18, slope [0.0], limit timestamp "NaT"
	nat := hourly(data.Datetimes([]int64{data.NaT, data.NaT, data.NaT}, data.Naive))
	if out, err = rul(nat, 1.5, 1, "1h"); err != nil || out["intercept"] != -9.223372036854776e+18 ||
		out["slope"].([]any)[0] != 0.0 || out["limit_violation_prediction_timestamp"] != "NaT" {
		t.Errorf("all-null series: %v %v", out, err)
	} else if p := out["pred_series"].(*data.Series); p.Len() != 27 || p.Values.F[26] != -9.223372036854776e+18 {
		t.Errorf("all-null series pred_series %v", p.Values.F)
	}

	// zones: isoformat with the index's offset, naive without
	z := flat.Copy()
	z.Values = data.Floats([]float64{5, 4, 3, 2, 1}) // 1 per hour down: 0 at 05:00
	z.Index = data.Datetimes(flat.Index.I, data.Zone{Aware: true, Offset: 7200})
	if out, err = rul(z, 0, 0, "1h"); err != nil || out["limit_violation_prediction_timestamp"] != "2020-03-29T07:00:00+02:00" {
		t.Errorf("+02:00: %v %v", out["limit_violation_prediction_timestamp"], err)
	}
	z.Index = data.Datetimes(flat.Index.I, data.Naive)
	if out, err = rul(z, 0.5, 0, "1h"); err != nil || out["limit_violation_prediction_timestamp"] != "2020-03-29T04:30:00" {
		t.Errorf("naive: %v %v", out["limit_violation_prediction_timestamp"], err)
	}

	for _, c := range []struct {
		name   string
		s      *data.Series
		limit  float64
		days   int64
		freq   string
		typ    string
		prefix string
	}{
		{"NaN value", hourly(data.Floats([]float64{3, math.NaN(), 2})), 1, 1, "6H", "ValueError", "Input y contains NaN."},
		{"empty", hourly(data.Floats(nil)), 1, 1, "6H", "ValueError", "Found array with 0 sample(s) (shape=(0, 1)) while a minimum of 1 is required by LinearRegression."},
		{"integer index", data.FloatSeries(nil, data.Range(3), []float64{3, 2, 1}), 1, 1, "6H", "AttributeError", "Can only use .dt accessor with datetimelike values"},
		{"bad frequency", z, 1, 1, "bad", "ValueError", "Invalid frequency: bad"},
		// the range ends before it starts: predict gets no rows
		{"negative days", z, 1, -1, "6H", "ValueError", "Found array with 0 sample(s) (shape=(0, 1)) while a minimum of 1 is required by LinearRegression."},
		{"NaN limit", z, math.NaN(), 1, "6H", "ValueError", "cannot convert float NaN to integer"},
		{"far limit", z, -1e20, 1, "6H", "OverflowError", ""},
		{"too many days", z, 1, 1 << 40, "6H", "OverflowError", "days=1099511627776; must have magnitude <= 999999999"},
	} {
		_, err := rul(c.s, c.limit, c.days, c.freq)
		mlErr(t, c.name, err, c.typ, c.prefix)
	}
}

// Datetime x values (an all-null JSON series parses as NaT): sklearn 1.2 fits them
// through their int64 view, but predict's dot product refuses datetime64. Found by
// tools/difffuzz.py; pandas 1.5.3 / sklearn 1.2: x {"2026-01-05T00:00Z": null}, y
// {"2026-01-05T00:00Z": 0.002} → TypeError "The DType <class 'numpy.dtype[datetime64]'>
// could not be promoted by <class 'numpy.dtype[float64]'>. …"; NaN y values beside
// them are the fit's ValueError "Input y contains NaN.".
func TestLinearRegressionTwoSeriesDatetimeXRegression(t *testing.T) {
	idx := data.Datetimes([]int64{base}, data.UTC)
	x := data.NewSeries(nil, idx, data.Datetimes([]int64{data.NaT}, data.Naive))
	_, err := call(t, &metaLinearRegressionTwoSeries, map[string]any{"x_values": x, "y_values": data.FloatSeries("y", idx, []float64{0.002})})
	wantError(t, err, "TypeError", "The DType <class 'numpy.dtype[datetime64]'> could not be promoted by <class 'numpy.dtype[float64]'>.")
	_, err = call(t, &metaLinearRegressionTwoSeries, map[string]any{"x_values": x, "y_values": data.FloatSeries("y", idx, []float64{math.NaN()})})
	wantError(t, err, "ValueError", "Input y contains NaN.")
}

// Finite values near the float64 maximum overflow sklearn's centring (np.average), and
// scipy's lstsq refuses the resulting inf. Found by tools/difffuzz.py; sklearn 1.2: x
// [1.7976931348623157e308, 1e300, 1.0], y [2.5, 2.5, 2.5] → ValueError "array must not
// contain infs or NaNs".
func TestLinearRegressionOverflowRegression(t *testing.T) {
	idx := data.Datetimes([]int64{base, base + hour, base + 2*hour}, data.UTC)
	_, err := call(t, &metaLinearRegressionTwoSeries, map[string]any{
		"x_values": data.FloatSeries(nil, idx, []float64{math.MaxFloat64, 1e300, 1}),
		"y_values": data.FloatSeries(nil, idx, []float64{2.5, 2.5, 2.5})})
	wantError(t, err, "ValueError", "array must not contain infs or NaNs")
}
