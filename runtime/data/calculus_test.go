package data

import (
	"context"
	"math"
	"slices"
	"testing"
)

func TestToDatetime(t *testing.T) {
	const jan1 = int64(1577836800) * 1e9 // 2020-01-01T00:00:00Z
	cases := []struct {
		name string
		in   Column
		want Column
	}{
		// integers are nanoseconds since the epoch (pd.to_datetime(Index([1, 2])) is
		// 1970-01-01 00:00:00.000000001 and …002), naive
		{"ints", colI(1, 2), Datetimes([]int64{1, 2}, Naive)},
		{"datetime kept", Datetimes([]int64{jan1}, UTC), Datetimes([]int64{jan1}, UTC)},
		// ISO strings parse; None and "NaT" are NaT; naive strings stay naive
		{"iso naive", colO("2020-01-01", nil, "NaT"), Datetimes([]int64{jan1, NaT, NaT}, Naive)},
		{"iso aware", colO("2020-01-01T01:00:00+01:00"), Datetimes([]int64{jan1}, Zone{Aware: true, Offset: 3600})},
		// two offsets: converted to UTC (the project's rule, see DESIGN.md)
		{"mixed offsets", colO("2020-01-01T01:00:00+01:00", "2020-01-01T02:00:00+02:00"), Datetimes([]int64{jan1, jan1}, UTC)},
		{"timestamps", colO(Timestamp{NS: jan1, Zone: UTC}), Datetimes([]int64{jan1}, UTC)},
		{"empty object", colO(), Datetimes([]int64{}, Naive)},
	}
	for _, c := range cases {
		got, err := ToDatetime(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if d := columnDiff(got, c.want, 0); d != "" {
			t.Errorf("%s: %s", c.name, d)
		}
	}
	_, err := ToDatetime(colB(true))
	wantErr(t, err, "TypeError", "dtype bool cannot be converted to datetime64[ns]")
	// pandas 1.5.3 refuses a Float64Index (pandas 2 casts floats to nanoseconds)
	_, err = ToDatetime(colF(1.9, qnan))
	wantErr(t, err, "TypeError", "Cannot convert Float64Index to dtype datetime64[ns]; integer values are required for conversion")
	_, err = ToDatetime(TimedeltaCol([]int64{1}))
	wantErr(t, err, "TypeError", "dtype timedelta64[ns] cannot be converted to datetime64[ns]")
	_, err = ToDatetime(colO("2020-01-01", "b"))
	wantErr(t, err, "ParserError", "Unknown string format: b present at position 1")
	// pandas 1.5.3: pd.to_datetime(pd.Index(['2026-01-05T00:00:00Z', s])) for s = 'a',
	// '2', '1.5', '0' (calls it a day) and 'x y'
	for s, want := range map[string]string{
		"a":   "ValueError: Given date string a not likely a datetime present at position 1",
		"2":   "ValueError: Given date string 2 not likely a datetime present at position 1",
		"1.5": "ValueError: Given date string 1.5 not likely a datetime present at position 1",
		"0":   "ParserError: day is out of range for month: 0 present at position 1",
		"x y": "ParserError: Unknown string format: x y present at position 1",
		"1e3": "ParserError: Unknown string format: 1e3 present at position 1",
		"inf": "ParserError: Unknown string format: inf present at position 1",
	} {
		_, err = ToDatetime(colO("2026-01-05T00:00:00Z", s))
		if e, ok := err.(*Error); !ok || e.Type+": "+e.Message != want {
			t.Errorf("%q: %v, want %s", s, err, want)
		}
	}
	_, err = ToDatetime(colO(true))
	wantErr(t, err, "TypeError", "<class 'bool'> is not convertible to datetime")
	_, err = ToDatetime(colO("2020-01-01", "2020-01-01T00:00:00Z"))
	wantErr(t, err, "ValueError", "Cannot mix tz-aware with tz-naive values")
}

func TestSecondsSinceFirst(t *testing.T) {
	// 00:00, 00:10, NaT, 01:00 → 0, 600, NaN, 3600 seconds
	c := Datetimes([]int64{0, 600e9, NaT, 3600e9}, UTC)
	got, err := SecondsSinceFirst(c)
	if err != nil || !floatsNear(got, []float64{0, 600, math.NaN(), 3600}, 0) {
		t.Errorf("SecondsSinceFirst = %v, %v", got, err)
	}
	_, err = SecondsSinceFirst(Datetimes([]int64{}, UTC))
	wantErr(t, err, "IndexError", "index 0 is out of bounds for axis 0 with size 0")
}

func TestEdiff1d(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name     string
		in, want Column
	}{
		// ints stay ints: [1, 5, 2] → [4, -3] (numpy keeps the dtype)
		{"ints", colI(1, 5, 2), colI(4, -3)},
		// floats follow IEEE: inf − inf is NaN, NaN propagates
		{"floats", colF(1.5, 2, math.Inf(1), math.Inf(1), qnan), colF(0.5, math.Inf(1), qnan, qnan)},
		{"one value", colI(7), colI()},
		{"empty", colF(), colF()},
		// datetimes give timedeltas; NaT on either side is NaT
		{"datetimes", Datetimes([]int64{0, 86400e9, NaT}, UTC), TimedeltaCol([]int64{86400e9, NaT})},
		// objects subtract with Python's -: 3 − 1 = 2, 0.5 − 3 = -2.5
		{"objects", colO(int64(1), int64(3), 0.5), colO(int64(2), -2.5)},
	}
	for _, c := range cases {
		got, err := Ediff1d(ctx, c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if d := columnDiff(got, c.want, 0); d != "" {
			t.Errorf("%s: %s", c.name, d)
		}
	}
	_, err := Ediff1d(ctx, colB(true, false))
	wantErr(t, err, "TypeError", "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead.")
	_, err = Ediff1d(ctx, colO("a", "b"))
	wantErr(t, err, "TypeError", "unsupported operand type(s) for -: 'str' and 'str'")
}

func TestTrapezoid(t *testing.T) {
	cases := []struct {
		name string
		y, x Column
		want float64
	}{
		// np.trapz([1, 2, 3], x=[4, 6, 8]) = 2·1.5 + 2·2.5 = 8.0 (numpy's own example)
		{"ints", colI(1, 2, 3), colI(4, 6, 8), 8},
		// decreasing x integrates in reverse: -8.0
		{"reverse", colI(1, 2, 3), colI(8, 6, 4), -8},
		// the c-arith-integrate shape: values over seconds; 600·(1.5+2)/2 + 600·(2+2.5)/2 = 2400
		{"seconds", colF(1.5, 2, 2.5), colF(0, 600, 1200), 2400},
		// numpy's boolean rules: y[i+1] + y[i] of bools is their or (True, True, False → 1,
		// 1 → 0.5 + 0.5 = 1.0), np.diff of bools is != ([T, F, T] → 1, 1 → 1.5 + 2.5 = 4.0)
		{"bool y", colB(true, true, false), colI(1, 2, 3), 1},
		{"bool x", colF(1, 2, 3), colB(true, false, true), 4},
		{"one point", colF(5), colF(1), 0},
		{"empty", colF(), colF(), 0},
		{"nan", colF(1, qnan, 3), colF(0, 1, 2), qnan},
	}
	for _, c := range cases {
		got, err := Trapezoid(context.Background(), c.y, c.x)
		if err != nil || !(got == c.want || got != got && c.want != c.want) {
			t.Errorf("%s: %v, %v; want %v", c.name, got, err, c.want)
		}
	}
	_, err := Trapezoid(context.Background(), colO("a", "b"), colF(0, 1))
	if err == nil {
		t.Error("strings: want TypeError")
	}
	// scipy.integrate.cumulative_trapezoid([1, 1, 1], [0, 600, 1200], initial=0) = [0, 600, 1200]
	cum, err := CumTrapezoid(context.Background(), colF(1, 1, 1), colF(0, 600, 1200))
	if err != nil || !slices.Equal(cum, []float64{0, 600, 1200}) {
		t.Errorf("CumTrapezoid = %v, %v", cum, err)
	}
	// speeds 2, 4, 0 over 0, 10, 20 s: 0, 10·3 = 30, 30 + 10·2 = 50
	cum, _ = CumTrapezoid(context.Background(), colI(2, 4, 0), colF(0, 10, 20))
	if !slices.Equal(cum, []float64{0, 30, 50}) {
		t.Errorf("CumTrapezoid ints = %v", cum)
	}
	if cum, _ := CumTrapezoid(context.Background(), colF(), colF()); !slices.Equal(cum, []float64{0}) {
		t.Errorf("CumTrapezoid empty = %v (scipy: [0])", cum)
	}
}

func TestDescribe(t *testing.T) {
	pct := []float64{0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95}
	names := func(st []Stat) []string {
		out := make([]string, len(st))
		for i, s := range st {
			out[i] = s.Name
		}
		return out
	}
	// [1, 2, 3, 4, NaN]: count 4.0, mean 2.5, std √(5/3) = 1.2909944487358056, min 1,
	// linear percentiles over h = 3q (5% → 1.15, 50% → 2.5, 95% → 3.85), max 4
	st, err := Describe(colF(1, 2, 3, 4, qnan), pct)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"count", "mean", "std", "min", "5%", "10%", "25%", "50%", "75%", "90%", "95%", "max"}
	if !slices.Equal(names(st), want) {
		t.Fatalf("names %v", names(st))
	}
	wantV := []float64{4, 2.5, 1.2909944487358056, 1, 1.15, 1.3, 1.75, 2.5, 3.25, 3.7, 3.85, 4}
	for i, s := range st {
		if f := s.Value.(float64); math.Abs(f-wantV[i]) > 1e-12 {
			t.Errorf("%s = %v, want %v", s.Name, f, wantV[i])
		}
	}
	// empty: count 0.0, the rest NaN
	st, _ = Describe(colF(), pct)
	if st[0].Value != 0.0 || !math.IsNaN(st[1].Value.(float64)) {
		t.Errorf("empty: %v", st)
	}
	// timedeltas of 10, 10, 20 minutes: count 3 (an int), mean 13m20s, percentiles
	// truncated to nanoseconds
	min := int64(60e9)
	st, _ = Describe(TimedeltaCol([]int64{10 * min, 10 * min, 20 * min, NaT}), []float64{0.5})
	if st[0].Value != int64(3) || st[1].Value != (Timedelta{NS: 800e9}) || st[4].Value != (Timedelta{NS: 10 * min}) {
		t.Errorf("timedeltas: %v", st)
	}
	// strings are categorical: count 3, unique 2, top 'a' (twice), freq 2
	st, _ = Describe(colO("a", "b", "a", nil), pct)
	if len(st) != 4 || st[0].Value != int64(3) || st[1].Value != int64(2) || st[2].Value != "a" || st[3].Value != int64(2) {
		t.Errorf("strings: %v", st)
	}
	// 0.5 is added when missing, labels sorted
	st, _ = Describe(colI(1, 2), []float64{0.125})
	if got := names(st); !slices.Equal(got, []string{"count", "mean", "std", "min", "12.5%", "50%", "max"}) {
		t.Errorf("names %v", got)
	}
	_, err = Describe(colF(1), []float64{5})
	wantErr(t, err, "ValueError", "percentiles should all be in the interval [0, 1]. Try 0.05 instead.")
}

