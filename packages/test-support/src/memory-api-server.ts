import { MemoryApiServer, type MemoryApiServerOptions } from '@kube-ts/testing';
import { afterAll, beforeAll } from 'vitest';

/** The server of a test file and what `connect` made of it; read them inside tests and hooks. */
export interface MemoryApiServerFixture<C> {
  /** The running server. */
  readonly server: MemoryApiServer;
  /** The client `connect` returned. */
  readonly client: C;
}

/**
 * Starts a {@link MemoryApiServer} in `beforeAll` and stops it in `afterAll`, for the test
 * file (or `describe` block) that calls it. `connect` makes the file's client of the
 * server, e.g. `(s) => Client.fromKubeConfig(s.kubeConfig)`; when the client has a
 * `close()` it is closed before the server stops. Hooks the file registers after this call
 * run after the server started and before it stops.
 */
export function useMemoryApiServer(options?: MemoryApiServerOptions): MemoryApiServerFixture<void>;
export function useMemoryApiServer<C>(
  options: MemoryApiServerOptions | undefined,
  connect: (server: MemoryApiServer) => C,
): MemoryApiServerFixture<C>;
export function useMemoryApiServer<C>(
  options: MemoryApiServerOptions = {},
  connect?: (server: MemoryApiServer) => C,
): MemoryApiServerFixture<C | undefined> {
  let running: { server: MemoryApiServer; client: C | undefined } | undefined;
  beforeAll(async () => {
    const server = await MemoryApiServer.start(options);
    running = { server, client: connect?.(server) };
  });
  afterAll(async () => {
    const client = running?.client as { close?: () => void } | undefined;
    client?.close?.();
    await running?.server.stop();
    running = undefined;
  });
  const current = () => {
    if (running === undefined) {
      throw new Error('useMemoryApiServer: the server runs only inside tests and hooks');
    }
    return running;
  };
  return {
    get server() {
      return current().server;
    },
    get client() {
      return current().client;
    },
  };
}
