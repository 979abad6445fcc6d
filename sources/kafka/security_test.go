package kafka_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trafofn/trafofn/internal/devbroker"
	"github.com/trafofn/trafofn/sources/kafka"
)

// The consumer talks TLS and SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) to a dev broker that
// requires both.
func TestTLSAndSASL(t *testing.T) {
	t.Parallel()
	for _, mech := range []string{kafka.SASLSCRAMSHA512, kafka.SASLSCRAMSHA256, kafka.SASLPlain} {
		t.Run(mech, func(t *testing.T) {
			e, _ := secureEnv(t, mech, "s3cret")
			replies := e.collect(respTopic, false)
			r := e.start(e.config(), fakeHandler(nil))
			e.produce(plain("exec_job_1", `{"job_id":"tls-1"}`))
			if m := e.wait(replies, 1)[0]; string(m.Key) != "exec_job_1" {
				t.Fatalf("reply key %q", m.Key)
			}
			if err := r.stop(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A wrong password or a plaintext client fails Run at start-up with an error that says so,
// instead of hanging.
func TestSecurityMisconfigurationFailsFast(t *testing.T) {
	t.Parallel()
	e, _ := secureEnv(t, kafka.SASLSCRAMSHA512, "s3cret")
	cases := map[string]struct {
		mod  func(*kafka.Config)
		want string
	}{
		"wrong password": {func(c *kafka.Config) { c.SASL.Password = "wrong" }, `TLS, SASL SCRAM-SHA-512 as user "trafofn"`},
		"no TLS": {func(c *kafka.Config) {
			c.TLS = kafka.TLSConfig{}
		}, "plaintext, SASL SCRAM-SHA-512"},
		"untrusted certificate": {func(c *kafka.Config) {
			c.TLS = kafka.TLSConfig{Enable: true}
		}, "certificate"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := kafka.New(e.config(tc.mod))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			start := time.Now()
			err = c.Run(ctx, fakeHandler(nil))
			if err == nil {
				t.Fatal("Run succeeded")
			}
			if ctx.Err() != nil {
				t.Fatalf("Run hung until the deadline: %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
			t.Logf("failed after %s: %v", time.Since(start).Round(time.Millisecond), err)
		})
	}
}

// secureEnv starts a TLS broker with one SASL user and returns the env (whose clients use
// TLS and SASL) and the CA file.
func secureEnv(t *testing.T, mech, password string) (*env, string) {
	t.Helper()
	e := newEnv(t, 2, func(c *devbroker.Config) {
		c.TLS = &devbroker.TLSConfig{}
		c.Users = []devbroker.User{{Mechanism: mech, Name: "trafofn", Password: password}}
	})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, e.b.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	e.secure = func(c *kafka.Config) {
		c.TLS = kafka.TLSConfig{Enable: true, CAFile: caFile}
		c.SASL = kafka.SASLConfig{Mechanism: mech, User: "trafofn", Password: password}
	}
	return e, caFile
}
