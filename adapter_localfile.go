package main

import (
	"log/slog"

	"github.com/trafofn/trafofn/internal/config"
	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/adapter/localfile"
)

// setupLocalFileAdapter registers the local-file-adapter on the directories of
// RUNTIME_LOCAL_FILE_ADAPTER_LOCAL_DIRECTORIES (always, as hetida does: without
// directories every id fails naming the variable). It is listed when it has directories.
func setupLocalFileAdapter(cfg *config.Config, log *slog.Logger, reg *adapter.Registry) (func(), error) {
	a := localfile.New(localFileConfig(cfg))
	id := adapter.StrID(localfile.ID)
	reg.RegisterSource(id, a)
	reg.RegisterSink(id, a)
	if len(cfg.LocalFile.Dirs) > 0 {
		reg.Describe(adapter.Info{ID: localfile.ID, Name: "Local-File-Adapter"})
		log.Info("local-file-adapter directories", "dirs", cfg.LocalFile.Dirs, "generic_dataframe_sinks", cfg.LocalFile.GenericSinks)
	}
	return nil, nil
}

// localFileConfig maps the environment onto the local-file-adapter.
func localFileConfig(cfg *config.Config) localfile.Config {
	return localfile.Config{Dirs: cfg.LocalFile.Dirs, GenericSinks: cfg.LocalFile.GenericSinks, MaxBytes: cfg.AdapterLimits.MaxBytes}
}
