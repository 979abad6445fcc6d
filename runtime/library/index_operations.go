package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

var indexOperations = []component.Spec{}

// indexOperationsTodo lists the category's revisions not ported yet.
var indexOperationsTodo = []*component.Meta{
	&metaRestrictToCommonIndex,
	&metaSortByIndex,
	&metaTimeshiftedValueTable,
}
