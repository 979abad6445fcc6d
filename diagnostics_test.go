package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/trafofn/trafofn/sources/kafka"
)

// The timings file has a header and one line per record in Unix nanoseconds; a stage the
// record skipped is 0 (the format `trafofn bench` reads).
func TestTimingsWriterLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.csv")
	tw, err := newTimingsWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	at := func(ns int64) time.Time { return time.Unix(0, ns) }
	tw.Write(kafka.Timing{Partition: 2, Offset: 41, Timestamp: at(1000), Taken: at(2000), Started: at(3000), Handled: at(4000), Sent: at(5000), Done: at(6000)})
	tw.Write(kafka.Timing{Partition: 0, Offset: 7, Timestamp: at(1000), Taken: at(1500), Sent: at(1700), Done: at(1900)})
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := timingsHeader + "2,41,1000,2000,3000,4000,5000,6000\n0,7,1000,1500,0,0,1700,1900\n"
	if string(b) != want {
		t.Errorf("file:\n%s\nwant:\n%s", b, want)
	}
}
