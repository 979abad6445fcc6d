// Package runtime executes hetida designer transformation revisions natively: it validates
// execution requests, compiles workflows into plans, loads inputs through adapters, runs
// the native components and renders hetida's execution response. It knows nothing of
// Kafka, HTTP or CloudEvents.
//
// Execute never panics: execution failures are responses with result "failure";
// requests hetida rejects are typed errors (*NotFoundError, *WiringError; *RequestError
// from DecodeRequest) so that transports can choose status codes.
package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/library"
	"github.com/trafofn/trafofn/runtime/store"
)

// Options configure a Runtime. The zero value runs the embedded catalogue with the native
// component library and direct provisioning.
type Options struct {
	// Components defaults to the native library.
	Components *component.Registry
	// TransformationsDirs are loaded on top of the embedded catalogue.
	TransformationsDirs []string
	// Adapters defaults to direct provisioning only.
	Adapters *adapter.Registry
	// HideProcessID makes process_id null (hetida's
	// HD_ADVANCED_PERFORMANCE_MEASUREMENT_INFORMATION=false).
	HideProcessID bool
	// MaxPoints limits the number of rows of every SERIES, DATAFRAME and MULTITSFRAME
	// input; 0 means no limit.
	MaxPoints int
	// Env configures the components that reach outside their inputs (object store,
	// local datasets); nil means none is configured.
	Env *component.Env
	// OperatorHook, when set, is told of every operator an execution runs (tracing).
	OperatorHook OperatorHook
	Logger       *slog.Logger
}

// Runtime executes transformation revisions. It is safe for concurrent use.
type Runtime struct {
	components *component.Registry
	store      *store.Store
	adapters   *adapter.Registry
	pid        *int
	maxPoints  int
	log        *slog.Logger
	plans      sync.Map // revision id → *plan
	env        *component.Env
	hook       OperatorHook
}

// New builds a runtime: the embedded catalogue plus the given directories.
func New(opts Options) (*Runtime, error) {
	rt := &Runtime{components: opts.Components, adapters: opts.Adapters, maxPoints: opts.MaxPoints, log: opts.Logger, env: opts.Env, hook: opts.OperatorHook}
	if rt.components == nil {
		rt.components = library.Registry()
	}
	if rt.adapters == nil {
		rt.adapters = adapter.NewRegistry()
	}
	if rt.log == nil {
		rt.log = slog.Default()
	}
	if !opts.HideProcessID {
		pid := os.Getpid()
		rt.pid = &pid
	}
	natives := make([]*store.Revision, 0, len(rt.components.All()))
	for _, spec := range rt.components.All() {
		natives = append(natives, componentRevision(spec))
	}
	st, err := store.New(natives, rt.log)
	if err != nil {
		return nil, err
	}
	if err := st.LoadDirs(opts.TransformationsDirs); err != nil {
		return nil, err
	}
	rt.store = st
	return rt, nil
}

// componentRevision describes a native component as the COMPONENT revision the catalogue
// holds, with hetida's connector ids.
func componentRevision(spec *component.Spec) *store.Revision {
	r := &store.Revision{
		ID: spec.ID, GroupID: spec.Group(), Name: spec.Name, Description: spec.Description,
		Category: spec.Category, VersionTag: spec.Version, State: spec.RevisionState(),
		Type: store.TypeComponent, Origin: "embedded",
	}
	r.Released, r.Disabled = timestamp(spec.Released), timestamp(spec.Disabled)
	if r.State == store.StateDisabled && r.Released == nil {
		r.Released = r.Disabled // as for DISABLED revision files
	}
	for _, p := range spec.In {
		r.Inputs = append(r.Inputs, store.IO{ID: store.InputID(p.Name), Name: p.Name, Type: p.Type, Optional: p.Optional, Default: p.Default})
	}
	for _, p := range spec.Out {
		r.Outputs = append(r.Outputs, store.IO{ID: store.OutputID(p.Name), Name: p.Name, Type: p.Type})
	}
	return r
}

// timestamp parses a generated RFC 3339 timestamp; empty is none.
func timestamp(s string) *time.Time {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return &t
	}
	return nil
}

// Store returns the transformation catalogue.
func (rt *Runtime) Store() *store.Store { return rt.store }

// Components returns the native component registry.
func (rt *Runtime) Components() *component.Registry { return rt.components }

// ErrNotFound is the sentinel behind *NotFoundError.
var ErrNotFound = errors.New("transformation revision not found")

// NotFoundError is a request for a revision (or a released revision of a group) that does
// not exist; hetida answers HTTP 404 with Detail.
type NotFoundError struct{ Detail string }

func (e *NotFoundError) Error() string { return e.Detail }
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// WiringError is a wiring that does not fit the revision's interface; hetida answers
// HTTP 422 with {"detail": Detail}.
type WiringError struct {
	Msg    string // e.g. "Wiring Incomplete: Workflow Input 'x' has no wiring!"
	Detail string // hetida's full detail text
}

func (e *WiringError) Error() string { return e.Msg }

