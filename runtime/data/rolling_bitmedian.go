package data

import (
	"context"
	"math"
	"math/bits"
)

// The sorted-block median of narrow windows, whose blocks (see sortedBlockMedian) have
// at most 63 rows: a block's rows in the window are a bit mask over its sorted positions
// instead of a linked list. A row leaves or enters by clearing or setting its bit, the
// neighbours of a position are the next set bits below and above it (LZCNT, TZCNT), the
// counts of the window and of L go up and down with the rows and the cut (3% fewer
// instructions than popcounts of the masks), and the comparisons that move the cut are
// made into masks that select the next positions instead of branches (they are coin
// flips for a branch predictor). Blocks are sorted by one counting pass into buckets. The order of the
// elements, the cut and the lower middle value of an even count are the linked lists',
// so both give the same bits.
//
// On 100k points in windows of 60, one core: 2.3 ms on an idle machine, the lists 4.4 ms;
// since then 15% fewer instructions and 34% fewer mispredicted branches (cachegrind of
// BenchmarkBitBlockMedian: no popcounts, no row counting for the context, a max as a
// select, sorted rows skip the insertion, shifts for the halves), on a loaded machine
// 2.85 against 3.2 ms of CPU (best of 5 alternating runs). Other ways measured slower
// than this one's first version (2.6 ms): one sequence merged from both blocks with the
// median found by a broadword select (2.8 ms; the merges and selects cost more than the
// cut saves) or with a cut over it (3.4 ms), and a sorted slice with binary searches and
// memmove (5 ms). Measured no better (cachegrind): the up and down steps of the cut from
// the same cut side by side, and the previous bounds or a's top carried in registers
// (which spills other values).

// bitBlockRows is the most rows of a bitBlock: its mask's bits but one.
const bitBlockRows = 63

// bitBlock is one sorted block of at most 63 rows starting at row lo. Its rows in the
// window are a mask (kept by bitBlockMedian): sorted position p is bit and index p+1;
// bit 0 is always set and index 0 holds −Inf (key 0), the "none" below every value, so
// that the cut's positions are never negative and need no bounds tests: below(q) is one
// shift, the highest bit of a nonempty mask always there.
type bitBlock struct {
	lo int
	// val[p+1] is the value at sorted position p, key[p+1] its orderedKey with −0 as +0,
	// which orders as the values compare; val[0] = −Inf and key[0] = 0 are below every
	// value, key[64] = MaxUint64 above every value (the next position when there is none)
	val [bitBlockRows + 2]float64
	key [bitBlockRows + 2]uint64
	pos [bitBlockRows]uint8 // p+1 for row lo+r at sorted position p; 0 (bit 0) for NaN, ±Inf
	// scratch for the sort: keys and row offsets as gathered, the rows in sorted order
	// (the keys are sorted into key itself)
	keys  [bitBlockRows]uint64
	rows  [bitBlockRows]uint8
	srows [bitBlockRows + 1]uint8 // one more: unpackKeys writes them 8 at a time
}

func newBitBlock() *bitBlock {
	b := &bitBlock{}
	b.val[0] = math.Inf(-1)
	b.key[0], b.key[bitBlockRows+1] = 0, math.MaxUint64
	return b
}

// build sorts the finite values of rows [lo, hi) (hi−lo ≤ 63) with no row in the
// window yet.
func (b *bitBlock) build(v []float64, lo, hi int) {
	b.lo = lo
	if useSort64 && hi-lo >= sort64Rows {
		b.buildPacked(v[lo:hi])
		return
	}
	m := 0
	kmin, kmax := ^uint64(0), uint64(0)
	for r, x := range v[lo:hi] {
		k := orderedKey(x)
		b.pos[r] = 0
		b.keys[m], b.rows[m] = k, uint8(r)
		if math.Abs(x) <= math.MaxFloat64 { // not NaN, not ±Inf
			m++
			kmin, kmax = min(kmin, k), max(kmax, k)
		}
	}
	// sorted into key[1:m+1] itself, then the values (from v, which the keys are
	// orderedKey of) and positions
	rows := b.sortSmall(v[lo:hi], m, fromOrderedKey(kmin), fromOrderedKey(kmax))
	v = v[lo:hi]
	for p, o := range rows {
		k := b.key[p+1]
		if k == negZeroKey {
			k++ // +0's, which −0 equals
		}
		b.key[p+1], b.val[p+1], b.pos[o] = k, v[o], uint8(p+1)
	}
}

