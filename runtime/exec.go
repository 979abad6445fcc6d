package runtime

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/store"
	"github.com/trafofn/trafofn/runtime/wire"
)

// execution is the state of one run of a plan.
type execution struct {
	ctx       context.Context
	p         *plan
	inputs    []any
	provided  []bool
	plotsOn   bool
	results   []component.Outputs
	state     []uint8 // 0 pending, 1 running, 2 done, 3 skipped
	rootID    string  // the random ids of this execution, made when an error reports them
	wrapperID string
	stack     string // Go stack of a recovered panic, for the traceback
	env       *component.Env
	hook      OperatorHook
	named     []component.Named // the nodes' input values, each node's carved from it

	// storage for the slices above when the plan is small (one allocation for all)
	inputsBuf   [smallPlan]any
	providedBuf [smallPlan]bool
	resultsBuf  [smallPlan]component.Outputs
	stateBuf    [smallPlan]uint8
}

// smallPlan is the most inputs and nodes whose execution state lives in the execution.
const smallPlan = 8

// sized returns buf[:n] when it fits, else a new slice.
func sized[T any](buf []T, n int) []T {
	if n <= len(buf) {
		return buf[:n:n]
	}
	return make([]T, n)
}

// run fills resp with the outcome of executing plan p under wiring w.
func (rt *Runtime) run(ctx context.Context, req Request, p *plan, w *Wiring, resp *Response) {
	x := &execution{ctx: ctx, p: p, plotsOn: req.RunPurePlotOperators, env: rt.env, hook: rt.hook}
	x.inputs, x.provided = sized(x.inputsBuf[:], len(p.inputs)), sized(x.providedBuf[:], len(p.inputs))
	x.results, x.state = sized(x.resultsBuf[:], len(p.nodes)), sized(x.stateBuf[:], len(p.nodes))
	x.named = make([]component.Named, 0, p.ports)
	svcStart := time.Now()
	fail := func(e *ExecError) {
		e = x.finish(e)
		resp.Error = e
		resp.Result = ResultFailure
		resp.Outputs = nil
		tb := x.traceback(e)
		resp.Traceback = &tb
	}
	if p.err != nil {
		fail(p.err)
		return
	}

	// LOADING_DATA_FROM_ADAPTERS
	loadStart := time.Now()
	raw, loadErr := rt.load(ctx, req.JobID, p, w)
	if loadErr != nil {
		fail(loadErr)
		return
	}
	loadEnd := time.Now()

	// PARSING_LOADED_DATA (hetida loses these errors; we report them)
	for i, in := range p.inputs {
		v, ok := raw[in.name]
		if !ok {
			continue
		}
		parsed, err := wire.Parse(in.typ, v, false)
		if err != nil {
			fail(x.rootError("WorkflowInputDataValidationError", StageParsingLoadedData,
				fmt.Sprintf("Input '%s' (%s) could not be parsed: %s", in.name, in.typ, parseMsg(err))))
			return
		}
		if rt.maxPoints > 0 {
			if n := rows(parsed); n > rt.maxPoints {
				fail(x.rootError("InputTooLarge", StageParsingLoadedData,
					fmt.Sprintf("Input '%s' has %d points, more than the limit of %d (MAX_POINTS).", in.name, n, rt.maxPoints)))
				return
			}
		}
		x.inputs[i], x.provided[i] = parsed, true
	}
	for i, in := range p.inputs {
		if !x.provided[i] && in.optional {
			x.inputs[i], x.provided[i] = in.def, true
		}
	}

	// EXECUTING_COMPONENT_CODE
	execStart := time.Now()
	values := make(map[string]any, len(p.outputs))
	for _, o := range p.outputs {
		v, err := x.outputValue(o)
		if err != nil {
			fail(err)
			return
		}
		values[o.name] = v
	}
	for i, n := range p.nodes {
		if n.purePlot && !x.plotsOn {
			continue
		}
		if _, err := x.node(i); err != nil {
			fail(err)
			return
		}
	}
	execEnd := time.Now()

	// SENDING_DATA_TO_ADAPTERS
	direct, sendErr := rt.send(ctx, req.JobID, req.ID, p, w, values)
	if sendErr != nil {
		fail(sendErr)
		return
	}
	sendEnd := time.Now()

	// ENCODING_RESULTS_TO_JSON, into one buffer
	var buf []byte
	resp.Outputs = make([]NamedJSON, 0, len(w.Outputs))
	for _, ow := range w.Outputs {
		v, ok := direct[ow.Name]
		if !ok {
			continue
		}
		start := len(buf)
		var err error
		buf, err = wire.AppendValue(buf, v)
		b := buf[start:len(buf):len(buf)]
		if err != nil {
			typ, msg := "TypeError", err.Error()
			var de *data.Error
			switch {
			case errors.As(err, &de):
				typ, msg = de.Type, de.Message
			case errors.Is(err, wire.ErrNonUniqueIndex):
				typ = "ValueError"
			}
			fail(&ExecError{Type: typ, Message: msg, Stage: StageEncoding, Location: goLocation("wire.AppendValue")})
			return
		}
		resp.Outputs = append(resp.Outputs, NamedJSON{Name: ow.Name, JSON: b})
	}
	end := time.Now()
	resp.Result = ResultOK
	resp.Steps.RuntimeService = resp.step(3, "RUNTIME_SERVICE", svcStart, end)
	resp.Steps.PureExecution = resp.step(4, "EXECUTING_COMPONENT_CODE", execStart, execEnd)
	resp.Steps.LoadData = resp.step(5, "LOADING_DATA_FROM_ADAPTERS", loadStart, loadEnd)
	resp.Steps.SendData = resp.step(6, "SENDING_DATA_TO_ADAPTERS", execEnd, sendEnd)
}

