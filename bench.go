package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/trafofn/trafofn/internal/bench"
	"github.com/trafofn/trafofn/internal/gctune"
)

// benchCmd runs the end-to-end benchmark (see internal/bench).
func benchCmd(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("trafofn bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 40000, "messages per workload (the plots-on workload sends half)")
	rounds := fs.Int("rounds", 3, "throughput rounds per workload, taking turns; msgs/s is their median")
	n10k := fs.Int("n10k", 1000, "messages of the 10k-point workload")
	only := fs.String("only", "", "run only workloads whose name contains this (the echo baseline always runs)")
	jsonOut := fs.String("json", "", "write the results as JSON to this file")
	keep := fs.Bool("keep-logs", false, "keep the function processes' logs (paths are printed)")
	brokers := fs.String("brokers", "", "use these Kafka brokers instead of starting `trafofn broker` (default: $KAFKA_BROKERS)")
	curve := fs.Bool("curve", false, "also measure p50/p99 at 10, 25, 50, 75 and 90 % of each workload's rate (the report's curve key) and draw them")
	curveSVG := fs.String("curve-svg", "latency-curve.svg", "with -curve: the chart of latency against throughput (.svg, .png or .pdf)")
	halfReps := fs.Int("half-reps", 3, "paced phases at half load per workload; the p99s reported are their medians")
	tick := fs.Duration("tick", bench.DefaultTick, "the paced loads' clock: every tick produces the requests due by then")
	cpuProfile := fs.String("cpu-profile", "", "write a CPU profile of the load generator (this process) to this file")
	maxSteal := fs.Float64("max-steal", 0.10, "repeat a throughput round or paced phase during which the hypervisor took more than this many cores from this machine (steal time; 0: never)")
	stealRetries := fs.Int("steal-retries", 3, "with -max-steal: how often one measurement is repeated at most (the last try counts whatever it saw)")
	stealPause := fs.Duration("steal-pause", 10*time.Second, "with -max-steal: the pause before a repeat")
	metrics := fs.String("metrics", "on", "the function processes' metrics: on, off (METRICS_ENABLED=false), or both (each workload but echo also with metrics off, compared round by round)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: trafofn bench [flags]

Measures executions per second over Kafka with separate processes for the load generator
(this one), the broker (trafofn broker, unless brokers are given) and the function
(trafofn serve, a fresh process per workload). Workloads: echo (the same source and
delivery code answering each request with itself: the physical limit), the document's
10-point Volatility Detection request with plots off and on, and a 10k-point request.
Throughput is the median of -rounds rounds (a fresh function process answering a backlog
each time, the workloads taking turns), the ratio to echo the median of the rounds' ratios;
the last round's process then measures latency at full load and at half the measured rate
(paced, each request's latency from its record timestamp; -half-reps phases, the p99s
their medians), peak RSS, CPU and start-up, and breaks the half-load latency down into
stages with the function's per-record timings. -curve adds 10, 25, 75 and 90 %.
Every reply is verified; one in a hundred is compared in full with the in-process result.`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return usageError{err}
	}
	switch *metrics {
	case "on", "off", "both":
	default:
		return usageError{fmt.Errorf("-metrics must be on, off or both, got %q", *metrics)}
	}
	if *rounds < 1 {
		return usageError{fmt.Errorf("-rounds must be at least 1")}
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	// the load generator's own collections would stop it while it paces and timestamps
	// replies; keep them rare (see gctune.Headroom)
	gogc := debug.SetGCPercent(100)
	debug.SetGCPercent(gogc)
	ballast := gctune.Headroom(gogc, 64<<20)
	defer runtime.KeepAlive(ballast)
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cfg := bench.Config{Binary: self, Messages: *n, Messages10k: *n10k, Rounds: *rounds, Only: *only, JSONOut: *jsonOut, Out: stdout, Env: environ, KeepLogs: *keep, Metrics: *metrics, Curve: *curve, CurveSVG: *curveSVG, Tick: *tick, HalfReps: *halfReps, MaxSteal: *maxSteal, StealRetries: *stealRetries, StealPause: *stealPause}
	b := *brokers
	if b == "" {
		for _, kv := range environ {
			if v, ok := strings.CutPrefix(kv, "KAFKA_BROKERS="); ok {
				b = v
			}
		}
	}
	if b != "" {
		cfg.Brokers = strings.Split(b, ",")
	}
	_, err = bench.Run(ctx, cfg)
	return err
}
