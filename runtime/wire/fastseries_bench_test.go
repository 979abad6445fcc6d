package wire

import (
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/trafofn/trafofn/runtime/data"
)

// BenchmarkSeriesScan reads a 10k-point series as it sits inside a request (escaped) and
// as plain JSON: the larger half of a 10k-point request's CPU.
//
//	go test -run '^$' -bench SeriesScan -benchmem ./runtime/wire/
func BenchmarkSeriesScan(b *testing.B) {
	s := wavySeries(10_000)
	esc := AppendString(nil, s)
	for _, c := range []struct {
		name string
		text []byte
		scan func() (*data.Series, bool)
	}{
		{"escaped", esc[1 : len(esc)-1], func() (*data.Series, bool) { return parseSeriesFastEscaped(esc[1 : len(esc)-1]) }},
		{"plain", []byte(s), func() (*data.Series, bool) { return parseSeriesFast(s) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.text)))
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := c.scan(); !ok {
					b.Fatal("not fast")
				}
			}
		})
	}
}

// wavySeries is n points at 5-minute spacing with values of ten decimals, like the
// bench's 10k-point request.
func wavySeries(n int) string {
	t0 := time.Date(2018, 5, 19, 22, 20, 0, 0, time.UTC).UnixNano()
	b := []byte{'{'}
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = data.AppendPandasJSON(b, t0+int64(i)*int64(5*time.Minute), data.UTC)
		b = append(b, `":`...)
		v := 90 + 10*math.Sin(float64(i)/7) + 5*math.Sin(float64(i)*1.37)
		b = strconv.AppendFloat(b, math.Round(v*1e10)/1e10, 'f', -1, 64)
	}
	return string(append(b, '}'))
}
