// Package deploycheck checks trafofn's deployment artefacts (Dockerfile,
// docker-compose.yml, knative/, deploy/) the way a cluster and compose would read them,
// and cross-checks them against the code: Kubernetes core objects are decoded strictly
// into k8s.io/api types, custom resources are validated against their upstream CRD
// schemas made strict, and ports, probe paths, environment variables, topic names and
// image names must be the ones trafofn really uses. The tests run it on the committed
// files and on mutated copies, which must fail.
package deploycheck

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	k8syaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// Image is the image every artefact runs: the Dockerfile's build tagged as in the README.
// dev.local is one of the registries Knative Serving does not resolve to a digest, so a
// locally loaded image works as it is (kind load docker-image dev.local/trafofn:dev).
const Image = "dev.local/trafofn:dev"

// Doc is one YAML document of a manifest file.
type Doc struct {
	File  string // the file's path as given
	Index int    // the document's position in the file, from 0
	// JSON is the document converted to JSON (duplicate keys are errors).
	JSON []byte
	// Object is JSON decoded into maps.
	Object map[string]any
	// APIVersion, Kind, Name and Namespace identify the object.
	APIVersion, Kind, Name, Namespace string
}

// String names the document for messages: file, kind and name.
func (d Doc) String() string {
	return fmt.Sprintf("%s: %s %s", d.File, d.Kind, d.Name)
}

// ReadFiles reads every YAML document of the files; empty documents are skipped.
func ReadFiles(paths ...string) ([]Doc, error) {
	var docs []Doc
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		ds, err := ParseDocs(p, b)
		if err != nil {
			return nil, err
		}
		docs = append(docs, ds...)
	}
	return docs, nil
}

// ReadDir reads the *.yaml files directly in dir, in name order (kubectl apply -f dir).
func ReadDir(dir string) ([]Doc, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s has no *.yaml files", dir)
	}
	sort.Strings(paths)
	return ReadFiles(paths...)
}

// ParseDocs splits a multi-document YAML file and converts each document to JSON.
func ParseDocs(file string, b []byte) ([]Doc, error) {
	r := k8syaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(b)))
	var docs []Doc
	for i := 0; ; i++ {
		raw, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if len(bytes.TrimSpace(stripComments(raw))) == 0 {
			continue
		}
		j, err := yaml.YAMLToJSONStrict(raw)
		if err != nil {
			return nil, fmt.Errorf("%s (document %d): %w", file, i, err)
		}
		d := Doc{File: file, Index: i, JSON: j}
		if err := json.Unmarshal(j, &d.Object); err != nil || d.Object == nil {
			return nil, fmt.Errorf("%s (document %d): not an object", file, i)
		}
		d.APIVersion, _ = d.Object["apiVersion"].(string)
		d.Kind, _ = d.Object["kind"].(string)
		if md, ok := d.Object["metadata"].(map[string]any); ok {
			d.Name, _ = md["name"].(string)
			d.Namespace, _ = md["namespace"].(string)
		}
		if d.APIVersion == "" || d.Kind == "" {
			return nil, fmt.Errorf("%s (document %d): apiVersion and kind are required", file, i)
		}
		docs = append(docs, d)
	}
	return docs, nil
}

func stripComments(b []byte) []byte {
	var out []byte
	for _, line := range bytes.Split(b, []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' && !bytes.Equal(t, []byte("---")) {
			out = append(out, line...)
			out = append(out, '\n')
		}
	}
	return out
}

// find returns the documents of a kind (and name, when not empty).
func find(docs []Doc, apiVersion, kind, name string) []Doc {
	var out []Doc
	for _, d := range docs {
		if d.APIVersion == apiVersion && d.Kind == kind && (name == "" || d.Name == name) {
			out = append(out, d)
		}
	}
	return out
}

// problems collects what a check found wrong.
type problems struct{ errs []error }

func (p *problems) add(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf(format, args...))
}
func (p *problems) addErr(err error) {
	if err != nil {
		p.errs = append(p.errs, err)
	}
}
func (p *problems) err() error { return errors.Join(p.errs...) }

// path reads a value from decoded JSON by keys (strings) and indexes (ints).
func path(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func str(v any, keys ...any) string {
	s, _ := path(v, keys...).(string)
	return s
}

func stringList(v any, keys ...any) []string {
	a, _ := path(v, keys...).([]any)
	var out []string
	for _, e := range a {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}
