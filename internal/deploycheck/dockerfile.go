package deploycheck

import (
	"regexp"
	"strconv"
	"strings"
)

// Dockerfile facts the other artefacts rely on.
type Dockerfile struct {
	User       string   // USER
	Expose     []string // EXPOSE
	Entrypoint string   // ENTRYPOINT, exec form, as written
	Health     string   // HEALTHCHECK … CMD, as written
	From       []string // FROM lines' images
	Args       map[string]string
}

var instr = regexp.MustCompile(`(?m)^([A-Z]+)\s+(.*)$`)

// ParseDockerfile reads the instructions this check needs (no line continuations in
// them).
func ParseDockerfile(src string) Dockerfile {
	d := Dockerfile{Args: map[string]string{}}
	for _, m := range instr.FindAllStringSubmatch(src, -1) {
		arg := strings.TrimSpace(m[2])
		switch m[1] {
		case "USER":
			d.User = arg
		case "EXPOSE":
			d.Expose = append(d.Expose, strings.Fields(arg)...)
		case "ENTRYPOINT":
			d.Entrypoint = arg
		case "HEALTHCHECK":
			if _, cmd, ok := strings.Cut(arg, "CMD "); ok {
				d.Health = strings.TrimSpace(cmd)
			}
		case "FROM":
			d.From = append(d.From, strings.Fields(arg)[0])
		case "ARG":
			k, v, _ := strings.Cut(arg, "=")
			if _, seen := d.Args[k]; !seen || v != "" {
				d.Args[k] = v
			}
		}
	}
	return d
}

// CheckDockerfile: base images are build arguments with defaults, the runtime user is a
// numeric non-root uid (what runAsNonRoot can verify, and what the manifests use), the
// port is trafofn's default, and the health check is the binary's own subcommand.
func CheckDockerfile(src string) error {
	var p problems
	d := ParseDockerfile(src)
	if len(d.From) < 2 {
		p.add("Dockerfile: want a builder and a runtime stage, found %d FROM", len(d.From))
	}
	for _, f := range d.From {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "${"), "}")
		if !strings.HasPrefix(f, "${") || d.Args[name] == "" {
			p.add("Dockerfile: FROM %s: base images must be build arguments with a default", f)
		}
	}
	uid, _, _ := strings.Cut(d.User, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		p.add("Dockerfile: USER %q must be a numeric non-root uid", d.User)
	} else if n != ImageUID {
		p.add("Dockerfile: USER %d, the manifests run as %d", n, ImageUID)
	}
	if port := strconv.Itoa(Defaults().HTTPListenPort()); len(d.Expose) != 1 || d.Expose[0] != port {
		p.add("Dockerfile: EXPOSE %v, trafofn listens on %s", d.Expose, port)
	}
	if d.Entrypoint != `["/trafofn"]` {
		p.add("Dockerfile: ENTRYPOINT %s, want [\"/trafofn\"]", d.Entrypoint)
	}
	if d.Health != `["/trafofn", "healthcheck"]` {
		p.add("Dockerfile: HEALTHCHECK CMD %s, want [\"/trafofn\", \"healthcheck\"] (no shell at run time)", d.Health)
	}
	if _, ok := d.Args["VERSION"]; !ok {
		p.add("Dockerfile: no VERSION build argument")
	}
	return p.err()
}

// ImageUID is the runtime image's user (distroless' nonroot).
const ImageUID = 65532
