import { existsSync, readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { isIPv6 } from 'node:net';
import { isAbsolute, join } from 'node:path';
import type { Authenticator } from '@kubernetes/client-node/dist/auth.js';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import {
  type Cluster,
  type Context,
  newClusters,
  newContexts,
  newUsers,
  type User,
} from '@kubernetes/client-node/dist/config_types.js';
import { parse as parseYaml } from 'yaml';

/**
 * The part of client-node's `KubeConfig` the client uses: the entries, the current
 * context, and `applyToHTTPSOptions` (TLS material and credentials for a request). Both
 * client-node's own `KubeConfig` (given to `Client.fromKubeConfig`) and
 * {@link KubeConfigEngine} have it.
 */
export type KubeConfigLike = Pick<
  KubeConfig,
  | 'clusters'
  | 'users'
  | 'contexts'
  | 'getContexts'
  | 'getCurrentContext'
  | 'setCurrentContext'
  | 'getContextObject'
  | 'getCluster'
  | 'getUser'
  | 'getCurrentCluster'
  | 'getCurrentUser'
  | 'addCluster'
  | 'addUser'
  | 'addContext'
  | 'applyToHTTPSOptions'
>;

const SERVICEACCOUNT_ROOT = '/var/run/secrets/kubernetes.io/serviceaccount';

let authenticatorClasses: Promise<(new () => Authenticator)[]> | undefined;

/**
 * client-node's authenticator classes, in the order its `KubeConfig` tries them, loaded on
 * the first credential lookup (the OIDC one loads `openid-client`).
 */
function builtInAuthenticators(): Promise<(new () => Authenticator)[]> {
  authenticatorClasses ??= Promise.all([
    import('@kubernetes/client-node/dist/azure_auth.js'),
    import('@kubernetes/client-node/dist/gcp_auth.js'),
    import('@kubernetes/client-node/dist/exec_auth.js'),
    import('@kubernetes/client-node/dist/file_auth.js'),
    import('@kubernetes/client-node/dist/oidc_auth.js'),
  ]).then(([azure, gcp, exec, file, oidc]) => [
    azure.AzureAuth,
    gcp.GoogleCloudPlatformAuth,
    exec.ExecAuth,
    file.FileAuth,
    oidc.OpenIDConnectAuth,
  ]);
  return authenticatorClasses;
}

/**
 * client-node's `KubeConfig` without its generated API client: the same entries (parsed
 * by client-node's `config_types` module) and the same credentials (client-node's
 * authenticators: exec plugins, OIDC, Azure/GCP, token files), but its module never
 * loads client-node's generated models, which `dist/config.js` imports statically and
 * which cost about a second of start-up (issue 14). What it does itself mirrors
 * client-node's `KubeConfig` method for method (`applyToHTTPSOptions` without the agent,
 * which the client builds), so a kubeconfig means the same through either.
 */
export class KubeConfigEngine implements KubeConfigLike {
  /** The clusters. */
  clusters: Cluster[] = [];
  /** The users. */
  users: User[] = [];
  /** The contexts. */
  contexts: Context[] = [];
  /** Names of the clusters with `disable-compression: true` (client-node drops that field). */
  readonly compressionDisabled = new Set<string>();
  private currentContext: string | undefined;
  // One set per instance, as client-node's KubeConfig has: their caches (exec credentials,
  // token files) belong to one kubeconfig.
  private authenticatorsOf: Promise<Authenticator[]> | undefined;

  /** The contexts. */
  getContexts(): Context[] {
    return this.contexts;
  }

  /** The name of the current context. */
  getCurrentContext(): string {
    return this.currentContext as string;
  }

  /** Makes `context` the current one. */
  setCurrentContext(context: string): void {
    this.currentContext = context;
  }

  /** The context named `name`, or `null`. */
  getContextObject(name: string): Context | null {
    return this.contexts.find((c) => c.name === name) ?? null;
  }

  /** The cluster named `name`, or `null`. */
  getCluster(name: string): Cluster | null {
    return this.clusters.find((c) => c.name === name) ?? null;
  }

  /** The user named `name`, or `null`. */
  getUser(name: string): User | null {
    return this.users.find((u) => u.name === name) ?? null;
  }

  /** The cluster of the current context, or `null`. */
  getCurrentCluster(): Cluster | null {
    const ctx = this.getContextObject(this.currentContext as string);
    return ctx ? this.getCluster(ctx.cluster) : null;
  }

  /** The user of the current context, or `null`. */
  getCurrentUser(): User | null {
    const ctx = this.getContextObject(this.currentContext as string);
    return ctx ? this.getUser(ctx.user) : null;
  }

  /** Adds a cluster; throws when one of that name exists. */
  addCluster(cluster: Cluster): void {
    if (this.getCluster(cluster.name)) throw new Error(`Duplicate cluster: ${cluster.name}`);
    this.clusters.push(cluster);
  }

  /** Adds a user; throws when one of that name exists. */
  addUser(user: User): void {
    if (this.getUser(user.name)) throw new Error(`Duplicate user: ${user.name}`);
    this.users.push(user);
  }

  /** Adds a context; throws when one of that name exists. */
  addContext(ctx: Context): void {
    if (this.getContextObject(ctx.name)) throw new Error(`Duplicate context: ${ctx.name}`);
    this.contexts.push(ctx);
  }

  /**
   * Loads a parsed kubeconfig document with client-node's entry parsers. Throws what they
   * throw for an invalid entry.
   */
  loadFromDocument(doc: Record<string, unknown>): void {
    this.clusters = newClusters(doc.clusters);
    this.contexts = newContexts(doc.contexts);
    this.users = newUsers(doc.users);
    this.currentContext = doc['current-context'] as string | undefined;
    this.compressionDisabled.clear();
    for (const entry of Array.isArray(doc.clusters) ? doc.clusters : []) {
      const e = entry as { name?: unknown; cluster?: Record<string, unknown> } | null;
      if (typeof e?.name === 'string' && e.cluster?.['disable-compression'] === true) {
        this.compressionDisabled.add(e.name);
      }
    }
  }

  /** Loads a kubeconfig from its YAML (or JSON) text. */
  loadFromString(text: string): void {
    this.loadFromDocument(parseYaml(text) as Record<string, unknown>);
  }

  /** One cluster and one user in a context named `loaded-context`. */
  loadFromClusterAndUser(cluster: Cluster, user: User): void {
    this.clusters = [cluster];
    this.users = [user];
    this.currentContext = 'loaded-context';
    this.contexts = [{ cluster: cluster.name, user: user.name, name: this.currentContext }];
  }

  /**
   * The in-cluster configuration, as client-node builds it: the service's host and port
   * from the environment, the mounted CA, the service-account token as a token file (read
   * again whenever it changes), and the mounted namespace.
   */
  loadFromCluster(pathPrefix = ''): void {
    const host = process.env.KUBERNETES_SERVICE_HOST ?? '';
    const port = process.env.KUBERNETES_SERVICE_PORT ?? '';
    const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
    const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
    const namespaceFile = `${pathPrefix}${SERVICEACCOUNT_ROOT}/namespace`;
    this.clusters = [
      {
        name: 'inCluster',
        caFile: `${pathPrefix}${SERVICEACCOUNT_ROOT}/ca.crt`,
        server,
        skipTLSVerify: false,
      },
    ];
    this.users = [
      {
        name: 'inClusterUser',
        authProvider: {
          name: 'tokenFile',
          config: { tokenFile: `${pathPrefix}${SERVICEACCOUNT_ROOT}/token` },
        },
      },
    ];
    this.contexts = [
      {
        cluster: 'inCluster',
        name: 'inClusterContext',
        user: 'inClusterUser',
        ...(existsSync(namespaceFile)
          ? { namespace: readFileSync(namespaceFile).toString('utf-8') }
          : {}),
      },
    ];
    this.currentContext = 'inClusterContext';
  }

  /** Makes relative certificate and key paths relative to `root` (the file's folder). */
  makePathsAbsolute(root: string): void {
    const abs = (file: string) => (isAbsolute(file) ? file : join(root, file));
    for (const c of this.clusters) if (c.caFile) c.caFile = abs(c.caFile);
    for (const u of this.users) {
      if (u.certFile) u.certFile = abs(u.certFile);
      if (u.keyFile) u.keyFile = abs(u.keyFile);
    }
  }

  /**
   * Sets the TLS material (`ca`, `cert`, `key`, `servername`, `rejectUnauthorized`) and
   * the credentials (`headers.Authorization` from the user's authenticator or token,
   * `auth` for basic auth, `Impersonate-User`) of the current context on `opts`.
   */
  async applyToHTTPSOptions(opts: RequestOptions): Promise<void> {
    const cluster = this.getCurrentCluster();
    const user = this.getCurrentUser();
    if (!user) return;
    if (cluster?.skipTLSVerify) opts.rejectUnauthorized = false;
    if (cluster?.tlsServerName) opts.servername = cluster.tlsServerName;
    const ca = cluster ? fileOrData(cluster.caFile, cluster.caData) : undefined;
    if (ca) opts.ca = ca;
    const cert = fileOrData(user.certFile, user.certData);
    if (cert) opts.cert = cert;
    const key = fileOrData(user.keyFile, user.keyData);
    if (key) opts.key = key;
    const headers = (opts.headers ?? {}) as Record<string, string>;
    opts.headers = headers;
    if (user.impersonateUser != null) headers['Impersonate-User'] = user.impersonateUser;
    // Every client-node authenticator wants an `exec` or `auth-provider` entry: a user with
    // neither (a token, token file, client certificate or basic auth) never loads them, and
    // with them their modules (OIDC's openid-client among them) and their heap (issue 14).
    if (user.exec || user.authProvider) {
      this.authenticatorsOf ??= builtInAuthenticators().then((classes) =>
        classes.map((C) => new C()),
      );
      const authenticator = (await this.authenticatorsOf).find((a) => a.isAuthProvider(user));
      if (authenticator) await authenticator.applyAuthentication(user, opts);
    }
    if (user.token) headers.Authorization = `Bearer ${user.token}`;
    if (user.username) opts.auth = `${user.username}:${user.password}`;
  }
}

/** A file's bytes, else base64 data decoded, as client-node's `bufferFromFileOrString`. */
function fileOrData(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}
