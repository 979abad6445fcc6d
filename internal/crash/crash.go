// Package crash is the delivery harness: it runs `trafofn broker` and several `trafofn
// serve` instances as separate processes in one consumer group, produces requests with
// distinct job ids and per-key sequence numbers, kills instances with SIGKILL at random
// moments (and restarts them), adds and removes instances, and then reads the response
// topic to count what was lost, what was answered twice and whether any key's replies came
// out of order.
package crash

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/trafofn/trafofn/internal/harness"

	"github.com/trafofn/trafofn/internal/workload"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Config configures a run.
type Config struct {
	Binary      string   // the trafofn executable
	Brokers     []string // empty: start `trafofn broker`
	Requests    int      // default 100000
	Instances   int      // default 3
	Kills       int      // default 3
	Rebalances  int      // joins and leaves (each is one of both), default 2
	Keys        int      // key pool, default 1000
	Rate        int      // requests per second, default 5000
	Partitions  int32    // default 8
	ExactlyOnce bool
	Seed        uint64 // random schedule; 0: from the clock
	Out         io.Writer
	Env         []string // environment of the instances
	LogDir      string   // when set, each instance logs (at the environment's LOG_LEVEL) to a file there
	// CommitInterval is the instances' KAFKA_COMMIT_INTERVAL (default 100 ms); the peak
	// reply rate is measured over windows of this length.
	CommitInterval time.Duration
	// Patience is how long to wait for the last replies after production (default 4 min).
	Patience time.Duration
}

// Report is the outcome.
type Report struct {
	Mode              string
	Sent, Answered    int
	Lost              int
	Duplicates        int
	DuplicatesPerKill float64
	OrderViolations   int
	Kills, Joins      int
	Leaves            int
	Duration          time.Duration
	Rate              float64 // requests per second actually produced
	// PeakReplyRate is the most replies (duplicates included) the group produced within
	// one commit interval, per second, by the replies' timestamps: the rate at which
	// answered-but-uncommitted records pile up, which exceeds Rate while a backlog after a
	// rebalance stall is worked off.
	PeakReplyRate  float64
	CommitInterval time.Duration
	Events         []string
}

// DuplicateBound is the most duplicates one kill may cause: every reply produced since the
// last commit (at most one commit interval at the peak reply rate) plus the records in
// flight, whose replies may be out before their acknowledgement came back (window:
// partitions × read-ahead).
func DuplicateBound(commitInterval time.Duration, peakReplyRate float64, window int) float64 {
	return commitInterval.Seconds()*peakReplyRate + float64(window)
}

func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %8s %9s %5s %11s %9s %17s %6s %6s %7s %9s\n", "mode", "sent", "answered", "lost", "duplicates", "dup/kill", "order violations", "kills", "joins", "leaves", "duration")
	fmt.Fprintf(&b, "%-14s %8d %9d %5d %11d %9.1f %17d %6d %6d %7d %9s\n", r.Mode, r.Sent, r.Answered, r.Lost, r.Duplicates, r.DuplicatesPerKill, r.OrderViolations, r.Kills, r.Joins, r.Leaves, r.Duration.Round(100*time.Millisecond))
	return b.String()
}

func (c *Config) defaults() {
	if c.Requests == 0 {
		c.Requests = 100000
	}
	if c.Instances == 0 {
		c.Instances = 3
	}
	if c.Keys == 0 {
		c.Keys = 1000
	}
	if c.Rate == 0 {
		c.Rate = 5000
	}
	if c.Partitions == 0 {
		c.Partitions = 8
	}
	if c.Seed == 0 {
		c.Seed = uint64(time.Now().UnixNano())
	}
	if c.Out == nil {
		c.Out = os.Stdout
	}
	if c.Patience == 0 {
		c.Patience = 4 * time.Minute
	}
	if c.CommitInterval == 0 {
		c.CommitInterval = 100 * time.Millisecond
	}
}

type sentReq struct {
	key string
	seq int
}

