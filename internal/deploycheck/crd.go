package deploycheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// CRDFiles are the upstream CRDs (relative to the k8s-crds folder, see its README) of the
// custom resources the artefacts use.
var CRDFiles = []string{
	"knative-serving/service.yaml",
	"knative-eventing/trigger.yaml",
	"knative-eventing/broker.yaml",
	"knative-eventing/sinkbindings.yaml",
	"eventing-kafka-broker/100-kafka-sink.yaml",
	"eventing-kafka-broker/100-kafka-source.yaml",
	"keda/keda.sh_scaledobjects.yaml",
}

// Schemas validates custom resources against their CRDs' OpenAPI schemas, made strict.
type Schemas struct {
	byType map[string]*jsonschema.Schema // "group/version Kind"
}

// LoadSchemas compiles the served versions of every CRD in CRDFiles under dir.
//
// A CRD's schema is OpenAPI v3 with Kubernetes extensions; it becomes JSON Schema (draft 4,
// whose boolean exclusiveMinimum OpenAPI 3.0 shares) by these rules:
//   - strict: an object that lists its properties gets additionalProperties: false, also
//     where the CRD says x-kubernetes-preserve-unknown-fields (the API server would keep
//     an unknown field there and the controller ignore it: a typo passes silently);
//     objects inside allOf/anyOf/oneOf/not only constrain and stay open;
//   - the root and x-kubernetes-embedded-resource objects also have apiVersion, kind and
//     metadata (the API server's implicit fields); apiVersion and kind must be the CRD's;
//   - nullable: true adds "null" to the type; x-kubernetes-int-or-string is integer or
//     string.
//
// x-kubernetes-validations (CEL) rules are not evaluated.
func LoadSchemas(dir string) (*Schemas, error) {
	s := &Schemas{byType: map[string]*jsonschema.Schema{}}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	type pending struct{ key, url string }
	var todo []pending
	for _, f := range CRDFiles {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, err
		}
		var crd struct {
			Spec struct {
				Group string `json:"group"`
				Names struct {
					Kind string `json:"kind"`
				} `json:"names"`
				Versions []struct {
					Name   string `json:"name"`
					Served bool   `json:"served"`
					Schema struct {
						OpenAPIV3Schema map[string]any `json:"openAPIV3Schema"`
					} `json:"schema"`
				} `json:"versions"`
			} `json:"spec"`
		}
		if err := yaml.Unmarshal(b, &crd); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, v := range crd.Spec.Versions {
			if !v.Served || v.Schema.OpenAPIV3Schema == nil {
				continue
			}
			apiVersion := crd.Spec.Group + "/" + v.Name
			root := convert(v.Schema.OpenAPIV3Schema, true)
			props := root["properties"].(map[string]any)
			props["apiVersion"] = map[string]any{"type": "string", "enum": []any{apiVersion}}
			props["kind"] = map[string]any{"type": "string", "enum": []any{crd.Spec.Names.Kind}}
			props["metadata"] = map[string]any{"type": "object"}
			root["required"] = appendUnique(root["required"], "apiVersion", "kind", "metadata")
			doc, err := roundTrip(root)
			if err != nil {
				return nil, err
			}
			url := "crd:///" + f + "/" + v.Name
			if err := c.AddResource(url, doc); err != nil {
				return nil, fmt.Errorf("%s %s: %w", f, v.Name, err)
			}
			todo = append(todo, pending{apiVersion + " " + crd.Spec.Names.Kind, url})
		}
	}
	for _, p := range todo {
		sch, err := c.Compile(p.url)
		if err != nil {
			return nil, fmt.Errorf("compiling the schema of %s: %w", p.key, err)
		}
		s.byType[p.key] = sch
	}
	return s, nil
}

