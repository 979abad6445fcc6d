package kafka

import (
	"fmt"
	"math"
	"sync"

	"github.com/IBM/sarama"
	cloudevent "github.com/cloudevents/sdk-go/v2/event"
	"github.com/google/uuid"

	"github.com/trafofn/trafofn/function"
)

// fail builds a failure reply with the configured FailFunc; a panicking FailFunc falls back
// to minimalFail, so that the record is still answered.
func (c *Consumer) fail(req cloudevent.Event, errType, msg string) (reply *cloudevent.Event) {
	defer func() {
		if v := recover(); v != nil {
			c.log.Error("kafka: Fail panicked; sending a minimal failure reply", "panic", fmt.Sprint(v))
			reply = minimalFail(req, errType, msg)
		}
	}()
	if reply = c.cfg.Fail(req, errType, msg); reply == nil {
		reply = minimalFail(req, errType, msg)
	}
	return reply
}

// failNamespace makes the ids of minimal failure replies (UUIDv5 of the request's source and
// id, stable across redeliveries, as the function's reply ids are).
var failNamespace = uuid.MustParse("0f6d3c55-8b2a-4d1e-9a3c-5e7b9d2f4a61")

// minimalFail is Config.Fail's default: a failure reply of function.ReplyType with the
// extensions every reply has, and data in the shape of an execution response with only
// result, job_id and error.
func minimalFail(req cloudevent.Event, errType, msg string) *cloudevent.Event {
	r := cloudevent.New()
	r.SetID(uuid.NewSHA1(failNamespace, []byte(req.Source()+"\x00"+req.ID())).String())
	r.SetType(function.ReplyType)
	r.SetSource("/trafofn/kafka")
	job := uuid.NewString()
	r.SetSubject(job)
	r.SetExtension(function.ExtResult, "failure")
	r.SetExtension(function.ExtErrorType, errType)
	if req.ID() != "" {
		r.SetExtension(function.ExtRequestID, req.ID())
	}
	if pk, ok := req.Extensions()[function.ExtPartitionKey]; ok {
		r.SetExtension(function.ExtPartitionKey, pk)
	}
	_ = r.SetData(cloudevent.ApplicationJSON, map[string]any{
		"result": "failure",
		"job_id": job,
		"error":  map[string]any{"type": errType, "message": msg, "error_code": 500},
	})
	return &r
}

var decompressionOnce sync.Once

// limitDecompression bounds what sarama decompresses a record batch to, process-wide
// (sarama.MaxDecompressedBatchSize), unless the program already set a bound. It is set once,
// before the first client of a Consumer exists: sarama reads the variable without
// synchronisation.
func limitDecompression(n int) {
	decompressionOnce.Do(func() {
		if sarama.MaxDecompressedBatchSize <= 0 {
			sarama.MaxDecompressedBatchSize = int32(min(n, math.MaxInt32))
		}
	})
}

// batchLimit is the bound in effect (see limitDecompression).
func batchLimit() int { return int(sarama.MaxDecompressedBatchSize) }
