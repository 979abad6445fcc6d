package data

import (
	"context"
	"fmt"
	"math"
	"sort"
)

// Join says which labels an alignment keeps (pandas' join= / how=).
type Join uint8

// Join kinds. JoinOuter is what arithmetic and the flex comparisons use.
const (
	JoinOuter Join = iota // labels of either side
	JoinInner             // labels of both sides
	JoinLeft              // labels of the left side
	JoinRight             // labels of the right side
)

func (j Join) String() string {
	switch j {
	case JoinInner:
		return "inner"
	case JoinLeft:
		return "left"
	case JoinRight:
		return "right"
	}
	return "outer"
}

// lkey is a label reduced to what pandas compares when it matches labels: numbers by
// value (1, 1.0 and True are one label, as in a Python dict), strings, timestamps by
// instant and awareness, timedeltas. All missing labels (NaN, NaT, None) are one label,
// as pandas matches NaN with NaN.
type lkey struct {
	kind uint8
	i    int64
	f    float64
	s    string
}

const (
	kNum   uint8 = iota // integral number in i
	kFloat              // non-integral number in f
	kStr
	kNaive // naive timestamp nanoseconds
	kAware // aware timestamp, UTC nanoseconds
	kDelta
	kOther // lists, dicts …: matched by their repr
	kNA
)

func keyOf(v any) lkey {
	switch x := v.(type) {
	case nil:
		return lkey{kind: kNA}
	case bool:
		if x {
			return lkey{kind: kNum, i: 1}
		}
		return lkey{kind: kNum}
	case int64:
		return lkey{kind: kNum, i: x}
	case int:
		return lkey{kind: kNum, i: int64(x)}
	case float64:
		return floatKey(x)
	case string:
		return lkey{kind: kStr, s: x}
	case Timestamp:
		if x.NS == NaT {
			return lkey{kind: kNA}
		}
		if x.Zone.Aware {
			return lkey{kind: kAware, i: x.NS}
		}
		return lkey{kind: kNaive, i: x.NS}
	case Timedelta:
		if x.NS == NaT {
			return lkey{kind: kNA}
		}
		return lkey{kind: kDelta, i: x.NS}
	}
	return lkey{kind: kOther, s: PyRepr(v)}
}

func floatKey(x float64) lkey {
	switch {
	case x != x:
		return lkey{kind: kNA}
	case x == math.Trunc(x) && math.Abs(x) < 1<<63:
		return lkey{kind: kNum, i: int64(x)}
	}
	return lkey{kind: kFloat, f: x}
}

// keys returns the label keys of every element.
func keys(c Column) []lkey {
	n := c.Len()
	k := make([]lkey, n)
	switch c.DType {
	case Float64:
		for i, v := range c.F {
			k[i] = floatKey(v)
		}
	case Int64:
		for i, v := range c.I {
			k[i] = lkey{kind: kNum, i: v}
		}
	case Bool:
		for i, v := range c.B {
			if v {
				k[i] = lkey{kind: kNum, i: 1}
			} else {
				k[i] = lkey{kind: kNum}
			}
		}
	case Datetime:
		kind := kNaive
		if c.Zone.Aware {
			kind = kAware
		}
		for i, v := range c.I {
			if v == NaT {
				k[i] = lkey{kind: kNA}
			} else {
				k[i] = lkey{kind: kind, i: v}
			}
		}
	case Timedeltas:
		for i, v := range c.I {
			if v == NaT {
				k[i] = lkey{kind: kNA}
			} else {
				k[i] = lkey{kind: kDelta, i: v}
			}
		}
	default:
		for i, v := range c.O {
			k[i] = keyOf(v)
		}
	}
	return k
}

// keyLess orders keys the way pandas' safe_sort does for sortable labels: numbers
// before strings, missing labels last.
func keyLess(a, b lkey) bool {
	if a.kind == kNA || b.kind == kNA {
		return b.kind == kNA && a.kind != kNA
	}
	an, bn := a.kind <= kFloat, b.kind <= kFloat
	switch {
	case an && bn:
		if a.kind == kNum && b.kind == kNum {
			return a.i < b.i
		}
		return a.num() < b.num()
	case an != bn:
		return an
	case a.kind == kStr:
		return a.s < b.s
	}
	return a.i < b.i
}

func (k lkey) num() float64 {
	if k.kind == kNum {
		return float64(k.i)
	}
	return k.f
}

