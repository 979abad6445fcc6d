package main

import (
	"os"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/internal/config"
)

// The README's configuration table documents every variable trafofn reads.
func TestREADMEDocumentsEveryVariable(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range config.Variables() {
		if !strings.Contains(string(b), "| `"+v[0]+"` |") {
			t.Errorf("README.md has no row for %s", v[0])
		}
	}
}
