package sql

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// write writes one output inside the database's transaction tx: a missing table is
// created from the frame's dtypes (as pandas' to_sql does), replace tables are dropped and
// created anew, and the rows go in with COPY.
func (a *Adapter) write(ctx context.Context, tx pgx.Tx, r ref, b adapter.Binding, v any) error {
	f, err := sinkFrame(r, b, v)
	if err != nil {
		return err
	}
	names := make([]string, len(f.Names))
	for i, n := range f.Names {
		names[i] = wire.LabelString(n)
		if slices.Contains(names[:i], names[i]) {
			return fail(b, "Duplicate column names: the output has two columns %q", names[i])
		}
	}
	table := pgx.Identifier{r.table}.Sanitize()
	defs := make([]string, len(names))
	for i, n := range names {
		defs[i] = pgx.Identifier{n}.Sanitize() + " " + sqlType(f.Columns[i])
	}
	create := "CREATE TABLE " + table + " (" + strings.Join(defs, ", ") + ")"
	if r.kind == "replace_table" {
		if _, err := tx.Exec(ctx, "DROP TABLE IF EXISTS "+table); err != nil {
			return r.db.failure(b, err)
		}
		if _, err := tx.Exec(ctx, create); err != nil {
			return r.db.failure(b, err)
		}
	} else {
		var exists bool
		if err := tx.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&exists); err != nil {
			return r.db.failure(b, err)
		}
		if !exists {
			// concurrent first appends would race on CREATE TABLE IF NOT EXISTS
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext($1))", table); err != nil {
				return r.db.failure(b, err)
			}
			if _, err := tx.Exec(ctx, strings.Replace(create, "CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", 1)); err != nil {
				return r.db.failure(b, err)
			}
		}
	}
	if f.Len() == 0 || len(names) == 0 {
		return nil
	}
	src := newFrameRows(ctx, f)
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{r.table}, names, src); err != nil {
		if src.err != nil {
			return fail(b, "%v", src.err)
		}
		return r.db.failure(b, err)
	}
	return nil
}

// sinkFrame is the frame a sink writes: a DataFrame as it is, a SERIES as the two columns
// timestamp (its index; "index" when that holds no timestamps) and its values (named after
// the series, "value" when unnamed); for a timeseries table the validated MULTITSFRAME
// with the configured column mapping, cut to the metric, timestamp and writable columns.
func sinkFrame(r ref, b adapter.Binding, v any) (*data.DataFrame, error) {
	if r.kind == "appendable_ts_table" {
		f, ok := v.(*data.DataFrame)
		if !ok {
			return nil, fail(b, "output '%s' is not a MULTITSFRAME (got %s)", b.Name, kindOf(v))
		}
		f, err := wire.ValidateMultiTSFrame(f)
		if err != nil {
			return nil, fail(b, "Could not validate multi ts frame prepared for sending: %v", err)
		}
		cfg := r.db.TimeseriesTables[r.table]
		have := make([]string, len(f.Names))
		for i, n := range f.Names {
			have[i] = wire.LabelString(n)
			if db, ok := cfg.HDToDB[have[i]]; ok {
				have[i] = db
			}
		}
		want := append([]string{cfg.MetricCol, cfg.TimestampCol}, cfg.WritableValueCols...)
		out := &data.DataFrame{Index: f.Index}
		for _, w := range want {
			i := slices.Index(have, w)
			if i < 0 {
				return nil, fail(b, "Could not find expected columns %s in the provided dataframe columns %s.", pyList(want), pyList(have))
			}
			out.Names = append(out.Names, w)
			out.Columns = append(out.Columns, f.Columns[i])
		}
		return out, nil
	}
	switch x := v.(type) {
	case *data.DataFrame:
		return x, nil
	case *data.Series:
		idx := "timestamp"
		if x.Index.DType != data.Datetime {
			idx = "index"
		}
		var name any = "value"
		if x.Name != nil {
			name = wire.LabelString(x.Name)
		}
		return data.NewDataFrame(data.Range(x.Len()), []any{idx, name}, []data.Column{x.Index, x.Values}), nil
	}
	return nil, fail(b, "output '%s' is not a DATAFRAME or SERIES (got %s)", b.Name, kindOf(v))
}

