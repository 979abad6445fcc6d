package store

import (
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The embedded example workflows are generated from hetida's files:
//
//go:generate go run ../../internal/gen/catalogue -src ../../../shared/hetida/transformations/workflows -out catalogue

//go:embed catalogue/*.json
var catalogue embed.FS

// Store is the transformation catalogue. Build it with New, then LoadDirs; afterwards it
// is read-only and safe for concurrent lookups.
type Store struct {
	byID    map[string]*Revision
	byGroup map[string][]*Revision
	native  map[string]*Revision // the natively implemented components, by id
	log     *slog.Logger
}

// New builds the embedded catalogue: the COMPONENT revisions of the natively implemented
// components (natives, described by the runtime that implements them) and the project's
// own definitions of example workflows. Component files loaded later must describe the
// same ports as the native revision of their id.
func New(natives []*Revision, log *slog.Logger) (*Store, error) {
	if log == nil {
		log = slog.Default()
	}
	s := &Store{byID: map[string]*Revision{}, byGroup: map[string][]*Revision{}, native: map[string]*Revision{}, log: log}
	for _, r := range natives {
		s.native[r.ID] = r
		s.put(r)
	}
	entries, err := fs.Glob(catalogue, "catalogue/*.json")
	if err != nil {
		return nil, err
	}
	for _, name := range entries {
		b, err := catalogue.ReadFile(name)
		if err != nil {
			return nil, err
		}
		r, err := DecodeRevision(b)
		if err != nil {
			return nil, fmt.Errorf("embedded %s: %w", name, err)
		}
		r.Origin = "embedded"
		s.put(r)
	}
	return s, nil
}

// InputID and OutputID are the connector ids hetida gives a component's inputs and
// outputs when it imports the component from a .py file (uuid_from_seed of
// "component_input_<name>" and "component_output_<name>"). Native components get the
// same ids, so that exported workflows find the connectors they link.
func InputID(name string) string { return ioID("component_input_" + name) }

// OutputID: see InputID.
func OutputID(name string) string { return ioID("component_output_" + name) }

func (s *Store) put(r *Revision) {
	if old, ok := s.byID[r.ID]; ok {
		s.log.Info("transformation revision replaced", "id", r.ID, "name", r.Name, "from", old.Origin, "by", r.Origin)
		g := s.byGroup[old.GroupID]
		for i, x := range g {
			if x == old {
				s.byGroup[old.GroupID] = append(g[:i:i], g[i+1:]...)
				break
			}
		}
	}
	s.byID[r.ID] = r
	s.byGroup[r.GroupID] = append(s.byGroup[r.GroupID], r)
}

// LoadDirs loads every hetida export JSON file below the given directories (recursively,
// in lexical order). A file's revision replaces one with the same id. hetida's .py
// component files are skipped: workflows carry the connector names of their operators
// and bind to native components by revision id. A malformed file, or a component file
// whose inputs or outputs disagree with the native component of the same id, is an error
// naming the file and the field or port.
func (s *Store) LoadDirs(dirs []string) error {
	for _, dir := range dirs {
		if dir == "" {
			continue
		}
		info, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("TRANSFORMATIONS_DIR %s: %w", dir, err)
		}
		if !info.IsDir() {
			return fmt.Errorf("TRANSFORMATIONS_DIR %s: not a directory", dir)
		}
		var files []string
		err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".json":
				files = append(files, path)
			case ".py":
				s.log.Debug("skipping Python component file; components run natively", "file", path)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("TRANSFORMATIONS_DIR %s: %w", dir, err)
		}
		slices.Sort(files)
		for _, f := range files {
			if err := s.loadFile(f); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Store) loadFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	r, err := DecodeRevision(b)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	r.Origin = path
	if r.Type == TypeComponent {
		if native, ok := s.native[r.ID]; ok {
			if err := checkInterface(r, native); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
		}
	}
	s.put(r)
	return nil
}

// checkInterface verifies that a component file describes the same ports as the native
// implementation of its id.
func checkInterface(r, native *Revision) error {
	if err := samePorts("io_interface.inputs", r.Inputs, native.Inputs); err != nil {
		return err
	}
	return samePorts("io_interface.outputs", r.Outputs, native.Outputs)
}

func samePorts(field string, file, native []IO) error {
	byName := map[string]IO{}
	for _, p := range native {
		byName[p.Name] = p
	}
	seen := map[string]bool{}
	for i, io := range file {
		p, ok := byName[io.Name]
		if !ok {
			return &FieldError{Path: fmt.Sprintf("%s[%d].name", field, i), Msg: fmt.Sprintf("port %q does not exist in the native component (it has %s)", io.Name, portNames(native))}
		}
		if p.Type != io.Type {
			return &FieldError{Path: fmt.Sprintf("%s[%d].data_type", field, i), Msg: fmt.Sprintf("port %q is %s in the file but %s in the native component", io.Name, io.Type, p.Type)}
		}
		seen[io.Name] = true
	}
	for _, p := range native {
		if !seen[p.Name] {
			return &FieldError{Path: field, Msg: fmt.Sprintf("port %q of the native component is missing", p.Name)}
		}
	}
	return nil
}

func portNames(ps []IO) string {
	n := make([]string, len(ps))
	for i, p := range ps {
		n[i] = p.Name
	}
	return strings.Join(n, ", ")
}

// ErrNotFound is returned by lookups that find nothing.
var ErrNotFound = errors.New("transformation revision not found")

// Get returns the revision with the given id (any state).
func (s *Store) Get(id string) (*Revision, bool) {
	r, ok := s.byID[id]
	return r, ok
}

// LatestReleased returns the RELEASED revision of a group with the newest
// released_timestamp; DRAFT and DISABLED revisions are ignored.
func (s *Store) LatestReleased(groupID string) (*Revision, bool) {
	var best *Revision
	for _, r := range s.byGroup[groupID] {
		if r.State != StateReleased || r.Released == nil {
			continue
		}
		if best == nil || r.Released.After(*best.Released) {
			best = r
		}
	}
	return best, best != nil
}

// All returns every revision, ordered by type, category and name.
func (s *Store) All() []*Revision {
	out := make([]*Revision, 0, len(s.byID))
	for _, r := range s.byID {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b *Revision) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Category, b.Category), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Len is the number of revisions.
func (s *Store) Len() int { return len(s.byID) }
