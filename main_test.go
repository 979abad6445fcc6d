package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trafofn/trafofn/internal/devbroker"
	"github.com/trafofn/trafofn/internal/harness"
	"github.com/trafofn/trafofn/internal/workload"
)

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// serve answers over HTTP, reports ready once its consumer joined, and on cancellation
// (what SIGTERM does) drains and returns nil.
func TestServeRunsAndShutsDownCleanly(t *testing.T) {
	b, err := devbroker.Start(context.Background(), devbroker.Config{Addr: "127.0.0.1:0", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Topics: []string{"hd-execution-topic", "hd-execution-response-topic", "hd-execution-dead-letter-topic"}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	log := &harness.LogBuffer{}
	go func() {
		done <- serve(ctx, []string{"KAFKA_BROKERS=" + b.Addrs()[0], "HTTP_PORT=" + strconv.Itoa(port), "DRAIN_TIMEOUT=5s"}, log)
	}()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	waitReady(t, base, done, log)
	resp, err := http.Post(base+"/api/transformations/execute", "application/json", bytes.NewReader(workload.SeedRequest(false)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"result":"ok"`)) {
		t.Fatalf("execute: %d %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not return after cancellation")
	}
}

// startHTTPServe runs serve with Kafka off on a free HTTP port and the extra variables
// env, waits until it is ready and returns its base URL and a stop that cancels serve and
// fails the test if it does not return cleanly.
func startHTTPServe(t *testing.T, env ...string) (base string, stop func()) {
	t.Helper()
	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	log := &harness.LogBuffer{}
	go func() {
		done <- serve(ctx, append([]string{"HETIDA_DESIGNER_KAFKA_ENABLED=false", "HTTP_PORT=" + strconv.Itoa(port)}, env...), log)
	}()
	base = "http://127.0.0.1:" + strconv.Itoa(port)
	waitReady(t, base, done, log)
	return base, func() {
		t.Helper()
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// waitReady polls base's /readyz until it answers 200; it fails the test when serve
// returned (done) or after 30 s, showing serve's log.
func waitReady(t *testing.T, base string, done <-chan error, log *harness.LogBuffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited: %v\n%s", err, log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("never ready; log:\n%s", log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestInvalidConfigurationExitsWithStatus2(t *testing.T) {
	err := serve(context.Background(), []string{"HTTP_PORT=abc"}, io.Discard)
	var ue usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "HTTP_PORT") {
		t.Errorf("serve with a bad port: %v", err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"no-such-command"}, nil, &out, &errOut); code != 2 {
		t.Errorf("unknown command: exit %d", code)
	}
	if code := run([]string{"version"}, nil, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "trafofn ") {
		t.Errorf("version: exit %d %q", code, out.String())
	}
}

// trafofn exec runs one request without a broker and prints the response.
func TestExecCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "req.json")
	if err := os.WriteFile(good, workload.SeedRequest(false), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := execCmd(context.Background(), []string{good}, nil, nil, &out, &errOut); code != 0 || !strings.Contains(out.String(), `"result":"ok"`) {
		t.Errorf("exec: %d %s %s", code, out.String(), errOut.String())
	}
	out.Reset()
	if code := execCmd(context.Background(), []string{"-"}, nil, strings.NewReader(`{"id": "11111111-2222-3333-4444-555555555555"}`), &out, &errOut); code != 3 || !strings.Contains(out.String(), "Could not find") {
		t.Errorf("exec of an unknown revision: %d %s", code, out.String())
	}
	out.Reset()
	bad := []byte(`{"id": "2f511674-f766-748d-2de3-ad5e62e10a1a", "wiring": {"input_wirings": [{"workflow_input_name": "input", "adapter_id": 1, "filters": {"value": "abc"}}]}}`)
	if code := execCmd(context.Background(), []string{"-"}, nil, bytes.NewReader(bad), &out, &errOut); code != 1 || !strings.Contains(out.String(), `"result":"failure"`) {
		t.Errorf("exec of a failing request: %d %s", code, out.String())
	}
}

// GET /api/transformations lists the catalogue as hetida's backend does, served through
// main's wiring; filters narrow it.
func TestServeListsTransformations(t *testing.T) {
	base, stop := startHTTPServe(t)
	defer stop()
	get := func(path string) []map[string]any {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var list []map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&list); err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
		}
		return list
	}
	all := get("/api/transformations")
	wfs := get("/api/transformations/?type=WORKFLOW")
	if len(wfs) != 18 || len(all) <= len(wfs) {
		t.Fatalf("%d revisions, %d workflows; want every native component and hetida's 18 example workflows", len(all), len(wfs))
	}
	for _, w := range wfs {
		if w["type"] != "WORKFLOW" || w["io_interface"] == nil || w["revision_group_id"] == nil {
			t.Errorf("workflow entry %v", w)
		}
	}
	if one := get("/api/transformations?id=79ce1eb1-3ef8-4c74-9114-c856fd88dc89"); len(one) != 1 || one[0]["name"] != "Volatility Detection Example" {
		t.Errorf("by id: %v", one)
	}
}

// The components that reach outside their inputs get what serve is configured with:
// Store Object then Load Object round-trip through MODEL_REPO_PATH, Get R Dataset reads
// RDATASETS_DIR, and a path that is not a directory stops serve naming the variable.
func TestServeComponentEnv(t *testing.T) {
	repo, rdata := t.TempDir(), t.TempDir()
	if err := os.MkdirAll(filepath.Join(rdata, "datasets"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rdata, "datasets", "tiny.csv"), []byte("\"rownames\",\"x\"\n\"a\",1.5\n\"b\",2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base, stop := startHTTPServe(t, "MODEL_REPO_PATH="+repo, "RDATASETS_DIR="+rdata)
	execute := func(id string, inputs map[string]string) map[string]any {
		t.Helper()
		var wirings []map[string]any
		for name, v := range inputs {
			wirings = append(wirings, map[string]any{"workflow_input_name": name, "adapter_id": "direct_provisioning", "filters": map[string]string{"value": v}})
		}
		body, _ := json.Marshal(map[string]any{"id": id, "wiring": map[string]any{"input_wirings": wirings}})
		resp, err := http.Post(base+"/api/transformations/execute", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		if out["result"] != "ok" {
			t.Fatalf("%s: %v", id, out)
		}
		return out
	}
	execute("26d99461-38a9-5e92-df4f-d0fd2752879e", map[string]string{"name": "model", "tag": "v1", "obj": `{"weights": [1, 2.5]}`})
	got := execute("eb8e8d6b-ba7d-dc88-14dc-6839a471d5e0", map[string]string{"name": "model", "tag": "latest"})
	if b, _ := json.Marshal(got["output_results_by_output_name"]); string(b) != `{"obj":{"weights":[1,2.5]}}` {
		t.Errorf("loaded object: %s", b)
	}
	got = execute("80f4f916-4568-29bb-3f94-b487b0612232", map[string]string{"dataname": "tiny", "package": "datasets"})
	if b, _ := json.Marshal(got["output_results_by_output_name"]); !strings.Contains(string(b), `"x":{"a":1.5,"b":2}`) {
		t.Errorf("R dataset: %s", b)
	}
	stop()

	for _, v := range []string{"MODEL_REPO_PATH", "RDATASETS_DIR"} {
		err := serve(context.Background(), []string{"HETIDA_DESIGNER_KAFKA_ENABLED=false", "HTTP_PORT=" + strconv.Itoa(freePort(t)), v + "=" + filepath.Join(repo, "missing")}, io.Discard)
		if err == nil || !strings.Contains(err.Error(), v) {
			t.Errorf("%s pointing nowhere: %v", v, err)
		}
	}
}
