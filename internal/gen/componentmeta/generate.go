package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// component is the metadata of one component revision as read from hetida's file.
type component struct {
	file                                 string
	ID, GroupID, Name, Category, Version string
	State, Released, Disabled            string
	In, Out                              []port
}

type port struct {
	Name, Type string
	Optional   bool
	Default    any // nil, bool, int64, float64, string or a JSON text for containers
}

// Generate reads every component file below dir and renders the Go source.
func Generate(dir string) ([]byte, error) {
	var comps []component
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		var c component
		var rerr error
		switch filepath.Ext(path) {
		case ".json":
			c, rerr = readJSON(path)
		case ".py":
			c, rerr = readPy(path)
		default:
			return nil
		}
		if rerr != nil {
			return fmt.Errorf("%s: %w", path, rerr)
		}
		rel, _ := filepath.Rel(dir, path)
		c.file = filepath.ToSlash(rel)
		comps = append(comps, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(comps) == 0 {
		return nil, fmt.Errorf("no component files in %s", dir)
	}
	slices.SortFunc(comps, func(a, b component) int {
		if c := strings.Compare(a.Category, b.Category); c != 0 {
			return c
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Version, b.Version)
	})
	return render(comps)
}

type jsonIO struct {
	Name     string          `json:"name"`
	DataType string          `json:"data_type"`
	Type     string          `json:"type"`
	Value    json.RawMessage `json:"value"`
}

type jsonComponent struct {
	ID        string `json:"id"`
	GroupID   string `json:"revision_group_id"`
	Name      string `json:"name"`
	Category  string `json:"category"`
	Version   string `json:"version_tag"`
	State     string `json:"state"`
	Type      string `json:"type"`
	Released  string `json:"released_timestamp"`
	Disabled  string `json:"disabled_timestamp"`
	Interface struct {
		Inputs  []jsonIO `json:"inputs"`
		Outputs []jsonIO `json:"outputs"`
	} `json:"io_interface"`
}

func readJSON(path string) (component, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return component{}, err
	}
	var j jsonComponent
	if err := json.Unmarshal(b, &j); err != nil {
		return component{}, err
	}
	if j.Type != "COMPONENT" {
		return component{}, fmt.Errorf("type %q, want COMPONENT", j.Type)
	}
	c := component{ID: j.ID, GroupID: j.GroupID, Name: j.Name, Category: j.Category, Version: j.Version,
		State: j.State, Released: j.Released, Disabled: j.Disabled}
	for _, in := range j.Interface.Inputs {
		p := port{Name: in.Name, Type: in.DataType, Optional: in.Type == "OPTIONAL"}
		if p.Optional && len(in.Value) > 0 {
			var v any
			if err := json.Unmarshal(in.Value, &v); err != nil {
				return component{}, fmt.Errorf("input %s: default: %w", in.Name, err)
			}
			p.Default = plainDefault(v)
		}
		c.In = append(c.In, p)
	}
	for _, out := range j.Interface.Outputs {
		c.Out = append(c.Out, port{Name: out.Name, Type: out.DataType})
	}
	return c, c.validate()
}

