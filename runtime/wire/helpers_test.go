package wire

import (
	"fmt"
	"math"
	"time"

	"github.com/trafofn/trafofn/runtime/data"
)

// Helpers shared by the wire tests: constructors for expected values and deep
// comparisons that treat NaN as equal to NaN and a nil Dict as {}.

// ts is a UTC instant in nanoseconds, computed with the standard library rather than the
// code under test.
func ts(year int, month time.Month, day, hour, min, sec int) int64 {
	return time.Date(year, month, day, hour, min, sec, 0, time.UTC).UnixNano()
}

const minute = int64(time.Minute)

func dict(kv ...any) *data.Dict {
	d := data.NewDict(len(kv) / 2)
	for i := 0; i < len(kv); i += 2 {
		d.Set(kv[i].(string), kv[i+1])
	}
	return d
}

func objs(v ...any) data.Column { return data.Objects(v) }

func floats(v ...float64) data.Column { return data.Floats(v) }

func ints(v ...int64) data.Column { return data.Ints(v) }

func bools(v ...bool) data.Column { return data.Bools(v) }

func times(z data.Zone, ns ...int64) data.Column { return data.Datetimes(ns, z) }

var nan = math.NaN()

func series(name any, index, values data.Column) *data.Series {
	return &data.Series{Name: name, Index: index, Values: values}
}

// valueDiff describes how two decoded values differ ("" when equal).
func valueDiff(a, b any) string {
	switch x := a.(type) {
	case nil:
		if b != nil {
			return fmt.Sprintf("nil vs %#v", b)
		}
		return ""
	case float64:
		y, ok := b.(float64)
		if !ok || !(x == y || (x != x && y != y)) || math.Signbit(x) != math.Signbit(y) {
			return fmt.Sprintf("%#v vs %#v", a, b)
		}
		return ""
	case *data.Dict:
		y, ok := b.(*data.Dict)
		if !ok {
			return fmt.Sprintf("%#v vs %#v", a, b)
		}
		return dictDiff(x, y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return fmt.Sprintf("%#v vs %#v", a, b)
		}
		for i := range x {
			if d := valueDiff(x[i], y[i]); d != "" {
				return fmt.Sprintf("[%d]: %s", i, d)
			}
		}
		return ""
	case *data.Series:
		y, ok := b.(*data.Series)
		if !ok {
			return fmt.Sprintf("%#v vs %#v", a, b)
		}
		return seriesDiff(x, y)
	case *data.DataFrame:
		y, ok := b.(*data.DataFrame)
		if !ok {
			return fmt.Sprintf("%#v vs %#v", a, b)
		}
		return frameDiff(x, y)
	}
	if a != b {
		return fmt.Sprintf("%#v (%T) vs %#v (%T)", a, a, b, b)
	}
	return ""
}

func dictDiff(x, y *data.Dict) string {
	if x.Len() != y.Len() {
		return fmt.Sprintf("dict keys %v vs %v", x.Keys(), y.Keys())
	}
	for i := 0; i < x.Len(); i++ {
		k1, v1 := x.At(i)
		k2, v2 := y.At(i)
		if k1 != k2 {
			return fmt.Sprintf("dict keys %v vs %v", x.Keys(), y.Keys())
		}
		if d := valueDiff(v1, v2); d != "" {
			return fmt.Sprintf("[%q]: %s", k1, d)
		}
	}
	return ""
}

func columnDiff(a, b data.Column) string {
	if a.DType != b.DType {
		return fmt.Sprintf("dtype %s vs %s", a.DType, b.DType)
	}
	if a.DType == data.Datetime && a.Zone != b.Zone {
		return fmt.Sprintf("zone %+v vs %+v", a.Zone, b.Zone)
	}
	if a.Len() != b.Len() {
		return fmt.Sprintf("length %d vs %d", a.Len(), b.Len())
	}
	for i := 0; i < a.Len(); i++ {
		if d := valueDiff(a.At(i), b.At(i)); d != "" {
			return fmt.Sprintf("element %d: %s", i, d)
		}
	}
	return ""
}

func seriesDiff(a, b *data.Series) string {
	if a == nil || b == nil {
		if a != b {
			return fmt.Sprintf("series %v vs %v", a, b)
		}
		return ""
	}
	if d := valueDiff(a.Name, b.Name); d != "" {
		return "name: " + d
	}
	if d := columnDiff(a.Index, b.Index); d != "" {
		return "index: " + d
	}
	if d := columnDiff(a.Values, b.Values); d != "" {
		return "values: " + d
	}
	if d := dictDiff(orEmpty(a.Attrs), orEmpty(b.Attrs)); d != "" {
		return "attrs: " + d
	}
	return ""
}

func frameDiff(a, b *data.DataFrame) string {
	if d := columnDiff(a.Index, b.Index); d != "" {
		return "index: " + d
	}
	if len(a.Names) != len(b.Names) || len(a.Columns) != len(b.Columns) {
		return fmt.Sprintf("columns %v vs %v", a.Names, b.Names)
	}
	for i := range a.Names {
		if d := valueDiff(a.Names[i], b.Names[i]); d != "" {
			return fmt.Sprintf("column name %d: %s", i, d)
		}
		if d := columnDiff(a.Columns[i], b.Columns[i]); d != "" {
			return fmt.Sprintf("column %v: %s", a.Names[i], d)
		}
	}
	if d := dictDiff(orEmpty(a.Attrs), orEmpty(b.Attrs)); d != "" {
		return "attrs: " + d
	}
	return ""
}

func orEmpty(d *data.Dict) *data.Dict {
	if d == nil {
		return data.NewDict(0)
	}
	return d
}
