package deploycheck

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	stdhttp "net/http"
	"net/http/httptest"
	"sort"
	"strings"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/config"
	httpsrc "github.com/trafofn/trafofn/sources/http"
)

// Known variables and probe paths come from the code: internal/config is the only reader
// of the environment, and the HTTP source serves the probes.
const (
	ReadinessPath = "/readyz"
	LivenessPath  = "/healthz"
)

// KnownVariables are the environment variables trafofn reads (config.Variables).
func KnownVariables() map[string]bool {
	m := map[string]bool{}
	for _, v := range config.Variables() {
		m[v[0]] = true
	}
	return m
}

// checkVariables reports every name trafofn does not read: a typo or a setting of
// another program would otherwise be ignored without a word.
func checkVariables(p *problems, where string, names []string) {
	known := KnownVariables()
	var unknown []string
	for _, n := range names {
		if !known[n] {
			unknown = append(unknown, n)
		}
	}
	sort.Strings(unknown)
	for _, n := range unknown {
		p.add("%s: environment variable %s is not read by trafofn (internal/config)", where, n)
	}
}

// loadConfig is the configuration trafofn would run with under env, validated as
// `trafofn serve` validates it.
func loadConfig(where string, env map[string]string) (*config.Config, error) {
	var environ []string
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	cfg, err := config.Load(environ)
	if err != nil {
		return nil, fmt.Errorf("%s: trafofn would refuse this configuration: %w", where, err)
	}
	return cfg, nil
}

// Defaults is the configuration without any variable.
func Defaults() *config.Config {
	cfg, err := config.Load(nil)
	if err != nil {
		panic("deploycheck: the default configuration is invalid: " + err.Error())
	}
	return cfg
}

// MetricsPath is where trafofn serves its Prometheus metrics.
const MetricsPath = "/metrics"

// checkServed asks the HTTP source's real handler for GET path and reports anything but
// 200; the source serves /metrics as serve configures it with metrics on.
func checkServed(p *problems, where, path string) {
	metrics := stdhttp.HandlerFunc(func(w stdhttp.ResponseWriter, _ *stdhttp.Request) {})
	s, err := httpsrc.New(httpsrc.Config{Addr: ":0", MetricsHandler: metrics, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		p.addErr(err)
		return
	}
	none := function.HandlerFunc(func(context.Context, event.Event) (*event.Event, error) { return nil, nil })
	rec := httptest.NewRecorder()
	s.Handler(none).ServeHTTP(rec, httptest.NewRequest(stdhttp.MethodGet, path, nil))
	if rec.Code != stdhttp.StatusOK {
		p.add("%s: probe path %s: trafofn answers %d, not 200", where, path, rec.Code)
	}
}

// checkProbePaths: readiness on /readyz, liveness (and startup) on /healthz, and trafofn
// answers them.
func checkProbePaths(p *problems, where, readiness, liveness, startup string) {
	for _, pr := range []struct{ kind, got, want string }{
		{"readinessProbe", readiness, ReadinessPath},
		{"livenessProbe", liveness, LivenessPath},
		{"startupProbe", startup, LivenessPath},
	} {
		if pr.got == "" && pr.kind == "startupProbe" {
			continue
		}
		if pr.got != pr.want {
			p.add("%s: %s path is %q, want %s", where, pr.kind, pr.got, pr.want)
			continue
		}
		checkServed(p, where, pr.got)
	}
}

func joinHosts(h []string) string { return strings.Join(h, ",") }