// useSort64 selects buildPacked where the CPU has it (a variable for the tests).
var useSort64 = haveSort64

// sort64Rows is the fewest rows buildPacked sorts; smaller blocks (the first of a piece,
// the last) take the buckets.
const sort64Rows = 16

// buildPacked is build for the rows w (at most 63) with the 64-key sorting network
// sort64 (AVX-512, sort64_amd64.s; 100k rows in blocks of 63: 0.30–0.35 ms, the
// buckets 0.79–0.86 ms): each finite value's orderedKey with its low 6 bits replaced by its row,
// so that the sort carries the rows along and orders equal values by row (as the buckets
// do), the non-finite rows and the unused keys all ones, last. Keys that differ only in
// those 6 bits (values within 64 units in the last place) can come out in the wrong
// order; one insertion pass over the full keys, which rarely moves anything, puts them
// right. The order, and so every median, is the buckets' exactly.
func (b *bitBlock) buildPacked(w []float64) {
	var packed [64]uint64
	w = w[:min(len(w), bitBlockRows)]
	b.pos = [bitBlockRows]uint8{}
	m := packKeys(&w[0], 1<<len(w)-1, &packed)
	sort64(&packed)
	// the full keys, values and rows in that order; where keys tied in all but their
	// low 6 bits, a stable insertion by the full keys (equal keys stay in row order, −0
	// before +0: both have +0's key by now, and −0 was sorted first)
	keys, vals, rows := b.key[1:m+1], b.val[1:m+1], b.srows[:m]
	if !unpackKeys(&w[0], &packed, m, &b.key[1], &b.val[1], &b.srows) {
		for i := 1; i < m; i++ {
			k, x, o := keys[i], vals[i], rows[i]
			j := i
			for ; j > 0 && keys[j-1] > k; j-- {
				keys[j], vals[j], rows[j] = keys[j-1], vals[j-1], rows[j-1]
			}
			keys[j], vals[j], rows[j] = k, x, o
		}
	}
	for p, o := range rows {
		b.pos[o] = uint8(p + 1)
	}
}

// negZeroKey is orderedKey(−0), just below +0's.
const negZeroKey = 1<<63 - 1

// fromOrderedKey inverts orderedKey.
func fromOrderedKey(k uint64) float64 {
	return math.Float64frombits(k ^ (uint64(int64(^k)>>63) | 1<<63))
}

// sortBuckets is how many buckets sortSmall distributes a block's values into.
const sortBuckets = 256

// sortSmall sorts the m gathered keys into key[1:m+1] and their rows (offsets into v)
// into srows, which it returns; values from lo to hi. It makes one counting pass on the
// values' place in [lo, hi] into 256 buckets (a monotonic map, so the buckets are in
// order) and an insertion sort within the buckets. Values spread over the range — the
// usual case — leave about one per bucket; clustered ones (an outlier far from the rest,
// a wide dynamic range) would make the insertion sort quadratic, so after 4m moves it
// hands the block to sortKeys.
func (b *bitBlock) sortSmall(v []float64, m int, lo, hi float64) []uint8 {
	keys, rows := b.keys[:m], b.rows[:m]
	sk, sr := b.key[1:m+1], b.srows[:m]
	if m < 2 {
		copy(sk, keys)
		copy(sr, rows)
		return sr
	}
	scale := sortBuckets / (hi - lo)
	if hi == lo || scale > math.MaxFloat64 || scale == 0 {
		// all equal (±0 apart), a span too small or too large to scale
		copy(sk, keys)
		copy(sr, rows)
		sortKeys(sk, sr)
		return sr
	}
	// the counts are bytes, eight to a word, so that the prefix sums take one
	// multiplication per word (no count exceeds 64)
	var count [sortBuckets / 8]uint64
	var bucket [bitBlockRows]uint8
	for i, o := range rows {
		d := min(uint(int((v[o]-lo)*scale)), sortBuckets-1) // (v ≥ lo) uint: no bounds check below
		bucket[i] = uint8(d)
		count[d/8] += 1 << (d % 8 * 8)
	}
	var before uint64
	for w, c := range count {
		incl := c*0x0101010101010101 + before
		count[w] = incl - c
		before = (incl >> 56) * 0x0101010101010101
	}
	for i, o := range rows {
		d := uint(bucket[i])
		at := uint8(count[d/8] >> (d % 8 * 8))
		count[d/8] += 1 << (d % 8 * 8)
		sk[at], sr[at] = keys[i], o
	}
	budget := 4 * m
	sr = sr[:len(sk)]
	for i := 1; i < len(sk); i++ {
		k := sk[i]
		if sk[i-1] <= k {
			continue // in order: most rows, alone in their bucket
		}
		o, j := sr[i], i
		for j > 0 && sk[j-1] > k {
			sk[j], sr[j] = sk[j-1], sr[j-1]
			j--
		}
		sk[j], sr[j] = k, o
		if budget -= i - j; budget < 0 {
			sortKeys(sk, sr)
			break
		}
	}
	return sr
}

