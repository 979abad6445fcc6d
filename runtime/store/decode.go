package store

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// FieldError names the field of a revision document that is wrong.
type FieldError struct {
	Path string // e.g. content.operators[2].inputs[0].data_type
	Msg  string
}

func (e *FieldError) Error() string { return e.Path + ": " + e.Msg }

// obj is a path-aware view of a decoded JSON object.
type obj struct {
	d    *data.Dict
	path string
}

func (o obj) at(k string) string {
	if o.path == "" {
		return k
	}
	return o.path + "." + k
}

func (o obj) fail(k, format string, args ...any) error {
	return &FieldError{Path: o.at(k), Msg: fmt.Sprintf(format, args...)}
}

func (o obj) str(k string, required bool) (string, error) {
	v, ok := o.d.Get(k)
	if !ok || v == nil {
		if required {
			return "", o.fail(k, "field required")
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", o.fail(k, "must be a string")
	}
	return s, nil
}

func (o obj) id(k string, required bool) (string, error) {
	s, err := o.str(k, required)
	if err != nil || s == "" {
		return s, err
	}
	u, err := uuid.Parse(s)
	if err != nil {
		return "", o.fail(k, "value is not a valid uuid: %q", s)
	}
	return u.String(), nil
}

func (o obj) boolean(k string) (bool, error) {
	v, ok := o.d.Get(k)
	if !ok || v == nil {
		return false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, o.fail(k, "must be a boolean")
	}
	return b, nil
}

func (o obj) dtype(k string) (data.Type, error) {
	s, err := o.str(k, true)
	if err != nil {
		return "", err
	}
	t := data.Type(s)
	if !t.Valid() {
		return "", o.fail(k, "unknown data type %q", s)
	}
	return t, nil
}

func (o obj) list(k string) ([]obj, error) {
	v, ok := o.d.Get(k)
	if !ok || v == nil {
		return nil, nil
	}
	l, ok := v.([]any)
	if !ok {
		return nil, o.fail(k, "must be an array")
	}
	out := make([]obj, len(l))
	for i, e := range l {
		d, ok := e.(*data.Dict)
		if !ok {
			return nil, &FieldError{Path: fmt.Sprintf("%s[%d]", o.at(k), i), Msg: "must be an object"}
		}
		out[i] = obj{d: d, path: fmt.Sprintf("%s[%d]", o.at(k), i)}
	}
	return out, nil
}

func (o obj) child(k string) (obj, bool, error) {
	v, ok := o.d.Get(k)
	if !ok || v == nil {
		return obj{}, false, nil
	}
	d, ok := v.(*data.Dict)
	if !ok {
		return obj{}, false, o.fail(k, "must be an object")
	}
	return obj{d: d, path: o.at(k)}, true, nil
}

func (o obj) timestamp(k string) (*time.Time, error) {
	s, err := o.str(k, false)
	if err != nil || s == "" {
		return nil, err
	}
	ns, z, err := data.ParseISO(s)
	if err != nil {
		return nil, o.fail(k, "not an ISO 8601 timestamp: %q", s)
	}
	_ = z // naive timestamps are taken as UTC, as hetida normalises them
	t := time.Unix(0, ns).UTC()
	return &t, nil
}

// DecodeRevision parses one transformation revision in hetida's export format.
func DecodeRevision(b []byte) (*Revision, error) {
	v, err := wire.Decode(b)
	if err != nil {
		return nil, err
	}
	d, ok := v.(*data.Dict)
	if !ok {
		return nil, &FieldError{Path: "(document)", Msg: "must be a JSON object"}
	}
	return decodeRevision(obj{d: d})
}

func decodeRevision(o obj) (*Revision, error) {
	r := &Revision{}
	var err error
	if r.ID, err = o.id("id", true); err != nil {
		return nil, err
	}
	if r.GroupID, err = o.id("revision_group_id", true); err != nil {
		return nil, err
	}
	if r.Name, err = o.str("name", true); err != nil {
		return nil, err
	}
	if r.Description, err = o.str("description", false); err != nil {
		return nil, err
	}
	if r.Category, err = o.str("category", false); err != nil {
		return nil, err
	}
	if r.Category == "" {
		r.Category = "Other"
	}
	if r.VersionTag, err = o.str("version_tag", true); err != nil {
		return nil, err
	}
	if r.State, err = o.str("state", true); err != nil {
		return nil, err
	}
	switch r.State {
	case StateDraft, StateReleased, StateDisabled:
	default:
		return nil, o.fail("state", "must be DRAFT, RELEASED or DISABLED, got %q", r.State)
	}
	if r.Type, err = o.str("type", true); err != nil {
		return nil, err
	}
	if r.Released, err = o.timestamp("released_timestamp"); err != nil {
		return nil, err
	}
	if r.Disabled, err = o.timestamp("disabled_timestamp"); err != nil {
		return nil, err
	}
	if r.State == StateDisabled && r.Released == nil {
		r.Released = r.Disabled
	}
	if r.State == StateReleased && r.Released == nil {
		return nil, o.fail("released_timestamp", "required for a RELEASED revision")
	}
	if v, ok := o.d.Get("test_wiring"); ok {
		r.TestWiring = v
	}
	io, ok, err := o.child("io_interface")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, o.fail("io_interface", "field required")
	}
	if r.Inputs, err = decodeIOs(io, "inputs", true); err != nil {
		return nil, err
	}
	if r.Outputs, err = decodeIOs(io, "outputs", false); err != nil {
		return nil, err
	}
	switch r.Type {
	case TypeComponent:
		// content is Python code: kept out of the runtime on purpose
	case TypeWorkflow:
		c, ok, err := o.child("content")
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, o.fail("content", "a WORKFLOW needs its content object")
		}
		if r.Workflow, err = decodeWorkflow(c); err != nil {
			return nil, err
		}
		// hetida derives a workflow's interface from its content
		r.Inputs = r.Inputs[:0]
		for _, in := range r.Workflow.Inputs {
			if in.Name == "" {
				continue
			}
			r.Inputs = append(r.Inputs, IO{ID: in.ID, Name: in.Name, Type: in.Type, Optional: in.Optional, Default: in.Default})
		}
		r.Outputs = r.Outputs[:0]
		for _, out := range r.Workflow.Outputs {
			if out.Name == "" {
				continue
			}
			r.Outputs = append(r.Outputs, IO{ID: out.ID, Name: out.Name, Type: out.Type})
		}
	default:
		return nil, o.fail("type", "must be COMPONENT or WORKFLOW, got %q", r.Type)
	}
	return r, nil
}

