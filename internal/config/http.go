package config

import (
	"fmt"
	"slices"
)

// validateHTTP checks the HTTP server's settings: timeouts, TLS and authentication.
func (c *Config) validateHTTP() error {
	for _, p := range []struct {
		name string
		v    int64
	}{
		{"HTTP_READ_HEADER_TIMEOUT", int64(c.HTTPReadHeaderTimeout)},
		{"HTTP_READ_TIMEOUT", int64(c.HTTPReadTimeout)},
		{"HTTP_WRITE_TIMEOUT", int64(c.HTTPWriteTimeout)},
		{"HTTP_IDLE_TIMEOUT", int64(c.HTTPIdleTimeout)},
	} {
		if p.v <= 0 {
			return &Error{Var: p.name, Msg: "must be positive"}
		}
	}
	if (c.HTTPTLSCertFile == "") != (c.HTTPTLSKeyFile == "") {
		return &Error{Var: "HTTP_TLS_KEY_FILE", Msg: "HTTP_TLS_CERT_FILE and HTTP_TLS_KEY_FILE go together"}
	}
	if !c.UseAuth {
		return nil
	}
	if c.AuthPublicKeyURL == "" {
		return &Error{Var: "HD_AUTH_PUBLIC_KEY_URL", Msg: "required with HD_USE_AUTH=true: the URL of the identity provider's signing keys (a JWK Set, e.g. Keycloak's …/protocol/openid-connect/certs)"}
	}
	if c.AuthRoleKey == "" {
		return &Error{Var: "HD_AUTH_ROLE_KEY", Msg: "must not be empty"}
	}
	asymmetric := []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
	if len(c.AuthAlgorithms) == 0 {
		return &Error{Var: "HD_AUTH_ALLOWED_ALGORITHMS", Msg: "must name at least one algorithm"}
	}
	for _, a := range c.AuthAlgorithms {
		if !slices.Contains(asymmetric, a) {
			return &Error{Var: "HD_AUTH_ALLOWED_ALGORITHMS", Msg: fmt.Sprintf("%q is not an asymmetric signature algorithm (one of %v): the keys are public", a, asymmetric)}
		}
	}
	return nil
}
