package data

import "fmt"

// DataFrame is a pandas DataFrame: labelled columns sharing one index. MULTITSFRAME
// values are DataFrames in long format (timestamp, metric, value…).
type DataFrame struct {
	Index   Column
	Names   []any // column labels: string, int64 …
	Columns []Column
	Attrs   *Dict
}

// NewDataFrame builds a DataFrame; it panics when a column's length differs from the
// index length (a programming error).
func NewDataFrame(index Column, names []any, cols []Column) *DataFrame {
	if len(names) != len(cols) {
		panic("data: frame names and columns differ in number")
	}
	for _, c := range cols {
		if c.Len() != index.Len() {
			panic("data: frame column and index differ in length")
		}
	}
	return &DataFrame{Index: index, Names: names, Columns: cols}
}

// Len is the number of rows.
func (f *DataFrame) Len() int { return f.Index.Len() }

// Col returns the column labelled name (compared like pandas labels: "0" ≠ 0).
func (f *DataFrame) Col(name any) (Column, bool) {
	if i := f.ColIndex(name); i >= 0 {
		return f.Columns[i], true
	}
	return Column{}, false
}

// ColIndex returns the position of the column labelled name, or -1.
func (f *DataFrame) ColIndex(name any) int {
	for i, n := range f.Names {
		if labelEqual(n, name) {
			return i
		}
	}
	return -1
}

func labelEqual(a, b any) bool {
	if IsNA(a) && IsNA(b) {
		return true
	}
	_, aStr := a.(string)
	_, bStr := b.(string)
	if aStr != bStr {
		return false
	}
	return Compare(a, b) == 0 && kindRank(a) == kindRank(b)
}

// Series returns column name as a Series named after it.
func (f *DataFrame) Series(name any) (*Series, error) {
	c, ok := f.Col(name)
	if !ok {
		return nil, fmt.Errorf("%v", PyRepr(name))
	}
	return &Series{Name: name, Index: f.Index, Values: c}, nil
}

// Take returns the rows at the given positions.
func (f *DataFrame) Take(pos []int) *DataFrame {
	cols := make([]Column, len(f.Columns))
	for i, c := range f.Columns {
		cols[i] = c.Take(pos)
	}
	return &DataFrame{Index: f.Index.Take(pos), Names: f.Names, Columns: cols, Attrs: f.Attrs}
}
