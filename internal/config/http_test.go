package config

import (
	"strings"
	"testing"
	"time"
)

// The HTTP server's settings: defaults, and rejections that name the variable.
func TestHTTPSettings(t *testing.T) {
	c, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPReadHeaderTimeout != 10*time.Second || c.HTTPReadTimeout != time.Minute || c.HTTPWriteTimeout != time.Minute ||
		c.HTTPIdleTimeout != 90*time.Second || c.UseAuth || c.AuthRoleKey != "roles" || len(c.AuthAlgorithms) != 6 {
		t.Errorf("defaults %+v", c)
	}
	for _, tc := range []struct {
		env []string
		bad string
	}{
		{[]string{"HTTP_READ_TIMEOUT=0s"}, "HTTP_READ_TIMEOUT"},
		{[]string{"HTTP_IDLE_TIMEOUT=soon"}, "HTTP_IDLE_TIMEOUT"},
		{[]string{"HTTP_TLS_KEY_FILE=k.pem"}, "HTTP_TLS_KEY_FILE"},
		{[]string{"HD_USE_AUTH=true"}, "HD_AUTH_PUBLIC_KEY_URL"},
		{[]string{"HD_USE_AUTH=yes please"}, "HD_USE_AUTH"},
		{[]string{"HD_USE_AUTH=true", "HD_AUTH_PUBLIC_KEY_URL=http://kc/certs", "HD_AUTH_ALLOWED_ALGORITHMS=RS256,HS512"}, "HD_AUTH_ALLOWED_ALGORITHMS"},
	} {
		if _, err := Load(tc.env); err == nil || !strings.Contains(err.Error(), tc.bad) {
			t.Errorf("%v: %v, want an error naming %s", tc.env, err, tc.bad)
		}
	}
}

// Regression: hetida's ssl_check_hostname=false switched off all certificate
// verification (KAFKA_TLS_INSECURE_SKIP_VERIFY); aiokafka only skips the name.
func TestCheckHostnameFalseSkipsOnlyTheName(t *testing.T) {
	c, err := Load([]string{`HETIDA_DESIGNER_KAFKA_CONSUMER_OPTIONS={"security_protocol": "SSL", "ssl_check_hostname": false}`})
	if err != nil {
		t.Fatal(err)
	}
	if c.TLSInsecure || !c.TLSSkipHostname {
		t.Errorf("insecure %v, skip hostname %v", c.TLSInsecure, c.TLSSkipHostname)
	}
}
