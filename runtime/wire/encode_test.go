package wire

import (
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/trafofn/trafofn/runtime/data"
)

type selfRendering struct{}

func (selfRendering) AppendJSON(b []byte) ([]byte, error) {
	return append(b, `{"custom":true}`...), nil
}

func mustAppend(t *testing.T, v any) string {
	t.Helper()
	b, err := AppendValue([]byte("<"), v)
	if err != nil {
		t.Fatalf("AppendValue(%#v): %v", v, err)
	}
	if b[0] != '<' {
		t.Fatalf("AppendValue overwrote its buffer")
	}
	return string(b[1:])
}

// Expected texts are what hetida's HTTP endpoint (Python json.dumps, compact separators,
// ensure_ascii=False, float repr; pandas objects through to_json) writes.
func TestAppendValue(t *testing.T) {
	tenth := 0.1
	utcSeries := series("x", times(data.UTC, t0, t0+1e6), floats(1, nan))
	cases := []struct {
		name string
		in   any
		want string
	}{
		{"null", nil, `null`},
		{"true", true, `true`},
		{"false", false, `false`},
		{"int64", int64(-42), `-42`},
		{"int", 7, `7`},
		{"integral float keeps .0", 1.0, `1.0`},
		{"float repr 1e+16", 1e16, `1e+16`},
		{"float repr 4.4e-05", 4.4e-05, `4.4e-05`},
		{"float repr 16 digits", 1234567890123456.0, `1234567890123456.0`},
		{"negative zero", math.Copysign(0, -1), `-0.0`},
		{"shortest round trip", tenth + 2*tenth, `0.30000000000000004`},
		{"NaN outside pandas objects", math.NaN(), `null`},
		{"+Inf", math.Inf(1), `null`},
		{"-Inf", math.Inf(-1), `null`},
		{"string", "héllo \"w\"", `"héllo \"w\""`},
		{"aware timestamp in isoformat", data.Timestamp{NS: t0, Zone: data.UTC}, `"2020-01-01T00:00:00+00:00"`},
		{"offset timestamp", data.Timestamp{NS: t0, Zone: plusOne}, `"2020-01-01T01:00:00+01:00"`},
		// pandas 1.5.3's Timestamp.isoformat() keeps nanoseconds: all nine digits
		{"naive timestamp", data.Timestamp{NS: t0 + 1500, Zone: data.Naive}, `"2020-01-01T00:00:00.000001500"`},
		{"microsecond timestamp", data.Timestamp{NS: t0 + 1000, Zone: data.Naive}, `"2020-01-01T00:00:00.000001"`},
		{"aware nanosecond timestamp", data.Timestamp{NS: t0 + 784, Zone: plusOne}, `"2020-01-01T01:00:00.000000784+01:00"`},
		{"NaT", data.Timestamp{NS: data.NaT, Zone: data.UTC}, `null`},
		{"list", []any{int64(1), 2.0, "a", nil, []any{}, math.NaN()}, `[1,2.0,"a",null,[],null]`},
		{"dict keeps key order", dict("b", int64(1), "a", dict("z", true, "y", false), "c", []any{}), `{"b":1,"a":{"z":true,"y":false},"c":[]}`},
		{"empty dict", dict(), `{}`},
		{"float slice", []float64{1, 0.5, math.NaN()}, `[1.0,0.5,null]`},
		{"int slice", []int64{3, -4}, `[3,-4]`},
		{"string slice", []string{"a", `b"`}, `["a","b\""]`},
		// a column as a plain list: full precision, isoformat timestamps (plotly's encoder)
		{"float column", floats(0.5166639999999987, nan), `[0.5166639999999987,null]`},
		{"datetime column", times(data.UTC, t0, data.NaT), `["2020-01-01T00:00:00+00:00",null]`},
		{"bool column", bools(true, false), `[true,false]`},
		{"object column", objs("a", int64(1), nil), `["a",1,null]`},
		{"series", utcSeries, `{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":"x","index":["2020-01-01T00:00:00.000Z","2020-01-01T00:00:00.001Z"],"data":[1.0,null]},"__data_parsing_options__":{"orient":"split"}}`},
		{"series nested in ANY", dict("s", utcSeries), `{"s":{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":"x","index":["2020-01-01T00:00:00.000Z","2020-01-01T00:00:00.001Z"],"data":[1.0,null]},"__data_parsing_options__":{"orient":"split"}}}`},
		{"frame", frame(ints(0), names("a"), ints(5)), `{"__hd_wrapped_data_object__":"DATAFRAME","__metadata__":{},"__data__":{"a":{"0":5}}}`},
		{"self-rendering value", selfRendering{}, `{"custom":true}`},
	}
	for _, c := range cases {
		if got := mustAppend(t, c.in); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	if _, err := AppendValue(nil, struct{}{}); err == nil || err.Error() != "Object of type struct {} is not JSON serializable" {
		t.Errorf("unsupported type: %v", err)
	}
	if _, err := AppendValue(nil, []any{dict("deep", []any{make(chan int)})}); err == nil || !strings.Contains(err.Error(), "is not JSON serializable") {
		t.Errorf("nested unsupported type: %v", err)
	}
}

// pandas' to_json rounds floats to 10 decimals with its vendored ujson; hetida re-parses
// that JSON in Python and writes it again with repr.
func TestAppendPandasFloat(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0.5166639999999987, "0.516664"},         // ×1e10 = 5166639999.999987: rounds up to …640000
		{1e-20, "1e-20"},                         // below 1e-15: "%.10g"
		{123456.12345678901, "123456.123456789"}, // 10 decimals kept, 15 significant digits
		{2.675, "2.675"},                         // stored as 2.67499999999999982…, fraction rounds back up
		{1.0, "1.0"},
		{-1.5, "-1.5"},
		{0.0, "0.0"},
		{math.Copysign(0, -1), "0.0"}, // ujson only writes a sign for value < 0
		{-1e-11, "-0.0"},              // …which −1e-11 is, though it rounds to 0
		{1e-11, "0.0"},                // 1e-11 × 1e10 = 0.1: rounds to 0 at 10 decimals
		{6e-11, "1e-10"},              // rounds up to 0.0000000001, repr 1e-10
		{0.00001, "1e-05"},            // ujson "0.00001", repr switches to exponent
		{0.0001, "0.0001"},
		{1e15, "1000000000000000.0"},
		{1e16, "1e+16"}, // above 1e16-1: "%.10g"
		// pandas 1.5.3: pd.Series([1.7976931348623157e308]).to_json() writes
		// 1.797693135e+308, which Python reads back as inf (hetida's HTTP answer then
		// fails): null, as every non-finite float; 1.7976931344e308 stays finite
		{math.MaxFloat64, "null"},
		{-math.MaxFloat64, "null"},
		{1.7976931344e308, "1.797693134e+308"},
		{12345678901234567.0, "1.23456789e+16"},    // "%.10g" keeps 10 significant digits
		{123456789012345.67, "123456789012345.67"}, // 17 digits: re-parsed, repr
		{86.9358994238, "86.9358994238"},
		{0.1, "0.1"},
		{math.NaN(), "null"},
		{math.Inf(1), "null"},
		{math.Inf(-1), "null"},
	}
	for _, c := range cases {
		if got := string(AppendPandasFloat([]byte("x"), c.in)); got != "x"+c.want {
			t.Errorf("AppendPandasFloat(%v) = %q; want %q", c.in, got[1:], c.want)
		}
	}
}

