package runtime_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/internal/workload"
	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/data"
)

func embedded(t *testing.T, opts runtime.Options) *runtime.Runtime {
	t.Helper()
	opts.Logger = quiet
	rt, err := runtime.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return rt
}

func execute(t *testing.T, rt *runtime.Runtime, b []byte) *runtime.Response {
	t.Helper()
	r, err := rt.DecodeRequest(b, runtime.ByID)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rt.Execute(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// The proof that unobserved operators run: with run_pure_plot_operators false both
// outputs of the Volatility Detection Example come from plot operators that are skipped,
// so nothing asks for Simple Volatility Score's result — yet it runs (hetida requests every
// node after the outputs) and its invalid window fails the execution.
func TestVolatilityUnobservedScoreStillRuns(t *testing.T) {
	rt := embedded(t, runtime.Options{})
	for _, plots := range []bool{false, true} {
		req := workload.SeedRequest(plots)
		req = bytes.Replace(req, []byte(`"filters":{"value":"180min"}`), []byte(`"filters":{"value":"not-a-frequency"}`), 1)
		if !bytes.Contains(req, []byte("not-a-frequency")) {
			t.Fatal("the window size was not replaced")
		}
		resp := execute(t, rt, req)
		e := failure(t, resp, runtime.StageExecuting, resp.Error.Type)
		checkOperator(t, e, "0c3c74d0-89b6-1948-fedd-753eaa47ca0e", "Simple Volatility Score", "1.0.0", "COMPONENT",
			[]string{"Volatility Detection Example", "Simple Volatility Score"}, e.OperatorInfo.ByID[1:])
		if !strings.Contains(e.Message, "not-a-frequency") {
			t.Errorf("plots=%t: message %q does not name the window", plots, e.Message)
		}
		if path(decoded(t, resp), "error", "operator_info", "transformation_info", "name") != "Simple Volatility Score" {
			t.Errorf("plots=%t: JSON operator_info does not name Simple Volatility Score", plots)
		}
	}
	// with a valid window and plots off the same request succeeds with {} for both plots
	out := ok(t, execute(t, rt, workload.SeedRequest(false)))
	for _, k := range []string{"score", "data_and_alerts"} {
		if v, _ := out.Get(k); v == nil || v.(*data.Dict).Len() != 0 {
			t.Errorf("%s = %v; want {}", k, v)
		}
	}
	out = ok(t, execute(t, rt, workload.SeedRequest(true)))
	if path(out, "score", "data", 0, "type") != "scatter" || path(out, "data_and_alerts", "data", 0, "y", 0) != 86.9358994238 {
		t.Errorf("plots on: %s", mustJSON(out))
	}
}

var isoUTC = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$`)

func keys(v any) string {
	d, _ := v.(*data.Dict)
	return strings.Join(d.Keys(), ",")
}

// The response document: field order, the seven measured steps (only the first three on
// failure), the error object's fields, process_id.
func TestResponseShape(t *testing.T) {
	rt := embedded(t, runtime.Options{})
	const top = "error,output_results_by_output_name,traceback,job_id,measured_steps,result,output_types_by_output_name,process_id"
	const steps = "internal_full,prepare_execution_input,run_execution_input,runtime_service_handling,pure_execution,load_data,send_data"
	stepNames := map[string]string{"internal_full": "internal_full", "prepare_execution_input": "prepare_execution_input",
		"run_execution_input": "run_execution_input", "runtime_service_handling": "RUNTIME_SERVICE",
		"pure_execution": "EXECUTING_COMPONENT_CODE", "load_data": "LOADING_DATA_FROM_ADAPTERS", "send_data": "SENDING_DATA_TO_ADAPTERS"}

	good := execute(t, rt, workload.SeedRequest(false))
	bad := execute(t, rt, bytes.Replace(workload.SeedRequest(false), []byte(`"600.0"`), []byte(`"six hundred"`), 1))
	for _, c := range []struct {
		name    string
		resp    *runtime.Response
		success bool
	}{{"success", good, true}, {"failure", bad, false}} {
		d := decoded(t, c.resp)
		if keys(d) != top {
			t.Errorf("%s: top-level keys %s", c.name, keys(d))
		}
		ms, _ := d.Get("measured_steps")
		if keys(ms) != steps {
			t.Errorf("%s: measured_steps keys %s", c.name, keys(ms))
		}
		for i, k := range strings.Split(steps, ",") {
			step := path(ms, k)
			if !c.success && i >= 3 {
				if step != nil {
					t.Errorf("%s: %s = %v; want null", c.name, k, step)
				}
				continue
			}
			if keys(step) != "name,start,end,duration" || path(step, "name") != stepNames[k] {
				t.Errorf("%s: step %s = %s", c.name, k, mustJSON(step))
				continue
			}
			start, _ := path(step, "start").(string)
			end, _ := path(step, "end").(string)
			dur, isFloat := path(step, "duration").(float64)
			if !isoUTC.MatchString(start) || !isoUTC.MatchString(end) || !isFloat || dur < 0 || end < start {
				t.Errorf("%s: step %s = %s", c.name, k, mustJSON(step))
			}
		}
		if path(d, "job_id") != "00000000-0000-0000-0000-000000000002" {
			t.Errorf("%s: job_id %v", c.name, path(d, "job_id"))
		}
		if pid, ok := path(d, "process_id").(int64); !ok || pid <= 0 {
			t.Errorf("%s: process_id %v", c.name, path(d, "process_id"))
		}
		if keys(path(d, "output_types_by_output_name")) != "score,data_and_alerts" || path(d, "output_types_by_output_name", "score") != "PLOTLYJSON" {
			t.Errorf("%s: output types %s", c.name, mustJSON(path(d, "output_types_by_output_name")))
		}
		if c.success {
			if path(d, "error") != nil || path(d, "traceback") != nil || path(d, "result") != "ok" || keys(path(d, "output_results_by_output_name")) != "score,data_and_alerts" {
				t.Errorf("success: %s", c.resp.JSON())
			}
			continue
		}
		e := path(d, "error")
		if keys(e) != "type,error_code,message,extra_information,process_stage,operator_info,location" ||
			keys(path(e, "operator_info")) != "transformation_info,hierarchy_in_workflow" ||
			keys(path(e, "operator_info", "transformation_info")) != "id,name,tag,type" ||
			keys(path(e, "operator_info", "hierarchy_in_workflow")) != "by_name,by_id" ||
			keys(path(e, "location")) != "file,function_name,line_number" {
			t.Errorf("error object: %s", mustJSON(e))
		}
		if path(d, "result") != "failure" || keys(path(d, "output_results_by_output_name")) != "" || path(e, "process_stage") != "PARSING_LOADED_DATA" {
			t.Errorf("failure: %s", c.resp.JSON())
		}
		if tb, _ := path(d, "traceback").(string); tb == "" {
			t.Error("failure without traceback")
		}
	}
	// compact bytes, as hetida's HTTP endpoint writes them
	if !bytes.HasPrefix(good.JSON(), []byte(`{"error":null,"output_results_by_output_name":{"score":{},"data_and_alerts":{}},"traceback":null,"job_id":"00000000-0000-0000-0000-000000000002","measured_steps":{"internal_full":{"name":"internal_full","start":"`)) {
		t.Errorf("compact rendering: %s", good.JSON())
	}

	hidden := embedded(t, runtime.Options{HideProcessID: true})
	if d := decoded(t, execute(t, hidden, workload.SeedRequest(false))); !d.Has("process_id") || path(d, "process_id") != nil {
		t.Errorf("HideProcessID: process_id %v", path(d, "process_id"))
	}
}