// sortable reports whether pandas would sort these labels: numbers, strings or both
// (numbers first, as safe_sort orders mixed integer/string labels), or timestamps of one
// awareness, or timedeltas, each with missing labels allowed. Labels that Python cannot
// order (a string and a timestamp, lists …) keep their order of appearance.
func sortable(ks ...[]lkey) bool {
	var seen [kNA + 1]bool
	for _, k := range ks {
		for _, x := range k {
			seen[x.kind] = true
		}
	}
	other := 0
	for _, kind := range []uint8{kNaive, kAware, kDelta, kOther} {
		if seen[kind] {
			other++
		}
	}
	if seen[kOther] {
		return false
	}
	if other == 0 {
		return true
	}
	return other == 1 && !seen[kNum] && !seen[kFloat] && !seen[kStr]
}

// indexEquals is pandas' Index.equals: same length and equal labels position by
// position; numbers compare by value across int/float/object storage (1 equals 1.0),
// NaN equals NaN, datetimes only equal datetimes of the same time zone.
func indexEquals(a, b Column) bool {
	n := a.Len()
	if n != b.Len() {
		return false
	}
	if a.DType == Datetime || b.DType == Datetime || a.DType == Timedeltas || b.DType == Timedeltas {
		if a.DType != b.DType || a.Zone != b.Zone {
			return false
		}
		return int64sEqual(a.I, b.I)
	}
	switch {
	case a.DType == Int64 && b.DType == Int64:
		return int64sEqual(a.I, b.I)
	case a.DType == Float64 && b.DType == Float64:
		for i, x := range a.F {
			y := b.F[i]
			if x != y && (x == x || y == y) {
				return false
			}
		}
		return true
	}
	ka, kb := keys(a), keys(b)
	for i := range ka {
		if ka[i] != kb[i] {
			return false
		}
	}
	return true
}

func int64sEqual(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) > 0 && &a[0] == &b[0] {
		return true // the same storage: the common case of operands sharing an index
	}
	for i, x := range a {
		if x != b[i] {
			return false
		}
	}
	return true
}

// checkZones rejects joining a tz-naive with a tz-aware datetime index, as pandas'
// Index.join does.
func checkZones(a, b Column) error {
	if a.DType == Datetime && b.DType == Datetime && a.Zone.Aware != b.Zone.Aware {
		return TypeError("Cannot join tz-naive with tz-aware DatetimeIndex")
	}
	return nil
}

// harmonize gives two indexes one dtype, as pandas casts both to their common type
// before joining: aware datetimes of different zones become UTC, int and float become
// float, any other mix becomes object.
func harmonize(a, b Column) (Column, Column) {
	if a.DType == b.DType {
		if a.DType == Datetime && a.Zone != b.Zone && a.Zone.Aware && b.Zone.Aware {
			a.Zone, b.Zone = UTC, UTC
		}
		return a, b
	}
	if (a.DType == Int64 || a.DType == Float64) && (b.DType == Int64 || b.DType == Float64) {
		return a.AsFloat64(), b.AsFloat64()
	}
	return a.AsObject(), b.AsObject()
}

func minusOnes(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = -1
	}
	return p
}

// JoinIndexes is pandas' Index.join(other, how, return_indexers=True) as Series.align
// uses it: the joined index and, for each side, the position of every joined label in
// that side (-1 where the side lacks it). A nil indexer means the side is the joined
// index as it is.
//
// Rules, in pandas' order: equal indexes (indexEquals) are kept without reordering; a
// tz-naive and a tz-aware datetime index raise TypeError; an empty side yields the other
// side (outer) unchanged; a datetime or timedelta index joins from its side (pandas'
// _join_precedence: its labels first when the other side is of another dtype); otherwise
// both are cast to a common dtype. Unique indexes:
// left/right keep that side, inner keeps the left order, outer is the sorted union when
// the labels are sortable (else the left labels followed by the new right ones).
// Duplicate labels on either side: every left occurrence is paired with every right
// occurrence of the same label (the cartesian product), labels in sorted order, left
// occurrences major; a label on one side only appears with -1 on the other.
func JoinIndexes(ctx context.Context, a, b Column, how Join) (joined Column, lidx, ridx []int, err error) {
	if indexEquals(a, b) {
		return a, nil, nil, nil
	}
	if err := checkZones(a, b); err != nil {
		return Column{}, nil, nil, err
	}
	if b.Len() == 0 {
		if how == JoinOuter || how == JoinLeft {
			return a, nil, minusOnes(a.Len()), nil
		}
		return b, []int{}, nil, nil
	}
	if a.Len() == 0 {
		if how == JoinOuter || how == JoinRight {
			return b, minusOnes(b.Len()), nil, nil
		}
		return a, nil, []int{}, nil
	}
	if joinPrecedence(a) < joinPrecedence(b) {
		// pandas joins from the side of higher precedence (a datetime or timedelta
		// index) with how mirrored, so its labels come first in an unsortable union
		flip := map[Join]Join{JoinLeft: JoinRight, JoinRight: JoinLeft}
		h, ok := flip[how]
		if !ok {
			h = how
		}
		joined, ridx, lidx, err = JoinIndexes(ctx, b, a, h)
		return joined, lidx, ridx, err
	}
	a, b = harmonize(a, b)
	if j, l, r, ok := joinSortedUnique(a, b, how); ok {
		return j, l, r, nil
	}
	ka, kb := keys(a), keys(b)
	ma, mb := positions(ka), positions(kb)
	if clash(ka, kb) {
		// pandas' monotonic merge compares a label of a with one of b and fails: with
		// one side unique it gives up (falling back to a, then b's new labels), with
		// exactly one side duplicated the TypeError escapes (pandas 1.5)
		if ma.unique != mb.unique {
			if how == JoinRight { // pandas merges the right side into the left one
				return Column{}, nil, nil, NotSupportedBetween("<", b.At(0), a.At(0))
			}
			return Column{}, nil, nil, NotSupportedBetween("<", a.At(0), b.At(0))
		}
		if ma.unique && how == JoinOuter {
			l, r := unsortedUnion(ka, kb, ma)
			return pick(a, b, l, r), l, r, nil
		}
	}
	if ma.unique && mb.unique {
		return joinUnique(a, b, ka, kb, ma, mb, how)
	}
	return joinNonUnique(ctx, a, b, ka, kb, ma, mb, how)
}

