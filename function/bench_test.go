package function_test

import (
	"context"
	"testing"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/workload"
)

// BenchmarkHandle measures Handle for the document's request: event in, reply event out.
//
//	go test -run '^$' -bench Handle -benchmem ./function/
func BenchmarkHandle(b *testing.B) {
	f := newFunction(b, function.Options{})
	for _, plots := range []bool{false, true} {
		name := "plots=false"
		if plots {
			name = "plots=true"
		}
		e := requestEvent("partition:0/offset:1", workload.SeedRequest(plots))
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.Handle(context.Background(), e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
