package library

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// CPU bound: both modes run and report consistent timings; other modes are the
// reference's ValueError; a cancelled context stops the loop.
func TestCPUBound(t *testing.T) {
	for _, bind := range []string{"single", "MULTI"} {
		out := mustCall(t, &metaCPUBound, map[string]any{"rounds": int64(50), "bind": bind})
		start, err1 := time.Parse(time.RFC3339Nano, out["start"].(string))
		end, err2 := time.Parse(time.RFC3339Nano, out["end"].(string))
		d := out["duration"].(float64)
		if err1 != nil || err2 != nil || d < 0 || math.Abs(end.Sub(start).Seconds()-d) > 1e-9 || !strings.HasSuffix(out["start"].(string), "+00:00") {
			t.Errorf("%s: %v", bind, out)
		}
	}
	_, err := call(t, &metaCPUBound, map[string]any{"rounds": int64(10), "bind": "both"})
	if err == nil || err.Error() != `ValueError: Unknown value of "bind" mode: both. Allowed values are "single" and "multi".` {
		t.Errorf("bind both: %v", err)
	}
	if _, err := call(t, &metaCPUBound, map[string]any{"rounds": int64(-1), "bind": "multi"}); pyErrType(err) != "ValueError" {
		t.Errorf("negative size: %v", err)
	}
	if _, err := call(t, &metaCPUBound, map[string]any{"rounds": int64(10_000), "bind": "multi"}); pyErrType(err) != "MemoryError" {
		t.Errorf("10000² matrices: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	spec, _ := Registry().Get(metaCPUBound.ID)
	if _, err := spec.Run(ctx, component.NewInputs(spec, map[string]any{"rounds": int64(1 << 40), "bind": "single"})); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// Timeseries Summary: the plain values are the reference's; the describe texts follow
// Python's str(dict) (checked against pandas 1.5's output for these inputs).
func TestTimeseriesSummary(t *testing.T) {
	s := data.NewSeries("v", data.Range(3), data.Ints([]int64{3, 1, 3}))
	sum := mustCall(t, &metaTimeseriesSummary, map[string]any{"series": s})["summary"].(*data.Dict)
	get := func(k string) any { v, _ := sum.Get(k); return v }
	want := map[string]any{
		"length": int64(3), "num_duplicates": int64(1), "num_index_duplicates": int64(0), "dtype": "int64",
		"first_value": "3", "first_index": "0", "last_value": "3", "last_index": "2",
		// pandas: count 3.0, mean 7/3, std √(4/3), percentiles of 1, 3, 3 at h = 2q
		"describe": "{'count': 3.0, 'mean': 2.3333333333333335, 'std': 1.1547005383792515, 'min': 1.0, '5%': 1.2, '10%': 1.4, '25%': 2.0, '50%': 3.0, '75%': 3.0, '90%': 3.0, '95%': 3.0, 'max': 3.0}",
		// label distances 1, 1 (the shifted first one is NaN and dropped)
		"index_distances_describe": "{'count': 2.0, 'mean': 1.0, 'std': 0.0, 'min': 1.0, '5%': 1.0, '10%': 1.0, '25%': 1.0, '50%': 1.0, '75%': 1.0, '90%': 1.0, '95%': 1.0, 'max': 1.0}",
		// the project's renderings (see indexText and seriesText)
		"index":  "Index([0, 1, 2], dtype='int64')",
		"series": "0    3\n1    1\n2    3\nName: v, dtype: int64",
	}
	for k, w := range want {
		if g := get(k); g != w {
			t.Errorf("%s = %#v, want %#v", k, g, w)
		}
	}
	if keys := strings.Join(sum.Keys(), ","); keys != "length,describe,num_duplicates,num_index_duplicates,index,series,dtype,first_value,first_index,last_value,last_index,index_distances_describe" {
		t.Errorf("keys %s", keys)
	}

	// strings are described as categories; an empty series has None for first/last
	str := mustCall(t, &metaTimeseriesSummary, map[string]any{"series": hourly(data.Objects([]any{"a", "b", "a"}))})["summary"].(*data.Dict)
	if v, _ := str.Get("describe"); v != "{'count': 3, 'unique': 2, 'top': 'a', 'freq': 2}" {
		t.Errorf("strings: %v", v)
	}
	if v, _ := str.Get("index_distances_describe"); !strings.HasPrefix(v.(string), "{'count': 2, 'mean': Timedelta('0 days 01:00:00'), 'std': Timedelta('0 days 00:00:00')") {
		t.Errorf("hourly distances: %v", v)
	}
	empty := mustCall(t, &metaTimeseriesSummary, map[string]any{"series": hourly(data.Floats(nil))})["summary"].(*data.Dict)
	if v, _ := empty.Get("first_value"); v != nil {
		t.Errorf("empty first_value = %v", v)
	}
	if v, _ := empty.Get("series"); v != "Series([], dtype: float64)" {
		t.Errorf("empty series text = %v", v)
	}
	// string labels cannot be subtracted: Python's TypeError, as in the reference
	labels := data.NewSeries(nil, data.Objects([]any{"a", "b"}), data.Floats([]float64{1, 2}))
	if _, err := call(t, &metaTimeseriesSummary, map[string]any{"series": labels}); err == nil || err.Error() != "TypeError: unsupported operand type(s) for -: 'str' and 'str'" {
		t.Errorf("string labels: %v", err)
	}
	// more than 60 rows show the first and last 5 and the length
	long := mustCall(t, &metaTimeseriesSummary, map[string]any{"series": data.NewSeries(nil, data.Range(100), data.Floats(make([]float64, 100)))})["summary"].(*data.Dict)
	if v, _ := long.Get("series"); strings.Count(v.(string), "\n") != 11 || !strings.HasSuffix(v.(string), "Length: 100, dtype: float64") {
		t.Errorf("long series text = %q", v)
	}
}
