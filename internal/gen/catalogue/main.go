// Command catalogue generates runtime/store/catalogue/*.json: the project's own copies of
// hetida's example workflows, so that every one of them runs with zero configuration (the
// two Keras ones answer that TensorFlow is not supported).
// A workflow's facts are kept — ids, names, operators, links, interface, constants and
// test wiring — while hetida's descriptions and documentation are replaced by the
// project's own one-liners and layout positions are dropped.
//
//	go run ./internal/gen/catalogue -src ../shared/hetida/transformations/workflows -out runtime/store/catalogue
//
// runtime/store's go:generate line runs it; a test regenerates the files from
// $CONFORMANCE_DIR/../hetida and fails when the committed ones differ.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	src := flag.String("src", "../shared/hetida/transformations/workflows", "hetida's workflows folder")
	out := flag.String("out", "runtime/store/catalogue", "folder of the embedded catalogue")
	flag.Parse()
	files, err := Generate(*src)
	if err != nil {
		fmt.Fprintln(os.Stderr, "catalogue:", err)
		os.Exit(1)
	}
	old, _ := filepath.Glob(filepath.Join(*out, "*.json"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			fmt.Fprintln(os.Stderr, "catalogue:", err)
			os.Exit(1)
		}
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(*out, name), b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "catalogue:", err)
			os.Exit(1)
		}
	}
}
