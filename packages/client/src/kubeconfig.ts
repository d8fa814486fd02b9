import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { parse as parseYaml } from 'yaml';
import { KubeConfigError } from './errors.js';
import { kubeConfigClass } from './kubeconfig-class.js';

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
 * Loads one kubeconfig file with client-node, turning every failure into a
 * {@link KubeConfigError} that names the file and says what to do.
 */
export function loadKubeConfigFile(path: string): KubeConfig {
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
  const { tokenFiles, withoutTokenFiles } = tokenFilesOf(text, path);
  for (const [user, file] of tokenFiles) {
    if (!existsSync(file)) {
      throw new KubeConfigError(
        `kubeconfig ${path}: user '${user}' reads its token from token-file ${file}, which does not exist; create the file or fix the path`,
        path,
      );
    }
  }
  const kc = new (kubeConfigClass())();
  try {
    if (text.trim() === '') throw new Error('the file is empty');
    if (withoutTokenFiles === undefined) kc.loadFromFile(path);
    else {
      // What loadFromFile does, with the token-files taken out: client-node would read
      // them once (relative to the working directory); they are handed over below.
      kc.loadFromString(withoutTokenFiles);
      kc.makePathsAbsolute(dirname(path));
    }
  } catch (err) {
    throw new KubeConfigError(
      `kubeconfig ${path} is not a valid kubeconfig: ${(err as Error).message}; ` +
        'fix the file (kubectl config view shows how kubectl reads it) or use another one',
      path,
      err,
    );
  }
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
 * The token-file of each user of a kubeconfig's text (absolute: relative paths are taken
 * from the file's folder, as kubectl does), and the document without them (JSON), or
 * `undefined` when it has none.
 */
function tokenFilesOf(
  text: string,
  path: string,
): { tokenFiles: Map<string, string>; withoutTokenFiles: string | undefined } {
  const tokenFiles = new Map<string, string>();
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return { tokenFiles, withoutTokenFiles: undefined }; // client-node reports the syntax error
  }
  const users = (doc as { users?: unknown } | null)?.users;
  if (!Array.isArray(users)) return { tokenFiles, withoutTokenFiles: undefined };
  for (const entry of users) {
    const name = (entry as { name?: unknown })?.name;
    const user = (entry as { user?: Record<string, unknown> })?.user;
    const file = user?.['token-file'];
    if (typeof name === 'string' && typeof file === 'string' && file !== '') {
      tokenFiles.set(name, resolve(dirname(path), file));
      delete user?.['token-file'];
    }
  }
  return {
    tokenFiles,
    withoutTokenFiles: tokenFiles.size === 0 ? undefined : JSON.stringify(doc),
  };
}

/**
 * Why the current context of `kc` gives no cluster: it names a cluster (or user) the
 * kubeconfig does not define, or there is no such context.
 */
export function missingClusterReason(kc: KubeConfig): string {
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
function mergeFirstWins(into: KubeConfig, from: KubeConfig): void {
  for (const c of from.clusters) if (!into.getCluster(c.name)) into.addCluster(c);
  for (const u of from.users) if (!into.getUser(u.name)) into.addUser(u);
  for (const c of from.contexts) if (!into.getContextObject(c.name)) into.addContext(c);
  if (!into.getCurrentContext()) into.setCurrentContext(from.getCurrentContext());
}

function selectContext(kc: KubeConfig, context: string | undefined, source: string): KubeConfig {
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
 *    one must parse; they are merged, the first file's current-context wins;
 * 3. else `~/.kube/config` when it exists;
 * 4. else the in-cluster service account (its token is re-read by client-node at least
 *    every 60 s, so rotated projected tokens are picked up);
 * 5. else a {@link KubeConfigError} saying what to set up.
 */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
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
    const kc = new (kubeConfigClass())();
    kc.loadFromCluster();
    return kc;
  }
  throw new KubeConfigError(
    `no kubeconfig found: KUBECONFIG is not set, ${home} does not exist, and this is not a pod ` +
      'with a service account; set KUBECONFIG or create ~/.kube/config',
  );
}
