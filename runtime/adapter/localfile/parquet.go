package localfile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding"
	pqformat "github.com/parquet-go/parquet-go/format"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Parquet files are read and written the way pandas (with pyarrow) does: flat schemas,
// the "pandas" key-value metadata naming the index columns (or a RangeIndex) and the
// time zones, df.attrs under "PANDAS_ATTRS" (pandas ≥ 2.1).

// pandasMeta is the "pandas" metadata pyarrow writes.
type pandasMeta struct {
	IndexColumns  []any            `json:"index_columns"` // field names or {"kind":"range",…}
	ColumnIndexes []map[string]any `json:"column_indexes"`
	Columns       []pandasColumn   `json:"columns"`
	Creator       map[string]any   `json:"creator"`
	PandasVersion string           `json:"pandas_version"`
}

type pandasColumn struct {
	Name       any            `json:"name"`
	FieldName  string         `json:"field_name"`
	PandasType string         `json:"pandas_type"`
	NumpyType  string         `json:"numpy_type"`
	Metadata   map[string]any `json:"metadata"`
}

// Keys of the file metadata.
const (
	pandasKey = "pandas"
	attrsKey  = "PANDAS_ATTRS"
)

// readParquet reads a flat Parquet file into a DataFrame. Column dtypes follow pyarrow's
// to_pandas: integers and floats as int64/float64 (integers with nulls as float64 with
// NaN), booleans as bool (with nulls: object), strings as object, timestamps as
// datetime64[ns] (UTC when adjusted to UTC, the zone of the pandas metadata when given),
// dates as naive midnight timestamps. Nested, repeated, decimal and time-of-day columns
// are refused.
func readParquet(ctx context.Context, f *os.File, opt readOptions) (any, error) {
	var only []string
	for _, k := range sortedKeys(opt.settings) {
		v := opt.settings[k]
		switch k {
		case "columns":
			l, err := stringList(k, v)
			if err != nil && v != nil {
				return nil, err
			}
			only = l
		case "engine":
			if s, _ := v.(string); s != "auto" && s != "pyarrow" && v != nil {
				return nil, fmt.Errorf("the setting \"engine\" must be auto or pyarrow, got %v", v)
			}
		default:
			return nil, unsupported("load setting", k, []string{"columns", "engine"})
		}
	}
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if opt.maxBytes > 0 && fi.Size() > opt.maxBytes {
		return nil, fmt.Errorf("the file is larger than %d bytes (ADAPTER_MAX_BYTES)", opt.maxBytes)
	}
	pf, err := parquet.OpenFile(f, fi.Size())
	if err != nil {
		return nil, fmt.Errorf("not a Parquet file: %w", err)
	}
	n := pf.NumRows()
	if opt.maxPoints > 0 && n > int64(opt.maxPoints) {
		return nil, errTooManyPoints
	}
	var meta pandasMeta
	if s, ok := pf.Lookup(pandasKey); ok {
		if err := json.Unmarshal([]byte(s), &meta); err != nil {
			return nil, fmt.Errorf("the file's pandas metadata is not valid JSON: %w", err)
		}
	}
	zones := map[string]string{}
	numpy := map[string]string{}
	for _, c := range meta.Columns {
		if tz, ok := c.Metadata["timezone"].(string); ok {
			zones[c.FieldName] = tz
		}
		numpy[c.FieldName] = c.NumpyType
	}
	fields := pf.Schema().Fields()
	builders := make([]*colBuilder, len(fields))
	for i, fl := range fields {
		b, err := newColBuilder(fl, int(n), zones[fl.Name()], numpy[fl.Name()])
		if err != nil {
			return nil, err
		}
		builders[i] = b
	}
	rows := make([]parquet.Row, 1024)
	read := 0
	for _, rg := range pf.RowGroups() {
		rr := rg.Rows()
		for {
			if err := ctx.Err(); err != nil {
				rr.Close()
				return nil, err
			}
			k, err := rr.ReadRows(rows)
			for _, row := range rows[:k] {
				for _, v := range row {
					if c := v.Column(); c >= 0 && c < len(builders) {
						builders[c].add(v)
					}
				}
			}
			read += k
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rr.Close()
				return nil, fmt.Errorf("reading rows: %w", err)
			}
			if k == 0 {
				break
			}
		}
		rr.Close()
	}
	if int64(read) != n {
		return nil, fmt.Errorf("read %d rows, the file declares %d", read, n)
	}
	// the index: the pandas metadata's index columns, else a RangeIndex
	index := data.Range(read)
	isIndex := map[string]bool{}
	switch len(meta.IndexColumns) {
	case 0:
	case 1:
		switch ic := meta.IndexColumns[0].(type) {
		case string:
			isIndex[ic] = true
			for i, fl := range fields {
				if fl.Name() == ic {
					index = builders[i].column()
				}
			}
		case map[string]any:
			start, _ := ic["start"].(float64)
			step, _ := ic["step"].(float64)
			if step == 0 {
				step = 1
			}
			idx := make([]int64, read)
			for i := range idx {
				idx[i] = int64(start) + int64(i)*int64(step)
			}
			index = data.Ints(idx)
		}
	default:
		return nil, fmt.Errorf("the file has %d index columns; trafofn builds no MultiIndex", len(meta.IndexColumns))
	}
	var names []any
	var cols []data.Column
	for i, fl := range fields {
		if isIndex[fl.Name()] {
			continue
		}
		if only != nil && !contains(only, fl.Name()) {
			continue
		}
		names = append(names, fl.Name())
		cols = append(cols, builders[i].column())
	}
	for _, c := range only {
		if !contains(names, any(c)) {
			return nil, fmt.Errorf("the setting \"columns\" names %q, which the file does not have", c)
		}
	}
	df := data.NewDataFrame(index, names, cols)
	if s, ok := pf.Lookup(attrsKey); ok && s != "" {
		v, err := wire.Decode([]byte(s))
		if d, isDict := v.(*data.Dict); err == nil && isDict {
			df.Attrs = d
		}
	}
	return df, nil
}

