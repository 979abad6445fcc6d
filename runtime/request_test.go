package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/trafofn/trafofn/runtime"
)

func TestNullWiringUsesTestWiring(t *testing.T) {
	w := singlePass("Stored Wiring")
	w.testWiring = doc{"input_wirings": []any{direct("x", "4.25")}, "output_wirings": []any{}}
	broken := singlePass("Broken Stored Wiring")
	broken.testWiring = doc{"input_wirings": []any{}, "output_wirings": []any{}}
	rt := newRuntime(t, nil, w, broken)

	withNull := doc{"id": w.id, "wiring": nil, "job_id": fixedJobID}
	withoutKey := doc{"id": w.id, "job_id": fixedJobID}
	for _, req := range []doc{withNull, withoutKey} {
		if y, _ := ok(t, run(t, rt, req)).Get("y"); y != 4.25 {
			t.Errorf("%v: y = %#v; want the test wiring's 4.25", req, y)
		}
	}
	// an explicit wiring replaces the test wiring
	if y, _ := ok(t, run(t, rt, request(w.id, false, direct("x", "1")))).Get("y"); y != 1.0 {
		t.Errorf("explicit wiring: y = %#v", y)
	}
	// a stored wiring that does not fit the interface is a wiring error
	_, err := rt.Execute(context.Background(), mustDecode(t, rt, doc{"id": broken.id}))
	var we *runtime.WiringError
	if !errors.As(err, &we) || we.Msg != "Wiring Incomplete: Workflow Input 'x' has no wiring!" {
		t.Errorf("stored wiring without x: %v", err)
	}
}

func TestJobID(t *testing.T) {
	rt := newRuntime(t, nil, singlePass("Jobs"))
	raw := body(t, doc{"id": id("Jobs"), "wiring": doc{"input_wirings": []any{direct("x", "1")}}})
	r1, err := rt.DecodeRequest(raw, runtime.ByID)
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := rt.DecodeRequest(raw, runtime.ByID)
	u, err := uuid.Parse(r1.JobID)
	if err != nil || !r1.JobIDGenerated || u.Version() != 4 || r1.JobID == r2.JobID || r1.JobID != u.String() {
		t.Fatalf("generated job ids %q / %q (generated %t)", r1.JobID, r2.JobID, r1.JobIDGenerated)
	}
	resp, err := rt.Execute(context.Background(), r1)
	if err != nil || resp.JobID != r1.JobID || path(decoded(t, resp), "job_id") != r1.JobID {
		t.Fatalf("response job id %q; want %q (%v)", resp.JobID, r1.JobID, err)
	}
	// a given job id is echoed in canonical form
	r3, err := rt.DecodeRequest(body(t, doc{"id": "{" + strings.ToUpper(id("Jobs")) + "}", "job_id": "urn:uuid:" + strings.ToUpper(fixedJobID)}), runtime.ByID)
	if err != nil || r3.JobID != fixedJobID || r3.JobIDGenerated || r3.ID != id("Jobs") {
		t.Fatalf("explicit ids: %+v, %v", r3, err)
	}
}

