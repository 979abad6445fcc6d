package model

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestLinearRegressionFit(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name      string
		x, y      *data.DataFrame
		coef      [][]float64
		intercept []float64
		rank      int
		singular  []float64
	}{
		// y = 2x - 1 exactly; centred x = -1.5, -0.5, 0.5, 1.5 has norm √5 = 2.2360679775
		{"line", frame([]any{"x"}, []float64{1, 2, 3, 4}), frame([]any{"y"}, []float64{1, 3, 5, 7}),
			[][]float64{{2}}, []float64{-1}, 1, []float64{math.Sqrt(5)}},
		// b = 2a: rank 1, the minimum-norm solution splits the slope 2 as (0.4, 0.8)
		// (0.4·a + 0.8·2a = 2a, and (0.4, 0.8) ∥ (1, 2)); singular values √(5·5), 0
		{"collinear", frame([]any{"a", "b"}, []float64{1, 2, 3, 4}, []float64{2, 4, 6, 8}), frame([]any{"y"}, []float64{1, 3, 5, 7}),
			[][]float64{{0.4, 0.8}}, []float64{-1}, 1, []float64{5, 0}},
		// constant x: centred X is 0, rank 0, slope 0 and the intercept is mean(y) = 4
		{"constant x", frame([]any{"x"}, []float64{1, 1, 1, 1}), frame([]any{"y"}, []float64{1, 3, 5, 7}),
			[][]float64{{0}}, []float64{4}, 0, []float64{0}},
		// one row: the same degenerate case
		{"one row", frame([]any{"x"}, []float64{1}), frame([]any{"y"}, []float64{1}),
			[][]float64{{0}}, []float64{1}, 0, []float64{0}},
		// two targets at once: y1 = x, y2 = 1 - x (exact)
		{"two targets", frame([]any{"x"}, []float64{0, 1, 2}), frame([]any{"y1", "y2"}, []float64{0, 1, 2}, []float64{1, 0, -1}),
			[][]float64{{1}, {-1}}, []float64{0, 1}, 1, []float64{math.Sqrt(2)}},
	}
	for _, c := range cases {
		lr, err := FitLinearRegression(ctx, c.x, c.y)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		for k := range c.coef {
			for j := range c.coef[k] {
				if !near(lr.Coef[k][j], c.coef[k][j], 1e-12) {
					t.Errorf("%s: coef[%d][%d] = %.17g, want %g", c.name, k, j, lr.Coef[k][j], c.coef[k][j])
				}
			}
			if !near(lr.Intercept[k], c.intercept[k], 1e-12) {
				t.Errorf("%s: intercept[%d] = %.17g, want %g", c.name, k, lr.Intercept[k], c.intercept[k])
			}
		}
		if lr.Rank != c.rank || len(lr.Singular) != len(c.singular) {
			t.Errorf("%s: rank %d singular %v, want %d %v", c.name, lr.Rank, lr.Singular, c.rank, c.singular)
			continue
		}
		for i := range c.singular {
			if !near(lr.Singular[i], c.singular[i], 1e-12) {
				t.Errorf("%s: singular %v, want %v", c.name, lr.Singular, c.singular)
			}
		}
	}
}

// The reference cases' numbers (sklearn 1.2 through hetida, 10 significant digits).
func TestLinearRegressionPredictReference(t *testing.T) {
	ctx := context.Background()
	// w-model-predict-sklearn-trained-model-two-features-noisy
	x := frame([]any{"a", "b"},
		[]float64{2.3, 9.32, 5.91, 2.81, 9.06, 5.91, 5.74, 5.49, 9.67, 6.99, 3.4, 8.61},
		[]float64{-4.65, 0.27, -0.34, 4.64, 2.4, 3.18, 1.59, -2.93, 1.97, -4.58, -4.22, -0.8})
	y := frame([]any{"ziel"}, []float64{10.043, 16.672, 12.132, 3.748, 14.95, 10.194, 10.604, 13.955, 15.853, 16.714, 10.635, 16.487})
	lr, err := FitLinearRegression(ctx, x, y)
	if err != nil {
		t.Fatal(err)
	}
	p, err := lr.Predict(ctx, frame([]any{"a", "b"}, []float64{6.92, 5.72, 1.79, 0.84}, []float64{-3.71, 0.01, -2.63, -4.15}))
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{16.0546541545, 11.6412061239, 7.6756502549, 7.3410237257}
	for i := range want {
		if !near(p[0].F[i], want[i], 1e-9) {
			t.Errorf("two features: prediction %d = %.12g, want %.10f", i, p[0].F[i], want[i])
		}
	}
	// w-model-predict-sklearn-trained-model-two-targets
	x = frame([]any{"x"}, []float64{-0.18, -0.06, -1.65, 0.27, -1.6, 1.92, -0.23, 0.03})
	y = frame([]any{"y1", "y2"},
		[]float64{-0.34, -0.084, -3.168, 0.56, -3.135, 3.731, -0.331, -0.008},
		[]float64{4.192, 3.956, 5.539, 3.864, 5.513, 2.12, 4.347, 4.01})
	if lr, err = FitLinearRegression(ctx, x, y); err != nil {
		t.Fatal(err)
	}
	if p, err = lr.Predict(ctx, frame([]any{"x"}, []float64{0, 1})); err != nil {
		t.Fatal(err)
	}
	want2 := [][]float64{{0.0170880954, 1.9582246041}, {4.0140523482, 3.061664872}}
	for k := range want2 {
		for i := range want2[k] {
			if !near(p[k].F[i], want2[k][i], 1e-9) {
				t.Errorf("two targets: column %d row %d = %.12g, want %.10f", k, i, p[k].F[i], want2[k][i])
			}
		}
	}
}

