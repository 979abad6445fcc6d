package library

import (
	"context"
	"github.com/trafofn/trafofn/runtime/data"

	"github.com/trafofn/trafofn/runtime/component"
)

var connectors = category("Connectors",
	passThrough("1946d5f8-44a8-724c-176f-16f3e49963af", "Pass Through", "2022-02-09T17:33:34.387537+00:00", tAny),
	passThrough("8ea34104-2dd1-b4dc-8fd4-ed07bb967060", "Pass Through (Boolean)", "2022-02-09T17:33:34.706367+00:00", tBool),
	passThrough("7a1a818f-fa89-6062-1e0e-fc80539bbe0a", "Pass Through (DataFrame)", "2022-02-09T17:33:33.958377+00:00", tFrame),
	passThrough("2f511674-f766-748d-2de3-ad5e62e10a1a", "Pass Through (Float)", "2022-02-09T17:33:34.809936+00:00", tFloat),
	passThrough("57eea09f-d28e-89af-4e81-2027697a3f0f", "Pass Through (Integer)", "2022-02-09T17:33:33.843737+00:00", tInt),
	component.Spec{
		ID: "78ee6b00-9239-4214-b9bf-a093647f33f5", GroupID: "4ff190e1-4555-4fa9-b076-671586802387",
		Name: "Pass Through (MultiTSFrame)", Released: "2023-03-08T18:07:45.719821+00:00",
		In: ports(in("input", tMulti)), Out: ports(out("output", tMulti)), Run: identity,
	},
	passThrough("bfa27afc-dea8-b8aa-4b15-94402f0739b6", "Pass Through (Series)", "2022-02-09T17:33:34.190324+00:00", tSeries),
	passThrough("2b1b474f-ddf5-1f4d-fec4-17ef9122112b", "Pass Through (String)", "2022-02-09T17:33:33.917427+00:00", tString),
	component.Spec{
		ID: "a4064897-66d3-9601-328e-5ae9036665c5", Name: "Name Series", Released: "2022-02-09T17:33:34.594509+00:00",
		In: ports(in("input", tSeries), in("name", tString)), Out: ports(out("output", tSeries)), Run: nameSeries,
	},
)

// passThrough describes one of hetida's typed identity components.
func passThrough(id, name, released string, t data.Type) component.Spec {
	return component.Spec{
		ID: id, Name: name, Released: released,
		In: ports(in("input", t)), Out: ports(out("output", t)), Run: identity,
	}
}

// identity returns its input unchanged (the Pass Through family).
func identity(_ context.Context, in component.Inputs) (component.Outputs, error) {
	return component.Outputs{"output": in.Value("input")}, nil
}

// nameSeries is `input.name = name`: the same values under a new name.
func nameSeries(_ context.Context, in component.Inputs) (component.Outputs, error) {
	s, err := in.Series("input")
	if err != nil {
		return nil, err
	}
	c := s.Copy()
	c.Name = in.Value("name")
	return component.Outputs{"output": c}, nil
}
