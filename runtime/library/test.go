package library

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var test = []component.Spec{
	{Meta: metaCPUBound, Run: cpuBound,
		Description: "Busy work for measuring execution time: a loop of random draws, or a random matrix product"},
	{Meta: metaTimeseriesSummary, Run: timeseriesSummary,
		Description: "A dictionary describing a series — length, duplicate counts, dtype, first/last value and label, describe() of values and label spacing as Python's str(dict) — with timings; its index and series texts are the project's own rendering, not pandas' str()"},
}

// cpuBound keeps a CPU busy and reports how long that took, as hetida's benchmark helper:
// bind "single" (case-insensitive) draws `rounds` random numbers in a loop, "multi"
// multiplies two random rounds×rounds matrices (numpy's dot spreads over all CPUs; this
// port runs one naive blocked product — the amount of work is the same, the speed is
// not). Outputs: duration in seconds and the UTC start and end as
// datetime.isoformat() (microsecond resolution, as Python's clock). Any other bind is
// the reference's ValueError. A negative size for "multi" is numpy's ValueError; a
// matrix beyond maxMatrixSide² elements (numpy would allocate 8·n² bytes per matrix)
// fails with MemoryError instead of exhausting the machine. Both loops check ctx, so an
// execution timeout stops them.
func cpuBound(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	rounds := r.Int("rounds")
	bind := r.String("bind")
	if err := r.Err(); err != nil {
		return nil, err
	}
	var work func() error
	switch strings.ToLower(bind) {
	case "single":
		work = func() error { return randomDraws(ctx, rounds) }
	case "multi":
		if rounds < 0 {
			return nil, component.ValueError("negative dimensions are not allowed")
		}
		if rounds > maxMatrixSide {
			return nil, &data.Error{Type: "MemoryError", Message: "a " + strconv.FormatInt(rounds, 10) + "×" + strconv.FormatInt(rounds, 10) +
				" matrix is beyond this runtime's limit of " + strconv.Itoa(maxMatrixSide) + "×" + strconv.Itoa(maxMatrixSide)}
		}
		work = func() error { return randomProduct(ctx, int(rounds)) }
	default:
		return nil, component.ValueError(`Unknown value of "bind" mode: %s. Allowed values are "single" and "multi".`, bind)
	}
	start := pyNow()
	if err := work(); err != nil {
		return nil, err
	}
	end := pyNow()
	return component.Outputs{
		"duration": pySeconds(start, end),
		"start":    data.ISOFormat(start, data.UTC),
		"end":      data.ISOFormat(end, data.UTC),
	}, nil
}

// maxMatrixSide bounds the "multi" matrices: three of 2048² float64 are 96 MiB.
const maxMatrixSide = 2048

// pyNow is datetime.now(timezone.utc) as nanoseconds: Python's clock has microseconds.
func pyNow() int64 { return time.Now().UnixMicro() * 1000 }

// pySeconds is (end - start).total_seconds() of two microsecond timestamps.
func pySeconds(start, end int64) float64 { return float64((end-start)/1000) / 1e6 }

// cpuSink keeps the random draws observable so that the loop is not optimised away.
var cpuSink float64

func randomDraws(ctx context.Context, n int64) error {
	rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	var acc float64
	for i := int64(0); i < n; i++ {
		if i%data.CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		acc += rng.Float64()
	}
	cpuSink = acc
	return nil
}

// randomProduct multiplies two random n×n matrices (row by row, i-k-j order).
func randomProduct(ctx context.Context, n int) error {
	rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	a, b, c := make([]float64, n*n), make([]float64, n*n), make([]float64, n*n)
	for i := range a {
		a[i], b[i] = rng.Float64(), rng.Float64()
	}
	for i := 0; i < n; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		row := c[i*n : (i+1)*n]
		for k := 0; k < n; k++ {
			aik := a[i*n+k]
			for j, bkj := range b[k*n : (k+1)*n] {
				row[j] += aik * bkj
			}
		}
	}
	if n > 0 {
		cpuSink = c[0]
	}
	return nil
}

// summaryPercentiles are the percentiles the reference asks describe() for.
var summaryPercentiles = []float64{0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95}

