// Command trafofn runs hetida designer transformation revisions as an event-driven
// function: execution requests arrive on Kafka (hd-execution-topic) or over HTTP, replies
// leave on hd-execution-response-topic (or K_SINK, or the HTTP answer).
//
//	trafofn [serve]          run the function (Kafka + HTTP; a dev broker when none is configured)
//	trafofn broker           run the in-memory development Kafka broker alone
//	trafofn exec FILE        execute one request (JSON file or - for stdin), response on stdout
//	trafofn healthcheck      exit 0 when the local instance answers /readyz (the image's HEALTHCHECK)
//	trafofn version          print the version
//
// main is wiring only: configuration comes from internal/config.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// version is set with -ldflags "-X main.version=…"; otherwise the module version.
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

const usage = `trafofn runs hetida designer transformation revisions as an event-driven function.

Usage:
  trafofn [serve]        Run the function: consume execution requests from Kafka
                         (HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC, default hd-execution-topic),
                         reply to HETIDA_DESIGNER_KAFKA_RESPONSE_TOPIC, and serve HTTP on
                         HTTP_PORT (else PORT, else 8080): POST / (CloudEvents),
                         POST /api/transformations/execute[-latest], GET /healthz, /readyz.
                         Without KAFKA_BROKERS it connects to 127.0.0.1:9092 if a broker
                         answers there, else starts an in-memory development broker there.
  trafofn broker         Run the in-memory development Kafka broker alone (flags: -h).
  trafofn exec FILE      Execute one request read from FILE (- for stdin) without any broker;
                         print the response JSON. Exit status 0 ok, 1 failure, 3 rejected.
  trafofn bench          Measure executions per second over Kafka against an echo baseline
                         (flags: -h).
  trafofn crashtest      Kill, add and remove instances under load; report lost, duplicate
                         and reordered replies (flags: -h).
  trafofn healthcheck    Exit 0 when the trafofn on this host answers GET /readyz with
                         200 (-path /healthz for liveness); for the image's HEALTHCHECK.
  trafofn version        Print the version.

Configuration is read from the environment; see README.md for every variable.
Invalid configuration exits with status 2.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, os.Environ(), stderr)
	case "broker":
		err = brokerCmd(ctx, args, stdout, stderr)
	case "exec":
		return execCmd(ctx, args, os.Environ(), stdin, stdout, stderr)
	case "bench":
		err = benchCmd(ctx, args, os.Environ(), stdout, stderr)
	case "crashtest":
		err = crashCmd(ctx, args, os.Environ(), stdout, stderr)
	case "healthcheck":
		err = healthcheckCmd(ctx, args, os.Environ(), stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "trafofn", versionString())
		return 0
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "trafofn: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "trafofn:", err)
			return 2
		}
		fmt.Fprintln(stderr, "trafofn:", err)
		return 1
	}
	return 0
}

// usageError is a configuration or command-line problem (exit status 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }
