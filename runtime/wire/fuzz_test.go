package wire

import (
	"encoding/json"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
)

var fuzzTypes = []data.Type{data.TypeInt, data.TypeFloat, data.TypeString, data.TypeBoolean, data.TypeAny,
	data.TypePlotlyJSON, data.TypeSeries, data.TypeDataFrame, data.TypeMultiTSFrame}

// FuzzParse feeds arbitrary input strings to every data type's parser: nothing panics, and
// whatever parses serialises to valid JSON.
//
//	go test -fuzz FuzzParse -fuzztime 60s ./runtime/wire/
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"42", " 2 ", "1.5", "1e3", "NaN", "-inf", "true", "off", "hello", `"\"x\""`, `{"a": [1, 2, null]}`,
		`{"2020-01-01T00:00:00.000Z": 1.5, "2020-01-01T00:10:00.000Z": null}`,
		`{"2023-03-01T01:00:00+01:00": 1.0, "2023-03-01T02:00:00+01:00": 2.0}`,
		`[1, null, 3.5]`, `{"0": 1, "1": 2}`, `{"1577836800000": 1, "1577836900000": 2}`,
		`{"__hd_wrapped_data_object__": "SERIES", "__metadata__": {"a": 1}, "__data__": {"name": "x", "index": ["a", "a"], "data": [1, 2]}, "__data_parsing_options__": {"orient": "split"}}`,
		`{"a": {"0": 1, "1": null}, "b": {"0": "x", "2": true}}`, `[{"x": 1, "y": "a"}, {"x": null}]`,
		`[{"timestamp": "2023-03-01T00:00:00Z", "metric": "a", "value": 1.0}, {"timestamp": "2023-02-01T00:00:00Z", "metric": 7, "value": null}]`,
		`{"columns": ["a"], "index": [0], "data": [[1]]}`, `{"a": [1, 2], "b": {"x": 1}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, typ := range fuzzTypes {
			for _, nullable := range []bool{false, true} {
				v, err := Parse(typ, s, nullable)
				if err != nil {
					continue
				}
				out, err := AppendValue(nil, v)
				if err != nil {
					if err == ErrNonUniqueIndex {
						continue
					}
					if _, ok := v.(*data.Dict); !ok {
						t.Fatalf("%s %q: parsed value does not serialise: %v", typ, s, err)
					}
					continue
				}
				if !json.Valid(out) {
					t.Fatalf("%s %q: invalid JSON %s", typ, s, out)
				}
			}
		}
	})
}

// FuzzDecode: the decoder never panics, and what it accepts re-encodes to valid JSON that
// decodes to the same document.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,2.5,"x",null,true,{"b":NaN}]}`, `"\ud83d\ude00"`, `{"a":1,"a":2}`, `-0`, `1e400`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, keep := range []int{0, 8} {
			v, err := DecodeWith(b, DecodeOptions{KeepEscaped: keep})
			if err != nil {
				continue
			}
			if e, ok := v.(*Escaped); ok {
				v = e.String()
			}
			out, err := AppendValue(nil, unescapeAll(v))
			if err != nil {
				t.Fatalf("decoded value does not encode: %v", err)
			}
			if !json.Valid(out) {
				t.Fatalf("%q re-encodes to invalid JSON %s", b, out)
			}
			again, err := Decode(out)
			if err != nil {
				t.Fatalf("re-encoded %s does not decode: %v", out, err)
			}
			out2, _ := AppendValue(nil, again)
			if string(out2) != string(out) {
				t.Fatalf("round trip changed %s into %s", out, out2)
			}
		}
	})
}

// unescapeAll replaces Escaped strings inside a decoded document by their text.
func unescapeAll(v any) any {
	switch x := v.(type) {
	case *Escaped:
		return x.String()
	case []any:
		for i := range x {
			x[i] = unescapeAll(x[i])
		}
	case *data.Dict:
		for i := 0; i < x.Len(); i++ {
			k, e := x.At(i)
			x.Set(k, unescapeAll(e))
		}
	}
	return v
}
