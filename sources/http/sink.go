package http

import (
	"context"
	"errors"
	"fmt"
	"io"
	stdhttp "net/http"
	"net/url"
	"time"

	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"go.opentelemetry.io/otel/trace"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/sources"
)

// Sink posts replies as binary-mode CloudEvents to a URL (Knative's K_SINK, e.g. a
// KafkaSink or a Broker). Send returns nil only for a 2xx answer.
type Sink struct {
	url    string
	shown  string // url without credentials, for errors and logs
	client *stdhttp.Client
}

var _ sources.Sink = (*Sink)(nil)

// NewSink posts to url with client (default: 30 s timeout).
func NewSink(url string, client *stdhttp.Client) *Sink {
	if client == nil {
		client = &stdhttp.Client{Timeout: 30 * time.Second}
	}
	return &Sink{url: url, shown: Redact(url), client: client}
}

// URL is the sink's address without credentials (Redact).
func (s *Sink) URL() string { return s.shown }

// Redact returns raw without what may be a credential: user information, query and
// fragment ("https://user:token@sink/path?key=k" → "https://sink/path"). A value that is
// no URL is not shown at all.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(K_SINK: not a URL)"
	}
	r := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	return r.String()
}

// Send delivers one reply. Its errors name the sink by its redacted address.
func (s *Sink) Send(ctx context.Context, reply event.Event) error {
	req, err := stdhttp.NewRequestWithContext(ctx, stdhttp.MethodPost, s.url, nil)
	if err != nil {
		return fmt.Errorf("K_SINK %s: %w", s.shown, unwrapURL(err))
	}
	if err := cehttp.WriteRequest(binding.WithForceBinary(ctx), binding.ToMessage(&reply), req); err != nil {
		return fmt.Errorf("K_SINK %s: %w", s.shown, err)
	}
	if trace.SpanContextFromContext(ctx).IsValid() {
		function.TraceContext.Inject(ctx, outgoingCarrier{req.Header}) // W3C traceparent beside ce-traceparent
	}
	resp, err := s.client.Do(req)
	if err != nil {
		// net/http's *url.Error repeats the URL (with the user name and query)
		return fmt.Errorf("K_SINK %s: %w", s.shown, unwrapURL(err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("K_SINK %s answered %s", s.shown, resp.Status)
	}
	return nil
}

// unwrapURL drops the *url.Error around err, which prints the request's URL.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
