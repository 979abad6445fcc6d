package main

import (
	"log/slog"
	"slices"

	"github.com/trafofn/trafofn/internal/config"
	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/adapter/rest"
)

// builtinAdapters are hetida's adapter ids that are never generic REST adapters, also
// when trafofn does not offer them (blob-storage-adapter) or they are switched off.
var builtinAdapters = []string{"direct_provisioning", "local-file-adapter", "sql-adapter", "blob-storage-adapter", "kafka"}

// setupRESTAdapters registers a generic REST adapter for every entry of
// HETIDA_DESIGNER_ADAPTERS that is not a built-in adapter, and lists every entry (a
// built-in adapter's entry gives its listed name and URLs). It runs after the built-in
// adapters' setups.
func setupRESTAdapters(cfg *config.Config, log *slog.Logger, reg *adapter.Registry) (func(), error) {
	client := rest.NewClient(cfg.REST.VerifyCerts)
	for _, e := range cfg.REST.Listed {
		reg.Describe(adapter.Info{ID: e.ID, Name: e.Name, URL: e.URL, InternalURL: e.InternalURL})
		if slices.Contains(builtinAdapters, e.ID) {
			continue
		}
		rc := restConfig(cfg, e)
		rc.Client, rc.Logger = client, log
		a, err := rest.New(rc)
		if err != nil {
			return nil, &config.Error{Var: "HETIDA_DESIGNER_ADAPTERS", Msg: err.Error()}
		}
		id := adapter.StrID(e.ID)
		reg.RegisterSource(id, a)
		reg.RegisterSink(id, a)
		log.Info("generic REST adapter", "id", e.ID, "url", rest.Redact(e.InternalURL), "verify_certs", cfg.REST.VerifyCerts, "timeout", cfg.REST.Timeout)
	}
	if !cfg.REST.VerifyCerts && len(cfg.REST.Listed) > 0 {
		log.Warn("TLS certificates of generic REST adapters are not verified (HETIDA_DESIGNER_ADAPTERS_VERIFY_CERTS=false)")
	}
	return nil, nil
}

// restConfig maps the environment onto one generic REST adapter.
func restConfig(cfg *config.Config, e config.ListedAdapter) rest.Config {
	return rest.Config{ID: e.ID, BaseURL: e.InternalURL, Timeout: cfg.REST.Timeout, MaxBytes: cfg.AdapterLimits.MaxBytes}
}
