package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The committed embedded catalogue is what the generator makes of hetida's example
// workflows: all 18, the 16 that run natively and the two that need TensorFlow.
func TestCatalogueIsCurrent(t *testing.T) {
	dir := os.Getenv("CONFORMANCE_DIR")
	if dir == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CONFORMANCE_DIR is not set (CI=true)")
		}
		t.Skip("CONFORMANCE_DIR is not set: hetida's workflow files are not available")
	}
	want, err := Generate(filepath.Join(dir, "..", "hetida", "transformations", "workflows"))
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 18 {
		t.Errorf("%d workflows, want 18", len(want))
	}
	catalogue := filepath.Join("..", "..", "..", "runtime", "store", "catalogue")
	have, _ := filepath.Glob(filepath.Join(catalogue, "*.json"))
	var names []string
	for _, p := range have {
		names = append(names, filepath.Base(p))
	}
	for name, b := range want {
		got, err := os.ReadFile(filepath.Join(catalogue, name))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("runtime/store/catalogue/%s is not what the generator produces (run go generate ./runtime/store/)", name)
		}
		if bytes.Contains(b, []byte("def main(")) {
			t.Errorf("%s contains component code", name)
		}
	}
	for _, n := range names {
		if _, ok := want[n]; !ok {
			t.Errorf("runtime/store/catalogue/%s is not generated", n)
		}
	}
	slices.Sort(names)
}
