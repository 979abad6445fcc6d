package deploycheck

import (
	"encoding/json"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/config"
)

// Knative layouts (see the README): both share knative/*.yaml (the Service and the
// KafkaSinks); Source adds knative/source/ (KafkaSource → Service, SinkBinding → K_SINK),
// Broker adds knative/broker/ (KafkaSource → Kafka Broker → Triggers).
const (
	LayoutSource = "source"
	LayoutBroker = "broker"
)

// reference is a Knative duck KReference (sink, subscriber, deadLetterSink, subject).
type reference struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	Namespace  string `json:"namespace"`
}

type destination struct {
	Ref *reference `json:"ref"`
	URI string     `json:"uri"`
}

// CheckKnative checks one Knative layout: schemas and strict decoding, then the wiring:
// every reference resolves to an object of the layout, topics are the ones trafofn's
// defaults name, the Service's pod is checked like deploy/'s and its timeouts and
// concurrency fit trafofn's.
func CheckKnative(docs []Doc, schemas *Schemas, layout string) error {
	core, err := Validate(docs, schemas)
	if err != nil {
		return err
	}
	var p problems
	defaults := Defaults()
	services := find(docs, "serving.knative.dev/v1", "Service", "")
	if len(services) != 1 {
		p.add("knative: want one Knative Service, found %d", len(services))
		return p.err()
	}
	svc := services[0]
	checkKnativeService(&p, svc, core)

	// every object in one namespace
	checkNamespaces(&p, docs, core)
	resolve := func(where string, d *destination, kinds ...string) *Doc {
		if d == nil || d.Ref == nil {
			p.add("%s: no ref (a URI bypasses the cluster's addressing)", where)
			return nil
		}
		if d.Ref.Namespace != "" && d.Ref.Namespace != svc.Namespace {
			p.add("%s: ref namespace %s, not %s", where, d.Ref.Namespace, svc.Namespace)
		}
		ok := false
		for _, k := range kinds {
			ok = ok || k == d.Ref.APIVersion+" "+d.Ref.Kind
		}
		if !ok {
			p.add("%s: ref to %s %s, want one of %v", where, d.Ref.APIVersion, d.Ref.Kind, kinds)
			return nil
		}
		found := find(docs, d.Ref.APIVersion, d.Ref.Kind, d.Ref.Name)
		if len(found) != 1 {
			p.add("%s: ref to %s %s, which the layout does not define", where, d.Ref.Kind, d.Ref.Name)
			return nil
		}
		return &found[0]
	}
	const (
		kService  = "serving.knative.dev/v1 Service"
		kSink     = "eventing.knative.dev/v1alpha1 KafkaSink"
		kBroker   = "eventing.knative.dev/v1 Broker"
		kTrigger  = "eventing.knative.dev/v1 Trigger"
		kConfigMp = "v1 ConfigMap"
	)
	sinkTopic := func(d *Doc) string { return str(d.Object, "spec", "topic") }
	var bootstrap []string
	sameBootstrap := func(where string, servers []string) {
		if bootstrap == nil {
			bootstrap = servers
		} else if !sameStrings(bootstrap, servers) {
			p.add("%s: bootstrap servers %v differ from %v", where, servers, bootstrap)
		}
	}
	for _, d := range find(docs, "eventing.knative.dev/v1alpha1", "KafkaSink", "") {
		sameBootstrap(d.String(), stringList(d.Object, "spec", "bootstrapServers"))
		if str(d.Object, "spec", "contentMode") != "binary" {
			p.add("%s: contentMode must be binary: the record value is then the response JSON, as trafofn's own Kafka replies", d)
		}
	}
	replySinks, deadLetterSinks := 0, 0
	checkDelivery := func(where string, obj map[string]any) {
		var dl struct {
			Spec struct {
				Delivery *struct {
					DeadLetterSink *destination `json:"deadLetterSink"`
				} `json:"delivery"`
			} `json:"spec"`
		}
		b, _ := json.Marshal(obj)
		_ = json.Unmarshal(b, &dl)
		if dl.Spec.Delivery == nil || dl.Spec.Delivery.DeadLetterSink == nil {
			p.add("%s: no delivery.deadLetterSink: events that fail their retries would be dropped", where)
			return
		}
		if s := resolve(where+" deadLetterSink", dl.Spec.Delivery.DeadLetterSink, kSink); s != nil {
			deadLetterSinks++
			if sinkTopic(s) != defaults.DeadLetterTopic {
				p.add("%s: dead letters go to topic %s, trafofn's dead-letter topic is %s", where, sinkTopic(s), defaults.DeadLetterTopic)
			}
		}
	}
	sources := find(docs, "sources.knative.dev/v1beta1", "KafkaSource", "")
	if len(sources) != 1 {
		p.add("knative %s: want one KafkaSource (sources.knative.dev/v1beta1), found %d", layout, len(sources))
	}
	for _, d := range sources {
		var ks struct {
			Spec struct {
				BootstrapServers []string     `json:"bootstrapServers"`
				Topics           []string     `json:"topics"`
				ConsumerGroup    string       `json:"consumerGroup"`
				Ordering         string       `json:"ordering"`
				Sink             *destination `json:"sink"`
			} `json:"spec"`
		}
		_ = json.Unmarshal(d.JSON, &ks)
		sameBootstrap(d.String(), ks.Spec.BootstrapServers)
		if !sameStrings(ks.Spec.Topics, []string{defaults.ConsumerTopic}) {
			p.add("%s: topics %v, want trafofn's request topic %s", d, ks.Spec.Topics, defaults.ConsumerTopic)
		}
		if ks.Spec.ConsumerGroup == "" || ks.Spec.ConsumerGroup == defaults.GroupID {
			p.add("%s: consumerGroup %q must be set and differ from trafofn's own group %q (both would split the partitions)", d, ks.Spec.ConsumerGroup, defaults.GroupID)
		}
		if ks.Spec.Ordering != "ordered" {
			p.add("%s: ordering %q: hetida's requests of a partition are answered in order; use ordered", d, ks.Spec.Ordering)
		}
		want := kService
		if layout == LayoutBroker {
			want = kBroker
		}
		resolve(d.String()+" sink", ks.Spec.Sink, want)
		if layout == LayoutSource {
			checkDelivery(d.String(), d.Object)
		}
	}
	switch layout {
	case LayoutSource:
		bindings := find(docs, "sources.knative.dev/v1", "SinkBinding", "")
		if len(bindings) != 1 {
			p.add("knative source: want one SinkBinding (K_SINK for the replies), found %d", len(bindings))
		}
		for _, d := range bindings {
			var sb struct {
				Spec struct {
					Subject reference    `json:"subject"`
					Sink    *destination `json:"sink"`
				} `json:"spec"`
			}
			_ = json.Unmarshal(d.JSON, &sb)
			subj := sb.Spec.Subject
			if subj.APIVersion+" "+subj.Kind != kService || subj.Name != svc.Name {
				p.add("%s: subject %s %s is not the Knative Service %s", d, subj.Kind, subj.Name, svc.Name)
			}
			if s := resolve(d.String()+" sink", sb.Spec.Sink, kSink); s != nil {
				replySinks++
				if sinkTopic(s) != defaults.ResponseTopic {
					p.add("%s: replies go to topic %s, trafofn's response topic is %s", d, sinkTopic(s), defaults.ResponseTopic)
				}
			}
		}
	case LayoutBroker:
		brokers := find(docs, "eventing.knative.dev/v1", "Broker", "")
		if len(brokers) != 1 {
			p.add("knative broker: want one Broker, found %d", len(brokers))
			return p.err()
		}
		br := brokers[0]
		if str(br.Object, "metadata", "annotations", "eventing.knative.dev/broker.class") != "Kafka" {
			p.add("%s: annotation eventing.knative.dev/broker.class must be Kafka", br)
		}
		var cfgRef reference
		b, _ := json.Marshal(path(br.Object, "spec", "config"))
		_ = json.Unmarshal(b, &cfgRef)
		if cm := resolve(br.String()+" config", &destination{Ref: &cfgRef}, kConfigMp); cm != nil {
			if m := core.configMap(cfgRef.Name); m != nil {
				sameBootstrap(cm.String(), []string{m.Data["bootstrap.servers"]})
			}
		}
		checkDelivery(br.String(), br.Object)
		requests, replies := 0, 0
		for _, d := range find(docs, "eventing.knative.dev/v1", "Trigger", "") {
			var tr struct {
				Spec struct {
					Broker string `json:"broker"`
					Filter struct {
						Attributes map[string]string `json:"attributes"`
					} `json:"filter"`
					Subscriber *destination `json:"subscriber"`
				} `json:"spec"`
			}
			_ = json.Unmarshal(d.JSON, &tr)
			if tr.Spec.Broker != br.Name {
				p.add("%s: broker %q, want %s", d, tr.Spec.Broker, br.Name)
			}
			typ := tr.Spec.Filter.Attributes["type"]
			if typ == "" {
				p.add("%s: filter on the event type: without one trafofn's replies would come back to it", d)
				continue
			}
			target := resolve(d.String()+" subscriber", tr.Spec.Subscriber, kService, kSink)
			if target == nil {
				continue
			}
			switch target.APIVersion + " " + target.Kind {
			case kService:
				requests++
				if typ == function.ReplyType {
					p.add("%s: sends trafofn's own replies (%s) back to it: a loop", d, typ)
				}
			case kSink:
				replies++
				if typ != function.ReplyType {
					p.add("%s: the reply Trigger must select type %s, not %s", d, function.ReplyType, typ)
				}
				if sinkTopic(target) != defaults.ResponseTopic {
					p.add("%s: replies go to topic %s, trafofn's response topic is %s", d, sinkTopic(target), defaults.ResponseTopic)
				}
				replySinks++
			}
		}
		if requests != 1 || replies != 1 {
			p.add("knative broker: want one Trigger to the Service and one for the replies to a KafkaSink, found %d and %d", requests, replies)
		}
		_ = kTrigger
	}
	if replySinks == 0 {
		p.add("knative %s: replies reach no KafkaSink on %s", layout, defaults.ResponseTopic)
	}
	if deadLetterSinks == 0 {
		p.add("knative %s: no dead-letter sink", layout)
	}
	return p.err()
}