func TestNumpyFloatArith(t *testing.T) {
	ctx := context.Background()
	// numpy scalars: log(5)/log(1) = 5/0 → inf, not ZeroDivisionError; 0/0 → NaN
	if got, err := NumpyFloatArith(ctx, OpDiv, 1.6, 0.0); err != nil || got != math.Inf(1) {
		t.Errorf("1.6 / 0.0 = %v, %v", got, err)
	}
	// arrays broadcast: [2, 0] / 0 → [inf, NaN]; [6, 8] / [2, 4] → [3, 2]; [[2, 4], [6, 8]] / [2, 4] → rows
	got, _ := NumpyFloatArith(ctx, OpDiv, []any{2.0, 0.0}, 0.0)
	if l := got.([]any); l[0] != math.Inf(1) || !math.IsNaN(l[1].(float64)) {
		t.Errorf("array / 0 = %v", got)
	}
	got, _ = NumpyFloatArith(ctx, OpDiv, []any{6.0, 8.0}, []any{2.0, 4.0})
	if PyRepr(got) != "[3.0, 2.0]" {
		t.Errorf("arrays = %v", PyRepr(got))
	}
	got, _ = NumpyFloatArith(ctx, OpDiv, []any{[]any{2.0, 4.0}, []any{6.0, 8.0}}, []any{2.0, 4.0})
	if PyRepr(got) != "[[1.0, 1.0], [3.0, 2.0]]" {
		t.Errorf("2-D / 1-D = %v", PyRepr(got))
	}
	got, _ = NumpyFloatArith(ctx, OpDiv, []any{6.0, 8.0}, []any{2.0})
	if PyRepr(got) != "[3.0, 4.0]" {
		t.Errorf("length-1 broadcast = %v", PyRepr(got))
	}
	_, err := NumpyFloatArith(ctx, OpDiv, []any{1.0, 2.0, 3.0}, []any{1.0, 2.0})
	wantErr(t, err, "ValueError", "operands could not be broadcast together with shapes (3,) (2,) ")
	// a Series goes to Arith: aligned, IEEE per element
	s := NewSeries(nil, Range(2), colF(1, 0))
	got, _ = NumpyFloatArith(ctx, OpDiv, s, 0.0)
	if d := columnDiff(got.(*Series).Values, colF(math.Inf(1), qnan), 0); d != "" {
		t.Error(d)
	}
}

