package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafofn/trafofn/internal/workload"
	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

const twoPoints = `{"2020-01-01T00:00:00.000Z": 1.5, "2020-01-01T00:05:00.000Z": 2.5}`

// testComponents are components that exist only in these tests: they count their runs,
// misbehave on purpose or have an optional input.
type testComponents struct {
	counter, countingPlot, plotSize, scale, panicker, sleeper, raiser, forgetful, plainError component.Spec
	runs                                                                                     map[string]*atomic.Int64
}

func newTestComponents() *testComponents {
	tc := &testComponents{runs: map[string]*atomic.Int64{}}
	count := func(name string) func() {
		c := &atomic.Int64{}
		tc.runs[name] = c
		return func() { c.Add(1) }
	}
	floatIn := []component.Port{component.In("x", floatT)}
	floatOut := []component.Port{component.Out("y", floatT)}
	spec := func(name string, in, out []component.Port, run func(context.Context, component.Inputs) (component.Outputs, error)) component.Spec {
		return component.Spec{Meta: component.Meta{ID: id("component/" + name), Name: name, Category: "Test", Version: "0.1.0", Released: "2022-01-01T00:00:00Z", In: in, Out: out}, Run: run}
	}
	counted := count("Counter")
	tc.counter = spec("Counter", floatIn, floatOut, func(_ context.Context, in component.Inputs) (component.Outputs, error) {
		counted()
		return component.Outputs{"y": in.Read().Any("x")}, nil
	})
	plotted := count("Counting Plot")
	tc.countingPlot = spec("Counting Plot", []component.Port{component.In("series", seriesT)}, []component.Port{component.Out("plot", plotT)},
		func(_ context.Context, in component.Inputs) (component.Outputs, error) {
			plotted()
			fig := data.NewDict(2)
			fig.Set("data", []any{})
			fig.Set("layout", data.NewDict(0))
			return component.Outputs{"plot": fig}, nil
		})
	tc.plotSize = spec("Plot Size", []component.Port{component.In("plot", plotT)}, []component.Port{component.Out("n", intT)},
		func(_ context.Context, in component.Inputs) (component.Outputs, error) {
			d, _ := in.Read().Any("plot").(*data.Dict)
			return component.Outputs{"n": int64(d.Len())}, nil
		})
	tc.scale = spec("Scale", []component.Port{component.In("x", floatT), component.Opt("factor", floatT, "2.0")}, floatOut,
		func(_ context.Context, in component.Inputs) (component.Outputs, error) {
			r := in.Read()
			x, f := r.Float("x"), r.Float("factor")
			if err := r.Err(); err != nil {
				return nil, err
			}
			return component.Outputs{"y": x * f}, nil
		})
	tc.panicker = spec("Panicker", floatIn, floatOut, func(context.Context, component.Inputs) (component.Outputs, error) {
		panic("boom")
	})
	tc.sleeper = spec("Sleeper", floatIn, floatOut, func(ctx context.Context, _ component.Inputs) (component.Outputs, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	tc.raiser = spec("Raiser", floatIn, floatOut, func(context.Context, component.Inputs) (component.Outputs, error) {
		extra := data.NewDict(1)
		extra.Set("k", "v")
		return nil, component.Exception("custom failure", int64(42), extra)
	})
	tc.forgetful = spec("Forgetful", floatIn, floatOut, func(context.Context, component.Inputs) (component.Outputs, error) {
		return component.Outputs{"other": 1.0}, nil
	})
	tc.plainError = spec("Plain Error", floatIn, floatOut, func(context.Context, component.Inputs) (component.Outputs, error) {
		return nil, errors.New("something plain went wrong")
	})
	return tc
}

func (tc *testComponents) specs() []component.Spec {
	return []component.Spec{tc.counter, tc.countingPlot, tc.plotSize, tc.scale, tc.panicker, tc.sleeper, tc.raiser, tc.forgetful, tc.plainError}
}

// singlePass is a workflow: input x (FLOAT) → Pass Through (Float) → output y.
func singlePass(name string) wfDef {
	op := id(name + "/op")
	return wfDef{id: id(name), name: name,
		ops:  []opDef{passFloatOp(op, "Pass Through (Float)")},
		ins:  []inDef{{name: "x", typ: floatT, op: op, conn: "input"}},
		outs: []outDef{{name: "y", typ: floatT, op: op, conn: "output"}},
	}
}

func TestNestedWorkflows(t *testing.T) {
	// inner: x → Pass Through (Float) → y
	innerOp := id("inner/op")
	inner := wfDef{id: id("inner"), name: "Inner",
		ops:  []opDef{passFloatOp(innerOp, "inner pass")},
		ins:  []inDef{{name: "x", typ: floatT, op: innerOp, conn: "input"}},
		outs: []outDef{{name: "y", typ: floatT, op: innerOp, conn: "output"}}}
	// middle: a → [inner] → b
	midOp := id("middle/op")
	middle := wfDef{id: id("middle"), name: "Middle",
		ops:  []opDef{nestedOp(midOp, "inner op", inner)},
		ins:  []inDef{{name: "a", typ: floatT, op: midOp, conn: "x"}},
		outs: []outDef{{name: "b", typ: floatT, op: midOp, conn: "y"}}}
	// outer: v → [middle] → Pass Through (Float) → result
	outerMid, outerPass := id("outer/middle"), id("outer/pass")
	outer := wfDef{id: id("outer"), name: "Outer",
		ops:   []opDef{nestedOp(outerMid, "middle op", middle), passFloatOp(outerPass, "final pass")},
		links: []linkDef{{outerMid, "b", outerPass, "input"}},
		ins:   []inDef{{name: "v", typ: floatT, op: outerMid, conn: "a"}},
		outs:  []outDef{{name: "result", typ: floatT, op: outerPass, conn: "output"}}}
	rt := newRuntime(t, nil, inner, middle, outer)

	out := ok(t, run(t, rt, request(outer.id, false, direct("v", "2.5"))))
	if v, _ := out.Get("result"); v != 2.5 {
		t.Fatalf("result = %v; want 2.5", v)
	}

	// the same three levels with a failing component at the bottom
	avgOp := id("inner-fail/avg")
	innerFail := wfDef{id: id("inner-fail"), name: "Inner Fail",
		ops:  []opDef{averageOp(avgOp, "Average op")},
		ins:  []inDef{{name: "d", typ: anyT, op: avgOp, conn: "data"}},
		outs: []outDef{{name: "avg", typ: anyT, op: avgOp, conn: "average"}}}
	midFailOp := id("middle-fail/op")
	middleFail := wfDef{id: id("middle-fail"), name: "Middle Fail",
		ops:  []opDef{nestedOp(midFailOp, "inner op", innerFail)},
		ins:  []inDef{{name: "d", typ: anyT, op: midFailOp, conn: "d"}},
		outs: []outDef{{name: "avg", typ: anyT, op: midFailOp, conn: "avg"}}}
	outerFailOp := id("outer-fail/op")
	outerFail := wfDef{id: id("outer-fail"), name: "Outer Fail",
		ops:  []opDef{nestedOp(outerFailOp, "middle op", middleFail)},
		ins:  []inDef{{name: "d", typ: anyT, op: outerFailOp, conn: "d"}},
		outs: []outDef{{name: "avg", typ: anyT, op: outerFailOp, conn: "avg"}}}
	rt = newRuntime(t, nil, innerFail, middleFail, outerFail)
	resp := run(t, rt, request(outerFail.id, false, direct("d", "[1, 2]")))
	e := failure(t, resp, runtime.StageExecuting, "AttributeError")
	if e.Message != "'list' object has no attribute 'mean'" || e.Location.File != "COMPONENT CODE" || e.Code != nil {
		t.Errorf("error %+v", e)
	}
	// hierarchy: root workflow name, then operator names down to the component operator;
	// transformation_info describes the failing component revision
	checkOperator(t, e, averageID, "Average", "1.0.0", "COMPONENT",
		[]string{"Outer Fail", "middle op", "inner op", "Average op"}, []string{outerFailOp, midFailOp, avgOp})
	if got := resp.OutputTypes; len(got) != 1 || got[0].Name != "avg" || got[0].Type != anyT {
		t.Errorf("output types on failure: %+v", got)
	}
}

func TestConstants(t *testing.T) {
	pass, named, ps := id("const/pass"), id("const/name"), id("const/passSeries")
	wf := wfDef{id: id("const"), name: "Constants",
		ops: []opDef{passFloatOp(pass, "Pass Through (Float)"), passSeriesOp(ps, "Pass Through (Series)"),
			{id: named, name: "Name Series", trafo: nameSeriesID, kind: "COMPONENT",
				ins: []conn{{name: "input", typ: seriesT}, {name: "name", typ: stringT}}, outs: []conn{{name: "output", typ: seriesT}}}},
		links:  []linkDef{{ps, "output", named, "input"}},
		consts: []constDef{{floatT, pass, "input", "1.5"}, {stringT, named, "name", "renamed"}},
		ins:    []inDef{{name: "s", typ: seriesT, op: ps, conn: "input"}},
		outs:   []outDef{{name: "y", typ: floatT, op: pass, conn: "output"}, {name: "named", typ: seriesT, op: named, conn: "output"}}}
	bad := singlePass("Bad Constant")
	bad.ins = nil
	bad.consts = []constDef{{floatT, bad.ops[0].id, "input", "abc"}}
	// the bad constant one level down: the error names the nested workflow
	outerOp := id("outer-bad/op")
	outerBad := wfDef{id: id("outer-bad"), name: "Outer Bad",
		ops:  []opDef{nestedOp(outerOp, "nested bad", bad)},
		outs: []outDef{{name: "y", typ: floatT, op: outerOp, conn: "y"}}}
	rt := newRuntime(t, nil, wf, bad, outerBad)

	out := ok(t, run(t, rt, request(wf.id, false, direct("s", twoPoints))))
	if v, _ := out.Get("y"); v != 1.5 {
		t.Errorf("y = %#v; want 1.5", v)
	}
	if name := path(out, "named", "__data__", "name"); name != "renamed" {
		t.Errorf("series name = %#v; want the constant \"renamed\"", name)
	}

	// constants cannot be wired
	if _, err := rt.Execute(context.Background(), mustDecode(t, rt, request(bad.id, false, direct("x", "1")))); err == nil {
		t.Error("a wiring for a constant's connector was accepted")
	}

	e := failure(t, run(t, rt, request(bad.id, false)), runtime.StageParsingWorkflow, "WorkflowInputDataValidationError")
	if e.Message != "Some constant values could not be parsed into the respective workflow input datatypes." {
		t.Errorf("message %q", e.Message)
	}
	checkOperator(t, e, bad.id, "Bad Constant", "1.0.0", "WORKFLOW", []string{"Bad Constant"}, nil)

	e = failure(t, run(t, rt, request(outerBad.id, false)), runtime.StageParsingWorkflow, "WorkflowInputDataValidationError")
	checkOperator(t, e, bad.id, "Bad Constant", "1.0.0", "WORKFLOW", []string{"Outer Bad", "nested bad"}, []string{outerOp})
}

func mustDecode(t *testing.T, rt *runtime.Runtime, req doc) runtime.Request {
	t.Helper()
	r, err := rt.DecodeRequest(body(t, req), runtime.ByID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestOptionalInputs(t *testing.T) {
	tc := newTestComponents()
	opt := singlePass("Optional")
	opt.ins[0].optional, opt.ins[0].def = true, "2.5"
	nullDefault := singlePass("Null Default")
	nullDefault.ins[0].optional, nullDefault.ins[0].def = true, nil
	badDefault := singlePass("Bad Default")
	badDefault.ins[0].optional, badDefault.ins[0].def = true, "abc"
	// Scale's optional factor: not exposed (component default 2.0) or wired to an
	// optional workflow input (that input's default wins, a wiring wins over both)
	scaleOp := id("scale/op")
	hiddenFactor := wfDef{id: id("hidden-factor"), name: "Hidden Factor",
		ops:  []opDef{componentOp(scaleOp, "scale", tc.scale)},
		ins:  []inDef{{name: "x", typ: floatT, op: scaleOp, conn: "x"}},
		outs: []outDef{{name: "y", typ: floatT, op: scaleOp, conn: "y"}}}
	exposedFactor := hiddenFactor
	exposedFactor.id, exposedFactor.name = id("exposed-factor"), "Exposed Factor"
	exposedFactor.ops = []opDef{exposeAll(componentOp(scaleOp, "scale", tc.scale))}
	exposedFactor.ins = append(append([]inDef(nil), hiddenFactor.ins...), inDef{name: "f", typ: floatT, op: scaleOp, conn: "factor", optional: true, def: "10"})
	// a nested workflow's optional input not fed by the outer workflow keeps its default
	outerOp := id("outer-opt/op")
	outer := wfDef{id: id("outer-opt"), name: "Outer Optional",
		ops:  []opDef{nestedOp(outerOp, "nested", exposedFactor)},
		ins:  []inDef{{name: "x", typ: floatT, op: outerOp, conn: "x"}},
		outs: []outDef{{name: "y", typ: floatT, op: outerOp, conn: "y"}}}
	rt := newRuntime(t, tc.specs(), opt, nullDefault, badDefault, hiddenFactor, exposedFactor, outer)

	useDefault := func(w doc) doc { w["use_default_value"] = true; return w }
	cases := []struct {
		name   string
		trafo  string
		wiring []doc
		want   any
	}{
		{"default used when not wired", opt.id, nil, 2.5},
		{"wiring overrides the default", opt.id, []doc{direct("x", "9")}, 9.0},
		{"use_default_value keeps the default", opt.id, []doc{useDefault(direct("x", "9"))}, 2.5},
		{"use_default_value needs no value", opt.id, []doc{useDefault(doc{"workflow_input_name": "x", "adapter_id": "direct_provisioning"})}, 2.5},
		{"null default", nullDefault.id, nil, nil},
		{"component default for a hidden optional input", hiddenFactor.id, []doc{direct("x", "3")}, 6.0},
		{"workflow input default over the component default", exposedFactor.id, []doc{direct("x", "3")}, 30.0},
		{"wiring over both defaults", exposedFactor.id, []doc{direct("x", "3"), direct("f", "0.5")}, 1.5},
		{"nested workflow's own default", outer.id, []doc{direct("x", "3")}, 30.0},
	}
	for _, c := range cases {
		out := ok(t, run(t, rt, request(c.trafo, false, c.wiring...)))
		if v, _ := out.Get("y"); v != c.want {
			t.Errorf("%s: y = %#v; want %#v", c.name, v, c.want)
		}
	}
	e := failure(t, run(t, rt, request(badDefault.id, false)), runtime.StageParsingWorkflow, "WorkflowInputDataValidationError")
	if e.Message != "Some default values could not be parsed into the respective workflow input datatypes." {
		t.Errorf("message %q", e.Message)
	}
	checkOperator(t, e, badDefault.id, "Bad Default", "1.0.0", "WORKFLOW", []string{"Bad Default"}, nil)
}

// plotWorkflow: s → Pass Through (Series) → {Single Timeseries Plot, Counting Plot,
// Counting Plot → Plot Size}; outputs the series, the single plot and the plot size.
func plotWorkflow(tc *testComponents, withConsumer bool) wfDef {
	ps, plot, counting, size := id("plot/ps"), id("plot/plot"), id("plot/counting"), id("plot/size")
	w := wfDef{id: id("plot"), name: "Plots",
		ops: []opDef{passSeriesOp(ps, "Pass Through (Series)"), plotOp(plot, "Single Timeseries Plot"),
			componentOp(counting, "Counting Plot", tc.countingPlot)},
		links: []linkDef{{ps, "output", plot, "series"}, {ps, "output", counting, "series"}},
		ins:   []inDef{{name: "s", typ: seriesT, op: ps, conn: "input"}},
		outs:  []outDef{{name: "series", typ: seriesT, op: ps, conn: "output"}, {name: "plot", typ: plotT, op: plot, conn: "plot"}}}
	if withConsumer {
		w.id, w.name = id("plot-consumed"), "Plots Consumed"
		w.ops = append(w.ops, componentOp(size, "Plot Size", tc.plotSize))
		w.links = append(w.links, linkDef{counting, "plot", size, "plot"})
		w.outs = append(w.outs, outDef{name: "size", typ: intT, op: size, conn: "n"})
	}
	return w
}

func TestPurePlotOperators(t *testing.T) {
	for _, plots := range []bool{false, true} {
		tc := newTestComponents()
		w := plotWorkflow(tc, false)
		rt := newRuntime(t, tc.specs(), w)
		out := ok(t, run(t, rt, request(w.id, plots, direct("s", twoPoints))))
		if path(out, "series", "__data__", "data", 1) != 2.5 {
			t.Errorf("plots=%t: series output %v", plots, path(out, "series"))
		}
		plot, _ := out.Get("plot")
		runs := tc.runs["Counting Plot"].Load()
		if !plots {
			// not run: the output is {} and the unobserved plot operator is skipped too
			if d, ok := plot.(*data.Dict); !ok || d.Len() != 0 {
				t.Errorf("plots off: plot = %#v; want {}", plot)
			}
			if runs != 0 {
				t.Errorf("plots off: the pure plot operator ran %d times", runs)
			}
		} else {
			if path(plot, "data", 0, "type") != "scatter" || path(plot, "data", 0, "y", 1) != 2.5 {
				t.Errorf("plots on: plot = %s", mustJSON(plot))
			}
			if runs != 1 {
				t.Errorf("plots on: the unobserved plot operator ran %d times; want 1", runs)
			}
		}
	}
	// a non-plot operator consuming a plot output makes the plot operator run anyway
	tc := newTestComponents()
	w := plotWorkflow(tc, true)
	rt := newRuntime(t, tc.specs(), w)
	out := ok(t, run(t, rt, request(w.id, false, direct("s", twoPoints))))
	if n, _ := out.Get("size"); n != int64(2) || tc.runs["Counting Plot"].Load() != 1 {
		t.Errorf("consumed plot: size %v, runs %d; want 2 keys from one run", n, tc.runs["Counting Plot"].Load())
	}
}

// Every operator runs exactly once, also when nobody reads its outputs (hetida requests
// every node's result after the outputs), and its failure fails the execution.
func TestUnobservedOperatorsRun(t *testing.T) {
	tc := newTestComponents()
	main, cnt, p2, p3 := id("unobserved/main"), id("unobserved/counter"), id("unobserved/p2"), id("unobserved/p3")
	w := wfDef{id: id("unobserved"), name: "Unobserved",
		ops: []opDef{passFloatOp(main, "main"), componentOp(cnt, "counter", tc.counter),
			passFloatOp(p2, "reader one"), passFloatOp(p3, "reader two")},
		links: []linkDef{{cnt, "y", p2, "input"}, {cnt, "y", p3, "input"}},
		ins:   []inDef{{name: "x", typ: floatT, op: main, conn: "input"}, {name: "c", typ: floatT, op: cnt, conn: "x"}},
		outs:  []outDef{{name: "y", typ: floatT, op: main, conn: "output"}}}
	avg := id("dangling/avg")
	failing := singlePass("Dangling Failure")
	failing.ops = append(failing.ops, averageOp(avg, "dangling average"))
	failing.consts = []constDef{{anyT, avg, "data", `"abc"`}}
	rt := newRuntime(t, tc.specs(), w, failing)

	out := ok(t, run(t, rt, request(w.id, false, direct("x", "1"), direct("c", "2"))))
	if y, _ := out.Get("y"); y != 1.0 || out.Len() != 1 {
		t.Errorf("outputs %s", mustJSON(out))
	}
	if n := tc.runs["Counter"].Load(); n != 1 {
		t.Errorf("the unobserved counter with two readers ran %d times; want exactly 1", n)
	}

	e := failure(t, run(t, rt, request(failing.id, false, direct("x", "1"))), runtime.StageExecuting, "AttributeError")
	if e.Message != "'str' object has no attribute 'mean'" {
		t.Errorf("message %q", e.Message)
	}
	checkOperator(t, e, averageID, "Average", "1.0.0", "COMPONENT", []string{"Dangling Failure", "dangling average"}, []string{avg})
}

func TestComponentWrapper(t *testing.T) {
	tc := newTestComponents()
	dir := newRuntime(t, tc.specs())
	resp := run(t, dir, request(passFloatID, false, direct("input", "2.5")))
	out := ok(t, resp)
	if v, _ := out.Get("output"); v != 2.5 {
		t.Errorf("output = %#v", v)
	}
	if len(resp.OutputTypes) != 1 || resp.OutputTypes[0] != (runtime.NamedType{Name: "output", Type: floatT}) {
		t.Errorf("output types %+v", resp.OutputTypes)
	}

	// a component failure names the component and the wrapper hierarchy
	var opIDs []string
	for i := 0; i < 2; i++ {
		e := failure(t, run(t, dir, request(averageID, false, direct("data", "[1, 2]"))), runtime.StageExecuting, "AttributeError")
		checkOperator(t, e, averageID, "Average", "1.0.0", "COMPONENT", []string{wrapperName, "Average"}, e.OperatorInfo.ByID[1:])
		if !uuidRE.MatchString(e.OperatorInfo.ByID[1]) {
			t.Errorf("wrapper operator id %q", e.OperatorInfo.ByID[1])
		}
		opIDs = append(opIDs, e.OperatorInfo.ByID[0], e.OperatorInfo.ByID[1])
	}
	if opIDs[0] == opIDs[2] {
		t.Error("the root node id must be random per execution")
	}

	// a workflow-level failure of a wrapped component names the wrapper workflow, with a
	// random id and the component's tag
	e := failure(t, run(t, dir, request(tc.scale.ID, false, direct("x", "abc"))), runtime.StageParsingLoadedData, "WorkflowInputDataValidationError")
	checkOperator(t, e, "", wrapperName, "0.1.0", "WORKFLOW", []string{wrapperName}, nil)
	if e.OperatorInfo.TrafoID == tc.scale.ID || !uuidRE.MatchString(e.OperatorInfo.TrafoID) {
		t.Errorf("wrapper id %q; want a random UUID", e.OperatorInfo.TrafoID)
	}
	if !strings.Contains(e.Message, "'x'") || !strings.Contains(e.Message, `"abc"`) {
		t.Errorf("message %q does not name the input and the value", e.Message)
	}
	// the wrapper takes the component's optional inputs with their defaults
	out = ok(t, run(t, dir, request(tc.scale.ID, false, direct("x", "4"))))
	if y, _ := out.Get("y"); y != 8.0 {
		t.Errorf("wrapped Scale with default factor: y = %#v; want 8.0", y)
	}
}

func TestComponentNotImplemented(t *testing.T) {
	mysteryID := id("mystery component")
	op := id("mystery/op")
	w := wfDef{id: id("mystery"), name: "Mystery",
		ops:  []opDef{{id: op, name: "Mystery Op", trafo: mysteryID, kind: "COMPONENT", ins: []conn{{name: "x", typ: floatT}}, outs: []conn{{name: "y", typ: floatT}}}},
		ins:  []inDef{{name: "x", typ: floatT, op: op, conn: "x"}},
		outs: []outDef{{name: "y", typ: floatT, op: op, conn: "y"}}}
	rt := newRuntime(t, nil, w)
	resp := run(t, rt, request(w.id, false, direct("x", "1")))
	e := failure(t, resp, runtime.StageParsingWorkflow, "ComponentNotImplemented")
	if !strings.Contains(e.Message, "Mystery Op") || !strings.Contains(e.Message, mysteryID) {
		t.Errorf("message %q does not name the component and its id", e.Message)
	}
	checkOperator(t, e, mysteryID, "Mystery Op", "1.0.0", "COMPONENT", []string{"Mystery", "Mystery Op"}, []string{op})
	if resp.Steps.RuntimeService != nil || resp.Steps.InternalFull == nil {
		t.Errorf("measured steps on failure: %+v", resp.Steps)
	}
}

func TestComponentErrors(t *testing.T) {
	tc := newTestComponents()
	rt := newRuntime(t, tc.specs())
	exec := func(spec component.Spec) *runtime.Response {
		return run(t, rt, request(spec.ID, false, direct("x", "1")))
	}

	// a panic is a failure, not a crash
	e := failure(t, exec(tc.panicker), runtime.StageExecuting, "RuntimeExecutionError")
	if !strings.Contains(e.Message, "boom") {
		t.Errorf("panic message %q", e.Message)
	}
	checkOperator(t, e, tc.panicker.ID, "Panicker", "0.1.0", "COMPONENT", []string{wrapperName, "Panicker"}, e.OperatorInfo.ByID[1:])

	e = failure(t, exec(tc.raiser), runtime.StageExecuting, "ComponentException")
	if e.Message != "custom failure" || e.Code != int64(42) || mustJSON(e.Extra) != `{"k":"v"}` || e.Location.File != "COMPONENT CODE" {
		t.Errorf("ComponentException: %+v", e)
	}

	e = failure(t, exec(tc.forgetful), runtime.StageExecuting, "MissingOutputException")
	if e.Message != "Declared output 'y' not contained in returned dictionary." {
		t.Errorf("missing output: %q", e.Message)
	}

	e = failure(t, exec(tc.plainError), runtime.StageExecuting, "RuntimeExecutionError")
	if e.Message != "something plain went wrong" {
		t.Errorf("plain error: %q", e.Message)
	}

	// a panicking operator inside a workflow also fails cleanly
	op := id("panic-wf/op")
	w := wfDef{id: id("panic-wf"), name: "Panic Workflow",
		ops:  []opDef{componentOp(op, "panics here", tc.panicker)},
		ins:  []inDef{{name: "x", typ: floatT, op: op, conn: "x"}},
		outs: []outDef{{name: "y", typ: floatT, op: op, conn: "y"}}}
	rt = newRuntime(t, tc.specs(), w)
	e = failure(t, run(t, rt, request(w.id, false, direct("x", "1"))), runtime.StageExecuting, "RuntimeExecutionError")
	checkOperator(t, e, tc.panicker.ID, "Panicker", "0.1.0", "COMPONENT", []string{"Panic Workflow", "panics here"}, []string{op})
}

func TestContextEnds(t *testing.T) {
	tc := newTestComponents()
	rt := newRuntime(t, tc.specs())
	req := request(passFloatID, false, direct("input", "1"))

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	// callers tell a cancellation (retry elsewhere) from other failures by its Cause
	if e := failure(t, runCtx(t, cancelled, rt, req), runtime.StageExecuting, "CancelledError"); !errors.Is(e, runtime.ErrCancelled) {
		t.Errorf("a cancelled execution's error %v is not ErrCancelled", e)
	}

	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	if e := failure(t, runCtx(t, expired, rt, req), runtime.StageExecuting, "TimeoutError"); errors.Is(e, runtime.ErrCancelled) {
		t.Error("a timed-out execution counts as cancelled")
	}

	// a component blocked until its context ends
	short, cancel3 := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel3()
	resp := runCtx(t, short, rt, request(tc.sleeper.ID, false, direct("x", "1")))
	failure(t, resp, runtime.StageExecuting, "TimeoutError")
	if resp.Steps.InternalFull == nil || resp.Steps.PureExecution != nil {
		t.Errorf("measured steps: %+v", resp.Steps)
	}
}

func TestInputAndOutputHandling(t *testing.T) {
	rt := newRuntime(t, nil, singlePass("Plain"))
	// unparsable wired data fails at PARSING_LOADED_DATA naming the input (deliberately
	// stricter than hetida, see deviations.json)
	e := failure(t, run(t, rt, request(id("Plain"), false, direct("x", "abc"))), runtime.StageParsingLoadedData, "WorkflowInputDataValidationError")
	if e.Message != `Input 'x' (FLOAT) could not be parsed: value "abc" is not a valid float` {
		t.Errorf("message %q", e.Message)
	}
	checkOperator(t, e, id("Plain"), "Plain", "1.0.0", "WORKFLOW", []string{"Plain"}, nil)
	e = failure(t, run(t, rt, request(passSeriesID, false, direct("input", "hello"))), runtime.StageParsingLoadedData, "WorkflowInputDataValidationError")
	if !strings.HasPrefix(e.Message, "Input 'input' (SERIES) could not be parsed: value is not valid JSON") {
		t.Errorf("message %q", e.Message)
	}

	// a NaN plain float output becomes null (hetida would answer HTTP 500)
	out := ok(t, run(t, rt, request(id("Plain"), false, direct("x", "NaN"))))
	if v, ok := out.Get("y"); !ok || v != nil {
		t.Errorf("NaN output = %#v; want null", v)
	}
	if !strings.Contains(string(run(t, rt, request(id("Plain"), false, direct("x", "-inf"))).JSON()), `"output_results_by_output_name":{"y":null}`) {
		t.Error("-inf output not rendered as null")
	}

	// integer adapter id 1 is direct provisioning too
	w := direct("x", "1.25")
	w["adapter_id"] = 1
	if v, _ := ok(t, run(t, rt, request(id("Plain"), false, w))).Get("y"); v != 1.25 {
		t.Errorf("adapter 1: y = %#v", v)
	}

	// a DataFrame output with a duplicate index cannot be written in column orientation
	dup := `{"__hd_wrapped_data_object__":"DATAFRAME","__metadata__":{},"__data__":{"columns":["a"],"index":[0,0],"data":[[1],[2]]},"__data_parsing_options__":{"orient":"split"}}`
	e = failure(t, run(t, rt, request(passFrameID, false, direct("input", dup))), runtime.StageEncoding, "ValueError")
	if e.Message != "DataFrame index must be unique for orient='columns'." || e.OperatorInfo != nil {
		t.Errorf("encoding error %+v", e)
	}
}

func TestAdapterFailures(t *testing.T) {
	rt := newRuntime(t, nil, singlePass("Adapters"))
	w := direct("x", "1")
	w["adapter_id"] = "my-adapter"
	resp := run(t, rt, request(id("Adapters"), false, w))
	e := failure(t, resp, runtime.StageLoadingData, "AdapterHandlingException")
	if !strings.Contains(e.Message, `"my-adapter"`) || e.OperatorInfo != nil {
		t.Errorf("unknown source adapter: %+v", e)
	}

	req := request(id("Adapters"), false, direct("x", "1"))
	req["wiring"].(doc)["output_wirings"] = []any{doc{"workflow_output_name": "y", "adapter_id": "sink-somewhere"}}
	e = failure(t, run(t, rt, req), runtime.StageSendingData, "AdapterHandlingException")
	if !strings.Contains(e.Message, `"sink-somewhere"`) {
		t.Errorf("unknown sink adapter: %+v", e)
	}

	noValue := doc{"workflow_input_name": "x", "adapter_id": "direct_provisioning", "filters": doc{"other": "1"}}
	e = failure(t, run(t, rt, request(id("Adapters"), false, noValue)), runtime.StageLoadingData, "AdapterClientWiringInvalidError")
	if e.Message != "Direct Input Provisioning without 'value' field in filters" || e.OperatorInfo != nil {
		t.Errorf("direct provisioning without value: %+v", e)
	}
}

func mustJSON(v any) string {
	b, err := wireAppend(v)
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

// A COMPONENT revision loaded from a file but without native implementation fails when
// executed directly, naming it, at PARSING_WORKFLOW.
func TestDirectComponentNotImplemented(t *testing.T) {
	dir := t.TempDir()
	compID := id("file-only component")
	doc := `{"id": "` + compID + `", "revision_group_id": "` + compID + `", "name": "File Only", "category": "Test",
		"version_tag": "2.0.0", "state": "RELEASED", "type": "COMPONENT", "released_timestamp": "2022-01-01T00:00:00+00:00",
		"content": "def main(*, x):\n    return {'y': x}\n",
		"io_interface": {"inputs": [{"id": "` + id("fo/x") + `", "name": "x", "data_type": "FLOAT"}],
		"outputs": [{"id": "` + id("fo/y") + `", "name": "y", "data_type": "FLOAT"}]},
		"test_wiring": {"input_wirings": [], "output_wirings": []}}`
	if err := os.WriteFile(filepath.Join(dir, "file-only.json"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	rt, err := runtime.New(runtime.Options{TransformationsDirs: []string{dir}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	resp := run(t, rt, request(compID, false, direct("x", "1")))
	e := failure(t, resp, runtime.StageParsingWorkflow, "ComponentNotImplemented")
	if !strings.Contains(e.Message, "File Only") || !strings.Contains(e.Message, compID) {
		t.Errorf("message %q", e.Message)
	}
	checkOperator(t, e, compID, "File Only", "2.0.0", "COMPONENT", []string{wrapperName, "File Only"}, e.OperatorInfo.ByID[1:])
	if resp.OutputTypes[0].Name != "y" {
		t.Errorf("output types %+v", resp.OutputTypes)
	}
}

// One runtime serves concurrent executions of different revisions (run with -race).
func TestConcurrentExecutions(t *testing.T) {
	nestedOuter := id("conc/outer")
	inner := singlePass("Conc Inner")
	outer := wfDef{id: id("Conc Outer"), name: "Conc Outer",
		ops:  []opDef{nestedOp(nestedOuter, "inner", inner)},
		ins:  []inDef{{name: "x", typ: floatT, op: nestedOuter, conn: "x"}},
		outs: []outDef{{name: "y", typ: floatT, op: nestedOuter, conn: "y"}}}
	rt := newRuntime(t, nil, inner, outer)
	rt2 := embedded(t, runtime.Options{})
	done := make(chan string, 64)
	for g := 0; g < 8; g++ {
		go func(g int) {
			for i := 0; i < 8; i++ {
				v := fmt.Sprintf("%d.5", g*10+i)
				trafo := []string{inner.id, outer.id, passFloatID}[(g+i)%3]
				in := "x"
				if trafo == passFloatID {
					in = "input"
				}
				b, _ := json.Marshal(request(trafo, false, direct(in, v))) // no t.Fatal off the test goroutine
				r, err := rt.DecodeRequest(b, runtime.ByID)
				if err != nil {
					done <- err.Error()
					continue
				}
				resp, err := rt.Execute(context.Background(), r)
				if err != nil || resp.Result != runtime.ResultOK || !strings.Contains(string(resp.JSON()), ":"+v+"}") {
					done <- fmt.Sprintf("%s with %s: %v %s", trafo, v, err, resp.JSON())
					continue
				}
				vr, _ := rt2.DecodeRequest(workload.SeedRequest(i%2 == 0), runtime.ByID)
				if resp, err := rt2.Execute(context.Background(), vr); err != nil || resp.Result != runtime.ResultOK {
					done <- fmt.Sprintf("volatility: %v", err)
					continue
				}
				done <- ""
			}
		}(g)
	}
	for i := 0; i < 64; i++ {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}

// A nested workflow whose outputs are all PLOTLYJSON is a pure plot operator: its outputs
// are {} without run_pure_plot_operators. hetida's final pass runs every computation node
// of the flattened tree that is not itself pure plot, so a non-plot operator inside such a
// workflow still runs (obtain_all_nodes in hetida's runtime/engine/plain/workflow.py).
func TestNestedPurePlotWorkflow(t *testing.T) {
	for _, plots := range []bool{false, true} {
		tc := newTestComponents()
		ps, plot, cnt := id("np/ps"), id("np/plot"), id("np/counter")
		inner := wfDef{id: id("np/inner"), name: "Plot Only",
			ops:    []opDef{passSeriesOp(ps, "pass"), plotOp(plot, "plot"), componentOp(cnt, "counter", tc.counter)},
			links:  []linkDef{{ps, "output", plot, "series"}},
			consts: []constDef{{floatT, cnt, "x", "1.0"}},
			ins:    []inDef{{name: "s", typ: seriesT, op: ps, conn: "input"}},
			outs:   []outDef{{name: "figure", typ: plotT, op: plot, conn: "plot"}}}
		nested, pass := id("np/nested"), id("np/pass")
		outer := wfDef{id: id("np/outer"), name: "Outer Plots",
			ops:  []opDef{nestedOp(nested, "plots", inner), passSeriesOp(pass, "pass")},
			ins:  []inDef{{name: "s", typ: seriesT, op: nested, conn: "s"}, {name: "t", typ: seriesT, op: pass, conn: "input"}},
			outs: []outDef{{name: "figure", typ: plotT, op: nested, conn: "figure"}, {name: "series", typ: seriesT, op: pass, conn: "output"}}}
		rt := newRuntime(t, tc.specs(), inner, outer)
		out := ok(t, run(t, rt, request(outer.id, plots, direct("s", twoPoints), direct("t", twoPoints))))
		fig, _ := out.Get("figure")
		if plots {
			if path(fig, "data", 0, "type") != "scatter" {
				t.Errorf("plots on: figure %s", mustJSON(fig))
			}
		} else if d, ok := fig.(*data.Dict); !ok || d.Len() != 0 {
			t.Errorf("plots off: figure %s; want {}", mustJSON(fig))
		}
		if n := tc.runs["Counter"].Load(); n != 1 {
			t.Errorf("plots=%t: the non-plot operator inside the plot workflow ran %d times; want 1", plots, n)
		}
	}
}

// numpy scalars that are no Python floats (np.int64 from summing an int series, np.sign of
// an int, np.float16 from a math function of a bool) cannot be written by hetida's JSON
// encoder: the execution fails at ENCODING_RESULTS_TO_JSON with ValueError "Object of type
// int64 is not JSON serializable". trafofn answered 6. Found by tools/difffuzz.py against
// hetida's Sum up Series code on pandas 1.5.3.
func TestNumpyScalarOutputFailsEncodingRegression(t *testing.T) {
	rt := newRuntime(t, nil)
	e := failure(t, run(t, rt, request(sumSeriesID, false, direct("data", `{"2020-01-01T00:00:00Z": 1, "2020-01-01T00:01:00Z": 5}`))), runtime.StageEncoding, "ValueError")
	if e.Message != "Object of type int64 is not JSON serializable" {
		t.Errorf("message %q", e.Message)
	}
	// a float series sums to numpy's float64, a float
	if v, _ := ok(t, run(t, rt, request(sumSeriesID, false, direct("data", `{"2020-01-01T00:00:00Z": 1.5, "2020-01-01T00:01:00Z": 5}`)))).Get("sum"); v != 6.5 {
		t.Errorf("float sum = %#v", v)
	}
	const signumID = "24f115a8-45ad-21f2-c6ce-8edfc28f3b3f"
	failure(t, run(t, rt, request(signumID, false, direct("data", "5"))), runtime.StageEncoding, "ValueError")
	const sineID = "2cc88d07-b151-dc5b-d4c4-cfd95a043de3"
	e = failure(t, run(t, rt, request(sineID, false, direct("data", "true"))), runtime.StageEncoding, "ValueError")
	if e.Message != "Object of type float16 is not JSON serializable" {
		t.Errorf("message %q", e.Message)
	}
}

// Power and nth root of a negative number to a fractional exponent failed in component
// code (ValueError "complex result"), but Python's ** gives a complex number there and
// hetida fails only when it encodes the output: ENCODING_RESULTS_TO_JSON (a hard part of
// the reference comparison). Found by tools/difffuzz.py: Power(-1.25, 0.001).
func TestComplexPowerFailsEncodingRegression(t *testing.T) {
	rt := newRuntime(t, nil)
	const powerID, nthRootID = "d24f40ae-4dfb-248f-6461-e67be3e5de8a", "11152e31-cf25-4280-2b28-220319277011"
	e := failure(t, run(t, rt, request(powerID, false, direct("base", "-1.25"), direct("exponent", "0.001"))), runtime.StageEncoding, "ValueError")
	if e.Message != "Object of type complex is not JSON serializable" {
		t.Errorf("message %q", e.Message)
	}
	failure(t, run(t, rt, request(nthRootID, false, direct("data", "-8"), direct("n", "3"))), runtime.StageEncoding, "ValueError")
}
