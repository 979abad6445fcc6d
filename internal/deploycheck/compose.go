package deploycheck

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// LoadCompose loads a compose file as `docker compose` does (compose-spec's loader: the
// compose schema, which rejects unknown fields, interpolation, normalisation), with an
// empty environment so that nothing from the caller's leaks in.
func LoadCompose(ctx context.Context, file string, content []byte) (*types.Project, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	details := types.ConfigDetails{
		WorkingDir:  filepath.Dir(abs),
		ConfigFiles: []types.ConfigFile{{Filename: abs, Content: content}},
		Environment: types.Mapping{},
	}
	return loader.LoadWithContext(ctx, details, func(o *loader.Options) {
		o.SetProjectName("trafofn", false)
		o.SkipResolveEnvironment = true
	})
}

// CheckCompose checks docker-compose.yml: trafofn is built from the Dockerfile as Image,
// its environment is read and accepted by trafofn, it publishes the port trafofn listens on,
// its healthcheck is the binary's, it waits for a healthy Kafka and the created topics,
// which are trafofn's topics on the broker it connects to, and that broker is a KRaft
// Kafka advertising that address inside the network and localhost:9092 to the host.
// dockerfileDir is where the build context must resolve to (the repository root).
func CheckCompose(ctx context.Context, file string, content []byte, dockerfileDir string) error {
	proj, err := LoadCompose(ctx, file, content)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	var p problems
	svc, ok := proj.Services["trafofn"]
	if !ok {
		return fmt.Errorf("%s: no service trafofn", file)
	}
	where := file + ": service trafofn"
	if svc.Image != Image {
		p.add("%s: image %q, want %q", where, svc.Image, Image)
	}
	if svc.Build == nil {
		p.add("%s: not built from the Dockerfile", where)
	} else {
		ctxDir, _ := filepath.Abs(dockerfileDir)
		if filepath.Clean(svc.Build.Context) != filepath.Clean(ctxDir) {
			p.add("%s: build context %s is not the repository root %s", where, svc.Build.Context, ctxDir)
		}
		df := svc.Build.Dockerfile
		if df == "" {
			df = "Dockerfile"
		}
		if _, err := os.Stat(filepath.Join(svc.Build.Context, df)); err != nil {
			p.add("%s: %v", where, err)
		}
	}
	env := map[string]string{}
	var names []string
	for k, v := range svc.Environment {
		names = append(names, k)
		if v != nil {
			env[k] = *v
		}
	}
	checkVariables(&p, where, names)
	cfg, err := loadConfig(where, env)
	if err != nil {
		p.addErr(err)
		return p.err()
	}
	published := false
	for _, pc := range svc.Ports {
		if int(pc.Target) != cfg.HTTPListenPort() {
			p.add("%s: port %s:%d, but trafofn listens on %d (HTTP_PORT)", where, pc.Published, pc.Target, cfg.HTTPListenPort())
		} else if pc.Published != "" {
			published = true
		}
	}
	if !published {
		p.add("%s: trafofn's port %d is not published", where, cfg.HTTPListenPort())
	}
	if hc := svc.HealthCheck; hc == nil || !slices.Equal([]string(hc.Test), []string{"CMD", "/trafofn", "healthcheck"}) {
		p.add("%s: healthcheck must be [CMD, /trafofn, healthcheck] (the image has no shell)", where)
	}
	if svc.StopGracePeriod == nil || time.Duration(*svc.StopGracePeriod) <= cfg.DrainTimeout {
		p.add("%s: stop_grace_period must be longer than DRAIN_TIMEOUT (%s)", where, cfg.DrainTimeout)
	}
	if svc.User == "" || strings.HasPrefix(svc.User, "0:") || svc.User == "0" || svc.User == "root" {
		p.add("%s: user %q: run as the image's non-root user", where, svc.User)
	}
	if !svc.ReadOnly {
		p.add("%s: read_only must be true", where)
	}
	if !cfg.KafkaEnabled || len(cfg.Brokers) != 1 {
		p.add("%s: trafofn must consume the compose Kafka (one broker in bootstrap_servers), got %v", where, cfg.Brokers)
		return p.err()
	}
	host, brokerPort, err := net.SplitHostPort(cfg.Brokers[0])
	if err != nil {
		p.add("%s: broker %q: %v", where, cfg.Brokers[0], err)
		return p.err()
	}
	kafka, ok := proj.Services[host]
	if !ok {
		p.add("%s: broker host %s is not a service", where, host)
		return p.err()
	}
	dep := func(name, cond string) {
		if d, ok := svc.DependsOn[name]; !ok || d.Condition != cond {
			p.add("%s: depends_on %s must have condition %s", where, name, cond)
		}
	}
	dep(host, types.ServiceConditionHealthy)
	checkKafka(&p, file+": service "+host, kafka, cfg.Brokers[0], brokerPort)

	topicsDone := false
	for name, s := range proj.Services {
		if name == "trafofn" || name == host {
			continue
		}
		script := strings.Join(append(append([]string{}, s.Entrypoint...), s.Command...), " ")
		ts, err := ParseTopicScript(script)
		if err != nil {
			p.add("%s: service %s: %v", file, name, err)
			continue
		}
		ts.check(&p, file+": service "+name, cfg)
		if ts.Partitions < 2 {
			p.add("%s: service %s: one partition allows no parallelism", file, name)
		}
		if d, ok := s.DependsOn[host]; !ok || d.Condition != types.ServiceConditionHealthy {
			p.add("%s: service %s must wait for a healthy %s", file, name, host)
		}
		if s.Image != kafka.Image {
			p.add("%s: service %s runs %s, the broker %s", file, name, s.Image, kafka.Image)
		}
		dep(name, types.ServiceConditionCompletedSuccessfully)
		topicsDone = true
	}
	if !topicsDone {
		p.add("%s: no one-shot service creating the topics", file)
	}
	return p.err()
}

