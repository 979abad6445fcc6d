package objstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trafofn/trafofn/runtime/data"
)

func newStore(t *testing.T) *Dir {
	t.Helper()
	d, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func pyType(err error) string {
	var de *data.Error
	if errors.As(err, &de) {
		return de.Type
	}
	return ""
}

// A Series, a DataFrame and plain values come back as they were stored.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	idx := data.Datetimes([]int64{0, 3600e9}, data.UTC)
	series := data.NewSeries("temp", idx, data.Floats([]float64{1.5, 2}))
	frame := data.NewDataFrame(data.Range(2), []any{"a", "b"}, []data.Column{data.Ints([]int64{1, 2}), data.Objects([]any{"x", "y"})})
	dict := data.NewDict(2)
	dict.Set("k", int64(3))
	dict.Set("l", []any{1.5, "s", nil})
	for name, v := range map[string]any{"series": series, "frame": frame, "dict": dict, "number": 2.5} {
		if err := s.Store(ctx, name, "1.0.0", v); err != nil {
			t.Fatalf("store %s: %v", name, err)
		}
		got, err := s.Load(ctx, name, "1.0.0")
		if err != nil {
			t.Fatalf("load %s: %v", name, err)
		}
		switch want := v.(type) {
		case *data.Series:
			g := got.(*data.Series)
			if g.Name != "temp" || g.Index.I[1] != 3600e9 || g.Values.F[0] != 1.5 || g.Values.At(1) != want.Values.At(1) {
				t.Errorf("series came back as %+v", g)
			}
		case *data.DataFrame:
			g := got.(*data.DataFrame)
			if len(g.Names) != 2 || g.Columns[0].At(1) != int64(2) || g.Columns[1].At(0) != "x" {
				t.Errorf("frame came back as %+v", g)
			}
		case *data.Dict:
			if data.PyRepr(got) != "{'k': 3, 'l': [1.5, 's', None]}" {
				t.Errorf("dict came back as %s", data.PyRepr(got))
			}
		default:
			if got != v {
				t.Errorf("%s came back as %v", name, got)
			}
		}
	}
}

// "latest" loads the object stored last under a name, and cannot be stored to.
func TestLatest(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if err := s.Store(ctx, "m", Latest, 1.0); pyType(err) != "ValueError" || !strings.Contains(err.Error(), "special meaning") {
		t.Errorf("storing to latest: %v", err)
	}
	if err := s.Store(ctx, "m", "1.0.0", 1.0); err != nil {
		t.Fatal(err)
	}
	// a later modification time for the second tag, whatever the file system's clock resolution
	if err := s.Store(ctx, "m", "0.9.0", 2.0); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(s.root, "m_0.9.0"), later, later); err != nil {
		t.Fatal(err)
	}
	if err := s.Store(ctx, "mm", "2.0.0", 3.0); err != nil { // another name sharing the prefix
		t.Fatal(err)
	}
	if v, err := s.Load(ctx, "m", Latest); err != nil || v != 2.0 {
		t.Errorf("latest = %v, %v; want the object stored last (2.0)", v, err)
	}
}

// Missing objects fail with hetida's FileNotFoundError; names that would leave the
// directory and files that are not ours are refused.
func TestRefusals(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	_, err := s.Load(ctx, "never", "1.0.0")
	if pyType(err) != "FileNotFoundError" || !strings.Contains(err.Error(), "[Errno 2] No such file or directory: '"+filepath.Join(s.root, "never_1.0.0")+"'") {
		t.Errorf("missing object: %v", err)
	}
	if _, err := s.Load(ctx, "never", Latest); pyType(err) != "FileNotFoundError" {
		t.Errorf("missing latest: %v", err)
	}
	for _, bad := range []string{"../x", "a/b", "", "..", `a\b`} {
		if err := s.Store(ctx, bad, "1", 1.0); pyType(err) != "ValueError" {
			t.Errorf("name %q: %v", bad, err)
		}
		if _, err := s.Load(ctx, "ok", bad); pyType(err) != "ValueError" {
			t.Errorf("tag %q: %v", bad, err)
		}
	}
	if err := os.WriteFile(filepath.Join(s.root, "pickled_1"), []byte("\x80\x04\x95"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, "pickled", "1"); pyType(err) != "ValueError" || !strings.Contains(err.Error(), "pickled") {
		t.Errorf("a pickle: %v", err)
	}
	if err := s.Store(ctx, "fn", "1", func() {}); pyType(err) != "TypeError" {
		t.Errorf("an unencodable value: %v", err)
	}
	if _, err := New(filepath.Join(s.root, "nope")); err == nil {
		t.Error("a missing root was accepted")
	}
}
