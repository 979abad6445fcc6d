package library

import (
	"math"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// Inputs for property tests, generated per port type. Each variant is one kind of edge
// case; every port of a component gets its type's value of the same variant, and scalar
// ports cycle through their own edge values, so that a component sees both meaningful
// and hostile combinations.

// variant names a kind of pandas input.
type variant int

const (
	vRegular    variant = iota // 48 points, 5 min apart, UTC, a wave with a spike
	vEmpty                     // no rows
	vOne                       // one row
	vAllNaN                    // every value NaN
	vUnsorted                  // timestamps shuffled
	vDuplicates                // repeated timestamps
	vOffset                    // aware timestamps in a +02:00 zone
	vNaive                     // naive timestamps
	vInts                      // integer values
	vStrings                   // string values
	vRange                     // integer (RangeIndex) labels
	vBig                       // 10⁵ points
	nVariants
	vHuge // 10⁶ points, only for the cancellation test
)

var variantNames = [...]string{"regular", "empty", "one", "all-NaN", "unsorted", "duplicates", "+02:00", "naive", "ints", "strings", "range-index", "1e5", "", "1e6"}

func (v variant) String() string { return variantNames[v] }

const fiveMin = int64(5 * 60e9)

// base is 2020-03-29T00:00:00Z (a DST change day in Europe).
const base = int64(1585440000) * 1e9

func rows(v variant) int {
	switch v {
	case vEmpty:
		return 0
	case vOne:
		return 1
	case vBig:
		return 100_000
	case vHuge:
		return 1_000_000
	}
	return 48
}

func index(v variant, n int) data.Column {
	ns := make([]int64, n)
	for i := range ns {
		ns[i] = base + int64(i)*fiveMin
	}
	switch v {
	case vUnsorted:
		for i := 0; i+7 < n; i += 7 {
			ns[i], ns[i+7] = ns[i+7], ns[i]
		}
	case vDuplicates:
		for i := 1; i < n; i += 3 {
			ns[i] = ns[i-1]
		}
	case vRange:
		return data.Range(n)
	case vOffset:
		return data.Datetimes(ns, data.Zone{Aware: true, Offset: 7200})
	case vNaive:
		return data.Datetimes(ns, data.Naive)
	}
	return data.Datetimes(ns, data.UTC)
}

func values(v variant, n int, phase float64) data.Column {
	switch v {
	case vInts:
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(i%7) - 3
		}
		return data.Ints(out)
	case vStrings:
		out := make([]any, n)
		for i := range out {
			out[i] = string(rune('a' + i%26))
		}
		return data.Objects(out)
	}
	out := make([]float64, n)
	for i := range out {
		switch {
		case v == vAllNaN:
			out[i] = math.NaN()
		case i == n/2:
			out[i] = 900 // a spike
		default:
			out[i] = 100 + 10*math.Sin(float64(i)/5+phase)
		}
	}
	if v == vRegular && n > 10 {
		out[3] = math.NaN()
	}
	return data.Floats(out)
}

func series(v variant) *data.Series {
	n := rows(v)
	return data.NewSeries("values", index(v, n), values(v, n, 0))
}

func frame(v variant) *data.DataFrame {
	n := rows(v)
	idx := index(v, n)
	ts := idx
	if ts.DType != data.Datetime {
		ts = index(vRegular, n)
	}
	return data.NewDataFrame(idx, []any{"a", "b", "timestamp"}, []data.Column{values(v, n, 0), values(v, n, 1), ts})
}

// multiTSFrame is a long-format frame: timestamp, metric, value; two metrics.
func multiTSFrame(v variant) *data.DataFrame {
	n := rows(v)
	idx := index(v, n)
	if idx.DType != data.Datetime || !idx.Zone.IsUTC() {
		idx = index(vRegular, n)
	}
	metrics := make([]any, n)
	for i := range metrics {
		metrics[i] = []string{"temp", "pressure"}[i%2]
	}
	return data.NewDataFrame(data.Range(n), []any{"timestamp", "metric", "value"},
		[]data.Column{idx, data.Objects(metrics), values(v, n, 0)})
}

func dict(kv ...any) *data.Dict {
	d := data.NewDict(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		d.Set(kv[i].(string), kv[i+1])
	}
	return d
}

var (
	intEdges    = []any{int64(3), int64(0), int64(-1), int64(1), int64(1 << 40)}
	floatEdges  = []any{1.5, 0.0, math.NaN(), -2.0, int64(2), math.Inf(1)}
	stringEdges = []any{"180min", "", "abc", "2020-03-29T01:00:00+00:00", "center", "linear", "1h", "left", "right", "None", "1h", "15min", "0", "left_closed"} // the last four fit Moving Time Window's inputs
	boolEdges   = []any{true, false}
)

// scalar picks the k-th edge value of a list.
func scalar(list []any, k int) any { return list[k%len(list)] }

// anyValue is what an ANY port may receive: pandas objects from upstream operators or
// decoded JSON from a workflow input.
func anyValue(v variant, k int) any {
	switch k % 9 {
	case 0:
		return series(v)
	case 1:
		return frame(v)
	case 2:
		return dict("start", "2020-03-29T00:00:00Z", "end", "2020-03-29T02:00:00Z", "value", 1.0)
	case 3:
		return []any{dict("start", "2020-03-29T00:00:00Z", "end", "2020-03-29T02:00:00Z", "value", 1.0, "correction_value", 1.0)}
	case 4:
		return []any{dict("start", "2020-03-29T00:00:00Z"), int64(1), "x"}
	case 5:
		return 2.5
	case 6:
		return exampleClass{}
	case 7:
		return &exampleObject{name: "x", amount: 2, value: 0.5}
	}
	return "text"
}

// valueFor generates the value of port p (the k-th port) for a variant.
func valueFor(p component.Port, v variant, k int) any {
	j := int(v) + k
	switch p.Type {
	case data.TypeSeries:
		return series(v)
	case data.TypeDataFrame:
		return frame(v)
	case data.TypeMultiTSFrame:
		return multiTSFrame(v)
	case data.TypeInt:
		return scalar(intEdges, j)
	case data.TypeFloat:
		return scalar(floatEdges, j)
	case data.TypeString:
		return scalar(stringEdges, j)
	case data.TypeBoolean:
		return scalar(boolEdges, j)
	case data.TypePlotlyJSON:
		return dict("data", []any{}, "layout", dict())
	}
	return anyValue(v, j)
}

// inputsFor generates every input of spec for a variant; with useDefaults, optional
// ports keep their defaults (the engine passes the parsed default) and components listed
// in fitted get the inputs they need to give a result, made from the variant's data. shift rotates the
// scalar edge values.
func inputsFor(spec *component.Spec, v variant, useDefaults bool, parse func(component.Port) any, shift int) map[string]any {
	in := map[string]any{}
	for k, p := range spec.In {
		if p.Optional && useDefaults {
			in[p.Name] = parse(p)
			continue
		}
		in[p.Name] = valueFor(p, v, k+shift)
	}
	if fit := fitted[spec.Name]; fit != nil && useDefaults {
		fit(v, in)
	}
	return in
}
