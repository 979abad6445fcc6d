package kafka_test

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/sources"
	"github.com/trafofn/trafofn/sources/kafka"
)

// Regression (decompression bomb, the crash loop): a 29 KB zstd record that inflates to
// 900 MB was accepted by the broker; sarama inflated it before any size check, the value was
// copied several times (4.8 GB peak), the process died, and every restart died on the same
// uncommitted record. Here a 50 MB bomb (a few kilobytes compressed) sits between good
// records, in the same fetch as two of them. It must cost far less memory than its inflated
// size, be answered with one failure reply and a dead letter that names its offset but
// carries no value, and be committed past; the records around it are answered in order, and
// after it sarama reads the partition again.
//
// Not parallel: the allocation count covers the whole process.
func TestDecompressionBombIsAnsweredAndSkipped(t *testing.T) {
	for _, eos := range []bool{false, true} {
		t.Run(map[bool]string{false: "at-least-once", true: "exactly-once"}[eos], func(t *testing.T) { testBomb(t, eos) })
	}
}

func testBomb(t *testing.T, exactlyOnce bool) {
	const bomb = 50 << 20
	e := newEnv(t, 1)
	prod, err := kgo.NewClient(kgo.SeedBrokers(e.addrs...), kgo.DefaultProduceTopic(reqTopic),
		kgo.ProducerBatchMaxBytes(bomb+(1<<20)), kgo.MaxBufferedBytes(2*bomb),
		kgo.ProducerBatchCompression(kgo.ZstdCompression()))
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	ctx := context.Background()
	produce := func(rs ...*kgo.Record) {
		t.Helper()
		if err := prod.ProduceSync(ctx, rs...).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	rec := func(key, value string) *kgo.Record { return &kgo.Record{Key: []byte(key), Value: []byte(value)} }
	produce(rec("k", `{"job_id":"before-0"}`))
	produce(rec("k", `{"job_id":"before-1"}`))
	produce(&kgo.Record{Key: []byte("bomb"), Value: bytes.Repeat([]byte{'{'}, bomb)})
	produce(rec("k", `{"job_id":"after-0"}`))
	runtime.GC()

	replies := e.collect(respTopic, exactlyOnce)
	dead := e.collect(dlqTopic, exactlyOnce)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	cfg := e.config(func(c *kafka.Config) { c.ExactlyOnce = exactlyOnce })
	r := e.start(cfg, fakeHandler(nil))
	got := e.wait(replies, 4)
	e.poll("commit past the bomb", func() bool { return e.committed(cfg.GroupID, 0) == 4 })
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > bomb/2 {
		t.Errorf("%d MB allocated while answering a %d MB bomb: it was inflated", alloc>>20, bomb>>20)
	} else {
		t.Logf("%d MB allocated for a %d MB bomb", alloc>>20, bomb>>20)
	}
	// key k in offset order; the bomb (its key was never read) is keyed by its job id, and
	// replies of different keys have no order between them
	var ks []string
	bombs := 0
	for _, m := range got[:4] {
		subject, _ := header(m, "ce_subject")
		if string(m.Key) == "k" {
			ks = append(ks, subject)
			continue
		}
		bombs++
		et, _ := header(m, "ce_errortype")
		if string(m.Key) != subject || et != function.ErrTypeRequestParse || !strings.Contains(string(m.Value), "KAFKA_MAX_BATCH_BYTES") {
			t.Errorf("reply to the bomb: key %q errortype %q: %.300s", m.Key, et, m.Value)
		}
	}
	if strings.Join(ks, ",") != "before-0,before-1,after-0" || bombs != 1 {
		t.Errorf("replies of key k: %v, and %d others; want before-0, before-1, after-0 and the bomb's", ks, bombs)
	}
	dl := e.wait(dead, 1)[0]
	if off, _ := header(dl, sources.HeaderDLQOffset); off != "2" || len(dl.Value) != 0 {
		t.Errorf("dead letter of the bomb: offset %q, %d bytes of value", off, len(dl.Value))
	}
	if why, _ := header(dl, sources.HeaderDLQError); !strings.Contains(why, "offsets 2 to 2") {
		t.Errorf("dead letter error %q", why)
	}
	// sarama reads the partition again once the session restarted behind the bomb
	produce(rec("k", `{"job_id":"after-1"}`))
	got = e.wait(replies, 5)
	if s, _ := header(got[4], "ce_subject"); s != "after-1" {
		t.Errorf("reply 4 answers %q, want after-1", s) // the bomb's came long before
	}
	e.poll("commit of the last", func() bool { return e.committed(cfg.GroupID, 0) == 5 })
	// the counters are updated after the reply's transaction committed, which a consumer
	// may see first
	e.poll("the stats count every reply", func() bool { return r.c.Stats().Replied == 5 })
	if s := r.c.Stats(); s.Oversized != 1 || s.DeadLettered != 1 || s.Replied != 5 {
		t.Errorf("stats %+v", s)
	}
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
}