// plainDefault keeps scalars and turns containers into their JSON text (hetida's
// manual-input form, parsed with the port's type at execution).
func plainDefault(v any) any {
	switch x := v.(type) {
	case nil, bool, string, int64:
		return x
	case float64:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func readPy(path string) (component, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return component{}, err
	}
	src := string(b)
	const marker = "\nCOMPONENT_INFO = "
	i := strings.Index(src, marker)
	if i < 0 {
		return component{}, fmt.Errorf("no COMPONENT_INFO")
	}
	p := &pyParser{s: src, i: i + len(marker)}
	v, err := p.value()
	if err != nil {
		return component{}, fmt.Errorf("COMPONENT_INFO: %w", err)
	}
	info, ok := v.(pyDict)
	if !ok {
		return component{}, fmt.Errorf("COMPONENT_INFO is not a dict")
	}
	str := func(k string) string { s, _ := info.get(k).(string); return s }
	c := component{ID: str("id"), GroupID: str("revision_group_id"), Name: str("name"), Category: str("category"),
		Version: str("version_tag"), State: str("state"), Released: str("released_timestamp"), Disabled: str("disabled_timestamp")}
	ports := func(k string, inputs bool) ([]port, error) {
		d, ok := info.get(k).(pyDict)
		if !ok {
			return nil, fmt.Errorf("COMPONENT_INFO[%q] is not a dict", k)
		}
		var out []port
		for _, kv := range d {
			spec, ok := kv.v.(pyDict)
			if !ok {
				return nil, fmt.Errorf("port %s is not a dict", kv.k)
			}
			typ, _ := spec.get("data_type").(string)
			pt := port{Name: kv.k, Type: typ}
			if inputs && spec.has("default_value") {
				pt.Optional = true
				pt.Default = spec.get("default_value")
				if dd, ok := pt.Default.(pyDict); ok {
					pt.Default = dd.json()
				}
			}
			out = append(out, pt)
		}
		return out, nil
	}
	if c.In, err = ports("inputs", true); err != nil {
		return component{}, err
	}
	if c.Out, err = ports("outputs", false); err != nil {
		return component{}, err
	}
	return c, c.validate()
}

var dataTypes = []string{"INT", "FLOAT", "STRING", "BOOLEAN", "SERIES", "DATAFRAME", "MULTITSFRAME", "ANY", "PLOTLYJSON"}

func (c component) validate() error {
	if c.ID == "" || c.Name == "" || c.Category == "" || c.Version == "" {
		return fmt.Errorf("missing id, name, category or version tag")
	}
	for _, p := range append(append([]port(nil), c.In...), c.Out...) {
		if !slices.Contains(dataTypes, p.Type) {
			return fmt.Errorf("port %s: unknown data type %q", p.Name, p.Type)
		}
	}
	return nil
}

// ident is the Go identifier of a component's metadata: "meta" + the name in CamelCase,
// plus the version tag when two revisions share a name.
func ident(c component, clash bool) string {
	var b strings.Builder
	b.WriteString("meta")
	up := true
	for _, r := range c.Name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if r > unicode.MaxASCII {
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	if clash {
		b.WriteString("V" + strings.ReplaceAll(c.Version, ".", ""))
	}
	return b.String()
}

var goTypes = map[string]string{
	"INT": "data.TypeInt", "FLOAT": "data.TypeFloat", "STRING": "data.TypeString", "BOOLEAN": "data.TypeBoolean",
	"SERIES": "data.TypeSeries", "DATAFRAME": "data.TypeDataFrame", "MULTITSFRAME": "data.TypeMultiTSFrame",
	"ANY": "data.TypeAny", "PLOTLYJSON": "data.TypePlotlyJSON",
}

func goValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return fmt.Sprintf("int64(%d)", x)
	case float64:
		return fmt.Sprintf("float64(%s)", strconv.FormatFloat(x, 'g', -1, 64))
	case string:
		return strconv.Quote(x)
	}
	panic(fmt.Sprintf("unexpected default %T", v))
}

func render(comps []component) ([]byte, error) {
	names := map[string]int{}
	for _, c := range comps {
		names[c.Name]++
	}
	var b bytes.Buffer
	b.WriteString(`// Code generated by go run ./internal/gen/componentmeta; DO NOT EDIT.

package library

import (
	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// The facts of hetida's base component revisions, generated from hetida's component
// files: identity, interface and defaults. Category files bind them to Run functions.
var (
`)
	seen := map[string]string{}
	var ids []string
	for _, c := range comps {
		id := ident(c, names[c.Name] > 1)
		if prev, dup := seen[id]; dup {
			return nil, fmt.Errorf("identifier %s for both %s and %s", id, prev, c.file)
		}
		seen[id] = c.file
		ids = append(ids, id)
		fmt.Fprintf(&b, "\t// %s\n\t%s = component.Meta{\n", c.file, id)
		fmt.Fprintf(&b, "\t\tID: %q, GroupID: %q,\n", c.ID, c.GroupID)
		fmt.Fprintf(&b, "\t\tName: %q, Category: %q, Version: %q, State: %q,\n", c.Name, c.Category, c.Version, c.State)
		if c.Released != "" {
			fmt.Fprintf(&b, "\t\tReleased: %q,\n", c.Released)
		}
		if c.Disabled != "" {
			fmt.Fprintf(&b, "\t\tDisabled: %q,\n", c.Disabled)
		}
		renderPorts := func(field string, ps []port) {
			if len(ps) == 0 {
				return
			}
			fmt.Fprintf(&b, "\t\t%s: []component.Port{\n", field)
			for _, p := range ps {
				if p.Optional {
					fmt.Fprintf(&b, "\t\t\t{Name: %q, Type: %s, Optional: true, Default: %s},\n", p.Name, goTypes[p.Type], goValue(p.Default))
				} else {
					fmt.Fprintf(&b, "\t\t\t{Name: %q, Type: %s},\n", p.Name, goTypes[p.Type])
				}
			}
			b.WriteString("\t\t},\n")
		}
		renderPorts("In", c.In)
		renderPorts("Out", c.Out)
		b.WriteString("\t}\n")
	}
	b.WriteString(")\n\n// hetidaComponents lists every generated revision, by category and name.\nvar hetidaComponents = []*component.Meta{\n")
	for _, id := range ids {
		fmt.Fprintf(&b, "\t&%s,\n", id)
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}
