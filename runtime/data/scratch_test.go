package data

import (
	"testing"
	"unsafe"
)

// sync.Pool may drop what is put (the race detector drops a quarter of Puts on purpose,
// a collection may clear it), so reuse is asserted as "happens within some tries" and
// only the guarantees (length, never a slice too short, small slices never pooled) are
// asserted on every call.
func TestSlicePool(t *testing.T) {
	const tries = 64
	same := func(a, b []float64) bool { return unsafe.SliceData(a) == unsafe.SliceData(b) }
	reusedWithin := func(name string, put, want int) {
		t.Helper()
		for range tries {
			var sp slicePool[float64]
			s := make([]float64, put)
			sp.put(s)
			got := sp.take(want)
			if len(got) != want {
				t.Fatalf("%s: len %d, want %d", name, len(got), want)
			}
			if same(got, s) {
				if again := sp.take(want); same(again, s) {
					t.Fatalf("%s: one pooled slice was handed out twice", name)
				}
				return
			}
		}
		t.Errorf("%s: a pooled slice was never reused in %d tries", name, tries)
	}
	reusedWithin("fits the pooled slice", 4096, 3000)
	reusedWithin("exactly the pooled length", minPooled, minPooled)

	for range tries {
		var sp slicePool[float64]
		big := make([]float64, 4096)
		sp.put(big)
		if got := sp.take(minPooled - 1); same(got, big) || len(got) != minPooled-1 {
			t.Fatal("a slice below the pooled size came from the pool")
		}
		short := make([]float64, 2000)
		sp.put(short)
		for range 3 {
			if got := sp.take(3000); len(got) != 3000 || same(got, short) {
				t.Fatal("a 2000-element slice was handed out for 3000")
			}
		}
		small := make([]float64, 10, 10)
		sp.put(small)
		if got := sp.take(minPooled); same(got, small) || cap(got) < minPooled {
			t.Fatalf("a slice too small to pool came back: cap %d", cap(got))
		}
	}

	// a pooled slice too short for one caller is kept for a later, shorter one
	for range tries {
		var sp slicePool[float64]
		short := make([]float64, 2000)
		sp.put(short)
		sp.take(3000)
		if same(sp.take(1500), short) {
			return
		}
	}
	t.Error("the short slice was dropped every time instead of kept for a shorter request")
}
