package library

import (
	"context"
	"errors"
	"strconv"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// The Connectors components that build long-format frames (MultiTSFrames and hetida's
// older "timeseries DataFrame"); the category's table is in connectors.go.

// validMultiTSFrame passes a MULTITSFRAME output through wire.ValidateMultiTSFrame, the
// checks every MULTITSFRAME input gets (metric and timestamp without nulls, metric as
// strings, timestamps UTC-aware, rows sorted by timestamp with their labels kept).
// hetida hands such a frame on unchecked and only a consumer that parses it fails; here
// a MULTITSFRAME value is always one, so the component fails with the check's message
// as a ValueError (the pydantic validator's exception).
func validMultiTSFrame(f *data.DataFrame) (*data.DataFrame, error) {
	out, err := wire.ValidateMultiTSFrame(f)
	var pe *wire.ParseError
	if errors.As(err, &pe) {
		return nil, component.ValueError("%s", pe.Msg)
	}
	return out, err
}

// longRows is pd.DataFrame({"timestamp": s.index, "value": s.values, "metric": metric}):
// the series as rows of a long-format frame, the scalar metric repeated (typed as pandas
// types it: a string column for a string).
func longRows(s *data.Series, metric any) *data.DataFrame {
	m := make([]any, s.Len())
	for i := range m {
		m[i] = metric
	}
	mc := data.InferColumn(m)
	if s.Len() == 0 {
		mc = data.Objects([]any{})
	}
	return &data.DataFrame{Index: data.Range(s.Len()), Names: []any{"timestamp", "value", "metric"},
		Columns: []data.Column{s.Index, s.Values, mc}}
}

// addTimeseriesToMultiTSFrame is `pd.concat([multitsframe, longRows(series, metric)],
// ignore_index=True)` (data.ConcatFrames: the frame's columns first, a fresh 0..n-1
// index, common dtypes per column; attrs only when both had the same) as a valid
// MULTITSFRAME (validMultiTSFrame: a series whose index is not UTC-aware timestamps
// fails there).
func addTimeseriesToMultiTSFrame(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("multitsframe")
	s := r.Series("timeseries_to_add")
	metric := r.String("metric_of_timeseries")
	if err := r.Err(); err != nil {
		return nil, err
	}
	long, err := data.ConcatFrames(ctx, f, longRows(s, metric))
	if err != nil {
		return nil, err
	}
	out, err := validMultiTSFrame(long)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"multitsframe": out}, nil
}

// convertDataFrameToMultiTSFrame is hetida's wide-to-long conversion (data.Unpivot): a
// "timestamp" column, if any, becomes the index; then per index entry and column one row
// (timestamp, metric = column label, value), NaN values kept, on a fresh index and
// without attrs (a new DataFrame in hetida). The result must be a valid MULTITSFRAME
// (validMultiTSFrame: metric labels become strings; timestamps must be UTC-aware).
func convertDataFrameToMultiTSFrame(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("dataframe")
	if err := r.Err(); err != nil {
		return nil, err
	}
	long, err := data.Unpivot(ctx, f)
	if err != nil {
		return nil, err
	}
	c := *long
	c.Attrs = nil
	out, err := validMultiTSFrame(&c)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"multitsframe": out}, nil
}

// convertMultiTSFrameToDataFrame is hetida's long-to-wide conversion (data.Pivot): one
// column per metric in order of first appearance, over the sorted union of all
// timestamps, NaN where a metric lacks one; duplicate timestamps of a metric are
// pandas' ValueError.
func convertMultiTSFrameToDataFrame(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	f := r.Frame("multitsframe")
	if err := r.Err(); err != nil {
		return nil, err
	}
	out, err := data.Pivot(ctx, f)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"dataframe": out}, nil
}

// timeseriesDataframe is hetida's Timeseries Dataframe: series_to_add becomes rows
// (timestamp, value, metric) appended to df_or_series (pd.concat, ignore_index; a
// DATAFRAME, not validated as a MultiTSFrame). Its metric is its name, or when unnamed
// the first "metric_0", "metric_1", … not among the values of df_or_series["metric"].
// A DataFrame df_or_series is used as it is; a Series becomes rows itself first, with
// its name (or "metric_0") as metric.
//
// hetida's code looks up df_or_series["metric"] for the unnamed case even when
// df_or_series is a Series, which raises KeyError (spec §3.5); the evident intent is
// implemented: the Series' own metric counts as taken, so an unnamed pair gives
// "metric_0" and "metric_1". Values that are no pandas object fail as in Python (a dict
// without "metric" is KeyError 'metric', a dict has no .index, a list no .values).
func timeseriesDataframe(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	first := r.Any("df_or_series")
	add := r.Series("series_to_add")
	if err := r.Err(); err != nil {
		return nil, err
	}
	firstMetric := func(s *data.Series) any {
		if s.Name != nil {
			return s.Name
		}
		return "metric_0"
	}
	name := add.Name
	if name == nil {
		taken, err := existingMetrics(first, firstMetric)
		if err != nil {
			return nil, err
		}
		for i := 0; ; i++ {
			cand := "metric_" + strconv.Itoa(i)
			if !taken[cand] {
				name = cand
				break
			}
		}
	}
	var head *data.DataFrame
	switch x := first.(type) {
	case *data.DataFrame:
		head = x
	case *data.Series:
		head = longRows(x, firstMetric(x))
	default:
		if hasIndexMethod(first) {
			return nil, component.AttributeError(first, "values")
		}
		return nil, component.AttributeError(first, "index")
	}
	out, err := data.ConcatFrames(ctx, head, longRows(add, name))
	if err != nil {
		return nil, err
	}
	return component.Outputs{"timeseries_df": out}, nil
}

// existingMetrics is set(df["metric"].unique().tolist()) of Timeseries Dataframe, for
// the string metrics (only those can equal a "metric_<i>" candidate).
func existingMetrics(v any, seriesMetric func(*data.Series) any) (map[string]bool, error) {
	taken := map[string]bool{}
	switch x := v.(type) {
	case *data.DataFrame:
		c, ok := x.Col("metric")
		if !ok {
			return nil, data.KeyError("metric")
		}
		for i := 0; i < c.Len(); i++ {
			if s, ok := c.At(i).(string); ok {
				taken[s] = true
			}
		}
		return taken, nil
	case *data.Series:
		if s, ok := seriesMetric(x).(string); ok {
			taken[s] = true
		}
		return taken, nil
	case *data.Dict:
		m, ok := x.Get("metric")
		if !ok {
			return nil, data.KeyError("metric")
		}
		return nil, component.AttributeError(m, "unique")
	case []any:
		return nil, component.TypeError("list indices must be integers or slices, not str")
	case string:
		return nil, component.TypeError("string indices must be integers, not 'str'")
	}
	return nil, component.TypeError("'%s' object is not subscriptable", component.PyTypeName(v))
}
