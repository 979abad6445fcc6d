package runtime_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/trafofn/trafofn/internal/workload"
	"github.com/trafofn/trafofn/runtime"
)

// addConformanceSeeds seeds a fuzz target with the recorded reference requests when
// CONFORMANCE_DIR is set.
func addConformanceSeeds(f *testing.F) {
	dir := os.Getenv("CONFORMANCE_DIR")
	if dir == "" {
		return
	}
	files, _ := filepath.Glob(filepath.Join(dir, "cases", "*", "request.json"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
}

// FuzzExecute feeds arbitrary bodies through request validation and execution: nothing
// panics, every accepted request yields a response that is valid JSON, every rejected one
// a typed error.
//
//	go test -fuzz FuzzExecute -fuzztime 60s ./runtime/
func FuzzExecute(f *testing.F) {
	rt, err := runtime.New(runtime.Options{MaxPoints: 5000})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(workload.SeedRequest(false))
	f.Add(workload.SeedRequest(true))
	f.Add([]byte(`{"id": "2f511674-f766-748d-2de3-ad5e62e10a1a", "wiring": {"input_wirings": [{"workflow_input_name": "input", "adapter_id": 1, "filters": {"value": "NaN"}}]}}`))
	f.Add([]byte(`{"revision_group_id": "d0d40c45-aef0-424a-a8f4-b16cd5f8b129", "wiring": {}}`))
	f.Add([]byte(`{"id": "bfa27afc-dea8-b8aa-4b15-94402f0739b6", "wiring": {"input_wirings": [{"workflow_input_name": "input", "adapter_id": "direct_provisioning", "filters": {"value": "{\"__hd_wrapped_data_object__\": \"SERIES\", \"__metadata__\": {}, \"__data__\": {\"name\": 1, \"index\": [1, 1], \"data\": [true, null]}, \"__data_parsing_options__\": {\"orient\": \"split\"}}"}}]}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"id": null}`))
	addConformanceSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, mode := range []runtime.Mode{runtime.AnyMode, runtime.ByID} {
			req, err := rt.DecodeRequest(body, mode)
			if err != nil {
				if _, ok := err.(*runtime.RequestError); !ok {
					t.Fatalf("DecodeRequest error of type %T: %v", err, err)
				}
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			resp, err := rt.Execute(ctx, req)
			cancel()
			if err != nil {
				switch err.(type) {
				case *runtime.NotFoundError, *runtime.WiringError:
				default:
					t.Fatalf("Execute error of type %T: %v", err, err)
				}
				continue
			}
			out := resp.JSON()
			if !json.Valid(out) {
				t.Fatalf("response is not valid JSON: %s", out)
			}
			if (resp.Result == runtime.ResultFailure) != (resp.Error != nil) {
				t.Fatalf("result %s with error %v", resp.Result, resp.Error)
			}
		}
	})
}
