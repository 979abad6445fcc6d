// Package http is the HTTP source: CloudEvents pushed by a Knative KafkaSource or Broker
// Trigger (or curl) on POST /, hetida's own execute endpoints, health and readiness.
package http

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	stdhttp "net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/cloudevents/sdk-go/v2/binding"
	"github.com/cloudevents/sdk-go/v2/event"
	cehttp "github.com/cloudevents/sdk-go/v2/protocol/http"
	"go.opentelemetry.io/otel/trace"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/sources"
)

// Defaults of Config.
const (
	DefaultMaxBodyBytes      = 64 << 20
	DefaultShutdownTimeout   = 25 * time.Second
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultWriteTimeout      = 60 * time.Second
	DefaultIdleTimeout       = 90 * time.Second
)

// Config configures the HTTP source.
type Config struct {
	// Addr is the listen address, e.g. ":8080".
	Addr string
	// MaxBodyBytes bounds request bodies (default 64 MiB, as HTTP_MAX_BODY_BYTES); larger ones get 413, an
	// announced larger Content-Length before anything is read (and without a
	// 100 Continue).
	MaxBodyBytes int64
	// Sink, when set, receives every reply of POST / (K_SINK, or the Kafka response
	// topic); the HTTP answer is 2xx only after the sink acknowledged, 502 otherwise.
	Sink sources.Sink
	// HetidaEndpoints serves POST /api/transformations/execute[-latest] through the
	// same handler as POST / (function.WithEndpoint, function.HTTPAnswer).
	HetidaEndpoints bool
	// InFlight bounds the requests being read or executed, shared with the instance's
	// other sources; when it is full a request is answered 503 with Retry-After before
	// its body is read. Nil: no bound.
	InFlight *function.InFlight
	// Ready reports readiness for GET /readyz; nil means always ready.
	Ready func() error
	// Version is reported by GET /api/info.
	Version string
	// Catalogue, when set, answers GET /api/transformations (hetida's listing of
	// transformation revisions, filtered by the query's type, state, category,
	// revision_group_id and id parameters) with a JSON array.
	Catalogue func(query url.Values) []byte
	// Adapters, when set, answers GET /api/adapters (the configured adapters) with a
	// JSON array.
	Adapters func() []byte
	// ShutdownTimeout bounds the graceful drain of open requests (default 25 s). Bodies
	// still being uploaded when the drain starts are cut off (503): only executions are
	// waited for.
	ShutdownTimeout time.Duration
	// ReadHeaderTimeout bounds reading a request's headers (default 10 s), ReadTimeout
	// reading its body (default 60 s; 408 when it passes), WriteTimeout writing the
	// answer (default 60 s), IdleTimeout how long a keep-alive connection waits for its
	// next request (default 90 s). The execution itself is bounded by the handler
	// (EXECUTION_TIMEOUT), not here.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// TLSCertFile and TLSKeyFile, when set, make the listener HTTPS (PEM files).
	TLSCertFile, TLSKeyFile string
	// Auth, when set, guards POST / and the execute endpoints; health, readiness,
	// /metrics and /api/info stay open.
	Auth Authenticator
	// MetricsHandler, when set, answers GET /metrics (Prometheus' text format); Metrics
	// records the requests' durations (NewMetrics).
	MetricsHandler stdhttp.Handler
	Metrics        *Metrics
	// Tracer, when set, traces the entry points: a server span per request (from its
	// arrival, the child of the W3C traceparent header, else of the event's tracing
	// extension), the handler below it, and a span delivering the reply ("send K_SINK", or
	// "reply" for the answer) whose context the reply event carries. Nil costs nothing.
	Tracer trace.Tracer
	Logger *slog.Logger
}

// Authenticator decides whether a request may reach an entry point: ok, or the status
// and FastAPI-style detail to answer.
type Authenticator interface {
	Authenticate(r *stdhttp.Request) (status int, detail string, ok bool)
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if c.Addr == "" {
		return errors.New("http: Addr is empty")
	}
	if c.MaxBodyBytes < 0 {
		return errors.New("http: MaxBodyBytes must not be negative")
	}
	if (c.TLSCertFile == "") != (c.TLSKeyFile == "") {
		return errors.New("http: TLSCertFile and TLSKeyFile go together")
	}
	for _, d := range []time.Duration{c.ShutdownTimeout, c.ReadHeaderTimeout, c.ReadTimeout, c.WriteTimeout, c.IdleTimeout} {
		if d < 0 {
			return errors.New("http: timeouts must not be negative")
		}
	}
	return nil
}

