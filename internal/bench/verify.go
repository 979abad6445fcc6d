package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/trafofn/trafofn/function"
	gen "github.com/trafofn/trafofn/internal/workload"
	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// verifier checks replies: every one for result ok and its job id, one in a hundred in
// full against the same request executed in this process.
type verifier struct {
	once sync.Once
	fn   *function.Function
	err  error
}

func newVerifier() *verifier { return &verifier{} }

func (v *verifier) function() (*function.Function, error) {
	v.once.Do(func() {
		rt, err := runtime.New(runtime.Options{})
		if err != nil {
			v.err = err
			return
		}
		v.fn, v.err = function.New(function.Options{Runtime: rt})
	})
	return v.fn, v.err
}

func workloads(cfg Config, ver *verifier) []workload {
	seed := func(plots bool) *template {
		return newTemplate(func(job string) []byte {
			return gen.Volatility(gen.VolatilityRequest{Series: gen.SeedSeries, Plots: plots, JobID: job})
		})
	}
	series10k := gen.PointsSeries(10_000)
	off, on := seed(false), seed(true)
	big := newTemplate(func(job string) []byte {
		return gen.Volatility(gen.VolatilityRequest{Series: series10k, JobID: job})
	})
	// the 10k-point requests' compression was the generator's largest cost (tplCompressor)
	bigCompress, err := newTplCompressor(big.tpl, big.at, len(jobPlaceholder))
	if err != nil {
		bigCompress = nil // franz-go's own
	}
	return []workload{
		{name: "echo", echo: true, n: cfg.Messages, request: off.request, recycle: off.recycle},
		{name: "seed-10-plots-off", n: cfg.Messages, request: off.request, recycle: off.recycle},
		{name: "seed-10-plots-on", n: cfg.Messages / 2, plots: true, request: on.request, recycle: on.recycle},
		{name: "points-10k-plots-off", points: 10_000, n: cfg.Messages10k, request: big.request, recycle: big.recycle, compress: bigCompress},
	}
}

// jobPlaceholder stands for the job id in a request template; job ids are UUIDs of the
// same length.
const jobPlaceholder = "00000000-0000-4000-8000-000000000000"

// template builds a workload's request once and then only splices the job id into copies
// of it: the load generator shares the cores with the function, and building a 10k-point
// request anew for every message (~0.4 MB of JSON), or even copying it into fresh memory,
// took CPU time from what is measured (CPU profile of the generator, -cpu-profile). A
// request whose produce has completed and that is not kept for the full comparison comes
// back through recycle; its buffer already holds the template, so only the job id is
// written again. A job id of another length, or a template without exactly one
// placeholder, is built anew.
type template struct {
	build func(job string) []byte
	tpl   []byte
	at    int // of the placeholder; -1: no template
	pool  sync.Pool
}

func newTemplate(build func(job string) []byte) *template {
	t := &template{build: build, tpl: build(jobPlaceholder)}
	t.at = bytes.Index(t.tpl, []byte(jobPlaceholder))
	if bytes.Count(t.tpl, []byte(jobPlaceholder)) != 1 {
		t.at = -1
	}
	return t
}

func (t *template) request(job string) []byte {
	if t.at < 0 || len(job) != len(jobPlaceholder) {
		return t.build(job)
	}
	var b []byte
	if p, ok := t.pool.Get().(*[]byte); ok {
		b = *p
	} else {
		b = make([]byte, len(t.tpl))
		copy(b, t.tpl)
	}
	copy(b[t.at:], job)
	return b
}

// recycle takes back a request from request that nothing refers to any more.
func (t *template) recycle(b []byte) {
	if t.at >= 0 && len(b) == len(t.tpl) {
		t.pool.Put(&b)
	}
}

func dict(b []byte) (*data.Dict, error) {
	v, err := wire.Decode(b)
	if err != nil {
		return nil, err
	}
	d, ok := v.(*data.Dict)
	if !ok {
		return nil, errors.New("not a JSON object")
	}
	return d, nil
}

