package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var arithmetic = []component.Spec{
	{Meta: metaSumUpSeries, Run: sumUpSeries, Description: "The sum of a series' values, NaN skipped",
		Loose: []string{"sum"}},
}

// sumUpSeries is data.sum(): NaN skipped, 0 for an empty series; integer and boolean
// series sum to an integer, strings concatenate (so "sum", declared FLOAT, can be a
// string, as in Python).
func sumUpSeries(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch s.Values.DType {
	case data.Int64:
		var t int64
		for _, v := range s.Values.I {
			t += v
		}
		return component.Outputs{"sum": t}, nil
	case data.Bool:
		var t int64
		for _, v := range s.Values.B {
			if v {
				t++
			}
		}
		return component.Outputs{"sum": t}, nil
	case data.Float64:
		return component.Outputs{"sum": data.NanSum(s.Values.F)}, nil
	case data.Object:
		if f, ok := s.Values.FloatValues(); ok {
			return component.Outputs{"sum": data.NanSum(f)}, nil
		}
		acc := ""
		for _, v := range s.Values.O {
			str, ok := v.(string)
			if !ok {
				if v == nil {
					continue
				}
				return nil, component.TypeError("unsupported operand type(s) for +: 'str' and '%s'", component.PyTypeName(v))
			}
			acc += str
		}
		return component.Outputs{"sum": acc}, nil
	}
	return nil, component.TypeError("cannot sum values of dtype %s", s.Values.DType)
}

// arithmeticTodo lists the category's revisions not ported yet.
var arithmeticTodo = []*component.Meta{
	&metaConsecutiveDifferences,
	&metaCumulativeSum,
	&metaDerivate,
	&metaE,
	&metaExp,
	&metaIntegrate,
	&metaLn,
	&metaLogToBase,
	&metaModulo,
	&metaPi,
	&metaPower,
	&metaSqrt,
	&metaSumColumns,
	&metaNthRoot,
}
