package function

import (
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"time"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/cloudevents/sdk-go/v2/types"
	"github.com/google/uuid"

	"github.com/trafofn/trafofn/runtime"
)

// outcome is the result of one request on Handle's path.
type outcome struct {
	status    int    // hetida's HTTP status
	data      []byte // the execution response document (also for rejected requests)
	jobID     string
	rawJobID  string // a job_id that was not a UUID
	result    string
	errType   string
	msg       string    // error.message of a rejection or failure built here
	start     time.Time // of such a rejection or failure
	where     string    // its location.function_name
	cancelled bool
	resp      *runtime.Response // executed requests only
}

// limitReply keeps a reply event within MaxReplyBytes: an execution response that is too
// large becomes a failure naming the limit (hetida's consumer would fail to produce it
// and drop it); a rejection or failure built here is cut to fit, keeping its error type
// (a RequestParseError stays poison) and as much of its message as fits.
func (f *Function) limitReply(out outcome) outcome {
	if f.maxReply <= 0 || len(out.data) <= f.maxReply {
		return out
	}
	if out.resp == nil {
		room := max(f.maxReply-768, 0) // what the document takes besides the message
		msg := runtime.CutText(out.msg, room)
		if len(msg) > room {
			msg = ""
		}
		cut := &runtime.Response{
			Error:     &runtime.ExecError{Type: out.errType, Code: int64(out.status), Message: msg, Location: runtime.Location{File: "trafofn", Function: out.where}},
			JobID:     out.jobID,
			Result:    runtime.ResultFailure,
			Steps:     runtime.Steps{InternalFull: &runtime.Step{Name: "internal_full", Start: out.start, End: time.Now()}},
			ProcessID: f.pid(),
		}
		out.data = cut.JSON()
		return out
	}
	resp := out.resp
	msg := fmt.Sprintf("the execution response of %d bytes exceeds the reply limit of %d bytes (MAX_REPLY_BYTES); send large outputs through an adapter instead", len(out.data), f.maxReply)
	fail := &runtime.Response{
		Error:       &runtime.ExecError{Type: "ReplyTooLarge", Message: msg, Stage: runtime.StageEncoding, Location: runtime.Location{File: "trafofn", Function: "reply"}},
		JobID:       resp.JobID,
		Result:      runtime.ResultFailure,
		Steps:       runtime.Steps{InternalFull: resp.Steps.InternalFull, Prepare: resp.Steps.Prepare, Run: resp.Steps.Run},
		OutputTypes: resp.OutputTypes,
		ProcessID:   resp.ProcessID,
	}
	out.data, out.result, out.errType = fail.JSON(), runtime.ResultFailure, "ReplyTooLarge"
	return out
}

// replyNamespace makes reply ids: UUIDv5 of the request's source and id, stable across
// redeliveries so that consumers can deduplicate.
var replyNamespace = uuid.MustParse("4b0ad4a6-5f4e-4e83-9c1c-7f2f3d8e1a10")

// replyID is uuid.NewSHA1(replyNamespace, source + "\x00" + id) hashed on the stack (the
// library's form allocates its hash, its sum and the joined name for every reply).
func replyID(source, id string) string {
	var buf [256]byte
	b := append(buf[:0], replyNamespace[:]...)
	b = append(b, source...)
	b = append(b, 0)
	b = append(b, id...)
	sum := sha1.Sum(b)
	var u uuid.UUID
	copy(u[:], sum[:16])
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u.String()
}

func (f *Function) run(ctx context.Context, mode runtime.Mode, body []byte) outcome {
	start := time.Now()
	req, err := f.rt.DecodeRequestContext(ctx, body, mode)
	if err != nil {
		var re *runtime.RequestError
		if !errors.As(err, &re) && ctx.Err() != nil {
			return f.stopped(ctx, start, body)
		}
		return f.rejected(err, body, "", start)
	}
	resp, err := f.rt.Execute(ctx, req)
	if err != nil {
		return f.rejected(err, body, req.JobID, start)
	}
	if resp.Error != nil && errors.Is(resp.Error, runtime.ErrCancelled) && ctx.Err() != nil {
		return outcome{cancelled: true}
	}
	out := outcome{status: 200, data: resp.JSON(), jobID: resp.JobID, result: resp.Result, resp: resp}
	if resp.Error != nil {
		out.errType = resp.Error.Type
	}
	return out
}

