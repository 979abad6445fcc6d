package runtime

import (
	"slices"
	"time"

	"github.com/trafofn/trafofn/runtime/data"
	"github.com/trafofn/trafofn/runtime/store"
	"github.com/trafofn/trafofn/runtime/wire"
)

// CatalogueFilter selects revisions for the catalogue listing, like the query parameters
// of hetida's GET /api/transformations; empty fields match everything.
type CatalogueFilter struct {
	Type            string   // COMPONENT or WORKFLOW
	State           string   // DRAFT, RELEASED or DISABLED
	Category        string   // exact category
	RevisionGroupID string   // one revision group
	IDs             []string // revision ids
}

func (f CatalogueFilter) match(r *store.Revision) bool {
	return (f.Type == "" || f.Type == r.Type) && (f.State == "" || f.State == r.State) &&
		(f.Category == "" || f.Category == r.Category) &&
		(f.RevisionGroupID == "" || f.RevisionGroupID == r.GroupID) &&
		(len(f.IDs) == 0 || slices.Contains(f.IDs, r.ID))
}

// CatalogueJSON lists the catalogue as hetida's backend lists transformation revisions:
// a JSON array of {id, revision_group_id, name, description, category, version_tag,
// released_timestamp, disabled_timestamp, state, type, io_interface, test_wiring}, ordered
// by type, category and name. Workflow content and component code are not listed (trafofn
// runs components natively; there is no code to show).
func (rt *Runtime) CatalogueJSON(f CatalogueFilter) []byte {
	var list []any
	for _, r := range rt.store.All() {
		if f.match(r) {
			list = append(list, revisionSummary(r))
		}
	}
	if list == nil {
		list = []any{}
	}
	b, err := wire.AppendValue(nil, list)
	if err != nil { // every value above is plain JSON
		panic(err)
	}
	return b
}

func revisionSummary(r *store.Revision) *data.Dict {
	d := data.NewDict(12)
	d.Set("id", r.ID)
	d.Set("revision_group_id", r.GroupID)
	d.Set("name", r.Name)
	d.Set("description", r.Description)
	d.Set("category", r.Category)
	d.Set("version_tag", r.VersionTag)
	d.Set("released_timestamp", isoTimestamp(r.Released))
	d.Set("disabled_timestamp", isoTimestamp(r.Disabled))
	d.Set("state", r.State)
	d.Set("type", r.Type)
	io := data.NewDict(2)
	ins := make([]any, 0, len(r.Inputs))
	for _, in := range r.Inputs {
		p := data.NewDict(5)
		p.Set("id", in.ID)
		p.Set("name", in.Name)
		p.Set("data_type", string(in.Type))
		if in.Optional {
			p.Set("type", "OPTIONAL")
			p.Set("value", in.Default)
		} else {
			p.Set("type", "REQUIRED")
		}
		ins = append(ins, p)
	}
	outs := make([]any, 0, len(r.Outputs))
	for _, out := range r.Outputs {
		p := data.NewDict(3)
		p.Set("id", out.ID)
		p.Set("name", out.Name)
		p.Set("data_type", string(out.Type))
		outs = append(outs, p)
	}
	io.Set("inputs", ins)
	io.Set("outputs", outs)
	d.Set("io_interface", io)
	d.Set("test_wiring", r.TestWiring)
	return d
}

func isoTimestamp(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000+00:00")
}
