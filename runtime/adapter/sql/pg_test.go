package sql

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/trafofn/trafofn/internal/pgtest"
	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
)

// The integration tests run against a real PostgreSQL server that the test binary starts
// itself (internal/pgtest): skipped when the server binaries are missing, required under
// CI=true.

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

var dbSeq atomic.Int32

// pg is one test's database on the shared server: an admin connection for setting up and
// checking tables, and the adapter under test with the database as key "db".
type pg struct {
	t     testing.TB
	admin *pgx.Conn
	url   string
	a     *Adapter
}

// newPG creates a fresh database and an adapter for it; conf adjusts its configuration.
func newPG(t testing.TB, conf func(*Database)) *pg {
	t.Helper()
	srv := pgtest.Need(t, os.Getenv("CI") == "true")
	ctx := context.Background()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbSeq.Add(1))
	root, err := pgx.Connect(ctx, srv.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := root.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	root.Close(ctx)
	p := &pg{t: t, url: srv.URL(name)}
	if p.admin, err = pgx.Connect(ctx, p.url); err != nil {
		t.Fatal(err)
	}
	d := Database{Key: "db", Name: "test database", URL: p.url}
	if conf != nil {
		conf(&d)
	}
	if p.a, err = New(Config{Databases: []Database{d}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.a.Close()
		p.admin.Close(context.Background())
	})
	return p
}

// exec runs setup statements on the admin connection.
func (p *pg) exec(stmts ...string) {
	p.t.Helper()
	for _, s := range stmts {
		if _, err := p.admin.Exec(context.Background(), s); err != nil {
			p.t.Fatalf("%s: %v", s, err)
		}
	}
}

// count is SELECT count(*) FROM table.
func (p *pg) count(table string) int {
	p.t.Helper()
	var n int
	if err := p.admin.QueryRow(context.Background(), "SELECT count(*) FROM "+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
		p.t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func bind(name string, typ data.Type, ref string, filters ...string) adapter.Binding {
	b := adapter.Binding{Name: name, Type: typ, RefID: &ref}
	for i := 0; i+1 < len(filters); i += 2 {
		b.Filters = append(b.Filters, adapter.NewFilter(filters[i], filters[i+1]))
	}
	return b
}

// load loads bindings and fails the test on an error.
func (p *pg) load(bs ...adapter.Binding) map[string]any {
	p.t.Helper()
	out, err := p.a.Load(context.Background(), adapter.LoadRequest{JobID: "j", Bindings: bs})
	if err != nil {
		p.t.Fatalf("load: %v", err)
	}
	return out
}

// loadErr loads bindings that must fail and returns the adapter error.
func (p *pg) loadErr(maxPoints int, bs ...adapter.Binding) *adapter.Error {
	p.t.Helper()
	_, err := p.a.Load(context.Background(), adapter.LoadRequest{JobID: "j", Bindings: bs, MaxPoints: maxPoints})
	var ae *adapter.Error
	if !errors.As(err, &ae) {
		p.t.Fatalf("load %s: %v, want an adapter error", bs[0].Ref(), err)
	}
	if ae.Wiring != bs[0].Name && len(bs) == 1 {
		p.t.Errorf("error names wiring %q, want %q", ae.Wiring, bs[0].Name)
	}
	return ae
}

func (p *pg) send(values map[string]any, bs ...adapter.Binding) error {
	p.t.Helper()
	_, err := p.a.Send(context.Background(), adapter.SendRequest{JobID: "j", Bindings: bs, Values: values})
	return err
}

func frame(t testing.TB, v any) *data.DataFrame {
	t.Helper()
	f, ok := v.(*data.DataFrame)
	if !ok {
		t.Fatalf("got %T, want a DataFrame", v)
	}
	return f
}

// col returns frame column name.
func col(t testing.TB, f *data.DataFrame, name string) data.Column {
	t.Helper()
	c, ok := f.Col(name)
	if !ok {
		t.Fatalf("no column %q in %v", name, f.Names)
	}
	return c
}

func ts(s string) int64 {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UnixNano()
}

func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

func sameInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// noCredentials fails when msg shows the test server's password or superuser name.
func noCredentials(t testing.TB, msg string) {
	t.Helper()
	if strings.Contains(msg, pgtest.Password) || strings.Contains(msg, "postgres:") || strings.Contains(msg, `"postgres"`) || strings.Contains(msg, "user=postgres") {
		t.Errorf("the message shows credentials: %s", msg)
	}
}

func adapterLoad(maxPoints int, bs ...adapter.Binding) adapter.LoadRequest {
	return adapter.LoadRequest{JobID: "j", Bindings: bs, MaxPoints: maxPoints}
}

func errorsAs(err error, target **adapter.Error) bool { return errors.As(err, target) }

func getenv(k string) string { return os.Getenv(k) }
