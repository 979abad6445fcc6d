package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var arithmetic = category("Arithmetic",
	component.Spec{
		ID: "878d85a2-2cf5-235b-d260-fd94c734cec9", Name: "Sum up Series", Released: "2022-02-09T17:33:31.783721+00:00",
		Description: "Sums up all values of a series",
		In:          ports(in("data", tSeries)), Out: ports(out("sum", tFloat)), Run: sumUpSeries,
	},
)

// sumUpSeries is data.sum(): NaN skipped, 0 for an empty series; integer and boolean
// series sum to an integer, strings concatenate.
func sumUpSeries(_ context.Context, in component.Inputs) (component.Outputs, error) {
	s, err := in.Series("data")
	if err != nil {
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
