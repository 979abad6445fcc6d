package http_test

import (
	"bytes"
	"io"
	stdhttp "net/http"
	"testing"

	"github.com/trafofn/trafofn/internal/workload"
	httpsrc "github.com/trafofn/trafofn/sources/http"
)

// BenchmarkExecuteEndpoint measures hetida's execute endpoint over real HTTP (in-process
// server, keep-alive connections) with concurrent clients, for the document's 10-point
// request and a 10k-point request.
//
//	go test -run '^$' -bench ExecuteEndpoint -benchmem ./sources/http/
func BenchmarkExecuteEndpoint(b *testing.B) {
	f := newFunction(b)
	ts := newServer(b, httpsrc.Config{HetidaEndpoints: true}, f)
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"points=10", workload.SeedRequest(false)},
		{"points=10000", workload.Volatility(workload.VolatilityRequest{Series: workload.PointsSeries(10_000), JobID: "00000000-0000-0000-0000-000000000002"})},
	} {
		b.Run(tc.name, func(b *testing.B) {
			tr := &stdhttp.Transport{MaxIdleConnsPerHost: 64}
			client := &stdhttp.Client{Transport: tr}
			defer tr.CloseIdleConnections()
			b.SetBytes(int64(len(tc.body)))
			b.ReportAllocs()
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := client.Post(ts.URL+"/api/transformations/execute", "application/json", bytes.NewReader(tc.body))
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Fatalf("status %d", resp.StatusCode)
					}
				}
			})
		})
	}
}
