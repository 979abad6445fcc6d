package main

import (
	"log/slog"

	"github.com/trafofn/trafofn/internal/config"
	"github.com/trafofn/trafofn/runtime/adapter"
	sqladapter "github.com/trafofn/trafofn/runtime/adapter/sql"
)

// setupSQLAdapter registers the sql-adapter (SQL_ADAPTER_ACTIVE, default on) with the
// databases of SQL_ADAPTER_SQL_DATABASES. Pools connect on first use, so an unreachable
// database does not hold up start-up.
func setupSQLAdapter(cfg *config.Config, log *slog.Logger, reg *adapter.Registry) (func(), error) {
	if !cfg.SQL.Active {
		return nil, nil
	}
	sc := sqlAdapterConfig(cfg)
	sc.Logger = log
	a, err := sqladapter.New(sc)
	if err != nil {
		return nil, &config.Error{Var: "SQL_ADAPTER_SQL_DATABASES", Msg: err.Error()}
	}
	id := adapter.StrID(sqladapter.ID)
	reg.RegisterSource(id, a)
	reg.RegisterSink(id, a)
	// trafofn serves no adapter browsing API: the listing names the adapter only
	reg.Describe(adapter.Info{ID: sqladapter.ID, Name: "SQL Adapter"})
	for _, key := range a.Databases() {
		log.Info("sql-adapter database", "key", key, "host", a.Host(key))
	}
	return a.Close, nil
}

// sqlAdapterConfig maps the environment onto the sql-adapter (internal/config has
// validated it).
func sqlAdapterConfig(cfg *config.Config) sqladapter.Config {
	var sc sqladapter.Config
	for _, d := range cfg.SQL.Databases {
		db := sqladapter.Database{
			Key: d.Key, Name: d.Name, URL: d.URL,
			AppendTables: d.AppendTables, ReplaceTables: d.ReplaceTables, IgnoreTables: d.IgnoreTables,
			SourceTables: d.SourceTables, MaxConns: int32(d.MaxConns),
		}
		if len(d.TimeseriesTables) > 0 {
			db.TimeseriesTables = make(map[string]sqladapter.TimeseriesTable, len(d.TimeseriesTables))
		}
		for _, t := range d.TimeseriesTables {
			db.TimeseriesTables[t.Table] = sqladapter.TimeseriesTable{
				Appendable: t.Appendable, MetricCol: t.MetricCol, TimestampCol: t.TimestampCol,
				FetchableValueCols: t.FetchableValueCols, WritableValueCols: t.WritableValueCols, HDToDB: t.HDToDB,
			}
		}
		sc.Databases = append(sc.Databases, db)
	}
	return sc
}
