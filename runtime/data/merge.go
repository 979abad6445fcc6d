package data

import (
	"context"
	"fmt"
	"math"
)

// MergeHow is pandas' merge(how=…).
type MergeHow string

// The join kinds of Merge.
const (
	MergeInner MergeHow = "inner"
	MergeLeft  MergeHow = "left"
	MergeRight MergeHow = "right"
	MergeOuter MergeHow = "outer"
	MergeCross MergeHow = "cross"
)

// MergeRowLimit bounds the rows a merge may produce: a many-to-many merge grows with the
// product of the matching rows, and pandas would try to allocate whatever that is.
const MergeRowLimit = 10_000_000

// mergeError is pandas' MergeError (a ValueError subclass, reported under its own name).
func mergeError(format string, args ...any) error {
	return &Error{Type: "MergeError", Message: fmt.Sprintf(format, args...)}
}

// Merge is pandas 1.5's left.merge(right, on=on, how=how) with the default suffixes
// ("_x", "_y") and sort=False; pandas 2.1 behaves the same (2.2 changed the row order of
// inner and outer joins).
//
// Keys: on names the key columns, present in both frames (nil: the columns both have, a
// MergeError when there are none; with how "cross" on must be nil, else MergeError). Key
// values match as in a Python dict: 1, 1.0 and True are one key, all missing values
// (NaN, None, NaT) are one key and match each other; a naive timestamp never matches an
// aware one. Key columns of incompatible dtypes fail as pandas' _maybe_coerce_merge_keys
// does: "You are trying to merge on int64 and object columns. If you wish to proceed you
// should use pd.concat" (numbers against strings, datetimes against anything but
// datetimes of the same awareness).
//
// Rows, with every key numbered in order of first appearance in left, then in right
// (pandas' factorisation without sorting): inner gives the keys in that order, for each
// key every left row (in order) paired with every right row (in order), the cartesian
// product of a many-to-many key; left gives every left row in order, each with its
// matching right rows or none; right the same from the right; outer the keys in that
// order, a key only one side has with just its rows (when one side has no rows at all,
// the other side's rows in their own order, pandas' fast path); cross every left row with every
// right row. The result has a fresh 0..n-1 index and no attrs.
//
// Columns: left's, then right's; each key once, from left (from right, at its place
// there, when left has no rows), holding the left value or, where left has no row, the
// right one (their common dtype); other columns both frames have get the suffixes
// ("<label>_x", "<label>_y"); a column of the side without a matching row is missing
// there (int64 upcast to float64, bool to object). More than MergeRowLimit result rows
// is a MemoryError; an unknown how is pandas 1.5's KeyError.
func Merge(ctx context.Context, left, right *DataFrame, on []any, how MergeHow) (*DataFrame, error) {
	if how == MergeCross {
		if on != nil {
			return nil, mergeError("Can not pass on, right_on, left_on or set right_index=True or left_index=True")
		}
		return mergeCross(ctx, left, right)
	}
	if on == nil {
		for _, n := range left.Names {
			if right.ColIndex(n) >= 0 {
				on = append(on, n)
			}
		}
		if len(on) == 0 {
			return nil, mergeError("No common columns to perform merge on. Merge options: left_on=None, right_on=None, left_index=False, right_index=False")
		}
	}
	lk := make([]Column, len(on))
	rk := make([]Column, len(on))
	for i, name := range on {
		// pandas looks the key up in right first
		var err error
		if rk[i], err = mergeKey(right, name); err != nil {
			return nil, err
		}
		if lk[i], err = mergeKey(left, name); err != nil {
			return nil, err
		}
	}
	for i := range on {
		if err := mergeKeysCompatible(lk[i], rk[i]); err != nil {
			return nil, err
		}
	}
	switch how {
	case MergeInner, MergeLeft, MergeRight, MergeOuter:
	default:
		return nil, KeyError(string(how))
	}
	lcode, rcode, groups, err := mergeFactorize(ctx, lk, rk)
	if err != nil {
		return nil, err
	}
	lidx, ridx, err := mergeJoinCodes(ctx, lcode, rcode, groups, how)
	if err != nil {
		return nil, err
	}
	return assembleMerge(left, right, on, lidx, ridx), nil
}

