package runtime_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/uuid"

	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/library"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Hand-written workflows for the engine tests. They are rendered in hetida's export format
// into a temporary TRANSFORMATIONS_DIR; connector ids are derived from operator id and
// connector name, so tests only ever name connectors.

// hetida revision ids of the native components the tests use
const (
	passFloatID   = "2f511674-f766-748d-2de3-ad5e62e10a1a"
	passSeriesID  = "bfa27afc-dea8-b8aa-4b15-94402f0739b6"
	passFrameID   = "7a1a818f-fa89-6062-1e0e-fc80539bbe0a"
	nameSeriesID  = "a4064897-66d3-9601-328e-5ae9036665c5"
	sumSeriesID   = "878d85a2-2cf5-235b-d260-fd94c734cec9"
	averageID     = "bbf3e562-439a-9662-616f-969bf79d57a2"
	singlePlotID  = "8fba9b51-a0f1-6c6c-a6d4-e224103b819c"
	volatilityID  = "79ce1eb1-3ef8-4c74-9114-c856fd88dc89"
	wrapperName   = "COMPONENT EXECUTION WRAPPER WORKFLOW"
	fixedJobID    = "00000000-0000-4000-8000-000000000001"
	floatT        = data.TypeFloat
	seriesT       = data.TypeSeries
	anyT          = data.TypeAny
	plotT         = data.TypePlotlyJSON
	stringT       = data.TypeString
	intT          = data.TypeInt
	frameT        = data.TypeDataFrame
	released2022  = "2022-01-01T00:00:00+00:00"
	componentsTag = "1.0.0"
)

type doc = map[string]any

// id derives a stable UUID from a readable name.
func id(name string) string {
	return uuid.NewSHA1(uuid.NameSpaceOID, []byte("trafofn-test:"+name)).String()
}

type conn struct {
	name     string
	typ      data.Type
	optional bool
	def      any
	hidden   bool // an optional operator input that is not exposed
}

type opDef struct {
	id, name, trafo, kind string // kind COMPONENT or WORKFLOW
	ins, outs             []conn
}

type linkDef struct{ from, fromConn, to, toConn string }

type inDef struct {
	name     string
	typ      data.Type
	op, conn string
	optional bool
	def      any
}

type outDef struct {
	name     string
	typ      data.Type
	op, conn string
}

type constDef struct {
	typ      data.Type
	op, conn string
	value    any
}

type wfDef struct {
	id, group, name, state, released string
	ops                              []opDef
	links                            []linkDef
	consts                           []constDef
	ins                              []inDef
	outs                             []outDef
	testWiring                       any
	disabled                         string
}

func connID(opID, dir, name string) string { return id(opID + "/" + dir + "/" + name) }

func pos() doc { return doc{"x": 0, "y": 0} }

