package wire

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trafofn/trafofn/runtime/data"
)

// genSeries renders a random SERIES input in hetida's plain form {"<timestamp>": value}.
// inDomain reports whether the fast path must take it: keys strictly increasing in one
// zone in the common 24-byte form, values numbers or null, not every value beyond pandas'
// epoch threshold.
func genSeries(r *rand.Rand) (s string, inDomain bool) {
	type format struct {
		layout string
		step   time.Duration
		zone   *time.Location
	}
	formats := []format{
		{"2006-01-02T15:04:05.000Z", time.Millisecond, time.UTC}, // the common form
		{"2006-01-02T15:04:05Z", time.Second, time.UTC},
		{"2006-01-02T15:04:05.000000Z", time.Microsecond, time.UTC},
		{"2006-01-02T15:04:05+00:00", time.Second, time.UTC},
		{"2006-01-02T15:04:05.000+01:00", time.Millisecond, time.FixedZone("", 3600)},
		{"2006-01-02T15:04:05-05:30", time.Second, time.FixedZone("", -19800)},
		{"2006-01-02T15:04:05", time.Second, time.UTC}, // naive
		{"2006-01-02 15:04:05.000", time.Millisecond, time.UTC},
		{"2006-01-02", 24 * time.Hour, time.UTC},
	}
	f := formats[r.IntN(len(formats))]
	// The fast reader skips 24 bytes to the end of a key when a quote sits there, which
	// for shorter keys can land on the next key's quote; it then declines and the generic
	// path takes over. Only inputs with 24-byte keys are therefore certain to be taken.
	common := len(f.layout) == 24
	ws := func() string {
		return []string{"", "", "", " ", "\n", "\t", "\r\n  ", "  "}[r.IntN(8)]
	}
	n := 1 + r.IntN(40)
	tm := time.Date(2018+r.IntN(5), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), 0, time.UTC)
	allBig := true
	var b strings.Builder
	b.WriteString(ws() + "{")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(ws() + ",")
		}
		b.WriteString(ws() + `"` + tm.In(f.zone).Format(f.layout) + `"` + ws() + ":" + ws())
		var v string
		switch r.IntN(10) {
		case 0:
			v = "null"
		case 1:
			v = strconv.Itoa(r.IntN(2001) - 1000)
		case 2:
			v = strconv.FormatFloat(float64(r.IntN(200)-100), 'f', 1, 64) // whole: "3.0"
		case 3:
			v = strconv.FormatFloat(r.NormFloat64()*1e3, 'e', r.IntN(8), 64) // exponent
		case 4:
			v = strings.ToUpper(strconv.FormatFloat(r.NormFloat64()*1e-3, 'e', -1, 64))
		case 5:
			v = strconv.FormatInt(r.Int64N(1e18)-5e17, 10) // up to 18 digits
		case 6:
			v = "-" + strconv.FormatFloat(r.Float64()*100, 'f', r.IntN(12), 64)
		case 7:
			v = strconv.FormatFloat(r.NormFloat64()*1e6, 'f', -1, 64)
		default:
			v = strconv.FormatFloat(90+r.Float64()*10, 'f', 10, 64)
		}
		// pandas' epoch test passes nulls: a series of nulls and big numbers reads as dates
		if fv, err := strconv.ParseFloat(v, 64); v != "null" && (err != nil || !(fv > 31536000)) {
			allBig = false
		}
		b.WriteString(v)
		tm = tm.Add(f.step * time.Duration(1+r.IntN(300)))
	}
	b.WriteString(ws() + "}" + ws())
	return b.String(), common && !allBig
}

// generic parses s the slow way: the decoded JSON (numbers read as read_json reads them)
// through the read_json emulation.
func generic(t *testing.T, s string) *data.Series {
	t.Helper()
	v, err := DecodeWith([]byte(s), DecodeOptions{PandasFloats: true})
	if err != nil {
		t.Fatalf("generated input is not JSON: %v\n%s", err, s)
	}
	ser, err := Parse(data.TypeSeries, v, false)
	if err != nil {
		t.Fatalf("generic parse: %v\n%s", err, s)
	}
	return ser.(*data.Series)
}

// inRequest embeds s as the value of a direct-provisioning filter, as a JSON string.
func inRequest(s string) []byte {
	return append(AppendString([]byte(`{"value":`), s), '}')
}

