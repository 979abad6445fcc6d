package runtime

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/internal/workload"
	"github.com/trafofn/trafofn/runtime/wire"
)

// sameRequest compares two decoded requests field by field (filters by key, text and
// whether they stayed escaped; generated job ids are random).
func sameRequest(a, b Request) string {
	if a.JobIDGenerated && b.JobIDGenerated {
		a.JobID, b.JobID = "", ""
	}
	if a.Wiring == nil || b.Wiring == nil {
		if a.Wiring != b.Wiring {
			return "wiring: one is nil"
		}
	} else {
		wa, wb := *a.Wiring, *b.Wiring
		if len(wa.Inputs) != len(wb.Inputs) || len(wa.Outputs) != len(wb.Outputs) ||
			(wa.Inputs == nil) != (wb.Inputs == nil) || (wa.Outputs == nil) != (wb.Outputs == nil) ||
			(wa.Dashboard == nil) != (wb.Dashboard == nil) || len(wa.Dashboard) != len(wb.Dashboard) {
			return fmt.Sprintf("wiring shape: %+v vs %+v", wa, wb)
		}
		for i := range wa.Inputs {
			x, y := wa.Inputs[i], wb.Inputs[i]
			if d := sameEntry(x.Name, y.Name, x.Adapter, y.Adapter, []*string{x.RefID, x.RefIDType, x.RefKey, x.Type}, []*string{y.RefID, y.RefIDType, y.RefKey, y.Type}, x.Filters, y.Filters); d != "" || x.UseDefaultValue != y.UseDefaultValue {
				return fmt.Sprintf("input %d: %s (use_default_value %v, %v)", i, d, x.UseDefaultValue, y.UseDefaultValue)
			}
		}
		for i := range wa.Outputs {
			x, y := wa.Outputs[i], wb.Outputs[i]
			if d := sameEntry(x.Name, y.Name, x.Adapter, y.Adapter, []*string{x.RefID, x.RefIDType, x.RefKey, x.Type}, []*string{y.RefID, y.RefIDType, y.RefKey, y.Type}, x.Filters, y.Filters); d != "" {
				return fmt.Sprintf("output %d: %s", i, d)
			}
		}
	}
	a.Wiring, b.Wiring = nil, nil
	if a != b {
		return fmt.Sprintf("%+v vs %+v", a, b)
	}
	return ""
}

func sameEntry[A comparable, F interface {
	~[]E
}, E interface {
	Value() string
	Raw() any
}](na, nb string, aa, ab A, pa, pb []*string, fa, fb F) string {
	if na != nb || aa != ab {
		return fmt.Sprintf("name/adapter %q %v vs %q %v", na, aa, nb, ab)
	}
	for i := range pa {
		if (pa[i] == nil) != (pb[i] == nil) || (pa[i] != nil && *pa[i] != *pb[i]) {
			return fmt.Sprintf("optional field %d differs", i)
		}
	}
	if len(fa) != len(fb) || (fa == nil) != (fb == nil) {
		return fmt.Sprintf("filters %d vs %d", len(fa), len(fb))
	}
	for i := range fa {
		_, ea := fa[i].Raw().(*wire.Escaped)
		_, eb := fb[i].Raw().(*wire.Escaped)
		if fa[i].Value() != fb[i].Value() || ea != eb {
			return fmt.Sprintf("filter %d differs", i)
		}
	}
	return ""
}