// Server is the HTTP source. Delivery: a request is answered only after the handler
// produced the reply (and, with a Sink, after the sink acknowledged it); a handler fault
// is answered 503 so that the sender (e.g. Knative's dispatcher) retries.
type Server struct {
	cfg       Config
	tls       *tls.Config
	log       *slog.Logger
	ready     chan struct{}
	readyOnce sync.Once
	addr      string
	runs      sync.Mutex // held by Run: a Server runs once at a time

	mu      sync.Mutex
	closing bool                                     // the drain has started
	reading map[*stdhttp.ResponseController]struct{} // bodies being read
}

var _ sources.Source = (*Server)(nil)

// New builds the server; it loads the TLS certificate, so that a bad file is a
// configuration error.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	orDefault := func(d *time.Duration, def time.Duration) {
		if *d == 0 {
			*d = def
		}
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	orDefault(&cfg.ShutdownTimeout, DefaultShutdownTimeout)
	orDefault(&cfg.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	orDefault(&cfg.ReadTimeout, DefaultReadTimeout)
	orDefault(&cfg.WriteTimeout, DefaultWriteTimeout)
	orDefault(&cfg.IdleTimeout, DefaultIdleTimeout)
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &Server{cfg: cfg, log: log, ready: make(chan struct{}), reading: map[*stdhttp.ResponseController]struct{}{}}
	if cfg.TLSCertFile != "" {
		cert, err := tls.LoadX509KeyPair(cfg.TLSCertFile, cfg.TLSKeyFile)
		if err != nil {
			return nil, fmt.Errorf("http: TLS certificate: %w", err)
		}
		s.tls = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	return s, nil
}

// Addr returns the bound address once Run listens (useful with port 0), or "" when Run
// failed to listen.
func (s *Server) Addr() string {
	<-s.ready
	return s.addr
}

// Run serves until ctx ends, then drains open requests for up to ShutdownTimeout and
// returns nil.
func (s *Server) Run(ctx context.Context, h function.Handler) error {
	if !s.runs.TryLock() {
		return errors.New("http: Run is already running")
	}
	defer s.runs.Unlock()
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		s.readyOnce.Do(func() { close(s.ready) })
		return fmt.Errorf("http: listen %s: %w", s.cfg.Addr, err)
	}
	s.addr = ln.Addr().String()
	s.readyOnce.Do(func() { close(s.ready) })
	s.mu.Lock()
	s.closing = false
	s.mu.Unlock()
	srv := &stdhttp.Server{
		Handler:           s.Handler(h),
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		TLSConfig:         s.tls,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() {
		if s.tls != nil {
			errc <- srv.ServeTLS(ln, "", "")
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	s.log.Info("http source listening", "addr", s.addr, "tls", s.tls != nil)
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	s.cutUploads()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("http: executions still running after the drain timeout of %s: %w", s.cfg.ShutdownTimeout, err)
	}
	return nil
}

// cutUploads starts the drain: bodies being read now (a slow upload would hold the drain
// for its whole timeout) and from now on are cut off and answered 503.
func (s *Server) cutUploads() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closing = true
	for rc := range s.reading {
		_ = rc.SetReadDeadline(time.Now())
	}
}

// Handler returns the HTTP handler (also usable with httptest).
func (s *Server) Handler(h function.Handler) stdhttp.Handler {
	mux := stdhttp.NewServeMux()
	mux.HandleFunc("POST /{$}", s.entry(false, func(w stdhttp.ResponseWriter, r *stdhttp.Request, body []byte) {
		s.cloudEvent(w, r, h, body)
	}))
	if s.cfg.HetidaEndpoints {
		for _, ep := range []struct {
			path string
			mode function.Mode
		}{{"/api/transformations/execute", function.ModeByID}, {"/api/transformations/execute-latest", function.ModeLatest}} {
			handle := s.entry(true, func(w stdhttp.ResponseWriter, r *stdhttp.Request, body []byte) { s.execute(w, r, h, ep.mode, body) })
			mux.HandleFunc("POST "+ep.path, handle)
			mux.HandleFunc("POST "+ep.path+"/", handle)
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
	if s.cfg.Catalogue != nil {
		s.listing(mux, "/api/transformations", s.cfg.Catalogue)
	}
	if s.cfg.Adapters != nil {
		s.listing(mux, "/api/adapters", func(url.Values) []byte { return s.cfg.Adapters() })
	}
	if s.cfg.MetricsHandler != nil {
		mux.Handle("GET /metrics", s.cfg.MetricsHandler)
	}
	for _, p := range []string{"/api/info", "/api/info/"} {
		mux.HandleFunc("GET "+p, func(w stdhttp.ResponseWriter, _ *stdhttp.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"msg":"Here I am","version":%q}`, s.cfg.Version)
		})
	}
	return s.recoverer(s.arrival(s.cfg.Metrics.measure(mux)))
}

// arrival notes when a request arrived (for its span), only when tracing.
func (s *Server) arrival(next stdhttp.Handler) stdhttp.Handler {
	if s.cfg.Tracer == nil {
		return next
	}
	return stdhttp.HandlerFunc(func(w stdhttp.ResponseWriter, r *stdhttp.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), arrivalKey{}, time.Now())))
	})
}

// listing serves GET path (with or without a trailing slash) with a JSON listing, behind
// the same authentication as the entry points (hetida opens only health and info).
func (s *Server) listing(mux *stdhttp.ServeMux, path string, list func(url.Values) []byte) {
	h := func(w stdhttp.ResponseWriter, r *stdhttp.Request) {
		if s.cfg.Auth != nil {
			if status, detail, ok := s.cfg.Auth.Authenticate(r); !ok {
				s.detail(w, status, detail)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(list(r.URL.Query()))
	}
	mux.HandleFunc("GET "+path, h)
	mux.HandleFunc("GET "+path+"/", h)
}

// recoverer answers 500 to a panic in the source's own code (net/http would only drop
// the connection).
func (s *Server) recoverer(next stdhttp.Handler) stdhttp.Handler {
	return stdhttp.HandlerFunc(func(w stdhttp.ResponseWriter, r *stdhttp.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == stdhttp.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("http handler panicked", "path", r.URL.Path, "panic", p)
				stdhttp.Error(w, "internal error", stdhttp.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// entry guards an entry point, cheapest check first: authentication (headers only), for
// hetida's endpoints a JSON content type, an announced body size, a free in-flight slot
// (held until the answer is written), then the body is read within ReadTimeout.
func (s *Server) entry(hetida bool, serve func(w stdhttp.ResponseWriter, r *stdhttp.Request, body []byte)) stdhttp.HandlerFunc {
	return func(w stdhttp.ResponseWriter, r *stdhttp.Request) {
		if s.cfg.Auth != nil {
			if status, detail, ok := s.cfg.Auth.Authenticate(r); !ok {
				unread(w, r)
				s.detail(w, status, detail)
				return
			}
		}
		if hetida && !jsonContentType(r.Header.Get("Content-Type")) {
			// FastAPI (≥ 0.65.2, CVE-2021-32677) does not parse such a body as JSON, so
			// that a cross-site "simple" request cannot execute anything; pydantic then
			// finds no object
			unread(w, r)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(stdhttp.StatusUnprocessableEntity)
			_, _ = io.WriteString(w, `{"detail":[{"loc":["body"],"msg":"value is not a valid dict","type":"type_error.dict"}]}`)
			return
		}
		if r.ContentLength > s.cfg.MaxBodyBytes {
			// refused before reading; unread, the body also gets no 100 Continue
			unread(w, r)
			stdhttp.Error(w, fmt.Sprintf("request body of %d bytes exceeds %d bytes (HTTP_MAX_BODY_BYTES)", r.ContentLength, s.cfg.MaxBodyBytes), stdhttp.StatusRequestEntityTooLarge)
			return
		}
		if !s.cfg.InFlight.TryAcquire() {
			unread(w, r)
			w.Header().Set("Retry-After", "1")
			stdhttp.Error(w, "busy: the instance has as many requests in flight as it may (MAX_IN_FLIGHT); retry", stdhttp.StatusServiceUnavailable)
			return
		}
		defer s.cfg.InFlight.Release()
		body, ok := s.readBody(w, r)
		if !ok {
			return
		}
		serve(w, r, body)
	}
}

// unread prepares the answer to a request whose body is not read: net/http would read
// what remains of it after the answer (up to 256 KiB, to reuse the connection) and wait
// for a client that never sends it; the connection is closed instead.
func unread(w stdhttp.ResponseWriter, r *stdhttp.Request) {
	if r.ContentLength == 0 {
		return
	}
	w.Header().Set("Connection", "close")
	_ = stdhttp.NewResponseController(w).SetReadDeadline(time.Now())
}

// jsonContentType is FastAPI's test: no Content-Type, or application/json or
// application/*+json.
func jsonContentType(ct string) bool {
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	sub, ok := strings.CutPrefix(mt, "application/")
	return ok && (sub == "json" || strings.HasSuffix(sub, "+json"))
}

// detail answers status with FastAPI's {"detail": …} body.
func (s *Server) detail(w stdhttp.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"detail":%s}`, jsonString(detail))
}

func (s *Server) readBody(w stdhttp.ResponseWriter, r *stdhttp.Request) ([]byte, bool) {
	rc := stdhttp.NewResponseController(w)
	// the deadline is set before the body is registered, so that cutUploads' deadline
	// (now) cannot be overwritten by this one
	_ = rc.SetReadDeadline(time.Now().Add(s.cfg.ReadTimeout))
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		unread(w, r)
		s.shuttingDown(w)
		return nil, false
	}
	s.reading[rc] = struct{}{}
	s.mu.Unlock()
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		// an announced size is allocated only up to 1 MiB before the bytes arrive
		buf.Grow(int(min(r.ContentLength+1, 1<<20)))
	}
	_, err := buf.ReadFrom(stdhttp.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	s.mu.Lock()
	delete(s.reading, rc)
	closing := s.closing
	s.mu.Unlock()
	if err == nil {
		// the execution that follows must not be cut by the body's deadline (the
		// connection's background read would cancel the request's context)
		_ = rc.SetReadDeadline(time.Time{})
		return buf.Bytes(), true
	}
	// the rest of a body that failed is not waited for: net/http would try to read it
	// after the answer to reuse the connection
	_ = rc.SetReadDeadline(time.Now())
	var mbe *stdhttp.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		stdhttp.Error(w, fmt.Sprintf("request body exceeds %d bytes (HTTP_MAX_BODY_BYTES)", s.cfg.MaxBodyBytes), stdhttp.StatusRequestEntityTooLarge)
	case closing:
		s.shuttingDown(w)
	case errors.Is(err, os.ErrDeadlineExceeded):
		w.Header().Set("Connection", "close")
		stdhttp.Error(w, fmt.Sprintf("request body not received within %s (HTTP_READ_TIMEOUT)", s.cfg.ReadTimeout), stdhttp.StatusRequestTimeout)
	default:
		stdhttp.Error(w, "reading request body: "+err.Error(), stdhttp.StatusBadRequest)
	}
	return nil, false
}

func (s *Server) shuttingDown(w stdhttp.ResponseWriter) {
	w.Header().Set("Connection", "close")
	w.Header().Set("Retry-After", "1")
	stdhttp.Error(w, "shutting down; retry", stdhttp.StatusServiceUnavailable)
}

// answering bounds writing the answer to WriteTimeout.
func (s *Server) answering(w stdhttp.ResponseWriter) {
	_ = stdhttp.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout))
}

