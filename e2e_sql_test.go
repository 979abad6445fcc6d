package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/trafofn/trafofn/internal/pgtest"
	"github.com/trafofn/trafofn/internal/workload"
	"github.com/trafofn/trafofn/runtime/data"
)

// The seed document's mixed-adapter scenario over Kafka: the Volatility Detection Example
// with its mass data, input_series, from PostgreSQL (series_query) while threshold and
// window come directly in the message, and the score series appended to a table — the
// same numbers as the all-direct run of the same data.
//
// The example's outputs are the two plots (score is a PLOTLYJSON figure), so the score
// series reaches the table through one extra output: the test runs the example extended
// by score_series, the Simple Volatility Score operator's series, wired to
// <db>/append_table/volatility_scores. Its two plots must equal the all-direct run's of the
// unchanged example, and the table's rows the score plot's points.
func TestE2EVolatilityFromPostgreSQL(t *testing.T) {
	srv := pgtest.StartFor(t, os.Getenv("CI") == "true")
	ctx := context.Background()
	root, err := pgx.Connect(ctx, srv.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	db := fmt.Sprintf("e2e_%d", os.Getpid())
	if _, err := root.Exec(ctx, "CREATE DATABASE "+db); err != nil {
		t.Fatal(err)
	}
	root.Close(ctx)
	conn, err := pgx.Connect(ctx, srv.URL(db))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// the seed's ten points, written from another zone than UTC
	var seed map[string]float64
	if err := json.Unmarshal([]byte(workload.SeedSeries), &seed); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE measurements (at timestamptz, sensor text, reading float8)"); err != nil {
		t.Fatal(err)
	}
	for k, v := range seed {
		at, _ := time.Parse(time.RFC3339, k)
		if _, err := conn.Exec(ctx, "INSERT INTO measurements VALUES ($1, 'pump_1', $2), ($1, 'pump_2', -1)", at.In(time.FixedZone("CEST", 7200)), v); err != nil {
			t.Fatal(err)
		}
	}

	dir := t.TempDir()
	writeScoreSeriesExample(t, dir)
	dbs := fmt.Sprintf(`[{"name": "Plant", "key": "plant", "connection_url": %q, "append_tables": ["volatility_scores"]}]`,
		strings.Replace(srv.URL(db), "postgresql://", "postgresql+psycopg2://", 1))
	e := startE2E(t, "SQL_ADAPTER_SQL_DATABASES="+dbs, "TRANSFORMATIONS_DIR="+dir)

	query := "SELECT at AS timestamp, reading AS value FROM measurements WHERE sensor = 'pump_1' ORDER BY at"
	mixed := `{"id": "` + scoreSeriesID + `", "run_pure_plot_operators": true, "job_id": "00000000-0000-0000-0000-0000000000aa",
	  "wiring": {"input_wirings": [
	    {"workflow_input_name": "window_size", "adapter_id": "direct_provisioning", "filters": {"value": "180min"}},
	    {"workflow_input_name": "window_timestamp_location", "adapter_id": "direct_provisioning", "filters": {"value": "center"}},
	    {"workflow_input_name": "input_series", "adapter_id": "sql-adapter", "ref_id": "plant/series_query", "filters": {"sql_query": ` + jsonString(query) + `}},
	    {"workflow_input_name": "threshold", "adapter_id": "direct_provisioning", "filters": {"value": "600.0"}}],
	  "output_wirings": [
	    {"workflow_output_name": "score", "adapter_id": "direct_provisioning"},
	    {"workflow_output_name": "data_and_alerts", "adapter_id": "direct_provisioning"},
	    {"workflow_output_name": "score_series", "adapter_id": "sql-adapter", "ref_id": "plant/append_table/volatility_scores"}]}}`
	e.produce(plainRecord("mixed", []byte(mixed)))
	got := replyDict(t, e.next(e.replies))
	e.produce(plainRecord("direct", workload.SeedRequest(true)))
	want := replyDict(t, e.next(e.replies))
	if r, _ := got.Get("result"); r != "ok" {
		t.Fatalf("mixed run: %s", jsonText(t, got))
	}
	outs := func(d *data.Dict) *data.Dict { v, _ := d.Get("output_results_by_output_name"); return v.(*data.Dict) }
	for _, k := range []string{"score", "data_and_alerts"} {
		g, _ := outs(got).Get(k)
		w, _ := outs(want).Get(k)
		if jsonText(t, g) != jsonText(t, w) {
			t.Errorf("%s differs from the all-direct run:\n%s\n%s", k, jsonText(t, g), jsonText(t, w))
		}
	}
	if _, ok := outs(got).Get("score_series"); ok {
		t.Error("the table's output is in the response")
	}
	// the table holds the score plot's points
	plot, _ := outs(want).Get("score")
	var fig struct {
		Data []struct {
			X []string   `json:"x"`
			Y []*float64 `json:"y"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(jsonText(t, plot)), &fig); err != nil || len(fig.Data) != 1 || len(fig.Data[0].X) != 10 {
		t.Fatalf("score plot %s: %v", jsonText(t, plot), err)
	}
	rows, err := conn.Query(ctx, "SELECT timestamp, volatilities FROM volatility_scores ORDER BY timestamp")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var at time.Time
		var v *float64
		if err := rows.Scan(&at, &v); err != nil {
			t.Fatal(err)
		}
		x, _ := time.Parse(time.RFC3339Nano, fig.Data[0].X[i])
		y := fig.Data[0].Y[i]
		if !at.Equal(x) || (v == nil) != (y == nil) || v != nil && math.Abs(*v-*y) > 0 {
			t.Errorf("row %d: %v %v, plot point %v %v", i, at, deref(v), x, deref(y))
		}
	}
	if i != 10 {
		t.Errorf("%d rows in volatility_scores", i)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(toPlain(v))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// toPlain turns decoded documents (data.Dict) into encoding/json values, keys in order.
func toPlain(v any) any {
	switch x := v.(type) {
	case *data.Dict:
		var b strings.Builder
		b.WriteByte('{')
		for i, k := range x.Keys() {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			val, _ := x.Get(k)
			vb, _ := json.Marshal(toPlain(val))
			b.Write(kb)
			b.WriteByte(':')
			b.Write(vb)
		}
		b.WriteByte('}')
		return json.RawMessage(b.String())
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toPlain(e)
		}
		return out
	}
	return v
}

// scoreSeriesID is the example extended by the output score_series.
const scoreSeriesID = "5c0e2d7a-2f7e-4d0b-9a53-3c1b7c8a9e01"

// writeScoreSeriesExample writes the Volatility Detection Example, as built in, with a
// third output score_series (SERIES) taken from Simple Volatility Score's volatilities.
func writeScoreSeriesExample(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile("runtime/store/catalogue/volatility-detection-example.json")
	if err != nil {
		t.Fatal(err)
	}
	var wf map[string]any
	if err := json.Unmarshal(b, &wf); err != nil {
		t.Fatal(err)
	}
	const outID = "0b6d1a4e-8f3c-4a57-b2d9-7e5f1c3a9d20"
	wf["id"], wf["revision_group_id"] = scoreSeriesID, "6d1f3e8b-4a2c-4b9e-8c7d-2e5a9f0b1c34"
	wf["name"] = "Volatility Detection Example (score series)"
	content := wf["content"].(map[string]any)
	content["outputs"] = append(content["outputs"].([]any), map[string]any{
		"connector_id": "a26e2cdb-6390-53ed-ebbf-6f2e0201a6b7", "connector_name": "volatilities", "data_type": "SERIES",
		"id": outID, "name": "score_series", "operator_id": "3519e005-cbdb-473a-8749-b564203d119a", "operator_name": "Simple Volatility Score",
	})
	io := wf["io_interface"].(map[string]any)
	io["outputs"] = append(io["outputs"].([]any), map[string]any{"data_type": "SERIES", "id": outID, "name": "score_series"})
	out, err := json.Marshal(wf)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "volatility-score-series.json"), out, 0o644); err != nil {
		t.Fatal(err)
	}
}
