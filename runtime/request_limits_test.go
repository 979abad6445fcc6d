package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trafofn/trafofn/runtime"
)

// wirings is a by-id request body with n input wirings named by name(i).
func wirings(n int, name func(i int) string) []byte {
	var b strings.Builder
	b.WriteString(`{"id": "` + id("any") + `", "wiring": {"input_wirings": [`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"workflow_input_name": %q, "adapter_id": "direct_provisioning", "filters": {"value": "1"}}`, name(i))
	}
	b.WriteString(`]}}`)
	return []byte(b.String())
}

// countingCtx is a context that reports Canceled from its after-th Err() call on and
// counts the calls: how often validation looked at it.
type countingCtx struct {
	context.Context
	after int64
	calls atomic.Int64
}

func (c *countingCtx) Err() error {
	if c.calls.Add(1) >= c.after {
		return context.Canceled
	}
	return nil
}

// Regression: every wiring was compared with every earlier one to find duplicate names
// (50,000 wirings took 9 s, a 60 MB body two hours of CPU), and nothing looked at the
// context, so the work went on after the client had left and past EXECUTION_TIMEOUT.
// Validation now looks at its context every 1,024 steps: with 4,000 wirings it does so
// a handful of times (a count, not a clock), stops at the first look that finds the
// context ended, and duplicates among thousands of wirings are still found.
func TestWiringValidationHonoursItsContext(t *testing.T) {
	rt := newRuntime(t, nil)
	const n = 4000
	distinct := wirings(n, func(i int) string { return fmt.Sprintf("x%d", i) })

	ctx := &countingCtx{Context: context.Background(), after: 1 << 30}
	req, err := rt.DecodeRequestContext(ctx, distinct, runtime.ByID)
	if err != nil || len(req.Wiring.Inputs) != n {
		t.Fatalf("valid wirings: %v", err)
	}
	// two looks around decoding, one every 1,024 steps (a wiring, a filter entry)
	if c, steps := ctx.calls.Load(), int64(2*n); c < steps/1024 || c > steps/1024+4 {
		t.Errorf("validation of %d wirings looked at its context %d times, want about %d", n, c, steps/1024+2)
	}

	// the context ends while the wirings are validated: the third look sees it
	ctx = &countingCtx{Context: context.Background(), after: 3}
	_, err = rt.DecodeRequestContext(ctx, distinct, runtime.ByID)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled during validation: %v, want context.Canceled", err)
	}
	if c := ctx.calls.Load(); c != 3 {
		t.Errorf("validation went on after the context ended: %d looks", c)
	}

	// an expired deadline stops it before any work
	dctx, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	if _, err := rt.DecodeRequestContext(dctx, distinct, runtime.ByID); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("expired deadline: %v", err)
	}

	// duplicates anywhere are reported once
	same := wirings(n, func(i int) string { return fmt.Sprintf("x%d", i%(n/2)) })
	_, err = rt.DecodeRequest(same, runtime.ByID)
	var re *runtime.RequestError
	if !errors.As(err, &re) || len(re.Issues) != 1 || !strings.HasPrefix(re.Issues[0].Msg, "Duplicates in workflow input names") {
		t.Errorf("duplicates: %v", err)
	}
}

// Regression: a 60 KB request of 20,000 empty wirings was answered with 40,000 issues, a
// 9.8 MB rejection. A report now holds at most MaxIssues issues and one that counts the
// rest; user-supplied strings inside issues are cut.
func TestValidationReportIsBounded(t *testing.T) {
	rt := newRuntime(t, nil)
	b := []byte(`{"id": "` + id("any") + `", "wiring": {"input_wirings": [{}` + strings.Repeat(`,{}`, 19_999) + `]}}`)
	_, err := rt.DecodeRequest(b, runtime.ByID)
	var re *runtime.RequestError
	if !errors.As(err, &re) {
		t.Fatalf("err %v", err)
	}
	if len(re.Issues) != runtime.MaxIssues+1 {
		t.Fatalf("%d issues, want %d and a closing one", len(re.Issues), runtime.MaxIssues)
	}
	last := re.Issues[len(re.Issues)-1]
	// each empty wiring lacks its name and its adapter id
	if last.Type != runtime.IssueTypeTooMany || !strings.HasPrefix(last.Msg, fmt.Sprint(40_000-runtime.MaxIssues)+" further errors") {
		t.Errorf("closing issue %+v", last)
	}
	if d := re.DetailJSON(); len(d) > 20_000 {
		t.Errorf("422 detail of %d bytes for a %d-byte request", len(d), len(b))
	}
	if m := err.Error(); len(m) > 20_000 {
		t.Errorf("error text of %d bytes", len(m))
	}

	long := strings.Repeat("é", 5000) // not an identifier: the issue quotes it
	_, err = rt.DecodeRequest(body(t, doc{"id": id("any"), "wiring": doc{"input_wirings": []any{
		doc{"workflow_input_name": long + " x", "adapter_id": 1},
		doc{"workflow_input_name": "x", "adapter_id": "direct_provisioning", "filters": doc{long: "1"}},
	}}}), runtime.ByID)
	if !errors.As(err, &re) || len(re.Issues) != 2 {
		t.Fatalf("long strings: %v", err)
	}
	for _, is := range re.Issues {
		if len(is.Msg) > runtime.MaxIssueText+40 || len(fmt.Sprint(is.Loc)) > runtime.MaxIssueText+120 {
			t.Errorf("issue not cut: %d-byte message, %d-byte location", len(is.Msg), len(fmt.Sprint(is.Loc)))
		}
	}
}

// Regression: a body that is no JSON (or no object) was decoded for both request models
// and its single error reported twice in the Kafka reply ("…: invalid JSON…; …: invalid
// JSON…"); issues the models share (the wiring's) were listed twice too.
func TestAnyModeReportsEachIssueOnce(t *testing.T) {
	rt := newRuntime(t, nil)
	_, err := rt.DecodeRequest([]byte(`{"id": `), runtime.AnyMode)
	var re *runtime.RequestError
	if !errors.As(err, &re) || len(re.Issues) != 1 || len(re.Alternatives) != 0 {
		t.Fatalf("not JSON: %+v", err)
	}
	if n := strings.Count(err.Error(), "invalid JSON"); n != 1 {
		t.Errorf("the JSON error is reported %d times: %s", n, err)
	}
	_, err = rt.DecodeRequest([]byte(`{"wiring": {"input_wirings": [{"adapter_id": 1}]}}`), runtime.AnyMode)
	if !errors.As(err, &re) || len(re.Alternatives) == 0 {
		t.Fatalf("two models: %+v", err)
	}
	msg := err.Error()
	if strings.Count(msg, "workflow_input_name: field required") != 1 || !strings.Contains(msg, "body.id: field required") || !strings.Contains(msg, "body.revision_group_id: field required") {
		t.Errorf("message %s", msg)
	}
}
