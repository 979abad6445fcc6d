package sql

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// load reads one source.
func (a *Adapter) load(ctx context.Context, r ref, b adapter.Binding, maxPoints int) (any, error) {
	switch r.kind {
	case "query", "series_query":
		q, ok := b.Filters.Get("sql_query")
		if !ok || strings.TrimSpace(q) == "" {
			return nil, fail(b, "source %s/%s needs the filter sql_query", r.db.Key, r.kind)
		}
		q, err := checkQuery(q)
		if err != nil {
			return nil, fail(b, "sql_query refused: %v", err)
		}
		res, err := r.db.read(ctx, b, q, nil, maxPoints, false)
		if err != nil {
			return nil, err
		}
		if r.kind == "series_query" {
			return res.series(b)
		}
		return res.frame(), nil
	case "table":
		q := "SELECT * FROM " + pgx.Identifier{r.table}.Sanitize()
		res, err := r.db.read(ctx, b, q, nil, maxPoints, true)
		if err != nil {
			return nil, err
		}
		return res.frame(), nil
	case "ts_table":
		return r.db.loadTS(ctx, b, r.table, maxPoints)
	}
	return nil, fail(b, "unknown source kind %q", r.kind)
}

// loadTS reads the rows of a timeseries table inside the filters' closed time interval,
// for the filters' metrics, ordered by timestamp and metric.
func (d *database) loadTS(ctx context.Context, b adapter.Binding, table string, maxPoints int) (any, error) {
	cfg := d.TimeseriesTables[table]
	from, to, err := timeRange(b)
	if err != nil {
		return nil, err
	}
	metricsFilter, _ := b.Filters.Get("metrics")
	var metrics []string
	all := strings.EqualFold(strings.TrimSpace(metricsFilter), "ALL")
	if !all {
		metrics = splitMetrics(metricsFilter)
	}
	ts, metric := pgx.Identifier{cfg.TimestampCol}.Sanitize(), pgx.Identifier{cfg.MetricCol}.Sanitize()
	cols := []string{ts, metric}
	for _, c := range cfg.FetchableValueCols {
		cols = append(cols, pgx.Identifier{c}.Sanitize())
	}
	var q strings.Builder
	fmt.Fprintf(&q, "SELECT %s FROM %s WHERE %s >= $1 AND %s <= $2", strings.Join(cols, ", "), pgx.Identifier{table}.Sanitize(), ts, ts)
	args := []any{time.Unix(0, from).UTC(), time.Unix(0, to).UTC()}
	if !all {
		// compared as text, so that integer metric ids match their strings as in hetida
		fmt.Fprintf(&q, " AND %s::text = ANY($3::text[])", metric)
		args = append(args, metrics)
	}
	fmt.Fprintf(&q, " ORDER BY %s, %s", ts, metric)
	res, err := d.read(ctx, b, q.String(), args, maxPoints, true)
	if err != nil {
		return nil, err
	}
	f := res.frame()
	// timestamps are UTC: aware ones by the session's zone, naive ones by assumption
	if f.Len() > 0 {
		tc := f.Columns[0]
		if tc.DType != data.Datetime {
			return nil, fail(b, "column %q of timeseries table %q is not a timestamp (got %s)", cfg.TimestampCol, table, tc.DType)
		}
		tc.Zone = data.UTC
		f.Columns[0] = tc
	}
	// metric as strings (hetida: astype(str)), whatever the column's type
	if mc := f.Columns[1]; mc.DType != data.Object {
		ms := make([]any, mc.Len())
		for i := range ms {
			ms[i] = data.PyStr(mc.At(i))
		}
		f.Columns[1] = data.Objects(ms)
	}
	inverse := make(map[string]string, len(cfg.HDToDB))
	for hd, db := range cfg.HDToDB {
		inverse[db] = hd
	}
	for i, n := range f.Names {
		if hd, ok := inverse[n.(string)]; ok {
			f.Names[i] = hd
		}
	}
	var ref any
	if !all {
		l := make([]any, len(metrics))
		for i, m := range metrics {
			l[i] = m
		}
		ref = l
	}
	attrs := data.NewDict(4)
	attrs.Set("ref_interval_start_timestamp", pyISO(from))
	attrs.Set("ref_interval_end_timestamp", pyISO(to))
	attrs.Set("ref_interval_type", "closed")
	attrs.Set("ref_metrics", ref)
	f.Attrs = attrs
	return f, nil
}

