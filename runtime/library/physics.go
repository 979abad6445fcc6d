package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var physics = []component.Spec{
	{Meta: metaTimeToLength, Run: timeToLength,
		Description: "Re-labels a time series by the length travelled at a constant speed or along a speed series"},
}

// timeToLength turns a time series into a series over travelled length: the values stay,
// in timestamp order, and each one is labelled with the length reached at its timestamp.
//
// data's index goes through to_datetime (a failure → TypeError "indices of data must be
// datetime"; a numeric index counts as nanoseconds since the epoch). With a scalar speed
// (int, float or bool, as the reference's isinstance check) data is sorted and the
// length is speed · seconds since the first timestamp. Otherwise speed must be a Series:
// its index is converted the same way ("indices of speed must be datetime") and sorted,
// the length is scipy's cumulative trapezoid of speed over the seconds since speed's
// first timestamp (starting at 0), and only the timestamps both series have are kept
// (Index.intersection in speed's order; a repeated timestamp is pandas' reindex
// ValueError). The result is unnamed, its index float64.
//
// Values that are not pandas objects fail as the reference's attribute accesses do: a
// dict has copy() but no index (AttributeError), a list's index is a method that
// to_datetime rejects (the component's TypeError), other values have no copy(). A
// DataFrame has 2-D values, which pd.Series refuses (ValueError "Data must be
// 1-dimensional"); as speed, scipy refuses it.
func timeToLength(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v, speed := r.Any("data"), r.Any("speed")
	if err := r.Err(); err != nil {
		return nil, err
	}
	idx, err := datetimeIndexOf(v, "data")
	if err != nil {
		return nil, err
	}
	var values data.Column
	var length []float64
	switch sp := speed.(type) {
	case int64, float64, bool:
		sorted := pandasWithIndex(v, idx)
		if !idx.IsMonotonicIncreasing() {
			sorted = sorted.take(idx.ArgSort())
		}
		secs, err := data.SecondsSinceFirst(sorted.index())
		if err != nil {
			return nil, err
		}
		k, _ := data.ToFloat(sp)
		length = make([]float64, len(secs))
		for i, t := range secs {
			if err := cancelled(ctx, i); err != nil {
				return nil, err
			}
			length[i] = k * t
		}
		if values, err = sorted.values(); err != nil {
			return nil, err
		}
	default:
		sidx, err := datetimeIndexOf(speed, "speed")
		if err != nil {
			return nil, err
		}
		sp2, ok := speed.(*data.Series)
		if !ok {
			return nil, component.ValueError("If given, length of x along axis must be the same as y.")
		}
		s := sp2.Copy()
		s.Index = sidx
		s = s.SortIndex()
		secs, err := data.SecondsSinceFirst(s.Index)
		if err != nil {
			return nil, err
		}
		cum, err := data.CumTrapezoid(ctx, s.Values, data.Floats(secs))
		if err != nil {
			return nil, err
		}
		common, err := data.Intersection(s.Index, idx)
		if err != nil {
			return nil, err
		}
		lengths, err := data.FloatSeries(nil, s.Index, cum).Reindex(common, nil)
		if err != nil {
			return nil, err
		}
		picked, err := pandasWithIndex(v, idx).reindex(common)
		if err != nil {
			return nil, err
		}
		if values, err = picked.values(); err != nil {
			return nil, err
		}
		length = lengths.Values.AsFloat64().F
	}
	return component.Outputs{"result": data.NewSeries(nil, data.Floats(length), values)}, nil
}

// datetimeIndexOf is `pd.to_datetime(x.copy().index)` of the reference for input name.
func datetimeIndexOf(v any, name string) (data.Column, error) {
	var idx data.Column
	switch x := v.(type) {
	case *data.Series:
		idx = x.Index
	case *data.DataFrame:
		idx = x.Index
	case *data.Dict:
		return data.Column{}, component.AttributeError(v, "index")
	case []any:
		return data.Column{}, component.TypeError("indices of %s must be datetime", name)
	default:
		return data.Column{}, component.AttributeError(v, "copy")
	}
	c, err := toDatetimeIndex(idx, true, "indices of "+name+" must be datetime")
	if err != nil {
		return data.Column{}, err
	}
	return c, nil
}

// pandasObject is a Series or a DataFrame with a replaced index.
type pandasObject struct {
	s *data.Series
	f *data.DataFrame
}

func pandasWithIndex(v any, idx data.Column) pandasObject {
	if s, ok := v.(*data.Series); ok {
		c := s.Copy()
		c.Index = idx
		return pandasObject{s: c}
	}
	f := *v.(*data.DataFrame)
	f.Index = idx
	return pandasObject{f: &f}
}

func (p pandasObject) index() data.Column {
	if p.s != nil {
		return p.s.Index
	}
	return p.f.Index
}

func (p pandasObject) take(pos []int) pandasObject {
	if p.s != nil {
		return pandasObject{s: p.s.Take(pos)}
	}
	return pandasObject{f: p.f.Take(pos)}
}

func (p pandasObject) reindex(idx data.Column) (pandasObject, error) {
	if p.s != nil {
		s, err := p.s.Reindex(idx, nil)
		return pandasObject{s: s}, err
	}
	f, err := p.f.Reindex(idx, nil)
	return pandasObject{f: f}, err
}

// values is .values as pd.Series takes it: a DataFrame's are 2-D (pandas' ValueError);
// aware timestamps become numpy's naive UTC datetime64.
func (p pandasObject) values() (data.Column, error) {
	if p.f != nil {
		return data.Column{}, component.ValueError("Data must be 1-dimensional, got ndarray of shape (%d, %d) instead", p.f.Len(), len(p.f.Columns))
	}
	c := p.s.Values
	if c.DType == data.Datetime {
		c.Zone = data.Naive
	}
	return c, nil
}

// physicsTodo lists the category's revisions not ported yet.
var physicsTodo = []*component.Meta{}
