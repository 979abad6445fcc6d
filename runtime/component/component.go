// Package component is the API of native components: the generated Meta of every hetida
// component revision (identity and typed ports), the Spec that binds it to a Run function,
// a self-checking input Reader, output checks, and the Registry that maps hetida revision
// ids to implementations.
package component

import (
	"context"
	"fmt"

	"github.com/trafofn/trafofn/runtime/data"
)

// Port is an input or output of a component. Optional inputs carry the default the
// component's code would use, as a plain value (nil for None, bool, int64, float64,
// string) or in hetida's manual-input form; it is parsed with the input's type when the
// input receives nothing.
type Port struct {
	Name     string
	Type     data.Type
	Optional bool
	Default  any
}

// Meta is the identity and interface of one hetida component revision: the facts of
// hetida's component file, generated into runtime/library (never written by hand).
type Meta struct {
	ID       string // hetida revision id
	GroupID  string // revision group id; empty means the same as ID
	Name     string
	Category string
	Version  string // version tag, e.g. "1.0.0"
	// State is RELEASED (default when empty), DRAFT or DISABLED.
	State string
	// Released and Disabled are hetida's released_timestamp and disabled_timestamp
	// (RFC 3339); empty for none.
	Released string
	Disabled string
	In       []Port
	Out      []Port
}

// RunFunc computes a component's outputs. It reads its inputs through in.Read(), must not
// modify input values (Series and DataFrames are shared between operators), and checks
// ctx in long loops.
type RunFunc func(ctx context.Context, in Inputs) (Outputs, error)

// Spec binds a component revision's Meta to its native implementation.
type Spec struct {
	Meta
	// Description is the project's own one-line summary of what the component computes.
	Description string
	Run         RunFunc
	// Loose names outputs whose value may have another type than declared, because
	// hetida's code returns one (duck typing: DataFrame to Series may return a DataFrame or
	// a scalar, regression slopes are one-element lists). The reason is documented at the
	// component's Run function.
	Loose []string
}

// Group returns the revision group id.
func (m *Meta) Group() string {
	if m.GroupID != "" {
		return m.GroupID
	}
	return m.ID
}

// RevisionState returns the state, RELEASED when unset.
func (m *Meta) RevisionState() string {
	if m.State != "" {
		return m.State
	}
	return "RELEASED"
}

// PurePlot reports whether every output (and at least one) is PLOTLYJSON: hetida skips
// such operators unless run_pure_plot_operators is set.
func (m *Meta) PurePlot() bool {
	if len(m.Out) == 0 {
		return false
	}
	for _, p := range m.Out {
		if p.Type != data.TypePlotlyJSON {
			return false
		}
	}
	return true
}

// Input returns the input port called name.
func (m *Meta) Input(name string) (Port, bool) {
	for _, p := range m.In {
		if p.Name == name {
			return p, true
		}
	}
	return Port{}, false
}

// Output returns the output port called name.
func (m *Meta) Output(name string) (Port, bool) {
	for _, p := range m.Out {
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
// component without Run is a programming error and panics (a test builds the library's
// registry, so such an error never ships).
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

// In declares a required input (for components defined outside the generated metadata,
// such as the engine's tests).
func In(name string, t data.Type) Port { return Port{Name: name, Type: t} }

// Opt declares an optional input with its default.
func Opt(name string, t data.Type, def any) Port {
	return Port{Name: name, Type: t, Optional: true, Default: def}
}

// Out declares an output.
func Out(name string, t data.Type) Port { return Port{Name: name, Type: t} }
