package kafka_test

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/devbroker"
	"github.com/trafofn/trafofn/sources/kafka"
)

// How main wires the Kafka source: without configured brokers (and outside Knative) it uses
// a Kafka at 127.0.0.1:9092 or starts the development broker there, then runs the consumer
// until SIGTERM; Run drains, commits, leaves the group and returns nil.
func Example() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var brokers []string // from internal/config (KAFKA_BROKERS); empty here
	if len(brokers) == 0 && os.Getenv("K_SERVICE") == "" {
		addrs, b, err := devbroker.Ensure(ctx, devbroker.Config{
			Topics: []string{kafka.DefaultTopic, kafka.DefaultResponseTopic, kafka.DefaultDeadLetterTopic},
		})
		if err != nil {
			slog.Error("no Kafka", "err", err)
			os.Exit(1)
		}
		if b != nil {
			defer b.Close()
			slog.Warn("DEVELOPMENT BROKER: in-memory Kafka on " + addrs[0] + "; all data is lost on exit")
		}
		brokers = addrs
	}

	c, err := kafka.New(kafka.Config{Brokers: brokers})
	if err != nil { // names the bad field
		slog.Error("config", "err", err)
		os.Exit(2)
	}
	var h function.Handler // function.New(...) wrapped in its middlewares
	// Readiness: c.Ready() == nil once joined (register c as a sources.Readier with /readyz).
	if err := c.Run(ctx, h); err != nil {
		slog.Error("kafka", "err", err)
		os.Exit(1)
	}
}
