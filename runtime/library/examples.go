package library

import (
	"context"

	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

var examples = []component.Spec{
	{Meta: metaExampleClass, Run: exampleClassComponent,
		Description: "Hands on the ExampleClass class itself, to be instantiated downstream"},
	{Meta: metaCreateExampleClassObject, Run: createExampleClassObject,
		Description: "An ExampleClass object with the given name, amount and value"},
	{Meta: metaGetExampleClassObjectAttributes, Run: getExampleClassObjectAttributes,
		Description: "The name, amount and value of an ExampleClass object"},
	{Meta: metaAntirectifierLayer, Run: needsKeras, Description: "A custom Keras layer (needs TensorFlow: not supported)"},
	{Meta: metaTrainKerasModelWithCustomLayer, Run: needsKeras, Description: "Trains a Keras model on MNIST (needs TensorFlow: not supported)"},
	{Meta: metaTestKerasModel, Run: needsKeras, Description: "Evaluates a Keras model on MNIST (needs TensorFlow: not supported)"},
}

// exampleClass stands for hetida's ExampleClass: a Python class object passed between
// operators. Like the class in hetida, it cannot be written as JSON (encoding a class
// fails at ENCODING_RESULTS_TO_JSON with the error hetida's encoder raises).
type exampleClass struct{}

func (exampleClass) PyTypeName() string { return "type" }

func (exampleClass) AppendJSON(b []byte) ([]byte, error) {
	return b, data.ValueError(`[TypeError("'getset_descriptor' object is not iterable"), TypeError('vars() argument must have __dict__ attribute')]`)
}

// exampleObject is an ExampleClass instance; it is written as JSON like hetida's encoder
// writes it (its vars(): name, amount, value).
type exampleObject struct {
	name   string
	amount int64
	value  float64
}

func (*exampleObject) PyTypeName() string { return "ExampleClass" }

func (o *exampleObject) AppendJSON(b []byte) ([]byte, error) {
	d := data.NewDict(3)
	d.Set("name", o.name)
	d.Set("amount", o.amount)
	d.Set("value", o.value)
	return wire.AppendValue(b, d)
}

// exampleClassComponent returns the class (not an instance).
func exampleClassComponent(context.Context, component.Inputs) (component.Outputs, error) {
	return component.Outputs{"ExampleClass": exampleClass{}}, nil
}

// createExampleClassObject calls ExampleClass(name=…, amount=…, value=…); anything but
// the class is not callable, as in Python.
func createExampleClassObject(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	class := r.Any("ExampleClass")
	name, amount, value := r.String("name"), r.Int("amount"), r.Float("value")
	if err := r.Err(); err != nil {
		return nil, err
	}
	if _, ok := class.(exampleClass); !ok {
		return nil, data.TypeError("'%s' object is not callable", data.PyTypeName(class))
	}
	return component.Outputs{"example_class_object": &exampleObject{name: name, amount: amount, value: value}}, nil
}

// getExampleClassObjectAttributes reads obj.name, obj.amount and obj.value; a value
// without them (a dict from a JSON input, say) raises AttributeError, as in Python.
func getExampleClassObjectAttributes(_ context.Context, in component.Inputs) (component.Outputs, error) {
	r := in.Read()
	v := r.Any("example_class_object")
	if err := r.Err(); err != nil {
		return nil, err
	}
	o, ok := v.(*exampleObject)
	if !ok {
		return nil, data.AttributeError(v, "name")
	}
	return component.Outputs{"name": o.name, "amount": o.amount, "value": o.value}, nil
}

// needsKeras is every component whose code is TensorFlow/Keras: there is no Go
// equivalent, so it fails clearly instead of pretending.
func needsKeras(context.Context, component.Inputs) (component.Outputs, error) {
	return nil, data.NotImplementedError("not supported in trafofn: requires TensorFlow/Keras")
}

// examplesTodo lists the category's revisions not ported yet.
var examplesTodo = []*component.Meta{}