func TestMapFloatAndSignLists(t *testing.T) {
	// np.log([1, 10, 1000, 0]) → a list; nested lists of one length are 2-D
	got, err := MapFloat("log", []any{int64(1), []any{}}, math.Log)
	wantErr(t, err, "ValueError", "setting an array element with a sequence. The requested array has an inhomogeneous shape after 1 dimensions. The detected shape was (2,) + inhomogeneous part.")
	got, _ = MapFloat("sqrt", []any{[]any{int64(4), 9.0}, []any{true, int64(0)}}, math.Sqrt)
	if PyRepr(got) != "[[2.0, 3.0], [1.0, 0.0]]" {
		t.Errorf("sqrt 2-D = %s", PyRepr(got))
	}
	// a list holding None is an object array: numpy names the first element's type
	_, err = MapFloat("log", []any{int64(1), nil}, math.Log)
	wantErr(t, err, "TypeError", "loop of ufunc does not support argument 0 of type int which has no callable log method")
	// a string makes a string array
	_, err = MapFloat("log", []any{int64(1), "a"}, math.Log)
	wantErr(t, err, "TypeError", "ufunc 'log' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''")
	_, err = MapFloat("log", NewDict(0), math.Log)
	wantErr(t, err, "TypeError", "loop of ufunc does not support argument 0 of type dict which has no callable log method")

	// np.sign([1, -2, 0]) keeps ints, [1, -2, 0.5] gives floats
	got, _ = Sign([]any{int64(1), int64(-2), int64(0)})
	if PyRepr(got) != "[1, -1, 0]" {
		t.Errorf("sign ints = %s", PyRepr(got))
	}
	got, _ = Sign([]any{int64(1), int64(-2), 0.5})
	if PyRepr(got) != "[1.0, -1.0, 1.0]" {
		t.Errorf("sign floats = %s", PyRepr(got))
	}
	// numpy's object loop compares with 0: a dict or None fails as Python's <
	_, err = Sign(NewDict(0))
	wantErr(t, err, "TypeError", "'<' not supported between instances of 'dict' and 'int'")
	_, err = Sign([]any{int64(1), nil})
	wantErr(t, err, "TypeError", "'<' not supported between instances of 'NoneType' and 'int'")
	got, _ = Sign(NewSeries(nil, Range(2), colO(int64(-3), 2.5)))
	if d := columnDiff(got.(*Series).Values, colO(int64(-1), 1.0), 0); d != "" {
		t.Error(d)
	}
}

