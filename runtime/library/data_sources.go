package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

var dataSources = []component.Spec{}

// dataSourcesTodo lists the category's revisions not ported yet.
var dataSourcesTodo = []*component.Meta{
	&metaGetRDataset,
	&metaLoadObject,
}
