package sql

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/adapter"
)

const (
	passFrameID  = "7a1a818f-fa89-6062-1e0e-fc80539bbe0a"
	passSeriesID = "bfa27afc-dea8-b8aa-4b15-94402f0739b6"
	addID        = "2abf72f6-68c9-7398-7175-165d31b3ced7"
)

func (p *pg) runtime() *runtime.Runtime {
	p.t.Helper()
	reg := adapter.NewRegistry()
	reg.RegisterSource(adapter.StrID(ID), p.a)
	reg.RegisterSink(adapter.StrID(ID), p.a)
	rt, err := runtime.New(runtime.Options{Adapters: reg, MaxPoints: 1000, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		p.t.Fatal(err)
	}
	return rt
}

func (p *pg) execute(rt *runtime.Runtime, req string) *runtime.Response {
	p.t.Helper()
	r, err := rt.DecodeRequest([]byte(req), runtime.ByID)
	if err != nil {
		p.t.Fatal(err)
	}
	resp, err := rt.Execute(context.Background(), r)
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

// Through the engine: a component's input from a query and its output appended to a
// table, mixed with direct provisioning; failures at LOADING_DATA_FROM_ADAPTERS and
// SENDING_DATA_TO_ADAPTERS name the adapter, the wiring and the cause.
func TestThroughTheRuntime(t *testing.T) {
	p := newPG(t, func(d *Database) { d.AppendTables = []string{"copy"} })
	p.exec("CREATE TABLE src (a int, b text)", "INSERT INTO src VALUES (1, 'x'), (2, NULL)")
	rt := p.runtime()
	resp := p.execute(rt, `{"id": "`+passFrameID+`", "wiring": {
		"input_wirings": [{"workflow_input_name": "input", "adapter_id": "sql-adapter", "ref_id": "db/query", "filters": {"sql_query": "SELECT * FROM src ORDER BY a"}}],
		"output_wirings": [{"workflow_output_name": "output", "adapter_id": "sql-adapter", "ref_key": "db/append_table/copy"}]}}`)
	if resp.Result != runtime.ResultOK {
		t.Fatalf("%s", resp.JSON())
	}
	if got := p.rowsText("copy"); strings.Join(got, " ") != "(1,x) (2,)" {
		t.Errorf("copy %v", got)
	}
	// a SQL series plus a direct float, loaded side by side, answered directly
	resp = p.execute(rt, `{"id": "`+addID+`", "wiring": {
		"input_wirings": [
			{"workflow_input_name": "a", "adapter_id": "sql-adapter", "ref_id": "db/series_query", "filters": {"sql_query": "SELECT '2024-01-01T00:00:00Z'::timestamptz + a * interval '1 min', a FROM src ORDER BY a"}},
			{"workflow_input_name": "b", "adapter_id": "direct_provisioning", "filters": {"value": "0.5"}}]}}`)
	var doc map[string]any
	if err := json.Unmarshal(resp.JSON(), &doc); err != nil || resp.Result != runtime.ResultOK {
		t.Fatalf("%v %s", err, resp.JSON())
	}
	if got, _ := json.Marshal(doc["output_results_by_output_name"]); !strings.Contains(string(got), `"index":["2024-01-01T00:01:00.000Z","2024-01-01T00:02:00.000Z"]`) || !strings.Contains(string(got), `"data":[1.5,2.5]`) {
		t.Errorf("sum %s", got)
	}
	for _, tc := range []struct {
		name, req        string
		stage            runtime.Stage
		typ, msg, secret string
	}{
		{"load", `{"id": "` + passFrameID + `", "wiring": {"input_wirings": [{"workflow_input_name": "input", "adapter_id": "sql-adapter", "ref_id": "db/table/nothere"}]}}`,
			runtime.StageLoadingData, "AdapterHandlingException", `Adapter "sql-adapter" could not load input 'input' ("db/table/nothere"): database "db": ERROR: relation "nothere" does not exist (SQLSTATE 42P01)`, ""},
		{"send", `{"id": "` + passFrameID + `", "wiring": {"input_wirings": [{"workflow_input_name": "input", "adapter_id": "direct_provisioning", "filters": {"value": "{\"a\": [1]}"}}],
			"output_wirings": [{"workflow_output_name": "output", "adapter_id": "sql-adapter", "ref_id": "db/append_table/other"}]}}`,
			runtime.StageSendingData, "AdapterHandlingException", `Adapter "sql-adapter" could not send output 'output' ("db/append_table/other"): table "other" of database "db" is not an append table (append_tables)`, ""},
		{"point limit", `{"id": "` + passFrameID + `", "wiring": {"input_wirings": [{"workflow_input_name": "input", "adapter_id": "sql-adapter", "ref_id": "db/query", "filters": {"sql_query": "SELECT * FROM generate_series(1, 2000)"}}]}}`,
			runtime.StageLoadingData, "InputTooLarge", `Adapter "sql-adapter" could not load input 'input' ("db/query"): Input 'input' has more than the limit of 1000 points (MAX_POINTS).`, ""},
	} {
		resp := p.execute(rt, tc.req)
		if resp.Result != runtime.ResultFailure || resp.Error.Stage != tc.stage || resp.Error.Type != tc.typ || resp.Error.Message != tc.msg {
			t.Errorf("%s: %s", tc.name, resp.JSON())
		}
		noCredentials(t, string(resp.JSON()))
	}
	// an input wired to a database that refuses the password: no credentials anywhere
	bad := newPG(t, func(d *Database) { d.URL = strings.Replace(d.URL, "pgtest-Secret", "not-it", 1) })
	resp = bad.execute(bad.runtime(), `{"id": "`+passSeriesID+`", "wiring": {"input_wirings": [{"workflow_input_name": "input", "adapter_id": "sql-adapter", "ref_id": "db/series_query", "filters": {"sql_query": "SELECT now(), 1"}}]}}`)
	if resp.Result != runtime.ResultFailure || resp.Error.Type != "AdapterConnectionError" || resp.Error.Stage != runtime.StageLoadingData {
		t.Errorf("wrong password: %s", resp.JSON())
	}
	noCredentials(t, string(resp.JSON()))
	if strings.Contains(string(resp.JSON()), "not-it") {
		t.Errorf("the reply shows the password: %s", resp.JSON())
	}
}
