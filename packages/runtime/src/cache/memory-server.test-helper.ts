/** A MemoryApiServer and a client for one test file, with fresh namespaces on demand. */
import { Api, Client } from '@kube-ts/client';
import { resources } from '@kube-ts/core';
import { MemoryApiServer } from '@kube-ts/testing';
import { afterAll, beforeAll } from 'vitest';

/** How long a bounded poll in these tests may take. */
export const WAIT = { timeout: 15_000, interval: 20 };

/** What {@link useMemoryServer} gives a test file (set once `beforeAll` has run). */
export interface MemoryServerFixture {
  readonly server: MemoryApiServer;
  readonly client: Client;
  /** Creates a namespace `<prefix>-<n>` and resolves with its name. */
  namespace(prefix: string): Promise<string>;
}

/** Starts a server (bookmarks every 200 ms) before the file's tests; stops it after. */
export function useMemoryServer(): MemoryServerFixture {
  let server: MemoryApiServer | undefined;
  let client: Client | undefined;
  let n = 0;
  beforeAll(async () => {
    server = await MemoryApiServer.start({ bookmarkIntervalMs: 200 });
    client = Client.fromKubeConfig(server.kubeConfig);
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });
  const fixture: MemoryServerFixture = {
    get server() {
      if (server === undefined) throw new Error('useMemoryServer: read it inside a test');
      return server;
    },
    get client() {
      if (client === undefined) throw new Error('useMemoryServer: read it inside a test');
      return client;
    },
    async namespace(prefix) {
      const name = `${prefix}-${n++}`;
      await Api.cluster(fixture.client, resources.namespaces).create({ metadata: { name } });
      return name;
    },
  };
  return fixture;
}
