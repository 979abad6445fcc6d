package runtime

import "context"

// OperatorHook observes the operators of executions, e.g. to trace each one; the runtime
// knows nothing of what it does (and imports no tracing library). StartOperator is called
// before an operator's component runs, with the execution's context; the component runs
// with the context it returns, and end is called with the component's error (nil when it
// succeeded, a panic as an error) once it returned. Operators that are skipped (pure plot
// operators with plots off) or never reached are not reported.
type OperatorHook interface {
	StartOperator(ctx context.Context, op Operator) (_ context.Context, end func(err error))
}

// Operator describes one operator of an execution.
type Operator struct {
	// Name and ID are the operator's name and id in its workflow; Path are the operator
	// names from the executed transformation down to it (nested workflows flattened).
	Name, ID string
	Path     []string
	// Component is the component revision the operator runs.
	ComponentID, ComponentName, ComponentTag string
}

// operator describes node n for the hook.
func (x *execution) operator(n *node) Operator {
	op := Operator{Path: n.byName, ComponentID: n.info.id, ComponentName: n.info.name, ComponentTag: n.info.tag}
	if len(n.byName) > 0 {
		op.Name = n.byName[len(n.byName)-1]
	}
	if len(n.byID) > 0 {
		op.ID = n.byID[len(n.byID)-1]
	}
	return op
}
