import { afterAll, describe, expect, it } from 'vitest';
import { useMemoryApiServer } from './memory-api-server.js';

describe('useMemoryApiServer', () => {
  let closed = 0;
  const env = useMemoryApiServer({ bookmarkIntervalMs: 0 }, (server) => ({
    url: server.url,
    close: () => closed++,
  }));
  // Read while the tests are being collected, before the server started.
  const early = (() => {
    try {
      return env.server;
    } catch (error) {
      return error;
    }
  })();

  it('serves the API while the tests run, and hands out the connected client', async () => {
    const token = env.server.kubeConfig.getCurrentUser()?.token;
    const answer = await fetch(`${env.server.url}/api/v1/namespaces/default`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(answer.status).toBe(200);
    expect(env.client.url).toBe(env.server.url);
  });

  it('says so when the server is read outside tests and hooks', () => {
    expect(early).toBeInstanceOf(Error);
    expect((early as Error).message).toMatch(/only inside tests and hooks/);
  });

  afterAll(() => {
    // Registered after the fixture, so it runs before the fixture's teardown.
    expect(closed).toBe(0);
    expect(env.server.url).toMatch(/^http/);
  });
});
