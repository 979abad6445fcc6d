package runtime

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/store"
	"github.com/trafofn/trafofn/runtime/wire"
)

// A plan is a transformation revision compiled for execution: nested workflows are
// flattened into one list of component nodes (in the depth-first order of the operators
// lists, the order of hetida's final "run everything" pass) whose input ports point
// directly at their sources. Plans depend only on the revision, so they are built once
// and shared by all executions.
type plan struct {
	root    trafoInfo // the executed workflow (the wrapper for a component)
	wrapper bool      // a component executed through the wrapper workflow
	inputs  []planInput
	outputs []planOutput
	// outputTypes is every response's output_types_by_output_name (shared, read-only)
	outputTypes []NamedType
	nodes       []*node
	ports       int // of all nodes
	// err is a failure that every execution reports at stage PARSING_WORKFLOW
	// (a component without native implementation, an unparsable constant or default).
	err *ExecError
}

type trafoInfo struct{ id, name, tag, typ string }

type planInput struct {
	name     string
	typ      data.Type
	optional bool
	def      any // parsed default (optional inputs)
}

type planOutput struct {
	name string
	typ  data.Type
	src  source
}

type node struct {
	idx      int
	spec     *component.Spec
	info     trafoInfo // the component revision
	byName   []string  // operator path below the root
	byID     []string
	ports    []port
	purePlot bool
}

type port struct {
	name     string
	optional bool
	src      source
}

type srcKind uint8

const (
	srcNone  srcKind = iota
	srcNode          // output of a node
	srcInput         // a root workflow input
	srcConst         // a constant, a nested workflow's default, a component's default
)

type source struct {
	kind   srcKind
	node   int
	output string
	input  int
	value  any
	// plotSkip marks sources reached through a pure-plot nested workflow output.
	plotSkip bool
}

// level is one workflow of the tree while compiling.
type level struct {
	info     trafoInfo
	wf       *store.Workflow
	parent   *level
	op       *store.Operator // this nested workflow's operator in parent
	byName   []string        // hierarchy path to this level, root first
	byID     []string
	ops      map[string]*opEntry
	purePlot bool
	revID    string
}

type opEntry struct {
	op    *store.Operator
	node  *node
	child *level
}

type compiler struct {
	rt   *Runtime
	p    *plan
	root *level
}

func revInfo(r *store.Revision) trafoInfo {
	return trafoInfo{id: r.ID, name: r.Name, tag: r.VersionTag, typ: r.Type}
}

// wrapperOperatorID is the operator id of a component inside its wrapper workflow:
// stable per component (hetida draws a random one) so that repeated executions give
// identical error hierarchies apart from the root node id.
func wrapperOperatorID(componentID string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("trafofn:wrapper-operator:"+componentID)).String()
}

// planFor returns the revision's plan, compiled on first use.
func (rt *Runtime) planFor(rev *store.Revision) *plan {
	if p, ok := rt.plans.Load(rev.ID); ok {
		return p.(*plan)
	}
	c := rt.compile(rev)
	for _, n := range c.nodes {
		c.ports += len(n.ports)
	}
	c.outputTypes = make([]NamedType, len(c.outputs))
	for i, o := range c.outputs {
		c.outputTypes[i] = NamedType{Name: o.name, Type: o.typ}
	}
	p, _ := rt.plans.LoadOrStore(rev.ID, c)
	return p.(*plan)
}

// validate checks the wiring against the plan's interface (hetida-contract §1.6) and
// returns the effective wiring with implicit direct-provisioning output wirings appended.
func (p *plan) validate(w *Wiring) (*Wiring, string) {
	wired := func(name string) bool {
		for _, iw := range w.Inputs {
			if iw.Name == name {
				return true
			}
		}
		return false
	}
	for _, in := range p.inputs {
		if !in.optional && !wired(in.name) {
			return nil, fmt.Sprintf("Wiring Incomplete: Workflow Input '%s' has no wiring!", in.name)
		}
	}
	for _, iw := range w.Inputs {
		if p.input(iw.Name) < 0 {
			return nil, fmt.Sprintf("Wiring does not match: There is no workflow input '%s'!", iw.Name)
		}
	}
	wiredOut := func(name string) bool {
		for _, ow := range w.Outputs {
			if ow.Name == name {
				return true
			}
		}
		return false
	}
	eff := w // when every output is wired, as in most requests
	for _, o := range p.outputs {
		if wiredOut(o.name) {
			continue
		}
		if eff == w {
			eff = &Wiring{Inputs: w.Inputs, Dashboard: w.Dashboard, Outputs: make([]OutputWiring, 0, len(w.Outputs)+len(p.outputs))}
			eff.Outputs = append(eff.Outputs, w.Outputs...)
		}
		eff.Outputs = append(eff.Outputs, OutputWiring{Name: o.name, Adapter: adapter.IntID(1)})
	}
	for _, ow := range eff.Outputs {
		if p.output(ow.Name) < 0 {
			return nil, fmt.Sprintf("Wiring does not match: There is no workflow output '%s'!", ow.Name)
		}
	}
	return eff, ""
}

