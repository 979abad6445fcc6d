package localfile

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

func ptr(s string) *string { return &s }

// binding wires name to the file id.
func binding(name, id string, filters ...adapter.Filter) adapter.Binding {
	return adapter.Binding{Name: name, Type: data.TypeDataFrame, RefID: ptr(id), Filters: filters}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// setup makes a configured directory and returns it with an adapter on it.
func setup(t *testing.T) (string, *Adapter) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "local_files")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, New(Config{Dirs: []string{dir}, GenericSinks: true, MaxBytes: 1 << 20,
		Now: func() time.Time { return time.Date(2024, 4, 12, 11, 42, 35, 813564000, time.UTC) }})
}

func load(t *testing.T, a *Adapter, b adapter.Binding) (any, error) {
	t.Helper()
	out, err := a.Load(context.Background(), adapter.LoadRequest{JobID: "j", Bindings: []adapter.Binding{b}, MaxPoints: 1000})
	if err != nil {
		return nil, err
	}
	return out[b.Name], nil
}

func mustLoad(t *testing.T, a *Adapter, b adapter.Binding) *data.DataFrame {
	t.Helper()
	v, err := load(t, a, b)
	if err != nil {
		t.Fatalf("load %s: %v", b.Ref(), err)
	}
	switch x := v.(type) {
	case *data.DataFrame:
		return x
	case string: // JSON: the runtime parses it as the input's type
		f, err := wire.ParseFrame(x)
		if err != nil {
			t.Fatalf("parse %s: %v", b.Ref(), err)
		}
		return f
	}
	t.Fatalf("load %s: %T", b.Ref(), v)
	return nil
}

func send(a *Adapter, b adapter.Binding, v any) error {
	_, err := a.Send(context.Background(), adapter.SendRequest{JobID: "5e3ec3e5-9f51-4cbb-8ad6-7eb1f7bb4c2f", Bindings: []adapter.Binding{b}, Values: map[string]any{b.Name: v}})
	return err
}

// rendered is a frame as the execution response renders it, plus its dtypes: two frames
// that render alike and have the same dtypes are the same to a workflow.
func rendered(t *testing.T, f *data.DataFrame) string {
	t.Helper()
	b, err := wire.AppendValue(nil, f)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b) + " index:" + f.Index.PandasDType()
	for i, c := range f.Columns {
		s += " " + data.PyStr(f.Names[i]) + ":" + c.PandasDType()
	}
	return s
}

// sample is a frame with every dtype a file round trip must keep: floats with NaN,
// ints, bools, strings needing quotes and a missing one, aware timestamps, on a UTC
// timestamp index.
func sample() *data.DataFrame {
	t0 := int64(1593561600) * 1e9 // 2020-07-01T00:00:00Z
	idx := data.Datetimes([]int64{t0, t0 + 3600e9, t0 + 7200e9}, data.UTC)
	return data.NewDataFrame(idx, []any{"x", "n", "ok", "s", "created_at"}, []data.Column{
		data.Floats([]float64{100.0, math.NaN(), 0.1}),
		data.Ints([]int64{1, -2, 3}),
		data.Bools([]bool{true, false, true}),
		data.Objects([]any{"plain", `with "quote", comma`, nil}),
		data.Datetimes([]int64{t0 + 1e6, t0, data.NaT}, data.UTC),
	})
}

// hetida's own test file (runtime/tests/data/local_files/dir1/dir2/dir3/hd_df_csv123b.csv)
// with its settings {"loadable": true, "load_settings": {"sep": ";"}}: pandas reads
// index (object: the timestamps stay strings), First_col and Second_col as float64.
func TestLoadCSVWithHetidaSettings(t *testing.T) {
	dir, a := setup(t)
	write(t, dir+"/dir1/hd_df_csv123b.csv", "index;First_col;Second_col\n2020-07-01T00:00:00Z;100.0;139.0\n2020-07-01T01:00:00Z;100.1;140.0\n")
	write(t, dir+"/dir1/hd_df_csv123b.csv.settings.json", `{"loadable": true, "load_settings": {"sep": ";"}, "writable": false, "write_settings": {}}`)
	f := mustLoad(t, a, binding("df", ToURL(dir+"/dir1/hd_df_csv123b.csv")))
	want := `{"__hd_wrapped_data_object__":"DATAFRAME","__metadata__":{},"__data__":{"index":{"0":"2020-07-01T00:00:00Z","1":"2020-07-01T01:00:00Z"},"First_col":{"0":100.0,"1":100.1},"Second_col":{"0":139.0,"1":140.0}}} index:int64 index:object First_col:float64 Second_col:float64`
	if got := rendered(t, f); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// with index_col and parse_dates the timestamps become the UTC index
	write(t, dir+"/dir1/hd_df_csv123b.csv.settings.json", `{"load_settings": {"sep": ";", "index_col": "index", "parse_dates": true}}`)
	f = mustLoad(t, a, binding("df", ToURL(dir+"/dir1/hd_df_csv123b.csv")))
	if f.Index.PandasDType() != "datetime64[ns, UTC]" || len(f.Columns) != 2 {
		t.Errorf("index_col+parse_dates: %s", rendered(t, f))
	}
}

