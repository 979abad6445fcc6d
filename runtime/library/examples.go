package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

var examples = []component.Spec{}

// examplesTodo lists the category's revisions not ported yet.
var examplesTodo = []*component.Meta{
	&metaAntirectifierLayer,
	&metaCreateExampleClassObject,
	&metaExampleClass,
	&metaGetExampleClassObjectAttributes,
	&metaTestKerasModel,
	&metaTrainKerasModelWithCustomLayer,
}
