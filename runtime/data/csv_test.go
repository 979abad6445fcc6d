package data

import (
	"context"
	"math"
	"strings"
	"testing"
)

// An Rdatasets-style file: a rownames column, ints, floats with NA, strings, bools.
// pandas.read_csv(…, index_col=0) gives int64, float64 (NA → NaN), object and bool
// columns and the rownames as the index.
func TestReadCSV(t *testing.T) {
	in := "\"\",\"n\",\"x\",\"s\",\"b\"\n\"1\",1,1.5,\"a\",TRUE\n\"2\",2,NA,\"b\",FALSE\n\"3\",3,-2e3,NA,TRUE\n"
	f, err := ReadCSV(context.Background(), strings.NewReader(in), CSVOptions{IndexCol: true})
	if err != nil {
		t.Fatal(err)
	}
	if f.Index.DType != Int64 || f.Index.I[2] != 3 || len(f.Names) != 4 || f.Names[0] != "n" {
		t.Fatalf("index %+v names %v", f.Index, f.Names)
	}
	n, x, s, b := f.Columns[0], f.Columns[1], f.Columns[2], f.Columns[3]
	if n.DType != Int64 || n.I[1] != 2 {
		t.Errorf("n: %+v", n)
	}
	if x.DType != Float64 || x.F[0] != 1.5 || !math.IsNaN(x.F[1]) || x.F[2] != -2000 {
		t.Errorf("x: %+v", x)
	}
	if s.DType != Object || s.O[0] != "a" || s.O[2] != nil {
		t.Errorf("s: %+v", s)
	}
	if b.DType != Bool || !b.B[0] || b.B[1] {
		t.Errorf("b: %+v", b)
	}
	// without index_col the index is a range and every column is kept
	f, err = ReadCSV(context.Background(), strings.NewReader("a,b\n1,x\n"), CSVOptions{})
	if err != nil || f.Index.I[0] != 0 || len(f.Columns) != 2 {
		t.Errorf("plain: %+v, %v", f, err)
	}
	for _, bad := range []string{"", "a,b\n1,2,3\n"} {
		if _, err := ReadCSV(context.Background(), strings.NewReader(bad), CSVOptions{}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if _, err := ReadCSV(context.Background(), strings.NewReader("a\n1\n2\n3\n"), CSVOptions{MaxRows: 2}); err == nil {
		t.Error("row limit not enforced")
	}
}

// The options the local file adapter passes on from a .settings.json: sep, nrows,
// na_values and keep_default_na, and pandas' name for a column without a header.
// pandas.read_csv(io.StringIO("a;;c\n1;x;-999\n2;NA;3\n3;y;4\n"), sep=";", nrows=2,
// na_values=["-999"]) gives a=[1, 2] int64, "Unnamed: 1"=["x", NaN] object and
// c=[NaN, 3.0] float64 (-999 is missing); with keep_default_na=False "NA" stays a string.
func TestReadCSVOptions(t *testing.T) {
	in := "a;;c\n1;x;-999\n2;NA;3\n3;y;4\n"
	f, err := ReadCSV(context.Background(), strings.NewReader(in), CSVOptions{Comma: ';', NRows: 2, NAValues: []string{"-999"}})
	if err != nil {
		t.Fatal(err)
	}
	if f.Len() != 2 || f.Names[1] != "Unnamed: 1" {
		t.Fatalf("rows %d names %v", f.Len(), f.Names)
	}
	if a := f.Columns[0]; a.DType != Int64 || a.I[1] != 2 {
		t.Errorf("a: %+v", a)
	}
	if u := f.Columns[1]; u.DType != Object || u.O[0] != "x" || u.O[1] != nil {
		t.Errorf("unnamed: %+v", u)
	}
	if c := f.Columns[2]; c.DType != Float64 || !math.IsNaN(c.F[0]) || c.F[1] != 3 {
		t.Errorf("c: %+v", c)
	}
	f, err = ReadCSV(context.Background(), strings.NewReader(in), CSVOptions{Comma: ';', NoDefaultNA: true})
	if err != nil {
		t.Fatal(err)
	}
	if u := f.Columns[1]; u.O[1] != "NA" {
		t.Errorf("keep_default_na=False: %+v", u)
	}
	// an integer column with a value listed in na_values becomes float64
	f, _ = ReadCSV(context.Background(), strings.NewReader("a\n1\n-999\n"), CSVOptions{NAValues: []string{"-999"}})
	if a := f.Columns[0]; a.DType != Float64 || !math.IsNaN(a.F[1]) {
		t.Errorf("int with na_values: %+v", a)
	}
}