// checkKnativeService checks the Knative Service's pod as deploy/'s (Knative sets PORT to
// the container port and K_SERVICE), and that Knative's request timeout and concurrency
// fit trafofn's EXECUTION_TIMEOUT and MAX_IN_FLIGHT.
func checkKnativeService(p *problems, svc Doc, core *Core) *config.Config {
	tmpl := path(svc.Object, "spec", "template", "spec")
	b, _ := json.Marshal(tmpl)
	var spec struct {
		corev1.PodSpec       `json:",inline"`
		ContainerConcurrency *int64 `json:"containerConcurrency,omitempty"`
		TimeoutSeconds       *int64 `json:"timeoutSeconds,omitempty"`
		// Knative's own fields of the template spec
		IdleTimeoutSeconds          *int64 `json:"idleTimeoutSeconds,omitempty"`
		ResponseStartTimeoutSeconds *int64 `json:"responseStartTimeoutSeconds,omitempty"`
	}
	if err := yaml.UnmarshalStrict(b, &spec); err != nil {
		p.add("%s: spec.template.spec: %v", svc, err)
		return nil
	}
	where := svc.String()
	port := "8080"
	if len(spec.Containers) == 1 && len(spec.Containers[0].Ports) == 1 {
		port = strconv.Itoa(int(spec.Containers[0].Ports[0].ContainerPort))
		if n := spec.Containers[0].Ports[0].Name; n != "http1" && n != "h2c" && n != "" {
			p.add("%s: port name %q: Knative knows http1 and h2c", where, n)
		}
	}
	cfg, _, _ := checkPod(p, where, &spec.PodSpec, core, false, "PORT", port, "K_SERVICE", svc.Name)
	if cfg == nil {
		return nil
	}
	if cfg.KafkaEnabled && len(cfg.Brokers) > 0 {
		p.add("%s: under Knative the KafkaSource or Broker consumes Kafka; trafofn's own consumer would take the same records", where)
	}
	if spec.TimeoutSeconds == nil || time.Duration(*spec.TimeoutSeconds)*time.Second <= cfg.ExecutionTimeout {
		p.add("%s: timeoutSeconds must exceed EXECUTION_TIMEOUT (%s), so that a slow execution is answered by trafofn's own TimeoutError", where, cfg.ExecutionTimeout)
	}
	if spec.ContainerConcurrency == nil || *spec.ContainerConcurrency <= 0 || *spec.ContainerConcurrency > int64(cfg.MaxInFlight) {
		p.add("%s: containerConcurrency must be between 1 and MAX_IN_FLIGHT (%d): more would be answered 503 by trafofn instead of queued by Knative", where, cfg.MaxInFlight)
	}
	if _, set := envOf(spec.Containers, "MAX_IN_FLIGHT"); !set {
		p.add("%s: set MAX_IN_FLIGHT explicitly (its default depends on the node's CPUs) to match containerConcurrency", where)
	}
	return cfg
}

func envOf(cs []corev1.Container, name string) (string, bool) {
	for _, c := range cs {
		for _, e := range c.Env {
			if e.Name == name {
				return e.Value, true
			}
		}
	}
	return "", false
}
