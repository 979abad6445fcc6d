// Package gctune sets the garbage collector as trafofn serve runs it: GOGC and a heap
// headroom. Benchmarks that report the served function's figures run with the same
// settings (AsServed).
package gctune

import (
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/trafofn/trafofn/internal/config"
)

// Headroom adds bytes to the garbage collector's heap goal (GC_HEAP_HEADROOM). GOGC
// alone sets the goal to live × (1 + GOGC/100): the function's live heap between requests is
// a few MB, so a workload allocating 100 KB per request (plots on) was collected 30 times a
// second. Each collection stops the world twice, and on a machine whose cores are busy with
// other processes a stop waits until the OS runs every thread of the process again: an
// execution trace at half load showed stops of 0.9 ms typically and up to 50 ms.
//
// The headroom is a ballast: a pointer-free allocation that is never written, so the OS
// never backs it with memory, but that the collector counts as live. With GOGC g and
// ballast b = headroom / (1 + g/100) the goal becomes (live + b) × (1 + g/100) = live × (1 +
// g/100) + headroom: a small heap is collected every headroom bytes, a large one as before
// plus the headroom. (A GC percentage adjusted after each collection, tried first, lags a
// cycle: when the heap grew from a few MB to 100 MB it applied the small heap's percentage
// to the large one, and a 10k-point workload's RSS went from ~100 to ~380 MB.) GOMEMLIMIT
// still caps the goal.
func Headroom(gogc int, headroom int64) []byte {
	if gogc < 0 || headroom <= 0 {
		return nil
	}
	return make([]byte, ballastBytes(gogc, headroom))
}

// ballastBytes is headroom / (1 + gogc/100), rounded down.
func ballastBytes(gogc int, headroom int64) int64 {
	return headroom * 100 / int64(100+gogc)
}

// AsServed sets the collector as trafofn serve does, from the GOGC and GC_HEAP_HEADROOM
// of environ ("KEY=value" entries; by default GOGC 200 and a 32 MiB headroom), and returns
// the function that restores the previous settings and releases the ballast. Benchmarks
// call it: without the headroom the figures of a 10-point execution (~15 µs, 13 KB) carry
// a collection every few hundred requests that the served function does not have.
func AsServed(environ []string) (restore func()) {
	var gc []string
	for _, kv := range environ {
		if strings.HasPrefix(kv, "GOGC=") || strings.HasPrefix(kv, "GC_HEAP_HEADROOM=") {
			gc = append(gc, kv)
		}
	}
	cfg, err := config.Load(gc)
	if err != nil {
		panic("gctune: " + err.Error())
	}
	old := debug.SetGCPercent(cfg.GCPercent())
	ballast := Headroom(cfg.GCPercent(), cfg.GCHeapHeadroom)
	return func() {
		runtime.KeepAlive(ballast)
		debug.SetGCPercent(old)
	}
}
