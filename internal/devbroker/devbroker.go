// Package devbroker runs an in-memory, single-node Kafka broker (franz-go's kfake) inside the
// process: the zero-setup development broker of `trafofn` and `trafofn broker`, and the broker
// of every Kafka test.
//
// It speaks the Kafka wire protocol (produce, fetch, consumer groups, transactions with
// read_committed, SASL PLAIN/SCRAM, TLS), keeps everything in memory and loses it on Close.
// It is not a production broker: one node, no replication, no persistence.
package devbroker

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/big"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

// DefaultAddr is where the development broker listens unless told otherwise: Kafka's usual
// port on the loopback interface.
const DefaultAddr = "127.0.0.1:9092"

// DefaultPartitions is the partition count of the seeded and auto-created topics.
const DefaultPartitions = 8

// segmentBytes is the broker's log.segment.bytes. kfake keeps a partition's log segment in
// a byte slice that doubles when full, copying the segment inside the broker's one request
// loop: at kfake's 100 MiB every request of every client waited while tens of MB were
// copied (a CPU profile of `trafofn broker` under trafofn bench's 10k-point workload: half
// its time in that memmove, and the half-load p99 at seconds). At 4 MiB a doubling copies at
// most 2 MiB.
const segmentBytes = 4 << 20

// SASL mechanisms a User can authenticate with.
const (
	MechanismPlain       = "PLAIN"
	MechanismSCRAMSHA256 = "SCRAM-SHA-256"
	MechanismSCRAMSHA512 = "SCRAM-SHA-512"
)

// Config configures a development broker. The zero value is a plaintext broker on DefaultAddr
// without seeded topics.
type Config struct {
	// Addr is the host:port to listen on. Default DefaultAddr ("127.0.0.1:9092"); port 0
	// ("127.0.0.1:0", ":0") picks a free port, see Broker.Addrs.
	Addr string
	// AdvertisedAddr is the host:port announced to clients in metadata responses, needed when
	// Addr is a wildcard such as "0.0.0.0:9092". Default: the address actually listened on.
	AdvertisedAddr string
	// Topics are created at start, each with Partitions partitions. Topics not listed are
	// created on first use (auto.create.topics.enable, as in a default Kafka).
	Topics []string
	// Partitions per topic, default DefaultPartitions (8).
	Partitions int32
	// BrokerConfigs are Kafka broker configs such as "message.max.bytes"; see kfake.BrokerConfigs.
	// "log.segment.bytes" defaults to segmentBytes (Kafka's 1 GiB, kfake's 100 MiB are not
	// used).
	BrokerConfigs map[string]string

	// TLS, when non-nil, makes the listener accept TLS connections only.
	TLS *TLSConfig
	// Users, when non-empty, turns SASL authentication on; every connection must then
	// authenticate as one of them.
	Users []User

	// Logger receives the broker's warnings and errors. Default slog.Default().
	Logger *slog.Logger
}

// TLSConfig selects the broker's certificate: CertFile and KeyFile (PEM), or, when both are
// empty, a self-signed certificate generated at start for "localhost", 127.0.0.1, ::1 and the
// host of Addr/AdvertisedAddr. Broker.CertPEM returns the certificate clients must trust.
type TLSConfig struct {
	CertFile, KeyFile string
}

// User is one SASL identity; Mechanism is MechanismPlain, MechanismSCRAMSHA256 or
// MechanismSCRAMSHA512.
type User struct {
	Mechanism, Name, Password string
}

// Validate reports the first invalid field, named as in Config.
func (c Config) Validate() error {
	if c.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			return fmt.Errorf("devbroker: Addr %q: %w", c.Addr, err)
		}
	}
	if c.AdvertisedAddr != "" {
		if _, _, err := net.SplitHostPort(c.AdvertisedAddr); err != nil {
			return fmt.Errorf("devbroker: AdvertisedAddr %q: %w", c.AdvertisedAddr, err)
		}
	}
	if c.Partitions < 0 {
		return fmt.Errorf("devbroker: Partitions must be >= 1, got %d", c.Partitions)
	}
	for i, t := range c.Topics {
		if t == "" || strings.ContainsAny(t, " \t/\\") {
			return fmt.Errorf("devbroker: Topics[%d] %q is not a valid topic name", i, t)
		}
	}
	if c.TLS != nil && (c.TLS.CertFile == "") != (c.TLS.KeyFile == "") {
		return errors.New("devbroker: TLS.CertFile and TLS.KeyFile must be set together")
	}
	for i, u := range c.Users {
		switch u.Mechanism {
		case MechanismPlain, MechanismSCRAMSHA256, MechanismSCRAMSHA512:
		default:
			return fmt.Errorf("devbroker: Users[%d].Mechanism %q: want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", i, u.Mechanism)
		}
		if u.Name == "" || u.Password == "" {
			return fmt.Errorf("devbroker: Users[%d] needs a Name and a Password", i)
		}
	}
	return nil
}

