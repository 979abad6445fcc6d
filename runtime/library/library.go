// Package library holds the native ports of hetida's base components, one file per hetida
// category (a big category split into <category>_<part>.go files). Each category file
// opens with its table — the generated Meta of each component bound to its Run function
// and the project's own one-line description — followed by one function per component in
// table order, each stating the pandas semantics it ports, and ends with the category's
// list of revisions not ported yet.
//
// The metadata in meta_gen.go is generated from hetida's component files:
//
//go:generate go run ../../internal/gen/componentmeta -src ../../../shared/hetida/transformations/components -out meta_gen.go
package library

import (
	"github.com/trafofn/trafofn/runtime/component"
)

// Specs lists every native component, category by category.
func Specs() [][]component.Spec {
	return [][]component.Spec{
		anomalyDetection,
		arithmetic,
		basic,
		basicArithmetic,
		connectors,
		dataQuality,
		dataSinks,
		dataSources,
		examples,
		filters,
		indexOperations,
		models,
		physics,
		regression,
		remainingUsefulLife,
		statistic,
		statisticMoving,
		test,
		timeLengthOperations,
		trigonometric,
		visualization,
		visualizationMarks,
		visualizationFrames,
		visualizationTables,
		visualizationExpress,
	}
}

// Todo lists the generated revisions that have no native implementation yet, category by
// category. A test keeps it exact: every generated revision is either registered or
// listed here, so the list can only shrink.
func Todo() [][]*component.Meta {
	return [][]*component.Meta{
		anomalyDetectionTodo,
		arithmeticTodo,
		basicTodo,
		basicArithmeticTodo,
		connectorsTodo,
		dataQualityTodo,
		dataSinksTodo,
		dataSourcesTodo,
		examplesTodo,
		filtersTodo,
		indexOperationsTodo,
		modelsTodo,
		physicsTodo,
		regressionTodo,
		remainingUsefulLifeTodo,
		statisticTodo,
		testTodo,
		timeLengthOperationsTodo,
		trigonometricTodo,
		visualizationTodo,
	}
}

// Registry returns a registry of the whole library.
func Registry() *component.Registry { return component.NewRegistry(Specs()...) }
