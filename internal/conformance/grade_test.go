package conformance

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// The grader must accept every recorded response against itself and reject copies with
// one hard difference: a changed result, job id, output type, output value (beyond the
// float tolerance), plot trace or shape, error stage or operator.
func TestGraderAcceptsReferencesAndRejectsMutations(t *testing.T) {
	dir := conformanceDir(t)
	cases, err := LoadCases(filepath.Join(dir, "cases"))
	if err != nil {
		t.Fatal(err)
	}
	mutated := 0
	for _, c := range cases {
		if verdict, hard, _ := Grade(c.Meta, c.Expected, c.Meta.HTTPStatus, c.Expected, nil); verdict != Pass {
			t.Errorf("%s: the reference does not pass against itself: %v", c.Name, hard)
			continue
		}
		if c.Meta.HTTPStatus != 200 {
			if v, _, _ := Grade(c.Meta, c.Expected, 200, c.Expected, nil); v != Fail {
				t.Errorf("%s: a wrong HTTP status was accepted", c.Name)
			}
			continue
		}
		for _, m := range mutations(t, c.Expected) {
			if c.Meta.Compare == "shape" && strings.HasPrefix(m.what, "changed value") {
				continue // values of random outputs are not compared
			}
			mutated++
			if v, _, _ := Grade(c.Meta, c.Expected, 200, m.body, nil); v != Fail {
				t.Errorf("%s: mutation %q was accepted", c.Name, m.what)
			}
		}
	}
	if mutated < 200 {
		t.Errorf("only %d mutations were tried", mutated)
	}
}

// Floats within the tolerance (1e-9 relative) must still pass.
func TestGraderToleratesRounding(t *testing.T) {
	exp := []byte(`{"error":null,"output_results_by_output_name":{"v":1.0000000001,"s":{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":null,"index":[0],"data":[2.5]},"__data_parsing_options__":{"orient":"split"}}},"traceback":null,"job_id":"j","measured_steps":{},"result":"ok","output_types_by_output_name":{"v":"FLOAT","s":"SERIES"},"process_id":1}`)
	act := []byte(`{"error":null,"output_results_by_output_name":{"v":1.0000000002,"s":{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":null,"index":[0],"data":[2.5000000000001]},"__data_parsing_options__":{"orient":"split"}}},"traceback":null,"job_id":"j","measured_steps":{},"result":"ok","output_types_by_output_name":{"v":"FLOAT","s":"SERIES"},"process_id":2}`)
	if v, hard, _ := Grade(Meta{HTTPStatus: 200}, exp, 200, act, nil); v != Pass {
		t.Errorf("rounding within tolerance rejected: %v", hard)
	}
}

type mutation struct {
	what string
	body []byte
}

// mutations derives copies of a response with exactly one hard difference each.
func mutations(t *testing.T, body []byte) []mutation {
	t.Helper()
	var out []mutation
	add := func(what string, change func(d *data.Dict) bool) {
		v, err := wire.Decode(body)
		if err != nil {
			t.Fatal(err)
		}
		d := v.(*data.Dict)
		if !change(d) {
			return
		}
		b, err := wire.AppendValue(nil, d)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, mutation{what, b})
	}
	add("result", func(d *data.Dict) bool {
		r, _ := d.Get("result")
		d.Set("result", map[bool]string{true: "failure", false: "ok"}[r == "ok"])
		return true
	})
	add("job_id", func(d *data.Dict) bool { d.Set("job_id", "00000000-0000-0000-0000-0000000000ff"); return true })
	add("output type", func(d *data.Dict) bool {
		ty, _ := d.Get("output_types_by_output_name")
		td := ty.(*data.Dict)
		if td.Len() == 0 {
			td.Set("extra", "ANY")
			return true
		}
		k, old := td.At(0)
		nt := "STRING"
		if old == "STRING" {
			nt = "INT"
		}
		td.Set(k, nt)
		return true
	})
	outs, _ := body2dict(t, body).Get("output_results_by_output_name")
	od := outs.(*data.Dict)
	for i := 0; i < od.Len(); i++ {
		name, _ := od.At(i)
		add("missing output "+name, func(d *data.Dict) bool {
			o, _ := d.Get("output_results_by_output_name")
			o.(*data.Dict).Delete(name)
			return true
		})
		add("changed value of "+name, func(d *data.Dict) bool {
			o, _ := d.Get("output_results_by_output_name")
			v, _ := o.(*data.Dict).Get(name)
			nv, ok := perturb(v)
			if ok {
				o.(*data.Dict).Set(name, nv)
			}
			return ok
		})
	}
	add("error presence", func(d *data.Dict) bool {
		e, _ := d.Get("error")
		if e == nil {
			ed := data.NewDict(2)
			ed.Set("type", "X")
			ed.Set("process_stage", "PARSING_WORKFLOW")
			d.Set("error", ed)
		} else {
			d.Set("error", nil)
		}
		return true
	})
	add("error stage", func(d *data.Dict) bool {
		e, _ := d.Get("error")
		ed, ok := e.(*data.Dict)
		if !ok {
			return false
		}
		ed.Set("process_stage", "SENDING_DATA_TO_ADAPTERS")
		return true
	})
	add("operator", func(d *data.Dict) bool {
		e, _ := d.Get("error")
		ed, ok := e.(*data.Dict)
		if !ok {
			return false
		}
		oi, _ := ed.Get("operator_info")
		od, ok := oi.(*data.Dict)
		if !ok {
			return false
		}
		h, _ := od.Get("hierarchy_in_workflow")
		h.(*data.Dict).Set("by_name", []any{"someone else"})
		return true
	})
	return out
}

func body2dict(t *testing.T, b []byte) *data.Dict {
	v, err := wire.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return v.(*data.Dict)
}

// perturb changes one number (or string, or structure) deep inside a value by more than
// the grader's tolerance.
func perturb(v any) (any, bool) {
	switch x := v.(type) {
	case float64:
		if x != x {
			return 1.0, true
		}
		return x*1.001 + 1, true
	case int64:
		return x + 1, true
	case bool:
		return !x, true
	case string:
		return x + "-changed", true
	case nil:
		return 42.0, true
	case []any:
		for i := len(x) - 1; i >= 0; i-- {
			if nv, ok := perturb(x[i]); ok {
				x[i] = nv
				return x, true
			}
		}
		return append(x, 1.0), true
	case *data.Dict:
		// a plot: change a graded part of the first trace (its y, else x values)
		if traces, ok := x.Get("data"); ok {
			if tl, ok := traces.([]any); ok && len(tl) > 0 {
				if tr, ok := tl[0].(*data.Dict); ok {
					for _, k := range []string{"y", "x"} {
						if vals, ok := tr.Get(k); ok {
							if nv, ok := perturb(vals); ok {
								tr.Set(k, nv)
								return x, true
							}
						}
					}
				}
			}
		}
		// prefer the data of a pandas object
		for _, k := range []string{"__data__", "data", "layout"} {
			if inner, ok := x.Get(k); ok {
				if nv, ok := perturb(inner); ok {
					x.Set(k, nv)
					return x, true
				}
			}
		}
		for i := x.Len() - 1; i >= 0; i-- {
			k, e := x.At(i)
			if nv, ok := perturb(e); ok {
				x.Set(k, nv)
				return x, true
			}
		}
		if x.Len() == 0 {
			x.Set("data", []any{})
			return x, true
		}
	}
	return nil, false
}