func parseMsg(err error) string {
	var pe *wire.ParseError
	if errors.As(err, &pe) {
		return pe.Msg
	}
	return err.Error()
}

func rows(v any) int {
	switch x := v.(type) {
	case *data.Series:
		return x.Len()
	case *data.DataFrame:
		return x.Len()
	}
	return 0
}

// adapterGroup is the wirings of one adapter id.
type adapterGroup[W any] struct {
	id      adapter.ID
	wirings []W
}

// adapterGroups groups wirings by adapter id in order of first appearance.
func adapterGroups[W any](ws []W, id func(W) adapter.ID) []adapterGroup[W] {
	if len(ws) > 0 && allSame(ws, id) {
		// the common case (everything direct_provisioning): no copies
		return []adapterGroup[W]{{id: id(ws[0]), wirings: ws}}
	}
	var groups []adapterGroup[W]
next:
	for _, w := range ws {
		k := id(w)
		for i := range groups {
			if groups[i].id == k {
				groups[i].wirings = append(groups[i].wirings, w)
				continue next
			}
		}
		groups = append(groups, adapterGroup[W]{id: k, wirings: []W{w}})
	}
	return groups
}

func allSame[W any](ws []W, id func(W) adapter.ID) bool {
	k := id(ws[0])
	for _, w := range ws[1:] {
		if id(w) != k {
			return false
		}
	}
	return true
}

// adapterError reports an adapter failure at stage. An *adapter.Error naming its wiring
// gets the adapter id and the wiring in front of its cause; other errors get the id.
func adapterError(err error, stage Stage, id adapter.ID) *ExecError {
	var ae *adapter.Error
	if errors.As(err, &ae) {
		msg := ae.Message
		if ae.Wiring != "" {
			what := "load input"
			if stage == StageSendingData {
				what = "send output"
			}
			ref := ""
			if ae.Ref != "" {
				ref = fmt.Sprintf(" (%q)", ae.Ref)
			}
			msg = fmt.Sprintf("Adapter %q could not %s '%s'%s: %s", id.String(), what, ae.Wiring, ref, ae.Message)
		}
		return &ExecError{Type: ae.Type, Message: msg, Stage: stage, Location: goLocation("adapter")}
	}
	typ := "AdapterHandlingException"
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		typ = "AdapterConnectionError"
	}
	return &ExecError{Type: typ, Message: fmt.Sprintf("Adapter %q: %v", id.String(), err), Stage: stage, Location: goLocation("adapter")}
}

