package data

// QuicksortArgsort is numpy's argsort(kind="quicksort") of int64 keys (datetime64 and
// int64 arrays) as numpy 1.24 computes it without SIMD: an introsort of the positions —
// median-of-three partitioning, insertion sort for partitions of at most 16 elements,
// heapsort once the depth limit 2·floor(log2 n) is used up. Like numpy's it is not
// stable, and pandas' sort_values/sort_index (default kind "quicksort") inherit its order
// of equal keys: a MULTITSFRAME, which hetida sorts by timestamp, lists the metrics of one
// timestamp in this order, not in input order.
func QuicksortArgsort(v []int64) []int {
	n := len(v)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	if n < 2 {
		return idx
	}
	less := func(a, b int) bool { return v[a] < v[b] }
	type span struct{ l, r, depth int }
	var stack []span
	l, r := 0, n-1
	depth := 0
	for u := uint(n); u > 1; u >>= 1 {
		depth++
	}
	depth *= 2
	for {
		if depth < 0 {
			heapArgsort(idx[l:r+1], less)
		} else {
			for r-l > 15 {
				m := l + (r-l)>>1
				if less(idx[m], idx[l]) {
					idx[m], idx[l] = idx[l], idx[m]
				}
				if less(idx[r], idx[m]) {
					idx[r], idx[m] = idx[m], idx[r]
				}
				if less(idx[m], idx[l]) {
					idx[m], idx[l] = idx[l], idx[m]
				}
				vp := idx[m]
				i, j := l, r-1
				idx[m], idx[j] = idx[j], idx[m]
				for {
					i++
					for less(idx[i], vp) {
						i++
					}
					j--
					for less(vp, idx[j]) {
						j--
					}
					if i >= j {
						break
					}
					idx[i], idx[j] = idx[j], idx[i]
				}
				idx[i], idx[r-1] = idx[r-1], idx[i]
				// the larger partition waits on the stack
				depth--
				if i-l < r-i {
					stack = append(stack, span{i + 1, r, depth})
					r = i - 1
				} else {
					stack = append(stack, span{l, i - 1, depth})
					l = i + 1
				}
			}
			for i := l + 1; i <= r; i++ {
				vi := idx[i]
				j := i
				for j > l && less(vi, idx[j-1]) {
					idx[j] = idx[j-1]
					j--
				}
				idx[j] = vi
			}
		}
		if len(stack) == 0 {
			return idx
		}
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		l, r, depth = s.l, s.r, s.depth
	}
}

// heapArgsort is numpy's aheapsort on a slice of positions.
func heapArgsort(a []int, less func(a, b int) bool) {
	n := len(a)
	at := func(k int) *int { return &a[k-1] } // numpy's heap is 1-based
	for l := n >> 1; l > 0; l-- {
		tmp := *at(l)
		i, j := l, l<<1
		for j <= n {
			if j < n && less(*at(j), *at(j + 1)) {
				j++
			}
			if !less(tmp, *at(j)) {
				break
			}
			*at(i) = *at(j)
			i, j = j, j+j
		}
		*at(i) = tmp
	}
	for n > 1 {
		tmp := *at(n)
		*at(n) = *at(1)
		n--
		i, j := 1, 2
		for j <= n {
			if j < n && less(*at(j), *at(j + 1)) {
				j++
			}
			if !less(tmp, *at(j)) {
				break
			}
			*at(i) = *at(j)
			i, j = j, j+j
		}
		*at(i) = tmp
	}
}
