// Package rest is hetida's generic REST adapter: any string adapter id registered in
// HETIDA_DESIGNER_ADAPTERS that is not a built-in adapter is served by a web service
// speaking hetida's generic REST adapter protocol under the registered internal URL:
//
//	GET  timeseries?id=…&id=…&from=…&to=…   NDJSON {"timeseriesId","timestamp","value"}
//	GET  dataframe?id=…                     NDJSON records (a "timestamp" column becomes the index)
//	GET  multitsframe?id=…&from=…&to=…      NDJSON {"metric","timestamp","value"}
//	GET  {sources|sinks|thingNodes}/{ref_id}/metadata/{ref_key}   {"key","value","dataType"}
//	POST timeseries?timeseriesId=…, dataframe?id=…, multitsframe?id=…   JSON records
//	POST {sources|sinks|thingNodes}/{ref_id}/metadata/{ref_key}  {"key","value","dataType"}
//
// Other filters of a wiring travel as query parameters (timestampFrom/timestampTo as
// from/to); a value's attrs travel base64-encoded JSON in the Data-Attributes header.
// Every request is bounded by EXTERNAL_REQUEST_TIMEOUT and the execution's context;
// responses are read as a stream and abandoned as soon as an input has more points than
// MAX_POINTS or the response more bytes than ADAPTER_MAX_BYTES.
package rest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Config configures one generic REST adapter.
type Config struct {
	// ID is the adapter id (the key in HETIDA_DESIGNER_ADAPTERS).
	ID string
	// BaseURL is the adapter's internal URL, the base of its endpoints.
	BaseURL string
	// Timeout bounds each request, its response body included (EXTERNAL_REQUEST_TIMEOUT).
	Timeout time.Duration
	// MaxBytes bounds the bytes of one response (0: no limit).
	MaxBytes int64
	// Client sends the requests; nil: NewClient(true).
	Client *http.Client
	Logger *slog.Logger
}

// NewClient returns the HTTP client of the REST adapters: TLS certificates verified
// unless verify is false (HETIDA_DESIGNER_ADAPTERS_VERIFY_CERTS), no redirects across
// schemes dropped silently, proxies from the environment as usual.
func NewClient(verify bool) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: !verify} //nolint:gosec // the operator's choice
	tr.MaxIdleConnsPerHost = 16
	return &http.Client{Transport: tr}
}

// Adapter is one generic REST adapter; it is safe for concurrent use.
type Adapter struct {
	cfg  Config
	base *url.URL
	log  *slog.Logger
}

var (
	_ adapter.Source = (*Adapter)(nil)
	_ adapter.Sink   = (*Adapter)(nil)
)

// New returns the adapter; the base URL must be an absolute http(s) URL.
func New(cfg Config) (*Adapter, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("adapter %q: internal URL %q is not an absolute http(s) URL", cfg.ID, Redact(cfg.BaseURL))
	}
	if cfg.Client == nil {
		cfg.Client = NewClient(true)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 90 * time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Adapter{cfg: cfg, base: u, log: log}, nil
}

// Redact hides the password of a URL (for messages and logs).
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// general is the container part of an external type ("timeseries(float)" → "timeseries").
func general(ext string) string {
	g, _, _ := strings.Cut(ext, "(")
	return g
}

// valueType is the value part ("timeseries(float)" → "float"; "" for dataframe and
// multitsframe).
func valueType(ext string) string {
	_, v, ok := strings.Cut(ext, "(")
	if !ok {
		return ""
	}
	return strings.TrimSuffix(v, ")")
}

// check applies hetida's wiring rules of the generic REST adapter.
func check(bs []adapter.Binding) error {
	for _, b := range bs {
		if b.RefID == nil {
			return adapter.WiringFailed("AdapterClientWiringInvalidError", b, "Unset ref id in a wiring using generic rest adapter.", nil)
		}
		if b.External == nil {
			return adapter.WiringFailed("AdapterClientWiringInvalidError", b, "Unset type in a wiring using generic rest adapter.", nil)
		}
		switch general(*b.External) {
		case "metadata", "timeseries", "series", "dataframe", "multitsframe":
		default:
			return adapter.WiringFailed("AdapterClientWiringInvalidError", b, "Unknown type in a wiring using generic rest adapter.", nil)
		}
		if general(*b.External) == "metadata" {
			if b.RefIDType == nil {
				return adapter.WiringFailed("AdapterClientWiringInvalidError", b, "Unset ref_id_type in metadatum wiring.", nil)
			}
			if b.RefKey == nil {
				return adapter.WiringFailed("AdapterClientWiringInvalidError", b, "Unset ref_key in metadatum wiring.", nil)
			}
		}
	}
	return nil
}

// endpoint is the base URL joined with path segments, each escaped as hetida's
// urllib.parse.quote does it (a "/" inside a segment stays a "/").
func (a *Adapter) endpoint(segments ...string) *url.URL {
	u := *a.base
	raw := strings.TrimRight(u.EscapedPath(), "/")
	for _, s := range segments {
		parts := strings.Split(s, "/")
		for i, p := range parts {
			parts[i] = url.PathEscape(p)
		}
		raw += "/" + strings.Join(parts, "/")
	}
	u.RawPath = raw
	u.Path, _ = url.PathUnescape(raw)
	u.RawQuery, u.Fragment = "", ""
	return &u
}

