package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	goruntime "runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/trafofn/trafofn/function"
	"github.com/trafofn/trafofn/internal/config"
	"github.com/trafofn/trafofn/internal/devbroker"
	"github.com/trafofn/trafofn/internal/gctune"
	"github.com/trafofn/trafofn/internal/telemetry"
	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/objstore"
	"github.com/trafofn/trafofn/sources"
	httpsrc "github.com/trafofn/trafofn/sources/http"
	"github.com/trafofn/trafofn/sources/kafka"
)

const devBrokerAddr = "127.0.0.1:9092"

// app holds what serve wires together; tests build it too.
type app struct {
	cfg      *config.Config
	log      *slog.Logger
	rt       *runtime.Runtime
	fn       *function.Function
	runaways function.Runaways
	stats    function.Stats
	// inFlight bounds the requests of all sources together (MAX_IN_FLIGHT).
	inFlight *function.InFlight
	// grace is how long an execution past its timeout gets before it is abandoned.
	grace time.Duration
	// adapters are the registered adapters (adapters.go); release closes them.
	adapters *adapter.Registry
	release  func()
	// tel: metrics and spans (observe.go)
	tel *telemetry.Telemetry
}

func newApp(cfg *config.Config, log *slog.Logger) (*app, error) {
	return newAppExporting(cfg, log, nil)
}

// newAppExporting is newApp with the spans going to exp when it is set (tests).
func newAppExporting(cfg *config.Config, log *slog.Logger, exp telemetry.SpanExporter) (*app, error) {
	adapters, release, err := newAdapters(cfg, log)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, adapters: adapters, release: release, inFlight: function.NewInFlight(cfg.MaxInFlight), grace: 5 * time.Second}
	if err := a.newTelemetry(exp); err != nil {
		release()
		return nil, err
	}
	env, err := componentEnv(cfg)
	if err != nil {
		release()
		return nil, err
	}
	var hook runtime.OperatorHook
	if tr := a.tel.Tracer(tracerFunction); tr != nil {
		hook = function.OperatorSpans(tr)
	}
	rt, err := runtime.New(runtime.Options{
		TransformationsDirs: cfg.TransformationsDirs,
		MaxPoints:           cfg.MaxPoints,
		HideProcessID:       !cfg.ReportProcessID,
		OperatorHook:        hook,
		Logger:              log,
		Adapters:            adapters,
		Env:                 env,
	})
	if err != nil {
		release()
		return nil, fmt.Errorf("loading transformations: %w", err)
	}
	fn, err := function.New(function.Options{
		Runtime: rt, ServiceName: cfg.Service(), MaxReplyBytes: cfg.MaxReplyBytes,
		HideProcessID: !cfg.ReportProcessID, Logger: log,
	})
	if err != nil {
		release()
		return nil, err
	}
	a.rt, a.fn = rt, fn
	return a, nil
}

// handler is the function with its cross-cutting concerns, the one chain every entry
// point uses: Kafka records, CloudEvents over HTTP, hetida's endpoints and trafofn exec.
// TRAFOFN_HANDLER=echo swaps the execution for the benchmark's echo baseline.
func (a *app) handler() function.Handler {
	var core function.Handler = a.fn
	if a.cfg.Handler == "echo" {
		core = function.Echo(a.cfg.Service())
	}
	return a.chain(core)
}

// chain wraps core in the middlewares, outermost first (tests wrap other cores).
func (a *app) chain(core function.Handler) function.Handler {
	return function.Chain(core,
		function.Recover(a.fn.Fail, a.log),
		function.Observe(&a.stats, a.log, a.observing()),
		function.Timeout(a.cfg.ExecutionTimeout, a.grace, a.fn.Fail, &a.runaways, a.log),
	)
}

// kafkaHandler is h for the Kafka source: it waits for an in-flight slot shared with
// HTTP, and answers records over KAFKA_MAX_RECORD_BYTES without executing them.
func (a *app) kafkaHandler(h function.Handler) function.Handler {
	return function.Chain(h, a.inFlight.Middleware())
}

