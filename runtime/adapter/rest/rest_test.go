package rest

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

func ptr(s string) *string { return &s }

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// server is a generic REST adapter speaking hetida's protocol, with canned data, that
// records what it was sent.
type server struct {
	mu    sync.Mutex
	posts map[string]string // path?query → body
	attrs map[string]string // path → decoded Data-Attributes
	gets  []string
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Method == http.MethodPost {
		b, _ := io.ReadAll(r.Body)
		s.posts[r.URL.EscapedPath()+"?"+r.URL.RawQuery] = string(b)
		if h := r.Header.Get("Data-Attributes"); h != "" {
			raw, _ := base64.StdEncoding.DecodeString(h)
			s.attrs[r.URL.Path] = string(raw)
		}
		w.WriteHeader(http.StatusCreated)
		return
	}
	s.gets = append(s.gets, r.URL.EscapedPath()+"?"+r.URL.RawQuery)
	q := r.URL.Query()
	switch r.URL.Path {
	case "/base/timeseries":
		if q.Get("from") != "2020-01-01T00:00:00Z" || q.Get("to") != "2020-01-02T00:00:00Z" {
			http.Error(w, "bad range", http.StatusBadRequest)
			return
		}
		w.Header().Set("Data-Attributes", b64(`{"temp":{"unit":"°C"}}`))
		for _, id := range q["id"] {
			switch id {
			case "temp": // out of order: the adapter sorts by time
				fmt.Fprintln(w, `{"timeseriesId":"temp","timestamp":"2020-01-01T01:00:00.000000000Z","value":21.5}`)
				fmt.Fprintln(w, `{"timeseriesId":"temp","timestamp":"2020-01-01T00:00:00.000000000Z","value":null}`)
			case "count":
				fmt.Fprintln(w, `{"timeseriesId":"count","timestamp":"2020-01-01T00:00:00Z","value":3}`)
			case "none":
			}
		}
		if len(q["id"]) == 1 && q["id"][0] == "none" {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"errorCode":"RESULT_EMPTY"}`)
		}
	case "/base/dataframe":
		fmt.Fprintln(w, `{"timestamp":"2020-01-01T01:00:00Z","a":1,"b":"x"}`)
		fmt.Fprintln(w, ``)
		fmt.Fprintln(w, `{"timestamp":"2020-01-01T00:00:00Z","a":2,"b":null}`)
	case "/base/multitsframe":
		fmt.Fprintln(w, `{"metric":"m1","timestamp":"2020-01-01T00:00:00Z","value":1.5}`)
	case "/base/sources/plant/a/metadata/Max Temp":
		fmt.Fprint(w, `{"key":"Max Temp","value":90,"dataType":"int"}`)
	case "/base/thingNodes/plant/metadata/wrong":
		fmt.Fprint(w, `{"key":"other","value":1}`)
	default:
		http.NotFound(w, r)
	}
}

func newServer(t *testing.T) (*server, *Adapter) {
	t.Helper()
	s := &server{posts: map[string]string{}, attrs: map[string]string{}}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	a, err := New(Config{ID: "demo-adapter", BaseURL: ts.URL + "/base/", Timeout: 5 * time.Second, MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return s, a
}

func wiring(name, ext, refID string, filters ...adapter.Filter) adapter.Binding {
	return adapter.Binding{Name: name, RefID: ptr(refID), External: ptr(ext), Filters: filters}
}

var day = []adapter.Filter{adapter.NewFilter("timestampFrom", "2020-01-01T00:00:00Z"), adapter.NewFilter("timestampTo", "2020-01-02T00:00:00Z")}

func render(t *testing.T, v any) string {
	t.Helper()
	b, err := wire.AppendValue(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Two timeseries with the same range come in one request and are split by id; each is
// sorted by time, named by its id and carries its attrs; a dataframe's timestamp column
// becomes its sorted index; metadata come from the owner's metadata endpoint.
func TestLoad(t *testing.T) {
	s, a := newServer(t)
	meta := wiring("limit", "metadata(int)", "plant/a")
	meta.RefIDType, meta.RefKey = ptr("SOURCE"), ptr("Max Temp")
	out, err := a.Load(context.Background(), adapter.LoadRequest{MaxPoints: 100, Bindings: []adapter.Binding{
		wiring("t", "timeseries(float)", "temp", day...),
		wiring("c", "timeseries(float)", "count", day...),
		wiring("empty", "timeseries(float)", "none", adapter.NewFilter("timestampFrom", "2020-01-01T00:00:00Z"), adapter.NewFilter("timestampTo", "2020-01-02T00:00:00Z"), adapter.NewFilter("extra", "1")),
		wiring("df", "dataframe", "table"),
		wiring("m", "multitsframe", "plant", day...),
		meta,
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"t":     `{"__hd_wrapped_data_object__":"SERIES","__metadata__":{"unit":"°C"},"__data__":{"name":"temp","index":["2020-01-01T00:00:00.000Z","2020-01-01T01:00:00.000Z"],"data":[null,21.5]},"__data_parsing_options__":{"orient":"split"}}`,
		"c":     `{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":"count","index":["2020-01-01T00:00:00.000Z"],"data":[3.0]},"__data_parsing_options__":{"orient":"split"}}`,
		"empty": `{"__hd_wrapped_data_object__":"SERIES","__metadata__":{},"__data__":{"name":"none","index":[],"data":[]},"__data_parsing_options__":{"orient":"split"}}`,
		"df":    `{"__hd_wrapped_data_object__":"DATAFRAME","__metadata__":{},"__data__":{"timestamp":{"2020-01-01T00:00:00.000Z":"2020-01-01T00:00:00.000Z","2020-01-01T01:00:00.000Z":"2020-01-01T01:00:00.000Z"},"a":{"2020-01-01T00:00:00.000Z":2,"2020-01-01T01:00:00.000Z":1},"b":{"2020-01-01T00:00:00.000Z":null,"2020-01-01T01:00:00.000Z":"x"}}}`,
		"m":     `{"__hd_wrapped_data_object__":"DATAFRAME","__metadata__":{},"__data__":{"metric":{"0":"m1"},"timestamp":{"0":"2020-01-01T00:00:00.000Z"},"value":{"0":1.5}}}`,
	}
	for name, w := range want {
		if got := render(t, out[name]); got != w {
			t.Errorf("%s:\n got %s\nwant %s", name, got, w)
		}
	}
	if out["limit"] != int64(90) {
		t.Errorf("metadatum: %#v", out["limit"])
	}
	joined := strings.Join(s.gets, "\n")
	for _, q := range []string{"/base/timeseries?from=2020-01-01T00%3A00%3A00Z&id=temp&id=count&to=2020-01-02T00%3A00%3A00Z", "/base/sources/plant/a/metadata/Max%20Temp?"} {
		if !strings.Contains(joined, q) {
			t.Errorf("no request %s among\n%s", q, joined)
		}
	}
}

// Outputs are posted as hetida's records with their attrs in Data-Attributes.
func TestSend(t *testing.T) {
	s, a := newServer(t)
	t0 := int64(1577836800) * 1e9
	series := data.NewSeries("x", data.Datetimes([]int64{t0, t0 + 1}, data.UTC), data.Floats([]float64{1.5, math.NaN()}))
	series.Attrs = data.NewDict(1)
	series.Attrs.Set("unit", "K")
	frame := data.NewDataFrame(data.Range(2), []any{"a", "when"}, []data.Column{data.Ints([]int64{1, 2}), data.Datetimes([]int64{t0, data.NaT}, data.UTC)})
	mts := data.NewDataFrame(data.Range(1), []any{"timestamp", "metric", "value"}, []data.Column{data.Datetimes([]int64{t0}, data.UTC), data.Objects([]any{"m"}), data.Floats([]float64{2})})
	meta := wiring("meta", "metadata(float)", "plant")
	meta.RefIDType, meta.RefKey = ptr("THINGNODE"), ptr("k")
	bs := []adapter.Binding{
		wiring("ts", "timeseries(float)", "out-ts", adapter.NewFilter("quality", "good")),
		wiring("df", "dataframe", "out-df"),
		wiring("mts", "multitsframe", "out-mts"),
		meta,
	}
	_, err := a.Send(context.Background(), adapter.SendRequest{Bindings: bs, Values: map[string]any{"ts": series, "df": frame, "mts": mts, "meta": 2.5}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"/base/timeseries?quality=good&timeseriesId=out-ts": `[{"timestamp":"2020-01-01T00:00:00.000000000Z","value":1.5},{"timestamp":"2020-01-01T00:00:00.000000001Z","value":null}]`,
		"/base/dataframe?id=out-df":                         `[{"a":1,"when":"2020-01-01T00:00:00+00:00"},{"a":2,"when":null}]`,
		"/base/multitsframe?id=out-mts":                     `[{"timestamp":"2020-01-01T00:00:00.000000000Z","metric":"m","value":2.0}]`,
		"/base/thingNodes/plant/metadata/k?":                `{"key":"k","value":2.5,"dataType":"float"}`,
	}
	for k, w := range want {
		if got := s.posts[k]; got != w {
			t.Errorf("%s:\n got %s\nwant %s\n(all: %v)", k, got, w, s.posts)
		}
	}
	if s.attrs["/base/timeseries"] != `{"unit":"K"}` {
		t.Errorf("Data-Attributes: %q", s.attrs["/base/timeseries"])
	}
	// hetida's checks before sending
	naive := data.NewSeries("x", data.Datetimes([]int64{t0}, data.Naive), data.Floats([]float64{1}))
	ints := data.NewSeries("x", data.Datetimes([]int64{t0}, data.UTC), data.Ints([]int64{1}))
	for _, tc := range []struct {
		b adapter.Binding
		v any
	}{
		{wiring("o", "timeseries(float)", "x"), naive},
		{wiring("o", "timeseries(float)", "x"), ints},
		{wiring("o", "dataframe", "x"), series},
		{wiring("o", "multitsframe", "x"), frame},
		{meta, "not a float"},
	} {
		tc.b.Name = "o"
		_, err := a.Send(context.Background(), adapter.SendRequest{Bindings: []adapter.Binding{tc.b}, Values: map[string]any{"o": tc.v}})
		var ae *adapter.Error
		if !errors.As(err, &ae) || ae.Type != "AdapterOutputDataError" || ae.Wiring != "o" {
			t.Errorf("%s with %T: %v", *tc.b.External, tc.v, err)
		}
	}
}

// hetida's wiring rules: a ref_id and a type are required, metadata need ref_id_type
// and ref_key, timeseries and multitsframes a time range.
func TestWiringRules(t *testing.T) {
	_, a := newServer(t)
	noType := wiring("x", "dataframe", "id")
	noType.External = nil
	noRef := wiring("x", "dataframe", "")
	noRef.RefID = nil
	for _, tc := range []struct {
		b    adapter.Binding
		want string
	}{
		{noRef, "Unset ref id"},
		{noType, "Unset type"},
		{wiring("x", "metadata(int)", "id"), "Unset ref_id_type"},
		{wiring("x", "timeseries(float)", "id"), "Timeseries data with no to/from filters."},
		{wiring("x", "multitsframe", "id"), "MultiTSFrame data with no to/from filters."},
		{wiring("x", "series(float)", "id"), "series(…)"},
	} {
		_, err := a.Load(context.Background(), adapter.LoadRequest{Bindings: []adapter.Binding{tc.b}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.b, err, tc.want)
		}
	}
	wrong := wiring("w", "metadata(int)", "plant")
	wrong.RefIDType, wrong.RefKey = ptr("THINGNODE"), ptr("wrong")
	if _, err := a.Load(context.Background(), adapter.LoadRequest{Bindings: []adapter.Binding{wrong}}); err == nil || !strings.Contains(err.Error(), "key") {
		t.Errorf("metadatum with the wrong key: %v", err)
	}
}

// A server that answers too slowly is given up after EXTERNAL_REQUEST_TIMEOUT, one that
// fails is reported with its status and text, one that streams more points than
// MAX_POINTS (or more bytes than ADAPTER_MAX_BYTES) is cut off early — the server sees
// the connection closed long before it sent everything — and credentials in the
// adapter's URL appear in no error.
func TestMisbehavingServers(t *testing.T) {
	var streamed int
	var mu sync.Mutex
	done := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow/dataframe":
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
		case "/fail/dataframe":
			http.Error(w, "database is down", http.StatusInternalServerError)
		case "/huge/dataframe":
			defer close(done)
			for i := 0; i < 1_000_000; i++ {
				if _, err := fmt.Fprintf(w, `{"a":%d}`+"\n", i); err != nil {
					break
				}
				mu.Lock()
				streamed = i
				mu.Unlock()
			}
		case "/wide/dataframe":
			fmt.Fprintf(w, `{"a":"%s"}`+"\n", strings.Repeat("x", 2<<20))
		case "/garbage/dataframe":
			fmt.Fprintln(w, `{"a":1}`)
			fmt.Fprintln(w, `not json`)
		}
	}))
	defer ts.Close()
	u := strings.Replace(ts.URL, "http://", "http://user:s3cret@", 1)
	load := func(path string, timeout time.Duration) error {
		a, err := New(Config{ID: "demo", BaseURL: u + path, Timeout: timeout, MaxBytes: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.Load(context.Background(), adapter.LoadRequest{MaxPoints: 1000, Bindings: []adapter.Binding{wiring("df", "dataframe", "t")}})
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: the password is in the error: %v", path, err)
		}
		return err
	}
	start := time.Now()
	err := load("/slow", 200*time.Millisecond)
	var ae *adapter.Error
	if !errors.As(err, &ae) || ae.Type != "AdapterConnectionError" || !strings.Contains(err.Error(), "EXTERNAL_REQUEST_TIMEOUT") || time.Since(start) > 3*time.Second {
		t.Errorf("slow server: %v after %s", err, time.Since(start))
	}
	if err := load("/fail", time.Second); !errors.As(err, &ae) || ae.Type != "AdapterConnectionError" || !strings.Contains(err.Error(), "500") || !strings.Contains(err.Error(), "database is down") {
		t.Errorf("failing server: %v", err)
	}
	if err := load("/huge", 5*time.Second); !errors.As(err, &ae) || ae.Type != "InputTooLarge" {
		t.Errorf("huge response: %v", err)
	}
	<-done
	mu.Lock()
	if streamed > 500_000 {
		t.Errorf("the server could stream %d lines: the response was not cut off", streamed)
	}
	mu.Unlock()
	if err := load("/wide", time.Second); err == nil || !strings.Contains(err.Error(), "ADAPTER_MAX_BYTES") {
		t.Errorf("a line over ADAPTER_MAX_BYTES: %v", err)
	}
	if err := load("/garbage", time.Second); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("garbage: %v", err)
	}
	// the execution's own deadline also ends the request
	a, _ := New(Config{ID: "demo", BaseURL: ts.URL + "/slow", Timeout: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := a.Load(ctx, adapter.LoadRequest{Bindings: []adapter.Binding{wiring("df", "dataframe", "t")}}); err == nil {
		t.Error("the execution deadline did not end the request")
	}
}

// TLS certificates are verified unless HETIDA_DESIGNER_ADAPTERS_VERIFY_CERTS=false.
func TestTLSVerification(t *testing.T) {
	s := &server{posts: map[string]string{}, attrs: map[string]string{}}
	ts := httptest.NewTLSServer(s)
	defer ts.Close()
	b := []adapter.Binding{wiring("df", "dataframe", "t")}
	verified, _ := New(Config{ID: "tls", BaseURL: ts.URL + "/base", Client: NewClient(true)})
	if _, err := verified.Load(context.Background(), adapter.LoadRequest{Bindings: b}); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("self-signed certificate accepted: %v", err)
	}
	unverified, _ := New(Config{ID: "tls", BaseURL: ts.URL + "/base", Client: NewClient(false)})
	if _, err := unverified.Load(context.Background(), adapter.LoadRequest{Bindings: b}); err != nil {
		t.Errorf("verification off: %v", err)
	}
	if _, err := New(Config{ID: "x", BaseURL: "ftp://host/x"}); err == nil {
		t.Error("ftp URL accepted")
	}
}