// c-regr-linear-regression-df: hetida writes the model's attributes.
func TestLinearRegressionJSON(t *testing.T) {
	lr, err := FitLinearRegression(context.Background(), frame([]any{"x"}, []float64{1, 2, 3, 4}), frame([]any{"y"}, []float64{1, 3, 5, 7}))
	if err != nil {
		t.Fatal(err)
	}
	b, err := lr.AppendJSON(nil)
	want := `{"fit_intercept":true,"copy_X":true,"n_jobs":null,"positive":false,"feature_names_in_":["x"],"n_features_in_":1,"coef_":[[2.0]],"rank_":1,"singular_":[2.23606797749979],"intercept_":[-1.0]}`
	if err != nil || string(b) != want {
		t.Errorf("AppendJSON = %s, %v\nwant %s", b, err, want)
	}
	// a numpy-array fit has no feature names
	lr, _ = FitLinearRegression(context.Background(), Columns([]float64{1, 2}), Columns([]float64{1, 2}))
	if b, _ := lr.AppendJSON(nil); strings.Contains(string(b), "feature_names_in_") {
		t.Errorf("unnamed fit: %s", b)
	}
}

func TestLinearRegressionErrors(t *testing.T) {
	ctx := context.Background()
	x := frame([]any{"x"}, []float64{1, 2, 3, 4})
	y := frame([]any{"y"}, []float64{1, 3, 5, 7})
	fitted, _ := FitLinearRegression(ctx, x, y)
	cases := []struct {
		name    string
		err     error
		typ     string
		message string
	}{
		{"lengths", second(FitLinearRegression(ctx, x, frame([]any{"y"}, []float64{1, 2, 3}))), "ValueError", "Found input variables with inconsistent numbers of samples: [4, 3]"},
		{"y NaN", second(FitLinearRegression(ctx, x, frame([]any{"y"}, []float64{1, math.NaN(), 3, 4}))), "ValueError", "Input y contains NaN."},
		{"X NaN", second(FitLinearRegression(ctx, frame([]any{"x"}, []float64{1, math.NaN()}), Vector{data.Floats([]float64{1, 2})})), "ValueError", "Input X contains NaN.\nLinearRegression" + nanAdvice},
		{"empty", second(FitLinearRegression(ctx, frame([]any{"x"}, []float64{}), frame([]any{"y"}, []float64{}))), "ValueError", "Found array with 0 sample(s) (shape=(0, 1)) while a minimum of 1 is required by LinearRegression."},
		{"no y columns", second(FitLinearRegression(ctx, x, data.NewDataFrame(data.Range(4), nil, nil))), "ValueError", "at least one array or dtype is required"},
		{"strings", second(FitLinearRegression(ctx, Vector{data.Objects([]any{"1", "b"})}, Vector{data.Floats([]float64{1, 2})})), "ValueError", "could not convert string to float: 'b'"},
		{"names", second(fitted.Predict(ctx, frame([]any{"x2"}, []float64{5}))), "ValueError", "The feature names should match those that were passed during fit.\nFeature names unseen at fit time:\n- x2\nFeature names seen at fit time, yet now missing:\n- x\n"},
		{"decision", second(fitted.DecisionFunction(ctx, x)), "AttributeError", "'LinearRegression' object has no attribute 'decision_function'"},
	}
	for _, c := range cases {
		var de *data.Error
		if !errors.As(c.err, &de) || de.Type != c.typ || de.Message != c.message {
			t.Errorf("%s: %v, want %s: %q", c.name, c.err, c.typ, c.message)
		}
	}
	// numeric strings convert as float() converts them
	lr, err := FitLinearRegression(ctx, Vector{data.Objects([]any{"1", " 2.5 ", int64(4)})}, Vector{data.Floats([]float64{1, 2.5, 4})})
	if err != nil || !near(lr.Coef[0][0], 1, 1e-12) {
		t.Errorf("numeric strings: %v, %v", lr, err)
	}
}

func second[T any](_ T, err error) error { return err }
