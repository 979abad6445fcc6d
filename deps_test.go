package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/trafofn/trafofn"

type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

func rel(path string) string { return strings.TrimPrefix(strings.TrimPrefix(path, module), "/") }

func under(path, dir string) bool { return path == dir || strings.HasPrefix(path, dir+"/") }

// TestDependencyRules enforces the house plan's layering (design.md, "Dependency rules")
// on the production code of every package.
func TestDependencyRules(t *testing.T) {
	transport := []string{"github.com/cloudevents/", "github.com/IBM/sarama", "github.com/twmb/franz-go"}
	for _, p := range listPackages(t) {
		me := rel(p.ImportPath)
		for _, imp := range p.Imports {
			own := strings.HasPrefix(imp, module)
			target := rel(imp)
			for _, d := range databaseDrivers {
				if strings.HasPrefix(imp, d.prefix) && !under(me, d.pkg) {
					t.Errorf("%s imports %s: only %s talks to that database", me, imp, d.pkg)
				}
			}
			switch {
			case under(me, "runtime"):
				if own && !under(target, "runtime") {
					t.Errorf("%s imports %s: runtime must not depend on the rest of trafofn", me, target)
				} else if own && !runtimeMayImport(me, target) {
					t.Errorf("%s imports %s: inside runtime, %s may use %s only (runtimeLayers)", me, target, runtimeLayer(me), strings.Join(runtimeLayers[runtimeLayer(me)], ", "))
				}
				for _, tr := range transport {
					if strings.HasPrefix(imp, tr) {
						t.Errorf("%s imports %s: runtime knows no transport", me, imp)
					}
				}
				// observability reaches the runtime only through its own OperatorHook
				if strings.HasPrefix(imp, "go.opentelemetry.io/") || strings.HasPrefix(imp, "github.com/prometheus/") {
					t.Errorf("%s imports %s: runtime knows no telemetry library (runtime.OperatorHook)", me, imp)
				}
				if under(imp, "net/http") && !under(me, "runtime/adapter") {
					t.Errorf("%s imports %s: only adapters may talk HTTP", me, imp)
				}
			case under(me, "function"):
				if own && target != "runtime" && !under(target, "function") {
					t.Errorf("%s imports %s: function depends on package runtime only (its types are enough to build replies)", me, target)
				}
				// the event model (event, and its attribute types), never a protocol binding
				if strings.HasPrefix(imp, "github.com/cloudevents/") && imp != "github.com/cloudevents/sdk-go/v2/event" && imp != "github.com/cloudevents/sdk-go/v2/types" {
					t.Errorf("%s imports %s: function uses the CloudEvents event model only", me, imp)
				}
				if strings.HasPrefix(imp, "github.com/IBM/sarama") || strings.HasPrefix(imp, "github.com/twmb/") || under(imp, "net/http") {
					t.Errorf("%s imports %s: function knows no transport", me, imp)
				}
			case under(me, "adapters"):
				// adapters that need a client runtime may not import (Kafka): the runtime's
				// adapter layer, function for the consumption mode's handler, and the Kafka
				// source's TLS and SASL settings, so that both share one security setup
				if own && !under(target, "adapters") && !under(target, "runtime/adapter") && target != "runtime/data" && target != "runtime/wire" && target != "function" && target != "sources/kafka" {
					t.Errorf("%s imports %s: adapters use runtime/adapter, runtime/data, runtime/wire, function and sources/kafka only", me, target)
				}
			}
			// the components see the OpenTelemetry API; only internal/telemetry builds the
			// SDK and its exporters
			if (strings.HasPrefix(imp, "go.opentelemetry.io/otel/sdk") || strings.HasPrefix(imp, "go.opentelemetry.io/otel/exporters")) && !under(me, "internal/telemetry") {
				t.Errorf("%s imports %s: only internal/telemetry uses the OpenTelemetry SDK", me, imp)
			}
			switch {
			case under(me, "sources"):
				if own && under(target, "adapters") {
					t.Errorf("%s imports %s: sources know no adapters", me, target)
				}
				if own && under(target, "runtime") {
					t.Errorf("%s imports %s: sources reach execution through function only", me, target)
				}
				if under(me, "sources/kafka") && under(target, "sources/http") || under(me, "sources/http") && under(target, "sources/kafka") {
					t.Errorf("%s imports %s: the Kafka and HTTP sources are independent", me, target)
				}
			}
		}
	}
}

