package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

var dataQuality = []component.Spec{}

// dataQualityTodo lists the category's revisions not ported yet.
var dataQualityTodo = []*component.Meta{
	&metaApplySubstitutionTimeseries,
	&metaFixedReplacementValue,
	&metaGapDetectionIntervals,
	&metaInterpolateTimeseries,
	&metaReplacementLocationsForGaps,
	&metaValueRangeCheck,
}