// Writing needs a settings file with "writable": true; what was written loads back
// equal with index_col 0 and parse_dates (pandas' to_csv/read_csv round trip) — plain,
// gzip-compressed, through the generic sink, as Parquet and as JSON.
func TestRoundTrips(t *testing.T) {
	dir, a := setup(t)
	csvLoad := `{"loadable": true, "writable": true, "load_settings": {"index_col": 0, "parse_dates": [0, "created_at"]}}`
	for _, tc := range []struct {
		file, settings string
	}{
		{"out/plain.csv", csvLoad},
		{"out/packed.csv.gz", csvLoad},
		{"out/table.parquet", `{"writable": true}`},
		{"out/table-zstd.parquet", `{"writable": true, "write_settings": {"compression": "zstd"}}`},
		{"out/frame.json", `{"writable": true}`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			write(t, dir+"/"+tc.file+".settings.json", tc.settings)
			id := ToURL(dir + "/" + tc.file)
			in := sample()
			in.Attrs = data.NewDict(1)
			in.Attrs.Set("unit", "°C")
			if err := send(a, binding("out", id), in); err != nil {
				t.Fatal(err)
			}
			got := mustLoad(t, a, binding("in", id))
			if strings.HasSuffix(tc.file, ".csv") || strings.HasSuffix(tc.file, ".csv.gz") {
				got.Attrs = in.Attrs // CSV has no place for attrs
			}
			if g, w := rendered(t, got), rendered(t, in); g != w {
				t.Errorf("round trip\n got %s\nwant %s", g, w)
			}
		})
	}
	// a file without settings is not writable; one whose settings say so neither
	if err := send(a, binding("out", ToURL(dir+"/out/new.csv")), sample()); err == nil || !strings.Contains(err.Error(), "writable") {
		t.Errorf("writing without settings: %v", err)
	}
	write(t, dir+"/out/ro.csv.settings.json", `{"writable": false}`)
	if err := send(a, binding("out", ToURL(dir+"/out/ro.csv")), sample()); err == nil {
		t.Error("writing a file whose settings forbid it succeeded")
	}
	write(t, dir+"/out/hidden.csv", "a\n1\n")
	write(t, dir+"/out/hidden.csv.settings.json", `{"loadable": false}`)
	if _, err := load(t, a, binding("in", ToURL(dir+"/out/hidden.csv"))); err == nil || !strings.Contains(err.Error(), "loadable") {
		t.Errorf("loading a file whose settings forbid it: %v", err)
	}
}

// The pandas CSV text of sample(): the index unlabelled, floats in repr form, NaN and
// None empty, quotes doubled inside quoted fields, aware timestamps with their offset.
func TestWriteCSVText(t *testing.T) {
	var b bytes.Buffer
	if err := writeCSV(context.Background(), &b, sample(), nil, ""); err != nil {
		t.Fatal(err)
	}
	want := ",x,n,ok,s,created_at\n" +
		"2020-07-01 00:00:00+00:00,100.0,1,True,plain,2020-07-01 00:00:00.001000+00:00\n" +
		"2020-07-01 01:00:00+00:00,,-2,False,\"with \"\"quote\"\", comma\",2020-07-01 00:00:00+00:00\n" +
		"2020-07-01 02:00:00+00:00,0.1,3,True,,\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	if err := writeCSV(context.Background(), &b, sample(), map[string]any{"sep": ";", "index": false, "na_rep": "NA"}, ""); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "x;n;ok;s;created_at\n100.0;1;True;plain;") || !strings.Contains(b.String(), "\nNA;-2;") {
		t.Errorf("sep/index/na_rep: %q", b.String())
	}
	if err := writeCSV(context.Background(), &b, sample(), map[string]any{"float_format": "%.2f"}, ""); err == nil || !strings.Contains(err.Error(), "float_format") {
		t.Errorf("unsupported write setting: %v", err)
	}
}

