// Package localfile is hetida's local-file-adapter: DATAFRAME inputs read from and
// outputs written to files below configured directories (CSV, gzip/bzip2/zip-compressed
// CSV, Parquet and JSON).
//
// Ids are hetida's: the file's path, as it starts with one of the configured directories,
// in "url representation" ("_" → "-_-", then "/" → "__"); a wiring's ref_key is used when
// set, else its ref_id. A file may have a companion "<file>.settings.json" with
// {"loadable", "load_settings", "writable", "write_settings"}: loading needs loadable
// (the default), writing an existing file needs writable (off by default), and the settings
// are the reading and writing options (pandas' keyword arguments; the ones trafofn
// supports are listed in the README). Outputs can also go to a new file in any directory
// through the generic sink GENERIC_DATAFRAME_SINK_AT_<directory id>, its name from the
// filter file_name or made of the time and the job id.
//
// No path leaves the configured directories: an id must start with one, the rest of the
// path must be relative without ".." components, and every file is opened through an
// os.Root, which also refuses symbolic links that point outside (or are absolute).
package localfile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/data"
)

// ID is the adapter id hetida gives the local file adapter.
const ID = "local-file-adapter"

// GenericSinkPrefix starts the ids of the generic DATAFRAME sinks.
const GenericSinkPrefix = "GENERIC_DATAFRAME_SINK_AT_"

// genericAnyPrefix starts hetida's generic ANY sinks, which write pickles.
const genericAnyPrefix = "GENERIC_ANY_SINK_AT_"

// Config configures the adapter.
type Config struct {
	// Dirs are the directories files may be read from and written to
	// (RUNTIME_LOCAL_FILE_ADAPTER_LOCAL_DIRECTORIES), spelled as ids spell them.
	Dirs []string
	// GenericSinks offers GENERIC_DATAFRAME_SINK_AT_<dir> in every directory
	// (RUNTIME_LOCAL_FILE_ADAPTER_GENERIC_DATAFRAME_SINKS).
	GenericSinks bool
	// MaxBytes bounds the bytes read from one file, after decompression (0: no limit).
	MaxBytes int64
	// Now is the clock for generated file names (nil: time.Now).
	Now func() time.Time
}

// Adapter is the local file adapter; it is safe for concurrent use.
type Adapter struct {
	cfg  Config
	dirs []string
}

var (
	_ adapter.Source = (*Adapter)(nil)
	_ adapter.Sink   = (*Adapter)(nil)
)

// New returns the adapter. Directories are opened per request, so that one mounted
// after start-up is found.
func New(cfg Config) *Adapter {
	a := &Adapter{cfg: cfg}
	for _, d := range cfg.Dirs {
		switch {
		case d == "":
		case strings.Trim(d, "/") == "":
			a.dirs = append(a.dirs, "/")
		default:
			a.dirs = append(a.dirs, strings.TrimRight(d, "/"))
		}
	}
	if a.cfg.Now == nil {
		a.cfg.Now = time.Now
	}
	return a
}

// ToURL is hetida's url representation of a path: "_" → "-_-", then "/" → "__".
func ToURL(path string) string {
	return strings.ReplaceAll(strings.ReplaceAll(path, "_", "-_-"), "/", "__")
}

// FromURL turns an id back into a path.
func FromURL(id string) string {
	return strings.ReplaceAll(strings.ReplaceAll(id, "__", "/"), "-_-", "_")
}

// location is a file below a configured directory.
type location struct {
	dir  string // the configured directory
	rel  string // the path below it, slash-separated, never empty, never escaping
	path string // dir/rel as ids spell it, for messages
}

// resolve finds the configured directory of path and checks the rest of it: relative,
// no "." or ".." components. The longest matching directory wins.
func (a *Adapter) resolve(path string) (location, error) {
	best := -1
	for i, d := range a.dirs {
		if (d == "/" && strings.HasPrefix(path, "/")) || strings.HasPrefix(path, d+"/") {
			if best < 0 || len(d) > len(a.dirs[best]) {
				best = i
			}
		}
	}
	if best < 0 {
		return location{}, fmt.Errorf("%q does not lie in a configured directory (RUNTIME_LOCAL_FILE_ADAPTER_LOCAL_DIRECTORIES: %s)", path, a.dirList())
	}
	d := a.dirs[best]
	rel := strings.TrimPrefix(path, d)
	rel = strings.TrimPrefix(rel, "/")
	if rel == "" || strings.HasPrefix(rel, "/") || !filepath.IsLocal(rel) {
		return location{}, fmt.Errorf("%q leaves the configured directory %q", path, d)
	}
	for _, part := range strings.Split(rel, "/") {
		if part == ".." || part == "." || part == "" {
			return location{}, fmt.Errorf("%q leaves the configured directory %q (paths must not contain %q components)", path, d, part)
		}
	}
	return location{dir: d, rel: rel, path: path}, nil
}

func (a *Adapter) dirList() string {
	if len(a.dirs) == 0 {
		return "none configured"
	}
	b, _ := json.Marshal(a.dirs)
	return string(b)
}

