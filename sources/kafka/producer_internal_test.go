package kafka

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/IBM/sarama"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// The franz-go reply producer must put every key on the partition sarama's partitioners
// (murmur2, the Java client's; crc32, librdkafka's consistent) chose.
func TestReplyPartitioningMatchesSarama(t *testing.T) {
	for _, tc := range []struct {
		name   string
		sarama sarama.PartitionerConstructor
	}{
		{PartitionerMurmur2, sarama.NewMurmur2Partitioner},
		{PartitionerCRC32, sarama.NewConsistentCRCHashPartitioner},
	} {
		ktp, sp := Config{Partitioner: tc.name}.replyPartitioner().ForTopic("t"), tc.sarama("t")
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range 5000 {
			key := make([]byte, rng.IntN(40))
			for j := range key {
				key[j] = byte(rng.Uint32())
			}
			if i%3 == 0 {
				key = fmt.Appendf(nil, "job-%d", i)
			}
			for _, n := range []int{1, 3, 8, 13, 100} {
				pm := &sarama.ProducerMessage{Topic: "t", Key: sarama.ByteEncoder(key)}
				want, err := sp.Partition(pm, int32(n))
				if err != nil {
					t.Fatal(err)
				}
				rec, err := kgoRecord(pm)
				if err != nil {
					t.Fatal(err)
				}
				if got := ktp.Partition(rec, n); got != int(want) {
					t.Fatalf("%s: key %q of %d partitions: franz-go %d, sarama %d", tc.name, key, n, got, want)
				}
			}
		}
	}
}

func TestProduceErrorClassesCoverFranzGo(t *testing.T) {
	for _, tc := range []struct {
		err                        error
		permanent, tooLarge, local bool
	}{
		{fmt.Errorf("%w (uncompressed_bytes=1, compressed_bytes=1)", kerr.MessageTooLarge), true, true, false},
		{kerr.RecordListTooLarge, true, true, false},
		{kerr.InvalidRecord, true, false, false},
		{kerr.CorruptMessage, true, false, false},
		{tooLargeError{size: 10, limit: 5}, true, true, true},
		{kerr.NotEnoughReplicas, false, false, false},
		{kerr.NotLeaderForPartition, false, false, false},
		{kgo.ErrClientClosed, false, false, false},
		{sarama.ErrMessageSizeTooLarge, true, true, false},
	} {
		if permanent(tc.err) != tc.permanent || tooLarge(tc.err) != tc.tooLarge || local(tc.err) != tc.local {
			t.Errorf("%v: permanent %v tooLarge %v local %v, want %v %v %v", tc.err,
				permanent(tc.err), tooLarge(tc.err), local(tc.err), tc.permanent, tc.tooLarge, tc.local)
		}
	}
}
