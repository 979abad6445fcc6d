package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// SQLAdapter is the sql-adapter's configuration, with hetida's variables.
type SQLAdapter struct {
	Active bool `env:"SQL_ADAPTER_ACTIVE" envDefault:"true"`
	// DatabasesJSON is hetida's JSON list of databases; Load parses it into Databases.
	DatabasesJSON string `env:"SQL_ADAPTER_SQL_DATABASES" envDefault:"[]"`

	Databases []SQLDatabase `env:"-"`
}

// SQLDatabase is one entry of SQL_ADAPTER_SQL_DATABASES (hetida's SQLAdapterDBConfig).
type SQLDatabase struct {
	Name string
	Key  string
	// URL is the connection URL as a PostgreSQL URL (SQLAlchemy's driver suffix removed).
	// It holds the credentials: never log it.
	URL           string
	AppendTables  []string
	ReplaceTables []string
	IgnoreTables  []string
	// SourceTables is explicit_source_tables: nil offers every table.
	SourceTables []string
	// TimeseriesTables in order of their names.
	TimeseriesTables []SQLTimeseriesTable
	// MaxConns is create_engine_kwargs' pool_size + max_overflow (SQLAlchemy's bound on
	// open connections); 0 when neither is given.
	MaxConns int
}

// SQLTimeseriesTable is hetida's TimeseriesTableConfig of one table.
type SQLTimeseriesTable struct {
	Table              string
	Appendable         bool
	MetricCol          string
	TimestampCol       string
	FetchableValueCols []string
	WritableValueCols  []string
	HDToDB             map[string]string
}

// sqlDatabaseJSON is an entry as hetida reads it (unknown keys are ignored, as pydantic
// does); pointers tell missing keys from given ones.
type sqlDatabaseJSON struct {
	ConnectionURL        *string                      `json:"connection_url"`
	Name                 *string                      `json:"name"`
	Key                  *string                      `json:"key"`
	AppendTables         []string                     `json:"append_tables"`
	ReplaceTables        []string                     `json:"replace_tables"`
	IgnoreTables         []string                     `json:"ignore_tables"`
	ExplicitSourceTables *[]string                    `json:"explicit_source_tables"`
	TimeseriesTables     map[string]sqlTimeseriesJSON `json:"timeseries_tables"`
	CreateEngineKwargs   map[string]json.RawMessage   `json:"create_engine_kwargs"`
}

type sqlTimeseriesJSON struct {
	Appendable         *bool             `json:"appendable"`
	MetricCol          *string           `json:"metric_col_name"`
	TimestampCol       *string           `json:"timestamp_col_name"`
	FetchableValueCols *[]string         `json:"fetchable_value_cols"`
	WritableValueCols  *[]string         `json:"writable_value_cols"`
	HDToDB             map[string]string `json:"column_mapping_hd_to_db"`
}

// pythonIdentifier is hetida's rule for database keys (valid_python_identifier).
var pythonIdentifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// postgresSchemes are the URL schemes taken for PostgreSQL: libpq's and SQLAlchemy's
// (with any driver, e.g. postgresql+psycopg2).
func postgresScheme(s string) bool {
	base, _, _ := strings.Cut(strings.ToLower(s), "+")
	return base == "postgresql" || base == "postgres"
}

