import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from '@kube-ts/core';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { Client } from './client.js';
import {
  closeAfterEach,
  type Fixture,
  json,
  kubeConfigFor,
  startFixture,
  TEST_TOKEN,
} from './fixture.test-helper.js';
import type { MiddlewareRequest, MiddlewareResponse } from './middleware.js';

let fixture: Fixture | undefined;
let client: Client | undefined;
closeAfterEach(() => [client, fixture]);

describe('middleware', () => {
  it('sees every request (watches and retries too), in order, and can add headers', async () => {
    let failures = 1;
    fixture = await startFixture((_req, res, seen) => {
      if (seen.url.includes('watch=true')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"type":"ADDED","object":{}}\n');
      } else if (seen.url === '/flaky' && failures-- > 0) json(res, 503, {});
      else json(res, 200, { ok: seen.method });
    });
    const log: string[] = [];
    const requests: MiddlewareRequest[] = [];
    client = Client.fromKubeConfig(fixture.kubeConfig, {
      retry: { baseDelayMs: 1, maxDelayMs: 1 },
      middleware: [
        async (request, next) => {
          log.push('outer in');
          const res = await next({
            ...request,
            headers: { ...request.headers, 'X-Trace-Id': 'trace-1' },
          });
          log.push(`outer out ${res.status}`);
          return res;
        },
        async (request, next) => {
          requests.push(request);
          log.push('inner');
          return next(request);
        },
      ],
    });
    await client.request({ method: 'POST', path: '/things', body: { a: 1 } });
    await client.request({ method: 'GET', path: '/flaky' });
    const watch = await client.requestStream({ method: 'GET', path: '/w', query: { watch: true } });
    watch.destroy();
    expect(fixture.seen.map((s) => [s.method, s.url, s.headers['x-trace-id']])).toEqual([
      ['POST', '/things', 'trace-1'],
      ['GET', '/flaky', 'trace-1'],
      ['GET', '/flaky', 'trace-1'],
      ['GET', '/w?watch=true', 'trace-1'],
    ]);
    expect(requests.map((r) => [r.method, r.url.pathname, r.stream])).toEqual([
      ['POST', '/things', false],
      ['GET', '/flaky', false],
      ['GET', '/flaky', false],
      ['GET', '/w', true],
    ]);
    expect(requests[0]!.body?.toString()).toBe('{"a":1}');
    // Credentials are added below the middleware: it never sees them.
    expect(JSON.stringify(requests.map((r) => r.headers))).not.toContain(TEST_TOKEN);
    expect(fixture.seen[0]!.headers.authorization).toBe(`Bearer ${TEST_TOKEN}`);
    expect(log).toEqual([
      'outer in',
      'inner',
      'outer out 200',
      'outer in',
      'inner',
      'outer out 503',
      'outer in',
      'inner',
      'outer out 200',
      'outer in',
      'inner',
      'outer out 200',
    ]);
  });

  it('a header it sets replaces the credential’s (custom auth), and its error fails the call', async () => {
    fixture = await startFixture((_req, res) => json(res, 200, {}));
    client = Client.fromKubeConfig(fixture.kubeConfig, {
      middleware: [
        (request, next) => {
          if (request.url.pathname === '/refused') throw new Error('blocked by policy');
          return next({ ...request, headers: { ...request.headers, Authorization: 'Custom x' } });
        },
      ],
    });
    await client.request({ method: 'GET', path: '/a' });
    expect(fixture.seen[0]!.headers.authorization).toBe('Custom x');
    await expect(client.request({ method: 'GET', path: '/refused' })).rejects.toThrow(
      'blocked by policy',
    );
  });

  it('runs around WebSocket upgrades: sees the subprotocols and the 101, its headers are sent', async () => {
    const handshakes: IncomingHttpHeaders[] = [];
    const closed: Promise<void>[] = [];
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    wss.on('connection', (socket, req) => {
      handshakes.push(req.headers);
      closed.push(new Promise((resolve) => socket.once('close', () => resolve())));
    });
    await new Promise((resolve) => wss.once('listening', resolve));
    const url = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    const seen: { request: MiddlewareRequest; response?: MiddlewareResponse }[] = [];
    let failAfterOpen = false;
    client = Client.fromKubeConfig(kubeConfigFor(url), {
      middleware: [
        async (request, next) => {
          if (request.url.pathname === '/refused') {
            return { status: 403, headers: {}, body: Buffer.from('{"kind":"Status","code":403}') };
          }
          const entry: (typeof seen)[number] = { request };
          seen.push(entry);
          entry.response = await next({
            ...request,
            headers: { ...request.headers, 'X-Trace-Id': 'trace-ws' },
          });
          if (failAfterOpen) throw new Error('blocked after the handshake');
          return entry.response;
        },
      ],
    });
    try {
      const socket = await client.upgrade({ method: 'GET', path: '/exec' }, ['v5.channel.k8s.io']);
      expect(socket.protocol).toBe('v5.channel.k8s.io');
      socket.terminate();
      expect(seen[0]!.request.upgrade).toEqual(['v5.channel.k8s.io']);
      // No Accept: kubelet's routes for the streams declare no representation (406 otherwise).
      expect(seen[0]!.request.headers.Accept).toBeUndefined();
      expect(seen[0]!.response?.status).toBe(101);
      expect(seen[0]!.response?.headers.upgrade).toMatch(/websocket/i);
      expect(seen[0]!.response?.body).toEqual(Buffer.alloc(0));
      expect(handshakes[0]!['x-trace-id']).toBe('trace-ws');
      expect(handshakes[0]!.authorization).toBe(`Bearer ${TEST_TOKEN}`);
      expect(handshakes[0]!.accept).toBeUndefined();
      expect(JSON.stringify(seen[0]!.request.headers)).not.toContain(TEST_TOKEN);

      const refused = await client
        .upgrade({ method: 'GET', path: '/refused' }, ['v5.channel.k8s.io'])
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ApiError);
      expect((refused as ApiError).code).toBe(403);

      // A middleware that fails after the handshake: the call fails and the socket is closed.
      failAfterOpen = true;
      await expect(
        client.upgrade({ method: 'GET', path: '/exec' }, ['v5.channel.k8s.io']),
      ).rejects.toThrow('blocked after the handshake');
      expect(handshakes).toHaveLength(2);
      await closed[1];
    } finally {
      for (const c of wss.clients) c.terminate();
      await new Promise((resolve) => wss.close(resolve));
    }
  });
});
