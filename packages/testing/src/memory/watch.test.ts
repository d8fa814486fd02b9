import { useMemoryApiServer } from '@kube-ts/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryApiServer } from './server.js';
import { httpClient, openWatch } from './test-client.test-helper.js';
import { watchDurationMs } from './watch.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

beforeAll(async () => {
  await env.client('POST', '/api/v1/namespaces', { metadata: { name: 'w' } });
});

const base = '/api/v1/namespaces/w/configmaps';

describe('watch', () => {
  it('streams ADDED, MODIFIED, DELETED in order from a resourceVersion', async () => {
    const rv = (await env.client('GET', base)).body.metadata.resourceVersion;
    const w = await openWatch(env.server, `${base}?watch=true&resourceVersion=${rv}`);
    expect(w.status).toBe(200);
    const c = (await env.client('POST', base, { metadata: { name: 'a' }, data: { x: '1' } })).body;
    await env.client('PATCH', `${base}/a`, { data: { x: '2' } }, 'application/merge-patch+json');
    await env.client('DELETE', `${base}/a`);
    const events = await w.take(3);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events[0]!.object.metadata.uid).toBe(c.metadata.uid);
    expect(events[1]!.object.data.x).toBe('2');
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    w.close();
  });

  it('counts the open watches of each resource', async () => {
    const secrets = await openWatch(env.server, '/api/v1/namespaces/w/secrets?watch=1');
    const deployments = await openWatch(env.server, '/apis/apps/v1/deployments?watch=1');
    await expect.poll(() => env.server.openWatchesOf('secrets')).toBe(1);
    await expect.poll(() => env.server.openWatchesOf('deployments', 'apps')).toBe(1);
    expect(env.server.openWatchesOf('deployments')).toBe(0);
    expect(env.server.openWatchesOf('services')).toBe(0);
    secrets.close();
    deployments.close();
    await expect.poll(() => env.server.openWatchesOf('secrets')).toBe(0);
  });

  it('replays history after the given resourceVersion', async () => {
    const rv = (await env.client('GET', base)).body.metadata.resourceVersion;
    await env.client('POST', base, { metadata: { name: 'r1' } });
    await env.client('POST', base, { metadata: { name: 'r2' } });
    const w = await openWatch(env.server, `${base}?watch=1&resourceVersion=${rv}`);
    const events = await w.take(2);
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'r1'],
      ['ADDED', 'r2'],
    ]);
    w.close();
  });

  it('with rv=0 and bookmarks allowed, the initial ADDED events end with the initial-events-end bookmark', async () => {
    const w = await openWatch(
      env.server,
      `${base}?watch=true&resourceVersion=0&allowWatchBookmarks=true`,
    );
    const existing = (await env.client('GET', base)).body.items.length;
    const events = await w.take(existing + 1);
    expect(events.slice(0, existing).every((e) => e.type === 'ADDED')).toBe(true);
    expect(events[existing]!.object.metadata.annotations).toEqual({
      'k8s.io/initial-events-end': 'true',
    });
    w.close();
  });

  it('without a resourceVersion starts with ADDED for every existing object', async () => {
    const w = await openWatch(env.server, `${base}?watch=true&labelSelector=`);
    const existing = (await env.client('GET', base)).body.items.length;
    const events = await w.take(existing);
    expect(events.every((e) => e.type === 'ADDED')).toBe(true);
    w.close();
  });

  it('sendInitialEvents=true ends the initial objects with the initial-events-end bookmark', async () => {
    const w = await openWatch(
      env.server,
      `${base}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
    );
    const existing = (await env.client('GET', base)).body.items.length;
    const events = await w.take(existing + 1);
    const last = events[existing]!;
    expect(last.type).toBe('BOOKMARK');
    expect(last.object.metadata.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(last.object.kind).toBe('ConfigMap');
    w.close();
  });

  it('sendInitialEvents=false without a resourceVersion starts at now with no initial events', async () => {
    const w = await openWatch(
      env.server,
      `${base}?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan`,
    );
    await env.client('POST', base, { metadata: { name: 'fresh' } });
    const [e] = await w.take(1);
    expect([e!.type, e!.object.metadata.name]).toEqual(['ADDED', 'fresh']);
    w.close();
  });

  it('sendInitialEvents without NotOlderThan is a 422', async () => {
    const r = await env.client(
      'GET',
      `${base}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true`,
    );
    expect(r.status).toBe(422);
  });

  it('a selector change turns into ADDED/DELETED for a filtered watcher', async () => {
    const rv = (await env.client('GET', base)).body.metadata.resourceVersion;
    const w = await openWatch(
      env.server,
      `${base}?watch=true&resourceVersion=${rv}&labelSelector=app%3Dx`,
    );
    await env.client('POST', base, { metadata: { name: 'sel' } });
    await env.client(
      'PATCH',
      `${base}/sel`,
      { metadata: { labels: { app: 'x' } } },
      'application/merge-patch+json',
    );
    await env.client(
      'PATCH',
      `${base}/sel`,
      { metadata: { labels: { app: 'y' } } },
      'application/merge-patch+json',
    );
    const events = await w.take(2);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    w.close();
  });

  it('an rv older than the kept history gets HTTP 200 then an ERROR event with a 410 Status', async () => {
    const rv = (await env.client('GET', base)).body.metadata.resourceVersion;
    await env.client('POST', base, { metadata: { name: 'gone' } });
    env.server.faults.compact();
    const w = await openWatch(env.server, `${base}?watch=true&resourceVersion=${rv}`);
    expect(w.status).toBe(200);
    const [e] = await w.take(1);
    expect(e!.type).toBe('ERROR');
    expect(e!.object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(e!.object.message).toMatch(/^too old resource version: /);
    expect(await w.next()).toBeUndefined();
  });

  it('ends the stream after timeoutSeconds', async () => {
    const w = await openWatch(
      env.server,
      `${base}?watch=true&resourceVersion=${env.server.resourceVersion}&timeoutSeconds=1`,
    );
    expect(await w.next()).toBeUndefined();
  });

  it('without timeoutSeconds (or with 0) lasts between the minimum request timeout and twice it', () => {
    expect(watchDurationMs(3, 1800)).toBe(3000);
    const durations = Array.from({ length: 50 }, (_, i) =>
      watchDurationMs(i % 2 ? 0 : undefined, 2),
    );
    for (const d of durations) {
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThan(4000);
    }
    expect(new Set(durations).size).toBeGreaterThan(1);
  });

  it('ends a watch without timeoutSeconds by the minRequestTimeoutSeconds option', async () => {
    const s = await MemoryApiServer.start({ minRequestTimeoutSeconds: 0.2 });
    try {
      const w = await openWatch(
        s,
        `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${s.resourceVersion}`,
      );
      expect(await w.next()).toBeUndefined();
    } finally {
      await s.stop();
    }
  });

  it('refuses a minRequestTimeoutSeconds that is not above 0', async () => {
    await expect(MemoryApiServer.start({ minRequestTimeoutSeconds: 0 })).rejects.toThrow(
      RangeError,
    );
  });

  it('the legacy /watch/ path works too', async () => {
    const w = await openWatch(
      env.server,
      `/api/v1/watch/namespaces/w/configmaps?resourceVersion=${env.server.resourceVersion}`,
    );
    await env.client('POST', base, { metadata: { name: 'legacy' } });
    const [e] = await w.take(1);
    expect(e!.object.metadata.name).toBe('legacy');
    w.close();
  });
});

describe('bookmarks', () => {
  it('sends periodic BOOKMARKs carrying the latest resourceVersion when asked', async () => {
    const s = await MemoryApiServer.start({ bookmarkIntervalMs: 50 });
    try {
      const w = await openWatch(
        s,
        `/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&resourceVersion=${s.resourceVersion}`,
      );
      const [e] = await w.take(1);
      expect(e!.type).toBe('BOOKMARK');
      expect(e!.object).toEqual({
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: { resourceVersion: s.resourceVersion },
      });
      w.close();
    } finally {
      await s.stop();
    }
  });
});
