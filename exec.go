package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/wire"
)

// execCmd executes one request file without any broker: the response JSON goes to stdout
// (exit 0 for result ok, 1 for failure); a request hetida would reject prints its detail
// (exit 3).
func execCmd(ctx context.Context, args, environ []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 1 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(stderr, "usage: trafofn exec REQUEST.json   (- reads stdin)")
		fmt.Fprintln(stderr, "The request is hetida's ExecByIdInput or ExecLatestByGroupIdInput JSON.")
		return 2
	}
	cfg, err := loadConfig(environ)
	if err != nil {
		fmt.Fprintln(stderr, "trafofn:", err)
		return 2
	}
	var body []byte
	if args[0] == "-" {
		body, err = io.ReadAll(stdin)
	} else {
		body, err = os.ReadFile(args[0])
	}
	if err != nil {
		fmt.Fprintln(stderr, "trafofn:", err)
		return 2
	}
	a, err := newApp(cfg, cfg.Logger(stderr))
	if err != nil {
		fmt.Fprintln(stderr, "trafofn:", err)
		return 1
	}
	defer a.release()
	defer a.closeTelemetry()
	// the same middlewares as served requests: EXECUTION_TIMEOUT, panic recovery
	resp, status := function.ExecuteWith(ctx, a.handler(), runtime.AnyMode, function.NewRequest("", "/trafofn/exec", "", body))
	stdout.Write(resp)
	fmt.Fprintln(stdout)
	switch status {
	case 200:
	case 500: // a fault inside trafofn (a panic), not a rejected request
		return 1
	default:
		return 3
	}
	if v, err := wire.Decode(resp); err == nil {
		if d, ok := v.(*data.Dict); ok {
			if r, _ := d.Get("result"); r != runtime.ResultOK {
				return 1
			}
		}
	}
	return 0
}