func contains[T comparable](l []T, s T) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// colKind is how a Parquet leaf becomes a column.
type colKind uint8

const (
	kindBool colKind = iota
	kindInt
	kindFloat
	kindString
	kindTime // int64 scaled to nanoseconds
	kindDate // int32 days
	kindInt96
	kindTimedelta
)

type colBuilder struct {
	name  string
	kind  colKind
	scale int64 // kindTime: nanoseconds per unit
	zone  data.Zone
	nulls int
	b     []bool
	i     []int64
	f     []float64
	o     []any
	na    []bool
}

func newColBuilder(fl parquet.Field, n int, tz, numpy string) (*colBuilder, error) {
	name := fl.Name()
	if !fl.Leaf() || fl.Repeated() {
		return nil, fmt.Errorf("column %q is nested or repeated; trafofn reads flat Parquet files only", name)
	}
	b := &colBuilder{name: name, na: make([]bool, 0, n)}
	t := fl.Type()
	lt := t.LogicalType()
	var ltv pqformat.LogicalTypeValue
	if lt != nil {
		ltv = lt.Value
	}
	ct := t.ConvertedType()
	switch t.Kind() {
	case parquet.Boolean:
		b.kind = kindBool
	case parquet.Int32, parquet.Int64:
		b.kind = kindInt
		switch x := ltv.(type) {
		case *pqformat.TimestampType:
			b.kind, b.scale = kindTime, int64(x.Unit.Value.Duration())
			if x.IsAdjustedToUTC {
				b.zone = data.UTC
			}
		case *pqformat.DateType:
			b.kind = kindDate
		case *pqformat.DecimalType:
			return nil, fmt.Errorf("column %q is a decimal, which trafofn does not read", name)
		case *pqformat.TimeType:
			return nil, fmt.Errorf("column %q holds times of day, which trafofn does not read", name)
		case nil:
			if ct != nil {
				switch *ct {
				case deprecated.TimestampMillis:
					b.kind, b.scale, b.zone = kindTime, 1e6, data.UTC
				case deprecated.TimestampMicros:
					b.kind, b.scale, b.zone = kindTime, 1e3, data.UTC
				case deprecated.Date:
					b.kind = kindDate
				case deprecated.Decimal, deprecated.TimeMillis, deprecated.TimeMicros:
					return nil, fmt.Errorf("column %q has the converted type %v, which trafofn does not read", name, *ct)
				}
			}
		}
		if b.kind == kindInt && strings.HasPrefix(numpy, "timedelta64") {
			b.kind = kindTimedelta
		}
	case parquet.Int96:
		b.kind, b.zone = kindInt96, data.Naive
	case parquet.Float, parquet.Double:
		b.kind = kindFloat
	case parquet.ByteArray, parquet.FixedLenByteArray:
		if _, isDec := ltv.(*pqformat.DecimalType); isDec || ct != nil && *ct == deprecated.Decimal {
			return nil, fmt.Errorf("column %q is a decimal, which trafofn does not read", name)
		}
		b.kind = kindString
	default:
		return nil, fmt.Errorf("column %q has the Parquet type %s, which trafofn does not read", name, t)
	}
	if (b.kind == kindTime || b.kind == kindInt96) && tz != "" {
		z, err := zoneOf(tz)
		if err != nil {
			return nil, fmt.Errorf("column %q: %w", name, err)
		}
		b.zone = z
	}
	return b, nil
}

