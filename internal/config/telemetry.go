package config

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Samplers are the OTEL_TRACES_SAMPLER values the SDK specification names (without the
// Jaeger and X-Ray ones).
var Samplers = []string{"always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"}

// validateTelemetry checks the OTEL_* variables; none of them is needed.
func (c *Config) validateTelemetry() error {
	switch c.OTelTracesExporter {
	case "", "otlp", "none":
	default:
		return &Error{Var: "OTEL_TRACES_EXPORTER", Msg: fmt.Sprintf("must be otlp or none, got %q", c.OTelTracesExporter)}
	}
	for _, e := range []struct{ name, v string }{{"OTEL_EXPORTER_OTLP_ENDPOINT", c.OTelEndpoint}, {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", c.OTelTracesEndpoint}} {
		if e.v == "" {
			continue
		}
		if u, err := url.Parse(e.v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			// the value is not echoed: it may hold credentials
			return &Error{Var: e.name, Msg: "must be an http:// or https:// URL (OTLP over HTTP, port 4318 by default)"}
		}
	}
	for _, h := range []struct{ name, v string }{{"OTEL_EXPORTER_OTLP_HEADERS", c.OTelHeaders}, {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", c.OTelTracesHeaders}} {
		if _, err := keyValues(h.v); err != nil {
			return &Error{Var: h.name, Msg: "must be key=value pairs separated by commas (values URL-encoded)"}
		}
	}
	if _, err := keyValues(c.OTelResourceAttrs); err != nil {
		return &Error{Var: "OTEL_RESOURCE_ATTRIBUTES", Msg: "must be key=value pairs separated by commas: " + err.Error()}
	}
	ok := false
	for _, s := range Samplers {
		ok = ok || s == c.OTelTracesSampler
	}
	if !ok {
		return &Error{Var: "OTEL_TRACES_SAMPLER", Msg: fmt.Sprintf("must be one of %s, got %q", strings.Join(Samplers, ", "), c.OTelTracesSampler)}
	}
	if c.OTelTracesSamplerArg != "" {
		f, err := strconv.ParseFloat(c.OTelTracesSamplerArg, 64)
		if err != nil || f < 0 || f > 1 {
			return &Error{Var: "OTEL_TRACES_SAMPLER_ARG", Msg: fmt.Sprintf("must be a ratio between 0 and 1, got %q", c.OTelTracesSamplerArg)}
		}
	}
	return nil
}

// TracingEnabled reports whether spans are exported: OTEL_TRACES_EXPORTER=otlp, or an OTLP
// endpoint is set and the exporter is not "none"; never with OTEL_SDK_DISABLED. Tracing
// is off by default (the specification's default exporter is otlp; trafofn exports only
// where told to).
func (c *Config) TracingEnabled() bool {
	if c.OTelSDKDisabled || c.OTelTracesExporter == "none" {
		return false
	}
	return c.OTelTracesExporter == "otlp" || c.OTelEndpoint != "" || c.OTelTracesEndpoint != ""
}

// TracesEndpoint is the URL spans are posted to: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it
// is, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, else http://localhost:4318/v1/traces.
func (c *Config) TracesEndpoint() string {
	switch {
	case c.OTelTracesEndpoint != "":
		return c.OTelTracesEndpoint
	case c.OTelEndpoint != "":
		return strings.TrimSuffix(c.OTelEndpoint, "/") + "/v1/traces"
	}
	return "http://localhost:4318/v1/traces"
}

// TracesHeaders are the exporter's request headers: OTEL_EXPORTER_OTLP_HEADERS, overridden
// per key by OTEL_EXPORTER_OTLP_TRACES_HEADERS. They often hold credentials: never log them.
func (c *Config) TracesHeaders() map[string]string {
	h, _ := keyValues(c.OTelHeaders)
	th, _ := keyValues(c.OTelTracesHeaders)
	for k, v := range th {
		if h == nil {
			h = map[string]string{}
		}
		h[k] = v
	}
	return h
}

// ResourceAttributes are OTEL_RESOURCE_ATTRIBUTES as a map.
func (c *Config) ResourceAttributes() map[string]string {
	m, _ := keyValues(c.OTelResourceAttrs)
	return m
}

// TraceServiceName is OTEL_SERVICE_NAME, else the service name of replies (Service).
func (c *Config) TraceServiceName() string {
	if c.OTelServiceName != "" {
		return c.OTelServiceName
	}
	return c.Service()
}

// keyValues parses the W3C-baggage-like list the OTEL_* variables use: "k1=v1,k2=v2",
// values percent-encoded.
func keyValues(s string) (map[string]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	m := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		if strings.TrimSpace(kv) == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("%q has no key=value form", k)
		}
		dv, err := url.PathUnescape(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("the value of %q is not percent-encoded", k)
		}
		m[k] = dv
	}
	return m, nil
}
