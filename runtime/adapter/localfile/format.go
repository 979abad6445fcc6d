package localfile

import (
	"archive/zip"
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// errTooManyPoints: a file has more rows than the point limit.
var errTooManyPoints = errors.New("more rows than MAX_POINTS")

// readOptions are what a format reader gets besides the file.
type readOptions struct {
	settings  map[string]any // load_settings
	maxPoints int            // 0: none
	maxBytes  int64          // bytes read (after decompression); 0: none
}

// format reads and writes one kind of file.
type format struct {
	name  string
	read  func(ctx context.Context, f *os.File, opt readOptions) (any, error)
	write func(ctx context.Context, w io.Writer, df *data.DataFrame, settings map[string]any) error
}

// formatOf chooses the format by the name's ending (case-sensitive, as hetida's).
func formatOf(name string) (format, error) {
	switch {
	case strings.HasSuffix(name, ".settings.json"):
		return format{}, fmt.Errorf("%q is a settings file, not a data file", name)
	case strings.HasSuffix(name, ".csv"):
		return csvFormat(""), nil
	case strings.HasSuffix(name, ".csv.gz"):
		return csvFormat("gzip"), nil
	case strings.HasSuffix(name, ".csv.bz2"):
		return csvFormat("bz2"), nil
	case strings.HasSuffix(name, ".csv.zip"):
		return csvFormat("zip"), nil
	case strings.HasSuffix(name, ".parquet"):
		return format{name: "parquet", read: readParquet, write: writeParquet}, nil
	case strings.HasSuffix(name, ".json"):
		return format{name: "json", read: readJSON, write: writeJSON}, nil
	case strings.HasSuffix(name, ".csv.xz"):
		return format{}, fmt.Errorf("%q: xz-compressed CSV is not supported by trafofn (use .csv.gz)", name)
	case strings.HasSuffix(name, ".pkl"):
		return format{}, fmt.Errorf("%q: Python pickles are not read or written by trafofn", name)
	}
	for _, ext := range []string{".xls", ".xlsx", ".xlsm", ".xlsb", ".odf", ".ods", ".odt", ".h5"} {
		if strings.HasSuffix(name, ext) {
			return format{}, fmt.Errorf("%q: %s files are not supported by trafofn (use CSV, Parquet or JSON)", name, ext)
		}
	}
	return format{}, fmt.Errorf("%q has no supported file extension (.csv, .csv.gz, .csv.bz2, .csv.zip, .parquet, .json)", name)
}

// limited fails (instead of ending early) once more than n bytes were read.
type limited struct {
	r   io.Reader
	n   int64 // bytes still allowed
	max int64
}

func limit(r io.Reader, max int64) io.Reader {
	if max <= 0 {
		return r
	}
	return &limited{r: r, n: max, max: max}
}

func (l *limited) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, fmt.Errorf("the file is larger than %d bytes (ADAPTER_MAX_BYTES)", l.max)
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return n, fmt.Errorf("the file is larger than %d bytes (ADAPTER_MAX_BYTES)", l.max)
	}
	return n, err
}

// decompress opens f's content for the compression of its extension (or of the
// compression setting).
func decompress(f *os.File, compression string, maxBytes int64) (io.Reader, func(), error) {
	nop := func() {}
	switch compression {
	case "":
		return limit(f, maxBytes), nop, nil
	case "gzip":
		z, err := gzip.NewReader(f)
		if err != nil {
			return nil, nop, fmt.Errorf("not a gzip file: %w", err)
		}
		return limit(z, maxBytes), func() { z.Close() }, nil
	case "bz2":
		return limit(bzip2.NewReader(f), maxBytes), nop, nil
	case "zip":
		fi, err := f.Stat()
		if err != nil {
			return nil, nop, err
		}
		zr, err := zip.NewReader(f, fi.Size())
		if err != nil {
			return nil, nop, fmt.Errorf("not a zip file: %w", err)
		}
		if len(zr.File) != 1 {
			return nil, nop, fmt.Errorf("a zip file must hold exactly one file, this one holds %d", len(zr.File))
		}
		rc, err := zr.File[0].Open()
		if err != nil {
			return nil, nop, err
		}
		return limit(rc, maxBytes), func() { rc.Close() }, nil
	}
	return nil, nop, fmt.Errorf("unknown compression %q", compression)
}

