import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One route's answer. */
export interface ProbeResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** GET handlers by path (without query). */
export type ProbeRoutes = Readonly<Record<string, () => ProbeResponse | Promise<ProbeResponse>>>;

/** A listening probe/metrics server. */
export interface ProbeServer {
  /** The bound address (the real port when 0 was asked for). */
  readonly address: AddressInfo;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Serves `routes` over plain HTTP on `host:port`: GET and HEAD only (405 otherwise), 404
 * for unknown paths, 500 (without details) when a handler throws.
 */
export async function startProbeServer(
  host: string,
  port: number,
  routes: ProbeRoutes,
): Promise<ProbeServer> {
  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    let answer: ProbeResponse;
    if (route === undefined) {
      answer = text(404, 'not found\n');
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      answer = text(405, 'method not allowed\n');
    } else {
      try {
        answer = await route();
      } catch {
        answer = text(500, 'internal error\n');
      }
    }
    if (res.destroyed) return;
    res.writeHead(answer.status, {
      'content-type': answer.contentType,
      'content-length': Buffer.byteLength(answer.body),
    });
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    address: server.address() as AddressInfo,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A plain-text answer. */
export function text(status: number, body: string): ProbeResponse {
  return { status, contentType: 'text/plain; charset=utf-8', body };
}
