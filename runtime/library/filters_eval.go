package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
)

func evalExpressionOnDataFrame(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return nil, component.NotImplementedError("todo")
}

func evalExpressionOnSeries(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return nil, component.NotImplementedError("todo")
}
