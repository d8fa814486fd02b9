import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryApiServer } from '../server.js';
import { httpClient } from '../test-client.test-helper.js';
import { REPAIR_INTERVAL_MS } from './ip-address-repair.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Lets the server's scheduled work (setImmediate) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('IPAddressRepair periodic pass', () => {
  it('writes a deleted IPAddress of a Service again at its next pass, without a change', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const server = await MemoryApiServer.start({ bookmarkIntervalMs: 0 });
    try {
      const call = httpClient(server);
      const { body: svc } = await call('POST', '/api/v1/namespaces/default/services', {
        metadata: { name: 'kept' },
        spec: { ports: [{ port: 80 }] },
      });
      const ip = String((svc.spec as { clusterIP: string }).clusterIP);
      const path = `/apis/networking.k8s.io/v1/ipaddresses/${ip}`;
      expect((await call('DELETE', path)).status).toBe(200);
      for (let i = 0; i < 5; i++) await settle();
      expect((await call('GET', path)).status).toBe(404);

      await vi.advanceTimersByTimeAsync(REPAIR_INTERVAL_MS);
      for (let i = 0; i < 5; i++) await settle();
      const { status, body } = await call('GET', path);
      expect(status).toBe(200);
      expect(body.spec).toEqual({
        parentRef: { resource: 'services', namespace: 'default', name: 'kept' },
      });
      const { body: events } = await call(
        'GET',
        '/apis/events.k8s.io/v1/namespaces/default/events',
      );
      expect(
        (events.items as { reason: string; note: string }[]).map((e) => [e.reason, e.note]),
      ).toContainEqual([
        'ClusterIPNotAllocated',
        `Cluster IP [IPv4]: ${ip} is not allocated; repairing`,
      ]);
    } finally {
      await server.stop();
    }
  });
});
