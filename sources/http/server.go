// Package http is the HTTP source: CloudEvents pushed by a Knative KafkaSource or Broker
// Trigger (or curl) on POST /, hetida's own execute endpoints, health and readiness.
package http

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	stdhttp "net/http"
	"time"

	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"github.com/google/uuid"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/sources"
)

// Executor serves hetida's plain-JSON execute endpoints (function.Function does).
type Executor interface {
	Execute(ctx context.Context, mode function.Mode, body []byte) (resp []byte, status int)
}

// Config configures the HTTP source.
type Config struct {
	// Addr is the listen address, e.g. ":8080".
	Addr string
	// MaxBodyBytes bounds request bodies (default 16 MiB); larger ones get 413.
	MaxBodyBytes int64
	// Sink, when set, receives every reply of POST / (K_SINK, or the Kafka response
	// topic); the HTTP answer is 2xx only after the sink acknowledged, 502 otherwise.
	Sink sources.Sink
	// Executor serves /api/transformations/execute[-latest]; nil disables them.
	Executor Executor
	// Ready reports readiness for GET /readyz; nil means always ready.
	Ready func() error
	// Version is reported by GET /api/info.
	Version string
	// ShutdownTimeout bounds the graceful drain of open requests (default 25 s).
	ShutdownTimeout time.Duration
	Logger          *slog.Logger
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if c.Addr == "" {
		return errors.New("http: Addr is empty")
	}
	if c.MaxBodyBytes < 0 {
		return errors.New("http: MaxBodyBytes must not be negative")
	}
	return nil
}

// Server is the HTTP source. Delivery: a request is answered only after the handler
// produced the reply (and, with a Sink, after the sink acknowledged it); a handler fault
// is answered 503 so that the sender (e.g. Knative's dispatcher) retries.
type Server struct {
	cfg   Config
	log   *slog.Logger
	ready chan struct{}
	addr  string
}

var _ sources.Source = (*Server)(nil)

// New builds the server.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 16 << 20
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 25 * time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Server{cfg: cfg, log: log, ready: make(chan struct{})}, nil
}

// Addr returns the bound address once Run listens (useful with port 0).
func (s *Server) Addr() string {
	<-s.ready
	return s.addr
}

// Run serves until ctx ends, then drains open requests for up to ShutdownTimeout and
// returns nil.
func (s *Server) Run(ctx context.Context, h function.Handler) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("http: listen %s: %w", s.cfg.Addr, err)
	}
	s.addr = ln.Addr().String()
	close(s.ready)
	srv := &stdhttp.Server{
		Handler:           s.Handler(h),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("http source listening", "addr", s.addr)
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("http: shutdown: %w", err)
	}
	return nil
}

