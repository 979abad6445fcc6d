package runtime

import (
	"errors"
	"strconv"
	"time"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Stage is hetida's ProcessStage of an execution failure.
type Stage string

// Process stages in execution order.
const (
	StageParsingWorkflow   Stage = "PARSING_WORKFLOW"
	StageLoadingData       Stage = "LOADING_DATA_FROM_ADAPTERS"
	StageParsingLoadedData Stage = "PARSING_LOADED_DATA"
	StageExecuting         Stage = "EXECUTING_COMPONENT_CODE"
	StageSendingData       Stage = "SENDING_DATA_TO_ADAPTERS"
	StageEncoding          Stage = "ENCODING_RESULTS_TO_JSON"
)

// Result values.
const (
	ResultOK      = "ok"
	ResultFailure = "failure"
)

// Response is hetida's ExecutionResponseFrontendDto. Output values are kept encoded:
// encoding is itself an execution stage that can fail.
type Response struct {
	Error       *ExecError
	Outputs     []NamedJSON // output_results_by_output_name, in order
	Traceback   *string
	JobID       string
	Steps       Steps
	Result      string
	OutputTypes []NamedType // output_types_by_output_name
	ProcessID   *int
	// TransformationID is the executed revision's id (set by Execute; not part of the
	// document): the label of metrics and logs, from the catalogue only.
	TransformationID string

	steps [7]Step // where Steps point: one allocation with the response
}

// step records step i of the seven in the response's own storage.
func (r *Response) step(i int, name string, start, end time.Time) *Step {
	r.steps[i] = Step{Name: name, Start: start, End: end}
	return &r.steps[i]
}

// NamedJSON is an encoded output value.
type NamedJSON struct {
	Name string
	JSON []byte
}

// NamedType is an output's declared type.
type NamedType struct {
	Name string
	Type data.Type
}

// ExecError is hetida's WorkflowExecutionError.
type ExecError struct {
	Type         string
	Code         any // nil, int64 or string
	Message      string
	Extra        any // nil or a JSON value
	Stage        Stage
	OperatorInfo *OperatorInfo
	Location     Location
	// Cause is the Go error behind the failure where callers must tell it apart
	// (ErrCancelled); it is not rendered.
	Cause error
}

// ErrCancelled is the Cause of a CancelledError: the execution's context was cancelled
// (not timed out) before it finished, so the caller gave up and the request is worth
// retrying elsewhere.
var ErrCancelled = errors.New("execution cancelled")

func (e *ExecError) Error() string { return e.Type + ": " + e.Message }

// Unwrap returns the Cause, so that errors.Is(resp.Error, ErrCancelled) works.
func (e *ExecError) Unwrap() error { return e.Cause }

// OperatorInfo names the transformation and operator path an error belongs to.
type OperatorInfo struct {
	TrafoID, TrafoName, Tag, TrafoType string
	ByName, ByID                       []string
}

// Location says where an error was raised.
type Location struct {
	File     string
	Function string
	Line     int
}

// Step is one measured step; a nil *Step renders as null.
type Step struct {
	Name       string
	Start, End time.Time
}

// Steps are the seven measured steps in hetida's order.
type Steps struct {
	InternalFull, Prepare, Run, RuntimeService, PureExecution, LoadData, SendData *Step
}

// AppendJSON renders the response exactly as hetida's HTTP endpoint does: compact,
// raw UTF-8, fields in hetida's order.
func (r *Response) AppendJSON(b []byte) []byte {
	b = append(b, `{"error":`...)
	b = r.Error.appendJSON(b)
	b = append(b, `,"output_results_by_output_name":{`...)
	for i, o := range r.Outputs {
		if i > 0 {
			b = append(b, ',')
		}
		b = wire.AppendString(b, o.Name)
		b = append(b, ':')
		b = append(b, o.JSON...)
	}
	b = append(b, `},"traceback":`...)
	if r.Traceback == nil {
		b = append(b, "null"...)
	} else {
		b = wire.AppendString(b, *r.Traceback)
	}
	b = append(b, `,"job_id":`...)
	b = wire.AppendString(b, r.JobID)
	b = append(b, `,"measured_steps":`...)
	b = r.Steps.appendJSON(b)
	b = append(b, `,"result":`...)
	b = wire.AppendString(b, r.Result)
	b = append(b, `,"output_types_by_output_name":{`...)
	for i, t := range r.OutputTypes {
		if i > 0 {
			b = append(b, ',')
		}
		b = wire.AppendString(b, t.Name)
		b = append(b, ':')
		b = wire.AppendString(b, string(t.Type))
	}
	b = append(b, `},"process_id":`...)
	if r.ProcessID == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(*r.ProcessID), 10)
	}
	return append(b, '}')
}