// execute-latest runs the RELEASED revision of the group with the newest
// released_timestamp, never a newer DRAFT or DISABLED one.
func TestExecuteLatest(t *testing.T) {
	group := id("latest group")
	revision := func(name, state, released, value string) wfDef {
		w := singlePass(name)
		w.group, w.state, w.released = group, state, released
		w.ins = nil
		w.consts = []constDef{{floatT, w.ops[0].id, "input", value}}
		return w
	}
	old := revision("v1", "RELEASED", "2022-01-01T00:00:00+00:00", "1.0")
	newest := revision("v2", "RELEASED", "2023-01-01T00:00:00+00:00", "2.0")
	draft := revision("v3 draft", "DRAFT", "", "3.0")
	disabled := revision("v4 disabled", "DISABLED", "2024-01-01T00:00:00+00:00", "4.0")
	disabled.disabled = "2024-02-01T00:00:00+00:00"
	onlyDraft := singlePass("lonely draft")
	onlyDraft.state = "DRAFT"
	rt := newRuntime(t, nil, draft, old, disabled, newest, onlyDraft)

	latest := doc{"revision_group_id": group, "wiring": doc{}, "job_id": fixedJobID}
	resp := run(t, rt, latest)
	if y, _ := ok(t, resp).Get("y"); y != 2.0 {
		t.Errorf("execute-latest ran the revision giving %#v; want v2's 2.0", y)
	}
	// the Kafka consumer's mode: a body without "id" is a latest request
	r, err := rt.DecodeRequest(body(t, latest), runtime.AnyMode)
	if err != nil || r.RevisionGroupID != group || r.ID != "" {
		t.Fatalf("AnyMode: %+v, %v", r, err)
	}
	if resp, err := rt.Execute(context.Background(), r); err != nil || path(decoded(t, resp), "output_results_by_output_name", "y") != 2.0 {
		t.Errorf("AnyMode execute-latest: %v", err)
	}
	// by id every state runs
	for _, w := range []wfDef{old, draft, disabled} {
		want := map[string]float64{"v1": 1, "v3 draft": 3, "v4 disabled": 4}[w.name]
		if y, _ := ok(t, run(t, rt, doc{"id": w.id, "job_id": fixedJobID})).Get("y"); y != want {
			t.Errorf("by id %s: y = %#v; want %v", w.name, y, want)
		}
	}

	for _, g := range []string{onlyDraft.group, id("no such group")} {
		_, err := rt.Execute(context.Background(), runtime.Request{RevisionGroupID: g, Wiring: &runtime.Wiring{}, JobID: fixedJobID})
		var nf *runtime.NotFoundError
		want := fmt.Sprintf("Could not find any transformation revision with revision group id %s:\nno released transformation revisions with revision group id %s found in the database", g, g)
		if !errors.As(err, &nf) || !errors.Is(err, runtime.ErrNotFound) || nf.Detail != want {
			t.Errorf("group %s: %v", g, err)
		}
	}
}

func TestUnknownRevision(t *testing.T) {
	rt := newRuntime(t, nil)
	unknown := id("unknown revision")
	_, err := rt.Execute(context.Background(), mustDecode(t, rt, request(unknown, false)))
	var nf *runtime.NotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, runtime.ErrNotFound) {
		t.Fatalf("err = %v; want *NotFoundError", err)
	}
	if nf.Detail != "Could not find transformation revision "+unknown+":\n" {
		t.Errorf("detail %q", nf.Detail)
	}
}

