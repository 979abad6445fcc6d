package sql

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

func jsonOf(t testing.TB, v any) string {
	t.Helper()
	b, err := wire.AppendValue(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// <db>/query: every common PostgreSQL type, with a row of NULLs, becomes the column pandas'
// read_sql_query builds: integers with NULLs float64 with NaN, booleans with NULLs object,
// text NULLs None, timestamps NaT, timestamptz in UTC.
func TestQueryTypesAndNULLs(t *testing.T) {
	p := newPG(t, nil)
	p.exec(`CREATE TABLE types (i int, b bigint, s smallint, f double precision, r real, n numeric, ok boolean,
		t text, v varchar(5), c char(3), ts timestamp, tz timestamptz, d date, iv interval, j json, jb jsonb,
		u uuid, by bytea, arr int[], tm time)`,
		`INSERT INTO types VALUES (1, 9007199254740993, -2, 1.5, 0.25, 12.345, true, 'x', 'ab', 'ab',
		'2024-01-02 03:04:05.123456', '2024-01-02 03:04:05+02', '2024-02-29', '1 day 02:00:00.5', '{"b": 1, "a": [1, 2]}',
		'{"b": 1, "a": [1, 2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '\x0102ff', '{1,2,3}', '12:34:56')`,
		`INSERT INTO types VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		NULL, NULL, NULL, NULL, NULL, NULL, NULL)`)
	out := p.load(bind("df", data.TypeDataFrame, "db/query", "sql_query", "SELECT * FROM types ORDER BY i NULLS LAST"))
	f := frame(t, out["df"])
	if f.Len() != 2 || f.Index.DType != data.Int64 || f.Index.I[1] != 1 {
		t.Fatalf("index %+v", f.Index)
	}
	nan := math.NaN()
	for _, c := range []struct {
		name string
		want []float64
	}{
		{"i", []float64{1, nan}}, {"b", []float64{9007199254740992, nan}}, {"s", []float64{-2, nan}},
		{"f", []float64{1.5, nan}}, {"r", []float64{0.25, nan}}, {"n", []float64{12.345, nan}},
	} {
		if got := col(t, f, c.name); got.DType != data.Float64 || !sameFloats(got.F, c.want) {
			t.Errorf("%s: %v %v, want float64 %v", c.name, got.DType, got.F, c.want)
		}
	}
	for _, c := range []struct {
		name string
		want []any
	}{
		{"ok", []any{true, nil}}, {"t", []any{"x", nil}}, {"v", []any{"ab", nil}}, {"c", []any{"ab ", nil}},
		{"u", []any{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", nil}}, {"by", []any{`\x0102ff`, nil}},
		{"arr", []any{"{1,2,3}", nil}}, {"tm", []any{"12:34:56", nil}},
	} {
		if got := col(t, f, c.name); got.DType != data.Object || !reflect.DeepEqual(got.O, c.want) {
			t.Errorf("%s: %v %#v, want object %#v", c.name, got.DType, got.O, c.want)
		}
	}
	if got := col(t, f, "ts"); got.DType != data.Datetime || got.Zone.Aware || !sameInts(got.I, []int64{ts("2024-01-02T03:04:05.123456Z"), data.NaT}) {
		t.Errorf("ts: %+v", got)
	}
	if got := col(t, f, "tz"); got.DType != data.Datetime || !got.Zone.IsUTC() || !sameInts(got.I, []int64{ts("2024-01-02T01:04:05Z"), data.NaT}) {
		t.Errorf("tz: %+v", got)
	}
	if got := col(t, f, "d"); got.DType != data.Datetime || got.Zone.Aware || !sameInts(got.I, []int64{ts("2024-02-29T00:00:00Z"), data.NaT}) {
		t.Errorf("d: %+v", got)
	}
	// 1 day 2 h 0.5 s
	if got := col(t, f, "iv"); got.DType != data.Timedeltas || !sameInts(got.I, []int64{(86400+7200)*1e9 + 5e8, data.NaT}) {
		t.Errorf("iv: %+v", got)
	}
	// json keeps the text's key order; jsonb has PostgreSQL's (shorter keys first)
	if got := jsonOf(t, col(t, f, "j").O); got != `[{"b":1,"a":[1,2]},null]` {
		t.Errorf("j: %s", got)
	}
	if got := jsonOf(t, col(t, f, "jb").O); got != `[{"a":[1,2],"b":1},null]` {
		t.Errorf("jb: %s", got)
	}

	// without NULLs integers and booleans keep their dtypes; an empty result has object
	// columns
	f = frame(t, p.load(bind("df", data.TypeDataFrame, "db/query", "sql_query", "SELECT i, ok FROM types WHERE i IS NOT NULL"))["df"])
	if c := col(t, f, "i"); c.DType != data.Int64 || c.I[0] != 1 {
		t.Errorf("i without NULLs: %+v", c)
	}
	if c := col(t, f, "ok"); c.DType != data.Bool || !c.B[0] {
		t.Errorf("ok without NULLs: %+v", c)
	}
	f = frame(t, p.load(bind("df", data.TypeDataFrame, "db/query", "sql_query", "SELECT i, t FROM types WHERE false;"))["df"])
	if f.Len() != 0 || len(f.Columns) != 2 || f.Columns[0].DType != data.Object {
		t.Errorf("empty result %+v", f)
	}
	// the sql_query filter is required
	if e := p.loadErr(0, bind("df", data.TypeDataFrame, "db/query")); !strings.Contains(e.Message, "needs the filter sql_query") {
		t.Errorf("missing sql_query: %s", e.Message)
	}
}

// timestamptz values written in several zones (session zones and literal offsets, across
// Berlin's switch to summer time) come back as the same instants in UTC; naive timestamps
// are read as wall time and the session zone of the adapter (UTC) does not shift them.
func TestTimestamptzZones(t *testing.T) {
	p := newPG(t, nil)
	p.exec("CREATE TABLE z (k int, tz timestamptz, naive timestamp)",
		"SET TIME ZONE 'Europe/Berlin'",
		"INSERT INTO z VALUES (1, '2024-03-31 01:30:00', '2024-03-31 01:30:00')", // CET, +01
		"INSERT INTO z VALUES (2, '2024-03-31 03:30:00', '2024-03-31 03:30:00')", // CEST, +02
		"SET TIME ZONE 'America/New_York'",
		"INSERT INTO z VALUES (3, '2024-07-01 12:00:00', '2024-07-01 12:00:00')", // EDT, -04
		"INSERT INTO z VALUES (4, '2024-07-01 12:00:00+05:30', '2024-07-01 12:00:00')",
		"SET TIME ZONE 'Asia/Kathmandu'",
		"INSERT INTO z VALUES (5, '2024-01-01 00:00:00', '2024-01-01 00:00:00')", // +05:45
	)
	f := frame(t, p.load(bind("df", data.TypeDataFrame, "db/table/z"))["df"])
	f = f.Take(col(t, f, "k").ArgSort())
	want := []int64{ts("2024-03-31T00:30:00Z"), ts("2024-03-31T01:30:00Z"), ts("2024-07-01T16:00:00Z"), ts("2024-07-01T06:30:00Z"), ts("2023-12-31T18:15:00Z")}
	if c := col(t, f, "tz"); !c.Zone.IsUTC() || !sameInts(c.I, want) {
		t.Errorf("tz %v\nwant %v", c.I, want)
	}
	naive := []int64{ts("2024-03-31T01:30:00Z"), ts("2024-03-31T03:30:00Z"), ts("2024-07-01T12:00:00Z"), ts("2024-07-01T12:00:00Z"), ts("2024-01-01T00:00:00Z")}
	if c := col(t, f, "naive"); c.Zone.Aware || !sameInts(c.I, naive) {
		t.Errorf("naive %v\nwant %v", c.I, naive)
	}
	// a series query takes either as UTC
	for _, column := range []string{"tz", "naive"} {
		s := p.load(bind("s", data.TypeSeries, "db/series_query", "sql_query", "SELECT "+column+", k FROM z ORDER BY k"))["s"].(*data.Series)
		exp := want
		if column == "naive" {
			exp = naive
		}
		if !s.Index.Zone.IsUTC() || !sameInts(s.Index.I, exp) || s.Name != nil {
			t.Errorf("series of %s: %+v", column, s)
		}
	}
}

// <db>/table/<t>: the whole table, names quoted (any name works), and the configured lists
// decide which tables are offered.
func TestTableSource(t *testing.T) {
	p := newPG(t, func(d *Database) {
		d.IgnoreTables = []string{"secret"}
		d.TimeseriesTables = map[string]TimeseriesTable{"tsdata": {MetricCol: "metric", TimestampCol: "timestamp", FetchableValueCols: []string{"value"}}}
	})
	p.exec(`CREATE TABLE "My ""odd"" table/x" (a int, b text)`, `INSERT INTO "My ""odd"" table/x" VALUES (1, 'one'), (2, NULL)`,
		"CREATE TABLE secret (a int)", "CREATE TABLE tsdata (timestamp timestamptz, metric text, value float8)")
	f := frame(t, p.load(bind("df", data.TypeDataFrame, `db/table/My "odd" table/x`))["df"])
	if f.Len() != 2 || !reflect.DeepEqual(f.Names, []any{"a", "b"}) || !reflect.DeepEqual(col(t, f, "b").O, []any{"one", nil}) {
		t.Errorf("table %+v", f)
	}
	for _, tc := range []struct{ ref, want string }{
		{"db/table/secret", "ignore_tables"},
		{"db/table/tsdata", "is a timeseries table"},
		{"db/table/missing", `relation "missing" does not exist`},
		{"db/table/", "invalid source id"},
		{"db/tables/x", "invalid source id"},
		{"db/query/x", "invalid source id"},
		{"other/table/x", `database "other" is not configured (configured: db)`},
		{"db", "invalid source id"},
	} {
		e := p.loadErr(0, bind("df", data.TypeDataFrame, tc.ref))
		if !strings.Contains(e.Message, tc.want) || e.Ref != tc.ref {
			t.Errorf("%s: %s %q (ref %q), want %q", tc.ref, e.Type, e.Message, e.Ref, tc.want)
		}
		noCredentials(t, e.Message)
	}
	// explicit_source_tables: only those
	q := newPG(t, func(d *Database) { d.SourceTables = []string{"open"} })
	q.exec("CREATE TABLE open (a int)", "CREATE TABLE closed (a int)")
	q.load(bind("df", data.TypeDataFrame, "db/table/open"))
	if e := q.loadErr(0, bind("df", data.TypeDataFrame, "db/table/closed")); !strings.Contains(e.Message, "explicit_source_tables") {
		t.Errorf("closed: %s", e.Message)
	}
	// the input's type must fit the source
	if e := q.loadErr(0, bind("s", data.TypeSeries, "db/table/open")); !strings.Contains(e.Message, "delivers a DATAFRAME, but input 's' is a SERIES") {
		t.Errorf("type: %s", e.Message)
	}
	// ref_key wins over ref_id
	b := bind("df", data.TypeDataFrame, "db/table/closed")
	key := "db/table/open"
	b.RefKey = &key
	q.load(b)
}

// <db>/ts_table/<t>: metrics (ALL, JSON list, comma list, none) and the closed time interval
// go into the SQL; the frame has hetida's columns after the inverse column mapping, sorted
// by timestamp, and hetida's attrs.
func TestTSTable(t *testing.T) {
	p := newPG(t, func(d *Database) {
		d.TimeseriesTables = map[string]TimeseriesTable{
			"ts":     {MetricCol: "metric", TimestampCol: "timestamp", FetchableValueCols: []string{"value"}},
			"mapped": {MetricCol: "name", TimestampCol: "at", FetchableValueCols: []string{"val", "quality"}, HDToDB: map[string]string{"timestamp": "at", "metric": "name", "value": "val"}},
			"naive":  {MetricCol: "metric", TimestampCol: "timestamp", FetchableValueCols: []string{"value"}},
			"intm":   {MetricCol: "metric", TimestampCol: "timestamp", FetchableValueCols: []string{"value"}},
		}
	})
	p.exec("CREATE TABLE ts (timestamp timestamptz, metric text, value float8, ignored text)",
		`INSERT INTO ts SELECT '2023-08-01T00:00:00Z'::timestamptz + g * interval '1 hour', m, g + (CASE m WHEN 'a' THEN 0.1 WHEN 'b' THEN 0.2 ELSE 0.3 END), 'x'
		 FROM generate_series(0, 9) g, unnest(ARRAY['c', 'a', 'b']) m`,
		"INSERT INTO ts VALUES ('2023-08-01T05:00:00Z', 'a', NULL, NULL)",
		"CREATE TABLE mapped (at timestamptz, name text, val float8, quality int)",
		"INSERT INTO mapped VALUES ('2023-08-01T01:00:00+02:00', 'p', 1.5, 3), ('2023-08-01T00:30:00Z', 'q', 2.5, 4)",
		"CREATE TABLE naive (timestamp timestamp, metric text, value float8)",
		"INSERT INTO naive VALUES ('2023-08-01 12:00:00', 'a', 1)",
		"CREATE TABLE intm (timestamp timestamptz, metric int, value float8)",
		"INSERT INTO intm VALUES ('2023-08-01T00:00:00Z', 1, 1), ('2023-08-01T00:00:00Z', 2, 2), ('2023-08-01T00:00:00Z', 3, 3)")
	from, to := "2023-08-01T02:00:00Z", "2023-08-01T04:00:00+00:00"
	tsb := func(metrics string) map[string]any {
		return p.load(bind("m", data.TypeMultiTSFrame, "db/ts_table/ts", "metrics", metrics, "timestampFrom", from, "timestampTo", to))
	}
	for _, tc := range []struct {
		metrics string
		want    []any
		ref     any
	}{
		{"ALL", []any{"a", "b", "c", "a", "b", "c", "a", "b", "c"}, nil},
		{"all", []any{"a", "b", "c", "a", "b", "c", "a", "b", "c"}, nil},
		{"a, c", []any{"a", "c", "a", "c", "a", "c"}, []any{"a", "c"}},
		{`["b"]`, []any{"b", "b", "b"}, []any{"b"}},
		{"", []any{}, []any{}},
		{"zzz", []any{}, []any{"zzz"}},
	} {
		f := frame(t, tsb(tc.metrics)["m"])
		if !reflect.DeepEqual(f.Names, []any{"timestamp", "metric", "value"}) {
			t.Errorf("%q: names %v", tc.metrics, f.Names)
		}
		if m := col(t, f, "metric"); len(m.O) != len(tc.want) || len(tc.want) > 0 && !reflect.DeepEqual(m.O, tc.want) {
			t.Errorf("%q: metrics %v, want %v", tc.metrics, m.O, tc.want)
		}
		if f.Len() > 0 {
			tc := col(t, f, "timestamp")
			if !tc.Zone.IsUTC() || tc.I[0] != ts(from) || tc.I[len(tc.I)-1] != ts(to) {
				t.Errorf("timestamps %v (closed interval %s…%s)", tc.I, from, to)
			}
		}
		if got, _ := f.Attrs.Get("ref_metrics"); !reflect.DeepEqual(got, tc.ref) {
			t.Errorf("%q: ref_metrics %#v, want %#v", tc.metrics, got, tc.ref)
		}
		if got, _ := f.Attrs.Get("ref_interval_start_timestamp"); got != "2023-08-01T02:00:00+00:00" {
			t.Errorf("attrs %s", jsonOf(t, f.Attrs))
		}
		if got, _ := f.Attrs.Get("ref_interval_type"); got != "closed" {
			t.Errorf("attrs %s", jsonOf(t, f.Attrs))
		}
	}
	// values, with the NULL as NaN (a at 05:00 is outside the interval; widen it)
	f := frame(t, p.load(bind("m", data.TypeMultiTSFrame, "db/ts_table/ts", "metrics", "a", "timestampFrom", "2023-08-01T05:00:00Z", "timestampTo", "2023-08-01T05:00:00Z"))["m"])
	if v := col(t, f, "value"); !sameFloats(v.F, []float64{5.1, math.NaN()}) && !sameFloats(v.F, []float64{math.NaN(), 5.1}) {
		t.Errorf("values at 05:00: %v", v.F)
	}
	// the mapping renames the table's columns to hetida's; unmapped columns keep their names
	f = frame(t, p.load(bind("m", data.TypeMultiTSFrame, "db/ts_table/mapped", "metrics", "ALL", "timestampFrom", "2023-07-31", "timestampTo", "2023-08-02"))["m"])
	if !reflect.DeepEqual(f.Names, []any{"timestamp", "metric", "value", "quality"}) || !reflect.DeepEqual(col(t, f, "metric").O, []any{"p", "q"}) ||
		!sameInts(col(t, f, "timestamp").I, []int64{ts("2023-07-31T23:00:00Z"), ts("2023-08-01T00:30:00Z")}) {
		t.Errorf("mapped %+v", f)
	}
	// naive timestamps are UTC, also in the filters
	f = frame(t, p.load(bind("m", data.TypeMultiTSFrame, "db/ts_table/naive", "metrics", "a", "timestampFrom", "2023-08-01T12:00:00", "timestampTo", "2023-08-01T13:00:00+01:00"))["m"])
	if c := col(t, f, "timestamp"); f.Len() != 1 || !c.Zone.IsUTC() || c.I[0] != ts("2023-08-01T12:00:00Z") {
		t.Errorf("naive %+v", f)
	}
	// an integer metric column matches the metric strings, and metric becomes text
	f = frame(t, p.load(bind("m", data.TypeMultiTSFrame, "db/ts_table/intm", "metrics", "1,3", "timestampFrom", "2023-08-01", "timestampTo", "2023-08-01"))["m"])
	if m := col(t, f, "metric"); !reflect.DeepEqual(m.O, []any{"1", "3"}) {
		t.Errorf("integer metrics %v", m.O)
	}
	for _, tc := range []struct {
		filters []string
		want    string
	}{
		{[]string{"metrics", "ALL", "timestampFrom", from}, "Missing timestamp filters"},
		{[]string{"metrics", "ALL", "timestampFrom", "yesterday", "timestampTo", to}, "Could not parse one of multitsframe timestamp filters: (timestampFrom: yesterday)"},
	} {
		if e := p.loadErr(0, bind("m", data.TypeMultiTSFrame, "db/ts_table/ts", tc.filters...)); !strings.Contains(e.Message, tc.want) {
			t.Errorf("%v: %s", tc.filters, e.Message)
		}
	}
	if e := p.loadErr(0, bind("m", data.TypeMultiTSFrame, "db/ts_table/other", "metrics", "ALL", "timestampFrom", from, "timestampTo", to)); !strings.Contains(e.Message, "not a configured timeseries table") {
		t.Errorf("unconfigured: %s", e.Message)
	}
}

// <db>/series_query: a timestamp and a value column (by name, else the first two) become
// an unnamed SERIES, UTC index in the query's order, NULL values NaN.
func TestSeriesQuery(t *testing.T) {
	p := newPG(t, nil)
	p.exec("CREATE TABLE s (k int, at timestamptz, v float8, txt text)",
		"INSERT INTO s VALUES (1, '2024-01-01T00:00:00Z', 1.5, '2024-01-01T01:00:00+01:00'), (2, '2024-01-01T00:05:00Z', NULL, '2024-01-01T00:05:00'), (3, NULL, 3.5, NULL)")
	s := p.load(bind("x", data.TypeSeries, "db/series_query", "sql_query", "SELECT at, v FROM s ORDER BY k"))["x"].(*data.Series)
	if s.Name != nil || !s.Index.Zone.IsUTC() || !sameInts(s.Index.I, []int64{ts("2024-01-01T00:00:00Z"), ts("2024-01-01T00:05:00Z"), data.NaT}) ||
		!sameFloats(s.Values.F, []float64{1.5, math.NaN(), 3.5}) {
		t.Errorf("series %+v", s)
	}
	// named columns in any order and more columns; ISO text timestamps
	s = p.load(bind("x", data.TypeSeries, "db/series_query", "sql_query", "SELECT k, v AS value, txt AS timestamp FROM s WHERE k < 3 ORDER BY k DESC"))["x"].(*data.Series)
	if s.Name != nil || !sameInts(s.Index.I, []int64{ts("2024-01-01T00:05:00Z"), ts("2024-01-01T00:00:00Z")}) {
		t.Errorf("named series %+v", s)
	}
	// an empty result is an empty series with a UTC index
	s = p.load(bind("x", data.TypeSeries, "db/series_query", "sql_query", "SELECT at, v FROM s WHERE false"))["x"].(*data.Series)
	if s.Len() != 0 || !s.Index.Zone.IsUTC() {
		t.Errorf("empty %+v", s)
	}
	for _, tc := range []struct{ q, want string }{
		{"SELECT k, at, v FROM s", "must return two columns"},
		{"SELECT k, v FROM s", `column "k" holds int64 values, not timestamps`},
		{"SELECT 'noon'::text, 1", "is not an ISO 8601 timestamp"},
	} {
		if e := p.loadErr(0, bind("x", data.TypeSeries, "db/series_query", "sql_query", tc.q)); !strings.Contains(e.Message, tc.want) {
			t.Errorf("%s: %s", tc.q, e.Message)
		}
	}
}

// MAX_POINTS: a source with more rows fails with InputTooLarge while reading (the limit
// itself is fine), for every source kind.
func TestPointLimit(t *testing.T) {
	p := newPG(t, func(d *Database) {
		d.TimeseriesTables = map[string]TimeseriesTable{"ts": {MetricCol: "metric", TimestampCol: "timestamp", FetchableValueCols: []string{"value"}}}
	})
	p.exec("CREATE TABLE ts AS SELECT '2024-01-01'::timestamptz + g * interval '1 s' AS timestamp, 'm'::text AS metric, g::float8 AS value FROM generate_series(1, 11) g",
		"CREATE TABLE plain AS SELECT * FROM ts", "CREATE TABLE big AS SELECT g FROM generate_series(1, 300000) g")
	for _, b := range []struct {
		typ     data.Type
		ref     string
		filters []string
	}{
		{data.TypeDataFrame, "db/table/plain", nil},
		{data.TypeDataFrame, "db/query", []string{"sql_query", "SELECT * FROM ts"}},
		{data.TypeSeries, "db/series_query", []string{"sql_query", "SELECT timestamp, value FROM ts"}},
		{data.TypeMultiTSFrame, "db/ts_table/ts", []string{"metrics", "ALL", "timestampFrom", "2024-01-01", "timestampTo", "2024-01-02"}},
	} {
		e := p.loadErr(10, bind("x", b.typ, b.ref, b.filters...))
		if e.Type != "InputTooLarge" || !strings.Contains(e.Message, "more than the limit of 10 points (MAX_POINTS)") {
			t.Errorf("%s: %s %s", b.ref, e.Type, e.Message)
		}
		if _, err := p.a.Load(t.Context(), adapterLoad(11, bind("x", b.typ, b.ref, b.filters...))); err != nil {
			t.Errorf("%s at the limit: %v", b.ref, err)
		}
	}
	// a query stopped at the limit is cancelled, not read to its end, and leaves its
	// connection usable
	start := time.Now()
	for range 3 {
		p.loadErr(1, bind("x", data.TypeDataFrame, "db/query", "sql_query", "SELECT a.g FROM big a, big b"))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("three queries stopped at the limit took %v", d)
	}
	p.load(bind("x", data.TypeDataFrame, "db/query", "sql_query", "SELECT 1"))
}