// Run executes the harness.
func Run(ctx context.Context, cfg Config) (Report, error) {
	cfg.defaults()
	rep := Report{Mode: "at-least-once", CommitInterval: cfg.CommitInterval}
	if cfg.ExactlyOnce {
		rep.Mode = "exactly-once"
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	fmt.Fprintf(cfg.Out, "%s: %d requests at %d/s, %d instances, %d kills, %d joins/leaves, seed %d\n",
		rep.Mode, cfg.Requests, cfg.Rate, cfg.Instances, cfg.Kills, cfg.Rebalances, cfg.Seed)
	brokers := cfg.Brokers
	if len(brokers) == 0 {
		b, err := harness.StartBroker(ctx, cfg.Binary)
		if err != nil {
			return rep, err
		}
		defer b.Stop()
		brokers = []string{b.Addr()}
	}
	suffix := uuid.NewString()[:8]
	reqTopic, respTopic := "crash-req-"+suffix, "crash-resp-"+suffix
	admin, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		return rep, err
	}
	defer admin.Close()
	if err := harness.CreateTopics(ctx, admin, cfg.Partitions, reqTopic, respTopic, reqTopic+"-dlq"); err != nil {
		return rep, err
	}
	cfg.Env = append(append([]string(nil), cfg.Env...), "KAFKA_COMMIT_INTERVAL="+cfg.CommitInterval.String())
	fleet := &fleet{cfg: cfg, brokers: brokers, reqTopic: reqTopic, respTopic: respTopic, group: "crash-" + suffix}
	defer fleet.stopAll()
	for i := 0; i < cfg.Instances; i++ {
		if err := fleet.add(ctx); err != nil {
			return rep, err
		}
	}

	// the schedule: kills and rebalances at random moments of the production phase
	produceFor := time.Duration(float64(cfg.Requests) / float64(cfg.Rate) * float64(time.Second))
	type action struct {
		at   time.Duration
		kind string
	}
	var plan []action
	for i := 0; i < cfg.Kills; i++ {
		plan = append(plan, action{time.Duration((0.1 + 0.7*rng.Float64()) * float64(produceFor)), "kill"})
	}
	for i := 0; i < cfg.Rebalances; i++ {
		plan = append(plan, action{time.Duration((0.1 + 0.7*rng.Float64()) * float64(produceFor)), "join"})
		plan = append(plan, action{time.Duration((0.1 + 0.7*rng.Float64()) * float64(produceFor)), "leave"})
	}
	slices.SortFunc(plan, func(a, b action) int { return cmp.Compare(a.at, b.at) })

	prod, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(reqTopic), kgo.ProducerLinger(5*time.Millisecond))
	if err != nil {
		return rep, err
	}
	defer prod.Close()
	sent := make(map[string]sentReq, cfg.Requests)
	var mu sync.Mutex
	var produceErr error
	seqs := make([]int, cfg.Keys)
	start := time.Now()
	next := 0
	events := func(format string, args ...any) {
		msg := fmt.Sprintf("%6.2fs ", time.Since(start).Seconds()) + fmt.Sprintf(format, args...)
		rep.Events = append(rep.Events, msg)
		fmt.Fprintln(cfg.Out, "  "+msg)
	}
	for i := 0; i < cfg.Requests; i++ {
		due := start.Add(time.Duration(float64(i) / float64(cfg.Rate) * float64(time.Second)))
		for next < len(plan) && time.Since(start) >= plan[next].at {
			switch plan[next].kind {
			case "kill":
				pid, err := fleet.kill(ctx, rng)
				if err != nil {
					return rep, err
				}
				rep.Kills++
				events("SIGKILL instance pid %d and start a replacement", pid)
			case "join":
				if err := fleet.add(ctx); err != nil {
					return rep, err
				}
				rep.Joins++
				events("join: a new instance (now %d)", fleet.size())
			case "leave":
				pid, err := fleet.leave(rng)
				if err != nil {
					return rep, err
				}
				rep.Leaves++
				events("leave: SIGTERM instance pid %d (now %d)", pid, fleet.size())
			}
			next++
		}
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		if i%1000 == 0 {
			if err := fleet.err(); err != nil {
				return rep, err
			}
		}
		k := rng.IntN(cfg.Keys)
		key := fmt.Sprintf("key-%d", k)
		job := uuid.NewString()
		seq := seqs[k]
		seqs[k]++
		mu.Lock()
		sent[job] = sentReq{key: key, seq: seq}
		mu.Unlock()
		body := workload.Volatility(workload.VolatilityRequest{Series: workload.SeedSeries, JobID: job, Extra: fmt.Sprintf(`,"harness":{"key":%q,"seq":%d}`, key, seq)})
		prod.Produce(ctx, &kgo.Record{Key: []byte(key), Value: body}, func(_ *kgo.Record, err error) {
			if err != nil {
				mu.Lock()
				produceErr = err
				mu.Unlock()
			}
		})
	}
	if err := prod.Flush(ctx); err != nil {
		return rep, err
	}
	if produceErr != nil {
		return rep, fmt.Errorf("producing requests: %w", produceErr)
	}
	rep.Sent = len(sent)
	rep.Rate = float64(rep.Sent) / time.Since(start).Seconds()
	events("all %d requests produced", rep.Sent)

	// read every reply; wait until each job is answered (or nothing arrives for a while)
	// a member killed during a rebalance stalls the group for up to the rebalance timeout
	// (90 s by default) before it is removed: wait well beyond that before calling
	// anything lost
	res, err := collect(ctx, brokers, respTopic, sent, cfg.ExactlyOnce, cfg.Patience, fleet.err)
	if err != nil {
		return rep, err
	}
	rep.Duration = time.Since(start)
	rep.Answered = res.answered
	rep.Lost = rep.Sent - res.answered
	if rep.Lost > 0 {
		describeStall(ctx, cfg.Out, admin, fleet.group, reqTopic)
	}
	rep.Duplicates = res.duplicates
	rep.OrderViolations = res.violations
	rep.PeakReplyRate = PeakRate(res.times, cfg.CommitInterval)
	if rep.Kills > 0 {
		rep.DuplicatesPerKill = float64(rep.Duplicates) / float64(rep.Kills)
	}
	if res.unknown > 0 {
		return rep, fmt.Errorf("%d replies for job ids that were never sent", res.unknown)
	}
	if res.failed > 0 {
		return rep, fmt.Errorf("%d replies report a failure: %s", res.failed, res.firstFailure)
	}
	return rep, nil
}

