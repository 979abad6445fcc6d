package data

import "math"

// NanCorr is pandas' nancorr: the Pearson correlation matrix of columns (DataFrame.corr()
// with method "pearson"). Every pair uses the rows where both values are finite
// (pairwise-complete observations; ±inf counts as missing, as pandas masks with
// isfinite); with fewer than minPeriods such rows, or a zero variance on either side, the
// entry is NaN. Means and sums of squares are accumulated with Welford's update in row
// order, exactly as pandas' Cython loop does, so results match it to the last bit.
func NanCorr(cols [][]float64, minPeriods int) [][]float64 {
	k := len(cols)
	out := make([][]float64, k)
	for i := range out {
		out[i] = make([]float64, k)
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	for xi := 0; xi < k; xi++ {
		for yi := 0; yi <= xi; yi++ {
			x, y := cols[xi], cols[yi]
			var nobs int
			var meanx, meany, ssqdmx, ssqdmy, covxy float64
			for i := range x {
				vx, vy := x[i], y[i]
				if !finite(vx) || !finite(vy) {
					continue
				}
				nobs++
				dx, dy := vx-meanx, vy-meany
				// the conversions keep Go from fusing a product into the next addition
				inv := 1.0 / float64(nobs)
				meanx += float64(inv * dx)
				meany += float64(inv * dy)
				ssqdmx += float64((vx - meanx) * dx)
				ssqdmy += float64((vy - meany) * dy)
				covxy += float64((vx - meanx) * dy)
			}
			r := math.NaN()
			if nobs >= minPeriods {
				if d := math.Sqrt(float64(ssqdmx * ssqdmy)); d != 0 {
					r = covxy / d
				}
			}
			out[xi][yi], out[yi][xi] = r, r
		}
	}
	return out
}