// shown is u as messages show it: without password and query.
func shown(u *url.URL) string {
	c := *u
	c.RawQuery = ""
	return c.Redacted()
}

// failure is the adapter's error for binding b.
func (a *Adapter) failure(typ string, b adapter.Binding, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return adapter.WiringFailed(typ, b, msg, nil)
}

// do sends req and returns the response when its status is wanted; every failure is an
// AdapterConnectionError naming the endpoint (never its password) and the cause.
func (a *Adapter) do(req *http.Request, b adapter.Binding, wanted ...int) (*http.Response, error) {
	start := time.Now()
	resp, err := a.cfg.Client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		if errors.Is(err, context.DeadlineExceeded) && req.Context().Err() != nil {
			err = fmt.Errorf("no answer within %s (EXTERNAL_REQUEST_TIMEOUT or the execution timeout)", a.cfg.Timeout)
		}
		return nil, a.failure("AdapterConnectionError", b, "%s %s failed: %v", req.Method, shown(req.URL), err)
	}
	a.log.Debug("generic REST adapter request", "adapter", a.cfg.ID, "method", req.Method, "url", shown(req.URL), "status", resp.StatusCode, "took", time.Since(start))
	for _, s := range wanted {
		if resp.StatusCode == s {
			return resp, nil
		}
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	return nil, a.failure("AdapterConnectionError", b, "%s %s answered %s: %s", req.Method, shown(req.URL), resp.Status, strings.TrimSpace(string(text)))
}

