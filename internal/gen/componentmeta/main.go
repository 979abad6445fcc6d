// Command componentmeta generates runtime/library/meta_gen.go: the facts of every hetida
// base component revision (ids, names, category, version tag, state, timestamps, ports,
// types and defaults), read from hetida's component files — the .json exports and the
// COMPONENT_INFO literal of the .py components. Only facts are generated; hetida's
// descriptions, documentation and code are never copied.
//
//	go run ./internal/gen/componentmeta -src ../shared/hetida/transformations/components -out runtime/library/meta_gen.go
//
// runtime/library's go:generate line runs it; a test regenerates the file from
// $CONFORMANCE_DIR/../hetida and fails when the committed one differs.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	src := flag.String("src", "../shared/hetida/transformations/components", "hetida's components folder")
	out := flag.String("out", "runtime/library/meta_gen.go", "generated Go file")
	flag.Parse()
	b, err := Generate(*src)
	if err != nil {
		fmt.Fprintln(os.Stderr, "componentmeta:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "componentmeta:", err)
		os.Exit(1)
	}
}