func TestAppendSeries(t *testing.T) {
	cases := []struct {
		name string
		in   *data.Series
		want string
	}{
		{"aware index renders …Z, NaN null",
			series("temp", times(data.UTC, t0, t0+5*minute+123456789), floats(1.5, nan)),
			`{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":"temp","index":["2020-01-01T00:00:00.000Z","2020-01-01T00:05:00.123Z"],"data":[1.5,null]},"__data_parsing_options__":{"orient":"split"}}`},
		{"naive index renders without suffix",
			series(nil, times(data.Naive, t0), ints(3)),
			`{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":null,"index":["2020-01-01T00:00:00.000"],"data":[3]},"__data_parsing_options__":{"orient":"split"}}`},
		{"+01:00 index renders in UTC",
			series(nil, times(plusOne, t0), floats(0.25)),
			`{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":null,"index":["2020-01-01T00:00:00.000Z"],"data":[0.25]},"__data_parsing_options__":{"orient":"split"}}`},
		{"duplicate int index, metadata, pandas float rounding",
			&data.Series{Name: int64(3), Index: ints(1, 1), Values: floats(0.5166639999999987, 2), Attrs: dict("unit", "K")},
			`{"__hd_wrapped_data_object__":"SERIES","__metadata__":{"unit":"K"},"__data__":{"name":3,"index":[1,1],"data":[0.516664,2.0]},"__data_parsing_options__":{"orient":"split"}}`},
		{"float name, string index, datetime and object values",
			series(1.5, objs("a", "b"), times(data.UTC, t0, data.NaT)),
			`{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":1.5,"index":["a","b"],"data":["2020-01-01T00:00:00.000Z",null]},"__data_parsing_options__":{"orient":"split"}}`},
		{"booleans and nested objects",
			series("b", ints(0, 1, 2), objs(true, dict("k", 0.1), nan)),
			`{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":"b","index":[0,1,2],"data":[true,{"k":0.1},null]},"__data_parsing_options__":{"orient":"split"}}`},
		{"empty", series(nil, ints(), floats()),
			`{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":null,"index":[],"data":[]},"__data_parsing_options__":{"orient":"split"}}`},
	}
	for _, c := range cases {
		b, err := AppendSeries(nil, c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if string(b) != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, b, c.want)
		}
	}
}