// Load fetches the inputs; metadata, dataframes and multitsframes one request each,
// timeseries with equal filters and type together in one request, all concurrently.
func (a *Adapter) Load(ctx context.Context, req adapter.LoadRequest) (map[string]any, error) {
	if err := check(req.Bindings); err != nil {
		return nil, err
	}
	type job struct {
		bs  []adapter.Binding
		run func(context.Context, []adapter.Binding) (map[string]any, error)
	}
	var jobs []job
	ts := map[string]int{} // timeseries groups by filters and type
	for _, b := range req.Bindings {
		switch general(*b.External) {
		case "metadata":
			jobs = append(jobs, job{[]adapter.Binding{b}, a.loadMetadata})
		case "series":
			return nil, a.failure("AdapterClientWiringInvalidError", b, "series(…) sources are not offered by the generic REST adapter protocol (hetida collects them but never loads them); use timeseries(…)")
		case "dataframe":
			jobs = append(jobs, job{[]adapter.Binding{b}, func(ctx context.Context, bs []adapter.Binding) (map[string]any, error) {
				return a.loadFrame(ctx, bs[0], "dataframe", req.MaxPoints)
			}})
		case "multitsframe":
			if err := needRange(b, "MultiTSFrame"); err != nil {
				return nil, err
			}
			jobs = append(jobs, job{[]adapter.Binding{b}, func(ctx context.Context, bs []adapter.Binding) (map[string]any, error) {
				return a.loadFrame(ctx, bs[0], "multitsframe", req.MaxPoints)
			}})
		case "timeseries":
			if err := needRange(b, "Timeseries"); err != nil {
				return nil, err
			}
			key := *b.External + "\x00" + filterKey(b.Filters)
			if i, ok := ts[key]; ok {
				jobs[i].bs = append(jobs[i].bs, b)
				continue
			}
			ts[key] = len(jobs)
			jobs = append(jobs, job{[]adapter.Binding{b}, func(ctx context.Context, bs []adapter.Binding) (map[string]any, error) {
				return a.loadTimeseries(ctx, bs, req.MaxPoints)
			}})
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make(map[string]any, len(req.Bindings))
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vals, err := j.run(ctx, j.bs)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if first == nil {
					first = err
					cancel() // the others are no longer needed
				}
				return
			}
			for k, v := range vals {
				out[k] = v
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return out, nil
}

func needRange(b adapter.Binding, what string) error {
	_, from := b.Filters.Get("timestampFrom")
	_, to := b.Filters.Get("timestampTo")
	if !from || !to {
		return adapter.WiringFailed("AdapterClientWiringInvalidError", b, what+" data with no to/from filters.", nil)
	}
	return nil
}

// filterKey identifies a set of filters (order does not matter).
func filterKey(f adapter.Filters) string {
	var parts []string
	for _, x := range f {
		parts = append(parts, x.Key+"="+x.Value())
	}
	sort.Strings(parts)
	return strings.Join(parts, "\x00")
}

// query adds a wiring's filters to q, timestampFrom/timestampTo renamed from/to.
func query(q url.Values, f adapter.Filters) {
	for _, x := range f {
		k := x.Key
		switch k {
		case "timestampFrom":
			k = "from"
		case "timestampTo":
			k = "to"
		}
		q.Add(k, x.Value())
	}
}

// get starts a GET and returns the response body bounded by MaxBytes; cancel ends the
// request.
func (a *Adapter) get(ctx context.Context, b adapter.Binding, u *url.URL) (*http.Response, io.Reader, context.CancelFunc, error) {
	rctx, cancel := context.WithTimeout(ctx, a.cfg.Timeout)
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, u.String(), nil)
	if err != nil {
		cancel()
		return nil, nil, nil, a.failure("AdapterHandlingException", b, "bad request URL %s: %v", shown(u), err)
	}
	req.Header.Set("Accept", "application/x-ndjson, application/json")
	resp, err := a.do(req, b, http.StatusOK, http.StatusNotFound)
	if err != nil {
		cancel()
		return nil, nil, nil, err
	}
	var body io.Reader = resp.Body
	if a.cfg.MaxBytes > 0 {
		body = &limited{r: resp.Body, n: a.cfg.MaxBytes, max: a.cfg.MaxBytes}
	}
	return resp, body, func() { resp.Body.Close(); cancel() }, nil
}

// resultEmpty reports the 404 {"errorCode": "RESULT_EMPTY"} with which adapters answer
// queries without data; any other 404 is a failure.
func (a *Adapter) resultEmpty(resp *http.Response, body io.Reader, b adapter.Binding, u *url.URL) (bool, error) {
	if resp.StatusCode != http.StatusNotFound {
		return false, nil
	}
	text, _ := io.ReadAll(io.LimitReader(body, 4096))
	if v, err := wire.Decode(text); err == nil {
		if d, ok := v.(*data.Dict); ok {
			if c, _ := d.Get("errorCode"); c == "RESULT_EMPTY" {
				return true, nil
			}
		}
	}
	return false, a.failure("AdapterConnectionError", b, "GET %s answered %s: %s", shown(u), resp.Status, strings.TrimSpace(string(text)))
}

// attrs decodes the Data-Attributes header: base64 of UTF-8 JSON.
func (a *Adapter) attrs(resp *http.Response, b adapter.Binding) (any, error) {
	h := resp.Header.Get("Data-Attributes")
	if h == "" {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(h)
	if err != nil {
		return nil, a.failure("AdapterHandlingException", b, "the Data-Attributes header is not base64: %v", err)
	}
	v, err := wire.Decode(raw)
	if err != nil {
		return nil, a.failure("AdapterHandlingException", b, "the Data-Attributes header is not JSON: %v", err)
	}
	return v, nil
}

// records reads NDJSON objects, one per line (blank lines skipped), calling each for
// every one; it stops with errTooMany once max records were exceeded (max 0: none).
func records(ctx context.Context, body io.Reader, max int, each func(*data.Dict) error) error {
	br := bufio.NewReaderSize(body, 64<<10)
	n := 0
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// a long line: collect it whole (bounded by MaxBytes through body)
			buf := append([]byte(nil), line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				buf = append(buf, line...)
			}
			line = buf
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if len(bytes.TrimSpace(line)) > 0 {
			n++
			if max > 0 && n > max {
				return errTooMany
			}
			if n%data.CheckEvery == 0 {
				if cerr := ctx.Err(); cerr != nil {
					return cerr
				}
			}
			v, derr := wire.DecodeWith(bytes.TrimSpace(line), wire.DecodeOptions{PandasFloats: true})
			if derr != nil {
				return fmt.Errorf("line %d is not JSON: %v", n, derr)
			}
			d, ok := v.(*data.Dict)
			if !ok {
				return fmt.Errorf("line %d is not a JSON object", n)
			}
			if e := each(d); e != nil {
				return e
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

var errTooMany = errors.New("too many points")

// limited fails once more than n bytes were read.
type limited struct {
	r   io.Reader
	n   int64
	max int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.n < 0 {
		return 0, errTooLarge{l.max}
	}
	if int64(len(p)) > l.n+1 {
		p = p[:l.n+1]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if l.n < 0 {
		return n, errTooLarge{l.max}
	}
	return n, err
}

type errTooLarge struct{ max int64 }

func (e errTooLarge) Error() string {
	return fmt.Sprintf("the response is larger than %d bytes (ADAPTER_MAX_BYTES)", e.max)
}

// readFailure turns a failure while reading a response into the adapter's error.
func (a *Adapter) readFailure(ctx context.Context, b adapter.Binding, u *url.URL, maxPoints int, err error) error {
	switch {
	case errors.Is(err, errTooMany):
		return adapter.TooManyPoints(b, maxPoints)
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, context.DeadlineExceeded):
		return a.failure("AdapterConnectionError", b, "GET %s: the response did not arrive within %s (EXTERNAL_REQUEST_TIMEOUT)", shown(u), a.cfg.Timeout)
	}
	var tl errTooLarge
	if errors.As(err, &tl) {
		return a.failure("AdapterHandlingException", b, "GET %s: %v", shown(u), err)
	}
	return a.failure("AdapterHandlingException", b, "GET %s: reading the response failed: %v", shown(u), err)
}