// posIndex finds the positions of labels: first holds each label's first position,
// next[i] the following position of the label at i (-1 after the last one).
type posIndex struct {
	first  map[lkey]int
	next   []int
	unique bool
}

// joinPrecedence is pandas' Index._join_precedence: 10 for datetime-like indexes, 1 for
// the others.
func joinPrecedence(c Column) int {
	if c.DType == Datetime || c.DType == Timedeltas {
		return 10
	}
	return 1
}

func positions(k []lkey) posIndex {
	px := posIndex{first: make(map[lkey]int, len(k)), next: make([]int, len(k)), unique: true}
	for i := len(k) - 1; i >= 0; i-- {
		if p, ok := px.first[k[i]]; ok {
			px.next[i] = p
			px.unique = false
		} else {
			px.next[i] = -1
		}
		px.first[k[i]] = i
	}
	return px
}

// all returns the positions of label x in order (nil when absent).
func (px posIndex) all(x lkey) []int {
	p, ok := px.first[x]
	if !ok {
		return nil
	}
	var out []int
	for ; p >= 0; p = px.next[p] {
		out = append(out, p)
	}
	return out
}

func (px posIndex) find(x lkey) int {
	if p, ok := px.first[x]; ok {
		return p
	}
	return -1
}

func lookup(k []lkey, px posIndex) []int {
	pos := make([]int, len(k))
	for i, x := range k {
		pos[i] = px.find(x)
	}
	return pos
}

func joinUnique(a, b Column, ka, kb []lkey, ma, mb posIndex, how Join) (Column, []int, []int, error) {
	switch how {
	case JoinLeft:
		return a, nil, lookup(ka, mb), nil
	case JoinRight:
		return b, lookup(kb, ma), nil, nil
	case JoinInner:
		l, r := []int{}, []int{} // never nil: nil would mean "unchanged"
		for i, x := range ka {
			if p := mb.find(x); p >= 0 {
				l = append(l, i)
				r = append(r, p)
			}
		}
		return a.Take(l), l, r, nil
	}
	var l, r []int
	if sortable(ka, kb) {
		ua := make([]int, 0, len(ka)+len(kb))
		all := make([]lkey, 0, len(ka)+len(kb))
		all = append(all, ka...)
		for _, x := range kb {
			if ma.find(x) < 0 {
				all = append(all, x)
			}
		}
		for i := range all {
			ua = append(ua, i)
		}
		sort.SliceStable(ua, func(i, j int) bool { return keyLess(all[ua[i]], all[ua[j]]) })
		l, r = make([]int, len(ua)), make([]int, len(ua))
		for k, i := range ua {
			l[k], r[k] = ma.find(all[i]), mb.find(all[i])
		}
	} else {
		l, r = unsortedUnion(ka, kb, ma)
		for k, i := range l {
			if i >= 0 {
				r[k] = mb.find(ka[i])
			}
		}
	}
	return pick(a, b, l, r), l, r, nil
}

// unsortedUnion is pandas' fallback union of labels it cannot order: every label of a
// in place, then the labels of b that a lacks (the right indexer is -1 for a's labels).
func unsortedUnion(ka, kb []lkey, ma posIndex) (l, r []int) {
	for i := range ka {
		l, r = append(l, i), append(r, -1)
	}
	for j, x := range kb {
		if ma.find(x) < 0 {
			l, r = append(l, -1), append(r, j)
		}
	}
	return l, r
}