func decodeValue(t *testing.T, doc []byte, keep int) any {
	t.Helper()
	v, err := DecodeWith(doc, DecodeOptions{KeepEscaped: keep})
	if err != nil {
		t.Fatalf("DecodeWith: %v\n%s", err, doc)
	}
	val, _ := v.(*data.Dict).Get("value")
	return val
}

// The fast series readers (plain text, escaped text inside a request string, and the
// decoder's speculative read) must give exactly the Series the generic path gives, and
// must take the inputs they are meant for.
func TestFastSeriesMatchesGeneric(t *testing.T) {
	eachSplitMode(t, testFastSeriesMatchesGeneric)
}

// eachSplitMode runs test with the production threshold for scanning a series in two
// halves and with every series split (where a boundary is found), so that the small
// generated inputs also exercise the parallel scan.
func eachSplitMode(t *testing.T, test func(*testing.T)) {
	for _, from := range []int{parallelSeriesBytes, 1} {
		t.Run("split-from-"+strconv.Itoa(from), func(t *testing.T) {
			old := parallelSeriesBytes
			parallelSeriesBytes = from
			defer func() { parallelSeriesBytes = old }()
			test(t)
		})
	}
}

func testFastSeriesMatchesGeneric(t *testing.T) {
	r := rand.New(rand.NewPCG(2024, 5))
	fastTaken, specTaken := 0, 0
	for i := 0; i < 3000; i++ {
		s, inDomain := genSeries(r)
		want := generic(t, s)

		fast, ok := parseSeriesFast(s)
		if ok {
			fastTaken++
			if d := seriesDiff(fast, want); d != "" {
				t.Fatalf("parseSeriesFast differs from the generic path: %s\n%s", d, s)
			}
		} else if inDomain {
			t.Fatalf("parseSeriesFast declined an input it is meant for:\n%s", s)
		}
		if got, err := Parse(data.TypeSeries, s, false); err != nil || seriesDiff(got.(*data.Series), want) != "" {
			t.Fatalf("Parse(string) = %v, %v; want the generic series\n%s", got, err, s)
		}

		doc := inRequest(s)
		// without KeepEscaped: the unescaped string
		if str, ok := decodeValue(t, doc, 0).(string); !ok || str != s {
			t.Fatalf("Decode did not return the string itself: %#v", str)
		}
		// with KeepEscaped: an *Escaped, read speculatively during decoding when it is long
		// enough, or later by parseSeriesFastEscaped
		esc, isEsc := decodeValue(t, doc, 1).(*Escaped)
		if !isEsc {
			t.Fatalf("DecodeWith(KeepEscaped) did not keep the string escaped\n%s", doc)
		}
		if esc.String() != s {
			t.Fatalf("Escaped.String() = %q; want %q", esc.String(), s)
		}
		if esc.series != nil {
			specTaken++
			if d := seriesDiff(esc.series, want); d != "" {
				t.Fatalf("the decoder's speculative series differs: %s\n%s", d, s)
			}
		}
		if ser, ok := parseSeriesFastEscaped(esc.raw); ok {
			if d := seriesDiff(ser, want); d != "" {
				t.Fatalf("parseSeriesFastEscaped differs: %s\n%s", d, s)
			}
		} else if inDomain {
			t.Fatalf("parseSeriesFastEscaped declined an input it is meant for:\n%s", doc)
		}
		got, err := Parse(data.TypeSeries, esc, false)
		if err != nil {
			t.Fatalf("Parse(Escaped): %v\n%s", err, doc)
		}
		if d := seriesDiff(got.(*data.Series), want); d != "" {
			t.Fatalf("Parse(Escaped) differs: %s\n%s", d, doc)
		}
	}
	if fastTaken < 2000 || specTaken < 100 {
		t.Fatalf("fast paths rarely taken: plain %d, speculative %d of 3000", fastTaken, specTaken)
	}
}

// Inputs outside the fast path's domain are declined by every fast reader and still parse
// (or fail) exactly as the generic path does.
func TestFastSeriesFallsBack(t *testing.T) {
	eachSplitMode(t, testFastSeriesFallsBack)
}

// deep puts entry after five entries of the common form, followed by two more.
func deep(entry string) string {
	return `{"2020-01-01T00:00:00.000Z":1.5,"2020-01-01T00:05:00.000Z":2.25,"2020-01-01T00:10:00.000Z":3.125,` +
		`"2020-01-01T00:15:00.000Z":4.5,"2020-01-01T00:20:00.000Z":5.5,"2020-01-01T00:25:00.000Z":6.5,` + entry +
		`,"2020-01-02T00:10:00.000Z":3.5,"2020-01-02T00:15:00.000Z":4.5}`
}