func kindOf(v any) string {
	switch v.(type) {
	case *data.DataFrame:
		return "a DataFrame"
	case *data.Series:
		return "a Series"
	case nil:
		return "None"
	}
	return fmt.Sprintf("%T", v)
}

func pyList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = "'" + x + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// sqlType is the column type of a created table, after pandas' to_sql on PostgreSQL:
// float64 DOUBLE PRECISION, int64 BIGINT, bool BOOLEAN, naive datetimes TIMESTAMP, aware
// ones TIMESTAMP WITH TIME ZONE, timedeltas BIGINT nanoseconds; object columns by their
// values (strings TEXT, all booleans BOOLEAN, integers BIGINT, numbers DOUBLE PRECISION,
// timestamps by awareness, anything else TEXT).
func sqlType(c data.Column) string {
	switch c.DType {
	case data.Float64:
		return "DOUBLE PRECISION"
	case data.Int64, data.Timedeltas:
		return "BIGINT"
	case data.Bool:
		return "BOOLEAN"
	case data.Datetime:
		if c.Zone.Aware {
			return "TIMESTAMP WITH TIME ZONE"
		}
		return "TIMESTAMP"
	}
	kind := ""
	for _, v := range c.O {
		k := "TEXT"
		switch x := v.(type) {
		case nil:
			continue
		case float64:
			if x != x {
				continue
			}
			k = "DOUBLE PRECISION"
		case bool:
			k = "BOOLEAN"
		case int64:
			k = "BIGINT"
		case data.Timestamp:
			if x.IsNaT() {
				continue
			}
			k = "TIMESTAMP"
			if x.Zone.Aware {
				k = "TIMESTAMP WITH TIME ZONE"
			}
		}
		switch {
		case kind == "" || kind == k:
			kind = k
		case kind == "BIGINT" && k == "DOUBLE PRECISION", kind == "DOUBLE PRECISION" && k == "BIGINT":
			kind = "DOUBLE PRECISION"
		default:
			return "TEXT"
		}
	}
	if kind == "" {
		return "TEXT"
	}
	return kind
}

// frameRows feeds a frame's rows to COPY: missing values (NaN, NaT, None) as NULL,
// timestamps as instants (naive ones as UTC wall time), timedeltas as nanoseconds,
// JSON-like objects as JSON text. It asks its context every CheckEvery rows.
type frameRows struct {
	ctx  context.Context
	cols []data.Column
	n, i int
	row  []any
	err  error
}

func newFrameRows(ctx context.Context, f *data.DataFrame) *frameRows {
	return &frameRows{ctx: ctx, cols: f.Columns, n: f.Len(), i: -1, row: make([]any, len(f.Columns))}
}

func (r *frameRows) Next() bool {
	r.i++
	if r.i%data.CheckEvery == 0 && r.ctx.Err() != nil {
		r.err = r.ctx.Err()
		return false
	}
	return r.i < r.n
}

func (r *frameRows) Values() ([]any, error) {
	for j, c := range r.cols {
		v, err := copyValue(c, r.i)
		if err != nil {
			r.err = err
			return nil, err
		}
		r.row[j] = v
	}
	return r.row, nil
}

func (r *frameRows) Err() error { return r.err }

func copyValue(c data.Column, i int) (any, error) {
	switch c.DType {
	case data.Float64:
		if f := c.F[i]; f == f {
			return f, nil
		}
		return nil, nil
	case data.Int64:
		return c.I[i], nil
	case data.Bool:
		return c.B[i], nil
	case data.Datetime:
		if c.I[i] == data.NaT {
			return nil, nil
		}
		return time.Unix(0, c.I[i]).UTC(), nil
	case data.Timedeltas:
		if c.I[i] == data.NaT {
			return nil, nil
		}
		return c.I[i], nil
	}
	switch x := c.O[i].(type) {
	case nil, string, bool, int64:
		return x, nil
	case float64:
		if x != x {
			return nil, nil
		}
		return x, nil
	case data.Timestamp:
		if x.IsNaT() {
			return nil, nil
		}
		return time.Unix(0, x.NS).UTC(), nil
	case data.Timedelta:
		if x.NS == data.NaT {
			return nil, nil
		}
		return x.NS, nil
	case *data.Dict, []any:
		b, err := wire.AppendValue(nil, x)
		if err != nil {
			return nil, err
		}
		return string(b), nil
	}
	return data.PyStr(c.O[i]), nil
}
