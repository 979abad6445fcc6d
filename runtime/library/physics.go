package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

var physics = []component.Spec{}

// physicsTodo lists the category's revisions not ported yet.
var physicsTodo = []*component.Meta{
	&metaTimeToLength,
}
