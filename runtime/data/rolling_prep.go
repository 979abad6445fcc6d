package data

import "fmt"

// DataError is pandas.errors.DataError, which pandas' aggregations raise for data they
// cannot aggregate.
func DataError(format string, args ...any) error { return pyErr("DataError", format, args) }

// RollingValues is pandas' Rolling._prep_values for one column of the object being
// rolled: the values as float64 (bool as 0/1, an object column of numbers and missing
// values converted, None as NaN). Columns pandas cannot aggregate — strings and other
// objects, datetimes, timedeltas — fail with pandas 2.1's DataError: "No numeric types to
// aggregate" for a Series, "Cannot aggregate non-numeric type: <dtype>" for a DataFrame
// column (inFrame). The result may share c's storage (Float64): never modify it.
func RollingValues(c Column, inFrame bool) ([]float64, error) {
	f, ok := c.FloatValues()
	if ok {
		return f, nil
	}
	if !inFrame {
		return nil, DataError("No numeric types to aggregate")
	}
	dtype := c.DType.String()
	if c.DType == Datetime && c.Zone.Aware {
		dtype = "datetime64[ns, " + zoneName(c.Zone) + "]"
	}
	return nil, DataError("Cannot aggregate non-numeric type: %s", dtype)
}

// zoneName is how pandas names a fixed zone in a dtype: UTC, or UTC+02:00.
func zoneName(z Zone) string {
	off := int(z.Offset)
	if off == 0 {
		return "UTC"
	}
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("UTC%c%02d:%02d", sign, off/3600, off/60%60)
}
