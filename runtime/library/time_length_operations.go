package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var timeLengthOperations = []component.Spec{
	{Meta: metaCountLevelCrossings, Run: countLevelCrossings, Description: "Running count of crossings of a level, with hysteresis"},
}

// countLevelCrossings counts how often data crosses level with hysteresis h: the state is
// +1 above level+h/2, -1 below level-h/2 (values in the band keep the state); every state
// change is a crossing (edge_type > 0: rising only, < 0: falling only, 0: both). The
// result is the running count as int64 on data's index, 0 at the first row.
// hetida's code calls Index.is_monotonic, removed in pandas 2, and therefore always fails
// in the reference runtime; this is the behaviour the code intends.
func countLevelCrossings(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("data")
	level := r.Float("level")
	hyst := r.Float("hysteresis")
	edge := r.Float("edge_type")
	if err := r.Err(); err != nil {
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

// timeLengthOperationsTodo lists the category's revisions not ported yet.
var timeLengthOperationsTodo = []*component.Meta{
	&metaAddTimedeltaToIndex,
	&metaLinearInterpolationDatetimeIndex,
	&metaLinearInterpolationNumericIndex,
	&metaMergeTimeseriesDeduplicatingTimestamps,
	&metaResampleDatetimeIndexUsingMean,
	&metaResampleNumericIndexUsingMean,
	&metaShiftDatetimeIndex,
	&metaShiftValues,
	&metaTimeGaps,
}
