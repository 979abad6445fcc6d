package main

import (
	"fmt"
	"log/slog"
	"sort"

	"github.com/google/uuid"

	kafkaadapter "github.com/trafofn/trafofn/adapters/kafka"
	"github.com/trafofn/trafofn/internal/config"
	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/adapter"
	"github.com/trafofn/trafofn/sources/kafka"
)

// setupKafkaAdapter registers the Kafka adapter with the configs of HD_KAFKA_CONFIGS
// (always, as hetida does); it is listed when it has configs. Producers connect on first
// use.
func setupKafkaAdapter(cfg *config.Config, log *slog.Logger, reg *adapter.Registry) (func(), error) {
	configs, err := kafkaAdapterConfigs(cfg)
	if err != nil {
		return nil, err
	}
	a := kafkaadapter.New(kafkaadapter.Options{Configs: configs, MaxMessageBytes: cfg.MaxMessageBytes, MaxRecordBytes: cfg.MaxRecordBytes, Logger: log})
	id := adapter.StrID(kafkaadapter.ID)
	reg.RegisterSource(id, a)
	reg.RegisterSink(id, a)
	if len(configs) > 0 {
		reg.Describe(adapter.Info{ID: kafkaadapter.ID, Name: "Kafka Adapter"})
		keys := make([]string, 0, len(configs))
		for k := range configs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			log.Info("kafka adapter config", "key", k, "topic", configs[k].Topic, "brokers", configs[k].Brokers, "consumable", configs[k].Consumable, "producable", configs[k].Producable)
			for _, ig := range cfg.KafkaAdapter.Configs[k].Ignored {
				log.Warn("ignoring a Kafka adapter option", "option", ig)
			}
		}
	}
	return a.Close, nil
}

// kafkaAdapterConfigs maps HD_KAFKA_CONFIGS onto the adapter: the types canonical, and a
// config without bootstrap_servers on trafofn's own brokers (KAFKA_BROKERS, else the
// development broker's address) with trafofn's own TLS and SASL settings.
func kafkaAdapterConfigs(cfg *config.Config) (map[string]kafkaadapter.Config, error) {
	own := kafkaConfig(cfg, cfg.Brokers, nil, nil)
	if len(own.Brokers) == 0 {
		own.Brokers = []string{devBrokerAddr}
	}
	out := make(map[string]kafkaadapter.Config, len(cfg.KafkaAdapter.Configs))
	for key, c := range cfg.KafkaAdapter.Configs {
		kc := kafkaadapter.Config{
			DisplayName: c.DisplayName, Topic: c.Topic, Brokers: c.Brokers, Producable: c.Producable, Consumable: c.Consumable,
			GroupID: c.GroupID, OffsetReset: c.OffsetReset, ClientID: c.ClientID, Compression: c.Compression,
		}
		if c.Types != nil {
			kc.Types = []string{}
			for _, t := range c.Types {
				ct, ok := kafkaadapter.CanonicalType(t)
				if !ok {
					return nil, &config.Error{Var: "HD_KAFKA_CONFIGS", Msg: fmt.Sprintf("config %q: %q is not an external type", key, t)}
				}
				kc.Types = append(kc.Types, ct)
			}
		}
		switch {
		case c.Secured:
			s := c.Security
			kc.TLS = kafka.TLSConfig{Enable: s.TLS, CAFile: s.TLSCAFile, CertFile: s.TLSCertFile, KeyFile: s.TLSKeyFile, SkipHostnameCheck: s.TLSSkipHostname}
			kc.SASL = kafka.SASLConfig{Mechanism: s.SASLMechanism, User: s.SASLUsername, Password: s.SASLPassword}
		case len(c.Brokers) == 0:
			kc.TLS, kc.SASL = own.TLS, own.SASL
		}
		if len(kc.Brokers) == 0 {
			kc.Brokers = own.Brokers
		}
		if kc.ClientID == "" {
			kc.ClientID = cfg.ClientID
		}
		out[key] = kc
	}
	return out, nil
}

// consumptionMode builds hetida's Kafka consumption mode when
// HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE is set (nil otherwise): its wiring checked
// against HD_KAFKA_CONFIGS, its transformation against the catalogue.
func (a *app) consumptionMode() (*kafkaadapter.ConsumptionMode, error) {
	cm := a.cfg.KafkaAdapter.ConsumptionMode
	if cm == nil {
		return nil, nil
	}
	const v = "HETIDA_DESIGNER_KAFKA_CONSUMPTION_MODE"
	configs, err := kafkaAdapterConfigs(a.cfg)
	if err != nil {
		return nil, err
	}
	m, err := kafkaadapter.NewConsumptionMode(cm.ID, cm.Wiring, cm.RunPurePlotOperators, configs, a.log)
	if err != nil {
		return nil, &config.Error{Var: v, Msg: err.Error()}
	}
	req, err := a.rt.DecodeRequest(m.Request(uuid.NewString()), runtime.ByID)
	if err != nil {
		return nil, &config.Error{Var: v, Msg: "not a valid execution request: " + err.Error()}
	}
	if _, err := a.rt.Resolve(req); err != nil {
		return nil, &config.Error{Var: v, Msg: err.Error()}
	}
	return m, nil
}

// consumptionKafkaConfig is the Kafka source of the consumption mode: trafofn's settings
// with the topic, brokers, security, group and offset reset of the mode's Kafka config.
func consumptionKafkaConfig(kc kafka.Config, m *kafkaadapter.ConsumptionMode) kafka.Config {
	c := m.Config
	kc.Topic = c.Topic
	kc.Brokers = c.Brokers
	kc.TLS, kc.SASL = c.TLS, c.SASL
	if c.GroupID != "" {
		kc.GroupID = c.GroupID
	}
	if c.OffsetReset != "" {
		kc.InitialOffset = c.OffsetReset
	}
	return kc
}
