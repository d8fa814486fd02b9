// Command clientgo-script runs a short script of client-go typed-clientset calls against
// the API server of a kubeconfig and prints one JSON line per step, for the e2e suite's
// differential test (test-e2e/src/client-go-script.e2e.test.ts). It uses the clientset's
// default content type, protobuf, and reports the content types it sent and received; last,
// it reads the OpenAPI v2
// document as kubectl does (in protobuf) and looks up strategic-merge metadata in it, and
// the OpenAPI v3 documents in protobuf, compared with kube-openapi's encoding of their JSON.
//
// Usage: clientgo-script <kubeconfig> <namespace>
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"sort"
	"sync"
	"time"

	openapi_v3 "github.com/google/gnostic-models/openapiv3"
	yaml3 "go.yaml.in/yaml/v3"
	protobuf "google.golang.org/protobuf/proto"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/kube-openapi/pkg/util/proto"
	"sigs.k8s.io/yaml"
)

type step struct {
	Step  string `json:"step"`
	Value any    `json:"value,omitempty"`
	Error string `json:"error,omitempty"`
}

func emit(name string, value any, err error) {
	s := step{Step: name, Value: value}
	if err != nil {
		s.Error = err.Error()
	}
	line, _ := json.Marshal(s)
	fmt.Println(string(line))
}

// wire records the content types of the requests sent and the answers received.
type wire struct {
	next      http.RoundTripper
	mu        sync.Mutex
	sent, got map[string]bool
}

func (w *wire) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := w.next.RoundTrip(req)
	w.mu.Lock()
	defer w.mu.Unlock()
	if t := req.Header.Get("Content-Type"); t != "" {
		w.sent[t] = true
	}
	if err == nil {
		w.got[res.Header.Get("Content-Type")] = true
	}
	return res, err
}

// seen is the content types recorded so far, sorted.
func (w *wire) seen() map[string][]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	sorted := func(m map[string]bool) []string {
		out := []string{}
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	return map[string][]string{"sent": sorted(w.sent), "received": sorted(w.got)}
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: clientgo-script <kubeconfig> <namespace>")
		os.Exit(2)
	}
	config, err := clientcmd.BuildConfigFromFlags("", os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	recorded := &wire{sent: map[string]bool{}, got: map[string]bool{}}
	config.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		recorded.next = rt
		return recorded
	})
	cs, err := kubernetes.NewForConfig(config)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ns := os.Args[2]
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	v, err := cs.Discovery().ServerVersion()
	if err == nil {
		emit("version", v.GitVersion, nil)
	} else {
		emit("version", nil, err)
	}
	_, lists, err := cs.Discovery().ServerGroupsAndResources()
	gvs := []string{}
	for _, l := range lists {
		gvs = append(gvs, l.GroupVersion)
	}
	sort.Strings(gvs)
	emit("discovery", gvs, err)

	cms := cs.CoreV1().ConfigMaps(ns)
	w, err := cms.Watch(ctx, metav1.ListOptions{LabelSelector: "script=clientgo"})
	if err != nil {
		emit("watch", nil, err)
		os.Exit(1)
	}
	created, err := cms.Create(ctx, &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{Name: "cg", Labels: map[string]string{"script": "clientgo"}},
		Data:       map[string]string{"a": "1"},
	}, metav1.CreateOptions{})
	emit("create", created.Data, err)
	ev := <-w.ResultChan()
	if cm, ok := ev.Object.(*corev1.ConfigMap); ok && ev.Type == watch.Added {
		emit("watch", map[string]string{"type": string(ev.Type), "name": cm.Name}, nil)
	} else {
		emit("watch", map[string]string{"type": string(ev.Type)}, nil)
	}
	w.Stop()

	got, err := cms.Get(ctx, "cg", metav1.GetOptions{})
	emit("get", got.Data, err)
	got.Data["b"] = "2"
	updated, err := cms.Update(ctx, got, metav1.UpdateOptions{})
	emit("update", updated.Data, err)
	stale := got.DeepCopy()
	stale.Data["c"] = "3"
	_, err = cms.Update(ctx, stale, metav1.UpdateOptions{})
	emit("update-stale-is-conflict", apierrors.IsConflict(err), nil)
	patched, err := cms.Patch(ctx, "cg", types.StrategicMergePatchType,
		[]byte(`{"data":{"a":null,"d":"4"}}`), metav1.PatchOptions{})
	emit("strategic-patch", patched.Data, err)
	list, err := cms.List(ctx, metav1.ListOptions{LabelSelector: "script=clientgo"})
	names := []string{}
	if err == nil {
		for _, i := range list.Items {
			names = append(names, i.Name)
		}
	}
	emit("list", names, err)

	replicas := int32(1)
	labels := map[string]string{"app": "cg"}
	_, err = cs.AppsV1().Deployments(ns).Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "cg"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "nginx"}}},
			},
		},
	}, metav1.CreateOptions{})
	emit("create-deployment", nil, err)
	scale, err := cs.AppsV1().Deployments(ns).GetScale(ctx, "cg", metav1.GetOptions{})
	if err == nil {
		// Without its resourceVersion: a real deployment controller may write status meanwhile.
		scale.ResourceVersion = ""
		scale.Spec.Replicas = 3
		scale, err = cs.AppsV1().Deployments(ns).UpdateScale(ctx, "cg", scale, metav1.UpdateOptions{})
	}
	if err == nil {
		emit("scale", scale.Spec.Replicas, nil)
	} else {
		emit("scale", nil, err)
	}

	err = cms.Delete(ctx, "cg", metav1.DeleteOptions{})
	emit("delete", nil, err)
	_, err = cms.Get(ctx, "cg", metav1.GetOptions{})
	emit("get-deleted-is-not-found", apierrors.IsNotFound(err), nil)
	emit("wire", recorded.seen(), nil)

	emitOpenAPI(ctx, cs)
	emitOpenAPIV3(cs)
}