// below is the mask of bits 0 to q (q from 0 to 63; −1 gives all bits, for a result
// that is then not selected).
func below(q int) uint64 { return 2<<(uint(q)&63) - 1 }

// highest is the highest set bit of x, −1 for none.
func highest(x uint64) int { return 63 - bits.LeadingZeros64(x) }

// less is all ones when x < y, else 0.
func less(x, y uint64) int {
	_, borrow := bits.Sub64(x, y, 0)
	return -int(borrow)
}

// lessInt is all ones when x < y, else 0 (x − y must not overflow).
func lessInt(x, y int) int { return (x - y) >> 63 }

// choose is x where mask is all ones, y where it is 0.
func choose(mask, x, y int) int { return y ^ (x^y)&mask }

func chooseFloat(mask int, x, y float64) float64 {
	bx, by := math.Float64bits(x), math.Float64bits(y)
	return math.Float64frombits(by ^ (bx^by)&uint64(mask))
}

// removeRow deletes row r from block a, whose mask is m and cut pa; row is all ones when
// r holds a value (not NaN or ±Inf, which are bit 0), inL when that value was in L.
func removeRow(a *bitBlock, m uint64, pa, r int) (_ uint64, _ int, row, inL int) {
	q := int(a.pos[r-a.lo])
	m = m&^(1<<(uint(q)&63)) | 1
	row = -q >> 63
	return m, highest(m & below(pa)), row, row &^ ((pa - q) >> 63)
}

// addRow inserts row r into block b, whose mask is m and cut pb; above the cut it joins
// L when it is below a's top, whose key is top (b's rows rank after a's on equal values;
// nothing of b lies between the cut and it then). It returns the mask, the cut and the
// row's position q, from which counted gives the changes of the counts (outside, so
// that addRow stays within the inlining budget: a call in the loop would spill every
// register).
func addRow(b *bitBlock, m uint64, pb int, top uint64, r int) (_ uint64, p, q int) {
	q = int(b.pos[r-b.lo])
	// q when it is below top and above pb, as a select: the compiler's max is a branch,
	// a coin flip here
	p = choose(less(b.key[q], top)&lessInt(pb, q), q, pb)
	return m | 1<<(uint(q)&63), p, q
}

// counted is all ones in row when position q holds a value (not bit 0), and in inL when
// it is in L, whose highest position is p.
func counted(q, p int) (row, inL int) {
	row = -q >> 63
	return row, row &^ ((p - q) >> 63)
}

