package library

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// call runs the registered component with the given inputs.
func call(t *testing.T, meta *component.Meta, vals map[string]any) (component.Outputs, error) {
	t.Helper()
	spec, ok := Registry().Get(meta.ID)
	if !ok {
		t.Fatalf("%s is not registered", meta.Name)
	}
	return spec.Run(context.Background(), component.NewInputs(spec, vals))
}

func mustCall(t *testing.T, meta *component.Meta, vals map[string]any) component.Outputs {
	t.Helper()
	out, err := call(t, meta, vals)
	if err != nil {
		t.Fatalf("%s: %v", meta.Name, err)
	}
	return out
}

const hour = int64(3600e9)

func hourly(vals data.Column) *data.Series {
	ns := make([]int64, vals.Len())
	for i := range ns {
		ns[i] = base + int64(i)*hour
	}
	return data.NewSeries(nil, data.Datetimes(ns, data.UTC), vals)
}

// Sum up Series is pandas' sum(): NaN skipped, integer dtypes stay integers, an empty
// series sums to 0.
func TestSumUpSeries(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   data.Column
		want any
	}{
		{"floats with NaN: 1.5 + 2.5", data.Floats([]float64{1.5, math.NaN(), 2.5}), 4.0},
		{"ints stay int (numpy's int64): 1 + 2 + 3", data.Ints([]int64{1, 2, 3}), data.NumpyScalar{Type: "int64", V: int64(6)}},
		{"bools count the Trues", data.Bools([]bool{true, false, true}), data.NumpyScalar{Type: "int64", V: int64(2)}},
		{"empty float series: 0", data.Floats(nil), 0.0},
		{"all NaN: 0 (min_count=0)", data.Floats([]float64{math.NaN(), math.NaN()}), 0.0},
		{"strings concatenate", data.Objects([]any{"a", "b"}), "ab"},
	} {
		out := mustCall(t, &metaSumUpSeries, map[string]any{"data": hourly(tc.in)})
		if !reflect.DeepEqual(out["sum"], tc.want) {
			t.Errorf("%s: sum = %#v, want %#v", tc.name, out["sum"], tc.want)
		}
	}
}

// Count level crossings on [0, 2, 0, 2, 1, 0] around level 1: with no hysteresis the
// states are -1 +1 -1 +1 (1 is in the band: no state) -1, so crossings happen at rows 1, 2,
// 3 and 5 (rising at 1 and 3, falling at 2 and 5); the result is the running count.
// A hysteresis of 3 puts every value inside the band [-0.5, 2.5]: nothing crosses.
func TestCountLevelCrossings(t *testing.T) {
	s := hourly(data.Floats([]float64{0, 2, 0, 2, 1, 0}))
	for _, tc := range []struct {
		name       string
		hysteresis float64
		edge       float64
		want       []int64
	}{
		{"both edges", 0, 0, []int64{0, 1, 2, 3, 3, 4}},
		{"rising only", 0, 1, []int64{0, 1, 1, 2, 2, 2}},
		{"falling only", 0, -1, []int64{0, 0, 1, 1, 1, 2}},
		{"wide hysteresis band", 3, 0, []int64{0, 0, 0, 0, 0, 0}},
	} {
		out := mustCall(t, &metaCountLevelCrossings, map[string]any{"data": s, "level": 1.0, "hysteresis": tc.hysteresis, "edge_type": tc.edge})
		got := out["result"].(*data.Series)
		if got.Values.DType != data.Int64 || !reflect.DeepEqual(got.Values.I, tc.want) {
			t.Errorf("%s: %v %v, want int64 %v", tc.name, got.Values.DType, got.Values.I, tc.want)
		}
	}
	if _, err := call(t, &metaCountLevelCrossings, map[string]any{"data": s, "level": 1.0, "hysteresis": -1.0, "edge_type": 0.0}); err == nil {
		t.Error("a negative hysteresis was accepted")
	}
}

// Select Time Intervals marks 01:00–02:00 of an hourly series 00:00…03:00; each bound is
// inclusive unless its flag says otherwise.
func TestSelectTimeIntervalsBounds(t *testing.T) {
	s := hourly(data.Floats([]float64{1, 2, 3, 4}))
	interval := func(kv ...any) []any {
		return []any{dict(append([]any{"start", "2020-03-29T01:00:00Z", "end", "2020-03-29T02:00:00Z"}, kv...)...)}
	}
	for _, tc := range []struct {
		name      string
		intervals []any
		want      []bool
	}{
		{"both inclusive (default)", interval(), []bool{false, true, true, false}},
		{"start exclusive", interval("start_inclusive", false), []bool{false, false, true, false}},
		{"end exclusive", interval("end_inclusive", false), []bool{false, true, false, false}},
		{"both exclusive", interval("start_inclusive", false, "end_inclusive", false), []bool{false, false, false, false}},
	} {
		out := mustCall(t, &metaSelectTimeIntervals, map[string]any{"series": s, "list_of_time_intervals": tc.intervals})
		if got := out["filter_series"].(*data.Series).Values.B; !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Simple Volatility Score hands its intermediates back for reuse: a result must not share
// memory with them, so an earlier call's result survives later calls unchanged.
func TestVolatilityResultSurvivesReuse(t *testing.T) {
	series := func(seed float64) *data.Series {
		v := make([]float64, 3000)
		for i := range v {
			v[i] = math.Sin(float64(i)*seed) * 10
		}
		return hourly(data.Floats(v))
	}
	run := func(s *data.Series) *data.Series {
		out := mustCall(t, &metaSimpleVolatilityScore, map[string]any{"timeseries": s, "window_size": "6h", "window_timestamp_location": "center"})
		return out["volatilities"].(*data.Series)
	}
	first := run(series(0.3))
	want := append([]float64(nil), first.Values.F...)
	for k := range 5 {
		run(series(1.1 + float64(k)))
	}
	same := func(a, b []float64) bool {
		for i := range a {
			if a[i] != b[i] && !(a[i] != a[i] && b[i] != b[i]) {
				return false
			}
		}
		return len(a) == len(b)
	}
	if !same(first.Values.F, want) {
		t.Fatal("a later call changed an earlier call's result")
	}
	if again := run(series(0.3)); !same(again.Values.F, want) {
		t.Fatal("the same input gave another result after the memory was reused")
	}
}