// httpSource builds the HTTP source: hetida's endpoints through the same handler, the
// in-flight bound shared with Kafka, the timeouts, TLS and authentication.
func (a *app) httpSource(ctx context.Context, sink sources.Sink, readier sources.Readier) (*httpsrc.Server, error) {
	cfg := a.cfg
	var auth httpsrc.Authenticator
	if cfg.UseAuth {
		b, err := httpsrc.NewBearer(ctx, httpsrc.AuthConfig{
			JWKSURL: cfg.AuthPublicKeyURL, Audience: cfg.AuthAudience, Issuer: cfg.AuthIssuer,
			Algorithms: cfg.AuthAlgorithms, RoleKey: cfg.AuthRoleKey, AllowedRole: cfg.AuthAllowedRole, Logger: a.log,
		})
		if err != nil {
			return nil, err
		}
		auth = b
		a.log.Info("HTTP entry points require a bearer token (HD_USE_AUTH)", "keys", httpsrc.Redact(cfg.AuthPublicKeyURL), "allowed_role", cfg.AuthAllowedRole)
	}
	return httpsrc.New(httpsrc.Config{
		Addr:              net.JoinHostPort("", strconv.Itoa(cfg.HTTPListenPort())),
		MaxBodyBytes:      cfg.MaxBodyBytes,
		Sink:              sink,
		HetidaEndpoints:   true,
		InFlight:          a.inFlight,
		Ready:             a.ready(readier),
		Version:           versionString(),
		ShutdownTimeout:   cfg.DrainTimeout,
		ReadHeaderTimeout: cfg.HTTPReadHeaderTimeout,
		ReadTimeout:       cfg.HTTPReadTimeout,
		WriteTimeout:      cfg.HTTPWriteTimeout,
		IdleTimeout:       cfg.HTTPIdleTimeout,
		TLSCertFile:       cfg.HTTPTLSCertFile,
		TLSKeyFile:        cfg.HTTPTLSKeyFile,
		Auth:              auth,
		MetricsHandler:    a.tel.MetricsHandler(),
		Metrics:           a.tel.HTTP,
		Tracer:            a.tel.Tracer(tracerHTTP),
		Adapters:          a.adapters.ListingJSON,
		Catalogue: func(q url.Values) []byte {
			return a.rt.CatalogueJSON(runtime.CatalogueFilter{Type: q.Get("type"), State: q.Get("state"),
				Category: q.Get("category"), RevisionGroupID: q.Get("revision_group_id"), IDs: q["id"]})
		},
		Logger: a.log,
	})
}

// ready reports readiness: transformations loaded (done before serving), the Kafka
// consumer joined its group when Kafka is on, and not too many runaway executions.
func (a *app) ready(consumer sources.Readier) func() error {
	return func() error {
		if n := a.runaways.Count(); a.cfg.UnreadyAfterRunaways > 0 && n >= int64(a.cfg.UnreadyAfterRunaways) {
			return fmt.Errorf("%d executions ignored their timeout and are still running (UNREADY_AFTER_RUNAWAYS=%d); restart this instance", n, a.cfg.UnreadyAfterRunaways)
		}
		if consumer != nil {
			return consumer.Ready()
		}
		return nil
	}
}

func loadConfig(environ []string) (*config.Config, error) {
	cfg, err := config.Load(environ)
	if err != nil {
		return nil, usageError{fmt.Errorf("invalid configuration: %w", err)}
	}
	return cfg, nil
}

