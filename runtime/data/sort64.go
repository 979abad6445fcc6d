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
