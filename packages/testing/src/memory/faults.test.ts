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

describe('faults', () => {
  it('failNext fails the next n matching requests with a Status, Retry-After on 429', async () => {
    server.faults.failNext(2, { method: 'GET', path: /configmaps$/ }, 429, {
      retryAfterSeconds: 3,
    });
    const a = await call('GET', '/api/v1/namespaces/default/configmaps');
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('3');
    expect(a.body).toMatchObject({
      kind: 'Status',
      reason: 'TooManyRequests',
      code: 429,
      details: { retryAfterSeconds: 3 },
    });
    expect((await call('GET', '/api/v1/namespaces/default/secrets')).status).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps')).status).toBe(429);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps')).status).toBe(200);
  });

  it('failNext matches on method and exact path', async () => {
    server.faults.failNext(
      1,
      { method: 'POST', path: '/api/v1/namespaces/default/configmaps' },
      500,
      { message: 'boom' },
    );
    expect((await call('GET', '/api/v1/namespaces/default/configmaps')).status).toBe(200);
    const r = await call('POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'f' },
    });
    expect(r.status).toBe(500);
    expect(r.body).toMatchObject({ reason: 'InternalError', message: 'boom' });
    expect((await call('GET', '/api/v1/namespaces/default/configmaps/f')).status).toBe(404);
  });

  it('dropWatches ends every open watch', async () => {
    const w = await openWatch(
      server.url,
      `/api/v1/configmaps?watch=true&resourceVersion=${server.resourceVersion}`,
    );
    expect(server.openWatches).toBe(1);
    server.faults.dropWatches();
    expect(await w.next()).toBeUndefined();
  });

  it('silenceWatches freezes the open watches: nothing arrives until they thaw, then everything in order', async () => {
    const rv = server.resourceVersion;
    const w = await openWatch(server.url, `/api/v1/configmaps?watch=true&resourceVersion=${rv}`);
    server.faults.silenceWatches(true);
    await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'quiet' } });
    const first = w.next();
    const nothing = await Promise.race([
      first,
      new Promise((r) => setTimeout(() => r('nothing'), 100)),
    ]);
    expect(nothing).toBe('nothing');
    // A client that gave up on the frozen connection re-watches: served normally, replay included.
    const again = await openWatch(
      server.url,
      `/api/v1/configmaps?watch=true&resourceVersion=${rv}`,
    );
    const [replayed] = await again.take(1);
    expect(replayed!.object.metadata.name).toBe('quiet');
    server.faults.silenceWatches(false);
    await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'loud' } });
    const names = [await first, await w.next()].map((e) => e?.object.metadata.name);
    expect(names).toEqual(['quiet', 'loud']);
    w.close();
    again.close();
  });

  it('a frozen watch does not end (timeout, dropWatches) until it thaws', async () => {
    const w = await openWatch(
      server.url,
      `/api/v1/configmaps?watch=true&timeoutSeconds=1&resourceVersion=${server.resourceVersion}`,
    );
    server.faults.silenceWatches(true);
    server.faults.dropWatches();
    const pending = await Promise.race([
      w.next().then(() => 'ended'),
      new Promise((r) => setTimeout(() => r('open'), 1_200)),
    ]);
    expect(pending).toBe('open');
    server.faults.silenceWatches(false);
    expect(await w.next()).toBeUndefined();
  });

  it('latency delays requests and 0 turns it off', async () => {
    server.faults.latency(30);
    const t0 = Date.now();
    await call('GET', '/version');
    const delayed = Date.now() - t0;
    server.faults.latency(0);
    expect(delayed).toBeGreaterThanOrEqual(25);
    expect(server.faults.delay).toBe(0);
  });
});