// commonBodies are requests of the common shape and variations of them around every
// rule decodeCommon relies on.
func commonBodies() [][]byte {
	seed := string(workload.SeedRequest(false))
	big := make([]string, 70)
	for i := range big {
		big[i] = fmt.Sprintf(`{"workflow_input_name":"x%d","adapter_id":"direct_provisioning","filters":{"value":"1"}}`, i)
	}
	id := `"id":"2f511674-f766-748d-2de3-ad5e62e10a1a"`
	in := func(entries string) string {
		return `{` + id + `,"wiring":{"input_wirings":[` + entries + `],"output_wirings":[]},"job_id":"00000000-0000-0000-0000-000000000002"}`
	}
	one := `{"workflow_input_name":"input","adapter_id":"direct_provisioning","filters":{"value":"1.5"}}`
	bodies := []string{
		seed,
		string(workload.SeedRequest(true)),
		string(workload.Volatility(workload.VolatilityRequest{Series: workload.PointsSeries(200)})),
		in(one),
		in(one + "," + strings.Replace(one, `"input"`, `"other"`, 1)),
		in(""),
		`{` + id + `,"wiring":{}}`,
		`{` + id + `,"wiring":{"input_wirings":[],"output_wirings":[{"workflow_output_name":"out","adapter_id":"direct_provisioning"}]},"run_pure_plot_operators":true}`,
		`{` + id + `,"wiring":{"output_wirings":[{"workflow_output_name":"out","adapter_id":"direct_provisioning","filters":{"kind":"x"}}]}}`,
		// each of these must be left to the generic path
		in(one + "," + one), // a repeated input name
		in(strings.Replace(one, `"input"`, `"class"`, 1)),                           // a keyword
		in(strings.Replace(one, `"input"`, `"1x"`, 1)),                              // not an identifier
		in(strings.Replace(one, `"direct_provisioning"`, `1`, 1)),                   // an integer adapter id
		in(strings.Replace(one, `"1.5"`, `1.5`, 1)),                                 // a number coerced to a string
		in(strings.Replace(one, `"1.5"`, `null`, 1)),                                // a null filter value
		in(strings.Replace(one, `"value"`, `"from"`, 1)),                            // a reserved filter key
		in(strings.Replace(one, `"value"`, `"v"`, 1)),                               // a key the regex refuses
		in(strings.Replace(one, `{"value":"1.5"}`, `{"value":"1","value":"2"}`, 1)), // a repeated filter key
		in(strings.Replace(one, `"filters"`, `"ref_id":"r","filters"`, 1)),
		in(strings.Replace(one, `"filters"`, `"use_default_value":"yes","filters"`, 1)),
		in(strings.Replace(one, `"filters"`, `"use_default_value":true,"filters"`, 1)),
		in(strings.Replace(one, `"filters"`, `"adapter_id":"again","filters"`, 1)),
		in(strings.Replace(one, `"adapter_id":"direct_provisioning",`, ``, 1)), // no adapter
		in(strings.Join(big, ",")),                                             // more wirings than decodeCommon reads
		`{` + id + `,"wiring":null}`,
		`{` + id + `,"wiring":{"input_wirings":[],"dashboard_positionings":[]}}`,
		`{` + id + `,"wiring":{},"job_id":"not a uuid"}`,
		`{` + id + `,"wiring":{},"job_id":"00000000-0000-0000-0000-00000000000A"}`,
		`{` + id + `,"wiring":{},"run_pure_plot_operators":"true"}`,
		`{` + id + `,` + id + `,"wiring":{}}`,
		`{` + id + `,"wiring":{},"extra":1}`,
		`{"revision_group_id":"2f511674-f766-748d-2de3-ad5e62e10a1a","wiring":{}}`,
		`{"wiring":{}}`,
		`{` + id + `}`,
		`{` + id + `,"wiring":{}} x`,
		`{` + id + `,"wiring":{"input_wirings":[{]}}`,
		`[]`,
	}
	out := make([][]byte, len(bodies))
	for i, b := range bodies {
		out[i] = []byte(b)
	}
	if dir := os.Getenv("CONFORMANCE_DIR"); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "cases", "*", "request.json"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				out = append(out, b)
			}
		}
	}
	return out
}

// TestDecodeCommonIsTheGenericDecoding: whatever decodeCommon accepts, the generic path
// accepts too and decodes into the same request; the common shape itself is accepted.
func TestDecodeCommonIsTheGenericDecoding(t *testing.T) {
	rt, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	accepted := 0
	for i, body := range commonBodies() {
		for _, mode := range []Mode{ByID, AnyMode, LatestByGroup} {
			fast, ok := rt.decodeCommon(body, mode)
			if !ok {
				continue
			}
			accepted++
			slow, err := rt.decodeGeneric(context.Background(), body, mode)
			if err != nil {
				t.Errorf("body %d, mode %d: decodeCommon accepted what the generic path refuses (%v):\n%.300s", i, mode, err, body)
				continue
			}
			if d := sameRequest(fast, slow); d != "" {
				t.Errorf("body %d, mode %d: %s\n%.300s", i, mode, d, body)
			}
		}
	}
	for _, body := range [][]byte{workload.SeedRequest(false), workload.SeedRequest(true)} {
		if _, ok := rt.decodeCommon(body, AnyMode); !ok {
			t.Errorf("the seed request is not of the common shape:\n%s", body)
		}
	}
	if accepted < 10 {
		t.Errorf("decodeCommon accepted %d bodies and modes, want the common ones (≥ 10)", accepted)
	}
}

// FuzzDecodeCommon: on arbitrary bodies decodeCommon never accepts what the generic path
// refuses, and never decodes differently.
//
//	go test -fuzz FuzzDecodeCommon -fuzztime 60s ./runtime/
func FuzzDecodeCommon(f *testing.F) {
	rt, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range commonBodies() {
		if len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, mode := range []Mode{ByID, AnyMode} {
			fast, ok := rt.decodeCommon(body, mode)
			if !ok {
				continue
			}
			slow, err := rt.decodeGeneric(context.Background(), body, mode)
			if err != nil {
				t.Fatalf("accepted what the generic path refuses: %v", err)
			}
			if d := sameRequest(fast, slow); d != "" {
				t.Fatal(d)
			}
		}
	})
}
