package kafka

import "time"

// workerIdle is how long an idle execution goroutine waits for the next record.
const workerIdle = 10 * time.Second

// workers runs the partitions' executions on goroutines that are reused. A goroutine of its
// own per record grew its stack anew through the CloudEvents decoding and the handler's
// middlewares every time: 8 % of the function process's CPU time at half load (CPU profile
// of trafofn bench's echo workload). At most MaxInFlight executions run at once (the
// Consumer's semaphore), so at most that many workers wait; an idle one ends after
// workerIdle, or when quit is closed.
type workers struct {
	jobs chan func()
	quit chan struct{}
}

func newWorkers() *workers {
	return &workers{jobs: make(chan func()), quit: make(chan struct{})}
}

// Go runs f on an idle worker, or on a new one when none is waiting.
func (w *workers) Go(f func()) {
	select {
	case w.jobs <- f:
	default:
		go w.work(f)
	}
}

func (w *workers) work(f func()) {
	t := time.NewTimer(workerIdle)
	defer t.Stop()
	for {
		f()
		t.Reset(workerIdle)
		select {
		case f = <-w.jobs:
		case <-t.C:
			return
		case <-w.quit:
			return
		}
	}
}

// stop ends the idle workers; running ones end after their job.
func (w *workers) stop() { close(w.quit) }
