package wire

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/trafofn/trafofn/runtime/data"
)

// Appender is implemented by output values that render themselves (plotly figures).
type Appender interface {
	AppendJSON(b []byte) ([]byte, error)
}

// ErrNonUniqueIndex is pandas' refusal to write a DataFrame whose index has duplicates in
// column orientation; hetida reports it at stage ENCODING_RESULTS_TO_JSON.
var ErrNonUniqueIndex = errors.New("DataFrame index must be unique for orient='columns'.")

// AppendValue appends v in the JSON hetida's HTTP endpoint writes for an output value:
// compact separators, raw UTF-8, Python's float repr, pandas objects in hetida's wrapped
// form. NaN and ±Inf floats outside pandas objects become null (hetida fails with HTTP 500
// there). Unsupported Go types are an error.
func AppendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		if x {
			return append(b, "true"...), nil
		}
		return append(b, "false"...), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case float64:
		return AppendFloat(b, x), nil
	case string:
		return AppendString(b, x), nil
	case data.Timestamp:
		if x.IsNaT() {
			return append(b, "null"...), nil
		}
		b = append(b, '"')
		b = data.AppendTimestampISOFormat(b, x.NS, x.Zone) // pandas' isoformat: nanoseconds kept
		return append(b, '"'), nil
	case data.Timedelta:
		// FastAPI's encoder writes a timedelta as its total_seconds(), which pandas
		// computes from whole microseconds: days·86400 + seconds + microseconds/1e6
		if x.IsNaT() {
			return append(b, "null"...), nil
		}
		us := x.NS / 1000
		if x.NS%1000 < 0 {
			us--
		}
		whole := us / 1e6
		if us%1e6 < 0 {
			whole--
		}
		return AppendFloat(b, float64(whole)+float64(us-whole*1e6)/1e6), nil
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = AppendValue(b, e); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case *data.Dict:
		b = append(b, '{')
		for i := 0; i < x.Len(); i++ {
			if i > 0 {
				b = append(b, ',')
			}
			k, e := x.At(i)
			b = AppendString(b, k)
			b = append(b, ':')
			var err error
			if b, err = AppendValue(b, e); err != nil {
				return b, err
			}
		}
		return append(b, '}'), nil
	case []float64:
		b = append(b, '[')
		for i, f := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendFloat(b, f)
		}
		return append(b, ']'), nil
	case []int64:
		b = append(b, '[')
		for i, n := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, n, 10)
		}
		return append(b, ']'), nil
	case []string:
		b = append(b, '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendString(b, s)
		}
		return append(b, ']'), nil
	case data.Column:
		return appendColumnList(b, x), nil
	case *data.Series:
		return AppendSeries(b, x)
	case *data.DataFrame:
		return AppendFrame(b, x)
	case Appender:
		return x.AppendJSON(b)
	case data.PyComplex:
		return b, &data.Error{Type: "ValueError", Message: "Object of type complex is not JSON serializable"}
	case data.NumpyScalar:
		return b, &data.Error{Type: "ValueError", Message: "Object of type " + x.Type + " is not JSON serializable"}
	}
	return b, fmt.Errorf("Object of type %T is not JSON serializable", v)
}

