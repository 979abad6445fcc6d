package devbroker_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/trafofn/trafofn/internal/devbroker"
	"github.com/trafofn/trafofn/internal/harness"
)

// A member killed while its JoinGroup waits for the others may never receive the
// response (kfake hands it to the dead connection's writer or drops it, at random), and
// then kfake never starts its session timer: after the leader's SyncGroup it would keep its
// partitions for ever (the crash harness lost 1,500 requests to it). The broker removes it
// once its session timeout has passed, and the survivor gets all partitions back. The
// scenario repeats until at least one attempt left such a ghost (the broker logs removing
// it); every attempt must end with the survivor alone.
func TestMemberDeadInJoinIsRemoved(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  devbroker.Config
	}{
		{"plaintext", devbroker.Config{}},
		{"TLS and SCRAM", devbroker.Config{TLS: &devbroker.TLSConfig{},
			Users: []devbroker.User{{Mechanism: devbroker.MechanismSCRAMSHA512, Name: "u", Password: "p"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := &harness.LogBuffer{}
			tc.cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
			tc.cfg.BrokerConfigs = map[string]string{"group.min.session.timeout.ms": "500"}
			b := start(t, tc.cfg)
			opts := []kgo.Opt{kgo.SeedBrokers(b.Addrs()...)}
			if tc.cfg.TLS != nil {
				pool := x509.NewCertPool()
				pool.AppendCertsFromPEM(b.CertPEM())
				opts = append(opts, kgo.DialTLSConfig(&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}),
					kgo.SASL(scram.Auth{User: "u", Pass: "p"}.AsSha512Mechanism()))
			}
			const attempts = 12
			ghosts := 0
			for i := 0; i < attempts && ghosts == 0; i++ {
				group := fmt.Sprintf("g%d", i)
				deadInJoin(t, b, opts, group)
				if strings.Contains(logs.String(), "group="+group+" ") {
					ghosts++
				}
			}
			if ghosts == 0 {
				t.Fatalf("no attempt of %d left a member that kfake would have kept: the scenario no longer reproduces the defect", attempts)
			}
			if strings.Contains(logs.String(), "level=WARN msg=\"devbroker: removing") {
				t.Fatalf("a removal failed:\n%s", logs.String())
			}
		})
	}
}

// deadInJoin: a joins and syncs alone; b joins and dies while its join waits for a; a
// rejoins and completes the generation with b, then must be told to rebalance once b's
// session timeout has passed and end up alone.
func deadInJoin(t *testing.T, b *devbroker.Broker, opts []kgo.Opt, group string) {
	client := func() *kgo.Client {
		cl, err := kgo.NewClient(opts...)
		if err != nil {
			t.Fatal(err)
		}
		return cl
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	session := time.Second

	a := &member{t: t, cl: client(), group: group, session: session}
	defer a.cl.Close()
	a.join(ctx)
	a.sync(ctx, 1)
	stopBeat := a.heartbeat(ctx)
	defer func() { stopBeat() }()

	bcl := client()
	bm := &member{t: t, cl: bcl, group: group, session: session}
	bm.id = bm.memberID(ctx)
	bJoined := make(chan struct{})
	go func() {
		defer close(bJoined)
		_, _ = bm.joinRequest().RequestWith(ctx, bcl)
	}()
	waitState(t, ctx, b, group, "PreparingRebalance", 2)
	bcl.Close()
	<-bJoined

	a.waitRebalance(ctx)
	a.join(ctx)
	a.sync(ctx, 2)
	if info := b.Cluster().GroupInfo(group); info.State != "Stable" || len(info.Members) != 2 {
		t.Fatalf("set-up: state %s, %d members, want Stable with 2", info.State, len(info.Members))
	}
	stableAt := time.Now()
	stopBeat = a.heartbeat(ctx)

	a.waitRebalance(ctx)
	if waited := time.Since(stableAt); waited < session {
		t.Fatalf("the dead member was removed after %v, before its session timeout %v", waited, session)
	}
	a.join(ctx)
	a.sync(ctx, 1)
	if info := b.Cluster().GroupInfo(group); info.State != "Stable" || len(info.Members) != 1 || info.Members[0].MemberID != a.id {
		t.Fatalf("after b's session timeout: state %s, members %v; want only %s", info.State, info.Members, a.id)
	}
}

// member drives one classic consumer-group member with raw requests.
type member struct {
	t          *testing.T
	cl         *kgo.Client
	group, id  string
	generation int32
	leader     bool
	members    []string
	session    time.Duration

	mu         sync.Mutex
	rebalanced chan struct{}
}

func (m *member) joinRequest() *kmsg.JoinGroupRequest {
	req := kmsg.NewPtrJoinGroupRequest()
	req.Group, req.MemberID, req.ProtocolType = m.group, m.id, "consumer"
	req.SessionTimeoutMillis = int32(m.session / time.Millisecond)
	req.RebalanceTimeoutMillis = 10_000
	meta := kmsg.NewConsumerMemberMetadata()
	meta.Topics = []string{"t"}
	p := kmsg.NewJoinGroupRequestProtocol()
	p.Name, p.Metadata = "range", meta.AppendTo(nil)
	req.Protocols = append(req.Protocols, p)
	return req
}

// memberID is the id the broker hands a new member (KIP-394).
func (m *member) memberID(ctx context.Context) string {
	m.t.Helper()
	resp, err := m.joinRequest().RequestWith(ctx, m.cl)
	if err != nil {
		m.t.Fatal(err)
	}
	if !errors.Is(kerr.ErrorForCode(resp.ErrorCode), kerr.MemberIDRequired) {
		m.t.Fatalf("first join: %v, want MEMBER_ID_REQUIRED", kerr.ErrorForCode(resp.ErrorCode))
	}
	return resp.MemberID
}

func (m *member) join(ctx context.Context) {
	m.t.Helper()
	if m.id == "" {
		m.id = m.memberID(ctx)
	}
	resp, err := m.joinRequest().RequestWith(ctx, m.cl)
	if err != nil {
		m.t.Fatal(err)
	}
	if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
		m.t.Fatalf("join: %v", err)
	}
	m.generation, m.leader = resp.Generation, resp.LeaderID == m.id
	m.members = m.members[:0]
	for _, jm := range resp.Members {
		m.members = append(m.members, jm.MemberID)
	}
}

