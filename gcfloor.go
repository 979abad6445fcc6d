package main

import (
	"runtime"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"sync/atomic"
)

// gcFloor keeps the garbage collector's heap goal at least floor bytes. GOGC alone sets
// the goal to live × (1 + GOGC/100): the function's live heap between requests is a few MB,
// so a workload allocating 100 KB per request (plots on) was collected 30 times a second.
// Each collection stops the world twice, and on a machine whose cores are busy with other
// processes a stop waits until the OS runs every thread of the process again: an execution
// trace at half load showed stops of 0.9 ms typically and up to 50 ms. After every
// collection gcFloor raises the GC percentage so that the next goal is floor while
// live × (1 + GOGC/100) is below it, and returns it to GOGC above; GOMEMLIMIT still caps
// the goal. It costs no memory beyond the floor: the peak heap, with requests waiting,
// is larger anyway.
type gcFloor struct {
	gogc    int    // the configured GOGC (≥ 0)
	floor   uint64 // bytes
	percent atomic.Int64
	stopped atomic.Bool
	sample  []rtmetrics.Sample
}

// startGCFloor installs the floor; stop ends it and restores gogc.
func startGCFloor(gogc int, floor uint64) (f *gcFloor, stop func()) {
	f = &gcFloor{gogc: gogc, floor: floor, sample: []rtmetrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	f.percent.Store(int64(gogc))
	f.arm()
	return f, func() {
		f.stopped.Store(true)
		debug.SetGCPercent(gogc)
	}
}

// sentinel is garbage whose cleanup runs after the collection that found it unreachable.
type sentinel struct{ _ [64]byte }

func (f *gcFloor) arm() {
	runtime.AddCleanup(&sentinel{}, func(f *gcFloor) { f.collected() }, f)
}

// collected runs (on the runtime's cleanup goroutine) after a collection.
func (f *gcFloor) collected() {
	if f.stopped.Load() {
		return
	}
	rtmetrics.Read(f.sample)
	if f.sample[0].Value.Kind() == rtmetrics.KindUint64 {
		if p := floorPercent(f.gogc, f.floor, f.sample[0].Value.Uint64()); int64(p) != f.percent.Load() {
			f.percent.Store(int64(p))
			debug.SetGCPercent(p)
		}
	}
	f.arm()
}

// maxFloorPercent bounds the percentage for an almost empty heap.
const maxFloorPercent = 100_000

// floorPercent is the GC percentage whose next heap goal, live × (1 + p/100), is at least
// floor: gogc when that goal already reaches it, else floor/live − 1 in percent (at most
// maxFloorPercent), rounded to a tenth of the floor so that small changes of the live heap
// do not reset it after every collection.
func floorPercent(gogc int, floor, live uint64) int {
	if live == 0 {
		return maxFloorPercent
	}
	if live*uint64(100+gogc)/100 >= floor {
		return gogc
	}
	p := floor*100/live - 100
	step := max(uint64(gogc)/10, 10)
	p = (p + step - 1) / step * step
	return int(min(max(p, uint64(gogc)), maxFloorPercent))
}