func decodeIOs(o obj, k string, inputs bool) ([]IO, error) {
	items, err := o.list(k)
	if err != nil {
		return nil, err
	}
	out := make([]IO, 0, len(items))
	seen := map[string]bool{}
	for _, it := range items {
		var io IO
		if io.ID, err = it.id("id", false); err != nil {
			return nil, err
		}
		if io.Name, err = it.str("name", false); err != nil {
			return nil, err
		}
		if io.Type, err = it.dtype("data_type"); err != nil {
			return nil, err
		}
		if io.Name != "" {
			if seen[io.Name] {
				return nil, it.fail("name", "duplicate name %q", io.Name)
			}
			seen[io.Name] = true
		}
		if inputs {
			if io.Optional, io.Default, err = optionality(it); err != nil {
				return nil, err
			}
		}
		out = append(out, io)
	}
	return out, nil
}

func optionality(o obj) (bool, any, error) {
	t, err := o.str("type", false)
	if err != nil {
		return false, nil, err
	}
	switch strings.ToUpper(t) {
	case "", "REQUIRED":
		return false, nil, nil
	case "OPTIONAL":
		v, _ := o.d.Get("value")
		return true, v, nil
	}
	return false, nil, o.fail("type", "must be REQUIRED or OPTIONAL, got %q", t)
}

