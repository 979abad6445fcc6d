// Package component is the API of native components: a Spec per hetida component revision
// (identity, typed ports, a Run function), typed access to inputs, Python-style errors and
// the Registry that maps hetida revision ids to implementations.
package component

import (
	"context"
	"fmt"

	"github.com/trafofn/trafofn/runtime/data"
)

// Port is an input or output of a component. Optional inputs carry the default the
// component's code would use, in hetida's manual-input form (e.g. "5.0", "true", a JSON
// string); it is parsed with the input's type when the input receives nothing.
type Port struct {
	Name     string
	Type     data.Type
	Optional bool
	Default  any
}

// In declares a required input.
func In(name string, t data.Type) Port { return Port{Name: name, Type: t} }

// Opt declares an optional input with its default.
func Opt(name string, t data.Type, def any) Port {
	return Port{Name: name, Type: t, Optional: true, Default: def}
}

// Out declares an output.
func Out(name string, t data.Type) Port { return Port{Name: name, Type: t} }

// Spec describes one hetida component revision and its native implementation.
type Spec struct {
	ID       string // hetida revision id
	GroupID  string // revision group id; empty means the same as ID
	Name     string
	Category string
	Version  string // version tag, e.g. "1.0.0"
	// Description is a one-line summary shown in the catalogue.
	Description string
	// Released is hetida's released_timestamp (RFC 3339); empty for none.
	Released string
	// State is RELEASED (default when empty), DRAFT or DISABLED.
	State string
	In    []Port
	Out   []Port
	// Run computes the outputs. Values of SERIES/DATAFRAME inputs must not be modified.
	Run func(ctx context.Context, in Inputs) (Outputs, error)
}

// Group returns the revision group id.
func (s *Spec) Group() string {
	if s.GroupID != "" {
		return s.GroupID
	}
	return s.ID
}

// RevisionState returns the state, RELEASED when unset.
func (s *Spec) RevisionState() string {
	if s.State != "" {
		return s.State
	}
	return "RELEASED"
}

// PurePlot reports whether every output (and at least one) is PLOTLYJSON: hetida skips
// such operators unless run_pure_plot_operators is set.
func (s *Spec) PurePlot() bool {
	if len(s.Out) == 0 {
		return false
	}
	for _, p := range s.Out {
		if p.Type != data.TypePlotlyJSON {
			return false
		}
	}
	return true
}

// Input returns the input port called name.
func (s *Spec) Input(name string) (Port, bool) {
	for _, p := range s.In {
		if p.Name == name {
			return p, true
		}
	}
	return Port{}, false
}

// Output returns the output port called name.
func (s *Spec) Output(name string) (Port, bool) {
	for _, p := range s.Out {
		if p.Name == name {
			return p, true
		}
	}
	return Port{}, false
}

// Outputs maps output names to values.
type Outputs map[string]any

// Registry maps hetida revision ids to native components.
type Registry struct {
	byID map[string]*Spec
	all  []*Spec
}

// NewRegistry builds a registry from category tables. A duplicate id, an empty id or a
// component without Run is a programming error and panics.
func NewRegistry(tables ...[]Spec) *Registry {
	r := &Registry{byID: map[string]*Spec{}}
	for _, t := range tables {
		for i := range t {
			s := &t[i]
			if s.ID == "" || s.Run == nil {
				panic(fmt.Sprintf("component: %q has no id or no Run", s.Name))
			}
			if prev, ok := r.byID[s.ID]; ok {
				panic(fmt.Sprintf("component: duplicate id %s (%s and %s)", s.ID, prev.Name, s.Name))
			}
			r.byID[s.ID] = s
			r.all = append(r.all, s)
		}
	}
	return r
}

// Get returns the component registered under a revision id.
func (r *Registry) Get(id string) (*Spec, bool) {
	s, ok := r.byID[id]
	return s, ok
}

// All lists every component in table order.
func (r *Registry) All() []*Spec { return r.all }
