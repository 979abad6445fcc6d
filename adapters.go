package main

import (
	"fmt"
	"log/slog"

	"github.com/trafofn/trafofn/internal/config"
	"github.com/trafofn/trafofn/runtime/adapter"
)

// adapterSetup turns one external adapter on when the configuration asks for it: it
// registers the adapter's sources and sinks and describes it for GET /api/adapters, and
// returns what releases its resources at exit (nil when there are none). An error stops
// start-up; it must name the variable at fault, never credentials.
type adapterSetup func(cfg *config.Config, log *slog.Logger, reg *adapter.Registry) (release func(), err error)

// adapterSetups are the external adapters, one file each (adapter_*.go), in the order
// GET /api/adapters lists them.
var adapterSetups = []adapterSetup{
	setupSQLAdapter, // adapter_sql.go
}

// newAdapters builds the adapter registry: direct provisioning and every configured
// external adapter. release closes them all.
func newAdapters(cfg *config.Config, log *slog.Logger) (reg *adapter.Registry, release func(), err error) {
	reg = adapter.NewRegistry()
	var releases []func()
	release = func() {
		for i := len(releases) - 1; i >= 0; i-- {
			releases[i]()
		}
	}
	for _, setup := range adapterSetups {
		r, err := setup(cfg, log, reg)
		if err != nil {
			release()
			return nil, nil, fmt.Errorf("adapters: %w", err)
		}
		if r != nil {
			releases = append(releases, r)
		}
	}
	return reg, release, nil
}
