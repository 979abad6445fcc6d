package sql

import (
	"context"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/trafofn/trafofn/internal/pgtest"
	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
)

// tables lists the database's tables in public.
func (p *pg) tables() []string {
	p.t.Helper()
	rows, err := p.admin.Query(context.Background(), "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
	if err != nil {
		p.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

const evil = `x"; DROP TABLE canary; --`

// Injection attempts through every wiring field that reaches the database: the source and
// sink ids (database key, table names), the filters metrics, timestampFrom, timestampTo and
// sql_query, and the data written (column labels, string values, metric names). After each
// the canary table is intact and no other table changed; what the attempt reads or writes
// is at most data under the literal names.
func TestInjectionThroughEveryWiringField(t *testing.T) {
	p := newPG(t, func(d *Database) {
		d.AppendTables = []string{"out", evil}
		d.TimeseriesTables = map[string]TimeseriesTable{
			"ts": {Appendable: true, MetricCol: "metric", TimestampCol: "timestamp", FetchableValueCols: []string{"value"}, WritableValueCols: []string{"value"}},
		}
	})
	p.exec("CREATE TABLE canary (secret text)", "INSERT INTO canary VALUES ('keep me')",
		"CREATE TABLE ts (timestamp timestamptz, metric text, value float8)",
		"INSERT INTO ts VALUES ('2024-01-01T00:00:00Z', 'a', 1)",
		"CREATE SEQUENCE seq")
	intact := func(what string) {
		t.Helper()
		if got := p.rowsText("canary"); !reflect.DeepEqual(got, []string{"(\"keep me\")"}) {
			t.Fatalf("%s: canary is %v", what, got)
		}
	}
	ts := func(filters ...string) adapter.Binding {
		return bind("m", data.TypeMultiTSFrame, "db/ts_table/ts", filters...)
	}
	sources := []struct {
		what string
		b    adapter.Binding
		ok   bool // loads (reading only what the literal names select)
	}{
		{"database key", bind("d", data.TypeDataFrame, "db; DROP TABLE canary; --/table/canary"), false},
		{"table name", bind("d", data.TypeDataFrame, "db/table/"+evil), false},
		{"table name with schema dot", bind("d", data.TypeDataFrame, "db/table/public.canary; DROP TABLE canary"), false},
		{"ts_table name", bind("m", data.TypeMultiTSFrame, "db/ts_table/ts; DROP TABLE canary", "metrics", "ALL", "timestampFrom", "2024-01-01", "timestampTo", "2024-01-02"), false},
		{"metrics (quote)", ts("metrics", "a' OR '1'='1", "timestampFrom", "2024-01-01", "timestampTo", "2024-01-02"), true},
		{"metrics (statement)", ts("metrics", "a'); DROP TABLE canary; --", "timestampFrom", "2024-01-01", "timestampTo", "2024-01-02"), true},
		{"metrics (JSON)", ts("metrics", `["a\"); DROP TABLE canary; --"]`, "timestampFrom", "2024-01-01", "timestampTo", "2024-01-02"), true},
		{"timestampFrom", ts("metrics", "ALL", "timestampFrom", "2024-01-01'; DROP TABLE canary; --", "timestampTo", "2024-01-02"), false},
		{"timestampTo", ts("metrics", "ALL", "timestampFrom", "2024-01-01", "timestampTo", "2024-01-02' OR 1=1 --"), false},
	}
	for _, q := range []string{
		"SELECT 1; DROP TABLE canary",
		"DROP TABLE canary",
		"SELECT 1 /* ; */ ; DROP TABLE canary",
		"SELECT $$;$$; DROP TABLE canary",
		"SELECT 'x\\'; DROP TABLE canary; --'",
		"WITH gone AS (DELETE FROM canary RETURNING *) SELECT * FROM gone",
		"WITH x AS (SELECT set_config('transaction_read_only', 'off', true)) DELETE FROM canary",
		"SELECT * INTO stolen FROM canary",
		"SELECT * FROM canary FOR UPDATE",
		"SELECT nextval('seq')",
		"COPY canary TO '/tmp/trafofn-canary'",
		"SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
		"select * from canary;\x00drop table canary",
	} {
		sources = append(sources,
			struct {
				what string
				b    adapter.Binding
				ok   bool
			}{"sql_query " + q, bind("d", data.TypeDataFrame, "db/query", "sql_query", q), false},
			struct {
				what string
				b    adapter.Binding
				ok   bool
			}{"series_query " + q, bind("s", data.TypeSeries, "db/series_query", "sql_query", q), false})
	}
	// a superuser's lo_import writes even in a READ ONLY transaction (PostgreSQL 15), but
	// the source's transaction is always rolled back: nothing stays
	for _, b := range []adapter.Binding{
		bind("d", data.TypeDataFrame, "db/query", "sql_query", "SELECT lo_import('/etc/hostname')"),
		bind("d", data.TypeDataFrame, "db/query", "sql_query", "WITH x AS (SELECT lo_import('/etc/hostname')) SELECT 1 FROM x"),
	} {
		_, _ = p.a.Load(context.Background(), adapter.LoadRequest{Bindings: []adapter.Binding{b}})
	}
	var objects int
	if err := p.admin.QueryRow(context.Background(), "SELECT count(*) FROM pg_largeobject_metadata").Scan(&objects); err != nil || objects != 0 {
		t.Errorf("large objects left: %d (%v)", objects, err)
	}
	before := p.tables()
	for _, s := range sources {
		out, err := p.a.Load(context.Background(), adapter.LoadRequest{Bindings: []adapter.Binding{s.b}})
		if s.ok != (err == nil) {
			t.Errorf("%s: loaded %v, error %v", s.what, out, err)
		}
		if err == nil {
			if f := frame(t, out[s.b.Name]); f.Len() != 0 {
				t.Errorf("%s: the filter matched %d rows", s.what, f.Len())
			}
		} else {
			noCredentials(t, err.Error())
		}
		intact(s.what)
	}
	if after := p.tables(); !reflect.DeepEqual(before, after) {
		t.Errorf("tables changed: %v → %v", before, after)
	}

	// sinks: table names, column labels, values and metric names are data
	frameOf := func(label string, v any) *data.DataFrame {
		return data.NewDataFrame(data.Range(1), []any{label}, []data.Column{data.Objects([]any{v})})
	}
	sinks := []struct {
		what string
		b    adapter.Binding
		v    any
		ok   bool
	}{
		{"sink database key", sinkBind("o", data.TypeDataFrame, "db; DROP TABLE canary/append_table/out"), frameOf("a", "x"), false},
		{"unlisted sink table", sinkBind("o", data.TypeDataFrame, "db/append_table/out; DROP TABLE canary"), frameOf("a", "x"), false},
		{"listed table with an evil name", sinkBind("o", data.TypeDataFrame, "db/append_table/"+evil), frameOf("a", "x"), true},
		{"column label", sinkBind("o", data.TypeDataFrame, "db/append_table/out"), frameOf(`a" text); DROP TABLE canary; --`, "x"), true},
		{"string value", sinkBind("o", data.TypeDataFrame, "db/append_table/out"), frameOf(`a" text); DROP TABLE canary; --`, "'); DROP TABLE canary; --"), true},
		{"metric name", sinkBind("m", data.TypeMultiTSFrame, "db/appendable_ts_table/ts"), data.NewDataFrame(data.Range(1), []any{"timestamp", "metric", "value"},
			[]data.Column{data.Datetimes([]int64{0}, data.UTC), data.Objects([]any{"'); DROP TABLE canary; --"}), data.Floats([]float64{1})}), true},
	}
	for _, s := range sinks {
		err := p.send(map[string]any{s.b.Name: s.v}, s.b)
		if s.ok != (err == nil) {
			t.Errorf("%s: error %v", s.what, err)
		}
		intact(s.what)
	}
	want := append(append([]string{}, before...), "out", evil)
	if got := p.tables(); !sameSet(got, want) {
		t.Errorf("tables %q, want %q", got, want)
	}
	if got := p.columnTypes("out"); !reflect.DeepEqual(got, []string{`a" text); DROP TABLE canary; -- text`}) {
		t.Errorf("columns of out: %q", got)
	}
	if got := p.rowsText("out"); len(got) != 2 {
		t.Errorf("rows of out: %q", got)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// The execution's context bounds every statement: a query past its deadline is cancelled
// on the server (not left running), fails promptly, and its pool goes on working.
func TestContextCancelsStatements(t *testing.T) {
	p := newPG(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.a.Load(ctx, adapter.LoadRequest{Bindings: []adapter.Binding{bind("d", data.TypeDataFrame, "db/query", "sql_query", "SELECT pg_sleep(30)")}})
	if err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("after %v: %v", time.Since(start), err)
	}
	noCredentials(t, err.Error())
	deadline := time.Now().Add(5 * time.Second)
	for {
		var n int
		if err := p.admin.QueryRow(context.Background(), "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the cancelled statement still runs on the server")
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.load(bind("d", data.TypeDataFrame, "db/query", "sql_query", "SELECT 1"))
	// sending honours it too
	q := newPG(t, func(d *Database) { d.AppendTables = []string{"o"} })
	q.exec("CREATE TABLE o (a int)", "CREATE OR REPLACE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$",
		"CREATE TRIGGER slow BEFORE INSERT ON o FOR EACH ROW EXECUTE FUNCTION slow()")
	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	start = time.Now()
	f := data.NewDataFrame(data.Range(1), []any{"a"}, []data.Column{data.Ints([]int64{1})})
	_, err = q.a.Send(ctx2, adapter.SendRequest{Bindings: []adapter.Binding{sinkBind("o", data.TypeDataFrame, "db/append_table/o")}, Values: map[string]any{"o": f}})
	if err == nil || time.Since(start) > 3*time.Second {
		t.Fatalf("send after %v: %v", time.Since(start), err)
	}
}

// An unreachable database fails its wirings with AdapterConnectionError within the connect
// timeout, without credentials in the message, while another database of the same adapter
// keeps answering meanwhile; a wrong password is reported without user or password.
func TestUnreachableDatabaseAndWrongPassword(t *testing.T) {
	srv := pgtest.Need(t, strings.EqualFold(getenv("CI"), "true"))
	// a server that accepts connections and never answers
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	closedAddr := closed.Addr().String()
	closed.Close()
	silentURL := "postgresql://svc_user:Sup3r-secret@" + l.Addr().String() + "/db?sslmode=disable"
	a, err := New(Config{ConnectTimeout: 2 * time.Second, Databases: []Database{
		{Key: "silent", URL: silentURL},
		{Key: "refused", URL: "postgresql://svc_user:Sup3r-secret@" + closedAddr + "/db?sslmode=disable"},
		{Key: "wrongpw", URL: strings.Replace(srv.URL("postgres"), pgtest.Password, "Wr0ng-pass", 1)},
		{Key: "good", URL: srv.URL("postgres")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	check := func(what string, err error, want string) {
		t.Helper()
		var ae *adapter.Error
		if !errorsAs(err, &ae) || ae.Type != "AdapterConnectionError" || !strings.Contains(ae.Message, want) {
			t.Errorf("%s: %v, want AdapterConnectionError with %q", what, err, want)
			return
		}
		t.Logf("%s: %s", what, ae.Message)
		for _, secret := range []string{"Sup3r-secret", "svc_user", "Wr0ng-pass", pgtest.Password, "postgres:"} {
			if strings.Contains(ae.Message, secret) || strings.Contains(ae.Error(), secret) {
				t.Errorf("%s: the message shows %q: %s", what, secret, ae.Message)
			}
		}
	}
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := a.Load(context.Background(), adapter.LoadRequest{Bindings: []adapter.Binding{bind("x", data.TypeDataFrame, "silent/query", "sql_query", "SELECT 1")}})
		done <- err
	}()
	// meanwhile the good database answers at once
	for range 5 {
		t0 := time.Now()
		if _, err := a.Load(context.Background(), adapter.LoadRequest{Bindings: []adapter.Binding{bind("x", data.TypeDataFrame, "good/query", "sql_query", "SELECT 1")}}); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(t0); d > time.Second {
			t.Errorf("the good database took %v while the silent one hung", d)
		}
	}
	select {
	case err := <-done:
		check("silent", err, `cannot connect to database "silent"`)
		if d := time.Since(start); d > 6*time.Second {
			t.Errorf("the silent database failed after %v (connect timeout 2s)", d)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the silent database's load did not end")
	}
	// the silent database is not tried again for a while: the next wiring fails at once
	start = time.Now()
	_, err = a.Load(context.Background(), adapter.LoadRequest{Bindings: []adapter.Binding{bind("x", data.TypeDataFrame, "silent/table/t")}})
	check("silent again", err, "no answer within the connect timeout (not tried again for 5s)")
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("the second wiring of the silent database waited %v", d)
	}
	_, err = a.Load(context.Background(), adapter.LoadRequest{Bindings: []adapter.Binding{bind("x", data.TypeDataFrame, "refused/table/t")}})
	check("refused", err, "connection refused")
	_, err = a.Load(context.Background(), adapter.LoadRequest{Bindings: []adapter.Binding{bind("x", data.TypeDataFrame, "wrongpw/table/t")}})
	check("wrong password", err, "password authentication failed")
	f := data.NewDataFrame(data.Range(1), []any{"a"}, []data.Column{data.Ints([]int64{1})})
	_, err = a.Send(context.Background(), adapter.SendRequest{Values: map[string]any{"o": f}, Bindings: []adapter.Binding{sinkBind("o", data.TypeDataFrame, "refused/append_table/t")}})
	if err == nil {
		t.Error("send to a refusing database succeeded")
	}
	// an invalid URL is reported by key
	if _, err := New(Config{Databases: []Database{{Key: "bad", URL: "postgresql://u:Sup3r-secret@h:notaport/d"}}}); err == nil ||
		!strings.Contains(err.Error(), `database "bad"`) || strings.Contains(err.Error(), "Sup3r") {
		t.Errorf("invalid URL: %v", err)
	}
}