func testFastSeriesFallsBack(t *testing.T) {
	pad := `,"2020-01-01T00:10:00.000Z":3.5,"2020-01-01T00:15:00.000Z":4.5`
	cases := []struct {
		name string
		in   string
		err  string // the generic path's error, if it fails
	}{
		{"unsorted keys", `{"2020-01-01T00:05:00.000Z":1.5,"2020-01-01T00:00:00.000Z":2.5,"2020-01-01T00:10:00.000Z":3.5}`, ""},
		{"duplicate keys", `{"2020-01-01T00:00:00.000Z":1.5,"2020-01-01T00:00:00.000Z":2.5` + pad + `}`, ""},
		{"same instant twice", `{"2020-01-01T00:00:00.000Z":1.5,"2020-01-01T00:00:00Z":2.5` + pad + `}`, ""},
		{"mixed zones", `{"2020-01-01T00:00:00.000Z":1.5,"2020-01-01T01:05:00.000+01:00":2.5` + pad + `}`, ""},
		{"naive and aware", `{"2020-01-01T00:00:00.000":1.5,"2020-01-01T00:05:00.000Z":2.5` + pad + `}`, ""},
		{"string values", `{"2020-01-01T00:00:00.000Z":"a","2020-01-01T00:05:00.000Z":"b"` + pad + `}`, ""},
		{"boolean values", `{"2020-01-01T00:00:00.000Z":true,"2020-01-01T00:05:00.000Z":false,"2020-01-01T00:10:00.000Z":true}`, ""},
		{"nested values", `{"2020-01-01T00:00:00.000Z":[1],"2020-01-01T00:05:00.000Z":{"a":1}` + pad + `}`, ""},
		{"epoch-like values", `{"2020-01-01T00:00:00.000Z":1600000000000,"2020-01-01T00:05:00.000Z":1600000001000,"2020-01-01T00:10:00.000Z":null}`, ""},
		{"all null", `{"2020-01-01T00:00:00.000Z":null,"2020-01-01T00:05:00.000Z":null,"2020-01-01T00:10:00.000Z":null}`, ""},
		{"non-date keys", `{"a":1.5,"b":2.5,"c":3.5,"d":4.5,"e":5.5,"f":6.5,"g":7.5,"h":8.5,"i":9.5,"j":10.5}`, ""},
		{"epoch keys", `{"1577836800000":1.5,"1577836860000":2.5,"1577836920000":3.5,"1577836980000":4.5}`, ""},
		{"escape in a key", `{"2020-01-01T00:00:00\u002e000Z":1.5,"2020-01-01T00:05:00.000Z":2.5` + pad + `}`, ""},
		{"empty", `{}`, ""},
		{"list", `[1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5, 12.5, 13.5, 14.5]`, ""},
		{"NaN literal", `{"2020-01-01T00:00:00.000Z":NaN,"2020-01-01T00:05:00.000Z":2.5` + pad + `}`, ""},
		{"leading zero", `{"2020-01-01T00:00:00.000Z":01,"2020-01-01T00:05:00.000Z":2.5` + pad + `}`, "value is not valid JSON"},
		{"truncated", `{"2020-01-01T00:00:00.000Z":1.5,"2020-01-01T00:05:00.000Z":2.5` + pad, "value is not valid JSON"},
		{"trailing garbage", `{"2020-01-01T00:00:00.000Z":1.5,"2020-01-01T00:05:00.000Z":2.5` + pad + `} x`, "value is not valid JSON"},
		{"missing comma", `{"2020-01-01T00:00:00.000Z":1.5 "2020-01-01T00:05:00.000Z":2.5` + pad + `}`, "value is not valid JSON"},
		{"bad fraction", `{"2020-01-01T00:00:00.000Z":1.,"2020-01-01T00:05:00.000Z":2.5` + pad + `}`, "value is not valid JSON"},
		{"invalid date", `{"2020-02-30T00:00:00.000Z":1.5,"2020-03-01T00:05:00.000Z":2.5` + pad + `}`, ""},
		{"hour 24", `{"2020-01-01T24:00:00.000Z":1.5,"2020-01-02T00:05:00.000Z":2.5` + pad + `}`, ""},
		// the same deep inside a series, where compactRun reads
		{"leading zero later", deep(`"2020-01-01T00:30:00.000Z":01.5`), "value is not valid JSON"},
		{"negative leading zero later", deep(`"2020-01-01T00:30:00.000Z":-00.5`), "value is not valid JSON"},
		{"bad fraction later", deep(`"2020-01-01T00:30:00.000Z":1.`), "value is not valid JSON"},
		{"no integer part later", deep(`"2020-01-01T00:30:00.000Z":-.5`), "value is not valid JSON"},
		{"same instant later", deep(`"2020-01-01T00:25:00.000Z":1.5`), ""},
		{"minute 60 later", deep(`"2020-01-01T00:60:00.000Z":1.5`), ""},
		{"hour 24 later", deep(`"2020-01-01T24:00:00.000Z":1.5`), ""},
		{"string later", deep(`"2020-01-01T00:30:00.000Z":"1.5"`), ""},
	}
	for _, c := range cases {
		if _, ok := parseSeriesFast(c.in); ok {
			t.Errorf("%s: parseSeriesFast accepted it", c.name)
		}
		doc := inRequest(c.in)
		v, err := DecodeWith(doc, DecodeOptions{KeepEscaped: 1})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		val, _ := v.(*data.Dict).Get("value")
		if e, ok := val.(*Escaped); ok {
			if e.series != nil {
				t.Errorf("%s: the decoder read it as a series", c.name)
			}
			if _, ok := parseSeriesFastEscaped(e.raw); ok {
				t.Errorf("%s: parseSeriesFastEscaped accepted it", c.name)
			}
		}
		for _, in := range []any{c.in, val} {
			got, err := Parse(data.TypeSeries, in, false)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("%s: Parse(%T) = %v, %v; want an error containing %q", c.name, in, got, err, c.err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: Parse(%T): %v", c.name, in, err)
				continue
			}
			if d := seriesDiff(got.(*data.Series), generic(t, c.in)); d != "" {
				t.Errorf("%s: Parse(%T) differs from the generic path: %s", c.name, in, d)
			}
		}
	}
}

