// Package sql is hetida's sql-adapter on PostgreSQL (pgx, one connection pool per
// configured database): workflow inputs from queries, tables and timeseries tables,
// outputs appended to or replacing tables.
//
// Sources (the wiring's ref_key, else its ref_id):
//
//	<db>/query             DATAFRAME    filter sql_query: one SELECT/WITH, in a READ ONLY transaction
//	<db>/table/<t>         DATAFRAME    the whole table
//	<db>/ts_table/<t>      MULTITSFRAME filters metrics (JSON list, comma list or ALL),
//	                                    timestampFrom, timestampTo (closed interval, in SQL)
//	<db>/series_query      SERIES       filter sql_query returning a timestamp and a value
//	                                    column (beyond hetida; timestamps in UTC)
//
// Sinks, each request's sinks of one database written in one transaction with COPY:
//
//	<db>/append_table/<t>         DATAFRAME (or SERIES) appended; the table is created if missing
//	<db>/replace_table/<t>        DATAFRAME (or SERIES) replaces the table (dropped and created)
//	<db>/appendable_ts_table/<t>  MULTITSFRAME appended to a configured timeseries table
//
// Table and column names are always quoted identifiers and filter values are query
// parameters, so no wiring field reaches the SQL text except sql_query, which is fenced
// by checkQuery and the read-only transaction. Tables must be allowed by the database's
// configuration (append_tables, replace_tables, ignore_tables, explicit_source_tables,
// timeseries_tables). Rows are streamed from the server and reading stops at the point
// limit; every call honours its context. Sessions use the time zone UTC, so naive
// timestamps are read and compared as UTC, as hetida does.
//
// Error messages never contain the connection URL, the user name or the password.
package sql

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trafofn/trafofn/runtime/adapter"
)

// ID is the adapter id wirings use.
const ID = "sql-adapter"

// Config configures the adapter.
type Config struct {
	Databases []Database
	// ConnectTimeout bounds establishing one connection when the URL sets no
	// connect_timeout (default 10 s); an execution's own timeout bounds it as well.
	ConnectTimeout time.Duration
	Logger         *slog.Logger
}

// Database is one configured database (an entry of hetida's SQL_ADAPTER_SQL_DATABASES).
type Database struct {
	Key  string // the <db> of source and sink ids
	Name string
	// URL is a PostgreSQL connection URL (postgres:// or postgresql://); it carries the
	// credentials and is never logged or reported.
	URL           string
	AppendTables  []string
	ReplaceTables []string
	IgnoreTables  []string
	// SourceTables, when not nil, are the only tables offered as table sources
	// (hetida's explicit_source_tables).
	SourceTables     []string
	TimeseriesTables map[string]TimeseriesTable
	// MaxConns bounds the pool (0: pgx's default, the larger of 4 and the CPU count).
	MaxConns int32
}

// TimeseriesTable is hetida's TimeseriesTableConfig: a table in long format.
type TimeseriesTable struct {
	Appendable         bool
	MetricCol          string
	TimestampCol       string
	FetchableValueCols []string
	WritableValueCols  []string
	// HDToDB renames frame columns to table columns when writing; its inverse applies
	// when reading.
	HDToDB map[string]string
}

// Adapter is the sql-adapter; safe for concurrent use.
type Adapter struct {
	dbs map[string]*database
	log *slog.Logger
}

type database struct {
	Database
	pool     *pgxpool.Pool
	user     string
	password string
	host     string

	// After a failed connection attempt the database counts as down for holdDown:
	// executions using it fail at once instead of each waiting for its own connect
	// timeout while holding an in-flight slot. The next attempt after that probes again.
	mu        sync.Mutex
	downUntil time.Time
	downCause string
}

// holdDown is how long a database that could not be connected to is not tried again.
const holdDown = 5 * time.Second

// errDown is the failure of a database in its hold-down time.
type errDown struct{ cause string }

func (e *errDown) Error() string { return e.cause }

// begin starts a transaction, minding and updating the hold-down state.
func (d *database) begin(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error) {
	d.mu.Lock()
	down, cause := time.Now().Before(d.downUntil), d.downCause
	d.mu.Unlock()
	if down {
		return nil, &errDown{cause}
	}
	tx, err := d.pool.BeginTx(ctx, opts)
	var ce *pgconn.ConnectError
	switch {
	case err == nil:
		d.mu.Lock()
		d.downUntil, d.downCause = time.Time{}, ""
		d.mu.Unlock()
	case errors.As(err, &ce) && ctx.Err() == nil: // the connection failed, not the execution's time
		msg := d.failure(adapter.Binding{}, err).Message
		d.mu.Lock()
		d.downUntil, d.downCause = time.Now().Add(holdDown), msg
		d.mu.Unlock()
	}
	return tx, err
}

var (
	_ adapter.Source = (*Adapter)(nil)
	_ adapter.Sink   = (*Adapter)(nil)
)