// mergeKey returns the key column called name (KeyError when absent, ValueError when
// several columns carry the label).
func mergeKey(f *DataFrame, name any) (Column, error) {
	at := -1
	for i, n := range f.Names {
		if labelEqual(n, name) {
			if at >= 0 {
				return Column{}, ValueError("The column label %s is not unique.", PyRepr(name))
			}
			at = i
		}
	}
	if at < 0 {
		return Column{}, KeyError(name)
	}
	return f.Columns[at], nil
}

// mergeInferKind is pandas' lib.infer_dtype(values, skipna=False) for the kinds the merge
// key check distinguishes.
func mergeInferKind(c Column) string {
	switch c.DType {
	case Int64:
		return "integer"
	case Float64:
		return "floating"
	case Bool:
		return "boolean"
	case Datetime:
		return "datetime64"
	case Timedeltas:
		return "timedelta64"
	}
	if len(c.O) == 0 {
		return "empty"
	}
	var strs, ints, floats, bools, other int
	for _, v := range c.O {
		switch v.(type) {
		case string:
			strs++
		case int64, int:
			ints++
		case float64:
			floats++
		case bool:
			bools++
		default:
			other++
		}
	}
	n := len(c.O)
	switch {
	case strs == n:
		return "string"
	case ints == n:
		return "integer"
	case bools == n:
		return "boolean"
	case floats == n:
		return "floating"
	case ints+floats == n:
		return "mixed-integer-float"
	case ints > 0:
		return "mixed-integer"
	}
	return "mixed"
}

// mergeKeysCompatible is the part of pandas' _maybe_coerce_merge_keys that rejects keys
// which cannot match; every other pair is merged (pandas casts a pair of different
// dtypes to object, where the keys still match by value).
func mergeKeysCompatible(lk, rk Column) error {
	msg := func() error {
		return ValueError("You are trying to merge on %s and %s columns. If you wish to proceed you should use pd.concat", pandasDtype(lk), pandasDtype(rk))
	}
	if (lk.Len() > 0) != (rk.Len() > 0) {
		return nil // pandas skips the check when exactly one side has no rows
	}
	if lk.DType == rk.DType && lk.DType != Datetime {
		return nil
	}
	lt := lk.DType == Datetime || lk.DType == Timedeltas
	rt := rk.DType == Datetime || rk.DType == Timedeltas
	switch {
	case lk.DType == Datetime && rk.DType == Datetime:
		if lk.Zone.Aware != rk.Zone.Aware {
			return msg()
		}
		return nil // equal zones, or two aware ones (matched by instant)
	case lk.IsNumeric() && rk.IsNumeric():
		return nil
	case (lk.DType == Object && rk.DType == Bool) || (lk.DType == Bool && rk.DType == Object):
		return nil
	case (lk.DType == Object && rk.IsNumeric()) || (lk.IsNumeric() && rk.DType == Object):
		il, ir := mergeInferKind(lk), mergeInferKind(rk)
		boolish := func(s string) bool {
			return s == "integer" || s == "mixed-integer" || s == "boolean" || s == "empty"
		}
		stringish := func(s string) bool { return s == "string" || s == "mixed" || s == "empty" }
		if boolish(il) && boolish(ir) {
			return nil
		}
		if stringish(il) != stringish(ir) {
			return msg()
		}
		return nil
	case lt != rt:
		return msg()
	}
	return nil
}

