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
// It also records how encoding/json writes each struct back, which is how kube-apiserver
// stores and serves every built-in object: the JSON fields in the order Go writes them (a
// struct that encodes itself, such as metav1.Time, has none), and per field the JSON its
// zero value is written as when Go writes it even unset (no `omitempty`, or a struct,
// which `omitempty` does not drop) and whether an empty value ("", 0, false, an empty list
// or map) is dropped (`omitempty` on a field that is not a pointer).
//
// Usage (needs Go; the modules are those of the pinned Kubernetes version; the output is
// then formatted with `prettier --print-width 100`, as biome leaves the file alone):
//
//	cd packages/testing/scripts/go-types && go run .
package main

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/client-go/kubernetes/scheme"
	apiregistrationv1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
)

const dir = "../../src/memory/builtins/"

// field is one JSON field: its Go types (the field's, then its elements'), the names of
// the embedded structs between the struct and the field, the JSON its zero value is written
// as when encoding/json writes it unset, and whether an empty value is dropped.
type field struct {
	Types    []string        `json:"t"`
	Embedded []string        `json:"e,omitempty"`
	Zero     json.RawMessage `json:"z,omitempty"`
	Omit     int             `json:"o,omitempty"`
}

var marshaler = reflect.TypeFor[json.Marshaler]()

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
		order := []string{}
		collect(t, nil, fields, &order)
		if !t.Implements(marshaler) && !reflect.PointerTo(t).Implements(marshaler) {
			fields["#"] = strings.Join(order, " ")
		}
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

// zeroJSON is how encoding/json writes the zero value of t in a struct (addressable, so a
// MarshalJSON on the pointer is used too): `null` for a time, `{}` for most structs.
func zeroJSON(t reflect.Type) json.RawMessage {
	text, err := json.Marshal(reflect.New(t).Interface())
	must(err)
	return text
}

// encoding facts of a field with json options `opts`: the JSON its zero value is written as
// when it is written at all, and whether encoding/json drops an empty value of it.
func encoding(t reflect.Type, opts string) (json.RawMessage, int) {
	options := strings.Split(opts, ",")
	omitEmpty := slices.Contains(options, "omitempty")
	if slices.Contains(options, "omitzero") {
		return nil, 0
	}
	switch t.Kind() {
	case reflect.Struct:
		// omitempty never drops a struct.
		return zeroJSON(t), 0
	case reflect.Pointer, reflect.Interface:
		if omitEmpty {
			return nil, 0
		}
		return zeroJSON(t), 0
	default:
		if omitEmpty {
			return nil, 1
		}
		return zeroJSON(t), 0
	}
}

// collect adds the JSON fields of struct t, reached through the embedded structs `via`, and
// appends their names to order in the order encoding/json writes them.
func collect(t reflect.Type, via []string, fields map[string]any, order *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" && f.Anonymous && deref(f.Type).Kind() == reflect.Struct {
			collect(deref(f.Type), append(append([]string{}, via...), f.Name), fields, order)
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, taken := fields[name]; !taken {
			zero, omit := encoding(f.Type, opts)
			fields[name] = field{Types: elements(f.Type), Embedded: via, Zero: zero, Omit: omit}
			*order = append(*order, name)
		}
	}
}
