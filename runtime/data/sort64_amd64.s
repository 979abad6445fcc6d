//go:build amd64 && !purego

#include "textflag.h"

// lanes in reverse order, for VPERMQ
DATA revIdx<>+0(SB)/8, $7
DATA revIdx<>+8(SB)/8, $6
DATA revIdx<>+16(SB)/8, $5
DATA revIdx<>+24(SB)/8, $4
DATA revIdx<>+32(SB)/8, $3
DATA revIdx<>+40(SB)/8, $2
DATA revIdx<>+48(SB)/8, $1
DATA revIdx<>+56(SB)/8, $0
GLOBL revIdx<>(SB), RODATA|NOPTR, $64

// a compare-exchange stage within register X: T = X's lanes permuted to the partners,
// the lanes in mask K take the larger of each pair, the others the smaller
#define STAGE(X, K) \
	VPMINUQ Z8, X, Z9; \
	VPMAXUQ Z8, X, Z10; \
	VPBLENDMQ Z10, Z9, K, X

#define P1(X) VPSHUFD $0x4E, X, Z8
#define P2(X) VPERMQ $0x4E, X, Z8
#define P3(X) VPERMQ $0x1B, X, Z8
#define P4(X) VSHUFI64X2 $0x4E, X, X, Z8
#define P7(X) VPERMQ X, Z16, Z8

// SORT8 sorts the 8 lanes of X (bitonic network, merges by mirror compares)
#define SORT8(X) \
	P1(X); STAGE(X, K1); \
	P3(X); STAGE(X, K2); \
	P1(X); STAGE(X, K1); \
	P7(X); STAGE(X, K3); \
	P2(X); STAGE(X, K2); \
	P1(X); STAGE(X, K1)

// CLEAN8 sorts the bitonic lanes of X (half-cleaners 4, 2, 1)
#define CLEAN8(X) \
	P4(X); STAGE(X, K3); \
	P2(X); STAGE(X, K2); \
	P1(X); STAGE(X, K1)

// CLEANALL sorts the bitonic lanes of every register
#define CLEANALL \
	CLEAN8(Z0); CLEAN8(Z1); CLEAN8(Z2); CLEAN8(Z3); \
	CLEAN8(Z4); CLEAN8(Z5); CLEAN8(Z6); CLEAN8(Z7)

// REG compare-exchanges registers A (smaller) and B (larger), lane by lane
#define REG(A, B) \
	VPMINUQ B, A, Z9; \
	VPMAXUQ B, A, B; \
	VMOVDQA64 Z9, A

// MIRROR compares A's lanes with B's reversed: A the smaller, B the larger of each pair
#define MIRROR(A, B) \
	VPERMQ B, Z16, Z8; \
	VPMAXUQ Z8, A, B; \
	VPMINUQ Z8, A, A