// The generic sink writes into the directory of its id under the filter file_name or
// under hetida's generated name <UTC isoformat>_<job id>.csv.
func TestGenericSink(t *testing.T) {
	dir, a := setup(t)
	if err := os.Mkdir(dir+"/results", 0o755); err != nil {
		t.Fatal(err)
	}
	sink := GenericSinkPrefix + ToURL(dir+"/results")
	if err := send(a, binding("out", sink), sample()); err != nil {
		t.Fatal(err)
	}
	generated := dir + "/results/2024-04-12T11:42:35.813564+00:00_5e3ec3e5-9f51-4cbb-8ad6-7eb1f7bb4c2f.csv"
	if _, err := os.Stat(generated); err != nil {
		t.Errorf("generated name: %v", err)
	}
	if err := send(a, binding("out", sink, adapter.NewFilter("file_name", "mine.parquet")), sample()); err != nil {
		t.Fatal(err)
	}
	if f := mustLoad(t, a, binding("in", ToURL(dir+"/results/mine.parquet"))); f.Len() != 3 {
		t.Errorf("generic parquet: %d rows", f.Len())
	}
	for _, bad := range []string{"../escape.csv", "sub/x.csv", "x.txt", "x.pkl", "x.csv.settings.json"} {
		if err := send(a, binding("out", sink, adapter.NewFilter("file_name", bad)), sample()); err == nil {
			t.Errorf("file_name %q accepted", bad)
		}
	}
	off := New(Config{Dirs: []string{dir}})
	if err := send(off, binding("out", sink), sample()); err == nil || !strings.Contains(err.Error(), "GENERIC_DATAFRAME_SINKS") {
		t.Errorf("generic sinks off: %v", err)
	}
}

// No id reaches a file outside the configured directories: not with "..", not with an
// absolute path elsewhere, not with a directory whose name merely starts like a
// configured one, not through symbolic links (to a file, to a directory, absolute), and
// not by writing through a link.
func TestPathEscapesAreRefused(t *testing.T) {
	dir, a := setup(t)
	outside := filepath.Join(filepath.Dir(dir), "secret")
	write(t, outside+"/passwd.csv", "user\nroot\n")
	write(t, dir+"-evil/x.csv", "a\n1\n")
	write(t, dir+"/ok.csv", "a\n1\n")
	write(t, dir+"/ok.csv.settings.json", `{"writable": true}`)
	if err := os.Symlink("../secret/passwd.csv", dir+"/link.csv"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../secret", dir+"/linkdir"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside+"/passwd.csv", dir+"/abslink.csv"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("ok.csv", dir+"/inside.csv"); err != nil {
		t.Fatal(err)
	}
	write(t, dir+"/inside.csv.settings.json", `{"writable": true}`)
	for _, path := range []string{
		dir + "/../secret/passwd.csv",
		dir + "/sub/../../secret/passwd.csv",
		outside + "/passwd.csv",
		"/etc/passwd.csv",
		dir + "-evil/x.csv",
		dir + "/link.csv",
		dir + "/linkdir/passwd.csv",
		dir + "/abslink.csv",
		dir + "//ok.csv",
		dir + "/./ok.csv",
		dir,
	} {
		_, err := load(t, a, binding("in", ToURL(path)))
		var ae *adapter.Error
		if err == nil || !errors.As(err, &ae) {
			t.Errorf("%s: loaded (%v)", path, err)
			continue
		}
		if ae.Wiring != "in" || strings.Contains(err.Error(), "root") && !strings.Contains(err.Error(), "configured") {
			t.Errorf("%s: %v", path, err)
		}
		if err := send(a, binding("out", ToURL(path)), sample()); err == nil {
			t.Errorf("%s: written", path)
		}
	}
	if b, _ := os.ReadFile(outside + "/passwd.csv"); string(b) != "user\nroot\n" {
		t.Errorf("the file outside was changed: %q", b)
	}
	// a link inside the directory to a file inside is read, but never written through
	if f := mustLoad(t, a, binding("in", ToURL(dir+"/inside.csv"))); f.Len() != 1 {
		t.Errorf("inside link: %d rows", f.Len())
	}
	if err := send(a, binding("out", ToURL(dir+"/inside.csv")), sample()); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("writing through a link: %v", err)
	}
	// the generic sink of a directory outside
	if err := send(a, binding("out", GenericSinkPrefix+ToURL(outside)), sample()); err == nil {
		t.Error("generic sink outside the directories written")
	}
}

