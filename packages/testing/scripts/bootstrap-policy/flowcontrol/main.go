// Generates src/memory/flowcontrol/bootstrap-configuration.json: the FlowSchemas and
// PriorityLevelConfigurations kube-apiserver's API Priority and Fairness config producer
// creates at start (the mandatory and the suggested ones), in the flowcontrol/v1 form the
// server stores them, after its defaulting (e.g. `lendablePercent`, queuing defaults).
//
// Usage (needs Go; the modules are those of the pinned Kubernetes version):
//
//	cd packages/testing/scripts/bootstrap-policy && go run ./flowcontrol
package main

import (
	"encoding/json"
	"os"
	"sort"

	flowcontrolv1 "k8s.io/api/flowcontrol/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/apis/flowcontrol/bootstrap"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	_ "k8s.io/kubernetes/pkg/apis/flowcontrol/install"
)

const out = "../../src/memory/flowcontrol/bootstrap-configuration.json"

// configuration is the written document, each list sorted by name.
type configuration struct {
	Source                      string `json:"source"`
	FlowSchemas                 []any  `json:"flowSchemas"`
	PriorityLevelConfigurations []any  `json:"priorityLevelConfigurations"`
}

func main() {
	flowSchemas := append(append([]*flowcontrolv1.FlowSchema{}, bootstrap.MandatoryFlowSchemas...), bootstrap.SuggestedFlowSchemas...)
	levels := append(append([]*flowcontrolv1.PriorityLevelConfiguration{}, bootstrap.MandatoryPriorityLevelConfigurations...), bootstrap.SuggestedPriorityLevelConfigurations...)
	doc := configuration{
		Source:                      "k8s.io/apiserver v0.36.3 pkg/apis/flowcontrol/bootstrap, defaulted by k8s.io/kubernetes v1.36.3 (scripts/bootstrap-policy/flowcontrol)",
		FlowSchemas:                 objects(flowSchemas, "FlowSchema"),
		PriorityLevelConfigurations: objects(levels, "PriorityLevelConfiguration"),
	}
	text, err := json.MarshalIndent(doc, "", " ")
	must(err)
	must(os.WriteFile(out, append(text, '\n'), 0o644))
}

// objects are the objects defaulted as kube-apiserver defaults them, as JSON with their
// apiVersion and kind, without the fields the server sets (creationTimestamp, status),
// sorted by name.
func objects[T runtime.Object](list []T, kind string) []any {
	out := []any{}
	for _, obj := range list {
		obj = obj.DeepCopyObject().(T)
		legacyscheme.Scheme.Default(obj)
		obj.GetObjectKind().SetGroupVersionKind(flowcontrolv1.SchemeGroupVersion.WithKind(kind))
		text, err := json.Marshal(obj)
		must(err)
		var m map[string]any
		must(json.Unmarshal(text, &m))
		delete(m["metadata"].(map[string]any), "creationTimestamp")
		delete(m, "status")
		out = append(out, m)
	}
	name := func(o any) string { return o.(map[string]any)["metadata"].(map[string]any)["name"].(string) }
	sort.SliceStable(out, func(a, b int) bool { return name(out[a]) < name(out[b]) })
	return out
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
