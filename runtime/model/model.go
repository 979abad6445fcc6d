// Package model holds the trained models trafofn's own components produce and apply:
// native ports of scikit-learn's IsolationForest and LinearRegression. The Models
// components (Predict / Decision Function Sklearn Trained Model) reach them through the
// Model interface; hetida passes arbitrary pickled estimators there, trafofn only the
// models it trained itself.
//
// Inputs are validated as scikit-learn's check_array and _check_feature_names do, with
// their error texts: a DataFrame's string column labels are the feature names, values
// must convert to float, NaN and ±Inf are refused, and a model applied to data checks
// the names and the number of features it was fitted with.
package model

import (
	"context"

	"github.com/trafofn/trafofn/runtime/data"
)

// Model is a trained estimator, applied the way scikit-learn's estimator methods are:
// x is whatever the component received (a DataFrame normally; other values fail as
// check_array fails on them). A model that lacks a method (a regression has no
// decision_function) returns Python's AttributeError for it.
type Model interface {
	// PyTypeName is the estimator's class name ("IsolationForest").
	PyTypeName() string
	// Predict is estimator.predict(x): one column per output of the 2-D result
	// (sklearn returns a 1-D array for single-output estimators: one column).
	Predict(ctx context.Context, x any) ([]data.Column, error)
	// DecisionFunction is estimator.decision_function(x), one score per row.
	DecisionFunction(ctx context.Context, x any) ([]float64, error)
}

// Compile-time checks: both ports are Models.
var (
	_ Model = (*IsolationForest)(nil)
	_ Model = (*LinearRegression)(nil)
)
