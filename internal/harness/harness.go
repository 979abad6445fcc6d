// Package harness holds what the benchmark and the crash harness share: a `trafofn broker`
// process of their own and the topics they create on it.
package harness

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Broker is a `trafofn broker` child process.
type Broker struct {
	cmd  *exec.Cmd
	addr string
	stop sync.Once
}

// StartBroker runs `binary broker` on a free port, without topics, and waits until it
// reports its address.
func StartBroker(ctx context.Context, binary string) (*Broker, error) {
	cmd := exec.CommandContext(ctx, binary, "broker", "-addr", "127.0.0.1:0", "-topics", "")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the broker: %w", err)
	}
	addrc := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			const prefix = "development Kafka broker listening on "
			if l := lines.Text(); strings.HasPrefix(l, prefix) {
				addrc <- strings.Fields(strings.TrimPrefix(l, prefix))[0]
			}
		}
	}()
	select {
	case addr := <-addrc:
		return &Broker{cmd: cmd, addr: addr}, nil
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, errors.New("the broker did not report its address within 10s")
	}
}

// Addr is the broker's host:port.
func (b *Broker) Addr() string { return b.addr }

// Pid is the broker process's id.
func (b *Broker) Pid() int { return b.cmd.Process.Pid }

// Stop ends the broker with SIGTERM, or SIGKILL after 10 s. It is idempotent.
func (b *Broker) Stop() {
	b.stop.Do(func() {
		_ = b.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = b.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = b.cmd.Process.Kill()
			<-done
		}
	})
}

// CreateTopics creates topics with the given partitions (replication 1).
func CreateTopics(ctx context.Context, cl *kgo.Client, partitions int32, topics ...string) error {
	resp, err := kadm.NewClient(cl).CreateTopics(ctx, partitions, 1, nil, topics...)
	if err != nil {
		return err
	}
	if err := resp.Error(); err != nil {
		return fmt.Errorf("creating topics %v: %w", topics, err)
	}
	return nil
}

// DeleteTopics deletes topics, so that an in-memory broker gives their memory back.
func DeleteTopics(ctx context.Context, cl *kgo.Client, topics ...string) error {
	adm := kadm.NewClient(cl)
	adm.SetTimeoutMillis(10000)
	resp, err := adm.DeleteTopics(ctx, topics...)
	if err != nil {
		return err
	}
	if err := resp.Error(); err != nil {
		return fmt.Errorf("deleting topics %v: %w", topics, err)
	}
	return nil
}
