package function

import (
	"time"

	"github.com/cloudevents/sdk-go/v2/event"

	"github.com/trafofn/trafofn/runtime"
)

// FailFunc builds the final failure reply to req for faults outside the runtime (a
// panic in a handler, an execution abandoned after its timeout).
type FailFunc func(req event.Event, errType, msg string) *event.Event

// Fail is the Function's FailFunc: a failure reply with the given error type and message
// (cut to 16 KiB), error_code 500, the request's job id when its data has a valid one.
func (f *Function) Fail(req event.Event, errType, msg string) *event.Event {
	jobID, raw := runtime.BodyJobID(req.Data())
	now := time.Now()
	msg = runtime.CutText(msg, runtime.MaxErrorText)
	resp := &runtime.Response{
		Error:     &runtime.ExecError{Type: errType, Code: int64(500), Message: msg, Location: runtime.Location{File: "trafofn", Function: "handle"}},
		JobID:     jobID,
		Result:    runtime.ResultFailure,
		Steps:     runtime.Steps{InternalFull: &runtime.Step{Name: "internal_full", Start: now, End: now}},
		ProcessID: f.pid(),
	}
	out := outcome{status: 500, data: resp.JSON(), jobID: jobID, rawJobID: raw,
		result: runtime.ResultFailure, errType: errType, msg: msg, start: now, where: "handle"}
	return f.reply(req, f.limitReply(out))
}

func (f *Function) pid() *int {
	if f.hidePID {
		return nil
	}
	p := f.processID
	return &p
}
