package data

import (
	"testing"
	"unsafe"
)

func TestSlicePool(t *testing.T) {
	var sp slicePool[float64]
	big := make([]float64, 4096)
	sp.put(big)
	cases := []struct {
		name  string
		n     int
		reuse bool
	}{
		{"below the pooled size: made", minPooled - 1, false},
		{"fits the pooled slice: reused", 3000, true},
		{"pool empty again: made", 3000, false},
	}
	for _, c := range cases {
		got := sp.take(c.n)
		if len(got) != c.n {
			t.Fatalf("%s: len %d, want %d", c.name, len(got), c.n)
		}
		if same := unsafe.SliceData(got) == unsafe.SliceData(big); same != c.reuse {
			t.Errorf("%s: reused %v, want %v", c.name, same, c.reuse)
		}
	}
	// a pooled slice too short for the caller stays pooled for a later, shorter one
	short := make([]float64, 2000)
	sp.put(short)
	if got := sp.take(3000); unsafe.SliceData(got) == unsafe.SliceData(short) {
		t.Fatal("a 2000-element slice was handed out for 3000")
	}
	if got := sp.take(1500); unsafe.SliceData(got) != unsafe.SliceData(short) {
		t.Error("the short slice was dropped instead of kept for a shorter request")
	}
	sp.put(make([]float64, 10)) // too small to pool: ignored
	if got := sp.take(minPooled); cap(got) != minPooled {
		t.Errorf("take(minPooled) after putting a small slice: cap %d", cap(got))
	}
}