// serve runs the function until ctx ends: Kafka and HTTP sources side by side; the first
// source that fails stops the other. After a drain it returns nil (exit status 0).
func serve(ctx context.Context, environ []string, logOut io.Writer) error {
	cfg, err := loadConfig(environ)
	if err != nil {
		return err
	}
	log := cfg.Logger(logOut)
	debug.SetGCPercent(cfg.GCPercent())
	ballast := gctune.Headroom(cfg.GCPercent(), cfg.GCHeapHeadroom)
	defer goruntime.KeepAlive(ballast)
	if cfg.CPUProfile != "" {
		stop, err := startCPUProfile(cfg.CPUProfile)
		if err != nil {
			return usageError{fmt.Errorf("CPU_PROFILE: %w", err)}
		}
		defer stop()
	}
	if cfg.ExecutionTrace != "" {
		stop, err := startExecutionTrace(cfg.ExecutionTrace)
		if err != nil {
			return usageError{fmt.Errorf("EXECUTION_TRACE: %w", err)}
		}
		defer stop()
	}
	for _, ig := range cfg.Ignored {
		log.Warn("ignoring hetida Kafka option", "option", ig)
	}
	start := time.Now()
	a, err := newApp(cfg, log)
	if err != nil {
		return err
	}
	defer a.release()
	defer a.closeTelemetry()
	log.Info("transformations loaded", "revisions", a.rt.Store().Len(), "components", len(a.rt.Components().All()), "took", time.Since(start))

	ctx, cancel := context.WithCancel(ctx) // ends what serve started (key refreshes) when it returns
	defer cancel()
	h := a.handler()

	// hetida's Kafka consumption mode replaces the consumer of execution requests; its
	// Kafka config may name brokers of its own
	mode, err := a.consumptionMode()
	if err != nil {
		return usageError{fmt.Errorf("invalid configuration: %w", err)}
	}
	var consumer *kafka.Consumer
	brokers := cfg.Brokers
	ownBrokers := mode != nil && len(cfg.KafkaAdapter.Configs[mode.ConfigKey].Brokers) > 0
	if cfg.KafkaEnabled && len(brokers) == 0 && !ownBrokers {
		switch {
		case cfg.DevBroker != config.DevBrokerOn && cfg.UnderKnative():
			log.Info("running under Knative without KAFKA_BROKERS: Kafka off, serving HTTP only")
		case devBrokerWanted(cfg, isTerminal(logOut)):
			b, err := ensureDevBroker(ctx, cfg, log)
			if err != nil {
				return err
			}
			if b != nil {
				defer b.Close()
			}
			brokers = []string{devBrokerAddr}
		default:
			return usageError{errNoBrokers}
		}
	}
	if cfg.KafkaEnabled && (len(brokers) > 0 || ownBrokers) {
		kc := kafkaConfig(cfg, brokers, a.fn.Fail, log)
		if mode != nil {
			kc = consumptionKafkaConfig(kc, mode)
		}
		if cfg.KafkaTimingsFile != "" {
			tw, err := newTimingsWriter(cfg.KafkaTimingsFile)
			if err != nil {
				return usageError{fmt.Errorf("KAFKA_TIMINGS_FILE: %w", err)}
			}
			defer tw.Close()
			kc.Timings = tw.Write
		}
		if consumer, err = kafka.New(a.observeKafka(kc)); err != nil {
			return usageError{fmt.Errorf("invalid Kafka configuration: %w", err)}
		}
	}

	var sink sources.Sink
	switch {
	case cfg.KSink != "":
		ks := httpsrc.NewSink(cfg.KSink, nil)
		sink = ks
		log.Info("replies of POST / also go to K_SINK", "url", ks.URL())
	case cfg.ReplyToKafka:
		if len(brokers) == 0 {
			return usageError{errors.New("REPLY_TO_KAFKA=true needs Kafka (KAFKA_BROKERS)")}
		}
		ks, err := kafka.NewSink(ctx, kafkaConfig(cfg, brokers, a.fn.Fail, log))
		if ctx.Err() != nil {
			return nil // stopped during start-up
		}
		if err != nil {
			return fmt.Errorf("reply producer: %w", err)
		}
		defer ks.Close()
		sink = ks
		log.Info("replies of POST / also go to the Kafka response topic", "topic", cfg.ResponseTopic)
	}

	var readier sources.Readier
	if consumer != nil {
		readier = consumer
	}
	hs, err := a.httpSource(ctx, sink, readier)
	if err != nil {
		return usageError{err}
	}
	if !cfg.UseAuth {
		log.Warn("HTTP entry points are open to anyone who reaches the port (HD_USE_AUTH=false)")
	}

	// the first source that fails stops the other
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := hs.Run(gctx, h); err != nil {
			return fmt.Errorf("http source: %w", err)
		}
		return nil
	})
	if consumer != nil {
		// records larger than KAFKA_MAX_RECORD_BYTES are refused by the source itself
		kh := a.kafkaHandler(h)
		if mode != nil {
			kh = mode.Handler(kh, a.fn.Fail)
		}
		g.Go(func() error {
			if err := consumer.Run(gctx, kh); err != nil {
				return fmt.Errorf("kafka source: %w", err)
			}
			return nil
		})
		if kc := consumer.Config(); mode != nil {
			log.Info("Kafka consumption mode: executing the transformation for every message", "transformation", mode.TransformationID,
				"kafka_config", mode.ConfigKey, "brokers", kc.Brokers, "topic", kc.Topic, "group", kc.GroupID, "multi_value", mode.Multi, "replies", kc.ResponseTopic)
		} else {
			log.Info("consuming execution requests", "brokers", brokers, "topic", cfg.ConsumerTopic, "group", cfg.GroupID, "replies", cfg.ResponseTopic)
		}
	}
	log.Info("trafofn started", "version", versionString(), "http_port", cfg.HTTPListenPort(), "startup", time.Since(start))
	<-gctx.Done()
	log.Info("shutting down: draining in-flight executions", "deadline", cfg.DrainTimeout)
	err = g.Wait()
	log.Info("stopped", "ok", a.stats.OK.Load(), "failed", a.stats.Failed.Load(), "retried", a.stats.Faults.Load())
	return err
}

