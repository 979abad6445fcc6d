package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trafofn/trafofn/internal/harness"
	"github.com/trafofn/trafofn/internal/workload"
)

// startSecureBroker runs `trafofn broker -tls -user SCRAM-SHA-512:…` as a user would and
// returns its address and the certificate file clients must trust.
func startSecureBroker(t *testing.T) (addr, caFile string) {
	t.Helper()
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	addr = "127.0.0.1:" + strconv.Itoa(freePort(t))
	ctx, cancel := context.WithCancel(context.Background())
	out := &harness.LogBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- brokerCmd(ctx, []string{"-addr", addr, "-tls", "-cert-out", caFile,
			"-user", "SCRAM-SHA-512:trafofn:s3cret"}, out, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("broker: %v", err)
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "listening on") {
		select {
		case err := <-done:
			t.Fatalf("broker exited: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("broker did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return addr, caFile
}

func secureEnv(addr, caFile, password string) []string {
	return []string{"KAFKA_BROKERS=" + addr, "KAFKA_SECURITY_PROTOCOL=SASL_SSL",
		"KAFKA_SASL_MECHANISM=SCRAM-SHA-512", "KAFKA_SASL_USERNAME=trafofn", "KAFKA_SASL_PASSWORD=" + password,
		"KAFKA_TLS_CA_FILE=" + caFile, "KAFKA_TLS_SERVER_NAME=localhost", "DRAIN_TIMEOUT=5s"}
}

// trafofn serve joins its group over TLS with SASL SCRAM-SHA-512 (ready) and gets replies
// acknowledged by that broker: with REPLY_TO_KAFKA the HTTP answer is 2xx only after the
// Kafka producer's acknowledgement.
func TestServeOverTLSAndSCRAM(t *testing.T) {
	addr, caFile := startSecureBroker(t)
	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := &harness.LogBuffer{}
	done := make(chan error, 1)
	env := append(secureEnv(addr, caFile, "s3cret"), "HTTP_PORT="+strconv.Itoa(port), "REPLY_TO_KAFKA=true")
	go func() { done <- serve(ctx, env, log) }()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	waitReady(t, base, done, log)
	req, _ := http.NewRequest("POST", base+"/", bytes.NewReader(workload.SeedRequest(false)))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range map[string]string{"Ce-Specversion": "1.0", "Ce-Id": "tls-1", "Ce-Source": "/test", "Ce-Type": "t"} {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"result":"ok"`)) {
		t.Fatalf("POST /: %d %s\n%s", resp.StatusCode, body, log.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v", err)
	}
}

// A wrong password is a start-up error that names the cause, not a silent hang.
func TestServeWrongPasswordFailsAtStartUp(t *testing.T) {
	addr, caFile := startSecureBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	err := serve(ctx, append(secureEnv(addr, caFile, "wrong"), "HTTP_PORT="+strconv.Itoa(freePort(t))), io.Discard)
	if err == nil {
		t.Fatal("serve started with a wrong password")
	}
	if ctx.Err() != nil {
		t.Fatalf("serve hung until the deadline: %v", err)
	}
	msg := strings.ToLower(err.Error())
	if !strings.Contains(msg, "scram-sha-512") || !strings.Contains(msg, "password") {
		t.Fatalf("error does not name the SASL failure: %v", err)
	}
	t.Logf("failed after %s: %v", time.Since(start).Round(time.Millisecond), err)
}