// timeseriesSummary returns a dictionary describing a series, with the time it took
// (start and end as UTC isoformat, duration in seconds). Its keys are the reference's:
//
//   - length: the number of entries.
//   - describe: str() of describe(percentiles 5 … 95 %).to_dict(), as Python prints the
//     dict (data.Describe; float statistics in Python's repr, 'nan' for NaN, Timedelta(…)
//     and Timestamp(…) reprs, count/unique/top/freq for strings and bools).
//   - num_duplicates, num_index_duplicates: how many values (NaN equal to NaN) and index
//     labels repeat an earlier one.
//   - index, series: pandas' str() of the index and of the series cannot be reproduced
//     verbatim (its column alignment, common float precision and line wrapping); this
//     port renders its own documented text instead (indexText, seriesText).
//   - dtype: the values' numpy dtype name ("float64", "datetime64[ns, UTC]" …).
//   - first_value, first_index, last_value, last_index: str() of the first and last
//     value and label (None for an empty series).
//   - index_distances_describe: describe() of the distances between consecutive labels
//     (Series(index) − Series(index).shift(), NaN dropped): Timedeltas for a time index,
//     floats for a numeric one; string labels cannot be subtracted (Python's TypeError,
//     as in the reference).
func timeseriesSummary(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	if err := r.Err(); err != nil {
		return nil, err
	}
	start := pyNow()
	n := s.Len()
	desc, err := data.Describe(s.Values, summaryPercentiles)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	labels := data.NewSeries(nil, data.Range(n), s.Index)
	dist, err := labelDistances(ctx, labels)
	if err != nil {
		return nil, err
	}
	distDesc, err := data.Describe(dist, summaryPercentiles)
	if err != nil {
		return nil, err
	}
	d := data.NewDict(12)
	d.Set("length", int64(n))
	d.Set("describe", statsText(desc))
	dups, err := data.CountDuplicated(ctx, s.Values)
	if err != nil {
		return nil, err
	}
	indexDups, err := data.CountDuplicated(ctx, s.Index)
	if err != nil {
		return nil, err
	}
	d.Set("num_duplicates", int64(dups))
	d.Set("num_index_duplicates", int64(indexDups))
	d.Set("index", indexText(s.Index))
	d.Set("series", seriesText(s))
	d.Set("dtype", s.Values.PandasDType())
	if n == 0 {
		for _, k := range []string{"first_value", "first_index", "last_value", "last_index"} {
			d.Set(k, nil)
		}
	} else {
		d.Set("first_value", data.PyStr(s.Values.At(0)))
		d.Set("first_index", data.PyStr(s.Index.At(0)))
		d.Set("last_value", data.PyStr(s.Values.At(n-1)))
		d.Set("last_index", data.PyStr(s.Index.At(n-1)))
	}
	d.Set("index_distances_describe", statsText(distDesc))
	end := pyNow()
	return component.Outputs{
		"summary":  d,
		"start":    data.ISOFormat(start, data.UTC),
		"end":      data.ISOFormat(end, data.UTC),
		"duration": pySeconds(start, end),
	}, nil
}

// labelDistances is (Series(index) − Series(index).shift()).dropna(): timestamps and
// timedeltas give Timedeltas (np.ediff1d's values without NaT), numbers float64 (shift
// makes an int64 side float64 first); other labels go through Python's operator.
func labelDistances(ctx context.Context, labels *data.Series) (data.Column, error) {
	c := labels.Values
	switch c.DType {
	case data.Datetime, data.Timedeltas:
		d, err := data.Ediff1d(ctx, c)
		if err != nil {
			return data.Column{}, err
		}
		clean, err := data.NewSeries(nil, data.Range(d.Len()), d).Dropna(ctx)
		if err != nil {
			return data.Column{}, err
		}
		return clean.Values, nil
	case data.Int64, data.Float64:
		f := c.AsFloat64().F
		out := make([]float64, 0, max(len(f)-1, 0))
		for i := 1; i < len(f); i++ {
			if d := f[i] - f[i-1]; d == d {
				out = append(out, d)
			}
		}
		return data.Floats(out), nil
	}
	dist, err := data.Arith(ctx, data.OpSub, labels, labels.Shift(1))
	if err != nil {
		return data.Column{}, err
	}
	clean, err := dist.(*data.Series).Dropna(ctx)
	if err != nil {
		return data.Column{}, err
	}
	return clean.Values, nil
}

// statsText is str(dict) of describe's statistics: {'count': 3.0, 'mean': 2.0, …}.
func statsText(stats []data.Stat) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, st := range stats {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(data.PyRepr(st.Name))
		b.WriteString(": ")
		b.WriteString(data.PyRepr(st.Value))
	}
	b.WriteByte('}')
	return b.String()
}

