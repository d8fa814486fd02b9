import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient } from './test-client.test-helper.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

const MERGE = 'application/merge-patch+json';
const JSONP = 'application/json-patch+json';
const SMP = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';
const deployments = '/apis/apps/v1/namespaces/default/deployments';

function deployment(name: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'nginx:1',
              env: [{ name: 'A', value: '1' }],
              ports: [{ containerPort: 80 }],
            },
            { name: 'side', image: 'busybox' },
          ],
          volumes: [{ name: 'v1', emptyDir: {} }],
        },
      },
    },
  };
}

describe('JSON merge patch', () => {
  it('merges maps, deletes with null, replaces lists', async () => {
    await env.client('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'm', labels: { a: '1', b: '2' } },
      data: { x: '1' },
    });
    const r = await env.client(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/m',
      { metadata: { labels: { a: null, c: '3' } }, data: { y: '2' } },
      MERGE,
    );
    expect(r.status).toBe(200);
    expect(r.body.metadata.labels).toEqual({ b: '2', c: '3' });
    expect(r.body.data).toEqual({ x: '1', y: '2' });
  });

  it('a stale resourceVersion in the patch is a 409', async () => {
    const r = await env.client(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/m',
      { metadata: { resourceVersion: '1' } },
      MERGE,
    );
    expect(r.status).toBe(409);
  });

  it('404 on a missing object, 415 on an unknown patch type', async () => {
    expect(
      (await env.client('PATCH', '/api/v1/namespaces/default/configmaps/none', {}, MERGE)).status,
    ).toBe(404);
    const r = await env.client(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/m',
      {},
      'application/json',
    );
    expect(r.status).toBe(415);
    expect(r.body.reason).toBe('UnsupportedMediaType');
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies add/replace/remove/copy/move guarded by test', async () => {
    await env.client('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'j' },
      data: { a: '1' },
    });
    const r = await env.client(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/j',
      [
        { op: 'test', path: '/data/a', value: '1' },
        { op: 'add', path: '/metadata/finalizers', value: ['example.com/f'] },
        { op: 'add', path: '/metadata/finalizers/-', value: 'example.com/g' },
        { op: 'replace', path: '/data/a', value: '2' },
        { op: 'copy', from: '/data/a', path: '/data/b' },
        { op: 'move', from: '/data/b', path: '/data/c' },
      ],
      JSONP,
    );
    expect(r.status).toBe(200);
    expect(r.body.metadata.finalizers).toEqual(['example.com/f', 'example.com/g']);
    expect(r.body.data).toEqual({ a: '2', c: '2' });
  });

  it('a failed test op is a 422 Invalid and changes nothing', async () => {
    const before = (await env.client('GET', '/api/v1/namespaces/default/configmaps/j')).body;
    const r = await env.client(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/j',
      [
        { op: 'test', path: '/data/a', value: 'nope' },
        { op: 'replace', path: '/data/a', value: '3' },
      ],
      JSONP,
    );
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
    expect(r.body.message).toBe('the server rejected our request due to an error in our request');
    expect(r.body.details).toEqual({});
    const after = (await env.client('GET', '/api/v1/namespaces/default/configmaps/j')).body;
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('removing a missing path is a 422', async () => {
    const r = await env.client(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/j',
      [{ op: 'remove', path: '/data/zzz' }],
      JSONP,
    );
    expect(r.status).toBe(422);
  });
});

describe('strategic merge patch', () => {
  it('merges containers by name, env by name, ports by containerPort, volumes by name', async () => {
    expect((await env.client('POST', deployments, deployment('smp'))).status).toBe(201);
    const r = await env.client(
      'PATCH',
      `${deployments}/smp`,
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'main',
                  image: 'nginx:2',
                  env: [{ name: 'B', value: '2' }],
                  ports: [{ containerPort: 443 }],
                },
              ],
              volumes: [{ name: 'v2', emptyDir: {} }],
            },
          },
        },
      },
      SMP,
    );
    expect(r.status).toBe(200);
    const pod = r.body.spec.template.spec;
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(['main', 'side']);
    expect(pod.containers[0].image).toBe('nginx:2');
    // As kube-apiserver orders them (checked against v1.36): without `$setElementOrder`,
    // items the patch adds come before the original ones; merged items keep their place.
    expect(pod.containers[0].env.map((e: { name: string }) => e.name)).toEqual(['B', 'A']);
    expect(pod.containers[0].ports.map((p: { containerPort: number }) => p.containerPort)).toEqual([
      443, 80,
    ]);
    expect(pod.volumes.map((v: { name: string }) => v.name)).toEqual(['v2', 'v1']);
  });

  it('supports $patch: delete in a list and $patch: replace', async () => {
    const r = await env.client(
      'PATCH',
      `${deployments}/smp`,
      {
        spec: {
          template: {
            spec: {
              containers: [{ name: 'side', $patch: 'delete' }],
              volumes: [{ name: 'only', emptyDir: {} }, { $patch: 'replace' }],
            },
          },
        },
      },
      SMP,
    );
    expect(r.status).toBe(200);
    const pod = r.body.spec.template.spec;
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(['main']);
    expect(pod.volumes).toEqual([{ name: 'only', emptyDir: {} }]);
  });

  it('is refused with 415 on custom resources', async () => {
    await createWidgetCrd();
    await env.client('POST', '/apis/example.com/v1/namespaces/default/widgets', {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w' },
      spec: {},
    });
    const r = await env.client(
      'PATCH',
      '/apis/example.com/v1/namespaces/default/widgets/w',
      { spec: {} },
      SMP,
    );
    expect(r.status).toBe(415);
  });
});

