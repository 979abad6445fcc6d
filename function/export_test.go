package function

import "time"

// NewWorkersForTest exposes the worker pool to the external tests.
func NewWorkersForTest() interface{ Go(func()) } { return newWorkers(50 * time.Millisecond) }
