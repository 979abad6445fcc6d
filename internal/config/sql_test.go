package config

import (
	"reflect"
	"strings"
	"testing"
)

// hetida's documented example (docs/adapter_system/sql_adapter.md), PostgreSQL entries
// only: SQLAlchemy's driver suffix is dropped, defaults of timeseries tables filled in.
func TestSQLDatabasesHetidaFormat(t *testing.T) {
	c, err := Load([]string{`SQL_ADAPTER_SQL_DATABASES=[
	  {"name": "hd postgres", "key": "hd_postgres_db",
	   "connection_url": "postgresql+psycopg2://hetida_designer_dbuser:hetida_designer_dbpasswd@hetida-designer-db:5432/hetida_designer_db",
	   "append_tables": ["alerts"], "replace_tables": ["params"], "ignore_tables": ["secrets"],
	   "create_engine_kwargs": {"pool_size": 5, "max_overflow": 3, "echo": true},
	   "timeseries_tables": {
	     "ts_table": {"appendable": true, "metric_col_name": "metric", "timestamp_col_name": "timestamp",
	                  "fetchable_value_cols": ["value"], "writable_value_cols": ["value"], "column_mapping_hd_to_db": {}},
	     "ro_ts_table": {"appendable": false}
	   }},
	  {"name": "plain", "key": "plain", "connection_url": "postgres://u@h/db", "explicit_source_tables": []}
	]`})
	if err != nil {
		t.Fatal(err)
	}
	if !c.SQL.Active || len(c.SQL.Databases) != 2 {
		t.Fatalf("%+v", c.SQL)
	}
	d := c.SQL.Databases[0]
	if d.URL != "postgresql://hetida_designer_dbuser:hetida_designer_dbpasswd@hetida-designer-db:5432/hetida_designer_db" {
		t.Errorf("URL %q", d.URL)
	}
	if d.Key != "hd_postgres_db" || d.Name != "hd postgres" || d.MaxConns != 8 || d.SourceTables != nil ||
		!reflect.DeepEqual(d.AppendTables, []string{"alerts"}) || !reflect.DeepEqual(d.ReplaceTables, []string{"params"}) ||
		!reflect.DeepEqual(d.IgnoreTables, []string{"secrets"}) {
		t.Errorf("%+v", d)
	}
	want := []SQLTimeseriesTable{
		{Table: "ro_ts_table", Appendable: false, MetricCol: "metric", TimestampCol: "timestamp", FetchableValueCols: []string{"value"}, WritableValueCols: []string{"value"}},
		{Table: "ts_table", Appendable: true, MetricCol: "metric", TimestampCol: "timestamp", FetchableValueCols: []string{"value"}, WritableValueCols: []string{"value"}, HDToDB: map[string]string{}},
	}
	if !reflect.DeepEqual(d.TimeseriesTables, want) {
		t.Errorf("timeseries tables %+v", d.TimeseriesTables)
	}
	if p := c.SQL.Databases[1]; p.SourceTables == nil || len(p.SourceTables) != 0 || p.URL != "postgresql://u@h/db" {
		t.Errorf("%+v", p)
	}
	if len(c.Ignored) != 1 || !strings.Contains(c.Ignored[0], "create_engine_kwargs.echo") {
		t.Errorf("ignored %v", c.Ignored)
	}
}

// Bad entries fail naming the variable and the database, never the URL's credentials.
func TestSQLDatabasesRejected(t *testing.T) {
	for _, tc := range []struct{ json, want string }{
		{`{"key": "x"}`, "not a JSON list"},
		{`[{"key": "x", "name": "x"}]`, "connection_url are required"},
		{`[{"key": "no-dash", "name": "x", "connection_url": "postgresql://u:pw@h/d"}]`, "Python identifier"},
		{`[{"key": "a", "name": "x", "connection_url": "postgresql://u:pw@h/d"}, {"key": "a", "name": "y", "connection_url": "postgresql://u:pw@h/d"}]`, "not unique"},
		{`[{"key": "lite", "name": "x", "connection_url": "sqlite+pysqlite:////mnt/pw.db"}]`, `scheme "sqlite+pysqlite" is not PostgreSQL`},
		{`[{"key": "m", "name": "x", "connection_url": "postgresql://u:pw@h/d", "timeseries_tables": {"t": {"column_mapping_hd_to_db": {"a": "x", "b": "x"}}}}]`, "invertible"},
		{`[{"key": "m", "name": "x", "connection_url": "postgresql://u:pw@h/d", "create_engine_kwargs": {"pool_size": "big"}}]`, "pool_size"},
	} {
		_, err := Load([]string{"SQL_ADAPTER_SQL_DATABASES=" + tc.json})
		if err == nil || !strings.Contains(err.Error(), "SQL_ADAPTER_SQL_DATABASES") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.json, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), "pw") {
			t.Errorf("%s: the error shows the credentials: %v", tc.json, err)
		}
	}
	if _, err := Load([]string{"SQL_ADAPTER_ACTIVE=maybe"}); err == nil || !strings.Contains(err.Error(), "SQL_ADAPTER_ACTIVE") {
		t.Errorf("SQL_ADAPTER_ACTIVE=maybe: %v", err)
	}
	c, err := Load([]string{"SQL_ADAPTER_ACTIVE=false"})
	if err != nil || c.SQL.Active {
		t.Errorf("SQL_ADAPTER_ACTIVE=false: %v %+v", err, c.SQL)
	}
}