// labelClass groups the labels Python can order among themselves.
func labelClass(k lkey) int {
	switch k.kind {
	case kNum, kFloat:
		return 0
	case kStr:
		return 1
	case kNaive:
		return 2
	case kAware:
		return 3
	case kDelta:
		return 4
	}
	return -1
}

// monotonic is pandas' is_monotonic_increasing for labels: one orderable class, no
// missing label, never decreasing; the class is returned too.
func monotonic(k []lkey) (bool, int) {
	if len(k) == 0 {
		return true, -1
	}
	c := labelClass(k[0])
	if c < 0 {
		return false, c
	}
	for i := 1; i < len(k); i++ {
		if labelClass(k[i]) != c || keyLess(k[i], k[i-1]) {
			return false, c
		}
	}
	return true, c
}

// clash reports two non-empty object indexes that are each monotonic but hold labels of
// different classes (strings against numbers …), which pandas' merge cannot compare.
func clash(ka, kb []lkey) bool {
	if len(ka) == 0 || len(kb) == 0 {
		return false
	}
	ma, ca := monotonic(ka)
	mb, cb := monotonic(kb)
	return ma && mb && ca != cb
}

// joinNonUnique pairs the occurrences of every label (pandas' _join_non_unique, also what
// its monotonic join yields when one side has duplicates).
func joinNonUnique(ctx context.Context, a, b Column, ka, kb []lkey, ma, mb posIndex, how Join) (Column, []int, []int, error) {
	// Distinct labels in order of appearance, then sorted when pandas would sort them.
	order := make([]lkey, 0, len(ma.first)+len(mb.first))
	seen := make(map[lkey]bool, len(ma.first)+len(mb.first))
	for _, k := range [][]lkey{ka, kb} {
		for _, x := range k {
			if !seen[x] {
				seen[x] = true
				order = append(order, x)
			}
		}
	}
	if sortable(ka, kb) {
		sort.SliceStable(order, func(i, j int) bool { return keyLess(order[i], order[j]) })
	}
	groups := make([][2][]int, len(order))
	total := 0
	for k, x := range order {
		pa, pb := ma.all(x), mb.all(x)
		groups[k] = [2][]int{pa, pb}
		switch {
		case len(pa) > 0 && len(pb) > 0:
			total += len(pa) * len(pb)
		case len(pa) > 0 && (how == JoinOuter || how == JoinLeft):
			total += len(pa)
		case len(pb) > 0 && (how == JoinOuter || how == JoinRight):
			total += len(pb)
		}
		if total > maxJoinRows {
			return Column{}, nil, nil, &Error{Type: "MemoryError", Message: fmt.Sprintf("Unable to allocate %.2f GiB for an array with shape (%d,) and data type int64", float64(total)*8/(1<<30), total)}
		}
	}
	l, r := make([]int, 0, total), make([]int, 0, total)
	emit := func(i, j int) error {
		l, r = append(l, i), append(r, j)
		if len(l)%CheckEvery == 0 {
			return ctx.Err()
		}
		return nil
	}
	for _, g := range groups {
		pa, pb := g[0], g[1]
		var err error
		switch {
		case len(pa) > 0 && len(pb) > 0:
			outer, inner := pa, pb
			if how == JoinRight {
				outer, inner = pb, pa // right occurrences major
			}
		pairs:
			for _, o := range outer {
				for _, q := range inner {
					i, j := o, q
					if how == JoinRight {
						i, j = q, o
					}
					if err = emit(i, j); err != nil {
						break pairs
					}
				}
			}
		case len(pa) > 0 && (how == JoinOuter || how == JoinLeft):
			for _, i := range pa {
				if err = emit(i, -1); err != nil {
					break
				}
			}
		case len(pb) > 0 && (how == JoinOuter || how == JoinRight):
			for _, j := range pb {
				if err = emit(-1, j); err != nil {
					break
				}
			}
		}
		if err == nil {
			err = ctx.Err()
		}
		if err != nil {
			return Column{}, nil, nil, err
		}
	}
	return pick(a, b, l, r), l, r, nil
}

// maxJoinRows bounds the cartesian product of duplicate labels: pandas would try to
// allocate it and fail with MemoryError, an execution here fails the same way instead of
// exhausting the process.
const maxJoinRows = 1 << 25

// joinSortedUnique is the merge join of two strictly increasing numeric or datetime
// indexes of one dtype (the usual time index), without hashing.
func joinSortedUnique(a, b Column, how Join) (Column, []int, []int, bool) {
	switch a.DType {
	case Int64, Datetime, Timedeltas:
		if !strictlyIncreasing(a.I) || !strictlyIncreasing(b.I) {
			return Column{}, nil, nil, false
		}
		j, l, r := mergeSorted(a.I, b.I, how)
		if j == nil {
			return a, nil, r, true // left join
		}
		return Column{DType: a.DType, Zone: a.Zone, I: j}, l, r, true
	}
	return Column{}, nil, nil, false
}