// Types lists the apiVersion/kind pairs the schemas know, for messages.
func (s *Schemas) Types() []string {
	var out []string
	for k := range s.byType {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Knows reports whether d is a custom resource with a loaded schema.
func (s *Schemas) Knows(d Doc) bool {
	_, ok := s.byType[d.APIVersion+" "+d.Kind]
	return ok
}

// Validate checks d against its CRD schema and decodes its metadata strictly into
// metav1.ObjectMeta (CRD schemas leave metadata to the API server).
func (s *Schemas) Validate(d Doc) error {
	sch, ok := s.byType[d.APIVersion+" "+d.Kind]
	if !ok {
		return fmt.Errorf("%s: no CRD schema for %s %s (known: %s)", d, d.APIVersion, d.Kind, strings.Join(s.Types(), ", "))
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(d.JSON))
	if err != nil {
		return err
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("%s: %w", d, err)
	}
	return strictMetadata(d)
}

func strictMetadata(d Doc) error {
	md, ok := d.Object["metadata"]
	if !ok {
		return fmt.Errorf("%s: no metadata", d)
	}
	b, _ := json.Marshal(md)
	var om metav1.ObjectMeta
	if err := yaml.UnmarshalStrict(b, &om); err != nil {
		return fmt.Errorf("%s: metadata: %w", d, err)
	}
	if om.Name == "" {
		return fmt.Errorf("%s: metadata.name is empty", d)
	}
	return nil
}

// convert rewrites one OpenAPI schema node as JSON Schema (see LoadSchemas); structural
// says whether the node describes fields (false inside allOf/anyOf/oneOf/not).
func convert(node map[string]any, structural bool) map[string]any {
	out := make(map[string]any, len(node)+1)
	for k, v := range node {
		out[k] = v
	}
	if b, _ := out["nullable"].(bool); b {
		if t, ok := out["type"].(string); ok {
			out["type"] = []any{t, "null"}
		}
	}
	delete(out, "nullable")
	if b, _ := out["x-kubernetes-int-or-string"].(bool); b {
		out["anyOf"] = []any{map[string]any{"type": "integer"}, map[string]any{"type": "string"}}
		delete(out, "type")
	}
	if props, ok := out["properties"].(map[string]any); ok {
		np := make(map[string]any, len(props)+3)
		for k, v := range props {
			if m, ok := v.(map[string]any); ok {
				np[k] = convert(m, structural)
			} else {
				np[k] = v
			}
		}
		if b, _ := out["x-kubernetes-embedded-resource"].(bool); b {
			for _, k := range []string{"apiVersion", "kind"} {
				if _, ok := np[k]; !ok {
					np[k] = map[string]any{"type": "string"}
				}
			}
			if _, ok := np["metadata"]; !ok {
				np["metadata"] = map[string]any{"type": "object"}
			}
		}
		out["properties"] = np
		if _, has := out["additionalProperties"]; structural && !has && len(np) > 0 {
			out["additionalProperties"] = false
		}
	}
	if items, ok := out["items"].(map[string]any); ok {
		out["items"] = convert(items, structural)
	}
	if ap, ok := out["additionalProperties"].(map[string]any); ok {
		out["additionalProperties"] = convert(ap, structural)
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		if a, ok := out[k].([]any); ok {
			na := make([]any, len(a))
			for i, e := range a {
				if m, ok := e.(map[string]any); ok {
					na[i] = convert(m, false)
				} else {
					na[i] = e
				}
			}
			out[k] = na
		}
	}
	if n, ok := out["not"].(map[string]any); ok {
		out["not"] = convert(n, false)
	}
	return out
}

func appendUnique(v any, names ...string) []any {
	a, _ := v.([]any)
	have := map[string]bool{}
	for _, e := range a {
		if s, ok := e.(string); ok {
			have[s] = true
		}
	}
	for _, n := range names {
		if !have[n] {
			a = append(a, n)
		}
	}
	return a
}

// roundTrip turns a schema built from YAML into the values jsonschema expects
// (json.Number for numbers).
func roundTrip(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}
