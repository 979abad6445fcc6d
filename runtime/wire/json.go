// Package wire converts between hetida's JSON and runtime values: a strict, fast JSON
// decoder that keeps Python's distinctions (key order, int vs float), the type-driven
// parsing of input values (hetida's "manual input" formats and pandas' read_json
// inference), and the exact serialisation of outputs.
package wire

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/trafofn/trafofn/runtime/data"
)

// SyntaxError reports malformed JSON with the byte offset where decoding stopped.
type SyntaxError struct {
	Msg    string
	Offset int
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.Offset, e.Msg)
}

// MaxDepth bounds nesting so that hostile input cannot exhaust the stack.
const MaxDepth = 1000

// Escaped is the content of a JSON string literal kept in escaped form. The decoder has
// validated it (escape sequences, no raw control characters, UTF-8), so String cannot
// fail. Request decoding keeps large strings this way so that a series sent as JSON inside
// a JSON string is read once, straight from the request bytes, instead of being unescaped
// into a copy first; when the content already read as a series during decoding, the
// series is kept too. An Escaped value aliases the decoded document, which must not change
// while it is in use.
type Escaped struct {
	raw    []byte
	series *data.Series
}

// String returns the unescaped string.
func (e *Escaped) String() string {
	s, _ := unescape(e.raw)
	return s
}

// Series returns the series the content holds, if it is one in hetida's common form.
func (e *Escaped) Series() (*data.Series, bool) {
	if e.series != nil {
		return e.series, true
	}
	return parseSeriesFastEscaped(e.raw)
}

// DecodeOptions tune Decode.
type DecodeOptions struct {
	// KeepEscaped > 0 returns strings of at least that many bytes that contain escapes
	// as Escaped values instead of unescaping them.
	KeepEscaped int
	// PandasFloats decodes numbers with a fraction or an exponent as pandas' read_json
	// does (its ujson arithmetic, see ujsonFloat) instead of correctly rounded.
	PandasFloats bool
}

// Decode parses one JSON document into Python-like values: nil, bool, int64 (integer
// literals), float64 (literals with a fraction or exponent, and Python's NaN, Infinity,
// -Infinity), string, []any and *data.Dict (keys in order; a repeated key keeps its first
// position and its last value, as json.loads does).
func Decode(b []byte) (any, error) { return DecodeWith(b, DecodeOptions{}) }

// DecodeWith is Decode with options.
func DecodeWith(b []byte, opts DecodeOptions) (any, error) {
	d := decoder{b: b, keep: opts.KeepEscaped, pandas: opts.PandasFloats}
	d.ws()
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.ws()
	if d.i != len(d.b) {
		return nil, d.err("extra data after the JSON value")
	}
	return v, nil
}

