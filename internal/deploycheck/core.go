package deploycheck

import (
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

// Core holds the Kubernetes core objects of a set of documents, decoded strictly.
type Core struct {
	Namespaces  []*corev1.Namespace
	ConfigMaps  []*corev1.ConfigMap
	Services    []*corev1.Service
	Deployments []*appsv1.Deployment
	Jobs        []*batchv1.Job
	PDBs        []*policyv1.PodDisruptionBudget
}

// IsCore reports whether d is a kind DecodeCore handles.
func IsCore(d Doc) bool {
	switch d.APIVersion + " " + d.Kind {
	case "v1 Namespace", "v1 ConfigMap", "v1 Service", "apps/v1 Deployment", "batch/v1 Job", "policy/v1 PodDisruptionBudget":
		return true
	}
	return false
}

// DecodeCore decodes d into its k8s.io/api type; unknown and duplicate fields are errors,
// as with kubectl's strict field validation.
func (c *Core) DecodeCore(d Doc) error {
	var target any
	switch d.APIVersion + " " + d.Kind {
	case "v1 Namespace":
		o := &corev1.Namespace{}
		c.Namespaces, target = append(c.Namespaces, o), o
	case "v1 ConfigMap":
		o := &corev1.ConfigMap{}
		c.ConfigMaps, target = append(c.ConfigMaps, o), o
	case "v1 Service":
		o := &corev1.Service{}
		c.Services, target = append(c.Services, o), o
	case "apps/v1 Deployment":
		o := &appsv1.Deployment{}
		c.Deployments, target = append(c.Deployments, o), o
	case "batch/v1 Job":
		o := &batchv1.Job{}
		c.Jobs, target = append(c.Jobs, o), o
	case "policy/v1 PodDisruptionBudget":
		o := &policyv1.PodDisruptionBudget{}
		c.PDBs, target = append(c.PDBs, o), o
	default:
		return fmt.Errorf("%s: %s %s is not a core kind this check knows", d, d.APIVersion, d.Kind)
	}
	if err := yaml.UnmarshalStrict(d.JSON, target); err != nil {
		return fmt.Errorf("%s: %w", d, err)
	}
	if d.Name == "" {
		return fmt.Errorf("%s: metadata.name is empty", d)
	}
	return nil
}

// configMap returns the ConfigMap named name.
func (c *Core) configMap(name string) *corev1.ConfigMap {
	for _, m := range c.ConfigMaps {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// Validate decodes the core objects of docs strictly and validates the custom resources
// against schemas; a kind that is neither is an error.
func Validate(docs []Doc, schemas *Schemas) (*Core, error) {
	var p problems
	c := &Core{}
	for _, d := range docs {
		switch {
		case IsCore(d):
			p.addErr(c.DecodeCore(d))
		case schemas == nil:
			p.add("%s: a custom resource, and no CRD schemas were loaded", d)
		default:
			p.addErr(schemas.Validate(d))
		}
	}
	return c, p.err()
}
