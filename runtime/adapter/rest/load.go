package rest

import (
	"context"
	"io"
	"net/http"
	"net/url"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// metadataKind is the path segment of a metadatum's owner (ref_id_type).
func metadataKind(b adapter.Binding) string {
	switch *b.RefIDType {
	case "SOURCE":
		return "sources"
	case "SINK":
		return "sinks"
	}
	return "thingNodes"
}

// maxMetadataBytes bounds a metadatum's JSON when ADAPTER_MAX_BYTES does not.
const maxMetadataBytes = 64 << 20

// loadMetadata fetches one metadatum: {"key", "value", "dataType"}, the key the requested
// one, the data type (when given) the wiring's value type. The value goes to the runtime
// as decoded JSON, which parses it as the input's type.
func (a *Adapter) loadMetadata(ctx context.Context, bs []adapter.Binding) (map[string]any, error) {
	b := bs[0]
	u := a.endpoint(metadataKind(b), *b.RefID, "metadata", *b.RefKey)
	q := url.Values{}
	for _, f := range b.Filters {
		q.Add(f.Key, f.Value())
	}
	u.RawQuery = q.Encode()
	rctx, cancel := context.WithTimeout(ctx, a.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, a.failure("AdapterHandlingException", b, "bad request URL %s: %v", shown(u), err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := a.do(req, b, http.StatusOK)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	max := a.cfg.MaxBytes
	if max <= 0 {
		max = maxMetadataBytes
	}
	raw, err := io.ReadAll(&limited{r: resp.Body, n: max, max: max})
	if err != nil {
		return nil, a.readFailure(ctx, b, u, 0, err)
	}
	v, err := wire.Decode(raw)
	d, ok := v.(*data.Dict)
	if err != nil || !ok {
		return nil, a.failure("AdapterHandlingException", b, "GET %s: the metadatum is not a JSON object {\"key\", \"value\", \"dataType\"}", shown(u))
	}
	if k, _ := d.Get("key"); k != *b.RefKey {
		return nil, a.failure("AdapterConnectionError", b, "GET %s: the metadatum has the key %s, not the requested %q", shown(u), data.PyRepr(k), *b.RefKey)
	}
	want := valueType(*b.External)
	if dt, ok := d.Get("dataType"); ok && dt != nil && canonicalValueType(dt) != want {
		return nil, a.failure("AdapterConnectionError", b, "GET %s: the metadatum has the data type %s, the wiring's type is %s", shown(u), data.PyRepr(dt), *b.External)
	}
	value, _ := d.Get("value")
	return map[string]any{b.Name: value}, nil
}

// canonicalValueType spells a metadatum's dataType as the external types do.
func canonicalValueType(v any) string {
	s, _ := v.(string)
	switch s {
	case "integer":
		return "int"
	case "str":
		return "string"
	case "bool":
		return "boolean"
	case "object":
		return "any"
	}
	return s
}

// loadTimeseries fetches timeseries that share filters and type in one request and
// splits the NDJSON rows by timeseriesId: each input's SERIES is its rows' values indexed
// by their timestamps (read as pandas' read_json reads a "timestamp" column), sorted by
// time, named by the id, with attrs from Data-Attributes[id].
func (a *Adapter) loadTimeseries(ctx context.Context, bs []adapter.Binding, maxPoints int) (map[string]any, error) {
	u := a.endpoint("timeseries")
	q := url.Values{}
	for _, b := range bs {
		q.Add("id", *b.RefID)
	}
	query(q, bs[0].Filters)
	u.RawQuery = q.Encode()
	resp, body, done, err := a.get(ctx, bs[0], u)
	if err != nil {
		return nil, err
	}
	defer done()
	out := make(map[string]any, len(bs))
	attrs, err := a.attrs(resp, bs[0])
	if err != nil {
		return nil, err
	}
	empty, err := a.resultEmpty(resp, body, bs[0], u)
	if err != nil {
		return nil, err
	}
	var rows []any
	count := map[string]int{}
	if !empty {
		max := 0
		if maxPoints > 0 {
			max = maxPoints * len(bs)
		}
		err = records(ctx, body, max, func(d *data.Dict) error {
			id, _ := d.Get("timeseriesId")
			key := data.PyStr(id)
			count[key]++
			if maxPoints > 0 && count[key] > maxPoints {
				for _, b := range bs {
					if *b.RefID == key {
						return tooMany{b}
					}
				}
			}
			rows = append(rows, d)
			return nil
		})
		if tm, ok := err.(tooMany); ok {
			return nil, adapter.TooManyPoints(tm.b, maxPoints)
		}
		if err != nil {
			return nil, a.readFailure(ctx, bs[0], u, maxPoints, err)
		}
	}
	ad, _ := attrs.(*data.Dict)
	if len(rows) == 0 {
		for _, b := range bs {
			s := emptySeries(valueType(*b.External))
			s.Name = *b.RefID
			s.Attrs = attrsOf(ad, *b.RefID)
			out[b.Name] = s
		}
		return out, nil
	}
	f, err := wire.ParseFrame(rows)
	if err != nil {
		return nil, a.failure("AdapterHandlingException", bs[0], "GET %s: the timeseries records cannot be read: %v", shown(u), err)
	}
	idCol, okID := f.Col("timeseriesId")
	tsCol, okTS := f.Col("timestamp")
	valCol, okVal := f.Col("value")
	if !okID || !okTS || !okVal {
		return nil, a.failure("AdapterHandlingException", bs[0], "GET %s: timeseries records need the keys timeseriesId, timestamp and value, got %s", shown(u), data.PyRepr(f.Names))
	}
	known := map[string]bool{}
	for _, b := range bs {
		known[*b.RefID] = true
		var pos []int
		for i := 0; i < idCol.Len(); i++ {
			if data.PyStr(idCol.At(i)) == *b.RefID {
				pos = append(pos, i)
			}
		}
		s := data.NewSeries(*b.RefID, tsCol.Take(pos), valCol.Take(pos)).SortIndex()
		s.Attrs = attrsOf(ad, *b.RefID)
		out[b.Name] = s
	}
	for id := range count {
		if !known[id] {
			a.log.Warn("generic REST adapter: discarding timeseries rows of an id that was not requested (an error in the adapter)", "adapter", a.cfg.ID, "timeseriesId", id, "rows", count[id])
		}
	}
	return out, nil
}

type tooMany struct{ b adapter.Binding }

func (tooMany) Error() string { return "too many points" }

// attrsOf is attrs[id] when it is an object.
func attrsOf(attrs *data.Dict, id string) *data.Dict {
	if attrs == nil {
		return nil
	}
	v, _ := attrs.Get(id)
	d, _ := v.(*data.Dict)
	return d
}

// emptySeries is hetida's empty timeseries: a UTC timestamp index and values of the
// type's dtype.
func emptySeries(vt string) *data.Series {
	var vals data.Column
	switch vt {
	case "int":
		vals = data.Ints([]int64{})
	case "float":
		vals = data.Floats([]float64{})
	case "boolean":
		vals = data.Bools([]bool{})
	default:
		vals = data.Objects([]any{})
	}
	return data.NewSeries(nil, data.Datetimes([]int64{}, data.UTC), vals)
}

// loadFrame fetches a DATAFRAME (dataframe endpoint) or MULTITSFRAME (multitsframe
// endpoint): NDJSON records read as read_json reads records; a dataframe's "timestamp"
// column, when it holds timestamps, also becomes its index, sorted. The runtime applies
// the MULTITSFRAME checks.
func (a *Adapter) loadFrame(ctx context.Context, b adapter.Binding, endpoint string, maxPoints int) (map[string]any, error) {
	u := a.endpoint(endpoint)
	q := url.Values{}
	q.Add("id", *b.RefID)
	if endpoint == "multitsframe" {
		query(q, b.Filters)
	} else {
		for _, f := range b.Filters {
			q.Add(f.Key, f.Value())
		}
	}
	u.RawQuery = q.Encode()
	resp, body, done, err := a.get(ctx, b, u)
	if err != nil {
		return nil, err
	}
	defer done()
	attrs, err := a.attrs(resp, b)
	if err != nil {
		return nil, err
	}
	empty, err := a.resultEmpty(resp, body, b, u)
	if err != nil {
		return nil, err
	}
	var rows []any
	if !empty {
		if err := records(ctx, body, maxPoints, func(d *data.Dict) error { rows = append(rows, d); return nil }); err != nil {
			return nil, a.readFailure(ctx, b, u, maxPoints, err)
		}
	}
	var f *data.DataFrame
	if len(rows) == 0 {
		f = data.NewDataFrame(data.Range(0), nil, nil)
	} else if f, err = wire.ParseFrame(rows); err != nil {
		return nil, a.failure("AdapterHandlingException", b, "GET %s: the records cannot be read: %v", shown(u), err)
	}
	if endpoint == "dataframe" {
		if ts, ok := f.Col("timestamp"); ok && ts.DType == data.Datetime {
			f = &data.DataFrame{Index: ts, Names: f.Names, Columns: f.Columns}
			f = f.SortIndex()
		}
	}
	if d, ok := attrs.(*data.Dict); ok {
		f.Attrs = d
	}
	return map[string]any{b.Name: f}, nil
}