func TestAppendFrame(t *testing.T) {
	cases := []struct {
		name string
		in   *data.DataFrame
		want string
	}{
		{"column orientation, int index keys as strings",
			frame(ints(0, 1), names("a", int64(5)), floats(1.5, nan), objs("x", nil)),
			`{"__hd_wrapped_data_object__":"DATAFRAME","__metadata__":{},"__data__":{"a":{"0":1.5,"1":null},"5":{"0":"x","1":null}}}`},
		{"datetime index and column, metadata",
			&data.DataFrame{Index: times(data.UTC, t0, t0+minute), Names: names("timestamp", "v"),
				Columns: []data.Column{times(data.Naive, t0, data.NaT), bools(true, false)}, Attrs: dict("m", int64(1))},
			`{"__hd_wrapped_data_object__":"DATAFRAME","__metadata__":{"m":1},"__data__":{"timestamp":{"2020-01-01T00:00:00.000Z":"2020-01-01T00:00:00.000","2020-01-01T00:01:00.000Z":null},"v":{"2020-01-01T00:00:00.000Z":true,"2020-01-01T00:01:00.000Z":false}}}`},
		{"string index keys are escaped",
			frame(objs(`a"b`), names("c"), ints(1)),
			`{"__hd_wrapped_data_object__":"DATAFRAME","__metadata__":{},"__data__":{"c":{"a\"b":1}}}`},
		{"no columns", frame(ints(0), nil),
			`{"__hd_wrapped_data_object__":"DATAFRAME","__metadata__":{},"__data__":{}}`},
	}
	for _, c := range cases {
		b, err := AppendFrame(nil, c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if string(b) != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, b, c.want)
		}
	}
	for _, idx := range []data.Column{ints(1, 1), objs("a", "a"), times(data.UTC, t0, t0), floats(1, 1)} {
		_, err := AppendFrame(nil, frame(idx, names("v"), ints(1, 2)))
		if !errors.Is(err, ErrNonUniqueIndex) || err.Error() != "DataFrame index must be unique for orient='columns'." {
			t.Errorf("non-unique %s index: err = %v; want ErrNonUniqueIndex", idx.DType, err)
		}
		if _, err := AppendValue(nil, dict("nested", frame(idx, names("v"), ints(1, 2)))); !errors.Is(err, ErrNonUniqueIndex) {
			t.Errorf("non-unique %s index inside ANY: err = %v; want ErrNonUniqueIndex", idx.DType, err)
		}
	}
}

// Python's json.dumps(ensure_ascii=False): quotes, backslash and control characters are
// escaped (\n, \r, \t, \b, \f by name, the rest as \u00XX); DEL and non-ASCII pass raw.
func TestAppendString(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{`a"b\c/d`, `"a\"b\\c/d"`},
		{"\n\r\t\b\f", `"\n\r\t\b\f"`},
		{"\x00\x01\x1f", `"\u0000\u0001\u001f"`},
		{"\x7f", "\"\x7f\""},
		{"é€😀\u2028", "\"é€😀\u2028\""},
		{"bad \xff byte", "\"bad \ufffd byte\""},
		{"\xe2\x82", "\"\ufffd\ufffd\""}, // a truncated sequence: one U+FFFD per byte
		{"tail\x00", `"tail\u0000"`},
	}
	for _, c := range cases {
		if got := string(AppendString(nil, c.in)); got != c.want {
			t.Errorf("AppendString(%q) = %s; want %s", c.in, got, c.want)
		}
	}
}

