package library

import (
	"math"
	"reflect"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// The trigonometric ufuncs: NaN stays NaN, out-of-domain arguments give NaN, ints give
// floats, lists give lists, DataFrames apply per column; a dict is numpy's TypeError.
func TestTrigonometric(t *testing.T) {
	for _, tc := range []struct {
		meta *component.Meta
		in   []float64
		want []any
	}{
		// arccos(-1) = π, arccos(1) = 0, |x| > 1 → NaN
		{&metaArcuscosine, []float64{-1, 1, 2, nan}, []any{math.Pi, 0.0, nan, nan}},
		{&metaArcussine, []float64{-1, 0, -1.5}, []any{-math.Pi / 2, 0.0, nan}},
		// arctan(±inf) = ±π/2
		{&metaArcustangent, []float64{1, math.Inf(-1)}, []any{math.Pi / 4, -math.Pi / 2}},
		{&metaCosine, []float64{0, math.Pi, math.Inf(1)}, []any{1.0, -1.0, nan}},
		{&metaSine, []float64{0, math.Pi / 2, nan}, []any{0.0, 1.0, nan}},
		{&metaTangent, []float64{0, math.Pi / 4}, []any{0.0, 1.0}},
	} {
		r := mustCall(t, tc.meta, map[string]any{"data": hourly(data.Floats(tc.in))})["result"].(*data.Series)
		if !sameValues(r.Values, tc.want, 1e-15) {
			t.Errorf("%s: %v, want %v", tc.meta.Name, boxed(r.Values), tc.want)
		}
	}
	// ints give floats: cos(0) = 1.0; a list stays a list
	if v := mustCall(t, &metaCosine, map[string]any{"data": int64(0)})["result"]; v != 1.0 {
		t.Errorf("cos(0) = %#v", v)
	}
	if v := mustCall(t, &metaArcustangent, map[string]any{"data": []any{int64(0)}})["result"]; !reflect.DeepEqual(v, []any{0.0}) {
		t.Errorf("arctan([0]) = %#v", v)
	}
	// a frame with a string column fails on it, as numpy's object loop does
	f := data.NewDataFrame(data.Range(1), []any{"a", "s"}, []data.Column{data.Floats([]float64{0}), data.Objects([]any{"x"})})
	if _, err := call(t, &metaSine, map[string]any{"data": f}); err == nil || err.Error() != "TypeError: loop of ufunc does not support argument 0 of type str which has no callable sin method" {
		t.Errorf("frame with strings: %v", err)
	}
	if _, err := call(t, &metaArcuscosine, map[string]any{"data": dict("a", 1.0)}); err == nil || err.Error() != "TypeError: loop of ufunc does not support argument 0 of type dict which has no callable arccos method" {
		t.Errorf("dict: %v", err)
	}
	// an empty series stays empty, all-NaN stays NaN
	if r := mustCall(t, &metaTangent, map[string]any{"data": hourly(data.Floats(nil))})["result"].(*data.Series); r.Len() != 0 {
		t.Errorf("empty: %v", boxed(r.Values))
	}
}
