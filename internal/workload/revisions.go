package workload

import (
	"fmt"

	"github.com/google/uuid"
)

// PassThroughFloatID is the native Pass Through (Float) component.
const PassThroughFloatID = "2f511674-f766-748d-2de3-ad5e62e10a1a"

// Revision describes a small workflow revision for tests: one Pass Through (Float)
// operator between a FLOAT input "x" and a FLOAT output named Output, so that the output
// name tells which revision ran.
type Revision struct {
	ID, GroupID string
	State       string // DRAFT, RELEASED or DISABLED
	Released    string // RFC 3339; empty for DRAFT
	Output      string
	Version     string
}

// WorkflowJSON renders the revision in hetida's export format.
func (r Revision) WorkflowJSON() []byte {
	u := func(s string) string { return uuid.NewSHA1(uuid.NameSpaceOID, []byte(r.ID+s)).String() }
	op, in, out, cin, cout := u("op"), u("in"), u("out"), u("cin"), u("cout")
	released := ""
	if r.Released != "" {
		released = fmt.Sprintf(`"released_timestamp": %q,`, r.Released)
		if r.State == "DISABLED" {
			released += fmt.Sprintf(`"disabled_timestamp": %q,`, r.Released)
		}
	}
	version := r.Version
	if version == "" {
		version = "1.0.0"
	}
	return []byte(fmt.Sprintf(`{
  "id": %q, "revision_group_id": %q, "name": "Test Pass Through Workflow", "category": "Test",
  "version_tag": %q, "state": %q, "type": "WORKFLOW", %s
  "io_interface": {"inputs": [], "outputs": []},
  "content": {
    "operators": [{"id": %q, "name": "Pass Through (Float)", "type": "COMPONENT", "state": "RELEASED",
      "version_tag": "1.0.0", "revision_group_id": %q, "transformation_id": %q,
      "inputs": [{"id": %q, "name": "input", "data_type": "FLOAT", "type": "REQUIRED", "exposed": true}],
      "outputs": [{"id": %q, "name": "output", "data_type": "FLOAT"}]}],
    "links": [],
    "constants": [],
    "inputs": [{"id": %q, "name": "x", "data_type": "FLOAT", "operator_id": %q, "connector_id": %q, "connector_name": "input", "type": "REQUIRED"}],
    "outputs": [{"id": %q, "name": %q, "data_type": "FLOAT", "operator_id": %q, "connector_id": %q, "connector_name": "output"}]
  },
  "test_wiring": {"input_wirings": [{"workflow_input_name": "x", "adapter_id": "direct_provisioning", "filters": {"value": "1.5"}}], "output_wirings": []}
}`, r.ID, r.GroupID, version, r.State, released, op, PassThroughFloatID, PassThroughFloatID, cin, cout, in, op, cin, out, r.Output, op, cout))
}

// LatestRequest is an ExecLatestByGroupIdInput for such a revision group with x = value.
func LatestRequest(groupID, value, jobID string) []byte {
	return []byte(fmt.Sprintf(`{"revision_group_id": %q, "wiring": {"input_wirings": [{"workflow_input_name": "x", "adapter_id": "direct_provisioning", "filters": {"value": %q}}], "output_wirings": []}, "job_id": %q}`, groupID, value, jobID))
}
