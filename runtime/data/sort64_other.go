//go:build !amd64 || purego

package data

import "slices"

// haveSort64 is false here: bitBlock.build sorts by buckets.
var haveSort64 = false

// sort64 is never called where haveSort64 is false; it sorts all the same.
func sort64(k *[64]uint64) { slices.Sort(k[:]) }

// packKeys is packKeysGo where there is no assembly version.
func packKeys(w *float64, valid uint64, k *[64]uint64) int { return packKeysGo(w, valid, k) }

// unpackKeys is unpackKeysGo where there is no assembly version.
func unpackKeys(w *float64, packed *[64]uint64, m int, keys *uint64, vals *float64, rows *[64]uint8) bool {
	return unpackKeysGo(w, packed, m, keys, vals, rows)
}
