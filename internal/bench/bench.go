// Package bench measures trafofn end to end over Kafka: executions per second, latency,
// memory, CPU and start-up of the function process, against an echo baseline that runs the
// same source and delivery code without executing anything. The load generator (this
// process), the broker and the function are separate processes.
package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/trafofn/trafofn/internal/harness"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Config configures a run.
type Config struct {
	// Binary is the trafofn executable used for the broker and function processes.
	Binary string
	// Brokers, when set, are used instead of starting `trafofn broker`.
	Brokers []string
	// Messages per workload (default 40000); Messages10k for the 10k-point workload
	// (default 1000).
	Messages, Messages10k int
	// Rounds of the throughput measurement (default 3): every workload's backlog is
	// answered Rounds times by a fresh function process, the workloads taking turns so that
	// a slow spell of the machine hits all of them alike; msgs/s is the median, the ratio to
	// echo the median of the rounds' ratios.
	Rounds int
	// Partitions of the fresh request/response topics (default 8).
	Partitions int32
	// Only runs the workloads whose name contains this string (the echo baseline always runs).
	Only string
	// JSONOut, when set, receives the results as a JSON list.
	JSONOut string
	// Out receives progress and the table; Env is the environment of the function processes
	// (plus the settings the benchmark sets itself).
	Out io.Writer
	Env []string
	// KeepLogs keeps the function processes' logs (their paths are printed).
	KeepLogs bool
	// Metrics is "on" (the default: trafofn's own default), "off" (METRICS_ENABLED=false
	// for every function process) or "both": every workload but echo also runs with
	// metrics off, taking turns with its metrics-on twin in every round, and the report
	// compares the two round by round.
	Metrics string
	// Curve also measures every workload's latency at 10, 25, 50, 75 and 90 % of its
	// measured rate (Result.Curve) and, with CurveSVG set, draws the curves there.
	Curve    bool
	CurveSVG string
	// Tick is the paced generator's clock (default DefaultTick).
	Tick time.Duration
	// HalfReps is how many paced phases measure the half load (default 3); the p99s
	// reported are their medians, the breakdown is the median phase's.
	HalfReps int
	// MaxSteal (cores; 0: off) is the most steal time (see stealMeter) a throughput round
	// or a half-load phase may see: one that saw more is measured again after StealPause,
	// up to StealRetries times, and listed in Result.Repeated. The last try is kept
	// whatever it saw.
	MaxSteal     float64
	StealRetries int
	StealPause   time.Duration

	brokerPid int // of the broker started by Run (0: external brokers)
}

// Result is one row of the table (and one object of --json).
type Result struct {
	Workload    string  `json:"workload"`
	Messages    int     `json:"messages"`
	MsgsPerS    float64 `json:"msgs_per_s"`
	RatioToEcho float64 `json:"ratio_to_echo"`
	P50ms       float64 `json:"p50_ms"`
	P95ms       float64 `json:"p95_ms"`
	P99ms       float64 `json:"p99_ms"`
	P99HalfLoad float64 `json:"p99_ms_at_half_load"`
	// P99HalfLoadUntilReply is the p99 at half load from the record timestamp until the
	// function created the reply (its ce_time).
	P99HalfLoadUntilReply float64 `json:"p99_ms_at_half_load_until_reply"`
	// ...Runs are the figures of every half-load phase (Config.HalfReps); the two above are
	// their medians.
	P99HalfLoadRuns           []float64 `json:"p99_ms_at_half_load_runs,omitempty"`
	P99HalfLoadUntilReplyRuns []float64 `json:"p99_ms_at_half_load_until_reply_runs,omitempty"`
	// Breakdown is where the time of a request went at half load, stage by stage.
	Breakdown []Stage `json:"half_load_breakdown,omitempty"`
	// Curve is the latency at 10–90 % of the measured rate (-curve).
	Curve      []CurvePoint `json:"curve,omitempty"`
	PeakRSSMB  float64      `json:"peak_rss_mb"`
	CPUSeconds float64      `json:"cpu_s"`
	StartupMS  float64      `json:"startup_ms"`
	Verified   int          `json:"verified_in_full"`
	// CPUPerMsgUS is the function process's CPU time (user + system, start-up included)
	// per message of the backlog, median over the rounds.
	CPUPerMsgUS float64 `json:"cpu_us_per_msg"`
	// StealRounds and StealHalfLoadRuns are the steal time (cores the hypervisor took from
	// this machine) during every throughput round and half-load phase counted;
	// Repeated lists those measured again because they saw more than Config.MaxSteal.
	StealRounds       []float64 `json:"steal_cores_rounds,omitempty"`
	StealHalfLoadRuns []float64 `json:"steal_cores_at_half_load_runs,omitempty"`
	Repeated          []Repeat  `json:"repeated_for_steal,omitempty"`
	rates             []float64 // of every round
	cpus              []float64 // CPU µs per message of every round
}