// bitBlockMedian is sortedBlockMedian (into out) for windows of at most 63 rows: a and b
// the older and the newer block, ma and mb their masks, pa and pb the cut (the highest
// bit of L in each block, 0 for none), all in registers (the median's steps are written
// out in the loop: a call would spill them).
func bitBlockMedian(ctx context.Context, v []float64, start, end []int, minPeriods int, out []float64, blk *medianBlocks) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	a, b := blk.bits()
	ma, mb := uint64(1), uint64(1)
	pa, pb := 0, 0
	// the values in the window and in L, kept as rows come and go and the cut moves
	// (cheaper than four popcounts a window)
	nobs, small := 0, 0
	end, out = end[:len(start)], out[:len(start)] // no bounds checks in the loop
	for i, si := range start {
		// the context every 64 windows: a window moves and builds at most about 4·63
		// rows (usually two), so that is within two CheckEvery of rows, and counting
		// them cost more than asking (with the bounds checks gone, 4% fewer
		// instructions: fewer values for the registers)
		if i&63 == 0 && i > 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		ei := end[i]
		if i == 0 || si >= end[i-1] {
			// start afresh: a empty, b the block from si
			hi := blockEnd(start, end, i, si)
			a.build(v, si, si)
			b.build(v, si, hi)
			ma, mb, pa, pb = 1, 1, 0, 0
			nobs, small = 0, 0
			for r := si; r < ei; r++ {
				var q int
				mb, pb, q = addRow(b, mb, pb, a.key[pa], r)
				row, inL := counted(q, pb)
				nobs, small = nobs-row, small-inL
			}
		} else if ps, pe := start[i-1], end[i-1]; si == ps+1 && ei == pe+1 && si <= b.lo {
			// the usual step, straight: one row leaves a, one enters b (−4 % instructions
			// against the loops below)
			var row, inL, q int
			ma, pa, row, inL = removeRow(a, ma, pa, ps)
			nobs, small = nobs+row, small+inL
			mb, pb, q = addRow(b, mb, pb, a.key[pa], pe)
			row, inL = counted(q, pb)
			nobs, small = nobs-row, small-inL
		} else {
			for r := ps; r < min(si, b.lo); r++ {
				var row, inL int
				ma, pa, row, inL = removeRow(a, ma, pa, r)
				nobs, small = nobs+row, small+inL
			}
			if si > b.lo {
				// a is empty now: b becomes a, a new block opens at the old end
				a, b = b, a
				ma, pa = mb, pb
				hi := blockEnd(start, end, i, pe)
				b.build(v, pe, hi)
				mb, pb = 1, 0
				for r := a.lo; r < si; r++ {
					var row, inL int
					ma, pa, row, inL = removeRow(a, ma, pa, r)
					nobs, small = nobs+row, small+inL
				}
			}
			for r := pe; r < ei; r++ {
				var q int
				mb, pb, q = addRow(b, mb, pb, a.key[pa], r)
				row, inL := counted(q, pb)
				nobs, small = nobs-row, small-inL
			}
		}
		if nobs == 0 || nobs < minPeriods {
			out[i] = math.NaN()
		} else {
			// move the cut to |L| = nobs/2+1: the usual move is one step up or down or
			// none, and about half the windows need none, so each round computes both
			// steps and selects those that are due (the comparisons are coin flips for a
			// branch predictor; a round that selects none costs less than skipping it
			// on a mispredicted branch)
			want := nobs>>1 + 1 // (nobs ≥ 0) a shift, not a signed division
			for {
				// up: the smaller of the next elements of a and b joins L (a's on
				// equal values)
				na := bits.TrailingZeros64(ma &^ below(pa))
				nb := bits.TrailingZeros64(mb &^ below(pb))
				fromB := less(b.key[nb], a.key[na])
				up := lessInt(small, want)
				pa = choose(up&^fromB, na, pa)
				pb = choose(up&fromB, nb, pb)
				small -= up
				// down: the larger of the tops leaves L (b's on equal values)
				qa := highest(ma & below(pa-1))
				qb := highest(mb & below(pb-1))
				topA := less(b.key[pb], a.key[pa])
				down := lessInt(want, small)
				pa = choose(down&topA, qa, pa)
				pb = choose(down&^topA, qb, pb)
				small += down
				if small == want {
					break
				}
			}
			// the top of L and, below it, the larger of the next in its block and the
			// other top
			topA := less(b.key[pb], a.key[pa])
			ta, tb := a.val[pa], b.val[pb]
			hi := chooseFloat(topA, ta, tb)
			if nobs&1 == 1 {
				out[i] = hi
			} else {
				next := chooseFloat(topA, a.val[highest(ma&below(pa-1))], b.val[highest(mb&below(pb-1))])
				out[i] = (hi + max(next, chooseFloat(topA, tb, ta))) / 2
			}
		}
	}
	return nil
}
