import * as http from 'node:http';
import * as https from 'node:https';
import { createRequire } from 'node:module';
import type { TlsMaterial } from './credentials.js';
import { KubeConfigError } from './errors.js';

const requireModule = createRequire(import.meta.url);

/** How connections to one API server are made, from the kubeconfig's cluster entry. */
export interface ConnectionSettings {
  /** The server URL (`https:` or `http:`). */
  readonly server: URL;
  /**
   * The cluster's `proxy-url`: `http://` or `https://` (HTTP CONNECT for `https:` servers,
   * absolute-URI forwarding for `http:` ones) or `socks5://` / `socks5h://` / `socks4://`.
   */
  readonly proxyUrl?: string | undefined;
}

/** Pooling of an agent: keep-alive always, and a cap on sockets when given. */
export interface PoolOptions {
  readonly maxSockets?: number | undefined;
}

/** The protocols `proxy-url` may use, as kubectl accepts them (plus socks4 and socks5h). */
const PROXY_PROTOCOLS = new Set([
  'http:',
  'https:',
  'socks:',
  'socks4:',
  'socks4a:',
  'socks5:',
  'socks5h:',
]);

/**
 * Checks a cluster's `proxy-url` up front, so a typo fails when the client is made rather
 * than at the first request. Throws a {@link KubeConfigError} naming the cluster.
 */
export function checkProxyUrl(proxyUrl: string, cluster: string): URL {
  let url: URL;
  try {
    url = new URL(proxyUrl);
  } catch (err) {
    throw new KubeConfigError(
      `the kubeconfig's cluster '${cluster}' has a proxy-url that is not a URL; write it as http://host:port or socks5://host:port`,
      undefined,
      err,
    );
  }
  if (!PROXY_PROTOCOLS.has(url.protocol)) {
    throw new KubeConfigError(
      `the kubeconfig's cluster '${cluster}' has proxy-url with scheme '${url.protocol}'; use http://, https:// or socks5://`,
    );
  }
  return url;
}

/**
 * A keep-alive `http.Agent` that connects to the server with the given TLS material and,
 * when the cluster has a `proxy-url`, through that proxy (the proxy agents of
 * `https-proxy-agent`, `http-proxy-agent` and `socks-proxy-agent`, loaded only when a
 * proxy is configured). Every connection to the server goes through an agent made here —
 * ordinary requests, watches, and WebSocket upgrades (pass it as `ws`'s `agent` option) —
 * so TLS verification, client certificates, `tls-server-name` and the proxy apply alike.
 */
export function createAgent(
  settings: ConnectionSettings,
  tls: TlsMaterial,
  pool: PoolOptions = {},
): http.Agent {
  const secure = settings.server.protocol === 'https:';
  const pooling: http.AgentOptions = {
    keepAlive: true,
    ...(pool.maxSockets === undefined ? {} : { maxSockets: pool.maxSockets }),
  };
  const target: https.AgentOptions = secure ? definedOnly(tls) : {};
  const proxy = settings.proxyUrl;
  if (proxy === undefined || proxy === '') {
    return secure ? new https.Agent({ ...pooling, ...target }) : new http.Agent(pooling);
  }
  const scheme = new URL(proxy).protocol;
  if (scheme.startsWith('socks')) {
    const { SocksProxyAgent } = requireModule(
      'socks-proxy-agent',
    ) as typeof import('socks-proxy-agent');
    return new SocksProxyAgent(proxy, { ...pooling, ...target });
  }
  if (secure) {
    const { HttpsProxyAgent } = requireModule(
      'https-proxy-agent',
    ) as typeof import('https-proxy-agent');
    // HttpsProxyAgent keeps its options for the connection to the proxy (which is verified
    // with Node's default CAs) and takes the server's TLS settings from each request's
    // options; adding them there makes them part of the agent, for callers (such as `ws`)
    // that pass only the agent.
    const agent = new HttpsProxyAgent(proxy, pooling);
    const connect = agent.connect.bind(agent);
    agent.connect = (req, opts) => connect(req, { ...opts, ...target });
    return agent;
  }
  const { HttpProxyAgent } = requireModule('http-proxy-agent') as typeof import('http-proxy-agent');
  return new HttpProxyAgent(proxy, pooling);
}

/** The TLS settings for the server, without the ones left unset. */
function definedOnly(tls: TlsMaterial): https.AgentOptions {
  const out: https.AgentOptions = { rejectUnauthorized: tls.rejectUnauthorized };
  if (tls.ca !== undefined) out.ca = tls.ca;
  if (tls.cert !== undefined) out.cert = tls.cert;
  if (tls.key !== undefined) out.key = tls.key;
  if (tls.servername !== undefined) out.servername = tls.servername;
  return out;
}
