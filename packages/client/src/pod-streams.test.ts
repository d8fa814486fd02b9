import { connect } from 'node:net';
import type { Readable } from 'node:stream';
import { ApiError, isForbidden, resources } from '@kube-ts/core';
import { nodes, type Pod } from '@kube-ts/k8s/core/v1';
import { MemoryApiServer } from '@kube-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from './api.js';
import { Client } from './client.js';
import { PodStreamError } from './errors.js';
import { kubeConfigFor } from './fixture.test-helper.js';
import { PortForwardError } from './port-forward.js';

let server: MemoryApiServer;
let client: Client;
let pods: Api<Pod>;
const NS = 'default';

async function text(r: Readable | undefined): Promise<string> {
  let out = '';
  for await (const c of r ?? []) out += String(c);
  return out;
}

async function runningPod(name: string, containers = ['main'], phase = 'Running'): Promise<void> {
  await pods.create({
    metadata: { name },
    spec: { nodeName: 'node-1', containers: containers.map((c) => ({ name: c, image: 'x' })) },
  });
  await pods.patchStatus(name, { type: 'merge', body: { status: { phase } } });
}

beforeAll(async () => {
  server = await MemoryApiServer.start({ bookmarkIntervalMs: 0, tls: true });
  client = Client.fromKubeConfig(server.kubeConfig);
  pods = Api.namespaced(client, resources.pods, NS);
  // kube-apiserver reaches a kubelet at one of the Node's addresses: it needs one.
  await Api.cluster(client, nodes).create({
    metadata: { name: 'node-1' },
    status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] },
  });
});

afterAll(async () => {
  client.close();
  await server.stop();
});

describe('exec', () => {
  it('runs a command over TLS: stdout, stderr, stdin, exit code', async () => {
    await runningPod('exec-1');
    server.containers.onExec(NS, 'exec-1', async (s) => {
      expect(s.command).toEqual(['sh', '-c', 'cat; exit 3']);
      s.stderr?.write('warn\n');
      for await (const chunk of s.stdin ?? []) s.stdout?.write(String(chunk).toUpperCase());
      return 3;
    });
    const p = await pods.exec('exec-1', ['sh', '-c', 'cat; exit 3'], { stdin: true });
    expect(p.protocol).toBe('v5.channel.k8s.io');
    const out = text(p.stdout);
    const err = text(p.stderr);
    p.stdin?.write('hello ');
    p.stdin?.end('world');
    expect(await out).toBe('HELLO WORLD');
    expect(await err).toBe('warn\n');
    const exit = await p.exit;
    expect(exit.exitCode).toBe(3);
    expect(exit.status.reason).toBe('NonZeroExitCode');
  });

  it('tty: one output stream, resizes reach the handler', async () => {
    await runningPod('exec-tty');
    const seen: { width: number; height: number }[] = [];
    server.containers.onExec(NS, 'exec-tty', async (s) => {
      expect(s.tty).toBe(true);
      expect(s.stderr).toBeUndefined();
      await new Promise<void>((resolve) =>
        s.onResize((size) => {
          seen.push(size);
          if (seen.length === 2) resolve();
        }),
      );
      s.stdout?.write(`${seen.map((x) => `${x.width}x${x.height}`).join(',')}\n`);
      return 0;
    });
    const p = await pods.exec('exec-tty', ['sh'], { tty: true, stdin: true });
    expect(p.stderr).toBeUndefined();
    p.resize({ width: 80, height: 24 });
    p.resize({ width: 120, height: 40 });
    expect(await text(p.stdout)).toBe('80x24,120x40\n');
    expect((await p.exit).exitCode).toBe(0);
  });

  it('a handler that throws ends with an ApiError; abort rejects exit with the reason', async () => {
    await runningPod('exec-fail');
    server.containers.onExec(NS, 'exec-fail', () => {
      throw new Error('boom');
    });
    const p = await pods.exec('exec-fail', ['x']);
    await expect(p.exit).rejects.toThrow(/boom/);
    await runningPod('exec-hang');
    server.containers.onExec(NS, 'exec-hang', (s) => new Promise(() => s.signal));
    const ac = new AbortController();
    const hung = await pods.exec('exec-hang', ['sleep'], { signal: ac.signal });
    ac.abort(new Error('stop'));
    await expect(hung.exit).rejects.toThrow('stop');
    expect(await text(hung.stdout)).toBe('');
  });

  it('refusals are PodStreamErrors that say what to do', async () => {
    await pods.create({
      metadata: { name: 'pending' },
      spec: { containers: [{ name: 'main', image: 'x' }] },
    });
    const unscheduled = await pods.exec('pending', ['ls']).catch((e: unknown) => e);
    expect(unscheduled).toBeInstanceOf(PodStreamError);
    expect((unscheduled as ApiError).code).toBe(400);
    expect(String(unscheduled)).toMatch(/does not have a host assigned.*wait until it runs/);
    await runningPod('starting', ['main'], 'Pending');
    const notRunning = await pods.exec('starting', ['ls']).catch((e: unknown) => e);
    expect(notRunning).toBeInstanceOf(PodStreamError);
    expect((notRunning as PodStreamError).code).toBe(404);
    expect(String(notRunning)).toMatch(/container not found.*wait until the Pod is Running/);
    await runningPod('two', ['a', 'b']);
    const which = await pods.exec('two', ['ls'], { container: 'c' }).catch((e: unknown) => e);
    expect(String(which)).toMatch(/container c is not valid for pod two.*options\.container/);
    const missing = await pods.exec('nope', ['ls']).catch((e: unknown) => e);
    expect((missing as ApiError).code).toBe(404);
  });

  it('a user without create on pods/exec gets a 403 that names the permission', async () => {
    const sa = Api.namespaced(client, resources.serviceAccounts, NS);
    await sa.create({ metadata: { name: 'reader' } });
    const token = (await sa.token('reader')).status?.token ?? '';
    const kc = kubeConfigFor(server.url, { token });
    kc.clusters[0] = { ...kc.clusters[0]!, caData: Buffer.from(server.ca!).toString('base64') };
    const limited = Client.fromKubeConfig(kc);
    try {
      const err = await Api.namespaced(limited, resources.pods, NS)
        .exec('exec-1', ['ls'])
        .catch((e: unknown) => e);
      expect(isForbidden(err)).toBe(true);
      expect(String(err)).toMatch(/'create' and 'get' verbs on pods\/exec in namespace default/);
    } finally {
      limited.close();
    }
  });

  it('rejects bad arguments without a request', async () => {
    await expect(pods.exec('exec-1', [])).rejects.toThrow(TypeError);
    const cms = Api.namespaced(client, resources.configMaps, NS);
    await expect(cms.exec('x', ['ls'])).rejects.toThrow(/no 'exec' subresource helper/);
  });
});

