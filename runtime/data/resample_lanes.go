package data

import (
	"context"
	"math"
)

// meanSumLanes is aggFloat's Mean and Sum for an index that was sorted already: the same
// Kahan-compensated sum per bin, value by value in row order, but four bins at a time.
// A compensated sum is one long chain of dependent additions; running the chains of four
// bins side by side (in registers: the lanes are written out) lets the processor overlap
// them, and every bin's arithmetic stays exactly as in aggFloat (same order, same
// compensation, same reset at ±Inf), so the results are bit for bit those of pandas'
// group_mean/group_sum.
func (b *Bins) meanSumLanes(ctx context.Context, v []float64, agg Agg, minCount int) (Column, error) {
	nb := len(b.ends)
	out := make([]float64, nb)
	nan := math.NaN()
	result := func(sum float64, n int) float64 {
		switch {
		case agg == AggSum && n < minCount:
			return nan
		case agg == AggSum:
			return sum
		case n == 0:
			return nan
		}
		return sum / float64(n)
	}
	for k := 0; k < nb; k += 4 {
		if k%CheckEvery < 4 && k > 0 {
			if err := ctx.Err(); err != nil {
				return Column{}, err
			}
		}
		lanes := min(4, nb-k)
		longest := 0
		var s0, c0 float64
		var n0 int
		lo0, hi0 := 0, 0
		if 0 < lanes {
			lo0, hi0 = b.rows(k + 0)
			longest = max(longest, hi0-lo0)
		}
		var s1, c1 float64
		var n1 int
		lo1, hi1 := 0, 0
		if 1 < lanes {
			lo1, hi1 = b.rows(k + 1)
			longest = max(longest, hi1-lo1)
		}
		var s2, c2 float64
		var n2 int
		lo2, hi2 := 0, 0
		if 2 < lanes {
			lo2, hi2 = b.rows(k + 2)
			longest = max(longest, hi2-lo2)
		}
		var s3, c3 float64
		var n3 int
		lo3, hi3 := 0, 0
		if 3 < lanes {
			lo3, hi3 = b.rows(k + 3)
			longest = max(longest, hi3-lo3)
		}
		for j := 0; j < longest; j++ {
			if p := lo0 + j; p < hi0 {
				if x := v[p]; x == x {
					n0++
					y := x - c0
					t := s0 + y
					c0 = t - s0 - y
					if c0 != c0 {
						c0 = 0 // GH#50367: an infinite value would turn the sum into NaN
					}
					s0 = t
				}
			}
			if p := lo1 + j; p < hi1 {
				if x := v[p]; x == x {
					n1++
					y := x - c1
					t := s1 + y
					c1 = t - s1 - y
					if c1 != c1 {
						c1 = 0 // GH#50367: an infinite value would turn the sum into NaN
					}
					s1 = t
				}
			}
			if p := lo2 + j; p < hi2 {
				if x := v[p]; x == x {
					n2++
					y := x - c2
					t := s2 + y
					c2 = t - s2 - y
					if c2 != c2 {
						c2 = 0 // GH#50367: an infinite value would turn the sum into NaN
					}
					s2 = t
				}
			}
			if p := lo3 + j; p < hi3 {
				if x := v[p]; x == x {
					n3++
					y := x - c3
					t := s3 + y
					c3 = t - s3 - y
					if c3 != c3 {
						c3 = 0 // GH#50367: an infinite value would turn the sum into NaN
					}
					s3 = t
				}
			}
		}
		if 0 < lanes {
			out[k+0] = result(s0, n0)
		}
		if 1 < lanes {
			out[k+1] = result(s1, n1)
		}
		if 2 < lanes {
			out[k+2] = result(s2, n2)
		}
		if 3 < lanes {
			out[k+3] = result(s3, n3)
		}
	}
	return Floats(out), nil
}
