package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

var remainingUsefulLife = []component.Spec{}

// remainingUsefulLifeTodo lists the category's revisions not ported yet.
var remainingUsefulLifeTodo = []*component.Meta{
	&metaUnivariateLinearRULRegression,
}