// Handler returns the HTTP handler (also usable with httptest).
func (s *Server) Handler(h function.Handler) stdhttp.Handler {
	mux := stdhttp.NewServeMux()
	mux.HandleFunc("POST /{$}", func(w stdhttp.ResponseWriter, r *stdhttp.Request) { s.cloudEvent(w, r, h) })
	if s.cfg.Executor != nil {
		for _, p := range []string{"/api/transformations/execute", "/api/transformations/execute/"} {
			mux.HandleFunc("POST "+p, func(w stdhttp.ResponseWriter, r *stdhttp.Request) { s.execute(w, r, function.ModeByID) })
		}
		for _, p := range []string{"/api/transformations/execute-latest", "/api/transformations/execute-latest/"} {
			mux.HandleFunc("POST "+p, func(w stdhttp.ResponseWriter, r *stdhttp.Request) { s.execute(w, r, function.ModeLatest) })
		}
	}
	mux.HandleFunc("GET /healthz", func(w stdhttp.ResponseWriter, _ *stdhttp.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w stdhttp.ResponseWriter, _ *stdhttp.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if s.cfg.Ready != nil {
			if err := s.cfg.Ready(); err != nil {
				w.WriteHeader(stdhttp.StatusServiceUnavailable)
				_, _ = io.WriteString(w, "not ready: "+err.Error()+"\n")
				return
			}
		}
		_, _ = io.WriteString(w, "ready\n")
	})
	for _, p := range []string{"/api/info", "/api/info/"} {
		mux.HandleFunc("GET "+p, func(w stdhttp.ResponseWriter, _ *stdhttp.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"msg":"Here I am","version":%q}`, s.cfg.Version)
		})
	}
	return mux
}

func (s *Server) readBody(w stdhttp.ResponseWriter, r *stdhttp.Request) ([]byte, bool) {
	body, err := io.ReadAll(stdhttp.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		var mbe *stdhttp.MaxBytesError
		if errors.As(err, &mbe) {
			stdhttp.Error(w, fmt.Sprintf("request body exceeds %d bytes", s.cfg.MaxBodyBytes), stdhttp.StatusRequestEntityTooLarge)
		} else {
			stdhttp.Error(w, "reading request body: "+err.Error(), stdhttp.StatusBadRequest)
		}
		return nil, false
	}
	return body, true
}

func (s *Server) execute(w stdhttp.ResponseWriter, r *stdhttp.Request, mode function.Mode) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	resp, status := s.cfg.Executor.Execute(r.Context(), mode, body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(resp)
}

// cloudEvent handles POST /: a CloudEvent in binary or structured mode, or a plain body
// (curl) wrapped into an event. The reply is written in the request's mode (binary for
// plain bodies, so the HTTP body is exactly the execution response).
func (s *Server) cloudEvent(w stdhttp.ResponseWriter, r *stdhttp.Request, h function.Handler) {
	body, ok := s.readBody(w, r)
	if !ok {
		return
	}
	msg := cehttp.NewMessage(r.Header, io.NopCloser(bytes.NewReader(body)))
	enc := msg.ReadEncoding()
	var req *event.Event
	if enc == binding.EncodingBinary || enc == binding.EncodingStructured {
		e, err := binding.ToEvent(r.Context(), msg)
		if err != nil {
			// a broken CloudEvent is still answered: its body goes to the function,
			// which replies with a RequestParseError failure
			s.log.Warn("malformed CloudEvent; handling the body as plain data", "err", err)
			req = plainEvent(r, body)
		} else {
			req = e
		}
	} else {
		req = plainEvent(r, body)
	}
	reply, err := h.Handle(r.Context(), *req)
	if err != nil {
		s.log.Warn("handler fault; asking the sender to retry", "id", req.ID(), "err", err)
		stdhttp.Error(w, "temporarily unable to execute: "+err.Error(), stdhttp.StatusServiceUnavailable)
		return
	}
	if reply == nil {
		w.WriteHeader(stdhttp.StatusAccepted)
		return
	}
	if s.cfg.Sink != nil {
		if err := s.cfg.Sink.Send(r.Context(), *reply); err != nil {
			s.log.Error("reply not acknowledged by the sink", "id", reply.ID(), "err", err)
			stdhttp.Error(w, "reply not delivered to the sink: "+err.Error(), stdhttp.StatusBadGateway)
			return
		}
	}
	ctx := binding.WithForceBinary(r.Context())
	if enc == binding.EncodingStructured {
		ctx = binding.WithForceStructured(r.Context())
	}
	if err := cehttp.WriteResponseWriter(ctx, binding.ToMessage(reply), stdhttp.StatusOK, w); err != nil {
		s.log.Error("writing reply", "err", err)
	}
}

// plainEvent wraps a plain request body into a CloudEvent.
func plainEvent(r *stdhttp.Request, body []byte) *event.Event {
	e := event.New()
	id := r.Header.Get("X-Request-Id")
	if id == "" {
		id = uuid.NewString()
	}
	e.SetID(id)
	e.SetType("trafofn.execution.request")
	e.SetSource("/trafofn/http")
	e.SetTime(time.Now())
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		ct = event.ApplicationJSON
	}
	_ = e.SetData(ct, body)
	return &e
}
