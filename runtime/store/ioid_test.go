package store

import "testing"

// The test vectors are hetida's own (hetida-contract §4.3): ids of .py-imported
// component connectors, which workflows reference.
func TestIOIDMatchesHetidaSeeding(t *testing.T) {
	for seed, want := range map[string]string{
		"component_input_input":                "ce239219-0904-cc9c-49ab-e8da698ede00",
		"component_output_output":              "3c2eb0e4-871f-885f-a409-1d21ddc4a2b3",
		"component_input_interpolation_params": "50308eef-718d-f477-e8e4-01fe00cdda08",
	} {
		if got := ioID(seed); got != want {
			t.Errorf("ioID(%q) = %s, want %s", seed, got, want)
		}
	}
}
