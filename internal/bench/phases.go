package bench

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"time"
)

// live is a workload's last round: a function process that answers its backlog (the last
// throughput round), a burst, and then its paced phases, which take turns with the other
// workloads' (see lastRounds).
type live struct {
	wl     workload
	res    Result
	r      *round
	fn     *functionProc
	phases map[float64][]loadResult // the paced phases counted, by load (percent)
}

// lastRounds runs every workload's last round. Each function process answers its backlog
// and a burst, then stays up while the paced phases take turns: half load's first phase
// of every workload, then the second of every workload, and so on (and with -curve the
// other loads the same way), so that a spell of the host's other work (see stealMeter)
// falls on all workloads alike rather than on the one that happened to run then. An idle
// function process costs the others next to nothing (a fetch waiting at the broker).
// Last, every workload's figures are printed, ratios to echo taken and the breakdown
// joined with the function's timings.
func lastRounds(ctx context.Context, cfg Config, brokers []string, wls []workload, ver *verifier, early []Result) ([]Result, error) {
	lives := make([]*live, 0, len(wls))
	defer func() {
		for _, l := range lives {
			l.close(ctx)
		}
	}()
	for i, wl := range wls {
		fmt.Fprintf(cfg.Out, "workload %s: %d messages\n", wl.name, wl.n)
		l, err := startLive(ctx, cfg, brokers, wl, ver, early[i])
		if l != nil {
			lives = append(lives, l)
		}
		if err != nil {
			return nil, fmt.Errorf("workload %s: %w", wl.name, err)
		}
	}
	loads := []float64{50}
	if cfg.Curve {
		loads = curveLoads
	}
	for _, load := range loads {
		reps := 1
		if load == 50 {
			reps = cfg.HalfReps
		}
		for rep := range reps {
			for _, l := range lives {
				if err := l.pace(ctx, cfg, load, rep); err != nil {
					return nil, fmt.Errorf("workload %s: %w", l.wl.name, err)
				}
			}
		}
	}
	var results []Result
	var echo *Result
	for _, l := range lives {
		fmt.Fprintf(cfg.Out, "workload %s:\n", l.wl.name)
		r, err := l.finish(ctx, cfg)
		if err != nil {
			return results, fmt.Errorf("workload %s: %w", l.wl.name, err)
		}
		if l.wl.echo {
			echo = &r
		}
		if echo != nil {
			r.RatioToEcho = ratio(r.rates, echo.rates)
		}
		results = append(results, r)
	}
	return results, nil
}

// startLive answers the workload's backlog with a new function process (the last
// throughput round; rates of the earlier ones are in early) and measures a burst of n/2
// requests produced as fast as the broker accepts: latency at full load.
//
// The function writes its per-record timings (KAFKA_TIMINGS_FILE); once it has stopped,
// the half-load replies are joined with them into the breakdown (finish).
func startLive(ctx context.Context, cfg Config, brokers []string, wl workload, ver *verifier, early Result) (*live, error) {
	l := &live{wl: wl, phases: map[float64][]loadResult{}}
	l.res = Result{Workload: wl.name, Messages: wl.n, Repeated: early.Repeated, StealRounds: early.StealRounds}
	res := &l.res
	r, err := newRound(ctx, cfg, brokers, wl, ver)
	if err != nil {
		return nil, err
	}
	l.r = r
	tf, err := os.CreateTemp("", "trafofn-bench-timings-*.csv")
	if err != nil {
		return l, err
	}
	tf.Close()
	r.timings = tf.Name()

	b, err := r.backlog(ctx, cfg, brokers)
	if err != nil {
		return l, err
	}
	l.fn = b.fn
	res.StartupMS = float64(b.startup) / 1e6
	label := fmt.Sprintf("throughput round %d", cfg.Rounds)
	fmt.Fprintf(cfg.Out, "  %s: %.0f msgs/s, %.0f µs CPU/msg%s\n", label, b.rate, b.cpuPerMsgUS, stealNote(b.steal, b.stealKnown))
	// this round's function process stays for the phases to come whatever it saw; if the
	// hypervisor took too much, its rate is replaced by a calmer round's
	counted, err := calmRound(ctx, cfg, brokers, wl, ver, label, &b, &res.Repeated)
	if err != nil {
		return l, err
	}
	if counted.fn != b.fn {
		fmt.Fprintf(cfg.Out, "  %s: %.0f msgs/s, %.0f µs CPU/msg%s\n", label, counted.rate, counted.cpuPerMsgUS, stealNote(counted.steal, counted.stealKnown))
		b.rate, b.cpuPerMsgUS, b.steal = counted.rate, counted.cpuPerMsgUS, counted.steal
	}
	res.rates = append(append([]float64(nil), early.rates...), b.rate)
	res.MsgsPerS = median(res.rates)
	res.cpus = append(append([]float64(nil), early.cpus...), b.cpuPerMsgUS)
	res.CPUPerMsgUS = median(res.cpus)
	res.StealRounds = append(res.StealRounds, b.steal)

	// while a workload sends, the broker forgets what it is done with (see trimmer)
	r.trim.start(ctx)
	defer r.trim.close()
	burst := max(wl.n/2, 1)
	r.col.resetLatencies()
	base := r.col.count()
	for i := 0; i < burst; i++ {
		r.send(ctx, i, true)
	}
	if err := r.prod.Flush(ctx); err != nil {
		return l, err
	}
	if _, _, err := r.col.wait(ctx, base+burst, 10*time.Minute); err != nil {
		return l, err
	}
	lat := r.col.latencies()
	res.P50ms, res.P95ms, res.P99ms = pct(lat, 50), pct(lat, 95), pct(lat, 99)
	return l, nil
}