func strictlyIncreasing(v []int64) bool {
	for i := 1; i < len(v); i++ {
		if v[i-1] >= v[i] {
			return false
		}
	}
	return true
}

// mergeSorted joins two strictly increasing label slices. For a left join it returns a
// nil joined slice (the left side is the result) and only the right indexer; for a
// right join the left indexer over the right labels.
func mergeSorted(a, b []int64, how Join) (joined []int64, l, r []int) {
	switch how {
	case JoinLeft:
		r = make([]int, len(a))
		j := 0
		for i, x := range a {
			for j < len(b) && b[j] < x {
				j++
			}
			if j < len(b) && b[j] == x {
				r[i] = j
			} else {
				r[i] = -1
			}
		}
		return nil, nil, r
	case JoinRight:
		l = make([]int, len(b))
		i := 0
		for j, y := range b {
			for i < len(a) && a[i] < y {
				i++
			}
			if i < len(a) && a[i] == y {
				l[j] = i
			} else {
				l[j] = -1
			}
		}
		return b, l, nil
	}
	size := len(a) + len(b)
	if how == JoinInner {
		size = min(len(a), len(b))
	}
	joined = make([]int64, size)
	l, r = make([]int, size), make([]int, size)
	i, j, k := 0, 0, 0
	for i < len(a) && j < len(b) {
		x, y := a[i], b[j]
		switch {
		case x < y:
			if how == JoinOuter {
				joined[k], l[k], r[k] = x, i, -1
				k++
			}
			i++
		case y < x:
			if how == JoinOuter {
				joined[k], l[k], r[k] = y, -1, j
				k++
			}
			j++
		default:
			joined[k], l[k], r[k] = x, i, j
			k++
			i++
			j++
		}
	}
	if how == JoinOuter {
		for ; i < len(a); i, k = i+1, k+1 {
			joined[k], l[k], r[k] = a[i], i, -1
		}
		for ; j < len(b); j, k = j+1, k+1 {
			joined[k], l[k], r[k] = b[j], -1, j
		}
	}
	return joined[:k:k], l[:k:k], r[:k:k]
}

// pick builds the joined labels: the left label where the left indexer has one, else
// the right label. a and b share a dtype.
func pick(a, b Column, l, r []int) Column {
	out := Column{DType: a.DType, Zone: a.Zone}
	n := len(l)
	switch a.DType {
	case Float64:
		out.F = make([]float64, n)
		for k := range l {
			if l[k] >= 0 {
				out.F[k] = a.F[l[k]]
			} else {
				out.F[k] = b.F[r[k]]
			}
		}
	case Int64, Datetime, Timedeltas:
		out.I = make([]int64, n)
		for k := range l {
			if l[k] >= 0 {
				out.I[k] = a.I[l[k]]
			} else {
				out.I[k] = b.I[r[k]]
			}
		}
	case Bool:
		out.B = make([]bool, n)
		for k := range l {
			if l[k] >= 0 {
				out.B[k] = a.B[l[k]]
			} else {
				out.B[k] = b.B[r[k]]
			}
		}
	default:
		out.O = make([]any, n)
		for k := range l {
			if l[k] >= 0 {
				out.O[k] = a.O[l[k]]
			} else {
				out.O[k] = b.O[r[k]]
			}
		}
	}
	return out
}