// Broker is a running development broker. Close is idempotent.
type Broker struct {
	cluster *kfake.Cluster
	addr    string
	listen  string
	certPEM []byte
	stop    func() bool
	reaped  func() // stops the reaper
	once    sync.Once
}

// Start starts a broker and returns once it accepts connections. The broker stops when ctx
// ends or Close is called. Start fails when the address is taken (for example by a real
// Kafka; see Probe).
func Start(ctx context.Context, cfg Config) (*Broker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.Partitions == 0 {
		cfg.Partitions = DefaultPartitions
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}

	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.ClusterID("trafofn-devbroker"),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(int(cfg.Partitions)),
		kfake.WithLogger(slogLogger{cfg.Logger}),
	}
	if len(cfg.Topics) > 0 {
		opts = append(opts, kfake.SeedTopics(cfg.Partitions, cfg.Topics...))
	}
	bcfgs := map[string]string{"log.segment.bytes": strconv.Itoa(segmentBytes)}
	maps.Copy(bcfgs, cfg.BrokerConfigs)
	opts = append(opts, kfake.BrokerConfigs(bcfgs))

	var certPEM []byte
	if cfg.TLS != nil {
		tc, pemBytes, err := serverTLS(cfg)
		if err != nil {
			return nil, err
		}
		certPEM = pemBytes
		opts = append(opts, kfake.TLS(tc))
	}
	if len(cfg.Users) > 0 {
		opts = append(opts, kfake.EnableSASL())
		for _, u := range cfg.Users {
			opts = append(opts, kfake.User(u.Mechanism, u.Name, u.Password))
		}
	}

	// kfake listens on 127.0.0.1:<port>; we listen where we were asked to and, if told,
	// advertise another address.
	var listenAddr string
	opts = append(opts, kfake.ListenFn(func(network, _ string) (net.Listener, error) {
		ln, err := net.Listen(network, cfg.Addr)
		if err != nil {
			return nil, err
		}
		listenAddr = ln.Addr().String()
		if cfg.AdvertisedAddr != "" {
			return advertised{Listener: ln, addr: fakeAddr(cfg.AdvertisedAddr)}, nil
		}
		return ln, nil
	}))

	cluster, err := kfake.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("devbroker: listen on %s: %w", cfg.Addr, err)
	}
	b := &Broker{cluster: cluster, certPEM: certPEM, listen: listenAddr}
	if addrs := cluster.ListenAddrs(); len(addrs) > 0 {
		b.addr = addrs[0]
	}
	self, err := newSelfClient(listenAddr, certPEM, cfg.Users)
	if err != nil {
		cluster.Close()
		return nil, err
	}
	r := newReaper(cluster, cfg.Logger, reapEvery)
	r.leave = self.leave
	rctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.run(rctx)
	}()
	b.reaped = func() {
		cancel()
		<-done
		self.close()
	}
	b.stop = context.AfterFunc(ctx, b.Close)
	return b, nil
}

// Addrs returns the bootstrap addresses clients connect to (one, this broker): the
// advertised address if one was configured, else the address listened on.
func (b *Broker) Addrs() []string { return []string{b.addr} }

// ListenAddr returns the address actually listened on (with the chosen port for port 0).
func (b *Broker) ListenAddr() string { return b.listen }

// Cluster exposes the underlying kfake cluster for tests: fault injection (Fault, ControlKey),
// group inspection (GroupInfo) and topic management.
func (b *Broker) Cluster() *kfake.Cluster { return b.cluster }

// CertPEM returns the PEM certificate the broker serves (self-signed ones are their own CA),
// or nil without TLS.
func (b *Broker) CertPEM() []byte { return b.certPEM }

// Close stops the broker and drops all data. It is idempotent.
func (b *Broker) Close() {
	b.once.Do(func() {
		if b.stop != nil {
			b.stop()
		}
		if b.reaped != nil {
			b.reaped()
		}
		b.cluster.Close()
	})
}

