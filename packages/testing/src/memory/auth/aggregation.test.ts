import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient } from '../test-client.test-helper.js';
import policy from './bootstrap-policy.json' with { type: 'json' };

const ROLES = '/apis/rbac.authorization.k8s.io/v1/clusterroles';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

const rulesOf = async (name: string) => (await env.client('GET', `${ROLES}/${name}`)).body.rules;

describe('ClusterRole aggregation', () => {
  it('admin, edit and view gather the bootstrap aggregate-to-* roles at start', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const boot = (name: string) =>
      policy.clusterRoles.find((r) => r.metadata.name === name)?.rules ?? [];
    expect(await rulesOf('view')).toEqual(boot('system:aggregate-to-view'));
    const admin = await rulesOf('admin');
    for (const part of ['admin', 'edit', 'view']) {
      for (const rule of boot(`system:aggregate-to-${part}`)) expect(admin).toContainEqual(rule);
    }
  });

  it('a role labelled aggregate-to-view adds its rules to view (and edit, admin), and takes them back', async () => {
    const widgets = { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] };
    await env.client('POST', ROLES, {
      metadata: {
        name: 'widgets-view',
        labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
      },
      rules: [widgets],
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await rulesOf('view')).toContainEqual(widgets);
    expect(await rulesOf('admin')).toContainEqual(widgets);
    await env.client('DELETE', `${ROLES}/widgets-view`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await rulesOf('view')).not.toContainEqual(widgets);
  });
});
