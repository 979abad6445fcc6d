package devbroker

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// The reaper's deadline is the later of a member's last request and the moment its
// generation was first seen Stable, plus its session timeout and reapGrace; it acts only on
// Stable groups and forgets what kfake removed itself.
func TestReaperDeadlines(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	state, epoch := "PreparingRebalance", int32(1)
	members := []string{"live", "ghost"}
	var left []string
	r := &reaper{
		log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		groups: map[string]*reapGroup{},
		info: func(string) *kfake.GroupInfo {
			i := &kfake.GroupInfo{Group: "g", State: state, Epoch: epoch}
			for _, m := range members {
				i.Members = append(i.Members, kfake.GroupMember{MemberID: m})
			}
			return i
		},
		leave: func(_ context.Context, _ string, m kfake.GroupMember) error {
			left = append(left, m.MemberID)
			members = slices.DeleteFunc(members, func(id string) bool { return id == m.MemberID })
			return nil
		},
	}
	join := func(id string, at time.Time) {
		q := kmsg.NewPtrJoinGroupRequest()
		q.Group, q.MemberID, q.SessionTimeoutMillis = "g", id, 6000
		r.saw(q, at)
	}
	beat := func(id string, at time.Time) {
		q := kmsg.NewPtrHeartbeatRequest()
		q.Group, q.MemberID = "g", id
		r.saw(q, at)
	}
	sweep := func(at time.Duration, want ...string) {
		t.Helper()
		left = nil
		r.sweep(context.Background(), t0.Add(at))
		if !slices.Equal(left, want) {
			t.Fatalf("sweep at %v removed %v, want %v", at, left, want)
		}
	}
	join("live", t0)
	join("ghost", t0)
	// a long join phase: not Stable, nobody is removed however old their requests
	sweep(30 * time.Second)
	state = "Stable"
	sweep(40 * time.Second) // the generation became stable now: the clock starts here
	for s := 41; s <= 46; s++ {
		beat("live", t0.Add(time.Duration(s)*time.Second))
	}
	sweep(46*time.Second + 400*time.Millisecond) // 6.4 s after stable: within the grace
	sweep(46*time.Second+600*time.Millisecond, "ghost")
	if _, ok := r.groups["g"].members["ghost"]; ok {
		t.Fatal("a removed member is still tracked")
	}

	// a new generation restarts every member's clock; a member kfake removed is forgotten
	join("other", t0.Add(50*time.Second))
	members = append(members, "other")
	epoch = 2
	sweep(60 * time.Second)
	members = []string{"live"}
	sweep(61 * time.Second)
	if _, ok := r.groups["g"].members["other"]; ok {
		t.Fatal("a member kfake removed is still tracked")
	}
	beat("live", t0.Add(62*time.Second))
	sweep(68 * time.Second)
	sweep(68*time.Second+600*time.Millisecond, "live") // its heartbeats stopped at 62 s

	// an empty group is forgotten
	members = nil
	state = "Empty"
	sweep(70 * time.Second)
	if len(r.groups) != 0 {
		t.Fatalf("an empty group is still tracked: %v", r.groups)
	}
}
