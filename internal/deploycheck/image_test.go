package deploycheck

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestImage builds the Dockerfile with podman (`podman build --isolation chroot`; `podman
// run` does not work on these machines), exports the image's filesystem and runs its
// entrypoint in it (chroot) as the image's user until /readyz answers; the binary's
// healthcheck subcommand then answers 0 and SIGTERM ends it with status 0. Base images
// cannot be pulled here, so the test makes them: a builder of this machine's Go toolchain
// and /bin/sh with a module proxy directory holding exactly the modules `go mod download`
// asks for, and a runtime image of /etc/passwd and /tmp, as distroless' static image.
// Without podman the test skips; .ci/run installs it.
func TestImage(t *testing.T) {
	podman, err := exec.LookPath("podman")
	if err != nil {
		t.Skip("podman is not installed (apt-get install -y podman): the image is not built")
	}
	if os.Getuid() != 0 {
		t.Skip("not root: cannot run the image's entrypoint as its user")
	}
	if testing.Short() {
		t.Skip("-short: the image build takes minutes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	tag := randomTag(t)
	work := t.TempDir()
	run := func(name string, args ...string) []byte {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out, tail(stderr.String(), 4000))
		}
		return out
	}
	rmi := func(img string) {
		t.Cleanup(func() { _ = exec.Command(podman, "rmi", "-f", img).Run() })
	}

	// the builder: Go, /bin/sh, and a module proxy directory
	goroot := strings.TrimSpace(string(run("go", "env", "GOROOT")))
	hostCache := strings.TrimSpace(string(run("go", "env", "GOMODCACHE")))
	// this machine's module cache first, its module proxy for what the cache lacks
	proxy := "file://" + filepath.Join(hostCache, "cache", "download")
	if p := strings.TrimSpace(string(run("go", "env", "GOPROXY"))); p != "" && p != "off" {
		proxy += "," + p
	}
	modcache := filepath.Join(work, "modcache")
	dl := exec.CommandContext(ctx, "go", "mod", "download")
	dl.Dir = root
	dl.Env = append(os.Environ(), "GOMODCACHE="+modcache, "GOPROXY="+proxy,
		"GOFLAGS=-mod=mod", "GOSUMDB=off", "GOTOOLCHAIN=local")
	if out, err := dl.CombinedOutput(); err != nil {
		t.Fatalf("go mod download into the builder's proxy: %v\n%s", err, tail(string(out), 4000))
	}
	builder := "localhost/trafofn-imagetest-go:" + tag
	tw := newTarball(t, filepath.Join(work, "builder.tar"))
	tw.tree(goroot, "usr/local/go", func(rel string) bool { return rel == "test" || rel == "api" || rel == "doc" })
	tw.tree(filepath.Join(modcache, "cache", "download"), "goproxy", nil)
	tw.shell()
	tw.dir("tmp", 0o1777)
	tw.dir("root", 0o700)
	tw.close()
	run(podman, "import",
		"--change", "ENV PATH=/usr/local/go/bin:/bin", "--change", "ENV HOME=/root", "--change", "ENV GOTOOLCHAIN=local",
		"--change", "ENV GOFLAGS=-buildvcs=false",
		filepath.Join(work, "builder.tar"), builder)
	rmi(builder)

	// the runtime: what distroless' static:nonroot has that matters here
	runtimeImg := "localhost/trafofn-imagetest-static:" + tag
	tw = newTarball(t, filepath.Join(work, "runtime.tar"))
	tw.file("etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n", 0o644)
	tw.file("etc/group", "root:x:0:\nnonroot:x:65532:\n", 0o644)
	tw.dir("tmp", 0o1777)
	tw.dir("home/nonroot", 0o700)
	tw.close()
	run(podman, "import", filepath.Join(work, "runtime.tar"), runtimeImg)
	rmi(runtimeImg)

	image := "localhost/trafofn-imagetest:" + tag
	version := "imagetest-" + tag
	start := time.Now()
	// the build stage compiles with this machine's Go build cache (content-addressed, so
	// sharing it changes nothing but the time: minutes on two cores without it)
	gocache := strings.TrimSpace(string(run("go", "env", "GOCACHE")))
	run(podman, "build", "--isolation", "chroot", "--format", "docker", "--pull=never", "--layers=false",
		"--volume", gocache+":/root/.cache/go-build",
		"--build-arg", "GO_IMAGE="+builder, "--build-arg", "RUNTIME_IMAGE="+runtimeImg,
		"--build-arg", "GOPROXY=file:///goproxy", "--build-arg", "VERSION="+version,
		"-t", image, "-f", filepath.Join(root, "Dockerfile"), root)
	rmi(image)
	t.Logf("podman build took %s", time.Since(start).Round(time.Second))

	var inspect []struct {
		Config struct {
			User         string
			Entrypoint   []string
			Cmd          []string
			ExposedPorts map[string]any
			Labels       map[string]string
		}
		HealthCheck *struct{ Test []string }
	}
	if err := json.Unmarshal(run(podman, "image", "inspect", image), &inspect); err != nil || len(inspect) != 1 {
		t.Fatalf("podman image inspect: %v", err)
	}
	cfg := inspect[0].Config
	if cfg.User != fmt.Sprintf("%d:%d", ImageUID, ImageUID) {
		t.Errorf("image user %q, want %d:%d", cfg.User, ImageUID, ImageUID)
	}
	if _, ok := cfg.ExposedPorts["8080/tcp"]; !ok || len(cfg.ExposedPorts) != 1 {
		t.Errorf("exposed ports %v, want 8080/tcp", cfg.ExposedPorts)
	}
	if !slices.Equal(cfg.Entrypoint, []string{"/trafofn"}) || !slices.Equal(cfg.Cmd, []string{"serve"}) {
		t.Errorf("entrypoint %v cmd %v, want [/trafofn] [serve]", cfg.Entrypoint, cfg.Cmd)
	}
	if hc := inspect[0].HealthCheck; hc == nil || !slices.Equal(hc.Test, []string{"CMD", "/trafofn", "healthcheck"}) {
		t.Errorf("health check %+v, want CMD /trafofn healthcheck", hc)
	}
	if cfg.Labels["org.opencontainers.image.version"] != version {
		t.Errorf("version label %q, want %q", cfg.Labels["org.opencontainers.image.version"], version)
	}

	// the image's filesystem
	id := strings.TrimSpace(string(run(podman, "create", image)))
	t.Cleanup(func() { _ = exec.Command(podman, "rm", "-f", id).Run() })
	exported := filepath.Join(work, "rootfs.tar")
	run(podman, "export", "-o", exported, id)
	rootfs := filepath.Join(work, "rootfs")
	unpack(t, exported, rootfs)
	// the temporary folders are root's 0700: the image's user must reach its rootfs
	for d := rootfs; d != "/" && strings.HasPrefix(d, os.TempDir()); d = filepath.Dir(d) {
		_ = os.Chmod(d, 0o755)
	}
	entry := filepath.Join(rootfs, cfg.Entrypoint[0])
	if st, err := os.Stat(entry); err != nil || st.Mode()&0o111 == 0 {
		t.Fatalf("entrypoint %s in the image: %v", cfg.Entrypoint[0], err)
	}
	if entries, _ := os.ReadDir(rootfs); len(entries) > 12 {
		names := []string{}
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the runtime image holds more than the binary: %v", names)
	}

	uid, gid := parseUser(t, cfg.User)
	port := freePort(t)
	env := []string{"HETIDA_DESIGNER_KAFKA_ENABLED=false", "HTTP_PORT=" + strconv.Itoa(port), "DRAIN_TIMEOUT=5s"}
	asImageUser := func(args ...string) *exec.Cmd {
		// chroot into the exported filesystem: no libc, no shell, only what the image has
		cmd := exec.CommandContext(ctx, cfg.Entrypoint[0], args...)
		cmd.Path = cfg.Entrypoint[0]
		cmd.Dir = "/"
		cmd.Env = env
		cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: rootfs, Credential: &syscall.Credential{Uid: uid, Gid: gid}}
		return cmd
	}
	out, err := asImageUser("version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), version) {
		t.Fatalf("trafofn version in the image: %v: %s (want %s from the VERSION build argument)", err, out, version)
	}
	srv := asImageUser(cfg.Cmd...)
	var logs bytes.Buffer
	srv.Stdout, srv.Stderr = &logs, &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	defer func() {
		_ = srv.Process.Kill()
	}()
	url := fmt.Sprintf("http://127.0.0.1:%d/readyz", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("the image's entrypoint exited: %v\n%s", err, tail(logs.String(), 4000))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz did not answer 200 within 30s\n%s", tail(logs.String(), 4000))
		}
	}
	if out, err := asImageUser("healthcheck").CombinedOutput(); err != nil {
		t.Errorf("trafofn healthcheck (the image's HEALTHCHECK) failed: %v: %s", err, out)
	}
	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after SIGTERM: %v\n%s", err, tail(logs.String(), 4000))
		}
	case <-time.After(15 * time.Second):
		t.Errorf("still running 15s after SIGTERM")
	}
	if m := regexp.MustCompile(`level=(ERROR|WARN) msg="[^"]*`).FindAllString(logs.String(), -1); len(m) > 0 {
		t.Logf("warnings of the run in the image: %v", m)
	}
}

