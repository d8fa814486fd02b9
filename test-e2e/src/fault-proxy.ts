/**
 * A TCP proxy in front of a backend, for fault tests: it forwards both ways until told to
 * freeze the connections it carries (they stay open and pass nothing, as on a frozen
 * network path), reset them (the client sees ECONNRESET), refuse new ones, or hold new
 * ones open without an answer (a server that never answers). TLS passes
 * through untouched, so it works in front of MemoryApiServer and kube-apiserver alike.
 * It binds 127.0.0.1 and `close()` destroys everything it opened.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';

/** One proxied connection: the client's socket and the one to the backend. */
interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  frozen: boolean;
}

/** A started {@link faultProxy}. */
export interface FaultProxy {
  /** The backend's kubeconfig, pointing at the proxy instead. */
  readonly kubeConfig: KubeConfig;
  /** Connections currently open through the proxy. */
  readonly connections: number;
  /**
   * Freezes every connection open now: nothing more passes either way, neither is closed
   * (until the client gives up on it). New connections are forwarded normally.
   */
  freeze(): number;
  /** Resets every connection open now (the client gets ECONNRESET). */
  reset(): number;
  /** While on, new connections are closed at once (the client gets ECONNRESET/refused). */
  refuse(on: boolean): void;
  /**
   * While on, new connections are accepted and held open, and nothing passes either way: a
   * server that never answers, from the first byte.
   */
  hang(on: boolean): void;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/** Starts a proxy in front of the server of `kubeConfig`'s current cluster. */
export async function faultProxy(kubeConfig: KubeConfig): Promise<FaultProxy> {
  const cluster = kubeConfig.getCurrentCluster();
  const user = kubeConfig.getCurrentUser();
  if (cluster === null || user === null)
    throw new Error('faultProxy: the kubeconfig has no current cluster/user');
  const target = new URL(cluster.server);
  const pairs = new Set<Pair>();
  let refusing = false;
  let hanging = false;
  const held = new Set<Socket>();
  const server = createServer((client) => {
    client.on('error', () => {});
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    if (hanging) {
      held.add(client);
      client.on('close', () => held.delete(client));
      return;
    }
    const upstream = createConnection(Number(target.port), target.hostname);
    upstream.on('error', () => client.destroy());
    const pair: Pair = { client, upstream, frozen: false };
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const forget = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', forget);
    upstream.on('close', () => {
      // A frozen connection does not pass the backend's close on either.
      if (!pair.frozen) forget();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const proxied = new KubeConfig();
  proxied.loadFromOptions({
    clusters: [{ ...cluster, server: `${target.protocol}//127.0.0.1:${port}` }],
    users: [user],
    contexts: [{ name: 'fault-proxy', cluster: cluster.name, user: user.name }],
    currentContext: 'fault-proxy',
  });
  return {
    kubeConfig: proxied,
    get connections() {
      return pairs.size;
    },
    freeze() {
      let n = 0;
      for (const pair of pairs) {
        if (pair.frozen) continue;
        pair.frozen = true;
        pair.client.unpipe(pair.upstream);
        pair.upstream.unpipe(pair.client);
        pair.client.pause();
        pair.upstream.pause();
        n++;
      }
      return n;
    },
    reset() {
      const n = pairs.size;
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.client.resetAndDestroy();
        pair.upstream.destroy();
      }
      return n;
    },
    refuse(on) {
      refusing = on;
    },
    hang(on) {
      hanging = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of held) socket.destroy();
        held.clear();
        for (const pair of pairs) {
          pair.client.destroy();
          pair.upstream.destroy();
        }
        pairs.clear();
        server.close(() => resolve());
      }),
  };
}
