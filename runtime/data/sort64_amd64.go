//go:build amd64 && !purego

package data

import "golang.org/x/sys/cpu"

// haveSort64 reports whether sort64 runs here: it needs AVX-512F (x86-64-v4; Zen 4,
// Ice Lake and later server cores).
var haveSort64 = cpu.X86.HasAVX512F

// sort64 sorts k ascending (sort64_amd64.s).
//
//go:noescape
func sort64(k *[64]uint64)

// packKeys writes buildPacked's keys of the rows of w set in valid (sort64_amd64.s).
//
//go:noescape
func packKeys(w *float64, valid uint64, k *[64]uint64) (finite int)

// unpackKeys writes the rows, values and keys of the first m sorted packed keys
// (sort64_amd64.s).
//
//go:noescape
func unpackKeys(w *float64, packed *[64]uint64, m int, keys *uint64, vals *float64, rows *[64]uint8) (inOrder bool)
