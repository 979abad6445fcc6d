package function

import (
	"context"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
)

// Echo is the benchmark baseline: it answers every request with a reply event built
// exactly like a real one (type, source, stable id, extensions) whose data is the request's
// data, without executing anything. Running it through a source measures what transport,
// delivery guarantees and event handling cost on their own.
func Echo(serviceName string) Handler {
	source := "/trafofn/" + serviceName
	return HandlerFunc(func(_ context.Context, e event.Event) (*event.Event, error) {
		r := event.New()
		r.SetID(replyID(e.Source(), e.ID()))
		r.SetType(ReplyType)
		r.SetSource(source)
		r.SetTime(time.Now())
		r.SetExtension(ExtResult, "ok")
		r.SetExtension(ExtRequestID, e.ID())
		if pk, ok := e.Extensions()[ExtPartitionKey]; ok {
			r.SetExtension(ExtPartitionKey, pk)
			if s, ok := pk.(string); ok {
				r.SetSubject(s)
			}
		}
		_ = r.SetData(event.ApplicationJSON, e.Data())
		return &r, nil
	})
}
