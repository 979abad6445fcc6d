package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

var test = []component.Spec{}

// testTodo lists the category's revisions not ported yet.
var testTodo = []*component.Meta{
	&metaCPUBound,
	&metaTimeseriesSummary,
}
