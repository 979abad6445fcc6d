package runtime

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
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
	rootID    string
	wrapperID string
	stack     string // Go stack of a recovered panic, for the traceback
	env       *component.Env
	hook      OperatorHook
}

// run fills resp with the outcome of executing plan p under wiring w.
func (rt *Runtime) run(ctx context.Context, req Request, p *plan, w *Wiring, resp *Response) {
	x := &execution{
		ctx: ctx, p: p, plotsOn: req.RunPurePlotOperators, rootID: uuid.NewString(), env: rt.env, hook: rt.hook,
		inputs: make([]any, len(p.inputs)), provided: make([]bool, len(p.inputs)),
		results: make([]component.Outputs, len(p.nodes)), state: make([]uint8, len(p.nodes)),
	}
	if p.wrapper {
		x.wrapperID = uuid.NewString()
	}
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
	direct, sendErr := rt.send(ctx, req.JobID, p, w, values)
	if sendErr != nil {
		fail(sendErr)
		return
	}
	sendEnd := time.Now()

	// ENCODING_RESULTS_TO_JSON
	for _, ow := range w.Outputs {
		v, ok := direct[ow.Name]
		if !ok {
			continue
		}
		b, err := wire.AppendValue(nil, v)
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
	resp.Steps.RuntimeService = &Step{Name: "RUNTIME_SERVICE", Start: svcStart, End: end}
	resp.Steps.PureExecution = &Step{Name: "EXECUTING_COMPONENT_CODE", Start: execStart, End: execEnd}
	resp.Steps.LoadData = &Step{Name: "LOADING_DATA_FROM_ADAPTERS", Start: loadStart, End: loadEnd}
	resp.Steps.SendData = &Step{Name: "SENDING_DATA_TO_ADAPTERS", Start: execEnd, End: sendEnd}
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

func adapterError(err error, stage Stage) *ExecError {
	var ae *adapter.Error
	if errors.As(err, &ae) {
		return &ExecError{Type: ae.Type, Message: ae.Message, Stage: stage, Location: goLocation("adapter")}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &ExecError{Type: "AdapterConnectionError", Message: err.Error(), Stage: stage, Location: goLocation("adapter")}
	}
	return &ExecError{Type: "AdapterHandlingException", Message: err.Error(), Stage: stage, Location: goLocation("adapter")}
}

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
	out := make(map[string]any, len(ws))
	for _, g := range adapterGroups(ws, func(iw InputWiring) adapter.ID { return iw.Adapter }) {
		src, ok := rt.adapters.Source(g.id)
		if !ok {
			return nil, adapterError(adapter.UnknownError(g.id), StageLoadingData)
		}
		req := adapter.LoadRequest{JobID: jobID, Bindings: make([]adapter.Binding, 0, len(g.wirings))}
		for _, iw := range g.wirings {
			var t data.Type
			if i := p.input(iw.Name); i >= 0 {
				t = p.inputs[i].typ
			}
			req.Bindings = append(req.Bindings, adapter.Binding{Name: iw.Name, Type: t, RefID: iw.RefID, RefIDType: iw.RefIDType, RefKey: iw.RefKey, External: iw.Type, Filters: iw.Filters})
		}
		vals, err := src.Load(ctx, req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctxError(ctx, StageLoadingData)
			}
			return nil, adapterError(err, StageLoadingData)
		}
		for _, b := range req.Bindings {
			if v, ok := vals[b.Name]; ok {
				out[b.Name] = v
			}
		}
	}
	return out, nil
}

func (rt *Runtime) send(ctx context.Context, jobID string, p *plan, w *Wiring, values map[string]any) (map[string]any, *ExecError) {
	direct := make(map[string]any, len(values))
	for _, g := range adapterGroups(w.Outputs, func(ow OutputWiring) adapter.ID { return ow.Adapter }) {
		sink, ok := rt.adapters.Sink(g.id)
		if !ok {
			return nil, adapterError(adapter.UnknownError(g.id), StageSendingData)
		}
		req := adapter.SendRequest{JobID: jobID, Values: make(map[string]any, len(g.wirings)), Bindings: make([]adapter.Binding, 0, len(g.wirings))}
		for _, ow := range g.wirings {
			var t data.Type
			if i := p.output(ow.Name); i >= 0 {
				t = p.outputs[i].typ
			}
			req.Bindings = append(req.Bindings, adapter.Binding{Name: ow.Name, Type: t, RefID: ow.RefID, RefIDType: ow.RefIDType, RefKey: ow.RefKey, External: ow.Type, Filters: ow.Filters})
			req.Values[ow.Name] = values[ow.Name]
		}
		res, err := sink.Send(ctx, req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctxError(ctx, StageSendingData)
			}
			return nil, adapterError(err, StageSendingData)
		}
		for k, v := range res {
			direct[k] = v
		}
	}
	return direct, nil
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
			Message: fmt.Sprintf("Circular Dependency detected at operator %s", hierID(x.rootID, n.byID)), Location: goLocation("runtime.node")})
	}
	if x.ctx.Err() != nil {
		return nil, ctxError(x.ctx, StageExecuting)
	}
	x.state[i] = 1
	n := x.p.nodes[i]
	vals := make([]component.Named, 0, len(n.ports))
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
				in.name, pt.name, hierID(x.rootID, n.byID), strings.Join(x.providedNames(), "', '")))
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

// finish fills the per-execution random ids into a copy of e: the root node id (first
// by_id entry) and the wrapper workflow's id.
func (x *execution) finish(e *ExecError) *ExecError {
	c := *e
	if e.OperatorInfo != nil {
		oi := *e.OperatorInfo
		oi.ByID = append([]string(nil), oi.ByID...)
		if len(oi.ByID) > 0 {
			oi.ByID[0] = x.rootID
		}
		if x.p.wrapper && oi.TrafoName == x.p.root.name && oi.TrafoType == store.TypeWorkflow {
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
