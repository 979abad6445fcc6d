package deploycheck

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/trafofn/trafofn/internal/config"
)

// CheckKubernetes checks deploy/ (the direct Kafka-binding mode): every document is
// decoded strictly or validated against its CRD, then the objects are cross-checked with
// each other and with the configuration trafofn would run with.
func CheckKubernetes(docs []Doc, schemas *Schemas) error {
	core, err := Validate(docs, schemas)
	if err != nil {
		return err
	}
	var p problems
	if len(core.Deployments) != 1 {
		p.add("deploy: want exactly one Deployment, found %d", len(core.Deployments))
		return p.err()
	}
	dep := core.Deployments[0]
	where := "Deployment " + dep.Name
	cfg, c, port := checkPod(&p, where, &dep.Spec.Template.Spec, core, true)
	if cfg == nil {
		return p.err()
	}
	if !cfg.KafkaEnabled || len(cfg.Brokers) == 0 {
		p.add("%s: the direct mode consumes Kafka: set KAFKA_BROKERS (and keep HETIDA_DESIGNER_KAFKA_ENABLED true)", where)
	}
	tg := dep.Spec.Template.Spec.TerminationGracePeriodSeconds
	if tg == nil || time.Duration(*tg)*time.Second <= cfg.DrainTimeout {
		p.add("%s: terminationGracePeriodSeconds must be longer than DRAIN_TIMEOUT (%s), else SIGKILL cuts the drain", where, cfg.DrainTimeout)
	}
	if dep.Spec.Replicas != nil {
		p.add("%s: spec.replicas is set, but KEDA's HPA owns the replica count (every apply would reset it)", where)
	}
	checkScrape(&p, where, dep.Spec.Template.Annotations, cfg, port)
	podLabels := dep.Spec.Template.Labels
	if dep.Spec.Selector == nil || !selects(dep.Spec.Selector.MatchLabels, podLabels) {
		p.add("%s: the selector does not select the pod template's labels", where)
	}
	for _, svc := range core.Services {
		if !selects(svc.Spec.Selector, podLabels) {
			p.add("Service %s: the selector does not select the Deployment's pods", svc.Name)
		}
		for _, sp := range svc.Spec.Ports {
			if !portMatches(sp.TargetPort, c, port) {
				p.add("Service %s: targetPort %s is not trafofn's port %d (HTTP_PORT)", svc.Name, sp.TargetPort.String(), cfg.HTTPListenPort())
			}
		}
	}
	if len(core.Services) == 0 {
		p.add("deploy: no Service")
	}
	for _, pdb := range core.PDBs {
		if pdb.Spec.Selector == nil || !selects(pdb.Spec.Selector.MatchLabels, podLabels) {
			p.add("PodDisruptionBudget %s: the selector does not select the Deployment's pods", pdb.Name)
		}
		if pdb.Spec.MinAvailable != nil && pdb.Spec.MaxUnavailable == nil {
			p.add("PodDisruptionBudget %s: minAvailable blocks drains when KEDA runs one replica; use maxUnavailable", pdb.Name)
		}
	}
	if len(core.PDBs) == 0 {
		p.add("deploy: no PodDisruptionBudget")
	}
	partitions := 0
	for _, j := range core.Jobs {
		js := &j.Spec.Template.Spec
		for _, jc := range js.Containers {
			ts, err := ParseTopicScript(strings.Join(append(append([]string{}, jc.Command...), jc.Args...), " "))
			if err != nil {
				p.add("Job %s: %v", j.Name, err)
				continue
			}
			partitions = ts.Partitions
			ts.check(&p, "Job "+j.Name, cfg)
			if !nonRoot(js.SecurityContext, jc.SecurityContext) {
				p.add("Job %s: container %s may run as root", j.Name, jc.Name)
			}
		}
	}
	if partitions == 0 {
		p.add("deploy: no Job creating the topics, so the partition count is unknown")
	}
	scaled := find(docs, "keda.sh/v1alpha1", "ScaledObject", "")
	if len(scaled) != 1 {
		p.add("deploy: want one KEDA ScaledObject, found %d", len(scaled))
	}
	for _, d := range scaled {
		checkScaledObject(&p, d, dep, cfg, partitions)
	}
	checkNamespaces(&p, docs, core)
	return p.err()
}