// func sort64(k *[64]uint64): sorts the 64 keys ascending in eight registers (AVX-512F):
// each register by a bitonic network, then runs of 16, 32 and 64 merged by mirror
// compares (a lane against the other run's lanes reversed) and half-cleaners.
TEXT ·sort64(SB), NOSPLIT, $0-8
	MOVQ k+0(FP), AX
	VMOVDQU64 0(AX), Z0
	VMOVDQU64 64(AX), Z1
	VMOVDQU64 128(AX), Z2
	VMOVDQU64 192(AX), Z3
	VMOVDQU64 256(AX), Z4
	VMOVDQU64 320(AX), Z5
	VMOVDQU64 384(AX), Z6
	VMOVDQU64 448(AX), Z7
	VMOVDQU64 revIdx<>(SB), Z16
	MOVL $0xAA, BX
	KMOVW BX, K1
	MOVL $0xCC, BX
	KMOVW BX, K2
	MOVL $0xF0, BX
	KMOVW BX, K3

	SORT8(Z0); SORT8(Z1); SORT8(Z2); SORT8(Z3)
	SORT8(Z4); SORT8(Z5); SORT8(Z6); SORT8(Z7)

	// runs of 16
	MIRROR(Z0, Z1)
	MIRROR(Z2, Z3)
	MIRROR(Z4, Z5)
	MIRROR(Z6, Z7)
	CLEANALL

	// runs of 32: lower half i with the upper half's lane-reversed register 1-i
	VPERMQ Z3, Z16, Z8
	VPERMQ Z2, Z16, Z11
	VPMAXUQ Z8, Z0, Z2
	VPMINUQ Z8, Z0, Z0
	VPMAXUQ Z11, Z1, Z3
	VPMINUQ Z11, Z1, Z1
	VPERMQ Z7, Z16, Z8
	VPERMQ Z6, Z16, Z11
	VPMAXUQ Z8, Z4, Z6
	VPMINUQ Z8, Z4, Z4
	VPMAXUQ Z11, Z5, Z7
	VPMINUQ Z11, Z5, Z5
	REG(Z0, Z1)
	REG(Z2, Z3)
	REG(Z4, Z5)
	REG(Z6, Z7)
	CLEANALL

	// 64: lower register i with the upper half's lane-reversed register 3-i
	VPERMQ Z7, Z16, Z8
	VPERMQ Z6, Z16, Z11
	VPERMQ Z5, Z16, Z12
	VPERMQ Z4, Z16, Z13
	VPMAXUQ Z8, Z0, Z4
	VPMINUQ Z8, Z0, Z0
	VPMAXUQ Z11, Z1, Z5
	VPMINUQ Z11, Z1, Z1
	VPMAXUQ Z12, Z2, Z6
	VPMINUQ Z12, Z2, Z2
	VPMAXUQ Z13, Z3, Z7
	VPMINUQ Z13, Z3, Z3
	REG(Z0, Z2)
	REG(Z1, Z3)
	REG(Z4, Z6)
	REG(Z5, Z7)
	REG(Z0, Z1)
	REG(Z2, Z3)
	REG(Z4, Z5)
	REG(Z6, Z7)
	CLEANALL

	VMOVDQU64 Z0, 0(AX)
	VMOVDQU64 Z1, 64(AX)
	VMOVDQU64 Z2, 128(AX)
	VMOVDQU64 Z3, 192(AX)
	VMOVDQU64 Z4, 256(AX)
	VMOVDQU64 Z5, 320(AX)
	VMOVDQU64 Z6, 384(AX)
	VMOVDQU64 Z7, 448(AX)
	VZEROUPPER
	RET

DATA packConst<>+0(SB)/8, $0x8000000000000000  // the sign bit
DATA packConst<>+8(SB)/8, $0x7fffffffffffffff  // all but the sign bit
DATA packConst<>+16(SB)/8, $0x7ff0000000000000 // +Inf's bits
DATA packConst<>+24(SB)/8, $0xffffffffffffffc0 // all but the low 6 bits
DATA packConst<>+32(SB)/8, $8                  // the step of the row numbers
GLOBL packConst<>(SB), RODATA|NOPTR, $40


// func packKeys(w *float64, valid uint64, k *[64]uint64) (finite int): k[r] is
// orderedKey(w[r]) with its low 6 bits replaced by r where bit r of valid is set and
// w[r] is finite, all ones elsewhere; finite counts the former. Only the valid rows of w
// are read (masked loads).
TEXT ·packKeys(SB), NOSPLIT, $0-32
	MOVQ w+0(FP), SI
	MOVQ valid+8(FP), DX
	MOVQ k+16(FP), DI
	VPBROADCASTQ packConst<>+0(SB), Z20
	VPBROADCASTQ packConst<>+8(SB), Z21
	VPBROADCASTQ packConst<>+16(SB), Z22
	VPBROADCASTQ packConst<>+24(SB), Z23
	VPBROADCASTQ packConst<>+32(SB), Z24
	VMOVDQU64 revIdx<>(SB), Z16
	VPERMQ Z16, Z16, Z25            // the rows 0 to 7: revIdx reversed
	VPTERNLOGQ $0xff, Z26, Z26, Z26 // all ones
	XORQ AX, AX
	MOVQ $8, CX

