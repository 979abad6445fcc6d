package bench

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/klauspost/compress/s2"
	"github.com/twmb/franz-go/pkg/kgo"

	gen "github.com/trafofn/trafofn/internal/workload"
)

// record encodes one Kafka record (v2) as a batch's records section holds it.
func record(key, value []byte, ts int64, headers ...[2]string) []byte {
	var body []byte
	body = append(body, 0) // attributes
	body = binary.AppendVarint(body, ts)
	body = binary.AppendVarint(body, 0)
	body = binary.AppendVarint(body, int64(len(key)))
	body = append(body, key...)
	body = binary.AppendVarint(body, int64(len(value)))
	body = append(body, value...)
	body = binary.AppendVarint(body, int64(len(headers)))
	for _, h := range headers {
		body = binary.AppendVarint(body, int64(len(h[0])))
		body = append(body, h[0]...)
		body = binary.AppendVarint(body, int64(len(h[1])))
		body = append(body, h[1]...)
	}
	return append(binary.AppendVarint(nil, int64(len(body))), body...)
}

// The generator's batches of one templated request decompress to exactly the record's
// bytes, job id included; other batches are compressed as a whole.
func TestTemplateCompressorKeepsTheRecords(t *testing.T) {
	tp := newTemplate(func(job string) []byte {
		return gen.Volatility(gen.VolatilityRequest{Series: gen.PointsSeries(10_000), JobID: job})
	})
	c, err := newTplCompressor(tp.tpl, tp.at, len(jobPlaceholder))
	if err != nil {
		t.Fatal(err)
	}
	if c.(*tplCompressor).elems == nil {
		t.Fatal("no usable compressed template")
	}
	one := record([]byte("key-7"), tp.request("6f1c0d4e-2b7a-4c55-9e0d-3a1b2c3d4e5f"), 12)
	two := append(bytes.Clone(one), record([]byte("key-8"), tp.request("0e1c0d4e-2b7a-4c55-9e0d-3a1b2c3d4e5f"), 3, [2]string{"h", "v"})...)
	other := record([]byte("k"), []byte(`{"job_id":"x"}`), 1)
	changed := bytes.Clone(one)
	changed[len(changed)-100] ^= 1 // not the template outside the job id
	for name, src := range map[string][]byte{"one": one, "two": two, "other": other, "changed": changed,
		"headers": record(nil, tp.request("1e1c0d4e-2b7a-4c55-9e0d-3a1b2c3d4e5f"), 0, [2]string{"a", "b"})} {
		var dst bytes.Buffer
		out, codec := c.Compress(&dst, src)
		if codec != kgo.CodecSnappy {
			t.Fatalf("%s: codec %v", name, codec)
		}
		got, err := s2.Decode(nil, out)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, src) {
			t.Fatalf("%s: decompressed %d bytes differ from the %d compressed", name, len(got), len(src))
		}
		if len(out) > len(src)/2 && len(src) > 1000 {
			t.Errorf("%s: %d bytes compressed to %d", name, len(src), len(out))
		}
	}
}

func BenchmarkTemplateCompressor(b *testing.B) {
	tp := newTemplate(func(job string) []byte {
		return gen.Volatility(gen.VolatilityRequest{Series: gen.PointsSeries(10_000), JobID: job})
	})
	src := record([]byte("key-7"), tp.request("6f1c0d4e-2b7a-4c55-9e0d-3a1b2c3d4e5f"), 12)
	def, _ := kgo.DefaultCompressor(kgo.SnappyCompression())
	tc, _ := newTplCompressor(tp.tpl, tp.at, len(jobPlaceholder))
	for name, c := range map[string]kgo.Compressor{"default": def, "template": tc} {
		b.Run(name, func(b *testing.B) {
			var dst bytes.Buffer
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				c.Compress(&dst, src)
			}
		})
	}
}