// errNoBrokers: Kafka is on, no brokers are configured, and the development broker may not
// start on its own here.
var errNoBrokers = errors.New("KAFKA_BROKERS is not set: set it to the Kafka brokers, " +
	"or TRAFOFN_DEV_BROKER=true for the in-memory development broker (it loses everything on restart), " +
	"or HETIDA_DESIGNER_KAFKA_ENABLED=false to serve HTTP only")

// devBrokerWanted decides whether a missing KAFKA_BROKERS brings up the development broker
// (or uses a broker already answering on 127.0.0.1:9092). TRAFOFN_DEV_BROKER=true always,
// false never; auto (the default) only for a person at a terminal: the log goes to a
// terminal (interactive) and the process is neither in a Kubernetes pod nor under Knative.
// A container or service that forgot KAFKA_BROKERS thus exits with an error instead of
// serving, ready, from memory.
func devBrokerWanted(cfg *config.Config, interactive bool) bool {
	switch cfg.DevBroker {
	case config.DevBrokerOn:
		return true
	case config.DevBrokerOff:
		return false
	}
	return interactive && !cfg.UnderKubernetes() && !cfg.UnderKnative()
}

// isTerminal reports whether w is a character device other than /dev/null.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
		return false
	}
	return true
}

// ensureDevBroker returns nil when a broker already answers on 127.0.0.1:9092, else starts
// the in-memory development broker there with the request, response and dead-letter topics.
func ensureDevBroker(ctx context.Context, cfg *config.Config, log *slog.Logger) (*devbroker.Broker, error) {
	_, b, err := devbroker.Ensure(ctx, devbroker.Config{
		Addr:       devBrokerAddr,
		Topics:     devTopics(cfg),
		Partitions: 8,
		Logger:     log,
	})
	if err != nil {
		return nil, fmt.Errorf("starting the development broker on %s: %w", devBrokerAddr, err)
	}
	if b == nil {
		log.Info("no KAFKA_BROKERS configured: using the Kafka broker that answers on " + devBrokerAddr)
		return nil, nil
	}
	log.Warn("##########################################################################")
	log.Warn("no KAFKA_BROKERS configured: started an IN-MEMORY DEVELOPMENT Kafka broker on " + devBrokerAddr)
	log.Warn("it keeps nothing across restarts; set KAFKA_BROKERS for a real cluster")
	log.Warn("##########################################################################")
	return b, nil
}