// load calls the source adapters, one call per adapter id with all its wirings; the
// groups of different adapters load concurrently. The first failure cancels the other
// groups and is the one reported; a panicking adapter fails the execution, not the process.
func (rt *Runtime) load(ctx context.Context, jobID string, p *plan, w *Wiring) (map[string]any, *ExecError) {
	ws := w.Inputs
	for _, iw := range w.Inputs {
		if iw.UseDefaultValue {
			ws = nil
			for _, iw := range w.Inputs {
				if !iw.UseDefaultValue {
					ws = append(ws, iw)
				}
			}
			break
		}
	}
	groups := adapterGroups(ws, func(iw InputWiring) adapter.ID { return iw.Adapter })
	reqs := make([]adapter.LoadRequest, len(groups))
	srcs := make([]adapter.Source, len(groups))
	for gi, g := range groups {
		src, ok := rt.adapters.Source(g.id)
		if !ok {
			return nil, adapterError(adapter.UnknownError(g.id), StageLoadingData, g.id)
		}
		req := adapter.LoadRequest{JobID: jobID, MaxPoints: rt.maxPoints, Bindings: make([]adapter.Binding, 0, len(g.wirings))}
		for _, iw := range g.wirings {
			var t data.Type
			if i := p.input(iw.Name); i >= 0 {
				t = p.inputs[i].typ
			}
			req.Bindings = append(req.Bindings, adapter.Binding{Name: iw.Name, Type: t, RefID: iw.RefID, RefIDType: iw.RefIDType, RefKey: iw.RefKey, External: iw.Type, Filters: iw.Filters})
		}
		reqs[gi], srcs[gi] = req, src
	}
	vals := make([]map[string]any, len(groups))
	errs := make([]error, len(groups))
	first := -1 // the group that failed first
	if len(groups) == 1 {
		vals[0], errs[0] = safeLoad(ctx, srcs[0], reqs[0])
		if errs[0] != nil {
			first = 0
		}
	} else if len(groups) > 1 {
		gctx, cancel := context.WithCancel(ctx)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for gi := range groups {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := safeLoad(gctx, srcs[gi], reqs[gi])
				vals[gi], errs[gi] = v, err
				if err != nil {
					mu.Lock()
					if first < 0 {
						first = gi
						cancel()
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		cancel()
	}
	if first >= 0 {
		if ctx.Err() != nil {
			return nil, ctxError(ctx, StageLoadingData)
		}
		return nil, adapterError(errs[first], StageLoadingData, groups[first].id)
	}
	if len(groups) == 1 && sameNames(vals[0], reqs[0].Bindings) {
		return vals[0], nil // the usual single adapter returned just its bindings
	}
	out := make(map[string]any, len(ws))
	for gi := range groups {
		for _, b := range reqs[gi].Bindings {
			if v, ok := vals[gi][b.Name]; ok {
				out[b.Name] = v
			}
		}
	}
	return out, nil
}

// sameNames reports whether the keys of v are the names of bs.
func sameNames(v map[string]any, bs []adapter.Binding) bool {
	if len(v) != len(bs) {
		return false
	}
	for _, b := range bs {
		if _, ok := v[b.Name]; !ok {
			return false
		}
	}
	return true
}

// safeLoad calls src.Load, turning a panic into an error (it may run on a goroutine of
// its own, where a panic would end the process).
func safeLoad(ctx context.Context, src adapter.Source, req adapter.LoadRequest) (v map[string]any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("adapter panicked: %v", r)
		}
	}()
	return src.Load(ctx, req)
}

func (rt *Runtime) send(ctx context.Context, jobID, trafoID string, p *plan, w *Wiring, values map[string]any) (map[string]any, *ExecError) {
	groups := adapterGroups(w.Outputs, func(ow OutputWiring) adapter.ID { return ow.Adapter })
	var direct map[string]any
	if len(groups) > 1 {
		direct = make(map[string]any, len(values))
	}
	for _, g := range groups {
		sink, ok := rt.adapters.Sink(g.id)
		if !ok {
			return nil, adapterError(adapter.UnknownError(g.id), StageSendingData, g.id)
		}
		req := adapter.SendRequest{JobID: jobID, TransformationID: trafoID, Values: make(map[string]any, len(g.wirings)), Bindings: make([]adapter.Binding, 0, len(g.wirings))}
		for _, ow := range g.wirings {
			var t data.Type
			if i := p.output(ow.Name); i >= 0 {
				t = p.outputs[i].typ
			}
			req.Bindings = append(req.Bindings, adapter.Binding{Name: ow.Name, Type: t, RefID: ow.RefID, RefIDType: ow.RefIDType, RefKey: ow.RefKey, External: ow.Type, Filters: ow.Filters})
			req.Values[ow.Name] = values[ow.Name]
		}
		res, err := safeSend(ctx, sink, req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctxError(ctx, StageSendingData)
			}
			return nil, adapterError(err, StageSendingData, g.id)
		}
		if len(groups) == 1 {
			return res, nil
		}
		for k, v := range res {
			direct[k] = v
		}
	}
	return direct, nil
}