// New builds the adapter. It connects to nothing yet: pools open connections when a
// request needs one, so an unreachable database fails the requests that use it, not the
// start-up. An invalid URL is an error naming the database key (never the URL).
func New(cfg Config) (*Adapter, error) {
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	a := &Adapter{dbs: make(map[string]*database, len(cfg.Databases)), log: cfg.Logger}
	for _, d := range cfg.Databases {
		if _, dup := a.dbs[d.Key]; dup {
			a.Close()
			return nil, fmt.Errorf("database key %q is configured twice", d.Key)
		}
		db, err := open(d, cfg.ConnectTimeout)
		if err != nil {
			a.Close()
			return nil, err
		}
		a.dbs[d.Key] = db
	}
	return a, nil
}

func open(d Database, connectTimeout time.Duration) (*database, error) {
	pc, err := pgxpool.ParseConfig(d.URL)
	if err != nil {
		// pgx's message quotes the URL (password masked): report only that it failed
		return nil, fmt.Errorf("database %q: connection_url is not a valid PostgreSQL URL", d.Key)
	}
	cc := pc.ConnConfig
	if cc.ConnectTimeout == 0 {
		cc.ConnectTimeout = connectTimeout
	}
	if cc.RuntimeParams == nil {
		cc.RuntimeParams = map[string]string{}
	}
	cc.RuntimeParams["timezone"] = "UTC"
	if _, ok := cc.RuntimeParams["application_name"]; !ok {
		cc.RuntimeParams["application_name"] = "trafofn"
	}
	// a cancelled context (execution timeout, point limit) asks the server to cancel the
	// statement, so that it stops working and the connection stays usable; a server that
	// does not react within a second loses the connection
	cc.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: pc, DeadlineDelay: time.Second}
	}
	// no statement cache: user queries are one-off, and a replaced table would leave
	// cached COPY descriptions stale
	cc.DefaultQueryExecMode = pgx.QueryExecModeDescribeExec
	if d.MaxConns > 0 {
		pc.MaxConns = d.MaxConns
	}
	pc.MinConns = 0
	pool, err := pgxpool.NewWithConfig(context.Background(), pc)
	if err != nil {
		return nil, fmt.Errorf("database %q: %s", d.Key, redact(err.Error(), cc.User, cc.Password))
	}
	return &database{Database: d, pool: pool, user: cc.User, password: cc.Password, host: fmt.Sprintf("%s:%d", cc.Host, cc.Port)}, nil
}

// Close closes every pool (idempotent).
func (a *Adapter) Close() {
	for _, d := range a.dbs {
		d.pool.Close()
	}
}

// Databases lists the configured database keys in sorted order.
func (a *Adapter) Databases() []string {
	keys := make([]string, 0, len(a.dbs))
	for k := range a.dbs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Host returns where database key lives (host:port; no credentials), for logs.
func (a *Adapter) Host(key string) string {
	if d, ok := a.dbs[key]; ok {
		return d.host
	}
	return ""
}

// ref is a parsed source or sink id: <db>/<kind>[/<table>].
type ref struct {
	db    *database
	kind  string
	table string
}

func (a *Adapter) parseRef(b adapter.Binding, sink bool) (ref, *adapter.Error) {
	what, example := "source", "<db>/table/<table>"
	if sink {
		what, example = "sink", "<db>/append_table/<table>"
	}
	id := b.Ref()
	if id == "" {
		return ref{}, fail(b, "the wiring sets neither ref_key nor ref_id (the %s id, e.g. %s)", what, example)
	}
	parts := strings.SplitN(id, "/", 3)
	db, ok := a.dbs[parts[0]]
	if !ok {
		known := strings.Join(a.Databases(), ", ")
		if known == "" {
			known = "none; see SQL_ADAPTER_SQL_DATABASES"
		}
		return ref{}, fail(b, "database %q is not configured (configured: %s)", parts[0], known)
	}
	r := ref{db: db}
	if len(parts) > 1 {
		r.kind = parts[1]
	}
	if len(parts) > 2 {
		r.table = parts[2]
	}
	kinds := []string{"query", "series_query", "table", "ts_table"}
	if sink {
		kinds = []string{"append_table", "replace_table", "appendable_ts_table"}
	}
	withTable := r.kind != "query" && r.kind != "series_query"
	if !slices.Contains(kinds, r.kind) || withTable && r.table == "" || !withTable && len(parts) > 2 {
		return ref{}, fail(b, "invalid %s id %q: expected <db>/%s", what, id, strings.Join(kindPatterns(kinds), " or <db>/"))
	}
	return r, nil
}

func kindPatterns(kinds []string) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k
		if k != "query" && k != "series_query" {
			out[i] += "/<table>"
		}
	}
	return out
}

// fail is a wiring failure of b with hetida's AdapterHandlingException.
func fail(b adapter.Binding, format string, args ...any) *adapter.Error {
	return adapter.WiringFailed("AdapterHandlingException", b, fmt.Sprintf(format, args...), nil)
}

