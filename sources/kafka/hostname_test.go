package kafka

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Regression: hetida's ssl_check_hostname=false was mapped to InsecureSkipVerify, which
// switches off all certificate verification (aiokafka only skips the name match): any
// certificate, from anyone, was accepted. SkipHostnameCheck verifies the chain against
// the CA and skips only the name.
func TestSkipHostnameCheckStillVerifiesTheChain(t *testing.T) {
	dir := t.TempDir()
	ca, caKey := testCA(t, "trusted CA")
	other, otherKey := testCA(t, "someone else")
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	// the brokers' certificates name another host than the one dialled
	good := leaf(t, ca, caKey, "broker.internal")
	forged := leaf(t, other, otherKey, "broker.internal")
	dial := func(cert tls.Certificate, tc TLSConfig) error {
		ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		go func() {
			if c, err := ln.Accept(); err == nil {
				_ = c.(*tls.Conn).Handshake()
				c.Close()
			}
		}()
		cfg, err := tc.config()
		if err != nil {
			t.Fatal(err)
		}
		cfg.ServerName = "127.0.0.1"
		c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", ln.Addr().String(), cfg)
		if err == nil {
			c.Close()
		}
		return err
	}
	if err := dial(good, TLSConfig{Enable: true, CAFile: caFile, SkipHostnameCheck: true}); err != nil {
		t.Errorf("trusted certificate for another name: %v", err)
	}
	if err := dial(forged, TLSConfig{Enable: true, CAFile: caFile, SkipHostnameCheck: true}); err == nil {
		t.Error("a certificate of another CA was accepted")
	}
	if err := dial(good, TLSConfig{Enable: true, CAFile: caFile}); err == nil {
		t.Error("without SkipHostnameCheck the name mismatch was accepted")
	}
}

func testCA(t *testing.T, name string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	return c, key
}

func leaf(t *testing.T, ca *x509.Certificate, caKey *ecdsa.PrivateKey, host string) tls.Certificate {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