// describeStall prints, when requests went unanswered, where the group stands: its state,
// each member's partitions and the partitions whose requests are not all committed (a
// partition assigned to no live instance keeps its lag; one assigned to a live instance
// that is stuck keeps it too, and the instance's log says why).
func describeStall(ctx context.Context, out io.Writer, admin *kgo.Client, group, topic string) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	lags, err := kadm.NewClient(admin).Lag(ctx, group)
	if err != nil {
		fmt.Fprintf(out, "  stall: describing group %s: %v\n", group, err)
		return
	}
	l, ok := lags[group]
	if !ok {
		fmt.Fprintf(out, "  stall: group %s not found\n", group)
		return
	}
	if err := l.Error(); err != nil {
		fmt.Fprintf(out, "  stall: group %s: %v\n", group, err)
	}
	fmt.Fprintf(out, "  stall: group %s is %s with %d members\n", group, l.State, len(l.Members))
	for _, m := range l.Members {
		var ps []int32
		if a, ok := m.Assigned.AsConsumer(); ok {
			for _, t := range a.Topics {
				ps = append(ps, t.Partitions...)
			}
		}
		slices.Sort(ps)
		fmt.Fprintf(out, "    member %s (%s): partitions %v\n", m.MemberID, m.ClientHost, ps)
	}
	var parts []int32
	for p := range l.Lag[topic] {
		parts = append(parts, p)
	}
	slices.Sort(parts)
	for _, p := range parts {
		if ml := l.Lag[topic][p]; ml.Lag != 0 {
			owner := "no member"
			if ml.Member != nil {
				owner = ml.Member.MemberID
			}
			fmt.Fprintf(out, "    partition %d: committed %d, end %d, lag %d, assigned to %s\n", p, ml.Commit.At, ml.End.Offset, ml.Lag, owner)
		}
	}
}