// The project's renderings of str(index) and str(series). They keep pandas' structure —
// the class name, the items, dtype and freq of an index; one "label value" line per row
// and the dtype footer of a series; pandas' truncation of long ones — but not its
// layout: an index is one line (pandas wraps at 80 characters), values are Python's
// str() of each (pandas formats a float column with one common precision), labels are
// left-aligned and values right-aligned in columns separated by four spaces.
const (
	indexItemsMax = 100 // pandas' display.max_seq_items: longer indexes show 10 … 10
	seriesRowsMax = 60  // pandas' display.max_rows: longer series show 5 … 5 rows
)

// indexText renders str(index): DatetimeIndex(['2020-01-01 00:00:00+00:00', …],
// dtype='datetime64[ns, UTC]', freq=None), Index([1, 2], dtype='int64'),
// Index(['a', 'b'], dtype='object'); more than 100 labels show the first and last 10 and
// ", length=N".
func indexText(c data.Column) string {
	n := c.Len()
	item := func(i int) string {
		switch c.DType {
		case data.Datetime, data.Timedeltas:
			return data.PyRepr(data.PyStr(c.At(i)))
		}
		return data.PyRepr(c.At(i))
	}
	var items []string
	if n > indexItemsMax {
		for i := 0; i < 10; i++ {
			items = append(items, item(i))
		}
		items = append(items, "...")
		for i := n - 10; i < n; i++ {
			items = append(items, item(i))
		}
	} else {
		for i := 0; i < n; i++ {
			items = append(items, item(i))
		}
	}
	class, tail := "Index", ""
	switch c.DType {
	case data.Datetime:
		class, tail = "DatetimeIndex", ", freq=None"
	case data.Timedeltas:
		class, tail = "TimedeltaIndex", ", freq=None"
	}
	length := ""
	if n > indexItemsMax {
		length = ", length=" + strconv.Itoa(n)
	}
	return class + "([" + strings.Join(items, ", ") + "], dtype='" + c.PandasDType() + "'" + length + tail + ")"
}

// seriesText renders str(series): one line per row, label and value, then the footer
// "Name: x, dtype: float64" ("Length: N" added when more than 60 rows show only the first
// and last 5); an empty series is "Series([], dtype: float64)". Missing values print as
// NaN (NaT for times, None for objects), as pandas prints them.
func seriesText(s *data.Series) string {
	n := s.Len()
	footer := "dtype: " + s.Values.PandasDType()
	if s.Name != nil {
		footer = "Name: " + data.PyStr(s.Name) + ", " + footer
	}
	if n == 0 {
		return "Series([], " + footer + ")"
	}
	rows := make([]int, 0, n)
	if n > seriesRowsMax {
		for i := 0; i < 5; i++ {
			rows = append(rows, i)
		}
		rows = append(rows, -1)
		for i := n - 5; i < n; i++ {
			rows = append(rows, i)
		}
		footer = strings.Replace(footer, "dtype: ", "Length: "+strconv.Itoa(n)+", dtype: ", 1)
	} else {
		for i := 0; i < n; i++ {
			rows = append(rows, i)
		}
	}
	value := func(i int) string {
		if s.Values.IsNA(i) {
			switch s.Values.DType {
			case data.Float64:
				return "NaN"
			case data.Datetime, data.Timedeltas:
				return "NaT"
			}
			if s.Values.At(i) == nil {
				return "None"
			}
			return "NaN"
		}
		return data.PyStr(s.Values.At(i))
	}
	labels, vals := make([]string, len(rows)), make([]string, len(rows))
	lw, vw := 0, 0
	for k, i := range rows {
		if i < 0 {
			labels[k], vals[k] = "...", ""
		} else {
			labels[k], vals[k] = data.PyStr(s.Index.At(i)), value(i)
		}
		lw, vw = max(lw, utf8.RuneCountInString(labels[k])), max(vw, utf8.RuneCountInString(vals[k]))
	}
	var b strings.Builder
	for k := range rows {
		b.WriteString(labels[k])
		b.WriteString(strings.Repeat(" ", lw-utf8.RuneCountInString(labels[k])+4+vw-utf8.RuneCountInString(vals[k])))
		b.WriteString(vals[k])
		b.WriteByte('\n')
	}
	b.WriteString(footer)
	return b.String()
}

// testTodo lists the category's revisions not ported yet.
var testTodo = []*component.Meta{}
