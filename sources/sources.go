// Package sources defines how events reach the function and how its replies leave.
package sources

import (
	"context"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/function"
)

// Source feeds request events to a Handler and delivers its replies.
// Run blocks until ctx ends or a fatal error occurs; it returns nil after a clean drain.
type Source interface {
	Run(ctx context.Context, h function.Handler) error
}

// Sink delivers a reply. A nil error means the destination acknowledged it.
type Sink interface {
	Send(ctx context.Context, reply event.Event) error
}

// Readier reports readiness: nil when ready, else why not.
type Readier interface {
	Ready() error
}

// Dead-letter record headers added to the original record's key, value and headers.
const (
	HeaderDLQError     = "trafofn-dlq-error"
	HeaderDLQTopic     = "trafofn-dlq-topic"
	HeaderDLQPartition = "trafofn-dlq-partition"
	HeaderDLQOffset    = "trafofn-dlq-offset"
	// HeaderDLQTruncated is present when the dead letter carries only part of the record
	// (it must fit the producer's message limit): its value is the original value's length
	// in bytes. The record's own headers that did not fit are left out.
	HeaderDLQTruncated = "trafofn-dlq-truncated"
)
