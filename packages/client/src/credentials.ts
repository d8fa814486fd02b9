import { readFileSync, statSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import type { User } from '@kubernetes/client-node/dist/config_types.js';
import { KubeConfigEngine, type KubeConfigLike } from './kubeconfig-engine.js';

/** TLS settings of the connection pool, from the kubeconfig's cluster and user. */
export interface TlsMaterial {
  /** CA bundle that verifies the server; Node's default CAs when absent. */
  readonly ca?: string | Buffer | undefined;
  /** Client certificate (PEM). */
  readonly cert?: string | Buffer | undefined;
  /** Client key (PEM). */
  readonly key?: string | Buffer | undefined;
  /** TLS server name (SNI and verification) when it differs from the URL's host. */
  readonly servername?: string | undefined;
  /** `false` only when the kubeconfig says `insecure-skip-tls-verify: true`. */
  readonly rejectUnauthorized: boolean;
}

/** What a request needs from the kubeconfig: auth headers and TLS material. */
export interface Credentials {
  /** Headers to send (`Authorization`, `Impersonate-User`, …). Never log them. */
  readonly headers: Readonly<Record<string, string>>;
  /** TLS material for the connection pool. */
  readonly tls: TlsMaterial;
}

/** Whether two TLS settings are the same (so the connection pool can be kept). */
export function sameTls(a: TlsMaterial, b: TlsMaterial): boolean {
  const eq = (x: string | Buffer | undefined, y: string | Buffer | undefined) =>
    x === y || (x !== undefined && y !== undefined && Buffer.from(x).equals(Buffer.from(y)));
  return (
    eq(a.ca, b.ca) &&
    eq(a.cert, b.cert) &&
    eq(a.key, b.key) &&
    a.servername === b.servername &&
    a.rejectUnauthorized === b.rejectUnauthorized
  );
}

/**
 * client-node's `KubeConfig` refuses `http:` servers unless `insecure-skip-tls-verify` is
 * set; TLS does not apply to them anyway, so for such a server auth is applied through a
 * {@link KubeConfigEngine} holding the cluster entry and the user. (Custom authenticators
 * added to the original KubeConfig are not carried over in that case.)
 */
function authConfigFor(kc: KubeConfigLike): KubeConfigLike {
  const cluster = kc.getCurrentCluster();
  if (kc instanceof KubeConfigEngine || !cluster?.server.startsWith('http:')) return kc;
  if (cluster.skipTLSVerify) return kc;
  const copy = new KubeConfigEngine();
  copy.loadFromClusterAndUser(
    { ...cluster, skipTLSVerify: true },
    kc.getCurrentUser() ?? { name: 'user' },
  );
  return copy;
}

function toHeaderMap(headers: RequestOptions['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers || Array.isArray(headers)) return out;
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** The exec plugin of a user, if it has one. */
function execOf(user: User | null): { command?: string } | undefined {
  const exec = user?.exec ?? (user?.authProvider?.config as { exec?: unknown } | undefined)?.exec;
  return typeof exec === 'object' && exec !== null ? (exec as { command?: string }) : undefined;
}

/** The token file of a user (client-node's `tokenFile` auth provider), if it has one. */
export function tokenFileOf(user: User | null): string | undefined {
  const file = (user?.authProvider?.config as { tokenFile?: unknown } | undefined)?.tokenFile;
  return typeof file === 'string' ? file : undefined;
}

/**
 * Which credential the current user of `kc` presents and where it comes from — never its
 * value: e.g. `a bearer token from token file /var/run/…/token (user 'sa')`.
 */
export function describeCredentials(kc: KubeConfigLike): string {
  const user = kc.getCurrentUser();
  if (!user) return `no user (context '${kc.getCurrentContext()}' names none): no credentials`;
  const who = `user '${user.name}' of context '${kc.getCurrentContext()}'`;
  const exec = execOf(user);
  if (exec) return `the credential of exec plugin '${exec.command ?? ''}' (${who})`;
  const file = tokenFileOf(user);
  if (file) return `a bearer token from token file ${file} (${who})`;
  if (user.authProvider) return `the '${user.authProvider.name}' auth provider's token (${who})`;
  if (user.token) return `the bearer token written in the kubeconfig (${who})`;
  if (user.certFile) return `the client certificate ${user.certFile} (${who})`;
  if (user.certData) return `the client certificate in client-certificate-data (${who})`;
  if (user.username) return `basic auth as '${user.username}' (${who})`;
  return `no credentials (${who} has none)`;
}

/**
 * A credential lookup that failed. The message says which credential and what to do; it
 * never quotes the credential or a plugin's output (which may be one).
 */
export class CredentialError extends Error {
  /** @param message what failed and what to do */
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

/**
 * A clear error for a failure of client-node's credential lookup. Exec plugin failures are
 * named by kind (client-node's own messages quote the plugin's stdout, which may be a
 * token, or are empty); other failures keep client-node's message only when it cannot
 * hold credential material (file system errors, which name a path).
 */
function credentialError(kc: KubeConfigLike, err: unknown): CredentialError {
  const source = describeCredentials(kc);
  const exec = execOf(kc.getCurrentUser());
  const e = err as { code?: unknown; message?: unknown; name?: unknown } | undefined;
  const message = typeof e?.message === 'string' ? e.message : '';
  if (exec) {
    const plugin = `exec plugin '${exec.command ?? ''}'`;
    if (e?.code === 'ENOENT') {
      return new CredentialError(
        `${plugin} was not found; install it or fix users[].user.exec.command (${source})`,
      );
    }
    if (e?.name === 'SyntaxError') {
      return new CredentialError(
        `${plugin} printed something that is not JSON; it must print an ExecCredential ({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"…"}}). Its output is not shown, as it may be a credential (${source})`,
      );
    }
    if (e?.name === 'TypeError') {
      return new CredentialError(
        `${plugin} printed JSON without a 'status' (token or client certificate); it must print an ExecCredential with status.token or status.clientCertificateData (${source})`,
      );
    }
    if (message.trim() === '') {
      return new CredentialError(
        `${plugin} failed (exit code not 0) and wrote nothing to stderr; run the command by hand to see why (${source})`,
      );
    }
    return new CredentialError(`${plugin} failed: ${message.trim().slice(0, 300)} (${source})`);
  }
  if (typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
    return new CredentialError(`reading ${source} failed: ${message}`);
  }
  return new CredentialError(
    `getting ${source} failed (${typeof e?.name === 'string' ? e.name : 'error'}); check the kubeconfig's user entry`,
  );
}

/**
 * Gets credentials from a kubeconfig (client-node's `KubeConfig` or a
 * {@link KubeConfigEngine}) with `applyToHTTPSOptions`, which covers every auth method
 * client-node supports: client certificates, static tokens, basic auth, exec plugins
 * (cached by client-node until the credential expires), OIDC; token files (`token-file`,
 * the in-cluster service-account token) are read again whenever they change.
 *
 * Results are cached for `ttlMs` (default 1 s) so a burst of requests does not re-read
 * files or re-run plugins for each request; concurrent callers share one in-flight
 * lookup. {@link invalidate} drops the cache.
 */
export class CredentialSource {
  private readonly kc: KubeConfigLike;
  private readonly source: KubeConfigLike;
  private cached: { value: Credentials; at: number } | undefined;
  private inflight: Promise<Credentials> | undefined;
  private readonly tokenFile = new TokenFile();

  /**
   * @param kc the kubeconfig (its current context)
   * @param ttlMs how long one lookup is reused
   * @param now clock, for tests
   */
  constructor(
    kc: KubeConfigLike,
    private readonly ttlMs = 1000,
    private readonly now: () => number = Date.now,
  ) {
    this.kc = authConfigFor(kc);
    this.source = kc;
  }

  /** Which credential is presented and where it comes from (never its value). */
  describe(): string {
    return describeCredentials(this.source);
  }

  /** The current credentials. Rejects with a {@link CredentialError} when auth fails. */
  get(): Promise<Credentials> {
    const c = this.cached;
    if (c && this.now() - c.at < this.ttlMs) return Promise.resolve(c.value);
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Forgets the cached credentials; the next {@link get} asks client-node again. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async load(): Promise<Credentials> {
    const opts: RequestOptions = { headers: {} };
    try {
      await this.kc.applyToHTTPSOptions(opts);
    } catch (err) {
      throw credentialError(this.source, err);
    }
    const headers = toHeaderMap(opts.headers);
    const file = tokenFileOf(this.kc.getCurrentUser());
    if (file) headers.Authorization = `Bearer ${this.tokenFile.read(file)}`;
    if (opts.auth && !headers.Authorization) {
      headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    }
    const value: Credentials = {
      headers,
      tls: {
        ca: opts.ca as string | Buffer | undefined,
        cert: opts.cert as string | Buffer | undefined,
        key: opts.key as string | Buffer | undefined,
        servername: opts.servername,
        rejectUnauthorized: opts.rejectUnauthorized !== false,
      },
    };
    this.cached = { value, at: this.now() };
    return value;
  }
}

/**
 * A token file read again whenever it changes (size or modification time), as projected
 * service-account tokens are rotated in place; client-node itself re-reads it only every
 * 60 s. A file that is missing or empty is a {@link CredentialError} naming its path.
 */
class TokenFile {
  private last: { path: string; mtimeMs: number; size: number; token: string } | undefined;

  read(path: string): string {
    let stat: { mtimeMs: number; size: number };
    try {
      stat = statSync(path);
    } catch (err) {
      throw new CredentialError(
        `the token file ${path} of the kubeconfig's user cannot be read (${(err as { code?: string }).code ?? 'error'}); create it or fix the user's token-file`,
      );
    }
    const l = this.last;
    if (l && l.path === path && l.mtimeMs === stat.mtimeMs && l.size === stat.size) return l.token;
    const token = readFileSync(path, 'utf8').trim();
    if (!token) throw new CredentialError(`the token file ${path} is empty`);
    this.last = { path, mtimeMs: stat.mtimeMs, size: stat.size, token };
    return token;
  }
}