// databaseDrivers are the database clients and the one adapter package each may be used
// in: a database is an adapter's transport (runtime/adapter may talk to the outside
// world), and keeping its driver in one package keeps connection handling, credentials
// and error redaction in one place. main only registers the adapter.
var databaseDrivers = []struct{ prefix, pkg string }{
	{"github.com/jackc/pgx", "runtime/adapter/sql"}, // PostgreSQL: the sql-adapter
}

// runtimeLayers is the layering inside runtime: the runtime packages each may import
// (its own subpackages aside). Values flow up data ← wire ← store and data ← component ←
// library; plotly builds figures of data, model trains estimators on it; the engine
// (package runtime) uses them all. A new package under runtime must be placed here.
var runtimeLayers = map[string][]string{
	"runtime/data":      {},
	"runtime/wire":      {"runtime/data"},
	"runtime/store":     {"runtime/data", "runtime/wire"},
	"runtime/component": {"runtime/data"},
	"runtime/library":   {"runtime/data", "runtime/wire", "runtime/component", "runtime/plotly", "runtime/model", "runtime/expr"},
	"runtime/model":     {"runtime/data", "runtime/wire"},
	"runtime/expr":      {"runtime/data"},
	"runtime/plotly":    {"runtime/data", "runtime/wire"},
	"runtime/adapter":   {"runtime/data", "runtime/wire"},
	"runtime/objstore":  {"runtime/data", "runtime/wire"},
}

// runtimeLayer is the layer of a package under runtime: runtime itself or runtime/<name>.
func runtimeLayer(path string) string {
	parts := strings.SplitN(path, "/", 3)
	if len(parts) == 1 {
		return parts[0]
	}
	return parts[0] + "/" + parts[1]
}

func runtimeMayImport(me, target string) bool {
	from, to := runtimeLayer(me), runtimeLayer(target)
	if from == "runtime" || from == to {
		return true
	}
	allowed, ok := runtimeLayers[from]
	if !ok {
		return false // a layer missing from the table
	}
	for _, a := range allowed {
		if to == a {
			return true
		}
	}
	return false
}

// TestRuntimeLayersAreComplete: every package under runtime belongs to a layer of the
// table, so that a new one cannot slip past TestDependencyRules.
func TestRuntimeLayersAreComplete(t *testing.T) {
	for _, p := range listPackages(t) {
		me := rel(p.ImportPath)
		if l := runtimeLayer(me); under(me, "runtime") && l != "runtime" {
			if _, ok := runtimeLayers[l]; !ok {
				t.Errorf("%s is not in runtimeLayers: say which runtime packages it may import", me)
			}
		}
	}
}

// TestOnlyMainReadsTheEnvironment: configuration flows as structs from internal/config.
func TestOnlyMainReadsTheEnvironment(t *testing.T) {
	for _, p := range listPackages(t) {
		me := rel(p.ImportPath)
		if me == "" || under(me, "internal/config") {
			continue
		}
		for _, f := range p.GoFiles {
			src, err := os.ReadFile(filepath.Join(p.Dir, f))
			if err != nil {
				t.Fatal(err)
			}
			for _, call := range []string{"os.Getenv(", "os.LookupEnv(", "os.Environ("} {
				if bytes.Contains(src, []byte(call)) {
					t.Errorf("%s/%s calls %s: read settings in internal/config", me, f, call)
				}
			}
		}
	}
}
