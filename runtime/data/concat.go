package data

import (
	"context"
	"math"
)

// ConcatFrames is pd.concat(frames, ignore_index=True): the rows of every frame one after
// the other on a fresh 0..n-1 index. The columns are the union of all frames' columns in
// order of first appearance (pandas' sort=False); a frame without one of them contributes
// missing values there. Per column the parts take a common dtype (concatDType); attrs
// are kept when every frame has the same, as pandas 1.5 and 2.1 do.
func ConcatFrames(ctx context.Context, frames ...*DataFrame) (*DataFrame, error) {
	var names []any
	for _, f := range frames {
		for _, n := range f.Names {
			found := false
			for _, m := range names {
				if labelEqual(m, n) {
					found = true
					break
				}
			}
			if !found {
				names = append(names, n)
			}
		}
	}
	total := 0
	for _, f := range frames {
		total += f.Len()
	}
	cols := make([]Column, len(names))
	for k, name := range names {
		parts := make([]Column, len(frames))
		present := make([]bool, len(frames))
		for i, f := range frames {
			parts[i], present[i] = f.Col(name)
		}
		c, err := concatParts(ctx, parts, present, frames)
		if err != nil {
			return nil, err
		}
		cols[k] = c
	}
	out := &DataFrame{Index: Range(total), Names: names, Columns: cols}
	if len(frames) > 0 {
		same := true
		for _, f := range frames[1:] {
			if !pyEqual(concatAttrs(f.Attrs), concatAttrs(frames[0].Attrs)) {
				same = false
			}
		}
		if same {
			out.Attrs = frames[0].Attrs
		}
	}
	return out, nil
}

// ConcatAttrs is the attrs pd.concat gives its result: those of the first object when
// every object's attrs equal them (missing attrs count as {}), else none.
func ConcatAttrs(attrs ...*Dict) *Dict {
	for _, a := range attrs[1:] {
		if !pyEqual(concatAttrs(a), concatAttrs(attrs[0])) {
			return nil
		}
	}
	return attrs[0]
}

func concatAttrs(d *Dict) *Dict {
	if d == nil {
		return NewDict(0)
	}
	return d
}

// concatDType is the dtype pd.concat gives a column from parts of these dtypes, as
// pandas 2.1 decides it: parts without rows do not count (unless all are empty); equal
// dtypes stay (datetimes of one zone); aware datetimes of different zones become UTC;
// int64 with float64 becomes float64; anything else (bool with numbers, naive with aware
// datetimes, strings) object. A column some frame lacks (missing) must hold missing
// values: int64 becomes float64, bool object. pandas 1.5 counted empty parts and kept
// different zones as object; no reference case depends on either.
func concatDType(parts []Column, missing bool) (DType, Zone) {
	var use []Column
	for _, p := range parts {
		if p.Len() > 0 {
			use = append(use, p)
		}
	}
	if len(use) == 0 {
		use = parts
	}
	if len(use) == 0 {
		return Float64, Zone{}
	}
	dt, zone := use[0].DType, use[0].Zone
	for _, p := range use[1:] {
		switch {
		case p.DType == dt && (dt != Datetime || p.Zone == zone):
		case p.DType == Datetime && dt == Datetime && p.Zone.Aware && zone.Aware:
			zone = UTC
		case (p.DType == Int64 || p.DType == Float64) && (dt == Int64 || dt == Float64):
			dt = Float64
		default:
			return Object, Zone{}
		}
	}
	if missing {
		switch dt {
		case Int64:
			dt = Float64
		case Bool:
			dt = Object
		}
	}
	return dt, zone
}

// concatParts stacks one column's parts; a part that is absent contributes as many
// missing values as its frame has rows.
func concatParts(ctx context.Context, parts []Column, present []bool, frames []*DataFrame) (Column, error) {
	var have []Column
	missing := false
	for i, p := range parts {
		if present[i] {
			have = append(have, p)
		} else if frames[i].Len() > 0 {
			missing = true
		}
	}
	dt, zone := concatDType(have, missing)
	out := Column{DType: dt, Zone: zone}
	for i, p := range parts {
		n := frames[i].Len()
		if !present[i] {
			out = concatMissing(out, n)
			continue
		}
		if dt == Float64 {
			p = p.AsFloat64()
		}
		for j := range n {
			if j%CheckEvery == CheckEvery-1 {
				if err := ctx.Err(); err != nil {
					return Column{}, err
				}
			}
			switch dt {
			case Float64:
				out.F = append(out.F, p.F[j])
			case Int64, Datetime, Timedeltas:
				out.I = append(out.I, p.I[j]) // aware zones all hold UTC nanoseconds
			case Bool:
				out.B = append(out.B, p.B[j])
			default:
				var v any
				if !p.IsNA(j) {
					v = p.At(j)
				}
				out.O = append(out.O, v)
			}
		}
	}
	return out, nil
}

// ConcatColumns is the values of pd.concat of Series holding these columns, in order, in
// their common dtype (concatDType; empty columns do not take part in choosing it).
func ConcatColumns(cols ...Column) Column {
	dt, zone := concatDType(cols, false)
	n := 0
	for _, c := range cols {
		n += c.Len()
	}
	out := Column{DType: dt, Zone: zone}
	switch dt {
	case Float64:
		out.F = make([]float64, 0, n)
		for _, c := range cols {
			out.F = append(out.F, c.AsFloat64().F...)
		}
	case Int64, Datetime, Timedeltas:
		out.I = make([]int64, 0, n)
		for _, c := range cols {
			out.I = append(out.I, c.I...) // aware zones all hold UTC nanoseconds
		}
	case Bool:
		out.B = make([]bool, 0, n)
		for _, c := range cols {
			out.B = append(out.B, c.B...)
		}
	default:
		out.O = make([]any, 0, n)
		for _, c := range cols {
			out.O = append(out.O, c.AsObject().O...)
		}
	}
	return out
}

func concatMissing(c Column, n int) Column {
	for range n {
		switch c.DType {
		case Float64:
			c.F = append(c.F, math.NaN())
		case Datetime, Timedeltas:
			c.I = append(c.I, NaT)
		default:
			c.O = append(c.O, nil)
		}
	}
	return c
}
