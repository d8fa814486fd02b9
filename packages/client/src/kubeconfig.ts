import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { parse as parseYaml } from 'yaml';
import { KubeConfigError } from './errors.js';
import { kubeConfigClass } from './kubeconfig-class.js';
import { KubeConfigEngine, type KubeConfigLike } from './kubeconfig-engine.js';

/** Where the in-cluster service-account token lives. */
export const SERVICE_ACCOUNT_TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Options of {@link loadKubeConfig}. */
export interface LoadKubeConfigOptions {
  /**
   * A kubeconfig file to load. Default: the files of `$KUBECONFIG` (merged, as kubectl
   * does), else `~/.kube/config`, else the in-cluster service account.
   */
  path?: string;
  /** The context to use instead of the file's `current-context`. */
  context?: string;
}

/**
 * Loads one kubeconfig file (client-node's entry parsers, through {@link KubeConfigEngine}),
 * turning every failure into a {@link KubeConfigError} that names the file and says what to
 * do.
 */
export function loadKubeConfigFile(path: string): KubeConfigEngine {
  if (!existsSync(path)) {
    throw new KubeConfigError(
      `kubeconfig ${path} does not exist; create it (e.g. with 'kubectl config'), ` +
        'point KUBECONFIG at an existing file, or pass another path',
      path,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new KubeConfigError(
      `kubeconfig ${path} cannot be read (${(err as Error).message}); check its permissions`,
      path,
      err,
    );
  }
  const invalid = (err: unknown) =>
    new KubeConfigError(
      `kubeconfig ${path} is not a valid kubeconfig: ${(err as Error).message}; ` +
        'fix the file (kubectl config view shows how kubectl reads it) or use another one',
      path,
      err,
    );
  let doc: unknown;
  try {
    if (text.trim() === '') throw new Error('the file is empty');
    doc = parseYaml(text);
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      throw new Error('it is not a YAML mapping');
    }
  } catch (err) {
    throw invalid(err);
  }
  // client-node would read token-files once (relative to the working directory): they are
  // taken out here and handed over below.
  const tokenFiles = takeTokenFiles(doc as Record<string, unknown>, path);
  for (const [user, file] of tokenFiles) {
    if (!existsSync(file)) {
      throw new KubeConfigError(
        `kubeconfig ${path}: user '${user}' reads its token from token-file ${file}, which does not exist; create the file or fix the path`,
        path,
      );
    }
  }
  const kc = new KubeConfigEngine();
  try {
    kc.loadFromDocument(doc as Record<string, unknown>);
  } catch (err) {
    throw invalid(err);
  }
  kc.makePathsAbsolute(dirname(path));
  // As client-node's in-cluster config does: a token file, which the client re-reads
  // whenever it changes (projected service-account tokens rotate).
  kc.users = kc.users.map((u) => {
    const file = tokenFiles.get(u.name);
    return file === undefined
      ? u
      : { ...u, authProvider: { name: 'tokenFile', config: { tokenFile: file } } };
  });
  return kc;
}

/**
 * Takes the token-file of each user out of a kubeconfig document, giving them by user
 * (absolute: relative paths are taken from the file's folder, as kubectl does).
 */
function takeTokenFiles(doc: Record<string, unknown>, path: string): Map<string, string> {
  const tokenFiles = new Map<string, string>();
  const users = doc.users;
  if (!Array.isArray(users)) return tokenFiles;
  for (const entry of users) {
    const name = (entry as { name?: unknown })?.name;
    const user = (entry as { user?: Record<string, unknown> })?.user;
    const file = user?.['token-file'];
    if (typeof name === 'string' && typeof file === 'string' && file !== '') {
      tokenFiles.set(name, resolve(dirname(path), file));
      delete user?.['token-file'];
    }
  }
  return tokenFiles;
}

/**
 * Why the current context of `kc` gives no cluster: it names a cluster (or user) the
 * kubeconfig does not define, or there is no such context.
 */
export function missingClusterReason(kc: KubeConfigLike): string {
  const name = kc.getCurrentContext() || '';
  const ctx = kc.getContextObject(name);
  if (!ctx) return `its current-context '${name}' is not one of its contexts`;
  if (!kc.getCluster(ctx.cluster)) {
    const known = kc.clusters.map((c) => c.name).join(', ') || 'none';
    return `context '${name}' names cluster '${ctx.cluster}', which it does not define (it has: ${known})`;
  }
  return `context '${name}' has no usable cluster`;
}

