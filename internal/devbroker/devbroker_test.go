package devbroker_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/IBM/sarama"

	"github.com/trafofn/trafofn/internal/devbroker"
)

func start(t *testing.T, cfg devbroker.Config) *devbroker.Broker {
	t.Helper()
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	b, err := devbroker.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// The broker seeds its topics with the configured partition count, serves produce and
// fetch, and Probe tells a Kafka broker from a closed port and from a non-Kafka server.
func TestBrokerServesAndProbes(t *testing.T) {
	b := start(t, devbroker.Config{Topics: []string{"req", "resp"}, Partitions: 3})
	addr := b.Addrs()[0]
	if !devbroker.Probe(context.Background(), addr) {
		t.Fatal("Probe does not see the dev broker")
	}
	sc := sarama.NewConfig()
	sc.Producer.Return.Successes = true
	client, err := sarama.NewClient(b.Addrs(), sc)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	for _, topic := range []string{"req", "resp"} {
		ps, err := client.Partitions(topic)
		if err != nil || len(ps) != 3 {
			t.Fatalf("%s: partitions %v, %v; want 3", topic, ps, err)
		}
	}
	p, err := sarama.NewSyncProducerFromClient(client)
	if err != nil {
		t.Fatal(err)
	}
	part, off, err := p.SendMessage(&sarama.ProducerMessage{Topic: "req", Key: sarama.StringEncoder("k"), Value: sarama.StringEncoder("v")})
	if err != nil {
		t.Fatal(err)
	}
	c, err := sarama.NewConsumerFromClient(client)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := c.ConsumePartition("req", part, off)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	select {
	case m := <-pc.Messages():
		if string(m.Value) != "v" {
			t.Fatalf("value %q", m.Value)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no record")
	}

	b.Close()
	b.Close() // idempotent
	if devbroker.Probe(context.Background(), addr) {
		t.Fatal("Probe sees a closed broker")
	}
	// A server that accepts connections but is not Kafka.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = conn.Write([]byte("HTTP/1.1 400 Bad Request\r\n\r\n"))
			conn.Close()
		}
	}()
	if devbroker.Probe(context.Background(), ln.Addr().String()) {
		t.Fatal("Probe takes an HTTP server for Kafka")
	}
}

// Starting on a taken address fails (main then knows a broker is already there).
func TestStartOnTakenAddressFails(t *testing.T) {
	b := start(t, devbroker.Config{})
	if _, err := devbroker.Start(context.Background(), devbroker.Config{Addr: b.Addrs()[0]}); err == nil {
		t.Fatal("second broker on the same address started")
	}
}

// The broker stops when its context ends.
func TestContextEndStopsBroker(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	b, err := devbroker.Start(ctx, devbroker.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for devbroker.Probe(context.Background(), b.Addrs()[0]) {
		if time.Now().After(deadline) {
			t.Fatal("broker still answers after its context ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// With TLS and a SASL user, a client must trust CertPEM and authenticate; Probe (plaintext)
// does not count a TLS broker.
func TestTLSAndSASLUsers(t *testing.T) {
	b := start(t, devbroker.Config{
		Topics: []string{"t"},
		TLS:    &devbroker.TLSConfig{},
		Users:  []devbroker.User{{Mechanism: devbroker.MechanismPlain, Name: "u", Password: "p"}},
	})
	if devbroker.Probe(context.Background(), b.Addrs()[0]) {
		t.Error("plaintext Probe answered by a TLS broker")
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b.CertPEM()) {
		t.Fatal("CertPEM holds no certificate")
	}
	sc := sarama.NewConfig()
	sc.Net.TLS.Enable = true
	sc.Net.TLS.Config = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	sc.Net.SASL.Enable = true
	sc.Net.SASL.Mechanism = sarama.SASLTypePlaintext
	sc.Net.SASL.User, sc.Net.SASL.Password = "u", "p"
	client, err := sarama.NewClient(b.Addrs(), sc)
	if err != nil {
		t.Fatalf("TLS+SASL client: %v", err)
	}
	if _, err := client.Partitions("t"); err != nil {
		t.Fatal(err)
	}
	client.Close()
	sc.Net.SASL.Password = "wrong"
	if c, err := sarama.NewClient(b.Addrs(), sc); err == nil {
		c.Close()
		t.Fatal("wrong password accepted")
	}
}

func TestValidate(t *testing.T) {
	for name, cfg := range map[string]devbroker.Config{
		"Addr":         {Addr: "nope"},
		"Partitions":   {Partitions: -1},
		"Topics[0]":    {Topics: []string{"a b"}},
		"TLS.CertFile": {TLS: &devbroker.TLSConfig{CertFile: "x"}},
		"Users[0]":     {Users: []devbroker.User{{Mechanism: "GSSAPI", Name: "u", Password: "p"}}},
	} {
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// AdvertisedAddr is what metadata tells clients to connect to (for a wildcard listener).
func TestAdvertisedAddr(t *testing.T) {
	b := start(t, devbroker.Config{AdvertisedAddr: "kafka.example:19092"})
	if b.Addrs()[0] != "kafka.example:19092" {
		t.Errorf("Addrs %v, want the advertised address", b.Addrs())
	}
	br := sarama.NewBroker(b.ListenAddr())
	if err := br.Open(sarama.NewConfig()); err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	md, err := br.GetMetadata(&sarama.MetadataRequest{Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(md.Brokers) != 1 || md.Brokers[0].Addr() != "kafka.example:19092" {
		t.Fatalf("metadata brokers %v", md.Brokers)
	}
}

// Ensure starts a broker where none answers, and reuses one that does.
func TestEnsure(t *testing.T) {
	addrs, b, err := devbroker.Ensure(context.Background(), devbroker.Config{Addr: "127.0.0.1:0", Topics: []string{"t"}})
	if err != nil || b == nil {
		t.Fatalf("Ensure on a free address: %v, %v", b, err)
	}
	defer b.Close()
	again, b2, err := devbroker.Ensure(context.Background(), devbroker.Config{Addr: addrs[0]})
	if err != nil || b2 != nil || again[0] != addrs[0] {
		t.Fatalf("Ensure where a broker answers: %v, %v, %v; want the existing broker", again, b2, err)
	}
}