// Repeat is a measurement that was not counted: the hypervisor took more than
// Config.MaxSteal cores while it ran.
type Repeat struct {
	What       string  `json:"what"` // "throughput round 2", "half load, phase 1"
	StealCores float64 `json:"steal_cores"`
	MsgsPerS   float64 `json:"msgs_per_s,omitempty"`
	P99ms      float64 `json:"p99_ms,omitempty"`
}

// workload is a kind of request.
type workload struct {
	name    string
	env     []string // more environment of its function processes
	twin    string   // "both": the metrics-on workload this metrics-off one mirrors
	echo    bool
	points  int // 0: the document's ten points
	plots   bool
	n       int
	request func(jobID string) []byte
	recycle func([]byte) // takes back a request nothing refers to any more
	// compress, if set, compresses the requests' batches (tplCompressor) in place of
	// franz-go's snappy compressor
	compress kgo.Compressor
}

// Run executes the benchmark and prints the table.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	if cfg.Messages == 0 {
		cfg.Messages = 40000
	}
	if cfg.Messages10k == 0 {
		cfg.Messages10k = 1000
	}
	if cfg.Partitions == 0 {
		cfg.Partitions = 8
	}
	if cfg.Rounds == 0 {
		cfg.Rounds = 3
	}
	if cfg.Tick <= 0 {
		cfg.Tick = DefaultTick
	}
	if cfg.HalfReps <= 0 {
		cfg.HalfReps = 3
	}
	if cfg.StealPause <= 0 {
		cfg.StealPause = 10 * time.Second
	}
	if cfg.Out == nil {
		cfg.Out = os.Stdout
	}
	brokers := cfg.Brokers
	if len(brokers) == 0 {
		b, err := harness.StartBroker(ctx, cfg.Binary)
		if err != nil {
			return nil, err
		}
		defer b.Stop()
		brokers = []string{b.Addr()}
		cfg.brokerPid = b.Pid()
		fmt.Fprintf(cfg.Out, "broker: trafofn broker (pid %d) on %s\n", b.Pid(), b.Addr())
	}
	ver := newVerifier()
	var wls []workload
	for _, wl := range workloads(cfg, ver) {
		if wl.echo || cfg.Only == "" || strings.Contains(wl.name, cfg.Only) {
			wls = append(wls, withMetrics(cfg.Metrics, wl)...)
		}
	}
	// throughput: the workloads take turns, round after round (the last round is part of
	// the full run below)
	early := make([]Result, len(wls)) // the throughput rounds before the full run
	for round := 1; round < cfg.Rounds; round++ {
		for _, i := range turns(wls, round) {
			wl, e := wls[i], &early[i]
			b, err := calmRound(ctx, cfg, brokers, wl, ver, fmt.Sprintf("throughput round %d", round), nil, &e.Repeated)
			if err != nil {
				return nil, fmt.Errorf("workload %s, throughput round %d: %w", wl.name, round, err)
			}
			fmt.Fprintf(cfg.Out, "round %d: %-30s %9.0f msgs/s %7.0f µs CPU/msg%s\n", round, wl.name, b.rate, b.cpuPerMsgUS, stealNote(b.steal, b.stealKnown))
			e.rates = append(e.rates, b.rate)
			e.cpus = append(e.cpus, b.cpuPerMsgUS)
			e.StealRounds = append(e.StealRounds, b.steal)
		}
	}
	results, err := lastRounds(ctx, cfg, brokers, wls, ver, early)
	if err != nil {
		return results, err
	}
	printTable(cfg.Out, results)
	printMetricsComparison(cfg.Out, results)
	if cfg.Curve {
		printCurves(cfg.Out, results)
		if cfg.CurveSVG != "" {
			if err := drawCurves(cfg.CurveSVG, results); err != nil {
				return results, fmt.Errorf("drawing the curves: %w", err)
			}
			fmt.Fprintf(cfg.Out, "curves drawn to %s\n", cfg.CurveSVG)
		}
	}
	if cfg.JSONOut != "" {
		b, _ := json.MarshalIndent(results, "", "  ")
		if err := os.WriteFile(cfg.JSONOut, append(b, '\n'), 0o644); err != nil {
			return results, err
		}
	}
	return results, nil
}

