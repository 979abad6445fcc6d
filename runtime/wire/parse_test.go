package wire

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
)

// scalarCase is one input of a scalar type: want is the parsed value, or err a substring
// of the ParseError's message.
type scalarCase struct {
	in   any
	want any
	err  string
}

func runScalarCases(t *testing.T, typ data.Type, cases []scalarCase) {
	t.Helper()
	for _, c := range cases {
		got, err := Parse(typ, c.in, false)
		if c.err != "" {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Type != typ || !strings.Contains(pe.Msg, c.err) {
				t.Errorf("Parse(%s, %#v) = %#v, %v; want a %s ParseError containing %q", typ, c.in, got, err, typ, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%s, %#v): %v", typ, c.in, err)
			continue
		}
		if d := valueDiff(got, c.want); d != "" {
			t.Errorf("Parse(%s, %#v) = %#v; want %#v (%s)", typ, c.in, got, c.want, d)
		}
	}
}

func TestParseInt(t *testing.T) {
	runScalarCases(t, data.TypeInt, []scalarCase{
		{in: "42", want: int64(42)},
		{in: " 2 ", want: int64(2)},
		{in: "\t-3\n", want: int64(-3)},
		{in: "+7", want: int64(7)},
		{in: "1_000", want: int64(1000)},
		{in: "0", want: int64(0)},
		{in: "9223372036854775807", want: int64(math.MaxInt64)},
		{in: "-9223372036854775808", want: int64(math.MinInt64)},
		// JSON values from adapters and defaults: Python's int() truncates floats
		{in: int64(5), want: int64(5)},
		{in: 1.7, want: int64(1)},
		{in: -1.7, want: int64(-1)},
		{in: true, want: int64(1)},
		{in: false, want: int64(0)},
		{in: "1.0", err: `value "1.0" is not a valid integer`},
		{in: "1e3", err: "is not a valid integer"},
		{in: "true", err: "is not a valid integer"},
		{in: "0x1", err: "is not a valid integer"},
		{in: "", err: "is not a valid integer"},
		{in: "  ", err: "is not a valid integer"},
		{in: "1__0", err: "is not a valid integer"},
		{in: "_1", err: "is not a valid integer"},
		{in: "9223372036854775808", err: "does not fit into 64 bits"},
		{in: "99999999999999999999999", err: "does not fit into 64 bits"},
		{in: math.NaN(), err: "value is not a valid integer"},
		{in: math.Inf(1), err: "value is not a valid integer"},
		{in: []any{int64(1)}, err: "value is not a valid integer"},
		{in: nil, err: "none is not an allowed value"},
	})
}

func TestParseFloat(t *testing.T) {
	runScalarCases(t, data.TypeFloat, []scalarCase{
		{in: "1.5", want: 1.5},
		{in: "1e3", want: 1000.0},
		{in: "1E-3", want: 0.001},
		{in: "1", want: 1.0},
		{in: " 2.5 ", want: 2.5},
		{in: "600.0", want: 600.0},
		{in: ".5", want: 0.5},
		{in: "5.", want: 5.0},
		{in: "1_000.5", want: 1000.5},
		{in: "NaN", want: math.NaN()},
		{in: "nan", want: math.NaN()},
		{in: "-nan", want: math.NaN()},
		{in: "-inf", want: math.Inf(-1)},
		{in: "+Infinity", want: math.Inf(1)},
		{in: "1e500", want: math.Inf(1)}, // Python's float() overflows to inf
		{in: int64(3), want: 3.0},
		{in: 2.25, want: 2.25},
		{in: true, want: 1.0},
		{in: "", err: `value "" is not a valid float`},
		{in: "1,5", err: "is not a valid float"},
		{in: "abc", err: "is not a valid float"},
		{in: "0x1p3", err: "is not a valid float"},
		{in: "1_", err: "is not a valid float"},
		{in: "in", err: "is not a valid float"},
		{in: "1e", err: "is not a valid float"},
		{in: map[string]int{}, err: "value is not a valid float"},
		{in: nil, err: "none is not an allowed value"},
	})
}

func TestParseString(t *testing.T) {
	runScalarCases(t, data.TypeString, []scalarCase{
		{in: `"quoted"`, want: `"quoted"`}, // verbatim: no JSON decoding
		{in: "  spaced ", want: "  spaced "},
		{in: "", want: ""},
		{in: "180min", want: "180min"},
		{in: int64(5), want: "5"},
		{in: 1.5, want: "1.5"},
		{in: 2.0, want: "2.0"},
		{in: true, want: "True"},
		{in: []any{"a"}, err: "str type expected"},
		{in: dict("a", int64(1)), err: "str type expected"},
		{in: nil, err: "none is not an allowed value"},
	})
}

func TestParseBoolean(t *testing.T) {
	cases := []scalarCase{
		{in: true, want: true},
		{in: false, want: false},
		{in: int64(1), want: true},
		{in: int64(0), want: false},
		{in: 0.0, want: false},
		{in: 1.0, want: true},
		{in: "2", err: `value "2" could not be parsed to a boolean`},
		{in: "", err: "could not be parsed to a boolean"},
		{in: " true", err: "could not be parsed to a boolean"},
		{in: "yess", err: "could not be parsed to a boolean"},
		{in: int64(2), err: "value could not be parsed to a boolean"},
		{in: 0.5, err: "value could not be parsed to a boolean"},
		{in: nil, err: "none is not an allowed value"},
	}
	for _, s := range []string{"true", "TRUE", "True", "yes", "YES", "on", "On", "t", "T", "y", "1"} {
		cases = append(cases, scalarCase{in: s, want: true})
	}
	for _, s := range []string{"false", "FALSE", "no", "No", "off", "OFF", "f", "F", "n", "0"} {
		cases = append(cases, scalarCase{in: s, want: false})
	}
	runScalarCases(t, data.TypeBoolean, cases)
}

func TestParseAny(t *testing.T) {
	runScalarCases(t, data.TypeAny, []scalarCase{
		{in: `{"a":1,"b":[true,null]}`, want: dict("a", int64(1), "b", []any{true, nil})},
		{in: `[1,2]`, want: []any{int64(1), int64(2)}},
		{in: `plain text`, want: "plain text"},
		{in: `"x"`, want: "x"},                         // decoded once, "x" is not JSON: kept
		{in: `"\"x\""`, want: "x"},                     // decoded twice
		{in: `"[1, 2.5]"`, want: []any{int64(1), 2.5}}, // decoded twice into a list
		{in: `"\"\\\"y\\\"\""`, want: `"y"`},           // decoded at most twice
		{in: `null`, want: nil},
		{in: ``, want: ""},
		{in: `1.5`, want: 1.5},
		{in: `7`, want: int64(7)},
		{in: `NaN`, want: math.NaN()},
		{in: `{"a":`, want: `{"a":`}, // not JSON: the raw string
		// non-strings pass unchanged
		{in: int64(3), want: int64(3)},
		{in: dict("k", "v"), want: dict("k", "v")},
		{in: nil, err: "none is not an allowed value"},
	})
	if v, err := Parse(data.TypeAny, nil, true); err != nil || v != nil {
		t.Errorf("nullable ANY null = %#v, %v; want nil", v, err)
	}
}

func TestParsePlotlyJSON(t *testing.T) {
	fig := dict("data", []any{}, "layout", dict())
	runScalarCases(t, data.TypePlotlyJSON, []scalarCase{
		{in: fig, want: fig},
		// every direct-provisioning value is a string: always an error, as in hetida
		{in: `{"data":[],"layout":{}}`, err: "value is not a valid dict"},
		{in: []any{}, err: "value is not a valid dict"},
		{in: nil, err: "none is not an allowed value"},
	})
}

// Nullable parsing (defaults of optional inputs) turns null into nil for every type;
// non-nullable parsing (wired data, constants) rejects it.
func TestParseNull(t *testing.T) {
	for _, typ := range []data.Type{data.TypeInt, data.TypeFloat, data.TypeString, data.TypeBoolean, data.TypeAny,
		data.TypePlotlyJSON, data.TypeSeries, data.TypeDataFrame, data.TypeMultiTSFrame} {
		if v, err := Parse(typ, nil, true); err != nil || v != nil {
			t.Errorf("Parse(%s, null, nullable) = %#v, %v; want nil, nil", typ, v, err)
		}
		_, err := Parse(typ, nil, false)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Msg != "none is not an allowed value" || pe.Type != typ {
			t.Errorf("Parse(%s, null, non-nullable) error = %v; want 'none is not an allowed value'", typ, err)
		}
	}
	if _, err := Parse(data.Type("COMPLEX"), "1", false); err == nil || !strings.Contains(err.Error(), `unknown data type "COMPLEX"`) {
		t.Errorf("unknown type: %v", err)
	}
	var pe *ParseError
	_, err := Parse(data.TypeFloat, "abc", false)
	if !errors.As(err, &pe) || err.Error() != `cannot parse as FLOAT: value "abc" is not a valid float` {
		t.Errorf("ParseError text = %q", err)
	}
}

func TestPydanticBool(t *testing.T) {
	for _, c := range []struct {
		in       any
		want, ok bool
	}{
		{true, true, true}, {false, false, true}, {int64(1), true, true}, {int64(0), false, true},
		{int64(2), false, false}, {1.0, true, true}, {0.5, false, false}, {"YES", true, true},
		{"off", false, true}, {"T", true, true}, {"maybe", false, false}, {nil, false, false},
		{[]any{}, false, false},
	} {
		if got, ok := PydanticBool(c.in); got != c.want || ok != c.ok {
			t.Errorf("PydanticBool(%#v) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
