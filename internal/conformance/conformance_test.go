package conformance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// conformanceDir returns $CONFORMANCE_DIR: tests skip without it on a user's machine and
// fail without it in CI, or when it points nowhere.
func conformanceDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CONFORMANCE_DIR")
	if dir == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CONFORMANCE_DIR is not set (CI=true): .ci/run must export it as an absolute path")
		}
		t.Skip("CONFORMANCE_DIR is not set: skipping the reference cases (set it to ../shared/conformance as an absolute path)")
	}
	if !filepath.IsAbs(dir) {
		t.Fatalf("CONFORMANCE_DIR=%q must be an absolute path (go test runs each package in its own folder)", dir)
	}
	if st, err := os.Stat(filepath.Join(dir, "cases")); err != nil || !st.IsDir() {
		t.Fatalf("CONFORMANCE_DIR=%q has no cases folder: %v", dir, err)
	}
	return dir
}

type tally struct {
	pass, fail, notImpl, skip int
}

func (c tally) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d not implemented, %d skipped", c.pass, c.fail, c.notImpl, c.skip)
}

func runCases(t *testing.T, fn *function.Function, cases []Case, devs map[string]*Deviation, required func(string) bool) tally {
	t.Helper()
	var n tally
	for _, c := range cases {
		dev := devs[c.Name]
		if dev != nil && dev.Accept == "skip" {
			n.skip++
			continue
		}
		mode := function.ModeByID
		if strings.Contains(c.Meta.Endpoint, "execute-latest") {
			mode = function.ModeLatest
		}
		body, status := fn.Execute(context.Background(), mode, c.Request)
		verdict, hard, _ := Grade(c.Meta, c.Expected, status, body, dev)
		switch verdict {
		case Pass:
			n.pass++
		case Skip:
			n.skip++
		default:
			if notImplemented(body) {
				n.notImpl++
			} else {
				n.fail++
			}
			if required(c.Name) {
				t.Errorf("required case %s failed: %s", c.Name, strings.Join(hard, "; "))
			} else if testing.Verbose() {
				t.Logf("case %s: %s", c.Name, strings.Join(hard, "; "))
			}
		}
	}
	return n
}

func notImplemented(body []byte) bool {
	v, err := wire.Decode(body)
	if err != nil {
		return false
	}
	d, _ := v.(*data.Dict)
	e, _ := d.Get("error")
	ed, _ := e.(*data.Dict)
	typ, _ := ed.Get("type")
	return typ == "ComponentNotImplemented"
}

func newFunction(t *testing.T, dirs ...string) *function.Function {
	t.Helper()
	rt, err := runtime.New(runtime.Options{TransformationsDirs: dirs})
	if err != nil {
		t.Fatal(err)
	}
	fn, err := function.New(function.Options{Runtime: rt})
	if err != nil {
		t.Fatal(err)
	}
	return fn
}

// TestConformance replays hetida's recorded reference cases through the same code path
// as the HTTP endpoint and grades them like ../shared/tools/conform.py. Every case listed
// in required.txt must pass; the others are counted.
func TestConformance(t *testing.T) {
	dir := conformanceDir(t)
	cases, err := LoadCases(filepath.Join(dir, "cases"))
	if err != nil {
		t.Fatal(err)
	}
	devs, err := LoadDeviations(filepath.Join(dir, "deviations.json"), "deviations.local.json")
	if err != nil {
		t.Fatal(err)
	}
	req, _, err := Required("required.txt")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("hetida-definitions", func(t *testing.T) {
		fn := newFunction(t, filepath.Join(dir, "..", "hetida", "transformations"))
		n := runCases(t, fn, cases, devs, req.MatchString)
		t.Log(n)
		fmt.Println("conformance (hetida definitions):", n)
	})
	t.Run("embedded-catalogue", func(t *testing.T) {
		// With zero configuration the volatility example runs on the project's own catalogue.
		var vol []Case
		for _, c := range cases {
			if strings.Contains(c.Name, "volatility") {
				vol = append(vol, c)
			}
		}
		if len(vol) < 8 {
			t.Fatalf("expected the volatility cases, found %d", len(vol))
		}
		fn := newFunction(t)
		n := runCases(t, fn, vol, devs, func(string) bool { return true })
		t.Log(n)
		fmt.Println("conformance (embedded catalogue, volatility cases):", n)
	})
}
