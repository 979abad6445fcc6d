package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// DefaultTick is the generator's clock at a paced load (Config.Tick): on every tick it
// produces the requests that are due by then, each stamped with the moment it is produced.
const DefaultTick = 250 * time.Microsecond

// pacedSeconds is how long one paced load lasts.
const pacedSeconds = 5

// curveLoads are the loads of -curve, in percent of the workload's measured rate.
var curveLoads = []float64{10, 25, 50, 75, 90}

// CurvePoint is the latency at one paced load.
type CurvePoint struct {
	LoadPct  float64 `json:"load_pct"`
	MsgsPerS float64 `json:"msgs_per_s"` // the rate the generator produced at
	P50ms    float64 `json:"p50_ms"`
	P99ms    float64 `json:"p99_ms"`
}

// Stage is one step of the half-load breakdown: its own duration (p50, p99) and the p99
// of the time from the record's timestamp to its end.
type Stage struct {
	Stage       string  `json:"stage"`
	P50ms       float64 `json:"p50_ms"`
	P99ms       float64 `json:"p99_ms"`
	P99UntilMS  float64 `json:"p99_until_ms"`
	Description string  `json:"-"`
}

// recPos is where a request record landed and when the generator learnt it (set by the
// produce promise).
type recPos struct {
	partition int32
	offset    int64
	acked     time.Time
	ok        bool
}

// sample is one reply measured at a paced load.
type sample struct {
	pos              *recPos
	sent             time.Time // the record's timestamp, as produced (full precision)
	created, arrived time.Time // the reply's ce_time; the reply consumed by the collector
}

// loadResult is what one paced load measured.
type loadResult struct {
	point   CurvePoint
	until   []time.Duration // record timestamp → reply created
	samples []sample
	cpu     [3]float64 // cores used meanwhile by the function, the broker, this process
	// steal is the cores the hypervisor took meanwhile (stealMeter)
	steal      float64
	stealKnown bool
}

// paced produces requests at rate for pacedSeconds (at least 50) and measures their
// latency from the record timestamp to the reply consumed by this process, and until the
// reply was created. The requests go through a producer of their own that sends at once
// (no linger): what a request waits for is the system, not the generator's batching.
func (r *round) paced(ctx context.Context, cfg Config, fn *functionProc, rate, loadPct float64) (loadResult, error) {
	n := int(math.Max(rate*pacedSeconds, 50))
	col := r.col
	col.resetLatencies()
	base := col.count()
	pids := [3]int{fn.cmd.Process.Pid, cfg.brokerPid, os.Getpid()}
	var cpu0 [3]float64
	for i, pid := range pids {
		cpu0[i], _ = cpuSeconds(pid)
	}
	t := time.NewTicker(cfg.Tick)
	defer t.Stop()
	steal := startSteal()
	start := time.Now()
	sent := 0
	for sent < n {
		due := min(n, int(time.Since(start).Seconds()*rate)+1)
		for ; sent < due; sent++ {
			r.sendPaced(ctx, sent)
		}
		if sent < n {
			select {
			case <-t.C:
			case <-ctx.Done():
				return loadResult{}, ctx.Err()
			}
		}
	}
	took := time.Since(start)
	if err := r.paceProd.Flush(ctx); err != nil {
		return loadResult{}, err
	}
	if _, _, err := col.wait(ctx, base+n, 5*time.Minute); err != nil {
		return loadResult{}, err
	}
	lat := col.latencies()
	res := loadResult{until: col.functionShare(), samples: col.takeSamples()}
	res.steal, res.stealKnown = steal.cores()
	wall := time.Since(start).Seconds()
	for i, pid := range pids {
		if c, ok := cpuSeconds(pid); ok && pid > 0 {
			res.cpu[i] = (c - cpu0[i]) / wall
		}
	}
	res.point = CurvePoint{LoadPct: loadPct, MsgsPerS: float64(n) / took.Seconds(), P50ms: pct(lat, 50), P99ms: pct(lat, 99)}
	return res, nil
}