// zoneOf reads a pandas metadata time zone: an IANA name or a fixed "+HH:MM" offset.
func zoneOf(tz string) (data.Zone, error) {
	if tz == "UTC" || tz == "utc" || tz == "Z" {
		return data.UTC, nil
	}
	if len(tz) == 6 && (tz[0] == '+' || tz[0] == '-') && tz[3] == ':' {
		h, err1 := strconv.Atoi(tz[1:3])
		m, err2 := strconv.Atoi(tz[4:6])
		if err1 == nil && err2 == nil {
			off := int32(h*3600 + m*60)
			if tz[0] == '-' {
				off = -off
			}
			return data.Zone{Aware: true, Offset: off}, nil
		}
	}
	return data.LoadZone(tz)
}

func (b *colBuilder) add(v parquet.Value) {
	if v.IsNull() {
		b.nulls++
		b.na = append(b.na, true)
		switch b.kind {
		case kindBool:
			b.b = append(b.b, false)
		case kindInt:
			b.i = append(b.i, 0)
		case kindFloat:
			b.f = append(b.f, math.NaN())
		case kindString:
			b.o = append(b.o, nil)
		default:
			b.i = append(b.i, data.NaT)
		}
		return
	}
	b.na = append(b.na, false)
	switch b.kind {
	case kindBool:
		b.b = append(b.b, v.Boolean())
	case kindInt, kindTimedelta:
		if v.Kind() == parquet.Int32 {
			b.i = append(b.i, int64(v.Int32()))
		} else {
			b.i = append(b.i, v.Int64())
		}
	case kindFloat:
		if v.Kind() == parquet.Float {
			b.f = append(b.f, float64(v.Float()))
		} else {
			b.f = append(b.f, v.Double())
		}
	case kindString:
		b.o = append(b.o, string(v.ByteArray()))
	case kindTime:
		b.i = append(b.i, v.Int64()*b.scale)
	case kindDate:
		b.i = append(b.i, int64(v.Int32())*86400*1e9)
	case kindInt96:
		// nanoseconds of the day in the low 64 bits, the Julian day in the high 32
		x := v.Int96()
		nanos := int64(uint64(x[1])<<32 | uint64(x[0]))
		julian := int64(x[2])
		b.i = append(b.i, (julian-2440588)*86400*1e9+nanos)
	}
}

// column builds the pandas column: nulls upcast ints to float64 and bools to object.
func (b *colBuilder) column() data.Column {
	switch b.kind {
	case kindBool:
		if b.nulls == 0 {
			return data.Bools(b.b)
		}
		o := make([]any, len(b.b))
		for i, v := range b.b {
			if !b.na[i] {
				o[i] = v
			}
		}
		return data.Objects(o)
	case kindInt:
		if b.nulls == 0 {
			return data.Ints(b.i)
		}
		f := make([]float64, len(b.i))
		for i, v := range b.i {
			f[i] = float64(v)
			if b.na[i] {
				f[i] = math.NaN()
			}
		}
		return data.Floats(f)
	case kindTimedelta:
		for i := range b.i {
			if b.na[i] {
				b.i[i] = data.NaT
			}
		}
		return data.TimedeltaCol(b.i)
	case kindFloat:
		return data.Floats(b.f)
	case kindString:
		return data.Objects(b.o)
	}
	return data.Datetimes(b.i, b.zone)
}

// parquetWriteKeys are the to_parquet keyword arguments trafofn supports.
var parquetWriteKeys = []string{"compression", "index", "engine"}