// open runs f on the directory of loc opened as an os.Root.
func (a *Adapter) open(loc location, f func(*os.Root) error) error {
	root, err := os.OpenRoot(loc.dir)
	if err != nil {
		return fmt.Errorf("the configured directory %q cannot be opened: %w", loc.dir, err)
	}
	defer root.Close()
	return f(root)
}

// fileError phrases an error of opening loc: escapes through symbolic links are named.
func fileError(loc location, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("local file %q does not exist", loc.path)
	}
	if isEscape(err) {
		return fmt.Errorf("local file %q leaves the configured directory %q (through a symbolic link)", loc.path, loc.dir)
	}
	return fmt.Errorf("local file %q: %w", loc.path, err)
}

// isEscape reports os.Root's refusal of a path outside the root.
func isEscape(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "escapes")
}

// Settings is a file's companion .settings.json.
type Settings struct {
	Loadable      *bool          `json:"loadable"`
	LoadSettings  map[string]any `json:"load_settings"`
	Writable      *bool          `json:"writable"`
	WriteSettings map[string]any `json:"write_settings"`
}

func (s Settings) loadable() bool { return s.Loadable == nil || *s.Loadable }
func (s Settings) writable() bool { return s.Writable != nil && *s.Writable }

// maxSettingsBytes bounds a .settings.json.
const maxSettingsBytes = 1 << 20

// settings reads rel's .settings.json; found is false when there is none. A settings
// file that is not valid JSON fails (hetida falls back to the defaults silently).
func settings(root *os.Root, loc location) (s Settings, found bool, err error) {
	f, err := root.Open(loc.rel + ".settings.json")
	if errors.Is(err, fs.ErrNotExist) {
		return Settings{}, false, nil
	}
	if err != nil {
		return Settings{}, false, fileError(location{dir: loc.dir, rel: loc.rel + ".settings.json", path: loc.path + ".settings.json"}, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSettingsBytes+1))
	if err != nil {
		return Settings{}, false, fmt.Errorf("reading %s.settings.json: %w", loc.path, err)
	}
	if len(b) > maxSettingsBytes {
		return Settings{}, false, fmt.Errorf("%s.settings.json is larger than %d bytes", loc.path, maxSettingsBytes)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return Settings{}, false, fmt.Errorf("%s.settings.json is not a valid settings file: %w", loc.path, err)
	}
	return s, true, nil
}

// Load reads each binding's file.
func (a *Adapter) Load(ctx context.Context, req adapter.LoadRequest) (map[string]any, error) {
	out := make(map[string]any, len(req.Bindings))
	for _, b := range req.Bindings {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v, err := a.load(ctx, b, req.MaxPoints)
		if err != nil {
			return nil, err
		}
		out[b.Name] = v
	}
	return out, nil
}

func (a *Adapter) load(ctx context.Context, b adapter.Binding, maxPoints int) (any, error) {
	ref := b.Ref()
	if ref == "" {
		return nil, adapter.WiringFailed("AdapterClientWiringInvalidError", b, fmt.Sprintf("the wiring of input '%s' names no file (ref_id or ref_key)", b.Name), nil)
	}
	loc, err := a.resolve(FromURL(ref))
	if err != nil {
		return nil, adapter.WiringFailed("AdapterHandlingException", b, err.Error(), err)
	}
	fm, err := formatOf(loc.rel)
	if err != nil {
		return nil, adapter.WiringFailed("AdapterHandlingException", b, err.Error(), err)
	}
	var v any
	err = a.open(loc, func(root *os.Root) error {
		s, _, err := settings(root, loc)
		if err != nil {
			return err
		}
		if !s.loadable() {
			return fmt.Errorf("the settings file of %q does not allow loading it (loadable: false)", loc.path)
		}
		f, err := root.Open(loc.rel)
		if err != nil {
			return fileError(loc, err)
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
			return fmt.Errorf("local file %q is not a regular file", loc.path)
		}
		v, err = fm.read(ctx, f, readOptions{settings: s.LoadSettings, maxPoints: maxPoints, maxBytes: a.cfg.MaxBytes})
		if err != nil {
			if errors.Is(err, errTooManyPoints) {
				return err
			}
			return fmt.Errorf("reading %q: %w", loc.path, err)
		}
		return nil
	})
	switch {
	case errors.Is(err, errTooManyPoints):
		return nil, adapter.TooManyPoints(b, maxPoints)
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, adapter.WiringFailed("AdapterHandlingException", b, err.Error(), err)
	}
	return v, nil
}

// Send writes each binding's value to its file.
func (a *Adapter) Send(ctx context.Context, req adapter.SendRequest) (map[string]any, error) {
	for _, b := range req.Bindings {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := a.send(ctx, b, req.JobID, req.Values[b.Name]); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, err
		}
	}
	return nil, nil
}