// checkPod checks trafofn's pod: one container running Image, its environment (container
// env and envFrom ConfigMaps) read by trafofn and accepted by it, its port the one trafofn
// listens on, probes on the paths trafofn serves, resources, and a non-root, read-only,
// unprivileged security context. extraEnv is what the platform adds (Knative's PORT).
func checkPod(p *problems, where string, spec *corev1.PodSpec, core *Core, requireTCPPort bool, extraEnv ...string) (*config.Config, *corev1.Container, int32) {
	if len(spec.Containers) != 1 {
		p.add("%s: want one container, found %d", where, len(spec.Containers))
		return nil, nil, 0
	}
	c := &spec.Containers[0]
	if c.Image != Image {
		p.add("%s: image %q, want %q (the image the Dockerfile builds, as the README tags it)", where, c.Image, Image)
	}
	env := map[string]string{}
	var names []string
	for _, ef := range c.EnvFrom {
		if ef.ConfigMapRef == nil {
			continue
		}
		cm := core.configMap(ef.ConfigMapRef.Name)
		if cm == nil {
			if core != nil && len(core.ConfigMaps) > 0 || ef.ConfigMapRef.Optional == nil || !*ef.ConfigMapRef.Optional {
				p.add("%s: envFrom ConfigMap %s is not among the manifests", where, ef.ConfigMapRef.Name)
			}
			continue
		}
		for k, v := range cm.Data {
			env[ef.Prefix+k] = v
			names = append(names, ef.Prefix+k)
		}
	}
	for _, e := range c.Env {
		names = append(names, e.Name)
		if e.ValueFrom == nil {
			env[e.Name] = e.Value
		}
	}
	checkVariables(p, where, names)
	for i := 0; i+1 < len(extraEnv); i += 2 {
		if _, set := env[extraEnv[i]]; !set {
			env[extraEnv[i]] = extraEnv[i+1]
		}
	}
	cfg, err := loadConfig(where, env)
	if err != nil {
		p.addErr(err)
		return nil, c, 0
	}
	if len(c.Ports) != 1 {
		p.add("%s: want one container port, found %d", where, len(c.Ports))
		return cfg, c, 0
	}
	port := c.Ports[0].ContainerPort
	if int(port) != cfg.HTTPListenPort() {
		p.add("%s: containerPort %d, but trafofn listens on %d (HTTP_PORT, else PORT, else 8080)", where, port, cfg.HTTPListenPort())
	}
	probe := func(kind string, pr *corev1.Probe) string {
		if pr == nil || pr.HTTPGet == nil {
			if pr != nil || kind != "startupProbe" {
				p.add("%s: %s must be an httpGet probe", where, kind)
			}
			return ""
		}
		if pr.HTTPGet.Port.String() != "0" || requireTCPPort {
			if !portMatches(pr.HTTPGet.Port, c, port) {
				p.add("%s: %s port %s is not the container port %d", where, kind, pr.HTTPGet.Port.String(), port)
			}
		}
		if pr.HTTPGet.Scheme == corev1.URISchemeHTTPS && cfg.HTTPTLSCertFile == "" {
			p.add("%s: %s uses HTTPS, but HTTP_TLS_CERT_FILE is not set", where, kind)
		}
		return pr.HTTPGet.Path
	}
	checkProbePaths(p, where, probe("readinessProbe", c.ReadinessProbe), probe("livenessProbe", c.LivenessProbe), probe("startupProbe", c.StartupProbe))
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
		p.add("%s: resources need cpu and memory requests and a memory limit", where)
	}
	if !nonRoot(spec.SecurityContext, c.SecurityContext) {
		p.add("%s: the container may run as root: set runAsNonRoot and a non-zero runAsUser", where)
	}
	sc := c.SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		p.add("%s: readOnlyRootFilesystem must be true", where)
	}
	if sc == nil || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		p.add("%s: allowPrivilegeEscalation must be false", where)
	}
	if sc == nil || sc.Capabilities == nil || len(sc.Capabilities.Drop) != 1 || sc.Capabilities.Drop[0] != "ALL" {
		p.add("%s: capabilities must drop ALL", where)
	}
	return cfg, c, port
}