// DecodeString is Decode for a string without copying it.
func DecodeString(s string) (any, error) {
	return Decode(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// decodePandasString decodes the text of a pandas value as read_json does: its numbers
// with pandas' float arithmetic (DecodeOptions.PandasFloats).
func decodePandasString(s string) (any, error) {
	return DecodeWith(unsafe.Slice(unsafe.StringData(s), len(s)), DecodeOptions{PandasFloats: true})
}

type decoder struct {
	b      []byte
	i      int
	keep   int
	pandas bool
	dicts  data.DictArena
	strs   []byte // see copyString
}

func (d *decoder) err(msg string) error { return &SyntaxError{Msg: msg, Offset: d.i} }

func (d *decoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder) value(depth int) (any, error) {
	if d.i >= len(d.b) {
		return nil, d.err("unexpected end of input")
	}
	switch c := d.b[d.i]; c {
	case '{':
		return d.object(depth)
	case '[':
		return d.array(depth)
	case '"':
		s, e, err := d.stringValue()
		switch {
		case err != nil:
			return nil, err
		case e != nil:
			return e, nil
		}
		return s, nil
	case 't':
		return d.lit("true", true)
	case 'f':
		return d.lit("false", false)
	case 'n':
		return d.lit("null", nil)
	case 'N':
		return d.lit("NaN", math.NaN())
	case 'I':
		return d.lit("Infinity", math.Inf(1))
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			return d.number()
		}
		return nil, d.err(fmt.Sprintf("unexpected character %q", c))
	}
}

// stringValue reads a string value: an Escaped one when the options keep it escaped,
// else the unescaped string.
func (d *decoder) stringValue() (string, *Escaped, error) {
	if d.keep > 0 {
		if e := d.escapedSeries(); e != nil {
			return "", e, nil
		}
	}
	start, end, esc, err := d.scan()
	if err != nil {
		return "", nil, err
	}
	if esc && d.keep > 0 && end-start >= d.keep {
		return "", &Escaped{raw: d.b[start:end:end]}, nil
	}
	s, err := d.finish(start, end, esc)
	return s, nil, err
}

func (d *decoder) lit(word string, v any) (any, error) {
	if len(d.b)-d.i < len(word) || string(d.b[d.i:d.i+len(word)]) != word {
		return nil, d.err("invalid literal")
	}
	d.i += len(word)
	return v, nil
}

func (d *decoder) object(depth int) (any, error) {
	if depth >= MaxDepth {
		return nil, d.err("nesting too deep")
	}
	d.i++ // {
	obj := d.dicts.New(4)
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == '}' {
		d.i++
		return obj, nil
	}
	for {
		d.ws()
		if d.i >= len(d.b) || d.b[d.i] != '"' {
			return nil, d.err("expected a string key")
		}
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		d.ws()
		if d.i >= len(d.b) || d.b[d.i] != ':' {
			return nil, d.err("expected ':' after a key")
		}
		d.i++
		d.ws()
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		obj.Set(k, v)
		d.ws()
		if d.i >= len(d.b) {
			return nil, d.err("unexpected end of input in an object")
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case '}':
			d.i++
			return obj, nil
		default:
			return nil, d.err("expected ',' or '}' in an object")
		}
	}
}

func (d *decoder) array(depth int) (any, error) {
	if depth >= MaxDepth {
		return nil, d.err("nesting too deep")
	}
	d.i++ // [
	arr := make([]any, 0, 4)
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == ']' {
		d.i++
		return arr, nil
	}
	for {
		d.ws()
		v, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		d.ws()
		if d.i >= len(d.b) {
			return nil, d.err("unexpected end of input in an array")
		}
		switch d.b[d.i] {
		case ',':
			d.i++
		case ']':
			d.i++
			return arr, nil
		default:
			return nil, d.err("expected ',' or ']' in an array")
		}
	}
}

// number parses a JSON number (or -Infinity) and classifies it as int64 or float64.
func (d *decoder) number() (any, error) {
	start := d.i
	if d.b[d.i] == '-' {
		d.i++
		if d.i < len(d.b) && d.b[d.i] == 'I' {
			if _, err := d.lit("Infinity", nil); err != nil {
				return nil, err
			}
			return math.Inf(-1), nil
		}
	}
	intStart := d.i
	if d.i >= len(d.b) {
		return nil, d.err("invalid number")
	}
	if d.b[d.i] == '0' {
		d.i++
	} else if d.b[d.i] >= '1' && d.b[d.i] <= '9' {
		for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
			d.i++
		}
	} else {
		return nil, d.err("invalid number")
	}
	isFloat := false
	if d.i < len(d.b) && d.b[d.i] == '.' {
		d.i++
		fs := d.i
		for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
			d.i++
		}
		if d.i == fs {
			return nil, d.err("invalid number: no digits after '.'")
		}
		isFloat = true
	}
	if d.i < len(d.b) && (d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		d.i++
		if d.i < len(d.b) && (d.b[d.i] == '+' || d.b[d.i] == '-') {
			d.i++
		}
		es := d.i
		for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
			d.i++
		}
		if d.i == es {
			return nil, d.err("invalid number: no digits in the exponent")
		}
		isFloat = true
	}
	lit := d.b[start:d.i]
	if !isFloat && d.i-intStart <= 18 {
		var v int64
		for _, c := range d.b[intStart:d.i] {
			v = v*10 + int64(c-'0')
		}
		if lit[0] == '-' {
			v = -v
		}
		return v, nil
	}
	s := unsafe.String(unsafe.SliceData(lit), len(lit))
	if !isFloat {
		if v, err := strconv.ParseInt(s, 10, 64); err == nil {
			return v, nil
		}
	} else if d.pandas {
		if f, ok := ujsonFloat(lit); ok {
			return f, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return nil, d.err("invalid number")
	}
	return f, nil
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// special reports (in its high bits) whether a little-endian word of 8 bytes holds a
// quote, a backslash or a control character: the only bytes a string scan must stop at.
func special(w uint64) uint64 {
	q := w ^ (lsb * '"')
	bs := w ^ (lsb * '\\')
	return ((q - lsb) &^ q & msb) | ((bs - lsb) &^ bs & msb) | ((w - lsb*0x20) &^ w & msb)
}

// escapedSeries speculatively reads a string literal that holds a series in hetida's
// common JSON form ({\"<timestamp>\": number, …}) in the same pass that finds the end of
// the string. It returns nil, leaving the cursor alone, when the content is anything else.
func (d *decoder) escapedSeries() *Escaped {
	start := d.i + 1
	if len(d.b)-start < 64 || d.b[start] != '{' || d.b[start+1] != '\\' || d.b[start+2] != '"' {
		return nil
	}
	sc := seriesScanner{b: d.b[start:], esc: true, inString: true}
	s, ok := sc.series()
	if !ok {
		return nil
	}
	end := start + sc.i
	d.i = end + 1
	return &Escaped{raw: d.b[start:end:end], series: s}
}

// str parses a string literal starting at the opening quote.
func (d *decoder) str() (string, error) {
	start, end, esc, err := d.scan()
	if err != nil {
		return "", err
	}
	return d.finish(start, end, esc)
}

// scan finds the end of the string literal starting at the opening quote, eight bytes at
// a time, and validates it: escape sequences, control characters and UTF-8. It returns
// the content's bounds and whether it holds escapes; d.i ends after the closing quote.
func (d *decoder) scan() (start, end int, escapes bool, err error) {
	b := d.b
	d.i++ // opening quote
	start = d.i
	nonASCII := false
	i := start
	for {
		for i+8 <= len(b) {
			w := binary.LittleEndian.Uint64(b[i:])
			if special(w) != 0 {
				break
			}
			if w&msb != 0 {
				nonASCII = true
			}
			i += 8
		}
		if i >= len(b) {
			d.i = i
			return 0, 0, false, d.err("unterminated string")
		}
		c := b[i]
		if c == '"' {
			break
		}
		switch {
		case c == '\\':
			escapes = true
			if i+1 >= len(b) {
				d.i = i
				return 0, 0, false, d.err("unterminated string")
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if _, ok := hex4(b[i+2:]); !ok {
					d.i = i
					return 0, 0, false, d.err("invalid \\u escape")
				}
				i += 6
			default:
				d.i = i
				return 0, 0, false, d.err("invalid escape character")
			}
		case c < 0x20:
			d.i = i
			return 0, 0, false, d.err("invalid control character in a string")
		default:
			if c >= 0x80 {
				nonASCII = true
			}
			i++
		}
	}
	end = i
	d.i = end + 1
	if nonASCII && !utf8.Valid(b[start:end]) {
		return 0, 0, false, &SyntaxError{Msg: "invalid UTF-8 in a string", Offset: start}
	}
	return start, end, escapes, nil
}

func (d *decoder) finish(start, end int, escapes bool) (string, error) {
	if !escapes {
		if s, ok := intern(d.b[start:end]); ok {
			return s, nil
		}
		return d.copyString(d.b[start:end]), nil
	}
	return unescape(d.b[start:end])
}

// copyString returns b as a string. Short strings are copied into shared chunks (a
// request's names and small values then cost one allocation, not one each); a chunk's
// bytes are never written again once a string holds them.
func (d *decoder) copyString(b []byte) string {
	const short, chunk = 64, 512
	if len(b) == 0 || len(b) > short {
		return string(b)
	}
	if cap(d.strs)-len(d.strs) < len(b) {
		d.strs = make([]byte, 0, chunk)
	}
	off := len(d.strs)
	d.strs = append(d.strs, b...)
	return unsafe.String(&d.strs[off], len(b))
}

// unescape decodes the content of a validated string literal.
func unescape(b []byte) (string, error) {
	buf := make([]byte, 0, len(b))
	end := len(b)
	for j := 0; j < end; {
		k := bytes.IndexByte(b[j:end], '\\')
		if k < 0 {
			buf = append(buf, b[j:end]...)
			break
		}
		buf = append(buf, b[j:j+k]...)
		j += k + 1
		if j >= end {
			return "", &SyntaxError{Msg: "unterminated escape", Offset: j}
		}
		e := b[j]
		j++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := hex4(b[j:end])
			if !ok {
				return "", &SyntaxError{Msg: "invalid \\u escape", Offset: j}
			}
			j += 4
			if utf16.IsSurrogate(r) {
				r2, ok := rune(0), false
				if j+6 <= end && b[j] == '\\' && b[j+1] == 'u' {
					r2, ok = hex4(b[j+2 : end])
				}
				if ok && r < 0xDC00 && r2 >= 0xDC00 && r2 <= 0xDFFF {
					r = utf16.DecodeRune(r, r2)
					j += 6
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", &SyntaxError{Msg: "invalid escape character", Offset: j - 1}
		}
	}
	return unsafe.String(unsafe.SliceData(buf), len(buf)), nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// intern returns the constant for the keys and values every execution request repeats,
// so decoding them allocates nothing (the compiler compares string(b) without copying).
func intern(b []byte) (string, bool) {
	switch string(b) {
	case "id":
		return "id", true
	case "wiring":
		return "wiring", true
	case "input_wirings":
		return "input_wirings", true
	case "output_wirings":
		return "output_wirings", true
	case "dashboard_positionings":
		return "dashboard_positionings", true
	case "workflow_input_name":
		return "workflow_input_name", true
	case "workflow_output_name":
		return "workflow_output_name", true
	case "adapter_id":
		return "adapter_id", true
	case "direct_provisioning":
		return "direct_provisioning", true
	case "filters":
		return "filters", true
	case "value":
		return "value", true
	case "run_pure_plot_operators":
		return "run_pure_plot_operators", true
	case "job_id":
		return "job_id", true
	case "revision_group_id":
		return "revision_group_id", true
	case "ref_id":
		return "ref_id", true
	case "ref_id_type":
		return "ref_id_type", true
	case "ref_key":
		return "ref_key", true
	case "type":
		return "type", true
	case "use_default_value":
		return "use_default_value", true
	}
	return "", false
}
