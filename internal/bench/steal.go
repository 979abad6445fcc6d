package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/trafofn/trafofn/internal/backoff"
)

// Steal time is the time this virtual machine's CPUs were ready to run but the hypervisor
// ran something else (another guest): the "steal" column of /proc/stat. On a shared host
// it comes in spells of tens of seconds that take up to half of this machine's two cores,
// and it hits a workload that sleeps and wakes thousands of times a second (a paced load:
// every wake-up of an idle vCPU waits for the host) far harder than a busy loop. A phase
// measured during such a spell measures the neighbours; the bench reports the steal of
// every phase and repeats those over Config.MaxSteal.

// procStat is read by stolenSeconds; a test points it elsewhere.
var procStat = "/proc/stat"

// clockTicks is USER_HZ, the unit of /proc/stat: 100 on every Linux the kernel's ABI
// documentation knows of.
const clockTicks = 100

// stolenSeconds returns the steal time of all CPUs together since boot, and false where
// the kernel does not report it (not Linux, or no steal column).
func stolenSeconds() (float64, bool) {
	b, err := os.ReadFile(procStat)
	if err != nil {
		return 0, false
	}
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	f := bytes.Fields(line)
	// cpu user nice system idle iowait irq softirq steal …
	if len(f) < 9 || string(f[0]) != "cpu" {
		return 0, false
	}
	v, err := strconv.ParseUint(string(f[8]), 10, 64)
	if err != nil {
		return 0, false
	}
	return float64(v) / clockTicks, true
}

// stealMeter measures the steal time over an interval, in cores (seconds stolen per
// second of wall time).
type stealMeter struct {
	t0 time.Time
	s0 float64
	ok bool
}

func startSteal() stealMeter {
	s, ok := stolenSeconds()
	return stealMeter{t0: time.Now(), s0: s, ok: ok}
}

// cores returns the mean steal since the meter started, and false when it is unknown.
func (m stealMeter) cores() (float64, bool) {
	s, ok := stolenSeconds()
	wall := time.Since(m.t0).Seconds()
	if !m.ok || !ok || wall <= 0 {
		return 0, false
	}
	return (s - m.s0) / wall, true
}

// calm runs measure until a try saw no more steal than cfg.MaxSteal, or until it has
// been repeated cfg.StealRetries times, and returns the try kept. A pause comes before
// every try after the first; every try not counted is printed and appended to *rep, with
// what summary makes of it.
func calm[T any](ctx context.Context, cfg Config, label string, rep *[]Repeat, measure func() (T, float64, bool, error), summary func(T) Repeat) (T, error) {
	for tries := 0; ; {
		if tries > 0 {
			if err := backoff.Sleep(ctx, cfg.StealPause); err != nil {
				var zero T
				return zero, err
			}
		}
		m, steal, known, err := measure()
		if err != nil {
			return m, err
		}
		tries++
		if !tooMuchSteal(cfg, steal, known, tries) {
			return m, nil
		}
		r := summary(m)
		r.What, r.StealCores = label, steal
		*rep = append(*rep, r)
		fmt.Fprintf(cfg.Out, "  %s: the hypervisor took %.2f cores (more than -max-steal %.2f): not counted, again in %s\n", label, steal, cfg.MaxSteal, cfg.StealPause)
	}
}

// tooMuchSteal reports whether a phase that saw steal (cores; known) must be measured
// again: it saw more than cfg.MaxSteal and has been tried fewer than 1+cfg.StealRetries
// times.
func tooMuchSteal(cfg Config, steal float64, known bool, tries int) bool {
	return known && cfg.MaxSteal > 0 && steal > cfg.MaxSteal && tries <= cfg.StealRetries
}

// stealNote is the steal of a measurement as printed after its figures.
func stealNote(cores float64, known bool) string {
	if !known {
		return ""
	}
	return fmt.Sprintf("; stolen by the hypervisor %.2f", cores)
}