// Union is pandas' Index.union(other) with its default sort=None.
//
// Both are first cast to a common dtype (aware datetimes of different zones to UTC, as
// pandas 2 does); a tz-naive and a tz-aware datetime index raise pandas' join TypeError
// (pandas' union itself would fall back to an object index of mixed timestamps, which
// no alignment can use). Equal indexes, or an empty b, give a unchanged (unsorted); an
// empty a gives b. Otherwise every label occurs as often as in the side where it occurs
// most (pandas' union_with_duplicates), sorted when sortable (numbers before strings,
// missing last); unsortable labels keep the order of a, then the new labels of b.
func Union(a, b Column) (Column, error) {
	if err := checkZones(a, b); err != nil {
		return Column{}, err
	}
	if a.Len() > 0 && b.Len() > 0 {
		a, b = harmonize(a, b)
	}
	if b.Len() == 0 || indexEquals(a, b) {
		return a, nil
	}
	if a.Len() == 0 {
		return b, nil
	}
	if j, _, _, ok := joinSortedUnique(a, b, JoinOuter); ok {
		return j, nil
	}
	ka, kb := keys(a), keys(b)
	ma, mb := positions(ka), positions(kb)
	ub := mb.unique
	order := make([]lkey, 0, len(ma.first)+len(mb.first))
	seen := make(map[lkey]bool, len(ma.first)+len(mb.first))
	for _, k := range [][]lkey{ka, kb} {
		for _, x := range k {
			if !seen[x] {
				seen[x] = true
				order = append(order, x)
			}
		}
	}
	sorted := sortable(ka, kb)
	if clash(ka, kb) && (ma.unique || ub) {
		sorted = false // pandas' _union gives up on the merge and keeps the order
		ub = true
	}
	if !sorted && ub {
		// pandas' _union: a as it is, then the labels of b that a lacks
		var l, r []int
		for i := range ka {
			l, r = append(l, i), append(r, -1)
		}
		for j, x := range kb {
			if ma.find(x) < 0 {
				l, r = append(l, -1), append(r, j)
			}
		}
		return pick(a, b, l, r), nil
	}
	if sorted {
		sort.SliceStable(order, func(i, j int) bool { return keyLess(order[i], order[j]) })
	}
	var l, r []int
	for _, x := range order {
		pa, pb := ma.all(x), mb.all(x)
		for k := 0; k < max(len(pa), len(pb)); k++ {
			if k < len(pa) {
				l, r = append(l, pa[k]), append(r, -1)
			} else {
				l, r = append(l, -1), append(r, pb[k])
			}
		}
	}
	return pick(a, b, l, r), nil
}

// Intersection is pandas' Index.intersection(other) with its default sort=False: the
// distinct labels of a, in the order of a, that b also has. Equal indexes give a without
// its duplicates. Indexes that cannot hold common labels (tz-naive against tz-aware
// datetimes, datetimes against numbers) give an empty object index, as pandas does.
func Intersection(a, b Column) (Column, error) {
	if !comparableIndexes(a, b) {
		return Objects([]any{}), nil
	}
	a, b = harmonize(a, b)
	if a.Len() == 0 {
		return a, nil
	}
	if b.Len() == 0 {
		return b, nil
	}
	if j, _, _, ok := joinSortedUnique(a, b, JoinInner); ok {
		return j, nil // sorted unique labels: a merge walk gives a's labels that b has
	}
	ka := keys(a)
	var mb *posIndex
	if !indexEquals(a, b) {
		px := positions(keys(b))
		mb = &px
	}
	seen := make(map[lkey]bool, len(ka))
	var take []int
	for i, x := range ka {
		if seen[x] {
			continue
		}
		seen[x] = true
		if mb != nil && mb.find(x) < 0 {
			continue
		}
		take = append(take, i)
	}
	if take == nil {
		take = []int{}
	}
	return a.Take(take), nil
}

// comparableIndexes is pandas' _should_compare for the dtypes a Column can hold: a
// datetime index only shares labels with a datetime index of the same awareness (or an
// object index).
func comparableIndexes(a, b Column) bool {
	switch {
	case a.DType == Datetime && b.DType == Datetime:
		return a.Zone.Aware == b.Zone.Aware
	case a.DType == Datetime || b.DType == Datetime:
		return a.DType == Object || b.DType == Object
	case a.DType == Timedeltas || b.DType == Timedeltas:
		return a.DType == b.DType || a.DType == Object || b.DType == Object
	}
	return true
}

// Indexer returns, for every label of target, its position in source or -1 when source
// lacks it (pandas' get_indexer as reindex uses it). Labels match as in a Python dict:
// 1 and 1.0 are one label, NaN matches NaN, a naive timestamp never matches an aware one.
// Equal indexes give the identity even with duplicate labels (pandas skips the lookup);
// otherwise duplicate source labels raise ValueError "cannot reindex on an axis with
// duplicate labels" (not for an empty target).
func Indexer(target, source Column) ([]int, error) {
	if indexEquals(target, source) {
		pos := make([]int, target.Len())
		for i := range pos {
			pos[i] = i
		}
		return pos, nil
	}
	if target.Len() == 0 {
		// pandas 1.5.3 refuses duplicate labels only for a non-empty indexer
		return []int{}, nil
	}
	if target.DType == Datetime && source.DType == Datetime && target.Zone.Aware != source.Zone.Aware {
		// no label can match, but pandas refuses duplicate source labels first
		if !source.IsUnique() {
			return nil, ValueError("cannot reindex on an axis with duplicate labels")
		}
		return minusOnes(target.Len()), nil
	}
	t, s := harmonize(target, source)
	if s.DType == Int64 || s.DType == Datetime || s.DType == Timedeltas {
		if strictlyIncreasing(s.I) && strictlyIncreasing(t.I) {
			_, _, r := mergeSorted(t.I, s.I, JoinLeft)
			return r, nil
		}
	}
	px := positions(keys(s))
	if !px.unique {
		return nil, ValueError("cannot reindex on an axis with duplicate labels")
	}
	return lookup(keys(t), px), nil
}

