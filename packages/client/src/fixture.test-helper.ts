import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { afterEach } from 'vitest';

/** The bearer token test kubeconfigs carry; tests check it never shows in errors. */
export const TEST_TOKEN = 'test-secret-token-123';

/** How long a bounded poll in the client's tests may take (vi.waitFor's default is 1 s). */
export const WAIT = { timeout: 15_000, interval: 20 } as const;

/** A request the fixture server saw. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A tiny HTTP server on 127.0.0.1 for transport tests. */
export interface Fixture {
  url: string;
  kubeConfig: KubeConfig;
  seen: SeenRequest[];
  /** Number of TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** A kubeconfig for `server` with a static bearer token and namespace `ns1`. */
export function kubeConfigFor(
  server: string,
  user: Record<string, unknown> = { token: TEST_TOKEN },
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: false }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u', namespace: 'ns1' }],
    currentContext: 'ctx',
  });
  return kc;
}

/** Starts a server; `handler` gets each request after its body is read. */
export async function startFixture(
  handler: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void,
): Promise<Fixture> {
  const seen: SeenRequest[] = [];
  let connections = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(s);
      handler(req, res, s);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    kubeConfig: kubeConfigFor(url),
    seen,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON response. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * After each test, closes in order what `current` returns then (a file's client, then its
 * fixture server). Closing is idempotent, so a test that makes none closes the previous
 * test's again, harmlessly.
 */
export function closeAfterEach(current: () => readonly ({ close(): unknown } | undefined)[]): void {
  afterEach(async () => {
    for (const open of current()) await open?.close();
  });
}
