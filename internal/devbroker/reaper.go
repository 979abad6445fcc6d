package devbroker

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// reaper removes consumer-group members that died while they waited in JoinGroup.
//
// kfake starts a member's session timer when it has written the member a response. A
// member whose connection died while its JoinGroup waited for the others (an instance
// killed during a rebalance) never gets its JoinGroup response, so it never gets a timer;
// once the leader's SyncGroup completes the generation, the dead member keeps its
// partitions for good and nothing consumes them. Kafka schedules every member's heartbeat
// expiry when the join phase ends; the reaper does the same from outside: it watches the
// group requests go by, and in a Stable group removes (with a LeaveGroup on its behalf) a
// member that sent nothing for its session timeout since the generation became stable.
// It never removes a member earlier than a broker with working timers would.
type reaper struct {
	log   *slog.Logger
	every time.Duration
	// info is the cluster's GroupInfo, leave sends a LeaveGroup for one member.
	info  func(group string) *kfake.GroupInfo
	leave func(ctx context.Context, group string, m kfake.GroupMember) error

	mu     sync.Mutex
	groups map[string]*reapGroup
}

type reapGroup struct {
	members     map[string]*reapMember // by member id: what its requests told
	generation  int32
	stableSince time.Time // when this generation was first seen Stable; zero while not
}

type reapMember struct {
	last    time.Time     // its last group request
	session time.Duration // from its JoinGroup
}

// reapGrace is added to a member's deadline: the reaper acts after kfake would have.
// reapEvery is how often it looks at the groups it saw.
const (
	reapGrace = 500 * time.Millisecond
	reapEvery = time.Second
)

func newReaper(c *kfake.Cluster, log *slog.Logger, every time.Duration) *reaper {
	r := &reaper{log: log, every: every, info: c.GroupInfo, groups: map[string]*reapGroup{}}
	// Observers only: they return "not handled", so kfake answers every request itself
	// and keeps the control function for the next one.
	watch := func(key kmsg.Key) {
		c.ControlKey(int16(key), func(req kmsg.Request) (kmsg.Response, error, bool) {
			r.saw(req, time.Now())
			return nil, nil, false
		})
	}
	for _, k := range []kmsg.Key{kmsg.JoinGroup, kmsg.SyncGroup, kmsg.Heartbeat, kmsg.OffsetCommit, kmsg.TxnOffsetCommit, kmsg.LeaveGroup} {
		watch(k)
	}
	return r
}

// saw records a group request. It runs on kfake's request loop: it must not call into
// the cluster.
func (r *reaper) saw(req kmsg.Request, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	touch := func(group, member string) *reapMember {
		if member == "" {
			return nil
		}
		g := r.groups[group]
		if g == nil {
			g = &reapGroup{members: map[string]*reapMember{}}
			r.groups[group] = g
		}
		m := g.members[member]
		if m == nil {
			m = &reapMember{}
			g.members[member] = m
		}
		m.last = now
		return m
	}
	switch q := req.(type) {
	case *kmsg.JoinGroupRequest:
		if m := touch(q.Group, q.MemberID); m != nil {
			m.session = time.Duration(q.SessionTimeoutMillis) * time.Millisecond
		}
	case *kmsg.SyncGroupRequest:
		touch(q.Group, q.MemberID)
	case *kmsg.HeartbeatRequest:
		touch(q.Group, q.MemberID)
	case *kmsg.OffsetCommitRequest:
		touch(q.Group, q.MemberID)
	case *kmsg.TxnOffsetCommitRequest:
		touch(q.Group, q.MemberID)
	case *kmsg.LeaveGroupRequest:
		if g := r.groups[q.Group]; g != nil {
			delete(g.members, q.MemberID)
			for _, m := range q.Members {
				delete(g.members, m.MemberID)
			}
		}
	}
}

// run sweeps every r.every until ctx ends.
func (r *reaper) run(ctx context.Context) {
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.sweep(ctx, time.Now())
		}
	}
}

