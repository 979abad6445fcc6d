package deploycheck

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const root = "../.."

// crdDir is the upstream CRD folder beside the reference cases ($CONFORMANCE_DIR/..,
// which .ci/run exports as an absolute path); without it the tests that need the schemas
// skip, except in CI.
func crdDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CONFORMANCE_DIR")
	if dir == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CONFORMANCE_DIR is not set (CI=true): the CRD schemas in ../shared/k8s-crds are needed")
		}
		t.Skip("CONFORMANCE_DIR is not set: the upstream CRD schemas ($CONFORMANCE_DIR/../k8s-crds) are not available")
	}
	crds := filepath.Join(dir, "..", "k8s-crds")
	if _, err := os.Stat(filepath.Join(crds, "README.md")); err != nil {
		t.Fatalf("the CRD schemas are missing: %v", err)
	}
	return crds
}

var (
	schemasOnce sync.Once
	schemas     *Schemas
	schemasErr  error
)

func loadSchemas(t *testing.T) *Schemas {
	t.Helper()
	dir := crdDir(t)
	schemasOnce.Do(func() { schemas, schemasErr = LoadSchemas(dir) })
	if schemasErr != nil {
		t.Fatal(schemasErr)
	}
	return schemas
}

// mutation replaces old (which must occur exactly once) by new in one file of a copy.
type mutation struct {
	name, file, old, new string
	// want is a fragment of the error that must catch it
	want string
}

// mutated copies the files (relative to root) into a temporary folder with m applied and
// returns the copies' paths in the same order.
func mutated(t *testing.T, files []string, m mutation) []string {
	t.Helper()
	dir := t.TempDir()
	var out []string
	applied := false
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if f == m.file {
			if n := strings.Count(s, m.old); n != 1 {
				t.Fatalf("mutation %s: %q occurs %d times in %s, want once", m.name, m.old, n, f)
			}
			s = strings.Replace(s, m.old, m.new, 1)
			applied = true
		}
		dst := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, dst)
	}
	if !applied {
		t.Fatalf("mutation %s: %s is not among the files", m.name, m.file)
	}
	return out
}

func wantFailure(t *testing.T, m mutation, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("mutation %s passed the checks", m.name)
		return
	}
	t.Logf("mutation %s: %v", m.name, err)
	if !strings.Contains(err.Error(), m.want) {
		t.Errorf("mutation %s failed, but not with %q:\n%v", m.name, m.want, err)
	}
}

func yamlFiles(t *testing.T, dirs ...string) []string {
	t.Helper()
	var out []string
	for _, d := range dirs {
		m, err := filepath.Glob(filepath.Join(root, d, "*.yaml"))
		if err != nil || len(m) == 0 {
			t.Fatalf("%s: no manifests (%v)", d, err)
		}
		for _, f := range m {
			rel, _ := filepath.Rel(root, f)
			out = append(out, rel)
		}
	}
	return out
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckDockerfile(string(b)); err != nil {
		t.Fatal(err)
	}
	for _, m := range []mutation{
		{name: "root user", old: "USER 65532:65532", new: "USER root", want: "numeric non-root uid"},
		{name: "wrong port", old: "EXPOSE 8080", new: "EXPOSE 8081", want: "EXPOSE [8081]"},
		{name: "shell health check", old: `CMD ["/trafofn", "healthcheck"]`, new: `CMD curl -f localhost:8080/readyz`, want: "HEALTHCHECK"},
		{name: "fixed base image", old: "FROM ${RUNTIME_IMAGE}", new: "FROM alpine", want: "build arguments"},
	} {
		s := string(b)
		if strings.Count(s, m.old) != 1 {
			t.Fatalf("mutation %s: %q is not in the Dockerfile once", m.name, m.old)
		}
		wantFailure(t, m, CheckDockerfile(strings.Replace(s, m.old, m.new, 1)))
	}
}

