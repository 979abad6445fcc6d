package function

import "time"

// WorkersForTest exposes the worker pool to the external tests.
type WorkersForTest interface {
	Go(func())
	Live() int64
	Waiting() int64
	Panics() int64
}

func (w *workers) Live() int64    { return w.live.Load() }
func (w *workers) Waiting() int64 { return w.waiting.Load() }
func (w *workers) Panics() int64  { return w.panics.Load() }

// NewWorkersForTest returns a pool whose workers wait idle for the given time.
func NewWorkersForTest(idle time.Duration) WorkersForTest { return newWorkers(idle) }
