import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MemoryApiServer } from '../server.js';
import { adminHeaders } from '../test-client.test-helper.js';

let server: MemoryApiServer;
const NS = 'default';

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
      ...adminHeaders(server),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function pod(name: string, phase = 'Running'): Promise<void> {
  await call('POST', `/api/v1/namespaces/${NS}/pods`, {
    metadata: { name },
    spec: { nodeName: 'n1', containers: [{ name: 'main', image: 'x' }] },
  });
  await call('PATCH', `/api/v1/namespaces/${NS}/pods/${name}/status`, { status: { phase } });
}

/** Opens a WebSocket and collects its messages until it closes. */
function open(path: string, protocols: string[]) {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, protocols);
  const messages: Buffer[] = [];
  ws.on('message', (d: Buffer) => messages.push(d));
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, closed, opened };
}

beforeAll(async () => {
  server = await MemoryApiServer.start({ bookmarkIntervalMs: 0 });
  await call('POST', '/api/v1/nodes', {
    metadata: { name: 'n1' },
    status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] },
  });
});

afterAll(async () => {
  await server.stop();
});

describe('exec over v4.channel.k8s.io', () => {
  it('opens each channel, then sends output and the exit Status', async () => {
    await pod('p1');
    server.containers.onExec(NS, 'p1', (s) => {
      s.stdout?.write('out');
      return 2;
    });
    const c = open(`/api/v1/namespaces/${NS}/pods/p1/exec?command=x&stdout=true`, [
      'v4.channel.k8s.io',
    ]);
    await c.opened;
    expect(c.ws.protocol).toBe('v4.channel.k8s.io');
    await c.closed;
    expect(c.messages.filter((m) => m.length === 1).map((m) => m[0])).toEqual([1, 3]);
    const data = c.messages.filter((m) => m.length > 1);
    expect(data[0]!.toString()).toBe('\x01out');
    expect(data[1]![0]).toBe(3);
    expect(JSON.parse(data[1]!.subarray(1).toString())).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '2' }] },
    });
  });

  it('refuses before upgrading: unknown subprotocol, no command, pod not running', async () => {
    await pod('p2', 'Pending');
    const statusOf = async (path: string, protocols: string[]) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, protocols);
      return new Promise<number>((resolve) =>
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
      );
    };
    expect(await statusOf(`/api/v1/namespaces/${NS}/pods/p1/exec?command=x`, ['foo'])).toBe(400);
    expect(await statusOf(`/api/v1/namespaces/${NS}/pods/p1/exec`, ['v4.channel.k8s.io'])).toBe(
      400,
    );
    expect(
      await statusOf(`/api/v1/namespaces/${NS}/pods/p2/exec?command=x`, ['v4.channel.k8s.io']),
    ).toBe(404);
  });
});

describe('port-forward', () => {
  it('opens the data and error channels of each port with its number', async () => {
    await pod('p3');
    server.containers.onPortForward(NS, 'p3', 80, (stream) =>
      stream.on('data', (d: Buffer) => stream.end(d)),
    );
    const c = open(`/api/v1/namespaces/${NS}/pods/p3/portforward?ports=80`, ['v4.channel.k8s.io']);
    await c.opened;
    c.ws.send(Buffer.from([0, 0x68, 0x69]));
    await c.closed;
    expect(c.messages.map((m) => [...m])).toEqual([
      [0, 80, 0],
      [1, 80, 0],
      [0, 0x68, 0x69],
    ]);
  });
});

describe('logs', () => {
  it('a scheduled Pod on a missing Node answers 404 naming the Node as a pod', async () => {
    await call('POST', `/api/v1/namespaces/${NS}/pods`, {
      metadata: { name: 'lost' },
      spec: { nodeName: 'gone', containers: [{ name: 'main', image: 'x' }] },
    });
    const r = await call('GET', `/api/v1/namespaces/${NS}/pods/lost/log`);
    expect(r.status).toBe(404);
    expect(((await r.json()) as { message: string }).message).toBe('pods "gone" not found');
  });

  it('follow streams later writes until endLog', async () => {
    await pod('p4');
    server.containers.writeLog(NS, 'p4', 'main', 'one\n');
    const r = await call('GET', `/api/v1/namespaces/${NS}/pods/p4/log?follow=true`);
    const reader = r.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('one\n');
    server.containers.writeLog(NS, 'p4', 'main', 'two\n');
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('two\n');
    server.containers.endLog(NS, 'p4', 'main');
    expect((await reader.read()).done).toBe(true);
  });
});