func TestWiringErrors(t *testing.T) {
	w := singlePass("Wired")
	rt := newRuntime(t, nil, w)
	cases := []struct {
		name string
		req  doc
		msg  string
	}{
		{"required input without wiring", request(w.id, false), "Wiring Incomplete: Workflow Input 'x' has no wiring!"},
		{"wiring for an unknown input", request(w.id, false, direct("x", "1"), direct("zz", "2")), "Wiring does not match: There is no workflow input 'zz'!"},
		{"wiring for an unknown output", func() doc {
			r := request(w.id, false, direct("x", "1"))
			r["wiring"].(doc)["output_wirings"] = []any{doc{"workflow_output_name": "q", "adapter_id": "direct_provisioning"}}
			return r
		}(), "Wiring does not match: There is no workflow output 'q'!"},
		{"use_default_value on a required input still counts as wired, but loads nothing", func() doc {
			d := direct("x", "1")
			d["use_default_value"] = true
			return request(w.id, false, d)
		}(), ""},
	}
	for _, c := range cases {
		resp, err := rt.Execute(context.Background(), mustDecode(t, rt, c.req))
		if c.msg == "" {
			// hetida then fails with MissingInputSource at execution
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			e := failure(t, resp, runtime.StageExecuting, "MissingInputSource")
			if !strings.HasPrefix(e.Message, "The input mapping with workflow input 'x' to subnode input 'input' of subnode '\\") {
				t.Errorf("%s: %q", c.name, e.Message)
			}
			continue
		}
		var we *runtime.WiringError
		if !errors.As(err, &we) || we.Msg != c.msg || resp != nil {
			t.Errorf("%s: %v; want WiringError %q", c.name, err, c.msg)
			continue
		}
		if !strings.HasPrefix(we.Detail, "Could not validate execution input\n{\n  \"id\": \""+w.id+"\",\n  \"wiring\": {\n    \"input_wirings\": [") ||
			!strings.HasSuffix(we.Detail, "\n}:\n1 validation error for WorkflowExecutionInput\n__root__\n  "+c.msg+" (type=value_error)") {
			t.Errorf("%s: detail\n%s", c.name, we.Detail)
		}
	}
	// the complete detail text for the simplest case
	_, err := rt.Execute(context.Background(), mustDecode(t, rt, request(w.id, false)))
	want := "Could not validate execution input\n{\n  \"id\": \"" + w.id + "\",\n  \"wiring\": {\n    \"input_wirings\": [],\n    \"output_wirings\": [],\n" +
		"    \"dashboard_positionings\": []\n  },\n  \"run_pure_plot_operators\": false,\n  \"job_id\": \"" + fixedJobID + "\"\n}:\n" +
		"1 validation error for WorkflowExecutionInput\n__root__\n  Wiring Incomplete: Workflow Input 'x' has no wiring! (type=value_error)"
	if we := (*runtime.WiringError)(nil); !errors.As(err, &we) || we.Detail != want {
		t.Errorf("detail:\n%v\nwant:\n%s", err, want)
	}
}

