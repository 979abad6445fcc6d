package data

import (
	"context"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// The rolling median of monotonic windows by sorted blocks and linked lists (after J.
// Suomela, "Median filtering is equivalent to sorting", 2014), generalised to windows of
// varying width. The rows are cut into consecutive blocks; each block's non-NaN values are
// sorted once and kept as a doubly linked list in sorted order. A window always consists
// of the tail of an older block A, from which rows are only ever deleted, and the head of
// a newer block B, into which rows are only ever inserted — as "undeletions" in the
// reverse order of a deletion of all of B's rows right after sorting, so that every
// insertion restores its node between its saved neighbours in O(1) (dancing links). The
// median is kept as a cut through both lists: the lower part L holds the smallest rows of
// the window, the median is the largest of L, and every insertion, deletion or change of
// the window's size moves the cut by O(1) steps. Nothing is searched: the cost is the
// blocks' sorting plus O(1) per row, against two binary searches and two memmoves per row
// of a sorted window. Windows of at most 63 rows keep the same blocks as bit masks
// instead of lists (bitBlockMedian).
//
// Blocks are chosen from the windows themselves: a block starts at the window end at the
// moment the window's start passes the previous block's first row, and ends at the last
// window end before the next such moment, so the blocks partition the rows. Windows that
// do not overlap their predecessor start afresh.
//
// Equal values may sit in a block's list in any order; between the blocks ties are
// ordered by block (A before B), which makes the order total. The median value does not
// depend on it.

// smBlock is one sorted block: rows [lo, hi).
type smBlock struct {
	lo, hi int
	m      int       // non-NaN rows; position m is the list's sentinel
	val    []float64 // values in sorted order
	pos    []int32   // sorted position of row lo+r, −1 for NaN
	next   []int32   // linked list over positions 0..m (m the sentinel)
	prev   []int32
	order  []int32  // scratch: rows of the block being sorted
	keys   []uint64 // scratch: their orderedKey
	count  int      // rows currently in the list
}

// orderedKey maps a non-NaN float64 to a uint64 of the same order (−0 just below +0).
func orderedKey(f float64) uint64 {
	b := math.Float64bits(f)
	return b ^ (uint64(int64(b)>>63) | 1<<63)
}

// sortKeys sorts keys ascending and rows along with them: quicksort with a
// median-of-three pivot, insertion sort below 16 elements. The order of equal keys is
// unspecified.
func sortKeys[R int32 | uint8](keys []uint64, rows []R) {
	for len(keys) > 16 {
		n := len(keys)
		a, b, c := 0, n/2, n-1
		if keys[b] < keys[a] {
			a, b = b, a
		}
		if keys[c] < keys[b] {
			b = c
			if keys[b] < keys[a] {
				b = a
			}
		}
		pivot := keys[b]
		i, j := 0, n-1
		for i <= j {
			for keys[i] < pivot {
				i++
			}
			for keys[j] > pivot {
				j--
			}
			if i <= j {
				keys[i], keys[j] = keys[j], keys[i]
				rows[i], rows[j] = rows[j], rows[i]
				i++
				j--
			}
		}
		// recurse into the smaller part, loop on the larger
		if j+1 < n-i {
			sortKeys(keys[:j+1], rows[:j+1])
			keys, rows = keys[i:], rows[i:]
		} else {
			sortKeys(keys[i:], rows[i:])
			keys, rows = keys[:j+1], rows[:j+1]
		}
	}
	for i := 1; i < len(keys); i++ {
		k, r := keys[i], rows[i]
		j := i
		for j > 0 && keys[j-1] > k {
			keys[j], rows[j] = keys[j-1], rows[j-1]
			j--
		}
		keys[j], rows[j] = k, r
	}
}

// build sorts rows [lo, hi) of v, links them and deletes them all again from the last row
// to the first, so that undelete can restore them from the first row to the last.
func (b *smBlock) build(v []float64, lo, hi int) {
	b.lo, b.hi = lo, hi
	n := hi - lo
	b.order = b.order[:0]
	for r := lo; r < hi; r++ {
		if math.Abs(v[r]) <= math.MaxFloat64 { // not NaN, not ±Inf
			b.order = append(b.order, int32(r))
		}
	}
	m := len(b.order)
	b.m = m
	b.keys = grow(b.keys, m)
	for i, r := range b.order {
		b.keys[i] = orderedKey(v[r])
	}
	sortKeys(b.keys, b.order)
	b.val = grow(b.val, m)
	b.pos = grow(b.pos, n)
	b.next = grow(b.next, m+1)
	b.prev = grow(b.prev, m+1)
	for i := range b.pos {
		b.pos[i] = -1
	}
	for p, r := range b.order {
		b.val[p] = v[r]
		b.pos[int(r)-lo] = int32(p)
		b.next[p] = int32(p + 1)
		b.prev[p] = int32(p - 1)
	}
	if m > 0 {
		b.prev[0] = int32(m)
	}
	b.next[m] = 0
	b.prev[m] = int32(m - 1)
	if m == 0 {
		b.next[m], b.prev[m] = 0, 0
	}
	for r := hi - 1; r >= lo; r-- {
		if p := b.pos[r-lo]; p >= 0 {
			b.next[b.prev[p]] = b.next[p]
			b.prev[b.next[p]] = b.prev[p]
		}
	}
	b.count = 0
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// sortMedian is the state of one pass: blocks a (older) and b (newer), the cut pa/pb
// (the last position of L in each list, −1 for none) and |L|.
type sortMedian struct {
	v      []float64
	a, b   *smBlock
	pa, pb int32
	small  int
}

// key order: value, then block (a's rows come first), then position.
func (s *sortMedian) lessAB(pa, pb int32) bool { return s.a.val[pa] <= s.b.val[pb] }

// top is the largest element of L: which list (0 a, 1 b) and its value; ok false if L
// is empty.
func (s *sortMedian) top() (list int, value float64, ok bool) {
	switch {
	case s.pa < 0 && s.pb < 0:
		return 0, 0, false
	case s.pb < 0:
		return 0, s.a.val[s.pa], true
	case s.pa < 0:
		return 1, s.b.val[s.pb], true
	case s.lessAB(s.pa, s.pb):
		return 1, s.b.val[s.pb], true
	}
	return 0, s.a.val[s.pa], true
}

// nextOf is the position after p (−1 is the head) in block x, −1 at the end.
func nextOf(x *smBlock, p int32) int32 {
	if p < 0 {
		p = int32(x.m)
	}
	q := x.next[p]
	if int(q) == x.m {
		return -1
	}
	return q
}

func prevOf(x *smBlock, p int32) int32 {
	q := x.prev[p]
	if int(q) == x.m {
		return -1
	}
	return q
}

// grow moves the smallest element above the cut into L.
func (s *sortMedian) grow() {
	na, nb := nextOf(s.a, s.pa), nextOf(s.b, s.pb)
	switch {
	case na < 0:
		s.pb = nb
	case nb < 0:
		s.pa = na
	case s.lessAB(na, nb):
		s.pa = na
	default:
		s.pb = nb
	}
	s.small++
}

// shrink moves the largest element of L above the cut.
func (s *sortMedian) shrink() {
	if list, _, _ := s.top(); list == 0 {
		s.pa = prevOf(s.a, s.pa)
	} else {
		s.pb = prevOf(s.b, s.pb)
	}
	s.small--
}

// removeA deletes row r from block a.
func (s *sortMedian) removeA(r int) {
	p := s.a.pos[r-s.a.lo]
	if p < 0 {
		return
	}
	if p <= s.pa {
		if p == s.pa {
			s.pa = prevOf(s.a, p)
		}
		s.small--
	}
	a := s.a
	a.next[a.prev[p]] = a.next[p]
	a.prev[a.next[p]] = a.prev[p]
	a.count--
}

// addB undeletes row r into block b and puts it into L when it is below L's top.
func (s *sortMedian) addB(r int) {
	b := s.b
	p := b.pos[r-b.lo]
	if p < 0 {
		return
	}
	b.next[b.prev[p]] = p
	b.prev[b.next[p]] = p
	b.count++
	if p < s.pb {
		s.small++
		return
	}
	// above b's cut: it joins L when it is smaller than a's top (b's rows rank after a's
	// on equal values)
	if s.pa >= 0 && b.val[p] < s.a.val[s.pa] {
		s.pb = p
		s.small++
	}
}

// median returns the median of the window's nobs values, the cut moved to |L| = nobs/2+1.
func (s *sortMedian) median(nobs int) float64 {
	want := nobs/2 + 1
	for s.small < want {
		s.grow()
	}
	for s.small > want {
		s.shrink()
	}
	list, hi, _ := s.top()
	if nobs%2 == 1 {
		return hi
	}
	// the second largest of L: below the top in its own list, or the other list's top
	var lo float64
	if list == 0 {
		lo = s.a.val[s.pa]
		q := prevOf(s.a, s.pa)
		switch {
		case q >= 0 && s.pb >= 0:
			lo = max(s.a.val[q], s.b.val[s.pb])
		case q >= 0:
			lo = s.a.val[q]
		default:
			lo = s.b.val[s.pb]
		}
	} else {
		q := prevOf(s.b, s.pb)
		switch {
		case q >= 0 && s.pa >= 0:
			lo = max(s.b.val[q], s.a.val[s.pa])
		case q >= 0:
			lo = s.b.val[q]
		default:
			lo = s.a.val[s.pa]
		}
	}
	return (hi + lo) / 2
}

// blockEnd is the end of the block that starts at row lo when window i opens it: the last
// window end before a window starts past lo or leaves its predecessor behind.
func blockEnd(start, end []int, i, lo int) int {
	hi := end[i]
	for t := i + 1; t < len(start) && start[t] <= lo && start[t] < end[t-1]; t++ {
		hi = end[t]
	}
	return max(hi, lo)
}

// sortedBlockMedian computes into out the rolling median of v (NaN and ±Inf rows are
// skipped) over monotonic windows: NaN where nobs is 0 or below minPeriods.
func sortedBlockMedian(ctx context.Context, v []float64, start, end []int, minPeriods int, out []float64, blk *medianBlocks) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	n := len(start)
	a, b := blk.lists()
	s := &sortMedian{v: v, a: a, b: b, pa: -1, pb: -1}
	p := pacer{ctx: ctx}
	for i := range n {
		si, ei := start[i], end[i]
		work := 1
		if i == 0 || si >= end[i-1] {
			// start afresh: a empty, b the block from si
			s.a.build(v, si, si)
			s.b.build(v, si, blockEnd(start, end, i, si))
			s.pa, s.pb, s.small = -1, -1, 0
			for r := si; r < ei; r++ {
				s.addB(r)
			}
			work += 2 * (s.b.hi - si)
		} else {
			ps, pe := start[i-1], end[i-1]
			for r := ps; r < min(si, s.b.lo); r++ {
				s.removeA(r)
			}
			if si > s.b.lo {
				// a is empty now: b becomes a, a new block opens at the old end
				s.a, s.b = s.b, s.a
				s.pa, s.pb = s.pb, -1
				s.b.build(v, pe, blockEnd(start, end, i, pe))
				work += 2 * (s.b.hi - pe)
				for r := s.a.lo; r < si; r++ {
					s.removeA(r)
				}
			}
			for r := pe; r < ei; r++ {
				s.addB(r)
			}
			work += si - ps + ei - pe
		}
		nobs := s.a.count + s.b.count
		if nobs == 0 || nobs < minPeriods {
			out[i] = math.NaN()
		} else {
			out[i] = s.median(nobs)
		}
		if err := p.step(work); err != nil {
			return err
		}
	}
	return nil
}

// medianBlocks are the blocks of one goroutine's median passes, kept from one pass to the
// next (nil: new ones for each pass).
type medianBlocks struct {
	list [2]*smBlock
	bit  [2]*bitBlock
}

func (m *medianBlocks) lists() (*smBlock, *smBlock) {
	if m == nil {
		return &smBlock{}, &smBlock{}
	}
	if m.list[0] == nil {
		m.list = [2]*smBlock{{}, {}}
	}
	return m.list[0], m.list[1]
}

func (m *medianBlocks) bits() (*bitBlock, *bitBlock) {
	if m == nil {
		return newBitBlock(), newBitBlock()
	}
	if m.bit[0] == nil {
		m.bit = [2]*bitBlock{newBitBlock(), newBitBlock()}
	}
	return m.bit[0], m.bit[1]
}

// blockMedian is sortedBlockMedian into out, by bit masks (bitBlockMedian) when no
// window is wider than 63 rows, and so no block either.
func blockMedian(ctx context.Context, v []float64, start, end []int, minPeriods int, out []float64, blk *medianBlocks) error {
	for i, s := range start {
		if end[i]-s > bitBlockRows {
			return sortedBlockMedian(ctx, v, start, end, minPeriods, out, blk)
		}
	}
	return bitBlockMedian(ctx, v, start, end, minPeriods, out, blk)
}

// parallelBlockMedian is the rolling median of v over monotonic windows (blockMedian),
// the windows of a long series cut into pieces of blockMedianPiece windows (or eight
// times the widest window seen in a sample, and no more pieces than goroutines when
// that is too long) that up to GOMAXPROCS (at most 4) goroutines take in turn: each
// piece starts afresh at its first window, and medians do not depend on the path that
// led to them, so the result is the same. Small pieces taken in turn rather than one
// half per core keep both cores busy when one of them is also serving something else.
func parallelBlockMedian(ctx context.Context, v []float64, start, end []int, minPeriods int) ([]float64, error) {
	n := len(start)
	out := make([]float64, n)
	workers := min(runtime.GOMAXPROCS(0), 4, n/parallelRollingMin)
	if workers < 2 {
		return out, blockMedian(ctx, v, start, end, minPeriods, out, nil)
	}
	// each piece starts with a block as wide as its first window: a piece should hold
	// many windows' widths (judged from a sample of windows)
	widest := 0
	for i := 0; i < n; i += max(n/64, 1) {
		widest = max(widest, end[i]-start[i])
	}
	piece := max(blockMedianPiece, 8*widest)
	if n < workers*piece {
		piece = (n + workers - 1) / workers
	}
	pieces := (n + piece - 1) / piece
	var next atomic.Int64
	errs := make([]error, workers)
	work := func(k int) {
		var blk medianBlocks
		for {
			i := int(next.Add(1)) - 1
			if i >= pieces || errs[k] != nil {
				return
			}
			lo, hi := i*piece, min((i+1)*piece, n)
			errs[k] = blockMedian(ctx, v, start[lo:hi], end[lo:hi], minPeriods, out[lo:hi], &blk)
		}
	}
	var wg sync.WaitGroup
	for k := 1; k < workers; k++ {
		wg.Go(func() { work(k) })
	}
	work(0)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // the context's: the pieces fail for nothing else
		}
	}
	return out, nil
}

// blockMedianPiece is how many windows parallelBlockMedian hands out at a time.
var blockMedianPiece = 4096
