import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import {
  type ControlPlaneBinaries,
  type ControlPlaneComponent,
  resolveBinaries,
} from './binaries.js';
import { type CertificateFiles, DEFAULT_ADMIN, generateCertificates } from './certificates.js';
import {
  apiServerFlags,
  controllerManagerFlags,
  etcdFlags,
  kubeletClientFlags,
  kwokFlags,
  schedulerFlags,
} from './component-flags.js';
import {
  type ControlPlaneOptions,
  checkBinaries,
  plannedComponents,
  STOP_ORDER,
} from './control-plane-options.js';
import { ControlPlaneError, PortTakenError } from './errors.js';
import { compactEtcd } from './etcd-compaction.js';
import { onProcessExit } from './exit-cleanup.js';
import { createFakeNodes, nodesReady } from './fake-nodes.js';
import { sendRequest, type TlsClientIdentity } from './http-request.js';
import { renderKubeconfig } from './kubeconfig.js';
import { type KwokResource, stagesDirectory, writeKwokConfig } from './kwok-config.js';
import { assertPortFree, freePort, LOOPBACK } from './ports.js';
import { waitUntilHealthy } from './readiness.js';
import {
  CONTROL_PLANE_DIR_PREFIX,
  markOwned,
  removeStaleDirectories,
} from './stale-directories.js';
import { SupervisedProcess } from './supervised-process.js';

interface Settings {
  readonly dir: string;
  readonly binaries: ControlPlaneBinaries;
  readonly certs: CertificateFiles;
  readonly tls: TlsClientIdentity;
  readonly apiServerPort: number;
  readonly etcdUrl: string;
  readonly apiServerFlags: readonly string[];
  readonly startTimeoutMs: number;
  /** Every process started, shared with the exit cleanup. */
  readonly processes: Set<SupervisedProcess>;
}

/**
 * A real Kubernetes control plane for tests: etcd and kube-apiserver (and optionally
 * kube-controller-manager) as child processes on 127.0.0.1, with a generated CA, serving
 * certificate and an admin client certificate, all in a fresh temporary directory.
 *
 * ```ts
 * const cp = await ControlPlane.start();
 * try {
 *   // use cp.kubeConfig, cp.url, cp.kubeconfigPath (for kubectl)
 * } finally {
 *   await cp.stop();
 * }
 * ```
 *
 * The processes and the temporary directory are removed by {@link ControlPlane.stop}, and
 * also when the Node process exits or receives SIGINT/SIGTERM/SIGHUP; if the Node process
 * is killed outright (SIGKILL), each process's supervisor notices and kills it, and the
 * next `ControlPlane.start` removes the directory left behind.
 */
export class ControlPlane {
  /** The API server's base URL, `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** etcd's client URL, `http://127.0.0.1:<port>` (e.g. to force a compaction). */
  readonly etcdUrl: string;
  /** A KubeConfig for the admin user (client certificate; CA of the serving certificate). */
  readonly kubeConfig: KubeConfig;
  /** Path of the same kubeconfig as a file, for `kubectl --kubeconfig`. Removed by `stop()`. */
  readonly kubeconfigPath: string;
  /** The admin user's PEM client certificate, key and CA, e.g. for `node:https` requests. */
  readonly tls: TlsClientIdentity;
  /** The temporary directory holding data, certificates and the kubeconfig. */
  readonly dir: string;
  /** The executables in use. */
  readonly binaries: ControlPlaneBinaries;

  readonly #settings: Settings;
  readonly #processes = new Map<ControlPlaneComponent, SupervisedProcess>();
  readonly #unregisterExitCleanup: () => void;
  #stopped = false;
  #nodeNames: readonly string[] = [];

