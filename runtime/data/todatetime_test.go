package data

import (
	"math"
	"reflect"
	"testing"
)

// pd.to_datetime of an index, as the time components convert one: numbers are epoch
// nanoseconds, ISO strings are parsed, zones must agree.
func TestToDatetimeOfIndexes(t *testing.T) {
	const jan1 = int64(1577836800) * 1e9 // 2020-01-01T00:00:00Z
	plus2 := Zone{Aware: true, Offset: 7200}
	for _, tc := range []struct {
		name    string
		in      Column
		want    Column
		errType string
	}{
		{"datetimes unchanged", Datetimes([]int64{jan1}, UTC), Datetimes([]int64{jan1}, UTC), ""},
		// pd.to_datetime(pd.Index([0, 5])) → 1970-01-01 00:00:00, 1970-01-01 00:00:00.000000005
		{"ints are nanoseconds", Ints([]int64{0, 5}), Datetimes([]int64{0, 5}, Naive), ""},
		// pandas 1.5.3 (hetida's reference) refuses a Float64Index, an empty one too: an
		// empty JSON series has one, so hetida's "time" components fail on it with "indices
		// of data must be datetime" (trafofn followed pandas 2 and returned an empty
		// result; found by tools/difffuzz.py)
		{"floats are pandas 1.5's TypeError", Floats([]float64{1.9, -1.9, math.NaN()}), Column{}, "TypeError"},
		{"an empty float index too", Floats([]float64{}), Column{}, "TypeError"},
		{"bools refused", Bools([]bool{true}), Column{}, "TypeError"},
		{"naive strings", Objects([]any{"2020-01-01", "2020-01-01T00:00:01", nil, ""}), Datetimes([]int64{jan1, jan1 + 1e9, NaT, NaT}, Naive), ""},
		// "2020-01-01T02:00:00+02:00" is midnight UTC, in the +02:00 zone
		{"one offset", Objects([]any{"2020-01-01T02:00:00+02:00", "2020-01-01T03:00:00+02:00"}), Datetimes([]int64{jan1, jan1 + 3600e9}, plus2), ""},
		// pandas 2.1 keeps an object index of Timestamps here; trafofn converts mixed
		// offsets to UTC (DESIGN.md, departures)
		{"two offsets become UTC", Objects([]any{"2020-01-01T00:00:00Z", "2020-01-01T02:00:00+02:00"}),
			Datetimes([]int64{jan1, jan1}, UTC), ""},
		{"naive and aware", Objects([]any{"2020-01-01T00:00:00Z", "2020-01-01"}), Column{}, "ValueError"},
		{"not a date", Objects([]any{"2020-01-01", "x"}), Column{}, "ParserError"},
		{"not likely a date", Objects([]any{"2020-01-01", "2"}), Column{}, "ValueError"},
		{"timedeltas refused", TimedeltaCol([]int64{1}), Column{}, "TypeError"},
	} {
		got, err := ToDatetime(tc.in)
		if tc.errType != "" {
			if e, ok := err.(*Error); !ok || e.Type != tc.errType {
				t.Errorf("%s: error %v, want %s", tc.name, err, tc.errType)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestDTypeName(t *testing.T) {
	for _, tc := range []struct {
		c    Column
		want string
	}{
		{Floats(nil), "float64"},
		{Datetimes(nil, Naive), "datetime64[ns]"},
		{Datetimes(nil, UTC), "datetime64[ns, UTC]"},
		{Datetimes(nil, Zone{Aware: true, Offset: 7200}), "datetime64[ns, UTC+02:00]"},
		{Objects(nil), "object"},
	} {
		if got := tc.c.PandasDType(); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.c.DType, got, tc.want)
		}
	}
}

// Index.duplicated: later occurrences of a label (keep first), earlier ones (keep last).
func TestColumnDuplicated(t *testing.T) {
	c := Datetimes([]int64{1, 2, 1, 3, 2}, UTC)
	if got, want := c.Duplicated(KeepFirst), []bool{false, false, true, false, true}; !reflect.DeepEqual(got, want) {
		t.Errorf("keep first: %v, want %v", got, want)
	}
	if got, want := c.Duplicated(KeepLast), []bool{true, true, false, false, false}; !reflect.DeepEqual(got, want) {
		t.Errorf("keep last: %v, want %v", got, want)
	}
}

// pd.concat's common dtype: int+float → float, one zone stays, zones differ → UTC,
// naive+aware and strings+numbers → object, empty parts do not count.
func TestConcatColumns(t *testing.T) {
	plus2 := Zone{Aware: true, Offset: 7200}
	for _, tc := range []struct {
		name string
		in   []Column
		want Column
	}{
		{"int and float", []Column{Ints([]int64{1}), Floats([]float64{2.5})}, Floats([]float64{1, 2.5})},
		{"ints", []Column{Ints([]int64{1}), Ints([]int64{2})}, Ints([]int64{1, 2})},
		{"empty float ignored", []Column{Floats(nil), Ints([]int64{2})}, Ints([]int64{2})},
		{"one zone", []Column{Datetimes([]int64{1}, plus2), Datetimes([]int64{2}, plus2)}, Datetimes([]int64{1, 2}, plus2)},
		{"two zones", []Column{Datetimes([]int64{1}, plus2), Datetimes([]int64{2}, UTC)}, Datetimes([]int64{1, 2}, UTC)},
		{"naive and aware", []Column{Datetimes([]int64{1}, Naive), Datetimes([]int64{2}, UTC)},
			Objects([]any{Timestamp{NS: 1, Zone: Naive}, Timestamp{NS: 2, Zone: UTC}})},
		{"strings and numbers", []Column{Objects([]any{"a"}), Floats([]float64{math.NaN()})}, Objects([]any{"a", nil})},
		// all empty: the common dtype of all of them, as pandas 2.1 takes it
		{"all empty", []Column{Ints(nil), Floats(nil)}, Column{DType: Float64, F: []float64{}}},
	} {
		got := ConcatColumns(tc.in...)
		if got.Len() == 0 && tc.want.Len() == 0 && got.DType == tc.want.DType {
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
