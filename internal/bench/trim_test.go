package bench

import (
	"testing"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/trafofn/trafofn/internal/devbroker"
	"github.com/trafofn/trafofn/internal/harness"
)

// The trimmer deletes requests below the group's committed offsets and replies up to what
// was consumed, and nothing else: a partition without a commit keeps every record.
func TestTrimmerDeletesOnlyWhatIsDoneWith(t *testing.T) {
	ctx := t.Context()
	_, cl, stop, err := harness.InProcess(ctx, devbroker.Config{Partitions: 2, Topics: []string{"req", "resp"}},
		kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for _, topic := range []string{"req", "resp"} {
		for p := range int32(2) {
			for range 10 {
				if err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Partition: p, Value: []byte("x")}).FirstErr(); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	adm := kadm.NewClient(cl)
	// the function committed 6 records of request partition 0, none of partition 1
	var commit kadm.Offsets
	commit.AddOffset("req", 0, 6, -1)
	if _, err := adm.CommitOffsets(ctx, "g", commit); err != nil {
		t.Fatal(err)
	}
	tr := newTrimmer(cl, "g", "req", "resp")
	tr.consume(1, 3) // replies 0–3 of partition 1 consumed
	tr.consume(1, 1) // an earlier position does not move it back
	tr.trim(ctx)
	starts, err := adm.ListStartOffsets(ctx, "req", "resp")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[int32]int64{"req": {0: 6, 1: 0}, "resp": {0: 0, 1: 4}}
	for topic, parts := range want {
		for p, at := range parts {
			got, ok := starts.Lookup(topic, p)
			if !ok || got.Err != nil || got.Offset != at {
				t.Errorf("%s/%d starts at %+v, want %d", topic, p, got, at)
			}
		}
	}
	// started and closed, it stops; close is idempotent, and a nil trimmer's too
	tr.start(ctx)
	tr.close()
	tr.close()
	var none *trimmer
	none.close()
}