// settingsError names a load or write setting trafofn does not support.
func unsupported(kind, key string, supported []string) error {
	return fmt.Errorf("the %s %q is not supported by trafofn (supported: %s)", kind, key, strings.Join(supported, ", "))
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// intSetting reads a non-negative JSON integer.
func intSetting(key string, v any) (int, error) {
	f, ok := v.(float64)
	if !ok || f < 0 || f != math.Trunc(f) || f > math.MaxInt32 {
		return 0, fmt.Errorf("the setting %q must be a non-negative integer, got %v", key, v)
	}
	return int(f), nil
}

func boolSetting(key string, v any) (bool, error) {
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("the setting %q must be true or false, got %v", key, v)
	}
	return b, nil
}

// sepSetting reads a one-character delimiter (pandas also takes regular expressions).
func sepSetting(key string, v any) (rune, error) {
	s, ok := v.(string)
	r := []rune(s)
	if !ok || len(r) != 1 || r[0] == '"' || r[0] == '\r' || r[0] == '\n' {
		return 0, fmt.Errorf("the setting %q must be a single character (trafofn reads no regular expression separators), got %v", key, v)
	}
	return r[0], nil
}

func stringList(key string, v any) ([]string, error) {
	switch x := v.(type) {
	case string:
		return []string{x}, nil
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("the setting %q must list strings, got %v", key, e)
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("the setting %q must be a string or a list of strings, got %v", key, v)
}

// csvRead are the read_csv keyword arguments trafofn supports.
type csvRead struct {
	opt         data.CSVOptions
	skipRows    int
	indexCol    any   // nil (none), int or string
	parseDates  any   // nil, true, or []any of names/positions
	useCols     []any // names or positions; nil: all
	compression string
}

var csvReadKeys = []string{"sep", "delimiter", "index_col", "parse_dates", "usecols", "nrows", "skiprows", "na_values", "keep_default_na", "encoding", "compression"}

func parseCSVRead(settings map[string]any, compression string) (csvRead, error) {
	c := csvRead{compression: compression}
	for _, k := range sortedKeys(settings) {
		v := settings[k]
		var err error
		switch k {
		case "sep", "delimiter":
			if v != nil {
				c.opt.Comma, err = sepSetting(k, v)
			}
		case "index_col":
			switch x := v.(type) {
			case nil, bool:
				if x == true {
					err = fmt.Errorf("the setting \"index_col\" must be a column name, a position or false")
				}
			case string:
				c.indexCol = x
			case float64:
				var n int
				n, err = intSetting(k, x)
				c.indexCol = n
			default:
				err = fmt.Errorf("the setting \"index_col\" must be a column name, a position or false (trafofn builds no MultiIndex), got %v", v)
			}
		case "parse_dates":
			switch x := v.(type) {
			case nil:
			case bool:
				if x {
					c.parseDates = true
				}
			case []any:
				for _, e := range x {
					switch e.(type) {
					case string, float64:
					default:
						err = fmt.Errorf("the setting \"parse_dates\" must be true or a list of column names or positions, got %v", v)
					}
				}
				c.parseDates = x
			default:
				err = fmt.Errorf("the setting \"parse_dates\" must be true or a list of column names or positions, got %v", v)
			}
		case "usecols":
			x, ok := v.([]any)
			if !ok && v != nil {
				err = fmt.Errorf("the setting \"usecols\" must be a list of column names or positions, got %v", v)
			}
			c.useCols = x
		case "nrows":
			if v != nil {
				c.opt.NRows, err = intSetting(k, v)
				if err == nil && c.opt.NRows == 0 {
					c.opt.NRows = -1 // read none
				}
			}
		case "skiprows":
			if v != nil {
				c.skipRows, err = intSetting(k, v)
			}
		case "na_values":
			if v != nil {
				c.opt.NAValues, err = stringList(k, v)
			}
		case "keep_default_na":
			var keep bool
			keep, err = boolSetting(k, v)
			c.opt.NoDefaultNA = !keep
		case "encoding":
			s, _ := v.(string)
			switch strings.ToLower(strings.ReplaceAll(s, "_", "-")) {
			case "utf-8", "utf8", "ascii":
			default:
				if v != nil {
					err = fmt.Errorf("the setting \"encoding\" must be utf-8 (trafofn reads UTF-8 files only), got %v", v)
				}
			}
		case "compression":
			s, _ := v.(string)
			switch {
			case v == nil:
				c.compression = ""
			case s == "infer":
			case s == "gzip" || s == "bz2" || s == "zip":
				c.compression = s
			default:
				err = fmt.Errorf("the setting \"compression\" must be infer, gzip, bz2, zip or null, got %v", v)
			}
		default:
			err = unsupported("load setting", k, csvReadKeys)
		}
		if err != nil {
			return csvRead{}, err
		}
	}
	return c, nil
}

func csvFormat(compression string) format {
	return format{
		name: "csv",
		read: func(ctx context.Context, f *os.File, opt readOptions) (any, error) {
			return readCSV(ctx, f, compression, opt)
		},
		write: func(ctx context.Context, w io.Writer, df *data.DataFrame, settings map[string]any) error {
			return writeCSV(ctx, w, df, settings, compression)
		},
	}
}

// readCSV reads a CSV file as pandas' read_csv does with the supported settings: the
// header row names the columns (an empty name becomes "Unnamed: <position>"), dtypes are
// inferred per column (int64, float64 with NaN, bool, else strings), parse_dates turns
// ISO 8601 strings into timestamps, index_col moves a column into the index (else the
// index is 0..n-1).
func readCSV(ctx context.Context, f *os.File, compression string, opt readOptions) (any, error) {
	c, err := parseCSVRead(opt.settings, compression)
	if err != nil {
		return nil, err
	}
	r, done, err := decompress(f, c.compression, opt.maxBytes)
	if err != nil {
		return nil, err
	}
	defer done()
	br := bufio.NewReaderSize(r, 64<<10)
	for i := 0; i < c.skipRows; i++ {
		if _, err := br.ReadString('\n'); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, err
		}
	}
	o := c.opt
	if opt.maxPoints > 0 && (o.NRows == 0 || o.NRows > opt.maxPoints) {
		o.NRows = opt.maxPoints + 1 // one more tells that there are too many
	}
	if o.NRows < 0 {
		o.NRows = 1 // nrows=0: the header only
	}
	df, err := data.ReadCSV(ctx, br, o)
	if err != nil {
		return nil, err
	}
	if c.opt.NRows < 0 {
		df = df.Take(nil)
	}
	if opt.maxPoints > 0 && df.Len() > opt.maxPoints {
		return nil, errTooManyPoints
	}
	if c.useCols != nil {
		if df, err = useCols(df, c.useCols); err != nil {
			return nil, err
		}
	}
	if list, ok := c.parseDates.([]any); ok {
		for _, e := range list {
			i, err := colPos(df, e, "parse_dates")
			if err != nil {
				return nil, err
			}
			cols := append([]data.Column(nil), df.Columns...)
			cols[i] = parseDates(cols[i])
			df = &data.DataFrame{Index: df.Index, Names: df.Names, Columns: cols}
		}
	}
	if c.indexCol != nil {
		i, err := colPos(df, c.indexCol, "index_col")
		if err != nil {
			return nil, err
		}
		idx := df.Columns[i]
		names := append(append([]any(nil), df.Names[:i]...), df.Names[i+1:]...)
		cols := append(append([]data.Column(nil), df.Columns[:i]...), df.Columns[i+1:]...)
		df = data.NewDataFrame(idx, names, cols)
	}
	if c.parseDates == true {
		if c.indexCol == nil {
			return nil, errors.New("the setting \"parse_dates\": true parses the index, which needs \"index_col\"")
		}
		df = &data.DataFrame{Index: parseDates(df.Index), Names: df.Names, Columns: df.Columns}
	}
	return df, nil
}

