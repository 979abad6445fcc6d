package function

import "time"

// workers runs functions on long-lived goroutines. An execution needs a deep stack; a
// fresh goroutine per request would grow (copy) its stack every time, which showed up as
// a tenth of the CPU profile under load. Idle workers wait briefly for the next job and
// then exit, so the pool shrinks to what the load needs.
type workers struct {
	jobs chan func()
	idle time.Duration
}

func newWorkers(idle time.Duration) *workers {
	return &workers{jobs: make(chan func()), idle: idle}
}

// Go runs f on an idle worker, or on a new one when none is free.
func (w *workers) Go(f func()) {
	select {
	case w.jobs <- f:
	default:
		go w.work(f)
	}
}

func (w *workers) work(f func()) {
	t := time.NewTimer(w.idle)
	defer t.Stop()
	for {
		f()
		t.Reset(w.idle)
		select {
		case f = <-w.jobs:
		case <-t.C:
			return
		}
	}
}
