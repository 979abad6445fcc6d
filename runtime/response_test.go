package runtime

import (
	"testing"
	"time"

	"github.com/trafofn/trafofn/runtime/data"
)

// TestStepJSON: a step renders its instants truncated to microseconds in isoformat and
// its duration as repr(float) of the seconds; the shared rendering of a second gives
// what data.AppendISOFormat and data.AppendPyFloat give for every instant, across
// seconds, whole seconds (no fraction), and instants before 1970.
func TestStepJSON(t *testing.T) {
	if got, want := string((&Step{Name: "x", Start: time.Unix(1, 500), End: time.Unix(1, 1500)}).appendJSON(nil, &data.UTCSeconds{})),
		`{"name":"x","start":"1970-01-01T00:00:01+00:00","end":"1970-01-01T00:00:01.000001+00:00","duration":1e-06}`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	base := time.Date(2026, 12, 2, 14, 20, 31, 0, time.UTC).UnixNano()
	var clock data.UTCSeconds
	x := uint64(0x9E3779B97F4A7C15)
	for i := range 5000 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		start := base + int64(x%3e9) // within three seconds
		if i%7 == 0 {
			start -= start % 1e9 // a whole second
		}
		if i%11 == 0 {
			start = -start / 3 // before 1970
		}
		end := start + int64(x>>40)
		st := Step{Name: "s", Start: time.Unix(0, start), End: time.Unix(0, end)}
		trunc := func(ns int64) int64 { return time.Unix(0, ns).Truncate(time.Microsecond).UnixNano() }
		ts, te := trunc(start), trunc(end)
		want := `{"name":"s","start":"` + string(data.AppendISOFormat(nil, ts, data.UTC)) +
			`","end":"` + string(data.AppendISOFormat(nil, te, data.UTC)) +
			`","duration":` + string(data.AppendPyFloat(nil, float64((te-ts)/1000)/1e6)) + `}`
		if got := string(st.appendJSON(nil, &clock)); got != want {
			t.Fatalf("instants %d, %d:\ngot  %s\nwant %s", start, end, got, want)
		}
	}
}
