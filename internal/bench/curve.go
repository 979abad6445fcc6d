package bench

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// printCurves prints every workload's curve: p50/p99 at each load.
func printCurves(w io.Writer, rs []Result) {
	fmt.Fprintf(w, "\nlatency against throughput (-curve):\n%-30s %6s %9s %8s %8s\n", "workload", "load %", "msgs/s", "p50 ms", "p99 ms")
	for _, r := range rs {
		for _, p := range r.Curve {
			fmt.Fprintf(w, "%-30s %6.0f %9.0f %8.2f %8.2f\n", r.Workload, p.LoadPct, p.MsgsPerS, p.P50ms, p.P99ms)
		}
	}
}

// drawCurves draws latency against throughput, one colour per workload: p99 as a solid
// line with points, p50 dashed; both axes logarithmic (the workloads' rates span 1,000 to
// 30,000 msgs/s). The format follows the file name's extension (.svg, .png, .pdf).
func drawCurves(path string, rs []Result) error {
	p := plot.New()
	p.Title.Text = "trafofn bench -curve: latency at 10, 25, 50, 75, 90 % of each workload's rate (solid: p99, dashed: p50)"
	p.X.Label.Text = "replies per second (log)"
	p.Y.Label.Text = "latency, record timestamp → reply consumed, ms (log)"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	for i, r := range rs {
		if len(r.Curve) == 0 {
			continue
		}
		p99, p50 := make(plotter.XYs, len(r.Curve)), make(plotter.XYs, len(r.Curve))
		for j, c := range r.Curve {
			// a log axis cannot show 0; a latency below 10 µs is not measured anyway
			p99[j] = plotter.XY{X: c.MsgsPerS, Y: max(c.P99ms, 0.01)}
			p50[j] = plotter.XY{X: c.MsgsPerS, Y: max(c.P50ms, 0.01)}
		}
		col := plotutil.Color(i)
		l99, s99, err := plotter.NewLinePoints(p99)
		if err != nil {
			return err
		}
		l99.Color, s99.Color, s99.Shape = col, col, draw.CircleGlyph{}
		l99.Width = vg.Points(1.5)
		l50, s50, err := plotter.NewLinePoints(p50)
		if err != nil {
			return err
		}
		l50.Color, s50.Color, s50.Shape = col, col, draw.TriangleGlyph{}
		l50.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l99, s99, l50, s50)
		p.Legend.Add(r.Workload, l99, s99)
	}
	p.BackgroundColor = color.White
	return p.Save(9*vg.Inch, 6*vg.Inch, path)
}
