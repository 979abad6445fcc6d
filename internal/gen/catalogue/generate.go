package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// descriptions are the project's own summaries of hetida's example workflows, by
// revision id. A workflow missing here is an error, so a new hetida example is not
// shipped with hetida's text by accident.
var descriptions = map[string]string{
	"45f4f0c1-3fda-4c3b-8187-c590610e6975": "Two series as columns of one DataFrame, each under a given name",
	"09b29726-4373-4652-82c8-7aa3e3f91676": "Two series as columns of one DataFrame, named after the series",
	"678df189-a969-4ed9-9c3f-162b87d578b6": "Builds an ExampleClass object from a number and a name",
	"2cbb87e7-ea99-4404-abe1-be550f22763f": "Finds the last upward step of a series and keeps the data after it",
	"ef8a1989-434a-4227-8b4a-cb96635c5a44": "Reads the attributes back from an ExampleClass object",
	"f28d403f-88bb-4328-afd5-6a4aa53aa039": "Fills the missing values of a series by interpolation",
	"67c14cf2-cd4e-410e-9aca-6664273ccc3f": "Trains an isolation forest on two-dimensional data and plots its decision function",
	"3d504361-e351-4d52-8734-391aa47e8f24": "Fits a line to the data after the last upward step and extrapolates when it reaches a limit",
	"0580751a-70ed-4f73-99c8-41541eb86af3": "Means over moving time windows on a regular grid, plotted with the data",
	"121a7eab-d365-4f41-81d9-e7e1ff62fe29": "Medians over moving time windows on a regular grid, plotted with the data",
	"0f902f9c-2d6f-471c-89f1-853e53c4848c": "Keeps the points within a band of median ± k·MAD over a moving window",
	"9b92200b-95a6-4556-a4c1-48e5681fe4fa": "Replaces the values inside given time intervals by a fixed value per interval",
	"806df1b9-2fc8-4463-943f-3d258c569663": "Fits a line to a series and extrapolates when it reaches a limit",
	"0ba83325-d541-4efc-9a88-b919ccbc5638": "Checks which values lie in given ranges and substitutes the others",
	"7ccb7acb-4779-4931-b436-2d4d5172607b": "One example of each kind of plot",
	"79ce1eb1-3ef8-4c74-9114-c856fd88dc89": "Scores volatility on moving time windows and marks stretches above a threshold",
	// These two need TensorFlow: they are shipped so that running them answers with the
	// Keras components' clear "not supported" failure instead of "not found".
	"2bae9b14-2bd2-4994-9509-9ab46e24838b": "Loads a Keras model with a custom layer (needs TensorFlow: not supported natively)",
	"0023ea79-9f85-4806-8dfd-d45d6ecd7510": "Trains and stores a Keras model with a custom layer (needs TensorFlow: not supported natively)",
}

// dropped keys: layout and hetida's texts.
var dropped = map[string]bool{"position": true, "documentation": true, "path": true}

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

// Generate reads hetida's workflow files below dir and returns the catalogue files by name.
func Generate(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	seen := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".json" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		id, _ := doc["id"].(string)
		desc, ok := descriptions[id]
		if !ok {
			return fmt.Errorf("%s: no description of workflow %s (%v) in the generator", path, id, doc["name"])
		}
		seen[id] = true
		doc["description"] = desc
		strip(doc)
		var out bytes.Buffer
		enc := json.NewEncoder(&out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		if err := enc.Encode(doc); err != nil {
			return err
		}
		name, _ := doc["name"].(string)
		slug := strings.Trim(slugRE.ReplaceAllString(strings.ToLower(name), "-"), "-")
		files[slug+".json"] = out.Bytes()
		return nil
	})
	if err != nil {
		return nil, err
	}
	for id := range descriptions {
		if !seen[id] {
			return nil, fmt.Errorf("workflow %s has a description but no file", id)
		}
	}
	return files, nil
}

func strip(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if dropped[k] {
				delete(x, k)
				continue
			}
			strip(e)
		}
	case []any:
		for _, e := range x {
			strip(e)
		}
	}
}