// safeSend calls sink.Send, turning a panic into an error.
func safeSend(ctx context.Context, sink adapter.Sink, req adapter.SendRequest) (v map[string]any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("adapter panicked: %v", r)
		}
	}()
	return sink.Send(ctx, req)
}

// outputValue demands a root output; pure plot sources are not run without plots.
func (x *execution) outputValue(o planOutput) (any, *ExecError) {
	src := o.src
	if src.kind == srcNode && !x.plotsOn && (src.plotSkip || x.p.nodes[src.node].purePlot) {
		return data.NewDict(0), nil
	}
	return x.value(src, nil, "")
}

// value evaluates a source on behalf of consumer's port (consumer nil: a root output).
func (x *execution) value(src source, consumer *node, portName string) (any, *ExecError) {
	switch src.kind {
	case srcConst:
		return src.value, nil
	case srcInput:
		return x.inputs[src.input], nil
	case srcNode:
		outs, err := x.node(src.node)
		if err != nil {
			return nil, err
		}
		v, ok := outs[src.output]
		if !ok {
			producer := x.p.nodes[src.node]
			msg := fmt.Sprintf("Declared output '%s' not contained in returned dictionary.", src.output)
			if consumer != nil {
				msg = "Could not obtain output result from another node while preparing to run operator"
			}
			return nil, x.nodeError(producer, &ExecError{Type: "MissingOutputException", Message: msg, Stage: StageExecuting, Location: goLocation("runtime.value")})
		}
		return v, nil
	}
	return nil, nil
}

