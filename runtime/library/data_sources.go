package library

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var dataSources = []component.Spec{
	{Meta: metaLoadObject, Run: loadObject, Description: "Loads a value from the object store by name and tag (\"latest\": the newest)"},
	{Meta: metaGetRDataset, Run: getRDataset, Description: "An Rdatasets table as a DataFrame, from a configured local copy"},
}

// loadObject reads (name, tag) from the configured object store, as hetida's load_obj
// does; a missing object fails with FileNotFoundError.
func loadObject(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	name, tag := r.String("name"), r.String("tag")
	if err := r.Err(); err != nil {
		return nil, err
	}
	store := in.Env().Objects
	if store == nil {
		return nil, noObjectStore()
	}
	v, err := store.Load(ctx, name, tag)
	if err != nil {
		return nil, err
	}
	return component.Outputs{"obj": v}, nil
}

// getRDataset is statsmodels' get_rdataset(dataname, package).data: the CSV file of the
// Rdatasets collection, its first column (the R row names) as the index. statsmodels
// downloads the file; trafofn reads it from a configured local copy of the collection
// (<dir>/csv/<package>/<dataname>.csv, the collection's own layout, or
// <dir>/<package>/<dataname>.csv) and otherwise fails clearly instead of reaching the
// network from inside an execution.
func getRDataset(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	name, pkg := r.String("dataname"), r.String("package")
	if err := r.Err(); err != nil {
		return nil, err
	}
	dir := in.Env().RDatasetsDir
	if dir == "" {
		return nil, &data.Error{Type: "URLError", Message: "Get R Dataset needs network access, which trafofn does not use: set RDATASETS_DIR to a local copy of the Rdatasets collection"}
	}
	for _, part := range []string{name, pkg} {
		if part == "" || strings.ContainsAny(part, `/\`) || part == ".." || part == "." {
			return nil, data.ValueError("invalid dataset or package name %q", part)
		}
	}
	var f *os.File
	var err error
	for _, p := range []string{filepath.Join(dir, "csv", pkg, name+".csv"), filepath.Join(dir, pkg, name+".csv")} {
		if f, err = os.Open(p); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &data.Error{Type: "HTTPError", Message: "HTTP Error 404: Not Found (no dataset " + name + " in package " + pkg + " under " + dir + ")"}
	}
	if err != nil {
		return nil, &data.Error{Type: "OSError", Message: err.Error()}
	}
	defer f.Close()
	frame, err := data.ReadCSV(ctx, f, data.CSVOptions{IndexCol: true})
	if err != nil {
		return nil, err
	}
	return component.Outputs{"data": frame}, nil
}

// dataSourcesTodo lists the category's revisions not ported yet.
var dataSourcesTodo = []*component.Meta{}