async function createWidgetCrd() {
  const existing = await env.client(
    'GET',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
  );
  if (existing.status === 200) return;
  const r = await env.client('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: {
            status: {},
            scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
          },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    size: { type: 'integer' },
                    replicas: { type: 'integer' },
                    items: {
                      type: 'array',
                      'x-kubernetes-list-type': 'map',
                      'x-kubernetes-list-map-keys': ['name'],
                      items: {
                        type: 'object',
                        required: ['name'],
                        properties: { name: { type: 'string' }, v: { type: 'string' } },
                      },
                    },
                  },
                },
                status: {
                  type: 'object',
                  properties: { ready: { type: 'boolean' }, replicas: { type: 'integer' } },
                },
              },
            },
          },
        },
      ],
    },
  });
  expect(r.status).toBe(201);
}

describe('server-side apply', () => {
  const cmPath = '/api/v1/namespaces/default/configmaps';
  const doc = (data: Record<string, string>) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n${Object.entries(data)
      .map(([k, v]) => `  ${k}: "${v}"`)
      .join('\n')}\n`;

  it('creates a missing object and records an Apply managedFields entry', async () => {
    const r = await env.client('PATCH', `${cmPath}/ssa?fieldManager=alice`, doc({ a: '1' }), APPLY);
    expect(r.status).toBe(201);
    expect(r.body.metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'alice',
        operation: 'Apply',
        apiVersion: 'v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:a': {} } },
      }),
    ]);
  });

  it('requires a fieldManager', async () => {
    const r = await env.client('PATCH', `${cmPath}/ssa`, doc({ a: '1' }), APPLY);
    expect(r.status).toBe(422);
  });

  it('a conflicting field owned by another manager is a 409 naming manager and field; force takes it', async () => {
    const r = await env.client('PATCH', `${cmPath}/ssa?fieldManager=bob`, doc({ a: '2' }), APPLY);
    expect(r.status).toBe(409);
    expect(r.body.reason).toBe('Conflict');
    expect(r.body.details.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.data.a' },
    ]);
    const forced = await env.client(
      'PATCH',
      `${cmPath}/ssa?fieldManager=bob&force=true`,
      doc({ a: '2' }),
      APPLY,
    );
    expect(forced.status).toBe(200);
    expect(forced.body.data).toEqual({ a: '2' });
    const managers = forced.body.metadata.managedFields.map((m: { manager: string }) => m.manager);
    expect(managers).toEqual(['bob']);
  });

  it('applying the same value as another manager shares ownership without conflict', async () => {
    const r = await env.client(
      'PATCH',
      `${cmPath}/ssa?fieldManager=carol`,
      doc({ a: '2', c: '3' }),
      APPLY,
    );
    expect(r.status).toBe(200);
    expect(r.body.metadata.managedFields.map((m: { manager: string }) => m.manager).sort()).toEqual(
      ['bob', 'carol'],
    );
  });

  it('removes fields a manager stops applying (unless owned by others)', async () => {
    const r = await env.client('PATCH', `${cmPath}/ssa?fieldManager=carol`, doc({ a: '2' }), APPLY);
    expect(r.body.data).toEqual({ a: '2' });
  });

  it('conflicts with fields set by an Update of another manager', async () => {
    await env.client('PATCH', `${cmPath}/ssa?fieldManager=dave`, { data: { d: '4' } }, MERGE);
    const r = await env.client(
      'PATCH',
      `${cmPath}/ssa?fieldManager=bob`,
      doc({ a: '2', d: '5' }),
      APPLY,
    );
    expect(r.status).toBe(409);
    expect(r.body.details.causes[0]).toMatchObject({
      message: 'conflict with "dave" using v1',
      field: '.data.d',
    });
  });

  it('records Update ownership like the real server: "." for containers a manager created, Apply entries first', async () => {
    const c = await env.client('POST', `${cmPath}?fieldManager=maker`, {
      metadata: { name: 'mf', labels: { a: 'b' } },
      data: { x: '1' },
    });
    expect(c.body.metadata.managedFields[0].fieldsV1).toEqual({
      'f:data': { '.': {}, 'f:x': {} },
      'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } },
    });
    const u = await env.client(
      'PATCH',
      `${cmPath}/mf?fieldManager=editor`,
      { data: { y: '2' } },
      MERGE,
    );
    const editor = u.body.metadata.managedFields.find(
      (m: { manager: string }) => m.manager === 'editor',
    );
    expect(editor.fieldsV1).toEqual({ 'f:data': { 'f:y': {} } });
    const a = await env.client(
      'PATCH',
      `${cmPath}/mf?fieldManager=zed`,
      'apiVersion: v1\nkind: ConfigMap\ndata:\n  z: "3"\n',
      APPLY,
    );
    const order = a.body.metadata.managedFields.map(
      (m: { manager: string; operation: string }) => `${m.operation}:${m.manager}`,
    );
    // Apply entries sort first; Updates follow by time, then manager name.
    expect(order[0]).toBe('Apply:zed');
    expect(order.slice(1).sort()).toEqual(['Update:editor', 'Update:maker']);
  });

  it('merges CRD lists by x-kubernetes-list-map-keys', async () => {
    await createWidgetCrd();
    const w = (items: string) =>
      `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: lm\nspec:\n  items:\n${items}`;
    await env.client(
      'PATCH',
      '/apis/example.com/v1/namespaces/default/widgets/lm?fieldManager=one',
      w('  - name: a\n    v: "1"\n'),
      APPLY,
    );
    const r = await env.client(
      'PATCH',
      '/apis/example.com/v1/namespaces/default/widgets/lm?fieldManager=two',
      w('  - name: b\n    v: "2"\n'),
      APPLY,
    );
    expect(r.status).toBe(200);
    expect(r.body.spec.items).toEqual([
      { name: 'a', v: '1' },
      { name: 'b', v: '2' },
    ]);
  });
});

describe('status and scale subresources', () => {
  const widgets = '/apis/example.com/v1/namespaces/default/widgets';

  it('ignores status on the main resource and spec on /status when the CRD enables the subresource', async () => {
    await createWidgetCrd();
    const c = await env.client('POST', widgets, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'st' },
      spec: { size: 1 },
      status: { ready: true },
    });
    expect(c.body.status).toBeUndefined();
    expect(c.body.metadata.generation).toBe(1);
    const s = await env.client('PUT', `${widgets}/st/status`, {
      ...c.body,
      spec: { size: 9 },
      status: { ready: true },
    });
    expect(s.status).toBe(200);
    expect(s.body.spec).toEqual({ size: 1 });
    expect(s.body.status).toEqual({ ready: true });
    expect(s.body.metadata.generation).toBe(1);
    const m = await env.client(
      'PATCH',
      `${widgets}/st`,
      { spec: { size: 2 }, status: { ready: false } },
      MERGE,
    );
    expect(m.body.status).toEqual({ ready: true });
    expect(m.body.spec.size).toBe(2);
    expect(m.body.metadata.generation).toBe(2);
    const ps = await env.client(
      'PATCH',
      `${widgets}/st/status`,
      { status: { ready: false } },
      MERGE,
    );
    expect(ps.body.status).toEqual({ ready: false });
    expect(ps.body.metadata.generation).toBe(2);
  });

  it('does the same for built-ins (deployments)', async () => {
    await env.client('POST', deployments, deployment('stat'));
    const s = await env.client(
      'PATCH',
      `${deployments}/stat/status`,
      { status: { replicas: 1, readyReplicas: 1 } },
      MERGE,
    );
    expect(s.body.status).toMatchObject({ replicas: 1, readyReplicas: 1 });
    const m = await env.client('PATCH', `${deployments}/stat`, { status: { replicas: 5 } }, MERGE);
    expect(m.body.status.replicas).toBe(1);
  });

  it('serves scale where enabled', async () => {
    const g = await env.client('GET', `${deployments}/stat/scale`);
    expect(g.body).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 1 },
      status: { replicas: 1, selector: 'app=stat' },
    });
    const p = await env.client(
      'PATCH',
      `${deployments}/stat/scale`,
      { spec: { replicas: 4 } },
      MERGE,
    );
    expect(p.body.spec.replicas).toBe(4);
    expect((await env.client('GET', `${deployments}/stat`)).body.spec.replicas).toBe(4);
    await env.client('POST', widgets, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'sc' },
      spec: { replicas: 2 },
    });
    const ws = await env.client('GET', `${widgets}/sc/scale`);
    expect(ws.body.spec.replicas).toBe(2);
    expect(
      (await env.client('GET', '/api/v1/namespaces/default/configmaps/ssa/scale')).status,
    ).toBe(404);
  });
});
