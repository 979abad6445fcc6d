package runtime_test

import (
	"testing"
	"time"

	"github.com/trafofn/trafofn/runtime"
	"github.com/trafofn/trafofn/runtime/component"
	"github.com/trafofn/trafofn/runtime/store"
)

// The runtime hands the store a COMPONENT revision for every native component: the spec's
// metadata, hetida's connector ids, and the embedded example workflow runs on them alone.
func TestCatalogueDescribesNativeComponents(t *testing.T) {
	rt, err := runtime.New(runtime.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, reg := rt.Store(), rt.Components()
	for _, spec := range reg.All() {
		r, ok := s.Get(spec.ID)
		if !ok {
			t.Errorf("native component %s (%s) is not in the catalogue", spec.Name, spec.ID)
			continue
		}
		if r.Type != store.TypeComponent || r.Name != spec.Name || r.Category != spec.Category || r.VersionTag != spec.Version ||
			r.GroupID != spec.Group() || r.State != spec.RevisionState() || r.Origin != "embedded" || r.Workflow != nil {
			t.Errorf("%s: revision %+v does not describe the component", spec.Name, r)
		}
		want, err := time.Parse(time.RFC3339Nano, spec.Released)
		if err != nil || r.Released == nil || !r.Released.Equal(want) {
			t.Errorf("%s: released %v; want %s", spec.Name, r.Released, spec.Released)
		}
		if spec.Disabled != "" {
			want, err := time.Parse(time.RFC3339Nano, spec.Disabled)
			if err != nil || r.Disabled == nil || !r.Disabled.Equal(want) || r.State != store.StateDisabled {
				t.Errorf("%s: disabled %v (%s); want %s", spec.Name, r.Disabled, r.State, spec.Disabled)
			}
		}
		checkPorts(t, spec.Name+" inputs", r.Inputs, spec.In, store.InputID)
		checkPorts(t, spec.Name+" outputs", r.Outputs, spec.Out, store.OutputID)
	}
	// connector ids follow hetida's seeding of .py components (hetida-contract §4.3)
	pass, _ := s.Get(passFloatID)
	if pass.Inputs[0].ID != "ce239219-0904-cc9c-49ab-e8da698ede00" || pass.Outputs[0].ID != "3c2eb0e4-871f-885f-a409-1d21ddc4a2b3" {
		t.Errorf("Pass Through (Float) io ids %s / %s", pass.Inputs[0].ID, pass.Outputs[0].ID)
	}
	const volatilityID = "79ce1eb1-3ef8-4c74-9114-c856fd88dc89"
	v, ok := s.Get(volatilityID)
	if !ok || v.Workflow == nil {
		t.Fatal("the Volatility Detection Example is not embedded")
	}
	for _, op := range v.Workflow.Operators {
		if _, ok := reg.Get(op.TransformationID); !ok {
			t.Errorf("volatility operator %s uses %s, which has no native implementation", op.Name, op.TransformationID)
		}
	}
	// besides the native components the embedded catalogue holds example workflows only
	for _, r := range s.All() {
		if _, native := reg.Get(r.ID); !native && (r.Type != store.TypeWorkflow || r.Origin != "embedded") {
			t.Errorf("the catalogue holds %s %s (%s) from %s", r.Type, r.Name, r.ID, r.Origin)
		}
	}
}

func checkPorts(t *testing.T, what string, got []store.IO, want []component.Port, id func(string) string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d ports; want %d", what, len(got), len(want))
		return
	}
	for i := range got {
		if got[i].ID != id(want[i].Name) || got[i].Name != want[i].Name || got[i].Type != want[i].Type || got[i].Optional != want[i].Optional || got[i].Default != want[i].Default {
			t.Errorf("%s[%d] = %+v; want %+v", what, i, got[i], want[i])
		}
	}
}
