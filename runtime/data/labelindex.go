package data

// LabelIndex is a DataFrame's columns as an index (pandas' df.columns, e.g. the index of
// a Series built with index=df.columns): Int64 when every label is an int64, Float64
// when every label is a float64, Object otherwise.
func LabelIndex(names []any) Column { return labelColumn(names) }
