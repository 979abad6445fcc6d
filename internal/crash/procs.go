package crash

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// fleet is the set of running function instances.
type fleet struct {
	cfg                 Config
	brokers             []string
	reqTopic, respTopic string
	group               string
	mu                  sync.Mutex
	procs               []*exec.Cmd
	exited              []chan error
	failure             error // an instance that exited without being told to
}

// err reports an instance that died on its own (e.g. refused its configuration).
func (f *fleet) err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failure
}

func (f *fleet) size() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.procs)
}

func (f *fleet) add(ctx context.Context) error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	env := append(append([]string(nil), f.cfg.Env...),
		"KAFKA_BROKERS="+strings.Join(f.brokers, ","),
		"HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC="+f.reqTopic,
		"HETIDA_DESIGNER_KAFKA_RESPONSE_TOPIC="+f.respTopic,
		"KAFKA_DEAD_LETTER_TOPIC="+f.reqTopic+"-dlq",
		"KAFKA_GROUP_ID="+f.group,
		"HTTP_PORT="+strconv.Itoa(port),
		"KAFKA_EXACTLY_ONCE="+strconv.FormatBool(f.cfg.ExactlyOnce),
	)
	if f.cfg.LogDir == "" {
		env = append(env, "LOG_LEVEL=error")
	}
	cmd := exec.CommandContext(ctx, f.cfg.Binary, "serve")
	cmd.Env = env
	cmd.Stderr = os.Stderr
	if f.cfg.LogDir != "" {
		lf, err := os.CreateTemp(f.cfg.LogDir, "instance-*.log")
		if err != nil {
			return err
		}
		defer lf.Close()
		cmd.Stderr = lf
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting an instance: %w", err)
	}
	ch := make(chan error, 1)
	go func() {
		err := cmd.Wait()
		f.mu.Lock()
		for _, p := range f.procs {
			if p == cmd && f.failure == nil {
				f.failure = fmt.Errorf("instance pid %d exited on its own: %v (see its log)", cmd.Process.Pid, err)
			}
		}
		f.mu.Unlock()
		ch <- err
	}()
	f.mu.Lock()
	f.procs = append(f.procs, cmd)
	f.exited = append(f.exited, ch)
	f.mu.Unlock()
	return nil
}

func (f *fleet) take(rng *rand.Rand) (*exec.Cmd, chan error, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.procs) == 0 {
		return nil, nil, errors.New("no instance left")
	}
	i := rng.IntN(len(f.procs))
	p, ch := f.procs[i], f.exited[i]
	f.procs = append(f.procs[:i], f.procs[i+1:]...)
	f.exited = append(f.exited[:i], f.exited[i+1:]...)
	return p, ch, nil
}

// kill SIGKILLs a random instance and starts a replacement.
func (f *fleet) kill(ctx context.Context, rng *rand.Rand) (int, error) {
	p, ch, err := f.take(rng)
	if err != nil {
		return 0, err
	}
	pid := p.Process.Pid
	_ = p.Process.Kill()
	<-ch
	return pid, f.add(ctx)
}

// leave stops a random instance gracefully (SIGTERM: drain, commit, leave the group).
func (f *fleet) leave(rng *rand.Rand) (int, error) {
	if f.size() <= 1 {
		return 0, errors.New("refusing to stop the last instance")
	}
	p, ch, err := f.take(rng)
	if err != nil {
		return 0, err
	}
	_ = p.Process.Signal(syscall.SIGTERM)
	go func() {
		select {
		case err := <-ch:
			if err != nil {
				fmt.Fprintf(os.Stderr, "instance %d exited after SIGTERM: %v\n", p.Process.Pid, err)
			}
		case <-time.After(60 * time.Second):
			_ = p.Process.Kill()
		}
	}()
	return p.Process.Pid, nil
}

func (f *fleet) stopAll() {
	f.mu.Lock()
	procs, chans := f.procs, f.exited
	f.procs, f.exited = nil, nil
	f.mu.Unlock()
	for _, p := range procs {
		_ = p.Process.Signal(syscall.SIGTERM)
	}
	for i := range procs {
		select {
		case <-chans[i]:
		case <-time.After(40 * time.Second):
			_ = procs[i].Process.Kill()
		}
	}
}
