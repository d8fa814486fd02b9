import { useMemoryApiServer } from '@kube-ts/test-support';
import { describe, expect, it } from 'vitest';
import { httpClient, openWatch } from './test-client.test-helper.js';

const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => httpClient(server));

describe('faults', () => {
  it('failNext fails the next n matching requests with a Status, Retry-After on 429', async () => {
    env.server.faults.failNext(2, { method: 'GET', path: /configmaps$/ }, 429, {
      retryAfterSeconds: 3,
    });
    const a = await env.client('GET', '/api/v1/namespaces/default/configmaps');
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('3');
    expect(a.body).toMatchObject({
      kind: 'Status',
      reason: 'TooManyRequests',
      code: 429,
      details: { retryAfterSeconds: 3 },
    });
    expect((await env.client('GET', '/api/v1/namespaces/default/secrets')).status).toBe(200);
    expect((await env.client('GET', '/api/v1/namespaces/default/configmaps')).status).toBe(429);
    expect((await env.client('GET', '/api/v1/namespaces/default/configmaps')).status).toBe(200);
  });

  it('failNext matches on method and exact path', async () => {
    env.server.faults.failNext(
      1,
      { method: 'POST', path: '/api/v1/namespaces/default/configmaps' },
      500,
      { message: 'boom' },
    );
    expect((await env.client('GET', '/api/v1/namespaces/default/configmaps')).status).toBe(200);
    const r = await env.client('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'f' },
    });
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ reason: 'InternalError', message: 'boom' });
    expect((await env.client('GET', '/api/v1/namespaces/default/configmaps/f')).status).toBe(404);
  });

  it('dropWatches ends every open watch', async () => {
    const w = await openWatch(
      env.server,
      `/api/v1/configmaps?watch=true&resourceVersion=${env.server.resourceVersion}`,
    );
    expect(env.server.openWatches).toBe(1);
    env.server.faults.dropWatches();
    expect(await w.next()).toBeUndefined();
  });

  it('silenceWatches freezes the open watches: nothing arrives until they thaw, then everything in order', async () => {
    const rv = env.server.resourceVersion;
    const w = await openWatch(env.server, `/api/v1/configmaps?watch=true&resourceVersion=${rv}`);
    env.server.faults.silenceWatches(true);
    await env.client('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'quiet' },
    });
    const first = w.next();
    const nothing = await Promise.race([
      first,
      new Promise((r) => setTimeout(() => r('nothing'), 100)),
    ]);
    expect(nothing).toBe('nothing');
    // A client that gave up on the frozen connection re-watches: served normally, replay included.
    const again = await openWatch(
      env.server,
      `/api/v1/configmaps?watch=true&resourceVersion=${rv}`,
    );
    const [replayed] = await again.take(1);
    expect(replayed!.object.metadata.name).toBe('quiet');
    env.server.faults.silenceWatches(false);
    await env.client('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'loud' },
    });
    const names = [await first, await w.next()].map((e) => e?.object.metadata.name);
    expect(names).toEqual(['quiet', 'loud']);
    w.close();
    again.close();
  });

  it('a frozen watch does not end (timeout, dropWatches) until it thaws', async () => {
    const w = await openWatch(
      env.server,
      `/api/v1/configmaps?watch=true&timeoutSeconds=1&resourceVersion=${env.server.resourceVersion}`,
    );
    env.server.faults.silenceWatches(true);
    env.server.faults.dropWatches();
    const pending = await Promise.race([
      w.next().then(() => 'ended'),
      new Promise((r) => setTimeout(() => r('open'), 1_200)),
    ]);
    expect(pending).toBe('open');
    env.server.faults.silenceWatches(false);
    expect(await w.next()).toBeUndefined();
  });

  it('latency delays requests and 0 turns it off', async () => {
    env.server.faults.latency(30);
    const t0 = Date.now();
    await env.client('GET', '/version');
    const delayed = Date.now() - t0;
    env.server.faults.latency(0);
    expect(delayed).toBeGreaterThanOrEqual(25);
    expect(env.server.faults.delay).toBe(0);
  });
});
