package plotly

// Colour lists of plotly.py that hetida's components use.
var (
	// Plasma is px.colors.sequential.Plasma (the continuous scale of the 2D scatter plots).
	Plasma = []string{"#0d0887", "#46039f", "#7201a8", "#9c179e", "#bd3786", "#d8576b", "#ed7953", "#fb9f3a", "#fdca26", "#f0f921"}
	// QualitativePlotly is px.colors.qualitative.Plotly (the multi-axis plots' palette).
	QualitativePlotly = []string{"#636EFA", "#EF553B", "#00CC96", "#AB63FA", "#FFA15A", "#19D3F3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52"}
	// PlotlyColorway is the "plotly" template's colorway: the colours plotly.express gives
	// discrete categories, in this spelling ("#636efa", not "#636EFA").
	PlotlyColorway = []string{"#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52"}
)

// Colorscale is a colour scale from a list of colours, as plotly.py's colorscale
// validator expands a list (or a named scale, whose colours it looks up) into
// [[i/(n-1), colour], …]. plotly.js also accepts scale names, so Val("Viridis") renders
// as the name but plots the same.
func Colorscale(colors ...string) Opt[Data] {
	d := float64(len(colors) - 1)
	out := make([]any, len(colors))
	for i, c := range colors {
		// (1.0 * i) / (1.0 * d); plotly.py fails with ZeroDivisionError for a single
		// colour, here it gets position 0.0
		f := 0.0
		if d > 0 {
			f = float64(i) / d
		}
		out[i] = []any{f, c}
	}
	return Val(out)
}