// Request bodies hetida's pydantic models reject (HTTP 422) are *RequestError values
// carrying FastAPI's issue list.
func TestRequestValidation(t *testing.T) {
	rt := newRuntime(t, nil)
	trafo := id("any")
	withInput := func(w doc) doc { return doc{"id": trafo, "wiring": doc{"input_wirings": []any{w}}} }
	withOutput := func(w doc) doc { return doc{"id": trafo, "wiring": doc{"output_wirings": []any{w}}} }
	filters := func(f doc) doc {
		return withInput(doc{"workflow_input_name": "x", "adapter_id": "direct_provisioning", "filters": f})
	}
	in0 := []any{"body", "wiring", "input_wirings", int64(0)}
	at := func(base []any, more ...any) []any { return append(append([]any(nil), base...), more...) }
	cases := []struct {
		name string
		body any // doc or raw string
		mode runtime.Mode
		loc  []any
		msg  string
		typ  string
	}{
		{"job_id null", doc{"id": trafo, "job_id": nil}, runtime.ByID, []any{"body", "job_id"}, "none is not an allowed value", "type_error.none.not_allowed"},
		{"job_id not a uuid", doc{"id": trafo, "job_id": "42"}, runtime.ByID, []any{"body", "job_id"}, "value is not a valid uuid", "type_error.uuid"},
		{"id not a uuid", doc{"id": "not-a-uuid"}, runtime.ByID, []any{"body", "id"}, "value is not a valid uuid", "type_error.uuid"},
		{"id a number", doc{"id": 5}, runtime.ByID, []any{"body", "id"}, "value is not a valid uuid", "type_error.uuid"},
		{"id missing", doc{}, runtime.ByID, []any{"body", "id"}, "field required", "value_error.missing"},
		{"id null", doc{"id": nil}, runtime.ByID, []any{"body", "id"}, "none is not an allowed value", "type_error.none.not_allowed"},
		{"group missing", doc{"wiring": doc{}}, runtime.LatestByGroup, []any{"body", "revision_group_id"}, "field required", "value_error.missing"},
		{"latest without wiring", doc{"revision_group_id": trafo}, runtime.LatestByGroup, []any{"body", "wiring"}, "field required", "value_error.missing"},
		{"latest with null wiring", doc{"revision_group_id": trafo, "wiring": nil}, runtime.LatestByGroup, []any{"body", "wiring"}, "none is not an allowed value", "type_error.none.not_allowed"},
		{"filter key of one character", filters(doc{"v": "1"}), runtime.ByID, at(in0, "filters", "v", "__key__"), `string does not match regex "^[a-zA-Z]\w+$"`, "value_error.str.regex"},
		{"filter key starting with a digit", filters(doc{"1ab": "1"}), runtime.ByID, at(in0, "filters", "1ab", "__key__"), `string does not match regex "^[a-zA-Z]\w+$"`, "value_error.str.regex"},
		{"filter key with a dash", filters(doc{"a-b": "1"}), runtime.ByID, at(in0, "filters", "a-b", "__key__"), `string does not match regex "^[a-zA-Z]\w+$"`, "value_error.str.regex"},
		{"reserved filter key from", filters(doc{"from": "1"}), runtime.ByID, at(in0, "filters"), "The strings ['from', 'to', 'id'] are reserved filter keys!", "value_error"},
		{"reserved filter key id", filters(doc{"id": "1"}), runtime.ByID, at(in0, "filters"), "The strings ['from', 'to', 'id'] are reserved filter keys!", "value_error"},
		{"filter value a list", filters(doc{"value": []any{1}}), runtime.ByID, at(in0, "filters", "value"), "str type expected", "type_error.str"},
		{"duplicate input wirings", doc{"id": trafo, "wiring": doc{"input_wirings": []any{direct("x", "1"), direct("x", "2")}}}, runtime.ByID,
			[]any{"body", "wiring", "input_wirings"}, "Duplicates in workflow input names occuring in the input wirings not allowed.", "value_error"},
		{"duplicate output wirings", doc{"id": trafo, "wiring": doc{"output_wirings": []any{doc{"workflow_output_name": "y", "adapter_id": 1}, doc{"workflow_output_name": "y", "adapter_id": "direct_provisioning"}}}}, runtime.ByID,
			[]any{"body", "wiring", "output_wirings"}, "Duplicates in workflow output names occuring in the output wirings not allowed.", "value_error"},
		{"unknown int source adapter", withInput(doc{"workflow_input_name": "x", "adapter_id": 7}), runtime.ByID, at(in0, "adapter_id"), "Adapter with id 7 is not known / not registered as source adapter.", "value_error"},
		{"unknown int sink adapter", withOutput(doc{"workflow_output_name": "y", "adapter_id": 7}), runtime.ByID, []any{"body", "wiring", "output_wirings", int64(0), "adapter_id"}, "Adapter with id 7 is not known / not registered as sink adapter.", "value_error"},
		{"float adapter id", `{"id": "` + trafo + `", "wiring": {"input_wirings": [{"workflow_input_name": "x", "adapter_id": 1.0}]}}`, runtime.ByID,
			at(in0, "adapter_id"), "value is not a valid integer", "type_error.integer"},
		{"missing adapter id", withInput(doc{"workflow_input_name": "x"}), runtime.ByID, at(in0, "adapter_id"), "field required", "value_error.missing"},
		{"input name a keyword", withInput(doc{"workflow_input_name": "class", "adapter_id": 1}), runtime.ByID, at(in0, "workflow_input_name"), "class is not a valid Python identifier", "value_error"},
		{"input name with a space", withInput(doc{"workflow_input_name": "a b", "adapter_id": 1}), runtime.ByID, at(in0, "workflow_input_name"), "a b is not a valid Python identifier", "value_error"},
		{"metadata type without ref fields", withInput(doc{"workflow_input_name": "x", "adapter_id": "a", "type": "metadata(float)", "ref_key": "k"}), runtime.ByID, in0,
			`metadata datatype in InputWiring requires additional fields "ref_id_type" and "ref_key". At least one of them is missing.`, "value_error"},
		{"unknown ref_id_type", withInput(doc{"workflow_input_name": "x", "adapter_id": "a", "ref_id_type": "PIPE"}), runtime.ByID, at(in0, "ref_id_type"),
			"value is not a valid enumeration member; permitted: 'SOURCE', 'SINK', 'THINGNODE'", "type_error.enum"},
		{"unknown external type", withInput(doc{"workflow_input_name": "x", "adapter_id": "a", "type": "timeseries(complex)"}), runtime.ByID, at(in0, "type"), "value is not a valid enumeration member", "type_error.enum"},
		{"use_default_value not a boolean", withInput(doc{"workflow_input_name": "x", "adapter_id": 1, "use_default_value": "maybe"}), runtime.ByID, at(in0, "use_default_value"), "value could not be parsed to a boolean", "type_error.bool"},
		{"run_pure_plot_operators not a boolean", doc{"id": trafo, "run_pure_plot_operators": "maybe"}, runtime.ByID, []any{"body", "run_pure_plot_operators"}, "value could not be parsed to a boolean", "type_error.bool"},
		{"input wirings not a list", doc{"id": trafo, "wiring": doc{"input_wirings": doc{}}}, runtime.ByID, []any{"body", "wiring", "input_wirings"}, "value is not a valid list", "type_error.list"},
		{"wiring not an object", doc{"id": trafo, "wiring": "none"}, runtime.ByID, []any{"body", "wiring"}, "value is not a valid dict", "type_error.dict"},
		{"body not an object", `[1]`, runtime.ByID, []any{"body"}, "value is not a valid dict", "type_error.dict"},
		{"body not JSON", `{"id": `, runtime.ByID, []any{"body", int64(7)}, "invalid JSON at byte 7: unexpected end of input", "value_error.jsondecode"},
	}
	for _, c := range cases {
		raw, isRaw := c.body.(string)
		b := []byte(raw)
		if !isRaw {
			b = body(t, c.body)
		}
		_, err := rt.DecodeRequest(b, c.mode)
		var re *runtime.RequestError
		if !errors.As(err, &re) || len(re.Issues) == 0 {
			t.Errorf("%s: err = %v; want a *RequestError", c.name, err)
			continue
		}
		is := re.Issues[0]
		if fmt.Sprint(is.Loc) != fmt.Sprint(c.loc) || is.Msg != c.msg || is.Type != c.typ {
			t.Errorf("%s: issue {%v %q %s}; want {%v %q %s}", c.name, is.Loc, is.Msg, is.Type, c.loc, c.msg, c.typ)
		}
	}

	_, err := rt.DecodeRequest(body(t, doc{"id": trafo, "job_id": nil}), runtime.ByID)
	var re *runtime.RequestError
	if !errors.As(err, &re) || string(re.DetailJSON()) != `{"detail":[{"loc":["body","job_id"],"msg":"none is not an allowed value","type":"type_error.none.not_allowed"}]}` {
		t.Errorf("DetailJSON: %s", re.DetailJSON())
	}
	// AnyMode reports both models' issues
	_, err = rt.DecodeRequest([]byte(`{"wiring": {}}`), runtime.AnyMode)
	if !errors.As(err, &re) || len(re.Issues) != 1 || len(re.Alternatives) != 1 || re.Issues[0].Msg != "field required" ||
		fmt.Sprint(re.Alternatives[0].Loc) != "[body revision_group_id]" {
		t.Errorf("AnyMode: %+v", err)
	}
}