// Resolve returns the revision a request refers to: by id, or the latest released
// revision of its group.
func (rt *Runtime) Resolve(req Request) (*store.Revision, error) {
	if req.ID != "" {
		rev, ok := rt.store.Get(req.ID)
		if !ok {
			return nil, &NotFoundError{Detail: fmt.Sprintf("Could not find transformation revision %s:\n", req.ID)}
		}
		return rev, nil
	}
	rev, ok := rt.store.LatestReleased(req.RevisionGroupID)
	if !ok {
		g := req.RevisionGroupID
		return nil, &NotFoundError{Detail: fmt.Sprintf("Could not find any transformation revision with revision group id %s:\nno released transformation revisions with revision group id %s found in the database", g, g)}
	}
	return rev, nil
}

// Execute runs a request. The error is nil for every execution that produced a response
// (result "ok" or "failure"); it is a *NotFoundError or *WiringError for requests hetida
// rejects before running them. A context that ends during execution yields a failure
// response whose error type is "TimeoutError" or "CancelledError" (whose Cause is
// ErrCancelled).
func (rt *Runtime) Execute(ctx context.Context, req Request) (*Response, error) {
	t0 := time.Now()
	rev, err := rt.Resolve(req)
	if err != nil {
		return nil, err
	}
	if req.ID == "" {
		req.ID = rev.ID
	}
	p := rt.planFor(rev)
	wiring := req.Wiring
	if wiring == nil && rev.TestWiring != nil {
		if wiring, err = rt.DecodeWiring(rev.TestWiring); err != nil {
			return nil, &WiringError{Msg: "stored test wiring is invalid: " + err.Error(), Detail: "Stored test wiring of " + rev.ID + " is invalid: " + err.Error()}
		}
	}
	if wiring == nil {
		wiring = &Wiring{}
	}
	eff, msg := p.validate(wiring)
	if msg != "" {
		return nil, &WiringError{Msg: msg, Detail: wiringDetail(req, msg)}
	}
	t1 := time.Now()
	resp := &Response{JobID: req.JobID, ProcessID: rt.pid, TransformationID: rev.ID, OutputTypes: p.outputTypes[:len(p.outputTypes):len(p.outputTypes)]}
	rt.run(ctx, req, p, eff, resp)
	t2 := time.Now()
	resp.Steps.InternalFull = resp.step(0, "internal_full", t0, t2)
	resp.Steps.Prepare = resp.step(1, "prepare_execution_input", t0, t1)
	resp.Steps.Run = resp.step(2, "run_execution_input", t1, t2)
	return resp, nil
}

// wiringDetail renders hetida's 422 detail for a wiring that does not fit.
func wiringDetail(req Request, msg string) string {
	var b strings.Builder
	b.WriteString("Could not validate execution input\n")
	b.Write(appendPyIndent(nil, echoRequest(req), 0))
	b.WriteString(":\n1 validation error for WorkflowExecutionInput\n__root__\n  ")
	b.WriteString(msg)
	b.WriteString(" (type=value_error)")
	return b.String()
}

// echoRequest is the ExecByIdInput model as hetida serialises it (defaults filled in).
func echoRequest(req Request) *data.Dict {
	d := data.NewDict(4)
	d.Set("id", req.ID)
	if req.Wiring == nil {
		d.Set("wiring", nil)
	} else {
		d.Set("wiring", echoWiring(req.Wiring))
	}
	d.Set("run_pure_plot_operators", req.RunPurePlotOperators)
	d.Set("job_id", req.JobID)
	return d
}

func echoWiring(w *Wiring) *data.Dict {
	opt := func(p *string) any {
		if p == nil {
			return nil
		}
		return *p
	}
	adapterID := func(id adapter.ID) any {
		if id.IsInt {
			return id.Int
		}
		return id.Str
	}
	filters := func(f adapter.Filters) *data.Dict {
		d := data.NewDict(len(f))
		for _, x := range f {
			d.Set(x.Key, x.Value())
		}
		return d
	}
	ins := make([]any, len(w.Inputs))
	for i, iw := range w.Inputs {
		d := data.NewDict(8)
		d.Set("workflow_input_name", iw.Name)
		d.Set("adapter_id", adapterID(iw.Adapter))
		d.Set("ref_id", opt(iw.RefID))
		d.Set("ref_id_type", opt(iw.RefIDType))
		d.Set("ref_key", opt(iw.RefKey))
		d.Set("type", opt(iw.Type))
		d.Set("use_default_value", iw.UseDefaultValue)
		d.Set("filters", filters(iw.Filters))
		ins[i] = d
	}
	outs := make([]any, len(w.Outputs))
	for i, ow := range w.Outputs {
		d := data.NewDict(7)
		d.Set("workflow_output_name", ow.Name)
		d.Set("adapter_id", adapterID(ow.Adapter))
		d.Set("ref_id", opt(ow.RefID))
		d.Set("ref_id_type", opt(ow.RefIDType))
		d.Set("ref_key", opt(ow.RefKey))
		d.Set("type", opt(ow.Type))
		d.Set("filters", filters(ow.Filters))
		outs[i] = d
	}
	d := data.NewDict(3)
	d.Set("input_wirings", ins)
	d.Set("output_wirings", outs)
	dash := w.Dashboard
	if dash == nil {
		dash = []any{}
	}
	d.Set("dashboard_positionings", dash)
	return d
}
