/**
 * The default ClusterRoles and ClusterRoleBindings kube-apiserver creates at start that
 * operators and their tests rely on: `cluster-admin`, `admin`, `edit`, `view` (with the
 * rules kube-controller-manager aggregates into them), discovery, basic-user (the self
 * reviews), public-info-viewer and the service-account issuer discovery. Copied from a
 * fresh v1.36.3 cluster (bootstrap-policy.json); the `system:controller:*`, node and
 * other component roles are left out.
 */

import { createObject } from '../create-object.js';
import type { JsonObject } from '../json.js';
import type { ApiState } from '../state.js';
import policy from './bootstrap-policy.json' with { type: 'json' };

/** Stores the bootstrap ClusterRoles and ClusterRoleBindings. */
export function installBootstrapPolicy(s: ApiState): void {
  const install = (plural: string, objects: JsonObject[]) => {
    const t = s.registry.find('rbac.authorization.k8s.io', 'v1', plural);
    if (!t) return;
    for (const obj of objects) {
      createObject(s, { t, version: 'v1', namespace: '' }, structuredClone(obj), {
        defaultManager: 'kube-apiserver',
      });
    }
  };
  install('clusterroles', policy.clusterRoles as unknown as JsonObject[]);
  install('clusterrolebindings', policy.clusterRoleBindings as unknown as JsonObject[]);
}
