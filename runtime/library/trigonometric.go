package library

import (
	"context"
	"math"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// Every component of this category is one numpy ufunc applied element-wise in radians
// (data.MapFloat): numbers give a float, a list gives a list (a numpy array), Series and
// DataFrames keep their labels; NaN stays NaN, arguments outside the domain give NaN
// (numpy only warns); a dict or other object is numpy's TypeError "loop of ufunc does
// not support argument 0 of type dict which has no callable arccos method".
var trigonometric = []component.Spec{
	{Meta: metaArcuscosine, Run: arcuscosine, Description: "Inverse cosine in radians, element-wise (|x| > 1 gives NaN)"},
	{Meta: metaArcussine, Run: arcussine, Description: "Inverse sine in radians, element-wise (|x| > 1 gives NaN)"},
	{Meta: metaArcustangent, Run: arcustangent, Description: "Inverse tangent in radians, element-wise"},
	{Meta: metaCosine, Run: cosine, Description: "Cosine of radians, element-wise"},
	{Meta: metaSine, Run: sine, Description: "Sine of radians, element-wise"},
	{Meta: metaTangent, Run: tangent, Description: "Tangent of radians, element-wise"},
}

// ufunc reads input "data", applies numpy's ufunc called name and returns it as "result".
func ufunc(in component.Inputs, name string, f func(float64) float64) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	out, err := data.MapFloat(name, v, f)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"result": data.Float16IfBool(v, out)}, nil
}

// arcuscosine is np.arccos(data): in [0, π], NaN outside [-1, 1].
func arcuscosine(_ context.Context, in component.Inputs) (component.Outputs, error) {
	return ufunc(in, "arccos", math.Acos)
}

// arcussine is np.arcsin(data): in [-π/2, π/2], NaN outside [-1, 1].
func arcussine(_ context.Context, in component.Inputs) (component.Outputs, error) {
	return ufunc(in, "arcsin", math.Asin)
}

// arcustangent is np.arctan(data): in (-π/2, π/2), ±π/2 for ±inf.
func arcustangent(_ context.Context, in component.Inputs) (component.Outputs, error) {
	return ufunc(in, "arctan", math.Atan)
}

// cosine is np.cos(data); ±inf gives NaN.
func cosine(_ context.Context, in component.Inputs) (component.Outputs, error) {
	return ufunc(in, "cos", math.Cos)
}

// sine is np.sin(data); ±inf gives NaN.
func sine(_ context.Context, in component.Inputs) (component.Outputs, error) {
	return ufunc(in, "sin", math.Sin)
}

// tangent is np.tan(data); ±inf gives NaN.
func tangent(_ context.Context, in component.Inputs) (component.Outputs, error) {
	return ufunc(in, "tan", math.Tan)
}

// trigonometricTodo lists the category's revisions not ported yet.
var trigonometricTodo = []*component.Meta{}