func decodeWorkflow(o obj) (*Workflow, error) {
	w := &Workflow{}
	ops, err := o.list("operators")
	if err != nil {
		return nil, err
	}
	for _, op := range ops {
		var x Operator
		if x.ID, err = op.id("id", true); err != nil {
			return nil, err
		}
		if x.Name, err = op.str("name", false); err != nil {
			return nil, err
		}
		if x.Type, err = op.str("type", true); err != nil {
			return nil, err
		}
		if x.Type != TypeComponent && x.Type != TypeWorkflow {
			return nil, op.fail("type", "must be COMPONENT or WORKFLOW, got %q", x.Type)
		}
		if x.State, err = op.str("state", false); err != nil {
			return nil, err
		}
		if x.VersionTag, err = op.str("version_tag", false); err != nil {
			return nil, err
		}
		if x.GroupID, err = op.id("revision_group_id", false); err != nil {
			return nil, err
		}
		if x.TransformationID, err = op.id("transformation_id", true); err != nil {
			return nil, err
		}
		if x.Inputs, err = decodeOperatorIOs(op, "inputs", true); err != nil {
			return nil, err
		}
		if x.Outputs, err = decodeOperatorIOs(op, "outputs", false); err != nil {
			return nil, err
		}
		w.Operators = append(w.Operators, x)
	}
	dedupOperatorNames(w.Operators)
	links, err := o.list("links")
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		var x Link
		if x.ID, err = l.str("id", false); err != nil {
			return nil, err
		}
		start, ok, err := l.child("start")
		if err != nil || !ok {
			if err == nil {
				err = l.fail("start", "field required")
			}
			return nil, err
		}
		end, ok, err := l.child("end")
		if err != nil || !ok {
			if err == nil {
				err = l.fail("end", "field required")
			}
			return nil, err
		}
		if x.StartOperator, x.StartConnectorID, x.StartConnectorName, err = linkEnd(start); err != nil {
			return nil, err
		}
		if x.EndOperator, x.EndConnectorID, x.EndConnectorName, err = linkEnd(end); err != nil {
			return nil, err
		}
		w.Links = append(w.Links, x)
	}
	ins, err := o.list("inputs")
	if err != nil {
		return nil, err
	}
	for _, in := range ins {
		var x WorkflowInput
		if x.ID, err = in.id("id", true); err != nil {
			return nil, err
		}
		if x.Name, err = in.str("name", false); err != nil {
			return nil, err
		}
		if x.Type, err = in.dtype("data_type"); err != nil {
			return nil, err
		}
		if x.OperatorID, err = in.id("operator_id", true); err != nil {
			return nil, err
		}
		if x.ConnectorID, err = in.id("connector_id", false); err != nil {
			return nil, err
		}
		if x.ConnectorName, err = in.str("connector_name", false); err != nil {
			return nil, err
		}
		if x.Optional, x.Default, err = optionality(in); err != nil {
			return nil, err
		}
		w.Inputs = append(w.Inputs, x)
	}
	consts, err := o.list("constants")
	if err != nil {
		return nil, err
	}
	for _, c := range consts {
		var x Constant
		if x.ID, err = c.id("id", false); err != nil {
			return nil, err
		}
		if x.Type, err = c.dtype("data_type"); err != nil {
			return nil, err
		}
		if x.OperatorID, err = c.id("operator_id", true); err != nil {
			return nil, err
		}
		if x.ConnectorID, err = c.id("connector_id", false); err != nil {
			return nil, err
		}
		if x.ConnectorName, err = c.str("connector_name", false); err != nil {
			return nil, err
		}
		v, ok := c.d.Get("value")
		if !ok {
			return nil, c.fail("value", "field required")
		}
		x.Value = v
		w.Constants = append(w.Constants, x)
	}
	outs, err := o.list("outputs")
	if err != nil {
		return nil, err
	}
	for _, out := range outs {
		var x WorkflowOutput
		if x.ID, err = out.id("id", true); err != nil {
			return nil, err
		}
		if x.Name, err = out.str("name", false); err != nil {
			return nil, err
		}
		if x.Type, err = out.dtype("data_type"); err != nil {
			return nil, err
		}
		if x.OperatorID, err = out.id("operator_id", true); err != nil {
			return nil, err
		}
		if x.ConnectorID, err = out.id("connector_id", false); err != nil {
			return nil, err
		}
		if x.ConnectorName, err = out.str("connector_name", false); err != nil {
			return nil, err
		}
		w.Outputs = append(w.Outputs, x)
	}
	return w, nil
}

func linkEnd(o obj) (op, connID, connName string, err error) {
	if op, err = o.id("operator", false); err != nil {
		return
	}
	c, ok, err := o.child("connector")
	if err != nil {
		return
	}
	if !ok {
		err = o.fail("connector", "field required")
		return
	}
	if connID, err = c.id("id", true); err != nil {
		return
	}
	connName, err = c.str("name", false)
	return
}

func decodeOperatorIOs(o obj, k string, inputs bool) ([]OperatorIO, error) {
	items, err := o.list(k)
	if err != nil {
		return nil, err
	}
	out := make([]OperatorIO, 0, len(items))
	for _, it := range items {
		var io OperatorIO
		if io.ID, err = it.id("id", true); err != nil {
			return nil, err
		}
		if io.Name, err = it.str("name", false); err != nil {
			return nil, err
		}
		if io.Type, err = it.dtype("data_type"); err != nil {
			return nil, err
		}
		if inputs {
			if io.Optional, io.Default, err = optionality(it); err != nil {
				return nil, err
			}
			if v, ok := it.d.Get("exposed"); ok {
				b, ok := v.(bool)
				if !ok {
					return nil, it.fail("exposed", "must be a boolean")
				}
				io.Exposed = b
			} else {
				io.Exposed = !io.Optional
			}
			if !io.Optional {
				io.Exposed = true // REQUIRED inputs are always exposed
			}
		}
		out = append(out, io)
	}
	return out, nil
}

var nameSuffix = regexp.MustCompile(` \(\d+\)$`)

// dedupOperatorNames renames operators that share a name stem (the name without a
// trailing " (n)") to stem, stem (2), stem (3), … in list order, as hetida does on load.
func dedupOperatorNames(ops []Operator) {
	groups := map[string][]int{}
	var order []string
	for i, op := range ops {
		stem := nameSuffix.ReplaceAllString(op.Name, "")
		if _, ok := groups[stem]; !ok {
			order = append(order, stem)
		}
		groups[stem] = append(groups[stem], i)
	}
	for _, stem := range order {
		g := groups[stem]
		if len(g) < 2 {
			continue
		}
		for k, i := range g {
			if k == 0 {
				ops[i].Name = stem
			} else {
				ops[i].Name = fmt.Sprintf("%s (%d)", stem, k+1)
			}
		}
	}
}
