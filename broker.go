package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/trafofn/trafofn/internal/devbroker"
)

// brokerCmd runs the in-memory development broker until interrupted.
func brokerCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("trafofn broker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", devBrokerAddr, "listen address (port 0 picks a free port)")
	topics := fs.String("topics", "hd-execution-topic,hd-execution-response-topic,hd-execution-dead-letter-topic", "comma-separated topics to create")
	partitions := fs.Int("partitions", 8, "partitions per topic")
	useTLS := fs.Bool("tls", false, "accept TLS connections only (self-signed certificate, see -cert-out)")
	certOut := fs.String("cert-out", "", "with -tls: write the certificate clients must trust to this file")
	var users userFlags
	fs.Var(&users, "user", "SASL user MECHANISM:NAME:PASSWORD (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512); repeatable")
	maxMsg := fs.Int("max-message-bytes", 0, "broker message.max.bytes (0: Kafka's default)")
	cpuProfile := fs.String("cpu-profile", "", "write a CPU profile of the broker to this file (the process id appended) until it stops")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: trafofn broker [flags]\n\nRuns franz-go's in-memory Kafka broker (kfake) for development and tests.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return usageError{err}
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	cfg := devbroker.Config{Addr: *addr, Partitions: int32(*partitions), Users: users,
		Logger: slog.New(slog.NewTextHandler(stderr, nil))}
	for _, t := range strings.Split(*topics, ",") {
		if t = strings.TrimSpace(t); t != "" {
			cfg.Topics = append(cfg.Topics, t)
		}
	}
	if *useTLS {
		cfg.TLS = &devbroker.TLSConfig{}
	}
	if *maxMsg > 0 {
		cfg.BrokerConfigs = map[string]string{"message.max.bytes": fmt.Sprint(*maxMsg)}
	}
	b, err := devbroker.Start(ctx, cfg)
	if err != nil {
		return err
	}
	defer b.Close()
	if *useTLS && *certOut != "" {
		if err := os.WriteFile(*certOut, b.CertPEM(), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "development Kafka broker listening on %s (topics: %s)\n", strings.Join(b.Addrs(), ","), strings.Join(cfg.Topics, ", "))
	<-ctx.Done()
	return nil
}

type userFlags []devbroker.User

func (u *userFlags) String() string { return fmt.Sprint(len(*u)) }

func (u *userFlags) Set(v string) error {
	parts := strings.SplitN(v, ":", 3)
	if len(parts) != 3 {
		return fmt.Errorf("want MECHANISM:NAME:PASSWORD, got %q", v)
	}
	*u = append(*u, devbroker.User{Mechanism: strings.ToUpper(parts[0]), Name: parts[1], Password: parts[2]})
	return nil
}