  private constructor(
    settings: Settings,
    kubeconfigPath: string,
    kubeconfigText: string,
    unregister: () => void,
  ) {
    this.#settings = settings;
    this.url = `https://${LOOPBACK}:${settings.apiServerPort}`;
    this.etcdUrl = settings.etcdUrl;
    this.tls = settings.tls;
    this.dir = settings.dir;
    this.binaries = settings.binaries;
    this.kubeconfigPath = kubeconfigPath;
    this.kubeConfig = new KubeConfig();
    this.kubeConfig.loadFromString(kubeconfigText);
    this.#unregisterExitCleanup = unregister;
  }

  /**
   * Starts etcd, then kube-apiserver (waiting for `/readyz`), then, if asked,
   * kube-controller-manager (waiting for `/healthz`), then, with `nodes`, kube-scheduler
   * and kwok (waiting for their `/healthz` and for every fake Node to be Ready). On failure, everything started so far
   * is stopped and removed before the error is thrown. When a process exits because a port
   * picked for it was taken in the meantime, start-up is tried again on other ports (three
   * tries in all).
   *
   * @throws {ControlPlaneError} when a binary is missing (naming where it looked and how to
   *   build it), a port is taken, or a process exits or does not become
   *   healthy in time (with its last 30 log lines).
   */
  static async start(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await ControlPlane.#startOnce(options);
      } catch (error) {
        // The ports picked were free a moment before the processes bound them; in between
        // another process may take one (an outgoing connection's local port, most often, as
        // both come from the ephemeral range). Everything was stopped: start again on others.
        if (!(error instanceof PortTakenError) || attempt >= START_ATTEMPTS) throw error;
      }
    }
  }

  static async #startOnce(options: ControlPlaneOptions): Promise<ControlPlane> {
    const { nodes, controllerManager } = plannedComponents(options);
    const binaries = checkBinaries(
      options.binaries ??
        (await resolveBinaries({ ...options.resolve, controllerManager, nodes: nodes > 0 })),
      { nodes, controllerManager },
    );
    const [apiServerPort, etcdPort] = await Promise.all([
      pickPort(options.apiServerPort, 'kube-apiserver'),
      pickPort(options.etcdPort, 'etcd'),
    ]);
    await removeStaleDirectories(tmpdir());
    const dir = await mkdtemp(join(tmpdir(), CONTROL_PLANE_DIR_PREFIX));
    const processes = new Set<SupervisedProcess>();
    // Registered before anything runs, so an interrupted start-up is cleaned up too.
    const unregister = onProcessExit(() => {
      for (const process of processes) process.kill();
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    });
    try {
      await markOwned(dir);
      const certs = await generateCertificates(join(dir, 'pki'), options.admin ?? DEFAULT_ADMIN);
      const [ca, cert, key] = await Promise.all([
        readFile(certs.caCert, 'utf8'),
        readFile(certs.adminCert, 'utf8'),
        readFile(certs.adminKey, 'utf8'),
      ]);
      const settings: Settings = {
        dir,
        binaries,
        certs,
        tls: { ca, cert, key },
        apiServerPort,
        etcdUrl: `http://${LOOPBACK}:${etcdPort}`,
        apiServerFlags: [
          ...(nodes > 0 ? kubeletClientFlags(certs) : []),
          ...(options.apiServerFlags ?? []),
        ],
        startTimeoutMs: options.startTimeoutMs ?? 60_000,
        processes,
      };
      const kubeconfigText = renderKubeconfig({
        server: `https://${LOOPBACK}:${apiServerPort}`,
        ...settings.tls,
      });
      const kubeconfigPath = join(dir, 'kubeconfig');
      await writeFile(kubeconfigPath, kubeconfigText, { mode: 0o600 });
      const plane = new ControlPlane(settings, kubeconfigPath, kubeconfigText, unregister);
      await plane.#startEtcd(etcdPort);
      await plane.startApiServer();
      if (controllerManager) await plane.#startControllerManager();
      if (nodes > 0) await plane.#startNodes(nodes, options.kwok ?? []);
      return plane;
    } catch (error) {
      await Promise.all([...processes].map((process) => process.stop(5_000)));
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
      unregister();
      throw error;
    }
  }

  #launch(
    name: ControlPlaneComponent,
    binary: string,
    args: readonly string[],
    env?: NodeJS.ProcessEnv,
  ): SupervisedProcess {
    const process = SupervisedProcess.start(name, binary, args, env === undefined ? {} : { env });
    // Replaced (stopped) processes leave the set, so the exit cleanup never signals a stale id.
    const previous = this.#processes.get(name);
    if (previous !== undefined) this.#settings.processes.delete(previous);
    this.#settings.processes.add(process);
    this.#processes.set(name, process);
    return process;
  }

  async #startEtcd(port: number): Promise<void> {
    const etcd = this.#launch(
      'etcd',
      this.binaries.etcd,
      etcdFlags({ port, dataDir: join(this.dir, 'etcd') }),
    );
    const endpoint = `${this.etcdUrl}/health`;
    await waitUntilHealthy(
      etcd,
      async () => (await sendRequest(endpoint, { timeoutMs: 2_000 })).status === 200,
      {
        endpoint,
        timeoutMs: this.#settings.startTimeoutMs,
      },
    );
  }

  async #startControllerManager(): Promise<void> {
    const binary = this.binaries.kubeControllerManager;
    if (binary === undefined) return;
    const port = await freePort();
    const kcm = this.#launch(
      'kube-controller-manager',
      binary,
      controllerManagerFlags({
        port,
        kubeconfigPath: this.kubeconfigPath,
        certs: this.#settings.certs,
        workDir: join(this.dir, 'kube-controller-manager'),
      }),
    );
    await this.#waitHealthy(kcm, `https://${LOOPBACK}:${port}/healthz`);
  }

  async #startNodes(count: number, resources: readonly KwokResource[]): Promise<void> {
    const { kubeScheduler, kwok } = this.binaries;
    if (kubeScheduler === undefined || kwok === undefined) return;
    const [schedulerPort, kwokPort] = await Promise.all([freePort(), freePort()]);
    const scheduler = this.#launch(
      'kube-scheduler',
      kubeScheduler,
      schedulerFlags({
        port: schedulerPort,
        kubeconfigPath: this.kubeconfigPath,
        certs: this.#settings.certs,
        workDir: join(this.dir, 'kube-scheduler'),
      }),
    );
    const workDir = join(this.dir, 'kwok');
    await mkdir(workDir, { recursive: true });
    const configPath = join(workDir, 'kwok.yaml');
    await writeKwokConfig(configPath, stagesDirectory(kwok), resources);
    // HOME is kwok's work directory, so a ~/.kwok/kwok.yaml of the user is not read too.
    const kwokProcess = this.#launch(
      'kwok',
      kwok,
      kwokFlags({
        port: kwokPort,
        kubeconfigPath: this.kubeconfigPath,
        configPath,
        certs: this.#settings.certs,
      }),
      { ...process.env, HOME: workDir },
    );
    const names = await createFakeNodes(this.url, this.tls, count);
    this.#nodeNames = names;
    await Promise.all([
      this.#waitHealthy(scheduler, `https://${LOOPBACK}:${schedulerPort}/healthz`),
      this.#waitHealthy(kwokProcess, `https://${LOOPBACK}:${kwokPort}/healthz`),
    ]);
    await waitUntilHealthy(kwokProcess, () => nodesReady(this.url, this.tls, names), {
      endpoint: `${this.url}/api/v1/nodes (${count} Ready)`,
      timeoutMs: this.#settings.startTimeoutMs,
    });
  }

  async #waitHealthy(process: SupervisedProcess, endpoint: string): Promise<void> {
    const tls = this.tls;
    await waitUntilHealthy(
      process,
      async () => (await sendRequest(endpoint, { tls, timeoutMs: 2_000 })).status === 200,
      {
        endpoint,
        timeoutMs: this.#settings.startTimeoutMs,
      },
    );
  }

  /**
   * Starts kube-apiserver again after {@link stopApiServer}, on the same port with the same
   * etcd, so all data is still there; resolves when `/readyz` answers 200. Does nothing if
   * it is running.
   *
   * @throws {ControlPlaneError} when the port has been taken meanwhile or the server does
   *   not become ready in time (with its last log lines).
   */
  async startApiServer(): Promise<void> {
    this.#assertNotStopped('startApiServer');
    const running = this.#processes.get('kube-apiserver');
    if (running !== undefined && running.exit === undefined) return;
    const { apiServerPort: port, certs, etcdUrl } = this.#settings;
    await assertPortFree(port, 'kube-apiserver');
    const flags = apiServerFlags(
      { port, etcdUrl, certs, certDir: join(this.dir, 'kube-apiserver') },
      this.#settings.apiServerFlags,
    );
    const apiServer = this.#launch('kube-apiserver', this.binaries.kubeApiServer, flags);
    await this.#waitHealthy(apiServer, `${this.url}/readyz`);
  }

  /**
   * Stops kube-apiserver only: SIGTERM, then SIGKILL after `graceMs` (default 2 000 ms;
   * with open watches, kube-apiserver's own graceful shutdown can take a minute, and a
   * test gains nothing from it since every acknowledged write is already in etcd). etcd and
   * its data stay, so {@link startApiServer} brings the same cluster back. Clients see
   * connection errors meanwhile and open watches end. Does nothing if it is not running.
   */
  async stopApiServer(options: { readonly graceMs?: number } = {}): Promise<void> {
    await this.#processes.get('kube-apiserver')?.stop(options.graceMs ?? STOP_GRACE_MS);
  }

  /**
   * Compacts etcd's history up to its current revision (a physical compaction, as
   * kube-apiserver's own periodic compactor does), so requests for older resourceVersions
   * that reach etcd get `410 Gone`. Returns the revision compacted to. An `Exact` list
   * fails at once; a watch fails only once kube-apiserver has noticed the compaction at
   * its own compaction cycle (`--etcd-compaction-interval`, 5 min by default), and its
   * watch cache keeps serving its own window of recent events. To make watches from an
   * old resourceVersion fail with 410 within seconds, start the control plane with
   * `apiServerFlags: ['--watch-cache-sizes=<resource>#0', '--etcd-compaction-interval=2s']`.
   *
   * @throws {ControlPlaneError} when etcd does not answer as expected.
   */
  async compactEtcd(): Promise<number> {
    this.#assertNotStopped('compactEtcd');
    return compactEtcd(this.etcdUrl);
  }

  /** The names of the fake Nodes kwok manages (the `nodes` option); empty without it. */
  get nodeNames(): readonly string[] {
    return this.#nodeNames;
  }

  /** The last `count` output lines (default 200) of one of the processes; empty if it never ran. */
  logLines(process: ControlPlaneComponent, count?: number): string[] {
    return this.#processes.get(process)?.logLines(count) ?? [];
  }

  /**
   * Stops kwok, kube-scheduler, kube-controller-manager, kube-apiserver and etcd (in that order; each gets SIGTERM,
   * then SIGKILL after 2 s), and removes the temporary directory with all data, certificates and the kubeconfig file. Safe to call
   * more than once.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const name of STOP_ORDER) {
      await this.#processes.get(name)?.stop(STOP_GRACE_MS);
    }
    await rm(this.dir, { recursive: true, force: true, maxRetries: 3 });
    this.#unregisterExitCleanup();
  }

  #assertNotStopped(operation: string): void {
    if (this.#stopped)
      throw new ControlPlaneError(
        `${operation}: this ControlPlane has been stopped; start a new one.`,
      );
  }
}

/** How many times start-up is tried when a process finds a picked port taken. */
const START_ATTEMPTS = 3;

/** How long a process may take to end after SIGTERM before it is killed. */
const STOP_GRACE_MS = 2_000;

async function pickPort(port: number | undefined, purpose: string): Promise<number> {
  if (port === undefined) return freePort();
  await assertPortFree(port, purpose);
  return port;
}