// Regression: the decoder's speculative series read (escapedSeries, used for request
// bodies decoded with KeepEscaped) skipped raw tab, newline and carriage-return bytes as
// whitespace inside the JSON string literal it was reading. A raw control character in a
// string is invalid JSON — Decode, Python's json.loads and therefore hetida reject the
// request — but with KeepEscaped the same bytes decoded into a series.
func TestDecodeRejectsRawControlCharactersInSeriesStrings(t *testing.T) {
	series := `{\"2020-01-01T00:00:00.000Z\":1.5,\"2020-01-01T00:05:00.000Z\":2.5,\"2020-01-01T00:10:00.000Z\":3.5}`
	for _, raw := range []string{"\n", "\t", "\r"} {
		for _, at := range []int{1, strings.Index(series, ",") + 1, len(series) - 1, len(series)} {
			doc := []byte(`{"value":"` + series[:at] + raw + series[at:] + `"}`)
			if _, err := Decode(doc); err == nil {
				t.Fatalf("premise: Decode accepted %q", doc)
			}
			if v, err := DecodeWith(doc, DecodeOptions{KeepEscaped: 1}); err == nil {
				t.Errorf("DecodeWith(KeepEscaped) accepted a raw %q inside a string: %v\n%q", raw, v, doc)
			}
		}
	}
	// escaped whitespace (\n, \t, \r as two characters) is fine and still takes the fast read
	doc := []byte(`{"value":"` + strings.ReplaceAll(series, ",", `,\n\t`) + `\r\n"}`)
	v, err := DecodeWith(doc, DecodeOptions{KeepEscaped: 1})
	if err != nil {
		t.Fatal(err)
	}
	val, _ := v.(*data.Dict).Get("value")
	if e, ok := val.(*Escaped); !ok || e.series == nil || e.series.Len() != 3 {
		t.Fatalf("escaped whitespace: %#v", val)
	}
}

