package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/internal/config"
)

// GET /api/adapters lists the sql-adapter while it is active (hetida's default listing
// has it too), and nothing once it is switched off.
func TestAdaptersListingNamesTheSQLAdapter(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{nil, `[{"id":"sql-adapter","name":"SQL Adapter","url":"","internalUrl":""}]`},
		{[]string{"SQL_ADAPTER_ACTIVE=false"}, `[]`},
	} {
		_, base := httpApp(t, nil, tc.env...)
		for _, path := range []string{"/api/adapters", "/api/adapters/"} {
			resp, err := http.Get(base + path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != tc.want || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("%v %s: %d %s", tc.env, path, resp.StatusCode, b)
			}
		}
	}
}

// A wiring of the sql-adapter while it is off gets the unknown-adapter failure; a database
// URL pgx cannot use stops start-up naming the variable and the key, not the credentials.
func TestSQLAdapterSetup(t *testing.T) {
	cfg, err := config.Load([]string{`SQL_ADAPTER_SQL_DATABASES=[{"name": "n", "key": "plant", "connection_url": "postgresql://svc:Top-Secret@db/x?sslmode=bogus"}]`})
	if err != nil {
		t.Fatal(err)
	}
	_, err = newApp(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err == nil || !strings.Contains(err.Error(), "SQL_ADAPTER_SQL_DATABASES") || !strings.Contains(err.Error(), `"plant"`) ||
		strings.Contains(err.Error(), "Top-Secret") || strings.Contains(err.Error(), "svc") {
		t.Errorf("start-up error %v", err)
	}
	_, base := httpApp(t, nil, "SQL_ADAPTER_ACTIVE=false")
	status, body := postJSON(t, base+"/api/transformations/execute", []byte(`{"id": "7a1a818f-fa89-6062-1e0e-fc80539bbe0a",
		"wiring": {"input_wirings": [{"workflow_input_name": "input", "adapter_id": "sql-adapter", "ref_id": "plant/table/t"}]}}`))
	if status != 200 || !strings.Contains(string(body), `Adapter with id \"sql-adapter\" is not registered`) || !strings.Contains(string(body), "LOADING_DATA_FROM_ADAPTERS") {
		t.Errorf("%d %s", status, body)
	}
}
