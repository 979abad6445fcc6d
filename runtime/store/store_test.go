package store_test

import (
	"cmp"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/store"
)

const (
	volatilityID    = "79ce1eb1-3ef8-4c74-9114-c856fd88dc89"
	volatilityGroup = "d0d40c45-aef0-424a-a8f4-b16cd5f8b129"
	passFloatID     = "2f511674-f766-748d-2de3-ad5e62e10a1a"
)

var quiet = slog.New(slog.DiscardHandler)

// passFloat is the native revision of Pass Through (Float) as the runtime describes it:
// the one native component these tests need (the runtime's tests cover the conversion of
// every component spec).
func passFloat() *store.Revision {
	released := time.Date(2022, 2, 9, 17, 33, 34, 809936000, time.UTC)
	return &store.Revision{
		ID: passFloatID, GroupID: passFloatID, Name: "Pass Through (Float)", Category: "Connectors",
		VersionTag: "1.0.0", State: store.StateReleased, Type: store.TypeComponent, Released: &released, Origin: "embedded",
		Inputs:  []store.IO{{ID: store.InputID("input"), Name: "input", Type: data.TypeFloat}},
		Outputs: []store.IO{{ID: store.OutputID("output"), Name: "output", Type: data.TypeFloat}},
	}
}

func newStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.New([]*store.Revision{passFloat()}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// writeJSON writes v (JSON-encoded unless it is a string) to dir/rel, creating folders.
func writeJSON(t *testing.T, dir, rel string, v any) string {
	t.Helper()
	path := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	var b []byte
	if s, ok := v.(string); ok {
		b = []byte(s)
	} else {
		var err error
		if b, err = json.MarshalIndent(v, "", "  "); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type doc = map[string]any

func io(id, name, typ string) doc { return doc{"id": id, "name": name, "data_type": typ} }

// component is a COMPONENT revision document in hetida's export format.
func componentDoc(id, group, name, state, released string, ins, outs []any) doc {
	d := doc{
		"id": id, "revision_group_id": group, "name": name, "description": "test", "category": "Test",
		"version_tag": "1.0.0", "state": state, "type": "COMPONENT",
		"content":      "def main(*, input):\n    return {'output': input}\n",
		"io_interface": doc{"inputs": ins, "outputs": outs},
		"test_wiring":  doc{"input_wirings": []any{}, "output_wirings": []any{}},
	}
	if released != "" {
		d["released_timestamp"] = released
	}
	return d
}

// workflowDoc is a WORKFLOW revision: workflow input x → Pass Through (Float) → output y.
func workflowDoc(id, group, name, state, released string) doc {
	op := "aaaaaaaa-0000-0000-0000-000000000001"
	in, out := "bbbbbbbb-0000-0000-0000-000000000001", "bbbbbbbb-0000-0000-0000-000000000002"
	d := doc{
		"id": id, "revision_group_id": group, "name": name, "category": "Test", "version_tag": "1.0.0",
		"state": state, "type": "WORKFLOW",
		"content": doc{
			"operators": []any{doc{
				"id": op, "revision_group_id": passFloatID, "name": "Pass Through (Float)", "type": "COMPONENT",
				"state": "RELEASED", "version_tag": "1.0.0", "transformation_id": passFloatID,
				"inputs":  []any{doc{"id": in, "name": "input", "data_type": "FLOAT", "type": "REQUIRED", "exposed": true}},
				"outputs": []any{doc{"id": out, "name": "output", "data_type": "FLOAT"}},
			}},
			"links":     []any{},
			"constants": []any{},
			"inputs": []any{doc{"id": "cccccccc-0000-0000-0000-000000000001", "name": "x", "data_type": "FLOAT",
				"operator_id": op, "connector_id": in, "connector_name": "input", "type": "REQUIRED"}},
			"outputs": []any{doc{"id": "cccccccc-0000-0000-0000-000000000002", "name": "y", "data_type": "FLOAT",
				"operator_id": op, "connector_id": out, "connector_name": "output"}},
		},
		"io_interface": doc{"inputs": []any{}, "outputs": []any{}},
		"test_wiring":  doc{"input_wirings": []any{}, "output_wirings": []any{}},
	}
	if released != "" {
		d["released_timestamp"] = released
	}
	return d
}

func TestEmbeddedCatalogue(t *testing.T) {
	s := newStore(t)
	if r, ok := s.Get(passFloatID); !ok || r.Name != "Pass Through (Float)" || r.Origin != "embedded" {
		t.Errorf("the native revision is not in the catalogue: %+v", r)
	}
	if latest, ok := s.LatestReleased(passFloatID); !ok || latest.ID != passFloatID {
		t.Errorf("LatestReleased(Pass Through (Float)) = %v, %t", latest, ok)
	}
	// connector ids follow hetida's seeding of .py components (hetida-contract §4.3)
	if store.InputID("input") != "ce239219-0904-cc9c-49ab-e8da698ede00" || store.OutputID("output") != "3c2eb0e4-871f-885f-a409-1d21ddc4a2b3" {
		t.Errorf("Pass Through (Float) io ids %s / %s", store.InputID("input"), store.OutputID("output"))
	}

	v, ok := s.Get(volatilityID)
	if !ok {
		t.Fatal("the Volatility Detection Example is not embedded")
	}
	if v.Name != "Volatility Detection Example" || v.GroupID != volatilityGroup || v.Type != store.TypeWorkflow ||
		v.State != store.StateReleased || v.Released == nil || v.Workflow == nil || v.Origin != "embedded" {
		t.Fatalf("volatility revision: %+v", v)
	}
	var ins, outs []string
	for _, in := range v.Inputs {
		ins = append(ins, in.Name+":"+string(in.Type))
	}
	for _, out := range v.Outputs {
		outs = append(outs, out.Name+":"+string(out.Type))
	}
	if strings.Join(ins, ",") != "window_size:STRING,window_timestamp_location:STRING,input_series:SERIES,threshold:FLOAT" ||
		strings.Join(outs, ",") != "score:PLOTLYJSON,data_and_alerts:PLOTLYJSON" {
		t.Errorf("volatility interface: %v → %v", ins, outs)
	}
	if latest, ok := s.LatestReleased(volatilityGroup); !ok || latest != v {
		t.Errorf("LatestReleased(volatility group) = %v, %t", latest, ok)
	}
	// the native component plus every example workflow of catalogue/
	files, err := filepath.Glob("catalogue/*.json")
	if err != nil || len(files) < 1 {
		t.Fatalf("catalogue files: %v, %v", files, err)
	}
	if s.Len() != 1+len(files) || len(s.All()) != s.Len() {
		t.Errorf("catalogue has %d revisions (All: %d); want 1 native component + %d workflows", s.Len(), len(s.All()), len(files))
	}
}

// All orders by type, category, name and id.
func TestAllOrder(t *testing.T) {
	dir := t.TempDir()
	for i, name := range []string{"b", "a", "c", "a"} {
		id := "44444444-0000-0000-0000-00000000000" + string(rune('1'+i))
		writeJSON(t, dir, id+".json", workflowDoc(id, id, name, "DRAFT", ""))
	}
	s := newStore(t)
	if err := s.LoadDirs([]string{dir}); err != nil {
		t.Fatal(err)
	}
	all := s.All()
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Category, b.Category), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) >= 0 {
			t.Errorf("All() not ordered by type, category, name, id at %d: %s/%s/%s/%s before %s/%s/%s/%s", i, a.Type, a.Category, a.Name, a.ID, b.Type, b.Category, b.Name, b.ID)
		}
	}
	var got []string
	for _, r := range all {
		if r.Category == "Test" {
			got = append(got, r.Name+"/"+r.ID[len(r.ID)-1:])
		}
	}
	// equal names are ordered by id
	if strings.Join(got, "|") != "a/2|a/4|b/1|c/3" {
		t.Errorf("All() order of the test workflows: %s", strings.Join(got, "|"))
	}
}

