package data

import (
	"context"
	"sort"
	"strings"
)

// This file holds label-based row selection: pandas' .loc with a list of labels and with
// a label slice, and the ordering check of sort_index.

// LocIndexer is the row positions of pandas' obj.loc[labels] for a list of labels: for
// every label, in order, every position of c holding it (a label c holds several times
// selects all of them, in index order). Labels match as in a Python dict (1 and 1.0 are
// one label, aware timestamps by instant, NaN matches NaN). A label c lacks is pandas'
// KeyError: "None of [...] are in the [index]" when c has none of them, "[...] not in
// index" for the missing ones otherwise.
func LocIndexer(ctx context.Context, c, labels Column) ([]int, error) {
	if c.DType == labels.DType && (c.DType == Int64 || c.DType == Datetime || c.DType == Timedeltas) &&
		(c.DType != Datetime || c.Zone.Aware == labels.Zone.Aware) && strictlyIncreasing(c.I) && strictlyIncreasing(labels.I) {
		// sorted unique labels (the usual time index): a merge walk
		pos := make([]int, 0, labels.Len())
		j := 0
		for i, x := range labels.I {
			if i%CheckEvery == CheckEvery-1 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			for j < len(c.I) && c.I[j] < x {
				j++
			}
			if j == len(c.I) || c.I[j] != x {
				pos = nil
				break
			}
			pos = append(pos, j)
		}
		if pos != nil || labels.Len() == 0 {
			return pos, nil
		}
	}
	px := positions(keys(c))
	pos := make([]int, 0, labels.Len())
	var missing []string
	for i, k := range keys(labels) {
		if i%CheckEvery == CheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		p, ok := px.first[k]
		if !ok {
			missing = append(missing, PyRepr(labels.At(i)))
			continue
		}
		for ; p >= 0; p = px.next[p] {
			pos = append(pos, p)
		}
	}
	switch {
	case len(missing) == 0:
		return pos, nil
	case len(missing) == labels.Len():
		return nil, &Error{Type: "KeyError", Message: "\"None of [Index([" + strings.Join(missing, ", ") + "], dtype='" + pandasDtype(labels) + "')] are in the [index]\""}
	}
	return nil, &Error{Type: "KeyError", Message: "\"[" + strings.Join(missing, ", ") + "] not in index\""}
}

// SliceLocs is the positions [from, to) of pandas' obj.loc[start:stop] on index c, both
// bounds inclusive, nil meaning open. On a monotonically increasing index the bounds need
// not be labels of it: from is the first label ≥ start, to follows the last label ≤
// stop. On any other index (a sorted datetime index with NaT labels at its end, say) each
// given bound must be a label that occurs exactly once, else pandas' KeyError naming it.
// Timestamps compare by instant; a bound and labels Python cannot order raise its
// TypeError.
func (c Column) SliceLocs(start, stop any) (from, to int, err error) {
	n := c.Len()
	from, to = 0, n
	cmp := func(i int, v any) (int, error) {
		x := c.At(i)
		if lt, err := PyCompare(CmpLt, x, v); err != nil {
			return 0, err
		} else if lt {
			return -1, nil
		}
		if eq, _ := PyCompare(CmpEq, x, v); eq {
			return 0, nil
		}
		return 1, nil
	}
	if c.IsMonotonicIncreasing() {
		var ferr error
		if start != nil {
			from = sort.Search(n, func(i int) bool {
				r, err := cmp(i, start)
				if err != nil && ferr == nil {
					ferr = err
				}
				return r >= 0
			})
		}
		if stop != nil {
			to = sort.Search(n, func(i int) bool {
				r, err := cmp(i, stop)
				if err != nil && ferr == nil {
					ferr = err
				}
				return r > 0
			})
		}
		if ferr != nil {
			return 0, 0, ferr
		}
		return from, max(from, to), nil
	}
	exact := func(v any, side string) (int, error) {
		k := keyOf(v)
		at := -1
		for i, x := range keys(c) {
			if x == k {
				if at >= 0 {
					return 0, &Error{Type: "KeyError", Message: "Cannot get " + side + " slice bound for non-unique label: " + PyRepr(v)}
				}
				at = i
			}
		}
		if at < 0 {
			return 0, &Error{Type: "KeyError", Message: PyRepr(v)}
		}
		return at, nil
	}
	if start != nil {
		if from, err = exact(start, "left"); err != nil {
			return 0, 0, err
		}
	}
	if stop != nil {
		if to, err = exact(stop, "right"); err != nil {
			return 0, 0, err
		}
		to++
	}
	return from, max(from, to), nil
}

// OrderError is the TypeError numpy's sort raises for an object column whose values
// Python cannot order ("'<' not supported between instances of 'int' and 'str'", as
// sort_index on such an index raises it); nil when the values can be sorted. Missing
// values are set aside first, as pandas does.
func (c Column) OrderError() error {
	if c.DType != Object {
		return nil
	}
	var prev any
	seen := false
	for _, v := range c.O {
		if IsNA(v) {
			continue
		}
		if seen {
			if _, err := PyCompare(CmpLt, v, prev); err != nil {
				return err
			}
		}
		prev, seen = v, true
	}
	return nil
}
