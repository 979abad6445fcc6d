package bench

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

type functionProc struct {
	cmd     *exec.Cmd
	started time.Time
	log     string
	once    sync.Once
	err     error
	hwmKB   int64
	cpu     float64
	keepLog bool
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startFunction runs `trafofn serve` against the benchmark's topics.
func startFunction(ctx context.Context, cfg Config, brokers []string, reqTopic, respTopic string, echo bool, more []string) (*functionProc, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logf, err := os.CreateTemp("", "trafofn-bench-*.log")
	if err != nil {
		return nil, err
	}
	handler := "execute"
	if echo {
		handler = "echo"
	}
	env := append(append([]string(nil), cfg.Env...),
		"KAFKA_BROKERS="+strings.Join(brokers, ","),
		"HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC="+reqTopic,
		"HETIDA_DESIGNER_KAFKA_RESPONSE_TOPIC="+respTopic,
		"KAFKA_DEAD_LETTER_TOPIC="+reqTopic+"-dlq",
		"KAFKA_GROUP_ID=bench-"+reqTopic,
		"HTTP_PORT="+strconv.Itoa(port),
		"TRAFOFN_HANDLER="+handler,
		"LOG_LEVEL=warn",
	)
	env = append(env, more...)
	cmd := exec.CommandContext(ctx, cfg.Binary, "serve")
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	p := &functionProc{cmd: cmd, log: logf.Name(), keepLog: cfg.KeepLogs}
	if cfg.KeepLogs {
		fmt.Fprintf(cfg.Out, "  function log: %s\n", logf.Name())
	}
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the function: %w", err)
	}
	logf.Close()
	return p, nil
}

// usage reads the process's peak resident set (VmHWM) and CPU time so far.
func (p *functionProc) usage() (rssMB, cpuS float64) {
	pid := p.cmd.Process.Pid
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "VmHWM:") {
				f := strings.Fields(l)
				if len(f) >= 2 {
					p.hwmKB, _ = strconv.ParseInt(f[1], 10, 64)
				}
			}
		}
	}
	if c, ok := cpuSeconds(pid); ok {
		p.cpu = c
	}
	return float64(p.hwmKB) / 1024, p.cpu
}

// cpuSeconds reads the CPU time (user + system) a process has used so far.
func cpuSeconds(pid int) (float64, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	// fields after the command: state(0) … utime(11) stime(12), in clock ticks (100/s)
	if len(f) <= 12 {
		return 0, false
	}
	u, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (u + st) / 100, true
}

// stop sends SIGTERM and expects a clean exit (status 0) after draining.
func (p *functionProc) stop() error {
	p.once.Do(func() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- p.cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				log, _ := os.ReadFile(p.log)
				p.err = fmt.Errorf("exit: %v\n%s", err, tail(string(log), 2000))
			}
		case <-time.After(40 * time.Second):
			_ = p.cmd.Process.Kill()
			p.err = errors.New("did not exit within 40s of SIGTERM")
		}
		if p.err == nil && !p.keepLog {
			os.Remove(p.log)
		}
	})
	return p.err
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