// colPos finds a column by name or position (a JSON number).
func colPos(df *data.DataFrame, key any, setting string) (int, error) {
	if f, ok := key.(float64); ok {
		key = int(f)
	}
	switch k := key.(type) {
	case int:
		if k < 0 || k >= len(df.Columns) {
			return 0, fmt.Errorf("the setting %q names column position %d, the file has %d columns", setting, k, len(df.Columns))
		}
		return k, nil
	case string:
		if i := df.ColIndex(k); i >= 0 {
			return i, nil
		}
		return 0, fmt.Errorf("the setting %q names column %q, which the file does not have (columns: %s)", setting, k, data.PyRepr(df.Names))
	}
	return 0, fmt.Errorf("the setting %q must name columns by name or position, got %v", setting, key)
}

// useCols keeps the listed columns in file order (as pandas' usecols does).
func useCols(df *data.DataFrame, keys []any) (*data.DataFrame, error) {
	keep := make([]bool, len(df.Columns))
	for _, k := range keys {
		i, err := colPos(df, k, "usecols")
		if err != nil {
			return nil, err
		}
		keep[i] = true
	}
	var names []any
	var cols []data.Column
	for i, k := range keep {
		if k {
			names, cols = append(names, df.Names[i]), append(cols, df.Columns[i])
		}
	}
	return data.NewDataFrame(df.Index, names, cols), nil
}

