package library

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var connectors = []component.Spec{
	{Meta: metaPassThrough, Run: identity, Description: "Returns its input unchanged"},
	{Meta: metaPassThroughBoolean, Run: identity, Description: "Returns its boolean input unchanged"},
	{Meta: metaPassThroughDataFrame, Run: identity, Description: "Returns its DataFrame input unchanged"},
	{Meta: metaPassThroughFloat, Run: identity, Description: "Returns its float input unchanged"},
	{Meta: metaPassThroughInteger, Run: identity, Description: "Returns its integer input unchanged"},
	{Meta: metaPassThroughMultiTSFrame, Run: identity, Description: "Returns its MultiTSFrame input unchanged"},
	{Meta: metaPassThroughSeries, Run: identity, Description: "Returns its Series input unchanged"},
	{Meta: metaPassThroughString, Run: identity, Description: "Returns its string input unchanged"},
	{Meta: metaNameSeries, Run: nameSeries, Description: "The same series under a new name"},
	{Meta: metaForget, Run: forget, Description: "Takes any value and returns nothing: ends a dangling output"},
	{Meta: metaWrapKerasModelWithCustomClasses, Run: needsKeras,
		Description: "Wraps a Keras model with its custom classes (needs TensorFlow: not supported)"},
	{Meta: metaAddUpdateAttributesDataFrame, Run: addUpdateAttributes("dataframe"), Description: "The DataFrame with entries added to (or replaced in) its attributes"},
	{Meta: metaAddUpdateAttributesMultiTSFrame, Run: addUpdateAttributes("multitsframe"), Description: "The MultiTSFrame with entries added to (or replaced in) its attributes"},
	{Meta: metaAddUpdateAttributesSeries, Run: addUpdateAttributes("series"), Description: "The Series with entries added to (or replaced in) its attributes"},
	{Meta: metaExtractAttributesDataFrame, Run: extractAttributes("dataframe"), Description: "The attributes (metadata) of a DataFrame"},
	{Meta: metaExtractAttributesMultiTSFrame, Run: extractAttributes("multitsframe"), Description: "The attributes (metadata) of a MultiTSFrame"},
	{Meta: metaExtractAttributesSeries, Run: extractAttributes("series"), Description: "The attributes (metadata) of a Series"},
	{Meta: metaAddUpdateValueInDictionary, Run: addUpdateValueInDictionary, Description: "The dictionary with one key set to a value"},
	{Meta: metaCombineAsNamedColumnIntoDataFrame, Run: combineAsNamedColumn, Description: "A DataFrame with the series added (matched by label) as a column of the given name"},
	{Meta: metaCombineIntoDataFrame, Run: combineIntoDataFrame, Description: "A DataFrame with the series added (matched by label) under its name or a free one"},
	{Meta: metaConvertSeriesToDataFrame, Run: convertSeriesToDataFrame, Description: "The series as a one-column DataFrame"},
	{Meta: metaDataFrameToSeries, Run: dataFrameToSeries, Loose: []string{"series"}, Description: "A one-column (or one-row) DataFrame as a Series; a 1×1 frame gives its value"},
	{Meta: metaMergeDataFramesOnSingleColumn, Run: mergeDataFrames, Description: "Two DataFrames joined on a key column (inner, left, right or outer)"},
	{Meta: metaAddTimeseriesToMultiTSFrame, Run: addTimeseriesToMultiTSFrame, Description: "The MultiTSFrame with the rows of a series appended under a metric name"},
	{Meta: metaConvertDataFrameToMultiTSFrame, Run: convertDataFrameToMultiTSFrame, Description: "A wide DataFrame (a column per metric) in long MultiTSFrame form"},
	{Meta: metaConvertMultiTSFrameToDataFrame, Run: convertMultiTSFrameToDataFrame, Description: "A MultiTSFrame in wide form: a column per metric over all timestamps"},
	{Meta: metaTimeseriesDataframe, Run: timeseriesDataframe, Description: "A long-format frame (timestamp, value, metric) with the rows of a series appended"},
}

// identity returns its input unchanged (the Pass Through family).
func identity(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("input")
	if err := r.Err(); err != nil {
		return nil, err
	}
	return component.Outputs{"output": v}, nil
}

// forget accepts its input and returns no outputs; the engine still runs every operator,
// so a Forget node forces its upstream operators to run.
func forget(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	r.Any("input")
	return component.Outputs{}, r.Err()
}

// nameSeries is `input.name = name`: the same values under a new name.
func nameSeries(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("input")
	name := r.Any("name")
	if err := r.Err(); err != nil {
		return nil, err
	}
	c := s.Copy()
	c.Name = name
	return component.Outputs{"output": c}, nil
}

