package runtime_test

import (
	"encoding/json"
	"testing"

	"github.com/trafofn/trafofn/runtime"
)

// The catalogue listing shows every embedded revision with hetida's fields, and its
// filters narrow it down.
func TestCatalogueJSON(t *testing.T) {
	rt, err := runtime.New(runtime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var all []map[string]any
	if err := json.Unmarshal(rt.CatalogueJSON(runtime.CatalogueFilter{}), &all); err != nil {
		t.Fatal(err)
	}
	if len(all) != rt.Store().Len() {
		t.Fatalf("%d entries, store has %d", len(all), rt.Store().Len())
	}
	for _, k := range []string{"id", "revision_group_id", "name", "description", "category", "version_tag", "released_timestamp", "disabled_timestamp", "state", "type", "io_interface", "test_wiring"} {
		if _, ok := all[0][k]; !ok {
			t.Errorf("entry lacks %q: %v", k, all[0])
		}
	}
	var wfs []map[string]any
	if err := json.Unmarshal(rt.CatalogueJSON(runtime.CatalogueFilter{Type: "WORKFLOW"}), &wfs); err != nil {
		t.Fatal(err)
	}
	if len(wfs) != 18 {
		t.Errorf("%d workflows, want hetida's 18 examples", len(wfs))
	}
	var vol []map[string]any
	if err := json.Unmarshal(rt.CatalogueJSON(runtime.CatalogueFilter{IDs: []string{"79ce1eb1-3ef8-4c74-9114-c856fd88dc89"}}), &vol); err != nil {
		t.Fatal(err)
	}
	if len(vol) != 1 || vol[0]["name"] != "Volatility Detection Example" || vol[0]["state"] != "RELEASED" {
		t.Fatalf("volatility: %v", vol)
	}
	ins := vol[0]["io_interface"].(map[string]any)["inputs"].([]any)
	if len(ins) != 4 || ins[0].(map[string]any)["name"] != "window_size" || ins[0].(map[string]any)["type"] != "REQUIRED" {
		t.Errorf("volatility inputs: %v", ins)
	}
	if got := string(rt.CatalogueJSON(runtime.CatalogueFilter{Category: "no such category"})); got != "[]" {
		t.Errorf("empty listing: %s", got)
	}
}
