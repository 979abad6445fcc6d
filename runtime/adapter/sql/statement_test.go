package sql

import (
	"strings"
	"testing"
)

// checkQuery: one SELECT or WITH statement; a ';' inside strings, identifiers, dollar
// quotes and comments does not count, a second statement does.
func TestCheckQuery(t *testing.T) {
	for _, tc := range []struct {
		q, want, err string // want "" means q unchanged
	}{
		{q: "SELECT 1"},
		{q: "  select * from t where a = 'x;y'"},
		{q: "WITH x AS (SELECT 1) SELECT * FROM x"},
		{q: "(SELECT 1) UNION (SELECT 2)"},
		{q: "-- a comment; with a semicolon\nSELECT 1"},
		{q: "/* outer /* nested; */ still; */ SELECT 1"},
		{q: `SELECT "a;b" FROM "t;""x"`},
		{q: "SELECT $$;$$, $tag$ ; $$ ; $tag$"},
		{q: `SELECT E'\';' AS x`},
		{q: "SELECT 'it''s; fine'"},
		{q: "SELECT 1;", want: "SELECT 1"},
		{q: "SELECT 1 ; ;\n ", want: "SELECT 1 "},
		{q: "SELECT a$1 FROM t"},
		{q: "SELECT 1; DROP TABLE t", err: "only one statement"},
		{q: "SELECT 1 /* ; */ ; DROP TABLE t", err: "only one statement"},
		{q: "SELECT $$;$$; DROP TABLE t", err: "only one statement"},
		{q: `SELECT 'x\'; DROP TABLE t; --'`, err: "only one statement"}, // standard strings: \ is no escape
		{q: "DROP TABLE t", err: "not DROP"},
		{q: "delete from t", err: "not DELETE"},
		{q: "COPY t TO '/tmp/x'", err: "not COPY"},
		{q: "EXPLAIN ANALYZE DELETE FROM t", err: "not EXPLAIN"},
		{q: "SET TRANSACTION READ WRITE", err: "not SET"},
		{q: "", err: "empty"},
		{q: "  -- only a comment", err: "empty"},
		{q: ";", err: "empty"},
		{q: "SELECT 1\x00; DROP TABLE t", err: "NUL byte"},
		{q: "SELECT 'open", err: "unterminated string"},
		{q: `SELECT "open`, err: "unterminated quoted identifier"},
		{q: "SELECT $x$ open", err: "unterminated dollar"},
		{q: "SELECT 1 /* open", err: "unterminated /*"},
	} {
		got, err := checkQuery(tc.q)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: %v, want an error with %q", tc.q, err, tc.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.q, err)
		case tc.want == "" && got != tc.q, tc.want != "" && got != tc.want:
			t.Errorf("%q: got %q", tc.q, got)
		}
	}
}

func TestSplitMetrics(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`["a", "b,c"]`, []string{"a", "b,c"}},
		{"a, b ,c", []string{"a", "b", "c"}},
		{"a,,b", []string{"a", "b"}},
		{"", []string{}},
		{`["a", 1]`, []string{`["a"`, "1]"}}, // not a list of strings: comma-separated
	} {
		got := splitMetrics(tc.in)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRedact(t *testing.T) {
	got := redact(`failed: password authentication failed for user "alice" (user=alice pw s3cr%t s3cr%25t)`, "alice", "s3cr%t")
	if strings.Contains(got, "alice") || strings.Contains(got, "s3cr") {
		t.Errorf("redact left credentials: %s", got)
	}
}
