package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

var models = []component.Spec{}

// modelsTodo lists the category's revisions not ported yet.
var modelsTodo = []*component.Meta{
	&metaDecisionFunctionSklearnTrainedModel,
	&metaPredictSklearnTrainedModel,
}
