package runtime

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Mode says which of hetida's request models a body is.
type Mode uint8

const (
	// ByID is ExecByIdInput (POST /api/transformations/execute).
	ByID Mode = iota
	// LatestByGroup is ExecLatestByGroupIdInput (…/execute-latest).
	LatestByGroup
	// AnyMode tries ExecByIdInput, then ExecLatestByGroupIdInput, as hetida's Kafka
	// consumer does: a body with "id" is always by id.
	AnyMode
)

// Request is a validated execution request.
type Request struct {
	ID                   string  // revision id (by id), canonical form
	RevisionGroupID      string  // revision group (latest), canonical form
	Wiring               *Wiring // nil: use the revision's test wiring
	RunPurePlotOperators bool
	JobID                string // canonical UUID; generated when the body had none
	// JobIDGenerated is set when JobID was not in the body.
	JobIDGenerated bool
}

// Wiring is hetida's WorkflowWiring.
type Wiring struct {
	Inputs    []InputWiring
	Outputs   []OutputWiring
	Dashboard []any // dashboard_positionings, kept for echoing
}

// InputWiring binds a workflow input to an adapter.
type InputWiring struct {
	Name            string
	Adapter         adapter.ID
	RefID           *string
	RefIDType       *string
	RefKey          *string
	Type            *string
	UseDefaultValue bool
	Filters         adapter.Filters
}

// OutputWiring binds a workflow output to an adapter.
type OutputWiring struct {
	Name      string
	Adapter   adapter.ID
	RefID     *string
	RefIDType *string
	RefKey    *string
	Type      *string
	Filters   adapter.Filters
}

// Issue is one validation error in FastAPI's 422 format.
type Issue struct {
	Loc  []any
	Msg  string
	Type string
}

// Bounds of a validation report. FastAPI lists every issue, so a 60 KB body of 20,000
// empty wirings made a 9.8 MB rejection (163 times the request); trafofn reports the
// first MaxIssues issues of a model, then one issue saying how many were left out, and
// cuts user-supplied strings inside issues (names, filter keys) to MaxIssueText bytes.
const (
	MaxIssues    = 100
	MaxIssueText = 256
)

// IssueTypeTooMany is the type of the closing issue of a report that left issues out.
const IssueTypeTooMany = "value_error.too_many_errors"

// checkEvery is how many wirings and filter entries validation handles between checks
// of its context (a wiring takes about a microsecond).
const checkEvery = 1024

// RequestError is a body that is not a valid execution request: hetida (FastAPI) answers
// HTTP 422 with {"detail": [issues…]}.
type RequestError struct {
	Issues []Issue
	// Alternatives holds the issues of the other model for AnyMode bodies.
	Alternatives []Issue
}

// Error lists the issues of both models for AnyMode bodies, each distinct issue once
// (the models share the wiring, and a body that is no JSON object fails both alike).
func (e *RequestError) Error() string {
	var parts []string
	seen := make(map[string]bool, len(e.Issues))
	for _, is := range append(append([]Issue(nil), e.Issues...), e.Alternatives...) {
		loc := make([]string, len(is.Loc))
		for i, l := range is.Loc {
			loc[i] = fmt.Sprint(l)
		}
		part := strings.Join(loc, ".") + ": " + is.Msg
		if !seen[part] {
			seen[part] = true
			parts = append(parts, part)
		}
	}
	return "invalid execution request: " + strings.Join(parts, "; ")
}

