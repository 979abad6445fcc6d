package sql

import (
	"context"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
)

// columnTypes lists a table's columns as "name type" in order.
func (p *pg) columnTypes(table string) []string {
	p.t.Helper()
	rows, err := p.admin.Query(context.Background(), "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position", table)
	if err != nil {
		p.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n, typ string
		if err := rows.Scan(&n, &typ); err != nil {
			p.t.Fatal(err)
		}
		out = append(out, n+" "+typ)
	}
	return out
}

// rowsText is the table's rows as text (NULL as ∅), ordered by the first column.
func (p *pg) rowsText(table string) []string {
	p.t.Helper()
	q := "SELECT t::text FROM (SELECT * FROM " + quoteTable(table) + " ORDER BY 1) t"
	rows, err := p.admin.Query(context.Background(), q)
	if err != nil {
		p.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			p.t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func quoteTable(t string) string { return `"` + strings.ReplaceAll(t, `"`, `""`) + `"` }

func sinkBind(name string, typ data.Type, ref string) adapter.Binding {
	return bind(name, typ, ref)
}

// every dtype with missing values: NaN, NaT and None become NULL
func mixedFrame() *data.DataFrame {
	nan := math.NaN()
	return data.NewDataFrame(data.Range(3), []any{"f", "i", "b", "s", "tz", "naive", "td", "num", int64(7)}, []data.Column{
		data.Floats([]float64{1.5, nan, -2}),
		data.Ints([]int64{1, 2, 3}),
		data.Bools([]bool{true, false, true}),
		data.Objects([]any{"a", nil, "it's"}),
		data.Datetimes([]int64{ts("2024-01-01T00:00:00Z"), data.NaT, ts("2024-06-01T12:00:00Z")}, data.UTC),
		data.Datetimes([]int64{ts("2024-01-01T08:00:00Z"), ts("2024-01-02T08:00:00Z"), data.NaT}, data.Naive),
		data.TimedeltaCol([]int64{1e9, data.NaT, 3e9}),
		data.Objects([]any{int64(1), 2.5, nil}),
		data.Objects([]any{true, nil, false}),
	})
}

// append_table creates a missing table from the dtypes (pandas' to_sql types) and appends;
// replace_table replaces the content; both with NULL for missing values.
func TestAppendAndReplaceTables(t *testing.T) {
	p := newPG(t, func(d *Database) {
		d.AppendTables = []string{"alerts", "scores"}
		d.ReplaceTables = []string{"params"}
	})
	f := mixedFrame()
	if err := p.send(map[string]any{"out": f}, sinkBind("out", data.TypeDataFrame, "db/append_table/alerts")); err != nil {
		t.Fatal(err)
	}
	want := []string{"f double precision", "i bigint", "b boolean", "s text", "tz timestamp with time zone",
		"naive timestamp without time zone", "td bigint", "num double precision", "7 boolean"}
	if got := p.columnTypes("alerts"); !reflect.DeepEqual(got, want) {
		t.Errorf("created columns %v\nwant %v", got, want)
	}
	rows := []string{
		`(-2,3,t,it's,"2024-06-01 12:00:00+00",,3000000000,,f)`,
		`(1.5,1,t,a,"2024-01-01 00:00:00+00","2024-01-01 08:00:00",1000000000,1,t)`,
		`(,2,f,,,"2024-01-02 08:00:00",,2.5,)`,
	}
	if got := p.rowsText("alerts"); !reflect.DeepEqual(got, rows) {
		t.Errorf("rows %q\nwant %q", got, rows)
	}
	if err := p.send(map[string]any{"out": f}, sinkBind("out", data.TypeDataFrame, "db/append_table/alerts")); err != nil {
		t.Fatal(err)
	}
	if n := p.count("alerts"); n != 6 {
		t.Errorf("after two appends %d rows", n)
	}
	// an existing table keeps its types; the frame's columns go into the columns of their names
	p.exec("CREATE TABLE scores (note text DEFAULT 'n', value numeric, timestamp timestamptz)")
	s := data.FloatSeries("value", data.Datetimes([]int64{ts("2024-01-01T00:00:00Z"), ts("2024-01-01T00:05:00Z")}, data.UTC), []float64{0.5, math.NaN()})
	if err := p.send(map[string]any{"s": s}, sinkBind("s", data.TypeSeries, "db/append_table/scores")); err != nil {
		t.Fatal(err)
	}
	if got := p.rowsText("scores"); !reflect.DeepEqual(got, []string{`(n,0.5,"2024-01-01 00:00:00+00")`, `(n,,"2024-01-01 00:05:00+00")`}) {
		t.Errorf("series rows %q", got)
	}
	// replace: dropped and created from the frame, each time
	for _, n := range []int{3, 1} {
		g := data.NewDataFrame(data.Range(n), []any{"k"}, []data.Column{data.Range(n)})
		if err := p.send(map[string]any{"p": g}, sinkBind("p", data.TypeDataFrame, "db/replace_table/params")); err != nil {
			t.Fatal(err)
		}
		if got := p.count("params"); got != n {
			t.Errorf("replace with %d rows: %d", n, got)
		}
	}
	// an empty frame still creates its table
	empty := data.NewDataFrame(data.Range(0), []any{"x"}, []data.Column{data.Objects([]any{})})
	if err := p.send(map[string]any{"p": empty}, sinkBind("p", data.TypeDataFrame, "db/replace_table/params")); err != nil {
		t.Fatal(err)
	}
	if got := p.columnTypes("params"); !reflect.DeepEqual(got, []string{"x text"}) {
		t.Errorf("empty replace: %v", got)
	}
}

// One Send writes all sinks of a database in one transaction: a failing sink leaves no
// trace of the others. Unconfigured tables are refused before anything is written.
func TestSinksAreOneTransaction(t *testing.T) {
	p := newPG(t, func(d *Database) {
		d.AppendTables = []string{"a", "b"}
		d.ReplaceTables = []string{"r"}
		d.TimeseriesTables = map[string]TimeseriesTable{"ro": {Appendable: false, MetricCol: "metric", TimestampCol: "timestamp"}}
	})
	p.exec("CREATE TABLE b (x bigint)", "CREATE TABLE r (keep int)", "INSERT INTO r VALUES (1)")
	good := data.NewDataFrame(data.Range(2), []any{"x"}, []data.Column{data.Ints([]int64{1, 2})})
	bad := data.NewDataFrame(data.Range(1), []any{"x"}, []data.Column{data.Objects([]any{"not a number"})})
	err := p.send(map[string]any{"one": good, "two": good, "three": bad},
		sinkBind("one", data.TypeDataFrame, "db/append_table/a"),
		sinkBind("two", data.TypeDataFrame, "db/replace_table/r"),
		sinkBind("three", data.TypeDataFrame, "db/append_table/b"))
	var ae *adapter.Error
	if !errorsAs(err, &ae) || ae.Wiring != "three" || !strings.Contains(ae.Message, `database "db"`) {
		t.Fatalf("error %v", err)
	}
	noCredentials(t, ae.Message)
	if got := p.columnTypes("a"); got != nil {
		t.Errorf("table a was created: %v", got)
	}
	if got := p.rowsText("r"); !reflect.DeepEqual(got, []string{"(1)"}) {
		t.Errorf("replace table r changed: %v", got)
	}
	for _, tc := range []struct{ ref, want string }{
		{"db/append_table/c", "not an append table (append_tables)"},
		{"db/replace_table/a", "not a replace table (replace_tables)"},
		{"db/appendable_ts_table/ro", "is not appendable"},
		{"db/appendable_ts_table/zz", "not a configured timeseries table"},
		{"db/table/a", "invalid sink id"},
	} {
		err := p.send(map[string]any{"o": good}, sinkBind("o", data.TypeDataFrame, tc.ref))
		if !errorsAs(err, &ae) || !strings.Contains(ae.Message, tc.want) {
			t.Errorf("%s: %v, want %q", tc.ref, err, tc.want)
		}
	}
	// duplicate column labels and non-frames are refused
	dup := data.NewDataFrame(data.Range(1), []any{"x", "x"}, []data.Column{data.Ints([]int64{1}), data.Ints([]int64{2})})
	if err := p.send(map[string]any{"o": dup}, sinkBind("o", data.TypeDataFrame, "db/append_table/a")); !errorsAs(err, &ae) || !strings.Contains(ae.Message, "Duplicate column names") {
		t.Errorf("duplicates: %v", err)
	}
	if err := p.send(map[string]any{"o": 1.5}, sinkBind("o", data.TypeFloat, "db/append_table/a")); !errorsAs(err, &ae) || !strings.Contains(ae.Message, "not a DATAFRAME or SERIES") {
		t.Errorf("float: %v", err)
	}
}

// appendable_ts_table: the MULTITSFRAME is validated, mapped to the table's column names
// and cut to metric, timestamp and the writable value columns; reading it back gives the
// frame again.
func TestAppendTimeseriesTable(t *testing.T) {
	p := newPG(t, func(d *Database) {
		d.TimeseriesTables = map[string]TimeseriesTable{
			"ts": {Appendable: true, MetricCol: "name", TimestampCol: "at", FetchableValueCols: []string{"val"}, WritableValueCols: []string{"val"},
				HDToDB: map[string]string{"timestamp": "at", "metric": "name", "value": "val"}},
		}
	})
	m := data.NewDataFrame(data.Range(3), []any{"timestamp", "metric", "value", "extra"}, []data.Column{
		data.Datetimes([]int64{ts("2024-01-01T00:10:00Z"), ts("2024-01-01T00:00:00Z"), ts("2024-01-01T00:00:00Z")}, data.UTC),
		data.Objects([]any{"a", "b", "a"}), data.Floats([]float64{3, 2, math.NaN()}), data.Objects([]any{"x", "y", "z"}),
	})
	if err := p.send(map[string]any{"m": m}, sinkBind("m", data.TypeMultiTSFrame, "db/appendable_ts_table/ts")); err != nil {
		t.Fatal(err)
	}
	if got := p.columnTypes("ts"); !reflect.DeepEqual(got, []string{"name text", "at timestamp with time zone", "val double precision"}) {
		t.Errorf("created %v", got)
	}
	f := frame(t, p.load(bind("m", data.TypeMultiTSFrame, "db/ts_table/ts", "metrics", "ALL", "timestampFrom", "2024-01-01", "timestampTo", "2024-01-02"))["m"])
	if !reflect.DeepEqual(f.Names, []any{"timestamp", "metric", "value"}) || !reflect.DeepEqual(col(t, f, "metric").O, []any{"a", "b", "a"}) ||
		!sameFloats(col(t, f, "value").F, []float64{math.NaN(), 2, 3}) {
		t.Errorf("read back %+v", f)
	}
	var ae *adapter.Error
	naive := data.NewDataFrame(data.Range(1), []any{"timestamp", "metric", "value"}, []data.Column{
		data.Datetimes([]int64{0}, data.Naive), data.Objects([]any{"a"}), data.Floats([]float64{1})})
	if err := p.send(map[string]any{"m": naive}, sinkBind("m", data.TypeMultiTSFrame, "db/appendable_ts_table/ts")); !errorsAs(err, &ae) || !strings.Contains(ae.Message, "DatetimeTZDtype") {
		t.Errorf("naive: %v", err)
	}
	short := data.NewDataFrame(data.Range(1), []any{"timestamp", "metric", "other"}, []data.Column{
		data.Datetimes([]int64{0}, data.UTC), data.Objects([]any{"a"}), data.Floats([]float64{1})})
	if err := p.send(map[string]any{"m": short}, sinkBind("m", data.TypeMultiTSFrame, "db/appendable_ts_table/ts")); !errorsAs(err, &ae) || !strings.Contains(ae.Message, "Could not find expected columns ['name', 'at', 'val']") {
		t.Errorf("missing value column: %v", err)
	}
}