func (a *Adapter) send(ctx context.Context, b adapter.Binding, jobID string, v any) error {
	ref := b.Ref()
	if ref == "" {
		return adapter.WiringFailed("AdapterClientWiringInvalidError", b, fmt.Sprintf("the wiring of output '%s' names no file (ref_id or ref_key)", b.Name), nil)
	}
	frame, err := asFrame(v)
	if err != nil {
		return adapter.WiringFailed("AdapterOutputDataError", b, fmt.Sprintf("output '%s': %v", b.Name, err), err)
	}
	generic := false
	var path string
	switch {
	case strings.HasPrefix(ref, genericAnyPrefix):
		return adapter.WiringFailed("AdapterHandlingException", b, "generic ANY sinks write Python pickles, which trafofn does not write; use a GENERIC_DATAFRAME_SINK_AT_ sink", nil)
	case strings.HasPrefix(ref, GenericSinkPrefix):
		if !a.cfg.GenericSinks {
			return adapter.WiringFailed("AdapterHandlingException", b, "generic DATAFRAME sinks are switched off (RUNTIME_LOCAL_FILE_ADAPTER_GENERIC_DATAFRAME_SINKS=false)", nil)
		}
		name, err := a.genericName(b.Filters, jobID)
		if err != nil {
			return adapter.WiringFailed("AdapterClientWiringInvalidError", b, err.Error(), err)
		}
		path, generic = FromURL(strings.TrimPrefix(ref, GenericSinkPrefix))+"/"+name, true
	default:
		path = FromURL(ref)
	}
	loc, err := a.resolve(path)
	if err != nil {
		return adapter.WiringFailed("AdapterHandlingException", b, err.Error(), err)
	}
	fm, err := formatOf(loc.rel)
	if err != nil {
		return adapter.WiringFailed("AdapterHandlingException", b, err.Error(), err)
	}
	err = a.open(loc, func(root *os.Root) error {
		s, found, err := settings(root, loc)
		if err != nil {
			return err
		}
		if !generic && !s.writable() {
			if !found {
				return fmt.Errorf("%q may not be written: it needs a settings file %s.settings.json with \"writable\": true (or use a %s sink)", loc.path, loc.path, GenericSinkPrefix)
			}
			return fmt.Errorf("the settings file of %q does not allow writing it (writable is not true)", loc.path)
		}
		return writeFile(ctx, root, loc, func(w io.Writer) error { return fm.write(ctx, w, frame, s.WriteSettings) })
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return adapter.WiringFailed("AdapterHandlingException", b, err.Error(), err)
	}
	return nil
}

// genericName is the generic sink's file name: the filter file_name (a plain name with a
// supported extension) or "<UTC time>_<job id>.csv", as hetida names them.
func (a *Adapter) genericName(f adapter.Filters, jobID string) (string, error) {
	name, ok := f.Get("file_name")
	if !ok || name == "" {
		if jobID == "" {
			jobID = uuid.NewString()
		}
		return a.cfg.Now().UTC().Format("2006-01-02T15:04:05.000000+00:00") + "_" + jobID + ".csv", nil
	}
	if strings.ContainsAny(name, `/\`) || name == "." || name == ".." || strings.HasSuffix(name, ".settings.json") {
		return "", fmt.Errorf("the filter file_name %q must be a plain file name", name)
	}
	if _, err := formatOf(name); err != nil {
		return "", fmt.Errorf("the filter file_name %q: %v", name, err)
	}
	return name, nil
}

// writeFile writes a new version of loc through a temporary file in the same directory,
// renamed over the target once complete: readers never see half a file, and a failed
// write leaves the old one.
func writeFile(ctx context.Context, root *os.Root, loc location, write func(io.Writer) error) error {
	dir, base := "", loc.rel
	if i := strings.LastIndexByte(loc.rel, '/'); i >= 0 {
		dir, base = loc.rel[:i+1], loc.rel[i+1:]
	}
	if fi, err := root.Lstat(loc.rel); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("local file %q is a symbolic link; trafofn does not write through links", loc.path)
	}
	tmp := dir + "." + base + ".tmp-" + uuid.NewString()[:8]
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fileError(location{dir: loc.dir, rel: tmp, path: loc.path}, err)
	}
	werr := write(f)
	if werr == nil {
		werr = ctx.Err()
	}
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = root.Rename(tmp, loc.rel)
	}
	if werr != nil {
		_ = root.Remove(tmp)
		return fmt.Errorf("writing %q: %w", loc.path, werr)
	}
	return nil
}

// asFrame takes a DATAFRAME or MULTITSFRAME output as it is and a SERIES as its one
// column (pandas' Series.to_csv writes the same).
func asFrame(v any) (*data.DataFrame, error) {
	switch x := v.(type) {
	case *data.DataFrame:
		return x, nil
	case *data.Series:
		name := x.Name
		if name == nil {
			name = int64(0)
		}
		f := data.NewDataFrame(x.Index, []any{name}, []data.Column{x.Values})
		f.Attrs = x.Attrs
		return f, nil
	}
	return nil, fmt.Errorf("the local file adapter writes DataFrames and Series, got %s", data.PyTypeName(v))
}
