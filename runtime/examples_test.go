package runtime_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/store"
	"github.com/trafofn/trafofn/runtime/wire"
)

// testWiringFails are the example workflows whose own stored test wiring fails in hetida
// too (spec §3.5): the error type trafofn answers with, as hetida does
// ("WiringValidationError": the test wiring leaves a required input unwired, which hetida
// rejects with 422).
var testWiringFails = map[string]string{
	"Combine two Series as named columns into DataFrame": "TypeError", // an ANY input arrives as a dict
	"Combine two Series into DataFrame":                  "WiringValidationError",
	"Get ExampleClass Object Attributes":                 "WiringValidationError",
	"Load Keras Model with Custom Layer":                 "WiringValidationError",
	"Persist Wrapped Keras Model with Custom Layer":      "NotImplementedError", // needs TensorFlow
}

// Every example workflow of the embedded catalogue runs alone — no TRANSFORMATIONS_DIR —
// with its stored test wiring ("wiring": null), plots off and on, and every output holds
// a value of its declared type (plots: {} when plot operators are skipped, a figure when
// they run).
func TestExampleWorkflowsRunEmbedded(t *testing.T) {
	rt, err := runtime.New(runtime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, rev := range rt.Store().All() {
		if rev.Type != store.TypeWorkflow {
			continue
		}
		n++
		for _, plots := range []bool{false, true} {
			req, err := rt.DecodeRequest(body(t, doc{"id": rev.ID, "wiring": nil, "run_pure_plot_operators": plots}), runtime.ByID)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := rt.Execute(context.Background(), req)
			if err != nil {
				var we *runtime.WiringError
				if want := testWiringFails[rev.Name]; want != "WiringValidationError" || !errors.As(err, &we) {
					t.Errorf("%s (plots %v): rejected: %v", rev.Name, plots, err)
				}
				continue
			}
			if want, ok := testWiringFails[rev.Name]; ok {
				if resp.Result != runtime.ResultFailure || resp.Error.Type != want || resp.Error.Stage != runtime.StageExecuting {
					t.Errorf("%s (plots %v): %s %+v; want a %s while executing, as hetida's own test wiring fails", rev.Name, plots, resp.Result, resp.Error, want)
				}
				continue
			}
			if resp.Result != runtime.ResultOK {
				t.Errorf("%s (plots %v): %s: %+v", rev.Name, plots, resp.Result, resp.Error)
				continue
			}
			types := map[string]data.Type{}
			for _, ot := range resp.OutputTypes {
				types[ot.Name] = ot.Type
			}
			if len(resp.Outputs) != len(rev.Outputs) {
				t.Errorf("%s: %d outputs, want %d", rev.Name, len(resp.Outputs), len(rev.Outputs))
			}
			for _, o := range resp.Outputs {
				v, err := wire.Decode(o.JSON)
				if err != nil {
					t.Fatalf("%s.%s: %v", rev.Name, o.Name, err)
				}
				if msg := typeMismatch(types[o.Name], v, plots); msg != "" {
					t.Errorf("%s (plots %v): output %s (%s): %s: %.200s", rev.Name, plots, o.Name, types[o.Name], msg, o.JSON)
				}
			}
		}
	}
	if n != 18 {
		t.Errorf("%d example workflows embedded, want hetida's 18", n)
	}
}

// typeMismatch says how a decoded output value does not fit its declared type ("" when it
// does).
func typeMismatch(t data.Type, v any, plots bool) string {
	wrapped := func(kind string) string {
		d, ok := v.(*data.Dict)
		if !ok {
			return "not a wrapped pandas object"
		}
		if k, _ := d.Get("__hd_wrapped_data_object__"); k != kind {
			return "wrapped as " + data.PyRepr(k)
		}
		return ""
	}
	switch t {
	case data.TypeSeries:
		return wrapped("SERIES")
	case data.TypeDataFrame, data.TypeMultiTSFrame:
		return wrapped("DATAFRAME")
	case data.TypePlotlyJSON:
		d, ok := v.(*data.Dict)
		switch {
		case !ok:
			return "not an object"
		case !plots && d.Len() != 0:
			return "a figure although plot operators are skipped"
		case plots && !d.Has("data"):
			return "no figure"
		}
	case data.TypeFloat:
		if l, ok := v.([]any); ok && len(l) == 1 {
			v = l[0] // hetida's regressions return their slope as a one-element array
		}
		if _, ok := data.ToFloat(v); !ok && v != nil {
			return "not a number"
		}
	case data.TypeInt:
		if _, ok := v.(int64); !ok {
			return "not an integer"
		}
	case data.TypeString:
		if _, ok := v.(string); !ok && v != nil {
			return "not a string"
		}
	case data.TypeBoolean:
		if _, ok := v.(bool); !ok {
			return "not a boolean"
		}
	case data.TypeAny:
	default:
		return "unknown type " + strings.ToLower(string(t))
	}
	return ""
}