func TestFileOverridesEmbedded(t *testing.T) {
	dir := t.TempDir()
	wf := workflowDoc(volatilityID, volatilityGroup, "My Volatility", "RELEASED", "2030-01-01T00:00:00+00:00")
	wfPath := writeJSON(t, dir, "workflows/examples/my-volatility.json", wf)
	comp := componentDoc(passFloatID, passFloatID, "Pass Through (Float), my copy", "RELEASED", "2030-01-01T00:00:00+00:00",
		[]any{io("ce239219-0904-cc9c-49ab-e8da698ede00", "input", "FLOAT")},
		[]any{io("3c2eb0e4-871f-885f-a409-1d21ddc4a2b3", "output", "FLOAT")})
	compPath := writeJSON(t, dir, "components/connectors/pass-through-float.json", comp)

	s := newStore(t)
	before := s.Len()
	if err := s.LoadDirs([]string{dir}); err != nil {
		t.Fatal(err)
	}
	if s.Len() != before {
		t.Errorf("overriding files added revisions: %d → %d", before, s.Len())
	}
	v, _ := s.Get(volatilityID)
	if v.Name != "My Volatility" || v.Origin != wfPath || v.Inputs[0].Name != "x" {
		t.Errorf("volatility not replaced by the file: %+v", v)
	}
	if latest, ok := s.LatestReleased(volatilityGroup); !ok || latest != v {
		t.Errorf("LatestReleased still finds the embedded revision: %+v", latest)
	}
	p, _ := s.Get(passFloatID)
	if p.Name != "Pass Through (Float), my copy" || p.Origin != compPath || p.Category != "Test" {
		t.Errorf("component not replaced by the file: %+v", p)
	}
}

