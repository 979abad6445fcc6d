package library

import (
	"context"
	"errors"
	"math"
	"sync/atomic"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// bigSeries is n points at one-minute spacing with a slow wave and volatile stretches.
func bigSeries(n int) *data.Series {
	idx := make([]int64, n)
	vals := make([]float64, n)
	for i := range idx {
		idx[i] = int64(i) * 60e9
		vals[i] = 100 + 10*math.Sin(float64(i)/50) + float64(i%7)
	}
	return data.NewSeries(nil, data.Datetimes(idx, data.UTC), data.Floats(vals))
}

// countingCtx counts how often a component asks whether it should stop.
type countingCtx struct {
	context.Context
	checks atomic.Int64
}

func (c *countingCtx) Err() error {
	c.checks.Add(1)
	return c.Context.Err()
}

// Every component that loops over its rows asks its context at least once per ten
// thousand rows (counted, not timed), and a cancelled context stops it with
// context.Canceled instead of a result.
func TestComponentsHonourCancellation(t *testing.T) {
	const n = 1_000_000
	s := bigSeries(n)
	alerts := s.With(data.Floats(make([]float64, n)))
	alerts.Values.F[10] = 1
	interval := []any{func() *data.Dict {
		d := data.NewDict(2)
		d.Set("start", "1970-01-01T00:00:00Z")
		d.Set("end", "1975-01-01T00:00:00Z")
		return d
	}()}
	inputs := map[string]map[string]any{
		"Simple Volatility Score":    {"timeseries": s, "window_size": "180min", "window_timestamp_location": "center"},
		"Alerts from Score":          {"scores": s, "threshold": 105.0},
		"Count level crossings":      {"data": s, "level": 105.0, "hysteresis": 1.0, "edge_type": 0.0},
		"Select Time Intervals":      {"series": s, "list_of_time_intervals": interval},
		"Timeseries and Alerts Plot": {"series": s, "alert_series": alerts},
	}
	reg := Registry()
	for name, in := range inputs {
		spec, ok := findByName(reg, name)
		if !ok {
			t.Errorf("no component named %q", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			ctx := &countingCtx{Context: context.Background()}
			if _, err := spec.Run(ctx, component.NewInputs(spec, in)); err != nil {
				t.Fatalf("run: %v", err)
			}
			if min := int64(n / 10_000); ctx.checks.Load() < min {
				t.Errorf("asked its context %d times over %d rows, want at least %d", ctx.checks.Load(), n, min)
			}
			cctx, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := spec.Run(cctx, component.NewInputs(spec, in)); !errors.Is(err, context.Canceled) {
				t.Errorf("with a cancelled context: %v, want context.Canceled", err)
			}
		})
	}
}

func findByName(r *component.Registry, name string) (*component.Spec, bool) {
	for _, s := range r.All() {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}