func (w wfDef) doc() doc {
	if w.group == "" {
		w.group = id(w.name + "/group")
	}
	if w.state == "" {
		w.state = "RELEASED"
	}
	if w.state == "RELEASED" && w.released == "" {
		w.released = released2022
	}
	var ops, links, consts, ins, outs []any
	opIndex := map[string]opDef{}
	for _, o := range w.ops {
		opIndex[o.id] = o
		var oi, oo []any
		for _, c := range o.ins {
			x := doc{"id": connID(o.id, "in", c.name), "name": c.name, "data_type": c.typ, "position": pos(), "type": "REQUIRED", "exposed": !c.hidden}
			if c.optional {
				x["type"], x["value"] = "OPTIONAL", c.def
			}
			oi = append(oi, x)
		}
		for _, c := range o.outs {
			oo = append(oo, doc{"id": connID(o.id, "out", c.name), "name": c.name, "data_type": c.typ, "position": pos()})
		}
		ops = append(ops, doc{"id": o.id, "revision_group_id": o.trafo, "name": o.name, "type": o.kind, "state": "RELEASED",
			"version_tag": componentsTag, "transformation_id": o.trafo, "inputs": oi, "outputs": oo, "position": pos()})
	}
	for i, l := range w.links {
		links = append(links, doc{"id": id(w.name + "/link/" + string(rune('a'+i))), "path": []any{},
			"start": doc{"operator": l.from, "connector": doc{"id": connID(l.from, "out", l.fromConn), "name": l.fromConn, "data_type": "ANY", "position": pos()}},
			"end":   doc{"operator": l.to, "connector": doc{"id": connID(l.to, "in", l.toConn), "name": l.toConn, "data_type": "ANY", "position": pos()}}})
	}
	for i, c := range w.consts {
		consts = append(consts, doc{"id": id(w.name + "/const/" + string(rune('a'+i))), "name": "", "data_type": c.typ, "position": pos(),
			"operator_id": c.op, "connector_id": connID(c.op, "in", c.conn), "operator_name": opIndex[c.op].name, "connector_name": c.conn, "value": c.value})
	}
	var ioIns, ioOuts []any
	for _, in := range w.ins {
		x := doc{"id": id(w.name + "/input/" + in.name), "name": in.name, "data_type": in.typ, "position": pos(), "operator_id": in.op,
			"connector_id": connID(in.op, "in", in.conn), "operator_name": opIndex[in.op].name, "connector_name": in.conn, "type": "REQUIRED"}
		io := doc{"id": x["id"], "name": in.name, "data_type": in.typ, "type": "REQUIRED"}
		if in.optional {
			x["type"], x["value"] = "OPTIONAL", in.def
			io["type"], io["value"] = "OPTIONAL", in.def
		}
		ins = append(ins, x)
		ioIns = append(ioIns, io)
	}
	for _, out := range w.outs {
		x := doc{"id": id(w.name + "/output/" + out.name), "name": out.name, "data_type": out.typ, "position": pos(), "operator_id": out.op,
			"connector_id": connID(out.op, "out", out.conn), "operator_name": opIndex[out.op].name, "connector_name": out.conn}
		outs = append(outs, x)
		ioOuts = append(ioOuts, doc{"id": x["id"], "name": out.name, "data_type": out.typ})
	}
	d := doc{
		"id": w.id, "revision_group_id": w.group, "name": w.name, "description": "engine test", "category": "Test",
		"version_tag": "1.0.0", "state": w.state, "type": "WORKFLOW",
		"content":      doc{"operators": orEmpty(ops), "links": orEmpty(links), "constants": orEmpty(consts), "inputs": orEmpty(ins), "outputs": orEmpty(outs)},
		"io_interface": doc{"inputs": orEmpty(ioIns), "outputs": orEmpty(ioOuts)},
		"test_wiring":  w.testWiring,
	}
	if w.testWiring == nil {
		d["test_wiring"] = doc{"input_wirings": []any{}, "output_wirings": []any{}}
	}
	if w.released != "" {
		d["released_timestamp"] = w.released
	}
	if w.disabled != "" {
		d["disabled_timestamp"] = w.disabled
	}
	return d
}

func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

// Operators of native components.
func passFloatOp(opID, name string) opDef {
	return opDef{id: opID, name: name, trafo: passFloatID, kind: "COMPONENT", ins: []conn{{name: "input", typ: floatT}}, outs: []conn{{name: "output", typ: floatT}}}
}

func passSeriesOp(opID, name string) opDef {
	return opDef{id: opID, name: name, trafo: passSeriesID, kind: "COMPONENT", ins: []conn{{name: "input", typ: seriesT}}, outs: []conn{{name: "output", typ: seriesT}}}
}

func averageOp(opID, name string) opDef {
	return opDef{id: opID, name: name, trafo: averageID, kind: "COMPONENT", ins: []conn{{name: "data", typ: anyT}}, outs: []conn{{name: "average", typ: anyT}}}
}

func plotOp(opID, name string) opDef {
	return opDef{id: opID, name: name, trafo: singlePlotID, kind: "COMPONENT", ins: []conn{{name: "series", typ: seriesT}}, outs: []conn{{name: "plot", typ: plotT}}}
}

// nestedOp is an operator running workflow w.
func nestedOp(opID, name string, w wfDef) opDef {
	o := opDef{id: opID, name: name, trafo: w.id, kind: "WORKFLOW"}
	for _, in := range w.ins {
		o.ins = append(o.ins, conn{name: in.name, typ: in.typ, optional: in.optional, def: in.def})
	}
	for _, out := range w.outs {
		o.outs = append(o.outs, conn{name: out.name, typ: out.typ})
	}
	return o
}

// componentOp is an operator of a test component.
func componentOp(opID, name string, spec component.Spec) opDef {
	o := opDef{id: opID, name: name, trafo: spec.ID, kind: "COMPONENT"}
	for _, p := range spec.In {
		o.ins = append(o.ins, conn{name: p.Name, typ: p.Type, optional: p.Optional, def: p.Default, hidden: p.Optional})
	}
	for _, p := range spec.Out {
		o.outs = append(o.outs, conn{name: p.Name, typ: p.Type})
	}
	return o
}

var quiet = slog.New(slog.DiscardHandler)

