package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
)

// fakeSource is a source adapter for the engine's adapter handling: it calls load.
type fakeSource func(ctx context.Context, req adapter.LoadRequest) (map[string]any, error)

func (f fakeSource) Load(ctx context.Context, req adapter.LoadRequest) (map[string]any, error) {
	return f(ctx, req)
}

const addID = "2abf72f6-68c9-7398-7175-165d31b3ced7" // Add: a + b (ANY)

// addRequest executes Add with a from adapter ida and b from adapter idb.
func addRequest(ida, idb string) []byte {
	return fmt.Appendf(nil, `{"id": %q, "job_id": %q, "wiring": {"input_wirings": [
		{"workflow_input_name": "a", "adapter_id": %q, "ref_id": "ref-a", "filters": {"value": "1"}},
		{"workflow_input_name": "b", "adapter_id": %q, "ref_key": "ref-b", "filters": {"value": "2"}}],
		"output_wirings": [{"workflow_output_name": "sum", "adapter_id": "direct_provisioning"}]}}`, addID, fixedJobID, ida, idb)
}

// The groups of different adapters load at the same time: each fake source waits until
// the other one has been called, which only works when they run concurrently.
func TestAdapterGroupsLoadConcurrently(t *testing.T) {
	reg := adapter.NewRegistry()
	var arrived atomic.Int32
	both := make(chan struct{})
	meet := func(v int64) fakeSource {
		return func(ctx context.Context, req adapter.LoadRequest) (map[string]any, error) {
			if arrived.Add(1) == 2 {
				close(both)
			}
			select {
			case <-both:
			case <-time.After(5 * time.Second):
				return nil, errors.New("the other adapter was not called meanwhile")
			}
			if req.MaxPoints != 7 || len(req.Bindings) != 1 {
				return nil, fmt.Errorf("request %+v", req)
			}
			return map[string]any{req.Bindings[0].Name: v}, nil
		}
	}
	reg.RegisterSource(adapter.StrID("fake-a"), meet(40))
	reg.RegisterSource(adapter.StrID("fake-b"), meet(2))
	rt := embedded(t, runtime.Options{Adapters: reg, MaxPoints: 7})
	out := ok(t, execute(t, rt, addRequest("fake-a", "fake-b")))
	if v, _ := out.Get("sum"); v != int64(42) {
		t.Errorf("sum %v", v)
	}
}

// The first failing adapter is reported, naming the adapter, the wiring and its source id;
// the others are cancelled; a panicking adapter fails the execution like an error.
func TestAdapterFailuresNameAdapterAndWiring(t *testing.T) {
	reg := adapter.NewRegistry()
	cancelled := make(chan struct{})
	reg.RegisterSource(adapter.StrID("slow"), fakeSource(func(ctx context.Context, req adapter.LoadRequest) (map[string]any, error) {
		select {
		case <-ctx.Done():
			close(cancelled)
			return nil, ctx.Err()
		case <-time.After(5 * time.Second):
			return map[string]any{"a": int64(1)}, nil
		}
	}))
	reg.RegisterSource(adapter.StrID("broken"), fakeSource(func(ctx context.Context, req adapter.LoadRequest) (map[string]any, error) {
		return nil, adapter.WiringFailed("AdapterConnectionError", req.Bindings[0], "database \"db\" unreachable", nil)
	}))
	reg.RegisterSource(adapter.StrID("panics"), fakeSource(func(ctx context.Context, req adapter.LoadRequest) (map[string]any, error) {
		panic("boom")
	}))
	reg.RegisterSource(adapter.StrID("plain"), fakeSource(func(ctx context.Context, req adapter.LoadRequest) (map[string]any, error) {
		return nil, errors.New("no such thing")
	}))
	rt := embedded(t, runtime.Options{Adapters: reg})

	start := time.Now()
	e := failure(t, execute(t, rt, addRequest("slow", "broken")), runtime.StageLoadingData, "AdapterConnectionError")
	if want := `Adapter "broken" could not load input 'b' ("ref-b"): database "db" unreachable`; e.Message != want {
		t.Errorf("message %q\nwant    %q", e.Message, want)
	}
	select {
	case <-cancelled:
	case <-time.After(time.Second):
		t.Error("the slow adapter's load was not cancelled")
	}
	if time.Since(start) > 3*time.Second {
		t.Error("the failure waited for the slow adapter")
	}

	e = failure(t, execute(t, rt, addRequest("direct_provisioning", "panics")), runtime.StageLoadingData, "AdapterHandlingException")
	if !strings.Contains(e.Message, `Adapter "panics"`) || !strings.Contains(e.Message, "boom") {
		t.Errorf("panic message %q", e.Message)
	}
	e = failure(t, execute(t, rt, addRequest("plain", "direct_provisioning")), runtime.StageLoadingData, "AdapterHandlingException")
	if e.Message != `Adapter "plain": no such thing` {
		t.Errorf("plain error message %q", e.Message)
	}
	// an unknown adapter keeps its message
	e = failure(t, execute(t, rt, addRequest("nobody", "direct_provisioning")), runtime.StageLoadingData, "AdapterHandlingException")
	if !strings.HasPrefix(e.Message, `Adapter with id "nobody" is not registered`) {
		t.Errorf("unknown adapter message %q", e.Message)
	}
}