// asJSONValue is a gnostic document as the JSON value its YAML reads as.
func asJSONValue(info *yaml3.Node) (any, error) {
	decoded, err := yaml3.Marshal(info)
	if err != nil {
		return nil, err
	}
	asJSON, err := yaml.YAMLToJSON(decoded)
	if err != nil {
		return nil, err
	}
	var value any
	err = json.Unmarshal(asJSON, &value)
	return value, err
}

// emitOpenAPIV3 reads every OpenAPI v3 group/version document in protobuf (client-go's
// OpenAPIV3 client, with kube-openapi's content type) and in JSON, and checks that the
// protobuf is the JSON document encoded as kube-openapi encodes it (gnostic's
// ParseDocument, then proto.Marshal): it names the documents that are not.
func emitOpenAPIV3(cs *kubernetes.Clientset) {
	paths, err := cs.Discovery().OpenAPIV3().Paths()
	if err != nil {
		emit("openapi-v3", nil, err)
		return
	}
	names := make([]string, 0, len(paths))
	for name := range paths {
		names = append(names, name)
	}
	sort.Strings(names)
	differ := []string{}
	var core openapi_v3.Document
	for _, name := range names {
		pb, err := paths[name].Schema("application/com.github.proto-openapi.spec.v3@v1.0+protobuf")
		if err != nil {
			emit("openapi-v3", nil, err)
			return
		}
		raw, err := paths[name].Schema("application/json")
		if err != nil {
			emit("openapi-v3", nil, err)
			return
		}
		doc, err := openapi_v3.ParseDocument(raw)
		var want []byte
		if err == nil {
			want, err = protobuf.Marshal(doc)
		}
		if err == nil && name == "api/v1" {
			err = protobuf.Unmarshal(pb, &core)
		}
		if err != nil {
			emit("openapi-v3", nil, fmt.Errorf("%s: %w", name, err))
			return
		}
		if !bytes.Equal(pb, want) {
			differ = append(differ, name)
		}
	}
	emit("openapi-v3", map[string]any{
		"documents":   len(names) > 20,
		"differ":      differ,
		"openapi":     core.Openapi,
		"corePaths":   len(core.GetPaths().GetPath()) > 100,
		"coreSchemas": len(core.GetComponents().GetSchemas().GetAdditionalProperties()) > 100,
	}, nil)
}

// emitOpenAPI reads the server's OpenAPI v2 document as kubectl does (client-go's
// OpenAPISchema(), which asks for protobuf), checks that it is the document served as JSON,
// and looks up what client-side strategic merge needs of a Deployment's containers.
func emitOpenAPI(ctx context.Context, cs *kubernetes.Clientset) {
	doc, err := cs.Discovery().OpenAPISchema()
	if err != nil {
		emit("openapi", nil, err)
		return
	}
	raw, err := cs.Discovery().RESTClient().Get().AbsPath("/openapi/v2").
		SetHeader("Accept", "application/json").DoRaw(ctx)
	if err != nil {
		emit("openapi", nil, err)
		return
	}
	fromProto, err := asJSONValue(doc.ToRawInfo())
	var fromJSON any
	if err == nil {
		err = json.Unmarshal(raw, &fromJSON)
	}
	if err != nil {
		emit("openapi", nil, err)
		return
	}
	models, err := proto.NewOpenAPIData(doc)
	if err != nil {
		emit("openapi", nil, err)
		return
	}
	var meta strategicpatch.LookupPatchMeta = strategicpatch.NewPatchMetaFromOpenAPI(models.LookupModel("io.k8s.api.apps.v1.Deployment"))
	for _, name := range []string{"spec", "template", "spec"} {
		if err == nil {
			meta, _, err = meta.LookupPatchMetadataForStruct(name)
		}
	}
	var containers strategicpatch.LookupPatchMeta
	var patchMeta strategicpatch.PatchMeta
	if err == nil {
		containers, patchMeta, err = meta.LookupPatchMetadataForSlice("containers")
	}
	if err != nil || containers == nil {
		emit("openapi", nil, err)
		return
	}
	emit("openapi", map[string]any{
		"sameAsJSON":        reflect.DeepEqual(fromProto, fromJSON),
		"containersMergeOn": patchMeta.GetPatchMergeKey(),
		"containersPatch":   patchMeta.GetPatchStrategies(),
	}, nil)
}
