// Generates src/memory/builtins/go-types.json: for every definition in openapi-types.json,
// the Go names kube-apiserver's typed JSON decoder puts in its errors (`json: cannot
// unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`): the
// struct's name, and per JSON field its Go type as reflect prints it (pointers stripped,
// then the element types of its lists and maps) and the embedded structs it is reached
// through (`ProbeHandler` for a Probe's `httpGet`). The OpenAPI document has none of these
// names (`v1.Protocol`, `v1.ResourceList`), so they are read from the Go types themselves.
//
// It also generates src/memory/builtins/empty-objects.json: per built-in kind
// (`group/version/Kind`), its empty typed object as kube-apiserver's field manager sees it
// (a new zero value converted to unstructured: the struct fields Go always writes, as `{}`,
// `null` or `""`). The field manager compares a created object with it, so what the empty
// object already holds is not recorded as the creator's.
//
// Usage (needs Go; the modules are those of the pinned Kubernetes version):
//
//	cd packages/testing/scripts/go-types && go run .
package main

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/client-go/kubernetes/scheme"
	apiregistrationv1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
)

const dir = "../../src/memory/builtins/"

// field is one JSON field: its Go types (the field's, then its elements') and the names of
// the embedded structs between the struct and the field.
type field struct {
	Types    []string `json:"t"`
	Embedded []string `json:"e,omitempty"`
}

func main() {
	must(apiextensionsv1.AddToScheme(scheme.Scheme))
	must(apiregistrationv1.AddToScheme(scheme.Scheme))
	structs := map[string]reflect.Type{}
	for _, t := range scheme.Scheme.AllKnownTypes() {
		reach(t, structs)
	}
	data, err := os.ReadFile(dir + "openapi-types.json")
	must(err)
	var table struct {
		Kinds map[string]string          `json:"kinds"`
		Types map[string]json.RawMessage `json:"types"`
	}
	must(json.Unmarshal(data, &table))
	out := map[string]map[string]any{}
	for name := range table.Types {
		t, ok := structs[name]
		if !ok {
			continue
		}
		fields := map[string]any{"~": t.Name()}
		collect(t, nil, fields)
		out[name] = fields
	}
	text, err := json.Marshal(out) // map keys are written sorted
	must(err)
	must(os.WriteFile(dir+"go-types.json", append(text, '\n'), 0o644))
	writeEmptyObjects(table.Kinds)
}

// writeEmptyObjects writes empty-objects.json: each kind's zero value as unstructured.
func writeEmptyObjects(kinds map[string]string) {
	out := map[string]map[string]any{}
	for key := range kinds {
		parts := strings.SplitN(key, "/", 3)
		gvk := schema.GroupVersionKind{Group: parts[0], Version: parts[1], Kind: parts[2]}
		obj, err := scheme.Scheme.New(gvk)
		if err != nil {
			continue
		}
		u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
		must(err)
		out[key] = u
	}
	text, err := json.Marshal(out)
	must(err)
	must(os.WriteFile(dir+"empty-objects.json", append(text, '\n'), 0o644))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// openAPIName is the OpenAPI definition name of a Go type: `k8s.io/api/core/v1.Pod` is
// `io.k8s.api.core.v1.Pod`.
func openAPIName(t reflect.Type) string {
	path := t.PkgPath()
	domain, rest, _ := strings.Cut(path, "/")
	parts := strings.Split(domain, ".")
	for l, r := 0, len(parts)-1; l < r; l, r = l+1, r-1 {
		parts[l], parts[r] = parts[r], parts[l]
	}
	return strings.Join(parts, ".") + "." + strings.ReplaceAll(rest, "/", ".") + "." + t.Name()
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// elements is a type as the decoder names it, then its list or map elements' types.
func elements(t reflect.Type) []string {
	t = deref(t)
	names := []string{t.String()}
	for (t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8) || t.Kind() == reflect.Map {
		t = deref(t.Elem())
		names = append(names, t.String())
	}
	return names
}

// reach records every named struct reachable from t by its OpenAPI name.
func reach(t reflect.Type, structs map[string]reflect.Type) {
	t = deref(t)
	for t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = deref(t.Elem())
	}
	if t.Kind() != reflect.Struct || t.PkgPath() == "" {
		return
	}
	name := openAPIName(t)
	if _, seen := structs[name]; seen {
		return
	}
	structs[name] = t
	for i := 0; i < t.NumField(); i++ {
		reach(t.Field(i).Type, structs)
	}
}

// collect adds the JSON fields of struct t, reached through the embedded structs `via`.
func collect(t reflect.Type, via []string, fields map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" && f.Anonymous && deref(f.Type).Kind() == reflect.Struct {
			collect(deref(f.Type), append(append([]string{}, via...), f.Name), fields)
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, taken := fields[name]; !taken {
			fields[name] = field{Types: elements(f.Type), Embedded: via}
		}
	}
}
