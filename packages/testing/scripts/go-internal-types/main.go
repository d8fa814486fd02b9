// Generates src/memory/builtins/go-internal-types.json: how encoding/json writes
// kube-apiserver's internal (unversioned) structs that some refusals quote as their invalid
// value (a Job's immutable `spec.template` is a `core.PodTemplateSpec`: `{"Spec":{"Volumes":
// null,…}}`, a VolumeAttachment's immutable `spec` a `storage.VolumeAttachmentSpec`, a
// ResourceClaim's and a ResourceClaimTemplate's immutable `spec` a `resource.ResourceClaimSpec`
// and a `resource.ResourceClaimTemplateSpec`) or diff (a
// Pod's `core.PodSpec`, a PersistentVolume's `core.PersistentVolumeSource`). Internal types have
// no JSON tags, so encoding/json writes every exported field
// under its Go name, nil pointers, slices and maps as `null`, in the fields' order.
//
// Per struct (by Go type name, `core.PodSpec`), its fields as encoding/json writes them:
// [JSON key, the JSON name of the v1 field of the same Go name (the value converted from),
// type]. A type is `string`, `int`, `float`, `bool`, `json:<zero>` (a type that encodes
// itself as its v1 JSON does, quantities, times, int-or-string, with the JSON of its zero
// value), `*T`, `[]T`, `map[T]` (string keys)
// or a struct's name; a field the v1 type holds in a named field (`ObjectMeta`) has a
// dotted JSON name (`metadata.name`); the security context's host namespace fields have
// their v1 PodSpec names (the converter moves them into the security context first). Embedded structs without a tag are flattened,
// as encoding/json flattens them; fields with `omitempty` or `omitzero` end with `?` in
// their key (encoding/json drops empty values of them).
//
// Usage (needs Go; the modules are those of the pinned Kubernetes version):
//
//	cd packages/testing/scripts/go-internal-types && GOFLAGS=-mod=mod go run .
package main

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"

	v1 "k8s.io/api/core/v1"
	resourcev1 "k8s.io/api/resource/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/kubernetes/pkg/apis/core"
	"k8s.io/kubernetes/pkg/apis/resource"
	"k8s.io/kubernetes/pkg/apis/storage"
)

const out = "../../src/memory/builtins/go-internal-types.json"

var marshaler = reflect.TypeFor[json.Marshaler]()

// podSpecFields are v1 PodSpec's fields by Go name.
var podSpecFields = map[string]goField{}

// goField is a field as encoding/json reaches it: through embedded structs.
type goField struct {
	name, key, opts string
	t               reflect.Type
	via             string // the embedded struct it was reached through, if any
}

// fields lists the fields encoding/json writes for struct t, embedded structs flattened.
func fields(t reflect.Type, via string) []goField {
	var list []goField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		key, opts, _ := strings.Cut(tag, ",")
		if key == "" && f.Anonymous && deref(f.Type).Kind() == reflect.Struct {
			list = append(list, fields(deref(f.Type), f.Name)...)
			continue
		}
		if key == "" {
			key = f.Name
		}
		list = append(list, goField{f.Name, key, opts, f.Type, via})
	}
	return list
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func encodesItself(t reflect.Type) bool {
	return t.Implements(marshaler) || reflect.PointerTo(t).Implements(marshaler)
}

// describe names t as the generated table does, recording the structs it reaches.
func describe(t reflect.Type, ext reflect.Type, structs map[string][][3]string) string {
	switch {
	case t.Kind() == reflect.Pointer:
		return "*" + describe(t.Elem(), deref(ext), structs)
	case encodesItself(t):
		zero, err := json.Marshal(reflect.New(t).Interface())
		if err != nil {
			panic(err)
		}
		return "json:" + string(zero)
	case t.Kind() == reflect.Slice:
		return "[]" + describe(t.Elem(), elem(ext), structs)
	case t.Kind() == reflect.Map:
		return "map[" + describe(t.Elem(), elem(ext), structs) + "]"
	case t.Kind() == reflect.Struct:
		record(t, ext, structs)
		return t.String()
	case t.Kind() == reflect.String:
		return "string"
	case t.Kind() == reflect.Bool:
		return "bool"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "float"
	default:
		return "int"
	}
}

func elem(t reflect.Type) reflect.Type {
	if t == nil {
		return nil
	}
	t = deref(t)
	if t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		return t.Elem()
	}
	return nil
}

// record adds struct t, paired field by field with its v1 counterpart ext.
func record(t reflect.Type, ext reflect.Type, structs map[string][][3]string) {
	if _, seen := structs[t.String()]; seen {
		return
	}
	structs[t.String()] = nil
	if !strings.HasPrefix(t.PkgPath(), "k8s.io/kubernetes/") {
		ext = t // a shared type (metav1's): its own JSON names
	}
	external := map[string]goField{}
	if ext = deref(ext); ext != nil && ext.Kind() == reflect.Struct {
		for _, f := range fields(ext, "") {
			external[f.name] = f
		}
	}
	var list [][3]string
	for _, f := range fields(t, "") {
		key := f.key
		if strings.Contains(f.opts, "omitempty") || strings.Contains(f.opts, "omitzero") {
			key += "?"
		}
		e, paired := external[f.name]
		var et reflect.Type
		if paired {
			et = e.t
		}
		from := e.key
		// An embedded struct the v1 type holds as a named field (ObjectMeta as `metadata`).
		if outer, named := external[f.via]; !paired && named {
			from, et = outer.key+"."+f.key, f.t
		}
		// The conversion moves v1 PodSpec's host namespace fields into the security context:
		// they keep their v1 names (the converter moves them there first).
		if moved, ok := podSpecFields[f.name]; !paired && ok && t == reflect.TypeFor[core.PodSecurityContext]() {
			from, et = moved.key, moved.t
		}
		list = append(list, [3]string{key, from, describe(f.t, et, structs)})
	}
	structs[t.String()] = list
}

func main() {
	for _, f := range fields(reflect.TypeFor[v1.PodSpec](), "") {
		podSpecFields[f.name] = f
	}
	structs := map[string][][3]string{}
	record(reflect.TypeFor[core.PodTemplateSpec](), reflect.TypeFor[v1.PodTemplateSpec](), structs)
	record(reflect.TypeFor[core.PersistentVolumeSource](), reflect.TypeFor[v1.PersistentVolumeSource](), structs)
	record(reflect.TypeFor[storage.VolumeAttachmentSpec](), reflect.TypeFor[storagev1.VolumeAttachmentSpec](), structs)
	record(reflect.TypeFor[core.Taint](), reflect.TypeFor[v1.Taint](), structs)
	record(reflect.TypeFor[core.NodeAddress](), reflect.TypeFor[v1.NodeAddress](), structs)
	record(reflect.TypeFor[core.ScopeSelector](), reflect.TypeFor[v1.ScopeSelector](), structs)
	record(reflect.TypeFor[resource.ResourceClaimTemplateSpec](), reflect.TypeFor[resourcev1.ResourceClaimTemplateSpec](), structs)
	text, err := json.Marshal(structs) // map keys are written sorted
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(out, append(text, '\n'), 0o644); err != nil {
		panic(err)
	}
}
