package library

import (
	"context"
	"errors"
	"testing"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// memStore is an object store in memory: Store keeps, Load finds or fails like the real
// one (FileNotFoundError).
type memStore map[string]any

func (m memStore) Store(_ context.Context, name, tag string, v any) error {
	if tag == "latest" {
		return data.ValueError(`"latest" has a special meaning as a tag and cannot be used directly when dumping objects`)
	}
	m[name+"_"+tag] = v
	return nil
}

func (m memStore) Load(_ context.Context, name, tag string) (any, error) {
	v, ok := m[name+"_"+tag]
	if !ok {
		return nil, &data.Error{Type: "FileNotFoundError", Message: "[Errno 2] No such file or directory: '" + name + "_" + tag + "'"}
	}
	return v, nil
}

func callEnv(t *testing.T, meta *component.Meta, env *component.Env, vals map[string]any) (component.Outputs, error) {
	t.Helper()
	spec, _ := Registry().Get(meta.ID)
	return spec.Run(context.Background(), component.NewInputs(spec, vals).WithEnv(env))
}

func pyErrType(err error) string {
	var de *data.Error
	if errors.As(err, &de) {
		return de.Type
	}
	return ""
}

// Store Object then Load Object gives the value back; a missing object and an
// unconfigured store fail with FileNotFoundError, the reserved tag with ValueError.
func TestObjectStoreComponents(t *testing.T) {
	env := &component.Env{Objects: memStore{}}
	if _, err := callEnv(t, &metaStoreObject, env, map[string]any{"name": "m", "tag": "1", "obj": 2.5}); err != nil {
		t.Fatal(err)
	}
	out, err := callEnv(t, &metaLoadObject, env, map[string]any{"name": "m", "tag": "1"})
	if err != nil || out["obj"] != 2.5 {
		t.Errorf("load: %v, %v", out, err)
	}
	if _, err := callEnv(t, &metaLoadObject, env, map[string]any{"name": "m", "tag": "2"}); pyErrType(err) != "FileNotFoundError" {
		t.Errorf("missing: %v", err)
	}
	if _, err := callEnv(t, &metaStoreObject, env, map[string]any{"name": "m", "tag": "latest", "obj": 1.0}); pyErrType(err) != "ValueError" {
		t.Errorf("latest: %v", err)
	}
	for _, meta := range []*component.Meta{&metaStoreObject, &metaLoadObject} {
		if _, err := callEnv(t, meta, &component.Env{}, map[string]any{"name": "m", "tag": "1", "obj": 1.0}); pyErrType(err) != "FileNotFoundError" {
			t.Errorf("%s without a store: %v", meta.Name, err)
		}
	}
}

// Get R Dataset reads <dir>/csv/<package>/<name>.csv with the row names as the index;
// unconfigured it fails as a network error would, an unknown dataset as a 404.
func TestGetRDataset(t *testing.T) {
	env := &component.Env{RDatasetsDir: "testdata/rdatasets"}
	out, err := callEnv(t, &metaGetRDataset, env, map[string]any{"dataname": "cars", "package": "datasets"})
	if err != nil {
		t.Fatal(err)
	}
	f := out["data"].(*data.DataFrame)
	if f.Len() != 3 || f.Names[0] != "speed" || f.Index.I[0] != 1 || f.Columns[1].DType != data.Float64 {
		t.Errorf("cars: %+v", f)
	}
	if _, err := callEnv(t, &metaGetRDataset, env, map[string]any{"dataname": "nope", "package": "datasets"}); pyErrType(err) != "HTTPError" {
		t.Errorf("unknown dataset: %v", err)
	}
	if _, err := callEnv(t, &metaGetRDataset, env, map[string]any{"dataname": "../x", "package": "datasets"}); pyErrType(err) != "ValueError" {
		t.Errorf("path escape: %v", err)
	}
	if _, err := callEnv(t, &metaGetRDataset, &component.Env{}, map[string]any{"dataname": "cars", "package": "datasets"}); pyErrType(err) != "URLError" {
		t.Errorf("unconfigured: %v", err)
	}
}
