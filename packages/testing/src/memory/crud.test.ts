import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient } from './test-client.test-helper.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

const cm = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...extra },
  data: { a: '1' },
});

describe('discovery', () => {
  it('serves /api, /apis, /api/v1, /apis/{g}, /apis/{g}/{v} and /version', async () => {
    const api = await env.client('GET', '/api');
    expect(api.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const apis = await env.client('GET', '/apis');
    expect(apis.body.kind).toBe('APIGroupList');
    expect(apis.body.groups.map((g: { name: string }) => g.name)).toEqual(
      expect.arrayContaining([
        'apps',
        'batch',
        'coordination.k8s.io',
        'events.k8s.io',
        'apiextensions.k8s.io',
      ]),
    );
    const v1 = await env.client('GET', '/api/v1');
    const names = v1.body.resources.map((r: { name: string }) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(['configmaps', 'namespaces', 'pods', 'pods/status', 'secrets']),
    );
    const apps = await env.client('GET', '/apis/apps/v1');
    const deploy = apps.body.resources.find((r: { name: string }) => r.name === 'deployments');
    expect(deploy).toMatchObject({
      kind: 'Deployment',
      namespaced: true,
      singularName: 'deployment',
    });
    expect(
      apps.body.resources.find((r: { name: string }) => r.name === 'deployments/scale'),
    ).toMatchObject({
      group: 'autoscaling',
      kind: 'Scale',
    });
    expect((await env.client('GET', '/apis/apps')).body).toMatchObject({
      kind: 'APIGroup',
      name: 'apps',
    });
    expect((await env.client('GET', '/version')).body).toMatchObject({ major: '1' });
    expect((await env.client('GET', '/apis/nope.example.com/v1')).status).toBe(404);
  });
});

describe('create/get/update/delete', () => {
  it('sets uid, resourceVersion, creationTimestamp; no generation on a ConfigMap', async () => {
    const r = await env.client('POST', '/api/v1/namespaces/default/configmaps', cm('c1'));
    expect(r.status).toBe(201);
    const m = r.body.metadata;
    expect(m.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(m.resourceVersion).toMatch(/^\d+$/);
    expect(m.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(m.generation).toBeUndefined();
    expect(m.namespace).toBe('default');
    const g = await env.client('GET', '/api/v1/namespaces/default/configmaps/c1');
    expect(g.body).toEqual(r.body);
  });

  it('resourceVersion is a global counter that grows with every write', async () => {
    const a = await env.client('POST', '/api/v1/namespaces/default/configmaps', cm('rv-a'));
    const b = await env.client('POST', '/api/v1/namespaces/default/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'rv-b' },
    });
    expect(Number(b.body.metadata.resourceVersion)).toBeGreaterThan(
      Number(a.body.metadata.resourceVersion),
    );
  });

  it('generateName makes a unique name', async () => {
    const r = await env.client('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { generateName: 'gen-' },
    });
    expect(r.status).toBe(201);
    expect(r.body.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
  });

  it('409 AlreadyExists on a duplicate name, with a Status body', async () => {
    await env.client('POST', '/api/v1/namespaces/default/configmaps', cm('dup'));
    const r = await env.client('POST', '/api/v1/namespaces/default/configmaps', cm('dup'));
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'AlreadyExists',
      code: 409,
      message: 'configmaps "dup" already exists',
      details: { name: 'dup', kind: 'configmaps' },
    });
  });

  it('422 with causes for a missing or bad name', async () => {
    const missing = await env.client('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: {},
    });
    expect(missing.status).toBe(422);
    expect(missing.body.reason).toBe('Invalid');
    expect(missing.body.details.causes[0]).toMatchObject({
      reason: 'FieldValueRequired',
      field: 'metadata.name',
    });
    const bad = await env.client('POST', '/api/v1/namespaces/default/configmaps', cm('Bad_Name'));
    expect(bad.status).toBe(422);
    expect(bad.body.message).toMatch(
      /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value/,
    );
    expect(bad.body.details).toMatchObject({ name: 'Bad_Name', kind: 'ConfigMap' });
    expect(bad.body.details.causes[0]).toMatchObject({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
    });
  });

  it('400 for an apiVersion or kind that does not match the endpoint', async () => {
    const r = await env.client('POST', '/api/v1/namespaces/default/configmaps', {
      ...cm('x'),
      apiVersion: 'apps/v1',
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain('cannot be handled as a ConfigMap');
    const k = await env.client('POST', '/api/v1/namespaces/default/configmaps', {
      ...cm('x'),
      kind: 'Secret',
    });
    expect(k.status).toBe(400);
  });

  it('404 for a missing object, an unknown resource, a missing namespace', async () => {
    const r = await env.client('GET', '/api/v1/namespaces/default/configmaps/nope');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ reason: 'NotFound', message: 'configmaps "nope" not found' });
    expect((await env.client('GET', '/api/v1/namespaces/default/widgets')).status).toBe(404);
    const ns = await env.client('POST', '/api/v1/namespaces/missing/configmaps', cm('x'));
    expect(ns.status).toBe(404);
    expect(ns.body.message).toBe('namespaces "missing" not found');
    const deploy = await env.client('GET', '/apis/apps/v1/namespaces/default/deployments/nope');
    expect(deploy.body.message).toBe('deployments.apps "nope" not found');
  });

  it('405 for a verb the path does not support', async () => {
    expect(
      (await env.client('POST', '/api/v1/namespaces/default/configmaps/c1', cm('c1'))).status,
    ).toBe(405);
    expect(
      (await env.client('PUT', '/api/v1/namespaces/default/configmaps', cm('c1'))).status,
    ).toBe(405);
  });

  it('PUT with a stale resourceVersion is a 409 Conflict; with the current one it updates', async () => {
    const created = (await env.client('POST', '/api/v1/namespaces/default/configmaps', cm('upd')))
      .body;
    const ok = await env.client('PUT', '/api/v1/namespaces/default/configmaps/upd', {
      ...created,
      data: { a: '2' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ a: '2' });
    expect(ok.body.metadata.uid).toBe(created.metadata.uid);
    const stale = await env.client('PUT', '/api/v1/namespaces/default/configmaps/upd', {
      ...created,
      data: { a: '3' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      reason: 'Conflict',
      details: { name: 'upd', kind: 'configmaps' },
    });
    expect(stale.body.message).toContain('the object has been modified');
  });

  it('a no-op update keeps the resourceVersion', async () => {
    const created = (await env.client('POST', '/api/v1/namespaces/default/configmaps', cm('noop')))
      .body;
    const same = await env.client('PUT', '/api/v1/namespaces/default/configmaps/noop', created);
    expect(same.body.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
  });

  it('generation starts at 1 and is bumped on spec changes only', async () => {
    // A StatefulSet: the Deployment controller's revision annotation would bump a Deployment's.
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    };
    const c = await env.client('POST', '/apis/apps/v1/namespaces/default/statefulsets', deploy);
    expect(c.status).toBe(201);
    expect(c.body.metadata.generation).toBe(1);
    const labelled = await env.client(
      'PATCH',
      '/apis/apps/v1/namespaces/default/statefulsets/web',
      { metadata: { labels: { x: 'y' } } },
      'application/merge-patch+json',
    );
    expect(labelled.body.metadata.generation).toBe(1);
    const scaled = await env.client(
      'PATCH',
      '/apis/apps/v1/namespaces/default/statefulsets/web',
      { spec: { replicas: 3 } },
      'application/merge-patch+json',
    );
    expect(scaled.body.metadata.generation).toBe(2);
  });

  it('cluster-scoped resources live outside namespaces', async () => {
    const r = await env.client('POST', '/api/v1/namespaces', { metadata: { name: 'team-a' } });
    expect(r.status).toBe(201);
    expect(r.body.status.phase).toBe('Active');
    expect(r.body.metadata.labels['kubernetes.io/metadata.name']).toBe('team-a');
    expect((await env.client('GET', '/api/v1/namespaces/team-a')).status).toBe(200);
    expect((await env.client('GET', '/api/v1/namespaces/team-a/namespaces/x')).status).toBe(404);
  });

  it('DELETE of an object without finalizers answers a Success Status and removes it', async () => {
    const created = (await env.client('POST', '/api/v1/namespaces/default/configmaps', cm('del')))
      .body;
    const r = await env.client('DELETE', '/api/v1/namespaces/default/configmaps/del');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'del', kind: 'configmaps', uid: created.metadata.uid },
    });
    expect((await env.client('GET', '/api/v1/namespaces/default/configmaps/del')).status).toBe(404);
  });

  it('refuses a create that carries a resourceVersion, like the real storage layer', async () => {
    const r = await env.client(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      cm('with-rv', { resourceVersion: '5' }),
    );
    expect(r.status).toBe(500);
    expect(r.body.message).toBe('resourceVersion should not be set on objects to be created');
  });

  it('a body in an unsupported encoding (CBOR, off by default in v1.36) is a 415', async () => {
    const r = await env.client(
      'POST',
      '/api/v1/namespaces/default/configmaps',
      '\u00a0',
      'application/cbor',
    );
    expect(r.status).toBe(415);
    expect(r.body.reason).toBe('UnsupportedMediaType');
  });

  it('dryRun=All validates without storing', async () => {
    const r = await env.client(
      'POST',
      '/api/v1/namespaces/default/configmaps?dryRun=All',
      cm('dry'),
    );
    expect(r.status).toBe(201);
    expect((await env.client('GET', '/api/v1/namespaces/default/configmaps/dry')).status).toBe(404);
  });
});
