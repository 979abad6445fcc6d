package wire

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
)

// Decode follows Python's json.loads: integer literals stay integers, NaN and Infinity are
// accepted, a repeated key keeps its first position and its last value.
func TestDecode(t *testing.T) {
	cases := []struct {
		in   string
		want any
	}{
		{`null`, nil},
		{` true `, true},
		{`false`, false},
		{`0`, int64(0)},
		{`-0`, int64(0)},
		{`-0.0`, math.Copysign(0, -1)},
		{`42`, int64(42)},
		{`-123456789012345678`, int64(-123456789012345678)}, // 18 digits
		{`9223372036854775807`, int64(math.MaxInt64)},
		{`-9223372036854775808`, int64(math.MinInt64)},
		{`9223372036854775808`, 9223372036854775808.0}, // beyond int64: a float
		{`1.0`, 1.0},
		{`1e2`, 100.0},
		{`1E-2`, 0.01},
		{`1e400`, math.Inf(1)},
		{`NaN`, math.NaN()},
		{`Infinity`, math.Inf(1)},
		{`-Infinity`, math.Inf(-1)},
		{`"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00"`, "a\"b\\c/d\b\f\n\r\té😀"},
		{`"\ud800x"`, "\ufffdx"}, // a lone surrogate
		{`"raw é"`, "raw é"},
		{`[1, [2, []], {}]`, []any{int64(1), []any{int64(2), []any{}}, dict()}},
		{`{"b": 1, "a": 2, "b": 3}`, dict("b", int64(3), "a", int64(2))},
		{"\t\r\n {\"k\" : [ ] } \n", dict("k", []any{})},
	}
	for _, c := range cases {
		got, err := Decode([]byte(c.in))
		if err != nil {
			t.Errorf("Decode(%s): %v", c.in, err)
			continue
		}
		if d := valueDiff(got, c.want); d != "" {
			t.Errorf("Decode(%s) = %#v; %s", c.in, got, d)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct{ in, msg string }{
		{``, "unexpected end of input"},
		{`01`, "extra data after the JSON value"},
		{`+1`, "unexpected character '+'"},
		{`.5`, "unexpected character '.'"},
		{`1.`, "no digits after '.'"},
		{`1e`, "no digits in the exponent"},
		{`-`, "invalid number"},
		{`nul`, "invalid literal"},
		{`nan`, "invalid literal"},
		{`-Inf`, "invalid literal"},
		{`[1,]`, "unexpected character ']'"},
		{`[1 2]`, "expected ',' or ']' in an array"},
		{`{"a" 1}`, "expected ':' after a key"},
		{`{"a":1,}`, "expected a string key"},
		{`{1:1}`, "expected a string key"},
		{`{"a":1`, "unexpected end of input in an object"},
		{`"abc`, "unterminated string"},
		{"\"a\nb\"", "invalid control character in a string"},
		{`"\x"`, "invalid escape character"},
		{`"\u12"`, "invalid \\u escape"},
		{"\"\xff\"", "invalid UTF-8 in a string"},
		{`{} {}`, "extra data after the JSON value"},
		{strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), "nesting too deep"},
	}
	for _, c := range cases {
		v, err := Decode([]byte(c.in))
		var se *SyntaxError
		if !errors.As(err, &se) || !strings.Contains(se.Msg, c.msg) {
			t.Errorf("Decode(%.40q) = %#v, %v; want a SyntaxError containing %q", c.in, v, err, c.msg)
		}
	}
	if _, err := Decode([]byte(strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth))); err != nil {
		t.Errorf("depth %d: %v", MaxDepth, err)
	}
}

// KeepEscaped keeps long strings that contain escapes in their escaped form; short ones
// and ones without escapes are plain strings.
func TestDecodeKeepEscaped(t *testing.T) {
	long := strings.Repeat(`x\"`, 20) // 60 bytes escaped
	v, err := DecodeWith([]byte(`{"a":"`+long+`","b":"short\n","c":"`+strings.Repeat("y", 100)+`"}`), DecodeOptions{KeepEscaped: 50})
	if err != nil {
		t.Fatal(err)
	}
	d := v.(*data.Dict)
	a, _ := d.Get("a")
	if e, ok := a.(*Escaped); !ok || e.String() != strings.Repeat(`x"`, 20) {
		t.Errorf("a = %#v; want an Escaped of the long string", a)
	}
	if b, _ := d.Get("b"); b != "short\n" {
		t.Errorf("b = %#v", b)
	}
	if c, _ := d.Get("c"); c != strings.Repeat("y", 100) {
		t.Errorf("c = %#v", c)
	}
	// an Escaped value parses like its string for every type
	if got, err := Parse(data.TypeString, a, false); err != nil || got != strings.Repeat(`x"`, 20) {
		t.Errorf("Parse(STRING, Escaped) = %#v, %v", got, err)
	}
}
