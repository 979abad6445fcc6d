// Package pgtest starts a throwaway PostgreSQL server for integration tests: a fresh
// cluster (initdb) in a temporary directory, listening on 127.0.0.1 at a free port, with
// password authentication (SCRAM) for the superuser postgres. The server binaries are
// taken from the PATH, else from /usr/lib/postgresql/<version>/bin (Debian's layout).
// PostgreSQL refuses to run as root: under root the cluster belongs to, and the server
// runs as, the system user postgres.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrNoBinaries means that initdb and pg_ctl were not found: tests skip (or, under CI,
// fail) with its message.
var ErrNoBinaries = errors.New("the PostgreSQL server binaries (initdb, pg_ctl) are neither on the PATH nor in /usr/lib/postgresql/*/bin")

// Password is the superuser's password; tests check that it never shows in replies.
const Password = "pgtest-Secret-9f3b"

// Server is a running cluster.
type Server struct {
	Port int
	dir  string // data directory (also the Unix socket directory)
	bin  string
	cred *syscall.Credential
}

// binDir finds the directory of initdb and pg_ctl.
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("pg_ctl"); err == nil {
			if real, err := filepath.EvalSymlinks(p); err == nil {
				return filepath.Dir(real), nil
			}
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// Start initialises and starts a cluster; Stop removes it.
func Start() (*Server, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root, and PostgreSQL refuses root: %w (create the system user postgres)", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	// not under a test's TempDir (or a TMPDIR below root's home): the user postgres must be
	// able to reach it
	base := ""
	if s.cred != nil {
		base = "/tmp"
	}
	if s.dir, err = os.MkdirTemp(base, "trafofn-pg-*"); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			s.Stop()
		}
	}()
	pwfile := filepath.Join(s.dir, "pw")
	data := filepath.Join(s.dir, "data")
	if err := os.WriteFile(pwfile, []byte(Password+"\n"), 0o600); err != nil {
		return nil, err
	}
	if s.cred != nil {
		for _, p := range []string{s.dir, pwfile} {
			if err := os.Chown(p, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
				return nil, err
			}
		}
	}
	if out, err := s.run("initdb", "-D", data, "-U", "postgres", "--auth=scram-sha-256", "--pwfile="+pwfile,
		"-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return nil, fmt.Errorf("initdb: %w: %s", err, out)
	}
	if s.Port, err = freePort(); err != nil {
		return nil, err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100", s.Port, s.dir)
	if out, err := s.run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(s.dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		return nil, fmt.Errorf("pg_ctl start: %w: %s\n%s", err, out, log)
	}
	ok = true
	return s, nil
}

func (s *Server) run(name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C", "HOME=" + s.dir}
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	return cmd.CombinedOutput()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// URL is the connection URL of database db as the superuser (with its password).
func (s *Server) URL(db string) string {
	return fmt.Sprintf("postgresql://postgres:%s@127.0.0.1:%d/%s?sslmode=disable", Password, s.Port, db)
}

// Stop stops the server at once and removes the cluster (idempotent).
func (s *Server) Stop() {
	if s == nil || s.dir == "" {
		return
	}
	if _, err := os.Stat(filepath.Join(s.dir, "data", "postmaster.pid")); err == nil {
		_, _ = s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop")
	}
	_ = os.RemoveAll(s.dir)
	s.dir = ""
}

// Skip is the message for tests that cannot run without a server.
func Skip(err error) string {
	return "no PostgreSQL server for the integration tests: " + strings.TrimSpace(err.Error())
}
