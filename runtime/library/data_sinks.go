package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

var dataSinks = []component.Spec{}

// dataSinksTodo lists the category's revisions not ported yet.
var dataSinksTodo = []*component.Meta{
	&metaStoreObject,
}
