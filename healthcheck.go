package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// healthcheckCmd asks the trafofn serving on this host (HTTP_PORT, else PORT, else 8080)
// for /readyz (or -path) and exits 0 when it answers 200, 1 otherwise. It exists for the
// image's HEALTHCHECK: the runtime image has no shell, curl or wget.
func healthcheckCmd(ctx context.Context, args, environ []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("trafofn healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("path", "/readyz", "the endpoint to ask: /readyz (ready to take work) or /healthz (alive)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: trafofn healthcheck [flags]\n\nAsks the trafofn on this host (HTTP_PORT, else PORT, else 8080; HTTPS when\nHTTP_TLS_CERT_FILE is set) and exits 0 when it answers 200, else 1.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return usageError{err}
	}
	if !strings.HasPrefix(*path, "/") {
		return usageError{fmt.Errorf("-path must start with /, got %q", *path)}
	}
	cfg, err := loadConfig(environ)
	if err != nil {
		return err
	}
	scheme := "http"
	client := &http.Client{Timeout: *timeout}
	if cfg.HTTPTLSCertFile != "" {
		// the certificate names the service, not 127.0.0.1; this asks its own process
		scheme = "https"
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} //nolint:gosec // loopback to ourselves
	}
	url := scheme + "://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.HTTPListenPort())) + *path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %d: %s", *path, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	fmt.Fprint(stdout, string(body))
	return nil
}
