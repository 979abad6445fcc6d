package bench

import (
	"context"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// trimEvery is how often a round deletes the records it is done with.
const trimEvery = 500 * time.Millisecond

// trimmer deletes, while a workload runs, the records that are done with: requests below
// the function's committed offsets (their replies are acknowledged) and replies the
// collector has consumed. Why: the development broker (kfake) keeps every record in its
// memory until the topic is deleted, so a workload's phases wrote into ever new memory
// (first touches, page faults, a heap of gigabytes: 3.2 GB after the 10k-point workload's
// half-load phases) and its CPU per request grew from phase to phase (0.43 to 0.63 cores at
// the same rate). A Kafka deployment keeps its logs on disk, trimmed by retention; the
// trimming keeps the broker's memory at what is in flight. It deletes nothing a reply or a
// commit still needs: a request is deleted only once its offset is committed, which the
// function does after the reply was acknowledged.
type trimmer struct {
	adm       *kadm.Client
	group     string
	reqTopic  string
	respTopic string

	mu       sync.Mutex
	consumed map[int32]int64 // reply partition → offset after the last consumed reply
	stop     chan struct{}
	done     chan struct{}
}

func newTrimmer(admin *kgo.Client, group, reqTopic, respTopic string) *trimmer {
	return &trimmer{adm: kadm.NewClient(admin), group: group, reqTopic: reqTopic, respTopic: respTopic,
		consumed: map[int32]int64{}}
}

// consume notes that the collector consumed the replies of partition p up to offset.
func (t *trimmer) consume(p int32, offset int64) {
	t.mu.Lock()
	if offset+1 > t.consumed[p] {
		t.consumed[p] = offset + 1
	}
	t.mu.Unlock()
}

// start trims every trimEvery until stopped.
func (t *trimmer) start(ctx context.Context) {
	t.stop, t.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(t.done)
		tick := time.NewTicker(trimEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.stop:
				return
			case <-tick.C:
				t.trim(ctx)
			}
		}
	}()
}

// close stops the trimming; a no-op when it was not started.
func (t *trimmer) close() {
	if t == nil || t.stop == nil {
		return
	}
	close(t.stop)
	<-t.done
	t.stop = nil
}

// trim deletes what is done with; errors are left for the next tick (the trimming saves
// the broker memory, the results do not depend on it).
func (t *trimmer) trim(ctx context.Context) {
	var del kadm.Offsets
	if committed, err := t.adm.FetchOffsets(ctx, t.group); err == nil {
		committed.Each(func(o kadm.OffsetResponse) {
			if o.Err == nil && o.Topic == t.reqTopic && o.At > 0 {
				del.AddOffset(o.Topic, o.Partition, o.At, -1)
			}
		})
	}
	t.mu.Lock()
	for p, at := range t.consumed {
		del.AddOffset(t.respTopic, p, at, -1)
	}
	t.mu.Unlock()
	if len(del) > 0 {
		_, _ = t.adm.DeleteRecords(ctx, del)
	}
}
