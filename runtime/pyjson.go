package runtime

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/trafofn/trafofn/runtime/data"
)

// appendPyIndent appends v as Python's json.dumps(v, indent=2) writes it (ensure_ascii,
// ", " / ": " separators, one member per line): hetida echoes the execution input this
// way inside its 422 wiring messages.
func appendPyIndent(b []byte, v any, depth int) []byte {
	nl := func(b []byte, d int) []byte {
		b = append(b, '\n')
		for i := 0; i < d; i++ {
			b = append(b, ' ', ' ')
		}
		return b
	}
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		if x {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return data.AppendPyFloat(b, x)
	case string:
		return appendASCIIString(b, x)
	case []any:
		if len(x) == 0 {
			return append(b, "[]"...)
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = nl(b, depth+1)
			b = appendPyIndent(b, e, depth+1)
		}
		b = nl(b, depth)
		return append(b, ']')
	case *data.Dict:
		if x.Len() == 0 {
			return append(b, "{}"...)
		}
		b = append(b, '{')
		for i := 0; i < x.Len(); i++ {
			if i > 0 {
				b = append(b, ',')
			}
			b = nl(b, depth+1)
			k, e := x.At(i)
			b = appendASCIIString(b, k)
			b = append(b, ": "...)
			b = appendPyIndent(b, e, depth+1)
		}
		b = nl(b, depth)
		return append(b, '}')
	}
	return append(b, "null"...)
}

// appendASCIIString is json.dumps' string form with ensure_ascii=True.
func appendASCIIString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	u4 := func(b []byte, r rune) []byte {
		return append(b, '\\', 'u', hex[r>>12&0xF], hex[r>>8&0xF], hex[r>>4&0xF], hex[r&0xF])
	}
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"':
			b = append(b, '\\', '"')
		case r == '\\':
			b = append(b, '\\', '\\')
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r == '\b':
			b = append(b, '\\', 'b')
		case r == '\f':
			b = append(b, '\\', 'f')
		case r < 0x20 || (r >= 0x7f && r < 0x10000):
			b = u4(b, r)
		case r >= 0x10000:
			r1, r2 := utf16.EncodeRune(r)
			b = u4(u4(b, r1), r2)
		case r == utf8.RuneError:
			b = u4(b, r)
		default:
			b = append(b, byte(r))
		}
	}
	return append(b, '"')
}
