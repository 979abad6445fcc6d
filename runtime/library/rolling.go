package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/data"
)

// windows are the bounds of a time-based rolling window over a series' index.
type windows struct {
	data.Windows
	nanos int64
	rw    *data.RollingWindows
}

// release hands the bounds back for reuse (data.RollingWindows.Release): for callers
// whose results hold nothing of them.
func (w windows) release() {
	if w.rw != nil {
		w.rw.Release()
	}
}

// timeRolling is s.rolling(window) with an offset string on the rolling framework:
// pandas' validation in pandas' order and messages (data.Rolling.WithOffset: offset
// string, datetime index unless empty, no NaT, monotonic, fixed frequency) and the
// right-closed window bounds (t − window, t].
func timeRolling(ctx context.Context, s *data.Series, window string) (windows, error) {
	r, err := data.Rolling{}.WithOffset(s.Index, window)
	if err != nil {
		return windows{}, err
	}
	w, err := r.Over(ctx, s.Index)
	if err != nil {
		return windows{}, err
	}
	return windows{Windows: w.Windows, nanos: r.Window, rw: w}, nil
}