// parseDates is pandas' parse_dates for a column of ISO 8601 strings: timestamps in
// their common zone; with different UTC offsets all are converted to UTC (pandas 2.1 keeps
// such a column as strings). A column that is not entirely ISO 8601 (or missing) stays as
// it is, as pandas leaves it.
func parseDates(c data.Column) data.Column {
	if c.DType != data.Object {
		return c
	}
	ns := make([]int64, len(c.O))
	var zone data.Zone
	first, mixed := true, false
	for i, v := range c.O {
		if data.IsNA(v) {
			ns[i] = data.NaT
			continue
		}
		s, ok := v.(string)
		if !ok {
			return c
		}
		t, z, err := data.ParseISO(strings.TrimSpace(s))
		if err != nil {
			return c
		}
		switch {
		case first:
			zone, first = z, false
		case z.Aware != zone.Aware:
			return c // naive and aware together: pandas keeps the strings
		case z != zone:
			mixed = true
		}
		ns[i] = t
	}
	if mixed {
		zone = data.UTC
	}
	return data.Datetimes(ns, zone)
}

// csvWrite are the to_csv keyword arguments trafofn supports.
type csvWrite struct {
	sep         rune
	index       bool
	header      bool
	naRep       string
	indexLabel  *string
	compression string
}

var csvWriteKeys = []string{"sep", "index", "header", "na_rep", "index_label", "compression", "encoding"}

func parseCSVWrite(settings map[string]any, compression string) (csvWrite, error) {
	c := csvWrite{sep: ',', index: true, header: true, compression: compression}
	for _, k := range sortedKeys(settings) {
		v := settings[k]
		var err error
		switch k {
		case "sep":
			c.sep, err = sepSetting(k, v)
		case "index":
			c.index, err = boolSetting(k, v)
		case "header":
			c.header, err = boolSetting(k, v)
		case "na_rep":
			s, ok := v.(string)
			if !ok {
				err = fmt.Errorf("the setting \"na_rep\" must be a string, got %v", v)
			}
			c.naRep = s
		case "index_label":
			switch x := v.(type) {
			case nil:
			case string:
				c.indexLabel = &x
			default:
				err = fmt.Errorf("the setting \"index_label\" must be a string, got %v", v)
			}
		case "compression":
			s, _ := v.(string)
			switch {
			case v == nil:
				c.compression = ""
			case s == "infer":
			case s == "gzip":
				c.compression = s
			default:
				err = fmt.Errorf("the setting \"compression\" must be infer, gzip or null when writing, got %v", v)
			}
		case "encoding":
			s, _ := v.(string)
			if l := strings.ToLower(strings.ReplaceAll(s, "_", "-")); l != "utf-8" && l != "utf8" {
				err = fmt.Errorf("the setting \"encoding\" must be utf-8, got %v", v)
			}
		default:
			err = unsupported("write setting", k, csvWriteKeys)
		}
		if err != nil {
			return csvWrite{}, err
		}
	}
	if c.compression == "bz2" || c.compression == "zip" {
		return csvWrite{}, fmt.Errorf("trafofn writes plain and gzip-compressed CSV only, not %s", c.compression)
	}
	return c, nil
}

