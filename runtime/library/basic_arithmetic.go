package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

var basicArithmetic = []component.Spec{}

// basicArithmeticTodo lists the category's revisions not ported yet.
var basicArithmeticTodo = []*component.Meta{
	&metaAbs,
	&metaAdd,
	&metaDivide,
	&metaMultiply,
	&metaRound,
	&metaSignum,
	&metaSubstract,
}
