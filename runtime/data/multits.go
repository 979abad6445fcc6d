package data

import (
	"context"
	"math"
)

// InferColumn types a list of boxed Python values as pandas' Series(list) does: only
// ints → int64; numbers with floats or missing values → float64 (None becomes NaN); only
// bools → bool; timestamps of one zone → datetime (missing → NaT); timedeltas →
// timedelta; anything else (strings, mixes, bools with missing values) → object.
func InferColumn(v []any) Column {
	if len(v) == 0 {
		return Objects([]any{})
	}
	var ints, floats, bools, nas, ts, td, other int
	var zone Zone
	for _, e := range v {
		switch x := normInt(e).(type) {
		case nil:
			nas++
		case int64:
			ints++
		case float64:
			if x != x {
				nas++
			} else {
				floats++
			}
		case bool:
			bools++
		case Timestamp:
			if x.NS == NaT {
				nas++
				continue
			}
			if ts > 0 && x.Zone != zone {
				other++
			}
			zone = x.Zone
			ts++
		case Timedelta:
			if x.NS == NaT {
				nas++
				continue
			}
			td++
		default:
			other++
		}
	}
	n := len(v)
	switch {
	case ints == n:
		out := make([]int64, n)
		for i, e := range v {
			out[i], _ = pyInt(e)
		}
		return Ints(out)
	case bools == n:
		out := make([]bool, n)
		for i, e := range v {
			out[i] = e.(bool)
		}
		return Bools(out)
	case ints+floats+nas == n && ints+floats > 0:
		out := make([]float64, n)
		for i, e := range v {
			f, ok := ToFloat(normInt(e))
			if !ok {
				f = math.NaN()
			}
			out[i] = f
		}
		return Floats(out)
	case ts+nas == n && ts > 0 && other == 0:
		out := make([]int64, n)
		for i, e := range v {
			out[i] = NaT
			if t, ok := e.(Timestamp); ok {
				out[i] = t.NS
			}
		}
		return Datetimes(out, zone)
	case td+nas == n && td > 0:
		out := make([]int64, n)
		for i, e := range v {
			out[i] = NaT
			if d, ok := e.(Timedelta); ok {
				out[i] = d.NS
			}
		}
		return TimedeltaCol(out)
	}
	out := make([]any, n)
	for i, e := range v {
		if !IsNA(e) {
			out[i] = normInt(e)
		}
	}
	return Objects(out)
}

// Pivot turns a MULTITSFRAME (long format: timestamp, metric, value …, as
// wire.ValidateMultiTSFrame leaves it: metric strings, UTC timestamps sorted) into a
// wide DataFrame as hetida's "Convert MultiTSFrame to DataFrame" builds it: one column
// per metric in order of first appearance, holding that metric's values (typed as
// pandas types a Python list: ints stay int64) indexed by its timestamps; the columns
// are combined on the union of all metrics' timestamps (Union: sorted), missing values
// NaN. Only the value column is used. A metric with duplicate timestamps fails with
// ValueError "cannot reindex on an axis with duplicate labels" unless its timestamps
// are the union itself. A frame without rows gives an empty frame.
func Pivot(ctx context.Context, f *DataFrame) (*DataFrame, error) {
	mi, ti, vi := f.ColIndex("metric"), f.ColIndex("timestamp"), f.ColIndex("value")
	if mi < 0 {
		return nil, AttributeError(f, "metric")
	}
	if ti < 0 {
		return nil, AttributeError(f, "timestamp")
	}
	if vi < 0 {
		return nil, KeyError("value")
	}
	if f.Len() == 0 {
		return &DataFrame{Index: Range(0), Names: []any{}, Columns: []Column{}, Attrs: nil}, nil
	}
	metric, ts, val := f.Columns[mi], f.Columns[ti], f.Columns[vi]
	mk := keys(metric)
	rows := positions(mk)
	var names []any
	var series []*Series
	seen := make(map[lkey]bool)
	for i, k := range mk {
		if i%CheckEvery == CheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		pos := rows.all(k)
		boxed := make([]any, len(pos))
		for j, p := range pos {
			boxed[j] = val.At(p)
		}
		names = append(names, metric.At(i))
		series = append(series, &Series{Index: ts.Take(pos), Values: InferColumn(boxed)})
	}
	index := series[0].Index
	for _, s := range series[1:] {
		u, err := Union(index, s.Index)
		if err != nil {
			return nil, err
		}
		index = u
	}
	cols := make([]Column, len(series))
	for k, s := range series {
		r, err := s.Reindex(index, nil)
		if err != nil {
			return nil, err
		}
		cols[k] = r.Values
	}
	return &DataFrame{Index: index, Names: names, Columns: cols}, nil
}

// Unpivot turns a wide DataFrame into a MULTITSFRAME as hetida's "Convert DataFrame to
// MultiTSFrame" does: a "timestamp" column, if there is one, is used as the index; then
// one row per (index entry, column) in row-major order with columns timestamp (the
// index entry), metric (the column label) and value (the cell, NaN kept; the values of
// all columns typed together like a Python list, see InferColumn), on a fresh 0..n-1
// index. The result still has to pass wire.ValidateMultiTSFrame (UTC timestamps).
func Unpivot(ctx context.Context, f *DataFrame) (*DataFrame, error) {
	index, names, cols := f.Index, f.Names, f.Columns
	if ti := f.ColIndex("timestamp"); ti >= 0 {
		index = cols[ti]
		names = append(append([]any(nil), names[:ti]...), names[ti+1:]...)
		cols = append(append([]Column(nil), cols[:ti]...), cols[ti+1:]...)
	}
	nrows, ncols := index.Len(), len(cols)
	n := nrows * ncols
	rep := make([]int, n)
	metric := make([]any, n)
	boxed := make([]any, n)
	for i := 0; i < nrows; i++ {
		if i%CheckEvery == CheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for k, c := range cols {
			p := i*ncols + k
			rep[p] = i
			metric[p] = names[k]
			boxed[p] = c.At(i)
		}
	}
	return &DataFrame{
		Index:   Range(n),
		Names:   []any{"timestamp", "metric", "value"},
		Columns: []Column{index.Take(rep), Objects(metric), InferColumn(boxed)},
		Attrs:   f.Attrs,
	}, nil
}
