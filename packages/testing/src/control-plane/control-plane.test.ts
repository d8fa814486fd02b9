import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlPlane } from './control-plane.js';
import { ControlPlaneError } from './errors.js';
import { fakeExecutable, tempDir } from './fixtures.test-helper.js';
import { freePort, LOOPBACK } from './ports.js';
import { BUILD_BINARIES_COMMAND } from './version.js';

// Start-up failures, with fake executables; the real binaries are exercised in
// control-plane.real.test.ts.

let root: string;
let cleanup: () => Promise<void>;
let held: Server | undefined;

beforeEach(async () => {
  ({ path: root, cleanup } = await tempDir());
});
afterEach(async () => {
  await new Promise<void>((resolve) => (held ? held.close(() => resolve()) : resolve()));
  held = undefined;
  await cleanup();
});

/** A fake etcd that answers 200 on every path of its --listen-client-urls port, and logs its pid. */
async function fakeEtcd(): Promise<string> {
  const script = [
    `exec ${JSON.stringify(process.execPath)} -e '`,
    'const url = process.argv.find((a) => a.startsWith("--listen-client-urls=")).split("=")[1];',
    'const port = Number(new URL(url).port);',
    'require("node:http").createServer((q, s) => s.end("{}")).listen(port, "127.0.0.1");',
    'console.log("fake etcd pid", process.pid);',
    `' -- "$@"`,
  ].join('\n');
  return fakeExecutable(join(root, 'bin', 'etcd'), script);
}

async function controlPlaneDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('kube-ts-control-plane-'));
}

