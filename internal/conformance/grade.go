// Package conformance grades execution responses against responses recorded from hetida's
// own runtime. Grade follows ../shared/tools/conform.py (its docstring and grade()) rule by
// rule, so that the Go test and the Python grader agree on every case.
package conformance

import (
	"fmt"
	"math"
	"strings"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Verdicts.
const (
	Pass = "pass"
	Fail = "fail"
	Skip = "skip"
)

// Meta is a case's meta.json (the fields the grader uses).
type Meta struct {
	HTTPStatus int
	Endpoint   string
	Compare    string
}

// Deviation is an entry of deviations.json: where trafofn deliberately differs.
type Deviation struct {
	Accept string // failure | ok | ok-null-or-failure | skip
	Why    string
	Stage  string
}

var topKeys = []string{"error", "output_results_by_output_name", "traceback", "job_id",
	"measured_steps", "result", "output_types_by_output_name", "process_id"}
var stepKeys = []string{"internal_full", "prepare_execution_input", "run_execution_input",
	"runtime_service_handling", "pure_execution", "load_data", "send_data"}

func isNaN(x any) bool {
	if x == nil {
		return true
	}
	f, ok := x.(float64)
	return ok && f != f
}

func number(x any) (float64, bool) {
	switch v := x.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

func close(a, b any) bool {
	ab, aBool := a.(bool)
	bb, bBool := b.(bool)
	if aBool || bBool {
		// Python: True == 1, False == 0
		fa, fb := pyNum(a), pyNum(b)
		if aBool && bBool {
			return ab == bb
		}
		return fa != nil && fb != nil && *fa == *fb
	}
	fa, aok := number(a)
	fb, bok := number(b)
	if !aok || !bok {
		return false
	}
	if math.IsInf(fa, 0) || math.IsInf(fb, 0) {
		return fa == fb
	}
	return math.Abs(fa-fb) <= math.Max(1e-12, 1e-9*math.Max(math.Abs(fa), math.Abs(fb)))
}

func pyNum(x any) *float64 {
	switch v := x.(type) {
	case bool:
		f := 0.0
		if v {
			f = 1
		}
		return &f
	case int64:
		f := float64(v)
		return &f
	case float64:
		return &v
	}
	return nil
}

func short(v any, n int) string {
	s := fmt.Sprintf("%v", pyStr(v))
	if len(s) > n {
		s = s[:n]
	}
	return fmt.Sprintf("%q", s)
}

func pyStr(v any) string {
	b, err := wire.AppendValue(nil, v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if s, ok := v.(string); ok {
		return s
	}
	return string(b)
}

// diff is conform.py's deep comparison with float tolerance (at most limit differences).
func diff(exp, act any, path string, out *[]string, limit int) {
	if len(*out) >= limit {
		return
	}
	if isNaN(exp) && isNaN(act) {
		return
	}
	if _, isBool := exp.(bool); !isBool {
		if _, ok := number(exp); ok {
			if !close(exp, act) {
				*out = append(*out, fmt.Sprintf("%s: expected %s, got %s", path, pyStr(exp), pyStr(act)))
			}
			return
		}
	}
	switch e := exp.(type) {
	case *data.Dict:
		a, ok := act.(*data.Dict)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: expected object, got %s", path, typeName(act)))
			return
		}
		for _, k := range e.Keys() {
			av, ok := a.Get(k)
			if !ok {
				*out = append(*out, fmt.Sprintf("%s.%s: missing", path, k))
			} else {
				ev, _ := e.Get(k)
				diff(ev, av, path+"."+k, out, limit)
			}
		}
		for _, k := range a.Keys() {
			if !e.Has(k) {
				*out = append(*out, fmt.Sprintf("%s.%s: unexpected key", path, k))
			}
		}
		return
	case []any:
		a, ok := act.([]any)
		if !ok {
			*out = append(*out, fmt.Sprintf("%s: expected list, got %s", path, typeName(act)))
			return
		}
		if len(e) != len(a) {
			*out = append(*out, fmt.Sprintf("%s: expected %d items, got %d", path, len(e), len(a)))
			return
		}
		for i := range e {
			diff(e[i], a[i], fmt.Sprintf("%s[%d]", path, i), out, limit)
		}
		return
	}
	if !pyEqual(exp, act) {
		*out = append(*out, fmt.Sprintf("%s: expected %s, got %s", path, short(exp, 80), short(act, 80)))
	}
}

// pyEqual is Python's == for decoded JSON scalars (True == 1).
func pyEqual(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if fa, fb := pyNum(a), pyNum(b); fa != nil && fb != nil {
		return *fa == *fb
	}
	sa, aok := a.(string)
	sb, bok := b.(string)
	if aok || bok {
		return aok && bok && sa == sb
	}
	da, aok := a.(*data.Dict)
	db, bok := b.(*data.Dict)
	if aok && bok {
		var out []string
		diffExact(da, db, &out)
		return len(out) == 0
	}
	la, aok := a.([]any)
	lb, bok := b.([]any)
	if aok && bok {
		if len(la) != len(lb) {
			return false
		}
		for i := range la {
			if !pyEqual(la[i], lb[i]) {
				return false
			}
		}
		return true
	}
	return false
}

func diffExact(a, b *data.Dict, out *[]string) {
	if a.Len() != b.Len() {
		*out = append(*out, "len")
		return
	}
	for _, k := range a.Keys() {
		av, _ := a.Get(k)
		bv, ok := b.Get(k)
		if !ok || !pyEqual(av, bv) {
			*out = append(*out, k)
		}
	}
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int64:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []any:
		return "list"
	case *data.Dict:
		return "dict"
	}
	return fmt.Sprintf("%T", v)
}

// sameInstant compares plot timestamps as instants; naive strings count as UTC.
func sameInstant(a, b string) bool {
	pa, za, ea := data.ParseISO(a)
	pb, zb, eb := data.ParseISO(b)
	if ea != nil || eb != nil {
		return a == b
	}
	_, _ = za, zb
	return pa == pb
}

func get(d *data.Dict, k string) any {
	if d == nil {
		return nil
	}
	v, _ := d.Get(k)
	return v
}

func dict(v any) *data.Dict {
	d, _ := v.(*data.Dict)
	return d
}

func diffPlot(exp, act any, path string, out *[]string) {
	ed := dict(exp)
	if ed != nil && ed.Len() == 0 {
		if ad := dict(act); ad == nil || ad.Len() != 0 {
			*out = append(*out, path+": expected empty plot {} (plot operators not run), got non-empty")
		}
		return
	}
	ad := dict(act)
	if ad == nil || !ad.Has("data") {
		*out = append(*out, path+": expected a plotly figure with 'data'")
		return
	}
	es, _ := get(dict(get(ed, "layout")), "shapes").([]any)
	as, asOK := get(dict(get(ad, "layout")), "shapes").([]any)
	if len(es) > 0 {
		if !asOK || len(es) != len(as) {
			n := "none"
			if asOK {
				n = fmt.Sprint(len(as))
			}
			*out = append(*out, fmt.Sprintf("%s.layout.shapes: expected %d shapes, got %s", path, len(es), n))
		} else {
			for i := range es {
				e, a := dict(es[i]), dict(as[i])
				if !pyEqual(get(e, "type"), get(a, "type")) {
					*out = append(*out, fmt.Sprintf("%s.layout.shapes[%d].type: expected %v, got %v", path, i, get(e, "type"), get(a, "type")))
				}
				for _, key := range []string{"x0", "x1", "y0", "y1"} {
					x, y := get(e, key), get(a, key)
					xs, xok := x.(string)
					ys, yok := y.(string)
					var ok bool
					if xok && yok {
						ok = sameInstant(xs, ys)
					} else {
						ok = (isNaN(x) && isNaN(y)) || close(x, y) || pyEqual(x, y)
					}
					if !ok {
						*out = append(*out, fmt.Sprintf("%s.layout.shapes[%d].%s: expected %s, got %s", path, i, key, pyStr(x), pyStr(y)))
					}
				}
			}
		}
	}
	et, _ := get(ed, "data").([]any)
	at, _ := get(ad, "data").([]any)
	if len(et) != len(at) {
		*out = append(*out, fmt.Sprintf("%s.data: expected %d traces, got %d", path, len(et), len(at)))
		return
	}
	for i := range et {
		e, a := dict(et[i]), dict(at[i])
		for _, key := range []string{"type", "mode", "name"} {
			if e.Has(key) && !pyEqual(get(e, key), get(a, key)) {
				*out = append(*out, fmt.Sprintf("%s.data[%d].%s: expected %s, got %s", path, i, key, pyStr(get(e, key)), pyStr(get(a, key))))
			}
		}
		for _, key := range []string{"x", "y"} {
			if !e.Has(key) {
				continue
			}
			ev, _ := get(e, key).([]any)
			av, ok := get(a, key).([]any)
			if !ok || len(ev) != len(av) {
				*out = append(*out, fmt.Sprintf("%s.data[%d].%s: length differs", path, i, key))
				continue
			}
			for j := range ev {
				x, y := ev[j], av[j]
				xs, xok := x.(string)
				ys, yok := y.(string)
				var ok bool
				if xok && yok {
					ok = sameInstant(xs, ys)
				} else {
					ok = (isNaN(x) && isNaN(y)) || close(x, y) || pyEqual(x, y)
				}
				if !ok {
					*out = append(*out, fmt.Sprintf("%s.data[%d].%s[%d]: expected %s, got %s", path, i, key, j, pyStr(x), pyStr(y)))
					break
				}
			}
		}
	}
}

// Grade compares one response (status and body) with the recorded expectation.
// It returns the verdict and the hard and soft differences.
func Grade(meta Meta, expBody []byte, status int, body []byte, dev *Deviation) (verdict string, hard, soft []string) {
	accept := ""
	if dev != nil {
		accept = dev.Accept
	}
	if accept == "skip" {
		return Skip, nil, nil
	}
	if accept == "failure" || accept == "ok-null-or-failure" || accept == "ok" {
		if status != 200 {
			return Fail, []string{fmt.Sprintf("HTTP %d, expected 200 (%s)", status, dev.Why)}, nil
		}
		av, err := wire.Decode(body)
		act := dict(av)
		if err != nil || act == nil {
			return Fail, []string{fmt.Sprintf("body is not JSON: %v", err)}, nil
		}
		res := get(act, "result")
		if dev.Stage != "" && pyEqual(res, "failure") {
			got := get(dict(get(act, "error")), "process_stage")
			if !pyEqual(got, dev.Stage) {
				hard = append(hard, fmt.Sprintf("error.process_stage: expected %s (%s), got %v", dev.Stage, dev.Why, pyStr(got)))
			}
		}
		switch accept {
		case "ok":
			if !pyEqual(res, "ok") {
				hard = append(hard, fmt.Sprintf("expected result 'ok' (%s), got %s", dev.Why, pyStr(res)))
			}
		case "failure":
			if e := dict(get(act, "error")); !pyEqual(res, "failure") || e == nil || e.Len() == 0 {
				hard = append(hard, fmt.Sprintf("expected result 'failure' with an error (%s), got %s", dev.Why, pyStr(res)))
			}
		default:
			if pyEqual(res, "ok") {
				vals := dict(get(act, "output_results_by_output_name"))
				for _, k := range vals.Keys() {
					if v, _ := vals.Get(k); v != nil {
						hard = append(hard, "expected null for a NaN/inf float output, or a failure")
						break
					}
				}
			} else if !pyEqual(res, "failure") {
				hard = append(hard, fmt.Sprintf("result %s", pyStr(res)))
			}
		}
		if len(hard) > 0 {
			return Fail, hard, soft
		}
		return Pass, hard, soft
	}
	if status != meta.HTTPStatus {
		return Fail, []string{fmt.Sprintf("HTTP %d, expected %d", status, meta.HTTPStatus)}, nil
	}
	if meta.HTTPStatus != 200 {
		return Pass, nil, nil
	}
	av, err := wire.Decode(body)
	act := dict(av)
	if err != nil || act == nil {
		return Fail, []string{fmt.Sprintf("body is not JSON: %v", err)}, nil
	}
	ev, _ := wire.Decode(expBody)
	exp := dict(ev)
	var missing []string
	for _, k := range topKeys {
		if !act.Has(k) {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		hard = append(hard, fmt.Sprintf("missing top-level keys %v", missing))
	}
	var order []string
	for _, k := range act.Keys() {
		for _, t := range topKeys {
			if k == t {
				order = append(order, k)
			}
		}
	}
	var want []string
	for _, t := range topKeys {
		if act.Has(t) {
			want = append(want, t)
		}
	}
	if strings.Join(order, ",") != strings.Join(want, ",") {
		soft = append(soft, "top-level key order differs from the reference")
	}
	for _, k := range []string{"result", "job_id"} {
		if !pyEqual(get(act, k), get(exp, k)) {
			hard = append(hard, fmt.Sprintf("%s: expected %s, got %s", k, pyStr(get(exp, k)), pyStr(get(act, k))))
		}
	}
	if !pyEqual(get(act, "output_types_by_output_name"), get(exp, "output_types_by_output_name")) {
		hard = append(hard, fmt.Sprintf("output_types_by_output_name: expected %s, got %s", pyStr(get(exp, "output_types_by_output_name")), pyStr(get(act, "output_types_by_output_name"))))
	}
	types := dict(get(exp, "output_types_by_output_name"))
	eo := dict(get(exp, "output_results_by_output_name"))
	ao := dict(get(act, "output_results_by_output_name"))
	if ao == nil {
		hard = append(hard, "output_results_by_output_name is not an object")
		ao = data.NewDict(0)
	}
	if eo == nil {
		eo = data.NewDict(0)
	}
	if !sameKeys(eo, ao) {
		hard = append(hard, fmt.Sprintf("output names: expected %v, got %v", eo.Keys(), ao.Keys()))
	} else if meta.Compare != "shape" {
		for _, name := range eo.Keys() {
			e, _ := eo.Get(name)
			a, _ := ao.Get(name)
			if pyEqual(get(types, name), "PLOTLYJSON") {
				diffPlot(e, a, "outputs."+name, &hard)
			} else {
				diff(e, a, "outputs."+name, &hard, 5)
			}
		}
	}
	ee, ae := dict(get(exp, "error")), dict(get(act, "error"))
	if (ee == nil) != (ae == nil) {
		hard = append(hard, fmt.Sprintf("error: expected %s, got %s", errName(ee), errName(ae)))
	} else if ee != nil {
		if !pyEqual(get(ee, "process_stage"), get(ae, "process_stage")) {
			hard = append(hard, fmt.Sprintf("error.process_stage: expected %s, got %s", pyStr(get(ee, "process_stage")), pyStr(get(ae, "process_stage"))))
		}
		eoi, aoi := dict(get(ee, "operator_info")), dict(get(ae, "operator_info"))
		if (eoi == nil) != (aoi == nil) {
			hard = append(hard, "error.operator_info presence differs")
		} else if eoi != nil {
			tiE := dict(get(eoi, "transformation_info")).Clone()
			tiA := dict(get(aoi, "transformation_info")).Clone()
			if pyEqual(get(tiE, "name"), "COMPONENT EXECUTION WRAPPER WORKFLOW") {
				tiE.Delete("id")
				tiA.Delete("id")
			}
			if !pyEqual(tiE, tiA) {
				hard = append(hard, fmt.Sprintf("error.operator_info.transformation_info: expected %s, got %s", pyStr(tiE), pyStr(tiA)))
			}
			bnE := get(dict(get(eoi, "hierarchy_in_workflow")), "by_name")
			bnA := get(dict(get(aoi, "hierarchy_in_workflow")), "by_name")
			if !pyEqual(bnE, bnA) {
				hard = append(hard, fmt.Sprintf("error.hierarchy_in_workflow.by_name: expected %s, got %s", pyStr(bnE), pyStr(bnA)))
			}
		}
		for _, k := range []string{"type", "message"} {
			if !pyEqual(get(ee, k), get(ae, k)) {
				soft = append(soft, fmt.Sprintf("error.%s: expected %s, got %s", k, short(get(ee, k), 100), short(get(ae, k), 100)))
			}
		}
	}
	ems := dict(get(exp, "measured_steps"))
	ams := dict(get(act, "measured_steps"))
	if ams == nil {
		soft = append(soft, "measured_steps is not an object")
	} else {
		for _, k := range stepKeys {
			if (get(ems, k) == nil) != (get(ams, k) == nil) {
				soft = append(soft, "measured_steps null pattern differs")
				break
			}
		}
	}
	if (get(exp, "traceback") == nil) != (get(act, "traceback") == nil) {
		soft = append(soft, "traceback presence differs")
	}
	if len(hard) > 0 {
		return Fail, hard, soft
	}
	return Pass, hard, soft
}

func sameKeys(a, b *data.Dict) bool {
	if a.Len() != b.Len() {
		return false
	}
	for _, k := range a.Keys() {
		if !b.Has(k) {
			return false
		}
	}
	return true
}

func errName(e *data.Dict) string {
	if e == nil {
		return "none"
	}
	return pyStr(get(e, "type"))
}
