// Package objstore is the object store behind hetida's Store Object and Load Object
// components: values kept as files under one directory, keyed by name and tag. Values
// are written as JSON — Series and DataFrames in hetida's wrapped format — never as
// Python pickles, so a stored object can be read by anything and loading one cannot run
// code.
package objstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Latest is the tag that loads the most recently stored object of a name; it cannot be
// used to store one (hetida's rule).
const Latest = "latest"

// magic starts every file this package writes.
const magic = `{"trafofn_object":1,`

// Dir stores objects as <root>/<name>_<tag>. It is safe for concurrent use: a file is
// written to a temporary name and renamed into place, so readers never see half an
// object.
type Dir struct{ root string }

// New opens the store rooted at an existing directory.
func New(root string) (*Dir, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", root)
	}
	return &Dir{root: root}, nil
}

// key validates a name or tag: it becomes part of a file name, so it must not reach out
// of the directory.
func key(what, s string) error {
	if s == "" || s == "." || s == ".." || strings.ContainsAny(s, `/\`+"\x00") {
		return data.ValueError("invalid object %s %q: it must be non-empty and contain no path separators", what, s)
	}
	return nil
}

func (d *Dir) path(name, tag string) string { return filepath.Join(d.root, name+"_"+tag) }

// notFound is the error hetida's store raises for a missing object.
func notFound(path string) error {
	return &data.Error{Type: "FileNotFoundError", Message: fmt.Sprintf("[Errno 2] No such file or directory: %s", data.PyRepr(path))}
}

// Store writes v under name and tag, replacing an object stored there before. v may be
// anything the engine can write as JSON: scalars, lists, dicts, Series, DataFrames and
// values that render themselves.
func (d *Dir) Store(ctx context.Context, name, tag string, v any) error {
	if tag == Latest {
		return data.ValueError(`"latest" has a special meaning as a tag and cannot be used directly when dumping objects`)
	}
	if err := errors.Join(key("name", name), key("tag", tag)); err != nil {
		return err
	}
	typ := data.TypeAny
	switch v.(type) {
	case *data.Series:
		typ = data.TypeSeries
	case *data.DataFrame:
		typ = data.TypeDataFrame
	}
	b := append([]byte(magic), `"type":`...)
	b = wire.AppendString(b, string(typ))
	b = append(b, `,"value":`...)
	b, err := wire.AppendValue(b, v)
	if err != nil {
		return data.TypeError("cannot store a %s: %v", data.PyTypeName(v), err)
	}
	b = append(b, '}')
	if err := ctx.Err(); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(d.root, ".store-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), d.path(name, tag)); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// Load reads the object stored under name and tag; the tag "latest" picks the object of
// that name stored last.
func (d *Dir) Load(ctx context.Context, name, tag string) (any, error) {
	if err := errors.Join(key("name", name), key("tag", tag)); err != nil {
		return nil, err
	}
	path := d.path(name, tag)
	if tag == Latest {
		var err error
		if path, err = d.latest(name); err != nil {
			return nil, err
		}
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound(path)
	}
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return decode(path, b)
}

// latest finds the newest file stored for name (by modification time, then tag).
func (d *Dir) latest(name string) (string, error) {
	entries, err := os.ReadDir(d.root)
	if err != nil {
		return "", err
	}
	best, bestTime := "", int64(0)
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasPrefix(n, name+"_") || n == name+"_"+Latest {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		if t := info.ModTime().UnixNano(); best == "" || t > bestTime || t == bestTime && n > best {
			best, bestTime = n, t
		}
	}
	if best == "" {
		return "", notFound(d.path(name, Latest))
	}
	return filepath.Join(d.root, best), nil
}

func decode(path string, b []byte) (any, error) {
	if !bytes.HasPrefix(b, []byte(magic)) {
		return nil, data.ValueError("%s is not an object stored by trafofn (hetida's pickled objects cannot be read)", path)
	}
	v, err := wire.Decode(b)
	if err != nil {
		return nil, data.ValueError("%s is damaged: %v", path, err)
	}
	doc, _ := v.(*data.Dict)
	typ, _ := doc.Get("type")
	val, _ := doc.Get("value")
	t, _ := typ.(string)
	switch data.Type(t) {
	case data.TypeSeries, data.TypeDataFrame:
		out, err := wire.Parse(data.Type(t), val, false)
		if err != nil {
			return nil, data.ValueError("%s is damaged: %v", path, err)
		}
		return out, nil
	case data.TypeAny:
		return val, nil
	}
	return nil, data.ValueError("%s holds an unknown type %q", path, t)
}