func printTable(w io.Writer, rs []Result) {
	fmt.Fprintf(w, "\n%-30s %9s %9s %7s %8s %8s %8s %12s %8s %7s %10s %10s\n", "workload", "messages", "msgs/s", "÷echo", "p50 ms", "p95 ms", "p99 ms", "p99 ms @50%", "RSS MB", "CPU s", "start ms", "CPU µs/msg")
	for _, r := range rs {
		fmt.Fprintf(w, "%-30s %9d %9.0f %7.2f %8.1f %8.1f %8.1f %12.1f %8.1f %7.1f %10.0f %10.0f\n",
			r.Workload, r.Messages, r.MsgsPerS, r.RatioToEcho, r.P50ms, r.P95ms, r.P99ms, r.P99HalfLoad, r.PeakRSSMB, r.CPUSeconds, r.StartupMS, r.CPUPerMsgUS)
	}
}

// metricsOff is the suffix of a workload run with METRICS_ENABLED=false.
const metricsOff = "-metrics-off"

// withMetrics returns wl as mode asks: with metrics off, or (both) followed by its twin
// with metrics off; echo, the baseline, always keeps trafofn's default.
func withMetrics(mode string, wl workload) []workload {
	if wl.echo || mode == "" || mode == "on" {
		return []workload{wl}
	}
	off := wl
	off.name += metricsOff
	off.env = append(append([]string(nil), wl.env...), "METRICS_ENABLED=false")
	if mode == "off" {
		return []workload{off}
	}
	off.twin = wl.name
	return []workload{wl, off}
}

// printMetricsComparison reports, for every workload run both ways, the throughput with
// metrics on relative to metrics off: each round's pair ran back to back, so the median
// of the rounds' ratios cancels the machine's drift.
func printMetricsComparison(w io.Writer, rs []Result) {
	byName := map[string]Result{}
	for _, r := range rs {
		byName[r.Workload] = r
	}
	pairs := func(on, off []float64, format string) string {
		var out []string
		for i := range min(len(on), len(off)) {
			if off[i] > 0 {
				out = append(out, fmt.Sprintf(format+"/"+format+" = %.3f", on[i], off[i], on[i]/off[i]))
			}
		}
		return strings.Join(out, ", ")
	}
	for _, off := range rs {
		on, ok := byName[strings.TrimSuffix(off.Workload, metricsOff)]
		if !strings.HasSuffix(off.Workload, metricsOff) || !ok {
			continue
		}
		m, c := ratio(on.rates, off.rates), ratio(on.cpus, off.cpus)
		fmt.Fprintf(w, "\nmetrics on vs off, %s (each round's pair ran back to back):\n", on.Workload)
		fmt.Fprintf(w, "  throughput: median %.0f vs %.0f msgs/s; rounds on/off: %s; median ratio %.3f (%+.1f %%)\n",
			on.MsgsPerS, off.MsgsPerS, pairs(on.rates, off.rates, "%.0f"), m, (m-1)*100)
		fmt.Fprintf(w, "  CPU per message: median %.0f vs %.0f µs; rounds on/off: %s; median ratio %.3f (%+.1f %%)\n",
			on.CPUPerMsgUS, off.CPUPerMsgUS, pairs(on.cpus, off.cpus, "%.0f"), c, (c-1)*100)
	}
}