func TestLatestReleasedAndStates(t *testing.T) {
	const group = "99999999-0000-0000-0000-000000000000"
	id := func(n string) string { return "99999999-0000-0000-0000-00000000000" + n }
	dir := t.TempDir()
	writeJSON(t, dir, "a.json", workflowDoc(id("1"), group, "v1", "RELEASED", "2022-01-01T00:00:00+00:00"))
	writeJSON(t, dir, "b.json", workflowDoc(id("2"), group, "v2", "RELEASED", "2023-06-01T12:00:00.5+02:00"))
	writeJSON(t, dir, "c.json", workflowDoc(id("3"), group, "v3 draft", "DRAFT", ""))
	disabled := workflowDoc(id("4"), group, "v4 disabled", "DISABLED", "2024-01-01T00:00:00+00:00")
	disabled["disabled_timestamp"] = "2024-06-01T00:00:00+00:00"
	writeJSON(t, dir, "d.json", disabled)
	noRelease := workflowDoc(id("5"), "88888888-0000-0000-0000-000000000000", "disabled without release", "DISABLED", "")
	noRelease["disabled_timestamp"] = "2021-03-04T05:06:07+00:00"
	writeJSON(t, dir, "e.json", noRelease)
	writeJSON(t, dir, "f.json", workflowDoc(id("6"), "77777777-0000-0000-0000-000000000000", "only a draft", "DRAFT", ""))

	s := newStore(t)
	if err := s.LoadDirs([]string{dir}); err != nil {
		t.Fatal(err)
	}
	latest, ok := s.LatestReleased(group)
	if !ok || latest.ID != id("2") {
		t.Fatalf("LatestReleased = %+v, %t; want v2 (newest RELEASED, not the newer DRAFT or DISABLED)", latest, ok)
	}
	if want := time.Date(2023, 6, 1, 10, 0, 0, 5e8, time.UTC); !latest.Released.Equal(want) {
		t.Errorf("released_timestamp %v; want %v (normalised to UTC)", latest.Released, want)
	}
	d, ok := s.Get(id("4"))
	if !ok || d.State != store.StateDisabled || d.Disabled == nil || !d.Released.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("DISABLED revision not kept as is: %+v", d)
	}
	if e, ok := s.Get(id("5")); !ok || e.Released == nil || !e.Released.Equal(*e.Disabled) {
		t.Errorf("a DISABLED revision without released_timestamp takes it from disabled_timestamp: %+v", e)
	}
	if c, ok := s.Get(id("3")); !ok || c.State != store.StateDraft || c.Released != nil {
		t.Errorf("DRAFT revision: %+v", c)
	}
	for _, g := range []string{"88888888-0000-0000-0000-000000000000", "77777777-0000-0000-0000-000000000000", "66666666-0000-0000-0000-000000000000"} {
		if r, ok := s.LatestReleased(g); ok {
			t.Errorf("LatestReleased(%s) = %s; want none (no RELEASED revision)", g, r.Name)
		}
	}
	if _, ok := s.Get("66666666-0000-0000-0000-000000000000"); ok {
		t.Error("Get found an unknown id")
	}
}