// Reindex is pandas' Series.reindex(index, fill_value=fill): the values at the labels of
// index, missing where the series lacks a label. With fill nil missing values are NaN
// (NaT for datetimes) and int64 values upcast to float64, bools to object; a fill value
// keeps the dtype when it fits it (an int fill for int64, a bool fill for bool, a number
// for float64, a timestamp of the same awareness for datetimes) and makes the column
// object otherwise (float64 for an int64 column and a float fill). Equal indexes return
// the values as they are; duplicate labels otherwise raise ValueError.
func (s *Series) Reindex(index Column, fill any) (*Series, error) {
	pos, err := Indexer(index, s.Index)
	if err != nil {
		return nil, err
	}
	return &Series{Name: s.Name, Index: index, Values: takeFill(s.Values, pos, fill), Attrs: s.Attrs}, nil
}

// Reindex is pandas' DataFrame.reindex(index, fill_value=fill) over the rows; every
// column follows the rules of Series.Reindex.
func (f *DataFrame) Reindex(index Column, fill any) (*DataFrame, error) {
	pos, err := Indexer(index, f.Index)
	if err != nil {
		return nil, err
	}
	return f.takeRows(index, pos, fill), nil
}

func (f *DataFrame) takeRows(index Column, pos []int, fill any) *DataFrame {
	cols := make([]Column, len(f.Columns))
	for i, c := range f.Columns {
		cols[i] = takeFill(c, pos, fill)
	}
	return &DataFrame{Index: index, Names: f.Names, Columns: cols, Attrs: f.Attrs}
}

// takeFill is Column.Take with an optional fill value for the -1 positions (see
// Series.Reindex for the dtype rules). A nil pos means the identity.
func takeFill(c Column, pos []int, fill any) Column {
	if pos == nil {
		return c
	}
	missing := false
	for _, p := range pos {
		if p < 0 {
			missing = true
			break
		}
	}
	if !missing {
		if identity(pos, c.Len()) {
			return c
		}
		return c.Take(pos)
	}
	if fill == nil || IsNA(fill) {
		return c.Take(pos)
	}
	src := c
	switch c.DType {
	case Int64:
		switch fill.(type) {
		case int64:
		case float64:
			src = c.AsFloat64()
		default:
			src = c.AsObject()
		}
	case Float64:
		if _, ok := fill.(bool); ok {
			src = c.AsObject()
		} else if _, ok := ToFloat(fill); !ok {
			src = c.AsObject()
		}
	case Bool:
		if _, ok := fill.(bool); !ok {
			src = c.AsObject()
		}
	case Datetime:
		if t, ok := fill.(Timestamp); !ok || t.Zone.Aware != c.Zone.Aware {
			src = c.AsObject()
		}
	case Timedeltas:
		if _, ok := fill.(Timedelta); !ok {
			src = c.AsObject()
		}
	}
	out := Column{DType: src.DType, Zone: src.Zone}
	n := len(pos)
	switch src.DType {
	case Float64:
		fv, _ := ToFloat(fill)
		out.F = make([]float64, n)
		for i, p := range pos {
			if p < 0 {
				out.F[i] = fv
			} else {
				out.F[i] = src.F[p]
			}
		}
	case Int64, Datetime, Timedeltas:
		var fv int64
		switch x := fill.(type) {
		case int64:
			fv = x
		case Timestamp:
			fv = x.NS
		case Timedelta:
			fv = x.NS
		}
		out.I = make([]int64, n)
		for i, p := range pos {
			if p < 0 {
				out.I[i] = fv
			} else {
				out.I[i] = src.I[p]
			}
		}
	case Bool:
		fv := fill.(bool)
		out.B = make([]bool, n)
		for i, p := range pos {
			if p < 0 {
				out.B[i] = fv
			} else {
				out.B[i] = src.B[p]
			}
		}
	default:
		out.O = make([]any, n)
		for i, p := range pos {
			if p < 0 {
				out.O[i] = fill
			} else {
				out.O[i] = src.O[p]
			}
		}
	}
	return out
}

func identity(pos []int, n int) bool {
	if len(pos) != n {
		return false
	}
	for i, p := range pos {
		if p != i {
			return false
		}
	}
	return true
}

func columnLabels(c Column) []any {
	if c.DType == Object {
		return c.O
	}
	names := make([]any, c.Len())
	for i := range names {
		names[i] = c.At(i)
	}
	return names
}

