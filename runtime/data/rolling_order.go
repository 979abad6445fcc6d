package data

import (
	"cmp"
	"math/bits"
	"slices"
)

// orderStat is the multiset of a rolling window's non-NaN values with access by rank —
// what pandas' indexable skiplist does for roll_median_c and roll_quantile. Rows are
// passed by number j (values[j] is never NaN); kth(k) is the k-th smallest value (k from
// 0), which is the same for every structure holding the same multiset, so results do not
// depend on which one is used.
type orderStat interface {
	add(j int)
	remove(j int)
	// clear removes rows [lo, hi) — the whole current content with its NaN rows.
	clear(lo, hi int)
	kth(k int) float64
}

// sortedWindowMax is the widest window kept as a sorted slice; wider ones use a rank
// tree. Inserting into a sorted slice moves half the window; the tree first sorts the
// whole column and then takes log n steps per update. At 100k points they break even
// around windows of 1000–1500 values (BenchmarkRollingMedianWide).
var sortedWindowMax = 1024

func newOrderStat(values []float64, widest int) orderStat {
	if widest <= sortedWindowMax || len(values) > 1<<31-2 {
		return &sortedWindow{values: values, buf: make([]float64, 0, widest)}
	}
	return newRankTree(values)
}

// sortedWindow keeps the window's values in ascending order in a slice.
type sortedWindow struct {
	values []float64
	buf    []float64
}

// search is the first position in buf whose value is not below x. The halving loop has
// a data-independent number of steps and no unpredictable branch (the compiler turns the
// conditional move into CMOV): on random data that is about twice as fast as the classic
// binary search, whose every comparison is a coin flip for the branch predictor.
func (s *sortedWindow) search(x float64) int {
	buf := s.buf
	n := len(buf)
	if n == 0 {
		return 0
	}
	base := 0
	for n > 1 {
		half := n >> 1
		if buf[base+half] < x {
			base += half
		}
		n -= half
	}
	if buf[base] < x {
		base++
	}
	return base
}

func (s *sortedWindow) add(j int) {
	x := s.values[j]
	i := s.search(x)
	s.buf = append(s.buf, 0)
	copy(s.buf[i+1:], s.buf[i:])
	s.buf[i] = x
}

func (s *sortedWindow) remove(j int) {
	i := s.search(s.values[j])
	if i == len(s.buf) || s.buf[i] != s.values[j] {
		return // not present: only for bounds that break their Monotonic promise
	}
	s.buf = append(s.buf[:i], s.buf[i+1:]...)
}

func (s *sortedWindow) clear(lo, hi int) { s.buf = s.buf[:0] }

func (s *sortedWindow) kth(k int) float64 { return s.buf[k] }

// rankTree is an order-statistic structure over the ranks of the column's non-NaN values:
// the values are sorted once, and a Fenwick tree counts how many rows of each rank are in
// the window, so add, remove and kth take O(log n) however wide the window.
type rankTree struct {
	rank   []int32   // 1-based rank of each non-NaN row's value
	sorted []float64 // the non-NaN values in ascending order
	tree   []int32   // Fenwick tree of window counts per rank, 1-based
	top    int       // highest power of two ≤ len(sorted)
}

func newRankTree(values []float64) *rankTree {
	rows := make([]int32, 0, len(values)+1)
	for j, x := range values {
		if x == x {
			rows = append(rows, int32(j))
		}
	}
	slices.SortFunc(rows, func(a, b int32) int { return cmp.Compare(values[a], values[b]) })
	m := len(rows)
	t := &rankTree{rank: make([]int32, len(values)), sorted: make([]float64, m)}
	for r, j := range rows {
		t.sorted[r] = values[j]
		t.rank[j] = int32(r + 1)
	}
	t.tree = rows[:m+1]
	clear(t.tree)
	if m > 0 {
		t.top = 1 << (bits.Len(uint(m)) - 1)
	}
	return t
}

func (t *rankTree) update(j int, d int32) {
	for r := int(t.rank[j]); r < len(t.tree); r += r & -r {
		t.tree[r] += d
	}
}

func (t *rankTree) add(j int)    { t.update(j, 1) }
func (t *rankTree) remove(j int) { t.update(j, -1) }

func (t *rankTree) clear(lo, hi int) {
	for j := lo; j < hi; j++ {
		if t.rank[j] != 0 {
			t.update(j, -1)
		}
	}
}

// kth descends the Fenwick tree to the smallest rank whose running count exceeds k.
func (t *rankTree) kth(k int) float64 {
	pos, rem := 0, int32(k+1)
	for step := t.top; step > 0; step >>= 1 {
		if next := pos + step; next < len(t.tree) && t.tree[next] < rem {
			pos = next
			rem -= t.tree[next]
		}
	}
	return t.sorted[min(pos, len(t.sorted)-1)]
}
