package data

// ToDatetimeIndex is pd.to_datetime(index) for the index dtypes a Series can carry here:
// a datetime index is returned as it is; integers are nanoseconds since the epoch
// (naive), as pandas reads an integer index; an object index of ISO 8601 strings (None
// for NaT) is parsed, naive or aware — strings with different UTC offsets are converted
// to UTC, the project's rule for mixed offsets (pandas 1.5 would keep an object index).
// Everything else fails as pandas does, with a TypeError for floats, booleans and
// timedeltas and a ValueError for strings that are no timestamps or mix naive and aware
// ones.
func ToDatetimeIndex(c Column) (Column, error) {
	switch c.DType {
	case Datetime:
		return c, nil
	case Int64:
		return Datetimes(c.I, Naive), nil
	case Float64:
		return Column{}, TypeError("Cannot convert Float64Index to dtype datetime64[ns]; integer values are required for conversion")
	case Bool, Timedeltas:
		return Column{}, TypeError("dtype %s cannot be converted to datetime64[ns]", c.DType)
	}
	ns := make([]int64, len(c.O))
	var zone Zone
	first, mixed := true, false
	for i, v := range c.O {
		if v == nil {
			ns[i] = NaT
			continue
		}
		var z Zone
		switch x := v.(type) {
		case string:
			t, zz, err := ParseISO(x)
			if err != nil {
				return Column{}, ValueError("Given date string %s not likely a datetime present at position %d", x, i)
			}
			ns[i], z = t, zz
		case Timestamp:
			ns[i], z = x.NS, x.Zone
		case int64:
			ns[i], z = x, Naive
		default:
			return Column{}, TypeError("<class '%s'> is not convertible to datetime", PyTypeName(v))
		}
		switch {
		case first:
			zone, first = z, false
		case z.Aware != zone.Aware:
			return Column{}, ValueError("Tz-aware datetime.datetime cannot be converted to datetime64 unless utc=True")
		case z != zone:
			mixed = true
		}
	}
	if mixed {
		zone = UTC
	}
	return Datetimes(ns, zone), nil
}