// jobID checks a reply and returns its job id. It reads only the top-level job_id and
// result members (skipping the rest without decoding it): the load generator shares the
// machine's cores with the function, so its own cost per reply must stay small. Anything
// unusual takes the full decoder, which also gives the precise error.
func (v *verifier) jobID(wl workload, reply []byte) (string, error) {
	job, result, ok := topLevel(reply)
	if !ok {
		return v.jobIDDecoded(wl, reply)
	}
	if job == "" {
		return "", fmt.Errorf("reply without job_id: %.200s", reply)
	}
	if !wl.echo && result != "ok" {
		return "", fmt.Errorf("reply for job %s has result %q: %.300s", job, result, reply)
	}
	return job, nil
}

func (v *verifier) jobIDDecoded(wl workload, reply []byte) (string, error) {
	d, err := dict(reply)
	if err != nil {
		return "", fmt.Errorf("reply is not JSON: %v", err)
	}
	job, _ := d.Get("job_id")
	s, _ := job.(string)
	if s == "" {
		return "", fmt.Errorf("reply without job_id: %.200s", reply)
	}
	if !wl.echo {
		if r, _ := d.Get("result"); r != "ok" {
			return "", fmt.Errorf("reply for job %s has result %v: %.300s", s, r, reply)
		}
	}
	return s, nil
}

// topLevel returns the string values of the top-level "job_id" and "result" members of a
// JSON object; ok is false for anything it does not fully understand (escapes in those
// members, malformed text), which the caller then decodes properly.
func topLevel(b []byte) (job, result string, ok bool) {
	i := ws(b, 0)
	if i >= len(b) || b[i] != '{' {
		return "", "", false
	}
	i = ws(b, i+1)
	if i < len(b) && b[i] == '}' {
		return "", "", ws(b, i+1) == len(b)
	}
	for {
		next, plain := str(b, i)
		if next < 0 {
			return "", "", false
		}
		key := b[i+1 : next-1] // compared, never converted: no allocation
		i = ws(b, next)
		if i >= len(b) || b[i] != ':' {
			return "", "", false
		}
		i = ws(b, i+1)
		vs := i
		if i = skip(b, i); i < 0 {
			return "", "", false
		}
		if plain && (string(key) == "job_id" || string(key) == "result") {
			end, plainVal := str(b, vs)
			if end != i || !plainVal {
				return "", "", false
			}
			if val := string(b[vs+1 : end-1]); string(key) == "job_id" {
				job = val
			} else {
				result = val
			}
		}
		i = ws(b, i)
		if i < len(b) && b[i] == ',' {
			i = ws(b, i+1)
			continue
		}
		if i < len(b) && b[i] == '}' {
			return job, result, ws(b, i+1) == len(b)
		}
		return "", "", false
	}
}

func ws(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// str finds the end of the string literal at i: the index after its closing quote (or -1),
// and whether it has no escapes (plain: its content is b[i+1:next-1] as it stands). It
// allocates nothing: the collector skips every member of every reply with it.
func str(b []byte, i int) (next int, plain bool) {
	if i >= len(b) || b[i] != '"' {
		return -1, false
	}
	plain = true
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			plain = false
			j++
		case '"':
			return j + 1, plain
		}
	}
	return -1, false
}

// skip returns the index after the JSON value at i, or -1.
func skip(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		next, _ := str(b, i)
		return next
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				next, _ := str(b, j)
				if next < 0 {
					return -1
				}
				j = next - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	default:
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\t' && b[j] != '\r' {
			j++
		}
		if j == i {
			return -1
		}
		return j
	}
}

// full compares a reply with the in-process result, ignoring only what differs between
// two executions of one request (timings and the process id).
func (v *verifier) full(wl workload, request, reply []byte) error {
	if wl.echo {
		if !bytes.Equal(request, reply) {
			return errors.New("echo reply differs from its request")
		}
		return nil
	}
	fn, err := v.function()
	if err != nil {
		return err
	}
	want, status := fn.Execute(context.Background(), function.ModeByID, request)
	if status != 200 {
		return fmt.Errorf("in-process execution answered %d", status)
	}
	if a, b := strip(want), strip(reply); a != b {
		return fmt.Errorf("reply differs from the in-process result:\n got %.300s\nwant %.300s", b, a)
	}
	return nil
}

func strip(b []byte) string {
	s := string(b)
	if i, j := strings.Index(s, `"measured_steps":`), strings.Index(s, `,"result":`); i >= 0 && j > i {
		s = s[:i] + s[j:]
	}
	if i := strings.Index(s, `,"process_id":`); i >= 0 {
		s = s[:i]
	}
	return s
}
