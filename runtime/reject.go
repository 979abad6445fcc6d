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
		detail = wire.AppendString(nil, we.Detail)
	}
	if detail == nil {
		detail = wire.AppendString(nil, msg)
	}
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
// a UUID, as JSON text unless it was a string.
func BodyJobID(body []byte) (id, raw string) {
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
