package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var statistic = []component.Spec{
	{Meta: metaAverage, Run: average, Description: "The mean of a series, or the column means of a DataFrame, NaN skipped"},
}

// average is data.mean(): the mean of a Series' non-NaN values, or a Series of column
// means for a DataFrame; other values have no mean (AttributeError, as in Python).
func average(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case *data.Series:
		m, err := seriesMean(x)
		if err != nil {
			return nil, err
		}
		return component.Outputs{"average": m}, nil
	case *data.DataFrame:
		means := make([]float64, len(x.Columns))
		for i, c := range x.Columns {
			v, ok := c.FloatValues()
			if !ok {
				return nil, component.TypeError("Could not convert column %s to numeric", data.PyRepr(x.Names[i]))
			}
			means[i] = data.NanMean(v)
		}
		return component.Outputs{"average": data.NewSeries(nil, data.Objects(append([]any(nil), x.Names...)), data.Floats(means))}, nil
	default:
		return nil, component.AttributeError(x, "mean")
	}
}

func seriesMean(s *data.Series) (float64, error) {
	v, ok := s.Values.FloatValues()
	if !ok {
		return 0, component.TypeError("Could not convert %s to numeric", "the series values")
	}
	return data.NanMean(v), nil
}

// statisticTodo lists the category's revisions not ported yet.
var statisticTodo = []*component.Meta{
	&metaInferWindowSize,
	&metaMaximum,
	&metaMedian,
	&metaMinimum,
	&metaMovingTimeWindowMean,
	&metaMovingTimeWindowMedian,
	&metaMovingAverageNumber,
	&metaMovingAverageTime,
	&metaMovingMaximumNumber,
	&metaMovingMaximumTime,
	&metaMovingMedianNumber,
	&metaMovingMedianTime,
	&metaMovingMinimumNumber,
	&metaMovingMinimumTime,
	&metaMovingStandardDeviationNumber,
	&metaMovingStandardDeviationTime,
	&metaStandardScale,
	&metaStandardDeviation,
}
