import type { RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

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
 * client-node refuses `http:` servers unless `insecure-skip-tls-verify` is set; TLS does not
 * apply to them anyway, so for such a server auth is applied through a copy of the cluster
 * entry with the flag set. (Custom authenticators added to the original KubeConfig are not
 * carried over in that case.)
 */
function authConfigFor(kc: KubeConfig): KubeConfig {
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server.startsWith('http:') || cluster.skipTLSVerify) return kc;
  const copy = new KubeConfig();
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

/**
 * Gets credentials from a client-node KubeConfig with `applyToHTTPSOptions`, which covers
 * every auth method client-node supports: client certificates, static tokens, basic auth,
 * exec plugins (cached by client-node until the credential expires), OIDC, and the
 * in-cluster service-account token file (re-read by client-node every 60 s).
 *
 * Results are cached for `ttlMs` (default 1 s) so a burst of requests does not re-read
 * files or re-run plugins for each request; concurrent callers share one in-flight
 * lookup. {@link invalidate} drops the cache.
 */
export class CredentialSource {
  private readonly kc: KubeConfig;
  private cached: { value: Credentials; at: number } | undefined;
  private inflight: Promise<Credentials> | undefined;

  /**
   * @param kc the kubeconfig (its current context)
   * @param ttlMs how long one lookup is reused
   * @param now clock, for tests
   */
  constructor(
    kc: KubeConfig,
    private readonly ttlMs = 1000,
    private readonly now: () => number = Date.now,
  ) {
    this.kc = authConfigFor(kc);
  }

  /** The current credentials. Rejects with client-node's error when auth fails. */
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
    await this.kc.applyToHTTPSOptions(opts);
    const headers = toHeaderMap(opts.headers);
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