// execute serves hetida's endpoint: the body goes through the handler like an event
// (function.WithEndpoint) and the reply is rendered as hetida answers.
func (s *Server) execute(w stdhttp.ResponseWriter, r *stdhttp.Request, h function.Handler, mode function.Mode, body []byte) {
	req := function.NewRequest(r.Header.Get("X-Request-Id"), "/trafofn/http", r.Header.Get("Content-Type"), body)
	ctx, span := s.startReceive(r, &req)
	reply, err := h.Handle(function.WithEndpoint(ctx, mode), req)
	s.answering(w)
	if err != nil || reply == nil {
		s.fault(w, req, err)
		endSpan(span, stdhttp.StatusServiceUnavailable, err)
		return
	}
	_, rspan := s.startReply(ctx, reply)
	resp, status := function.HTTPAnswer(reply)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(resp)
	endSpan(rspan, status, nil)
	endSpan(span, status, nil)
}

func (s *Server) fault(w stdhttp.ResponseWriter, req event.Event, err error) {
	s.log.Warn("handler fault; asking the sender to retry", "id", req.ID(), "err", err)
	w.Header().Set("Retry-After", "1")
	msg := "temporarily unable to execute"
	if err != nil {
		msg += ": " + err.Error()
	}
	stdhttp.Error(w, msg, stdhttp.StatusServiceUnavailable)
}

