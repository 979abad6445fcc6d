// Package library holds the native ports of hetida's base components, one file per hetida
// category. Each file opens with its table (the category's table of contents) followed by
// one function per component in table order, each stating the pandas semantics it ports.
package library

import (
	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/data"
)

// Specs lists every native component, category by category.
func Specs() [][]component.Spec {
	return [][]component.Spec{
		connectors,
		anomalyDetection,
		visualization,
		statistic,
		arithmetic,
		timeLengthOperations,
		filters,
	}
}

// Registry returns a registry of the whole library.
func Registry() *component.Registry { return component.NewRegistry(Specs()...) }

// category stamps a hetida category (and the default version tag) on a table.
func category(name string, specs ...component.Spec) []component.Spec {
	for i := range specs {
		specs[i].Category = name
		if specs[i].Version == "" {
			specs[i].Version = "1.0.0"
		}
	}
	return specs
}

// Short port constructors keep the tables readable.
func in(name string, t data.Type) component.Port  { return component.In(name, t) }
func out(name string, t data.Type) component.Port { return component.Out(name, t) }
func ports(p ...component.Port) []component.Port  { return p }

const (
	tInt    = data.TypeInt
	tFloat  = data.TypeFloat
	tString = data.TypeString
	tBool   = data.TypeBoolean
	tSeries = data.TypeSeries
	tFrame  = data.TypeDataFrame
	tMulti  = data.TypeMultiTSFrame
	tAny    = data.TypeAny
	tPlot   = data.TypePlotlyJSON
)
