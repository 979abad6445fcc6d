package library

import "github.com/trafofn/trafofn/runtime/data"

// fitted adapts generated inputs to components that give a result only for frames with
// particular columns or for particular scalars (hetida's code looks columns up by name,
// and the generic edge values of strings and ints never name them). The variant's data
// still flows through: empty, one-point, all-NaN, unsorted, duplicated, zoned and naive
// inputs reach the plotting code; the hostile generic values are kept for the runs
// without defaults.
var fitted = map[string]func(v variant, in map[string]any){
	"Band Filter Plot": func(v variant, in map[string]any) {
		n := rows(v)
		vals := values(v, n, 0)
		f, _ := vals.FloatValues()
		mask := make([]bool, n)
		dev := make([]float64, n)
		for i, x := range f {
			mask[i] = x < 200
			dev[i] = 5
		}
		in["band_filter_dataframe"] = data.NewDataFrame(index(v, n), []any{"values", "filter_mask", "band_center", "rolling_deviation"},
			[]data.Column{vals, data.Bools(mask), values(v, n, 1), data.Floats(dev)})
	},
	"Compare Timeshifted Timeseries": func(_ variant, in map[string]any) {
		in["freq"], in["freq_factor"], in["max_shifts_past"], in["max_shifts_future"] = "1h", int64(2), int64(1), int64(2)
	},
	"Pie Chart Plot": func(_ variant, in map[string]any) {
		in["value_column"], in["group_column"] = "a", "b"
	},
	"Timeseries Plot with multiple movable X and Y Axes": func(v variant, in map[string]any) {
		in["dataframe"] = multiTSFrame(v)
	},
	"Plot Time Series and Value Intervals": func(_ variant, in map[string]any) {
		in["value_interval_dict"] = dict("low", dict("min_value", 0.0, "max_value", 100.0),
			"high", dict("min_value", 100.0, "max_value", 1000.0, "max_value_inclusive", false, "display_name", "hoch"))
	},
	"Simple Scatter Map Plot": func(v variant, in map[string]any) {
		n := rows(v)
		names, desc, cats := make([]any, n), make([]any, n), make([]any, n)
		for i := range names {
			names[i], desc[i], cats[i] = "site", "description", []string{"pump", "valve", "tank"}[i%3]
		}
		in["data"] = data.NewDataFrame(index(v, n), []any{"lat", "lon", "name", "description", "kategorie"},
			[]data.Column{values(v, n, 0), values(v, n, 1), data.Objects(names), data.Objects(desc), data.Objects(cats)})
		in["color_map"] = dict("pump", "#ff0000")
		in["cat_color_col"] = "kategorie"
	},
	"Timeseries Interval Boxplots": func(_ variant, in map[string]any) {
		in["interval"] = "Week"
	},
}