// writeParquet writes df as pandas' to_parquet (pyarrow) does: every column optional,
// float64/int64/bool as DOUBLE/INT64/BOOLEAN, timestamps as INT64 TIMESTAMP(NANOS)
// (adjusted to UTC when aware; the zone in the pandas metadata), timedeltas as INT64,
// object columns of strings as UTF-8 strings (of booleans or numbers as those); a
// RangeIndex only in the metadata, any other index as the last column
// "__index_level_0__"; snappy compression unless the setting says otherwise.
func writeParquet(ctx context.Context, w io.Writer, df *data.DataFrame, settings map[string]any) error {
	codec := compress.Codec(&parquet.Snappy)
	index := "default"
	for _, k := range sortedKeys(settings) {
		v := settings[k]
		switch k {
		case "compression":
			s, _ := v.(string)
			switch {
			case v == nil || s == "none":
				codec = &parquet.Uncompressed
			case s == "snappy":
			case s == "gzip":
				codec = &parquet.Gzip
			case s == "zstd":
				codec = &parquet.Zstd
			case s == "brotli":
				codec = &parquet.Brotli
			default:
				return fmt.Errorf("the setting \"compression\" must be snappy, gzip, zstd, brotli or null, got %v", v)
			}
		case "index":
			switch v {
			case nil:
			case true:
				index = "always"
			case false:
				index = "never"
			default:
				return fmt.Errorf("the setting \"index\" must be true, false or null, got %v", v)
			}
		case "engine":
			if s, _ := v.(string); s != "auto" && s != "pyarrow" && v != nil {
				return fmt.Errorf("the setting \"engine\" must be auto or pyarrow, got %v", v)
			}
		default:
			return unsupported("write setting", k, parquetWriteKeys)
		}
	}
	meta := pandasMeta{
		IndexColumns:  []any{},
		ColumnIndexes: []map[string]any{{"name": nil, "field_name": nil, "pandas_type": "unicode", "numpy_type": "object", "metadata": map[string]any{"encoding": "UTF-8"}}},
		Creator:       map[string]any{"library": "trafofn", "version": "1"},
		PandasVersion: "2.1.3",
	}
	type out struct {
		name string
		col  data.Column
		kind colKind
	}
	var outs []out
	seen := map[string]bool{}
	for i, n := range df.Names {
		s, ok := n.(string)
		if !ok {
			return errors.New("parquet must have string column names")
		}
		if seen[s] {
			return fmt.Errorf("duplicate column name %q: Parquet column names must be unique", s)
		}
		seen[s] = true
		outs = append(outs, out{name: s, col: df.Columns[i]})
	}
	rangeIndex := isRange(df.Index)
	switch {
	case index == "never":
	case index == "default" && rangeIndex:
		meta.IndexColumns = []any{map[string]any{"kind": "range", "name": nil, "start": 0, "stop": df.Len(), "step": 1}}
	default:
		outs = append(outs, out{name: "__index_level_0__", col: df.Index})
		meta.IndexColumns = []any{"__index_level_0__"}
	}
	var fields []parquet.Field
	for i := range outs {
		o := &outs[i]
		node, kind, pc, err := parquetNode(o.name, o.col)
		if err != nil {
			return err
		}
		o.kind = kind
		if o.name == "__index_level_0__" {
			pc.Name = nil
		}
		meta.Columns = append(meta.Columns, pc)
		fields = append(fields, field{Node: parquet.Optional(node), name: o.name})
	}
	mj, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	opts := []parquet.WriterOption{parquet.NewSchema("schema", group(fields)), parquet.Compression(codec), parquet.KeyValueMetadata(pandasKey, string(mj))}
	if df.Attrs != nil && df.Attrs.Len() > 0 {
		ab, err := wire.AppendValue(nil, df.Attrs)
		if err != nil {
			return fmt.Errorf("attrs: %w", err)
		}
		opts = append(opts, parquet.KeyValueMetadata(attrsKey, string(ab)))
	}
	cfg, err := parquet.NewWriterConfig(opts...)
	if err != nil {
		return err
	}
	pw := parquet.NewWriter(w, cfg)
	const batch = 1024
	rows := make([]parquet.Row, 0, batch)
	for r := 0; r < df.Len(); r++ {
		row := make(parquet.Row, len(outs))
		for c, o := range outs {
			row[c] = parquetValue(o.col, o.kind, r).Level(0, 1, c)
			if o.col.IsNA(r) {
				row[c] = parquet.Value{}.Level(0, 0, c)
			}
		}
		rows = append(rows, row)
		if len(rows) == batch || r == df.Len()-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if _, err := pw.WriteRows(rows); err != nil {
				return err
			}
			rows = rows[:0]
		}
	}
	return pw.Close()
}

