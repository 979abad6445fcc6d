package http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	stdhttp "net/http"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/time/rate"
)

// AuthConfig configures hetida's bearer-token authentication (HD_USE_AUTH): tokens are
// JWTs signed by the identity provider (Keycloak) whose public keys are a JWK Set at
// JWKSURL.
type AuthConfig struct {
	// JWKSURL serves the signing keys (HD_AUTH_PUBLIC_KEY_URL), e.g. Keycloak's
	// …/realms/<realm>/protocol/openid-connect/certs. Required.
	JWKSURL string
	// Audience and Issuer, when set, must be the token's aud (one of) and iss.
	Audience, Issuer string
	// Algorithms are the accepted signature algorithms; asymmetric ones only, since the
	// keys are public (default RS256, RS384, RS512, ES256, ES384, ES512).
	Algorithms []string
	// RoleKey is the claim with the token's roles (default "roles"); AllowedRole, when
	// set, must be among them.
	RoleKey, AllowedRole string
	// Client fetches the keys (default: 15 s timeout).
	Client *stdhttp.Client
	Logger *slog.Logger
}

// DefaultAuthAlgorithms are the signature algorithms accepted by default.
var DefaultAuthAlgorithms = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}

// Bearer is hetida's authentication of its HTTP API: a request needs the header
// "Authorization: Bearer <JWT>" with a valid signature, an exp claim in the future and,
// when configured, the audience, issuer and role. Its answers are hetida's (FastAPI's
// HTTPBearer and hetida's has_access):
//
//	no or an empty Authorization header            403 {"detail":"Not authenticated"}
//	another scheme than bearer                     403 {"detail":"Invalid authentication credentials"}
//	the scheme not spelled "Bearer"                403 {"detail":"Wrong authentication method"}
//	signature, exp, aud, iss or alg wrong          401 {"detail":"Failed to verify Bearer Token"}
//	no role claim (with an allowed role set)       403 {"detail":"No role information in token"}
//	the allowed role not among the roles           403 {"detail":"Roles not allowed"}
//
// The keys are fetched at start-up (a provider that is not up yet is retried, not
// fatal), refreshed hourly and, for a token signed with an unknown key, at most every
// 15 seconds.
type Bearer struct {
	cfg    AuthConfig
	keys   keyfunc.Keyfunc
	parser *jwt.Parser
	log    *slog.Logger
}

var _ Authenticator = (*Bearer)(nil)

// NewBearer starts fetching the keys; ctx ends the background refreshes.
func NewBearer(ctx context.Context, cfg AuthConfig) (*Bearer, error) {
	if cfg.JWKSURL == "" {
		return nil, errors.New("http: authentication needs the URL of the signing keys (HD_AUTH_PUBLIC_KEY_URL)")
	}
	if len(cfg.Algorithms) == 0 {
		cfg.Algorithms = DefaultAuthAlgorithms
	}
	for _, a := range cfg.Algorithms {
		if !strings.HasPrefix(a, "RS") && !strings.HasPrefix(a, "ES") && !strings.HasPrefix(a, "PS") && a != "EdDSA" {
			return nil, fmt.Errorf("http: signature algorithm %q: only asymmetric algorithms (RS*, PS*, ES*, EdDSA) can be verified with public keys", a)
		}
	}
	if cfg.RoleKey == "" {
		cfg.RoleKey = "roles"
	}
	if cfg.Client == nil {
		cfg.Client = &stdhttp.Client{Timeout: 15 * time.Second}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	shown := Redact(cfg.JWKSURL)
	keys, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{cfg.JWKSURL}, keyfunc.Override{
		Client:            cfg.Client,
		RefreshUnknownKID: rate.NewLimiter(rate.Every(15*time.Second), 1),
		// a token with an unknown key fails at once rather than waiting for the limiter
		RateLimitWaitMax: time.Millisecond,
		RefreshErrorHandlerFunc: func(string) func(context.Context, error) {
			return func(_ context.Context, err error) {
				log.Warn("fetching the token signing keys failed", "url", shown, "err", err)
			}
		},
	})
	if err != nil {
		return nil, fmt.Errorf("http: token signing keys from %s: %w", shown, err)
	}
	opts := []jwt.ParserOption{jwt.WithValidMethods(cfg.Algorithms), jwt.WithExpirationRequired()}
	if cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(cfg.Audience))
	}
	if cfg.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(cfg.Issuer))
	}
	return &Bearer{cfg: cfg, keys: keys, parser: jwt.NewParser(opts...), log: log}, nil
}

// Authenticate checks r's bearer token.
func (b *Bearer) Authenticate(r *stdhttp.Request) (status int, detail string, ok bool) {
	h := r.Header.Get("Authorization")
	scheme, token, _ := strings.Cut(h, " ")
	switch {
	case h == "" || scheme == "" || token == "":
		return stdhttp.StatusForbidden, "Not authenticated", false
	case !strings.EqualFold(scheme, "bearer"):
		return stdhttp.StatusForbidden, "Invalid authentication credentials", false
	case scheme != "Bearer":
		return stdhttp.StatusForbidden, "Wrong authentication method", false
	}
	claims := jwt.MapClaims{}
	if _, err := b.parser.ParseWithClaims(token, claims, b.keys.KeyfuncCtx(r.Context())); err != nil {
		b.log.Info("bearer token rejected", "err", err)
		return stdhttp.StatusUnauthorized, "Failed to verify Bearer Token", false
	}
	if b.cfg.AllowedRole == "" {
		return 0, "", true
	}
	roles, has := claims[b.cfg.RoleKey]
	if !has {
		return stdhttp.StatusForbidden, "No role information in token", false
	}
	if !hasRole(roles, b.cfg.AllowedRole) {
		return stdhttp.StatusForbidden, "Roles not allowed", false
	}
	return 0, "", true
}

// hasRole reports whether the role claim (a list, or one string) holds role.
func hasRole(claim any, role string) bool {
	switch c := claim.(type) {
	case string:
		return c == role
	case []any:
		for _, x := range c {
			if s, ok := x.(string); ok && s == role {
				return true
			}
		}
	}
	return false
}

// jsonString is s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
