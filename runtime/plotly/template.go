package plotly

import _ "embed"

// PlotlyTemplate is plotly.py's "plotly" template as plotly 5.15 writes it into
// layout.template. plotly.express figures carry it even with pio.templates.default = None
// (px falls back to "plotly"), so ports of px-based components set
// Layout.Template = Val(PlotlyTemplate) where plotly.express put it. plotly 5.4's
// template differs in one place (data.scatter[0] has marker.colorbar instead of
// fillpattern).
//
//go:embed template_plotly.json
var plotlyTemplate []byte

// PlotlyTemplate is the template's JSON (do not modify).
var PlotlyTemplate = RawJSON(plotlyTemplate)
