// Package wire converts between hetida's JSON and runtime values: a strict, fast JSON
// decoder that keeps Python's distinctions (key order, int vs float), the type-driven
// parsing of input values (hetida's "manual input" formats and pandas' read_json
// inference), and the exact serialisation of outputs.
package wire

import (
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

// Decode parses one JSON document into Python-like values: nil, bool, int64 (integer
// literals), float64 (literals with a fraction or exponent, and Python's NaN, Infinity,
// -Infinity), string, []any and *data.Dict (keys in order; a repeated key keeps its first
// position and its last value, as json.loads does).
func Decode(b []byte) (any, error) {
	d := decoder{b: b}
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

type decoder struct {
	b []byte
	i int
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
		return d.str()
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
	obj := data.NewDict(4)
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
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return nil, d.err("invalid number")
	}
	return f, nil
}

// str parses a string literal starting at the opening quote.
func (d *decoder) str() (string, error) {
	d.i++ // opening quote
	start := d.i
	// fast path: no escapes, ASCII or valid UTF-8 without control characters
	for d.i < len(d.b) {
		c := d.b[d.i]
		if c == '"' {
			s := string(d.b[start:d.i])
			d.i++
			if !utf8.ValidString(s) {
				return "", &SyntaxError{Msg: "invalid UTF-8 in a string", Offset: start}
			}
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", d.err("invalid control character in a string")
		}
		d.i++
	}
	buf := make([]byte, 0, d.i-start+16)
	buf = append(buf, d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			if !utf8.Valid(buf) {
				return "", &SyntaxError{Msg: "invalid UTF-8 in a string", Offset: start}
			}
			return unsafe.String(unsafe.SliceData(buf), len(buf)), nil
		case c == '\\':
			d.i++
			if d.i >= len(d.b) {
				return "", d.err("unexpected end of input in a string")
			}
			e := d.b[d.i]
			d.i++
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
				r, ok := d.hex4()
				if !ok {
					return "", d.err("invalid \\u escape")
				}
				if utf16.IsSurrogate(r) {
					if d.i+6 <= len(d.b) && d.b[d.i] == '\\' && d.b[d.i+1] == 'u' {
						save := d.i
						d.i += 2
						r2, ok := d.hex4()
						if ok && r2 >= 0xDC00 && r2 <= 0xDFFF && r < 0xDC00 {
							r = utf16.DecodeRune(r, r2)
						} else {
							d.i = save
							r = utf8.RuneError
						}
					} else {
						r = utf8.RuneError
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", d.err("invalid escape character")
			}
		case c < 0x20:
			return "", d.err("invalid control character in a string")
		default:
			// copy the run up to the next quote or backslash in one go
			j := d.i + 1
			for j < len(d.b) && d.b[j] != '"' && d.b[j] != '\\' && d.b[j] >= 0x20 {
				j++
			}
			buf = append(buf, d.b[d.i:j]...)
			d.i = j
		}
	}
	return "", d.err("unterminated string")
}

func (d *decoder) hex4() (rune, bool) {
	if d.i+4 > len(d.b) {
		return 0, false
	}
	var r rune
	for _, c := range d.b[d.i : d.i+4] {
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
	d.i += 4
	return r, true
}
