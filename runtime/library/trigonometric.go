package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

var trigonometric = []component.Spec{}

// trigonometricTodo lists the category's revisions not ported yet.
var trigonometricTodo = []*component.Meta{
	&metaArcuscosine,
	&metaArcussine,
	&metaArcustangent,
	&metaCosine,
	&metaSine,
	&metaTangent,
}
