package rest

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Send posts every output, concurrently; the first failure is returned (other outputs
// may have been sent, as with hetida).
func (a *Adapter) Send(ctx context.Context, req adapter.SendRequest) (map[string]any, error) {
	if err := check(req.Bindings); err != nil {
		return nil, err
	}
	type post struct {
		b     adapter.Binding
		u     *url.URL
		body  []byte
		attrs *data.Dict
	}
	posts := make([]post, 0, len(req.Bindings))
	for _, b := range req.Bindings {
		v := req.Values[b.Name]
		var p post
		var err error
		p.b = b
		switch general(*b.External) {
		case "metadata":
			p.u = a.endpoint(metadataKind(b), *b.RefID, "metadata", *b.RefKey)
			p.body, err = metadatumJSON(b, v)
			q := url.Values{}
			for _, f := range b.Filters {
				q.Add(f.Key, f.Value())
			}
			p.u.RawQuery = q.Encode()
		case "timeseries":
			p.u = a.endpoint("timeseries")
			p.body, p.attrs, err = timeseriesJSON(ctx, b, v)
			p.u.RawQuery = params("timeseriesId", *b.RefID, b.Filters)
		case "dataframe":
			p.u = a.endpoint("dataframe")
			p.body, p.attrs, err = dataframeJSON(ctx, v)
			p.u.RawQuery = params("id", *b.RefID, b.Filters)
		case "multitsframe":
			p.u = a.endpoint("multitsframe")
			p.body, p.attrs, err = multitsframeJSON(ctx, v)
			p.u.RawQuery = params("id", *b.RefID, b.Filters)
		case "series":
			return nil, a.failure("AdapterClientWiringInvalidError", b, "series(…) sinks are not offered by the generic REST adapter protocol (hetida collects them but never sends them); use timeseries(…)")
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, a.failure("AdapterOutputDataError", b, "output '%s': %v", b.Name, err)
		}
		posts = append(posts, p)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(posts))
	for i, p := range posts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = a.post(ctx, p.b, p.u, p.body, p.attrs)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, err
		}
	}
	return nil, nil
}

// params is the query of a framelike POST: the id parameter first, then the filters as
// they are.
func params(idKey, id string, f adapter.Filters) string {
	q := url.Values{}
	q.Add(idKey, id)
	for _, x := range f {
		q.Add(x.Key, x.Value())
	}
	return q.Encode()
}

// post sends a JSON body and wants 200 or 201.
func (a *Adapter) post(ctx context.Context, b adapter.Binding, u *url.URL, body []byte, attrs *data.Dict) error {
	rctx, cancel := context.WithTimeout(ctx, a.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return a.failure("AdapterHandlingException", b, "bad request URL %s: %v", shown(u), err)
	}
	req.Header.Set("Content-Type", "application/json")
	if attrs != nil && attrs.Len() > 0 {
		ab, err := wire.AppendValue(nil, attrs)
		if err != nil {
			return a.failure("AdapterOutputDataError", b, "the attrs of output '%s' cannot be encoded: %v", b.Name, err)
		}
		req.Header.Set("Data-Attributes", base64.StdEncoding.EncodeToString(ab))
	}
	resp, err := a.do(req, b, http.StatusOK, http.StatusCreated)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// metadatumJSON is {"key", "value", "dataType"} with the value checked against the
// wiring's value type as pydantic would parse it.
func metadatumJSON(b adapter.Binding, v any) ([]byte, error) {
	vt := valueType(*b.External)
	ok := true
	switch vt {
	case "int":
		switch x := v.(type) {
		case int64, bool:
		case float64:
			ok = x == math.Trunc(x) && !math.IsInf(x, 0)
		case string:
			_, err := strconv.ParseInt(x, 10, 64)
			ok = err == nil
		default:
			ok = false
		}
	case "float":
		switch x := v.(type) {
		case int64, float64, bool:
		case string:
			_, err := strconv.ParseFloat(x, 64)
			ok = err == nil
		default:
			ok = false
		}
	case "string":
		_, ok = v.(string)
	case "boolean":
		_, ok = wire.PydanticBool(v)
	}
	if !ok {
		return nil, fmt.Errorf("the metadatum value %s cannot be parsed as the declared data type %s", data.PyRepr(v), vt)
	}
	d := data.NewDict(3)
	d.Set("key", *b.RefKey)
	d.Set("value", v)
	d.Set("dataType", vt)
	return wire.AppendValue(nil, d)
}

// tsTimestamp renders a UTC timestamp as the generic REST adapter expects:
// yyyy-MM-ddTHH:mm:ss.SSSSSSSSSZ.
func tsTimestamp(b []byte, ns int64) []byte {
	y, mo, d, h, mi, s, nano := data.Civil(ns)
	return fmt.Appendf(b, "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", y, mo, d, h, mi, s, nano)
}

// timeseriesJSON is [{"timestamp", "value"}, …] of a SERIES with a UTC timestamp index
// whose values fit the wiring's value type.
func timeseriesJSON(ctx context.Context, b adapter.Binding, v any) ([]byte, *data.Dict, error) {
	s, ok := v.(*data.Series)
	if !ok {
		return nil, nil, fmt.Errorf("a timeseries sink needs a Series, got %s", data.PyTypeName(v))
	}
	if s.Len() == 0 {
		return []byte("[]"), s.Attrs, nil
	}
	if s.Index.DType != data.Datetime {
		return nil, nil, fmt.Errorf("the Series index has dtype %s; generic REST timeseries need a UTC timestamp index", s.Index.PandasDType())
	}
	if !s.Index.Zone.IsUTC() {
		return nil, nil, fmt.Errorf("the Series index has the time zone %s; generic REST timeseries need UTC", zoneName(s.Index.Zone))
	}
	vt := valueType(*b.External)
	dt := s.Values.DType
	fits := map[string]bool{
		"float":   dt == data.Float64,
		"int":     dt == data.Int64,
		"boolean": dt == data.Bool,
		"string":  dt == data.Object && allStrings(s.Values),
		"any":     true,
	}
	if !fits[vt] {
		return nil, nil, fmt.Errorf("expected %s values for timeseries(%s) but got dtype %s", vt, vt, s.Values.PandasDType())
	}
	out := []byte{'['}
	for i := 0; i < s.Len(); i++ {
		if i%data.CheckEvery == data.CheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
		}
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, `{"timestamp":"`...)
		out = tsTimestamp(out, s.Index.I[i])
		out = append(out, `","value":`...)
		var err error
		if out, err = appendCell(out, s.Values, i); err != nil {
			return nil, nil, err
		}
		out = append(out, '}')
	}
	return append(out, ']'), s.Attrs, nil
}