// sweep removes the members of Stable groups whose deadline has passed.
func (r *reaper) sweep(ctx context.Context, now time.Time) {
	r.mu.Lock()
	names := make([]string, 0, len(r.groups))
	for name := range r.groups {
		names = append(names, name)
	}
	r.mu.Unlock()
	for _, name := range names {
		info := r.info(name) // runs on kfake's loop: not with r.mu held
		var dead []kfake.GroupMember
		r.mu.Lock()
		g := r.groups[name]
		switch {
		case g == nil:
		case info == nil || info.State == "Empty" || info.State == "Dead":
			delete(r.groups, name)
		case info.State != "Stable":
			g.stableSince = time.Time{}
		default:
			if g.stableSince.IsZero() || info.Epoch != g.generation {
				g.generation, g.stableSince = info.Epoch, now
			}
			present := make(map[string]bool, len(info.Members))
			for _, im := range info.Members {
				present[im.MemberID] = true
				m := g.members[im.MemberID]
				if m == nil || m.session <= 0 {
					continue // joined before we watched, or no timeout seen: kfake's own timer
				}
				if now.Sub(later(m.last, g.stableSince)) > m.session+reapGrace {
					dead = append(dead, im)
				}
			}
			for id := range g.members {
				if !present[id] {
					delete(g.members, id)
				}
			}
		}
		r.mu.Unlock()
		for _, m := range dead {
			if err := r.leave(ctx, name, m); err != nil {
				r.log.Warn("devbroker: removing a consumer-group member that died during a rebalance", "group", name, "member", m.MemberID, "err", err)
				continue
			}
			r.log.Warn("devbroker: removed a consumer-group member that died during a rebalance (no request within its session timeout)", "group", name, "member", m.MemberID)
			r.mu.Lock()
			if g := r.groups[name]; g != nil {
				delete(g.members, m.MemberID)
			}
			r.mu.Unlock()
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// selfClient is a client of the broker it runs in, for the reaper's LeaveGroups: it dials
// the listening socket whatever address is advertised, trusts exactly the broker's own
// certificate and authenticates as the first configured user.
type selfClient struct {
	opts []kgo.Opt
	once sync.Once
	cl   *kgo.Client
	err  error
}

func newSelfClient(listen string, certPEM []byte, users []User) (*selfClient, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
		if ip != nil && ip.To4() == nil {
			host = "::1"
		}
	}
	target := net.JoinHostPort(host, port)
	var tc *tls.Config
	if len(certPEM) > 0 {
		block, _ := pem.Decode(certPEM)
		if block == nil {
			return nil, errors.New("devbroker: own certificate is not PEM")
		}
		own := block.Bytes
		tc = &tls.Config{
			MinVersion: tls.VersionTLS12,
			// The peer is this process's own listener: accept exactly its certificate
			// rather than a name, which an advertised address may not carry.
			InsecureSkipVerify: true, //nolint:gosec // verified by pinning below
			VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
				if len(raw) == 0 || string(raw[0]) != string(own) {
					return errors.New("devbroker: not the broker's own certificate")
				}
				return nil
			},
		}
	}
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		c, err := d.DialContext(ctx, network, target)
		if err != nil || tc == nil {
			return c, err
		}
		tlsConn := tls.Client(c, tc)
		if err := tlsConn.HandshakeContext(ctx); err != nil {
			c.Close()
			return nil, err
		}
		return tlsConn, nil
	}
	opts := []kgo.Opt{kgo.SeedBrokers(target), kgo.Dialer(dial), kgo.ClientID("trafofn-devbroker-reaper")}
	if len(users) > 0 {
		opts = append(opts, kgo.SASL(mechanism(users[0])))
	}
	return &selfClient{opts: opts}, nil
}

func mechanism(u User) sasl.Mechanism {
	switch u.Mechanism {
	case MechanismSCRAMSHA256:
		return scram.Auth{User: u.Name, Pass: u.Password}.AsSha256Mechanism()
	case MechanismSCRAMSHA512:
		return scram.Auth{User: u.Name, Pass: u.Password}.AsSha512Mechanism()
	default:
		return plain.Auth{User: u.Name, Pass: u.Password}.AsMechanism()
	}
}

// leave sends a LeaveGroup for m, as m would when it shuts down.
func (s *selfClient) leave(ctx context.Context, group string, m kfake.GroupMember) error {
	s.once.Do(func() { s.cl, s.err = kgo.NewClient(s.opts...) })
	if s.err != nil {
		return s.err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req := kmsg.NewPtrLeaveGroupRequest()
	req.Group = group
	lm := kmsg.NewLeaveGroupRequestMember()
	lm.MemberID, lm.InstanceID = m.MemberID, m.InstanceID
	reason := "trafofn devbroker: no request within the session timeout after a rebalance"
	lm.Reason = &reason
	req.Members = append(req.Members, lm)
	resp, err := req.RequestWith(ctx, s.cl)
	if err != nil {
		return err
	}
	if err := kerr.ErrorForCode(resp.ErrorCode); err != nil {
		return err
	}
	for _, rm := range resp.Members {
		if err := kerr.ErrorForCode(rm.ErrorCode); err != nil {
			return fmt.Errorf("member %s: %w", rm.MemberID, err)
		}
	}
	return nil
}

func (s *selfClient) close() {
	if s.cl != nil {
		s.cl.Close()
	}
}
