package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The committed runtime/library/meta_gen.go is what the generator makes of hetida's
// component files: a hand edit, or a change in hetida's files, fails here until
// `go generate ./runtime/library/` is run.
func TestGeneratedFileIsCurrent(t *testing.T) {
	dir := os.Getenv("CONFORMANCE_DIR")
	if dir == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CONFORMANCE_DIR is not set (CI=true)")
		}
		t.Skip("CONFORMANCE_DIR is not set: hetida's component files are not available")
	}
	src := filepath.Join(dir, "..", "hetida", "transformations", "components")
	want, err := Generate(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "..", "..", "runtime", "library", "meta_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("runtime/library/meta_gen.go is not what the generator produces: run go generate ./runtime/library/")
	}
	if n := strings.Count(string(want), "= component.Meta{"); n != 165 {
		t.Errorf("generated %d revisions, want hetida's 165", n)
	}
}

// The Python literal reader keeps insertion order, concatenates adjacent strings, skips
// comments and reads None/True/False and numbers.
func TestPyLiteral(t *testing.T) {
	p := &pyParser{s: `{"b": {"x": 1, "y": 2.5,}, "a": "one" 'two',  # comment
	"n": None, "t": True, "l": [1, "s"], "q": 'it\'s'}`}
	v, err := p.value()
	if err != nil {
		t.Fatal(err)
	}
	d := v.(pyDict)
	var keys []string
	for _, kv := range d {
		keys = append(keys, kv.k)
	}
	if strings.Join(keys, ",") != "b,a,n,t,l,q" {
		t.Errorf("keys %v", keys)
	}
	if d.get("a") != "onetwo" || d.get("n") != nil || d.get("t") != true || d.get("q") != "it's" {
		t.Errorf("values %#v", d)
	}
	if got := d.get("b").(pyDict).json(); got != `{"x":1,"y":2.5}` {
		t.Errorf("json %s", got)
	}
	for _, bad := range []string{`{"a": foo}`, `{"a": "open`, `{1: 2}`} {
		if _, err := (&pyParser{s: bad}).value(); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
