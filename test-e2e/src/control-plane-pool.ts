/**
 * Vitest global set-up of the `real` backend: a pool that keeps one default control plane
 * (etcd, kube-apiserver, kube-controller-manager) started ahead. A test file still gets a
 * fresh control plane of its own, but takes it ready instead of waiting the ~4 s its start
 * takes, and hands it back to be stopped in the background; the next one starts while the
 * file runs. Over a hundred files, that is minutes of each run. Test files (in workers)
 * reach the pool over HTTP on 127.0.0.1, at the URL provided as `controlPlanePool`; files
 * that need another control plane (nodes, flags) start their own.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ControlPlane } from '@kube-ts/testing';
import type { TestProject } from 'vitest/node';
import { backendName } from './backend.js';
import type { PooledControlPlane } from './real-control-plane.js';
import { startRealControlPlane } from './real-control-plane.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The control-plane pool's URL; absent unless the backend is `real`. */
    controlPlanePool?: string;
  }
}

/** Started control planes: one kept ahead, and those handed out by id. */
class ControlPlanePool {
  #ahead: Promise<ControlPlane> | undefined;
  readonly #taken = new Map<string, ControlPlane>();
  readonly #stopping = new Set<Promise<void>>();
  #count = 0;

  /** Starts the next control plane now, so the first take does not wait either. */
  startAhead(): void {
    const next = startRealControlPlane();
    // Awaited at the next take (or at close); a failure is reported there.
    next.catch(() => {});
    this.#ahead = next;
  }

  async take(): Promise<PooledControlPlane> {
    const ready = this.#ahead ?? startRealControlPlane();
    this.startAhead();
    const plane = await ready;
    const id = String(++this.#count);
    this.#taken.set(id, plane);
    return {
      id,
      kubeconfigPath: plane.kubeconfigPath,
      kubeconfig: await readFile(plane.kubeconfigPath, 'utf8'),
    };
  }

  get(id: string): ControlPlane {
    const plane = this.#taken.get(id);
    if (plane === undefined) throw new Error(`no control plane ${id} is handed out`);
    return plane;
  }

  /** Stops a handed-back control plane in the background. */
  release(id: string): void {
    const plane = this.get(id);
    this.#taken.delete(id);
    this.#stopInBackground(plane);
  }

  #stopInBackground(plane: ControlPlane): void {
    const stopping = plane.stop().finally(() => this.#stopping.delete(stopping));
    this.#stopping.add(stopping);
  }

  /** Stops every control plane: the one started ahead, those not handed back, and waits for those stopping. */
  async close(): Promise<void> {
    const ahead = await this.#ahead?.catch(() => undefined);
    this.#ahead = undefined;
    if (ahead !== undefined) this.#stopInBackground(ahead);
    for (const id of [...this.#taken.keys()]) this.release(id);
    await Promise.allSettled([...this.#stopping]);
  }
}

async function handle(pool: ControlPlanePool, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://pool');
  const [, action, id = ''] = url.pathname.split('/').map(decodeURIComponent);
  let body = '';
  if (req.method !== 'POST') throw new Error(`${req.method} ${url.pathname}: only POST is served`);
  if (action === 'take') body = JSON.stringify(await pool.take());
  else if (action === 'stop-api-server') {
    const graceMs = url.searchParams.get('graceMs');
    await pool.get(id).stopApiServer(graceMs ? { graceMs: Number(graceMs) } : {});
  } else if (action === 'start-api-server') await pool.get(id).startApiServer();
  else if (action === 'release') pool.release(id);
  else throw new Error(`${url.pathname}: no such action`);
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
}

export default async function setup(
  project: TestProject,
): Promise<(() => Promise<void>) | undefined> {
  if (backendName() !== 'real') return undefined;
  const pool = new ControlPlanePool();
  pool.startAhead();
  const server = createServer((req, res) => {
    handle(pool, req, res).catch((error: unknown) => {
      res
        .writeHead(500, { 'Content-Type': 'text/plain' })
        .end(String((error as Error)?.message ?? error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  project.provide('controlPlanePool', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool.close();
  };
}