// AppendFloat appends a float as Python's json.dumps writes it, with NaN/±Inf as null.
func AppendFloat(b []byte, f float64) []byte {
	if f != f || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	return data.AppendPyFloat(b, f)
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string the way Python's json.dumps(ensure_ascii=False)
// escapes it: quotes, backslashes and control characters only. Invalid UTF-8 becomes
// U+FFFD so the output is always valid UTF-8.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, s[start:i]...)
				b = append(b, "\ufffd"...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendPandasFloat appends a float inside a pandas object as hetida's output pipeline
// produces it: pandas' to_json rounds to 10 decimals (its vendored ujson, double_precision
// 10), the result is re-parsed by Python and written with repr. NaN/±Inf become null,
// and so do values that the rounding carries beyond the float64 range.
func AppendPandasFloat(b []byte, f float64) []byte {
	if f != f || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	var tmp [48]byte
	s, direct := ujsonDouble(tmp[:0], f)
	if direct {
		return append(b, s...)
	}
	v, err := strconv.ParseFloat(string(s), 64)
	if math.IsInf(v, 0) {
		// 10 significant digits of a value near the float64 maximum round beyond it
		// (1.797693135e+308): Python re-parses that as inf, which hetida's HTTP answer
		// cannot serialise; trafofn writes null, as for any non-finite float
		return append(b, "null"...)
	}
	if err != nil {
		return data.AppendPyFloat(b, f)
	}
	return data.AppendPyFloat(b, v)
}

// ujsonDouble ports pandas' Buffer_AppendDoubleUnchecked (modp_dto2 with trailing zeros
// trimmed) at precision 10. direct reports that the text is already what Python's repr of
// the re-parsed value would print: at most 15 significant digits in fixed notation and a
// magnitude where repr also uses fixed notation.
func ujsonDouble(b []byte, value float64) (out []byte, direct bool) {
	const prec = 10
	const pow10 = 1e10
	neg := value < 0
	if neg {
		value = -value
	}
	if value > 1e16-1 || (value != 0 && value < 1e-15) {
		if neg {
			value = -value
		}
		return strconv.AppendFloat(b, value, 'g', prec, 64), false
	}
	whole := uint64(value)
	tmp := (value - float64(whole)) * pow10
	frac := uint64(tmp)
	diff := tmp - float64(frac)
	if diff > 0.5 {
		frac++
	} else if diff == 0.5 && (frac == 0 || frac&1 == 1) {
		frac++
	}
	if float64(frac) >= pow10 {
		frac = 0
		whole++
	}
	if neg {
		b = append(b, '-')
	}
	origFrac := frac
	b = strconv.AppendUint(b, whole, 10)
	b = append(b, '.')
	// count: digits after the point; n: of those, the significant ones
	count, n := 1, 0
	if frac == 0 {
		b = append(b, '0')
	} else {
		// all ten digits, two at a time, then the trailing zeros dropped
		var digs [prec]byte
		for k, f := prec-2, frac; k >= 0; k -= 2 {
			q := f / 100
			r := f - q*100
			digs[k], digs[k+1] = digitPairs[2*r], digitPairs[2*r+1]
			f = q
		}
		count = prec
		for digs[count-1] == '0' {
			count--
		}
		n = count
		for k := 0; digs[k] == '0'; k++ {
			n--
		}
		b = append(b, digs[:count]...)
	}
	// significant digits and the magnitude decide whether repr prints the same text
	sig := n
	if whole > 0 {
		sig = decimalDigits(whole) + count
	}
	absRounded := float64(whole)
	return b, sig <= 15 && (whole > 0 || origFrac == 0 || origFrac >= 1e6) && absRounded < 1e16
}

const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

func decimalDigits(v uint64) int {
	n := 1
	for v >= 10 {
		v /= 10
		n++
	}
	return n
}

// AppendSeries appends a Series in hetida's wrapped split orientation.
func AppendSeries(b []byte, s *data.Series) ([]byte, error) {
	b = append(b, `{"__hd_wrapped_data_object__":"SERIES","__metadata__":`...)
	b, err := appendAttrs(b, s.Attrs)
	if err != nil {
		return b, err
	}
	b = append(b, `,"__data__":{"name":`...)
	if b, err = appendLabel(b, s.Name); err != nil {
		return b, err
	}
	b = append(b, `,"index":[`...)
	if fixedWidthCells(s.Index) && fixedWidthCells(s.Values) {
		return appendSeriesColumns(b, s), nil
	}
	for i, n := 0, s.Index.Len(); i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendCell(b, s.Index, i); err != nil {
			return b, err
		}
	}
	b = append(b, `],"data":[`...)
	for i, n := 0, s.Values.Len(); i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendCell(b, s.Values, i); err != nil {
			return b, err
		}
	}
	return append(b, seriesTail...), nil
}

const seriesTail = `]},"__data_parsing_options__":{"orient":"split"}}`

// parallelEncodeCells is the length from which a series' values are written by a second
// goroutine while the index is written here; a 100k-point series takes milliseconds.
var parallelEncodeCells = 16 << 10