func TestCompose(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(root, "docker-compose.yml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckCompose(ctx, file, b, root); err != nil {
		t.Fatal(err)
	}
	for _, m := range []mutation{
		{name: "unknown field", old: "    read_only: true\n", new: "    read_only: true\n    restart_policy: always\n", want: "restart_policy"},
		{name: "wrong port", old: `"8080:8080"`, new: `"8080:8081"`, want: "trafofn listens on 8080"},
		{name: "unknown env var", old: "      LOG_FORMAT: json\n", new: "      LOG_FORMAT: json\n      HETIDA_DESIGNER_KAFKA_TOPIC: hd-execution-topic\n", want: "HETIDA_DESIGNER_KAFKA_TOPIC is not read by trafofn"},
		{name: "invalid value", old: "DRAIN_TIMEOUT: 25s", new: "DRAIN_TIMEOUT: 25", want: "DRAIN_TIMEOUT"},
		{name: "wrong broker", old: `{"bootstrap_servers": "kafka:19092", "group_id"`, new: `{"bootstrap_servers": "kafka:9092", "group_id"`, want: "kafka:9092 is not advertised"},
		{name: "topic typo", old: "for topic in hd-execution-topic ", new: "for topic in hd-execution-topics ", want: "creates topics"},
		{name: "short grace period", old: "stop_grace_period: 35s", new: "stop_grace_period: 20s", want: "stop_grace_period"},
	} {
		s := string(b)
		if strings.Count(s, m.old) != 1 {
			t.Fatalf("mutation %s: %q is not in docker-compose.yml once", m.name, m.old)
		}
		wantFailure(t, m, CheckCompose(ctx, file, []byte(strings.Replace(s, m.old, m.new, 1)), root))
	}
}

func TestKubernetes(t *testing.T) {
	sch := loadSchemas(t)
	files := yamlFiles(t, "deploy")
	check := func(paths []string) error {
		docs, err := ReadFiles(paths...)
		if err != nil {
			return err
		}
		return CheckKubernetes(docs, sch)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(root, f))
	}
	if err := check(paths); err != nil {
		t.Fatal(err)
	}
	for _, m := range []mutation{
		{name: "unknown field (Deployment)", file: "deploy/deployment.yaml", old: "          imagePullPolicy: IfNotPresent\n", new: "          imagePullPolicy: IfNotPresent\n          imagePullPolicyy: Always\n", want: `unknown field "imagePullPolicyy"`},
		{name: "unknown field (Service)", file: "deploy/service.yaml", old: "      targetPort: http\n", new: "      targetPort: http\n      nodePorts: 30080\n", want: "nodePorts"},
		{name: "unknown field (PDB)", file: "deploy/pdb.yaml", old: "  maxUnavailable: 1\n", new: "  maxUnavailable: 1\n  minUnavailable: 0\n", want: "minUnavailable"},
		{name: "unknown field (ScaledObject)", file: "deploy/scaledobject.yaml", old: "  maxReplicaCount: 8\n", new: "  maxReplicaCount: 8\n  maxReplicas: 8\n", want: "maxReplicas"},
		{name: "unknown trigger field (ScaledObject)", file: "deploy/scaledobject.yaml", old: "    - type: kafka\n", new: "    - type: kafka\n      authRef: {name: x}\n", want: "authRef"},
		{name: "wrong port", file: "deploy/deployment.yaml", old: "containerPort: 8080", new: "containerPort: 8081", want: "trafofn listens on 8080"},
		{name: "wrong service port", file: "deploy/service.yaml", old: "targetPort: http", new: "targetPort: 9090", want: "targetPort 9090"},
		{name: "unknown env var (ConfigMap)", file: "deploy/configmap.yaml", old: "  LOG_FORMAT: json\n", new: "  LOG_FORMAT: json\n  KAFKA_BROKER: kafka-bootstrap.kafka.svc:9092\n", want: "KAFKA_BROKER is not read by trafofn"},
		{name: "unknown env var (container)", file: "deploy/deployment.yaml", old: "          envFrom:\n", new: "          env:\n            - name: TRAFOFN_DEBUG\n              value: \"1\"\n          envFrom:\n", want: "TRAFOFN_DEBUG is not read by trafofn"},
		{name: "probe path", file: "deploy/deployment.yaml", old: "path: /readyz", new: "path: /ready", want: "readinessProbe path"},
		{name: "grace period", file: "deploy/deployment.yaml", old: "terminationGracePeriodSeconds: 40", new: "terminationGracePeriodSeconds: 20", want: "terminationGracePeriodSeconds"},
		{name: "root", file: "deploy/deployment.yaml", old: "runAsUser: 65532", new: "runAsUser: 0", want: "may run as root"},
		{name: "replicas over partitions", file: "deploy/scaledobject.yaml", old: "maxReplicaCount: 8", new: "maxReplicaCount: 12", want: "exceeds the 8 partitions"},
		{name: "lag on another group", file: "deploy/scaledobject.yaml", old: "consumerGroup: trafofn", new: "consumerGroup: hetida", want: "consumerGroup"},
		{name: "scrape port", file: "deploy/deployment.yaml", old: `prometheus.io/port: "8080"`, new: `prometheus.io/port: "9090"`, want: "prometheus.io/port"},
		{name: "scrape path", file: "deploy/deployment.yaml", old: "prometheus.io/path: /metrics", new: "prometheus.io/path: /prometheus", want: "prometheus.io/path"},
		{name: "metrics off", file: "deploy/configmap.yaml", old: "  LOG_FORMAT: json\n", new: "  LOG_FORMAT: json\n  METRICS_ENABLED: \"false\"\n", want: "METRICS_ENABLED=false"},
		{name: "image", file: "deploy/deployment.yaml", old: "image: dev.local/trafofn:dev", new: "image: trafofn:latest", want: "image"},
		{name: "topic", file: "deploy/configmap.yaml", old: "HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC: hd-execution-topic", new: "HETIDA_DESIGNER_KAFKA_CONSUMER_TOPIC: requests", want: "topic"},
	} {
		wantFailure(t, m, check(mutated(t, files, m)))
	}
}

