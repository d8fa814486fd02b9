/**
 * Differential: exec, attach, port-forward and logs of Pods through `Api<Pod>`. The
 * refusals (a Pod without a node, a container that does not exist, a user without
 * `create` on pods/exec) hold on both backends as they are. The streams themselves need a
 * Pod that runs: MemoryApiServer's container runtime runs the exec'd commands as local
 * processes and forwards ports to local addresses, as kwok's fake kubelet does on the
 * real backend.
 */
import { createServer, type Server, connect as tcpConnect } from 'node:net';
import type { Readable } from 'node:stream';
import { Api, Client, PodStreamError } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { nodes, type Pod } from '@kube-ts/k8s/core/v1';
import { roleBindings, roles } from '@kube-ts/k8s/rbac/v1';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execLocally, forwardLocally } from './local-containers.js';
import { type E2eContext, startE2e } from './support.js';

let e2e: E2eContext;
let ns: string;
let pods: Api<Pod>;

async function text(r: Readable | undefined): Promise<string> {
  let out = '';
  for await (const c of r ?? []) out += String(c);
  return out;
}

const pod = (name: string, containers = ['main'], nodeName?: string): Pod => ({
  metadata: { name },
  spec: {
    ...(nodeName ? { nodeName } : {}),
    containers: containers.map((c) => ({ name: c, image: 'registry.invalid/none' })),
  },
});

beforeAll(async () => {
  e2e = await startE2e();
  ns = await e2e.namespace('streams');
  pods = Api.namespaced(e2e.client, resources.pods, ns);
});

afterAll(async () => {
  await e2e?.stop();
});

describe('refusals say what to do', () => {
  it('a Pod not scheduled to a node: 400, wait until it runs', async () => {
    await pods.create(pod('unscheduled'));
    const err = await pods.exec('unscheduled', ['true']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PodStreamError);
    expect((err as PodStreamError).code).toBe(400);
    expect((err as PodStreamError).message).toMatch(
      /pod unscheduled does not have a host assigned; the Pod is not scheduled to a node yet/,
    );
    const attach = await pods.attach('unscheduled').catch((e: unknown) => e);
    expect((attach as PodStreamError).code).toBe(400);
    const forward = await pods.portForward('unscheduled', [80]).catch((e: unknown) => e);
    expect((forward as PodStreamError).code).toBe(400);
    expect(await pods.logs('unscheduled')).toBe('');
  });

  it('a container the Pod does not have: 400, name one of its containers', async () => {
    await pods.create(pod('two', ['a', 'b']));
    const none = await pods.exec('two', ['true']).catch((e: unknown) => e);
    expect((none as PodStreamError).message).toMatch(
      /a container name must be specified for pod two, choose one of: \[a b\]; set options.container/,
    );
    const wrong = await pods.exec('two', ['true'], { container: 'c' }).catch((e: unknown) => e);
    expect((wrong as PodStreamError).code).toBe(400);
    expect((wrong as PodStreamError).message).toMatch(/container c is not valid for pod two/);
  });

  it('a Pod that does not exist: 404', async () => {
    const err = await pods.exec('missing', ['true']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PodStreamError);
    expect((err as PodStreamError).code).toBe(404);
    expect((err as PodStreamError).message).toMatch(/pods "missing" not found/);
  });

  it('a user allowed to get pods/exec but not create it: 403 naming the verbs', async () => {
    const sa = Api.namespaced(e2e.client, resources.serviceAccounts, ns);
    await sa.create({ metadata: { name: 'getter' } });
    await Api.namespaced(e2e.client, roles, ns).create({
      metadata: { name: 'exec-get' },
      rules: [{ apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['get'] }],
    });
    await Api.namespaced(e2e.client, roleBindings, ns).create({
      metadata: { name: 'exec-get' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'exec-get' },
      subjects: [{ kind: 'ServiceAccount', name: 'getter', namespace: ns }],
    });
    const token = (await sa.token('getter')).status?.token ?? '';
    const admin = e2e.backend.kubeConfig;
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser(admin.getCurrentCluster()!, { name: 'getter', token });
    const client = Client.fromKubeConfig(kc);
    try {
      const err = await Api.namespaced(client, resources.pods, ns)
        .exec('unscheduled', ['true'])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PodStreamError);
      expect((err as PodStreamError).code).toBe(403);
      expect((err as PodStreamError).message).toMatch(
        /pods "unscheduled" is forbidden: .*'create' and 'get' verbs on pods\/exec/,
      );
    } finally {
      client.close();
    }
  });
});

