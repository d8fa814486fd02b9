/**
 * Grants a user some rules in one namespace (a Role and a RoleBinding of the same name),
 * for tests that act as that user by impersonation.
 */
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { expect } from 'vitest';
import { raw } from './raw-http.js';

const RBAC = 'rbac.authorization.k8s.io';

/** Creates Role `name` with `rules` in `namespace` and binds it to the user `user`. */
export async function grantInNamespace(
  kc: KubeConfig,
  namespace: string,
  name: string,
  user: string,
  rules: readonly object[],
): Promise<void> {
  const base = `/apis/${RBAC}/v1/namespaces/${namespace}`;
  const role = await raw(kc, 'POST', `${base}/roles`, {
    body: { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name }, rules },
  });
  expect(role.status, role.text).toBe(201);
  const binding = await raw(kc, 'POST', `${base}/rolebindings`, {
    body: {
      apiVersion: `${RBAC}/v1`,
      kind: 'RoleBinding',
      metadata: { name },
      roleRef: { apiGroup: RBAC, kind: 'Role', name },
      subjects: [{ kind: 'User', name: user, apiGroup: RBAC }],
    },
  });
  expect(binding.status, binding.text).toBe(201);
}