func TestKnative(t *testing.T) {
	sch := loadSchemas(t)
	for _, layout := range []string{LayoutSource, LayoutBroker} {
		t.Run(layout, func(t *testing.T) {
			files := yamlFiles(t, "knative", filepath.Join("knative", layout))
			check := func(paths []string) error {
				docs, err := ReadFiles(paths...)
				if err != nil {
					return err
				}
				return CheckKnative(docs, sch, layout)
			}
			var paths []string
			for _, f := range files {
				paths = append(paths, filepath.Join(root, f))
			}
			if err := check(paths); err != nil {
				t.Fatal(err)
			}
			ms := []mutation{
				{name: "unknown field (Service)", file: "knative/service.yaml", old: "      containerConcurrency: 16\n", new: "      containerConcurrency: 16\n      containerConcurency: 16\n", want: "containerConcurency"},
				{name: "unknown container field (Service)", file: "knative/service.yaml", old: "          args: [\"serve\"]\n", new: "          args: [\"serve\"]\n          lifecycle: {}\n", want: "lifecycle"},
				{name: "unknown field (KafkaSink)", file: "knative/kafkasinks.yaml", old: "  topic: hd-execution-response-topic\n", new: "  topic: hd-execution-response-topic\n  partitions: 8\n", want: "partitions"},
				{name: "wrong port", file: "knative/service.yaml", old: "              path: /readyz\n", new: "              path: /readyz\n              port: 9090\n", want: "port 9090 is not the container port 8080"},
				{name: "HTTP_PORT against Knative's PORT", file: "knative/service.yaml", old: "          env:\n", new: "          env:\n            - name: HTTP_PORT\n              value: \"9090\"\n", want: "trafofn listens on 9090"},
				{name: "unknown env var", file: "knative/service.yaml", old: "          env:\n", new: "          env:\n            - name: KAFKA_TOPIC\n              value: hd-execution-topic\n", want: "KAFKA_TOPIC is not read by trafofn"},
				{name: "image", file: "knative/service.yaml", old: "image: dev.local/trafofn:dev", new: "image: ghcr.io/x/trafofn:dev", want: "image"},
				{name: "timeout", file: "knative/service.yaml", old: "timeoutSeconds: 120", new: "timeoutSeconds: 30", want: "timeoutSeconds"},
				{name: "concurrency", file: "knative/service.yaml", old: "containerConcurrency: 16", new: "containerConcurrency: 32", want: "containerConcurrency"},
				{name: "reply topic", file: "knative/kafkasinks.yaml", old: "topic: hd-execution-response-topic", new: "topic: hd-execution-responses", want: "response topic"},
			}
			switch layout {
			case LayoutSource:
				ms = append(ms,
					mutation{name: "unknown field (KafkaSource)", file: "knative/source/kafkasource.yaml", old: "  ordering: ordered\n", new: "  ordering: ordered\n  orderring: ordered\n", want: "orderring"},
					mutation{name: "unknown field (SinkBinding)", file: "knative/source/sinkbinding.yaml", old: "    name: trafofn\n", new: "    name: trafofn\n    uid: x\n", want: "uid"},
					mutation{name: "request topic", file: "knative/source/kafkasource.yaml", old: "    - hd-execution-topic\n", new: "    - hd-execution-topics\n", want: "request topic"},
					mutation{name: "unordered", file: "knative/source/kafkasource.yaml", old: "ordering: ordered", new: "ordering: unordered", want: "ordering"},
					mutation{name: "dangling sink", file: "knative/source/sinkbinding.yaml", old: "      name: trafofn-replies\n", new: "      name: trafofn-reply\n", want: "does not define"},
					mutation{name: "bad enum (KafkaSink)", file: "knative/kafkasinks.yaml", old: "  contentMode: binary\n---", new: "  contentMode: text\n---", want: "contentMode"},
				)
			case LayoutBroker:
				ms = append(ms,
					mutation{name: "unknown field (Trigger, preserve-unknown spec)", file: "knative/broker/triggers.yaml", old: "  broker: trafofn\n  filter:\n    attributes:\n      type: dev.knative.kafka.event\n", new: "  broker: trafofn\n  filterz: {}\n  filter:\n    attributes:\n      type: dev.knative.kafka.event\n", want: "filterz"},
					mutation{name: "unknown field (Broker)", file: "knative/broker/broker.yaml", old: "    retry: 5\n", new: "    retry: 5\n    retries: 5\n", want: "retries"},
					mutation{name: "reply loop", file: "knative/broker/triggers.yaml", old: "      type: dev.knative.kafka.event\n", new: "      type: trafofn.execution.response\n", want: "loop"},
					mutation{name: "broker class", file: "knative/broker/broker.yaml", old: "broker.class: Kafka", new: "broker.class: MTChannelBasedBroker", want: "broker.class"},
				)
			}
			for _, m := range ms {
				wantFailure(t, m, check(mutated(t, files, m)))
			}
		})
	}
}