func TestLoadDirsRecursiveSkipsPython(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	writeJSON(t, dir, "a/b/c/deep.json", workflowDoc("11111111-0000-0000-0000-000000000001", "11111111-0000-0000-0000-000000000000", "deep", "DRAFT", ""))
	writeJSON(t, dir, "components/thing.py", "this is not JSON and must never be parsed (\n")
	writeJSON(t, dir, "components/UPPER.PY", "neither is this")
	writeJSON(t, dir, "README.md", "# not a revision")
	writeJSON(t, other, "x.JSON", workflowDoc("11111111-0000-0000-0000-000000000002", "11111111-0000-0000-0000-000000000000", "other dir", "DRAFT", ""))
	s := newStore(t)
	if err := s.LoadDirs([]string{dir, "", other}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"11111111-0000-0000-0000-000000000001", "11111111-0000-0000-0000-000000000002"} {
		if _, ok := s.Get(id); !ok {
			t.Errorf("%s not loaded", id)
		}
	}

	// within one directory files load in lexical order: the later file wins
	dup := t.TempDir()
	writeJSON(t, dup, "a.json", workflowDoc("11111111-0000-0000-0000-000000000003", "11111111-0000-0000-0000-000000000000", "from a", "DRAFT", ""))
	writeJSON(t, dup, "b/z.json", workflowDoc("11111111-0000-0000-0000-000000000003", "11111111-0000-0000-0000-000000000000", "from b/z", "DRAFT", ""))
	s = newStore(t)
	if err := s.LoadDirs([]string{dup}); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Get("11111111-0000-0000-0000-000000000003"); r.Name != "from b/z" {
		t.Errorf("duplicate id: %q won; want the lexically last file", r.Name)
	}

	missing := filepath.Join(dir, "does-not-exist")
	if err := newStore(t).LoadDirs([]string{missing}); err == nil || !strings.Contains(err.Error(), "TRANSFORMATIONS_DIR "+missing) {
		t.Errorf("missing directory: %v", err)
	}
	file := writeJSON(t, dir, "plain.txt", "x")
	if err := newStore(t).LoadDirs([]string{file}); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("a file as directory: %v", err)
	}
}

