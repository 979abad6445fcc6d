package harness

import (
	"context"
	"io"
	"log/slog"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/trafofn/trafofn/internal/devbroker"
)

// InProcess starts a quiet development broker in this process on a free port (cfg's
// address and logger are set) and a client of it with opts; close stops both. For tests
// that need a broker but not a `trafofn broker` child.
func InProcess(ctx context.Context, cfg devbroker.Config, opts ...kgo.Opt) (b *devbroker.Broker, cl *kgo.Client, close func(), err error) {
	cfg.Addr, cfg.Logger = "127.0.0.1:0", slog.New(slog.NewTextHandler(io.Discard, nil))
	if b, err = devbroker.Start(ctx, cfg); err != nil {
		return nil, nil, nil, err
	}
	if cl, err = kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(b.Addrs()...)}, opts...)...); err != nil {
		b.Close()
		return nil, nil, nil, err
	}
	return b, cl, func() { cl.Close(); b.Close() }, nil
}
