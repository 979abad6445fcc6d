package sql

import (
	"context"
	"testing"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
)

// One million rows each way, with the server on the same machine (it shares the cores):
//
//	go test -run '^$' -bench 1M -benchtime 3x ./runtime/adapter/sql/
//
// rows/s counts rows loaded into columns (load) or written with COPY and committed
// (append).
const million = 1_000_000

func BenchmarkLoad1M(b *testing.B) {
	p := newPG(b, func(d *Database) {
		d.TimeseriesTables = map[string]TimeseriesTable{"big": {MetricCol: "metric", TimestampCol: "timestamp", FetchableValueCols: []string{"value"}}}
	})
	p.exec(`CREATE TABLE big AS SELECT '2024-01-01T00:00:00Z'::timestamptz + (g / 10) * interval '1 s' AS timestamp,
		'metric_' || (g % 10) AS metric, random() AS value FROM generate_series(0, 999999) g`,
		"CREATE TABLE plain AS SELECT * FROM big", "ANALYZE big", "ANALYZE plain")
	for _, bc := range []struct {
		name string
		b    adapter.Binding
	}{
		{"table", bind("df", data.TypeDataFrame, "db/table/plain")},
		{"ts_table", bind("m", data.TypeMultiTSFrame, "db/ts_table/big", "metrics", "ALL", "timestampFrom", "2024-01-01", "timestampTo", "2024-01-31")},
		{"series_query", bind("s", data.TypeSeries, "db/series_query", "sql_query", "SELECT timestamp, value FROM plain")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out, err := p.a.Load(context.Background(), adapter.LoadRequest{Bindings: []adapter.Binding{bc.b}, MaxPoints: million})
				if err != nil {
					b.Fatal(err)
				}
				if n := rowsOf(out[bc.b.Name]); n != million {
					b.Fatalf("%d rows", n)
				}
			}
			rate := float64(million) * float64(b.N) / b.Elapsed().Seconds()
			b.ReportMetric(rate, "rows/s")
			b.Logf("load %s: %.0f rows/s", bc.name, rate)
		})
	}
}

func rowsOf(v any) int {
	switch x := v.(type) {
	case *data.DataFrame:
		return x.Len()
	case *data.Series:
		return x.Len()
	}
	return -1
}

func BenchmarkAppend1M(b *testing.B) {
	p := newPG(b, func(d *Database) {
		d.AppendTables = []string{"out"}
		d.TimeseriesTables = map[string]TimeseriesTable{"ts": {Appendable: true, MetricCol: "metric", TimestampCol: "timestamp", FetchableValueCols: []string{"value"}, WritableValueCols: []string{"value"}}}
	})
	ns := make([]int64, million)
	metric := make([]any, million)
	value := make([]float64, million)
	names := []any{"metric_0", "metric_1", "metric_2", "metric_3", "metric_4", "metric_5", "metric_6", "metric_7", "metric_8", "metric_9"}
	for i := range ns {
		ns[i] = ts("2024-01-01T00:00:00Z") + int64(i/10)*1e9
		metric[i] = names[i%10]
		value[i] = float64(i) / 7
	}
	f := data.NewDataFrame(data.Range(million), []any{"timestamp", "metric", "value"},
		[]data.Column{data.Datetimes(ns, data.UTC), data.Objects(metric), data.Floats(value)})
	for _, bc := range []struct{ name, ref, table string }{
		{"append_table", "db/append_table/out", "out"},
		{"appendable_ts_table", "db/appendable_ts_table/ts", "ts"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				b.StopTimer()
				p.exec("DROP TABLE IF EXISTS " + bc.table)
				b.StartTimer()
				if err := p.send(map[string]any{"o": f}, sinkBind("o", data.TypeDataFrame, bc.ref)); err != nil {
					b.Fatal(err)
				}
			}
			if n := p.count(bc.table); n != million {
				b.Fatalf("%d rows", n)
			}
			rate := float64(million) * float64(b.N) / b.Elapsed().Seconds()
			b.ReportMetric(rate, "rows/s")
			b.Logf("append %s: %.0f rows/s", bc.name, rate)
		})
	}
}
