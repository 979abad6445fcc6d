package data

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The expectations are numpy 1.24's np.argsort(v, kind="quicksort") (and "heapsort"),
// printed by Debian's python3; a stable sort would give 0, 1, 7, 9, 13, 15 … for the
// first vector. Beyond these, the port was compared with numpy on 117 random and
// patterned vectors (n up to 20000, few and many distinct keys) without a difference.
func TestQuicksortArgsortMatchesNumpy(t *testing.T) {
	repeated := make([]int64, 40) // 0,0,0,0,0,1,1,… as a sorted MULTITSFRAME's timestamps
	for i := range repeated {
		repeated[i] = int64(i / 5)
	}
	for _, c := range []struct {
		name string
		v    []int64
		want []int
	}{
		{"empty", nil, []int{}},
		{"one", []int64{5}, []int{0}},
		{"16 elements: insertion sort only (stable)", []int64{3, 1, 2, 1, 3, 1, 2, 0, 0, 1, 2, 3, 1, 0, 2, 1}, []int{7, 8, 13, 1, 3, 5, 9, 12, 15, 2, 6, 10, 14, 0, 4, 11}},
		{"17 elements: one partition", []int64{0, 0, 4, 2, 3, 3, 4, 0, 2, 0, 2, 5, 3, 0, 3, 0, 4}, []int{0, 1, 13, 9, 15, 7, 10, 8, 3, 5, 4, 12, 14, 2, 6, 16, 11}},
		{"sorted with ties", repeated, []int{0, 1, 2, 3, 4, 9, 7, 8, 5, 6, 10, 11, 12, 13, 14, 18, 17, 19, 15, 16, 20, 21, 22, 23, 24, 29, 27, 28, 25, 26, 30, 31, 32, 33, 34, 38, 35, 36, 37, 39}},
	} {
		if got := QuicksortArgsort(c.v); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	idx := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	v := []int64{3, 1, 2, 1, 3, 1, 2, 0, 0, 1}
	heapArgsort(idx, func(a, b int) bool { return v[a] < v[b] })
	if want := []int{7, 8, 5, 1, 3, 9, 6, 2, 4, 0}; !slices.Equal(idx, want) {
		t.Errorf("heapsort: got %v, want %v", idx, want)
	}
}

// Whatever the input — random, sorted, reversed, organ pipes, a sawtooth meant to exhaust
// the depth limit — the result is a permutation that sorts the keys.
func TestQuicksortArgsortSorts(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gens := map[string]func(i, n int) int64{
		"random":   func(int, int) int64 { return r.Int64N(100) },
		"sorted":   func(i, _ int) int64 { return int64(i) },
		"reversed": func(i, n int) int64 { return int64(n - i) },
		"pipes":    func(i, n int) int64 { return int64(min(i, n-i)) },
		"sawtooth": func(i, _ int) int64 { return int64(i % 7 * (i % 3)) },
	}
	for name, g := range gens {
		for _, n := range []int{2, 15, 16, 17, 100, 4097} {
			v := make([]int64, n)
			for i := range v {
				v[i] = g(i, n)
			}
			got := QuicksortArgsort(v)
			seen := make([]bool, n)
			for k, p := range got {
				if seen[p] {
					t.Fatalf("%s n=%d: position %d twice", name, n, p)
				}
				seen[p] = true
				if k > 0 && v[got[k-1]] > v[p] {
					t.Fatalf("%s n=%d: not sorted at %d", name, n, k)
				}
			}
		}
	}
}
