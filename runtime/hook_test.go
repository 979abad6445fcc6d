package runtime_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/trafofn/trafofn/internal/workload"
	"github.com/trafofn/trafofn/runtime"
)

// recorder is an OperatorHook that notes every operator and how it ended.
type recorder struct {
	mu    sync.Mutex
	ops   []runtime.Operator
	ended []error
}

func (r *recorder) StartOperator(ctx context.Context, op runtime.Operator) (context.Context, func(error)) {
	r.mu.Lock()
	r.ops = append(r.ops, op)
	r.mu.Unlock()
	return ctx, func(err error) {
		r.mu.Lock()
		r.ended = append(r.ended, err)
		r.mu.Unlock()
	}
}

// The hook hears of every operator the Volatility Detection Example runs (its plot
// operator only with plots on), each with its name, id, path and component, and is told
// how each ended; a failing input ends the failing operator with its error.
func TestOperatorHook(t *testing.T) {
	rec := &recorder{}
	rt, err := runtime.New(runtime.Options{OperatorHook: rec})
	if err != nil {
		t.Fatal(err)
	}
	run := func(body []byte) *runtime.Response {
		t.Helper()
		req, err := rt.DecodeRequest(body, runtime.AnyMode)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := rt.Execute(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := run(workload.SeedRequest(false))
	if resp.Result != runtime.ResultOK || resp.TransformationID != workload.VolatilityID {
		t.Fatalf("result %s, transformation %s", resp.Result, resp.TransformationID)
	}
	withoutPlots := len(rec.ops)
	if withoutPlots < 2 || len(rec.ended) != withoutPlots {
		t.Fatalf("%d operators started, %d ended", withoutPlots, len(rec.ended))
	}
	for i, op := range rec.ops {
		if op.Name == "" || op.ID == "" || op.ComponentID == "" || op.ComponentName == "" || len(op.Path) == 0 || op.Path[len(op.Path)-1] != op.Name {
			t.Errorf("operator %d described as %+v", i, op)
		}
		if rec.ended[i] != nil {
			t.Errorf("operator %s ended with %v", op.Name, rec.ended[i])
		}
	}
	rec.ops, rec.ended = nil, nil
	run(workload.SeedRequest(true))
	if len(rec.ops) <= withoutPlots {
		t.Errorf("plots on: %d operators, plots off: %d", len(rec.ops), withoutPlots)
	}
	// a component that fails: a window size pandas cannot read
	rec.ops, rec.ended = nil, nil
	bad := []byte(strings.Replace(string(workload.SeedRequest(false)), `"180min"`, `"not a window"`, 1))
	if resp := run(bad); resp.Result != runtime.ResultFailure {
		t.Fatalf("result %s for a bad window", resp.Result)
	}
	failed := 0
	for _, err := range rec.ended {
		if err != nil {
			failed++
		}
	}
	if failed != 1 || len(rec.ended) != len(rec.ops) {
		t.Errorf("%d operators ended with an error, %d started, %d ended", failed, len(rec.ops), len(rec.ended))
	}
}
