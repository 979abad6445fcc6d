package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
)

// trafofn healthcheck is the image's HEALTHCHECK: 0 for a 200 from /readyz (or -path),
// an error (exit status 1) for anything else or nobody listening.
func TestHealthcheck(t *testing.T) {
	var ready atomic.Bool
	ready.Store(true)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/healthz":
			w.Write([]byte("ok\n"))
		case r.URL.Path == "/readyz" && ready.Load():
			w.Write([]byte("ready\n"))
		default:
			http.Error(w, "not ready: joining", http.StatusServiceUnavailable)
		}
	})}
	go srv.Serve(l)
	defer srv.Close()
	env := []string{"HTTP_PORT=" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port)}
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := healthcheckCmd(ctx, nil, env, &out, &errOut); err != nil || out.String() != "ready\n" {
		t.Fatalf("ready instance: %v, %q", err, out.String())
	}
	ready.Store(false)
	if err := healthcheckCmd(ctx, nil, env, &out, &errOut); err == nil {
		t.Fatal("an unready instance passed")
	}
	if err := healthcheckCmd(ctx, []string{"-path", "/healthz"}, env, &out, &errOut); err != nil {
		t.Fatalf("liveness: %v", err)
	}
	srv.Close()
	if err := healthcheckCmd(ctx, nil, env, &out, &errOut); err == nil {
		t.Fatal("nobody listening passed")
	}
	if err := healthcheckCmd(ctx, []string{"-path", "readyz"}, env, &out, &errOut); err == nil {
		t.Fatal("a path without / passed")
	}
}
