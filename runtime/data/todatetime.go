package data

import (
	"math"
	"strconv"
	"strings"
)

// ToDatetime is pandas 2.1's pd.to_datetime(values) without utc= (and without format= or
// unit=), as components apply it to an index ("data.index = pd.to_datetime(data.index)"):
//
//   - datetimes are returned as they are;
//   - integers are nanoseconds since the epoch (naive), floats too, truncated towards
//     zero, NaN becoming NaT (pandas 1.5 refused a float index; 2.1 accepts it);
//   - booleans and timedeltas fail with pandas' TypeError;
//   - objects convert element by element: None/NaN, "" and "NaT"/"nan" become NaT, ISO
//     8601 strings are parsed (ParseISO), Timestamps kept, numbers are nanoseconds; the
//     result is naive when every value is naive and takes the zone when every aware value
//     has the same one. Aware values in different zones give an object column of
//     Timestamps (pandas' object Index of datetimes), naive mixed with aware fails with
//     pandas' ValueError.
//
// A string that is no ISO timestamp fails with pandas' DateParseError (a ValueError):
// "Unknown datetime string format, unable to parse: <s>, at position <i>". pandas also
// reads free-form dates through dateutil ("Jan 5 2020"); those are not supported here.
func ToDatetime(c Column) (Column, error) {
	switch c.DType {
	case Datetime:
		return c, nil
	case Int64:
		return Datetimes(c.I, Naive), nil
	case Float64:
		ns := make([]int64, len(c.F))
		for i, f := range c.F {
			switch {
			case f != f:
				ns[i] = NaT
			case math.Abs(f) >= 9.2e18:
				return Column{}, &Error{Type: "OutOfBoundsDatetime", Message: "cannot convert input with unit 'ns'"}
			default:
				ns[i] = int64(f)
			}
		}
		return Datetimes(ns, Naive), nil
	case Bool:
		return Column{}, TypeError("dtype bool cannot be converted to datetime64[ns]")
	case Timedeltas:
		return Column{}, TypeError("dtype timedelta64[ns] cannot be converted to datetime64[ns]")
	}
	ns := make([]int64, len(c.O))
	zones := make([]Zone, len(c.O))
	var zone Zone
	seenNaive, seenAware, mixedZones := false, false, false
	for i, v := range c.O {
		var z Zone
		switch x := v.(type) {
		case nil:
			ns[i] = NaT
			continue
		case float64:
			if x != x {
				ns[i] = NaT
				continue
			}
			if math.Abs(x) >= 9.2e18 {
				return Column{}, &Error{Type: "OutOfBoundsDatetime", Message: "cannot convert input with unit 'ns'"}
			}
			ns[i] = int64(x)
		case int64:
			ns[i] = x
		case bool:
			return Column{}, TypeError("<class 'bool'> is not convertible to datetime, at position %d", i)
		case Timestamp:
			if x.IsNaT() {
				ns[i] = NaT
				continue
			}
			ns[i], z = x.NS, x.Zone
		case string:
			switch strings.TrimSpace(x) {
			case "", "NaT", "nat", "NAT", "nan", "NaN", "NAN", "None", "none", "null", "NULL":
				ns[i] = NaT
				continue
			}
			t, tz, err := ParseISO(strings.TrimSpace(x))
			if err != nil {
				return Column{}, &Error{Type: "DateParseError", Message: "Unknown datetime string format, unable to parse: " + x + ", at position " + strconv.Itoa(i)}
			}
			ns[i], z = t, tz
		default:
			return Column{}, TypeError("<class '%s'> is not convertible to datetime, at position %d", PyTypeName(v), i)
		}
		zones[i] = z
		if z.Aware {
			if seenAware && !sameZone(zone, z) {
				mixedZones = true
			}
			if !seenAware {
				zone = z
			}
			seenAware = true
		} else {
			seenNaive = true
		}
	}
	if seenAware && seenNaive {
		return Column{}, ValueError("Tz-aware datetime.datetime cannot be converted to datetime64 unless utc=True")
	}
	if mixedZones {
		out := make([]any, len(ns))
		for i, t := range ns {
			if t != NaT {
				out[i] = Timestamp{NS: t, Zone: zones[i]}
			}
		}
		return Objects(out), nil
	}
	return Datetimes(ns, zone), nil
}

// sameZone reports whether two aware zones are the same tz (equal fixed offsets, or the
// same IANA zone).
func sameZone(a, b Zone) bool {
	if a.Loc != nil || b.Loc != nil {
		return a.Loc != nil && b.Loc != nil && a.Loc.String() == b.Loc.String()
	}
	return a.Offset == b.Offset
}

// DTypeName is the dtype as pandas prints it, with the zone of an aware datetime column:
// "float64", "int64", "bool", "object", "datetime64[ns]", "datetime64[ns, UTC]",
// "datetime64[ns, UTC+02:00]", "timedelta64[ns]".
func (c Column) DTypeName() string {
	if c.DType == Datetime && c.Zone.Aware {
		return "datetime64[ns, " + c.Zone.Name() + "]"
	}
	return c.DType.String()
}

// Duplicated is pandas' Index.duplicated(keep): true for every label that equals an
// earlier one (KeepFirst), a later one (KeepLast), or any other (KeepNone); labels compare
// by value, missing labels equal each other.
func (c Column) Duplicated(keep Keep) []bool {
	return duplicated(factorize(c), keep)
}

// ConcatColumns is the values of pd.concat of Series with these values, in order, with
// numpy's/pandas' common dtype (find_common_type): one dtype stays itself; int64 and
// float64 give float64; datetimes of one zone stay datetimes, aware datetimes of
// different zones become UTC datetimes (the instants are kept; pandas 2 may hold them as
// objects), naive with aware datetimes and every other mixture give object. Empty columns
// do not take part in choosing the dtype unless all are empty.
func ConcatColumns(cols ...Column) Column {
	var parts []Column
	for _, c := range cols {
		if c.Len() > 0 {
			parts = append(parts, c)
		}
	}
	if len(parts) == 0 {
		if len(cols) == 0 {
			return Floats(nil)
		}
		parts = cols[:1]
	}
	dt := parts[0].DType
	zone := parts[0].Zone
	for _, c := range parts[1:] {
		switch {
		case c.DType == dt && dt == Datetime:
			if c.Zone.Aware != zone.Aware {
				dt = Object
			} else if zone.Aware && !sameZone(c.Zone, zone) {
				zone = UTC
			}
		case c.DType == dt:
		case (c.DType == Int64 && dt == Float64) || (c.DType == Float64 && dt == Int64):
			dt = Float64
		default:
			dt = Object
		}
	}
	n := 0
	for _, c := range parts {
		n += c.Len()
	}
	out := Column{DType: dt, Zone: zone}
	switch dt {
	case Float64:
		out.F = make([]float64, 0, n)
		for _, c := range parts {
			out.F = append(out.F, c.AsFloat64().F...)
		}
	case Int64, Datetime, Timedeltas:
		out.I = make([]int64, 0, n)
		for _, c := range parts {
			out.I = append(out.I, c.I...)
		}
	case Bool:
		out.B = make([]bool, 0, n)
		for _, c := range parts {
			out.B = append(out.B, c.B...)
		}
	default:
		out.Zone = Zone{}
		out.O = make([]any, 0, n)
		for _, c := range parts {
			out.O = append(out.O, c.AsObject().O...)
		}
	}
	return out
}
