package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/model"
)

var regression = []component.Spec{
	{Meta: metaLinearRegression, Run: linearRegression,
		Description: "Least-squares fit of every y column on all x columns: intercepts, slopes, predictions, residuals and the model"},
	{Meta: metaLinearRegressionTwoSeries, Run: linearRegressionTwoSeries,
		Description: "Least-squares line through (x, y) pairs: intercept, slope, predictions and residuals",
		Loose:       []string{"slope"}},
}

// linearRegression ports sklearn's LinearRegression().fit(x_values, y_values) (ordinary
// least squares with an intercept; see model.LinearRegression): rows are paired by
// position (unequal lengths are sklearn's ValueError, NaN too). Outputs: intercept as a
// Series on y's column labels; slope as a frame with one row per x column and one column
// per y column; preds = predict(x_values) on x's index with y's column labels; diffs =
// preds - y_values with pandas' alignment on both axes (rows whose labels differ give
// NaN); trained_model the fitted model (written as sklearn's attributes in JSON, as
// hetida writes it).
func linearRegression(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	x := r.Frame("x_values")
	y := r.Frame("y_values")
	if err := r.Err(); err != nil {
		return nil, err
	}
	lr, err := model.FitLinearRegression(ctx, x, y)
	if err != nil {
		return nil, err
	}
	cols, err := lr.Predict(ctx, x)
	if err != nil {
		return nil, err
	}
	preds := data.NewDataFrame(x.Index, y.Names, cols)
	diffs, err := data.Arith(ctx, data.OpSub, preds, y)
	if err != nil {
		return nil, err
	}
	slopes := make([]data.Column, len(lr.Coef))
	for t, c := range lr.Coef {
		slopes[t] = data.Floats(c)
	}
	return component.Outputs{
		"intercept":     data.NewSeries(nil, data.LabelIndex(y.Names), data.Floats(lr.Intercept)),
		"slope":         data.NewDataFrame(data.LabelIndex(x.Names), y.Names, slopes),
		"preds":         preds,
		"diffs":         diffs,
		"trained_model": lr,
	}, nil
}

// linearRegressionTwoSeries ports the fit of y_values on x_values (values reshaped to
// one column each, paired by position): intercept a float; slope hetida's coef_[0], a
// one-element array that is written as [b] — hence Loose; preds = intercept + slope·x on
// x's index (unnamed); diffs = preds - y_values with pandas' index alignment (NaN where
// the labels differ).
func linearRegressionTwoSeries(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	x := r.Series("x_values")
	y := r.Series("y_values")
	if err := r.Err(); err != nil {
		return nil, err
	}
	lr, err := model.FitLinearRegression(ctx, model.Vector{Values: x.Values}, model.Vector{Values: y.Values})
	if err != nil {
		return nil, err
	}
	cols, err := lr.Predict(ctx, model.Vector{Values: x.Values})
	if err != nil {
		return nil, err
	}
	preds := data.NewSeries(nil, x.Index, cols[0])
	diffs, err := data.Arith(ctx, data.OpSub, preds, y)
	if err != nil {
		return nil, err
	}
	return component.Outputs{
		"intercept": lr.Intercept[0],
		"slope":     []any{lr.Coef[0][0]},
		"preds":     preds,
		"diffs":     diffs,
	}, nil
}

// regressionTodo lists the category's revisions not ported yet.
var regressionTodo = []*component.Meta{}
