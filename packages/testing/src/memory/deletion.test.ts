import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryApiServer } from './server.js';
import { httpClient, openWatch } from './test-client.test-helper.js';

let server: MemoryApiServer;
let call: ReturnType<typeof httpClient>;

beforeAll(async () => {
  server = await MemoryApiServer.start({ bookmarkIntervalMs: 0 });
  call = httpClient(server.url);
});
afterAll(async () => {
  await server.stop();
});

const cms = '/api/v1/namespaces/default/configmaps';
const MERGE = 'application/merge-patch+json';

/** Polls until `probe` is true (the GC and namespace controllers run asynchronously). */
async function eventually(probe: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}
const gone = (path: string) => async () => (await call('GET', path)).status === 404;

describe('finalizers', () => {
  it('hold the object with deletionTimestamp until the list is empty, then it is removed', async () => {
    await call('POST', cms, { metadata: { name: 'held', finalizers: ['example.com/x'] } });
    const rv = server.resourceVersion;
    const w = await openWatch(
      server.url,
      `${cms}?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Dheld`,
    );
    const d = await call('DELETE', `${cms}/held`);
    expect(d.status).toBe(200);
    expect(d.body.metadata.deletionTimestamp).toBeTruthy();
    expect(d.body.metadata.finalizers).toEqual(['example.com/x']);
    const still = await call('GET', `${cms}/held`);
    expect(still.status).toBe(200);
    const again = await call('DELETE', `${cms}/held`);
    expect(again.status).toBe(200);
    const addMore = await call(
      'PATCH',
      `${cms}/held`,
      { metadata: { finalizers: ['example.com/x', 'example.com/y'] } },
      MERGE,
    );
    expect(addMore.status).toBe(422);
    const done = await call('PATCH', `${cms}/held`, { metadata: { finalizers: null } }, MERGE);
    expect(done.status).toBe(200);
    expect((await call('GET', `${cms}/held`)).status).toBe(404);
    const events = await w.take(2);
    expect(events.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    w.close();
  });

  it('bump generation when deletion starts on objects that track it', async () => {
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gen', finalizers: ['example.com/x'] },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    };
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', deploy);
    const d = await call('DELETE', '/apis/apps/v1/namespaces/default/deployments/gen');
    expect(d.body.metadata.generation).toBe(2);
  });

  it('preconditions that do not match are a 409', async () => {
    await call('POST', cms, { metadata: { name: 'pre' } });
    const r = await call('DELETE', `${cms}/pre`, {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      preconditions: { uid: 'other' },
    });
    expect(r.status).toBe(409);
  });
});

describe('garbage collection', () => {
  async function ownerAndChild(suffix: string, block = false) {
    const owner = (await call('POST', cms, { metadata: { name: `owner-${suffix}` } })).body;
    const ref = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: owner.metadata.name,
      uid: owner.metadata.uid,
      controller: true,
      blockOwnerDeletion: block,
    };
    const child = (
      await call('POST', cms, { metadata: { name: `child-${suffix}`, ownerReferences: [ref] } })
    ).body;
    return { owner, child };
  }

  it('Background: the owner goes at once, dependents are collected after', async () => {
    await ownerAndChild('bg');
    const r = await call('DELETE', `${cms}/owner-bg`);
    expect(r.status).toBe(200);
    await eventually(gone(`${cms}/child-bg`), 'child-bg collected');
  });

  it('Foreground: the owner waits (foregroundDeletion) until blocking dependents are gone', async () => {
    await ownerAndChild('fg', true);
    const r = await call('DELETE', `${cms}/owner-fg?propagationPolicy=Foreground`);
    expect(r.status).toBe(200);
    expect(r.body.metadata.finalizers).toContain('foregroundDeletion');
    await eventually(gone(`${cms}/child-fg`), 'child-fg collected');
    await eventually(gone(`${cms}/owner-fg`), 'owner-fg removed');
  });

  it('Orphan: dependents lose the ownerReference and stay', async () => {
    await ownerAndChild('or');
    const r = await call('DELETE', `${cms}/owner-or`, {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Orphan',
    });
    expect(r.status).toBe(200);
    await eventually(gone(`${cms}/owner-or`), 'owner-or removed');
    const child = await call('GET', `${cms}/child-or`);
    expect(child.status).toBe(200);
    expect(child.body.metadata.ownerReferences).toBeUndefined();
  });

  it('a dependent with another live owner survives', async () => {
    const a = (await call('POST', cms, { metadata: { name: 'own-a' } })).body;
    const b = (await call('POST', cms, { metadata: { name: 'own-b' } })).body;
    const refs = [a, b].map((o) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: o.metadata.name,
      uid: o.metadata.uid,
    }));
    await call('POST', cms, { metadata: { name: 'shared', ownerReferences: refs } });
    await call('DELETE', `${cms}/own-a`);
    await call('DELETE', `${cms}/own-b`);
    await eventually(gone(`${cms}/shared`), 'shared collected after its last owner');
  });

  it('an invalid propagationPolicy is a 422 (DeleteOptions)', async () => {
    await call('POST', cms, { metadata: { name: 'pp' } });
    const r = await call('DELETE', `${cms}/pp?propagationPolicy=Sometimes`);
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(
      /^DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value/,
    );
  });
});

describe('namespace deletion', () => {
  it('terminates, deletes everything inside, then the namespace goes', async () => {
    await call('POST', '/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await call('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'a' } });
    await call('POST', '/api/v1/namespaces/doomed/configmaps', {
      metadata: { name: 'b', finalizers: ['example.com/hold'] },
    });
    const d = await call('DELETE', '/api/v1/namespaces/doomed');
    expect(d.status).toBe(200);
    expect(d.body.status.phase).toBe('Terminating');
    await eventually(gone('/api/v1/namespaces/doomed/configmaps/a'), 'a deleted');
    const create = await call('POST', '/api/v1/namespaces/doomed/configmaps', {
      metadata: { name: 'c' },
    });
    expect(create.status).toBe(403);
    expect((await call('GET', '/api/v1/namespaces/doomed')).status).toBe(200);
    await call(
      'PATCH',
      '/api/v1/namespaces/doomed/configmaps/b',
      { metadata: { finalizers: null } },
      MERGE,
    );
    await eventually(gone('/api/v1/namespaces/doomed'), 'namespace removed');
  });

  it('refuses to delete the default namespace', async () => {
    expect((await call('DELETE', '/api/v1/namespaces/default')).status).toBe(403);
  });
});

describe('deletecollection', () => {
  it('deletes what the selector matches', async () => {
    await call('POST', cms, { metadata: { name: 'dc-1', labels: { batch: 'x' } } });
    await call('POST', cms, { metadata: { name: 'dc-2', labels: { batch: 'x' } } });
    await call('POST', cms, { metadata: { name: 'dc-3' } });
    const r = await call('DELETE', `${cms}?labelSelector=batch%3Dx`);
    expect(r.status).toBe(200);
    expect((await call('GET', `${cms}/dc-1`)).status).toBe(404);
    expect((await call('GET', `${cms}/dc-3`)).status).toBe(200);
  });
});
