package function

import (
	"sync/atomic"
	"time"
)

// workers runs functions on long-lived goroutines. An execution needs a deep stack; a
// fresh goroutine per request would grow (copy) its stack every time, which showed up as
// a tenth of the CPU profile under load. Idle workers wait briefly for the next job and
// then exit, so the pool shrinks to what the load needs. A job that panics does not take
// its worker (or the process) down: the panic is recovered and counted, and the worker
// goes on (jobs report their own panics; Timeout's do).
type workers struct {
	jobs    chan func()
	idle    time.Duration
	live    atomic.Int64 // workers running
	waiting atomic.Int64 // workers waiting for a job
	panics  atomic.Int64 // jobs that panicked
}

func newWorkers(idle time.Duration) *workers {
	return &workers{jobs: make(chan func()), idle: idle}
}

// Go runs f on an idle worker, or on a new one when none is free.
func (w *workers) Go(f func()) {
	select {
	case w.jobs <- f:
	default:
		w.live.Add(1)
		go w.work(f)
	}
}

func (w *workers) work(f func()) {
	defer w.live.Add(-1)
	t := time.NewTimer(w.idle)
	defer t.Stop()
	for {
		w.run(f)
		t.Reset(w.idle)
		w.waiting.Add(1)
		select {
		case f = <-w.jobs:
			w.waiting.Add(-1)
		case <-t.C:
			w.waiting.Add(-1)
			return
		}
	}
}

func (w *workers) run(f func()) {
	defer func() {
		if recover() != nil {
			w.panics.Add(1)
		}
	}()
	f()
}
