package conformance

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
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

// result is the outcome of one case.
type result struct {
	verdict string // Pass, Fail or Skip
	notImpl bool   // failed with ComponentNotImplemented
	hard    []string
}

type tally struct {
	pass, fail, notImpl, skip int
}

func (c tally) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d not implemented, %d skipped", c.pass, c.fail, c.notImpl, c.skip)
}

// runCases executes every case through the same code path as the HTTP endpoint and grades
// it like ../shared/tools/conform.py.
func runCases(fn *function.Function, cases []Case, devs map[string]*Deviation) (map[string]result, tally) {
	results := make(map[string]result, len(cases))
	var n tally
	for _, c := range cases {
		dev := devs[c.Name]
		if dev != nil && dev.Accept == "skip" {
			results[c.Name] = result{verdict: Skip}
			n.skip++
			continue
		}
		mode := function.ModeByID
		if strings.Contains(c.Meta.Endpoint, "execute-latest") {
			mode = function.ModeLatest
		}
		body, status := fn.Execute(context.Background(), mode, c.Request)
		verdict, hard, _ := Grade(c.Meta, c.Expected, status, body, dev)
		r := result{verdict: verdict, hard: hard}
		switch verdict {
		case Pass:
			n.pass++
		case Skip:
			n.skip++
		default:
			r.verdict = Fail
			if r.notImpl = notImplemented(body); r.notImpl {
				n.notImpl++
			} else {
				n.fail++
			}
		}
		results[c.Name] = r
	}
	return results, n
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
	rt, err := runtime.New(runtime.Options{TransformationsDirs: dirs, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	fn, err := function.New(function.Options{Runtime: rt})
	if err != nil {
		t.Fatal(err)
	}
	return fn
}

// passingFile is the ratchet: the reference cases that pass, one name a line.
const passingFile = "passing.txt"

const passingHeader = `# The conformance ratchet: the reference cases (../shared/conformance/cases) that pass,
# one name a line, sorted. TestConformance (with CONFORMANCE_DIR set) fails when a listed
# case fails, and when a case passes that is not listed, so that every gain is kept;
# .ci/run grades the same list over HTTP with ../shared/tools/conform.py.
# Regenerate it after a change, and review the diff (a removed line accepts a regression):
#   UPDATE_PASSING=1 CONFORMANCE_DIR=$PWD/../shared/conformance go test ./internal/conformance/ -run TestConformance
`

// readPassing reads the ratchet list: names one a line, # for comments, sorted and
// unique so that regenerating it gives a readable diff.
func readPassing(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var names []string
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if n := len(names); n > 0 && names[n-1] >= line {
			return nil, fmt.Errorf("%s:%d: %q is not after %q: the list must be sorted and unique (regenerate it with UPDATE_PASSING=1)", path, i+1, line, names[n-1])
		}
		names = append(names, line)
	}
	return names, nil
}

func writePassing(path string, names []string) error {
	var b strings.Builder
	b.WriteString(passingHeader)
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// TestConformance replays hetida's recorded reference cases through the same code path
// as the HTTP endpoint, with hetida's transformations and the project's wrapper workflows
// (which the w-* cases execute) loaded, and grades them like ../shared/tools/conform.py.
// The cases listed in passing.txt must pass, and every case that passes must be listed.
// UPDATE_PASSING=1 rewrites the list instead.
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
	t.Run("hetida-definitions", func(t *testing.T) {
		fn := newFunction(t, filepath.Join(dir, "..", "hetida", "transformations"), filepath.Join(dir, "workflows"))
		results, n := runCases(fn, cases, devs)
		t.Log(n)
		fmt.Println("conformance (hetida definitions):", n)
		var passing []string
		for _, c := range cases {
			switch r := results[c.Name]; {
			case r.verdict == Pass:
				passing = append(passing, c.Name)
			case r.verdict == Fail && testing.Verbose():
				t.Logf("case %s: %s", c.Name, strings.Join(r.hard, "; "))
			}
		}
		if os.Getenv("UPDATE_PASSING") == "1" {
			old, _ := readPassing(passingFile)
			if err := writePassing(passingFile, passing); err != nil {
				t.Fatal(err)
			}
			added, removed := difference(passing, old), difference(old, passing)
			t.Logf("wrote %s: %d cases (%d added, %d removed)", passingFile, len(passing), len(added), len(removed))
			for _, name := range removed {
				t.Logf("removed %s: %s", name, strings.Join(results[name].hard, "; "))
			}
			return
		}
		listed, err := readPassing(passingFile)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range listed {
			r, ok := results[name]
			switch {
			case !ok:
				t.Errorf("%s lists %s, which is not a reference case: remove the line", passingFile, name)
			case r.verdict == Skip:
				t.Errorf("listed case %s is skipped by a deviation: remove it from %s", name, passingFile)
			case r.verdict != Pass:
				t.Errorf("listed case %s failed: %s", name, strings.Join(r.hard, "; "))
			}
		}
		if gained := difference(passing, listed); len(gained) > 0 {
			t.Errorf("%d cases pass that %s does not list: keep the gain by adding these lines (or rewrite the list with UPDATE_PASSING=1):\n%s",
				len(gained), passingFile, strings.Join(gained, "\n"))
		}
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
		results, n := runCases(newFunction(t), vol, devs)
		t.Log(n)
		fmt.Println("conformance (embedded catalogue, volatility cases):", n)
		for _, c := range vol {
			if r := results[c.Name]; r.verdict != Pass {
				t.Errorf("case %s failed on the embedded catalogue: %s", c.Name, strings.Join(r.hard, "; "))
			}
		}
	})
}

// difference returns the names of a that are not in b (both sorted).
func difference(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, found := slices.BinarySearch(b, x); !found {
			out = append(out, x)
		}
	}
	return out
}