// runWorkload measures one workload against a fresh function process:
//  1. produce n requests, then start the function: start-up = process start → first reply;
//     throughput = replies after the first / the time they took;
//  2. produce n/2 more as fast as possible: latency produce → reply at full load;
//  3. produce at half the measured rate for a few seconds: p99 at half load.
//
// round is one workload's fresh topics, producer and reply collector.
type round struct {
	wl        workload
	admin     *kgo.Client
	prod      *kgo.Client // the backlog and the burst: lingers to batch
	paceProd  *kgo.Client // paced loads: sends at once
	col       *collector
	reqTopic  string
	respTopic string
	timings   string // the function's KAFKA_TIMINGS_FILE, if it writes one
	trim      *trimmer
}

func newRound(ctx context.Context, cfg Config, brokers []string, wl workload, ver *verifier) (*round, error) {
	suffix := uuid.NewString()[:8]
	r := &round{wl: wl, reqTopic: "bench-" + wl.name + "-req-" + suffix, respTopic: "bench-" + wl.name + "-resp-" + suffix}
	var err error
	if r.admin, err = kgo.NewClient(kgo.SeedBrokers(brokers...)); err != nil {
		return nil, err
	}
	if err := harness.CreateTopics(ctx, r.admin, cfg.Partitions, r.topics()...); err != nil {
		r.admin.Close()
		return nil, err
	}
	// Requests are compressed as franz-go does by default (snappy), as they were when the
	// throughput figures of the README and of issue 16 were measured: uncompressed 10k-point
	// requests halved that workload's rate (the broker copies every byte several times).
	var compress []kgo.Opt
	if wl.compress != nil {
		compress = append(compress, kgo.WithCompressor(wl.compress))
	}
	r.prod, err = kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(r.reqTopic),
		kgo.ProducerLinger(2 * time.Millisecond), kgo.ProducerBatchMaxBytes(4 << 20), kgo.MaxBufferedRecords(100000)}, compress...)...)
	if err != nil {
		r.close(ctx)
		return nil, err
	}
	r.paceProd, err = kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(r.reqTopic),
		kgo.ProducerLinger(0), kgo.ProducerBatchMaxBytes(4 << 20), kgo.MaxBufferedRecords(100000)}, compress...)...)
	if err != nil {
		r.close(ctx)
		return nil, err
	}
	r.trim = newTrimmer(r.admin, "bench-"+r.reqTopic, r.reqTopic, r.respTopic)
	if r.col, err = newCollector(ctx, brokers, r.respTopic, wl, ver, r.trim); err != nil {
		r.close(ctx)
		return nil, err
	}
	return r, nil
}

func (r *round) topics() []string { return []string{r.reqTopic, r.respTopic, r.reqTopic + "-dlq"} }

// close releases the clients and deletes the topics, so that the broker's memory (and
// with it its garbage collector's work) does not grow from round to round.
func (r *round) close(ctx context.Context) {
	r.trim.close()
	if r.col != nil {
		r.col.close()
	}
	if r.prod != nil {
		r.prod.Close()
	}
	if r.paceProd != nil {
		r.paceProd.Close()
	}
	_ = harness.DeleteTopics(ctx, r.admin, r.topics()...)
	r.admin.Close()
}