// nonRoot: runAsNonRoot and a non-zero runAsUser, from the container or else the pod.
func nonRoot(pod *corev1.PodSecurityContext, c *corev1.SecurityContext) bool {
	var nr *bool
	var uid *int64
	if pod != nil {
		nr, uid = pod.RunAsNonRoot, pod.RunAsUser
	}
	if c != nil {
		if c.RunAsNonRoot != nil {
			nr = c.RunAsNonRoot
		}
		if c.RunAsUser != nil {
			uid = c.RunAsUser
		}
	}
	return nr != nil && *nr && uid != nil && *uid != 0
}

// portMatches resolves a named or numbered port against the container.
func portMatches(p intstr.IntOrString, c *corev1.Container, port int32) bool {
	if p.Type == intstr.String {
		for _, cp := range c.Ports {
			if cp.Name == p.StrVal {
				return cp.ContainerPort == port
			}
		}
		return false
	}
	return p.IntVal == port
}

func selects(sel, labels map[string]string) bool {
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func checkNamespaces(p *problems, docs []Doc, core *Core) {
	ns := ""
	if len(core.Namespaces) == 1 {
		ns = core.Namespaces[0].Name
	}
	for _, d := range docs {
		if d.Kind == "Namespace" {
			continue
		}
		if d.Namespace == "" || (ns != "" && d.Namespace != ns) {
			p.add("%s: namespace %q, want the manifests' namespace %q", d, d.Namespace, ns)
		}
	}
}

func checkScaledObject(p *problems, d Doc, dep *appsv1.Deployment, cfg *config.Config, partitions int) {
	var so struct {
		Spec struct {
			ScaleTargetRef struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
				Name       string `json:"name"`
			} `json:"scaleTargetRef"`
			MinReplicaCount *int `json:"minReplicaCount"`
			MaxReplicaCount *int `json:"maxReplicaCount"`
			Triggers        []struct {
				Type     string            `json:"type"`
				Metadata map[string]string `json:"metadata"`
			} `json:"triggers"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(d.JSON, &so); err != nil {
		p.add("%s: %v", d, err)
		return
	}
	ref := so.Spec.ScaleTargetRef
	if ref.Name != dep.Name || (ref.Kind != "" && ref.Kind != "Deployment") || (ref.APIVersion != "" && ref.APIVersion != "apps/v1") {
		p.add("%s: scaleTargetRef %s/%s %s is not the Deployment %s", d, ref.APIVersion, ref.Kind, ref.Name, dep.Name)
	}
	if so.Spec.MaxReplicaCount == nil {
		p.add("%s: maxReplicaCount is not set (KEDA's default is 100)", d)
	} else if partitions > 0 && *so.Spec.MaxReplicaCount > partitions {
		p.add("%s: maxReplicaCount %d exceeds the %d partitions of %s: the extra members get no partition", d, *so.Spec.MaxReplicaCount, partitions, cfg.ConsumerTopic)
	}
	if so.Spec.MinReplicaCount != nil && so.Spec.MaxReplicaCount != nil && *so.Spec.MinReplicaCount > *so.Spec.MaxReplicaCount {
		p.add("%s: minReplicaCount exceeds maxReplicaCount", d)
	}
	if len(so.Spec.Triggers) != 1 || so.Spec.Triggers[0].Type != "kafka" {
		p.add("%s: want one trigger of type kafka (consumer-group lag)", d)
		return
	}
	md := so.Spec.Triggers[0].Metadata
	for _, c := range []struct{ key, want, from string }{
		{"topic", cfg.ConsumerTopic, "HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC"},
		{"consumerGroup", cfg.GroupID, "KAFKA_GROUP_ID"},
		{"bootstrapServers", joinHosts(cfg.Brokers), "KAFKA_BROKERS"},
	} {
		if md[c.key] != c.want {
			p.add("%s: trigger %s %q, but trafofn uses %q (%s)", d, c.key, md[c.key], c.want, c.from)
		}
	}
	if n, err := strconv.Atoi(md["lagThreshold"]); err != nil || n <= 0 {
		p.add("%s: lagThreshold %q is not a positive integer", d, md["lagThreshold"])
	}
}

// TopicScript is what a topic-creating command (kafka-topics.sh in a loop) creates.
type TopicScript struct {
	Topics     []string
	Partitions int
	Bootstrap  string
}

var (
	topicLoop  = regexp.MustCompile(`for \w+ in ([^;]+);`)
	partitions = regexp.MustCompile(`--partitions[ =](\d+)`)
	bootstrap  = regexp.MustCompile(`--bootstrap-server[ =](\S+)`)
)

// ParseTopicScript reads the shell loop the compose service and the Job run.
func ParseTopicScript(s string) (TopicScript, error) {
	var ts TopicScript
	if !strings.Contains(s, "kafka-topics.sh") || !strings.Contains(s, "--create") {
		return ts, fmt.Errorf("the command does not create topics with kafka-topics.sh --create")
	}
	m := topicLoop.FindStringSubmatch(s)
	pm := partitions.FindStringSubmatch(s)
	bm := bootstrap.FindStringSubmatch(s)
	if m == nil || pm == nil || bm == nil {
		return ts, fmt.Errorf("the topic command needs a `for topic in …;` loop, --partitions and --bootstrap-server")
	}
	ts.Topics = strings.Fields(m[1])
	ts.Partitions, _ = strconv.Atoi(pm[1])
	ts.Bootstrap = bm[1]
	return ts, nil
}

// check: the topics are the request, response and dead-letter topics of cfg, on its brokers.
func (ts TopicScript) check(p *problems, where string, cfg *config.Config) {
	want := []string{cfg.ConsumerTopic, cfg.ResponseTopic, cfg.DeadLetterTopic}
	if !sameStrings(ts.Topics, want) {
		p.add("%s: creates topics %v, but trafofn uses %v", where, ts.Topics, want)
	}
	if ts.Bootstrap != joinHosts(cfg.Brokers) {
		p.add("%s: creates the topics on %s, but trafofn connects to %s", where, ts.Bootstrap, joinHosts(cfg.Brokers))
	}
	if ts.Partitions < 1 {
		p.add("%s: --partitions must be positive", where)
	}
}

// checkScrape: Prometheus' pod annotations, when present, point at trafofn's port and
// metrics path, and metrics are on.
func checkScrape(p *problems, where string, ann map[string]string, cfg *config.Config, port int32) {
	if ann["prometheus.io/scrape"] != "true" {
		return
	}
	if !cfg.MetricsEnabled {
		p.add("%s: prometheus.io/scrape is true, but METRICS_ENABLED=false", where)
	}
	if pp := ann["prometheus.io/port"]; pp != strconv.Itoa(int(port)) {
		p.add("%s: prometheus.io/port %q is not the container port %d", where, pp, port)
	}
	path := ann["prometheus.io/path"]
	if path == "" {
		path = MetricsPath // Prometheus' default
	}
	if path != MetricsPath {
		p.add("%s: prometheus.io/path %q, trafofn serves %s", where, path, MetricsPath)
	}
	checkServed(p, where, path)
}