// kafkaConfig maps the environment onto the Kafka source. internal/config has validated
// and normalised every value, so kafka.New accepts what comes from here; fail builds the
// failure replies the source sends itself.
func kafkaConfig(cfg *config.Config, brokers []string, fail function.FailFunc, log *slog.Logger) kafka.Config {
	kc := kafka.Config{
		Brokers:           brokers,
		GroupID:           cfg.GroupID,
		Topic:             cfg.ConsumerTopic,
		ResponseTopic:     cfg.ResponseTopic,
		DeadLetterTopic:   cfg.DeadLetterTopic,
		ClientID:          cfg.ClientID,
		InitialOffset:     cfg.AutoOffsetReset,
		Partitioner:       cfg.Partitioner,
		BalanceStrategy:   cfg.BalanceStrategy,
		SessionTimeout:    cfg.SessionTimeout,
		HeartbeatInterval: min(3*time.Second, cfg.SessionTimeout/3),
		RebalanceTimeout:  cfg.RebalanceTimeout,
		// a revoked partition waits for in-flight executions (bounded by EXECUTION_TIMEOUT)
		// and must hand over before the group's rebalance timeout
		RevokeTimeout:        cfg.RebalanceTimeout - min(15*time.Second, (cfg.RebalanceTimeout-cfg.ExecutionTimeout)/2),
		InFlightPerPartition: cfg.InFlightPerPartition,
		MaxInFlight:          cfg.MaxInFlight,
		MaxLargeInFlight:     cfg.MaxLargeInFlight,
		LargeRecordBytes:     cfg.LargeRecordBytes,
		CommitInterval:       cfg.CommitInterval,
		DrainTimeout:         cfg.DrainTimeout,
		StartupTimeout:       cfg.StartupTimeout,
		ExactlyOnce:          cfg.ExactlyOnce,
		MaxMessageBytes:      cfg.MaxMessageBytes,
		MaxRecordBytes:       cfg.MaxRecordBytes,
		MaxBatchBytes:        cfg.MaxBatchBytes,
		Compression:          cfg.Compression,
		Linger:               cfg.Linger,
		ReadAhead:            cfg.ReadAhead,
		ReadAheadBytes:       cfg.ReadAheadBytes,
		FetchBytes:           cfg.FetchBytes,
		Fail:                 fail,
		Logger:               log,
	}
	kc.TLS.Enable = cfg.TLS
	kc.TLS.CAFile, kc.TLS.CertFile, kc.TLS.KeyFile = cfg.TLSCAFile, cfg.TLSCertFile, cfg.TLSKeyFile
	kc.TLS.ServerName, kc.TLS.InsecureSkipVerify = cfg.TLSServerName, cfg.TLSInsecure
	kc.TLS.SkipHostnameCheck = cfg.TLSSkipHostname
	if cfg.SASL {
		kc.SASL.Mechanism, kc.SASL.User, kc.SASL.Password = cfg.SASLMechanism, cfg.SASLUsername, cfg.SASLPassword
	}
	return kc
}

// startCPUProfile profiles the process until the returned function is called (at exit);
// the file name gets the process id appended so that several instances can share a path.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(fmt.Sprintf("%s.%d", path, os.Getpid()))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// devTopics are the development broker's topics: requests, responses, dead letters and
// the topics of the Kafka adapter's configs.
func devTopics(cfg *config.Config) []string {
	topics := []string{cfg.ConsumerTopic, cfg.ResponseTopic, cfg.DeadLetterTopic}
	for _, c := range cfg.KafkaAdapter.Configs {
		if !slices.Contains(topics, c.Topic) {
			topics = append(topics, c.Topic)
		}
	}
	return topics
}

// componentEnv is what the components that reach outside their inputs get: the object
// store (MODEL_REPO_PATH) and the local Rdatasets copy (RDATASETS_DIR), each an existing
// directory when set; unset, those components fail with an error that names the variable.
func componentEnv(cfg *config.Config) (*component.Env, error) {
	env := &component.Env{}
	if cfg.ModelRepoPath != "" {
		store, err := objstore.New(cfg.ModelRepoPath)
		if err != nil {
			return nil, &config.Error{Var: "MODEL_REPO_PATH", Msg: err.Error()}
		}
		env.Objects = store
	}
	if cfg.RDatasetsDir != "" {
		if st, err := os.Stat(cfg.RDatasetsDir); err != nil {
			return nil, &config.Error{Var: "RDATASETS_DIR", Msg: err.Error()}
		} else if !st.IsDir() {
			return nil, &config.Error{Var: "RDATASETS_DIR", Msg: cfg.RDatasetsDir + " is not a directory"}
		}
		env.RDatasetsDir = cfg.RDatasetsDir
	}
	return env, nil
}
