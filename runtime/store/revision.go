// Package store is the catalogue of transformation revisions: the embedded default (every
// native component plus the example workflows that can run natively) and hetida export
// files loaded from TRANSFORMATIONS_DIR. It is read-only once built and safe for
// concurrent use.
package store

import (
	"time"

	"github.com/trafofn/trafofn/runtime/data"
)

// Revision types and states as hetida spells them.
const (
	TypeComponent = "COMPONENT"
	TypeWorkflow  = "WORKFLOW"

	StateDraft    = "DRAFT"
	StateReleased = "RELEASED"
	StateDisabled = "DISABLED"
)

// Revision is a transformation revision: the fields of hetida's export format that
// execution needs. Component revisions are metadata only; their code is never run.
type Revision struct {
	ID          string
	GroupID     string
	Name        string
	Description string
	Category    string
	VersionTag  string
	State       string
	Type        string
	Released    *time.Time // released_timestamp
	Disabled    *time.Time // disabled_timestamp
	Inputs      []IO
	Outputs     []IO
	Workflow    *Workflow // nil for components
	// TestWiring is the stored wiring as decoded JSON (nil when absent); it is used when an
	// execution request has no wiring.
	TestWiring any
	// Origin is "embedded" or the file the revision was loaded from.
	Origin string
}

// IO is an input or output of a revision's interface (or of a workflow's content).
type IO struct {
	ID       string
	Name     string
	Type     data.Type
	Optional bool // inputs: type OPTIONAL
	// Default is the input's default value as stored (usually a manual-input string); it
	// is parsed with the nullable parser at execution.
	Default any
}

// Workflow is the content of a workflow revision.
type Workflow struct {
	Operators []Operator
	Links     []Link
	Constants []Constant
	Inputs    []WorkflowInput
	Outputs   []WorkflowOutput
}

// Operator is an instance of a revision inside a workflow.
type Operator struct {
	ID               string
	Name             string
	Type             string // COMPONENT or WORKFLOW
	State            string
	VersionTag       string
	GroupID          string
	TransformationID string
	Inputs           []OperatorIO
	Outputs          []OperatorIO
}

// OperatorIO is a connector of an operator: the referenced revision's input or output.
type OperatorIO struct {
	ID       string
	Name     string
	Type     data.Type
	Optional bool
	Default  any
	Exposed  bool
}

// Link connects two connectors; an empty operator id means a workflow input, constant or
// output.
type Link struct {
	ID                 string
	StartOperator      string
	StartConnectorID   string
	StartConnectorName string
	EndOperator        string
	EndConnectorID     string
	EndConnectorName   string
}

// WorkflowInput maps a named workflow input to an operator input.
type WorkflowInput struct {
	ID            string
	Name          string
	Type          data.Type
	OperatorID    string
	ConnectorID   string
	ConnectorName string
	Optional      bool
	Default       any
}

// Constant feeds a fixed value to an operator input.
type Constant struct {
	ID            string
	Type          data.Type
	OperatorID    string
	ConnectorID   string
	ConnectorName string
	Value         any
}

// WorkflowOutput exposes an operator output as a workflow output.
type WorkflowOutput struct {
	ID            string
	Name          string
	Type          data.Type
	OperatorID    string
	ConnectorID   string
	ConnectorName string
}
