package kafka_test

import (
	"strings"
	"testing"
	"time"

	"github.com/trafofn/trafofn/sources/kafka"
)

func TestConfigDefaults(t *testing.T) {
	c := kafka.Config{Brokers: []string{"b:9092"}}.WithDefaults()
	if c.Topic != "hd-execution-topic" || c.ResponseTopic != "hd-execution-response-topic" ||
		c.DeadLetterTopic != "hd-execution-dead-letter-topic" || c.GroupID != "trafofn" {
		t.Errorf("topics/group %+v", c)
	}
	if c.CommitInterval != 100*time.Millisecond || c.DrainTimeout != 25*time.Second ||
		c.RebalanceTimeout != 90*time.Second || c.RevokeTimeout != 75*time.Second ||
		c.InFlightPerPartition != 1 || c.Partitioner != kafka.PartitionerMurmur2 ||
		c.InitialOffset != "earliest" || c.MaxMessageBytes != 1<<20 {
		t.Errorf("defaults %+v", c)
	}
	if c.Logger == nil {
		t.Error("no default logger")
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	eo := kafka.Config{Brokers: []string{"b:9092"}, ExactlyOnce: true}.WithDefaults()
	if !strings.HasPrefix(eo.TransactionalID, "trafofn-") {
		t.Errorf("transactional id %q", eo.TransactionalID)
	}
}

// Every invalid value fails naming its field.
func TestConfigValidateNamesTheField(t *testing.T) {
	ok := kafka.Config{Brokers: []string{"localhost:9092"}}
	for field, mod := range map[string]func(*kafka.Config){
		"Brokers":              func(c *kafka.Config) { c.Brokers = nil },
		"Brokers[0]":           func(c *kafka.Config) { c.Brokers = []string{"nohostport"} },
		"Topic":                func(c *kafka.Config) { c.Topic = c.ResponseTopic + "x"; c.ResponseTopic = c.Topic },
		"KafkaVersion":         func(c *kafka.Config) { c.KafkaVersion = "banana" },
		"InitialOffset":        func(c *kafka.Config) { c.InitialOffset = "middle" },
		"Partitioner":          func(c *kafka.Config) { c.Partitioner = "fnv" },
		"BalanceStrategy":      func(c *kafka.Config) { c.BalanceStrategy = "random" },
		"InFlightPerPartition": func(c *kafka.Config) { c.InFlightPerPartition = -1 },
		"ReadAhead":            func(c *kafka.Config) { c.InFlightPerPartition = 8; c.ReadAhead = 4 },
		"HeartbeatInterval":    func(c *kafka.Config) { c.HeartbeatInterval = 5 * time.Second },
		"RevokeTimeout":        func(c *kafka.Config) { c.RevokeTimeout = 2 * time.Minute },
		"CommitInterval":       func(c *kafka.Config) { c.CommitInterval = -time.Second },
		"TLS.Enable":           func(c *kafka.Config) { c.TLS.CAFile = "/ca.pem" },
		"SASL.Mechanism":       func(c *kafka.Config) { c.SASL.Mechanism = "GSSAPI"; c.SASL.User = "u" },
		"SASL.User":            func(c *kafka.Config) { c.SASL.Mechanism = kafka.SASLSCRAMSHA512 },
		"KnativeNamespace":     func(c *kafka.Config) { c.KnativeNamespace = "ns" },
	} {
		c := ok
		mod(&c)
		err := c.Validate()
		if err == nil {
			t.Errorf("%s: invalid value accepted", field)
			continue
		}
		if !strings.Contains(err.Error(), field) {
			t.Errorf("%s: error %q does not name the field", field, err)
		}
	}
}

// Names hetida's clients accept in any case are accepted in any case (and normalised).
// Regression: SASL.Mechanism "plain" was refused naming the Go field.
func TestConfigNamesAreCaseInsensitive(t *testing.T) {
	c := kafka.Config{Brokers: []string{"b:9092"}, SASL: kafka.SASLConfig{Mechanism: "scram-sha-256", User: "u"},
		Compression: "ZSTD", BalanceStrategy: "Cooperative-Sticky", Partitioner: "CRC32", InitialOffset: "Latest"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	d := c.WithDefaults()
	if d.SASL.Mechanism != kafka.SASLSCRAMSHA256 || d.Compression != kafka.CompressionZstd || d.BalanceStrategy != kafka.StrategyCooperativeSticky ||
		d.Partitioner != kafka.PartitionerCRC32 || d.InitialOffset != kafka.OffsetLatest {
		t.Errorf("not normalised: %+v %+v", d.SASL, d)
	}
}
