package pgtest_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/trafofn/trafofn/internal/pgtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// The harness gives a server that takes the password and refuses a wrong one.
func TestServerStartsWithPasswordAuthentication(t *testing.T) {
	s := pgtest.Need(t, os.Getenv("CI") == "true")
	ctx := context.Background()
	c, err := pgx.Connect(ctx, s.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var v string
	if err := c.QueryRow(ctx, "SELECT version()").Scan(&v); err != nil || !strings.HasPrefix(v, "PostgreSQL") {
		t.Fatalf("version %q, %v", v, err)
	}
	bad := strings.Replace(s.URL("postgres"), pgtest.Password, "wrong", 1)
	if c2, err := pgx.Connect(ctx, bad); err == nil {
		c2.Close(ctx)
		t.Error("a wrong password was accepted")
	}
}
