package library

import (
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
)

// Time to length with a scalar and a Series speed; expectations worked out by hand (and
// checked against the reference code under pandas 1.5 and scipy 1.10).
func TestTimeToLength(t *testing.T) {
	// data at 00:02, 00:00, 00:03 (unsorted): 1.0, 2.0, 3.0
	d := data.NewSeries("x", minutes(2, 0, 3), data.Floats([]float64{1, 2, 3}))

	// scalar speed True (a bool is an int in Python): sorted by time, length = 1·seconds
	// since 00:00 → 2.0 at 0, 1.0 at 120, 3.0 at 180
	r := mustCall(t, &metaTimeToLength, map[string]any{"data": d, "speed": true})["result"].(*data.Series)
	if r.Name != nil || !sameValues(r.Index, []any{0.0, 120.0, 180.0}, 0) || !sameValues(r.Values, []any{2.0, 1.0, 3.0}, 0) {
		t.Errorf("bool speed: %v at %v", boxed(r.Values), boxed(r.Index))
	}

	// a speed series 4, 2, 6, 0 at 00:00…00:03 (given shuffled): cumulative trapezoid over
	// seconds 0, 60, 120, 180 → 0, 60·3 = 180, 180 + 60·4 = 420, 420 + 60·3 = 600; data's
	// timestamps 00:00, 00:02, 00:03 keep lengths 0, 420, 600 (00:01 has no data value)
	sp := data.NewSeries(nil, minutes(1, 0, 3, 2), data.Ints([]int64{2, 4, 0, 6}))
	r = mustCall(t, &metaTimeToLength, map[string]any{"data": d, "speed": sp})["result"].(*data.Series)
	if !sameValues(r.Index, []any{0.0, 420.0, 600.0}, 0) || !sameValues(r.Values, []any{2.0, 1.0, 3.0}, 0) {
		t.Errorf("series speed: %v at %v", boxed(r.Values), boxed(r.Index))
	}

	// an integer index counts as nanoseconds since the epoch (to_datetime): 0 and 2·10⁹ ns
	// are 2 s apart, so speed 1.5 gives lengths 0 and 3
	ns := data.NewSeries(nil, data.Ints([]int64{0, 2e9}), data.Floats([]float64{5, 6}))
	r = mustCall(t, &metaTimeToLength, map[string]any{"data": ns, "speed": 1.5})["result"].(*data.Series)
	if !sameValues(r.Index, []any{0.0, 3.0}, 0) {
		t.Errorf("int index: %v", boxed(r.Index))
	}

	for _, tc := range []struct {
		name        string
		data, speed any
		want        string
	}{
		{"empty data", hourly(data.Floats(nil)), 1.0, "IndexError: index 0 is out of bounds for axis 0 with size 0"},
		{"string labels", data.NewSeries(nil, data.Objects([]any{"a"}), data.Floats([]float64{1})), 1.0, "TypeError: indices of data must be datetime"},
		{"bool labels", data.NewSeries(nil, data.Bools([]bool{true}), data.Floats([]float64{1})), 1.0, "TypeError: indices of data must be datetime"},
		{"dict data", dict("a", 1.0), 1.0, "AttributeError: 'dict' object has no attribute 'index'"},
		{"list data", []any{1.0}, 1.0, "TypeError: indices of data must be datetime"},
		{"string data", "abc", 1.0, "AttributeError: 'str' object has no attribute 'copy'"},
		{"dict speed", d, dict("a", 1.0), "AttributeError: 'dict' object has no attribute 'index'"},
		{"list speed", d, []any{1.0}, "TypeError: indices of speed must be datetime"},
		{"None speed", d, nil, "AttributeError: 'NoneType' object has no attribute 'copy'"},
		{"frame data", data.NewDataFrame(minutes(0, 1), []any{"a", "b"}, []data.Column{data.Floats([]float64{1, 2}), data.Floats([]float64{3, 4})}), 1.0,
			"ValueError: Data must be 1-dimensional, got ndarray of shape (2, 2) instead"},
		{"repeated speed timestamps", d, data.NewSeries(nil, minutes(0, 0), data.Floats([]float64{1, 1})), "ValueError: cannot reindex on an axis with duplicate labels"},
	} {
		if _, err := call(t, &metaTimeToLength, map[string]any{"data": tc.data, "speed": tc.speed}); err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
}
