package component

import "context"

// Env holds what the operator of trafofn configures for components that reach outside
// their inputs (hetida's object store, local datasets). The engine hands the same Env to
// every component; a nil field means "not configured", and such a component fails with a
// clear error instead of guessing a location.
type Env struct {
	// Objects persists values by name and tag (Store Object / Load Object).
	Objects ObjectStore
	// RDatasetsDir is a local directory of Rdatasets CSV files (<package>/<name>.csv)
	// for Get R Dataset, which otherwise needs network access.
	RDatasetsDir string
}

// ObjectStore persists component values by name and tag.
type ObjectStore interface {
	Store(ctx context.Context, name, tag string, v any) error
	Load(ctx context.Context, name, tag string) (any, error)
}

// WithEnv returns a copy of in that gives the component env.
func (in Inputs) WithEnv(env *Env) Inputs { in.env = env; return in }

// Env returns the environment the engine configured; never nil.
func (in Inputs) Env() *Env {
	if in.env == nil {
		return &Env{}
	}
	return in.env
}
