package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
)

var connectors = []component.Spec{
	{Meta: metaPassThrough, Run: identity, Description: "Returns its input unchanged"},
	{Meta: metaPassThroughBoolean, Run: identity, Description: "Returns its boolean input unchanged"},
	{Meta: metaPassThroughDataFrame, Run: identity, Description: "Returns its DataFrame input unchanged"},
	{Meta: metaPassThroughFloat, Run: identity, Description: "Returns its float input unchanged"},
	{Meta: metaPassThroughInteger, Run: identity, Description: "Returns its integer input unchanged"},
	{Meta: metaPassThroughMultiTSFrame, Run: identity, Description: "Returns its MultiTSFrame input unchanged"},
	{Meta: metaPassThroughSeries, Run: identity, Description: "Returns its Series input unchanged"},
	{Meta: metaPassThroughString, Run: identity, Description: "Returns its string input unchanged"},
	{Meta: metaNameSeries, Run: nameSeries, Description: "The same series under a new name"},
	{Meta: metaForget, Run: forget, Description: "Takes any value and returns nothing: ends a dangling output"},
	{Meta: metaWrapKerasModelWithCustomClasses, Run: needsKeras,
		Description: "Wraps a Keras model with its custom classes (needs TensorFlow: not supported)"},
}

// identity returns its input unchanged (the Pass Through family).
func identity(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("input")
	if err := r.Err(); err != nil {
		return nil, err
	}
	return component.Outputs{"output": v}, nil
}

// forget accepts its input and returns no outputs; the engine still runs every operator,
// so a Forget node forces its upstream operators to run.
func forget(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	r.Any("input")
	return component.Outputs{}, r.Err()
}

// nameSeries is `input.name = name`: the same values under a new name.
func nameSeries(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	s := r.Series("input")
	name := r.Any("name")
	if err := r.Err(); err != nil {
		return nil, err
	}
	c := s.Copy()
	c.Name = name
	return component.Outputs{"output": c}, nil
}

// connectorsTodo lists the category's revisions not ported yet.
var connectorsTodo = []*component.Meta{
	&metaAddTimeseriesToMultiTSFrame,
	&metaAddUpdateAttributesDataFrame,
	&metaAddUpdateAttributesMultiTSFrame,
	&metaAddUpdateAttributesSeries,
	&metaAddUpdateValueInDictionary,
	&metaCombineAsNamedColumnIntoDataFrame,
	&metaCombineIntoDataFrame,
	&metaConvertDataFrameToMultiTSFrame,
	&metaConvertMultiTSFrameToDataFrame,
	&metaConvertSeriesToDataFrame,
	&metaDataFrameToSeries,
	&metaExtractAttributesDataFrame,
	&metaExtractAttributesMultiTSFrame,
	&metaExtractAttributesSeries,
	&metaMergeDataFramesOnSingleColumn,
	&metaTimeseriesDataframe,
}
