package store

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
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

// The documents of hetida's export format (hetida-contract §4), as far as execution needs
// them. Values of any JSON type (defaults, constants, the test wiring) stay raw and are
// decoded with wire, like request values, so that they keep Python's types and key order.
type (
	revisionDoc struct {
		ID          string          `json:"id"`
		GroupID     string          `json:"revision_group_id"`
		Name        string          `json:"name"`
		Description string          `json:"description"`
		Category    string          `json:"category"`
		VersionTag  string          `json:"version_tag"`
		State       string          `json:"state"`
		Type        string          `json:"type"`
		Released    string          `json:"released_timestamp"`
		Disabled    string          `json:"disabled_timestamp"`
		IO          *ioInterfaceDoc `json:"io_interface"`
		// Content is a component's Python code (never used) or a workflowDoc.
		Content    json.RawMessage `json:"content"`
		TestWiring json.RawMessage `json:"test_wiring"`
	}
	ioInterfaceDoc struct {
		Inputs  []portDoc `json:"inputs"`
		Outputs []portDoc `json:"outputs"`
	}
	workflowDoc struct {
		Operators []operatorDoc `json:"operators"`
		Links     []linkDoc     `json:"links"`
		Constants []portDoc     `json:"constants"`
		Inputs    []portDoc     `json:"inputs"`
		Outputs   []portDoc     `json:"outputs"`
	}
	operatorDoc struct {
		ID               string    `json:"id"`
		GroupID          string    `json:"revision_group_id"`
		Name             string    `json:"name"`
		Type             string    `json:"type"`
		State            string    `json:"state"`
		VersionTag       string    `json:"version_tag"`
		TransformationID string    `json:"transformation_id"`
		Inputs           []portDoc `json:"inputs"`
		Outputs          []portDoc `json:"outputs"`
	}
	// portDoc is any of the format's connector-like objects: io_interface entries, operator
	// inputs and outputs, and a workflow's inputs, constants and outputs; each uses the
	// fields it has.
	portDoc struct {
		ID            string          `json:"id"`
		Name          string          `json:"name"`
		DataType      string          `json:"data_type"`
		Type          string          `json:"type"`  // REQUIRED (the default) or OPTIONAL
		Value         json.RawMessage `json:"value"` // default of an OPTIONAL input; a constant's value
		Exposed       *bool           `json:"exposed"`
		OperatorID    string          `json:"operator_id"`
		ConnectorID   string          `json:"connector_id"`
		ConnectorName string          `json:"connector_name"`
	}
	linkDoc struct {
		ID    string      `json:"id"`
		Start *linkEndDoc `json:"start"`
		End   *linkEndDoc `json:"end"`
	}
	linkEndDoc struct {
		Operator  string `json:"operator"` // empty for a workflow input, constant or output
		Connector *struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"connector"`
	}
)

// DecodeRevision parses one transformation revision in hetida's export format and checks
// what execution relies on: ids are UUIDs (stored canonically), data types exist, states,
// types and optionality are hetida's, names of an interface are unique.
func DecodeRevision(b []byte) (*Revision, error) {
	var doc revisionDoc
	if err := unmarshal(b, "", &doc); err != nil {
		return nil, err
	}
	var c checker
	r := &Revision{
		ID:          c.id("id", doc.ID, true),
		GroupID:     c.id("revision_group_id", doc.GroupID, true),
		Name:        c.required("name", doc.Name),
		Description: doc.Description,
		Category:    cmp.Or(doc.Category, "Other"),
		VersionTag:  c.required("version_tag", doc.VersionTag),
		State:       c.oneOf("state", doc.State, StateDraft, StateReleased, StateDisabled),
		Type:        c.oneOf("type", doc.Type, TypeComponent, TypeWorkflow),
		Released:    c.timestamp("released_timestamp", doc.Released),
		Disabled:    c.timestamp("disabled_timestamp", doc.Disabled),
		TestWiring:  c.value("test_wiring", doc.TestWiring),
	}
	if r.State == StateDisabled && r.Released == nil {
		r.Released = r.Disabled
	}
	if r.State == StateReleased && r.Released == nil {
		c.fail("released_timestamp", "required for a RELEASED revision")
	}
	if doc.IO == nil {
		c.fail("io_interface", "field required")
	} else {
		r.Inputs = c.interfaceIOs("io_interface.inputs", doc.IO.Inputs, true)
		r.Outputs = c.interfaceIOs("io_interface.outputs", doc.IO.Outputs, false)
	}
	if c.err != nil {
		return nil, c.err
	}
	if r.Type == TypeWorkflow { // a component's content is Python code: kept out of the runtime on purpose
		w, err := decodeWorkflow(doc.Content)
		if err != nil {
			return nil, err
		}
		r.Workflow = w
		// hetida derives a workflow's interface from its content
		r.Inputs = r.Inputs[:0]
		for _, in := range w.Inputs {
			if in.Name != "" {
				r.Inputs = append(r.Inputs, IO{ID: in.ID, Name: in.Name, Type: in.Type, Optional: in.Optional, Default: in.Default})
			}
		}
		r.Outputs = r.Outputs[:0]
		for _, out := range w.Outputs {
			if out.Name != "" {
				r.Outputs = append(r.Outputs, IO{ID: out.ID, Name: out.Name, Type: out.Type})
			}
		}
	}
	return r, nil
}

func decodeWorkflow(raw json.RawMessage) (*Workflow, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, &FieldError{Path: "content", Msg: "a WORKFLOW needs its content object"}
	}
	var doc workflowDoc
	if err := unmarshal(raw, "content", &doc); err != nil {
		return nil, err
	}
	var c checker
	w := &Workflow{}
	for i, op := range doc.Operators {
		at := fmt.Sprintf("content.operators[%d]", i)
		x := Operator{
			ID:               c.id(at+".id", op.ID, true),
			Name:             op.Name,
			Type:             c.oneOf(at+".type", op.Type, TypeComponent, TypeWorkflow),
			State:            op.State,
			VersionTag:       op.VersionTag,
			GroupID:          c.id(at+".revision_group_id", op.GroupID, false),
			TransformationID: c.id(at+".transformation_id", op.TransformationID, true),
		}
		for j, p := range op.Inputs {
			at := fmt.Sprintf("%s.inputs[%d]", at, j)
			io := OperatorIO{ID: c.id(at+".id", p.ID, true), Name: p.Name, Type: c.dataType(at+".data_type", p.DataType)}
			io.Optional, io.Default = c.optionality(at, p)
			// REQUIRED inputs are always exposed; OPTIONAL ones when the file says so
			io.Exposed = !io.Optional || p.Exposed != nil && *p.Exposed
			x.Inputs = append(x.Inputs, io)
		}
		for j, p := range op.Outputs {
			at := fmt.Sprintf("%s.outputs[%d]", at, j)
			x.Outputs = append(x.Outputs, OperatorIO{ID: c.id(at+".id", p.ID, true), Name: p.Name, Type: c.dataType(at+".data_type", p.DataType)})
		}
		w.Operators = append(w.Operators, x)
	}
	dedupOperatorNames(w.Operators)
	for i, l := range doc.Links {
		at := fmt.Sprintf("content.links[%d]", i)
		x := Link{ID: l.ID}
		x.StartOperator, x.StartConnectorID, x.StartConnectorName = c.linkEnd(at+".start", l.Start)
		x.EndOperator, x.EndConnectorID, x.EndConnectorName = c.linkEnd(at+".end", l.End)
		w.Links = append(w.Links, x)
	}
	for i, p := range doc.Inputs {
		at := fmt.Sprintf("content.inputs[%d]", i)
		x := WorkflowInput{
			ID: c.id(at+".id", p.ID, true), Name: p.Name, Type: c.dataType(at+".data_type", p.DataType),
			OperatorID: c.id(at+".operator_id", p.OperatorID, true), ConnectorID: c.id(at+".connector_id", p.ConnectorID, false),
			ConnectorName: p.ConnectorName,
		}
		x.Optional, x.Default = c.optionality(at, p)
		w.Inputs = append(w.Inputs, x)
	}
	for i, p := range doc.Constants {
		at := fmt.Sprintf("content.constants[%d]", i)
		x := Constant{
			ID: c.id(at+".id", p.ID, false), Type: c.dataType(at+".data_type", p.DataType),
			OperatorID: c.id(at+".operator_id", p.OperatorID, true), ConnectorID: c.id(at+".connector_id", p.ConnectorID, false),
			ConnectorName: p.ConnectorName,
		}
		if p.Value == nil { // null is a value
			c.fail(at+".value", "field required")
		}
		x.Value = c.value(at+".value", p.Value)
		w.Constants = append(w.Constants, x)
	}
	for i, p := range doc.Outputs {
		at := fmt.Sprintf("content.outputs[%d]", i)
		w.Outputs = append(w.Outputs, WorkflowOutput{
			ID: c.id(at+".id", p.ID, true), Name: p.Name, Type: c.dataType(at+".data_type", p.DataType),
			OperatorID: c.id(at+".operator_id", p.OperatorID, true), ConnectorID: c.id(at+".connector_id", p.ConnectorID, false),
			ConnectorName: p.ConnectorName,
		})
	}
	if c.err != nil {
		return nil, c.err
	}
	return w, nil
}

// checker validates decoded fields, keeping the first failure: the calls of one document
// then read as a list of its fields.
type checker struct{ err error }

func (c *checker) fail(path, format string, args ...any) {
	if c.err == nil {
		c.err = &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}
	}
}

// required checks that a string field is present, not null and not empty.
func (c *checker) required(path, s string) string {
	if s == "" {
		c.fail(path, "field required")
	}
	return s
}

// oneOf checks a required field with a fixed set of values.
func (c *checker) oneOf(path, s string, values ...string) string {
	if c.required(path, s) == "" {
		return s
	}
	for _, v := range values {
		if s == v {
			return s
		}
	}
	c.fail(path, "must be %s or %s, got %q", strings.Join(values[:len(values)-1], ", "), values[len(values)-1], s)
	return s
}

// id returns a UUID in canonical form (any form uuid.Parse accepts is read); an absent
// optional one stays empty.
func (c *checker) id(path, s string, required bool) string {
	if s == "" {
		if required {
			c.fail(path, "field required")
		}
		return ""
	}
	u, err := uuid.Parse(s)
	if err != nil {
		c.fail(path, "value is not a valid uuid: %q", s)
		return ""
	}
	return u.String()
}

func (c *checker) dataType(path, s string) data.Type {
	t := data.Type(c.required(path, s))
	if s != "" && !t.Valid() {
		c.fail(path, "unknown data type %q", s)
	}
	return t
}

// timestamp parses an optional ISO 8601 timestamp; naive ones are taken as UTC, as hetida
// normalises them.
func (c *checker) timestamp(path, s string) *time.Time {
	if s == "" {
		return nil
	}
	ns, _, err := data.ParseISO(s)
	if err != nil {
		c.fail(path, "not an ISO 8601 timestamp: %q", s)
		return nil
	}
	t := time.Unix(0, ns).UTC()
	return &t
}

// value decodes a JSON value of any type with wire; absent is nil.
func (c *checker) value(path string, raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	v, err := wire.Decode(raw)
	if err != nil {
		c.fail(path, "%v", err)
	}
	return v
}

// optionality reads an input's type (REQUIRED, the default, or OPTIONAL, in any case) and
// the default value of an OPTIONAL one.
func (c *checker) optionality(at string, p portDoc) (optional bool, def any) {
	switch strings.ToUpper(p.Type) {
	case "", "REQUIRED":
		return false, nil
	case "OPTIONAL":
		return true, c.value(at+".value", p.Value)
	}
	c.fail(at+".type", "must be REQUIRED or OPTIONAL, got %q", p.Type)
	return false, nil
}

// interfaceIOs reads the inputs or outputs of an io_interface, whose names are unique.
func (c *checker) interfaceIOs(at string, ps []portDoc, inputs bool) []IO {
	out := make([]IO, 0, len(ps))
	seen := map[string]bool{}
	for i, p := range ps {
		at := fmt.Sprintf("%s[%d]", at, i)
		io := IO{ID: c.id(at+".id", p.ID, false), Name: p.Name, Type: c.dataType(at+".data_type", p.DataType)}
		if io.Name != "" {
			if seen[io.Name] {
				c.fail(at+".name", "duplicate name %q", io.Name)
			}
			seen[io.Name] = true
		}
		if inputs {
			io.Optional, io.Default = c.optionality(at, p)
		}
		out = append(out, io)
	}
	return out
}

func (c *checker) linkEnd(at string, e *linkEndDoc) (op, connID, connName string) {
	switch {
	case e == nil:
		c.fail(at, "field required")
	case e.Connector == nil:
		c.fail(at+".connector", "field required")
	default:
		return c.id(at+".operator", e.Operator, false), c.id(at+".connector.id", e.Connector.ID, true), e.Connector.Name
	}
	return "", "", ""
}

// unmarshal is json.Unmarshal reporting a value of the wrong JSON type as a FieldError at
// its path (below prefix), which encoding/json does not give with array indices.
func unmarshal(b []byte, prefix string, v any) error {
	err := json.Unmarshal(b, v)
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("invalid JSON at byte %d: %w", se.Offset, err)
	case errors.As(err, &te):
		path := pathAt(b, te.Offset)
		if prefix != "" && path != "" {
			path = prefix + "." + path
		}
		return &FieldError{Path: cmp.Or(path, prefix, "(document)"), Msg: "must be " + jsonKind(te.Type) + ", got " + te.Value}
	}
	return err
}

// jsonKind names the JSON type that decodes into t.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice:
		return "an array"
	case reflect.Struct, reflect.Pointer:
		return "an object"
	}
	return t.String()
}

// pathAt returns the path (a.b[2].c) of the JSON value of b that ends at byte off, or
// whose opening bracket ends there: where encoding/json's UnmarshalTypeError points.
func pathAt(b []byte, off int64) string {
	type level struct {
		array bool
		index int    // arrays: the current element
		key   string // objects: the current key
		inKey bool   // objects: the next token is a key
	}
	var st []level
	path := func() string {
		var sb strings.Builder
		for _, l := range st {
			if l.array {
				fmt.Fprintf(&sb, "[%d]", l.index)
			} else {
				if sb.Len() > 0 {
					sb.WriteByte('.')
				}
				sb.WriteString(l.key)
			}
		}
		return sb.String()
	}
	done := func() { // a value ended: its container moves on
		if n := len(st); n > 0 {
			if st[n-1].array {
				st[n-1].index++
			} else {
				st[n-1].inKey = true
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		d, delim := tok.(json.Delim)
		if delim && (d == '}' || d == ']') {
			st = st[:len(st)-1]
			done()
			continue
		}
		if n := len(st); n > 0 && !st[n-1].array && st[n-1].inKey {
			st[n-1].key, st[n-1].inKey = tok.(string), false
			continue
		}
		if dec.InputOffset() >= off {
			return path()
		}
		if delim {
			st = append(st, level{array: d == '[', inKey: d == '{'})
			continue
		}
		done()
	}
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
