package library

import (
	"context"
	"fmt"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var indexOperations = []component.Spec{
	{Meta: metaRestrictToCommonIndex, Run: restrictToCommonIndex, Description: "Both inputs restricted to the labels their indexes have in common"},
	{Meta: metaSortByIndex, Run: sortByIndex, Description: "A Series or DataFrame sorted by its index"},
	{Meta: metaTimeshiftedValueTable, Run: timeshiftedValueTable, Description: "A DataFrame of the series shifted in time by 1..n multiples of a frequency, one column each"},
}

// restrictToCommonIndex is `common = data_1.index.intersection(data_2.index)` (the
// distinct labels of data_1's index, in its order, that data_2's has; data.Intersection)
// and data_1.loc[common], data_2.loc[common]: every row of each input whose label is
// common, grouped by label in common's order (a duplicated label selects all its rows,
// so the two results may differ in length), each keeping its own labels. Indexes that
// cannot share labels (naive against aware timestamps) give two empty results. Values
// that are no pandas object fail as Python does (a dict has no .index, a list's .index
// is a method without .intersection).
func restrictToCommonIndex(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	d1, d2 := r.Any("data_1"), r.Any("data_2")
	if err := r.Err(); err != nil {
		return nil, err
	}
	i1, err := pandasIndex(d1, "intersection")
	if err != nil {
		return nil, err
	}
	var i2 data.Column
	switch x := d2.(type) {
	case *data.Series:
		i2 = x.Index
	case *data.DataFrame:
		i2 = x.Index
	default:
		if hasIndexMethod(d2) {
			return nil, component.TypeError("Input must be Index or array-like")
		}
		return nil, component.AttributeError(d2, "index")
	}
	common, err := data.Intersection(i1, i2)
	if err != nil {
		return nil, err
	}
	p1, err := data.LocIndexer(ctx, i1, common)
	if err != nil {
		return nil, err
	}
	p2, err := data.LocIndexer(ctx, i2, common)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"data_1_restricted": takeRows(d1, p1), "data_2_restricted": takeRows(d2, p2)}, nil
}

// sortByIndex is sort_index(): rows in ascending label order, missing labels last; the
// sort is stable (pandas' quicksort is not, so rows with equal labels may come in
// another order there). Labels Python cannot order (strings with numbers) are numpy's
// TypeError; values that are no pandas object have no sort_index (AttributeError).
func sortByIndex(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	d := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch x := d.(type) {
	case *data.Series:
		if err := x.Index.OrderError(); err != nil {
			return nil, err
		}
		return component.Outputs{"data": x.SortIndex()}, nil
	case *data.DataFrame:
		if err := x.Index.OrderError(); err != nil {
			return nil, err
		}
		return component.Outputs{"data": x.SortIndex()}, nil
	}
	return nil, component.AttributeError(d, "sort_index")
}

// timeshiftedMaxCells bounds the table Timeshifted Value Table builds (|periods| columns
// of the series' length): pandas would build whatever periods asks for.
const timeshiftedMaxCells = 100_000_000

// timeshiftedValueTable is hetida's past_values: starting from an empty DataFrame, for
// k = 1 … |periods| (k negative for negative periods) the column
// "shifted_<k>_times_<freq>" is series.shift(periods=k, freq=freq) — the values with
// their labels moved by k·freq (data.ShiftDatetimes: calendar offsets on the wall
// clock) — assigned as df[name] = … (data.DataFrame.WithColumn): the first column
// brings its index (labels + 1·freq, or − 1·freq), later ones are matched to it (NaN
// where they lack a label; duplicate labels are pandas' ValueError). periods 0 gives an
// empty DataFrame (freq is not even parsed). An invalid freq is pandas' ValueError
// "Invalid frequency: …"; an index that is neither datetimes nor timedeltas is pandas'
// NotImplementedError. More than 10⁸ cells is a MemoryError.
func timeshiftedValueTable(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("timeseries")
	freq := r.String("freq")
	periods := r.Int("periods")
	if err := r.Err(); err != nil {
		return nil, err
	}
	sign := int64(1)
	if periods < 0 {
		sign = -1
	}
	count := sign * periods
	df := data.NewDataFrame(data.Range(0), []any{}, []data.Column{})
	if count == 0 {
		return component.Outputs{"timeshifted_values": df}, nil
	}
	off, err := data.ParseOffset(freq)
	if err != nil {
		return nil, component.ValueError("%v", err)
	}
	switch s.Index.DType {
	case data.Datetime:
	case data.Timedeltas:
		if _, err := off.Nanos(); err != nil {
			return nil, component.ValueError("%v", err)
		}
	default:
		return nil, component.NotImplementedError("This method is only implemented for DatetimeIndex, PeriodIndex and TimedeltaIndex; Got type %s", s.Index.IndexTypeName())
	}
	if count < 0 || count > timeshiftedMaxCells/int64(max(s.Len(), 1)) {
		return nil, &component.Error{Type: "MemoryError", Message: fmt.Sprintf("a table of %d shifted columns of %d rows is more than the limit of %d cells", count, s.Len(), timeshiftedMaxCells)}
	}
	for k := int64(1); k <= count; k++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		shiftNo := sign * k
		idx, err := shiftIndex(ctx, s.Index, off, shiftNo)
		if err != nil {
			return nil, err
		}
		shifted := s.Copy()
		shifted.Index = idx
		name := fmt.Sprintf("shifted_%d_times_%s", shiftNo, freq)
		if df, err = df.WithColumn(name, shifted); err != nil {
			return nil, err
		}
	}
	return component.Outputs{"timeshifted_values": df}, nil
}

// shiftIndex moves every label by n·off: datetimes as DatetimeIndex.shift, timedeltas
// by the offset's fixed length (NaT stays NaT).
func shiftIndex(ctx context.Context, c data.Column, off data.Offset, n int64) (data.Column, error) {
	if c.DType == data.Datetime {
		return data.ShiftDatetimes(ctx, c, off, n)
	}
	nanos, err := off.Nanos()
	if err != nil {
		return data.Column{}, component.ValueError("%v", err)
	}
	out := make([]int64, len(c.I))
	for i, v := range c.I {
		if err := cancelled(ctx, i); err != nil {
			return data.Column{}, err
		}
		if v == data.NaT {
			out[i] = data.NaT
			continue
		}
		out[i] = v + n*nanos
	}
	return data.TimedeltaCol(out), nil
}

// indexOperationsTodo lists the category's revisions not ported yet.
var indexOperationsTodo = []*component.Meta{}