func randomTag(t *testing.T) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func parseUser(t *testing.T, user string) (uint32, uint32) {
	u, g, _ := strings.Cut(user, ":")
	uid, err1 := strconv.ParseUint(u, 10, 32)
	gid, err2 := strconv.ParseUint(g, 10, 32)
	if err1 != nil || err2 != nil || uid == 0 {
		t.Fatalf("image user %q is not a numeric non-root uid:gid", user)
	}
	return uint32(uid), uint32(gid)
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// tarball writes a root filesystem for podman import.
type tarball struct {
	t    *testing.T
	f    *os.File
	w    *tar.Writer
	dirs map[string]bool
}

func newTarball(t *testing.T, path string) *tarball {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	return &tarball{t: t, f: f, w: tar.NewWriter(f), dirs: map[string]bool{}}
}

func (tb *tarball) parents(name string) {
	if d := filepath.Dir(name); d != "." && !tb.dirs[d] {
		tb.dir(d, 0o755)
	}
}

func (tb *tarball) dir(name string, mode int64) {
	if tb.dirs[name] {
		return
	}
	tb.parents(name)
	tb.dirs[name] = true
	if err := tb.w.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: mode}); err != nil {
		tb.t.Fatal(err)
	}
}

func (tb *tarball) file(name, content string, mode int64) {
	tb.parents(name)
	if err := tb.w.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(content))}); err != nil {
		tb.t.Fatal(err)
	}
	if _, err := io.WriteString(tb.w, content); err != nil {
		tb.t.Fatal(err)
	}
}

