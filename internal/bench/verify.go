package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
	gen "github.com/trafofn/trafofn/runtime/workload"
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
	seed := func(plots bool) func(string) []byte {
		return func(job string) []byte {
			return gen.Volatility(gen.VolatilityRequest{Series: gen.SeedSeries, Plots: plots, JobID: job})
		}
	}
	series10k := gen.PointsSeries(10_000)
	return []workload{
		{name: "echo", echo: true, n: cfg.Messages, request: seed(false)},
		{name: "seed-10-plots-off", n: cfg.Messages, request: seed(false)},
		{name: "seed-10-plots-on", n: cfg.Messages / 2, plots: true, request: seed(true)},
		{name: "points-10k-plots-off", points: 10_000, n: cfg.Messages10k, request: func(job string) []byte {
			return gen.Volatility(gen.VolatilityRequest{Series: series10k, JobID: job})
		}},
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

// jobID checks a reply and returns its job id.
func (v *verifier) jobID(wl workload, reply []byte) (string, error) {
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
