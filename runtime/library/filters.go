package library

import (
	"context"
	"math"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var filters = []component.Spec{
	{Meta: metaCorrectTimeIntervalsWithFixedValues, Run: correctTimeIntervals, Description: "Replaces the values inside each given time interval by that interval's fixed value"},
	{Meta: metaCutValuesAboveLimit, Run: cutValuesAboveLimit, Description: "Keeps the values at or below a limit (a DataFrame keeps its shape, other cells become NaN)"},
	{Meta: metaCutValuesBelowLimit, Run: cutValuesBelowLimit, Description: "Keeps the values at or above a limit (a DataFrame keeps its shape, other cells become NaN)"},
	{Meta: metaDropNaNValues, Run: dropNaNValues, Description: "Removes missing values, or the DataFrame rows holding any"},
	{Meta: metaDropDuplicates, Run: dropDuplicates, Description: "Removes repeated values (or rows), keeping the first occurrence; labels are not compared"},
	{Meta: metaEvalExpressionOnDataFrame, Run: evalExpressionOnDataFrame, Description: "Evaluates an arithmetic/comparison/logical expression over a DataFrame's columns",
		Loose: []string{"result_series"}},
	{Meta: metaEvalExpressionOnSeries, Run: evalExpressionOnSeries, Description: "Evaluates an arithmetic/comparison/logical expression over a series named x",
		Loose: []string{"result_series"}},
	{Meta: metaHighpassFilter, Run: highpassFilter, Description: "First-order Butterworth high-pass filter, run causally over the values"},
	{Meta: metaLowpassFilter, Run: lowpassFilter, Description: "First-order Butterworth low-pass filter, run causally over the values"},
	{Meta: metaMAVGOutlierFilter, Run: mavgOutlierFilter, Description: "Keeps the points strictly inside a trailing time window's mean ± factor·std band"},
	{Meta: metaMAVGSmoothing, Run: mavgSmoothing, Description: "Trailing time-window mean of a series or of each DataFrame column"},
	{Meta: metaMovingWindowMADBandFilter, Run: movingWindowMADBandFilter, Description: "Flags outliers against a centred time window's median ± scaled median absolute deviation"},
	{Meta: metaReduceDataSetByLeavingOutValues, Run: reduceDataSet, Description: "Keeps every k-th row so that about the wanted number of points remain"},
	{Meta: metaSelectTimeIntervals, Run: selectTimeIntervals, Description: "Marks the timestamps that lie in any of the given time intervals"},
}

// cutValuesAboveLimit is ts_or_frame[ts_or_frame <= limit]: a Series keeps only the
// values at or below the limit (NaN compares False and is dropped, labels and order
// kept); a DataFrame indexed with the boolean frame is masked instead — same shape, the
// cells above the limit or missing become NaN (see maskFrame). Any other value fails as
// the Python expression does.
func cutValuesAboveLimit(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return cutValues(ctx, in, data.CmpLe)
}

// cutValuesBelowLimit is ts_or_frame[ts_or_frame >= limit], the mirror image of Cut
// Values Above Limit.
func cutValuesBelowLimit(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	return cutValues(ctx, in, data.CmpGe)
}

func cutValues(ctx context.Context, in component.Inputs, op data.CmpOp) (component.Outputs, error) {
	r := in.Read()
	limit := r.Float("limit")
	v := r.Any("ts_or_frame")
	if err := r.Err(); err != nil {
		return nil, err
	}
	mask, err := data.CompareOp(ctx, op, v, limit)
	if err != nil {
		return nil, err
	}
	switch m := mask.(type) {
	case *data.Series:
		return component.Outputs{"ts_or_frame": v.(*data.Series).Take(data.TruePositions(m.Values.B))}, nil
	case *data.DataFrame:
		masks := make([][]bool, len(m.Columns))
		for k, c := range m.Columns {
			masks[k] = c.B
		}
		return component.Outputs{"ts_or_frame": maskFrame(v.(*data.DataFrame), masks)}, nil
	}
	// a Python number compared fine; subscripting it with the boolean result does not
	return nil, component.TypeError("'%s' object is not subscriptable", component.PyTypeName(v))
}

// maskFrame is pandas' frame[bool_frame] (frame.where(mask)): same index and columns, a
// cell whose mask is false becomes missing. A column whose mask is all true is kept as
// it is (dtype included); otherwise int64 becomes float64 and bool becomes object, as
// pandas upcasts to hold NaN. Attrs are kept.
func maskFrame(f *data.DataFrame, masks [][]bool) *data.DataFrame {
	cols := make([]data.Column, len(f.Columns))
	for k, c := range f.Columns {
		m := masks[k]
		pos := make([]int, len(m))
		all := true
		for i, keep := range m {
			if keep {
				pos[i] = i
			} else {
				pos[i], all = -1, false
			}
		}
		if all {
			cols[k] = c
			continue
		}
		cols[k] = c.Take(pos)
	}
	return &data.DataFrame{Index: f.Index, Names: f.Names, Columns: cols, Attrs: f.Attrs}
}

// dropNaNValues is data.dropna(): a Series without its missing values (NaN, None, NaT), a
// DataFrame without every row holding a missing value in any column; labels and order
// kept. Other values have no dropna (AttributeError).
func dropNaNValues(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case *data.Series:
		s, err := x.Dropna(ctx)
		if err != nil {
			return nil, err
		}
		return component.Outputs{"data": s}, nil
	case *data.DataFrame:
		f, err := x.Dropna(ctx, "any", nil)
		if err != nil {
			return nil, err
		}
		return component.Outputs{"data": f}, nil
	}
	return nil, component.AttributeError(v, "dropna")
}