loop:
	KMOVW DX, K1
	VMOVDQU64.Z (SI), K1, Z0
	VPSRAQ $63, Z0, Z1
	VPORQ Z20, Z1, Z1
	VPXORQ Z1, Z0, Z2            // orderedKey
	VPANDQ Z21, Z0, Z3           // |x|
	VPCMPUQ $1, Z22, Z3, K1, K2  // valid and |x| < +Inf: finite
	VPANDQ Z23, Z2, Z2
	VPORQ Z25, Z2, Z2            // the row in the low bits
	VMOVDQA64 Z26, Z4
	VMOVDQA64 Z2, K2, Z4
	VMOVDQU64 Z4, (DI)
	KMOVW K2, BX
	POPCNTL BX, BX
	ADDQ BX, AX
	VPADDQ Z24, Z25, Z25
	SHRQ $8, DX
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ loop

	MOVQ AX, finite+24(FP)
	VZEROUPPER
	RET

DATA unpackConst<>+0(SB)/8, $63                 // the row bits
DATA unpackConst<>+8(SB)/8, $0x7fffffffffffffff // orderedKey(−0)
GLOBL unpackConst<>(SB), RODATA|NOPTR, $16

// func unpackKeys(w *float64, packed *[64]uint64, m int, keys *uint64, vals *float64, rows *[64]uint8) (inOrder bool):
// for the first m packed keys (sorted): rows[p] their row, vals[p] = w[row], keys[p] its
// orderedKey (−0's as +0's); inOrder reports whether those keys are non-decreasing.
// keys and vals are written at the first m places only, rows in groups of 8.
TEXT ·unpackKeys(SB), NOSPLIT, $0-49
	MOVQ w+0(FP), SI
	MOVQ packed+8(FP), BX
	MOVQ m+16(FP), CX
	MOVQ keys+24(FP), DI
	MOVQ vals+32(FP), R8
	MOVQ rows+40(FP), R9
	VPBROADCASTQ unpackConst<>+0(SB), Z20
	VPBROADCASTQ packConst<>+0(SB), Z21
	VPBROADCASTQ unpackConst<>+8(SB), Z22
	VPTERNLOGQ $0xff, Z24, Z24, Z24
	VPSRLQ $63, Z24, Z24 // ones
	VPXORQ Z30, Z30, Z30 // the previous group's keys
	KXORW K7, K7, K7     // out of order somewhere

uloop:
	CMPQ CX, $0
	JLE udone
	MOVL $0xff, AX
	CMPQ CX, $8
	JGE ufull
	MOVL $1, AX
	SHLL CX, AX
	DECL AX

ufull:
	KMOVW AX, K1
	VMOVDQU64.Z (BX), K1, Z0
	VPANDQ Z20, Z0, Z1 // rows
	KMOVW K1, K2
	VPXORQ Z2, Z2, Z2
	VPGATHERQQ (SI)(Z1*8), K2, Z2 // values
	VPSRAQ $63, Z2, Z3
	VPORQ Z21, Z3, Z3
	VPXORQ Z3, Z2, Z3              // orderedKey
	VPCMPEQQ Z22, Z3, K1, K3
	VPADDQ Z24, Z3, K3, Z3         // −0 as +0
	VALIGNQ $7, Z30, Z3, Z4        // each lane's predecessor
	VPCMPUQ $1, Z4, Z3, K1, K4     // below it: out of order
	KORW K4, K7, K7
	VMOVDQU64 Z3, K1, (DI)
	VMOVDQU64 Z2, K1, (R8)
	VPMOVQB Z1, X5
	MOVQ X5, (R9)
	VMOVDQA64 Z3, Z30
	ADDQ $64, BX
	ADDQ $64, DI
	ADDQ $64, R8
	ADDQ $8, R9
	SUBQ $8, CX
	JMP uloop

udone:
	KORTESTW K7, K7
	SETEQ AL
	MOVB AL, inOrder+48(FP)
	VZEROUPPER
	RET