const keys = 1000

func (r *round) key(i int) []byte { return []byte(fmt.Sprintf("key-%d", i%keys)) }

func newJobID() string { return uuid.NewString() }

// send produces request i; measured requests are stamped with the moment they are
// produced and their latency is measured from that timestamp.
func (r *round) send(ctx context.Context, i int, measured bool) {
	job := newJobID()
	body := r.wl.request(job)
	rec := &kgo.Record{Key: r.key(i), Value: body}
	if measured {
		rec.Timestamp = time.Now()
	}
	kept := r.col.expect(job, body, rec.Timestamp, nil)
	r.prod.Produce(ctx, rec, func(_ *kgo.Record, err error) {
		if err != nil {
			r.col.fail(fmt.Errorf("producing a request: %w", err))
		} else if !kept {
			r.wl.recycle(body)
		}
	})
}

// backlogResult is what answering one backlog measured.
type backlogResult struct {
	fn          *functionProc
	rate        float64 // replies per second in steady state
	cpuPerMsgUS float64 // the function's CPU time per message, start-up included
	startup     time.Duration
	steal       float64 // cores the hypervisor took meanwhile (see stealMeter)
	stealKnown  bool
}

// backlog produces the workload's requests, then starts the function and waits for every
// reply: the rate in steady state (from the tenth of the replies on: the first ones also
// measure the consumer filling its pipeline) and the start-up time.
func (r *round) backlog(ctx context.Context, cfg Config, brokers []string) (backlogResult, error) {
	for i := 0; i < r.wl.n; i++ {
		r.send(ctx, i, false)
	}
	if err := r.prod.Flush(ctx); err != nil {
		return backlogResult{}, err
	}
	env := r.wl.env
	if r.timings != "" {
		env = append(append([]string(nil), env...), "KAFKA_TIMINGS_FILE="+r.timings)
	}
	steal := startSteal()
	fn, err := startFunction(ctx, cfg, brokers, r.reqTopic, r.respTopic, r.wl.echo, env)
	if err != nil {
		return backlogResult{}, err
	}
	first, last, err := r.col.wait(ctx, r.wl.n, 10*time.Minute)
	if err != nil {
		fn.stop()
		return backlogResult{}, fmt.Errorf("%w (function log: %s)", err, fn.log)
	}
	res := backlogResult{fn: fn, startup: first.Sub(fn.started)}
	res.steal, res.stealKnown = steal.cores()
	if warm := r.col.at(r.wl.n / 10); r.wl.n >= 10 && last.After(warm) {
		res.rate = float64(r.wl.n-r.wl.n/10) / last.Sub(warm).Seconds()
	}
	// CPU time is less at the mercy of other processes than wall-clock rates
	_, cpu := fn.usage()
	res.cpuPerMsgUS = cpu * 1e6 / float64(r.wl.n)
	return res, nil
}

// throughputRound measures one more steady-state rate (and CPU per message) with a fresh
// function process.
func throughputRound(ctx context.Context, cfg Config, brokers []string, wl workload, ver *verifier) (backlogResult, error) {
	r, err := newRound(ctx, cfg, brokers, wl, ver)
	if err != nil {
		return backlogResult{}, err
	}
	defer r.close(ctx)
	b, err := r.backlog(ctx, cfg, brokers)
	if err != nil {
		return backlogResult{}, err
	}
	if err := r.col.err(); err != nil {
		b.fn.stop()
		return backlogResult{}, err
	}
	if err := b.fn.stop(); err != nil {
		return backlogResult{}, fmt.Errorf("function process: %w", err)
	}
	return b, nil
}