func TestMalformedFiles(t *testing.T) {
	good := func() doc {
		return workflowDoc("22222222-0000-0000-0000-000000000001", "22222222-0000-0000-0000-000000000000", "wf", "RELEASED", "2022-01-01T00:00:00+00:00")
	}
	content := func(d doc) doc { return d["content"].(doc) }
	op0 := func(d doc) doc { return content(d)["operators"].([]any)[0].(doc) }
	cases := []struct {
		name   string
		file   any
		expect []string // substrings of the error besides the file's path
	}{
		{"bad JSON", `{"id": "22222222-0000-0000-0000-000000000001",`, []string{"invalid JSON at byte"}},
		{"not an object", `[]`, []string{"(document): must be an object, got array"}},
		{"missing field", func() doc { d := good(); delete(d, "name"); return d }(), []string{"name: field required"}},
		{"wrong type", func() doc { d := good(); d["name"] = 5; return d }(), []string{"name: must be a string, got number"}},
		{"bad uuid", func() doc { d := good(); d["id"] = "not-a-uuid"; return d }(), []string{`id: value is not a valid uuid: "not-a-uuid"`}},
		{"bad group uuid", func() doc { d := good(); d["revision_group_id"] = "1234"; return d }(), []string{"revision_group_id: value is not a valid uuid"}},
		{"bad state", func() doc { d := good(); d["state"] = "LIVE"; return d }(), []string{`state: must be DRAFT, RELEASED or DISABLED, got "LIVE"`}},
		{"bad type", func() doc { d := good(); d["type"] = "NOTEBOOK"; return d }(), []string{`type: must be COMPONENT or WORKFLOW, got "NOTEBOOK"`}},
		{"released without timestamp", func() doc { d := good(); delete(d, "released_timestamp"); return d }(), []string{"released_timestamp: required for a RELEASED revision"}},
		{"bad timestamp", func() doc { d := good(); d["released_timestamp"] = "yesterday"; return d }(), []string{`released_timestamp: not an ISO 8601 timestamp: "yesterday"`}},
		{"missing io_interface", func() doc { d := good(); delete(d, "io_interface"); return d }(), []string{"io_interface: field required"}},
		{"unknown data type in io", func() doc {
			d := good()
			d["io_interface"] = doc{"inputs": []any{io("33333333-0000-0000-0000-000000000001", "x", "NUMBER")}}
			return d
		}(), []string{`io_interface.inputs[0].data_type: unknown data type "NUMBER"`}},
		{"duplicate io name", func() doc {
			d := good()
			d["io_interface"] = doc{"outputs": []any{io("33333333-0000-0000-0000-000000000001", "y", "FLOAT"), io("33333333-0000-0000-0000-000000000002", "y", "INT")}}
			return d
		}(), []string{`io_interface.outputs[1].name: duplicate name "y"`}},
		{"bad optionality", func() doc {
			d := good()
			in := io("33333333-0000-0000-0000-000000000001", "x", "FLOAT")
			in["type"] = "MAYBE"
			d["io_interface"] = doc{"inputs": []any{in}}
			return d
		}(), []string{`io_interface.inputs[0].type: must be REQUIRED or OPTIONAL, got "MAYBE"`}},
		{"workflow without content", func() doc { d := good(); delete(d, "content"); return d }(), []string{"content: a WORKFLOW needs its content object"}},
		{"operators not a list", func() doc { d := good(); content(d)["operators"] = doc{}; return d }(), []string{"content.operators: must be an array"}},
		{"operator input data type", func() doc {
			d := good()
			op0(d)["inputs"].([]any)[0].(doc)["data_type"] = "float"
			return d
		}(), []string{`content.operators[0].inputs[0].data_type: unknown data type "float"`}},
		{"operator transformation id", func() doc { d := good(); op0(d)["transformation_id"] = "x"; return d }(), []string{"content.operators[0].transformation_id: value is not a valid uuid"}},
		{"operator type", func() doc { d := good(); op0(d)["type"] = "SCRIPT"; return d }(), []string{`content.operators[0].type: must be COMPONENT or WORKFLOW, got "SCRIPT"`}},
		{"exposed not a boolean", func() doc {
			d := good()
			op0(d)["inputs"].([]any)[0].(doc)["exposed"] = "yes"
			return d
		}(), []string{"content.operators[0].inputs[0].exposed: must be a boolean"}},
		{"link without start", func() doc {
			d := good()
			content(d)["links"] = []any{doc{"id": "l1", "end": doc{"connector": doc{"id": "44444444-0000-0000-0000-000000000001"}}}}
			return d
		}(), []string{"content.links[0].start: field required"}},
		{"link connector id", func() doc {
			d := good()
			content(d)["links"] = []any{doc{"id": "l1", "start": doc{"connector": doc{"id": "nope"}}, "end": doc{"connector": doc{"id": "44444444-0000-0000-0000-000000000001"}}}}
			return d
		}(), []string{`content.links[0].start.connector.id: value is not a valid uuid: "nope"`}},
		{"constant without value", func() doc {
			d := good()
			content(d)["constants"] = []any{doc{"id": "55555555-0000-0000-0000-000000000001", "data_type": "FLOAT", "operator_id": "aaaaaaaa-0000-0000-0000-000000000001", "connector_name": "input"}}
			return d
		}(), []string{"content.constants[0].value: field required"}},
		{"workflow input operator id", func() doc {
			d := good()
			content(d)["inputs"].([]any)[0].(doc)["operator_id"] = nil
			return d
		}(), []string{"content.inputs[0].operator_id: field required"}},
		{"workflow output element", func() doc { d := good(); content(d)["outputs"] = []any{"y"}; return d }(), []string{"content.outputs[0]: must be an object"}},
		// a wrong JSON type is located by walking the document: indices past 0, keys after arrays
		{"link connector name type", func() doc {
			d := good()
			end := doc{"operator": "aaaaaaaa-0000-0000-0000-000000000001", "connector": doc{"id": "bbbbbbbb-0000-0000-0000-000000000001", "name": "input"}}
			bad := doc{"id": "l2", "path": []any{doc{"x": 1}}, "start": doc{"connector": doc{"id": "cccccccc-0000-0000-0000-000000000001", "name": []any{"x"}}}, "end": end}
			content(d)["links"] = []any{doc{"id": "l1", "start": end, "end": end}, bad}
			return d
		}(), []string{"content.links[1].start.connector.name: must be a string, got array"}},
		{"operator output name type", func() doc {
			d := good()
			op0(d)["outputs"] = []any{doc{"id": "bbbbbbbb-0000-0000-0000-000000000002", "name": "output", "data_type": "FLOAT"}, doc{"id": "bbbbbbbb-0000-0000-0000-000000000003", "name": false}}
			return d
		}(), []string{"content.operators[0].outputs[1].name: must be a string, got bool"}},
	}
	for _, c := range cases {
		dir := t.TempDir()
		path := writeJSON(t, dir, "sub/bad.json", c.file)
		err := newStore(t).LoadDirs([]string{dir})
		if err == nil {
			t.Errorf("%s: loaded without error", c.name)
			continue
		}
		for _, want := range append([]string{path + ": "}, c.expect...) {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q does not contain %q", c.name, err, want)
			}
		}
	}
}

