import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient, openWatch } from './test-client.test-helper.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

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
const gone = (path: string) => async () => (await env.client('GET', path)).status === 404;

describe('finalizers', () => {
  it('hold the object with deletionTimestamp until the list is empty, then it is removed', async () => {
    await env.client('POST', cms, { metadata: { name: 'held', finalizers: ['example.com/x'] } });
    const rv = env.server.resourceVersion;
    const w = await openWatch(
      env.server,
      `${cms}?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Dheld`,
    );
    const d = await env.client('DELETE', `${cms}/held`);
    expect(d.status).toBe(200);
    expect(d.body.metadata.deletionTimestamp).toBeTruthy();
    expect(d.body.metadata.finalizers).toEqual(['example.com/x']);
    const still = await env.client('GET', `${cms}/held`);
    expect(still.status).toBe(200);
    const again = await env.client('DELETE', `${cms}/held`);
    expect(again.status).toBe(200);
    const addMore = await env.client(
      'PATCH',
      `${cms}/held`,
      { metadata: { finalizers: ['example.com/x', 'example.com/y'] } },
      MERGE,
    );
    expect(addMore.status).toBe(422);
    const done = await env.client(
      'PATCH',
      `${cms}/held`,
      { metadata: { finalizers: null } },
      MERGE,
    );
    expect(done.status).toBe(200);
    expect((await env.client('GET', `${cms}/held`)).status).toBe(404);
    const events = await w.take(2);
    expect(events.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    w.close();
  });

  it('bump generation when deletion starts on objects that track it', async () => {
    // A StatefulSet: the Deployment controller's revision annotation would bump a Deployment's.
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'gen', finalizers: ['example.com/x'] },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { a: 'b' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    };
    await env.client('POST', '/apis/apps/v1/namespaces/default/statefulsets', deploy);
    const d = await env.client('DELETE', '/apis/apps/v1/namespaces/default/statefulsets/gen');
    expect(d.body.metadata.generation).toBe(2);
  });

  it('preconditions that do not match are a 409', async () => {
    await env.client('POST', cms, { metadata: { name: 'pre' } });
    const r = await env.client('DELETE', `${cms}/pre`, {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      preconditions: { uid: 'other' },
    });
    expect(r.status).toBe(409);
  });
});

