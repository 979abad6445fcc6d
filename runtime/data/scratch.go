package data

import "sync"

// slicePool reuses the memory of large intermediate slices. Allocated anew for every
// request, a 10k-point request's intermediates are most of its megabyte of garbage, and
// the runtime zeroes each before it is written over in full (a tenth of the request's
// CPU) and faults in again what it handed back to the system.
type slicePool[T any] struct{ p sync.Pool } // of *[]T

// minPooled is the length below which slices are made, not pooled: the small ones cost
// little to make, and a pooled slice too short for the next caller is wasted.
const minPooled = 1024

// take is a slice of n elements of any content, reused when one large enough is pooled.
func (sp *slicePool[T]) take(n int) []T {
	if n >= minPooled {
		if p, _ := sp.p.Get().(*[]T); p != nil {
			if cap(*p) >= n {
				return (*p)[:n]
			}
			sp.p.Put(p)
		}
	}
	return make([]T, n)
}

// put hands s back for reuse; it must not be used afterwards.
func (sp *slicePool[T]) put(s []T) {
	if cap(s) >= minPooled {
		sp.p.Put(&s)
	}
}

var floatsPool slicePool[float64]

// TakeFloats is a slice of n floats of any content for an intermediate result: memory
// handed back by ReleaseFloats when there is some. The caller writes every element.
func TakeFloats(n int) []float64 { return floatsPool.take(n) }

// ReleaseFloats hands intermediate results back for reuse by TakeFloats; none of them
// (nor anything sharing their memory) may be used afterwards. Releasing is optional:
// unreleased slices are garbage collected as usual.
func ReleaseFloats(s ...[]float64) {
	for _, f := range s {
		floatsPool.put(f)
	}
}