// newRuntime writes the workflows into a fresh TRANSFORMATIONS_DIR and builds a runtime
// with the native library plus the given test components.
func newRuntime(t *testing.T, extra []component.Spec, wfs ...wfDef) *runtime.Runtime {
	t.Helper()
	dir := t.TempDir()
	for _, w := range wfs {
		b, err := json.MarshalIndent(w.doc(), "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, w.id+".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tables := library.Specs()
	if len(extra) > 0 {
		tables = append(tables, extra)
	}
	rt, err := runtime.New(runtime.Options{Components: component.NewRegistry(tables...), TransformationsDirs: []string{dir}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return rt
}

// direct is a direct-provisioning input wiring with a value.
func direct(name, value string) doc {
	return doc{"workflow_input_name": name, "adapter_id": "direct_provisioning", "filters": doc{"value": value}}
}

// request is an ExecByIdInput with the given input wirings and a fixed job id.
func request(trafoID string, plots bool, ins ...doc) doc {
	return doc{"id": trafoID, "wiring": doc{"input_wirings": orEmptyDocs(ins), "output_wirings": []any{}}, "run_pure_plot_operators": plots, "job_id": fixedJobID}
}

func orEmptyDocs(l []doc) []any {
	out := []any{}
	for _, d := range l {
		out = append(out, d)
	}
	return out
}

func body(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// run decodes and executes a request that hetida would accept.
func run(t *testing.T, rt *runtime.Runtime, req doc) *runtime.Response {
	t.Helper()
	return runCtx(t, context.Background(), rt, req)
}

func runCtx(t *testing.T, ctx context.Context, rt *runtime.Runtime, req doc) *runtime.Response {
	t.Helper()
	mode := runtime.ByID
	if _, ok := req["id"]; !ok {
		mode = runtime.LatestByGroup
	}
	r, err := rt.DecodeRequest(body(t, req), mode)
	if err != nil {
		t.Fatalf("DecodeRequest: %v", err)
	}
	resp, err := rt.Execute(ctx, r)
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	return resp
}

// decoded is the response as JSON (the bytes hetida's clients see), decoded in order.
func decoded(t *testing.T, resp *runtime.Response) *data.Dict {
	t.Helper()
	v, err := wire.Decode(resp.JSON())
	if err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, resp.JSON())
	}
	return v.(*data.Dict)
}

// path walks a decoded JSON value: keys for objects, ints for arrays.
func path(v any, steps ...any) any {
	for _, s := range steps {
		switch k := s.(type) {
		case string:
			d, ok := v.(*data.Dict)
			if !ok {
				return nil
			}
			v, _ = d.Get(k)
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// ok checks a successful response and returns its outputs as decoded JSON.
func ok(t *testing.T, resp *runtime.Response) *data.Dict {
	t.Helper()
	if resp.Result != runtime.ResultOK || resp.Error != nil {
		t.Fatalf("result %s, error %+v\n%s", resp.Result, resp.Error, resp.JSON())
	}
	return path(decoded(t, resp), "output_results_by_output_name").(*data.Dict)
}

// failure checks a failed response and returns its error.
func failure(t *testing.T, resp *runtime.Response, stage runtime.Stage, typ string) *runtime.ExecError {
	t.Helper()
	if resp.Result != runtime.ResultFailure || resp.Error == nil {
		t.Fatalf("result %s; want failure\n%s", resp.Result, resp.JSON())
	}
	if resp.Error.Stage != stage || resp.Error.Type != typ {
		t.Fatalf("error %s at %s (%s); want %s at %s", resp.Error.Type, resp.Error.Stage, resp.Error.Message, typ, stage)
	}
	if len(resp.Outputs) != 0 || resp.Traceback == nil {
		t.Fatalf("failure with outputs %v / traceback %v", resp.Outputs, resp.Traceback)
	}
	return resp.Error
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// checkOperator compares operator_info with the expected transformation and hierarchy;
// the root's by_id entry is random per execution and checked to be a UUID.
func checkOperator(t *testing.T, e *runtime.ExecError, trafoID, trafoName, tag, typ string, byName []string, byIDTail []string) {
	t.Helper()
	oi := e.OperatorInfo
	if oi == nil {
		t.Fatalf("operator_info is null for %s: %s", e.Type, e.Message)
	}
	if trafoID != "" && oi.TrafoID != trafoID {
		t.Errorf("transformation_info.id = %s; want %s", oi.TrafoID, trafoID)
	}
	if oi.TrafoName != trafoName || oi.Tag != tag || oi.TrafoType != typ {
		t.Errorf("transformation_info = {%s %s %s}; want {%s %s %s}", oi.TrafoName, oi.Tag, oi.TrafoType, trafoName, tag, typ)
	}
	if !equalStrings(oi.ByName, byName) {
		t.Errorf("by_name = %q; want %q", oi.ByName, byName)
	}
	if len(oi.ByID) != len(byIDTail)+1 || !uuidRE.MatchString(oi.ByID[0]) || !equalStrings(oi.ByID[1:], byIDTail) {
		t.Errorf("by_id = %q; want [<random uuid> %q]", oi.ByID, byIDTail)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func wireAppend(v any) ([]byte, error) { return wire.AppendValue(nil, v) }

// exposeAll exposes every input of an operator.
func exposeAll(o opDef) opDef {
	ins := append([]conn(nil), o.ins...)
	for i := range ins {
		ins[i].hidden = false
	}
	o.ins = ins
	return o
}
