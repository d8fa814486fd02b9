import { createServer } from 'node:net';
import { ApiError } from '@kube-ts/core';
import { describe, expect, it } from 'vitest';
import { Client } from './client.js';
import { RequestTimeoutError, TransportError } from './errors.js';
import {
  closeAfterEach,
  type Fixture,
  json,
  kubeConfigFor,
  startFixture,
  TEST_TOKEN,
} from './fixture.test-helper.js';
import type { RetryInfo } from './retry.js';

let fixture: Fixture | undefined;
let client: Client | undefined;

closeAfterEach(() => [client, fixture]);

function connect(f: Fixture, retries: RetryInfo[] = [], timeoutMs?: number): Client {
  client = Client.fromKubeConfig(f.kubeConfig, {
    onRetry: (i) => retries.push(i),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return client;
}

const status = (code: number, reason: string, extra: object = {}) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message: `it failed: ${reason}`,
  reason,
  code,
  ...extra,
});

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('Client requests', () => {
  it('sends JSON with the credentials, query and default namespace from the kubeconfig', async () => {
    fixture = await startFixture((_req, res) => json(res, 201, { ok: true }));
    const c = connect(fixture);
    expect(c.defaultNamespace).toBe('ns1');
    const body = await c.request<{ ok: boolean }>({
      method: 'POST',
      path: '/api/v1/namespaces/a/configmaps',
      query: { fieldManager: 'me', dryRun: undefined, limit: 5 },
      body: { a: 'ü' },
    });
    expect(body).toEqual({ ok: true });
    const [seen] = fixture.seen;
    expect(seen?.method).toBe('POST');
    expect(seen?.url).toBe('/api/v1/namespaces/a/configmaps?fieldManager=me&limit=5');
    expect(seen?.headers.authorization).toBe(`Bearer ${TEST_TOKEN}`);
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.headers.accept).toBe('application/json');
    expect(JSON.parse(seen?.body ?? '')).toEqual({ a: 'ü' });
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    fixture = await startFixture((_req, res) => json(res, 200, {}));
    const c = connect(fixture);
    for (let i = 0; i < 5; i++) await c.request({ method: 'GET', path: '/version' });
    expect(fixture.seen).toHaveLength(5);
    expect(fixture.connections()).toBe(1);
  });

  it('keeps the server URL path prefix', async () => {
    fixture = await startFixture((_req, res) => json(res, 200, {}));
    client = Client.fromKubeConfig(kubeConfigFor(`${fixture.url}/k8s/clusters/c1/`));
    await client.request({ method: 'GET', path: '/api/v1/pods' });
    expect(fixture.seen[0]?.url).toBe('/k8s/clusters/c1/api/v1/pods');
  });

  it('turns a Status body into an ApiError carrying it', async () => {
    fixture = await startFixture((_req, res) =>
      json(res, 404, status(404, 'NotFound', { details: { name: 'x' } })),
    );
    const err = await connect(fixture)
      .request({ method: 'GET', path: '/api/v1/namespaces/a/configmaps/x' })
      .catch((e: unknown) => e);
    expect(ApiError.is(err)).toBe(true);
    const e = err as ApiError;
    expect(e.isNotFound()).toBe(true);
    expect(e.status.message).toBe('it failed: NotFound');
    expect(e.details?.name).toBe('x');
  });

  it('builds a Status when the body is not one', async () => {
    fixture = await startFixture((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'text/html' });
      res.end('<html>\n  denied by proxy </html>');
    });
    const err = (await connect(fixture)
      .request({ method: 'GET', path: '/x' })
      .catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.isForbidden()).toBe(true);
    expect(err.status).toMatchObject({ kind: 'Status', code: 403, reason: 'Forbidden' });
    expect(err.message).toContain(
      `GET ${fixture.url}/x returned HTTP 403: <html> denied by proxy </html>`,
    );
  });
});

