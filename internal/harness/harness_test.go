package harness

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/trafofn/trafofn/internal/devbroker"
)

// Topics created with their partitions are deleted again; creating one twice is an error.
func TestCreateAndDeleteTopics(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, cl, stop, err := InProcess(ctx, devbroker.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := CreateTopics(ctx, cl, 3, "a", "b"); err != nil {
		t.Fatal(err)
	}
	if err := CreateTopics(ctx, cl, 3, "a"); err == nil {
		t.Fatal("creating an existing topic succeeded")
	}
	if ps := partitions(t, b); ps["a"] != 3 || ps["b"] != 3 {
		t.Fatalf("partitions: %v", ps)
	}
	if err := DeleteTopics(ctx, cl, "a", "b"); err != nil {
		t.Fatal(err)
	}
	if ps := partitions(t, b); ps["a"] != 0 || ps["b"] != 0 {
		t.Fatalf("topics still there: %v", ps)
	}
}

// partitions lists the broker's topics with their partition counts, with a client of its
// own (kadm answers from the client's metadata cache).
func partitions(t *testing.T, b *devbroker.Broker) map[string]int {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	details, err := kadm.NewClient(cl).ListTopics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ps := map[string]int{}
	for name, d := range details {
		if d.Err == nil {
			ps[name] = len(d.Partitions)
		}
	}
	return ps
}
