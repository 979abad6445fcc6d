package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime/trace"
	"strconv"
	"sync"
	"time"

	"github.com/trafofn/trafofn/sources/kafka"
)

// startExecutionTrace writes a Go execution trace (runtime/trace; read it with `go tool
// trace`) of `trafofn serve` until the returned function is called (at exit); the file
// name gets the process id appended, as CPU_PROFILE's does.
func startExecutionTrace(path string) (func(), error) {
	f, err := os.Create(fmt.Sprintf("%s.%d", path, os.Getpid()))
	if err != nil {
		return nil, err
	}
	if err := trace.Start(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { trace.Stop(); f.Close() }, nil
}

// timingsWriter appends the Kafka source's per-record timings (KAFKA_TIMINGS_FILE) to a
// file, one line per record: partition, offset, then the record's timestamp and the
// instants it was taken, started, handled, sent and done, in Unix nanoseconds (0: the
// stage was skipped). `trafofn bench` reads the file to break latencies down. The lines are
// buffered; Close flushes them.
type timingsWriter struct {
	mu  sync.Mutex
	f   *os.File
	w   *bufio.Writer
	buf []byte
}

// TimingsHeader is the first line of a timings file.
const timingsHeader = "partition,offset,timestamp,taken,started,handled,sent,done\n"

func newTimingsWriter(path string) (*timingsWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	tw := &timingsWriter{f: f, w: bufio.NewWriterSize(f, 256<<10)}
	tw.w.WriteString(timingsHeader)
	return tw, nil
}

// Write is kafka.Config.Timings: it appends one line (a write error is noticed at Close).
func (tw *timingsWriter) Write(t kafka.Timing) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	b := tw.buf[:0]
	b = strconv.AppendInt(b, int64(t.Partition), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, t.Offset, 10)
	for _, at := range [...]time.Time{t.Timestamp, t.Taken, t.Started, t.Handled, t.Sent, t.Done} {
		b = append(b, ',')
		if !at.IsZero() {
			b = strconv.AppendInt(b, at.UnixNano(), 10)
		} else {
			b = append(b, '0')
		}
	}
	b = append(b, '\n')
	tw.w.Write(b)
	tw.buf = b
}

// Close flushes the buffered lines and closes the file.
func (tw *timingsWriter) Close() error {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	err := tw.w.Flush()
	if cerr := tw.f.Close(); err == nil {
		err = cerr
	}
	return err
}