// Inputs above MAX_POINTS fail before they are held whole, and a compressed file that
// inflates beyond ADAPTER_MAX_BYTES is not inflated further (a decompression bomb).
func TestLimits(t *testing.T) {
	dir, a := setup(t)
	var sb strings.Builder
	sb.WriteString("a\n")
	for i := 0; i < 1001; i++ {
		sb.WriteString("1\n")
	}
	write(t, dir+"/big.csv", sb.String())
	_, err := load(t, a, binding("in", ToURL(dir+"/big.csv")))
	var ae *adapter.Error
	if !errors.As(err, &ae) || ae.Type != "InputTooLarge" {
		t.Errorf("1001 rows over a limit of 1000: %v", err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("a\n"))
	zw.Write(bytes.Repeat([]byte("x"), 2<<20)) // one 2 MiB cell, over the 1 MiB limit
	zw.Close()
	write(t, dir+"/bomb.csv.gz", gz.String())
	if _, err := load(t, a, binding("in", ToURL(dir+"/bomb.csv.gz"))); err == nil || !strings.Contains(err.Error(), "ADAPTER_MAX_BYTES") {
		t.Errorf("gzip bomb: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := a.Load(ctx, adapter.LoadRequest{Bindings: []adapter.Binding{binding("in", ToURL(dir+"/big.csv"))}}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// Settings and files trafofn cannot honour fail naming the reason, not silently.
func TestUnsupported(t *testing.T) {
	dir, a := setup(t)
	write(t, dir+"/x.csv", "a\n1\n")
	write(t, dir+"/x.csv.settings.json", `{"load_settings": {"dtype": {"a": "str"}}}`)
	if _, err := load(t, a, binding("in", ToURL(dir+"/x.csv"))); err == nil || !strings.Contains(err.Error(), `"dtype"`) {
		t.Errorf("unsupported load setting: %v", err)
	}
	write(t, dir+"/y.xlsx", "not really")
	write(t, dir+"/z.pkl", "not really")
	for _, f := range []string{"y.xlsx", "z.pkl", "missing.csv", "x.txt"} {
		if _, err := load(t, a, binding("in", ToURL(dir+"/"+f))); err == nil {
			t.Errorf("%s loaded", f)
		}
	}
	if _, err := load(t, a, adapter.Binding{Name: "in"}); err == nil || !strings.Contains(err.Error(), "ref_id") {
		t.Errorf("no ref: %v", err)
	}
	if err := send(a, binding("out", GenericSinkPrefix+ToURL(dir)), int64(3)); err == nil || !strings.Contains(err.Error(), "DataFrames") {
		t.Errorf("an int output: %v", err)
	}
}

// The id scheme: hetida's url representation, ref_key before ref_id.
func TestIDs(t *testing.T) {
	if got := ToURL("/mnt/my_files/a_b.csv"); got != "__mnt__my-_-files__a-_-b.csv" {
		t.Errorf("ToURL: %s", got)
	}
	if got := FromURL("__mnt__my-_-files__a-_-b.csv"); got != "/mnt/my_files/a_b.csv" {
		t.Errorf("FromURL: %s", got)
	}
	dir, a := setup(t)
	write(t, dir+"/k.csv", "a\n7\n")
	b := adapter.Binding{Name: "in", RefID: ptr("thing node"), RefKey: ptr(ToURL(dir + "/k.csv"))}
	if f := mustLoad(t, a, b); f.Columns[0].I[0] != 7 {
		t.Errorf("ref_key: %s", rendered(t, f))
	}
}