func zoneName(z data.Zone) string {
	if !z.Aware {
		return "None (naive)"
	}
	return z.Name()
}

func allStrings(c data.Column) bool {
	for _, v := range c.O {
		if _, ok := v.(string); !ok && v != nil {
			return false
		}
	}
	return true
}

// appendCell appends element i as JSON: NaN, NaT and None as null, timestamps in Python's
// isoformat (what hetida's records carry), other objects as trafofn encodes them.
func appendCell(b []byte, c data.Column, i int) ([]byte, error) {
	if c.IsNA(i) {
		return append(b, "null"...), nil
	}
	switch c.DType {
	case data.Float64:
		if math.IsInf(c.F[i], 0) {
			return append(b, "null"...), nil
		}
		return data.AppendPyFloat(b, c.F[i]), nil
	case data.Int64:
		return strconv.AppendInt(b, c.I[i], 10), nil
	case data.Bool:
		return strconv.AppendBool(b, c.B[i]), nil
	case data.Datetime:
		b = append(b, '"')
		b = data.AppendISOFormat(b, c.I[i], c.Zone)
		return append(b, '"'), nil
	case data.Timedeltas:
		return wire.AppendString(b, data.Timedelta{NS: c.I[i]}.String()), nil
	}
	return wire.AppendValue(b, c.O[i])
}

// dataframeJSON is the frame's rows as records (the index is not sent).
func dataframeJSON(ctx context.Context, v any) ([]byte, *data.Dict, error) {
	f, ok := v.(*data.DataFrame)
	if !ok {
		return nil, nil, fmt.Errorf("a dataframe sink needs a DataFrame, got %s", data.PyTypeName(v))
	}
	b, err := recordsJSON(ctx, f, nil)
	return b, f.Attrs, err
}

// recordsJSON renders rows as [{"col": value, …}, …]; ts, when set, renders the column
// at that position in the timeseries format.
func recordsJSON(ctx context.Context, f *data.DataFrame, ts *int) ([]byte, error) {
	keys := make([][]byte, len(f.Names))
	for j, n := range f.Names {
		keys[j] = wire.AppendString(nil, wire.LabelString(n))
	}
	out := []byte{'['}
	for i := 0; i < f.Len(); i++ {
		if i%data.CheckEvery == data.CheckEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, '{')
		for j, c := range f.Columns {
			if j > 0 {
				out = append(out, ',')
			}
			out = append(append(out, keys[j]...), ':')
			if ts != nil && *ts == j {
				out = append(out, '"')
				out = append(tsTimestamp(out, c.I[i]), '"')
				continue
			}
			var err error
			if out, err = appendCell(out, c, i); err != nil {
				return nil, err
			}
		}
		out = append(out, '}')
	}
	return append(out, ']'), nil
}

// multitsframeJSON checks a MULTITSFRAME as hetida does before sending it (exactly the
// columns timestamp, metric, value; no missing metric or timestamp; UTC timestamps) and
// renders its records.
func multitsframeJSON(ctx context.Context, v any) ([]byte, *data.Dict, error) {
	f, ok := v.(*data.DataFrame)
	if !ok {
		return nil, nil, fmt.Errorf("a multitsframe sink needs a DataFrame, got %s", data.PyTypeName(v))
	}
	if f.Len() == 0 {
		return []byte("[]"), f.Attrs, nil
	}
	names := map[string]bool{}
	for _, n := range f.Names {
		names[wire.LabelString(n)] = true
	}
	if len(names) != 3 || !names["timestamp"] || !names["metric"] || !names["value"] {
		return nil, nil, fmt.Errorf("the DataFrame has the columns %s; a MULTITSFRAME sink takes exactly timestamp, metric and value", data.PyRepr(f.Names))
	}
	if m, _ := f.Col("metric"); m.HasNA() {
		return nil, nil, fmt.Errorf("the column 'metric' has missing values")
	}
	ts, _ := f.Col("timestamp")
	if ts.HasNA() {
		return nil, nil, fmt.Errorf("the column 'timestamp' has missing values")
	}
	if ts.DType != data.Datetime || !ts.Zone.Aware {
		return nil, nil, fmt.Errorf("the column 'timestamp' has dtype %s; a MULTITSFRAME sink needs UTC timestamps", ts.PandasDType())
	}
	if !ts.Zone.IsUTC() {
		return nil, nil, fmt.Errorf("the column 'timestamp' has the time zone %s; a MULTITSFRAME sink needs UTC", ts.Zone.Name())
	}
	pos := f.ColIndex("timestamp")
	b, err := recordsJSON(ctx, f, &pos)
	return b, f.Attrs, err
}