// Whatever AppendSeries/AppendFrame write, the parser reads back as the same value.
func TestSerialiseParseRoundTrip(t *testing.T) {
	ms := int64(1e6)
	serieses := []*data.Series{
		{Name: "temp", Index: times(data.UTC, t0, t0+5*minute+7*ms, t0+10*minute), Values: floats(1.5, nan, -2.25), Attrs: dict("unit", "K", "n", int64(3))},
		series(nil, times(data.Naive, t0, t0+minute), ints(-1, 2)),
		// values read_json reads back exactly (0.123456789 comes back as
		// 0.12345678900000001, in pandas as here: see ujsonFloat)
		series("dup", times(data.UTC, t0, t0), floats(0.125, 1e-5)),
		series("ints", ints(5, 3, 9), bools(true, false, true)),
		series(nil, objs("a", "b"), objs("x", "y")),
		series(int64(7), ints(0, 1), floats(86.9358994238, 78.6552569681)),
		series("empty", floats(), floats()), // pandas reads an empty index back as float64
	}
	for i, s := range serieses {
		b, err := AppendSeries(nil, s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Parse(data.TypeSeries, string(b), false)
		if err != nil {
			t.Fatalf("series %d: %v\n%s", i, err, b)
		}
		if d := seriesDiff(got.(*data.Series), s); d != "" {
			t.Errorf("series %d does not round-trip: %s\n%s", i, d, b)
		}
	}
	frames := []*data.DataFrame{
		{Index: ints(0, 1, 2), Names: names("a", "b", "c", "d", "timestamp"),
			Columns: []data.Column{floats(1.5, nan, -2.25), ints(1, 2, 3), objs("x", nil, "z"), bools(true, false, true), times(data.UTC, t0, t0+minute, data.NaT)},
			Attrs:   dict("source", "test")},
		frame(times(data.UTC, t0, t0+minute), names("v"), floats(0.5, 0.25)),
		frame(objs("r1", "r2"), names("s"), objs("p", "q")),
	}
	for i, f := range frames {
		b, err := AppendFrame(nil, f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Parse(data.TypeDataFrame, string(b), false)
		if err != nil {
			t.Fatalf("frame %d: %v\n%s", i, err, b)
		}
		if d := frameDiff(got.(*data.DataFrame), f); d != "" {
			t.Errorf("frame %d does not round-trip: %s\n%s", i, d, b)
		}
	}
	// a MULTITSFRAME comes back sorted and validated
	mts := frame(ints(0, 1), names("timestamp", "metric", "value"), times(data.UTC, t0, t0+minute), objs("a", "b"), floats(1.5, 2.5))
	b, _ := AppendFrame(nil, mts)
	got, err := Parse(data.TypeMultiTSFrame, string(b), false)
	if err != nil {
		t.Fatal(err)
	}
	if d := frameDiff(got.(*data.DataFrame), mts); d != "" {
		t.Errorf("multitsframe does not round-trip: %s", d)
	}
}

// ujsonDouble's shortcut: when it reports its text as final ("direct"), that text must be
// exactly what Python's repr of the re-parsed number prints.
func TestUjsonDirectShortcut(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	direct := 0
	for i := 0; i < 200000; i++ {
		var f float64
		switch i % 4 {
		case 0:
			f = r.NormFloat64() * math.Pow(10, float64(r.IntN(30)-12))
		case 1:
			f = math.Round(r.NormFloat64()*1e6) / math.Pow(10, float64(r.IntN(12)))
		case 2:
			f = float64(r.Int64N(1<<53)) * math.Pow(10, float64(-r.IntN(20)))
		default:
			f = math.Float64frombits(r.Uint64())
			if math.IsNaN(f) || math.IsInf(f, 0) {
				continue
			}
		}
		s, isDirect := ujsonDouble(nil, f)
		if !isDirect {
			continue
		}
		direct++
		v, err := strconv.ParseFloat(string(s), 64)
		if err != nil {
			t.Fatalf("ujsonDouble(%v) = %q is not a number", f, s)
		}
		if want := data.PyFloat(v); string(s) != want {
			t.Fatalf("ujsonDouble(%v) = %q taken as final, but repr of the re-parsed value is %q", f, s, want)
		}
	}
	if direct < 50000 {
		t.Fatalf("shortcut rarely taken: %d", direct)
	}
}

// TestAppendSeriesColumnsMatchCells checks the column-at-a-time writer (and its two-goroutine
// form for long series) against the cell-at-a-time one: dates across day, year and epoch
// boundaries, NaT, aware and naive, floats needing ujson's rounding and repr's re-parse.
func TestAppendSeriesColumnsMatchCells(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 3000
	ns := make([]int64, n)
	fs := make([]float64, n)
	is := make([]int64, n)
	bs := make([]bool, n)
	v := int64(-2 * 86400e9)
	for i := range ns {
		v += rng.Int64N(20 * 3600e9)
		ns[i] = v
		if i%97 == 0 {
			ns[i] = data.NaT
		}
		fs[i] = (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(40)-20))
		is[i] = rng.Int64() - math.MaxInt64/2
		bs[i] = rng.IntN(2) == 0
	}
	fs[1], fs[2], fs[3] = math.NaN(), math.Inf(1), 0.5166639999999987
	ns[5] = -1 // 1969-12-31T23:59:59.999
	cols := map[string]data.Column{
		"aware": data.Datetimes(ns, data.UTC), "naive": data.Datetimes(ns, data.Naive),
		"float": data.Floats(fs), "int": data.Ints(is), "bool": data.Bools(bs),
	}
	bySlow := func(s *data.Series) string {
		b := []byte(`{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":null,"index":[`)
		for i := range s.Index.Len() {
			if i > 0 {
				b = append(b, ',')
			}
			b, _ = appendCell(b, s.Index, i)
		}
		b = append(b, `],"data":[`...)
		for i := range s.Values.Len() {
			if i > 0 {
				b = append(b, ',')
			}
			b, _ = appendCell(b, s.Values, i)
		}
		return string(append(b, seriesTail...))
	}
	old := parallelEncodeCells
	defer func() { parallelEncodeCells = old }()
	for _, from := range []int{old, 100} {
		parallelEncodeCells = from
		for in, index := range cols {
			for vn, values := range cols {
				s := data.NewSeries(nil, index, values)
				got, err := AppendSeries([]byte("x"), s)
				if err != nil {
					t.Fatal(err)
				}
				if want := "x" + bySlow(s); string(got) != want {
					t.Fatalf("index %s, values %s, parallel from %d: column writer differs", in, vn, from)
				}
			}
		}
	}
}

// Timedeltas inside pandas objects are ISO durations as pandas' to_json writes them (values
// printed by pandas 1.5.3); outside, FastAPI's total_seconds().
func TestAppendTimedeltas(t *testing.T) {
	td := data.TimedeltaCol([]int64{1.5e9, data.NaT, -3661001e6, 3*86400e9 + 1000, 0, 90061001002003, -1})
	got, err := AppendSeries(nil, data.NewSeries(nil, data.Range(td.Len()), td))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":null,"index":[0,1,2,3,4,5,6],` +
		`"data":["P0DT0H0M1.500S",null,"P-1DT22H58M58.999S","P3DT0H0M0.000001S","P0DT0H0M0S","P1DT1H1M1.001002003S","P-1DT23H59M59.999999999S"]},"__data_parsing_options__":{"orient":"split"}}`
	if string(got) != want {
		t.Errorf("series:\n got %s\nwant %s", got, want)
	}
	f := &data.DataFrame{Index: data.TimedeltaCol([]int64{1e9, data.NaT}), Names: []any{"0"}, Columns: []data.Column{data.Ints([]int64{1, 2})}}
	if got, err := AppendFrame(nil, f); err != nil || !strings.Contains(string(got), `{"0":{"P0DT0H0M1S":1,"null":2}}`) {
		t.Errorf("frame keys: %s %v", got, err)
	}
	objs := data.NewSeries(nil, data.Range(2), data.Objects([]any{data.Timedelta{NS: 1e9}, "a"}))
	if got, _ := AppendSeries(nil, objs); !strings.Contains(string(got), `"data":["P0DT0H0M1S","a"]`) {
		t.Errorf("object cells: %s", got)
	}
	if got := appendColumnList(nil, data.TimedeltaCol([]int64{1.5e9, data.NaT})); string(got) != "[1.5,null]" {
		t.Errorf("plain list: %s", got)
	}
	for ns, want := range map[int64]string{-1: "-1.0000000000287557e-06", 1001: "1e-06", 86401000005000: "86401.000005"} {
		if got, err := AppendValue(nil, data.Timedelta{NS: ns}); err != nil || string(got) != want {
			t.Errorf("Timedelta(%d) outside pandas: %s %v, want %s", ns, got, err, want)
		}
	}
}