/** Runs `body` with TMPDIR set to a directory of this test, so other control planes do not count. */
async function withPrivateTmpdir<T>(body: () => Promise<T>): Promise<T> {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = root;
  try {
    return await body();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

describe('ControlPlane.start failures', () => {
  it('refuses a node count that is not a whole number, and kwok objects without nodes', async () => {
    await expect(ControlPlane.start({ nodes: -1 })).rejects.toThrow(/nodes must be a whole number/);
    await expect(ControlPlane.start({ nodes: 1.5 })).rejects.toThrow(ControlPlaneError);
    const exec = {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'ClusterExec',
      metadata: { name: 'all' },
      spec: { execs: [] },
    };
    await expect(ControlPlane.start({ kwok: [exec] })).rejects.toThrow(/need nodes/);
  });

  it('tells how to get kube-scheduler and kwok when nodes are asked for without them', async () => {
    const error = await ControlPlane.start({
      nodes: 1,
      binaries: {
        etcd: '/bin/true',
        kubeApiServer: '/bin/true',
        kubeControllerManager: '/bin/true',
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect((error as Error).message).toMatch(/kube-scheduler and kwok/);
  });

  it('tells how to get the binaries when none is found', async () => {
    const error = await ControlPlane.start({
      resolve: { env: {}, cacheRoot: join(root, 'empty-cache') },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect((error as Error).message).toContain(BUILD_BINARIES_COMMAND);
  });

  it('reports an etcd that exits at once, with its output, and leaves no temp directory', async () => {
    const etcd = await fakeExecutable(
      join(root, 'bin', 'etcd'),
      'echo "etcd: bad flag --bogus" >&2; exit 2',
    );
    const kubeApiServer = await fakeExecutable(
      join(root, 'bin', 'kube-apiserver'),
      'exec sleep 60',
    );
    const { error, before, after } = await withPrivateTmpdir(async () => {
      const before = await controlPlaneDirs();
      const error = await ControlPlane.start({ binaries: { etcd, kubeApiServer } }).catch(
        (e: unknown) => e,
      );
      return { error, before, after: await controlPlaneDirs() };
    });
    expect(error).toBeInstanceOf(ControlPlaneError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^etcd exited with status 2 before it became healthy at http:\/\/127\.0\.0\.1:\d+\/health/,
    );
    expect(message).toContain('etcd: bad flag --bogus');
    expect(after.filter((name) => !before.includes(name))).toEqual([]);
  });

  it('reports a kube-apiserver that exits at once, with its output, and stops etcd', async () => {
    const etcd = await fakeEtcd();
    const kubeApiServer = await fakeExecutable(
      join(root, 'bin', 'kube-apiserver'),
      'echo "Error: invalid argument" >&2; exit 1',
    );
    const etcdPort = await freePort();
    const error = await ControlPlane.start({ binaries: { etcd, kubeApiServer }, etcdPort }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ControlPlaneError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^kube-apiserver exited with status 1 before it became healthy at https:\/\/127\.0\.0\.1:\d+\/readyz/,
    );
    expect(message).toContain('Error: invalid argument');
    // etcd was stopped: its port can be bound again.
    held = await new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(etcdPort, LOOPBACK, () => resolve(server));
    });
  });

  it('reports a kube-apiserver that never becomes ready, after startTimeoutMs', async () => {
    const etcd = await fakeEtcd();
    const kubeApiServer = await fakeExecutable(
      join(root, 'bin', 'kube-apiserver'),
      'echo "waiting for etcd"; exec sleep 60',
    );
    const error = await ControlPlane.start({
      binaries: { etcd, kubeApiServer },
      startTimeoutMs: 5_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlPlaneError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^kube-apiserver did not become healthy at https:\/\/127\.0\.0\.1:\d+\/readyz within 5000 ms/,
    );
    expect(message).toContain('waiting for etcd');
  });

  it('says which port is taken when a requested port is in use', async () => {
    const port = await freePort();
    held = await new Promise<Server>((resolve) => {
      const server = createServer();
      server.listen(port, LOOPBACK, () => resolve(server));
    });
    const etcd = await fakeEtcd();
    const kubeApiServer = await fakeExecutable(join(root, 'bin', 'kube-apiserver'));
    const error = await ControlPlane.start({
      binaries: { etcd, kubeApiServer },
      apiServerPort: port,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect((error as Error).message).toContain(
      `Port ${port} on 127.0.0.1, wanted for kube-apiserver, is already in use`,
    );
  });

  it('needs a kube-controller-manager binary when controllerManager is on', async () => {
    const etcd = await fakeEtcd();
    const kubeApiServer = await fakeExecutable(join(root, 'bin', 'kube-apiserver'));
    const error = await ControlPlane.start({
      binaries: { etcd, kubeApiServer },
      controllerManager: true,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect((error as Error).message).toContain('needs a kube-controller-manager binary');
  });
});

describe('ControlPlane.start when a picked port is taken before it is bound', () => {
  /** A fake etcd that logs each run to `runs` and says its port is taken while `taken` exists. */
  async function etcdFindingPortTaken(runs: string, taken: string): Promise<string> {
    return fakeExecutable(
      join(root, 'bin', 'etcd'),
      [
        `echo run >> ${JSON.stringify(runs)}`,
        `if [ -e ${JSON.stringify(taken)} ]; then`,
        `  rm -f ${JSON.stringify(taken)}`,
        '  echo \'{"level":"fatal","msg":"discovery failed","error":"listen tcp 127.0.0.1:1: bind: address already in use"}\' >&2',
        '  exit 1',
        'fi',
        'echo "etcd: some other failure" >&2; exit 3',
      ].join('\n'),
    );
  }

  it('starts again on other ports, and then reports what went wrong next', async () => {
    const runs = join(root, 'runs');
    const taken = join(root, 'taken');
    await writeFile(taken, '');
    const etcd = await etcdFindingPortTaken(runs, taken);
    const kubeApiServer = await fakeExecutable(join(root, 'bin', 'kube-apiserver'));
    const error = await ControlPlane.start({ binaries: { etcd, kubeApiServer } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect((error as Error).message).toContain('etcd: some other failure');
    expect((await readFile(runs, 'utf8')).split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('gives up after three tries, saying the port is taken', async () => {
    const runs = join(root, 'runs');
    const etcd = await fakeExecutable(
      join(root, 'bin', 'etcd'),
      [
        `echo run >> ${JSON.stringify(runs)}`,
        'echo "listen tcp 127.0.0.1:1: bind: address already in use" >&2',
        'exit 1',
      ].join('\n'),
    );
    const kubeApiServer = await fakeExecutable(join(root, 'bin', 'kube-apiserver'));
    const error = await ControlPlane.start({ binaries: { etcd, kubeApiServer } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ControlPlaneError);
    expect((error as Error).message).toContain('a port it needs is already in use');
    expect((await readFile(runs, 'utf8')).split('\n').filter(Boolean)).toHaveLength(3);
  });
});