// pyISO is Python's datetime.isoformat() of a UTC instant (microseconds when not zero).
func pyISO(ns int64) string {
	t := time.Unix(0, ns).UTC()
	if t.Nanosecond()/1000 != 0 {
		return t.Format("2006-01-02T15:04:05.000000") + "+00:00"
	}
	return t.Format("2006-01-02T15:04:05") + "+00:00"
}

// timeRange reads the filters timestampFrom and timestampTo (ISO 8601; naive means UTC).
func timeRange(b adapter.Binding) (from, to int64, err error) {
	fs, okF := b.Filters.Get("timestampFrom")
	ts, okT := b.Filters.Get("timestampTo")
	if !okF || !okT {
		return 0, 0, fail(b, "Missing timestamp filters for multitsframe timeseries table source")
	}
	from, errF := parseTime(fs)
	to, errT := parseTime(ts)
	if errF != nil || errT != nil {
		return 0, 0, fail(b, "Could not parse one of multitsframe timestamp filters: (timestampFrom: %s), (timestampTo: %s).", fs, ts)
	}
	return from, to, nil
}

func parseTime(s string) (int64, error) {
	ns, _, err := data.ParseISO(strings.TrimSpace(s))
	if err == nil && ns == data.NaT {
		err = fmt.Errorf("NaT")
	}
	return ns, err
}

// splitMetrics reads the metrics filter as hetida does: a JSON list of strings, else a
// comma-separated list (items trimmed, empty items dropped).
func splitMetrics(s string) []string {
	var l []string
	if err := json.Unmarshal([]byte(s), &l); err == nil {
		return l
	}
	out := []string{}
	for _, x := range strings.Split(s, ",") {
		if x != "" {
			out = append(out, strings.TrimSpace(x))
		}
	}
	return out
}

// result is a query's columns as built from the streamed rows.
type result struct {
	names []string
	cols  []*colBuilder
	n     int
}