type results struct {
	answered, duplicates, violations, unknown, failed int
	firstFailure                                      string
	times                                             []time.Time // of every reply, duplicates included
}

// PeakRate is the most timestamps within any window of length w (inclusive at both ends),
// divided by w: a peak rate per second. The timestamps need not be sorted.
func PeakRate(times []time.Time, w time.Duration) float64 {
	if len(times) == 0 || w <= 0 {
		return 0
	}
	ts := slices.Clone(times)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	most, lo := 0, 0
	for hi := range ts {
		for ts[hi].Sub(ts[lo]) > w {
			lo++
		}
		most = max(most, hi-lo+1)
	}
	return float64(most) / w.Seconds()
}

// collect reads the response topic from the start until every sent job has a reply and
// no reply came for a quiet period, or the deadline passes.
func collect(ctx context.Context, brokers []string, topic string, sent map[string]sentReq, readCommitted bool, limit time.Duration, fleetErr func() error) (results, error) {
	opts := []kgo.Opt{kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())}
	if readCommitted {
		opts = append(opts, kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return results{}, err
	}
	defer cl.Close()
	var r results
	seen := make(map[string]int, len(sent))
	firstSeqs := map[string]int{} // key → next expected first-seen sequence
	deadline := time.Now().Add(limit)
	lastNew := time.Now()
	for {
		if r.answered == len(sent) && time.Since(lastNew) > 3*time.Second {
			return r, nil
		}
		if time.Now().After(deadline) {
			return r, nil
		}
		if err := fleetErr(); err != nil {
			return r, err
		}
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		fs := cl.PollFetches(pctx)
		cancel()
		if ctx.Err() != nil {
			return r, ctx.Err()
		}
		fs.EachRecord(func(rec *kgo.Record) {
			v, err := wire.Decode(rec.Value)
			d, _ := v.(*data.Dict)
			if err != nil || d == nil {
				r.unknown++
				return
			}
			jv, _ := d.Get("job_id")
			job, _ := jv.(string)
			req, ok := sent[job]
			if !ok {
				r.unknown++
				return
			}
			if res, _ := d.Get("result"); res != "ok" {
				r.failed++
				if r.firstFailure == "" {
					r.firstFailure = fmt.Sprintf("%.300s", rec.Value)
				}
			}
			r.times = append(r.times, rec.Timestamp)
			seen[job]++
			if seen[job] > 1 {
				r.duplicates++
				return
			}
			r.answered++
			lastNew = time.Now()
			// the first reply of sequence n+1 must not come before the first of n
			if want := firstSeqs[req.key]; req.seq != want {
				r.violations++
			}
			if req.seq >= firstSeqs[req.key] {
				firstSeqs[req.key] = req.seq + 1
			}
		})
	}
}

// ErrBounds is returned by Check when a report breaks the guarantees.
var ErrBounds = errors.New("delivery guarantees violated")

// Check asserts the guarantees: nothing lost, no per-key order violation, and per kill at
// most DuplicateBound duplicates at the report's measured peak reply rate (0 in exactly-once
// mode, and 0 without kills); window is the in-flight records per instance.
func Check(r Report, window int) error {
	maxDupPerKill := DuplicateBound(r.CommitInterval, r.PeakReplyRate, window)
	var problems []string
	if r.Lost != 0 {
		problems = append(problems, fmt.Sprintf("%d requests lost", r.Lost))
	}
	if r.OrderViolations != 0 {
		problems = append(problems, fmt.Sprintf("%d per-key order violations", r.OrderViolations))
	}
	limit := maxDupPerKill * float64(r.Kills)
	if r.Mode == "exactly-once" {
		limit = 0
	}
	if float64(r.Duplicates) > limit {
		problems = append(problems, fmt.Sprintf("%d duplicate replies, more than %.0f", r.Duplicates, limit))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrBounds, strings.Join(problems, "; "))
	}
	return nil
}
