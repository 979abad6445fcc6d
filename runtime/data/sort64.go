package data

import (
	"math"
	"math/bits"
	"unsafe"
)

// packKeysGo is packKeys in Go: k[r] is orderedKey(w[r]) with its low 6 bits replaced
// by r where bit r of valid is set and w[r] is finite (not NaN, not ±Inf), all ones
// elsewhere; it returns how many are finite. w points at the first of the valid rows,
// which are the low bits of valid.
func packKeysGo(w *float64, valid uint64, k *[64]uint64) (finite int) {
	n := 64 - bits.LeadingZeros64(valid)
	rows := unsafe.Slice(w, n)
	for r := range k {
		k[r] = math.MaxUint64
		if valid>>r&1 == 1 {
			if x := rows[r]; math.Abs(x) <= math.MaxFloat64 {
				k[r] = orderedKey(x)&^63 | uint64(r)
				finite++
			}
		}
	}
	return finite
}

// unpackKeysGo is unpackKeys in Go: for the first m packed keys (sorted by sort64),
// rows[p] is the row in the key's low 6 bits, vals[p] = w[row] and keys[p] its orderedKey,
// −0's as +0's (they equal; −0 sorted first); it reports whether those keys are
// non-decreasing (they are not where packed keys tied in all but their low 6 bits).
func unpackKeysGo(w *float64, packed *[64]uint64, m int, keys *uint64, vals *float64, rows *[64]uint8) (inOrder bool) {
	ks, vs := unsafe.Slice(keys, m), unsafe.Slice(vals, m)
	inOrder = true
	prev := uint64(0)
	for p, pk := range packed[:m] {
		o := uint8(pk & 63)
		x := *(*float64)(unsafe.Add(unsafe.Pointer(w), uintptr(o)*8))
		k := orderedKey(x)
		if k == negZeroKey {
			k++
		}
		inOrder = inOrder && prev <= k
		prev = k
		ks[p], vs[p], rows[p] = k, x, o
	}
	return inOrder
}
