package main

import (
	"runtime"
	"testing"
	"time"
)

// Hand-computed: GOGC 200 triples the live heap; the floor takes over below a third of it.
func TestFloorPercent(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		gogc        int
		floor, live uint64
		want        int
	}{
		{200, 32 * mib, 16 * mib, 200}, // 48 MiB goal ≥ 32: GOGC rules
		{200, 32 * mib, 32 * mib, 200}, // live at the floor
		{200, 32 * mib, 4 * mib, 700},  // 32/4 − 1 = 700 %
		{200, 32 * mib, 3 * mib, 980},  // 32/3 − 1 = 966.7 %, up to the next 20
		{100, 64 * mib, 1 * mib, 6300}, // 64 − 1, in steps of 10
		{0, 32 * mib, 1 * mib, 3100},   // GOGC 0 still gets the floor
		{200, 32 * mib, 0, 100_000},    // nothing live: the bound
		{200, 32 * mib, 100, 100_000},  // far below: the bound
		{200, 10 * mib, 4 * mib, 200},  // 12 MiB goal ≥ 10
		{50, 32 * mib, 20 * mib, 60},   // 1.6 − 1 = 60 %
		{50, 32 * mib, 21*mib + 1, 60}, // 31.5 MiB goal < 32: 52 %, up to the next 10
		{50, 32 * mib, 22 * mib, 50},   // 33 MiB goal ≥ 32: GOGC rules
	} {
		if got := floorPercent(c.gogc, c.floor, c.live); got != c.want {
			t.Errorf("floorPercent(%d, %d, %d) = %d, want %d", c.gogc, c.floor, c.live, got, c.want)
		}
	}
}

// After a collection of a small heap the floor has raised the percentage; stop restores
// GOGC.
func TestGCFloorRaisesThePercentage(t *testing.T) {
	f, stop := startGCFloor(100, 1<<30)
	defer stop()
	deadline := time.Now().Add(10 * time.Second)
	for f.percent.Load() == 100 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if p := f.percent.Load(); p <= 100 {
		t.Fatalf("percentage %d after collections of a small heap under a 1 GiB floor", p)
	}
}
