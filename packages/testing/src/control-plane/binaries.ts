import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ControlPlaneError } from './errors.js';
import { BUILD_BINARIES_COMMAND, KUBERNETES_VERSION, KWOK_VERSION } from './version.js';

/** A program of the control plane: what the binary lookup (`TEST_ASSET_*` variables, then `KUBEBUILDER_ASSETS`, then the kube-ts cache) looks for, and what {@link ControlPlane.logLines} reads. */
export type ControlPlaneComponent =
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kwok';

/** A program the build script puts in the cache: the control plane, and kubectl. */
export type KubeBinary = ControlPlaneComponent | 'kubectl';

/** Absolute paths of the control-plane executables. */
export interface ControlPlaneBinaries {
  /** The etcd server. */
  readonly etcd: string;
  /** kube-apiserver. */
  readonly kubeApiServer: string;
  /** kube-controller-manager; present only when it was asked for. */
  readonly kubeControllerManager?: string;
  /** kube-scheduler; present only when nodes were asked for. */
  readonly kubeScheduler?: string;
  /**
   * kwok, which runs the fake nodes; present only when nodes were asked for. Its node and
   * pod stages are read from the `stages` directory beside it (the build script copies them
   * there from the kwok module).
   */
  readonly kwok?: string;
}

/** Where the binary lookup (`TEST_ASSET_*` variables, then `KUBEBUILDER_ASSETS`, then the kube-ts cache) looks and what it needs. */
export interface ResolveBinariesOptions {
  /** Also resolve kube-controller-manager. Default `false`. */
  readonly controllerManager?: boolean;
  /** Also resolve kube-scheduler and kwok, for a cluster with nodes. Default `false`. */
  readonly nodes?: boolean;
  /** Environment to read the variables from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Root of the version directories built by the build script. Default `~/.cache/kube-ts/k8s`. */
  readonly cacheRoot?: string;
  /** Root of kwok's version directories built by the build script. Default `~/.cache/kube-ts/kwok`. */
  readonly kwokCacheRoot?: string;
}

/** The per-binary environment variable of controller-runtime's envtest, for each binary. */
export const TEST_ASSET_VARIABLES: Readonly<Record<KubeBinary, string>> = {
  etcd: 'TEST_ASSET_ETCD',
  'kube-apiserver': 'TEST_ASSET_KUBE_APISERVER',
  'kube-controller-manager': 'TEST_ASSET_KUBE_CONTROLLER_MANAGER',
  'kube-scheduler': 'TEST_ASSET_KUBE_SCHEDULER',
  kwok: 'TEST_ASSET_KWOK',
  kubectl: 'TEST_ASSET_KUBECTL',
};

/** The default root of the binary cache: `~/.cache/kube-ts/k8s`. */
export function defaultCacheRoot(): string {
  return join(homedir(), '.cache', 'kube-ts', 'k8s');
}

/** The default root of kwok's cache: `~/.cache/kube-ts/kwok`. */
export function defaultKwokCacheRoot(): string {
  return join(homedir(), '.cache', 'kube-ts', 'kwok');
}

/**
 * Finds the control-plane executables. For each binary, in this order (controller-runtime
 * envtest's conventions first, so binaries from `setup-envtest` are reused):
 *
 * 1. `TEST_ASSET_ETCD` / `TEST_ASSET_KUBE_APISERVER` / `TEST_ASSET_KUBE_CONTROLLER_MANAGER`:
 *    the path of that one binary. When set, it must be an executable file, otherwise this
 *    throws instead of silently looking elsewhere.
 * 2. `KUBEBUILDER_ASSETS/<name>`, when that file exists (envtest's asset directory holds
 *    etcd and kube-apiserver but usually not kube-controller-manager, which then comes
 *    from the next step).
 * 3. The cache `~/.cache/kube-ts/k8s/<KUBERNETES_VERSION>/<name>`, then the newest other
 *    `v<major>.<minor>.<patch>` directory of the cache that holds it (kwok: the same in
 *    `~/.cache/kube-ts/kwok`, from `<KWOK_VERSION>`).
 *
 * @throws {ControlPlaneError} naming every place searched and the build command, when a
 *   binary is found nowhere.
 */