// dropDuplicates is data.drop_duplicates(): the first occurrence of every value (Series)
// or of every whole row (DataFrame) is kept, later repeats removed; the index is not
// compared (two timestamps with one value keep only the first) and missing values equal
// each other. Other values have no drop_duplicates (AttributeError).
func dropDuplicates(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case *data.Series:
		s, err := x.DropDuplicates(ctx, data.KeepFirst)
		if err != nil {
			return nil, err
		}
		return component.Outputs{"data": s}, nil
	case *data.DataFrame:
		f, err := x.DropDuplicates(ctx, nil, data.KeepFirst)
		if err != nil {
			return nil, err
		}
		return component.Outputs{"data": f}, nil
	}
	return nil, component.AttributeError(v, "drop_duplicates")
}

// reduceDataSet is hetida's reduce_data: when len(data) ≥ number_of_points ≥ 2 it returns
// data.iloc[::k], every k-th row from the first, k = round((len−1)/(number_of_points−1))
// with Python's round (half to even), so the result can hold more points than asked and
// need not include the last row; otherwise all rows. Positional: nothing is sorted.
// len() works on strings, lists and dicts too, which then fail on .iloc as in Python;
// other values have no len().
func reduceDataSet(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("data")
	points := r.Int("number_of_points")
	if err := r.Err(); err != nil {
		return nil, err
	}
	var n int
	switch x := v.(type) {
	case *data.Series:
		n = x.Len()
	case *data.DataFrame:
		n = x.Len()
	case string:
		n = len([]rune(x))
	case []any:
		n = len(x)
	case *data.Dict:
		n = x.Len()
	default:
		return nil, component.TypeError("object of type '%s' has no len()", component.PyTypeName(v))
	}
	step := 1
	if int64(n) >= points && points >= 2 {
		step = int(math.RoundToEven(float64(n-1) / float64(points-1)))
	}
	pos := make([]int, 0, (n+step-1)/step)
	for i := 0; i < n; i += step {
		if err := cancelled(ctx, len(pos)); err != nil {
			return nil, err
		}
		pos = append(pos, i)
	}
	switch x := v.(type) {
	case *data.Series:
		if step == 1 {
			return component.Outputs{"data": x.Copy()}, nil
		}
		return component.Outputs{"data": x.Take(pos)}, nil
	case *data.DataFrame:
		if step == 1 {
			c := *x
			return component.Outputs{"data": &c}, nil
		}
		return component.Outputs{"data": x.Take(pos)}, nil
	}
	return nil, component.AttributeError(v, "iloc")
}

// filtersTodo lists the category's revisions not ported yet.
var filtersTodo = []*component.Meta{}