// node runs node i once (memoised) and returns its outputs.
func (x *execution) node(i int) (component.Outputs, *ExecError) {
	switch x.state[i] {
	case 2:
		return x.results[i], nil
	case 1:
		n := x.p.nodes[i]
		return nil, x.nodeError(n, &ExecError{Type: "CircularDependency", Stage: StageExecuting,
			Message: fmt.Sprintf("Circular Dependency detected at operator %s", hierID(x.root(), n.byID)), Location: goLocation("runtime.node")})
	}
	if x.ctx.Err() != nil {
		return nil, ctxError(x.ctx, StageExecuting)
	}
	x.state[i] = 1
	n := x.p.nodes[i]
	// a node runs once, so its part of x.named is its own (capped: appends stay inside)
	at := len(x.named)
	vals := x.named[at:at:min(at+len(n.ports), cap(x.named))]
	x.named = x.named[:min(at+len(n.ports), cap(x.named))]
	var missing []string
	for _, pt := range n.ports {
		switch {
		case pt.src.kind == srcNone:
			if !pt.optional {
				missing = append(missing, pt.name)
			}
			continue
		case pt.src.kind == srcInput && !x.provided[pt.src.input]:
			in := x.p.inputs[pt.src.input]
			return nil, x.rootError("MissingInputSource", StageExecuting, fmt.Sprintf(
				"The input mapping with workflow input '%s' to subnode input '%s' of subnode '%s' does not match the inputs of the workflow '%s'.",
				in.name, pt.name, hierID(x.root(), n.byID), strings.Join(x.providedNames(), "', '")))
		}
		v, err := x.value(pt.src, n, pt.name)
		if err != nil {
			return nil, err
		}
		vals = append(vals, component.Named{Name: pt.name, Value: v})
	}
	if len(missing) > 0 {
		provided := make([]string, 0, len(vals))
		for _, nv := range vals {
			provided = append(provided, "'"+nv.Name+"'")
		}
		slices.Sort(provided)
		required := make([]string, 0, len(n.ports))
		for _, pt := range n.ports {
			if !pt.optional {
				required = append(required, "'"+pt.name+"'")
			}
		}
		return nil, x.nodeError(n, &ExecError{Type: "MissingInputSource", Stage: StageExecuting, Location: goLocation("runtime.node"),
			Message: fmt.Sprintf("Inputs of computation node are missing. Provided inputs are: {%s}. Required params are: {%s}.", strings.Join(provided, ", "), strings.Join(required, ", "))})
	}
	outs, err := x.call(n, component.InputsOf(n.spec, vals).WithEnv(x.env))
	if err != nil {
		return nil, x.nodeError(n, x.componentError(err))
	}
	if outs == nil {
		outs = component.Outputs{}
	}
	x.results[i], x.state[i] = outs, 2
	return outs, nil
}

func (x *execution) providedNames() []string {
	var names []string
	for i, in := range x.p.inputs {
		if x.provided[i] {
			names = append(names, in.name)
		}
	}
	return names
}

type panicError struct{ v any }

func (p panicError) Error() string { return fmt.Sprintf("component panicked: %v", p.v) }

// call runs component code; a panic becomes an error instead of taking the process down.
func (x *execution) call(n *node, in component.Inputs) (out component.Outputs, err error) {
	ctx := x.ctx
	if x.hook != nil {
		var end func(error)
		ctx, end = x.hook.StartOperator(ctx, x.operator(n))
		defer func() { end(err) }() // after the recovery below has set err
	}
	defer func() {
		if r := recover(); r != nil {
			x.stack = string(debug.Stack())
			out, err = nil, panicError{r}
		}
	}()
	return n.spec.Run(ctx, in)
}

// ctxError reports an execution stopped by its context. The context's cause, when one
// was given (e.g. the execution timeout naming its limit), becomes the message.
func ctxError(ctx context.Context, stage Stage) *ExecError {
	err := ctx.Err()
	cause := context.Cause(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		msg := "Execution timed out: it exceeded the execution time limit."
		if cause != nil && cause != err {
			msg = "Execution timed out: " + cause.Error()
		}
		return &ExecError{Type: "TimeoutError", Message: msg, Stage: stage, Location: goLocation("runtime")}
	}
	msg := "Execution was cancelled."
	if cause != nil && cause != err {
		msg = "Execution was cancelled: " + cause.Error()
	}
	return &ExecError{Type: "CancelledError", Message: msg, Stage: stage, Location: goLocation("runtime"), Cause: ErrCancelled}
}