// Accepted forms: pydantic's coercions of booleans and filter values, both adapter id
// spellings, unknown keys ignored.
func TestRequestCoercions(t *testing.T) {
	rt := newRuntime(t, nil)
	for _, v := range []any{"yes", "On", "t", "1", 1, true} {
		r, err := rt.DecodeRequest(body(t, doc{"id": id("x"), "run_pure_plot_operators": v}), runtime.ByID)
		if err != nil || !r.RunPurePlotOperators {
			t.Errorf("run_pure_plot_operators %#v: %+v, %v", v, r, err)
		}
	}
	r, err := rt.DecodeRequest(body(t, doc{"id": id("x"), "unknown": 1, "wiring": doc{"input_wirings": []any{
		doc{"workflow_input_name": "a", "adapter_id": 1, "id": "ignored", "filters": doc{"value": 1.5}},
		doc{"workflow_input_name": "b", "adapter_id": "direct_provisioning", "filters": doc{"value": true}},
		doc{"workflow_input_name": "c", "adapter_id": "direct_provisioning", "filters": doc{"value": nil, "other": 7}},
		doc{"workflow_input_name": "d", "adapter_id": "x", "type": "timeseries(integer)", "ref_id_type": "SOURCE", "ref_key": "k"},
	}}}), runtime.ByID)
	if err != nil {
		t.Fatal(err)
	}
	ins := r.Wiring.Inputs
	get := func(i int, k string) string { v, _ := ins[i].Filters.Get(k); return v }
	if get(0, "value") != "1.5" || get(1, "value") != "True" || get(2, "value") != "" || get(2, "other") != "7" {
		t.Errorf("filter coercions: %q %q %q %q", get(0, "value"), get(1, "value"), get(2, "value"), get(2, "other"))
	}
	if !ins[0].Adapter.IsInt || ins[0].Adapter.Int != 1 || ins[1].Adapter.IsInt || ins[1].Adapter.Str != "direct_provisioning" {
		t.Errorf("adapter ids %+v %+v", ins[0].Adapter, ins[1].Adapter)
	}
	if ins[3].Type == nil || *ins[3].Type != "timeseries(int)" {
		t.Errorf("external type alias not canonicalised: %v", ins[3].Type)
	}
}

