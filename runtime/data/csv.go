package data

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
)

// CSVOptions control ReadCSV.
type CSVOptions struct {
	// IndexCol makes the first column the index (pandas' index_col=0), as Rdatasets
	// files and frames written with to_csv() need.
	IndexCol bool
	// MaxRows bounds the rows read; 0 means no limit. More rows fail with a ValueError.
	MaxRows int
	// Comma is the field delimiter (pandas' sep); 0 means ','.
	Comma rune
	// NRows reads at most this many data rows and ignores the rest (pandas' nrows); 0
	// means all.
	NRows int
	// NAValues are read as missing in addition to pandas' defaults (na_values), or
	// instead of them with NoDefaultNA (keep_default_na=False).
	NAValues    []string
	NoDefaultNA bool
}

// isNA tells whether a cell is missing under opt's NA strings.
func (opt CSVOptions) isNA(v string) bool {
	if !opt.NoDefaultNA && naValues[v] {
		return true
	}
	for _, na := range opt.NAValues {
		if v == na {
			return true
		}
	}
	return false
}

// naValues are the strings pandas' read_csv reads as missing by default.
var naValues = map[string]bool{
	"": true, "#N/A": true, "#N/A N/A": true, "#NA": true, "-1.#IND": true, "-1.#QNAN": true,
	"-NaN": true, "-nan": true, "1.#IND": true, "1.#QNAN": true, "<NA>": true, "N/A": true,
	"NA": true, "NULL": true, "NaN": true, "None": true, "n/a": true, "nan": true, "null": true,
}

// ReadCSV reads a CSV file with a header row into a DataFrame, inferring each column's
// dtype as pandas' read_csv does for the common cases: int64 when every value is an
// integer (and none is missing), float64 when every value is a number or missing (NaN),
// bool for True/False columns, strings (object, missing as None) otherwise. Without
// IndexCol the index is 0..n-1.
func ReadCSV(ctx context.Context, r io.Reader, opt CSVOptions) (*DataFrame, error) {
	cr := csv.NewReader(r)
	if opt.Comma != 0 {
		cr.Comma = opt.Comma
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &Error{Type: "EmptyDataError", Message: "No columns to parse from file"}
	}
	if err != nil {
		return nil, ValueError("%v", err)
	}
	cells := make([][]string, len(header))
	for n := 0; ; n++ {
		if n%CheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &Error{Type: "ParserError", Message: err.Error()}
		}
		if opt.NRows > 0 && n >= opt.NRows {
			break
		}
		if opt.MaxRows > 0 && n >= opt.MaxRows {
			return nil, ValueError("the file has more than %d rows", opt.MaxRows)
		}
		if len(rec) > len(header) {
			return nil, &Error{Type: "ParserError", Message: "Error tokenizing data. C error: Expected " + strconv.Itoa(len(header)) + " fields in line " + strconv.Itoa(n+2) + ", saw " + strconv.Itoa(len(rec))}
		}
		for i := range header {
			v := ""
			if i < len(rec) {
				v = rec[i]
			}
			cells[i] = append(cells[i], v)
		}
	}
	names := make([]any, 0, len(header))
	cols := make([]Column, 0, len(header))
	for i, h := range header {
		if opt.IndexCol && i == 0 {
			continue
		}
		if h == "" { // pandas names a column without header after its position
			h = "Unnamed: " + strconv.Itoa(i)
		}
		names = append(names, h)
		cols = append(cols, inferCSVColumn(cells[i], opt))
	}
	nrows := 0
	if len(cells) > 0 {
		nrows = len(cells[0])
	}
	index := Range(nrows)
	if opt.IndexCol && len(cells) > 0 {
		index = inferCSVColumn(cells[0], opt)
	}
	return NewDataFrame(index, names, cols), nil
}

func inferCSVColumn(vals []string, opt CSVOptions) Column {
	ints := make([]int64, len(vals))
	intOK := true
	for i, v := range vals {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || len(opt.NAValues) > 0 && opt.isNA(v) {
			intOK = false
			break
		}
		ints[i] = n
	}
	if intOK {
		return Ints(ints)
	}
	floats := make([]float64, len(vals))
	floatOK := true
	for i, v := range vals {
		t := strings.TrimSpace(v)
		if opt.isNA(t) {
			floats[i] = math.NaN()
			continue
		}
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			floatOK = false
			break
		}
		floats[i] = f
	}
	if floatOK {
		return Floats(floats)
	}
	bools := make([]bool, len(vals))
	boolOK := true
	for i, v := range vals {
		switch v {
		case "True", "TRUE", "true":
			bools[i] = true
		case "False", "FALSE", "false":
		default:
			boolOK = false
		}
		if !boolOK {
			break
		}
	}
	if boolOK {
		return Bools(bools)
	}
	objs := make([]any, len(vals))
	for i, v := range vals {
		if !opt.isNA(v) {
			objs[i] = v
		}
	}
	return Objects(objs)
}
