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