// stopped is the outcome of a request whose context ended while it was validated: a
// TimeoutError failure when its deadline passed (a final answer, as for an execution),
// else cancelled (worth a retry).
func (f *Function) stopped(ctx context.Context, start time.Time, body []byte) outcome {
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return outcome{cancelled: true}
	}
	jobID, raw := runtime.BodyJobID(body)
	resp := f.rt.Stopped(ctx, jobID, start)
	resp.ProcessID = f.pid()
	return outcome{status: 200, data: resp.JSON(), jobID: jobID, rawJobID: raw, result: runtime.ResultFailure,
		errType: resp.Error.Type, msg: resp.Error.Message, start: start, where: "decode"}
}

// rejected is the outcome of a request that never reached execution (see runtime.Reject):
// a failure document whose error_code and extra_information.detail are hetida's HTTP
// status and detail (HTTPAnswer).
func (f *Function) rejected(err error, body []byte, jobID string, start time.Time) outcome {
	rej := runtime.Reject(err, body, jobID, start, f.pid())
	return outcome{
		status: rej.Status, data: rej.Response.JSON(),
		jobID: rej.Response.JobID, rawJobID: rej.RawJobID, result: runtime.ResultFailure, errType: rej.Response.Error.Type,
		msg: rej.Response.Error.Message, start: start, where: rej.Response.Error.Location.Function,
	}
}

// HTTPAnswer renders a reply of Handle as hetida's execute endpoints answer: requests
// hetida rejects keep its status (404, 422; 413 for a request over a size limit) and
// {"detail": …} body, taken from the failure document (runtime.RejectionAnswer); a fault
// inside trafofn (InternalError, a panic) is 500 with the failure document; every
// execution, ok or failed, is 200 with the response.
func HTTPAnswer(reply *event.Event) (body []byte, status int) {
	switch et, _ := reply.Extensions()[ExtErrorType].(string); et {
	case ErrTypeRequestParse, ErrTypeNotFound, ErrTypeWiring:
		if body, status, ok := runtime.RejectionAnswer(reply.Data()); ok {
			return body, status
		}
		return reply.Data(), 422
	case "InternalError":
		return reply.Data(), 500
	}
	return reply.Data(), 200
}

// reply wraps an outcome into the reply event:
//   - type ReplyType for ok and failure, extension "result" = ok|failure, and
//     "errortype" = error.type for failures;
//   - source /trafofn/<service name>, extension "instance" = this process;
//   - id = UUIDv5(request source, request id): stable across redeliveries;
//   - subject = the job id; datacontenttype application/json; data = the response JSON;
//   - extensions "requestid" and "partitionkey" copied from the request.
func (f *Function) reply(req event.Event, out outcome) *event.Event {
	// The context is built directly rather than through the setters, which parse the
	// source URI and validate every attribute again for each reply; the values here are
	// valid by construction (the source was parsed once in New).
	ext := make(map[string]any, 6)
	ext[ExtResult] = out.result
	if out.errType != "" {
		ext[ExtErrorType] = out.errType
	}
	ext[ExtInstance] = f.instance
	if req.ID() != "" {
		ext[ExtRequestID] = req.ID()
	}
	// (Extensions() would copy the map; the value is already of a CloudEvents type)
	if pk, err := req.Context.GetExtension(ExtPartitionKey); err == nil && pk != nil {
		ext[ExtPartitionKey] = pk
	}
	if out.rawJobID != "" {
		ext[ExtRawJobID] = out.rawJobID
	}
	subject, contentType := out.jobID, event.ApplicationJSON
	return &event.Event{
		Context: &event.EventContextV1{
			ID:              replyID(req.Source(), req.ID()),
			Type:            ReplyType,
			Source:          f.sourceRef,
			Subject:         &subject,
			Time:            &types.Timestamp{Time: time.Now()},
			DataContentType: &contentType,
			Extensions:      ext,
		},
		DataEncoded: out.data,
	}
}