// sendPaced produces request i stamped with the moment it is produced; its latency is
// measured from that timestamp.
func (r *round) sendPaced(ctx context.Context, i int) {
	job := newJobID()
	body := r.wl.request(job)
	pos := &recPos{}
	now := time.Now()
	kept := r.col.expect(job, body, now, pos)
	rec := &kgo.Record{Key: r.key(i), Value: body, Timestamp: now}
	r.paceProd.Produce(ctx, rec, func(rec *kgo.Record, err error) {
		if err != nil {
			r.col.fail(fmt.Errorf("producing a request: %w", err))
			return
		}
		r.col.placed(pos, rec.Partition, rec.Offset, time.Now())
		if !kept {
			r.wl.recycle(body)
		}
	})
}

// timing is one line of the function's KAFKA_TIMINGS_FILE.
type timing struct {
	taken, started, handled, sent, done time.Time
}

// readTimings reads a timings file written by `trafofn serve` (KAFKA_TIMINGS_FILE).
func readTimings(path string) (map[[2]int64]timing, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[[2]int64]timing{}
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		fs := strings.Split(sc.Text(), ",")
		if len(fs) != 8 {
			return nil, fmt.Errorf("%s: malformed line %q", path, sc.Text())
		}
		var v [8]int64
		for i, s := range fs {
			if v[i], err = strconv.ParseInt(s, 10, 64); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
		}
		at := func(ns int64) time.Time {
			if ns == 0 {
				return time.Time{}
			}
			return time.Unix(0, ns)
		}
		out[[2]int64{v[0], v[1]}] = timing{taken: at(v[3]), started: at(v[4]), handled: at(v[5]), sent: at(v[6]), done: at(v[7])}
	}
	return out, sc.Err()
}

// stageNames are the steps of a request's way, in order.
var stageNames = []struct{ name, desc string }{
	{"produce", "record timestamp → the broker's acknowledgement reached the load generator"},
	{"fetch", "acknowledged → taken by the partition (negative: taken before the ack arrived)"},
	{"queued", "taken → Handle called (key, in-flight slot, goroutine start)"},
	{"handle", "Handle called → returned"},
	{"to_producer", "Handle returned → reply handed to the producer"},
	{"ack", "reply handed to the producer → acknowledged by the broker"},
	{"to_collector", "acknowledged → reply consumed by the load generator"},
}

// breakdown joins the samples of a paced load with the function's timings.
func breakdown(samples []sample, tm map[[2]int64]timing) ([]Stage, int) {
	durs := make([][]time.Duration, len(stageNames))
	untils := make([][]time.Duration, len(stageNames))
	joined := 0
	for _, s := range samples {
		if s.pos == nil || !s.pos.ok {
			continue
		}
		t, ok := tm[[2]int64{int64(s.pos.partition), s.pos.offset}]
		if !ok || t.started.IsZero() || t.sent.IsZero() {
			continue
		}
		joined++
		marks := []time.Time{s.sent, s.pos.acked, t.taken, t.started, t.handled, t.sent, t.done, s.arrived}
		for i := range stageNames {
			durs[i] = append(durs[i], marks[i+1].Sub(marks[i]))
			untils[i] = append(untils[i], marks[i+1].Sub(s.sent))
		}
	}
	var out []Stage
	for i, st := range stageNames {
		out = append(out, Stage{Stage: st.name, Description: st.desc, P50ms: pct(durs[i], 50), P99ms: pct(durs[i], 99), P99UntilMS: pct(untils[i], 99)})
	}
	return out, joined
}

func printBreakdown(w io.Writer, stages []Stage, joined, of int) {
	fmt.Fprintf(w, "  half-load breakdown (%d of %d replies joined with the function's timings; ms):\n", joined, of)
	fmt.Fprintf(w, "    %-13s %7s %7s %11s  %s\n", "stage", "p50", "p99", "p99 until", "")
	for _, s := range stages {
		fmt.Fprintf(w, "    %-13s %7.2f %7.2f %11.2f  %s\n", s.Stage, s.P50ms, s.P99ms, s.P99UntilMS, s.Description)
	}
}
