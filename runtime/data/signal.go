package data

import (
	"context"
	"math"
)

// Digital filters after scipy.signal: the first-order Butterworth design of
// butter(1, Wn, btype) and the direct-form filter of lfilter(b, a, x), which hetida's
// Lowpass and Highpass Filter components chain.

// ButterFirstOrder is scipy.signal.butter(1, wn, btype="high" if highpass else "low",
// analog=False): the numerator b and denominator a of the first-order digital
// Butterworth filter with normalised cut-off wn (1 is the Nyquist frequency).
//
// scipy designs it through poles and zeros: the analogue prototype's pole −1 is moved to
// the pre-warped cut-off w = 4·tan(π·wn/2) (lp2lp, or lp2hp with a zero at 0), mapped by
// the bilinear transform with 2·fs = 4, and multiplied out. The arithmetic here follows
// those steps in scipy's order, so that the coefficients agree to the last bit:
//
//	pole  p = (4 − w)/(4 + w),   a = [1, −p]
//	low:  b = w·(1/(4 + w))·[1, 1]
//	high: b = (4/(4 + w))·[1, −1]
//
// which is b = [K, K]/(1+K) (low) or [1, −1]/(1+K) (high), a = [1, (K−1)/(K+1)] with
// K = tan(π·wn/2), up to rounding.
//
// scipy's checks and ValueError texts: wn ≤ 0 "filter critical frequencies must be
// greater than 0", wn ≥ 1 "Digital filter critical frequencies must be 0 < Wn < 1". A NaN
// wn passes both (comparisons with NaN are false) and gives NaN coefficients, as in scipy.
func ButterFirstOrder(wn float64, highpass bool) (b, a [2]float64, err error) {
	if wn <= 0 {
		return b, a, ValueError("filter critical frequencies must be greater than 0")
	}
	if wn >= 1 {
		return b, a, ValueError("Digital filter critical frequencies must be 0 < Wn < 1")
	}
	const fs2 = 4.0                              // 2·fs with scipy's digital fs = 2
	w := float64(2*2) * math.Tan(math.Pi*wn/2.0) // iirfilter: 2*fs*tan(pi*Wn/fs)
	p := (fs2 - w) / (fs2 + w)                   // bilinear_zpk: (fs2 + p)/(fs2 − p), p = −w
	a = [2]float64{1, -p}
	if highpass {
		k := fs2 / (fs2 + w) // prod(fs2 − z)/prod(fs2 − p) with z = 0, prototype gain 1
		return [2]float64{k, -k}, a, nil
	}
	k := w * (1 / (fs2 + w)) // gain w times prod(fs2 − z)/prod(fs2 − p) with no zeros
	return [2]float64{k, k}, a, nil
}

// LFilter is scipy.signal.lfilter(b, a, x) with zero initial state: the causal IIR
// filter a[0]·y[n] = Σ b[k]·x[n−k] − Σ_{k≥1} a[k]·y[n−k], computed in scipy's
// transposed direct form II with its operation order (after dividing b and a by a[0]):
//
//	y[n]   = z[0] + b[0]·x[n]
//	z[k]   = z[k+1] + x[n]·b[k+1] − y[n]·a[k+1]
//	z[m−1] = x[n]·b[m] − y[n]·a[m]
//
// b and a are zero-padded to the same length. A NaN or ±Inf input poisons every later
// output through the state. a[0] == 0 is scipy's ValueError; empty b or a its
// ValueError as well. x is not modified.
func LFilter(ctx context.Context, b, a, x []float64) ([]float64, error) {
	if len(a) == 0 || len(b) == 0 {
		return nil, ValueError("object of too small depth for desired array")
	}
	if a[0] == 0 {
		return nil, ValueError("BUG: filter coefficient a[0] == 0 not supported yet")
	}
	m := max(len(a), len(b))
	bn := make([]float64, m)
	an := make([]float64, m)
	copy(bn, b)
	copy(an, a)
	if a0 := a[0]; a0 != 1 {
		for k := range bn {
			bn[k] /= a0
			an[k] /= a0
		}
	}
	y := make([]float64, len(x))
	if m == 1 {
		for n, v := range x {
			y[n] = v * bn[0]
		}
		return y, nil
	}
	z := make([]float64, m-1)
	for n, v := range x {
		if n%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out := z[0] + bn[0]*v
		y[n] = out
		for k := 0; k < m-2; k++ {
			// explicit conversions keep the products rounded, as in scipy's C loop (no FMA)
			z[k] = z[k+1] + float64(v*bn[k+1]) - float64(out*an[k+1])
		}
		z[m-2] = float64(v*bn[m-1]) - float64(out*an[m-1])
	}
	return y, nil
}
