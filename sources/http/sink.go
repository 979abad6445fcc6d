package http

import (
	"context"
	"fmt"
	"io"
	stdhttp "net/http"
	"time"

	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"

	"github.com/trafofn/trafofn/sources"
)

// Sink posts replies as binary-mode CloudEvents to a URL (Knative's K_SINK, e.g. a
// KafkaSink or a Broker). Send returns nil only for a 2xx answer.
type Sink struct {
	url    string
	client *stdhttp.Client
}

var _ sources.Sink = (*Sink)(nil)

// NewSink posts to url with client (default: 30 s timeout).
func NewSink(url string, client *stdhttp.Client) *Sink {
	if client == nil {
		client = &stdhttp.Client{Timeout: 30 * time.Second}
	}
	return &Sink{url: url, client: client}
}

// Send delivers one reply.
func (s *Sink) Send(ctx context.Context, reply event.Event) error {
	req, err := stdhttp.NewRequestWithContext(ctx, stdhttp.MethodPost, s.url, nil)
	if err != nil {
		return err
	}
	if err := cehttp.WriteRequest(binding.WithForceBinary(ctx), binding.ToMessage(&reply), req); err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("K_SINK %s: %w", s.url, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("K_SINK %s answered %s", s.url, resp.Status)
	}
	return nil
}