// copyFile adds the host file src (symlinks followed) as name.
func (tb *tarball) copyFile(src, name string) {
	f, err := os.Open(src)
	if err != nil {
		tb.t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.parents(name)
	if err := tb.w.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: int64(st.Mode().Perm()), Size: st.Size()}); err != nil {
		tb.t.Fatal(err)
	}
	if _, err := io.Copy(tb.w, f); err != nil {
		tb.t.Fatal(err)
	}
}

// tree adds the host directory src as name, without the top-level entries skip names.
func (tb *tarball) tree(src, name string, skip func(rel string) bool) {
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if skip != nil && rel != "." && !strings.Contains(rel, "/") && skip(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		dst := filepath.Join(name, rel)
		switch {
		case d.IsDir():
			tb.dir(dst, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			tb.parents(dst)
			return tb.w.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: dst, Linkname: target, Mode: 0o777})
		case d.Type().IsRegular():
			tb.copyFile(p, dst)
		}
		return nil
	})
	if err != nil {
		tb.t.Fatal(err)
	}
}

// shell adds /bin/sh (the host's, with the libraries ldd names) for RUN instructions.
func (tb *tarball) shell() {
	sh, err := filepath.EvalSymlinks("/bin/sh")
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.copyFile(sh, "bin/sh")
	out, err := exec.Command("ldd", sh).Output()
	if err != nil {
		tb.t.Fatalf("ldd %s: %v", sh, err)
	}
	for _, m := range regexp.MustCompile(`(/\S+) \(0x`).FindAllStringSubmatch(string(out), -1) {
		tb.copyFile(m[1], strings.TrimPrefix(m[1], "/"))
	}
}

func (tb *tarball) close() {
	if err := tb.w.Close(); err != nil {
		tb.t.Fatal(err)
	}
	if err := tb.f.Close(); err != nil {
		tb.t.Fatal(err)
	}
}

// unpack extracts an exported filesystem (regular files, directories, symlinks).
func unpack(t *testing.T, archive, dst string) {
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dst, filepath.Clean("/"+h.Name))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(name, os.FileMode(h.Mode).Perm()|0o700); err != nil {
				t.Fatal(err)
			}
			_ = os.Chmod(name, h.FileInfo().Mode()&(os.ModePerm|os.ModeSticky))
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			out, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode).Perm())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(out, tr); err != nil {
				t.Fatal(err)
			}
			out.Close()
		case tar.TypeSymlink:
			_ = os.MkdirAll(filepath.Dir(name), 0o755)
			_ = os.Symlink(h.Linkname, name)
		}
	}
}