// mergeFactorize numbers the key tuples of both sides in order of first appearance, left
// rows first: codes per row and the number of distinct keys.
func mergeFactorize(ctx context.Context, lk, rk []Column) (lcode, rcode []int32, groups int, err error) {
	lcode, rcode, groups, err = mergeFactorizePair(ctx, lk[0], rk[0])
	if err != nil {
		return nil, nil, 0, err
	}
	for k := 1; k < len(lk); k++ {
		lc, rc, _, err := mergeFactorizePair(ctx, lk[k], rk[k])
		if err != nil {
			return nil, nil, 0, err
		}
		// combine (code so far, this key's code) into one dense code
		type pair struct{ a, b int32 }
		m := make(map[pair]int32, groups)
		comb := func(codes, next []int32) {
			for i := range codes {
				p := pair{codes[i], next[i]}
				c, ok := m[p]
				if !ok {
					c = int32(len(m))
					m[p] = c
				}
				codes[i] = c
			}
		}
		comb(lcode, lc)
		comb(rcode, rc)
		groups = len(m)
	}
	return lcode, rcode, groups, nil
}

// mergeFactorizePair numbers the values of one key column pair (see mergeFactorize). Columns
// of one integer-like dtype (int64, datetimes of one zone, timedeltas) and float64 pairs
// use typed maps; any other pair is matched by label keys.
func mergeFactorizePair(ctx context.Context, a, b Column) (ac, bc []int32, groups int, err error) {
	ac, bc = make([]int32, a.Len()), make([]int32, b.Len())
	sameInts := a.DType == b.DType && a.Zone == b.Zone &&
		(a.DType == Int64 || a.DType == Datetime || a.DType == Timedeltas)
	switch {
	case sameInts && strictlyIncreasing(a.I) && strictlyIncreasing(b.I):
		// sorted unique keys (ids, timestamps): a's keys are 0..n-1, b's found by a
		// two-pointer walk, new ones numbered on
		for i := range ac {
			ac[i] = int32(i)
		}
		next, j := int32(len(a.I)), 0
		for i, v := range b.I {
			if i%CheckEvery == CheckEvery-1 {
				if err := ctx.Err(); err != nil {
					return nil, nil, 0, err
				}
			}
			for j < len(a.I) && a.I[j] < v {
				j++
			}
			if j < len(a.I) && a.I[j] == v {
				bc[i] = int32(j)
			} else {
				bc[i] = next
				next++
			}
		}
		return ac, bc, int(next), nil
	case sameInts:
		m := make(map[int64]int32, a.Len())
		for side, vals := range [2][]int64{a.I, b.I} {
			out := ac
			if side == 1 {
				out = bc
			}
			for i, v := range vals {
				if i%CheckEvery == CheckEvery-1 {
					if err := ctx.Err(); err != nil {
						return nil, nil, 0, err
					}
				}
				c, ok := m[v]
				if !ok {
					c = int32(len(m))
					m[v] = c
				}
				out[i] = c
			}
		}
		return ac, bc, len(m), nil
	case a.DType == Float64 && b.DType == Float64:
		m := make(map[uint64]int32, a.Len())
		for side, vals := range [2][]float64{a.F, b.F} {
			out := ac
			if side == 1 {
				out = bc
			}
			for i, v := range vals {
				if i%CheckEvery == CheckEvery-1 {
					if err := ctx.Err(); err != nil {
						return nil, nil, 0, err
					}
				}
				var bits uint64
				switch {
				case v != v:
					bits = math.Float64bits(math.NaN())
				case v == 0:
					bits = 0 // -0.0 and 0.0 are one key
				default:
					bits = math.Float64bits(v)
				}
				c, ok := m[bits]
				if !ok {
					c = int32(len(m))
					m[bits] = c
				}
				out[i] = c
			}
		}
		return ac, bc, len(m), nil
	}
	m := make(map[lkey]int32, a.Len())
	for side, c := range [2]Column{a, b} {
		out := ac
		if side == 1 {
			out = bc
		}
		for i, k := range keys(c) {
			if i%CheckEvery == CheckEvery-1 {
				if err := ctx.Err(); err != nil {
					return nil, nil, 0, err
				}
			}
			code, ok := m[k]
			if !ok {
				code = int32(len(m))
				m[k] = code
			}
			out[i] = code
		}
	}
	return ac, bc, len(m), nil
}