// validateSQL parses SQL_ADAPTER_SQL_DATABASES. Errors name the variable and the
// database key, never the connection URL.
func (c *Config) validateSQL() error {
	const v = "SQL_ADAPTER_SQL_DATABASES"
	s := &c.SQL
	raw := strings.TrimSpace(s.DatabasesJSON)
	if raw == "" {
		raw = "[]"
	}
	var entries []sqlDatabaseJSON
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	if err := dec.Decode(&entries); err != nil {
		return &Error{Var: v, Msg: "not a JSON list of databases: " + err.Error()}
	}
	s.Databases = nil
	for i, e := range entries {
		at := fmt.Sprintf("entry %d", i)
		if e.Key == nil || e.Name == nil || e.ConnectionURL == nil {
			return &Error{Var: v, Msg: at + ": name, key and connection_url are required"}
		}
		at = fmt.Sprintf("database %q", *e.Key)
		if !pythonIdentifier.MatchString(*e.Key) {
			return &Error{Var: v, Msg: at + ": the key must be a Python identifier (letters, digits, _)"}
		}
		for _, d := range s.Databases {
			if d.Key == *e.Key {
				return &Error{Var: v, Msg: at + ": configured db keys not unique"}
			}
		}
		u, err := url.Parse(*e.ConnectionURL)
		if err != nil {
			return &Error{Var: v, Msg: at + ": connection_url is not a URL"}
		}
		if !postgresScheme(u.Scheme) {
			return &Error{Var: v, Msg: fmt.Sprintf("%s: connection_url scheme %q is not PostgreSQL (trafofn's sql-adapter speaks PostgreSQL only: postgresql://, postgres://, postgresql+<driver>://)", at, u.Scheme)}
		}
		u.Scheme = "postgresql"
		d := SQLDatabase{Name: *e.Name, Key: *e.Key, URL: u.String(),
			AppendTables: e.AppendTables, ReplaceTables: e.ReplaceTables, IgnoreTables: e.IgnoreTables}
		if e.ExplicitSourceTables != nil {
			d.SourceTables = append([]string{}, *e.ExplicitSourceTables...)
		}
		for k, raw := range e.CreateEngineKwargs {
			switch k {
			case "pool_size", "max_overflow":
				var n int
				if err := json.Unmarshal(raw, &n); err != nil || n < 0 {
					return &Error{Var: v, Msg: fmt.Sprintf("%s: create_engine_kwargs.%s must be a non-negative integer", at, k)}
				}
				if d.MaxConns += n; d.MaxConns > 10000 {
					return &Error{Var: v, Msg: at + ": create_engine_kwargs allow more than 10000 connections"}
				}
			default:
				c.Ignored = append(c.Ignored, fmt.Sprintf("%s: %s.create_engine_kwargs.%s", v, *e.Key, k))
			}
		}
		names := make([]string, 0, len(e.TimeseriesTables))
		for t := range e.TimeseriesTables {
			names = append(names, t)
		}
		sort.Strings(names)
		for _, t := range names {
			tj := e.TimeseriesTables[t]
			tt := SQLTimeseriesTable{Table: t, Appendable: true, MetricCol: "metric", TimestampCol: "timestamp",
				FetchableValueCols: []string{"value"}, WritableValueCols: []string{"value"}, HDToDB: tj.HDToDB}
			if tj.Appendable != nil {
				tt.Appendable = *tj.Appendable
			}
			if tj.MetricCol != nil {
				tt.MetricCol = *tj.MetricCol
			}
			if tj.TimestampCol != nil {
				tt.TimestampCol = *tj.TimestampCol
			}
			if tj.FetchableValueCols != nil {
				tt.FetchableValueCols = *tj.FetchableValueCols
			}
			if tj.WritableValueCols != nil {
				tt.WritableValueCols = *tj.WritableValueCols
			}
			seen := map[string]bool{}
			for _, db := range tt.HDToDB {
				if seen[db] {
					return &Error{Var: v, Msg: fmt.Sprintf("%s: timeseries table %q: column mapping must be invertible", at, t)}
				}
				seen[db] = true
			}
			if tt.MetricCol == "" || tt.TimestampCol == "" {
				return &Error{Var: v, Msg: fmt.Sprintf("%s: timeseries table %q: metric_col_name and timestamp_col_name must not be empty", at, t)}
			}
			if slices.Contains(tt.FetchableValueCols, "") || slices.Contains(tt.WritableValueCols, "") {
				return &Error{Var: v, Msg: fmt.Sprintf("%s: timeseries table %q: value column names must not be empty", at, t)}
			}
			d.TimeseriesTables = append(d.TimeseriesTables, tt)
		}
		s.Databases = append(s.Databases, d)
	}
	return nil
}
