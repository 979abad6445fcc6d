package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

var regression = []component.Spec{}

// regressionTodo lists the category's revisions not ported yet.
var regressionTodo = []*component.Meta{
	&metaLinearRegression,
	&metaLinearRegressionTwoSeries,
}
