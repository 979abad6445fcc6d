package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

var dataSinks = []component.Spec{
	{Meta: metaStoreObject, Run: storeObject, Description: "Stores any value in the object store under a name and a tag"},
}

// noObjectStore is the failure of Store/Load Object when trafofn has no object store
// configured (hetida's runtime has a default directory; trafofn does not guess one).
func noObjectStore() error {
	return &data.Error{Type: "FileNotFoundError", Message: "no object store is configured: set MODEL_REPO_PATH to a directory"}
}

// storeObject keeps obj under (name, tag) in the configured object store, as hetida's
// dump_obj does (but as JSON, never a pickle); the tag "latest" is reserved.
func storeObject(ctx context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	name, tag, obj := r.String("name"), r.String("tag"), r.Any("obj")
	if err := r.Err(); err != nil {
		return nil, err
	}
	store := in.Env().Objects
	if store == nil {
		return nil, noObjectStore()
	}
	if err := store.Store(ctx, name, tag, obj); err != nil {
		return nil, err
	}
	return component.Outputs{}, nil
}

// dataSinksTodo lists the category's revisions not ported yet.
var dataSinksTodo = []*component.Meta{}
