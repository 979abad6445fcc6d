package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

var basic = []component.Spec{}

// basicTodo lists the category's revisions not ported yet.
var basicTodo = []*component.Meta{
	&metaEquality,
	&metaFilter,
	&metaFirstDatetimeIndex,
	&metaGreater,
	&metaGreaterOrEqual,
	&metaInequality,
	&metaLastDatetimeIndex,
	&metaRestrictToTimeInterval,
	&metaSelectColumnFromDataFrame,
	&metaSeriesDifferenceQuotients,
	&metaSmaller,
	&metaSmallerOrEqual,
}