// Adapters may hand over built values: a Series for SERIES, a DataFrame for DATAFRAME and
// MULTITSFRAME (validated as hetida's MULTITSFRAME: a naive timestamp column fails at
// PARSING_LOADED_DATA); a value of another kind is refused, not reinterpreted.
func TestAdapterBuiltValues(t *testing.T) {
	var value any
	reg := adapter.NewRegistry()
	reg.RegisterSource(adapter.StrID("built"), fakeSource(func(ctx context.Context, req adapter.LoadRequest) (map[string]any, error) {
		return map[string]any{req.Bindings[0].Name: value}, nil
	}))
	rt := embedded(t, runtime.Options{Adapters: reg})
	req := func(id string) []byte {
		return fmt.Appendf(nil, `{"id": %q, "wiring": {"input_wirings": [{"workflow_input_name": "input", "adapter_id": "built"}]}}`, id)
	}
	value = data.FloatSeries("x", data.Datetimes([]int64{0, 1e9}, data.UTC), []float64{1.5, 2.5})
	out := ok(t, execute(t, rt, req(passSeriesID)))
	if got := mustJSON(out); !strings.Contains(got, `"index":["1970-01-01T00:00:00.000Z","1970-01-01T00:00:01.000Z"],"data":[1.5,2.5]`) {
		t.Errorf("series output %s", got)
	}
	value = data.NewDataFrame(data.Range(1), []any{"a"}, []data.Column{data.Ints([]int64{3})})
	if got := mustJSON(ok(t, execute(t, rt, req(passFrameID)))); !strings.Contains(got, `"a":{"0":3}`) {
		t.Errorf("frame output %s", got)
	}
	e := failure(t, execute(t, rt, req(passSeriesID)), runtime.StageParsingLoadedData, "WorkflowInputDataValidationError")
	if !strings.Contains(e.Message, "the adapter delivered a DataFrame") {
		t.Errorf("message %q", e.Message)
	}
	value = data.NewDataFrame(data.Range(1), []any{"timestamp", "metric", "value"},
		[]data.Column{data.Datetimes([]int64{0}, data.Naive), data.Objects([]any{"m"}), data.Floats([]float64{1})})
	e = failure(t, execute(t, rt, req(passMultiTSID)), runtime.StageParsingLoadedData, "WorkflowInputDataValidationError")
	if !strings.Contains(e.Message, "DatetimeTZDtype") {
		t.Errorf("message %q", e.Message)
	}
}

const passMultiTSID = "78ee6b00-9239-4214-b9bf-a093647f33f5"