/** Adds the clusters, users and contexts of `from` whose names `into` lacks (kubectl's rule). */
function mergeFirstWins(into: KubeConfigEngine, from: KubeConfigEngine): void {
  for (const c of from.clusters) {
    if (into.getCluster(c.name)) continue;
    into.addCluster(c);
    if (from.compressionDisabled.has(c.name)) into.compressionDisabled.add(c.name);
  }
  for (const u of from.users) if (!into.getUser(u.name)) into.addUser(u);
  for (const c of from.contexts) if (!into.getContextObject(c.name)) into.addContext(c);
  if (!into.getCurrentContext()) into.setCurrentContext(from.getCurrentContext());
}

function selectContext(
  kc: KubeConfigEngine,
  context: string | undefined,
  source: string,
): KubeConfigEngine {
  if (context !== undefined) {
    if (!kc.getContextObject(context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new KubeConfigError(
        `kubeconfig ${source} has no context '${context}' (it has: ${known.join(', ') || 'none'}); ` +
          'pass one of those names',
        source,
      );
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) {
    throw new KubeConfigError(
      `kubeconfig ${source} has no usable current context: ${missingClusterReason(kc)}; ` +
        "fix the context, set another with 'kubectl config use-context NAME', or pass options.context",
      source,
    );
  }
  const user = kc.getContextObject(kc.getCurrentContext())?.user;
  if (user && !kc.getUser(user)) {
    throw new KubeConfigError(
      `kubeconfig ${source}: context '${kc.getCurrentContext()}' names user '${user}', which it does not define (it has: ${kc.users.map((u) => u.name).join(', ') || 'none'}); requests would go out without credentials`,
      source,
    );
  }
  return kc;
}

/**
 * Loads the kubeconfig a client should use, with clear errors instead of client-node's
 * silent fallback to `http://localhost:8080`:
 * 1. `options.path` when given;
 * 2. else the files listed in `$KUBECONFIG` (separated by `:`; `;` on Windows): files that
 *    do not exist are skipped as kubectl does, but at least one must exist, and each existing
 *    one must parse; they are merged as kubectl merges them: the first file that defines a
 *    cluster, user or context of a name wins (entries are never merged field by field),
 *    and the first file that sets a current-context wins;
 * 3. else `~/.kube/config` when it exists;
 * 4. else the in-cluster service account (a client re-reads its token whenever the file
 *    changes, so rotated projected tokens are picked up);
 * 5. else a {@link KubeConfigError} saying what to set up.
 *
 * Users' `token-file`s become client-node `tokenFile` auth providers. This loads
 * client-node's `KubeConfig` module (and its generated models, about a second);
 * `Client.fromDefault` does not.
 */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  const engine = loadKubeConfigEngine(options);
  const kc = new (kubeConfigClass())();
  kc.loadFromOptions({
    clusters: engine.clusters,
    users: engine.users,
    contexts: engine.contexts,
    currentContext: engine.getCurrentContext(),
  });
  return kc;
}

/**
 * What {@link loadKubeConfig} loads, as a {@link KubeConfigEngine}: `Client.fromDefault`
 * uses it so that client-node's `KubeConfig` module (and its generated models) is never
 * loaded.
 */
export function loadKubeConfigEngine(options: LoadKubeConfigOptions = {}): KubeConfigEngine {
  if (options.path !== undefined) {
    return selectContext(loadKubeConfigFile(options.path), options.context, options.path);
  }
  const env = process.env.KUBECONFIG;
  if (env) {
    const paths = env.split(delimiter).filter((p) => p !== '');
    const existing = paths.filter((p) => existsSync(p));
    if (existing.length === 0) {
      throw new KubeConfigError(
        `KUBECONFIG names ${paths.join(', ')}, but none of these files exists; ` +
          'fix KUBECONFIG or create the file',
        paths[0],
      );
    }
    const merged = loadKubeConfigFile(existing[0]!);
    for (const p of existing.slice(1)) mergeFirstWins(merged, loadKubeConfigFile(p));
    return selectContext(merged, options.context, existing.join(delimiter));
  }
  const home = join(homedir(), '.kube', 'config');
  if (existsSync(home)) return selectContext(loadKubeConfigFile(home), options.context, home);
  if (existsSync(SERVICE_ACCOUNT_TOKEN_PATH)) {
    if (!process.env.KUBERNETES_SERVICE_HOST || !process.env.KUBERNETES_SERVICE_PORT) {
      throw new KubeConfigError(
        'a service-account token is mounted but KUBERNETES_SERVICE_HOST/PORT are not set; ' +
          'run inside a pod or set KUBECONFIG',
      );
    }
    const kc = new KubeConfigEngine();
    kc.loadFromCluster();
    return kc;
  }
  throw new KubeConfigError(
    `no kubeconfig found: KUBECONFIG is not set, ${home} does not exist, and this is not a pod ` +
      'with a service account; set KUBECONFIG or create ~/.kube/config',
  );
}
