package data

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// sort64 sorts 64 keys as slices.Sort does: random, few distinct, ascending, descending,
// and all ones (the padding of short blocks).
func TestSort64(t *testing.T) {
	if !haveSort64 {
		t.Skip("no AVX-512 here: the assembly is never called (build takes the buckets only)")
	}
	rng := rand.New(rand.NewPCG(21, 22))
	for trial := range 20000 {
		var k [64]uint64
		for i := range k {
			switch trial % 5 {
			case 0:
				k[i] = rng.Uint64()
			case 1:
				k[i] = rng.Uint64N(4) << 62
			case 2:
				k[i] = uint64(i)
			case 3:
				k[i] = uint64(64-i) | 1<<63
			default:
				k[i] = math.MaxUint64 - rng.Uint64N(2)
			}
		}
		want := k
		slices.Sort(want[:])
		sort64(&k)
		if k != want {
			t.Fatalf("trial %d: got %x, want %x", trial, k, want)
		}
	}
}

// buildPacked leaves a block exactly as the buckets do: the same keys, values and
// positions, on values that tie, that differ in their last bits only (where the packed
// keys lose the order), ±0, NaN and ±Inf, in blocks of every length.
func TestBuildPackedIsBuild(t *testing.T) {
	if !haveSort64 {
		t.Skip("no AVX-512 here: the assembly is never called (build takes the buckets only)")
	}
	defer func(old bool) { useSort64 = old }(useSort64)
	rng := rand.New(rand.NewPCG(23, 24))
	value := func(base float64) float64 {
		switch rng.IntN(8) {
		case 0:
			return base
		case 1:
			// within 64 units in the last place of base, either side
			x := base
			for range rng.IntN(70) {
				x = math.Nextafter(x, math.Inf(2*rng.IntN(2)-1))
			}
			return x
		case 2:
			return math.Copysign(0, float64(2*rng.IntN(2)-1))
		case 3:
			return []float64{math.NaN(), math.Inf(1), math.Inf(-1)}[rng.IntN(3)]
		default:
			return rng.NormFloat64() * 100
		}
	}
	packed, buckets := newBitBlock(), newBitBlock()
	for trial := range 5000 {
		n := rng.IntN(bitBlockRows + 1)
		base := rng.NormFloat64() * 1e3
		v := make([]float64, n+3)
		for i := range v {
			v[i] = value(base)
		}
		useSort64 = true
		packed.build(v, 3, n+3)
		useSort64 = false
		buckets.build(v, 3, n+3)
		// what a block holds: the positions of its rows, the keys and values of its
		// finite ones (and the sentinels below and above them)
		m := 0
		for _, x := range v[3:] {
			if math.Abs(x) <= math.MaxFloat64 {
				m++
			}
		}
		if !slices.Equal(packed.pos[:n], buckets.pos[:n]) || !slices.Equal(packed.key[:m+1], buckets.key[:m+1]) ||
			packed.key[bitBlockRows+1] != buckets.key[bitBlockRows+1] || packed.lo != buckets.lo {
			t.Fatalf("trial %d (%d rows): positions %v / %v, keys %x / %x", trial, n, packed.pos, buckets.pos, packed.key, buckets.key)
		}
		for p := range m + 1 {
			if math.Float64bits(packed.val[p]) != math.Float64bits(buckets.val[p]) {
				t.Fatalf("trial %d: position %d holds %v, the buckets %v", trial, p, packed.val[p], buckets.val[p])
			}
		}
	}
}

// packKeys (assembly where there is AVX-512) writes the keys packKeysGo does, and
// reads no row beyond the valid ones.
func TestPackKeys(t *testing.T) {
	if !haveSort64 {
		t.Skip("no AVX-512 here: the assembly is never called (build takes the buckets only)")
	}
	rng := rand.New(rand.NewPCG(25, 26))
	for trial := range 5000 {
		n := 1 + rng.IntN(bitBlockRows)
		v := make([]float64, n)
		for i := range v {
			switch rng.IntN(6) {
			case 0:
				v[i] = []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0}[rng.IntN(5)]
			case 1:
				v[i] = math.Float64frombits(rng.Uint64())
			default:
				v[i] = rng.NormFloat64() * 1e3
			}
		}
		var got, want [64]uint64
		gm := packKeys(&v[0], 1<<n-1, &got)
		wm := packKeysGo(&v[0], 1<<n-1, &want)
		if got != want || gm != wm {
			t.Fatalf("trial %d (%d rows): %d finite %x, want %d %x", trial, n, gm, got, wm, want)
		}
	}
}

// unpackKeys (assembly where there is AVX-512) writes what unpackKeysGo does and no
// key or value beyond the first m, and finds the same disorder.
func TestUnpackKeys(t *testing.T) {
	if !haveSort64 {
		t.Skip("no AVX-512 here: the assembly is never called (build takes the buckets only)")
	}
	rng := rand.New(rand.NewPCG(27, 28))
	for trial := range 5000 {
		n := 1 + rng.IntN(bitBlockRows)
		v := make([]float64, n)
		base := rng.NormFloat64()
		for i := range v {
			switch rng.IntN(5) {
			case 0:
				v[i] = math.Copysign(0, float64(2*rng.IntN(2)-1))
			case 1:
				v[i] = math.Float64frombits(math.Float64bits(base) + rng.Uint64N(128))
			case 2:
				v[i] = math.NaN()
			default:
				v[i] = rng.NormFloat64()
			}
		}
		var packed [64]uint64
		m := packKeysGo(&v[0], 1<<n-1, &packed)
		slices.Sort(packed[:])
		var gk, wk [65]uint64
		var gv, wv [65]float64
		var gr, wr [64]uint8
		gk[64], wk[64], gv[64], wv[64] = 7, 7, 7, 7
		gok := unpackKeys(&v[0], &packed, m, &gk[0], &gv[0], &gr)
		wok := unpackKeysGo(&v[0], &packed, m, &wk[0], &wv[0], &wr)
		if gok != wok || gk != wk || !slices.Equal(gr[:m], wr[:m]) {
			t.Fatalf("trial %d (%d rows, %d finite): in order %v / %v, keys %x / %x, rows %v / %v", trial, n, m, gok, wok, gk, wk, gr, wr)
		}
		for p := range gv {
			if math.Float64bits(gv[p]) != math.Float64bits(wv[p]) {
				t.Fatalf("trial %d: value %d is %v, want %v", trial, p, gv[p], wv[p])
			}
		}
	}
}
