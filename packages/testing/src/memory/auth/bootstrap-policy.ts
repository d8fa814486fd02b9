/**
 * The RBAC objects kube-apiserver's `rbac/bootstrap-roles` post-start hook creates on a
 * fresh cluster: every bootstrap ClusterRole and ClusterRoleBinding (`cluster-admin`,
 * `admin`/`edit`/`view` and their `aggregate-to-*` parts, `system:node`,
 * `system:kube-scheduler`, `system:auth-delegator`, every `system:controller:*` role
 * bound to its kube-system ServiceAccount, …) and the Roles and RoleBindings in
 * `kube-system` and `kube-public`, each with the `kubernetes.io/bootstrapping:
 * rbac-defaults` label and the `rbac.authorization.kubernetes.io/autoupdate` annotation.
 * bootstrap-policy.json is generated from the Go bootstrap policy of the pinned
 * Kubernetes version with its default feature gates (scripts/bootstrap-policy), so the
 * same roles and rules exist as on the real server. The aggregated roles' rules are filled
 * by {@link ClusterRoleAggregator}, as kube-controller-manager does.
 */

import { createObject } from '../create-object.js';
import type { JsonObject } from '../json.js';
import type { ApiState } from '../state.js';
import { objectKey } from '../storage.js';
import policy from './bootstrap-policy.json' with { type: 'json' };

/** Stores the bootstrap ClusterRoles, ClusterRoleBindings, Roles and RoleBindings. */
export function installBootstrapPolicy(s: ApiState): void {
  const install = (plural: string, objects: JsonObject[]) => {
    const t = s.registry.find('rbac.authorization.k8s.io', 'v1', plural);
    if (!t) return;
    for (const obj of objects) {
      const meta = obj.metadata as JsonObject;
      const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
      // Namespaced ones only where their namespace exists: a server started with its own
      // namespace list may lack kube-system or kube-public.
      if (namespace && !s.storage.get('namespaces', objectKey('', namespace))) continue;
      createObject(s, { t, version: 'v1', namespace }, structuredClone(obj), {
        defaultManager: 'kube-apiserver',
      });
    }
  };
  install('clusterroles', policy.clusterRoles as unknown as JsonObject[]);
  install('clusterrolebindings', policy.clusterRoleBindings as unknown as JsonObject[]);
  install('roles', policy.roles as unknown as JsonObject[]);
  install('rolebindings', policy.roleBindings as unknown as JsonObject[]);
}