// mergeGroupRows is a counting sort of rows by code (pandas' groupsort_indexer): the rows of
// code g are rows[start[g]:start[g+1]], in their original order.
func mergeGroupRows(codes []int32, groups int) (start []int, rows []int32) {
	start = make([]int, groups+1)
	for _, c := range codes {
		start[c+1]++
	}
	for g := 1; g <= groups; g++ {
		start[g] += start[g-1]
	}
	rows = make([]int32, len(codes))
	fill := append([]int(nil), start[:groups]...)
	for i, c := range codes {
		rows[fill[c]] = int32(i)
		fill[c]++
	}
	return start, rows
}

func mergeTooLarge(n int) error {
	return &Error{Type: "MemoryError", Message: fmt.Sprintf("merge would create %d rows, more than the limit of %d", n, MergeRowLimit)}
}

// mergeJoinCodes pairs the rows of both sides by code as pandas' libjoin does (see Merge for
// the orders); -1 marks a missing side.
func mergeJoinCodes(ctx context.Context, lcode, rcode []int32, groups int, how MergeHow) (lidx, ridx []int, err error) {
	// pandas' fast path for an empty side: an outer join is then the other side's rows
	// in their own order, not grouped by key
	if how == MergeOuter && (len(lcode) == 0) != (len(rcode) == 0) {
		n := max(len(lcode), len(rcode))
		if n > MergeRowLimit {
			return nil, nil, mergeTooLarge(n)
		}
		rows, none := make([]int, n), make([]int, n)
		for i := range rows {
			rows[i], none[i] = i, -1
		}
		if len(lcode) == 0 {
			return none, rows, nil
		}
		return rows, none, nil
	}
	ls, lrows := mergeGroupRows(lcode, groups)
	rs, rrows := mergeGroupRows(rcode, groups)
	lc := func(g int32) int { return ls[g+1] - ls[g] }
	rc := func(g int32) int { return rs[g+1] - rs[g] }
	// the size first, as pandas' first pass, to refuse an explosion before allocating
	n := 0
	switch how {
	case MergeInner:
		for g := range int32(groups) {
			n += lc(g) * rc(g)
		}
	case MergeLeft:
		for _, g := range lcode {
			n += max(rc(g), 1)
		}
	case MergeRight:
		for _, g := range rcode {
			n += max(lc(g), 1)
		}
	case MergeOuter:
		for g := range int32(groups) {
			if lc(g) > 0 && rc(g) > 0 {
				n += lc(g) * rc(g)
			} else {
				n += lc(g) + rc(g)
			}
		}
	}
	if n > MergeRowLimit || n < 0 {
		return nil, nil, mergeTooLarge(n)
	}
	lidx, ridx = make([]int, 0, n), make([]int, 0, n)
	emit := func(l, r int) error {
		lidx, ridx = append(lidx, l), append(ridx, r)
		if len(lidx)%CheckEvery == 0 {
			return ctx.Err()
		}
		return nil
	}
	cartesian := func(g int32) error {
		for _, j := range lrows[ls[g]:ls[g+1]] {
			for _, k := range rrows[rs[g]:rs[g+1]] {
				if err := emit(int(j), int(k)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	switch how {
	case MergeInner:
		for g := range int32(groups) {
			if err := cartesian(g); err != nil {
				return nil, nil, err
			}
		}
	case MergeLeft:
		for i, g := range lcode {
			if rc(g) == 0 {
				if err := emit(i, -1); err != nil {
					return nil, nil, err
				}
				continue
			}
			for _, k := range rrows[rs[g]:rs[g+1]] {
				if err := emit(i, int(k)); err != nil {
					return nil, nil, err
				}
			}
		}
	case MergeRight:
		for k, g := range rcode {
			if lc(g) == 0 {
				if err := emit(-1, k); err != nil {
					return nil, nil, err
				}
				continue
			}
			for _, j := range lrows[ls[g]:ls[g+1]] {
				if err := emit(int(j), k); err != nil {
					return nil, nil, err
				}
			}
		}
	case MergeOuter:
		for g := range int32(groups) {
			switch {
			case rc(g) == 0:
				for _, j := range lrows[ls[g]:ls[g+1]] {
					if err := emit(int(j), -1); err != nil {
						return nil, nil, err
					}
				}
			case lc(g) == 0:
				for _, k := range rrows[rs[g]:rs[g+1]] {
					if err := emit(-1, int(k)); err != nil {
						return nil, nil, err
					}
				}
			default:
				if err := cartesian(g); err != nil {
					return nil, nil, err
				}
			}
		}
	}
	return lidx, ridx, nil
}

// mergeCross is how="cross": every left row with every right row, left rows major.
func mergeCross(ctx context.Context, left, right *DataFrame) (*DataFrame, error) {
	nl, nr := left.Len(), right.Len()
	if nr > 0 && nl > MergeRowLimit/nr {
		return nil, mergeTooLarge(nl * nr)
	}
	lidx, ridx := make([]int, 0, nl*nr), make([]int, 0, nl*nr)
	for i := range nl {
		if i%CheckEvery == CheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for k := range nr {
			lidx, ridx = append(lidx, i), append(ridx, k)
		}
	}
	return assembleMerge(left, right, nil, lidx, ridx), nil
}

func mergeIsKey(on []any, name any) bool {
	for _, k := range on {
		if labelEqual(k, name) {
			return true
		}
	}
	return false
}

// assembleMerge builds the merged frame from the row pairs (see Merge for the columns).
func assembleMerge(left, right *DataFrame, on []any, lidx, ridx []int) *DataFrame {
	keepLeftKeys := left.Len() > 0
	type src struct {
		name  any
		col   Column
		right bool
	}
	var cols []src
	for i, n := range left.Names {
		if !keepLeftKeys && mergeIsKey(on, n) {
			continue
		}
		cols = append(cols, src{n, left.Columns[i], false})
	}
	for i, n := range right.Names {
		if keepLeftKeys && mergeIsKey(on, n) {
			continue
		}
		cols = append(cols, src{n, right.Columns[i], true})
	}
	// overlapping labels, keys excepted, get the suffixes
	overlap := func(n any, fromRight bool) bool {
		if mergeIsKey(on, n) {
			return false
		}
		other := right
		if fromRight {
			other = left
		}
		return other.ColIndex(n) >= 0
	}
	n := len(lidx)
	names := make([]any, len(cols))
	out := make([]Column, len(cols))
	for k, c := range cols {
		names[k] = c.name
		if overlap(c.name, c.right) {
			suffix := "_x"
			if c.right {
				suffix = "_y"
			}
			names[k] = PyStr(c.name) + suffix
		}
		idx, other, otherIdx := lidx, right, ridx
		if c.right {
			idx, other, otherIdx = ridx, left, lidx
		}
		if mergeIsKey(on, c.name) {
			oc, _ := other.Col(c.name)
			out[k] = mergedKey(c.col, idx, oc, otherIdx)
			continue
		}
		out[k] = takeFill(c.col, idx, nil)
	}
	return &DataFrame{Index: Range(n), Names: names, Columns: out}
}

// mergedKey is a key column of the result: the kept side's key where that side has a
// row, the other side's key elsewhere, in their common dtype.
func mergedKey(kept Column, kidx []int, other Column, oidx []int) Column {
	missing, all := false, len(kidx) > 0
	for _, p := range kidx {
		if p < 0 {
			missing = true
		} else {
			all = false
		}
	}
	switch {
	case !missing:
		return takeFill(kept, kidx, nil)
	case all:
		return takeFill(other, oidx, nil)
	}
	if kept.DType == other.DType && kept.Zone == other.Zone {
		return pick(kept, other, kidx, oidx)
	}
	if kept.IsNumeric() && other.IsNumeric() && kept.DType != Bool && other.DType != Bool {
		return pick(kept.AsFloat64(), other.AsFloat64(), kidx, oidx)
	}
	return pick(kept.AsObject(), other.AsObject(), kidx, oidx)
}