describe('attach', () => {
  it('attaches to the main process', async () => {
    await runningPod('attach-1');
    server.containers.onAttach(NS, 'attach-1', async (s) => {
      expect(s.command).toEqual([]);
      s.stdout?.write('attached\n');
      return 0;
    });
    const p = await pods.attach('attach-1', { stderr: false });
    expect(p.stderr).toBeUndefined();
    expect(await text(p.stdout)).toBe('attached\n');
    expect((await p.exit).exitCode).toBe(0);
  });
});

describe('port-forward', () => {
  it('a duplex per port; an unserved port reports on its error channel', async () => {
    await runningPod('pf-1');
    server.containers.onPortForward(NS, 'pf-1', 8080, (stream) => {
      stream.once('data', (d: Buffer) => stream.end(`pong:${d}`));
    });
    const pf = await pods.portForward('pf-1', [8080, 9090]);
    const s = pf.stream(8080);
    s.write('ping');
    expect(await text(s)).toBe('pong:ping');
    expect(await text(pf.stream(9090))).toBe('');
    expect(pf.failure(9090)).toBeInstanceOf(PortForwardError);
    expect(String(pf.failure(9090))).toMatch(/port 9090.*connection refused/);
    expect(pf.failure(8080)).toBeUndefined();
    pf.close();
    await pf.closed;
    expect(() => pf.stream(1)).toThrow(TypeError);
  });

  it('a local TCP listener forwards each connection', async () => {
    await runningPod('pf-2');
    server.containers.onPortForward(NS, 'pf-2', 5432, (stream) => {
      stream.on('data', (d: Buffer) => stream.write(`echo:${d}`));
    });
    const listener = await pods.portForwardListener('pf-2', 5432);
    try {
      for (const msg of ['one', 'two']) {
        const sock = connect(listener.port, listener.host);
        sock.write(msg);
        const got = await new Promise<string>((resolve) =>
          sock.once('data', (d) => resolve(String(d))),
        );
        expect(got).toBe(`echo:${msg}`);
        sock.destroy();
      }
    } finally {
      await listener.close();
    }
  });
});

describe('logs', () => {
  it('logStream: a Readable that follows; abort ends it quietly', async () => {
    await runningPod('log-2');
    server.containers.writeLog(NS, 'log-2', 'main', 'x\n');
    const ac = new AbortController();
    const r = await pods.logStream('log-2', { follow: true, signal: ac.signal });
    let got = '';
    for await (const chunk of r) {
      got += String(chunk);
      if (got === 'x\n') server.containers.writeLog(NS, 'log-2', 'main', 'y\n');
      if (got === 'x\ny\n') ac.abort();
    }
    expect(got).toBe('x\ny\n');
    expect(r.readableEnded).toBe(true);
  });

  it('logStream: the socket is not read while the Readable is full', async () => {
    await runningPod('log-3');
    server.containers.writeLog(NS, 'log-3', 'main', 'z'.repeat(4 * 1024 * 1024));
    server.containers.endLog(NS, 'log-3', 'main');
    const r = await pods.logStream('log-3', { follow: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Unread, it holds at most its buffer and what the socket had before it paused.
    expect(r.readableLength).toBeLessThan(1024 * 1024);
    let n = 0;
    for await (const chunk of r) n += (chunk as Buffer).length;
    expect(n).toBe(4 * 1024 * 1024);
  });

  it('follows what the test writes; abort ends the iteration', async () => {
    await runningPod('log-1');
    server.containers.writeLog(NS, 'log-1', 'main', 'a\nb\n');
    expect(await pods.logs('log-1')).toBe('a\nb\n');
    expect(await pods.logs('log-1', { tailLines: 1 })).toBe('b\n');
    const ac = new AbortController();
    const lines: string[] = [];
    for await (const line of pods.logs('log-1', { follow: true, signal: ac.signal })) {
      lines.push(line);
      if (line === 'b') server.containers.writeLog(NS, 'log-1', 'main', 'c\n');
      if (line === 'c') ac.abort();
    }
    expect(lines).toEqual(['a', 'b', 'c']);
    server.containers.endLog(NS, 'log-1', 'main');
    const rest: string[] = [];
    for await (const line of pods.logs('log-1', { follow: true })) rest.push(line);
    expect(rest).toEqual(['a', 'b', 'c']);
  });
});

it('an ApiError stays an ApiError', () => {
  expect(
    new PodStreamError(
      new ApiError({ code: 403, reason: 'Forbidden', message: 'no' }),
      'exec',
      'ns',
    ),
  ).toBeInstanceOf(ApiError);
});