describe('garbage collection', () => {
  async function ownerAndChild(suffix: string, block = false) {
    const owner = (await env.client('POST', cms, { metadata: { name: `owner-${suffix}` } })).body;
    const ref = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: owner.metadata.name,
      uid: owner.metadata.uid,
      controller: true,
      blockOwnerDeletion: block,
    };
    const child = (
      await env.client('POST', cms, {
        metadata: { name: `child-${suffix}`, ownerReferences: [ref] },
      })
    ).body;
    return { owner, child };
  }

  it('Background: the owner goes at once, dependents are collected after', async () => {
    await ownerAndChild('bg');
    const r = await env.client('DELETE', `${cms}/owner-bg`);
    expect(r.status).toBe(200);
    await eventually(gone(`${cms}/child-bg`), 'child-bg collected');
  });

  it('Foreground: the owner waits (foregroundDeletion) until blocking dependents are gone', async () => {
    await ownerAndChild('fg', true);
    const r = await env.client('DELETE', `${cms}/owner-fg?propagationPolicy=Foreground`);
    expect(r.status).toBe(200);
    expect(r.body.metadata.finalizers).toContain('foregroundDeletion');
    await eventually(gone(`${cms}/child-fg`), 'child-fg collected');
    await eventually(gone(`${cms}/owner-fg`), 'owner-fg removed');
  });

  it('Orphan: dependents lose the ownerReference and stay', async () => {
    await ownerAndChild('or');
    const r = await env.client('DELETE', `${cms}/owner-or`, {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      propagationPolicy: 'Orphan',
    });
    expect(r.status).toBe(200);
    await eventually(gone(`${cms}/owner-or`), 'owner-or removed');
    const child = await env.client('GET', `${cms}/child-or`);
    expect(child.status).toBe(200);
    expect(child.body.metadata.ownerReferences).toBeUndefined();
  });

  it('a dependent with another live owner survives', async () => {
    const a = (await env.client('POST', cms, { metadata: { name: 'own-a' } })).body;
    const b = (await env.client('POST', cms, { metadata: { name: 'own-b' } })).body;
    const refs = [a, b].map((o) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: o.metadata.name,
      uid: o.metadata.uid,
    }));
    await env.client('POST', cms, { metadata: { name: 'shared', ownerReferences: refs } });
    await env.client('DELETE', `${cms}/own-a`);
    await env.client('DELETE', `${cms}/own-b`);
    await eventually(gone(`${cms}/shared`), 'shared collected after its last owner');
  });

  it('Foreground through a circle of blocking references deletes every member', async () => {
    const names = ['circle-1', 'circle-2', 'circle-3'];
    const made = [];
    for (const name of names)
      made.push((await env.client('POST', cms, { metadata: { name } })).body);
    // circle-1 is owned by circle-3, circle-2 by circle-1, circle-3 by circle-2.
    for (const [i, obj] of made.entries()) {
      const owner = made[(i + 2) % 3];
      const r = await env.client(
        'PATCH',
        `${cms}/${obj.metadata.name}`,
        {
          metadata: {
            ownerReferences: [
              {
                apiVersion: 'v1',
                kind: 'ConfigMap',
                name: owner.metadata.name,
                uid: owner.metadata.uid,
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
        },
        MERGE,
      );
      expect(r.status).toBe(200);
    }
    const r = await env.client('DELETE', `${cms}/circle-1?propagationPolicy=Foreground`);
    expect(r.status).toBe(200);
    for (const name of names) await eventually(gone(`${cms}/${name}`), `${name} removed`);
  });

  it('Foreground: a dependent with another live owner only loses the reference', async () => {
    const a = (await env.client('POST', cms, { metadata: { name: 'fg-a' } })).body;
    const b = (await env.client('POST', cms, { metadata: { name: 'fg-b' } })).body;
    const refs = [a, b].map((o) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: o.metadata.name,
      uid: o.metadata.uid,
      blockOwnerDeletion: true,
    }));
    await env.client('POST', cms, { metadata: { name: 'fg-shared', ownerReferences: refs } });
    await env.client('DELETE', `${cms}/fg-a?propagationPolicy=Foreground`);
    await eventually(gone(`${cms}/fg-a`), 'fg-a removed');
    const shared = await env.client('GET', `${cms}/fg-shared`);
    expect(shared.status).toBe(200);
    expect(shared.body.metadata.ownerReferences.map((o: { name: string }) => o.name)).toEqual([
      'fg-b',
    ]);
  });

  it('an invalid propagationPolicy is a 422 (DeleteOptions)', async () => {
    await env.client('POST', cms, { metadata: { name: 'pp' } });
    const r = await env.client('DELETE', `${cms}/pp?propagationPolicy=Sometimes`);
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(
      /^DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value/,
    );
  });
});

describe('namespace deletion', () => {
  it('terminates, deletes everything inside, then the namespace goes', async () => {
    await env.client('POST', '/api/v1/namespaces', { metadata: { name: 'doomed' } });
    await env.client('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'a' } });
    await env.client('POST', '/api/v1/namespaces/doomed/configmaps', {
      metadata: { name: 'b', finalizers: ['example.com/hold'] },
    });
    const d = await env.client('DELETE', '/api/v1/namespaces/doomed');
    expect(d.status).toBe(200);
    expect(d.body.status.phase).toBe('Terminating');
    await eventually(gone('/api/v1/namespaces/doomed/configmaps/a'), 'a deleted');
    const create = await env.client('POST', '/api/v1/namespaces/doomed/configmaps', {
      metadata: { name: 'c' },
    });
    expect(create.status).toBe(403);
    expect((await env.client('GET', '/api/v1/namespaces/doomed')).status).toBe(200);
    await env.client(
      'PATCH',
      '/api/v1/namespaces/doomed/configmaps/b',
      { metadata: { finalizers: null } },
      MERGE,
    );
    await eventually(gone('/api/v1/namespaces/doomed'), 'namespace removed');
  });

  it('refuses to delete the default namespace', async () => {
    expect((await env.client('DELETE', '/api/v1/namespaces/default')).status).toBe(403);
  });
});

describe('deletecollection', () => {
  it('deletes what the selector matches', async () => {
    await env.client('POST', cms, { metadata: { name: 'dc-1', labels: { batch: 'x' } } });
    await env.client('POST', cms, { metadata: { name: 'dc-2', labels: { batch: 'x' } } });
    await env.client('POST', cms, { metadata: { name: 'dc-3' } });
    const r = await env.client('DELETE', `${cms}?labelSelector=batch%3Dx`);
    expect(r.status).toBe(200);
    expect((await env.client('GET', `${cms}/dc-1`)).status).toBe(404);
    expect((await env.client('GET', `${cms}/dc-3`)).status).toBe(200);
  });
});
