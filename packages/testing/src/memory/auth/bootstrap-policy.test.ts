import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient } from '../test-client.test-helper.js';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

const names = async (path: string): Promise<string[]> =>
  (await env.client('GET', path)).body.items.map(
    (o: { metadata: { name: string } }) => o.metadata.name,
  );

describe('bootstrap RBAC policy', () => {
  it('has the component and controller roles, each bound to its user or ServiceAccount', async () => {
    const roles = await names(`${RBAC}/clusterroles`);
    for (const name of [
      'system:node',
      'system:kube-scheduler',
      'system:auth-delegator',
      'system:controller:namespace-controller',
    ]) {
      expect(roles).toContain(name);
    }
    const binding = await env.client(
      'GET',
      `${RBAC}/clusterrolebindings/system:controller:namespace-controller`,
    );
    expect(binding.body.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'namespace-controller', namespace: 'kube-system' },
    ]);
    const scheduler = await env.client('GET', `${RBAC}/clusterrolebindings/system:kube-scheduler`);
    expect(scheduler.body.subjects).toEqual([
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'system:kube-scheduler' },
    ]);
  });

  it('labels and annotates every role as rbac-defaults with autoupdate', async () => {
    const list = await env.client('GET', `${RBAC}/clusterroles`);
    for (const role of list.body.items) {
      expect(role.metadata.labels['kubernetes.io/bootstrapping']).toBe('rbac-defaults');
      expect(role.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate']).toBe('true');
    }
  });

  it('has the Roles and RoleBindings of kube-system and kube-public', async () => {
    expect(await names(`${RBAC}/namespaces/kube-system/roles`)).toContain(
      'extension-apiserver-authentication-reader',
    );
    expect(await names(`${RBAC}/namespaces/kube-public/rolebindings`)).toEqual([
      'system:controller:bootstrap-signer',
    ]);
  });
});
