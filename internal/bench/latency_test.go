package bench

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A timings file as trafofn serve writes it (KAFKA_TIMINGS_FILE), joined with two replies:
// the stages are the differences of the instants, computed here by hand.
func TestBreakdownJoinsTimingsByPartitionAndOffset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.csv")
	const ms = int64(time.Millisecond)
	base := int64(1_700_000_000_000) * ms
	at := func(d int64) time.Time { return time.Unix(0, base+d) }
	// partition 3 offset 7: sent at 0, acknowledged to the generator 0.5 ms, taken 2 ms, started 3, handled 4, sent 5, done 9
	// partition 1 offset 0: sent at 0, acknowledged 2 ms, taken 1 ms, started 1, handled 2, sent 2, done 4
	// partition 0 offset 5: never reached the handler (refused): skipped
	file := "partition,offset,timestamp,taken,started,handled,sent,done\n" +
		lineOf(3, 7, base, base+2*ms, base+3*ms, base+4*ms, base+5*ms, base+9*ms) +
		lineOf(1, 0, base, base+1*ms, base+1*ms, base+2*ms, base+2*ms, base+4*ms) +
		lineOf(0, 5, base, base+1*ms, 0, 0, base+2*ms, base+3*ms)
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	tm, err := readTimings(path)
	if err != nil {
		t.Fatal(err)
	}
	samples := []sample{
		{pos: &recPos{partition: 3, offset: 7, acked: at(ms / 2), ok: true}, sent: at(0), arrived: at(10 * ms)},
		{pos: &recPos{partition: 1, offset: 0, acked: at(2 * ms), ok: true}, sent: at(0), arrived: at(4 * ms)}, // taken before the ack came
		{pos: &recPos{partition: 0, offset: 5, acked: at(ms), ok: true}, sent: at(0), arrived: at(4 * ms)},
		{pos: &recPos{}, sent: at(0), arrived: at(4 * ms)}, // never placed
	}
	stages, joined := breakdown(samples, tm)
	if joined != 2 {
		t.Fatalf("joined %d samples, want 2", joined)
	}
	// with two samples p50 is the smaller, p99 the larger
	want := map[string][3]float64{ // p50, p99, p99 until
		"produce":      {0.5, 2, 2},
		"fetch":        {-1, 1.5, 2},
		"queued":       {0, 1, 3},
		"handle":       {1, 1, 4},
		"to_producer":  {0, 1, 5},
		"ack":          {2, 4, 9},
		"to_collector": {0, 1, 10},
	}
	for _, s := range stages {
		w := want[s.Stage]
		if s.P50ms != w[0] || s.P99ms != w[1] || s.P99UntilMS != w[2] {
			t.Errorf("%s: p50 %v p99 %v until %v, want %v", s.Stage, s.P50ms, s.P99ms, s.P99UntilMS, w)
		}
	}
}

func lineOf(vs ...int64) string {
	var s []string
	for _, v := range vs {
		s = append(s, strconv.FormatInt(v, 10))
	}
	return strings.Join(s, ",") + "\n"
}
