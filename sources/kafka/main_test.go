package kafka_test

import (
	"os"
	"testing"

	"github.com/IBM/sarama"
)

// testBatchLimit is the process-wide bound on decompressed batches in these tests (see
// Config.MaxBatchBytes): set before any client exists, because sarama reads it without
// synchronisation, and small, so that a bomb test needs only tens of megabytes.
const testBatchLimit = 4 << 20

func TestMain(m *testing.M) {
	sarama.MaxDecompressedBatchSize = testBatchLimit
	os.Exit(m.Run())
}