// Load loads every binding, concurrently (each on a connection of its database's pool).
func (a *Adapter) Load(ctx context.Context, req adapter.LoadRequest) (map[string]any, error) {
	refs := make([]ref, len(req.Bindings))
	for i, b := range req.Bindings {
		r, err := a.parseRef(b, false)
		if err != nil {
			return nil, err
		}
		if err := r.checkSource(b); err != nil {
			return nil, err
		}
		refs[i] = r
	}
	out := make(map[string]any, len(req.Bindings))
	if len(req.Bindings) == 1 {
		v, err := a.load(ctx, refs[0], req.Bindings[0], req.MaxPoints)
		if err != nil {
			return nil, err
		}
		out[req.Bindings[0].Name] = v
		return out, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	vals := make([]any, len(refs))
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for i := range refs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = adapter.WiringFailed("AdapterHandlingException", req.Bindings[i], fmt.Sprintf("panic: %v", r), nil)
					}
					mu.Unlock()
					cancel()
				}
			}()
			v, err := a.load(ctx, refs[i], req.Bindings[i], req.MaxPoints)
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				cancel()
				return
			}
			vals[i] = v
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	for i, b := range req.Bindings {
		out[b.Name] = vals[i]
	}
	return out, nil
}

// checkSource enforces the configured table lists and the input's data type.
func (r ref) checkSource(b adapter.Binding) *adapter.Error {
	want := map[string]string{"query": "DATAFRAME", "table": "DATAFRAME", "ts_table": "MULTITSFRAME", "series_query": "SERIES"}[r.kind]
	if t := string(b.Type); t != "" && t != want && t != "ANY" {
		return fail(b, "the source %s delivers a %s, but input '%s' is a %s", r.kind, want, b.Name, t)
	}
	d := r.db
	switch r.kind {
	case "table":
		switch {
		case slices.Contains(d.IgnoreTables, r.table):
			return fail(b, "table %q of database %q is not offered as a source (ignore_tables)", r.table, d.Key)
		case d.SourceTables != nil && !slices.Contains(d.SourceTables, r.table):
			return fail(b, "table %q of database %q is not offered as a source (explicit_source_tables)", r.table, d.Key)
		}
		if _, ok := d.TimeseriesTables[r.table]; ok {
			return fail(b, "table %q of database %q is a timeseries table: use %s/ts_table/%s", r.table, d.Key, d.Key, r.table)
		}
	case "ts_table":
		if _, ok := d.TimeseriesTables[r.table]; !ok {
			return fail(b, "table %q of database %q is not a configured timeseries table (timeseries_tables)", r.table, d.Key)
		}
	}
	return nil
}

// checkSink enforces the configured sink tables.
func (r ref) checkSink(b adapter.Binding) *adapter.Error {
	d := r.db
	switch r.kind {
	case "append_table":
		if !slices.Contains(d.AppendTables, r.table) {
			return fail(b, "table %q of database %q is not an append table (append_tables)", r.table, d.Key)
		}
	case "replace_table":
		if !slices.Contains(d.ReplaceTables, r.table) {
			return fail(b, "table %q of database %q is not a replace table (replace_tables)", r.table, d.Key)
		}
	case "appendable_ts_table":
		ts, ok := d.TimeseriesTables[r.table]
		switch {
		case !ok:
			return fail(b, "table %q of database %q is not a configured timeseries table (timeseries_tables)", r.table, d.Key)
		case !ts.Appendable:
			return fail(b, "timeseries table %q of database %q is not appendable", r.table, d.Key)
		}
	}
	return nil
}

// Send writes the bindings, one transaction per database (in order of first appearance):
// either all sinks of a database are written or none is.
func (a *Adapter) Send(ctx context.Context, req adapter.SendRequest) (map[string]any, error) {
	type write struct {
		r ref
		b adapter.Binding
	}
	var order []*database
	byDB := map[*database][]write{}
	for _, b := range req.Bindings {
		r, err := a.parseRef(b, true)
		if err != nil {
			return nil, err
		}
		if err := r.checkSink(b); err != nil {
			return nil, err
		}
		if _, seen := byDB[r.db]; !seen {
			order = append(order, r.db)
		}
		byDB[r.db] = append(byDB[r.db], write{r, b})
	}
	for _, d := range order {
		ws := byDB[d]
		tx, err := d.begin(ctx, pgx.TxOptions{})
		if err != nil {
			return nil, d.failure(ws[0].b, err)
		}
		for _, w := range ws {
			if err := a.write(ctx, tx, w.r, w.b, req.Values[w.b.Name]); err != nil {
				_ = tx.Rollback(context.WithoutCancel(ctx))
				var ae *adapter.Error
				if errors.As(err, &ae) {
					return nil, ae
				}
				return nil, d.failure(w.b, err)
			}
		}
		if err := tx.Commit(ctx); err != nil {
			return nil, d.failure(ws[len(ws)-1].b, err)
		}
	}
	return map[string]any{}, nil
}

// redact removes credentials from a message: the password and user name, and any URL
// with user information.
func redact(msg, user, password string) string {
	if password != "" {
		msg = strings.ReplaceAll(msg, password, "***")
		if esc := url.QueryEscape(password); esc != password {
			msg = strings.ReplaceAll(msg, esc, "***")
		}
	}
	if user != "" {
		msg = strings.ReplaceAll(msg, `"`+user+`"`, `"***"`)
		msg = strings.ReplaceAll(msg, "user="+user, "user=***")
	}
	return msg
}
