package bench

import (
	"bytes"
	"context"
	"testing"

	"github.com/trafofn/trafofn/function"
	wl "github.com/trafofn/trafofn/internal/workload"
)

// The load generator's shallow reply check must agree with the full decoder wherever it
// answers, and hand everything malformed or unusual to it.
func TestTopLevelAgreesWithDecoder(t *testing.T) {
	v := newVerifier()
	fn, err := v.function()
	if err != nil {
		t.Fatal(err)
	}
	ok, _ := fn.Execute(context.Background(), function.ModeByID, wl.SeedRequest(true))
	failed, _ := fn.Execute(context.Background(), function.ModeByID, []byte(`{"id": "79ce1eb1-3ef8-4c74-9114-c856fd88dc89", "wiring": {"input_wirings": []}, "job_id": "00000000-0000-4000-8000-000000000001"}`))
	inputs := []string{
		string(ok), string(failed), string(wl.SeedRequest(false)),
		`{}`, ` { "job_id" : "a" , "result" : "ok" } `, `{"result":"ok","job_id":"b","x":[1,{"y":"}"}],"z":null}`,
		`{"job_id":"a\u0062","result":"ok"}`, `{"job_id":"a","result":"o\"k"}`, `{"job_id":5,"result":"ok"}`,
		`{"job_id":"a","result":"ok"`, `{"job_id":"a","result":"ok"}x`, `{"job_id":"a",}`, `[]`, ``, `{"job_id":"a" "result":"ok"}`,
		`{"a":{"b":[1,2,"]"]},"job_id":"c","result":"failure"}`,
	}
	for _, in := range inputs {
		job, result, fine := topLevel([]byte(in))
		if !fine {
			continue
		}
		d, err := dict([]byte(in))
		if err != nil {
			t.Errorf("topLevel accepted invalid JSON %.80q", in)
			continue
		}
		wantJob, _ := d.Get("job_id")
		wantResult, _ := d.Get("result")
		if s, _ := wantJob.(string); s != job {
			t.Errorf("%.80q: job %q, decoder %v", in, job, wantJob)
		}
		if s, _ := wantResult.(string); s != result {
			t.Errorf("%.80q: result %q, decoder %v", in, result, wantResult)
		}
	}
	for _, in := range []string{string(ok), string(wl.SeedRequest(false))} {
		if _, _, fine := topLevel([]byte(in)); !fine {
			t.Errorf("topLevel declined a real reply: %.80q", in)
		}
		// the generator checks every reply with it: the two strings it returns are all it
		// may allocate, however many members it skips
		if n := testing.AllocsPerRun(20, func() { topLevel([]byte(in)) }); n > 2 {
			t.Errorf("topLevel allocated %v times for one reply (%d bytes); want at most 2", n, len(in))
		}
		for cut := 1; cut < len(in); cut += 37 {
			if _, _, fine := topLevel([]byte(in[:cut])); fine {
				t.Fatalf("topLevel accepted a truncated reply: %.80q…", in[:cut])
			}
		}
	}
}

// The generator copies a template instead of building every request: the copy must be
// byte for byte what building the request with that job id gives.
func TestTemplatedRequestIsTheBuiltOne(t *testing.T) {
	build := func(job string) []byte {
		return wl.Volatility(wl.VolatilityRequest{Series: wl.SeedSeries, Plots: true, JobID: job})
	}
	tpl := newTemplate(build)
	// the second and third requests reuse recycled buffers
	for _, job := range []string{"9b2f6a3e-7c1d-4e8a-b5f0-2d4c6e8a0b1c", "0d2c7f4a-1b3e-4c5d-8e6f-7a8b9c0d1e2f", "short", "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"} {
		got, want := tpl.request(job), build(job)
		if !bytes.Equal(got, want) {
			t.Errorf("job %s: templated request differs:\n%s\n%s", job, got, want)
		}
		tpl.recycle(got)
	}
}
