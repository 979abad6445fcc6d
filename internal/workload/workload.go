// Package workload generates execution requests for tests and benchmarks: the request of
// hetida's "Execution via Kafka" document for the Volatility Detection Example, scaled to
// any number of points.
package workload

import (
	"math"
	"strconv"
	"time"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// VolatilityID is the Volatility Detection Example's revision id.
const VolatilityID = "79ce1eb1-3ef8-4c74-9114-c856fd88dc89"

// VolatilityGroupID is its revision group.
const VolatilityGroupID = "d0d40c45-aef0-424a-a8f4-b16cd5f8b129"

// SeedSeries is the ten-point series of the document's request.
const SeedSeries = `{"2018-05-19T22:20:00.000Z":86.9358994238,"2018-05-19T22:25:00.000Z":78.6552569681,"2018-05-19T22:30:00.000Z":93.515633185,"2018-05-19T22:35:00.000Z":96.3497006614,"2018-05-19T22:40:00.000Z":83.1926874657,"2018-05-22T05:50:00.000Z":926.4357356548,"2018-05-22T05:55:00.000Z":934.7257131637,"2018-05-22T06:00:00.000Z":908.4082221891,"2018-05-22T06:05:00.000Z":917.7112901544,"2018-05-22T06:10:00.000Z":924.0958121497}`

// SeedRequest returns the document's exact request (job id 00000000-0000-0000-0000-000000000002)
// with run_pure_plot_operators set as given.
func SeedRequest(plots bool) []byte {
	return Volatility(VolatilityRequest{Series: SeedSeries, Plots: plots, JobID: "00000000-0000-0000-0000-000000000002"})
}

// VolatilityRequest describes one generated request.
type VolatilityRequest struct {
	Series string // the input series as JSON (Series or PointsSeries)
	Plots  bool
	JobID  string // empty: no job_id key
	// Extra is appended to the top-level object verbatim (e.g. `,"seq":3`).
	Extra string
}

// Volatility renders an ExecByIdInput for the Volatility Detection Example with the
// document's parameters (window 180min, centred, threshold 600.0).
func Volatility(r VolatilityRequest) []byte {
	b := make([]byte, 0, len(r.Series)*5/4+800)
	b = append(b, `{"id":"`+VolatilityID+`","run_pure_plot_operators":`...)
	b = strconv.AppendBool(b, r.Plots)
	b = append(b, `,"wiring":{"input_wirings":[`...)
	b = append(b, `{"workflow_input_name":"window_size","adapter_id":"direct_provisioning","filters":{"value":"180min"}},`...)
	b = append(b, `{"workflow_input_name":"window_timestamp_location","adapter_id":"direct_provisioning","filters":{"value":"center"}},`...)
	b = append(b, `{"workflow_input_name":"input_series","adapter_id":"direct_provisioning","filters":{"value":`...)
	b = wire.AppendString(b, r.Series)
	b = append(b, `}},{"workflow_input_name":"threshold","adapter_id":"direct_provisioning","filters":{"value":"600.0"}}],`...)
	b = append(b, `"output_wirings":[{"workflow_output_name":"score","adapter_id":"direct_provisioning"},{"workflow_output_name":"data_and_alerts","adapter_id":"direct_provisioning"}]}`...)
	if r.JobID != "" {
		b = append(b, `,"job_id":"`...)
		b = append(b, r.JobID...)
		b = append(b, '"')
	}
	b = append(b, r.Extra...)
	return append(b, '}')
}

// PointsSeries renders n points at 5-minute spacing from 2018-05-19T22:20:00Z as the
// JSON object hetida's frontend sends. Values are deterministic: a slow wave around 90
// with stretches of high volatility around 900, like the document's data.
func PointsSeries(n int) string {
	t0 := time.Date(2018, 5, 19, 22, 20, 0, 0, time.UTC).UnixNano()
	step := int64(5 * time.Minute)
	b := make([]byte, 0, n*40+2)
	b = append(b, '{')
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = data.AppendPandasJSON(b, t0+int64(i)*step, data.UTC)
		b = append(b, `":`...)
		v := 90 + 10*math.Sin(float64(i)/7) + 5*math.Sin(float64(i)*1.37)
		if (i/60)%5 == 3 { // every fifth hour-long stretch is volatile
			v += 800 + 100*math.Sin(float64(i)*2.1)
		}
		b = strconv.AppendFloat(b, math.Round(v*1e10)/1e10, 'f', -1, 64)
	}
	return string(append(b, '}'))
}

// MovingTimeWindowMeanID is hetida's Moving Time Window Mean Example workflow.
const MovingTimeWindowMeanID = "0580751a-70ed-4f73-99c8-41541eb86af3"

// MovingTimeWindowMean renders an ExecByIdInput for the Moving Time Window Mean Example
// with its test wiring's parameters (15min windows every 5min, left-closed, labelled at
// the centre, offset 0) on the given series.
func MovingTimeWindowMean(series string, plots bool) []byte {
	b := make([]byte, 0, len(series)*5/4+1000)
	b = append(b, `{"id":"`+MovingTimeWindowMeanID+`","run_pure_plot_operators":`...)
	b = strconv.AppendBool(b, plots)
	b = append(b, `,"wiring":{"input_wirings":[{"workflow_input_name":"timeseries","adapter_id":"direct_provisioning","filters":{"value":`...)
	b = wire.AppendString(b, series)
	b = append(b, `}}`...)
	for _, p := range [][2]string{{"window_size", "15min"}, {"interval_type", "left_closed"}, {"label_position", "center"},
		{"window_frequency", "5min"}, {"frequency_offset", "0"}, {"plotting_mode", "dots_and_windows"}} {
		b = append(b, `,{"workflow_input_name":"`+p[0]+`","adapter_id":"direct_provisioning","filters":{"value":"`+p[1]+`"}}`...)
	}
	return append(b, `]},"job_id":"00000000-0000-0000-0000-000000000003"}`...)
}