// cloudEvent handles POST /: a CloudEvent in binary or structured mode, or a plain body
// (curl) wrapped into an event. The reply is written in the request's mode (binary for
// plain bodies, so the HTTP body is exactly the execution response).
func (s *Server) cloudEvent(w stdhttp.ResponseWriter, r *stdhttp.Request, h function.Handler, body []byte) {
	msg := cehttp.NewMessage(r.Header, io.NopCloser(bytes.NewReader(body)))
	enc := msg.ReadEncoding()
	var req event.Event
	if enc == binding.EncodingBinary || enc == binding.EncodingStructured {
		// ToEvent does not validate: an event without id, source or type "decodes", and
		// every id-less event of a source would get the same reply id. As on Kafka, an
		// invalid CloudEvent is handled as a plain body with an id of its own; its data
		// goes to the function, which replies with a RequestParseError failure when it
		// is no execution request.
		e, err := binding.ToEvent(r.Context(), msg)
		if err == nil {
			err = e.Validate()
		}
		if err != nil {
			s.log.Warn("malformed CloudEvent; handling the body as plain data", "err", err)
			req = plainEvent(r, body)
		} else {
			req = *e
		}
	} else {
		req = plainEvent(r, body)
	}
	hctx, span := s.startReceive(r, &req)
	reply, err := h.Handle(hctx, req)
	if err != nil {
		s.answering(w)
		s.fault(w, req, err)
		endSpan(span, stdhttp.StatusServiceUnavailable, err)
		return
	}
	if reply == nil {
		w.WriteHeader(stdhttp.StatusAccepted)
		endSpan(span, stdhttp.StatusAccepted, nil)
		return
	}
	rctx, rspan := s.startReply(hctx, reply)
	if s.cfg.Sink != nil {
		if err := s.cfg.Sink.Send(rctx, *reply); err != nil {
			// the sink's address and error stay in the log (redacted): they are no
			// business of the sender
			s.log.Error("reply not acknowledged by the sink", "id", reply.ID(), "err", err)
			s.answering(w)
			stdhttp.Error(w, "reply not delivered to the sink", stdhttp.StatusBadGateway)
			endSpan(rspan, stdhttp.StatusBadGateway, err)
			endSpan(span, stdhttp.StatusBadGateway, nil)
			return
		}
	}
	ctx := binding.WithForceBinary(r.Context())
	if enc == binding.EncodingStructured {
		ctx = binding.WithForceStructured(r.Context())
	}
	s.answering(w)
	if err := cehttp.WriteResponseWriter(ctx, binding.ToMessage(reply), stdhttp.StatusOK, w); err != nil {
		s.log.Error("writing reply", "err", err)
	}
	endSpan(rspan, stdhttp.StatusOK, nil)
	endSpan(span, stdhttp.StatusOK, nil)
}

// plainEvent wraps a plain request body into a CloudEvent; X-Request-Id, when given, is
// its id.
func plainEvent(r *stdhttp.Request, body []byte) event.Event {
	return function.NewRequest(r.Header.Get("X-Request-Id"), "/trafofn/http", r.Header.Get("Content-Type"), body)
}