// appendSeriesColumns writes the index and the values of a series whose columns cannot
// fail to encode (no object cells), into a buffer grown once to the estimated size. A long
// series is written on two cores: this goroutine writes the index and the first values,
// another the rest, split so that both have about the same work.
func appendSeriesColumns(b []byte, s *data.Series) []byte {
	n := s.Index.Len()
	split := n
	if n >= parallelEncodeCells {
		ci, cv := cellCost(s.Index), cellCost(s.Values)
		split = max(0, n*(cv-ci)/(2*cv))
	}
	rest := make(chan []byte, 1)
	if split < n {
		go func() {
			tail := s.Values.Slice(split, n)
			rest <- appendCells(make([]byte, 0, cellWidth(tail)*(n-split)), tail, split == 0)
		}()
	}
	b = slices.Grow(b, (cellWidth(s.Index)+cellWidth(s.Values))*n+len(seriesTail)+16)
	b = appendCells(b, s.Index, true)
	b = append(b, `],"data":[`...)
	b = appendCells(b, s.Values.Slice(0, split), true)
	if split < n {
		tail := <-rest
		b = append(slices.Grow(b, len(tail)+len(seriesTail)), tail...)
	}
	return append(b, seriesTail...)
}

// cellCost is the relative time appendCells needs for one cell: ujson's float rounding and
// repr's shortest digits cost about four times a timestamp.
func cellCost(c data.Column) int {
	if c.DType == data.Float64 {
		return 4
	}
	return 1
}

// fixedWidthCells reports that appendCells can write c: no object cells, which may fail.
func fixedWidthCells(c data.Column) bool {
	switch c.DType {
	case data.Float64, data.Int64, data.Bool, data.Datetime:
		return true
	}
	return false
}

// cellWidth is an upper estimate of one cell's JSON text including its separator.
func cellWidth(c data.Column) int {
	switch c.DType {
	case data.Datetime:
		return 28
	case data.Bool:
		return 6
	}
	return 22
}

// appendCells writes the cells of a fixed-width column separated by commas, as appendCell
// writes each one; a comma precedes the first cell too unless first.
func appendCells(b []byte, c data.Column, first bool) []byte {
	if !first && c.Len() > 0 {
		b = append(b, ',')
	}
	switch c.DType {
	case data.Datetime:
		return data.AppendPandasJSONQuoted(b, c.I, c.Zone, true)
	case data.Float64:
		for i, f := range c.F {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendPandasFloat(b, f)
		}
	case data.Int64:
		for i, v := range c.I {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, v, 10)
		}
	case data.Bool:
		for i, v := range c.B {
			if i > 0 {
				b = append(b, ',')
			}
			if v {
				b = append(b, "true"...)
			} else {
				b = append(b, "false"...)
			}
		}
	}
	return b
}

// AppendFrame appends a DataFrame in hetida's wrapped column orientation.
func AppendFrame(b []byte, f *data.DataFrame) ([]byte, error) {
	if !f.Index.IsUnique() {
		return b, ErrNonUniqueIndex
	}
	b = append(b, `{"__hd_wrapped_data_object__":"DATAFRAME","__metadata__":`...)
	b, err := appendAttrs(b, f.Attrs)
	if err != nil {
		return b, err
	}
	b = append(b, `,"__data__":{`...)
	keys := make([][]byte, f.Index.Len())
	for i := range keys {
		keys[i] = appendKey(nil, f.Index, i)
	}
	for ci, col := range f.Columns {
		if ci > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, LabelString(f.Names[ci]))
		b = append(b, ":{"...)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, k...)
			b = append(b, ':')
			if b, err = appendCell(b, col, i); err != nil {
				return b, err
			}
		}
		b = append(b, '}')
	}
	return append(b, "}}"...), nil
}

func appendAttrs(b []byte, attrs *data.Dict) ([]byte, error) {
	if attrs == nil {
		return append(b, "{}"...), nil
	}
	return AppendValue(b, attrs)
}

