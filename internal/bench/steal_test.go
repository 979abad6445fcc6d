package bench

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestStolenSecondsReadsTheStealColumn(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, stat string
		want       float64
		ok         bool
	}{
		{"linux", "cpu  43879 0 5723 50384 198 0 465 4070 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n", 40.70, true},
		{"no steal column", "cpu  43879 0 5723 50384 198 0 465\n", 0, false},
		{"not the total first", "cpu0 1 2 3 4 5 6 7 8 0 0\n", 0, false},
		{"garbage", "cpu  a b c d e f g h\n", 0, false},
		{"empty", "", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.name)
			if err := os.WriteFile(p, []byte(tc.stat), 0o644); err != nil {
				t.Fatal(err)
			}
			old := procStat
			procStat = p
			defer func() { procStat = old }()
			got, ok := stolenSeconds()
			if ok != tc.ok || got != tc.want {
				t.Fatalf("stolenSeconds() = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		old := procStat
		procStat = filepath.Join(dir, "absent")
		defer func() { procStat = old }()
		if _, ok := stolenSeconds(); ok {
			t.Fatal("a missing /proc/stat reported steal")
		}
		if _, ok := startSteal().cores(); ok {
			t.Fatal("a meter without /proc/stat reported steal")
		}
	})
}

func TestCalmRepeatsWhatTheHypervisorTookFrom(t *testing.T) {
	cfg := Config{MaxSteal: 0.10, StealRetries: 2, StealPause: time.Millisecond, Out: io.Discard}
	for _, tc := range []struct {
		name     string
		cfg      Config
		steals   []float64 // of the tries, in order
		known    bool
		kept     int       // index of the try kept
		repeated []float64 // the steal of the tries not counted
	}{
		{"calm at once", cfg, []float64{0.02}, true, 0, nil},
		{"at the limit counts", cfg, []float64{0.10}, true, 0, nil},
		{"calm on the second try", cfg, []float64{0.45, 0.03}, true, 1, []float64{0.45}},
		{"retries used up: the last counts", cfg, []float64{0.5, 0.6, 0.7, 0.01}, true, 2, []float64{0.5, 0.6}},
		{"off", Config{StealRetries: 2, Out: io.Discard}, []float64{0.9}, true, 0, nil},
		{"no retries", Config{MaxSteal: 0.1, Out: io.Discard}, []float64{0.9}, true, 0, nil},
		{"unknown steal", cfg, []float64{0.9}, false, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rep []Repeat
			n := 0
			got, err := calm(context.Background(), tc.cfg, "phase", &rep, func() (int, float64, bool, error) {
				i := n
				n++
				return i, tc.steals[i], tc.known, nil
			}, func(i int) Repeat { return Repeat{P99ms: float64(100 + i)} })
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.kept || n != tc.kept+1 {
				t.Fatalf("kept try %d after %d tries; want try %d", got, n, tc.kept)
			}
			var steals []float64
			for i, r := range rep {
				steals = append(steals, r.StealCores)
				if r.What != "phase" || r.P99ms != float64(100+i) {
					t.Fatalf("repeat %d = %+v", i, r)
				}
			}
			if !slices.Equal(steals, tc.repeated) {
				t.Fatalf("repeated %v; want %v", steals, tc.repeated)
			}
		})
	}
	t.Run("every try after the first pauses first", func(t *testing.T) {
		var rep []Repeat
		c := cfg
		c.StealPause = 30 * time.Millisecond
		start := time.Now()
		n := 0
		_, err := calm(context.Background(), c, "round", &rep, func() (int, float64, bool, error) {
			n++
			return n, 0.5, true, nil
		}, func(int) Repeat { return Repeat{} })
		if err != nil {
			t.Fatal(err)
		}
		// the retries (2) are used up at the third try, which counts
		if n != 3 || len(rep) != 2 {
			t.Fatalf("%d tries, %d repeats; want 3 and 2", n, len(rep))
		}
		if el := time.Since(start); el < 2*c.StealPause {
			t.Fatalf("took %v; every try after the first pauses %v first", el, c.StealPause)
		}
	})
	t.Run("cancelled while pausing", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var rep []Repeat
		c := cfg
		c.StealPause = time.Hour
		n := 0
		if _, err := calm(ctx, c, "x", &rep, func() (int, float64, bool, error) {
			n++
			if n > 1 {
				t.Fatal("measured after the context ended")
			}
			return 0, 0.5, true, nil
		}, func(int) Repeat { return Repeat{} }); err == nil {
			t.Fatal("no error from a cancelled pause")
		}
	})
}