func (x *execution) componentError(err error) *ExecError {
	if x.ctx.Err() != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || errors.Is(err, context.Cause(x.ctx))) {
		return ctxError(x.ctx, StageExecuting)
	}
	loc := Location{File: "COMPONENT CODE", Function: "main"}
	var ce *component.Error
	if errors.As(err, &ce) {
		return &ExecError{Type: ce.Type, Code: ce.Code, Message: ce.Message, Extra: extraOrNil(ce.Extra), Stage: StageExecuting, Location: loc}
	}
	var pe panicError
	if errors.As(err, &pe) {
		return &ExecError{Type: "RuntimeExecutionError", Message: pe.Error(), Stage: StageExecuting, Location: loc}
	}
	return &ExecError{Type: "RuntimeExecutionError", Message: err.Error(), Stage: StageExecuting, Location: loc}
}

func extraOrNil(d *data.Dict) any {
	if d == nil {
		return nil
	}
	return d
}

// nodeError attaches a component node's operator info.
func (x *execution) nodeError(n *node, e *ExecError) *ExecError {
	if e.OperatorInfo != nil {
		return e
	}
	e.OperatorInfo = &OperatorInfo{
		TrafoID: n.info.id, TrafoName: n.info.name, Tag: n.info.tag, TrafoType: store.TypeComponent,
		ByName: append([]string{x.p.root.name}, n.byName...),
		ByID:   append([]string{""}, n.byID...),
	}
	return e
}

// rootError is a failure attributed to the executed workflow itself.
func (x *execution) rootError(typ string, stage Stage, msg string) *ExecError {
	r := x.p.root
	return &ExecError{Type: typ, Message: msg, Stage: stage, Location: goLocation("runtime"),
		OperatorInfo: &OperatorInfo{TrafoID: r.id, TrafoName: r.name, Tag: r.tag, TrafoType: r.typ, ByName: []string{r.name}, ByID: []string{""}}}
}

// root is the execution's random root node id, made on first use: only errors report it,
// and a random UUID costs a system call.
func (x *execution) root() string {
	if x.rootID == "" {
		x.rootID = uuid.NewString()
	}
	return x.rootID
}

// finish fills the per-execution random ids into a copy of e: the root node id (first
// by_id entry) and the wrapper workflow's id.
func (x *execution) finish(e *ExecError) *ExecError {
	c := *e
	if e.OperatorInfo != nil {
		oi := *e.OperatorInfo
		oi.ByID = append([]string(nil), oi.ByID...)
		if len(oi.ByID) > 0 {
			oi.ByID[0] = x.root()
		}
		if x.p.wrapper && oi.TrafoName == x.p.root.name && oi.TrafoType == store.TypeWorkflow {
			if x.wrapperID == "" {
				x.wrapperID = uuid.NewString()
			}
			oi.TrafoID = x.wrapperID
		}
		c.OperatorInfo = &oi
	}
	return &c
}

func (x *execution) traceback(e *ExecError) string {
	var b strings.Builder
	b.WriteString("Traceback (trafofn native runtime):\n")
	if oi := e.OperatorInfo; oi != nil {
		for i, name := range oi.ByName {
			id := ""
			if i < len(oi.ByID) {
				id = oi.ByID[i]
			}
			fmt.Fprintf(&b, "  in %q (%s)\n", name, id)
		}
	}
	fmt.Fprintf(&b, "%s: %s\n", e.Type, e.Message)
	if x.stack != "" && e.Type == "RuntimeExecutionError" {
		b.WriteString("\n")
		b.WriteString(x.stack)
	}
	return b.String()
}

// hierID renders hetida's hierarchical operator id \root\op\…\.
func hierID(root string, byID []string) string {
	return `\` + root + `\` + strings.Join(byID, `\`) + `\`
}

func goLocation(fn string) Location { return Location{File: "trafofn", Function: fn} }