// calmRound measures throughput rounds with calm (label: what is printed and listed in
// *rep). first, if not nil, is a measurement of this round already made, which counts
// like a first try.
func calmRound(ctx context.Context, cfg Config, brokers []string, wl workload, ver *verifier, label string, first *backlogResult, rep *[]Repeat) (backlogResult, error) {
	return calm(ctx, cfg, label, rep, func() (backlogResult, float64, bool, error) {
		if b := first; b != nil {
			first = nil
			return *b, b.steal, b.stealKnown, nil
		}
		b, err := throughputRound(ctx, cfg, brokers, wl, ver)
		return b, b.steal, b.stealKnown, err
	}, func(b backlogResult) Repeat {
		return Repeat{MsgsPerS: b.rate}
	})
}

// turns is the order of the workloads in a throughput round: as listed, except that in
// even rounds a metrics-off twin goes before its metrics-on workload, so that neither
// always runs right after the baseline.
func turns(wls []workload, round int) []int {
	order := make([]int, len(wls))
	for i := range order {
		order[i] = i
	}
	if round%2 == 0 {
		for i := 1; i < len(wls); i++ {
			if wls[i].twin != "" && wls[i-1].name == wls[i].twin {
				order[i-1], order[i] = order[i], order[i-1]
			}
		}
	}
	return order
}

// ratio is the median of the per-round ratios to the baseline: a round's workloads ran
// one after the other, so their ratio cancels what the machine did during that round.
func ratio(rates, base []float64) float64 {
	var rs []float64
	for i := range min(len(rates), len(base)) {
		if base[i] > 0 {
			rs = append(rs, rates[i]/base[i])
		}
	}
	return median(rs)
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func pct(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	i := int(math.Ceil(p/100*float64(len(d)))) - 1
	if i < 0 {
		i = 0
	}
	return float64(d[i]) / 1e6
}

// fullEvery: one reply in fullEvery is compared in full with the in-process result.
const fullEvery = 100

// collector consumes the response topic, verifies every reply and records latencies.
type collector struct {
	cl      *kgo.Client
	trim    *trimmer // told what was consumed; nil: nothing is trimmed
	wl      workload
	ver     *verifier
	mu      sync.Mutex
	pending map[string]expected
	got     int
	times   []time.Time // arrival of each reply of the first phase
	firstAt time.Time
	lastAt  time.Time
	lat     []time.Duration
	split   []time.Duration // produce → reply created (ce_time): the function's share
	samples []sample        // the replies of a paced load
	errs    []error
	full    int
	cond    chan struct{}
	stopped chan struct{}
}

type expected struct {
	body []byte
	sent time.Time // zero: not measured
	seq  int
	pos  *recPos // paced: where the request landed, for the breakdown
}

func newCollector(ctx context.Context, brokers []string, topic string, wl workload, ver *verifier, trim *trimmer) (*collector, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxBytes(64<<20))
	if err != nil {
		return nil, err
	}
	c := &collector{cl: cl, wl: wl, ver: ver, trim: trim, pending: map[string]expected{}, cond: make(chan struct{}, 1), stopped: make(chan struct{}),
		times: make([]time.Time, 0, wl.n)}
	go c.loop(ctx)
	return c, nil
}

func (c *collector) close() {
	c.cl.Close()
	<-c.stopped
}

// expect registers a request: sent is its record timestamp (zero: latency not measured),
// pos, if set, where it will have landed (its reply becomes a sample of a paced load). It
// reports whether the collector keeps body, for the full comparison of one in a hundred;
// otherwise the caller may reuse it once produced.
func (c *collector) expect(job string, body []byte, sent time.Time, pos *recPos) (kept bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	seq := len(c.pending) + c.got
	kept = seq%fullEvery == 0
	if !kept {
		body = nil
	}
	c.pending[job] = expected{body: body, sent: sent, seq: seq, pos: pos}
	return kept
}

// placed records where a paced request landed, and when its acknowledgement arrived.
func (c *collector) placed(pos *recPos, partition int32, offset int64, at time.Time) {
	c.mu.Lock()
	pos.partition, pos.offset, pos.acked, pos.ok = partition, offset, at, true
	c.mu.Unlock()
}

