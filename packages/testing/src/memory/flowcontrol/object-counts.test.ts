import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JsonObject } from '../json.js';
import { encodeProtobuf } from '../protobuf/encode.js';
import { MemoryApiServer } from '../server.js';
import { Storage } from '../storage.js';
import { ObjectCounts } from './object-counts.js';

/** An object whose JSON is about twice its protobuf (`"` is escaped in JSON). */
const quoted = (apiVersion: string, kind: string, name: string): JsonObject => ({
  apiVersion,
  kind,
  metadata: {
    name,
    namespace: 'ns',
    resourceVersion: '12345',
    annotations: { q: '"'.repeat(1000) },
  },
});

afterEach(() => {
  vi.useRealTimers();
});

function add(storage: Storage, resource: string, name: string) {
  storage.commit(resource, `ns/${name}`, 'ns', { metadata: { name, namespace: 'ns' } });
}

describe('ObjectCounts', () => {
  it('sizes built-in objects as the protobuf etcd holds, custom resources as JSON', () => {
    const storage = new Storage(100);
    const template = quoted('v1', 'PodTemplate', 'a');
    const widget = quoted('example.com/v1', 'Widget', 'a');
    storage.commit('podtemplates', 'ns/a', '', template);
    storage.commit('widgets.example.com', 'ns/a', '', widget);
    const counts = new ObjectCounts(
      storage,
      () => ['podtemplates', 'widgets.example.com'],
      { pollSeconds: 60, staleSeconds: 180 },
      (resource) => resource === 'podtemplates',
    );
    counts.start();
    counts.stop();
    // Stored without the resourceVersion, as kube-apiserver writes to etcd.
    const unversioned = (o: JsonObject) => ({
      ...o,
      metadata: { ...(o.metadata as object), resourceVersion: '' },
    });
    expect(counts.of('podtemplates')).toEqual({
      count: 1,
      averageSize: encodeProtobuf(unversioned(template)).length,
    });
    expect(counts.of('widgets.example.com')).toEqual({
      count: 1,
      averageSize: Buffer.byteLength(JSON.stringify(unversioned(widget))),
    });
    expect(counts.of('podtemplates')!.averageSize).toBeLessThan(1200);
    expect(counts.of('widgets.example.com')!.averageSize).toBeGreaterThan(2000);
  });
  it('counts each served resource at once, then after the period plus up to 120% jitter', () => {
    vi.useFakeTimers();
    const storage = new Storage(100);
    add(storage, 'widgets.x', 'a');
    const counts = new ObjectCounts(
      storage,
      () => ['widgets.x', 'gadgets.x'],
      { pollSeconds: 10, staleSeconds: 180 },
      () => false,
    );
    counts.start();
    expect(counts.of('widgets.x')?.count).toBe(1);
    expect(counts.of('gadgets.x')).toEqual({ count: 0, averageSize: 0 });
    expect(counts.of('unknown')).toBeUndefined();
    add(storage, 'widgets.x', 'b');
    vi.advanceTimersByTime(9_999);
    expect(counts.of('widgets.x')?.count).toBe(1);
    vi.advanceTimersByTime(12_001);
    expect(counts.of('widgets.x')?.count).toBe(2);
    counts.stop();
  });

  it.each([
    [180, 'three minutes, kube-apiserver’s threshold'],
    [20, 'the threshold it is given'],
  ])(
    'takes the counts of a resource no longer served as stale after %is (%s), and forgets them after an hour',
    (staleSeconds) => {
      vi.useFakeTimers();
      const storage = new Storage(100);
      add(storage, 'widgets.x', 'a');
      let served = ['widgets.x'];
      const counts = new ObjectCounts(
        storage,
        () => served,
        { pollSeconds: 10, staleSeconds },
        () => false,
      );
      counts.start();
      served = [];
      counts.sync();
      add(storage, 'widgets.x', 'b');
      vi.advanceTimersByTime(staleSeconds * 1000);
      expect(counts.of('widgets.x')).toEqual({ count: 1, averageSize: expect.any(Number) });
      vi.advanceTimersByTime(1);
      expect(counts.of('widgets.x')).toEqual({
        count: 1,
        averageSize: expect.any(Number),
        stale: true,
      });
      vi.advanceTimersByTime(3_600_000);
      expect(counts.of('widgets.x')).toBeUndefined();
      // Served again: counted at once.
      served = ['widgets.x'];
      expect(counts.of('widgets.x')?.count).toBe(2);
      counts.stop();
    },
  );
});

describe('MemoryApiServer objectCountStaleSeconds', () => {
  it('refuses a threshold that is not above 0', async () => {
    await expect(MemoryApiServer.start({ objectCountStaleSeconds: 0 })).rejects.toThrow(
      'objectCountStaleSeconds must be a number > 0, not 0',
    );
  });
});
