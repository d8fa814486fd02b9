import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient } from '../test-client.test-helper.js';
import policy from './bootstrap-policy.json' with { type: 'json' };

const ROLES = '/apis/rbac.authorization.k8s.io/v1/clusterroles';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

const rulesOf = async (name: string) => (await env.client('GET', `${ROLES}/${name}`)).body.rules;

describe('ClusterRole aggregation', () => {
  it('the bootstrap admin/edit/view already hold what their selectors gather (no rewrite at start)', async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const name of ['admin', 'edit', 'view']) {
      const boot = policy.clusterRoles.find((r) => r.metadata.name === name);
      expect(await rulesOf(name)).toEqual(boot?.rules);
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
