package sql

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/trafofn/trafofn/runtime/adapter"
)

// failure reports err of binding b's database work with hetida's error classes:
// AdapterConnectionError when the database cannot be reached (or the connection broke),
// AdapterHandlingException for what the server refused. The message says what happened
// without pgx's connection details (user, database, URL), and the password and user name
// are removed from whatever text the server sent.
func (d *database) failure(b adapter.Binding, err error) *adapter.Error {
	var ae *adapter.Error
	if errors.As(err, &ae) {
		return ae
	}
	typ, msg := "AdapterHandlingException", ""
	var ce *pgconn.ConnectError
	var pe *pgconn.PgError
	var ne net.Error
	var down *errDown
	switch {
	case errors.As(err, &down):
		typ, msg = "AdapterConnectionError", down.cause+fmt.Sprintf(" (not tried again for %s)", holdDown)
	case errors.As(err, &ce):
		typ = "AdapterConnectionError"
		cause := "connection failed"
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			cause = "no answer within the connect timeout"
		case errors.As(err, &pe):
			cause = "the server refused the connection: " + pe.Severity + ": " + pe.Message + " (SQLSTATE " + pe.Code + ")"
		case errors.As(err, &ne):
			cause = ne.Error()
		case errors.Unwrap(ce) != nil:
			cause = errors.Unwrap(ce).Error()
		}
		msg = fmt.Sprintf("cannot connect to database %q (%s): %s", d.Key, d.host, cause)
	case errors.Is(err, context.DeadlineExceeded):
		typ, msg = "AdapterConnectionError", fmt.Sprintf("database %q (%s) did not answer in time", d.Key, d.host)
	case errors.Is(err, context.Canceled):
		typ, msg = "AdapterConnectionError", fmt.Sprintf("the work on database %q was cancelled", d.Key)
	case errors.As(err, &pe):
		msg = fmt.Sprintf("database %q: %s: %s (SQLSTATE %s)", d.Key, pe.Severity, pe.Message, pe.Code)
		if pe.Detail != "" {
			msg += "; " + pe.Detail
		}
	case errors.As(err, &ne), errors.Is(err, pgconn.ErrConnClosed), pgconn.SafeToRetry(err):
		typ, msg = "AdapterConnectionError", fmt.Sprintf("lost the connection to database %q (%s): %v", d.Key, d.host, err)
	default:
		msg = fmt.Sprintf("database %q: %v", d.Key, err)
	}
	return adapter.WiringFailed(typ, b, redact(msg, d.user, d.password), err)
}
