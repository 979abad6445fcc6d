package kafka

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cloudevents/sdk-go/v2/event"
	"github.com/google/uuid"

	"github.com/trafofn/trafofn/function"
)

// ConsumptionMode is hetida's Kafka consumption mode: one fixed transformation and
// wiring executed for every message of one topic, a streaming pipeline element. The
// wiring's kafka inputs name one Kafka config (whose topic is consumed) and one message
// identifier; each message is handed to the execution (the Kafka adapter loads those
// inputs from it instead of consuming), and the outputs go wherever the wiring sends them
// (a Kafka output: a message produced and acknowledged before the execution ends).
//
// trafofn runs the mode on its Kafka source, so the source's guarantees hold: a message's
// offset is committed only after its execution finished, its outputs were acknowledged
// and its reply (the execution response, on the response topic) too; after a crash the
// messages since the last commit are executed again (their outputs may then appear twice;
// nothing is lost). A message that is not a Kafka-adapter message gets a failure reply
// and is dead-lettered; a failed execution gets its failure reply and consumption goes on.
type ConsumptionMode struct {
	TransformationID     string
	Wiring               json.RawMessage
	RunPurePlotOperators bool
	// ConfigKey and Config are the Kafka config of the kafka inputs, whose topic is
	// consumed; Multi tells whether its messages are multi-value messages.
	ConfigKey string
	Config    Config
	Multi     bool
	Logger    *slog.Logger
}

// wiringInputs is what the mode reads of the wiring.
type wiringInputs struct {
	InputWirings []struct {
		Name    string             `json:"workflow_input_name"`
		Adapter any                `json:"adapter_id"`
		RefID   *string            `json:"ref_id"`
		RefKey  *string            `json:"ref_key"`
		Filters map[string]*string `json:"filters"`
	} `json:"input_wirings"`
}

// NewConsumptionMode checks the mode's wiring as hetida does at start-up: kafka input
// wirings exist, name one consumable Kafka config and one message identifier, and are
// either one single-value input or all multi-value inputs (each with a value key).
func NewConsumptionMode(id string, wiring json.RawMessage, runPlots bool, configs map[string]Config, log *slog.Logger) (*ConsumptionMode, error) {
	var w wiringInputs
	if err := json.Unmarshal(wiring, &w); err != nil {
		return nil, fmt.Errorf("the wiring is not a wiring object: %w", err)
	}
	m := &ConsumptionMode{TransformationID: id, Wiring: wiring, RunPurePlotOperators: runPlots, Logger: log}
	if m.Logger == nil {
		m.Logger = slog.New(slog.DiscardHandler)
	}
	keys, idents := map[string]bool{}, map[string]bool{}
	valueKeys := map[string]bool{}
	first, n := "", 0
	for _, iw := range w.InputWirings {
		if iw.Adapter != ID {
			continue
		}
		ref := iw.RefKey
		if ref == nil {
			ref = iw.RefID
		}
		if ref == nil {
			return nil, fmt.Errorf("the kafka input wiring of %q names no Kafka id (ref_id or ref_key)", iw.Name)
		}
		key, cfg, _, err := ParseID(*ref, configs)
		if err != nil {
			return nil, fmt.Errorf("the kafka input wiring of %q: %w", iw.Name, err)
		}
		if !cfg.Consumable {
			return nil, fmt.Errorf("the Kafka config %q of input %q does not allow consumption (consumable: false)", key, iw.Name)
		}
		vk := ""
		if p := iw.Filters["message_value_key"]; p != nil {
			vk = *p
		}
		ident, valueKey := SplitValueKey(vk)
		if n == 0 {
			first = valueKey
			m.ConfigKey, m.Config = key, cfg
		}
		n++
		keys[key], idents[ident], valueKeys[valueKey] = true, true, true
	}
	switch {
	case n == 0:
		return nil, errors.New("No kafka input wirings in provided wiring for kafka consumption mode!")
	case len(keys) > 1:
		return nil, errors.New("More than one kafka_config present in input wirings configured for kafka adapter consumption mode. Kafka adapter consumption mode can only listen to one topic from one kafka_config.")
	case len(idents) > 1:
		return nil, errors.New("More than one message identifier in the message_value_key filters of the kafka input wirings of kafka adapter consumption mode: it consumes one topic of one kafka_config and runs on one message at a time.")
	}
	m.Multi = len(valueKeys) > 1 || first != ""
	if m.Multi && valueKeys[""] {
		return nil, errors.New("Detected multi value kafka message input wiring during kafka consumption mode. In this case there are no additional single value input wirings allowed.")
	}
	return m, nil
}

// Request is the execution request of one message: the mode's transformation and
// wiring under a new job id (the message's own job id is only logged, as by hetida).
func (m *ConsumptionMode) Request(jobID string) []byte {
	type req struct {
		ID                   string          `json:"id"`
		Wiring               json.RawMessage `json:"wiring"`
		RunPurePlotOperators bool            `json:"run_pure_plot_operators"`
		JobID                string          `json:"job_id"`
	}
	b, _ := json.Marshal(req{m.TransformationID, m.Wiring, m.RunPurePlotOperators, jobID})
	return b
}

// Handler turns each consumed record into an execution of the mode's transformation
// with the record's message bound to ctx (WithMessage), handled by next (the function
// with its middlewares). A record that is no Kafka-adapter message is answered by fail
// as a request that cannot be parsed, which the Kafka source dead-letters.
func (m *ConsumptionMode) Handler(next function.Handler, fail function.FailFunc) function.Handler {
	return function.HandlerFunc(func(ctx context.Context, e event.Event) (*event.Event, error) {
		msg, err := ParseMessage(e.Data(), m.Multi)
		if err != nil {
			kind := "single-value"
			if m.Multi {
				kind = "multi-value"
			}
			return fail(e, function.ErrTypeRequestParse, fmt.Sprintf("Kafka consumption mode: the record is not a %s Kafka-adapter message: %v", kind, err)), nil
		}
		jobID := uuid.NewString()
		req := e.Clone()
		if err := req.SetData(event.ApplicationJSON, m.Request(jobID)); err != nil {
			return fail(e, "InternalError", err.Error()), nil
		}
		var key []byte
		if k, ok := e.Extensions()[function.ExtPartitionKey].(string); ok {
			key = []byte(k)
		}
		m.Logger.Info("kafka consumption mode: executing", "transformation", m.TransformationID, "job_id", jobID, "message_job_id", msg.JobID, "record", e.ID())
		return next.Handle(WithMessage(ctx, m.ConfigKey, msg, key), req)
	})
}
