package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/trafofn/trafofn/internal/crash"
)

// crashCmd runs the delivery harness (see internal/crash) in one or both modes.
func crashCmd(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("trafofn crashtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	requests := fs.Int("requests", 100000, "requests to send")
	instances := fs.Int("instances", 3, "function instances (separate processes, one consumer group)")
	kills := fs.Int("kills", 3, "instances killed with SIGKILL (each restarted)")
	rebalances := fs.Int("rebalances", 2, "instances added and (gracefully) removed, each")
	rate := fs.Int("rate", 5000, "requests per second")
	mode := fs.String("mode", "both", "at-least-once, exactly-once or both")
	seed := fs.Uint64("seed", 0, "random schedule seed (0: from the clock)")
	check := fs.Bool("check", false, "exit non-zero unless 0 lost, 0 order violations and duplicates within the bound")
	commit := fs.Duration("commit-interval", 100*time.Millisecond, "KAFKA_COMMIT_INTERVAL of the instances (also the window of the measured peak reply rate)")
	window := fs.Int("inflight-window", 8*16, "records in flight per instance (partitions × read-ahead), for the duplicate bound")
	logDir := fs.String("logs", "", "write each instance's log to a file in this directory")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: trafofn crashtest [flags]

Starts trafofn broker and several trafofn serve instances, produces requests with per-key
sequence numbers, kills, adds and removes instances while they work, and reports sent,
answered, lost, duplicate replies and per-key order violations. With -check it fails when
anything was lost or reordered, or when duplicates exceed, per kill, commit interval × r +
in-flight window, r being the peak reply rate it measured (the most replies within one
commit interval, per second); 0 in exactly-once mode, read with read_committed.`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return usageError{err}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	env := append([]string(nil), environ...)
	var modes []bool
	switch *mode {
	case "both":
		modes = []bool{false, true}
	case "at-least-once":
		modes = []bool{false}
	case "exactly-once":
		modes = []bool{true}
	default:
		return usageError{fmt.Errorf("-mode must be at-least-once, exactly-once or both")}
	}
	var reports []crash.Report
	var failures []error
	for _, eos := range modes {
		r, err := crash.Run(ctx, crash.Config{Binary: self, Requests: *requests, Instances: *instances, Kills: *kills,
			Rebalances: *rebalances, Rate: *rate, ExactlyOnce: eos, Seed: *seed, Out: stdout, Env: env, LogDir: *logDir,
			CommitInterval: *commit})
		if err != nil {
			return err
		}
		reports = append(reports, r)
		fmt.Fprint(stdout, r)
		if *check {
			if err := crash.Check(r, *window); err != nil {
				failures = append(failures, fmt.Errorf("%s: %w", r.Mode, err))
			}
		}
	}
	fmt.Fprintln(stdout)
	for i, r := range reports {
		s := r.String()
		if i > 0 {
			s = s[strings.Index(s, "\n")+1:]
		}
		fmt.Fprint(stdout, s)
	}
	if *check {
		for _, r := range reports {
			if r.Mode == "exactly-once" {
				fmt.Fprintf(stdout, "bound, %s: 0 duplicates\n", r.Mode)
				continue
			}
			fmt.Fprintf(stdout, "bound, %s: duplicates per kill ≤ %.0f (commit interval %s × peak reply rate %.0f/s + window %d; produced at %.0f/s)\n",
				r.Mode, crash.DuplicateBound(r.CommitInterval, r.PeakReplyRate, *window), r.CommitInterval, r.PeakReplyRate, *window, r.Rate)
		}
	}
	return errors.Join(failures...)
}
