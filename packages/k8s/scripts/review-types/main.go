// Writes the OpenAPI v3 schemas of the webhook review kinds, which kube-apiserver sends to
// webhooks but does not serve in its OpenAPI document: admission.k8s.io/v1 AdmissionReview
// and apiextensions.k8s.io/v1 ConversionReview. generate.mjs reads the result
// (spec/extra/reviews.json) beside the served documents; a schema the server serves
// always wins over one written here.
//
// ConversionReview and the meta types it and AdmissionReview use come from the OpenAPI
// definitions that apiextensions-apiserver generates from its Go types. admission/v1 has
// no generated OpenAPI definitions, so its three types are read from the Go types by
// reflection, the way openapi-gen reads them: the JSON name of each field, required unless
// it is `omitempty`, and the descriptions of the types' generated SwaggerDoc().
//
// Usage (from this folder): go run . > ../../spec/extra/reviews.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strings"

	admissionv1 "k8s.io/api/admission/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	extensionsopenapi "k8s.io/apiextensions-apiserver/pkg/generated/openapi"
	"k8s.io/kube-openapi/pkg/validation/spec"
)

const refPrefix = "#/components/schemas/"

// friendly turns a Go type path into the OpenAPI name kube-apiserver uses:
// k8s.io/api/admission/v1.AdmissionReview -> io.k8s.api.admission.v1.AdmissionReview.
// Names without a slash are already in that form (the generated definitions use it).
func friendly(goName string) string {
	if !strings.Contains(goName, "/") {
		return goName
	}
	i := strings.LastIndex(goName, ".")
	pkg, name := goName[:i], goName[i+1:]
	parts := strings.Split(pkg, "/")
	host := strings.Split(parts[0], ".")
	for l, r := 0, len(host)-1; l < r; l, r = l+1, r-1 {
		host[l], host[r] = host[r], host[l]
	}
	return strings.Join(append([]string{strings.Join(host, ".")}, parts[1:]...), ".") + "." + name
}

func refTo(goName string) spec.Ref {
	return spec.MustCreateRef(refPrefix + friendly(goName))
}

// schemas collects the schemas written, by OpenAPI name.
var schemas = map[string]spec.Schema{}

// definitions are apiextensions-apiserver's generated OpenAPI definitions, by OpenAPI name.
var definitions = extensionsopenapi.GetOpenAPIDefinitions(func(path string) spec.Ref {
	return refTo(path)
})

// addDefinition writes a generated definition and everything it refers to.
func addDefinition(goName string) {
	name := friendly(goName)
	if _, done := schemas[name]; done {
		return
	}
	def, ok := definitions[name]
	if !ok {
		panic("no generated definition for " + goName)
	}
	schemas[name] = def.Schema
	for _, dep := range def.Dependencies {
		addDefinition(dep)
	}
}

const uidType = "k8s.io/apimachinery/pkg/types.UID"

// goName is the Go path of a named type, as the generated definitions key it.
func goName(t reflect.Type) string { return t.PkgPath() + "." + t.Name() }

// addReflected writes the schema of a struct of admission/v1, read by reflection.
func addReflected(t reflect.Type) {
	name := friendly(goName(t))
	if _, done := schemas[name]; done {
		return
	}
	docs := reflect.New(t).Elem().Interface().(interface{ SwaggerDoc() map[string]string }).SwaggerDoc()
	s := spec.Schema{}
	s.Type = spec.StringOrArray{"object"}
	s.Description = docs[""]
	s.Properties = map[string]spec.Schema{}
	schemas[name] = s // placed first, so a cycle ends here
	var required []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")
		if f.Anonymous { // metav1.TypeMeta: apiVersion and kind
			for _, p := range []string{"apiVersion", "kind"} {
				s.Properties[p] = spec.Schema{SchemaProps: spec.SchemaProps{
					Type:        spec.StringOrArray{"string"},
					Description: typeMetaDocs[p],
				}}
			}
			continue
		}
		if tag[0] == "" || tag[0] == "-" {
			continue
		}
		prop := fieldSchema(f.Type)
		prop.Description = docs[tag[0]]
		s.Properties[tag[0]] = prop
		if !strings.Contains(f.Tag.Get("json"), "omitempty") {
			required = append(required, tag[0])
		}
	}
	sort.Strings(required)
	s.Required = required
	schemas[name] = s
}

var typeMetaDocs = func() map[string]string {
	d := definitions[friendly("k8s.io/apimachinery/pkg/apis/meta/v1.TypeMeta")].Schema.Properties
	return map[string]string{"apiVersion": d["apiVersion"].Description, "kind": d["kind"].Description}
}()

// fieldSchema is the schema of one field's type.
func fieldSchema(t reflect.Type) spec.Schema {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() != "" && t.PkgPath() != "" {
		full := goName(t)
		switch {
		case full == uidType:
			return primitive("string")
		case strings.HasPrefix(t.PkgPath(), "k8s.io/api/admission/"):
			if t.Kind() == reflect.Struct {
				addReflected(t)
				return spec.Schema{SchemaProps: spec.SchemaProps{Ref: refTo(full)}}
			}
		default: // meta/v1, runtime, authentication/v1: generated definitions or served
			if _, ok := definitions[friendly(full)]; ok {
				addDefinition(full)
			} else if !strings.HasPrefix(t.PkgPath(), "k8s.io/api/authentication/") {
				panic("no definition for " + full)
			}
			return spec.Schema{SchemaProps: spec.SchemaProps{Ref: refTo(full)}}
		}
	}
	switch t.Kind() {
	case reflect.String:
		return primitive("string")
	case reflect.Bool:
		return primitive("boolean")
	case reflect.Int32, reflect.Int64, reflect.Int:
		return primitive("integer")
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			s := primitive("string")
			s.Format = "byte"
			return s
		}
		item := fieldSchema(t.Elem())
		return spec.Schema{SchemaProps: spec.SchemaProps{
			Type:  spec.StringOrArray{"array"},
			Items: &spec.SchemaOrArray{Schema: &item},
		}}
	case reflect.Map:
		value := fieldSchema(t.Elem())
		return spec.Schema{SchemaProps: spec.SchemaProps{
			Type:                 spec.StringOrArray{"object"},
			AdditionalProperties: &spec.SchemaOrBool{Allows: true, Schema: &value},
		}}
	}
	panic(fmt.Sprintf("unsupported field type %s", t))
}

func primitive(kind string) spec.Schema {
	return spec.Schema{SchemaProps: spec.SchemaProps{Type: spec.StringOrArray{kind}}}
}

func main() {
	addDefinition(goName(reflect.TypeFor[apiextensionsv1.ConversionReview]()))
	addReflected(reflect.TypeFor[admissionv1.AdmissionReview]())
	doc := map[string]any{
		"openapi":    "3.0.0",
		"info":       map[string]string{"title": "webhook review kinds (not served by kube-apiserver)", "version": "v1.36.3"},
		"components": map[string]any{"schemas": schemas},
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	if err := out.Encode(doc); err != nil {
		panic(err)
	}
}