// input returns the position of the named workflow input, or -1.
func (p *plan) input(name string) int {
	for i, in := range p.inputs {
		if in.name == name {
			return i
		}
	}
	return -1
}

// output returns the position of the named workflow output, or -1.
func (p *plan) output(name string) int {
	for i, o := range p.outputs {
		if o.name == name {
			return i
		}
	}
	return -1
}

// compile builds the plan of a revision. The interface (inputs with parsed defaults,
// outputs) is always filled in, so that wiring validation and output types work even
// when the body cannot be compiled; such a plan carries err instead of nodes.
func (rt *Runtime) compile(rev *store.Revision) *plan {
	p := &plan{root: revInfo(rev), wrapper: rev.Type == store.TypeComponent}
	if p.wrapper {
		p.root = trafoInfo{name: "COMPONENT EXECUTION WRAPPER WORKFLOW", tag: rev.VersionTag, typ: store.TypeWorkflow}
	}
	root := &level{info: p.root, wf: rev.Workflow, byName: []string{p.root.name}, byID: []string{""}, revID: rev.ID}
	for _, in := range rev.Inputs {
		pi := planInput{name: in.Name, typ: in.Type, optional: in.Optional}
		if in.Optional {
			v, err := wire.Parse(in.Type, in.Default, true)
			if err != nil && p.err == nil {
				p.err = defaultsError(root, err)
			}
			pi.def = v
		}
		p.inputs = append(p.inputs, pi)
	}
	for _, out := range rev.Outputs {
		p.outputs = append(p.outputs, planOutput{name: out.Name, typ: out.Type, src: source{kind: srcNone}})
	}
	if p.err != nil {
		return p
	}
	if p.wrapper {
		rt.compileComponent(rev, p)
		return p
	}
	c := &compiler{rt: rt, p: p, root: root}
	if err := c.build(root, map[string]bool{rev.ID: true}); err != nil {
		p.err = err
		return p
	}
	if err := c.resolve(root); err != nil {
		p.err = err
		return p
	}
	i := 0
	for _, out := range rev.Workflow.Outputs {
		if out.Name == "" {
			continue
		}
		src, err := c.outputSource(root, out.OperatorID, connectorName(root, out.OperatorID, out.ConnectorID, out.ConnectorName, false))
		if err != nil {
			p.err = err
			return p
		}
		p.outputs[i].src = src
		i++
	}
	return p
}

// compileComponent builds the wrapper workflow hetida puts around a directly executed
// component: one operator, a workflow input per component input (same name, type and
// default) and a workflow output per output.
func (rt *Runtime) compileComponent(rev *store.Revision, p *plan) {
	opID := wrapperOperatorID(rev.ID)
	spec, ok := rt.components.Get(rev.ID)
	if !ok {
		p.err = notImplemented(rev.Name, rev.ID, revInfo(rev), []string{p.root.name, rev.Name}, []string{"", opID})
		return
	}
	n := &node{spec: spec, info: revInfo(rev), byName: []string{rev.Name}, byID: []string{opID}, purePlot: spec.PurePlot()}
	p.nodes = []*node{n}
	for _, sp := range spec.In {
		pt := port{name: sp.Name, optional: sp.Optional, src: source{kind: srcNone}}
		for i, in := range p.inputs {
			if in.name == sp.Name {
				pt.src = source{kind: srcInput, input: i}
			}
		}
		if pt.src.kind == srcNone && sp.Optional {
			if v, err := wire.Parse(sp.Type, sp.Default, true); err == nil {
				pt.src = source{kind: srcConst, value: v}
			}
		}
		n.ports = append(n.ports, pt)
	}
	for i := range p.outputs {
		p.outputs[i].src = source{kind: srcNode, node: 0, output: p.outputs[i].name}
	}
}