// read runs q (with parameters args) in a READ ONLY transaction and builds its columns
// while the rows stream in; more than maxPoints rows fail the binding. limited says that
// q may get a LIMIT appended (our own statements), so that the server stops at the limit;
// user queries are stopped by cancelling them.
func (d *database) read(ctx context.Context, b adapter.Binding, q string, args []any, maxPoints int, limited bool) (*result, error) {
	if maxPoints > 0 && limited {
		q += " LIMIT " + strconv.Itoa(maxPoints+1)
	}
	tx, err := d.begin(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, d.failure(b, err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	qctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rows, err := tx.Query(qctx, q, append([]any{resultFormats}, args...)...)
	if err != nil {
		return nil, d.failure(b, err)
	}
	defer rows.Close()
	fds := rows.FieldDescriptions()
	res := &result{names: make([]string, len(fds)), cols: make([]*colBuilder, len(fds))}
	for i, fd := range fds {
		res.names[i] = fd.Name
		if res.cols[i], err = newColBuilder(fd.DataTypeOID, fd.Format); err != nil {
			return nil, fail(b, "column %q: %v", fd.Name, err)
		}
	}
	for rows.Next() {
		res.n++
		if maxPoints > 0 && res.n > maxPoints {
			cancel() // stop the server's work on a query that has no LIMIT
			return nil, adapter.TooManyPoints(b, maxPoints)
		}
		raw := rows.RawValues()
		for i, c := range res.cols {
			if err := c.add(raw[i]); err != nil {
				cancel()
				return nil, fail(b, "column %q, row %d: %v", res.names[i], res.n, err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, d.failure(b, err)
	}
	return res, nil
}

// frame is the result as a DataFrame with a RangeIndex; an empty result has object
// columns, as pandas' read_sql gives.
func (r *result) frame() *data.DataFrame {
	names := make([]any, len(r.names))
	cols := make([]data.Column, len(r.cols))
	for i, c := range r.cols {
		names[i] = r.names[i]
		if r.n == 0 {
			cols[i] = data.Objects([]any{})
		} else {
			cols[i] = c.column()
		}
	}
	return data.NewDataFrame(data.Range(r.n), names, cols)
}

// series is the result of a series_query: the columns "timestamp" and "value" when it
// has them, else exactly two columns, the first the timestamps. Timestamps become UTC
// (naive ones are taken as UTC; ISO 8601 text is parsed); the series keeps the query's
// row order and is unnamed, like a series given directly, so that a workflow fed from SQL
// computes exactly what it computes from the same data in the message.
func (r *result) series(b adapter.Binding) (*data.Series, error) {
	ti, vi := -1, -1
	for i, n := range r.names {
		switch n {
		case "timestamp":
			ti = i
		case "value":
			vi = i
		}
	}
	if ti < 0 || vi < 0 {
		if len(r.names) != 2 {
			return nil, fail(b, "series_query must return two columns, a timestamp and a value (or columns named timestamp and value), got %d: %s", len(r.names), strings.Join(r.names, ", "))
		}
		ti, vi = 0, 1
	}
	idx := r.cols[ti].column()
	switch {
	case r.n == 0:
		idx = data.Datetimes([]int64{}, data.UTC)
	case idx.DType == data.Datetime:
		idx.Zone = data.UTC
	case idx.DType == data.Object:
		ns := make([]int64, len(idx.O))
		for i, v := range idx.O {
			s, ok := v.(string)
			if v == nil {
				ns[i] = data.NaT
				continue
			}
			t, z, err := data.ParseISO(s)
			if !ok || err != nil {
				return nil, fail(b, "series_query: the timestamp %s in row %d is not an ISO 8601 timestamp", data.PyRepr(v), i+1)
			}
			_ = z // aware values are stored as UTC nanoseconds, naive ones taken as UTC
			ns[i] = t
		}
		idx = data.Datetimes(ns, data.UTC)
	default:
		return nil, fail(b, "series_query: column %q holds %s values, not timestamps", r.names[ti], idx.DType)
	}
	vals := r.cols[vi].column()
	if r.n == 0 {
		vals = data.Floats([]float64{})
	}
	return data.NewSeries(nil, idx, vals), nil
}

// resultFormats asks for the binary form of the types decoded here directly and for the
// text form of every other type (numeric, time, inet, json, arrays, enums …).
var resultFormats = pgx.QueryResultFormatsByOID{
	pgtype.BoolOID: pgtype.BinaryFormatCode, pgtype.Int2OID: pgtype.BinaryFormatCode,
	pgtype.Int4OID: pgtype.BinaryFormatCode, pgtype.Int8OID: pgtype.BinaryFormatCode,
	pgtype.Float4OID: pgtype.BinaryFormatCode, pgtype.Float8OID: pgtype.BinaryFormatCode,
	pgtype.TimestampOID: pgtype.BinaryFormatCode, pgtype.TimestamptzOID: pgtype.BinaryFormatCode,
	pgtype.DateOID: pgtype.BinaryFormatCode, pgtype.IntervalOID: pgtype.BinaryFormatCode,
	pgtype.UUIDOID: pgtype.BinaryFormatCode, pgtype.ByteaOID: pgtype.BinaryFormatCode,
	pgtype.TextOID: pgtype.BinaryFormatCode, pgtype.VarcharOID: pgtype.BinaryFormatCode,
	pgtype.BPCharOID: pgtype.BinaryFormatCode, pgtype.NameOID: pgtype.BinaryFormatCode,
}

// colKind is how a result column is decoded and stored.
type colKind uint8

const (
	kindInt      colKind = iota // int2, int4, int8, oid → Int64 (Float64 with NaN when NULLs occur)
	kindFloat                   // float4, float8, numeric → Float64, NULL → NaN
	kindBool                    // bool → Bool (Object True/False/None when NULLs occur)
	kindTime                    // timestamp, date → Datetime naive (callers may set a zone), NULL → NaT
	kindTimeTZ                  // timestamptz → Datetime UTC
	kindInterval                // interval → Timedeltas (a month is 30 days, as psycopg2), NULL → NaT
	kindText                    // text, varchar, char, name → Object strings, NULL → None
	kindUUID                    // uuid → Object strings
	kindJSON                    // json, jsonb → Object of decoded JSON values
	kindBytes                   // bytea → Object strings in PostgreSQL's hex form \x…
	kindOther                   // anything else → Object strings: PostgreSQL's text form
)

// colBuilder accumulates one column's values while rows stream in. The value formats are
// the ones resultFormats asks for.
type colBuilder struct {
	kind colKind
	oid  uint32
	i    []int64
	f    []float64
	b    []bool
	o    []any
	null []bool // NULL positions of Int and Bool columns (nil until the first NULL)
	// intern shares the boxed strings of a text column that repeats few values (metric
	// names, categories): one allocation per distinct value instead of two per row
	intern map[string]any
}

// maxInterned bounds a column's interned strings; beyond it new values are not interned.
const maxInterned = 4096

func newColBuilder(oid uint32, format int16) (*colBuilder, error) {
	c := &colBuilder{oid: oid}
	switch oid {
	case pgtype.Int2OID, pgtype.Int4OID, pgtype.Int8OID, pgtype.OIDOID:
		c.kind = kindInt
	case pgtype.Float4OID, pgtype.Float8OID, pgtype.NumericOID:
		c.kind = kindFloat
	case pgtype.BoolOID:
		c.kind = kindBool
	case pgtype.TimestampOID, pgtype.DateOID:
		c.kind = kindTime
	case pgtype.TimestamptzOID:
		c.kind = kindTimeTZ
	case pgtype.IntervalOID:
		c.kind = kindInterval
	case pgtype.TextOID, pgtype.VarcharOID, pgtype.BPCharOID, pgtype.NameOID:
		c.kind = kindText
	case pgtype.UUIDOID:
		c.kind = kindUUID
	case pgtype.JSONOID, pgtype.JSONBOID:
		c.kind = kindJSON
	case pgtype.ByteaOID:
		c.kind = kindBytes
	default:
		c.kind = kindOther
	}
	if want := resultFormats[oid]; format != want {
		return nil, fmt.Errorf("the server sent type %d in format %d, not %d", oid, format, want)
	}
	return c, nil
}

// pgEpochMicros is 2000-01-01 (PostgreSQL's epoch) in microseconds since 1970.
const pgEpochMicros = 946684800 * 1000000

func (c *colBuilder) add(raw []byte) error {
	if raw == nil {
		c.addNull()
		return nil
	}
	switch c.kind {
	case kindInt:
		var v int64
		switch {
		case c.oid == pgtype.OIDOID: // text
			u, err := strconv.ParseUint(string(raw), 10, 32)
			if err != nil {
				return err
			}
			v = int64(u)
		case len(raw) == 2:
			v = int64(int16(binary.BigEndian.Uint16(raw)))
		case len(raw) == 4:
			v = int64(int32(binary.BigEndian.Uint32(raw)))
		case len(raw) == 8:
			v = int64(binary.BigEndian.Uint64(raw))
		default:
			return fmt.Errorf("integer of %d bytes", len(raw))
		}
		c.i = append(c.i, v)
		if c.null != nil {
			c.null = append(c.null, false)
		}
	case kindFloat:
		var v float64
		switch {
		case c.oid == pgtype.Float8OID && len(raw) == 8:
			v = math.Float64frombits(binary.BigEndian.Uint64(raw))
		case c.oid == pgtype.Float4OID && len(raw) == 4:
			v = float64(math.Float32frombits(binary.BigEndian.Uint32(raw)))
		case c.oid == pgtype.NumericOID: // text: digits, NaN, Infinity
			f, err := strconv.ParseFloat(string(raw), 64)
			if err != nil && !errors.Is(err, strconv.ErrRange) {
				return err
			}
			v = f
		default:
			return fmt.Errorf("float of %d bytes", len(raw))
		}
		c.f = append(c.f, v)
	case kindBool:
		if len(raw) != 1 {
			return fmt.Errorf("boolean of %d bytes", len(raw))
		}
		c.b = append(c.b, raw[0] != 0)
		if c.null != nil {
			c.null = append(c.null, false)
		}
	case kindTime, kindTimeTZ:
		ns, err := c.timestamp(raw)
		if err != nil {
			return err
		}
		c.i = append(c.i, ns)
	case kindInterval:
		if len(raw) != 16 {
			return fmt.Errorf("interval of %d bytes", len(raw))
		}
		us := int64(binary.BigEndian.Uint64(raw))
		days := int64(int32(binary.BigEndian.Uint32(raw[8:]))) + 30*int64(int32(binary.BigEndian.Uint32(raw[12:])))
		total := days*86400*1000000 + us
		if total > math.MaxInt64/1000 || total < math.MinInt64/1000+1 {
			return fmt.Errorf("interval out of the nanosecond range")
		}
		c.i = append(c.i, total*1000)
	case kindText, kindOther:
		if v, ok := c.intern[string(raw)]; ok {
			c.o = append(c.o, v)
			return nil
		}
		var v any = string(raw)
		if c.intern == nil {
			c.intern = make(map[string]any)
		}
		if len(c.intern) < maxInterned {
			c.intern[v.(string)] = v
		}
		c.o = append(c.o, v)
	case kindUUID:
		if len(raw) != 16 {
			return fmt.Errorf("uuid of %d bytes", len(raw))
		}
		c.o = append(c.o, uuidString(raw))
	case kindJSON:
		v, err := wire.Decode(raw)
		if err != nil {
			return fmt.Errorf("invalid JSON from the server: %w", err)
		}
		c.o = append(c.o, v)
	case kindBytes:
		c.o = append(c.o, `\x`+hex.EncodeToString(raw))
	}
	return nil
}

// timestamp decodes binary timestamp, timestamptz and date values to nanoseconds since
// 1970 (UTC for timestamptz, wall time otherwise). Values outside pandas' nanosecond range
// (1677-09-21 … 2262-04-11) and ±infinity are errors, as pandas refuses them.
func (c *colBuilder) timestamp(raw []byte) (int64, error) {
	var us int64
	switch {
	case c.oid == pgtype.DateOID && len(raw) == 4:
		days := int32(binary.BigEndian.Uint32(raw))
		if days == math.MaxInt32 || days == math.MinInt32 {
			return 0, fmt.Errorf("infinite date")
		}
		us = int64(days) * 86400 * 1000000
	case c.oid != pgtype.DateOID && len(raw) == 8:
		us = int64(binary.BigEndian.Uint64(raw))
		if us == math.MaxInt64 || us == math.MinInt64 {
			return 0, fmt.Errorf("infinite timestamp")
		}
	default:
		return 0, fmt.Errorf("timestamp of %d bytes", len(raw))
	}
	const lo, hi = math.MinInt64/1000 + 1 - pgEpochMicros, math.MaxInt64/1000 - pgEpochMicros
	if us < lo || us > hi {
		return 0, fmt.Errorf("timestamp out of the nanosecond range (pandas: 1677-09-21 to 2262-04-11)")
	}
	return (us + pgEpochMicros) * 1000, nil
}

func (c *colBuilder) addNull() {
	switch c.kind {
	case kindInt:
		if c.null == nil {
			c.null = make([]bool, len(c.i), cap(c.i))
		}
		c.i = append(c.i, 0)
		c.null = append(c.null, true)
	case kindFloat:
		c.f = append(c.f, math.NaN())
	case kindBool:
		if c.null == nil {
			c.null = make([]bool, len(c.b), cap(c.b))
		}
		c.b = append(c.b, false)
		c.null = append(c.null, true)
	case kindTime, kindTimeTZ, kindInterval:
		c.i = append(c.i, data.NaT)
	default:
		c.o = append(c.o, nil)
	}
}

// column finishes the column: integers with NULLs become floats with NaN and booleans
// with NULLs objects, as pandas builds them from rows holding None.
func (c *colBuilder) column() data.Column {
	switch c.kind {
	case kindInt:
		if c.null == nil {
			return data.Ints(c.i)
		}
		f := make([]float64, len(c.i))
		for k, v := range c.i {
			if c.null[k] {
				f[k] = math.NaN()
			} else {
				f[k] = float64(v)
			}
		}
		return data.Floats(f)
	case kindFloat:
		return data.Floats(c.f)
	case kindBool:
		if c.null == nil {
			return data.Bools(c.b)
		}
		o := make([]any, len(c.b))
		for k, v := range c.b {
			if !c.null[k] {
				o[k] = v
			}
		}
		return data.Objects(o)
	case kindTime:
		return data.Datetimes(c.i, data.Naive)
	case kindTimeTZ:
		return data.Datetimes(c.i, data.UTC)
	case kindInterval:
		return data.TimedeltaCol(c.i)
	}
	return data.Objects(c.o)
}

func uuidString(b []byte) string {
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