// Regression: request validation was more lenient than pydantic in two places. Ids with
// surrounding whitespace (" <uuid> ") were trimmed and accepted, while Python's UUID()
// counts the spaces towards the 32 hex digits and rejects them; and an explicit null for
// run_pure_plot_operators or use_default_value was reported as "value could not be parsed
// to a boolean" instead of pydantic's "none is not an allowed value".
func TestRequestValidationRegression(t *testing.T) {
	rt := newRuntime(t, nil)
	trafo := id("any")
	cases := []struct {
		name string
		body doc
		loc  string
		msg  string
		typ  string
	}{
		{"id with spaces", doc{"id": " " + trafo + " "}, "[body id]", "value is not a valid uuid", "type_error.uuid"},
		{"job_id with a newline", doc{"id": trafo, "job_id": fixedJobID + "\n"}, "[body job_id]", "value is not a valid uuid", "type_error.uuid"},
		{"run_pure_plot_operators null", doc{"id": trafo, "run_pure_plot_operators": nil}, "[body run_pure_plot_operators]", "none is not an allowed value", "type_error.none.not_allowed"},
		{"use_default_value null", doc{"id": trafo, "wiring": doc{"input_wirings": []any{doc{"workflow_input_name": "x", "adapter_id": 1, "use_default_value": nil}}}},
			"[body wiring input_wirings 0 use_default_value]", "none is not an allowed value", "type_error.none.not_allowed"},
	}
	for _, c := range cases {
		_, err := rt.DecodeRequest(body(t, c.body), runtime.ByID)
		var re *runtime.RequestError
		if !errors.As(err, &re) || len(re.Issues) != 1 {
			t.Errorf("%s: err = %v; want one issue", c.name, err)
			continue
		}
		if is := re.Issues[0]; fmt.Sprint(is.Loc) != c.loc || is.Msg != c.msg || is.Type != c.typ {
			t.Errorf("%s: issue {%v %q %s}; want {%s %q %s}", c.name, is.Loc, is.Msg, is.Type, c.loc, c.msg, c.typ)
		}
	}
}