// Align is pandas' a.align(b, join=join) for two Series or two DataFrames (frames align
// rows and columns): both reindexed onto the joined labels (see JoinIndexes), missing
// values NaN with numpy's upcasting (see Series.Reindex). Operands with equal indexes
// come back unchanged.
func Align(ctx context.Context, a, b any, join Join) (any, any, error) {
	switch x := a.(type) {
	case *Series:
		y, ok := b.(*Series)
		if !ok {
			break
		}
		return alignSeries(ctx, x, y, join)
	case *DataFrame:
		y, ok := b.(*DataFrame)
		if !ok {
			break
		}
		return alignFrames(ctx, x, y, join)
	}
	return nil, nil, TypeError("unsupported type for align: '%s' and '%s'", PyTypeName(a), PyTypeName(b))
}

func alignSeries(ctx context.Context, a, b *Series, join Join) (*Series, *Series, error) {
	idx, l, r, err := JoinIndexes(ctx, a.Index, b.Index, join)
	if err != nil {
		return nil, nil, err
	}
	if l == nil && r == nil {
		return a, b, nil
	}
	a2 := &Series{Name: a.Name, Index: idx, Values: takeFill(a.Values, l, nil), Attrs: a.Attrs}
	b2 := &Series{Name: b.Name, Index: idx, Values: takeFill(b.Values, r, nil), Attrs: b.Attrs}
	return a2, b2, nil
}

func alignFrames(ctx context.Context, a, b *DataFrame, join Join) (*DataFrame, *DataFrame, error) {
	idx, l, r, err := JoinIndexes(ctx, a.Index, b.Index, join)
	if err != nil {
		return nil, nil, err
	}
	cols, cl, cr, err := JoinIndexes(ctx, labelColumn(a.Names), labelColumn(b.Names), join)
	if err != nil {
		return nil, nil, err
	}
	names := columnLabels(cols)
	if cl == nil && cr == nil {
		names = a.Names
	}
	return a.realign(idx, l, names, cl), b.realign(idx, r, names, cr), nil
}

// realign reindexes a frame's rows by pos and its columns by cpos (nil: unchanged);
// a -1 column position yields an all-NaN float64 column.
func (f *DataFrame) realign(index Column, pos []int, names []any, cpos []int) *DataFrame {
	n := index.Len()
	cols := make([]Column, len(names))
	for k := range names {
		src := k
		if cpos != nil {
			src = cpos[k]
		}
		if src < 0 {
			nan := make([]float64, n)
			for i := range nan {
				nan[i] = math.NaN()
			}
			cols[k] = Floats(nan)
			continue
		}
		cols[k] = takeFill(f.Columns[src], pos, nil)
	}
	return &DataFrame{Index: index, Names: names, Columns: cols, Attrs: f.Attrs}
}

// WithColumn is pandas' df[name] = s on a copy of the frame: s is aligned to the frame's
// index (a left join: labels only s has are dropped, labels s lacks get NaN with
// numpy's upcasting; equal indexes are taken position by position), an existing column
// of that name is replaced in place, a new one is appended. A frame without rows adopts
// the series' index (its existing columns become all missing), as pandas does when
// assigning to an empty frame. Duplicate labels in s raise ValueError "cannot reindex
// on an axis with duplicate labels" unless its index equals the frame's.
func (f *DataFrame) WithColumn(name any, s *Series) (*DataFrame, error) {
	index := f.Index
	cols := append([]Column(nil), f.Columns...)
	var col Column
	switch {
	case f.Len() == 0:
		col = s.Values
		if s.Len() > 0 {
			index = s.Index
			missing := minusOnes(s.Len())
			for k := range cols {
				cols[k] = takeFill(cols[k], missing, nil)
			}
		}
	case indexEquals(f.Index, s.Index):
		col = s.Values // pandas' fast path: equal indexes need no reindexing
	default:
		if !s.Index.IsUnique() {
			// pandas checks before it looks anything up, so also when no label could
			// match (a naive frame index against an aware series index)
			return nil, ValueError("cannot reindex on an axis with duplicate labels")
		}
		pos, err := Indexer(f.Index, s.Index)
		if err != nil {
			return nil, err
		}
		col = takeFill(s.Values, pos, nil)
	}
	names := f.Names
	found := false
	for k, n := range f.Names {
		if labelEqual(n, name) {
			cols[k] = col
			found = true
		}
	}
	if !found {
		names = append(append(make([]any, 0, len(f.Names)+1), f.Names...), name)
		cols = append(cols, col)
	}
	return &DataFrame{Index: index, Names: names, Columns: cols, Attrs: f.Attrs}, nil
}

// ToFrame is pandas' Series.to_frame(): one column named after the series (0 when it
// is unnamed), the same index and attrs.
func (s *Series) ToFrame() *DataFrame {
	name := s.Name
	if name == nil {
		name = int64(0)
	}
	return &DataFrame{Index: s.Index, Names: []any{name}, Columns: []Column{s.Values}, Attrs: s.Attrs}
}