// writeCSV writes df as pandas' to_csv does: the index first (unlabelled), values as
// str() renders them (floats in repr form, True/False, timestamps as
// "2020-01-01 00:00:00+00:00"), missing values as na_rep, fields quoted only when they
// hold the separator, a quote or a line break.
func writeCSV(ctx context.Context, w io.Writer, df *data.DataFrame, settings map[string]any, compression string) error {
	c, err := parseCSVWrite(settings, compression)
	if err != nil {
		return err
	}
	var gz *gzip.Writer
	if c.compression == "gzip" {
		gz = gzip.NewWriter(w)
		w = gz
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var row []string
	if c.header {
		if c.index {
			label := ""
			if c.indexLabel != nil {
				label = *c.indexLabel
			}
			row = append(row, label)
		}
		for _, n := range df.Names {
			row = append(row, data.PyStr(n))
		}
		writeRow(bw, row, c.sep)
	}
	for i := 0; i < df.Len(); i++ {
		if i%data.CheckEvery == data.CheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		row = row[:0]
		if c.index {
			row = append(row, cell(df.Index, i, c.naRep))
		}
		for _, col := range df.Columns {
			row = append(row, cell(col, i, c.naRep))
		}
		writeRow(bw, row, c.sep)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if gz != nil {
		return gz.Close()
	}
	return nil
}

// cell renders element i of c as to_csv does.
func cell(c data.Column, i int, naRep string) string {
	if c.IsNA(i) {
		return naRep
	}
	switch c.DType {
	case data.Float64:
		return data.PyFloat(c.F[i])
	case data.Int64:
		return strconv.FormatInt(c.I[i], 10)
	case data.Bool:
		if c.B[i] {
			return "True"
		}
		return "False"
	}
	return data.PyStr(c.At(i))
}

// writeRow writes one record as Python's csv module does with QUOTE_MINIMAL.
func writeRow(w *bufio.Writer, row []string, sep rune) {
	if len(row) == 1 && row[0] == "" {
		w.WriteString(`""` + "\n") // a lone empty field would be an empty line
		return
	}
	for i, f := range row {
		if i > 0 {
			w.WriteRune(sep)
		}
		if strings.ContainsRune(f, sep) || strings.ContainsAny(f, "\"\r\n") {
			w.WriteByte('"')
			w.WriteString(strings.ReplaceAll(f, `"`, `""`))
			w.WriteByte('"')
		} else {
			w.WriteString(f)
		}
	}
	w.WriteByte('\n')
}

// readJSON returns the file's text for the runtime to parse as the input's type, the way
// a direct_provisioning value is parsed (so a file written by writeJSON, or any JSON
// direct provisioning accepts, loads).
func readJSON(_ context.Context, f *os.File, opt readOptions) (any, error) {
	if len(opt.settings) > 0 {
		return nil, fmt.Errorf("JSON files take no load settings, got %q", sortedKeys(opt.settings)[0])
	}
	b, err := io.ReadAll(limit(f, opt.maxBytes))
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// writeJSON writes the frame as trafofn's (and hetida's) execution responses render a
// DATAFRAME: the wrapped format with attrs and column-oriented data.
func writeJSON(_ context.Context, w io.Writer, df *data.DataFrame, settings map[string]any) error {
	if len(settings) > 0 {
		return fmt.Errorf("JSON files take no write settings, got %q", sortedKeys(settings)[0])
	}
	b, err := wire.AppendValue(nil, df)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
