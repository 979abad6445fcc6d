package data

import (
	"errors"
	"testing"
)

func TestToDatetimeIndex(t *testing.T) {
	// 2020-01-01T00:00:00Z in nanoseconds
	const jan1 = int64(1577836800e9)
	tests := []struct {
		name string
		in   Column
		want Column
		typ  string // error type, "" for none
	}{
		{"datetime as is", Datetimes([]int64{jan1}, UTC), Datetimes([]int64{jan1}, UTC), ""},
		// pandas reads integers as nanoseconds since the epoch, naive
		{"ints", Ints([]int64{0, 1}), Datetimes([]int64{0, 1}, Naive), ""},
		{"ISO strings with None", Objects([]any{"2020-01-01T00:00:00Z", nil}), Datetimes([]int64{jan1, NaT}, UTC), ""},
		// +01:00 and +02:00: converted to UTC (the project's rule for mixed offsets)
		{"mixed offsets", Objects([]any{"2020-01-01T01:00:00+01:00", "2020-01-01T02:00:00+02:00"}),
			Datetimes([]int64{jan1, jan1}, UTC), ""},
		{"one offset kept", Objects([]any{"2020-01-01T01:00:00+01:00"}),
			Datetimes([]int64{jan1}, Zone{Aware: true, Offset: 3600}), ""},
		{"empty object", Objects(nil), Datetimes([]int64{}, Naive), ""},
		{"not a date", Objects([]any{"a"}), Column{}, "ValueError"},
		{"naive with aware", Objects([]any{"2020-01-01T00:00:00", "2020-01-01T00:00:00Z"}), Column{}, "ValueError"},
		{"floats", Floats([]float64{1.5}), Column{}, "TypeError"},
		{"bools", Bools([]bool{true}), Column{}, "TypeError"},
		{"timedeltas", TimedeltaCol([]int64{1}), Column{}, "TypeError"},
	}
	for _, tc := range tests {
		got, err := ToDatetimeIndex(tc.in)
		if tc.typ != "" {
			var e *Error
			if !errors.As(err, &e) || e.Type != tc.typ {
				t.Errorf("%s: %v, want a %s", tc.name, err, tc.typ)
			}
			continue
		}
		if err != nil || got.DType != Datetime || got.Zone != tc.want.Zone || len(got.I) != len(tc.want.I) {
			t.Errorf("%s: %+v, %v; want %+v", tc.name, got, err, tc.want)
			continue
		}
		for i := range got.I {
			if got.I[i] != tc.want.I[i] {
				t.Errorf("%s[%d] = %d, want %d", tc.name, i, got.I[i], tc.want.I[i])
			}
		}
	}
}
