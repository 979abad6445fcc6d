package kafka

import (
	"testing"
	"time"

	"github.com/IBM/sarama"
)

// Regression: KAFKA_COMPRESSION / compression_type never reached the producer. Every
// producer setting of Config ends up in sarama's producer config.
func TestProducerConfigCarriesTheSettings(t *testing.T) {
	for name, want := range map[string]sarama.CompressionCodec{
		CompressionNone: sarama.CompressionNone, CompressionGzip: sarama.CompressionGZIP, CompressionSnappy: sarama.CompressionSnappy,
		CompressionLZ4: sarama.CompressionLZ4, CompressionZstd: sarama.CompressionZSTD,
	} {
		c := Config{Brokers: []string{"b:9092"}, Compression: name, Linger: 7 * time.Millisecond, MaxMessageBytes: 100_000,
			Partitioner: PartitionerCRC32}.WithDefaults()
		sc, err := c.producerConfig()
		if err != nil {
			t.Fatal(err)
		}
		if sc.Producer.Compression != want || sc.Producer.Flush.Frequency != 7*time.Millisecond || sc.Producer.MaxMessageBytes != 100_000 {
			t.Errorf("%s: compression %v, linger %v, max %d", name, sc.Producer.Compression, sc.Producer.Flush.Frequency, sc.Producer.MaxMessageBytes)
		}
	}
	c := Config{Brokers: []string{"b:9092"}, DialTimeout: 3 * time.Second}.WithDefaults()
	sc, err := c.consumerConfig()
	if err != nil {
		t.Fatal(err)
	}
	if sc.Net.DialTimeout != 3*time.Second || len(sc.Consumer.Group.Rebalance.GroupStrategies) != 1 ||
		sc.Consumer.Group.Rebalance.GroupStrategies[0].Name() != "sticky" {
		t.Errorf("consumer config: dial %v strategies %v", sc.Net.DialTimeout, sc.Consumer.Group.Rebalance.GroupStrategies)
	}
}