// sync completes the generation; as the leader, m checks the members it was told of.
func (m *member) sync(ctx context.Context, want int) {
	m.t.Helper()
	if !m.leader {
		m.t.Fatal("a is not the leader")
	}
	if len(m.members) != want {
		m.t.Fatalf("join told the leader of members %v, want %d", m.members, want)
	}
	req := kmsg.NewPtrSyncGroupRequest()
	req.Group, req.MemberID, req.Generation = m.group, m.id, m.generation
	req.ProtocolType, req.Protocol = kmsg.StringPtr("consumer"), kmsg.StringPtr("range")
	for i, id := range m.members {
		as := kmsg.NewConsumerMemberAssignment()
		at := kmsg.NewConsumerMemberAssignmentTopic()
		at.Topic = "t"
		for p := int32(0); p < 8; p++ {
			if int(p)%len(m.members) == i {
				at.Partitions = append(at.Partitions, p)
			}
		}
		as.Topics = append(as.Topics, at)
		ga := kmsg.NewSyncGroupRequestGroupAssignment()
		ga.MemberID, ga.MemberAssignment = id, as.AppendTo(nil)
		req.GroupAssignment = append(req.GroupAssignment, ga)
	}
	resp, err := req.RequestWith(ctx, m.cl)
	if err != nil {
		m.t.Fatal(err)
	}
	if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
		m.t.Fatalf("sync: %v", err)
	}
}

// heartbeat keeps m alive until it is told to rejoin (then rebalanced closes) or stopped.
func (m *member) heartbeat(ctx context.Context) (stop func()) {
	m.mu.Lock()
	m.rebalanced = make(chan struct{})
	rebalanced := m.rebalanced
	m.mu.Unlock()
	done, quit := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			req := kmsg.NewPtrHeartbeatRequest()
			req.Group, req.MemberID, req.Generation = m.group, m.id, m.generation
			resp, err := req.RequestWith(ctx, m.cl)
			if err == nil && errors.Is(kerr.ErrorForCode(resp.ErrorCode), kerr.RebalanceInProgress) {
				close(rebalanced)
				return
			}
			select {
			case <-quit:
				return
			case <-ctx.Done():
				return
			case <-time.After(m.session / 5):
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(quit) }); <-done }
}

func (m *member) waitRebalance(ctx context.Context) {
	m.t.Helper()
	m.mu.Lock()
	ch := m.rebalanced
	m.mu.Unlock()
	select {
	case <-ch:
	case <-ctx.Done():
		m.t.Fatal("no rebalance: the member that died during the join was never removed")
	}
}

func waitState(t *testing.T, ctx context.Context, b *devbroker.Broker, group, state string, members int) {
	t.Helper()
	for ctx.Err() == nil {
		if i := b.Cluster().GroupInfo(group); i != nil && i.State == state && len(i.Members) == members {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("group %s never reached %s with %d members", group, state, members)
}