// bigSeries renders n entries of the common form at 5-minute spacing; val gives entry i's
// value text.
func bigSeries(n int, val func(i int) string) string {
	t0 := time.Date(2018, 5, 19, 22, 20, 0, 0, time.UTC)
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"` + t0.Add(time.Duration(i)*5*time.Minute).Format("2006-01-02T15:04:05.000Z") + `":` + val(i))
	}
	b.WriteString("}")
	return b.String()
}

// A large series is read in two halves at once; the halves must join to exactly what the
// generic path reads, and every disagreement across the boundary must send the input to
// the generic path.
func TestSeriesScannedInHalves(t *testing.T) {
	n := parallelSeriesBytes/25 + 1000 // above the production threshold (26–42 bytes an entry)
	float := func(i int) string { return strconv.FormatFloat(90+float64(i%97)/7, 'f', 10, 64) }
	// mid returns the index of the first entry after the scanner's split point.
	mid := func(s string) int {
		sc := seriesScanner{b: []byte(s)}
		sc.ws()
		sc.byte('{')
		sp := sc.splitPoint()
		if sp < 0 {
			t.Fatal("no split point")
		}
		return strings.Count(s[:sp], ",") + 1
	}
	base := bigSeries(n, float)
	m := mid(base)
	cases := []struct {
		name string
		s    string
		fast bool // the fast path must take it, in two halves
	}{
		{"floats", base, true},
		{"ints then floats", bigSeries(n, func(i int) string {
			if i < m {
				return strconv.Itoa(i)
			}
			return float(i)
		}), true},
		{"floats then ints", bigSeries(n, func(i int) string {
			if i < m {
				return float(i)
			}
			return strconv.Itoa(i)
		}), true},
		{"ints", bigSeries(n, strconv.Itoa), true},
		{"whole floats then ints", bigSeries(n, func(i int) string {
			if i < m {
				return strconv.Itoa(i) + ".0"
			}
			return strconv.Itoa(i)
		}), true},
		{"null only in the second half", bigSeries(n, func(i int) string {
			if i == m+3 {
				return "null"
			}
			return strconv.Itoa(i)
		}), true},
		{"epoch-like only in the second half", bigSeries(n, func(i int) string {
			if i < m {
				return "1600000000000"
			}
			return float(i)
		}), true},
		{"epoch-like throughout", bigSeries(n, func(i int) string { return strconv.Itoa(1600000000000 + i) }), false},
		{"second half repeats the first's last key", strings.Replace(base, bigKey(m), bigKey(m-1), 1), false},
		{"second half naive", strings.Replace(base, bigKey(m), strings.TrimSuffix(bigKey(m), `Z"`)+`"`, 1), false},
		{"string value in the second half", strings.Replace(base, bigKey(m+5)+":"+float(m+5), bigKey(m+5)+`:"x"`, 1), false},
		{"string value in the first half", strings.Replace(base, bigKey(3)+":"+float(3), bigKey(3)+`:"x"`, 1), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := generic(t, c.s)
			for _, mode := range []string{"plain", "escaped", "speculative"} {
				before := halvesJoined.Load()
				var got *data.Series
				var ok bool
				switch mode {
				case "plain":
					got, ok = parseSeriesFast(c.s)
				case "escaped":
					esc := decodeValue(t, inRequest(c.s), 1).(*Escaped)
					got, ok = parseSeriesFastEscaped(esc.raw)
				case "speculative":
					esc := decodeValue(t, inRequest(c.s), 1).(*Escaped)
					got, ok = esc.series, esc.series != nil
				}
				if ok != c.fast {
					t.Fatalf("%s: fast path took it: %v, want %v", mode, ok, c.fast)
				}
				if ok {
					if d := seriesDiff(got, want); d != "" {
						t.Fatalf("%s: halves differ from the generic path: %s", mode, d)
					}
					if halvesJoined.Load() == before {
						t.Fatalf("%s: not read in two halves", mode)
					}
				}
				parsed, err := Parse(data.TypeSeries, c.s, false)
				if err != nil {
					t.Fatal(err)
				}
				if d := seriesDiff(parsed.(*data.Series), want); d != "" {
					t.Fatalf("Parse differs from the generic path: %s", d)
				}
			}
		})
	}
}

// bigKey is entry i's quoted key in bigSeries.
func bigKey(i int) string {
	t0 := time.Date(2018, 5, 19, 22, 20, 0, 0, time.UTC)
	return `"` + t0.Add(time.Duration(i)*5*time.Minute).Format("2006-01-02T15:04:05.000Z") + `"`
}

// Two large series strings in one request: the split guessed for the first lands in the
// second, so the first is read alone and the guess discarded; both read correctly.
func TestSeriesSplitGuessOutsideTheString(t *testing.T) {
	a := bigSeries(3000, strconv.Itoa)
	b := bigSeries(12000, func(i int) string { return strconv.Itoa(i) + ".5" })
	doc := AppendString([]byte(`{"a":`), a)
	doc = AppendString(append(doc, `,"b":`...), b)
	doc = append(doc, '}')
	v, err := DecodeWith(doc, DecodeOptions{KeepEscaped: 1})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"a": a, "b": b} {
		val, _ := v.(*data.Dict).Get(name)
		esc, ok := val.(*Escaped)
		if !ok || esc.series == nil {
			t.Fatalf("%s: not read as a series during decoding: %T", name, val)
		}
		if d := seriesDiff(esc.series, generic(t, want)); d != "" {
			t.Fatalf("%s: %s", name, d)
		}
		if esc.String() != want {
			t.Fatalf("%s: the string's extent is wrong", name)
		}
	}
}

// compactSeries renders n entries mostly in the form compactRun reads, mixed with every
// form next to it that it must leave to the general loop: integers, nulls, exponents,
// whole decimals, fractions of 15 and 16 digits, integer parts of 18 and 19 digits, a
// leading zero, whitespace, keys on a new day, and runs longer than its 1024 entries.
// whole: every value a whole decimal ("7.00"), which read_json turns into integers,
// except, with oneNot, one somewhere in the middle.
func compactSeries(r *rand.Rand, n int, whole, oneNot bool) string {
	tm := time.Date(2018+r.IntN(5), time.Month(1+r.IntN(12)), 1+r.IntN(28), 22, r.IntN(60), 0, 0, time.UTC)
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		if r.IntN(200) == 0 {
			b.WriteString(" ")
		}
		b.WriteString(`"` + tm.Format("2006-01-02T15:04:05.000Z") + `":`)
		var v string
		switch k := r.IntN(100); {
		case whole && oneNot && i == n/2:
			v = "3.25"
		case whole:
			v = strconv.FormatFloat(float64(r.IntN(2000)-1000), 'f', 1+r.IntN(3), 64)
		case k < 70:
			v = strconv.FormatFloat((r.Float64()-0.3)*1e3, 'f', 1+r.IntN(12), 64)
		case k < 74:
			v = strconv.FormatFloat(r.NormFloat64(), 'f', -1, 64) // up to 17 significant digits
		case k < 76:
			v = strconv.FormatFloat(float64(r.IntN(100)), 'f', 1+r.IntN(3), 64) // whole: "7.00"
		case k < 78:
			v = []string{"-0.0", "0.5", "-0.000000000000001", "0.1234567890123456", "123.123456789012345",
				"123456789012345678.5", "1234567890123456789.5", "12345678901234567.12", "99.99e1", "1.5E-3",
				"12345678901234567.123", "1234567890123.1234567", "999999999999999999.9", "9007199254740993.5"}[r.IntN(14)]
		case k < 80:
			v = strconv.Itoa(r.IntN(2001) - 1000)
		case k < 81:
			v = "null"
		default:
			v = strconv.FormatFloat(90+r.Float64()*10, 'f', 10, 64)
		}
		b.WriteString(v)
		tm = tm.Add(time.Duration(1+r.IntN(600)) * time.Second)
	}
	b.WriteString("}")
	return b.String()
}

// compactRun, the loop for the common entries, must give what the generic path gives,
// plain and escaped, whole or in halves; and it must actually read most of them.
func TestCompactRunMatchesGeneric(t *testing.T) {
	eachSplitMode(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(7, 16))
		before := compactRead.Load()
		total := 0
		for i := 0; i < 60; i++ {
			s := compactSeries(r, 1+r.IntN(3000), i%10 >= 8, i%10 == 9)
			total += strings.Count(s, `":`)
			want := generic(t, s)
			got, ok := parseSeriesFast(s)
			if !ok {
				t.Fatalf("parseSeriesFast declined a series of the common form:\n%.300s", s)
			}
			if d := seriesDiff(got, want); d != "" {
				t.Fatalf("parseSeriesFast differs from the generic path: %s", d)
			}
			esc := AppendString(nil, s)
			got, ok = parseSeriesFastEscaped(esc[1 : len(esc)-1])
			if !ok {
				t.Fatal("parseSeriesFastEscaped declined a series of the common form")
			}
			if d := seriesDiff(got, want); d != "" {
				t.Fatalf("parseSeriesFastEscaped differs from the generic path: %s", d)
			}
		}
		if read := compactRead.Load() - before; read < int64(total) { // of 2 × total (plain, escaped)
			t.Fatalf("compactRun read %d of %d entries", read, 2*total)
		}
	})
}
