package http_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	stdhttp "net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/trafofn/trafofn/internal/workload"
	httpsrc "github.com/trafofn/trafofn/sources/http"
)

// idp plays the identity provider: an RSA signing key published as a JWK Set.
type idp struct {
	key     *rsa.PrivateKey
	jwks    *httptest.Server
	fetched atomic.Int64
}

func newIDP(t *testing.T) *idp {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &idp{key: key}
	b64 := base64.RawURLEncoding.EncodeToString
	set := fmt.Sprintf(`{"keys":[{"kty":"RSA","kid":"k1","use":"sig","alg":"RS256","n":%q,"e":%q}]}`,
		b64(key.N.Bytes()), b64(big.NewInt(int64(key.E)).Bytes()))
	p.jwks = httptest.NewServer(stdhttp.HandlerFunc(func(w stdhttp.ResponseWriter, _ *stdhttp.Request) {
		p.fetched.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, set)
	}))
	t.Cleanup(p.jwks.Close)
	return p
}

// token signs claims with the provider's key (or with key, when given).
func (p *idp) token(t *testing.T, claims jwt.MapClaims, key any) string {
	t.Helper()
	method := jwt.SigningMethod(jwt.SigningMethodRS256)
	if key == nil {
		key = p.key
	}
	switch key.(type) {
	case []byte:
		method = jwt.SigningMethodHS256
	case *ecdsa.PrivateKey:
		method = jwt.SigningMethodES256
	}
	tok := jwt.NewWithClaims(method, claims)
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// hetida's bearer-token authentication (HD_USE_AUTH): what passes, and the status and
// detail of everything that does not, as hetida (FastAPI's HTTPBearer and has_access)
// answers them.
func TestBearerAuthentication(t *testing.T) {
	p := newIDP(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	auth, err := httpsrc.NewBearer(ctx, httpsrc.AuthConfig{JWKSURL: p.jwks.URL, Audience: "trafofn", Issuer: "https://idp/realms/hd",
		AllowedRole: "hd-user", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	f := newFunction(t)
	ts := newServer(t, httpsrc.Config{HetidaEndpoints: true, Auth: auth}, f)

	future := time.Now().Add(time.Hour).Unix()
	good := jwt.MapClaims{"exp": future, "aud": "trafofn", "iss": "https://idp/realms/hd", "roles": []any{"other", "hd-user"}}
	with := func(k string, v any) jwt.MapClaims {
		c := jwt.MapClaims{}
		for kk, vv := range good {
			c[kk] = vv
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	stranger, _ := rsa.GenerateKey(rand.Reader, 2048)
	b64 := base64.RawURLEncoding.EncodeToString
	// HS256 keyed with the public key's bytes: the algorithm-confusion forgery
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: must(x509.MarshalPKIXPublicKey(&p.key.PublicKey))})
	cases := []struct {
		name, header string
		status       int
		detail       string
	}{
		{"valid", "Bearer " + p.token(t, good, nil), 200, ""},
		{"no header", "", 403, "Not authenticated"},
		{"scheme only", "Bearer", 403, "Not authenticated"},
		{"basic", "Basic dXNlcjpwdw==", 403, "Invalid authentication credentials"},
		{"lower-case bearer", "bearer " + p.token(t, good, nil), 403, "Wrong authentication method"},
		{"garbage", "Bearer not.a.jwt", 401, "Failed to verify Bearer Token"},
		{"expired", "Bearer " + p.token(t, with("exp", time.Now().Add(-time.Minute).Unix()), nil), 401, "Failed to verify Bearer Token"},
		{"no exp", "Bearer " + p.token(t, with("exp", nil), nil), 401, "Failed to verify Bearer Token"},
		{"wrong audience", "Bearer " + p.token(t, with("aud", "account"), nil), 401, "Failed to verify Bearer Token"},
		{"wrong issuer", "Bearer " + p.token(t, with("iss", "https://evil"), nil), 401, "Failed to verify Bearer Token"},
		{"another signer", "Bearer " + p.token(t, good, stranger), 401, "Failed to verify Bearer Token"},
		{"ES256 under an RSA kid", "Bearer " + p.token(t, good, ec), 401, "Failed to verify Bearer Token"},
		{"HS256 with the public key", "Bearer " + p.token(t, good, pubPEM), 401, "Failed to verify Bearer Token"},
		{"alg none", "Bearer " + b64([]byte(`{"alg":"none","kid":"k1"}`)) + "." + b64([]byte(fmt.Sprintf(`{"exp":%d,"aud":"trafofn","iss":"https://idp/realms/hd","roles":["hd-user"]}`, future))) + ".", 401, "Failed to verify Bearer Token"},
		{"no roles", "Bearer " + p.token(t, with("roles", nil), nil), 403, "No role information in token"},
		{"other roles", "Bearer " + p.token(t, with("roles", []any{"viewer"}), nil), 403, "Roles not allowed"},
		{"roles not a list", "Bearer " + p.token(t, with("roles", 7), nil), 403, "Roles not allowed"},
	}
	for _, path := range []string{"/api/transformations/execute", "/"} {
		for _, tc := range cases {
			req, _ := stdhttp.NewRequest("POST", ts.URL+path, strings.NewReader(string(workload.SeedRequest(false))))
			req.Header.Set("Content-Type", "application/json")
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := stdhttp.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("%s %s: %d %.200s, want %d", path, tc.name, resp.StatusCode, b, tc.status)
				continue
			}
			if tc.detail != "" && string(b) != `{"detail":"`+tc.detail+`"}` {
				t.Errorf("%s %s: body %s", path, tc.name, b)
			}
		}
	}
	for _, path := range []string{"/healthz", "/readyz", "/api/info"} {
		resp, err := stdhttp.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s without a token: %d", path, resp.StatusCode)
		}
	}
	// tokens with the unknown key id of a stranger do not make trafofn fetch the keys per
	// request: at most once in 15 s
	if n := p.fetched.Load(); n > 2 {
		t.Errorf("the key set was fetched %d times", n)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Without an allowed role any valid token passes; symmetric algorithms cannot be
// configured.
func TestBearerWithoutRoleAndConfiguration(t *testing.T) {
	p := newIDP(t)
	auth, err := httpsrc.NewBearer(context.Background(), httpsrc.AuthConfig{JWKSURL: p.jwks.URL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/", nil)
	r.Header.Set("Authorization", "Bearer "+p.token(t, jwt.MapClaims{"exp": time.Now().Add(time.Minute).Unix()}, nil))
	if status, detail, ok := auth.Authenticate(r); !ok {
		t.Errorf("valid token without roles: %d %s", status, detail)
	}
	if _, err := httpsrc.NewBearer(context.Background(), httpsrc.AuthConfig{JWKSURL: p.jwks.URL, Algorithms: []string{"HS256"}}); err == nil {
		t.Error("HS256 accepted as a verification algorithm")
	}
	if _, err := httpsrc.NewBearer(context.Background(), httpsrc.AuthConfig{}); err == nil {
		t.Error("no key URL accepted")
	}
}

// HTTP_TLS_CERT_FILE/HTTP_TLS_KEY_FILE make the listener HTTPS; a missing file is an
// error when the server is built, not when it runs.
func TestHTTPS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"}, DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: must(x509.MarshalPKCS8PrivateKey(key))}), 0o600)

	if _, err := httpsrc.New(httpsrc.Config{Addr: "127.0.0.1:0", TLSCertFile: filepath.Join(dir, "none.pem"), TLSKeyFile: keyFile}); err == nil {
		t.Error("a missing certificate file was accepted")
	}
	s, err := httpsrc.New(httpsrc.Config{Addr: "127.0.0.1:0", TLSCertFile: certFile, TLSKeyFile: keyFile, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, nil) }()
	defer func() { cancel(); <-done }()
	pool := x509.NewCertPool()
	pool.AddCert(must(x509.ParseCertificate(der)))
	client := &stdhttp.Client{Transport: &stdhttp.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "localhost"}, ForceAttemptHTTP2: true}}
	resp, err := client.Get("https://" + s.Addr() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Errorf("HTTPS healthz: %d, TLS %v", resp.StatusCode, resp.TLS != nil)
	}
	if plain, err := stdhttp.Get("http://" + s.Addr() + "/healthz"); err == nil {
		plain.Body.Close()
		if plain.StatusCode == 200 {
			t.Error("plain HTTP answered on the HTTPS port")
		}
	}
}