// takeSamples returns the samples of the paced load and forgets them.
func (c *collector) takeSamples() []sample {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.samples
	c.samples = nil
	return out
}

func (c *collector) fail(err error) {
	c.mu.Lock()
	if len(c.errs) < 10 {
		c.errs = append(c.errs, err)
	}
	c.mu.Unlock()
}

func (c *collector) err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return errors.Join(c.errs...)
}

func (c *collector) loop(ctx context.Context) {
	defer close(c.stopped)
	for {
		fs := c.cl.PollFetches(ctx)
		if fs.IsClientClosed() || ctx.Err() != nil {
			return
		}
		now := time.Now()
		fs.EachPartition(func(p kgo.FetchTopicPartition) {
			for _, r := range p.Records {
				c.record(r, now)
			}
			if n := len(p.Records); n > 0 && c.trim != nil {
				c.trim.consume(p.Partition, p.Records[n-1].Offset)
			}
		})
		select {
		case c.cond <- struct{}{}:
		default:
		}
	}
}

func (c *collector) record(r *kgo.Record, now time.Time) {
	job, err := c.ver.jobID(c.wl, r.Value)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		if len(c.errs) < 10 {
			c.errs = append(c.errs, err)
		}
		return
	}
	exp, ok := c.pending[job]
	if !ok {
		if len(c.errs) < 10 {
			c.errs = append(c.errs, fmt.Errorf("reply for unknown or already answered job %s", job))
		}
		return
	}
	delete(c.pending, job)
	if c.got == 0 {
		c.firstAt = now
	}
	c.got++
	c.lastAt = now
	if len(c.times) < cap(c.times) {
		c.times = append(c.times, now)
	}
	if !exp.sent.IsZero() {
		c.lat = append(c.lat, now.Sub(exp.sent))
		var created time.Time
		for _, h := range r.Headers {
			if h.Key == "ce_time" {
				if ts, err := time.Parse(time.RFC3339Nano, string(h.Value)); err == nil {
					c.split = append(c.split, ts.Sub(exp.sent))
					created = ts
				}
			}
		}
		if exp.pos != nil {
			c.samples = append(c.samples, sample{pos: exp.pos, sent: exp.sent, created: created, arrived: now})
		}
	}
	if exp.seq%fullEvery == 0 {
		if err := c.ver.full(c.wl, exp.body, r.Value); err != nil {
			if len(c.errs) < 10 {
				c.errs = append(c.errs, err)
			}
		} else {
			c.full++
		}
	}
}

// wait blocks until target replies arrived in total and returns the times of the first
// and the last reply.
func (c *collector) wait(ctx context.Context, target int, limit time.Duration) (first, last time.Time, err error) {
	deadline := time.After(limit)
	for {
		c.mu.Lock()
		got := c.got
		if got >= target || len(c.errs) > 0 {
			first, last, e := c.firstAt, c.lastAt, errors.Join(c.errs...)
			c.mu.Unlock()
			return first, last, e
		}
		c.mu.Unlock()
		select {
		case <-c.cond:
		case <-time.After(100 * time.Millisecond):
		case <-deadline:
			return first, last, fmt.Errorf("only %d of %d replies arrived within %s", got, target, limit)
		case <-ctx.Done():
			return first, last, ctx.Err()
		}
	}
}

// at returns the arrival time of the k-th reply (0-based) of the first phase.
func (c *collector) at(k int) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k < len(c.times) {
		return c.times[k]
	}
	return time.Time{}
}

func (c *collector) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.got
}

func (c *collector) resetLatencies() {
	c.mu.Lock()
	c.lat = c.lat[:0]
	c.split = c.split[:0]
	c.samples = nil
	c.mu.Unlock()
}

// functionShare returns the latencies up to the moment the function created the reply.
func (c *collector) functionShare() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.split...)
}

func (c *collector) latencies() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.lat...)
}

func (c *collector) verified() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.full
}