// Ensure makes sure a Kafka broker answers at cfg.Addr (default DefaultAddr): if one
// already does (Probe), it returns that address and a nil Broker; otherwise it starts a dev
// broker there with cfg and returns it (the caller closes it). This is `trafofn`'s zero-setup
// start: connect to a local Kafka if there is one, else bring one up.
func Ensure(ctx context.Context, cfg Config) ([]string, *Broker, error) {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.TLS == nil && Probe(ctx, cfg.Addr) {
		return []string{cfg.Addr}, nil, nil
	}
	b, err := Start(ctx, cfg)
	if err != nil {
		// Lost a race with another process starting a broker there?
		if cfg.TLS == nil && Probe(ctx, cfg.Addr) {
			return []string{cfg.Addr}, nil, nil
		}
		return nil, nil, err
	}
	return b.Addrs(), b, nil
}

// Probe reports whether a Kafka broker answers at addr: it connects over plain TCP and sends
// an ApiVersions v0 request, waiting at most 1 s (or until ctx ends) for a matching answer.
// A TLS-only broker does not count (the plaintext request gets no valid answer).
func Probe(ctx context.Context, addr string) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	const correlationID = 0x7472_6166 // "traf"
	clientID := "trafofn-probe"
	// Request header v1: api_key, api_version, correlation_id, client_id; ApiVersions v0 has no body.
	body := make([]byte, 0, 32)
	body = be16(body, 18) // ApiVersions
	body = be16(body, 0)
	body = be32(body, correlationID)
	body = be16(body, uint16(len(clientID)))
	body = append(body, clientID...)
	req := be32(make([]byte, 0, 4+len(body)), uint32(len(body)))
	req = append(req, body...)
	if _, err := conn.Write(req); err != nil {
		return false
	}
	// Response: size, correlation_id, error_code, ...
	var hdr [10]byte
	if _, err := readFull(conn, hdr[:]); err != nil {
		return false
	}
	size := int32(uint32(hdr[0])<<24 | uint32(hdr[1])<<16 | uint32(hdr[2])<<8 | uint32(hdr[3]))
	corr := uint32(hdr[4])<<24 | uint32(hdr[5])<<16 | uint32(hdr[6])<<8 | uint32(hdr[7])
	return size >= 6 && size < 1<<20 && corr == correlationID
}

func readFull(c net.Conn, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := c.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func be16(b []byte, v uint16) []byte { return append(b, byte(v>>8), byte(v)) }
func be32(b []byte, v uint32) []byte {
	return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

// serverTLS loads or generates the broker certificate.
func serverTLS(cfg Config) (*tls.Config, []byte, error) {
	if cfg.TLS.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(cfg.TLS.CertFile, cfg.TLS.KeyFile)
		if err != nil {
			return nil, nil, fmt.Errorf("devbroker: TLS.CertFile/TLS.KeyFile: %w", err)
		}
		var certPEM []byte
		for _, der := range cert.Certificate {
			certPEM = append(certPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
		}
		return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, certPEM, nil
	}
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	for _, a := range []string{cfg.Addr, cfg.AdvertisedAddr} {
		if h, _, err := net.SplitHostPort(a); err == nil && h != "" {
			hosts = append(hosts, h)
		}
	}
	cert, certPEM, err := SelfSigned(hosts...)
	if err != nil {
		return nil, nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, certPEM, nil
}

// SelfSigned generates an ECDSA P-256 certificate valid for one year for the given DNS names
// and IP addresses, usable as its own CA. It returns the key pair and the certificate as PEM.
func SelfSigned(hosts ...string) (tls.Certificate, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "trafofn devbroker", Organization: []string{"trafofn"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	seen := map[string]bool{}
	for _, h := range hosts {
		if seen[h] {
			continue
		}
		seen[h] = true
		if ip := net.ParseIP(h); ip != nil {
			if !ip.IsUnspecified() {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			}
		} else if h != "" {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	return cert, certPEM, err
}

// advertised reports another address than the one it listens on.
type advertised struct {
	net.Listener
	addr net.Addr
}

func (a advertised) Addr() net.Addr { return a.addr }

type fakeAddr string

func (fakeAddr) Network() string  { return "tcp" }
func (a fakeAddr) String() string { return string(a) }

// slogLogger forwards kfake's warnings and errors to slog; info and debug are dropped (kfake
// logs every request at info).
type slogLogger struct{ l *slog.Logger }

func (s slogLogger) Logf(level kfake.LogLevel, msg string, args ...any) {
	var lv slog.Level
	switch level {
	case kfake.LogLevelError:
		lv = slog.LevelError
	case kfake.LogLevelWarn:
		lv = slog.LevelWarn
	default:
		return
	}
	s.l.Log(context.Background(), lv, "devbroker: "+fmt.Sprintf(msg, args...))
}