func isRange(c data.Column) bool {
	if c.DType != data.Int64 {
		return false
	}
	for i, v := range c.I {
		if v != int64(i) {
			return false
		}
	}
	return true
}

// parquetNode chooses a column's Parquet type and its pandas metadata.
func parquetNode(name string, c data.Column) (parquet.Node, colKind, pandasColumn, error) {
	pc := pandasColumn{Name: name, FieldName: name}
	switch c.DType {
	case data.Float64:
		pc.PandasType, pc.NumpyType = "float64", "float64"
		return parquet.Leaf(parquet.DoubleType), kindFloat, pc, nil
	case data.Int64:
		pc.PandasType, pc.NumpyType = "int64", "int64"
		return parquet.Leaf(parquet.Int64Type), kindInt, pc, nil
	case data.Bool:
		pc.PandasType, pc.NumpyType = "bool", "bool"
		return parquet.Leaf(parquet.BooleanType), kindBool, pc, nil
	case data.Datetime:
		pc.NumpyType = "datetime64[ns]"
		pc.PandasType = "datetime"
		if c.Zone.Aware {
			pc.PandasType = "datetimetz"
			pc.Metadata = map[string]any{"timezone": c.Zone.Name()}
		}
		return parquet.TimestampAdjusted(parquet.Nanosecond, c.Zone.Aware), kindTime, pc, nil
	case data.Timedeltas:
		pc.PandasType, pc.NumpyType = "timedelta", "timedelta64[ns]"
		return parquet.Leaf(parquet.Int64Type), kindTimedelta, pc, nil
	}
	// object: one Parquet type for all values, as pyarrow infers it
	kind, first := kindString, ""
	for _, v := range c.O {
		var k colKind
		var what string
		switch v.(type) {
		case nil:
			continue
		case string:
			k, what = kindString, "str"
		case bool:
			k, what = kindBool, "bool"
		case float64, int64:
			k, what = kindFloat, "float"
		default:
			return nil, 0, pc, fmt.Errorf("column %q holds %s values, which Parquet cannot store", name, data.PyTypeName(v))
		}
		if first == "" {
			kind, first = k, what
		} else if k != kind {
			return nil, 0, pc, fmt.Errorf("column %q mixes %s and %s values, which Parquet cannot store in one column", name, first, what)
		}
	}
	pc.NumpyType = "object"
	switch kind {
	case kindBool:
		pc.PandasType = "bool"
		return parquet.Leaf(parquet.BooleanType), kindBool, pc, nil
	case kindFloat:
		pc.PandasType = "float64"
		return parquet.Leaf(parquet.DoubleType), kindFloat, pc, nil
	}
	pc.PandasType = "unicode"
	return parquet.String(), kindString, pc, nil
}

// parquetValue is element r of c as a Parquet value of kind.
func parquetValue(c data.Column, kind colKind, r int) parquet.Value {
	switch c.DType {
	case data.Float64:
		return parquet.DoubleValue(c.F[r])
	case data.Int64, data.Datetime, data.Timedeltas:
		return parquet.Int64Value(c.I[r])
	case data.Bool:
		return parquet.BooleanValue(c.B[r])
	}
	switch v := c.O[r].(type) {
	case string:
		return parquet.ByteArrayValue([]byte(v))
	case bool:
		return parquet.BooleanValue(v)
	case float64:
		return parquet.DoubleValue(v)
	case int64:
		return parquet.DoubleValue(float64(v))
	}
	return parquet.Value{}
}

// group is a Parquet group node whose fields keep their order (parquet.Group, a map,
// sorts them by name; pandas restores the DataFrame's column order from the schema).
type group []parquet.Field

func (g group) ID() int                           { return 0 }
func (g group) String() string                    { return "group" }
func (g group) Type() parquet.Type                { return parquet.Group{}.Type() }
func (g group) Optional() bool                    { return false }
func (g group) Repeated() bool                    { return false }
func (g group) Required() bool                    { return true }
func (g group) Leaf() bool                        { return false }
func (g group) Fields() []parquet.Field           { return g }
func (g group) Encoding() encoding.Encoding       { return nil }
func (g group) Compression() compress.Codec       { return nil }
func (g group) GoType() reflect.Type              { return reflect.TypeOf(struct{}{}) }
func (f field) Name() string                      { return f.name }
func (f field) Value(reflect.Value) reflect.Value { return reflect.Value{} }

// field is a named node of a group.
type field struct {
	parquet.Node
	name string
}