func TestArithSeriesAgainstFrameIsBounded(t *testing.T) {
	// A long time series against a frame aligns its labels with the frame's columns:
	// pandas builds one column per timestamp (10⁵ × 10⁵ cells) until numpy cannot
	// allocate; this port fails with that MemoryError before allocating anything.
	n := 100_000
	ns := make([]int64, n)
	for i := range ns {
		ns[i] = int64(i) * 1e9
	}
	s := NewSeries(nil, Datetimes(ns, UTC), Floats(make([]float64, n)))
	f := NewDataFrame(Range(n), []any{"a"}, []Column{Floats(make([]float64, n))})
	_, err := Arith(context.Background(), OpAdd, s, f)
	wantErr(t, err, "MemoryError", "Unable to allocate 74.5 GiB for an array with shape (100001, 100000) and data type float64")
}

func TestCountDuplicated(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		in   Column
		want int
	}{
		// NaN equals NaN (pandas' hash tables), 0.0 equals −0.0: NaN, NaN, 0, −0, 1 → 2
		{"floats", colF(qnan, qnan, 0, negZero, 1), 2},
		{"ints", colI(3, 1, 3, 3), 2},
		{"bools", colB(true, false, true, true), 2},
		{"one bool value", colB(false, false), 1},
		{"timestamps with NaT", Datetimes([]int64{NaT, 5, NaT, 5}, UTC), 2},
		// objects: None once, 'a' twice → 1 + 1
		{"objects", colO("a", nil, "a", nil, int64(1)), 2},
		{"empty", colF(), 0},
	} {
		if got, err := CountDuplicated(ctx, c.in); err != nil || got != c.want {
			t.Errorf("%s: %d, %v; want %d", c.name, got, err, c.want)
		}
	}
}

// Integer x and y multiply in int64 (wrapping) before numpy's / 2.0. Found by
// tools/difffuzz.py (Integrate); numpy 1.24: np.trapz([-2**62, 0], [2, 5]) =
// 2.305843009213694e+18 (3 · -2**62 wraps to 2**62).
func TestTrapezoidIntegerWrapRegression(t *testing.T) {
	v, err := Trapezoid(context.Background(), colI(-1<<62, 0), colI(2, 5))
	if err != nil || v != 2.305843009213694e+18 {
		t.Errorf("got %v %v", v, err)
	}
	if v, _ := Trapezoid(context.Background(), colI(1, 3), colI(0, 2)); v != 4 {
		t.Errorf("small ints: %v", v)
	}
}