export async function resolveBinaries(
  options: ResolveBinariesOptions = {},
): Promise<ControlPlaneBinaries> {
  const env = options.env ?? process.env;
  const cacheRoot = options.cacheRoot ?? defaultCacheRoot();
  const cacheDirs = await cacheDirectories(cacheRoot);
  const find = (component: ControlPlaneComponent) => resolveOne(component, env, cacheDirs);
  const [etcd, kubeApiServer] = await Promise.all([find('etcd'), find('kube-apiserver')]);
  const binaries: {
    -readonly [K in keyof ControlPlaneBinaries]: ControlPlaneBinaries[K];
  } = { etcd, kubeApiServer };
  if (options.controllerManager === true) {
    binaries.kubeControllerManager = await find('kube-controller-manager');
  }
  if (options.nodes === true) {
    binaries.kubeScheduler = await find('kube-scheduler');
    const kwokRoot = options.kwokCacheRoot ?? defaultKwokCacheRoot();
    binaries.kwok = await resolveOne('kwok', env, await cacheDirectories(kwokRoot, KWOK_VERSION));
  }
  return binaries;
}

/**
 * Finds a kubectl for tests, in the same order as the control-plane binaries:
 * `TEST_ASSET_KUBECTL`, `KUBEBUILDER_ASSETS/kubectl`, then the kube-ts cache (the build
 * script builds kubectl of the pinned Kubernetes version beside the control plane).
 *
 * @throws {ControlPlaneError} naming every place searched and the build command.
 */
export async function resolveKubectl(
  options: Omit<ResolveBinariesOptions, 'controllerManager'> = {},
): Promise<string> {
  const cacheRoot = options.cacheRoot ?? defaultCacheRoot();
  return resolveOne('kubectl', options.env ?? process.env, await cacheDirectories(cacheRoot));
}

async function resolveOne(
  component: KubeBinary,
  env: Readonly<Record<string, string | undefined>>,
  cacheDirs: readonly string[],
): Promise<string> {
  const variable = TEST_ASSET_VARIABLES[component];
  const explicit = nonEmpty(env[variable]);
  if (explicit !== undefined) {
    if (await isExecutableFile(explicit)) return explicit;
    throw new ControlPlaneError(
      `${variable} is set to ${explicit}, but that is not an executable file. ` +
        `Point ${variable} at a ${component} binary, or unset it to use KUBEBUILDER_ASSETS or the kube-ts cache.`,
    );
  }
  const searched: string[] = [`$${variable} (unset)`];
  const assets = nonEmpty(env.KUBEBUILDER_ASSETS);
  if (assets === undefined) {
    searched.push('$KUBEBUILDER_ASSETS (unset)');
  } else {
    const candidate = join(assets, component);
    if (await isExecutableFile(candidate)) return candidate;
    searched.push(`${candidate} (from $KUBEBUILDER_ASSETS)`);
  }
  for (const dir of cacheDirs) {
    const candidate = join(dir, component);
    if (await isExecutableFile(candidate)) return candidate;
  }
  searched.push(`${component} in ${cacheDirs.join(', ')}`);
  throw new ControlPlaneError(
    `${component} not found; looked at: ${searched.join('; ')}. ` +
      `Build the control-plane binaries into ${cacheDirs[0]} with \`${BUILD_BINARIES_COMMAND}\` ` +
      `from the kube-ts repository root (needs Go; the first build takes a while), ` +
      `or set KUBEBUILDER_ASSETS to a directory holding etcd and kube-apiserver (for example from setup-envtest), ` +
      `or set ${variable} to the binary.`,
  );
}

/** The cache's version directories, the pinned version first, then the others newest first. */
async function cacheDirectories(
  cacheRoot: string,
  pinned: string = KUBERNETES_VERSION,
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(cacheRoot);
  } catch {
    return [join(cacheRoot, pinned)];
  }
  const others = names
    .filter((name) => name !== pinned)
    .map((name) => ({ name, version: parseVersion(name) }))
    .filter(
      (entry): entry is { name: string; version: [number, number, number] } =>
        entry.version !== undefined,
    )
    .sort((a, b) => compareVersions(b.version, a.version))
    .map((entry) => join(cacheRoot, entry.name));
  return [join(cacheRoot, pinned), ...others];
}

function parseVersion(name: string): [number, number, number] | undefined {
  const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(name);
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
