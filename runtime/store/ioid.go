package store

import (
	"crypto/sha512"
	"fmt"
	"math/big"
)

// ioID reproduces hetida's uuid_from_seed: Python's random.seed(seed) (version 2: the
// seed integer is the big-endian bytes of seed followed by its SHA-512) and
// UUID(int=getrandbits(128)). hetida's .py import derives component io ids this way, so
// native components get the same connector ids as components imported from .py files.
func ioID(seed string) string {
	h := sha512.Sum512([]byte(seed))
	n := new(big.Int).SetBytes(append([]byte(seed), h[:]...))
	// init_by_array takes the seed's 32-bit words, least significant first
	var key []uint32
	words := n.Bits()
	_ = words
	tmp := new(big.Int).Set(n)
	mask := big.NewInt(0xffffffff)
	for tmp.Sign() > 0 {
		key = append(key, uint32(new(big.Int).And(tmp, mask).Uint64()))
		tmp.Rsh(tmp, 32)
	}
	if len(key) == 0 {
		key = []uint32{0}
	}
	var mt mt19937
	mt.initByArray(key)
	// getrandbits(128): four 32-bit outputs, least significant word first
	var u [16]byte
	for w := 0; w < 4; w++ {
		x := mt.next()
		for b := 0; b < 4; b++ {
			u[15-(w*4+b)] = byte(x >> (8 * b))
		}
	}
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

type mt19937 struct {
	mt  [624]uint32
	idx int
}

func (m *mt19937) init(s uint32) {
	m.mt[0] = s
	for i := 1; i < 624; i++ {
		m.mt[i] = 1812433253*(m.mt[i-1]^(m.mt[i-1]>>30)) + uint32(i)
	}
	m.idx = 624
}

func (m *mt19937) initByArray(key []uint32) {
	m.init(19650218)
	i, j := 1, 0
	k := 624
	if len(key) > k {
		k = len(key)
	}
	for ; k > 0; k-- {
		m.mt[i] = (m.mt[i] ^ ((m.mt[i-1] ^ (m.mt[i-1] >> 30)) * 1664525)) + key[j] + uint32(j)
		i++
		j++
		if i >= 624 {
			m.mt[0] = m.mt[623]
			i = 1
		}
		if j >= len(key) {
			j = 0
		}
	}
	for k = 623; k > 0; k-- {
		m.mt[i] = (m.mt[i] ^ ((m.mt[i-1] ^ (m.mt[i-1] >> 30)) * 1566083941)) - uint32(i)
		i++
		if i >= 624 {
			m.mt[0] = m.mt[623]
			i = 1
		}
	}
	m.mt[0] = 0x80000000
}

func (m *mt19937) next() uint32 {
	if m.idx >= 624 {
		for i := 0; i < 624; i++ {
			y := (m.mt[i] & 0x80000000) | (m.mt[(i+1)%624] & 0x7fffffff)
			m.mt[i] = m.mt[(i+397)%624] ^ (y >> 1)
			if y&1 != 0 {
				m.mt[i] ^= 0x9908b0df
			}
		}
		m.idx = 0
	}
	y := m.mt[m.idx]
	m.idx++
	y ^= y >> 11
	y ^= (y << 7) & 0x9d2c5680
	y ^= (y << 15) & 0xefc60000
	y ^= y >> 18
	return y
}
