package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/model"
)

var models = []component.Spec{
	{Meta: metaDecisionFunctionSklearnTrainedModel, Run: decisionFunctionSklearnTrainedModel,
		Description: "Scores data with a trained model's decision function (trafofn's own models)"},
	{Meta: metaPredictSklearnTrainedModel, Run: predictSklearnTrainedModel,
		Description: "Predicts with a trained model (trafofn's own models) as a frame on the data's index"},
}

// trainedModel is the model input: hetida accepts any scikit-learn estimator (a pickle
// loaded from its object store, say); trafofn applies the models its own components
// train (Isolation Forest, Linear Regression). Anything else lacks the method, as a dict
// or a string lacks it in Python: AttributeError "'dict' object has no attribute
// 'predict'".
func trainedModel(v any, method string) (model.Model, error) {
	m, ok := v.(model.Model)
	if !ok {
		return nil, data.AttributeError(v, method)
	}
	return m, nil
}

// dataIndex is data.index of the data the model was applied to. Only a DataFrame
// gets this far with an index: a list of rows passes scikit-learn's checks, but its
// .index is a method, which pandas cannot use as an index.
func dataIndex(x any) (data.Column, error) {
	switch v := x.(type) {
	case *data.DataFrame:
		return v.Index, nil
	case []any:
		return data.Column{}, data.TypeError("'builtin_function_or_method' object is not iterable")
	}
	return data.Column{}, data.AttributeError(x, "index")
}

// decisionFunctionSklearnTrainedModel ports pd.Series(trained_model.decision_function(data),
// index=data.index, name="decision_function_values"). The model checks data as sklearn
// does (feature names and count as fitted, numbers only, no NaN); a model without a
// decision function (a regression) raises AttributeError.
func decisionFunctionSklearnTrainedModel(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	x := r.Any("data")
	v := r.Any("trained_model")
	if err := r.Err(); err != nil {
		return nil, err
	}
	m, err := trainedModel(v, "decision_function")
	if err != nil {
		return nil, err
	}
	scores, err := m.DecisionFunction(ctx, x)
	if err != nil {
		return nil, err
	}
	index, err := dataIndex(x)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"predictions": data.NewSeries("decision_function_values", index, data.Floats(scores))}, nil
}

// predictSklearnTrainedModel ports pd.DataFrame(trained_model.predict(data),
// index=data.index): columns 0..k-1 (one for an Isolation Forest's ±1 labels, one per
// target of a Linear Regression).
func predictSklearnTrainedModel(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	x := r.Any("data")
	v := r.Any("trained_model")
	if err := r.Err(); err != nil {
		return nil, err
	}
	m, err := trainedModel(v, "predict")
	if err != nil {
		return nil, err
	}
	cols, err := m.Predict(ctx, x)
	if err != nil {
		return nil, err
	}
	index, err := dataIndex(x)
	if err != nil {
		return nil, err
	}
	names := make([]any, len(cols))
	for i := range names {
		names[i] = int64(i)
	}
	return component.Outputs{"predictions": data.NewDataFrame(index, names, cols)}, nil
}

// modelsTodo lists the category's revisions not ported yet.
var modelsTodo = []*component.Meta{}