func notImplemented(name, id string, info trafoInfo, byName, byID []string) *ExecError {
	return &ExecError{
		Type:         "ComponentNotImplemented",
		Message:      fmt.Sprintf("Component %q (revision id %s) has no native implementation in trafofn.", name, id),
		Stage:        StageParsingWorkflow,
		OperatorInfo: &OperatorInfo{TrafoID: info.id, TrafoName: info.name, Tag: info.tag, TrafoType: store.TypeComponent, ByName: byName, ByID: byID},
		Location:     Location{File: "trafofn/runtime/plan.go", Function: "compile"},
	}
}

func levelError(l *level, typ, msg string) *ExecError {
	return &ExecError{
		Type: typ, Message: msg, Stage: StageParsingWorkflow,
		OperatorInfo: &OperatorInfo{TrafoID: l.info.id, TrafoName: l.info.name, Tag: l.info.tag, TrafoType: l.info.typ,
			ByName: append([]string(nil), l.byName...), ByID: append([]string(nil), l.byID...)},
		Location: Location{File: "trafofn/runtime/plan.go", Function: "compile"},
	}
}

func defaultsError(l *level, err error) *ExecError {
	e := levelError(l, "WorkflowInputDataValidationError", "Some default values could not be parsed into the respective workflow input datatypes.")
	e.Extra = detailDict(err)
	return e
}

func detailDict(err error) *data.Dict {
	d := data.NewDict(1)
	d.Set("detail", err.Error())
	return d
}

// build creates the levels and nodes of a workflow tree in depth-first operator order.
func (c *compiler) build(l *level, ancestors map[string]bool) *ExecError {
	l.ops = make(map[string]*opEntry, len(l.wf.Operators))
	for i := range l.wf.Operators {
		op := &l.wf.Operators[i]
		e := &opEntry{op: op}
		l.ops[op.ID] = e
		byName := append(append([]string(nil), l.byName[1:]...), op.Name)
		byID := append(append([]string(nil), l.byID[1:]...), op.ID)
		switch op.Type {
		case store.TypeComponent:
			spec, ok := c.rt.components.Get(op.TransformationID)
			info := trafoInfo{id: op.TransformationID, name: op.Name, tag: op.VersionTag, typ: store.TypeComponent}
			if rev, found := c.rt.store.Get(op.TransformationID); found {
				info = revInfo(rev)
			}
			if !ok {
				return notImplemented(info.name, op.TransformationID, info, append([]string{c.root.byName[0]}, byName...), append([]string{""}, byID...))
			}
			n := &node{idx: len(c.p.nodes), spec: spec, info: info, byName: byName, byID: byID, purePlot: spec.PurePlot()}
			c.p.nodes = append(c.p.nodes, n)
			e.node = n
		case store.TypeWorkflow:
			rev, ok := c.rt.store.Get(op.TransformationID)
			if !ok || rev.Workflow == nil {
				return levelError(l, "ComponentRevisionDoesNotExist", fmt.Sprintf("Workflow revision %s used by operator %q does not exist.", op.TransformationID, op.Name))
			}
			if ancestors[rev.ID] {
				return levelError(l, "CircularDependency", fmt.Sprintf("Workflow %q (%s) contains itself.", rev.Name, rev.ID))
			}
			child := &level{
				info: revInfo(rev), wf: rev.Workflow, parent: l, op: op, revID: rev.ID,
				byName: append(append([]string(nil), l.byName...), op.Name),
				byID:   append(append([]string(nil), l.byID...), op.ID),
			}
			named := 0
			plots := 0
			for _, out := range rev.Workflow.Outputs {
				if out.Name != "" {
					named++
					if out.Type == data.TypePlotlyJSON {
						plots++
					}
				}
			}
			child.purePlot = named > 0 && plots == named
			ancestors[rev.ID] = true
			if err := c.build(child, ancestors); err != nil {
				return err
			}
			delete(ancestors, rev.ID)
			e.child = child
		}
	}
	return nil
}