// A component file must describe the native component of the same id: names and types of
// every port, none missing, none extra.
func TestComponentFileMustMatchNative(t *testing.T) {
	in := func(name, typ string) []any { return []any{io("ce239219-0904-cc9c-49ab-e8da698ede00", name, typ)} }
	out := func(name, typ string) []any { return []any{io("3c2eb0e4-871f-885f-a409-1d21ddc4a2b3", name, typ)} }
	cases := []struct {
		name      string
		ins, outs []any
		expect    string
	}{
		{"renamed input", in("value", "FLOAT"), out("output", "FLOAT"),
			`io_interface.inputs[0].name: port "value" does not exist in the native component (it has input)`},
		{"retyped input", in("input", "INT"), out("output", "FLOAT"),
			`io_interface.inputs[0].data_type: port "input" is INT in the file but FLOAT in the native component`},
		{"retyped output", in("input", "FLOAT"), out("output", "ANY"),
			`io_interface.outputs[0].data_type: port "output" is ANY in the file but FLOAT in the native component`},
		{"missing output", in("input", "FLOAT"), []any{},
			`io_interface.outputs: port "output" of the native component is missing`},
		{"extra input", append(in("input", "FLOAT"), io("33333333-0000-0000-0000-000000000009", "extra", "FLOAT")), out("output", "FLOAT"),
			`io_interface.inputs[1].name: port "extra" does not exist in the native component`},
	}
	for _, c := range cases {
		dir := t.TempDir()
		path := writeJSON(t, dir, "components/pass.json", componentDoc(passFloatID, passFloatID, "Pass Through (Float)", "RELEASED", "2022-02-09T17:33:34.809936+00:00", c.ins, c.outs))
		err := newStore(t).LoadDirs([]string{dir})
		if err == nil || !strings.Contains(err.Error(), path+": ") || !strings.Contains(err.Error(), c.expect) {
			t.Errorf("%s: err = %v; want it to name %s and contain %q", c.name, err, path, c.expect)
		}
	}
	// a component without native implementation loads as metadata
	dir := t.TempDir()
	writeJSON(t, dir, "c.json", componentDoc("12121212-0000-0000-0000-000000000001", "12121212-0000-0000-0000-000000000000", "Exotic", "RELEASED", "2022-01-01T00:00:00Z",
		[]any{io("33333333-0000-0000-0000-000000000001", "anything", "ANY")}, []any{}))
	s := newStore(t)
	if err := s.LoadDirs([]string{dir}); err != nil {
		t.Fatal(err)
	}
	if r, ok := s.Get("12121212-0000-0000-0000-000000000001"); !ok || r.Inputs[0].Type != data.TypeAny {
		t.Errorf("component without native implementation: %+v, %t", r, ok)
	}
}

