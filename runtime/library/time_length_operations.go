package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var timeLengthOperations = category("Time length operations",
	component.Spec{
		ID: "8b8046ec-0817-e314-936c-08e8c5116ef5", Name: "Count level crossings", Released: "2022-02-09T17:33:29.070091+00:00",
		Description: "Count the number of crossings of a given level",
		In:          ports(in("data", tSeries), in("level", tFloat), in("hysteresis", tFloat), in("edge_type", tFloat)),
		Out:         ports(out("result", tSeries)), Run: countLevelCrossings,
	},
)

// countLevelCrossings counts how often data crosses level with hysteresis h: the state is
// +1 above level+h/2, -1 below level-h/2 (values in the band keep the state); every state
// change is a crossing (edge_type > 0: rising only, < 0: falling only, 0: both). The
// result is the running count as int64 on data's index, 0 at the first row.
// hetida's code calls Index.is_monotonic, removed in pandas 2, and therefore always fails
// in the reference runtime; this is the behaviour the code intends.
func countLevelCrossings(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	s, err := in.Series("data")
	if err != nil {
		return nil, err
	}
	level, err := in.Float("level")
	if err != nil {
		return nil, err
	}
	hyst, err := in.Float("hysteresis")
	if err != nil {
		return nil, err
	}
	edge, err := in.Float("edge_type")
	if err != nil {
		return nil, err
	}
	n := s.Len()
	if n < 2 {
		return nil, component.ValueError("length of data must be greater than 1, it is %d", n)
	}
	if hyst < 0 {
		return nil, component.ValueError("hysteresis must be non-negative, it is %s", data.PyFloat(hyst))
	}
	if !s.Index.IsMonotonicIncreasing() {
		return nil, component.ValueError("data must be sorted by its index")
	}
	if !s.Index.IsUnique() {
		return nil, component.ValueError("cannot reindex on an axis with duplicate labels")
	}
	v, ok := s.Values.FloatValues()
	if !ok {
		return nil, component.TypeError("'>' not supported between instances of 'str' and 'float'")
	}
	tol := hyst / 2
	counts := make([]int64, n)
	has := make([]bool, n)
	prev := int64(0)
	first := true
	var total int64
	for i, x := range v {
		if err := cancelled(ctx, i); err != nil {
			return nil, err
		}
		var st int64
		if x > level+tol {
			st++
		}
		if x < level-tol {
			st--
		}
		if st == 0 {
			continue
		}
		if first {
			first, prev = false, st
			continue
		}
		change := (st - prev) / 2
		prev = st
		if (edge > 0 && change == 1) || (edge < 0 && change == -1) || (edge == 0 && change != 0) {
			total++
			counts[i], has[i] = total, true
		}
	}
	out := make([]int64, n)
	var last int64
	for i := range out {
		if i == 0 {
			last = 0
		} else if has[i] {
			last = counts[i]
		}
		out[i] = last
	}
	return component.Outputs{"result": s.With(data.Ints(out))}, nil
}