// addUpdateAttributes is the Add/Update Attributes components: `obj.attrs.update(
// attributes)` on a copy, returned (hetida updates the caller's object in place). The
// attributes are taken as Python's dict.update takes them: a dict's members; a Series'
// labels and values (a DataFrame's column labels and columns); a list of key/value
// pairs (lists or two-character strings); anything else is update's error. Keys that are
// not strings are written as JSON writes them (1 → "1"); unhashable keys are TypeError.
func addUpdateAttributes(port string) component.RunFunc {
	return func(_ context.Context, in component.Inputs) (component.Outputs, error) {
		r := in.Read()
		var obj any
		if port == "series" {
			obj = r.Series(port)
		} else {
			obj = r.Frame(port)
		}
		attributes := r.Any("attributes")
		if err := r.Err(); err != nil {
			return nil, err
		}
		var attrs *data.Dict
		switch x := obj.(type) {
		case *data.Series:
			attrs = x.Attrs
		case *data.DataFrame:
			attrs = x.Attrs
		}
		attrs = attrs.Clone()
		if err := dictUpdate(attrs, attributes); err != nil {
			return nil, err
		}
		switch x := obj.(type) {
		case *data.Series:
			c := x.Copy()
			c.Attrs = attrs
			obj = c
		case *data.DataFrame:
			c := *x
			c.Attrs = attrs
			obj = &c
		}
		return component.Outputs{port: obj}, nil
	}
}

// dictUpdate is Python's d.update(other) (see addUpdateAttributes).
func dictUpdate(d *data.Dict, other any) error {
	set := func(k, v any) error {
		key, err := jsonKey(k)
		if err != nil {
			return err
		}
		d.Set(key, v)
		return nil
	}
	switch x := other.(type) {
	case *data.Dict:
		for i := 0; i < x.Len(); i++ {
			k, v := x.At(i)
			d.Set(k, v)
		}
		return nil
	case *data.Series:
		for i := 0; i < x.Len(); i++ {
			if err := set(x.Index.At(i), x.Values.At(i)); err != nil {
				return err
			}
		}
		return nil
	case *data.DataFrame:
		for i, n := range x.Names {
			if err := set(n, &data.Series{Name: n, Index: x.Index, Values: x.Columns[i], Attrs: x.Attrs}); err != nil {
				return err
			}
		}
		return nil
	case string:
		if x == "" {
			return nil
		}
		// every element is a one-character string
		return component.ValueError("dictionary update sequence element #0 has length 1; 2 is required")
	case []any:
		for i, e := range x {
			var pair []any
			switch y := e.(type) {
			case []any:
				pair = y
			case string:
				for _, c := range y {
					pair = append(pair, string(c))
				}
			case *data.Dict:
				for _, k := range y.Keys() {
					pair = append(pair, k)
				}
			default:
				return component.TypeError("cannot convert dictionary update sequence element #%d to a sequence", i)
			}
			if len(pair) != 2 {
				return component.ValueError("dictionary update sequence element #%d has length %d; 2 is required", i, len(pair))
			}
			if err := set(pair[0], pair[1]); err != nil {
				return err
			}
		}
		return nil
	}
	return data.NotIterable(other)
}

// jsonKey is the object key json.dumps writes for a dict key: strings as they are,
// numbers in their repr, True/False/None as true/false/null; unhashable keys are
// Python's TypeError, other keys json's.
func jsonKey(k any) (string, error) {
	switch x := k.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case nil:
		return "null", nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		switch {
		case math.IsNaN(x):
			return "NaN", nil
		case math.IsInf(x, 1):
			return "Infinity", nil
		case math.IsInf(x, -1):
			return "-Infinity", nil
		}
		return data.PyStr(x), nil
	case []any, *data.Dict, *data.Series, *data.DataFrame:
		return "", component.TypeError("unhashable type: '%s'", component.PyTypeName(k))
	}
	return "", component.TypeError("keys must be str, int, float, bool or None, not %s", component.PyTypeName(k))
}

// extractAttributes is the Extract Attributes components: the object's attrs (the
// __metadata__ of a wrapped input; {} when there is none), as a dict of its own.
func extractAttributes(port string) component.RunFunc {
	return func(_ context.Context, in component.Inputs) (component.Outputs, error) {
		r := in.Read()
		var attrs *data.Dict
		if port == "series" {
			attrs = r.Series(port).Attrs
		} else {
			attrs = r.Frame(port).Attrs
		}
		if err := r.Err(); err != nil {
			return nil, err
		}
		return component.Outputs{"attributes": attrs.Clone()}, nil
	}
}

// addUpdateValueInDictionary is `dictionary |= {key: value}` on a copy of a dict; any
// other value is Python's TypeError for |= (for a Series, the element-wise | its
// elements reject).
func addUpdateValueInDictionary(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	d := r.Any("dictionary")
	key := r.String("key")
	value := r.Any("value")
	if err := r.Err(); err != nil {
		return nil, err
	}
	switch x := d.(type) {
	case *data.Dict:
		c := x.Clone()
		c.Set(key, value)
		return component.Outputs{"dictionary": c}, nil
	case *data.Series:
		return nil, component.TypeError("unsupported operand type(s) for |: '%s' and 'dict'", x.Values.ScalarTypeName())
	case *data.DataFrame:
		return nil, component.TypeError("unsupported operand type(s) for |: 'DataFrame' and 'dict'")
	}
	return nil, component.TypeError("unsupported operand type(s) for |=: '%s' and 'dict'", component.PyTypeName(d))
}

