package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// windows are the bounds of a time-based rolling window over a series' index.
type windows struct {
	data.Windows
	nanos int64
}

// timeRolling validates s.rolling(window) the way pandas does (offset string, fixed
// frequency, datetime index, monotonic) and computes the right-closed window bounds.
func timeRolling(ctx context.Context, s *data.Series, window string) (windows, error) {
	off, err := data.ParseOffset(window)
	if err != nil {
		return windows{}, component.ValueError("passed window %s is not compatible with a datetimelike index", window)
	}
	if s.Index.DType != data.Datetime {
		return windows{}, component.ValueError("window must be an integer 0 or greater")
	}
	nanos, err := off.Nanos()
	if err != nil {
		return windows{}, component.ValueError("%v", err)
	}
	if !s.Index.IsMonotonicIncreasing() {
		return windows{}, component.ValueError("index must be monotonic")
	}
	w, err := data.VariableWindowBounds(ctx, s.Index.I, nanos, data.ClosedRight, false)
	if err != nil {
		return windows{}, err
	}
	return windows{Windows: w, nanos: nanos}, nil
}
