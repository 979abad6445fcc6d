package gctune

import (
	"runtime/debug"
	"testing"
)

// Hand-computed: with GOGC 200 the goal is 3 × (live + ballast), so a 32 MiB headroom
// takes a ballast of a third of it.
func TestBallastBytes(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct {
		gogc     int
		headroom int64
		want     int64
	}{
		{200, 33554432, 11184810}, // 32 MiB / 3, rounded down
		{100, 64 * mib, 32 * mib},
		{0, 16 * mib, 16 * mib},
		{300, 4 * mib, 1 * mib},
	} {
		if got := ballastBytes(c.gogc, c.headroom); got != c.want {
			t.Errorf("ballastBytes(%d, %d) = %d, want %d", c.gogc, c.headroom, got, c.want)
		}
	}
	if b := Headroom(-1, 32*mib); b != nil {
		t.Errorf("GOGC off: a ballast of %d bytes", len(b))
	}
	if b := Headroom(200, 0); b != nil {
		t.Errorf("no headroom: a ballast of %d bytes", len(b))
	}
}

// TestAsServed: the served defaults, GOGC from the environment, and the restore.
func TestAsServed(t *testing.T) {
	before := debug.SetGCPercent(150)
	defer debug.SetGCPercent(before)
	restore := AsServed([]string{"PATH=/bin", "KAFKA_BROKERS=not even checked"})
	if got := debug.SetGCPercent(200); got != 200 {
		t.Errorf("GOGC under AsServed: %d, want serve's default 200", got)
	}
	restore()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("GOGC after restore: %d, want 150", got)
	}
	restore = AsServed([]string{"GOGC=400"})
	if got := debug.SetGCPercent(400); got != 400 {
		t.Errorf("GOGC=400 in the environment: %d", got)
	}
	restore()
}
