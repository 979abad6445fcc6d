// Package data holds the values that flow between operators: hetida's data types,
// pandas-like Series and DataFrames with typed columns, and the numeric building blocks
// (NaN rules, alignment, rolling windows, frequencies) that components share.
package data

// Type is a hetida data type of a transformation input or output.
type Type string

// hetida's DataType enum.
const (
	TypeInt          Type = "INT"
	TypeFloat        Type = "FLOAT"
	TypeString       Type = "STRING"
	TypeBoolean      Type = "BOOLEAN"
	TypeSeries       Type = "SERIES"
	TypeDataFrame    Type = "DATAFRAME"
	TypeMultiTSFrame Type = "MULTITSFRAME"
	TypeAny          Type = "ANY"
	TypePlotlyJSON   Type = "PLOTLYJSON"
)

// Valid reports whether t is one of hetida's data types.
func (t Type) Valid() bool {
	switch t {
	case TypeInt, TypeFloat, TypeString, TypeBoolean, TypeSeries, TypeDataFrame,
		TypeMultiTSFrame, TypeAny, TypePlotlyJSON:
		return true
	}
	return false
}

// Compatible reports whether a link may connect an output of type t to an input of type u:
// equal types, or either side ANY.
func (t Type) Compatible(u Type) bool {
	return t == u || t == TypeAny || u == TypeAny
}