// JSON renders the response.
func (r *Response) JSON() []byte { return r.AppendJSON(make([]byte, 0, 1600+r.outputsLen())) }

func (r *Response) outputsLen() int {
	n := 0
	for _, o := range r.Outputs {
		n += len(o.JSON) + len(o.Name) + 4
	}
	return n
}

func (e *ExecError) appendJSON(b []byte) []byte {
	if e == nil {
		return append(b, "null"...)
	}
	b = append(b, `{"type":`...)
	b = wire.AppendString(b, e.Type)
	b = append(b, `,"error_code":`...)
	b, _ = wire.AppendValue(b, e.Code)
	b = append(b, `,"message":`...)
	b = wire.AppendString(b, e.Message)
	b = append(b, `,"extra_information":`...)
	var err error
	if b, err = wire.AppendValue(b, e.Extra); err != nil {
		b = append(b, "null"...)
	}
	b = append(b, `,"process_stage":`...)
	if e.Stage == "" {
		b = append(b, "null"...)
	} else {
		b = wire.AppendString(b, string(e.Stage))
	}
	b = append(b, `,"operator_info":`...)
	if oi := e.OperatorInfo; oi == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"transformation_info":{"id":`...)
		b = wire.AppendString(b, oi.TrafoID)
		b = append(b, `,"name":`...)
		b = wire.AppendString(b, oi.TrafoName)
		b = append(b, `,"tag":`...)
		b = wire.AppendString(b, oi.Tag)
		b = append(b, `,"type":`...)
		b = wire.AppendString(b, oi.TrafoType)
		b = append(b, `},"hierarchy_in_workflow":{"by_name":`...)
		b, _ = wire.AppendValue(b, oi.ByName)
		b = append(b, `,"by_id":`...)
		b, _ = wire.AppendValue(b, oi.ByID)
		b = append(b, "}}"...)
	}
	b = append(b, `,"location":{"file":`...)
	b = wire.AppendString(b, e.Location.File)
	b = append(b, `,"function_name":`...)
	b = wire.AppendString(b, e.Location.Function)
	b = append(b, `,"line_number":`...)
	b = strconv.AppendInt(b, int64(e.Location.Line), 10)
	return append(b, "}}"...)
}

func (s Steps) appendJSON(b []byte) []byte {
	steps := [...]struct {
		key  string
		step *Step
	}{
		{"internal_full", s.InternalFull}, {"prepare_execution_input", s.Prepare},
		{"run_execution_input", s.Run}, {"runtime_service_handling", s.RuntimeService},
		{"pure_execution", s.PureExecution}, {"load_data", s.LoadData}, {"send_data", s.SendData},
	}
	b = append(b, '{')
	var clock data.UTCSeconds
	for i, st := range steps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, st.key...)
		b = append(b, `":`...)
		b = st.step.appendJSON(b, &clock)
	}
	return append(b, '}')
}

// appendJSON renders the step as hetida does: its instants truncated to microseconds,
// in isoformat (UTC), and the duration in seconds as a Python float.
func (s *Step) appendJSON(b []byte, clock *data.UTCSeconds) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	start, end := s.Start.UnixMicro(), s.End.UnixMicro() // truncated to microseconds (floor)
	b = append(b, `{"name":`...)
	b = wire.AppendString(b, s.Name)
	b = append(b, `,"start":"`...)
	b = clock.Append(b, start)
	b = append(b, `","end":"`...)
	b = clock.Append(b, end)
	b = append(b, `","duration":`...)
	b = data.AppendPyMicros(b, end-start)
	return append(b, '}')
}