// asFrame is the frame preparation of the Combine components: a Series becomes its
// one-column frame (to_frame: named after the series, 0 when unnamed), a DataFrame is
// used as it is, anything else is the components' TypeError.
func asFrame(v any) (*data.DataFrame, error) {
	switch x := v.(type) {
	case *data.Series:
		return x.ToFrame(), nil
	case *data.DataFrame:
		return x, nil
	}
	return nil, component.TypeError("series_or_dataframe must be a pandas Series or pandas DataFrame.")
}

// combineAsNamedColumn is `df[column_name] = series` (data.DataFrame.WithColumn) on the
// frame of series_or_dataframe (asFrame), returned as a new frame (hetida modifies the
// caller's DataFrame): the series is matched to the frame's labels (a left join: labels
// only the series has are dropped, labels it lacks get NaN), an existing column of that
// name is replaced in its place, a new one appended. Duplicate labels in the series are
// pandas' ValueError unless its index equals the frame's.
func combineAsNamedColumn(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	sod := r.Any("series_or_dataframe")
	name := r.String("column_name")
	if err := r.Err(); err != nil {
		return nil, err
	}
	df, err := asFrame(sod)
	if err != nil {
		return nil, err
	}
	out, err := df.WithColumn(name, s)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"dataframe": out}, nil
}

// combineIntoDataFrame adds the series as a column as combineAsNamedColumn does, naming
// it: an unnamed series gets the first of "0", "1", … that is no column label (as
// string or as number); a series whose name is a column label gets the first free
// "<name>_1", "<name>_2", … (a name that is not a string cannot be concatenated with
// "_": Python's TypeError); otherwise its name.
func combineIntoDataFrame(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("series")
	sod := r.Any("series_or_dataframe")
	if err := r.Err(); err != nil {
		return nil, err
	}
	df, err := asFrame(sod)
	if err != nil {
		return nil, err
	}
	taken := func(label any) bool { return df.ColIndex(label) >= 0 }
	var name any
	switch {
	case s.Name == nil:
		i := int64(0)
		for taken(strconv.FormatInt(i, 10)) || taken(i) {
			i++
		}
		name = strconv.FormatInt(i, 10)
	case taken(s.Name):
		base, ok := s.Name.(string)
		if !ok {
			return nil, data.UnsupportedOperand("+", s.Name, "_")
		}
		i := 1
		for taken(fmt.Sprintf("%s_%d", base, i)) {
			i++
		}
		name = fmt.Sprintf("%s_%d", base, i)
	default:
		name = s.Name
	}
	out, err := df.WithColumn(name, s)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"dataframe": out}, nil
}

// convertSeriesToDataFrame is Series.to_frame(): one column named after the series (0
// when unnamed), same index and attrs.
func convertSeriesToDataFrame(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("input")
	if err := r.Err(); err != nil {
		return nil, err
	}
	return component.Outputs{"output": s.ToFrame()}, nil
}

// dataFrameToSeries is DataFrame.squeeze(): one column gives that column as a Series,
// one row (of several columns) a Series over the column labels, one row and one column
// the value itself, any other frame the frame unchanged — hetida's code returns
// whatever squeeze gives, so the declared SERIES output may hold a DataFrame or a
// scalar (Loose).
func dataFrameToSeries(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("dataframe")
	if err := r.Err(); err != nil {
		return nil, err
	}
	v, err := f.Squeeze("")
	if err != nil {
		return nil, err
	}
	if f.Len() == 1 && len(f.Columns) == 1 {
		// a 1x1 frame squeezes to a numpy scalar of the column's dtype; int64 and bool_
		// are no Python floats, which hetida's encoder refuses
		switch f.Columns[0].DType {
		case data.Int64:
			v = data.NumpyScalar{Type: "int64", V: v}
		case data.Bool:
			v = data.NumpyScalar{Type: "bool_", V: v}
		}
	}
	return component.Outputs{"series": v}, nil
}

// mergeDataFrames is `dataframe_left.merge(dataframe_right, left_on=column_name,
// right_on=column_name, how=how)`: data.Merge (key once, suffixes _x/_y, pandas' row
// order, a fresh 0..n-1 index). "cross" with a key column is pandas' MergeError, an
// unknown how pandas 1.5's KeyError.
func mergeDataFrames(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	left, right := r.Frame("dataframe_left"), r.Frame("dataframe_right")
	col, how := r.String("column_name"), r.String("how")
	if err := r.Err(); err != nil {
		return nil, err
	}
	out, err := data.Merge(ctx, left, right, []any{col}, data.MergeHow(how))
	if err != nil {
		return nil, err
	}
	return component.Outputs{"merged_dataframe": out}, nil
}

// connectorsTodo lists the category's revisions not ported yet.
var connectorsTodo = []*component.Meta{}