// checkKafka: the official image in KRaft mode, advertising addr inside the network and
// localhost:9092 on a published port for the host.
func checkKafka(p *problems, where string, kafka types.ServiceConfig, addr, port string) {
	if !strings.HasPrefix(kafka.Image, "apache/kafka:") {
		p.add("%s: image %s, want the official apache/kafka", where, kafka.Image)
	}
	env := func(k string) string {
		if v := kafka.Environment[k]; v != nil {
			return *v
		}
		return ""
	}
	if roles := strings.Split(env("KAFKA_PROCESS_ROLES"), ","); !slices.Contains(roles, "broker") || !slices.Contains(roles, "controller") {
		p.add("%s: KAFKA_PROCESS_ROLES must be broker,controller (one KRaft node)", where)
	}
	if env("KAFKA_CONTROLLER_QUORUM_VOTERS") == "" || env("KAFKA_CONTROLLER_LISTENER_NAMES") == "" {
		p.add("%s: KRaft needs KAFKA_CONTROLLER_QUORUM_VOTERS and KAFKA_CONTROLLER_LISTENER_NAMES", where)
	}
	advertised := map[string]string{} // host:port → listener name
	for _, l := range strings.Split(env("KAFKA_ADVERTISED_LISTENERS"), ",") {
		name, hp, ok := strings.Cut(l, "://")
		if ok {
			advertised[hp] = name
		}
	}
	listeners := map[string]string{} // listener name → port
	for _, l := range strings.Split(env("KAFKA_LISTENERS"), ",") {
		name, hp, ok := strings.Cut(l, "://")
		if ok {
			_, lp, _ := net.SplitHostPort(hp)
			listeners[name] = lp
		}
	}
	internal, ok := advertised[addr]
	if !ok {
		p.add("%s: trafofn's broker address %s is not advertised (KAFKA_ADVERTISED_LISTENERS)", where, addr)
	} else if listeners[internal] != port {
		p.add("%s: listener %s listens on %s, trafofn connects to %s", where, internal, listeners[internal], port)
	}
	external, ok := advertised["localhost:9092"]
	if !ok {
		p.add("%s: no listener advertised as localhost:9092 for clients on the host (kcat)", where)
		return
	}
	pub := false
	for _, pc := range kafka.Ports {
		if strconv.Itoa(int(pc.Target)) == listeners[external] && pc.Published == "9092" {
			pub = true
		}
	}
	if !pub {
		p.add("%s: the host listener %s (port %s) is not published on 9092", where, external, listeners[external])
	}
}