// The schemas are made strict where the CRDs are open: Trigger's spec is
// x-kubernetes-preserve-unknown-fields upstream, a KafkaSource's root is not.
func TestSchemasAreStrict(t *testing.T) {
	sch := loadSchemas(t)
	for _, tc := range []struct{ name, doc string }{
		{"unknown root field", "apiVersion: sources.knative.dev/v1beta1\nkind: KafkaSource\nmetadata: {name: x}\nspec: {bootstrapServers: [a], topics: [t]}\nextra: 1\n"},
		{"wrong apiVersion", "apiVersion: sources.knative.dev/v1beta1\nkind: KafkaSink\nmetadata: {name: x}\nspec: {topic: t, bootstrapServers: [a]}\n"},
		{"missing required", "apiVersion: eventing.knative.dev/v1alpha1\nkind: KafkaSink\nmetadata: {name: x}\nspec: {topic: t}\n"},
		{"unknown metadata field", "apiVersion: eventing.knative.dev/v1alpha1\nkind: KafkaSink\nmetadata: {name: x, label: {a: b}}\nspec: {topic: t, bootstrapServers: [a]}\n"},
		{"preserve-unknown spec", "apiVersion: eventing.knative.dev/v1\nkind: Trigger\nmetadata: {name: x}\nspec: {broker: b, subscriber: {uri: 'http://x'}, unknown: 1}\n"},
		{"wrong type", "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: {name: x}\nspec: {scaleTargetRef: {name: d}, maxReplicaCount: '8', triggers: [{type: kafka, metadata: {}}]}\n"},
	} {
		docs, err := ParseDocs(tc.name, []byte(tc.doc))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(docs[0]); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	ok := "apiVersion: eventing.knative.dev/v1alpha1\nkind: KafkaSink\nmetadata: {name: x}\nspec: {topic: t, bootstrapServers: [a]}\n"
	docs, _ := ParseDocs("ok", []byte(ok))
	if err := sch.Validate(docs[0]); err != nil {
		t.Errorf("a minimal KafkaSink: %v", err)
	}
}

// Duplicate keys are errors, as with kubectl's strict decoding.
func TestDuplicateKeys(t *testing.T) {
	if _, err := ParseDocs("dup", []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {A: '1'}\ndata: {B: '2'}\n")); err == nil {
		t.Error("a duplicate key was accepted")
	}
}