// resolve points every node port of a level (and its children) at its source.
func (c *compiler) resolve(l *level) *ExecError {
	for i := range l.wf.Operators {
		op := &l.wf.Operators[i]
		e := l.ops[op.ID]
		if e.child != nil {
			if err := c.resolve(e.child); err != nil {
				return err
			}
			continue
		}
		n := e.node
		for _, sp := range n.spec.In {
			src, err := c.inputSource(l, op.ID, sp.Name)
			if err != nil {
				return err
			}
			if src.kind == srcNone && sp.Optional {
				v, perr := wire.Parse(sp.Type, sp.Default, true)
				if perr != nil {
					return levelError(l, "WorkflowInputDataValidationError", fmt.Sprintf("Default of input %q of component %q could not be parsed: %v", sp.Name, n.spec.Name, perr))
				}
				src = source{kind: srcConst, value: v}
			}
			n.ports = append(n.ports, port{name: sp.Name, optional: sp.Optional, src: src})
		}
	}
	return nil
}

// connectorName maps a connector id of an operator to its name (falling back to name).
func connectorName(l *level, opID, connID, name string, input bool) string {
	e := l.ops[opID]
	if e == nil || connID == "" {
		return name
	}
	list := e.op.Outputs
	if input {
		list = e.op.Inputs
	}
	for _, io := range list {
		if io.ID == connID && io.Name != "" {
			return io.Name
		}
	}
	return name
}

// inputSource finds what feeds input portName of operator opID in level l: an inner
// link, a constant, or a workflow input (recursively resolved through the parents).
func (c *compiler) inputSource(l *level, opID, portName string) (source, *ExecError) {
	for _, lk := range l.wf.Links {
		if lk.EndOperator != opID || lk.StartOperator == "" {
			continue
		}
		if connectorName(l, opID, lk.EndConnectorID, lk.EndConnectorName, true) != portName {
			continue
		}
		return c.outputSource(l, lk.StartOperator, connectorName(l, lk.StartOperator, lk.StartConnectorID, lk.StartConnectorName, false))
	}
	for _, k := range l.wf.Constants {
		if k.OperatorID != opID || connectorName(l, opID, k.ConnectorID, k.ConnectorName, true) != portName {
			continue
		}
		v, err := wire.Parse(k.Type, k.Value, false)
		if err != nil {
			e := levelError(l, "WorkflowInputDataValidationError", "Some constant values could not be parsed into the respective workflow input datatypes.")
			e.Extra = detailDict(err)
			return source{}, e
		}
		return source{kind: srcConst, value: v}, nil
	}
	for i := range l.wf.Inputs {
		in := &l.wf.Inputs[i]
		if in.OperatorID != opID || connectorName(l, opID, in.ConnectorID, in.ConnectorName, true) != portName {
			continue
		}
		if in.Name == "" {
			return source{kind: srcNone}, nil
		}
		if l.parent == nil {
			for j, pi := range c.p.inputs {
				if pi.name == in.Name {
					return source{kind: srcInput, input: j}, nil
				}
			}
			return source{kind: srcNone}, nil
		}
		src, err := c.inputSource(l.parent, l.op.ID, in.Name)
		if err != nil || src.kind != srcNone {
			return src, err
		}
		if in.Optional {
			v, perr := wire.Parse(in.Type, in.Default, true)
			if perr != nil {
				return source{}, defaultsError(l, perr)
			}
			return source{kind: srcConst, value: v}, nil
		}
		return source{kind: srcNone}, nil
	}
	return source{kind: srcNone}, nil
}

// outputSource follows an operator output to the component node producing it.
func (c *compiler) outputSource(l *level, opID, outName string) (source, *ExecError) {
	e := l.ops[opID]
	if e == nil {
		return source{kind: srcNone}, nil
	}
	if e.node != nil {
		return source{kind: srcNode, node: e.node.idx, output: outName}, nil
	}
	child := e.child
	for _, out := range child.wf.Outputs {
		if out.Name != outName {
			continue
		}
		src, err := c.outputSource(child, out.OperatorID, connectorName(child, out.OperatorID, out.ConnectorID, out.ConnectorName, false))
		if err != nil {
			return src, err
		}
		src.plotSkip = src.plotSkip || child.purePlot
		return src, nil
	}
	return source{kind: srcNone}, nil
}
