package data

import "sort"

// cmpRows returns a comparison of rows i and j of c for sorting, missing values aside
// (callers place them last): −1, 0 or +1.
func cmpRows(c Column) func(i, j int) int {
	switch c.DType {
	case Float64:
		return func(i, j int) int {
			x, y := c.F[i], c.F[j]
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	case Int64, Datetime, Timedeltas:
		return func(i, j int) int { return cmpInt(c.I[i], c.I[j]) }
	case Bool:
		return func(i, j int) int {
			x, y := c.B[i], c.B[j]
			switch {
			case x == y:
				return 0
			case y:
				return -1
			}
			return 1
		}
	}
	return func(i, j int) int { return Compare(c.O[i], c.O[j]) }
}

// sortOrder is the stable order of the rows by the keys, each ascending or descending,
// missing values last whatever the direction (pandas' lexsort_indexer/nargsort with
// na_position="last"); ties keep their input order.
func sortOrder(n int, keys []Column, ascending []bool) []int {
	cmps := make([]func(i, j int) int, len(keys))
	for k, c := range keys {
		cmps[k] = cmpRows(c)
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		i, j := order[a], order[b]
		for k, c := range keys {
			ni, nj := c.IsNA(i), c.IsNA(j)
			switch {
			case ni && nj:
				continue
			case ni:
				return false
			case nj:
				return true
			}
			r := cmps[k](i, j)
			if !ascending[k] {
				r = -r
			}
			if r != 0 {
				return r < 0
			}
		}
		return false
	})
	return order
}

// SortValues is pandas' Series.sort_values(ascending=ascending): by value, missing values
// last, labels travelling with their values. The sort is stable (pandas' default
// quicksort is not; ties keep their input order here).
func (s *Series) SortValues(ascending bool) *Series {
	return s.Take(sortOrder(s.Len(), []Column{s.Values}, []bool{ascending}))
}

// SortValues is pandas' DataFrame.sort_values(by, ascending): rows ordered by the columns
// in by, the first deciding; ascending holds one direction for all keys or one per key.
// Missing values go last, the sort is stable. A label that is not a column is pandas'
// KeyError; a length mismatch of ascending its ValueError. An empty by returns the frame.
func (f *DataFrame) SortValues(by []any, ascending []bool) (*DataFrame, error) {
	if len(ascending) == 0 {
		ascending = []bool{true}
	}
	if len(ascending) != len(by) {
		if len(ascending) != 1 {
			return nil, ValueError("Length of ascending (%d) != length of by (%d)", len(ascending), len(by))
		}
		all := make([]bool, len(by))
		for i := range all {
			all[i] = ascending[0]
		}
		ascending = all
	}
	if len(by) == 0 {
		return f, nil
	}
	keys := make([]Column, len(by))
	for k, label := range by {
		c, ok := f.Col(label)
		if !ok {
			return nil, KeyError(label)
		}
		keys[k] = c
	}
	return f.Take(sortOrder(f.Len(), keys, ascending)), nil
}

// SortIndex is pandas' DataFrame.sort_index(): rows ascending by label, missing labels
// last, stable; a frame already sorted is returned as is.
func (f *DataFrame) SortIndex() *DataFrame {
	if f.Index.IsMonotonicIncreasing() {
		return f
	}
	return f.Take(f.Index.ArgSort())
}