// appendLabel writes a Series name or other label the way to_json does: floats with the
// 10-decimal rounding, everything else as a JSON value.
func appendLabel(b []byte, v any) ([]byte, error) {
	if f, ok := v.(float64); ok {
		return AppendPandasFloat(b, f), nil
	}
	return appendObjectCell(b, v)
}

// appendCell writes element i of a column inside a pandas object.
func appendCell(b []byte, c data.Column, i int) ([]byte, error) {
	switch c.DType {
	case data.Float64:
		return AppendPandasFloat(b, c.F[i]), nil
	case data.Int64:
		return strconv.AppendInt(b, c.I[i], 10), nil
	case data.Bool:
		if c.B[i] {
			return append(b, "true"...), nil
		}
		return append(b, "false"...), nil
	case data.Datetime:
		if c.I[i] == data.NaT {
			return append(b, "null"...), nil
		}
		b = append(b, '"')
		b = data.AppendPandasJSON(b, c.I[i], c.Zone)
		return append(b, '"'), nil
	case data.Timedeltas:
		if c.I[i] == data.NaT {
			return append(b, "null"...), nil
		}
		b = append(b, '"')
		b = data.AppendISODuration(b, c.I[i])
		return append(b, '"'), nil
	}
	return appendObjectCell(b, c.O[i])
}

func appendObjectCell(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case float64:
		return AppendPandasFloat(b, x), nil
	case data.Timestamp:
		if x.IsNaT() {
			return append(b, "null"...), nil
		}
		b = append(b, '"')
		b = data.AppendPandasJSON(b, x.NS, x.Zone)
		return append(b, '"'), nil
	case data.Timedelta:
		if x.IsNaT() {
			return append(b, "null"...), nil
		}
		b = append(b, '"')
		b = data.AppendISODuration(b, x.NS)
		return append(b, '"'), nil
	}
	return AppendValue(b, v)
}

// appendKey renders index label i as the object key to_json writes in column orientation.
func appendKey(b []byte, c data.Column, i int) []byte {
	switch c.DType {
	case data.Datetime:
		b = append(b, '"')
		if c.I[i] == data.NaT {
			b = append(b, "null"...)
		} else {
			b = data.AppendPandasJSON(b, c.I[i], c.Zone)
		}
		return append(b, '"')
	case data.Timedeltas:
		b = append(b, '"')
		if c.I[i] == data.NaT {
			b = append(b, "null"...)
		} else {
			b = data.AppendISODuration(b, c.I[i])
		}
		return append(b, '"')
	case data.Int64:
		b = append(b, '"')
		b = strconv.AppendInt(b, c.I[i], 10)
		return append(b, '"')
	case data.Float64:
		b = append(b, '"')
		b = AppendPandasFloat(b, c.F[i])
		return append(b, '"')
	}
	return AppendString(b, LabelString(c.At(i)))
}

// LabelString renders a label as the string key pandas writes for it.
func LabelString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return "null"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return string(AppendPandasFloat(nil, x))
	case bool:
		if x {
			return "true"
		}
		return "false"
	case data.Timestamp:
		return string(data.AppendPandasJSON(nil, x.NS, x.Zone))
	case data.Timedelta:
		return string(data.AppendISODuration(nil, x.NS))
	}
	return fmt.Sprint(v)
}

// appendColumnList writes a column as a plain JSON list the way plotly's encoder writes
// arrays: full-precision floats, NaN/NaT as null, timestamps in isoformat.
func appendColumnList(b []byte, c data.Column) []byte {
	b = append(b, '[')
	for i, n := 0, c.Len(); i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		switch c.DType {
		case data.Float64:
			b = AppendFloat(b, c.F[i])
		case data.Int64:
			b = strconv.AppendInt(b, c.I[i], 10)
		case data.Bool:
			b = strconv.AppendBool(b, c.B[i])
		case data.Datetime:
			if c.I[i] == data.NaT {
				b = append(b, "null"...)
			} else {
				b = append(b, '"')
				b = data.AppendISOFormat(b, c.I[i], c.Zone)
				b = append(b, '"')
			}
		default:
			var err error
			if b, err = AppendValue(b, c.At(i)); err != nil {
				b = append(b, "null"...)
			}
		}
	}
	return append(b, ']')
}