describe('Client retries', () => {
  it('retries 429 after the Retry-After delay, then succeeds', async () => {
    let n = 0;
    fixture = await startFixture((_req, res) =>
      n++ < 2
        ? json(res, 429, status(429, 'TooManyRequests'), { 'Retry-After': '0' })
        : json(res, 200, { n }),
    );
    const retries: RetryInfo[] = [];
    expect(
      await connect(fixture, retries).request({ method: 'POST', path: '/x', body: {} }),
    ).toEqual({ n: 3 });
    expect(fixture.seen).toHaveLength(3);
    expect(retries.map((r) => [r.retry, r.status, r.delayMs, r.fromRetryAfter])).toEqual([
      [1, 429, 0, true],
      [2, 429, 0, true],
    ]);
  });

  it('waits for Retry-After seconds', async () => {
    let n = 0;
    fixture = await startFixture((_req, res) =>
      n++ === 0
        ? json(res, 503, status(503, 'ServiceUnavailable'), { 'Retry-After': '1' })
        : json(res, 200, {}),
    );
    const retries: RetryInfo[] = [];
    await connect(fixture, retries).request({ method: 'GET', path: '/x' });
    expect(retries).toEqual([
      {
        method: 'GET',
        url: `${fixture.url}/x`,
        retry: 1,
        delayMs: 1000,
        status: 503,
        fromRetryAfter: true,
      },
    ]);
  });

  it('uses details.retryAfterSeconds of the Status when there is no header', async () => {
    let n = 0;
    fixture = await startFixture((_req, res) =>
      n++ === 0
        ? json(res, 429, status(429, 'TooManyRequests', { details: { retryAfterSeconds: 0 } }))
        : json(res, 200, {}),
    );
    const retries: RetryInfo[] = [];
    await connect(fixture, retries).request({ method: 'GET', path: '/x' });
    expect(retries[0]).toMatchObject({ delayMs: 0, fromRetryAfter: true });
  });

  it('gives up after maxRetries (3) with the last ApiError', async () => {
    fixture = await startFixture((_req, res) => json(res, 504, status(504, 'Timeout')));
    const retries: RetryInfo[] = [];
    const err = (await connect(fixture, retries)
      .request({ method: 'GET', path: '/x' })
      .catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe(504);
    expect(fixture.seen).toHaveLength(4);
    expect(retries.map((r) => r.fromRetryAfter)).toEqual([false, false, false]);
    for (const r of retries) expect(r.delayMs).toBeLessThanOrEqual(5);
  });

  it('does not retry a 503 of a POST without Retry-After', async () => {
    fixture = await startFixture((_req, res) => json(res, 503, status(503, 'ServiceUnavailable')));
    const err = await connect(fixture)
      .request({ method: 'POST', path: '/x', body: {} })
      .catch((e: unknown) => e);
    expect((err as ApiError).code).toBe(503);
    expect(fixture.seen).toHaveLength(1);
  });

  it('does not retry other errors', async () => {
    fixture = await startFixture((_req, res) => json(res, 500, status(500, 'InternalError')));
    await expect(connect(fixture).request({ method: 'GET', path: '/x' })).rejects.toBeInstanceOf(
      ApiError,
    );
    expect(fixture.seen).toHaveLength(1);
  });

  it('does not wait for a Retry-After longer than maxRetryAfterMs', async () => {
    fixture = await startFixture((_req, res) =>
      json(res, 429, status(429, 'TooManyRequests'), { 'Retry-After': '3600' }),
    );
    const err = (await connect(fixture)
      .request({ method: 'GET', path: '/x' })
      .catch((e: unknown) => e)) as ApiError;
    expect(err.isTooManyRequests()).toBe(true);
    expect(fixture.seen).toHaveLength(1);
  });

  it('retries a GET whose connection was cut, but never a POST that may have been sent', async () => {
    let n = 0;
    fixture = await startFixture((req, res) => {
      if (req.method === 'POST' || n++ === 0) req.socket.destroy();
      else json(res, 200, { ok: 1 });
    });
    const retries: RetryInfo[] = [];
    const c = connect(fixture, retries);
    expect(await c.request({ method: 'GET', path: '/x' })).toEqual({ ok: 1 });
    expect(retries).toHaveLength(1);
    const err = (await c
      .request({ method: 'POST', path: '/y', body: {} })
      .catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.method).toBe('POST');
    expect(fixture.seen.filter((s) => s.method === 'POST')).toHaveLength(1);
    expect(retries).toHaveLength(1);
  });
});

describe('Client transport errors', () => {
  it('names method and URL, keeps the cause, never the token; refused connections are retried', async () => {
    const port = await closedPort();
    const retries: RetryInfo[] = [];
    client = Client.fromKubeConfig(kubeConfigFor(`http://127.0.0.1:${port}`), {
      retry: { baseDelayMs: 1, maxDelayMs: 2 },
      onRetry: (i) => retries.push(i),
    });
    const err = (await client
      .request({ method: 'POST', path: '/api/v1/namespaces', body: {} })
      .catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toContain(`POST http://127.0.0.1:${port}/api/v1/namespaces failed`);
    expect(err.errorCode).toBe('ECONNREFUSED');
    expect(err.cause).toBeInstanceOf(Error);
    expect(err.message).not.toContain(TEST_TOKEN);
    expect(JSON.stringify(err)).not.toContain(TEST_TOKEN);
    expect(retries).toHaveLength(3);
  });

  it('times out a request that gets no response, without retrying', async () => {
    fixture = await startFixture(() => {});
    const retries: RetryInfo[] = [];
    const err = (await connect(fixture, retries, 100)
      .request({ method: 'GET', path: '/slow' })
      .catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.errorCode).toBe('ETIMEDOUT');
    expect(err.message).toContain('no complete response within 100 ms');
    expect(retries).toHaveLength(0);
  });

  it('a per-request timeoutMs overrides the client default', async () => {
    fixture = await startFixture(() => {});
    const err = (await connect(fixture)
      .request({ method: 'GET', path: '/slow', timeoutMs: 50 })
      .catch((e: unknown) => e)) as TransportError;
    expect(err.errorCode).toBe('ETIMEDOUT');
  });

  it("aborting the signal cancels the request: it rejects with the signal's reason", async () => {
    fixture = await startFixture(() => {});
    const ac = new AbortController();
    const p = connect(fixture).request({ method: 'GET', path: '/slow', signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    const err = await p.catch((e: unknown) => e);
    expect(err).toBe(ac.signal.reason);
    expect((err as Error).name).toBe('AbortError');
    const mine = new AbortController();
    const reason = new Error('shutting down');
    const q = connect(fixture).request({ method: 'GET', path: '/slow', signal: mine.signal });
    setTimeout(() => mine.abort(reason), 20);
    expect(await q.catch((e: unknown) => e)).toBe(reason);
  });

  it('a call timeout, a client timeout and AbortSignal.timeout are RequestTimeoutErrors, not aborts', async () => {
    fixture = await startFixture(() => {});
    const c = connect(fixture);
    const byCall = await c
      .request({ method: 'GET', path: '/slow', timeoutMs: 50 })
      .catch((e: unknown) => e);
    expect(byCall).toBeInstanceOf(RequestTimeoutError);
    expect((byCall as RequestTimeoutError).timeoutMs).toBe(50);
    expect((byCall as Error).message).toMatch(/no complete response within 50 ms/);
    const bySignal = await c
      .request({ method: 'GET', path: '/slow', signal: AbortSignal.timeout(50) })
      .catch((e: unknown) => e);
    expect(bySignal).toBeInstanceOf(RequestTimeoutError);
    expect((bySignal as Error).message).toMatch(/signal timed out/);
    c.close();
    const byClient = await connect(fixture, [], 50)
      .request({ method: 'GET', path: '/slow' })
      .catch((e: unknown) => e);
    expect(byClient).toBeInstanceOf(RequestTimeoutError);
    expect((byClient as RequestTimeoutError).errorCode).toBe('ETIMEDOUT');
  });

  it('a call timeout covers the retries and their waits', async () => {
    fixture = await startFixture((_req, res) => json(res, 503, {}, { 'Retry-After': '1' }));
    const started = Date.now();
    const err = await connect(fixture)
      .request({ method: 'GET', path: '/busy', timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(Date.now() - started).toBeLessThan(900);
    expect(fixture.seen.length).toBe(1);
  });

  it('fails requests after close()', async () => {
    fixture = await startFixture((_req, res) => json(res, 200, {}));
    const c = connect(fixture);
    c.close();
    await expect(c.request({ method: 'GET', path: '/x' })).rejects.toThrow(/the client is closed/);
  });
});

describe('Client connection pools', () => {
  it('ordinary requests use at most maxConnections connections; the rest wait their turn', async () => {
    let inFlight = 0;
    let most = 0;
    fixture = await startFixture((_req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        json(res, 200, { ok: true });
      }, 20);
    });
    client = Client.fromKubeConfig(fixture.kubeConfig, { maxConnections: 2 });
    const c = client;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => c.request<{ ok: boolean }>({ method: 'GET', path: '/x' })),
    );
    expect(results).toEqual(Array.from({ length: 6 }, () => ({ ok: true })));
    expect(most).toBe(2);
    expect(fixture.connections()).toBe(2);
  });

  it('open watches have their own pool: they never hold up ordinary requests', async () => {
    fixture = await startFixture((req, res) => {
      if (req.url?.includes('watch=true')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('\n'); // headers out; the stream stays open
        return;
      }
      json(res, 200, { ok: true });
    });
    client = Client.fromKubeConfig(fixture.kubeConfig, { maxConnections: 1 });
    const streams = await Promise.all(
      [1, 2, 3].map(() =>
        (client as Client).requestStream({ method: 'GET', path: '/w', query: { watch: true } }),
      ),
    );
    expect(await client.request({ method: 'GET', path: '/x', timeoutMs: 2000 })).toEqual({
      ok: true,
    });
    for (const s of streams) s.destroy();
  });

  it('rejects a maxConnections that is not a positive integer', async () => {
    fixture = await startFixture((_req, res) => json(res, 200, {}));
    const kc = fixture.kubeConfig;
    expect(() => Client.fromKubeConfig(kc, { maxConnections: 0 })).toThrow(
      /maxConnections must be a positive integer, got 0/,
    );
  });
});