func TestDecodeRevisionWorkflowDetails(t *testing.T) {
	d := workflowDoc("22222222-0000-0000-0000-000000000001", "22222222-0000-0000-0000-000000000000", "wf", "DRAFT", "")
	c := d["content"].(doc)
	base := c["operators"].([]any)[0].(doc)
	var ops []any
	for i, name := range []string{"Add", "Add", "Add (7)", "Mul (2)"} {
		op := doc{}
		for k, v := range base {
			op[k] = v
		}
		op["id"] = "aaaaaaaa-0000-0000-0000-00000000000" + string(rune('1'+i))
		op["name"] = name
		op["inputs"] = []any{doc{"id": "bbbbbbbb-0000-0000-0000-000000000001", "name": "input", "data_type": "INT", "type": "OPTIONAL", "value": 3}}
		ops = append(ops, op)
	}
	c["operators"] = ops
	// optional workflow input with a default; unnamed inputs and outputs are left out of
	// the interface, which is derived from the content
	c["inputs"] = []any{
		doc{"id": "cccccccc-0000-0000-0000-000000000001", "name": "x", "data_type": "FLOAT", "operator_id": "aaaaaaaa-0000-0000-0000-000000000001",
			"connector_id": "bbbbbbbb-0000-0000-0000-000000000001", "connector_name": "input", "type": "OPTIONAL", "value": "2.5"},
		doc{"id": "cccccccc-0000-0000-0000-000000000003", "name": "", "data_type": "FLOAT", "operator_id": "aaaaaaaa-0000-0000-0000-000000000002",
			"connector_id": "bbbbbbbb-0000-0000-0000-000000000001", "connector_name": "input"},
	}
	// a constant's value may be null (absent is an error, see TestMalformedFiles)
	c["constants"] = []any{doc{"id": "55555555-0000-0000-0000-000000000001", "data_type": "ANY", "operator_id": "aaaaaaaa-0000-0000-0000-000000000001",
		"connector_name": "input", "value": nil}}
	b, _ := json.Marshal(d)
	r, err := store.DecodeRevision(b)
	if err != nil {
		t.Fatal(err)
	}
	// values of any JSON type are decoded like request values (wire): objects as ordered
	// Dicts, integers as int64
	if tw, ok := r.TestWiring.(*data.Dict); !ok || strings.Join(tw.Keys(), ",") != "input_wirings,output_wirings" {
		t.Errorf("test wiring %#v", r.TestWiring)
	}
	if len(r.Workflow.Constants) != 1 || r.Workflow.Constants[0].Value != nil || r.Workflow.Constants[0].ConnectorName != "input" {
		t.Errorf("null constant: %+v", r.Workflow.Constants)
	}
	var names []string
	for _, op := range r.Workflow.Operators {
		names = append(names, op.Name)
	}
	// hetida renames operators sharing a name stem in list order
	if got := strings.Join(names, "|"); got != "Add|Add (2)|Add (3)|Mul (2)" {
		t.Errorf("operator names %s", got)
	}
	if in := r.Workflow.Operators[0].Inputs[0]; !in.Optional || in.Default != int64(3) || in.Exposed {
		t.Errorf("optional operator input without exposed: %+v", in)
	}
	if len(r.Inputs) != 1 || r.Inputs[0].Name != "x" || !r.Inputs[0].Optional || r.Inputs[0].Default != "2.5" || r.Inputs[0].Type != data.TypeFloat {
		t.Errorf("interface inputs from content: %+v", r.Inputs)
	}
	if len(r.Outputs) != 1 || r.Outputs[0].Name != "y" {
		t.Errorf("interface outputs from content: %+v", r.Outputs)
	}
	if r.Category != "Test" || r.Description != "" {
		t.Errorf("category %q description %q", r.Category, r.Description)
	}
	delete(d, "category")
	b, _ = json.Marshal(d)
	if r, err := store.DecodeRevision(b); err != nil || r.Category != "Other" {
		t.Errorf("default category: %v, %v", r, err)
	}
	// ids in any form uuid.Parse accepts are stored canonically
	d["id"] = "{22222222-0000-0000-0000-0000000000AB}"
	b, _ = json.Marshal(d)
	if r, err := store.DecodeRevision(b); err != nil || r.ID != "22222222-0000-0000-0000-0000000000ab" {
		t.Errorf("canonical id: %v, %v", r, err)
	}
}
