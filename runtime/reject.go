package runtime

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// Error types of the failure documents of requests that never reached execution.
const (
	// ErrTypeRequestParse: the data is not an execution request (hetida answers 422).
	ErrTypeRequestParse = "RequestParseError"
	// ErrTypeNotFound: the revision (or a released revision of the group) does not exist (404).
	ErrTypeNotFound = "TransformationNotFound"
	// ErrTypeWiring: the wiring does not fit the transformation's interface (422).
	ErrTypeWiring = "WiringValidationError"
)

// Bounds of texts that repeat user input in rejections: hetida's detail of a wiring that
// does not fit echoes the whole request, and a request error lists its issues, so a
// large request made a larger rejection.
const (
	// MaxErrorText bounds error.message and a textual detail.
	MaxErrorText = 16 << 10
	// MaxRawJobID bounds a job_id that is no UUID (the rawjobid extension, a record
	// header on Kafka).
	MaxRawJobID = 256
)

// TooLargeError is a request refused for its size before it was decoded (HTTP 413).
type TooLargeError struct {
	Size, Limit int
	Setting     string // the setting that imposes Limit, e.g. MAX_REQUEST_BYTES
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("request of %d bytes exceeds the limit of %d bytes (%s)", e.Size, e.Limit, e.Setting)
}

// Rejection is the answer to a request that never reached execution, for both kinds of
// transport: hetida's HTTP status and {"detail": …} body, and the failure document that
// event replies carry instead.
type Rejection struct {
	Status   int
	Detail   []byte    // {"detail": …}
	Response *Response // result "failure", error.type one of the ErrType constants
	// RawJobID is a job_id of the body that is not a UUID (the response has a new one).
	RawJobID string
}

// Reject builds the rejection of a request whose size check, DecodeRequest or Execute
// failed with err: a *TooLargeError, *RequestError, *NotFoundError or *WiringError;
// any other error is taken as an unparsable request. jobID is the request's validated
// job id, empty when the body was not decoded: then the body's job_id is used when it is
// a UUID, else a new one. start is when handling began; processID may be nil (hidden).
func Reject(err error, body []byte, jobID string, start time.Time, processID *int) Rejection {
	errType, status, msg := ErrTypeRequestParse, 422, err.Error()
	var detail []byte // the JSON value of "detail"
	var (
		tl *TooLargeError
		re *RequestError
		nf *NotFoundError
		we *WiringError
	)
	switch {
	case errors.As(err, &tl):
		status = 413
	case errors.As(err, &re):
		d := re.DetailJSON()
		detail = d[len(`{"detail":`) : len(d)-1]
	case errors.As(err, &nf):
		errType, status, msg = ErrTypeNotFound, 404, nf.Detail
	case errors.As(err, &we):
		errType, msg = ErrTypeWiring, we.Msg
		detail = wire.AppendString(nil, CutText(we.Detail, MaxErrorText))
	}
	if detail == nil {
		detail = wire.AppendString(nil, CutText(msg, MaxErrorText))
	}
	msg = CutText(msg, MaxErrorText)
	raw := ""
	if jobID == "" {
		jobID, raw = BodyJobID(body)
	}
	extra := data.NewDict(1)
	if dv, err := wire.Decode(detail); err == nil {
		extra.Set("detail", dv)
	} else {
		extra.Set("detail", string(detail))
	}
	resp := &Response{
		Error: &ExecError{Type: errType, Code: int64(status), Message: msg, Extra: extra,
			Location: Location{File: "trafofn", Function: "decode"}},
		JobID:     jobID,
		Result:    ResultFailure,
		Steps:     Steps{InternalFull: &Step{Name: "internal_full", Start: start, End: time.Now()}},
		ProcessID: processID,
	}
	return Rejection{
		Status:   status,
		Detail:   append(append([]byte(`{"detail":`), detail...), '}'),
		Response: resp,
		RawJobID: raw,
	}
}

// BodyJobID takes the job_id of a body that failed validation (or was never validated)
// when it is a UUID, else makes a new one; raw returns a job_id that was present but not
// a UUID, as JSON text unless it was a string, cut to MaxRawJobID bytes.
func BodyJobID(body []byte) (id, raw string) {
	id, raw = bodyJobID(body)
	return id, CutText(raw, MaxRawJobID)
}

func bodyJobID(body []byte) (id, raw string) {
	if v, err := wire.Decode(body); err == nil {
		if d, ok := v.(*data.Dict); ok {
			if j, ok := d.Get("job_id"); ok && j != nil {
				if s, ok := j.(string); ok {
					if u, err := uuid.Parse(s); err == nil {
						return u.String(), ""
					}
					raw = s
				} else {
					b, _ := wire.AppendValue(nil, j)
					raw = string(b)
				}
			}
		}
	}
	return uuid.NewString(), raw
}

// RejectionAnswer recovers hetida's status and {"detail": …} body from the failure
// document of a rejection (Reject's Response): its error.error_code and
// error.extra_information.detail. ok is false for any other document.
func RejectionAnswer(doc []byte) (body []byte, status int, ok bool) {
	v, err := wire.Decode(doc)
	if err != nil {
		return nil, 0, false
	}
	d, _ := v.(*data.Dict)
	if d == nil {
		return nil, 0, false
	}
	e, _ := d.Get("error")
	ed, _ := e.(*data.Dict)
	if ed == nil {
		return nil, 0, false
	}
	code, _ := ed.Get("error_code")
	x, _ := ed.Get("extra_information")
	xd, _ := x.(*data.Dict)
	n, isInt := code.(int64)
	if !isInt || n < 400 || n >= 600 || xd == nil {
		return nil, 0, false
	}
	detail, _ := xd.Get("detail")
	b, err := wire.AppendValue(append([]byte(nil), `{"detail":`...), detail)
	if err != nil {
		return nil, 0, false
	}
	return append(b, '}'), int(n), true
}
