// Generates src/memory/auth/bootstrap-policy.json: the ClusterRoles, ClusterRoleBindings,
// Roles and RoleBindings that kube-apiserver's RBAC post-start hook creates on a fresh
// cluster, read from the pinned Kubernetes version's bootstrap policy with that version's
// default feature gates (the gates decide which roles and rules exist, so the data follows
// the real server's defaults). The `system:controller:*` roles and their bindings are made
// by kube-apiserver itself, whether or not kube-controller-manager runs.
//
// Usage (needs Go; the modules are those of the pinned Kubernetes version):
//
//	cd packages/testing/scripts/bootstrap-policy && go run .
package main

import (
	"encoding/json"
	"os"
	"sort"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac/bootstrappolicy"
)

const out = "../../src/memory/auth/bootstrap-policy.json"

// policy is the written document: each list sorted by namespace and name, so the file
// does not depend on Go's map order.
type policy struct {
	Source              string `json:"source"`
	ClusterRoles        []any  `json:"clusterRoles"`
	ClusterRoleBindings []any  `json:"clusterRoleBindings"`
	Roles               []any  `json:"roles"`
	RoleBindings        []any  `json:"roleBindings"`
}

func main() {
	clusterRoles := append(bootstrappolicy.ClusterRoles(), bootstrappolicy.ControllerRoles()...)
	clusterRoleBindings := append(bootstrappolicy.ClusterRoleBindings(), bootstrappolicy.ControllerRoleBindings()...)
	var roles []rbacv1.Role
	for _, list := range bootstrappolicy.NamespaceRoles() {
		roles = append(roles, list...)
	}
	var roleBindings []rbacv1.RoleBinding
	for _, list := range bootstrappolicy.NamespaceRoleBindings() {
		roleBindings = append(roleBindings, list...)
	}
	doc := policy{
		Source:              "k8s.io/kubernetes v1.36.3 plugin/pkg/auth/authorizer/rbac/bootstrappolicy, default feature gates (scripts/bootstrap-policy)",
		ClusterRoles:        objects(clusterRoles, "ClusterRole"),
		ClusterRoleBindings: objects(clusterRoleBindings, "ClusterRoleBinding"),
		Roles:               objects(roles, "Role"),
		RoleBindings:        objects(roleBindings, "RoleBinding"),
	}
	text, err := json.MarshalIndent(doc, "", " ")
	must(err)
	must(os.WriteFile(out, append(text, '\n'), 0o644))
}

// objects are the RBAC objects as JSON with their apiVersion and kind, sorted.
func objects[T any, P interface {
	*T
	runtime.Object
}](list []T, kind string) []any {
	out := []any{}
	for i := range list {
		P(&list[i]).GetObjectKind().SetGroupVersionKind(rbacv1.SchemeGroupVersion.WithKind(kind))
		out = append(out, clean(&list[i]))
	}
	sort.SliceStable(out, func(a, b int) bool { return key(out[a]) < key(out[b]) })
	return out
}

// clean is an object as JSON without the nulls Go writes for what it does not set (the
// zero `creationTimestamp`, the `rules` of an aggregated ClusterRole, which the
// clusterrole-aggregation controller fills).
func clean(obj any) any {
	text, err := json.Marshal(obj)
	must(err)
	var m map[string]any
	must(json.Unmarshal(text, &m))
	delete(m["metadata"].(map[string]any), "creationTimestamp")
	for k, v := range m {
		if v == nil {
			delete(m, k)
		}
	}
	return m
}

// key orders objects by namespace, then name.
func key(obj any) string {
	meta := obj.(map[string]any)["metadata"].(map[string]any)
	ns, _ := meta["namespace"].(string)
	name, _ := meta["name"].(string)
	return ns + "/" + name
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