// pace measures one paced phase at load percent of the workload's rate (with calm: one
// the hypervisor took too much from is repeated); rep numbers half load's phases.
func (l *live) pace(ctx context.Context, cfg Config, load float64, rep int) error {
	if l.res.MsgsPerS <= 0 {
		return nil
	}
	label := fmt.Sprintf("%.0f %% load", load)
	if load == 50 {
		label = fmt.Sprintf("half load, phase %d", rep+1)
	}
	l.r.trim.start(ctx)
	defer l.r.trim.close()
	lr, err := calm(ctx, cfg, l.wl.name+", "+label, &l.res.Repeated, func() (loadResult, float64, bool, error) {
		lr, err := l.r.paced(ctx, cfg, l.fn, l.res.MsgsPerS*load/100, load)
		return lr, lr.steal, lr.stealKnown, err
	}, func(lr loadResult) Repeat {
		return Repeat{P99ms: lr.point.P99ms}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(cfg.Out, "%s, %s (%.0f/s): p99 %.2f ms%s\n", l.wl.name, label, lr.point.MsgsPerS, lr.point.P99ms, stealNote(lr.steal, lr.stealKnown))
	l.phases[load] = append(l.phases[load], lr)
	return nil
}

// finish prints the workload's paced phases, takes their medians, stops the function
// process and joins half load's median phase with the function's timings.
func (l *live) finish(ctx context.Context, cfg Config) (Result, error) {
	res := &l.res
	var half loadResult
	loads := []float64{50}
	if cfg.Curve {
		loads = curveLoads
	}
	for _, load := range loads {
		lrs := l.phases[load]
		if len(lrs) == 0 {
			continue
		}
		// the phase with the median p99 stands for the load (one phase hit by a spell of
		// the machine's other work does not decide it); every phase's figures are kept
		byP99 := slices.Clone(lrs)
		slices.SortStableFunc(byP99, func(a, b loadResult) int { return cmp.Compare(a.point.P99ms, b.point.P99ms) })
		lr := byP99[len(byP99)/2]
		if cfg.Curve {
			res.Curve = append(res.Curve, lr.point)
			fmt.Fprintf(cfg.Out, "  %3.0f %% load (%.0f/s): p50 %.2f ms, p99 %.2f ms\n", load, lr.point.MsgsPerS, lr.point.P50ms, lr.point.P99ms)
		}
		if load != 50 {
			continue
		}
		half = lr
		var untils []float64
		for i, x := range lrs {
			u := pct(x.until, 99)
			res.P99HalfLoadRuns = append(res.P99HalfLoadRuns, x.point.P99ms)
			res.StealHalfLoadRuns = append(res.StealHalfLoadRuns, x.steal)
			untils = append(untils, u)
			fmt.Fprintf(cfg.Out, "  half load, phase %d of %d (%.0f/s, %d messages): p50 %.2f ms, p99 %.2f ms; until the reply was created: p50 %.2f ms, p99 %.2f ms; CPU (cores): function %.2f, broker %.2f, load generator %.2f%s\n",
				i+1, len(lrs), x.point.MsgsPerS, len(x.samples), x.point.P50ms, x.point.P99ms, pct(x.until, 50), u, x.cpu[0], x.cpu[1], x.cpu[2], stealNote(x.steal, x.stealKnown))
		}
		res.P99HalfLoadUntilReplyRuns = untils
		res.P99HalfLoad = half.point.P99ms
		res.P99HalfLoadUntilReply = median(untils)
		fmt.Fprintf(cfg.Out, "  half load: p99 %.2f ms, until the reply was created %.2f ms (medians of the phases, in the order measured above)\n", res.P99HalfLoad, res.P99HalfLoadUntilReply)
	}
	res.PeakRSSMB, res.CPUSeconds = l.fn.usage()
	res.Verified = l.r.col.verified()
	if err := l.r.col.err(); err != nil {
		return *res, err
	}
	if err := l.fn.stop(); err != nil {
		return *res, fmt.Errorf("function process: %w", err)
	}
	if len(half.samples) > 0 {
		tm, err := readTimings(l.r.timings)
		if err != nil {
			return *res, err
		}
		var joined int
		res.Breakdown, joined = breakdown(half.samples, tm)
		printBreakdown(cfg.Out, res.Breakdown, joined, len(half.samples))
	}
	return *res, nil
}

// close stops the function process (if finish did not), releases the round and removes
// the timings file.
func (l *live) close(ctx context.Context) {
	if l.fn != nil {
		_ = l.fn.stop()
	}
	if l.r.timings != "" {
		os.Remove(l.r.timings)
	}
	l.r.close(ctx)
}
