package data

import (
	"context"
	"math"
	"slices"
	"strings"
)

// Stat is one entry of describe()'s result: its label ("count", "mean", "25%" …) and
// value.
type Stat struct {
	Name  string
	Value any
}

// Describe is pandas 2.1's Series.describe(percentiles=percentiles) for the values of a
// column, in pandas' order. The percentiles are fractions in [0, 1] (pandas' ValueError
// otherwise); 0.5 is added when missing and they are sorted, as pandas does.
//
//   - Float64 and Int64: count, mean, std (ddof=1), min, the percentiles (linear
//     interpolation), max, every value a float64 (count too: pandas makes the result
//     float64); NaN skipped, so an empty or all-NaN column has count 0.0 and NaN
//     elsewhere.
//   - Timedeltas: the same labels with Timedelta values (NaT where the float result is
//     NaN), count an int64: mean, std and the percentiles are computed on the
//     nanoseconds as floats and truncated toward zero, as pandas casts them back.
//   - Datetime: count (int64), mean, min, the percentiles, max as Timestamps (no std).
//   - Bool and Object (categorical): count, unique, top (the most frequent value, the
//     first seen among equally frequent ones), freq; top and freq are NaN for an empty
//     column.
func Describe(c Column, percentiles []float64) ([]Stat, error) {
	ps, names, err := describePercentiles(percentiles)
	if err != nil {
		return nil, err
	}
	switch c.DType {
	case Float64, Int64:
		v := c.AsFloat64().F
		sorted := sortedClean(v)
		stats := []Stat{{"count", float64(NanCount(v))}, {"mean", NanMean(v)}, {"std", NanStd(v, 1)}, {"min", NanMin(v)}}
		for i, p := range ps {
			q, _ := NanQuantile(sorted, p, "linear")
			stats = append(stats, Stat{names[i], q})
		}
		return append(stats, Stat{"max", NanMax(v)}), nil
	case Timedeltas, Datetime:
		v := make([]float64, len(c.I))
		for i, ns := range c.I {
			if ns == NaT {
				v[i] = math.NaN()
			} else {
				v[i] = float64(ns)
			}
		}
		box := func(f float64) any {
			ns := int64(NaT)
			if f == f {
				ns = int64(f)
			}
			if c.DType == Datetime {
				return Timestamp{NS: ns, Zone: c.Zone}
			}
			return Timedelta{NS: ns}
		}
		stats := []Stat{{"count", int64(NanCount(v))}, {"mean", box(NanMean(v))}}
		if c.DType == Timedeltas {
			stats = append(stats, Stat{"std", box(NanStd(v, 1))})
		}
		stats = append(stats, Stat{"min", box(NanMin(v))})
		sorted := sortedClean(v)
		for i, p := range ps {
			q, _ := NanQuantile(sorted, p, "linear")
			stats = append(stats, Stat{names[i], box(q)})
		}
		return append(stats, Stat{"max", box(NanMax(v))}), nil
	}
	return describeCategorical(c), nil
}

// sortedClean is v without NaN, sorted once for all percentiles (NanQuantile's own sort
// then finds it in order).
func sortedClean(v []float64) []float64 {
	clean := nanClean(v)
	slices.Sort(clean)
	return clean
}

func describeCategorical(c Column) []Stat {
	codes, _, _ := factorize(context.Background(), c) // fails only when its context ends
	counts := map[int]int64{}
	first := map[int]int{}
	var order []int
	count := int64(0)
	for i, code := range codes {
		if c.IsNA(i) {
			continue
		}
		count++
		if _, ok := counts[code]; !ok {
			first[code] = i
			order = append(order, code)
		}
		counts[code]++
	}
	var top, freq any = math.NaN(), math.NaN()
	best := int64(0)
	for _, code := range order {
		if counts[code] > best {
			best, top = counts[code], c.At(first[code])
		}
	}
	if best > 0 {
		freq = best
	}
	return []Stat{{"count", count}, {"unique", int64(len(order))}, {"top", top}, {"freq", freq}}
}

// describePercentiles is pandas' percentile preparation and format_percentiles: 0.5
// added, sorted, duplicates refused; labels "5%", "50%", "12.5%" (the shortest decimal
// that tells the percentiles apart; here: up to the digits the value needs).
func describePercentiles(p []float64) ([]float64, []string, error) {
	ps := append([]float64(nil), p...)
	has := false
	for _, x := range ps {
		if !(0 <= x && x <= 1) {
			return nil, nil, ValueError("percentiles should all be in the interval [0, 1]. Try %s instead.", PyFloat(x/100))
		}
		if x == 0.5 {
			has = true
		}
	}
	if !has {
		ps = append(ps, 0.5)
	}
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j] < ps[j-1]; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
	for i := 1; i < len(ps); i++ {
		if ps[i] == ps[i-1] {
			return nil, nil, ValueError("percentiles cannot contain duplicates")
		}
	}
	names := make([]string, len(ps))
	for i, x := range ps {
		pct := x * 100
		if r := math.Round(pct); math.Abs(pct-r) < 1e-9 {
			names[i] = PyFloat(r)
			names[i] = strings.TrimSuffix(names[i], ".0") + "%"
			continue
		}
		names[i] = PyFloat(pct) + "%"
	}
	return ps, names, nil
}

// CountDuplicated is duplicated().sum(): how many values equal an earlier one, numbers
// by value (0.0 and −0.0 alike, every NaN alike), as pandas' hash tables compare them.
// Numeric and time columns are counted on a sorted copy (equal neighbours), objects
// through factorize.
func CountDuplicated(ctx context.Context, c Column) (int, error) {
	n := c.Len()
	switch c.DType {
	case Float64, Int64, Bool, Datetime, Timedeltas:
		var f []float64
		var ints []int64
		switch c.DType {
		case Float64:
			f = slices.Clone(c.F)
		case Bool:
			t := 0
			for _, b := range c.B {
				if b {
					t++
				}
			}
			return n - min(t, 1) - min(n-t, 1), nil
		default:
			ints = slices.Clone(c.I)
		}
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		distinct := 0
		if f != nil {
			slices.Sort(f) // NaN first, then ascending; −0.0 == 0.0
			for i, v := range f {
				if i == 0 || !(v == f[i-1] || v != v && f[i-1] != f[i-1]) {
					distinct++
				}
			}
		} else {
			slices.Sort(ints)
			for i, v := range ints {
				if i == 0 || v != ints[i-1] {
					distinct++
				}
			}
		}
		return n - distinct, ctx.Err()
	}
	_, distinct, err := factorize(ctx, c)
	return n - distinct, err
}