/**
 * Streams of running Pods. MemoryApiServer: the Pod is bound to a Node and made Running
 * through its status, and its containers run commands locally.
 */
describe.runIf(process.env.KUBE_TS_E2E_BACKEND !== 'real')('streams of a running Pod', () => {
  let echo: Server;
  let echoPort: number;

  beforeAll(async () => {
    echo = createServer((s) => s.pipe(s));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoPort = (echo.address() as { port: number }).port;
    const containers = e2e.backend.containers!;
    await Api.cluster(e2e.client, nodes)
      .create({ metadata: { name: `node-${ns}` } })
      .catch(() => undefined);
    await pods.create(pod('runner', ['main'], `node-${ns}`));
    await pods.patchStatus('runner', { type: 'merge', body: { status: { phase: 'Running' } } });
    execLocally(containers, ns, 'runner');
    forwardLocally(containers, ns, 'runner', 8080, echoPort);
  });

  afterAll(async () => {
    await new Promise((resolve) => echo?.close(resolve));
  });

  it('exec: stdout, stderr, stdin and the exit code', async () => {
    const p = await pods.exec('runner', ['sh', '-c', 'cat; echo oops >&2; exit 7'], {
      stdin: true,
    });
    const out = text(p.stdout);
    const err = text(p.stderr);
    p.stdin?.end('from stdin\n');
    expect(await out).toBe('from stdin\n');
    expect(await err).toBe('oops\n');
    expect((await p.exit).exitCode).toBe(7);
    const ok = await pods.exec('runner', ['true']);
    expect((await ok.exit).exitCode).toBe(0);
  });

  it('exec with a terminal: one output stream, resizes are sent', async () => {
    const p = await pods.exec('runner', ['sh', '-c', 'read x; echo "got $x"; echo err >&2'], {
      tty: true,
      stdin: true,
    });
    expect(p.stderr).toBeUndefined();
    p.resize({ width: 100, height: 30 });
    p.stdin?.write('hi\n');
    expect(await text(p.stdout)).toBe('got hi\nerr\n');
    expect((await p.exit).exitCode).toBe(0);
  });

  it('attach: the main process output', async () => {
    e2e.backend.containers?.onAttach(ns, 'runner', (s) => {
      s.stdout?.write('main process\n');
      return 0;
    });
    const p = await pods.attach('runner', { stderr: false });
    expect(await text(p.stdout)).toBe('main process\n');
    expect((await p.exit).exitCode).toBe(0);
  });

  it('port-forward: a TCP round trip through a local listener and a duplex', async () => {
    const listener = await pods.portForwardListener('runner', 8080);
    try {
      const socket = tcpConnect(listener.port, listener.host);
      socket.write('ping');
      const got = await new Promise<string>((resolve) =>
        socket.once('data', (d) => resolve(String(d))),
      );
      expect(got).toBe('ping');
      socket.destroy();
    } finally {
      await listener.close();
    }
    const pf = await pods.portForward('runner', [8080]);
    const s = pf.stream(8080);
    s.write('pong');
    const back = await new Promise<string>((resolve) => s.once('data', (d) => resolve(String(d))));
    expect(back).toBe('pong');
    pf.close();
    await pf.closed;
  });

  it('logs: follow, then cancel without reconnecting', async () => {
    const containers = e2e.backend.containers!;
    containers.writeLog(ns, 'runner', 'main', 'first\n');
    const ac = new AbortController();
    const lines: string[] = [];
    for await (const line of pods.logs('runner', { follow: true, signal: ac.signal })) {
      lines.push(line);
      if (line === 'first') containers.writeLog(ns, 'runner', 'main', 'second\n');
      if (line === 'second') ac.abort();
    }
    expect(lines).toEqual(['first', 'second']);
    expect(await pods.logs('runner')).toBe('first\nsecond\n');
  });
});