// DetailJSON renders FastAPI's 422 body {"detail":[{"loc":…,"msg":…,"type":…}]}.
func (e *RequestError) DetailJSON() []byte {
	b := []byte(`{"detail":[`)
	for i, is := range e.Issues {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"loc":`...)
		b, _ = wire.AppendValue(b, toAnyList(is.Loc))
		b = append(b, `,"msg":`...)
		b = wire.AppendString(b, is.Msg)
		b = append(b, `,"type":`...)
		b = wire.AppendString(b, is.Type)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

func toAnyList(l []any) []any {
	out := make([]any, len(l))
	for i, x := range l {
		if n, ok := x.(int); ok {
			out[i] = int64(n)
		} else {
			out[i] = x
		}
	}
	return out
}

// validator collects the issues of one part of a request (at most MaxIssues, counting
// the rest) and checks its context every checkEvery steps.
type validator struct {
	ctx      context.Context
	issues   []Issue
	dropped  int // issues beyond MaxIssues
	steps    int
	err      error // the context's error once it ended
	adapters *adapter.Registry
}

func (v *validator) add(msg, typ string, loc ...any) {
	if len(v.issues) >= MaxIssues {
		v.dropped++
		return
	}
	full := make([]any, 0, len(loc)+1)
	full = append(full, "body")
	for _, l := range loc {
		if s, ok := l.(string); ok {
			l = CutText(s, MaxIssueText)
		}
		full = append(full, l)
	}
	v.issues = append(v.issues, Issue{Loc: full, Msg: CutText(msg, MaxIssueText), Type: typ})
}

// count is the number of issues found so far, reported or not.
func (v *validator) count() int { return len(v.issues) + v.dropped }

// step counts one unit of work and reports whether validation may go on: false once the
// context ended (checked every checkEvery steps).
func (v *validator) step() bool {
	if v.err != nil {
		return false
	}
	v.steps++
	if v.steps%checkEvery == 0 && v.ctx != nil {
		if err := v.ctx.Err(); err != nil {
			v.err = err
			return false
		}
	}
	return true
}

// CutText keeps the first n bytes of s (cut at a UTF-8 boundary) and says how many bytes
// it left out.
func CutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	keep := n
	for keep > 0 && !utf8.RuneStart(s[keep]) {
		keep--
	}
	return s[:keep] + fmt.Sprintf("… (%d more bytes)", len(s)-keep)
}

// report returns the issues of parts in order as one report: at most MaxIssues of them
// and, when some were left out, a closing issue saying how many.
func report(parts ...*validator) []Issue {
	var out []Issue
	dropped := 0
	for _, p := range parts {
		dropped += p.dropped
		for _, is := range p.issues {
			if len(out) >= MaxIssues {
				dropped++
				continue
			}
			out = append(out, is)
		}
	}
	if dropped > 0 {
		out = append(out, Issue{Loc: []any{"body"}, Msg: fmt.Sprintf("%d further errors not reported (at most %d are)", dropped, MaxIssues), Type: IssueTypeTooMany})
	}
	return out
}

// keepEscaped is the size from which request strings with escapes stay escaped
// (wire.DecodeOptions.KeepEscaped): series sent as JSON inside a JSON string.
const keepEscaped = 4096

// DecodeRequest is DecodeRequestContext without a context.
func (rt *Runtime) DecodeRequest(body []byte, mode Mode) (Request, error) {
	return rt.DecodeRequestContext(context.Background(), body, mode)
}

// DecodeRequestContext validates a request body as hetida's pydantic models do and
// returns the request or a *RequestError (HTTP 422 in hetida). The body is decoded once,
// also for AnyMode, and the wiring validated once; its work is linear in the body, and
// it returns ctx's error (wrapped) when ctx ends while it validates.
func (rt *Runtime) DecodeRequestContext(ctx context.Context, body []byte, mode Mode) (Request, error) {
	if err := ctx.Err(); err != nil {
		return Request{}, fmt.Errorf("request not validated: %w", err)
	}
	if req, ok := rt.decodeCommon(body, mode); ok {
		return req, nil
	}
	return rt.decodeGeneric(ctx, body, mode)
}

// decodeGeneric decodes any body: the generic document, then every field's validation.
func (rt *Runtime) decodeGeneric(ctx context.Context, body []byte, mode Mode) (Request, error) {
	doc, err := wire.DecodeWith(body, wire.DecodeOptions{KeepEscaped: keepEscaped})
	if err != nil {
		se, _ := err.(*wire.SyntaxError)
		pos := 0
		if se != nil {
			pos = se.Offset
		}
		v := &validator{}
		v.add(err.Error(), "value_error.jsondecode", pos)
		return Request{}, &RequestError{Issues: v.issues}
	}
	if err := ctx.Err(); err != nil {
		return Request{}, fmt.Errorf("request not validated: %w", err)
	}
	obj, ok := doc.(*data.Dict)
	if !ok {
		return Request{}, &RequestError{Issues: []Issue{{Loc: []any{"body"}, Msg: "value is not a valid dict", Type: "type_error.dict"}}}
	}
	// The models differ only in the id field and in whether a wiring is required; the
	// fields are validated in pydantic's order: id, wiring, run_pure_plot_operators,
	// job_id.
	wv := &validator{ctx: ctx, adapters: rt.adapters}
	rawWiring, hasWiring := obj.Get("wiring")
	var wiring *Wiring
	if hasWiring && rawWiring != nil {
		wiring = wv.wiring(rawWiring)
	}
	if wv.err != nil {
		return Request{}, fmt.Errorf("request not validated: %w", wv.err)
	}
	rest := &validator{}
	var req Request
	req.Wiring = wiring
	if raw, ok := obj.Get("run_pure_plot_operators"); ok {
		b, ok := wire.PydanticBool(raw)
		if raw == nil {
			rest.add("none is not an allowed value", "type_error.none.not_allowed", "run_pure_plot_operators")
		} else if !ok {
			rest.add("value could not be parsed to a boolean", "type_error.bool", "run_pure_plot_operators")
		}
		req.RunPurePlotOperators = b
	}
	if raw, ok := obj.Get("job_id"); ok {
		if id, ok := parseUUID(raw); ok {
			req.JobID = id
		} else if raw == nil {
			rest.add("none is not an allowed value", "type_error.none.not_allowed", "job_id")
		} else {
			rest.add("value is not a valid uuid", "type_error.uuid", "job_id")
		}
	} else {
		req.JobID = uuid.NewString()
		req.JobIDGenerated = true
	}
	model := func(m Mode) (Request, []Issue) {
		r := req
		idKey := "id"
		if m == LatestByGroup {
			idKey = "revision_group_id"
		}
		head := &validator{}
		if raw, ok := obj.Get(idKey); !ok {
			head.add("field required", "value_error.missing", idKey)
		} else if id, ok := parseUUID(raw); !ok {
			if raw == nil {
				head.add("none is not an allowed value", "type_error.none.not_allowed", idKey)
			} else {
				head.add("value is not a valid uuid", "type_error.uuid", idKey)
			}
		} else if m == LatestByGroup {
			r.RevisionGroupID = id
		} else {
			r.ID = id
		}
		needs := &validator{}
		if m == LatestByGroup && (!hasWiring || rawWiring == nil) {
			if !hasWiring {
				needs.add("field required", "value_error.missing", "wiring")
			} else {
				needs.add("none is not an allowed value", "type_error.none.not_allowed", "wiring")
			}
		}
		return r, report(head, wv, needs, rest)
	}
	switch mode {
	case ByID, LatestByGroup:
		r, issues := model(mode)
		if len(issues) > 0 {
			return Request{}, &RequestError{Issues: issues}
		}
		return r, nil
	}
	// AnyMode: ExecByIdInput, then ExecLatestByGroupIdInput, as hetida's consumer does
	r, issues := model(ByID)
	if len(issues) == 0 {
		return r, nil
	}
	r2, issues2 := model(LatestByGroup)
	if len(issues2) == 0 {
		return r2, nil
	}
	return Request{}, &RequestError{Issues: issues, Alternatives: issues2}
}

// Stopped is the failure response to a request whose context ended while it was decoded
// and validated: a TimeoutError or CancelledError, as for an execution its context
// stopped.
func (rt *Runtime) Stopped(ctx context.Context, jobID string, start time.Time) *Response {
	now := time.Now()
	e := ctxError(ctx, "")
	e.Location = Location{File: "trafofn", Function: "decode"}
	return &Response{Error: e, JobID: jobID, Result: ResultFailure, ProcessID: rt.pid,
		Steps: Steps{InternalFull: &Step{Name: "internal_full", Start: start, End: now}}}
}

// DecodeWiring validates a stored test wiring.
func (rt *Runtime) DecodeWiring(raw any) (*Wiring, error) {
	v := &validator{adapters: rt.adapters}
	w := v.wiring(raw)
	if v.count() > 0 {
		return nil, &RequestError{Issues: report(v)}
	}
	return w, nil
}

// parseUUID accepts what Python's UUID() accepts: hyphenated, 32 hex digits, braces,
// "urn:uuid:". It returns the canonical lower-case hyphenated form.
func parseUUID(raw any) (string, bool) {
	s, ok := raw.(string)
	if !ok {
		return "", false
	}
	return parseUUIDString(s)
}

// parseUUIDString is parseUUID of a string.
func parseUUIDString(s string) (string, bool) {
	if canonicalUUID(s) {
		return s, true // what the rest would make of it, without its two copies
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "urn:"), "uuid:")
	s = strings.Trim(s, "{}")
	s = strings.ReplaceAll(s, "-", "")
	if len(s) != 32 {
		return "", false
	}
	u, err := uuid.Parse(s)
	if err != nil {
		return "", false
	}
	return u.String(), true
}

// canonicalUUID reports whether s is a UUID in the form parseUUID returns: 36 characters,
// lowercase hex digits in groups of 8-4-4-4-12.
func canonicalUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
				return false
			}
		}
	}
	return true
}

// filterKeyOK is the filter key rule ^[a-zA-Z]\w+$ (ASCII, at least two characters).
func filterKeyOK(k string) bool {
	if len(k) < 2 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '_'):
		default:
			return false
		}
	}
	return true
}

var refIDTypes = map[string]bool{"SOURCE": true, "SINK": true, "THINGNODE": true}

func (v *validator) wiring(raw any) *Wiring {
	obj, ok := raw.(*data.Dict)
	if !ok {
		v.add("value is not a valid dict", "type_error.dict", "wiring")
		return nil
	}
	w := &Wiring{}
	list := func(key string) []any {
		x, ok := obj.Get(key)
		if !ok || x == nil {
			return nil
		}
		l, ok := x.([]any)
		if !ok {
			v.add("value is not a valid list", "type_error.list", "wiring", key)
			return nil
		}
		return l
	}
	// duplicates are found with a set: comparing each wiring with every earlier one took
	// 9 s for 50,000 wirings
	dupIn := false
	ins := list("input_wirings")
	w.Inputs = make([]InputWiring, 0, len(ins))
	names := make(map[string]struct{}, len(ins))
	for i, e := range ins {
		if !v.step() {
			return nil
		}
		iw, ok := v.inputWiring(e, i)
		if !ok {
			continue
		}
		if _, dup := names[iw.Name]; dup {
			dupIn = true
		}
		names[iw.Name] = struct{}{}
		w.Inputs = append(w.Inputs, iw)
	}
	if dupIn {
		v.add("Duplicates in workflow input names occuring in the input wirings not allowed.", "value_error", "wiring", "input_wirings")
	}
	dupOut := false
	outs := list("output_wirings") // after the inputs' errors, in hetida's order
	w.Outputs = make([]OutputWiring, 0, len(outs))
	clear(names)
	for i, e := range outs {
		if !v.step() {
			return nil
		}
		ow, ok := v.outputWiring(e, i)
		if !ok {
			continue
		}
		if _, dup := names[ow.Name]; dup {
			dupOut = true
		}
		names[ow.Name] = struct{}{}
		w.Outputs = append(w.Outputs, ow)
	}
	if dupOut {
		v.add("Duplicates in workflow output names occuring in the output wirings not allowed.", "value_error", "wiring", "output_wirings")
	}
	w.Dashboard = list("dashboard_positionings")
	return w
}

type wiringCommon struct {
	name                        string
	adapter                     adapter.ID
	refID, refIDType, refKey, t *string
	filters                     adapter.Filters
}

func (v *validator) common(raw any, kind string, i int, nameKey string, sink bool) (wiringCommon, *data.Dict, bool) {
	var c wiringCommon
	// the locations are built only for an issue: every request passes here for each wiring
	loc := func() []any { return []any{"wiring", kind, i} }
	at := func(k string) []any { return []any{"wiring", kind, i, k} }
	obj, ok := raw.(*data.Dict)
	if !ok {
		v.add("value is not a valid dict", "type_error.dict", loc()...)
		return c, nil, false
	}
	n0 := v.count()
	if x, ok := obj.Get(nameKey); !ok || x == nil {
		if !ok {
			v.add("field required", "value_error.missing", at(nameKey)...)
		} else {
			v.add("none is not an allowed value", "type_error.none.not_allowed", at(nameKey)...)
		}
	} else if s, ok := strField(x); !ok {
		v.add("str type expected", "type_error.str", at(nameKey)...)
	} else if !isIdentifier(s) {
		v.add(fmt.Sprintf("%s is not a valid Python identifier", s), "value_error", at(nameKey)...)
	} else {
		c.name = s
	}
	switch x, ok := obj.Get("adapter_id"); {
	case !ok:
		v.add("field required", "value_error.missing", at("adapter_id")...)
	default:
		switch a := x.(type) {
		case int64:
			id := adapter.IntID(a)
			known := false
			if sink {
				_, known = v.adapters.Sink(id)
			} else {
				_, known = v.adapters.Source(id)
			}
			if !known {
				role := "source"
				if sink {
					role = "sink"
				}
				v.add(fmt.Sprintf("Adapter with id %d is not known / not registered as %s adapter.", a, role), "value_error", at("adapter_id")...)
			}
			c.adapter = id
		case string:
			c.adapter = adapter.StrID(a)
		default:
			v.add("value is not a valid integer", "type_error.integer", at("adapter_id")...)
			v.add("str type expected", "type_error.str", at("adapter_id")...)
		}
	}
	optStr := func(k string) *string {
		x, ok := obj.Get(k)
		if !ok || x == nil {
			return nil
		}
		s, ok := strField(x)
		if !ok {
			v.add("str type expected", "type_error.str", at(k)...)
			return nil
		}
		return &s
	}
	c.refID = optStr("ref_id")
	c.refKey = optStr("ref_key")
	if p := optStr("ref_id_type"); p != nil {
		if !refIDTypes[*p] {
			v.add("value is not a valid enumeration member; permitted: 'SOURCE', 'SINK', 'THINGNODE'", "type_error.enum", at("ref_id_type")...)
		} else {
			c.refIDType = p
		}
	}
	if p := optStr("type"); p != nil {
		canon, ok := adapter.CanonicalExternalType(*p)
		if !ok {
			v.add("value is not a valid enumeration member", "type_error.enum", at("type")...)
		} else {
			c.t = &canon
			if strings.HasPrefix(canon, "metadata(") && (c.refIDType == nil || c.refKey == nil) {
				v.add(`metadata datatype in `+map[bool]string{false: "InputWiring", true: "OutputWiring"}[sink]+` requires additional fields "ref_id_type" and "ref_key". At least one of them is missing.`, "value_error", loc()...)
			}
		}
	}
	if x, ok := obj.Get("filters"); ok && x != nil {
		f, ok := x.(*data.Dict)
		if !ok {
			v.add("value is not a valid dict", "type_error.dict", at("filters")...)
		} else {
			for j := 0; j < f.Len(); j++ {
				if !v.step() {
					break
				}
				k, fv := f.At(j)
				if !filterKeyOK(k) {
					v.add(`string does not match regex "^[a-zA-Z]\w+$"`, "value_error.str.regex", append(at("filters"), k, "__key__")...)
					continue
				}
				if k == "from" || k == "to" || k == "id" {
					v.add("The strings ['from', 'to', 'id'] are reserved filter keys!", "value_error", at("filters")...)
					continue
				}
				if e, ok := fv.(*wire.Escaped); ok {
					c.filters = append(c.filters, adapter.EscapedFilter(k, e))
					continue
				}
				var s string
				if fv != nil {
					var ok bool
					if s, ok = strField(fv); !ok {
						v.add("str type expected", "type_error.str", append(at("filters"), k)...)
						continue
					}
				}
				c.filters = append(c.filters, adapter.NewFilter(k, s))
			}
		}
	}
	return c, obj, v.count() == n0
}

func (v *validator) inputWiring(raw any, i int) (InputWiring, bool) {
	c, obj, ok := v.common(raw, "input_wirings", i, "workflow_input_name", false)
	if obj == nil {
		return InputWiring{}, false
	}
	iw := InputWiring{Name: c.name, Adapter: c.adapter, RefID: c.refID, RefIDType: c.refIDType, RefKey: c.refKey, Type: c.t, Filters: c.filters}
	if x, has := obj.Get("use_default_value"); has {
		b, good := wire.PydanticBool(x)
		if x == nil {
			v.add("none is not an allowed value", "type_error.none.not_allowed", "wiring", "input_wirings", i, "use_default_value")
			ok = false
		} else if !good {
			v.add("value could not be parsed to a boolean", "type_error.bool", "wiring", "input_wirings", i, "use_default_value")
			ok = false
		}
		iw.UseDefaultValue = b
	}
	return iw, ok
}

func (v *validator) outputWiring(raw any, i int) (OutputWiring, bool) {
	c, obj, ok := v.common(raw, "output_wirings", i, "workflow_output_name", true)
	if obj == nil {
		return OutputWiring{}, false
	}
	return OutputWiring{Name: c.name, Adapter: c.adapter, RefID: c.refID, RefIDType: c.refIDType, RefKey: c.refKey, Type: c.t, Filters: c.filters}, ok
}

// strField is pydantic v1's str coercion: strings, and numbers rendered with str().
func strField(x any) (string, bool) {
	switch s := x.(type) {
	case string:
		return s, true
	case int64:
		return fmt.Sprint(s), true
	case float64:
		return data.PyFloat(s), true
	case bool:
		if s {
			return "True", true
		}
		return "False", true
	}
	return "", false
}

// pyKeyword reports whether s is one of Python's keywords (a switch: no hashing).
func pyKeyword(s string) bool {
	switch s {
	case "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
		"continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
		"if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
		"try", "while", "with", "yield":
		return true
	}
	return false
}

// isIdentifier is Python's str.isidentifier() and not a keyword.
func isIdentifier(s string) bool {
	if s == "" || pyKeyword(s) {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9':
			if i == 0 {
				return false
			}
		case r > 127:
			// unicode letters are allowed in Python identifiers
			if !isUnicodeLetterOrDigit(r, i == 0) {
				return false
			}
		default:
			return false
		}
	}
	return true
}
