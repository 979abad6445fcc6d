package data

import "context"

// Duplicated is pandas' Index.duplicated(keep) (and Series.duplicated on values): labels
// compared by value as pandas' hash tables compare them (1 and 1.0 alike, every missing
// value one label); keep=first marks all but the first occurrence, last all but the last,
// KeepNone every label that occurs more than once.
func (c Column) Duplicated(keep Keep) []bool {
	if (c.DType == Int64 || c.DType == Datetime) && strictlyIncreasing(c.I) {
		return make([]bool, len(c.I)) // sorted distinct labels: nothing repeats
	}
	codes, _, _ := factorize(context.Background(), c) // fails only when its context ends
	return duplicated(codes, keep)
}

// IndexEquals is pandas' Index.equals: the same labels in the same order (NaN equals NaN,
// datetimes only equal datetimes of the same time zone).
func IndexEquals(a, b Column) bool { return indexEquals(a, b) }

// IsIn is pandas' Index.isin(values): for every label of c whether values holds it, labels
// matched as in a Python dict (1 and 1.0 are one label, NaN matches NaN, a naive timestamp
// never matches an aware one).
func IsIn(c, values Column) []bool {
	if sameIntKind(c, values) && strictlyIncreasing(c.I) && strictlyIncreasing(values.I) {
		// both sorted and distinct: one merge pass instead of a hash table
		out := make([]bool, len(c.I))
		j := 0
		for i, x := range c.I {
			for j < len(values.I) && values.I[j] < x {
				j++
			}
			out[i] = j < len(values.I) && values.I[j] == x
		}
		return out
	}
	px := positions(keys(values))
	out := make([]bool, c.Len())
	for i, k := range keys(c) {
		out[i] = px.find(k) >= 0
	}
	return out
}

// sameIntKind reports whether two columns hold int64 labels that compare as numbers:
// both Int64, or both Datetime of one awareness (aware values are UTC instants).
func sameIntKind(a, b Column) bool {
	switch {
	case a.DType == Int64 && b.DType == Int64:
		return true
	case a.DType == Datetime && b.DType == Datetime:
		return a.Zone.Aware == b.Zone.Aware
	}
	return false
}

// ConcatSeries is pd.concat([a, b]) of two Series: the labels and values of a followed by
// those of b, each pair cast to a common dtype as pandas does (int with float gives
// float, a naive with an aware datetime column or any other mix gives object, aware
// datetimes of different zones are converted to UTC as pandas 2 does). The result keeps
// the name when both names are equal, else it is unnamed; attrs are a's.
func ConcatSeries(a, b *Series) *Series {
	idx := ConcatColumns(a.Index, b.Index)
	vals := ConcatColumns(a.Values, b.Values)
	var name any
	if labelEqual(a.Name, b.Name) {
		name = a.Name
	}
	return &Series{Name: name, Index: idx, Values: vals, Attrs: a.Attrs}
}

// Factorize numbers the distinct values of c in the order they first appear, as pandas'
// unique() lists them: codes[i] is the number of row i's value, firsts[k] the row where
// value k first occurs. Values are matched as in a Python dict (1, 1.0 and True are one
// value, a naive timestamp never equals an aware one) and all missing values (NaN, None,
// NaT) share one number.
func (c Column) Factorize() (codes []int, firsts []int) {
	seen := make(map[lkey]int)
	codes = make([]int, c.Len())
	for i, k := range keys(c) {
		code, ok := seen[k]
		if !ok {
			code = len(firsts)
			seen[k] = code
			firsts = append(firsts, i)
		}
		codes[i] = code
	}
	return codes, firsts
}
