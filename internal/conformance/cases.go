package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Case is one recorded reference case.
type Case struct {
	Name     string
	Meta     Meta
	Request  []byte
	Expected []byte
}

// LoadCases reads every case folder below dir (request.json, expected.json, meta.json).
func LoadCases(dir string) ([]Case, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var cases []Case
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		d := filepath.Join(dir, e.Name())
		var m struct {
			HTTPStatus int    `json:"http_status"`
			Endpoint   string `json:"endpoint"`
			Compare    string `json:"compare"`
		}
		mb, err := os.ReadFile(filepath.Join(d, "meta.json"))
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(mb, &m); err != nil {
			return nil, fmt.Errorf("%s/meta.json: %w", e.Name(), err)
		}
		req, err := os.ReadFile(filepath.Join(d, "request.json"))
		if err != nil {
			return nil, err
		}
		exp, err := os.ReadFile(filepath.Join(d, "expected.json"))
		if err != nil {
			return nil, err
		}
		if m.Endpoint == "" {
			m.Endpoint = "/api/transformations/execute"
		}
		cases = append(cases, Case{Name: e.Name(), Meta: Meta{HTTPStatus: m.HTTPStatus, Endpoint: m.Endpoint, Compare: m.Compare}, Request: req, Expected: exp})
	}
	// os.ReadDir sorts by name: so are the cases
	return cases, nil
}

// LoadDeviations reads deviations files; later files override earlier ones per case.
// Missing files are skipped.
func LoadDeviations(paths ...string) (map[string]*Deviation, error) {
	out := map[string]*Deviation{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var m map[string]struct {
			Accept string `json:"accept"`
			Why    string `json:"why"`
			Stage  string `json:"stage"`
		}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		for k, v := range m {
			out[k] = &Deviation{Accept: v.Accept, Why: v.Why, Stage: v.Stage}
		}
	}
	return out, nil
}
